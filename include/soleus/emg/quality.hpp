// Per-channel EMG signal quality, with hysteresis, evaluated over blocks.
//
// Flags (each raised after raise_blocks consecutive bad blocks and cleared
// after clear_blocks consecutive good ones, with a lower "good" threshold than
// the "bad" one, so a borderline channel does not flicker):
//   saturated  fraction of raw samples at or beyond the ADC range in a block
//   flat       raw peak-to-peak over a block <= flat_range (electrode off, stuck ADC)
//   mains      mains fundamental power / rest of the band-passed power (from the
//              conditioner's mains tracker; 0 when mains removal is off)
//   motion     power of the raw signal in 1-20 Hz / power in the EMG band
//              (20-450 Hz, before the notches): movement artefact and cable
//              sway live below 20 Hz
//   low_snr    burst vs rest power of the conditioned EMG (from the onset
//              detector) below snr_low_db; unknown (NaN) until both were seen
//   nonfinite  a NaN or Inf arrived in the last nonfinite_hold_s
//
// Containment: sanitize() replaces every NaN/Inf by the channel's last finite
// sample before anything else sees it (holding, not zeroing: a zero in a
// signal with an electrode offset would be a step the band-pass rings on),
// so one bad sample can never turn a filter state into NaN.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "soleus/core/denormals.hpp"
#include "soleus/core/lanes.hpp"
#include "soleus/core/status.hpp"
#include "soleus/dsp/filter_design.hpp"
#include "soleus/dsp/sos_filter.hpp"
#include "soleus/dsp/sos_filter.hpp"

namespace soleus::emg {

struct QualitySettings {
  double fs_hz = 2000.0;
  double block_s = 0.1;
  double adc_min = -std::numeric_limits<double>::infinity();  // input units
  double adc_max = std::numeric_limits<double>::infinity();
  double saturation_on = 0.01, saturation_off = 0.001;  // fraction of a block
  double flat_range = 0.0;                              // input units, peak-to-peak
  double mains_ratio_on = 1.0, mains_ratio_off = 0.5;
  double motion_ratio_on = 1.0, motion_ratio_off = 0.5;
  double motion_low_hz = 1.0, motion_high_hz = 20.0;
  double snr_low_db = 6.0, snr_ok_db = 8.0;
  int raise_blocks = 2, clear_blocks = 5;
  double nonfinite_hold_s = 1.0;
};

struct ChannelQuality {
  bool saturated = false, flat = false, mains = false, motion = false, low_snr = false,
       nonfinite = false;
  float saturation_fraction = 0.0f;  // last block
  float mains_ratio = 0.0f;          // last block
  float motion_ratio = 0.0f;         // last block
  float snr_db = std::numeric_limits<float>::quiet_NaN();
  std::uint64_t nonfinite_samples = 0;  // since reset
  std::uint64_t saturated_samples = 0;  // since reset
  bool good() const { return !(saturated || flat || mains || motion || low_snr || nonfinite); }
};

namespace detail {
// A flag with hysteresis in value (on/off thresholds) and time (block counts).
struct HysteresisFlag {
  bool on = false;
  int run = 0;
  void update(bool bad, bool good, int raise_n, int clear_n) {
    if (!on) {
      run = bad ? run + 1 : 0;
      if (run >= raise_n) {
        on = true;
        run = 0;
      }
    } else {
      run = good ? run + 1 : 0;
      if (run >= clear_n) {
        on = false;
        run = 0;
      }
    }
  }
};
}  // namespace detail

template <int MaxChannels>
class QualityMonitor {
 public:
  Status init(const QualitySettings& s, int channels) {
    if (channels < 1 || channels > MaxChannels) {
      return Status::invalid("channels: must be between 1 and MaxChannels");
    }
    if (!(s.fs_hz > 0.0) || !(s.block_s > 0.0)) return Status::invalid("quality: fs and block must be > 0");
    // The 1-20 Hz band is measured on the raw signal decimated to ~200 Hz by
    // block means (a 10th of the cost; the block mean's own low-pass and the
    // 4th-order band-pass keep EMG and mains out): 4th order puts 50 Hz mains
    // 32 dB down.
    decim_ = static_cast<int>(std::lround(s.fs_hz / 200.0));
    if (decim_ < 1) decim_ = 1;
    const double fs_dec = s.fs_hz / decim_;
    if (!(s.motion_high_hz < fs_dec / 2.0)) return Status::invalid("motion_high_hz: above the decimated Nyquist");
    Result<dsp::SosList> bp = dsp::butter(4, s.motion_low_hz, s.motion_high_hz,
                                          dsp::BandType::bandpass, fs_dec);
    if (!bp.ok()) return bp.status;
    Status st = motion_.init(bp.value, channels);
    if (!st) return st;
    s_ = s;
    channels_ = channels;
    block_ = static_cast<int>(std::lround(s.block_s * s.fs_hz));
    if (block_ < 1) block_ = 1;
    hold_n_ = static_cast<std::int64_t>(std::lround(s.nonfinite_hold_s * s.fs_hz));
    lo_ = static_cast<float>(s.adc_min);
    hi_ = static_cast<float>(s.adc_max);
    reset();
    return Status::success();
  }
  void reset() {
    motion_.reset();
    first_ = true;
    dpos_ = 0;
    pm_n_ = 0;
    pos_ = 0;
    n_ = 0;
    for (int c = 0; c < MaxChannels; ++c) {
      q_[c] = ChannelQuality{};
      last_good_[c] = 0.0f;
      last_bad_[c] = -1;
      dec_[c] = 0.0f;
      clear_block(c);
      fsat_[c] = fflat_[c] = fmains_[c] = fmotion_[c] = fsnr_[c] = detail::HysteresisFlag{};
    }
  }
  int block_length() const { return block_; }
  std::size_t frames_to_block_end() const { return static_cast<std::size_t>(block_ - pos_); }
  const ChannelQuality& channel(int c) const { return q_[c]; }

  // Copies n frames into out with every NaN/Inf replaced by the channel's last
  // finite value; counts them and saturated samples. Returns the number replaced.
  std::size_t sanitize(const float* in, float* out, std::size_t n) {
    const std::size_t C = static_cast<std::size_t>(channels_);
    if (n == 0) return 0;
    // Common case first: every sample finite (one branch-free pass, SIMD),
    // then a plain copy; the per-sample containment below only runs for a
    // chunk that has a bad sample.
    // Integer mask reduction: GCC keeps a bool `&=` reduction scalar (one
    // compare and branch-free merge per sample, measured ~0.6 ns per
    // channel-sample at 8 channels); an int OR reduction runs in SIMD lanes.
    int bad_mask = 0;
    for (std::size_t k = 0; k < n * C; ++k)
      bad_mask |= static_cast<int>(!(std::fabs(in[k]) <= std::numeric_limits<float>::max()));
    if (SOLEUS_LIKELY(bad_mask == 0)) {
      if (out != in) std::memcpy(out, in, n * C * sizeof(float));
      for (std::size_t c = 0; c < C; ++c) last_good_[c] = in[(n - 1) * C + c];
      return 0;
    }
    std::size_t bad = 0;
    for (std::size_t f = 0; f < n; ++f) {
      for (std::size_t c = 0; c < C; ++c) {
        float x = in[f * C + c];
        if (SOLEUS_UNLIKELY(!std::isfinite(x))) {
          x = last_good_[c];
          ++q_[c].nonfinite_samples;
          last_bad_[c] = n_ + static_cast<std::int64_t>(f);
          ++bad;
        } else {
          last_good_[c] = x;
        }
        out[f * C + c] = x;
      }
    }
    return bad;
  }

  // Accumulates n frames (n <= frames_to_block_end()) of the sanitised raw
  // input and the conditioned EMG; when block_complete(), call end_block().
  void observe(const float* raw, const float* conditioned, std::size_t n) {
    if (first_) {
      motion_.reset_steady(raw);
      first_ = false;
    }
    // A compile-time channel count when all channels are in use (the usual
    // case): the per-channel sums then live in SIMD registers for a run of
    // frames up to the next decimation point instead of going through memory
    // every frame. Same operations in the same order per channel either way.
    ScopedFlushDenormals guard;
    if (channels_ == MaxChannels) {
      observe_runs<MaxChannels>(raw, conditioned, n);
    } else {
      observe_runs<0>(raw, conditioned, n);
    }
    pos_ += static_cast<int>(n);
    n_ += static_cast<std::int64_t>(n);
  }
  bool block_complete() const { return pos_ >= block_; }

  // Evaluates the block: mains_power / band_power from the conditioner, snr_db
  // from the onset detector (NaN when unknown), one value per channel.
  template <class MainsFn, class BandFn, class SnrFn>
  void end_block(MainsFn mains_power, BandFn band_power, SnrFn snr_db) {
    const int rn = s_.raise_blocks, cn = s_.clear_blocks;
    for (int c = 0; c < channels_; ++c) {
      ChannelQuality& q = q_[c];
      const double frac = static_cast<double>(sat_[c]) / pos_;
      q.saturated_samples += sat_[c];
      q.saturation_fraction = static_cast<float>(frac);
      fsat_[c].update(frac >= s_.saturation_on, frac < s_.saturation_off, rn, cn);
      const bool flat = (max_[c] - min_[c]) <= static_cast<float>(s_.flat_range);
      fflat_[c].update(flat, !flat, rn, cn);
      const double pmn = mains_power(c), pb = band_power(c);
      const double rest = pb - pmn;
      const double mr = pmn > 0.0 ? (rest > 1e-30 ? pmn / rest : 1e30) : 0.0;
      q.mains_ratio = static_cast<float>(mr);
      fmains_[c].update(mr >= s_.mains_ratio_on, mr < s_.mains_ratio_off, rn, cn);
      // Against the band-passed power before the notches when the mains
      // tracker measures it (so strong mains, which the 1-20 Hz filter does
      // not fully reject, cannot pose as motion), else the conditioned power.
      const double lf = pm_n_ > 0 ? static_cast<double>(pm_[c]) / pm_n_ : 0.0;
      const double den = pb > 0.0 ? pb : static_cast<double>(py_[c]) / pos_;
      const double mo = den > 0.0 ? lf / den : (lf > 0.0 ? 1e30 : 0.0);
      q.motion_ratio = static_cast<float>(mo);
      fmotion_[c].update(mo >= s_.motion_ratio_on, mo < s_.motion_ratio_off, rn, cn);
      const double snr = snr_db(c);
      q.snr_db = static_cast<float>(snr);
      const bool known = std::isfinite(snr);
      fsnr_[c].update(known && snr < s_.snr_low_db, !known || snr > s_.snr_ok_db, rn, cn);
      q.saturated = fsat_[c].on;
      q.flat = fflat_[c].on;
      q.mains = fmains_[c].on;
      q.motion = fmotion_[c].on;
      q.low_snr = fsnr_[c].on;
      q.nonfinite = last_bad_[c] >= 0 && n_ - last_bad_[c] <= hold_n_;
      clear_block(c);
    }
    pos_ = 0;
  }

 private:
  template <int NC>
  SOLEUS_ALWAYS_INLINE void observe_runs(const float* raw, const float* conditioned, std::size_t n) {
    const std::size_t C = NC > 0 ? static_cast<std::size_t>(NC) : static_cast<std::size_t>(channels_);
    const float lo = lo_, hi = hi_;
    std::size_t f = 0;
    while (f < n) {
      const std::size_t to_dec = static_cast<std::size_t>(decim_ - dpos_);
      const std::size_t e = n - f < to_dec ? n : f + to_dec;
      std::uint32_t sat[MaxChannels];
      float mn[MaxChannels], mx[MaxChannels], dec[MaxChannels], py[MaxChannels];
      for (std::size_t c = 0; c < C; ++c) {
        sat[c] = sat_[c];
        mn[c] = min_[c];
        mx[c] = max_[c];
        dec[c] = dec_[c];
        py[c] = py_[c];
      }
#if SOLEUS_LANES_NATIVE_256
      if constexpr (NC > 0 && NC % 8 == 0) {
        // Eight channels per lane register: the same per-channel operations
        // (min/max as x < m ? x : m, the count as 0/1 per sample, float
        // adds and the square as a separate multiply), so the same bits.
        using F8 = Lanes<float, 8>;
        using U8 = Lanes<std::uint32_t, 8>;
        const F8 vhi = F8::broadcast(hi), vlo = F8::broadcast(lo);
        for (std::size_t b = 0; b < C; b += 8) {
          U8 vs = U8::load(sat + b);
          F8 vmn = F8::load(mn + b), vmx = F8::load(mx + b);
          F8 vdec = F8::load(dec + b), vpy = F8::load(py + b);
          for (std::size_t g = f; g < e; ++g) {
            const F8 x = F8::load(raw + g * C + b);
            const F8 y = F8::load(conditioned + g * C + b);
            vs = lane_count_where(vs, lane_ge(x, vhi) | lane_le(x, vlo));
            vmn = lane_min(x, vmn);  // x < m ? x : m
            vmx = lane_max(x, vmx);  // x > m ? x : m
            vdec = vdec + x;
            vpy = vpy + y * y;
          }
          vs.store(sat + b);
          vmn.store(mn + b);
          vmx.store(mx + b);
          vdec.store(dec + b);
          vpy.store(py + b);
        }
      } else
#endif
      for (std::size_t g = f; g < e; ++g) {
        const float* r = raw + g * C;
        const float* y = conditioned + g * C;
        for (std::size_t c = 0; c < C; ++c) {
          const float x = r[c];
          // Bitwise, not ||: a short-circuit branch per sample keeps the
          // loop scalar.
          sat[c] += static_cast<std::uint32_t>(x >= hi) | static_cast<std::uint32_t>(x <= lo);
          mn[c] = x < mn[c] ? x : mn[c];
          mx[c] = x > mx[c] ? x : mx[c];
          dec[c] += x;
          py[c] += y[c] * y[c];
        }
      }
      for (std::size_t c = 0; c < C; ++c) {
        sat_[c] = sat[c];
        min_[c] = mn[c];
        max_[c] = mx[c];
        dec_[c] = dec[c];
        py_[c] = py[c];
      }
      dpos_ += static_cast<int>(e - f);
      f = e;
      if (dpos_ == decim_) {
        dpos_ = 0;
        const float inv = 1.0f / static_cast<float>(decim_);
        for (std::size_t c = 0; c < C; ++c) {
          dec_[c] *= inv;
        }
        // The per-frame call (the same arithmetic as a block of one, without
        // a block call's set-up); observe() holds the denormal guard.
        motion_.process_frame(dec_, dec_);
        for (std::size_t c = 0; c < C; ++c) {
          pm_[c] += dec_[c] * dec_[c];
          dec_[c] = 0.0f;
        }
        ++pm_n_;
      }
    }
  }

  void clear_block(int c) {
    sat_[c] = 0;
    min_[c] = std::numeric_limits<float>::infinity();
    max_[c] = -std::numeric_limits<float>::infinity();
    pm_[c] = py_[c] = 0.0f;
    if (c == channels_ - 1) pm_n_ = 0;
  }

  QualitySettings s_{};
  int channels_ = 0, block_ = 200, pos_ = 0;
  std::int64_t n_ = 0, hold_n_ = 0;
  bool first_ = true;
  float lo_ = 0.0f, hi_ = 0.0f;
  dsp::MultiChannelSos<float, MaxChannels, dsp::kMaxButterOrder> motion_;
  ChannelQuality q_[MaxChannels];
  float last_good_[MaxChannels] = {};
  std::int64_t last_bad_[MaxChannels] = {};
  std::uint32_t sat_[MaxChannels] = {};
  float min_[MaxChannels] = {}, max_[MaxChannels] = {};
  // Block sums in float: a block is ~200 samples, far inside float precision.
  float pm_[MaxChannels] = {}, py_[MaxChannels] = {};
  float dec_[MaxChannels] = {};
  int decim_ = 1, dpos_ = 0, pm_n_ = 0;
  detail::HysteresisFlag fsat_[MaxChannels], fflat_[MaxChannels], fmains_[MaxChannels],
      fmotion_[MaxChannels], fsnr_[MaxChannels];
};

}  // namespace soleus::emg
