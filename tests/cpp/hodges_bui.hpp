// HodgesBuiDetector: the classic baseline (Hodges & Bui 1996): rectify,
// low-pass 50 Hz, mean over a moving window of 25 ms; onset when that mean
// exceeds rest mean + h * SD (h = 3), offset when it falls back. No minimum
// durations, no hysteresis: the tests use it as the method to beat
// (test_onset.cpp, docs/validation.md); not part of the library.
#pragma once

#include <cmath>
#include <cstdint>

#include "soleus/core/status.hpp"
#include "soleus/dsp/filter_design.hpp"
#include "soleus/dsp/sos_filter.hpp"
#include "soleus/emg/group_delay.hpp"
#include "soleus/emg/onset.hpp"

namespace soleus::emg {

struct HodgesBuiSettings {
  double fs_hz = 2000.0;
  double lowpass_hz = 50.0;
  double window_s = 0.025;
  double h = 3.0;
};

template <int MaxChannels, int MaxWindow = 256>
class HodgesBuiDetector {
 public:
  static constexpr int kChunk = 64;

  Status init(const HodgesBuiSettings& s, int channels) {
    if (channels < 1 || channels > MaxChannels) {
      return Status::invalid("channels: must be between 1 and MaxChannels");
    }
    Result<dsp::SosList> lp = dsp::butter(2, s.lowpass_hz, 0.0, dsp::BandType::lowpass, s.fs_hz);
    if (!lp.ok()) return lp.status;
    Status st = lp_.init(lp.value, channels);
    if (!st) return st;
    w_ = static_cast<int>(std::lround(s.window_s * s.fs_hz));
    if (w_ < 1 || w_ > MaxWindow) return Status::capacity("window_s: exceeds MaxWindow samples");
    s_ = s;
    channels_ = channels;
    own_delay_s_ = sos_group_delay_samples(lp.value, 0.0, s.fs_hz) / s.fs_hz +
                   (w_ - 1) / 2.0 / s.fs_hz;
    reset();
    return Status::success();
  }
  void reset() {
    lp_.reset();
    n_ = 0;
    pos_ = 0;
    resting_ = false;
    for (int c = 0; c < MaxChannels; ++c) {
      sum_[c] = 0.0;
      active_[c] = false;
      have_[c] = false;
      for (int i = 0; i < MaxWindow; ++i) ring_[i][c] = 0.0f;
    }
  }
  void set_input_delay(double s) { input_delay_s_ = s; }
  void set_start_time(double t0) { t0_ = t0; }
  // Input delay + low-pass at DC + window centre: what event times subtract.
  double total_delay_s() const { return input_delay_s_ + own_delay_s_; }
  void begin_rest() {
    resting_ = true;
    for (int c = 0; c < channels_; ++c) lsum_[c] = lsq_[c] = 0.0;
    ln_ = 0;
  }
  Status end_rest() {
    resting_ = false;
    if (ln_ < 2) return Status{StatusCode::not_ready, "hodges-bui: rest period too short"};
    for (int c = 0; c < channels_; ++c) {
      const double mu = lsum_[c] / static_cast<double>(ln_);
      const double var = lsq_[c] / static_cast<double>(ln_) - mu * mu;
      thr_[c] = mu + s_.h * (var > 0.0 ? std::sqrt(var) : 0.0);
      have_[c] = true;
    }
    return Status::success();
  }
  double threshold(int c) const { return thr_[c]; }

  template <class Sink>
  void process(const float* y, std::size_t n, Sink& sink) {
    const std::size_t C = static_cast<std::size_t>(channels_);
    alignas(32) float buf[kChunk * MaxChannels];
    while (n > 0) {
      const std::size_t m = n < static_cast<std::size_t>(kChunk) ? n : kChunk;
      for (std::size_t k = 0; k < m * C; ++k) buf[k] = std::fabs(y[k]);
      lp_.process(buf, buf, m);
      for (std::size_t f = 0; f < m; ++f, ++n_) {
        for (int c = 0; c < channels_; ++c) {
          const float v = buf[f * C + static_cast<std::size_t>(c)];
          // Running window sum in double: over hours the drift stays far below
          // float resolution of the mean.
          sum_[c] += static_cast<double>(v) - ring_[pos_][c];
          ring_[pos_][c] = v;
          if (resting_) {
            lsum_[c] += v;
            lsq_[c] += static_cast<double>(v) * v;
            continue;
          }
          if (!have_[c] || n_ < w_) continue;
          const double mean = sum_[c] / w_;
          const bool above = mean > thr_[c];
          if (above != active_[c]) {
            active_[c] = above;
            BurstEvent e;
            e.edge = above ? BurstEdge::onset : BurstEdge::offset;
            e.channel = c;
            e.time_s = detail::sample_time(t0_, n_, s_.fs_hz) - total_delay_s();
            e.detected_at_s = detail::sample_time(t0_, n_, s_.fs_hz);
            sink.push(e);
          }
        }
        if (resting_) ++ln_;
        pos_ = pos_ + 1 == w_ ? 0 : pos_ + 1;
      }
      y += m * C;
      n -= m;
    }
  }

 private:
  HodgesBuiSettings s_{};
  int channels_ = 0, w_ = 1, pos_ = 0;
  std::int64_t n_ = 0, ln_ = 0;
  bool resting_ = false;
  double own_delay_s_ = 0.0, input_delay_s_ = 0.0, t0_ = 0.0;
  dsp::MultiChannelSos<float, MaxChannels, dsp::kMaxButterOrder> lp_;
  double sum_[MaxChannels] = {}, thr_[MaxChannels] = {};
  double lsum_[MaxChannels] = {}, lsq_[MaxChannels] = {};
  bool active_[MaxChannels] = {}, have_[MaxChannels] = {};
  float ring_[MaxWindow][MaxChannels] = {};
};

}  // namespace soleus::emg
