// Moving RMS over a window of W samples, O(1) per sample, no heap, no drift.
//
// A running sum updated by "add new, subtract old" accumulates rounding error
// without bound (after 10^9 samples it can exceed the signal itself). Here the
// window sum is split at the last multiple of W: `fresh_` sums the samples that
// arrived since then (additions only) and `tail_` holds what remains of the
// previous W-block (subtractions only). Every W samples `tail_` restarts from
// `fresh_`, so each accumulator sees at most W operations and the error stays
// bounded by O(W * eps * max(x^2)) forever.
#pragma once

#include <cmath>
#include <cstddef>

#include "soleus/core/status.hpp"

namespace soleus::dsp {

template <typename T, int MaxWindow>
class MovingRms {
 public:
  Status init(int window) {
    if (window < 1 || window > MaxWindow) {
      return Status::invalid("window: must be between 1 and the capacity MaxWindow");
    }
    window_ = window;
    reset();
    return Status::success();
  }
  void reset() {
    for (int i = 0; i < window_; ++i) sq_[i] = 0.0;
    pos_ = 0;
    fresh_ = tail_ = 0.0;
  }
  int window() const { return window_; }
  // Delay of the centre of the window behind the newest sample, in samples.
  double group_delay_samples() const { return (window_ - 1) / 2.0; }

  // Pushes one sample and returns the RMS of the last `window` samples (the
  // samples before the first push count as zero).
  T process(T x) {
    const double sq = static_cast<double>(x) * static_cast<double>(x);
    tail_ -= sq_[pos_];
    sq_[pos_] = sq;
    fresh_ += sq;
    if (++pos_ == window_) {
      pos_ = 0;
      tail_ = fresh_;
      fresh_ = 0.0;
    }
    const double sum = tail_ + fresh_;
    return static_cast<T>(std::sqrt(sum > 0.0 ? sum / window_ : 0.0));
  }

  void process(const T* in, T* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = process(in[i]);
  }

 private:
  double sq_[MaxWindow] = {};
  int window_ = 1;
  int pos_ = 0;
  double fresh_ = 0.0;
  double tail_ = 0.0;
};

}  // namespace soleus::dsp
