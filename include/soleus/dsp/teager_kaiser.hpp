// Teager-Kaiser energy operator, psi[n] = x[n]^2 - x[n-1] * x[n+1].
// It needs one future sample, so the streaming form outputs psi[n-1] when
// x[n] arrives: a fixed delay of one sample (reported by group_delay_samples).
// Used to condition EMG before onset detection (Solnik 2008/2010).
#pragma once

#include <cstddef>

namespace soleus::dsp {

template <typename T>
class TeagerKaiser {
 public:
  void reset() { prev_ = prev2_ = T(0); }
  static constexpr double group_delay_samples() { return 1.0; }

  T process(T x) {
    const T out = prev_ * prev_ - prev2_ * x;
    prev2_ = prev_;
    prev_ = x;
    return out;
  }
  void process(const T* in, T* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = process(in[i]);
  }

 private:
  T prev_ = T(0);
  T prev2_ = T(0);
};

}  // namespace soleus::dsp
