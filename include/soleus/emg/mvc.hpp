// MVC normalisation: activation in %MVC from the EMG envelope.
//
// Calibration: the caller brackets a maximal voluntary contraction (for the
// soleus: seated, knee at 90 degrees, plantar flexion against resistance)
// with begin_calibration() / end_calibration(). Each channel's reference is the
// maximum, over the calibration, of the envelope's moving average over
// window_s (default 500 ms): the averaging rejects a single spike, 500 ms is
// the plateau length usually asked of an MVC trial (CEDE matrix, Besomi 2020).
// The moving average is computed from block means (block_s, default 10 ms), so
// the window is exact to a block and costs O(1) per sample; only windows lying
// entirely inside the calibration count.
//
// Without calibration (documented fallback): if fallback_reference > 0 it is
// used as every channel's reference (signal units, e.g. uV); otherwise the
// reference is the running maximum of the same 500 ms moving average since
// reset (a "peak dynamic" normalisation: 100% = the largest activity seen so far).
// Either way uncalibrated() is true and every BurstEvent says so, because such
// numbers are not %MVC and must not be compared across sessions.
#pragma once

#include <cmath>
#include <cstddef>

#include "soleus/core/config.hpp"
#include "soleus/core/status.hpp"

namespace soleus::emg {

struct MvcSettings {
  double fs_hz = 2000.0;
  double window_s = 0.5;
  double block_s = 0.01;
  double fallback_reference = 0.0;  // > 0: fixed reference when uncalibrated
};

template <int MaxChannels, int MaxBlocks = 128>
class MvcNormalizer {
 public:
  Status init(const MvcSettings& s, int channels) {
    if (channels < 1 || channels > MaxChannels) {
      return Status::invalid("channels: must be between 1 and MaxChannels");
    }
    if (!(s.fs_hz > 0.0) || !(s.block_s > 0.0) || !(s.window_s >= s.block_s)) {
      return Status::invalid("mvc: need fs_hz > 0 and window_s >= block_s > 0");
    }
    block_ = static_cast<int>(std::lround(s.block_s * s.fs_hz));
    if (block_ < 1) block_ = 1;
    nblocks_ = static_cast<int>(std::lround(s.window_s / s.block_s));
    if (nblocks_ < 1 || nblocks_ > MaxBlocks) {
      return Status::capacity("mvc: window_s / block_s exceeds MaxBlocks");
    }
    s_ = s;
    channels_ = channels;
    reset();
    return Status::success();
  }

  // Forgets the calibration and the running statistics.
  void reset() {
    calibrated_ = calibrating_ = false;
    pos_ = 0;
    ring_pos_ = 0;
    filled_ = 0;
    cal_windows_ = 0;
    for (int c = 0; c < MaxChannels; ++c) {
      sum_[c] = wsum_[c] = 0.0;
      ref_[c] = s_.fallback_reference > 0.0 ? s_.fallback_reference : 0.0;
      running_peak_[c] = 0.0;
      cal_peak_[c] = 0.0;
      for (int b = 0; b < MaxBlocks; ++b) ring_[b][c] = 0.0;
    }
    update_scale();
  }

  // A new stream: forgets the moving average and the running peak (the
  // uncalibrated reference), keeps a calibration.
  void restart_stream() {
    pos_ = ring_pos_ = filled_ = 0;
    calibrating_ = false;
    for (int c = 0; c < MaxChannels; ++c) {
      sum_[c] = wsum_[c] = 0.0;
      running_peak_[c] = 0.0;
      last_avg_[c] = 0.0;
      for (int b = 0; b < MaxBlocks; ++b) ring_[b][c] = 0.0;
      if (!calibrated_) ref_[c] = s_.fallback_reference > 0.0 ? s_.fallback_reference : 0.0;
    }
    update_scale();
  }

  void begin_calibration() {
    calibrating_ = true;
    cal_blocks_ = 0;
    cal_windows_ = 0;
    for (int c = 0; c < channels_; ++c) cal_peak_[c] = 0.0;
  }
  // Adopts the calibration's references. Fails (keeping the previous
  // references) when no full window fitted in it or a channel stayed at zero.
  Status end_calibration() {
    calibrating_ = false;
    if (cal_windows_ == 0) {
      return Status{StatusCode::not_ready, "mvc: calibration shorter than window_s"};
    }
    for (int c = 0; c < channels_; ++c) {
      if (!(cal_peak_[c] > 0.0)) return Status{StatusCode::not_ready, "mvc: a channel had no signal"};
    }
    for (int c = 0; c < channels_; ++c) ref_[c] = cal_peak_[c];
    calibrated_ = true;
    update_scale();
    return Status::success();
  }
  // References known from an earlier session (signal units), one per channel.
  Status set_references(const double* ref) {
    for (int c = 0; c < channels_; ++c) {
      if (!(ref[c] > 0.0) || !std::isfinite(ref[c])) return Status::invalid("mvc: reference must be > 0");
    }
    for (int c = 0; c < channels_; ++c) ref_[c] = ref[c];
    calibrated_ = true;
    update_scale();
    return Status::success();
  }

  bool calibrated() const { return calibrated_; }
  bool uncalibrated() const { return !calibrated_; }
  bool calibrating() const { return calibrating_; }
  // The reference (signal units) activation is relative to; 0 = none yet.
  double reference(int c) const { return ref_[c]; }
  // Latest full-window moving average of the envelope (signal units).
  double window_average(int c) const { return filled_ > 0 ? last_avg_[c] : 0.0; }

  // n interleaved frames of envelope -> activation in %MVC (may alias).
  void process(const float* env, float* pct, std::size_t n) {
    // Compile-time channel count when every channel is in use: the sums and
    // scales then stay in SIMD registers (same operations either way).
    if (channels_ == MaxChannels) {
      process_runs<MaxChannels>(env, pct, n);
    } else {
      process_runs<0>(env, pct, n);
    }
  }

 private:
  template <int NC>
  SOLEUS_ALWAYS_INLINE void process_runs(const float* env, float* pct, std::size_t n) {
    const std::size_t C = NC > 0 ? static_cast<std::size_t>(NC) : static_cast<std::size_t>(channels_);
    // Up to each block end at a time, sums and scales in locals (pct may
    // alias scale_ as far as the compiler knows; the block-end check and
    // call would otherwise sit on every sample). Same additions in the same
    // order per channel as sample by sample.
    while (n > 0) {
      const std::size_t m = n < static_cast<std::size_t>(block_ - pos_) ? n : static_cast<std::size_t>(block_ - pos_);
      double sum[MaxChannels] = {};  // zero-filled: only the first C are used
      float sc[MaxChannels] = {};
      for (std::size_t c = 0; c < C; ++c) {
        sum[c] = sum_[c];
        sc[c] = scale_[c];
      }
      for (std::size_t f = 0; f < m; ++f) {
        const float* e = env + f * C;
        float* o = pct + f * C;
        for (std::size_t c = 0; c < C; ++c) {
          const float v = e[c];
          o[c] = v * sc[c];
          sum[c] += v;
        }
      }
      for (std::size_t c = 0; c < C; ++c) sum_[c] = sum[c];
      pos_ += static_cast<int>(m);
      env += m * C;
      pct += m * C;
      n -= m;
      if (pos_ == block_) end_block();
    }
  }

  void end_block() {
    pos_ = 0;
    const double inv = 1.0 / static_cast<double>(block_);
    if (filled_ < nblocks_) ++filled_;
    if (calibrating_) ++cal_blocks_;
    // The first calibration block may have started mid-block: skip it.
    const bool cal_full = calibrating_ && cal_blocks_ > nblocks_;
    if (cal_full) ++cal_windows_;
    for (int c = 0; c < channels_; ++c) {
      const double mean = sum_[c] * inv;
      // Running window sum: add the new block, drop the one it replaces.
      wsum_[c] += mean - ring_[ring_pos_][c];
      ring_[ring_pos_][c] = mean;
      sum_[c] = 0.0;
      const double avg = wsum_[c] / static_cast<double>(filled_);
      last_avg_[c] = avg;
      if (cal_full && avg > cal_peak_[c]) cal_peak_[c] = avg;
      if (avg > running_peak_[c]) running_peak_[c] = avg;
    }
    ring_pos_ = ring_pos_ + 1 == nblocks_ ? 0 : ring_pos_ + 1;
    if (ring_pos_ == 0) {
      // Once per window, recompute the sums exactly so rounding never drifts.
      for (int c = 0; c < channels_; ++c) {
        double s = 0.0;
        for (int b = 0; b < nblocks_; ++b) s += ring_[b][c];
        wsum_[c] = s;
      }
    }
    if (!calibrated_ && !(s_.fallback_reference > 0.0)) {
      // Scales are recomputed only when a reference changed (the same
      // values: 100 / ref of the same ref), not 2 divisions per channel
      // every block.
      bool changed = false;
      for (int c = 0; c < channels_; ++c) {
        changed |= ref_[c] != running_peak_[c];
        ref_[c] = running_peak_[c];
      }
      if (changed) update_scale();
    }
  }
  void update_scale() {
    for (int c = 0; c < MaxChannels; ++c)
      scale_[c] = ref_[c] > 0.0 ? static_cast<float>(100.0 / ref_[c]) : 0.0f;
  }

  MvcSettings s_{};
  int channels_ = 0, block_ = 20, nblocks_ = 50;
  int pos_ = 0, ring_pos_ = 0, filled_ = 0, cal_blocks_ = 0, cal_windows_ = 0;
  bool calibrated_ = false, calibrating_ = false;
  // alignas(32): g++ 12.2 at -O3 vectorises reset()'s loop over these arrays
  // with aligned 16/32-byte stores whatever their offset in the object, and
  // crashed EmgProcessor<2..6>::init() (test_emg_capacities reproduces it).
  alignas(32) double sum_[MaxChannels] = {};
  alignas(32) double wsum_[MaxChannels] = {};
  alignas(32) double ring_[MaxBlocks][MaxChannels] = {};
  alignas(32) double ref_[MaxChannels] = {};
  alignas(32) double running_peak_[MaxChannels] = {};
  alignas(32) double cal_peak_[MaxChannels] = {};
  alignas(32) double last_avg_[MaxChannels] = {};
  alignas(32) float scale_[MaxChannels] = {};
};

}  // namespace soleus::emg
