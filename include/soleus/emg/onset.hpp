// Burst (onset/offset) detection on conditioned EMG, per channel.
//
// OnsetDetector (the library's detector):
//   conditioned EMG -> |y| (default) or Teager-Kaiser |psi|, psi[n] =
//   y[n]^2 - y[n-1] y[n+1] -> 2nd-order Butterworth low-pass (smoothing_hz)
//   = detection signal d -> double threshold with hysteresis and minimum
//   durations -> change-point timing on the unsmoothed power.
// Teager-Kaiser conditioning (Solnik et al. 2008/2010) is available:
// psi ~ amplitude^2 x sin^2(w), so it favours high frequencies. That helps
// against low-frequency backgrounds (motion, ECG) but hurts against white
// in-band noise, where it was measured worse at 10 dB and useless at 0 dB
// (tests/cpp/test_onset.cpp prints both); hence rectified is the default.
//
// Detection (Bonato 1998, Solnik 2010): T_on = mean + h * SD and the lower
// T_off = mean + h_off * SD of d at rest. A burst is confirmed when d exceeds
// T_on and stays above T_off for min_on_s; it ends when d stays at or below
// T_off for min_off_s.
//
// Timing: thresholds on a smoothed signal give a crossing time that depends
// on the burst's amplitude and on the noise. Instead, once a burst is
// confirmed, the onset is the maximum-likelihood change point of the
// unsmoothed power (y^2, or |psi|) from the rest level to the burst level,
// searched back over search_back_s before the T_on crossing in a 2048-sample
// history: the tau maximising sum_{k>=tau} (p_k - m), with m the level at
// which the Gaussian variance-change log-likelihood ratio is zero,
// m = s0 s1 ln(s1/s0) / (s1 - s0) (s0: rest power, s1: mean power of the last
// quarter of the searched span). The offset is the same estimate on the way
// down. No smoothing delay enters the estimate; event times subtract the
// conditioned signal's group delay (set_input_delay) and 1 sample for
// Teager-Kaiser: compensation_s(). The confirmation itself comes later
// (min_on_s after the T_on crossing): BurstEvent::detected_at_s says when.
//
// Baseline (mean, SD of d at rest): BaselineMode::rest takes it from a rest
// period the caller brackets with begin_rest()/end_rest() (or set_baseline());
// BaselineMode::tracked learns it over the first baseline_init_s and then
// follows slow changes with an exponential average (time constant
// baseline_tau_s) over blocks of baseline_block_s during which the channel was
// wholly inactive, with d clipped at T_on so that an undetected spike or a
// sub-threshold burst cannot inflate it. It never learns during a burst.
// Rest and burst powers for the SNR estimate are averaged over the segments
// between the change points (with 20 ms guards).
//
// Level shifts (tracked mode): a baseline that never learns during a burst
// cannot follow a step up of the resting level. Standing up after sitting
// raises the soleus' tonic activity (quiet standing ~4 %MVC against ~2 %MVC
// seated) above thresholds learned seated, and the "burst" that starts there
// would never end: every later burst merges into it. So a burst that has
// lasted level_shift_s is checked once per baseline block: if even its
// quietest baseline_init_s stretch of d (sampled at block ends) stays below
// level_shift_ratio x the rest mean, it is a new resting level, not a
// contraction. It ends there (an offset with BurstEvent::level_shift set, at
// the sample that decided it) and that stretch becomes the baseline, which
// the exponential average then refines. Contractions sit several times above
// rest (a heel raise ~5x the standing level, DESIGN.md), so they are not cut;
// a weak contraction under level_shift_ratio x rest that lasts longer than
// level_shift_s is (the price of following the resting level).
//
// Recovery (DESIGN.md: every adaptive estimate recovers). What the baseline
// learns is bounded, and a baseline that cannot be rest is re-learned
// (baselines_recovered(c); the Session reports a baseline_relearned event):
// - d enters the baseline sums clipped to [0, T_on] (baseline_sample()): the
//   smoothing filter's undershoot after a huge spike is not rest power;
// - the change-point statistic's input is clipped 60 dB above T_on
//   (kStatClipRatio): one 1e10 sample no longer swamps its prefix sums;
// - blocks 60 dB below the baseline are a lost signal (electrode off, zeros:
//   kLostSignalRatio), not rest, and are not learned; the rest segment
//   restarts where the signal returns;
// - watchdog (watch_block()): a clean 0.4 s window clearly below the baseline
//   (by the level-shift ratio and by its own h SD band) replaces it: a start
//   or restart inside a contraction costs one contraction;
// - a burst whose quietest stretch sits 40 dB above the baseline means the
//   baseline was a dead line (the recording began with zeros or an electrode
//   off: kDeadLineRatio): it ends as a level shift and that stretch becomes
//   the baseline, at once for a provisional baseline, after level_shift_s for
//   a validated one (a burst above it ended and the next clean window sat at
//   it, or the caller supplied it).
//
// Each confirmed onset and offset is pushed to a sink (any type with
// bool push(const BurstEvent&), e.g. EventQueue): the offset carries duration,
// peak and mean activation (%MVC) over the burst, measured on the activation
// signal between confirmation of the onset and of the offset.
//
// Where each part lives: the history of the unsmoothed statistic and the
// change-point search on it (the "Timing" above) in emg/change_point.hpp
// (ChangePointHistory); the baseline tracking ("Baseline", "Level shifts",
// "Recovery") and the state machine ("Detection") here, in one class: both
// read and write each channel's state at every baseline block end (the
// baseline's thresholds set the state machine's windows, the state decides
// which blocks the baseline may learn from). The classic Hodges & Bui (1996)
// detector the tests compare against lives with the tests
// (tests/cpp/hodges_bui.hpp).
//
// Real-time: no heap, fixed capacities; O(1) per channel-sample plus, per
// event, one pass over the searched span (at most 2048 samples).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "soleus/core/config.hpp"
#include "soleus/core/lanes.hpp"
#include "soleus/core/status.hpp"
#include "soleus/dsp/filter_design.hpp"
#include "soleus/dsp/sos_filter.hpp"
#include "soleus/emg/change_point.hpp"
#include "soleus/emg/group_delay.hpp"

namespace soleus::emg {

enum class BurstEdge : std::uint8_t { onset, offset };

struct BurstEvent {
  BurstEdge edge = BurstEdge::onset;
  int channel = 0;
  double time_s = 0.0;         // delay-compensated time of the onset / offset
  double detected_at_s = 0.0;  // stream time of the sample that confirmed it
  double duration_s = 0.0;     // offset events: offset minus onset time
  float peak_pct_mvc = 0.0f;   // offset events: over the burst
  float mean_pct_mvc = 0.0f;
  bool calibrated = false;     // false: activation relative to the fallback reference
  // Offset events: the burst ended because its level was found to be the new
  // resting level (see "Level shifts" above), not because activity stopped;
  // its onset marks where the resting level rose.
  bool level_shift = false;
  // Offset events, with EmgSettings::spectra enabled (emg/burst_spectra.hpp):
  // median / mean frequency of the burst (Welch over its segments), the slope
  // of the per-segment median over the burst (fatigue within a long
  // contraction), and how many segments went in. NaN / 0 otherwise.
  float median_hz = NAN;
  float mean_hz = NAN;
  float median_slope_hz_per_s = NAN;
  int spectrum_segments = 0;
};

enum class DetectionSignal { teager_kaiser, rectified };
enum class BaselineMode { tracked, rest };

// Defaults chosen by measurement (tests/cpp/test_onset.cpp prints the table):
// rectified beats Teager-Kaiser against white background noise (psi weights
// power by sin^2(w), i.e. favours the high frequencies where white noise has
// more power than EMG); a 5 Hz smoothing with h = 3 detects 0 dB bursts; the
// 100 ms minimum on-time rejects noise excursions without costing timing,
// because the onset time comes from the change-point search, not from the
// moment of confirmation.
struct OnsetSettings {
  double fs_hz = 2000.0;
  DetectionSignal signal = DetectionSignal::rectified;
  double smoothing_hz = 5.0;  // low-pass of the detection signal (Butterworth)
  int smoothing_order = 2;
  double h = 3.0;      // T_on = mean + h * SD
  double h_off = 1.5;  // T_off = mean + h_off * SD (hysteresis, h_off < h)
  double min_on_s = 0.1;
  double min_off_s = 0.05;
  BaselineMode baseline = BaselineMode::tracked;
  double baseline_init_s = 0.4;
  double baseline_tau_s = 5.0;
  double baseline_block_s = 0.01;
  double snr_tau_s = 10.0;   // forgetting time of the rest / burst power estimates
  double snr_guard_s = 0.02;  // left out on each side of a change point
  // How far before the threshold crossing the change-point search may place an
  // onset (or an offset before the fall below T_off). The history holds 2048
  // samples: search_back_s + min_on_s must fit (1 s at 2 kHz).
  double search_back_s = 0.5;
  // Re-learning the tracked baseline after the input changed character (the
  // mains notches switching on; see relearn_baseline()): the quietest
  // baseline_init_s-long stretch of this span is adopted.
  double relearn_span_s = 4.0;
  // Level shifts (tracked mode, see above): a burst at least this long whose
  // quietest baseline_init_s stretch stays below level_shift_ratio x the rest
  // mean of d becomes the new baseline. 0 disables. The ratio is one of
  // amplitudes (squared for Teager-Kaiser, whose d is a power).
  double level_shift_s = 5.0;
  double level_shift_ratio = 2.0;
};

struct BaselineStats {
  double mean = 0.0;
  double sd = 0.0;
  bool valid = false;
};

namespace detail {
// Stream time of a sample index.
inline double sample_time(double t0, std::int64_t n, double fs) {
  return t0 + static_cast<double>(n) / fs;
}
}  // namespace detail

template <int MaxChannels>
class OnsetDetector {
 public:
  static constexpr int kChunk = 64;

  Status init(const OnsetSettings& s, int channels) {
    if (channels < 1 || channels > MaxChannels) {
      return Status::invalid("channels: must be between 1 and MaxChannels");
    }
    if (!(s.fs_hz > 0.0)) return Status::invalid("fs_hz: must be positive");
    if (!(s.h > s.h_off) || !(s.h_off >= 0.0)) {
      return Status::invalid("h, h_off: need h > h_off >= 0 (hysteresis)");
    }
    if (!(s.relearn_span_s >= s.baseline_init_s) || !std::isfinite(s.relearn_span_s)) {
      return Status::invalid("onset: relearn_span_s must be finite and >= baseline_init_s");
    }
    if (!(s.level_shift_s == 0.0 || (s.level_shift_s >= s.baseline_init_s && std::isfinite(s.level_shift_s)))) {
      return Status::invalid("level_shift_s: must be 0 (off) or finite and >= baseline_init_s");
    }
    if (!(s.level_shift_ratio > 1.0) || !std::isfinite(s.level_shift_ratio)) {
      return Status::invalid("level_shift_ratio: must be finite and > 1");
    }
    if (!(s.min_on_s >= 0.0) || !(s.min_off_s >= 0.0) || !(s.baseline_init_s > 0.0) ||
        !(s.baseline_tau_s > 0.0) || !(s.baseline_block_s > 0.0)) {
      return Status::invalid("onset: durations must be >= 0 and baseline times > 0");
    }
    Result<dsp::SosList> lp = dsp::butter(s.smoothing_order, s.smoothing_hz, 0.0,
                                          dsp::BandType::lowpass, s.fs_hz);
    if (!lp.ok()) return lp.status;
    Status st = smooth_.init(lp.value, channels);
    if (!st) return st;
    smoothing_sos_ = lp.value;
    history_.init(s.signal == DetectionSignal::rectified);
    s_ = s;
    channels_ = channels;
    own_delay_s_ = sos_group_delay_samples(lp.value, 0.0, s.fs_hz) / s.fs_hz +
                   (s.signal == DetectionSignal::teager_kaiser ? 1.0 / s.fs_hz : 0.0);
    lookback_ = static_cast<std::int64_t>(std::lround(s.search_back_s * s.fs_hz));
    guard_ = static_cast<std::int64_t>(std::lround(s.snr_guard_s * s.fs_hz));
    min_on_ = static_cast<std::int64_t>(std::lround(s.min_on_s * s.fs_hz));
    min_off_ = static_cast<std::int64_t>(std::lround(s.min_off_s * s.fs_hz));
    init_n_ = static_cast<std::int64_t>(std::lround(s.baseline_init_s * s.fs_hz));
    // level_shift_ratio is an amplitude ratio; Teager-Kaiser's d is a power.
    level_shift_d_ratio_ = s.signal == DetectionSignal::teager_kaiser ? s.level_shift_ratio * s.level_shift_ratio
                                                                      : s.level_shift_ratio;
    stat_clip_ = s.signal == DetectionSignal::teager_kaiser ? kStatClipRatio * kStatClipRatio : kStatClipRatio;
    const bool tk = s.signal == DetectionSignal::teager_kaiser;  // d is a power: ratios squared
    lost_d_ratio_ = tk ? kLostSignalRatio * kLostSignalRatio : kLostSignalRatio;
    dead_line_d_ratio_ = tk ? kDeadLineRatio * kDeadLineRatio : kDeadLineRatio;
    level_shift_n_ = s.baseline == BaselineMode::tracked
                         ? static_cast<std::int64_t>(std::lround(s.level_shift_s * s.fs_hz))
                         : 0;
    block_ = static_cast<int>(std::lround(s.baseline_block_s * s.fs_hz));
    if (block_ < 1) block_ = 1;
    inv_block_ = 1.0 / static_cast<double>(block_);
    alpha_ = static_cast<double>(block_) / (s.baseline_tau_s * s.fs_hz);
    rl_window_ = static_cast<int>(std::lround(s.baseline_init_s * s.fs_hz / block_));
    if (rl_window_ < 1) rl_window_ = 1;
    if (rl_window_ > kRelearnRing) rl_window_ = kRelearnRing;
    rl_span_ = static_cast<int>(std::lround(s.relearn_span_s * s.fs_hz / block_));
    if (rl_span_ < rl_window_) rl_span_ = rl_window_;
    snr_alpha_ = static_cast<double>(block_) / (s.snr_tau_s * s.fs_hz);
    reset();
    return Status::success();
  }

  void reset() {
    smooth_.reset();
    n_ = 0;
    bpos_ = 0;
    resting_ = false;
    relearn_from_ = block_start_ = 0;
    relearned_ = 0;
    history_.reset();
    for (int c = 0; c < MaxChannels; ++c) {
      ch_[c] = Chan{};
      prev1_[c] = prev2_[c] = 0.0f;
      cum_[c] = bsum_[c] = bsq_[c] = dsum_[c] = dn_[c] = acc_[c] = accn_[c] = 0.0;
      peak_[c] = 0.0f;
      rl_[c] = Relearn{};
      ls_[c] = LevelShift{};
      watch_[c] = Watch{};
    }
    level_shifts_ = 0;
    for (auto& r : recovered_) r = 0;
    if (s_.baseline == BaselineMode::tracked) {
      for (int c = 0; c < MaxChannels; ++c) ch_[c].state = kLearning;
    }
    update_windows();
  }

  // Delay of the conditioned input (band-pass + mains) at the reference
  // frequency; event times subtract it plus own_delay_s().
  void set_input_delay(double conditioned_delay_s) { input_delay_s_ = conditioned_delay_s; }
  void set_start_time(double t0_s) { t0_ = t0_s; }
  double own_delay_s() const { return own_delay_s_; }
  // Group delay of the detection signal d (input + Teager-Kaiser + smoothing
  // at DC): how late d, and so every confirmation, runs behind the input.
  double total_delay_s() const { return input_delay_s_ + own_delay_s_; }
  // What event times subtract: the change points are found on the unsmoothed
  // power, so only the input's delay and Teager-Kaiser's sample.
  double compensation_s() const { return input_delay_s_ + teager_delay_s(); }
  double teager_delay_s() const {
    return s_.signal == DetectionSignal::teager_kaiser ? 1.0 / s_.fs_hz : 0.0;
  }
  const OnsetSettings& settings() const { return s_; }
  // The low-pass that turns |y| (or |psi|) into the detection signal d.
  const dsp::SosList& smoothing_sos() const { return smoothing_sos_; }

  // The input changes character from sample `from` on (the mains notches
  // switched on): a baseline learned before then describes another signal.
  // Hum in the baseline inflates its SD, and with it the threshold; bursts
  // below that threshold are then learned as rest and the inflated baseline
  // sustains itself. Tracked mode therefore re-learns over the next
  // relearn_span_s: the first stretch of baseline_init_s whose baseline blocks
  // were all at rest replaces the baseline if it lowers the on-threshold, and
  // so does any later stretch that is clearly quieter (so part of a
  // sub-threshold burst in the first stretch is not kept as rest). Detection
  // goes on throughout, with the thresholds of the moment. Channels still learning their first baseline restart
  // that learning at `from`. Sample-indexed, so chunking does not matter.
  void relearn_baseline(std::int64_t from) {
    if (s_.baseline != BaselineMode::tracked || resting_) return;
    for (int c = 0; c < channels_; ++c) {
      Chan& k = ch_[c];
      if (k.state == kLearning) {
        k.lsum = k.lsq = k.lstat = 0.0;
        k.ln = 0;
        relearn_from_ = from;
        continue;
      }
      Relearn& r = rl_[c];
      r = Relearn{};
      r.active = true;
      r.from = from;
    }
  }

  // Rest period (BaselineMode::rest, or to re-learn in tracked mode): while
  // resting no burst is detected; end_rest() adopts mean and SD of d.
  void begin_rest() {
    resting_ = true;
    for (int c = 0; c < channels_; ++c) {
      Chan& k = ch_[c];
      k.state = kLearning;
      k.lsum = k.lsq = k.lstat = 0.0;
      k.ln = 0;
    }
    update_windows();
  }
  Status end_rest() {
    resting_ = false;
    for (int c = 0; c < channels_; ++c) {
      if (ch_[c].ln < 2) return Status{StatusCode::not_ready, "onset: rest period too short"};
    }
    for (int c = 0; c < channels_; ++c) {
      adopt_learned(ch_[c], n_);
      ch_[c].validated = true;  // the caller says it was rest
    }
    update_windows();
    return Status::success();
  }
  Status set_baseline(int c, double mean, double sd) {
    if (c < 0 || c >= channels_) return Status::invalid("channel: out of range");
    if (!(sd >= 0.0) || !std::isfinite(mean) || !std::isfinite(sd)) {
      return Status::invalid("baseline: mean finite and sd >= 0 required");
    }
    Chan& k = ch_[c];
    k.mu = mean;
    k.nu = sd * sd + mean * mean;
    k.has_baseline = true;
    k.validated = true;
    thresholds(k);
    if (k.state == kLearning) k.state = kInactive;
    update_windows();
    return Status::success();
  }
  // How many times a relearn_baseline() span replaced a channel's baseline.
  std::uint64_t baselines_relearned() const { return relearned_; }
  // How many bursts ended as a level shift (BurstEvent::level_shift).
  std::uint64_t level_shifts() const { return level_shifts_; }
  // How many times a baseline that could not be rest was re-learned
  // (watch_block(), and a dead-line baseline in level_shift_block()).
  std::uint64_t baselines_recovered() const {
    std::uint64_t n = 0;
    for (int c = 0; c < channels_; ++c) n += recovered_[c];
    return n;
  }
  std::uint64_t baselines_recovered(int c) const { return recovered_[c]; }
  BaselineStats baseline(int c) const {
    const Chan& k = ch_[c];
    return BaselineStats{k.mu, sd_of(k), k.has_baseline};
  }
  // Signal-to-noise ratio, dB: 10 log10((P_burst - P_rest) / P_rest), with the
  // powers of the conditioned EMG averaged over the detected bursts and the
  // rest between them (segment boundaries = the change-point onset/offset
  // estimates, so neither the detection delay nor min_on/min_off mix rest into
  // bursts), exponentially over snr_tau_s. With Teager-Kaiser detection the
  // powers are Teager energies (frequency-weighted). NaN until a burst ended.
  double snr_db(int c) const {
    const Chan& k = ch_[c];
    if (!k.has_rest || !k.has_act || !(k.p_rest > 0.0)) return std::nan("");
    const double sig = k.p_act - k.p_rest;
    return 10.0 * std::log10((sig > 1e-12 * k.p_rest ? sig : 1e-12 * k.p_rest) / k.p_rest);
  }
  double rest_power(int c) const { return ch_[c].p_rest; }
  double burst_power(int c) const { return ch_[c].p_act; }
  bool active(int c) const { return ch_[c].state == kActive || ch_[c].state == kOffCandidate; }
  // Thresholds on the detection signal (its units: conditioned units^2 for
  // Teager-Kaiser, conditioned units when rectified).
  double threshold_on(int c) const { return ch_[c].t_on; }
  double threshold_off(int c) const { return ch_[c].t_off; }

  // n interleaved frames of conditioned EMG and of activation (%MVC). Events go
  // to sink.push(); det_out (optional, n x channels) receives d.
  //
  // smoothed (optional, rectified detection only): d computed by the caller
  // with smoothing_sos() on |y| from the stream's start (EmgProcessor runs it
  // inside the conditioner's loop); this detector's own smoothing then idles.
  template <class Sink>
  void process(const float* y, const float* act, std::size_t n, bool calibrated, Sink& sink,
               float* det_out = nullptr, const float* smoothed = nullptr) {
    const std::size_t C = static_cast<std::size_t>(channels_);
    if (s_.signal != DetectionSignal::rectified) smoothed = nullptr;
    while (n > 0) {
      const std::size_t m = n < static_cast<std::size_t>(kChunk) ? n : kChunk;
      condition(y, m, smoothed);
      if (smoothed) smoothed += m * C;
      if (det_out) {
        for (std::size_t k = 0; k < m * C; ++k) det_out[k] = dsig_[k];
        det_out += m * C;
      }
      // Frames (see frames()): a compile-time channel count when every
      // channel is in use, so the fast path's sums stay in SIMD registers.
      if (C == static_cast<std::size_t>(MaxChannels)) {
        frames<MaxChannels>(act, m, calibrated, sink);
      } else {
        frames<0>(act, m, calibrated, sink);
      }
      n_ += static_cast<std::int64_t>(m);
      y += m * C;
      act += m * C;
      n -= m;
    }
  }

 private:
  enum State : std::uint8_t { kLearning, kInactive, kCandidate, kActive, kOffCandidate };
  struct Chan {
    State state = kInactive;
    bool above = false;        // d > T_off since last_up
    bool has_baseline = false;
    // The baseline has been seen to be rest: a burst above it ended and the
    // next clean baseline_init_s window sat at it (not clearly below it: see
    // watch_block()), or the caller supplied it (end_rest(), set_baseline()).
    // A baseline learned at the start or after a restart is provisional: it
    // may be a contraction or a dead line (see "Recovery" above).
    bool validated = false;
    bool offset_seen = false;  // a burst ended since the baseline was set
    bool dirty = false;        // this baseline block saw a candidate or burst
    std::int64_t last_up = 0, on_cross = 0, onset = 0, off_start = 0;
    double mu = 0.0, nu = 0.0;  // mean and mean square of d at rest
    float t_on = 0.0f, t_off = 0.0f;
    double lsum = 0.0, lsq = 0.0;  // learning (init or rest)
    std::int64_t ln = 0;
    double level = 0.0;
    std::int64_t quiet_since = 0;  // end of the last burst: searches stop there
    // Power (change-point statistic) at rest and in bursts, averaged over the
    // segments between detected change points; cum is its running sum.
    double cum_on = 0.0, cum_off = 0.0, lstat = 0.0;
    std::int64_t seg_start = 0, burst_start = 0;
    double p_rest = 0.0, p_act = 0.0, seen_rest = 0.0, seen_act = 0.0;
    bool has_rest = false, has_act = false;
  };

  static double sd_of(const Chan& k) {
    const double v = k.nu - k.mu * k.mu;
    return v > 0.0 ? std::sqrt(v) : 0.0;
  }
  void thresholds(Chan& k) const {
    const double sd = sd_of(k);
    k.t_on = static_cast<float>(k.mu + s_.h * sd);
    k.t_off = static_cast<float>(k.mu + s_.h_off * sd);
  }
  void adopt_learned(Chan& k, std::int64_t now) const {
    const double inv = 1.0 / static_cast<double>(k.ln);
    k.mu = k.lsum * inv;
    k.nu = k.lsq * inv;
    k.p_rest = k.lstat * inv;
    k.has_rest = true;
    k.seen_rest = static_cast<double>(k.ln);
    k.cum_off = cum_[&k - ch_];
    k.seg_start = now;
    k.has_baseline = true;
    thresholds(k);
    k.state = kInactive;
    k.above = false;
    k.dirty = true;  // the current block mixes learning and detection
  }

  // Rest and burst levels of the change-point statistic: the conditioned
  // EMG's power (rectified) or the mean of d, which is the mean of |psi|.
  double rest_power_level(const Chan& k) const {
    return s_.signal == DetectionSignal::rectified ? k.p_rest : k.mu;
  }
  double burst_power_level(const Chan& k) const {
    const std::ptrdiff_t c = &k - ch_;
    return dn_[c] > 0.0 ? dsum_[c] / dn_[c] : rest_power_level(k);
  }

  // Exponential average of segment powers (rest gaps, bursts), each weighted
  // by its length against snr_tau_s.
  // Until snr_tau_s of segments have been seen it is their plain
  // length-weighted mean (a bias-corrected start: the first segment does not
  // dominate for tau).
  void fold_power(double mean, double len, double& p, bool& has, double& seen) const {
    seen += len;
    const double tau = s_.snr_tau_s * s_.fs_hz;
    double w = len / (seen < tau ? seen : tau);
    if (!has || w > 1.0) w = 1.0;
    has = true;
    p += w * (mean - p);
  }

  // Baseline block end: a block the channel spent wholly at rest updates the
  // exponential baseline (tracked mode).
  SOLEUS_ALWAYS_INLINE void end_block(int c) {
    Chan& k = ch_[c];
    if (s_.baseline == BaselineMode::tracked && k.has_baseline && !resting_) {
      const double inv = inv_block_;
      // Rest does not fall kLostSignalRatio below rest while
      // the electrodes are on: such a block is a lost signal, not rest.
      const bool dead = bsum_[c] * inv * lost_d_ratio_ < k.mu;
      const bool clean = !k.dirty && !dead;
      if (clean) {
        k.mu += alpha_ * (bsum_[c] * inv - k.mu);
        k.nu += alpha_ * (bsq_[c] * inv - k.nu);
        thresholds(k);
        set_window(c);
      }
      if (dead && k.state == kInactive) {
        // The rest segment of the SNR / change-point rest power restarts
        // where the signal comes back: a dead stretch is not rest power.
        k.seg_start = block_start_ + block_;
        k.cum_off = cum_[c];
      }
      watch_block(c, clean && bsum_[c] > 0.0);
    }
    if (rl_[c].active) relearn_block(c);
    bsum_[c] = bsq_[c] = 0.0;
    k.dirty = k.state != kInactive;
  }
  // Baseline watchdog (tracked mode, see "Recovery" above): the last
  // rl_window_ baseline blocks (baseline_init_s). When all were clean, their
  // mean lies below the baseline's mean by the level-shift ratio and even
  // their own upper threshold (mean + h SD) lies below the baseline's mean,
  // the baseline cannot be rest: the ratio is the level-shift rule mirrored
  // (rest and contraction differ by several times, DESIGN.md, while rest d
  // is stationary: its 0.4 s window means stay within ~SD of each other, and
  // its SD is a fraction of its mean), and the h SD band makes the window
  // clearly quieter, not one dip. Such a baseline holds activity: a start or
  // restart inside a contraction, or bursts learned as rest (the SD of a
  // baseline mixing rest and bursts is inflated, so it cannot be the test).
  // The window is adopted as the new baseline (baselines_recovered()).
  void watch_block(int c, bool clean) {
    Watch& w = watch_[c];
    Chan& k = ch_[c];
    w.sum[w.slot] = bsum_[c];
    w.sq[w.slot] = bsq_[c];
    w.slot = w.slot + 1 == rl_window_ ? 0 : w.slot + 1;
    w.clean_run = clean ? w.clean_run + 1 : 0;
    // Cheap necessary conditions first (this runs for every channel at every
    // block end): a full clean window at rest, and either a baseline waiting
    // for validation or a newest block already below mu / ratio (rest after a
    // contraction-level baseline is quiet in every block).
    const bool want_validation = k.offset_seen && !k.validated;
    const bool newest_below = bsum_[c] * level_shift_d_ratio_ < k.mu * block_;
    if (w.clean_run < rl_window_ || k.state != kInactive || !(newest_below || want_validation)) {
      w.streak = 0;
      return;
    }
    double mean = 0.0, nu = 0.0;
    const int verdict = watch_window(c, &mean, &nu);
    if (verdict != kWindowBelow) {
      w.streak = 0;
      // Rest after a burst that sits at the baseline: it is rest.
      if (verdict == kWindowAtBaseline && k.offset_seen) k.validated = true;
      return;
    }
    // Adopted once the window has qualified for half a window more: the
    // first qualifying window may still hold the end of the contraction (the
    // smoothing's decay, ~0.2 s), and adopting it would take a second step.
    if (++w.streak < (rl_window_ + 1) / 2) return;
    k.mu = mean;
    k.nu = nu;
    k.validated = k.offset_seen = false;
    thresholds(k);
    k.above = false;
    set_window(c);
    ++recovered_[c];
    w = Watch{};
  }
  enum { kWindowNotReady, kWindowAtBaseline, kWindowBelow };
  // The last rl_window_ blocks: not all clean (or the channel not at rest),
  // clearly below the baseline (see watch_block()), or consistent with it.
  int watch_window(int c, double* mean_out, double* nu_out) const {
    const auto& w = watch_[c];
    const Chan& k = ch_[c];
    if (w.clean_run < rl_window_ || k.state != kInactive) return kWindowNotReady;
    double sum = 0.0, sq = 0.0;
    for (int b = 0; b < rl_window_; ++b) {
      sum += w.sum[b];
      sq += w.sq[b];
    }
    const double inv = 1.0 / (static_cast<double>(rl_window_) * block_);
    const double mean = sum * inv, nu = sq * inv, var = nu - mean * mean;
    const double sd = std::sqrt(var > 0.0 ? var : 0.0);
    *mean_out = mean;
    *nu_out = nu;
    return mean * level_shift_d_ratio_ < k.mu && mean + s_.h * sd < k.mu ? kWindowBelow : kWindowAtBaseline;
  }
  // One baseline block of the re-learning span (see relearn_baseline()):
  // slide a window of rl_window_ blocks, keep the quietest clean one.
  void relearn_block(int c) {
    Relearn& r = rl_[c];
    Chan& k = ch_[c];
    if (block_start_ < r.from) return;  // the block began before the change
    const bool clean = k.has_baseline && !k.dirty && k.state == kInactive;
    const int slot = r.blocks % kRelearnRing;
    if (r.blocks >= rl_window_) {
      const int old = (r.blocks - rl_window_) % kRelearnRing;
      r.wsum -= r.sum[old];
      r.wsq -= r.sq[old];
      r.wdirty -= r.clean[old] ? 0 : 1;
    }
    r.sum[slot] = bsum_[c];
    r.sq[slot] = bsq_[c];
    r.clean[slot] = clean;
    r.wsum += bsum_[c];
    r.wsq += bsq_[c];
    r.wdirty += clean ? 0 : 1;
    ++r.blocks;
    if (r.blocks >= rl_window_ && r.wdirty == 0) {
      const double inv = 1.0 / (static_cast<double>(rl_window_) * block_);
      const double mean = r.wsum * inv, nu = r.wsq * inv;
      const double var = nu - mean * mean;
      const double sd = std::sqrt(var > 0.0 ? var : 0.0);
      // The first clean window, then any clearly quieter one (lower by more
      // than its SD: rest windows differ by less, a window holding part of a
      // sub-threshold burst by far more). Not the plain minimum: that is
      // biased low by the spread of window means (~1 SD over a 4 s span) and
      // gives a threshold too low.
      if (!r.found || mean < r.best_mu - r.best_sd) {
        r.found = true;
        r.best_mu = mean;
        r.best_nu = nu;
        r.best_sd = sd;
        const double t_on = mean + s_.h * sd;
        if (t_on < k.t_on && k.state == kInactive) {
          k.mu = mean;
          k.nu = nu;
          thresholds(k);
          k.above = false;
          set_window(c);  // the fast path's window follows the new thresholds
          ++relearned_;
        }
      }
    }
    if (r.blocks >= rl_span_) r.active = false;
  }
  // The offset event of channel c's burst: offset at sample `off`, confirmed
  // at sample n; duration, peak and mean activation over the burst.
  BurstEvent offset_event(int c, std::int64_t off, std::int64_t n, bool calibrated) const {
    BurstEvent e;
    e.edge = BurstEdge::offset;
    e.channel = c;
    e.time_s = detail::sample_time(t0_, off, s_.fs_hz) - compensation_s();
    e.detected_at_s = detail::sample_time(t0_, n, s_.fs_hz);
    e.duration_s = static_cast<double>(off - ch_[c].onset) / s_.fs_hz;
    e.peak_pct_mvc = peak_[c];
    e.mean_pct_mvc = accn_[c] > 0.0 ? static_cast<float>(acc_[c] / accn_[c]) : 0.0f;
    e.calibrated = calibrated;
    return e;
  }

  // Level-shift check of a burst at a baseline block end (see "Level shifts"
  // above); d: the block's last detection value, n: its sample. Sample-
  // indexed like everything else, so chunking does not matter. Returns
  // whether the channel's state changed.
  template <class Sink>
  bool level_shift_block(int c, float d, std::int64_t n, bool calibrated, Sink& sink) {
    Chan& k = ch_[c];
    if (resting_ || (k.state != kActive && k.state != kOffCandidate)) return false;
    LevelShift& L = ls_[c];
    L.wsum += d;
    L.wsq += static_cast<double>(d) * d;
    if (++L.wn == rl_window_) {
      const double mean = L.wsum / L.wn;
      if (!L.have || mean < L.best_mu) {
        L.have = true;
        L.best_mu = mean;
        L.best_nu = L.wsq / L.wn;
      }
      L.wsum = L.wsq = 0.0;
      L.wn = 0;
    }
    if (!L.have) return false;
    const bool shift = n - k.onset >= level_shift_n_ && L.best_mu < level_shift_d_ratio_ * k.mu;
    // A baseline kDeadLineRatio (40 dB) below the quietest stretch of the burst
    // over it was a dead line (a recording that starts with an electrode off
    // or zero-filled, a gain change): the resting EMG a live signal returns
    // to is never that far above it. For a provisional baseline decided as
    // soon as one stretch is seen.
    // A validated baseline needs the burst to last level_shift_s as well: a
    // maximal contraction can reach 40 dB above a quiet amplifier's floor,
    // but not for level_shift_s without its quietest stretch dipping.
    const bool dead_line = L.best_mu > dead_line_d_ratio_ * k.mu &&
                           (!k.validated || n - k.onset >= level_shift_n_);
    if (!shift && !dead_line) return false;
    BurstEvent e = offset_event(c, n, n, calibrated);
    e.level_shift = true;
    sink.push(e);
    ++level_shifts_;
    if (dead_line) ++recovered_[c];
    // The "burst" was rest at a new level: no burst power is folded; the rest
    // segment (for the SNR estimate) starts here.
    k.mu = L.best_mu;
    k.nu = L.best_nu;
    thresholds(k);
    k.state = kInactive;
    k.above = false;
    k.quiet_since = n;
    k.seg_start = n;
    k.cum_off = history_.cum_before(c, n);
    k.dirty = false;
    L = LevelShift{};
    return true;
  }

  // The fast-path window of channel c: its state cannot change while its d
  // stays in (lo, hi]. Learning channels always take the slow path.
  void set_window(int c) {
    const Chan& k = ch_[c];
    const float inf = std::numeric_limits<float>::infinity();
    float lo = inf, hi = inf;
    switch (k.state) {
      case kLearning: lo = inf; hi = inf; break;
      case kInactive:
        lo = k.above ? k.t_off : -inf;
        hi = k.above ? k.t_on : k.t_off;
        break;
      case kCandidate: case kActive: lo = k.t_off; hi = inf; break;
      case kOffCandidate: lo = -inf; hi = k.t_off; break;
    }
    lo_[c] = lo;
    hi_[c] = hi;
    ton_[c] = k.t_on;
    // The change-point statistic's input is clipped kStatClipRatio above T_on
    // (see kStatClipRatio).
    clip_[c] = k.has_baseline && k.t_on > 0.0f ? static_cast<float>(stat_clip_ * k.t_on) : inf;
    mact_[c] = k.state == kActive ? 1.0 : 0.0;
    macc_[c] = (k.state == kActive || k.state == kOffCandidate) ? 1.0 : 0.0;
  }
  // Windows of every channel and the next minimum-duration deadline.
  void update_windows() {
    std::int64_t next = std::numeric_limits<std::int64_t>::max();
    for (int c = 0; c < MaxChannels; ++c) {
      if (c >= channels_) {
        lo_[c] = -std::numeric_limits<float>::infinity();
        hi_[c] = std::numeric_limits<float>::infinity();
        mact_[c] = macc_[c] = 0.0;
        continue;
      }
      set_window(c);
      const Chan& k = ch_[c];
      if (k.state == kCandidate && k.on_cross + min_on_ < next) next = k.on_cross + min_on_;
      if (k.state == kOffCandidate && k.off_start + min_off_ < next) next = k.off_start + min_off_;
    }
    next_deadline_ = next;
  }
  // Frame by frame, channels inside (NC: compile-time channel count, 0 =
  // channels_). A frame takes the fast path when no channel's state can
  // change there: every d inside its channel's window (lo, hi] and no
  // minimum-duration deadline reached. Fast frames come in runs up to the
  // next boundary (ring entry, baseline block end, deadline) or state
  // change, with the sums in registers (the 4-cycle chains of the sums then
  // overlap across frames instead of passing through memory). The fast path
  // does the same arithmetic as step() for every state (state-dependent sums
  // masked), so both paths give the same bits.
  // Out of line (issue 13, compile time): process() holds two of these
  // (NC = MaxChannels and 0), each with two fast_run() and the state machine
  // inlined; one function for all of it cost clang's optimiser superlinear
  // time. Called once per chunk; its inputs come through memory (dsig_), so
  // the bits are unchanged (scripts/emg_hash.cpp).
  template <int NC, class Sink>
  SOLEUS_NOINLINE void frames(const float* act, std::size_t m, bool calibrated, Sink& sink) {
    const std::size_t C = NC > 0 ? static_cast<std::size_t>(NC) : static_cast<std::size_t>(channels_);
    const bool rect = s_.signal == DetectionSignal::rectified;
    for (std::size_t f = 0; f < m; ++f) {
      std::int64_t n = n_ + static_cast<std::int64_t>(f);
      const bool slow = (n >= next_deadline_) | !inside<NC>(f);
      if (!slow) {
        const std::size_t to_ring = static_cast<std::size_t>(History::kCumBlock - (n & (History::kCumBlock - 1)));
        const std::size_t to_block = static_cast<std::size_t>(block_ - bpos_);
        const std::int64_t room = next_deadline_ - n;
        std::size_t limit = m;
        if (f + to_ring < limit) limit = f + to_ring;
        if (f + to_block < limit) limit = f + to_block;
        if (room < static_cast<std::int64_t>(limit - f)) limit = f + static_cast<std::size_t>(room);
        std::size_t end = f + 1;
        while (end < limit && inside<NC>(end)) ++end;
        if (rect) {
          fast_run<NC, true>(f, end, act);
        } else {
          fast_run<NC, false>(f, end, act);
        }
        // The run's last frame continues below (ring entry, block end).
        bpos_ += static_cast<int>(end - 1 - f);
        f = end - 1;
        n = n_ + static_cast<std::int64_t>(f);
      } else {
        for (int c = 0; c < channels_; ++c) step(c, f, act, calibrated, sink);
        update_windows();
      }
      if (((n + 1) & (History::kCumBlock - 1)) == 0) {
        for (std::size_t c = 0; c < C; ++c) history_.store_cum(static_cast<int>(c), n + 1, cum_[c]);
      }
      if (++bpos_ == block_) {
        bpos_ = 0;
        block_start_ = n + 1 - block_;
        for (int c = 0; c < channels_; ++c) end_block(c);
        if (level_shift_n_ > 0) {
          bool changed = false;
          for (int c = 0; c < channels_; ++c)
            changed |= level_shift_block(c, dsig_[f * C + static_cast<std::size_t>(c)], n, calibrated, sink);
          if (changed) update_windows();
        }
      }
    }
  }

  // Every channel's d of frame f inside its window (integer mask reduction:
  // a bool one stays scalar in GCC).
  template <int NC>
  SOLEUS_ALWAYS_INLINE bool inside(std::size_t f) const {
    const std::size_t C = NC > 0 ? static_cast<std::size_t>(NC) : static_cast<std::size_t>(channels_);
    const float* d = dsig_ + f * C;
#if SOLEUS_ONSET_LANES
    if constexpr (NC > 0 && NC % 8 == 0) {
      using F8 = Lanes<float, 8>;
      bool out = false;
      for (std::size_t b = 0; b < C; b += 8) {
        const F8 x = F8::load(d + b);
        out |= lane_any(lane_le(x, F8::load(lo_ + b)) | lane_gt(x, F8::load(hi_ + b)));
      }
      return !out;
    }
#endif
    int outside = 0;
    for (std::size_t c = 0; c < C; ++c) outside |= static_cast<int>(d[c] <= lo_[c]) | static_cast<int>(d[c] > hi_[c]);
    return outside == 0;
  }

  // Fast frames [f, end): history and sums, no state change.
  template <int NC, bool Rect>
  SOLEUS_ALWAYS_INLINE void fast_run(std::size_t f, std::size_t end, const float* act) {
    const std::size_t C = NC > 0 ? static_cast<std::size_t>(NC) : static_cast<std::size_t>(channels_);
#if SOLEUS_ONSET_LANES
    if constexpr (NC > 0 && NC % 4 == 0) {
      // Four channels per register (the sums are double): the operations of
      // fast_sample() lane by lane. min(d, ton) is lane_min(d, ton) = d <
      // ton ? d : ton; a * mc is exact (mc is 0 or 1), so contraction cannot
      // change it.
      // All groups in one loop over frames: their dependency chains (one
      // add or fma per sum and frame) then overlap.
      constexpr int G = NC / 4;
      using D4 = Lanes<double, 4>;
      using F4 = Lanes<float, 4>;
      const F4 zero = F4::broadcast(0.0f);
      D4 cum[G], dsum[G], dn[G], bsum[G], bsq[G], acc[G], accn[G], ma[G], mc[G];
      F4 peak[G], ton[G];
      LaneMask<float, 4> mcf[G];
      for (int j = 0; j < G; ++j) {
        cum[j] = D4::load(cum_ + 4 * j);
        dsum[j] = D4::load(dsum_ + 4 * j);
        dn[j] = D4::load(dn_ + 4 * j);
        bsum[j] = D4::load(bsum_ + 4 * j);
        bsq[j] = D4::load(bsq_ + 4 * j);
        acc[j] = D4::load(acc_ + 4 * j);
        accn[j] = D4::load(accn_ + 4 * j);
        peak[j] = F4::load(peak_ + 4 * j);
        ma[j] = D4::load(mact_ + 4 * j);
        mc[j] = D4::load(macc_ + 4 * j);
        ton[j] = F4::load(ton_ + 4 * j);
        mcf[j] = lane_ne(lane_to_float(mc[j]), zero);
      }
      for (std::size_t g = f; g < end; ++g) {
        float* h = history_.frame(n_ + static_cast<std::int64_t>(g));
        for (int j = 0; j < G; ++j) {
          const std::size_t o = g * C + 4 * static_cast<std::size_t>(j);
          const F4 vf = F4::load(pre_ + o);
          vf.store(h + 4 * j);
          const D4 x = lane_to_double(vf);
          const D4 xs = x * ma[j];
          if constexpr (Rect) {
            cum[j] = madd(x, x, cum[j]);
            dsum[j] = madd(xs, x, dsum[j]);
          } else {
            cum[j] = cum[j] + x;
            dsum[j] = dsum[j] + xs;
          }
          // baseline_sample(): max(min(d, ton), 0) (min first, as the scalar code).
          const D4 dc = lane_to_double(lane_max(lane_min(F4::load(dsig_ + o), ton[j]), zero));
          bsum[j] = bsum[j] + dc;
          bsq[j] = madd(dc, dc, bsq[j]);
          const F4 af = F4::load(act + o);
          acc[j] = acc[j] + lane_to_double(af) * mc[j];
          peak[j] = lane_select(mcf[j] & lane_gt(af, peak[j]), af, peak[j]);
        }
      }
      // The counts dn and accn add 0 or 1 per frame: integers in double, so
      // adding len * mask once per run gives the bits of len single adds.
      const D4 len = D4::broadcast(static_cast<double>(end - f));
      for (int j = 0; j < G; ++j) {
        dn[j] = dn[j] + len * ma[j];
        accn[j] = accn[j] + len * mc[j];
      }
      for (int j = 0; j < G; ++j) {
        cum[j].store(cum_ + 4 * j);
        dsum[j].store(dsum_ + 4 * j);
        dn[j].store(dn_ + 4 * j);
        bsum[j].store(bsum_ + 4 * j);
        bsq[j].store(bsq_ + 4 * j);
        acc[j].store(acc_ + 4 * j);
        accn[j].store(accn_ + 4 * j);
        peak[j].store(peak_ + 4 * j);
      }
      return;
    }
#endif
    // Zero-filled (only the first C are used; silences -Wmaybe-uninitialized).
    double cum[MaxChannels] = {}, dsum[MaxChannels] = {}, dn[MaxChannels] = {}, bsum[MaxChannels] = {},
           bsq[MaxChannels] = {}, acc[MaxChannels] = {}, accn[MaxChannels] = {};
    float peak[MaxChannels] = {};
    for (std::size_t c = 0; c < C; ++c) {
      cum[c] = cum_[c];
      dsum[c] = dsum_[c];
      dn[c] = dn_[c];
      bsum[c] = bsum_[c];
      bsq[c] = bsq_[c];
      acc[c] = acc_[c];
      accn[c] = accn_[c];
      peak[c] = peak_[c];
    }
    for (std::size_t g = f; g < end; ++g) {
      float* h = history_.frame(n_ + static_cast<std::int64_t>(g));
      const float* v = pre_ + g * C;
      const float* d = dsig_ + g * C;
      const float* a = act + g * C;
      for (std::size_t c = 0; c < C; ++c) {
        h[c] = v[c];
        fast_sample(Rect, v[c], d[c], a[c], mact_[c], macc_[c], ton_[c], cum[c], dsum[c], dn[c], bsum[c], bsq[c],
                    acc[c], accn[c], peak[c]);
      }
    }
    for (std::size_t c = 0; c < C; ++c) {
      cum_[c] = cum[c];
      dsum_[c] = dsum[c];
      dn_[c] = dn[c];
      bsum_[c] = bsum[c];
      bsq_[c] = bsq[c];
      acc_[c] = acc[c];
      accn_[c] = accn[c];
      peak_[c] = peak[c];
    }
  }

  // One fast-path sample of one channel (no state change possible): the
  // same arithmetic as step() does in every state, state-dependent sums
  // masked by ma (kActive) and mc (kActive or kOffCandidate), so both paths
  // give the same bits.
  static SOLEUS_ALWAYS_INLINE void fast_sample(bool rect, float v, float d, float a, double ma, double mc,
                                               float ton, double& cum, double& dsum, double& dn, double& bsum,
                                               double& bsq, double& acc, double& accn, float& peak) {
    const double x = v;
    const double xs = x * ma;
    if (rect) {
      cum = madd(x, x, cum);
      dsum = madd(xs, x, dsum);
    } else {
      cum = cum + x;
      dsum = dsum + xs;
    }
    dn += ma;
    // Baseline sums run in every state: a block that was not wholly inactive
    // is discarded at its end (dirty), so only inactive samples ever count.
    const double dc = baseline_sample(d, ton);
    bsum += dc;
    bsq = madd(dc, dc, bsq);
    acc += static_cast<double>(a) * mc;
    accn += mc;
    peak = ((mc != 0.0) & (a > peak)) ? a : peak;
  }
  // What a detection value adds to the baseline sums: clipped at T_on (an
  // undetected spike or a sub-threshold burst must not inflate the baseline)
  // and at 0. d = low-passed |y| is >= 0 in truth; below 0 it is the
  // smoothing filter's undershoot after a transient (a 2nd-order Butterworth
  // undershoots by ~4 % of a step: after a 1e4 mV spike that is hundreds of
  // times the rest level), and its square inflated the baseline's SD until
  // no later burst reached the threshold (issue 12: 0 of 27 bursts).
  static SOLEUS_ALWAYS_INLINE double baseline_sample(float d, float ton) {
    const float dc = d < ton ? d : ton;
    return dc > 0.0f ? dc : 0.0f;
  }
  // Running sum of the change-point statistic, with an explicit fma so every
  // code path rounds alike.
  SOLEUS_ALWAYS_INLINE void add_stat(double& acc, float v) const {
    const double x = v;
    acc = s_.signal == DetectionSignal::rectified ? madd(x, x, acc) : acc + x;
  }

  // d for m frames: dsig_ points at it (det_, or the caller's smoothed
  // signal, read in place rather than copied).
  void condition(const float* y, std::size_t m, const float* smoothed) {
    const std::size_t C = static_cast<std::size_t>(channels_);
    const float lo = clip_min();
    int over = 0;  // an integer OR-reduction vectorises; a float max does not (NaN rules)
    if (smoothed) {
      for (std::size_t k = 0; k < m * C; ++k) {
        const float v = std::fabs(y[k]);
        pre_[k] = v;
        over |= static_cast<int>(v >= lo);
      }
      if (over) clip_pre(m);
      dsig_ = smoothed;
      return;
    }
    dsig_ = det_;
    if (s_.signal == DetectionSignal::teager_kaiser) {
      for (std::size_t f = 0; f < m; ++f) {
        for (std::size_t c = 0; c < C; ++c) {
          const float x = y[f * C + c];
          const float p1 = prev1_[c];
          det_[f * C + c] = std::fabs(p1 * p1 - prev2_[c] * x);
          prev2_[c] = p1;
          prev1_[c] = x;
        }
      }
    } else {
      for (std::size_t k = 0; k < m * C; ++k) det_[k] = std::fabs(y[k]);
    }
    for (std::size_t k = 0; k < m * C; ++k) {
      pre_[k] = det_[k];
      over |= static_cast<int>(det_[k] >= lo);
    }
    if (over) clip_pre(m);
    smooth_.process(det_, det_, m);
  }

  // The lowest channel clip: condition() runs the per-channel clip_pre()
  // only for chunks where some value reaches it (almost never).
  float clip_min() const {
    float lo = clip_[0];
    for (int c = 1; c < channels_; ++c) lo = clip_[c] < lo ? clip_[c] : lo;
    return lo;
  }
  // Clips the chunk's unsmoothed values at clip_[c] (see kStatClipRatio).
  void clip_pre(std::size_t m) {
    const std::size_t C = static_cast<std::size_t>(channels_);
    for (std::size_t f = 0; f < m; ++f)
      for (std::size_t c = 0; c < C; ++c) {
        float& v = pre_[f * C + c];
        v = v < clip_[c] ? v : clip_[c];
      }
  }

  template <class Sink>
  SOLEUS_ALWAYS_INLINE void step(int c, std::size_t f, const float* act, bool calibrated, Sink& sink) {
    const std::size_t C = static_cast<std::size_t>(channels_);
    Chan& k = ch_[c];
    const std::int64_t n = n_ + static_cast<std::int64_t>(f);
    {
      const float d = dsig_[f * C + static_cast<std::size_t>(c)];
      history_.frame(n)[c] = pre_[f * C + static_cast<std::size_t>(c)];
      add_stat(cum_[c], pre_[f * C + static_cast<std::size_t>(c)]);
      switch (k.state) {
        case kLearning:
          if (resting_ || (n >= init_n_ / 5 && n >= relearn_from_)) {  // skip the filters' first transient
            const double dl = d > 0.0f ? d : 0.0f;  // see baseline_sample()
            k.lsum += dl;
            k.lsq += dl * dl;
            k.lstat += history_.stat(pre_[f * C + static_cast<std::size_t>(c)]);
            ++k.ln;
          }
          if (!resting_ && n + 1 >= init_n_ && n + 1 >= relearn_from_ + init_n_ - init_n_ / 5 && k.ln >= 2)
            adopt_learned(k, n + 1);
          break;
        case kInactive: {
          if (d > k.t_off) {
            if (!k.above) {
              k.above = true;
              k.last_up = n;
            }
            if (d > k.t_on) {
              k.state = kCandidate;
              k.on_cross = n;
              k.dirty = true;
            }
          } else {
            k.above = false;
          }
          const double dc = baseline_sample(d, k.t_on);
          bsum_[c] += dc;
          bsq_[c] = madd(dc, dc, bsq_[c]);
          break;
        }
        case kCandidate:
          if (d <= k.t_off) {
            k.state = kInactive;
            k.above = false;
          } else if (n - k.on_cross >= min_on_) {
            k.state = kActive;
            ls_[c] = LevelShift{};
            acc_[c] = 0.0;
            accn_[c] = 0.0;
            peak_[c] = 0.0f;
            dsum_[c] = 0.0;
            dn_[c] = 0.0;
            // Onset = maximum-likelihood change point of the unsmoothed power
            // from the rest level to the burst level (see change_point).
            const std::int64_t from = k.on_cross - lookback_;
            k.onset = history_.change_point(c, n, from > k.quiet_since ? from : k.quiet_since,
                                   rest_power_level(k), true, &k.level);
            // The rest segment that just ended, for the rest power / SNR.
            // Guards of snr_guard_s on both sides of every change point keep
            // the band-pass's ringing and the timing error out of both powers.
            const std::int64_t rest_end = k.onset - guard_, burst_start = k.onset + guard_;
            if (rest_end > k.seg_start && rest_end <= n) {
              const double len = static_cast<double>(rest_end - k.seg_start);
              fold_power((history_.cum_before(c, rest_end) - k.cum_off) / len, len, k.p_rest, k.has_rest, k.seen_rest);
            }
            k.cum_on = history_.cum_before(c, burst_start <= n ? burst_start : n);
            k.burst_start = burst_start;
            BurstEvent e;
            e.edge = BurstEdge::onset;
            e.channel = c;
            e.time_s = detail::sample_time(t0_, k.onset, s_.fs_hz) - compensation_s();
            e.detected_at_s = detail::sample_time(t0_, n, s_.fs_hz);
            e.calibrated = calibrated;
            sink.push(e);
          }
          break;
        case kActive:
        case kOffCandidate: {
          const float a = act[f * C + static_cast<std::size_t>(c)];
          if (k.state == kActive) {
            add_stat(dsum_[c], pre_[f * C + static_cast<std::size_t>(c)]);
            dn_[c] += 1.0;
          }
          acc_[c] += a;
          accn_[c] += 1.0;
          if (a > peak_[c]) peak_[c] = a;
          if (k.state == kActive) {
            if (d <= k.t_off) {
              k.state = kOffCandidate;
              k.off_start = n;
            }
          } else if (d > k.t_off) {
            k.state = kActive;
          } else if (n - k.off_start >= min_off_) {
            // Same change-point estimate on the way down, from the burst's mean
            // level back to rest.
            const std::int64_t from = k.off_start - lookback_;
            const std::int64_t off = history_.change_point(c, n, from > k.onset ? from : k.onset,
                                                  burst_power_level(k), false, nullptr);
            const std::int64_t burst_end = off - guard_, rest_start = off + guard_;
            if (burst_end > k.burst_start) {
              const double len = static_cast<double>(burst_end - k.burst_start);
              fold_power((history_.cum_before(c, burst_end) - k.cum_on) / len, len, k.p_act, k.has_act, k.seen_act);
            }
            k.seg_start = rest_start <= n ? rest_start : n;
            k.cum_off = history_.cum_before(c, k.seg_start);
            sink.push(offset_event(c, off, n, calibrated));
            k.offset_seen = true;
            k.state = kInactive;
            k.above = false;
            k.quiet_since = n;
          }
          break;
        }
      }
      if (k.state != kInactive && k.state != kLearning) k.dirty = true;
    }
  }

  OnsetSettings s_{};
  int channels_ = 0;
  double own_delay_s_ = 0.0, input_delay_s_ = 0.0, t0_ = 0.0, alpha_ = 0.0, snr_alpha_ = 0.0;
  std::int64_t min_on_ = 0, min_off_ = 0, init_n_ = 0, n_ = 0;
  int block_ = 1, bpos_ = 0;
  double inv_block_ = 1.0;
  bool resting_ = false;
  // Re-learning after a change of the input (relearn_baseline()).
  static constexpr int kRelearnRing = 128;  // blocks: baseline_init_s / baseline_block_s must fit
  struct Relearn {
    bool active = false, found = false;
    std::int64_t from = 0;
    int blocks = 0, wdirty = 0;
    double wsum = 0.0, wsq = 0.0, best_mu = 0.0, best_nu = 0.0, best_sd = 0.0;
    double sum[kRelearnRing] = {}, sq[kRelearnRing] = {};
    bool clean[kRelearnRing] = {};
  };
  Relearn rl_[MaxChannels];
  int rl_window_ = 1, rl_span_ = 1;
  std::int64_t relearn_from_ = 0, block_start_ = 0;
  std::uint64_t relearned_ = 0;
  // Level shifts (level_shift_block()): the quietest baseline_init_s window
  // of block-end samples of d since the burst's onset was confirmed.
  struct LevelShift {
    double wsum = 0.0, wsq = 0.0, best_mu = 0.0, best_nu = 0.0;
    int wn = 0;
    bool have = false;
  };
  LevelShift ls_[MaxChannels] = {};
  // Baseline watchdog (watch_block()): the last rl_window_ blocks.
  struct Watch {
    int slot = 0;       // ring position of the next block
    int streak = 0;     // consecutive qualifying windows
    int clean_run = 0;  // consecutive clean blocks (a window counts once it holds rl_window_ of them)
    double sum[kRelearnRing] = {}, sq[kRelearnRing] = {};
  };
  Watch watch_[MaxChannels] = {};
  std::uint64_t recovered_[MaxChannels] = {};
  // Amplitude ratios of the recovery rules (squared in d's units for
  // Teager-Kaiser). The whole physiological range of surface EMG, from the
  // electrode-amplifier noise floor at rest (0.3-5 uV RMS) to a maximal
  // contraction (0.5-5 mV), spans about 40-70 dB, and ordinary contractions
  // sit 10-35 dB above rest (DESIGN.md; De Luca 1997; Merletti & Parker
  // 2004). A level 60 dB below the current baseline is therefore no EMG but
  // a lost signal (electrode off, a stuck or zero-filled input; the issue's
  // flat lines sit 80 dB and more below) and is not learned, even when the
  // baseline holds a contraction (then the watchdog re-learns it from the
  // rest). A live level 40 dB above a baseline says the baseline was a dead
  // line (see level_shift_block()).
  static constexpr double kLostSignalRatio = 1e3;  // 60 dB
  static constexpr double kDeadLineRatio = 1e2;    // 40 dB
  double lost_d_ratio_ = kLostSignalRatio, dead_line_d_ratio_ = kDeadLineRatio;
  std::int64_t level_shift_n_ = 0;
  double level_shift_d_ratio_ = 2.0;  // level_shift_ratio in d's units
  std::uint64_t level_shifts_ = 0;
  dsp::MultiChannelSos<float, MaxChannels, dsp::kMaxButterOrder> smooth_;
  dsp::SosList smoothing_sos_{};
  Chan ch_[MaxChannels];
  // Per-sample accumulators, structure of arrays so the fast path runs the
  // channels in SIMD lanes: running sum of the change-point statistic,
  // baseline block sums, burst level sums, activation sum / count / peak.
  alignas(32) double cum_[MaxChannels] = {};
  alignas(32) double bsum_[MaxChannels] = {};
  alignas(32) double bsq_[MaxChannels] = {};
  alignas(32) double dsum_[MaxChannels] = {};
  alignas(32) double dn_[MaxChannels] = {};
  alignas(32) double acc_[MaxChannels] = {};
  alignas(32) double accn_[MaxChannels] = {};
  alignas(32) double mact_[MaxChannels] = {};  // 1: kActive
  alignas(32) double macc_[MaxChannels] = {};  // 1: kActive or kOffCandidate
  alignas(32) float peak_[MaxChannels] = {};
  // Clip of the unsmoothed detection value entering the history and the
  // change-point sums (set_window()). Why: those sums are running prefix sums
  // in double; one sample of 1e10 mV adds 1e20 and every later rest sample
  // (~1e-4) is lost in its rounding, so onsets and the SNR went wrong for the
  // rest of the recording. The physiological range of surface EMG, from the
  // electrode-amplifier noise floor at rest (~1-5 uV RMS) to a maximal
  // contraction (~0.5-5 mV), spans under 60 dB (De Luca 1997; Merletti &
  // Parker 2004), so nothing 60 dB above the on-threshold is EMG: clipping
  // there never touches a contraction and bounds what a spike can add.
  static constexpr double kStatClipRatio = 1e3;  // amplitude (squared for Teager-Kaiser)
  double stat_clip_ = kStatClipRatio;
  float clip_[MaxChannels] = {};
  alignas(32) float lo_[MaxChannels] = {};
  alignas(32) float hi_[MaxChannels] = {};
  alignas(32) float ton_[MaxChannels] = {};
  std::int64_t next_deadline_ = 0;
  float prev1_[MaxChannels] = {}, prev2_[MaxChannels] = {};
  alignas(32) float det_[kChunk * MaxChannels] = {};
  const float* dsig_ = det_;  // d of the current chunk (det_ or the caller's)
  alignas(32) float pre_[kChunk * MaxChannels] = {};  // before smoothing
  // History of the unsmoothed statistic and the change-point search on it.
  using History = ChangePointHistory<MaxChannels>;
  History history_;
  std::int64_t lookback_ = 0, guard_ = 0;
};

}  // namespace soleus::emg
