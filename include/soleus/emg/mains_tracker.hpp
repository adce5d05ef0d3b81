// Mains frequency tracker: measures the actual mains frequency near a nominal
// 50 or 60 Hz, and the mains power of each channel, so that the notches can be
// re-tuned onto the real frequency.
//
// Why: a notch narrow enough to spare the EMG loses badly when the mains is
// off its nominal frequency (Mewett 2004). The harmonic k is off by k times the
// fundamental's error, so widening the notch does not scale: a 2nd-order notch
// needs a -3 dB width of ~32 Hz to keep 30 dB at 0.5 Hz off, which would
// remove most of the EMG band at 9 harmonics. Tracking keeps the notch narrow.
//
// How: the band-passed signal is demodulated at the nominal frequency f0 over
// blocks of L samples (default 0.1 s, an integer number of cycles of 2*f0 at
// 1 and 2 kHz, so the mirror term cancels): Z_k = sum y[n] e^{-j 2 pi f0 n/fs}.
// A mains component at f0 + d rotates Z_k by 2 pi d L/fs per block. The
// estimator sums the lag-one products Z_k conj(Z_{k-1}) over channels (which
// weights channels by their mains power and never cancels phases) with an
// exponential forgetting of time constant tau; d = arg(P) / (2 pi L / fs),
// unambiguous within +-fs/(2L) = +-5 Hz. Coherence |P| / sum |Z_k||Z_{k-1}| is
// near 1 for a steady sinusoid and small for EMG alone (random phases): the
// caller re-tunes only when it is high, so the notch never chases noise.
//
// Cost: a table lookup per frame (shared by channels) and three
// multiply-adds per channel-sample; the estimate is updated once per block.
#pragma once

#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdint>

#include "soleus/core/lanes.hpp"
#include "soleus/core/status.hpp"

namespace soleus::emg {

// MaxBlock 2048: the default 0.1 s block at the documented top EMG rate of
// 20 kHz (1024 stopped the Session at 10 244 Hz).
template <int MaxChannels, int MaxBlock = 2048>
class MainsTracker {
 public:
  Status init(double f0_hz, double fs_hz, int channels, double block_s = 0.1,
              double tau_s = 1.0) {
    if (channels < 1 || channels > MaxChannels) {
      return Status::invalid("channels: must be between 1 and the tracker's channel capacity");
    }
    if (!(fs_hz > 0.0) || !(f0_hz > 0.0) || !(f0_hz < fs_hz / 2.0)) {
      return Status::invalid("mains: frequency must be in (0, fs/2)");
    }
    if (!(block_s > 0.0) || !(tau_s >= block_s)) {
      return Status::invalid("mains tracker: need block_s > 0 and tau_s >= block_s");
    }
    f0_ = f0_hz;
    fs_ = fs_hz;
    channels_ = channels;
    block_ = static_cast<int>(std::lround(block_s * fs_hz));
    if (block_ < 4) block_ = 4;
    if (block_ > MaxBlock) return Status::capacity("mains_tracker_block_s: block_s x fs exceeds the tracker's MaxBlock samples (2048 by default)");
    alpha_ = static_cast<double>(block_) / (tau_s * fs_hz);
    // The demodulating phasor e^{-j th k} for one block, k = 0..L-1, exact
    // from the angle (no recurrence, so no loop-carried multiply per frame and
    // no drift); each block's sum is rotated by its start phase afterwards.
    const double th = 2.0 * kPi * f0_hz / fs_hz;
    for (int k = 0; k < block_; ++k) {
      const double ph = th * static_cast<double>(k);
      cos_[k] = static_cast<float>(std::cos(ph));
      sin_[k] = static_cast<float>(-std::sin(ph));
    }
    reset();
    return Status::success();
  }

  void reset() {
    n_ = 0;
    pos_ = 0;
    blocks_ = 0;
    p_ = 0.0;
    u_ = 0.0;
    q_ = 0.0;
    for (int c = 0; c < MaxChannels; ++c) {
      zr_[c] = zi_[c] = pw_[c] = 0.0f;
      prev_[c] = 0.0;
      mains_power_[c] = total_power_[c] = 0.0;
    }
  }

  double nominal_hz() const { return f0_; }
  int block_length() const { return block_; }
  // Frames left before the current block completes (>= 1).
  std::size_t frames_to_block_end() const { return static_cast<std::size_t>(block_ - pos_); }

  // Accumulates m interleaved frames (m <= frames_to_block_end()). Returns true
  // when the block is complete; the caller then calls finish_block() at the
  // point in its pipeline where the new estimate may take effect.
  bool accumulate(const float* y, std::size_t m) {
    // Compile-time channel count when every channel is in use (sums in SIMD
    // registers); the same multiply-adds in the same order either way.
    if (channels_ == MaxChannels) {
      accumulate_runs<MaxChannels>(y, m);
    } else {
      accumulate_runs<0>(y, m);
    }
    pos_ += static_cast<int>(m);
    n_ += m;
    return pos_ == block_;
  }

  // (implementation of accumulate)
 private:
  template <int NC>
  SOLEUS_ALWAYS_INLINE void accumulate_runs(const float* y, std::size_t m) {
    const int C = NC > 0 ? NC : channels_;
    // Sums in locals for the block: the compiler cannot keep members in
    // registers (y might alias them), and a sum through memory costs a
    // store-to-load round trip per frame.
    float zr[MaxChannels], zi[MaxChannels], pw[MaxChannels];
    for (int c = 0; c < C; ++c) {
      zr[c] = zr_[c];
      zi[c] = zi_[c];
      pw[c] = pw_[c];
    }
    for (std::size_t f = 0; f < m; ++f) {
      const float cr = cos_[pos_ + static_cast<int>(f)];
      const float ci = sin_[pos_ + static_cast<int>(f)];
      const float* row = y + f * static_cast<std::size_t>(C);
      for (int c = 0; c < C; ++c) {
        zr[c] = madd(row[c], cr, zr[c]);
        zi[c] = madd(row[c], ci, zi[c]);
        pw[c] = madd(row[c], row[c], pw[c]);
      }
    }
    for (int c = 0; c < C; ++c) {
      zr_[c] = zr[c];
      zi_[c] = zi[c];
      pw_[c] = pw[c];
    }
  }

 public:

  void finish_block() {
    std::complex<double> p = 0.0, u = 0.0;
    double q = 0.0;
    const double L = static_cast<double>(block_);
    // Phase of the block's first sample: the table started at angle 0.
    const std::uint64_t n0 = n_ - static_cast<std::uint64_t>(block_);
    const double cyc = f0_ * static_cast<double>(n0) / fs_;
    const std::complex<double> start = std::polar(1.0, -2.0 * kPi * (cyc - std::floor(cyc)));
    for (int c = 0; c < channels_; ++c) {
      const std::complex<double> z = std::complex<double>(zr_[c], zi_[c]) * start;
      const std::complex<double> zz = z * std::conj(prev_[c]);
      p += zz;
      q += std::abs(zz);
      prev_[c] = z;
      // A sinusoid of amplitude A gives |Z| = A L / 2; its power is A^2 / 2.
      mains_power_[c] = 2.0 * std::norm(z) / (L * L);
      total_power_[c] = static_cast<double>(pw_[c]) / L;
      zr_[c] = zi_[c] = pw_[c] = 0.0f;
    }
    // One unit phasor per block (channels pooled, so channels without mains
    // do not dilute it): a single loud block, such as an EMG burst, cannot
    // make random phases look coherent the way amplitude weighting over time
    // would let it.
    if (std::abs(p) > 0.0) u = p / std::abs(p);
    if (blocks_ >= 1) {
      const double a = blocks_ == 1 ? 1.0 : alpha_;
      p_ += a * (p - p_);
      q_ += a * (q - q_);
      u_ += a * (u - u_);
    }
    ++blocks_;
    pos_ = 0;
  }

  // Blocks with a usable lag-one product so far.
  std::int64_t blocks() const { return blocks_ > 0 ? blocks_ - 1 : 0; }
  // Offset of the measured mains frequency from the nominal one, Hz.
  double offset_hz() const {
    return std::arg(p_) * fs_ / (2.0 * kPi * static_cast<double>(block_));
  }
  // 0..1: how steady the demodulated phasor's rotation is (1 = pure sinusoid).
  // Computed from unit rotations (amplitude-independent); ~1/sqrt(tau/block)
  // for noise, -> 1 for a steady sinusoid.
  double coherence() const { return std::abs(u_); }
  // The amplitude-weighted version (dominated by the loudest blocks).
  double weighted_coherence() const { return q_ > 0.0 ? std::abs(p_) / q_ : 0.0; }
  // Power (mean square, signal units^2) of the component near f0 in channel c
  // over the last block, and the total power of that channel's input.
  double mains_power(int c) const { return mains_power_[c]; }
  double total_power(int c) const { return total_power_[c]; }
  double mains_power_sum() const {
    double s = 0.0;
    for (int c = 0; c < channels_; ++c) s += mains_power_[c];
    return s;
  }

 private:
  static constexpr double kPi = 3.14159265358979323846;
  double f0_ = 50.0, fs_ = 1000.0, alpha_ = 0.1;
  int channels_ = 1, block_ = 100, pos_ = 0;
  std::int64_t blocks_ = 0;
  std::uint64_t n_ = 0;
  std::complex<double> p_{0.0, 0.0}, u_{0.0, 0.0};
  float cos_[MaxBlock] = {}, sin_[MaxBlock] = {};
  double q_ = 0.0;
  float zr_[MaxChannels] = {}, zi_[MaxChannels] = {}, pw_[MaxChannels] = {};
  std::complex<double> prev_[MaxChannels] = {};
  double mains_power_[MaxChannels] = {}, total_power_[MaxChannels] = {};
};

}  // namespace soleus::emg
