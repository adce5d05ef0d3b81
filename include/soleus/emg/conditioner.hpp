// Multi-channel EMG conditioning: band-pass, mains removal with harmonics
// (tracking the real mains frequency), full-wave rectification and envelope.
//
//   raw -> band-pass 20-450 Hz (Butterworth, 4 sections) -> mains notches
//       -> conditioned EMG -> |.| -> low-pass 6 Hz (2nd order)  -> envelope
//                             or moving RMS 100 ms              -> envelope
//
// Defaults follow the published practice listed in DESIGN.md (SENIAM/ISEK
// band, pyemgpipeline/MOtoNMS envelope). Every stage reports its group delay:
// the band-pass and the notches at the band's geometric centre
// sqrt(f_low*f_high) (95 Hz by default), the envelope low-pass at DC (a 2nd-order
// Butterworth at 6 Hz: sqrt(2)/(2 pi 6) = 37.5 ms) and the moving RMS at (W-1)/2.
//
// Mains: notches at f0 and its harmonics up to the band-pass's upper edge (0.5
// Hz off at the fundamental is 4.5 Hz off at the 9th harmonic). A fixed notch
// cannot hold 30 dB at 0.5 Hz off without being ~32 Hz wide (see
// mains_tracker.hpp), so by default the notches are narrow (1 Hz at -3 dB)
// and re-tuned onto the frequency measured by MainsTracker, within
// +-mains_max_offset_hz of nominal, and only while the mains phasor is
// coherent. Re-tuning keeps the filter state (only coefficients change), at
// fixed sample indices, so block and per-frame processing stay bit-identical.
// Measured (tests/cpp/test_conditioner.cpp, fs 2 kHz, 50.5 Hz + 151.5 Hz at
// 10x the EMG's RMS): fundamental -93 dB, 3rd harmonic -56 dB after 5 s,
// envelope changed by 4.6% RMS (-1.3% in mean) against the EMG alone. A fixed
// 1 Hz notch would give -3 dB at 0.5 Hz off.
// The notches ring after strong EMG bursts (time constant 1/(pi*bandwidth)):
// on the walking recording a fixed 2 Hz notch bank delayed the detected
// offsets by ~50 ms. Hence MainsMode::detect is the default: no notch unless
// a steady 50/60 Hz component is measured.
//
// Real-time: no heap after init(); process() works in place on the caller's
// buffers. Input must be finite (EmgProcessor sanitises it first).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstring>
#include <type_traits>

#include "soleus/core/config.hpp"
#include "soleus/core/denormals.hpp"
#include "soleus/core/lanes.hpp"
#include "soleus/core/status.hpp"
#include "soleus/dsp/filter_design.hpp"
#include "soleus/dsp/moving_rms.hpp"
#include "soleus/dsp/sos_filter.hpp"
#include "soleus/dsp/sos_filter.hpp"
#include "soleus/emg/group_delay.hpp"
#include "soleus/emg/mains_tracker.hpp"

namespace soleus::emg {

enum class EnvelopeMethod { lowpass, moving_rms };

// off: no notch. fixed: notches at mains_hz (50 or 60). detect: no notch until
// the signal shows a steady 50 or 60 Hz component, then as `fixed` at that one.
enum class MainsMode { off, fixed, detect };

struct ConditionerSettings {
  double fs_hz = 2000.0;

  bool bandpass_enabled = true;
  double bandpass_low_hz = 20.0;
  double bandpass_high_hz = 450.0;
  int bandpass_order = 4;  // scipy's N: a band-pass of order 4 has 4 sections

  // detect by default: notches cost EMG (and ring after strong bursts, which
  // delays offsets: measured on the walking recording), so they are switched
  // on only when a steady 50 or 60 Hz component is actually present.
  MainsMode mains_mode = MainsMode::detect;
  double mains_hz = 50.0;
  // -3 dB width of every notch. Narrow spares the EMG; tracking keeps it on
  // target. Measured (test_conditioner, 9 notches, mains 0.5 Hz off at 10x
  // the EMG's RMS): 2 Hz -> envelope RMS change 5.9%, 1 Hz -> 4.3%, 0.5 Hz ->
  // 3.3% but a 0.64 s ring time and -3 dB only until tracking has converged.
  double mains_bandwidth_hz = 1.0;
  // Notches including the fundamental; 0 = every harmonic up to the band-pass
  // upper edge (or Nyquist without band-pass).
  int mains_harmonics = 0;
  bool mains_tracking = true;
  double mains_max_offset_hz = 1.0;      // tracking range around nominal
  double mains_tracker_block_s = 0.1;    // demodulation block
  double mains_tracker_tau_s = 1.0;      // forgetting time of the estimate
  double mains_min_coherence = 0.8;      // re-tune / detect only above this
  double mains_retune_tolerance_hz = 0.002;
  double mains_detect_power_ratio = 10.0;  // chosen frequency vs the other, power
  int mains_detect_blocks = 10;            // consecutive blocks agreeing

  EnvelopeMethod envelope = EnvelopeMethod::lowpass;
  double envelope_lowpass_hz = 6.0;
  int envelope_lowpass_order = 2;
  double envelope_rms_window_s = 0.1;
};

// Group delays of the stages, seconds. Band-pass and notches at reference_hz,
// the envelope at DC (low-pass) or the window centre (RMS).
struct StageDelays {
  double reference_hz = 0.0;
  double bandpass_s = 0.0;
  double mains_s = 0.0;
  double envelope_s = 0.0;
  double conditioned_s() const { return bandpass_s + mains_s; }
  double total_s() const { return bandpass_s + mains_s + envelope_s; }
};

template <int MaxChannels, int MaxRmsWindow = 512>
class Conditioner {
 public:
  static constexpr int kMaxBandSections = dsp::kMaxButterOrder;
  static constexpr int kMaxMainsSections = SOLEUS_MAX_SOS_SECTIONS;

  Status init(const ConditionerSettings& s, int channels) {
    if (channels < 1 || channels > MaxChannels) {
      return Status::invalid("channels: must be between 1 and MaxChannels");
    }
    if (!(s.fs_hz > 0.0) || !std::isfinite(s.fs_hz)) {
      return Status::invalid("fs_hz: sampling rate must be positive and finite");
    }
    s_ = s;
    channels_ = channels;
    det_on_ = false;
    delays_ = StageDelays{};
    delays_.reference_hz = s.bandpass_enabled ? std::sqrt(s.bandpass_low_hz * s.bandpass_high_hz)
                                              : 100.0;
    if (s.bandpass_enabled) {
      if (s.bandpass_order < 1 || s.bandpass_order > kMaxBandSections) {
        return Status::invalid("bandpass_order: must be between 1 and 10");
      }
      Result<dsp::SosList> bp = dsp::butter(s.bandpass_order, s.bandpass_low_hz,
                                            s.bandpass_high_hz, dsp::BandType::bandpass, s.fs_hz);
      if (!bp.ok()) return bp.status;
      Status st = bp_.init(bp.value, channels);
      if (!st) return st;
      delays_.bandpass_s = sos_group_delay_samples(bp.value, delays_.reference_hz, s.fs_hz) / s.fs_hz;
    }
    mains_on_ = false;
    n_trackers_ = 0;
    {
      // The notch's channel groups must match the band-pass's while mains is
      // off too: run_fused() takes unit<L>(base) of every filter for each
      // group, and an uninitialised layout indexed past its single-channel
      // units (7 channels on an SSE2 build: UBSan's "index 6 out of bounds").
      dsp::SosList pass;
      (void)pass.push_back(dsp::SosSection{});
      Status st = notch_.init(pass, channels);
      if (!st) return st;
    }
    if (s.mains_mode != MainsMode::off) {
      if (s.mains_mode == MainsMode::fixed && !(s.mains_hz > 0.0)) {
        return Status::invalid("mains_hz: must be positive (50 or 60) in fixed mode");
      }
      if (!(s.mains_bandwidth_hz > 0.0) || !(s.mains_max_offset_hz >= 0.0)) {
        return Status::invalid("mains: bandwidth must be positive and max offset >= 0");
      }
      const double nominal[2] = {s.mains_mode == MainsMode::fixed ? s.mains_hz : 50.0, 60.0};
      n_trackers_ = s.mains_mode == MainsMode::fixed ? 1 : 2;
      for (int i = 0; i < n_trackers_; ++i) {
        Status st = tracker_[i].init(nominal[i], s.fs_hz, channels, s.mains_tracker_block_s,
                                     s.mains_tracker_tau_s);
        if (!st) return st;
      }
      if (s.mains_mode == MainsMode::fixed) {
        Status st = enable_mains(s.mains_hz);
        if (!st) return st;
        active_tracker_ = 0;
      } else {
        active_tracker_ = -1;
      }
    }
    if (s.envelope == EnvelopeMethod::lowpass) {
      Result<dsp::SosList> lp = dsp::butter(s.envelope_lowpass_order, s.envelope_lowpass_hz, 0.0,
                                            dsp::BandType::lowpass, s.fs_hz);
      if (!lp.ok()) return lp.status;
      Status st = env_.init(lp.value, channels);
      if (!st) return st;
      delays_.envelope_s = sos_group_delay_samples(lp.value, 0.0, s.fs_hz) / s.fs_hz;
    } else {
      const int w = static_cast<int>(std::lround(s.envelope_rms_window_s * s.fs_hz));
      for (int c = 0; c < channels; ++c) {
        Status st = rms_[c].init(w);
        if (!st) return st;
      }
      delays_.envelope_s = rms_[0].group_delay_samples() / s.fs_hz;
    }
    reset();
    return Status::success();
  }

  // Back to the state after init(): filters zeroed, tracking restarted at nominal.
  void reset() {
    first_ = true;
    if (s_.bandpass_enabled) bp_.reset();
    if (s_.mains_mode != MainsMode::off) {
      // Back to nominal: in detect mode tracker 0 may have become the 60 Hz one.
      n_trackers_ = s_.mains_mode == MainsMode::fixed ? 1 : 2;
      const double nominal[2] = {s_.mains_mode == MainsMode::fixed ? s_.mains_hz : 50.0, 60.0};
      for (int i = 0; i < n_trackers_; ++i) {
        (void)tracker_[i].init(nominal[i], s_.fs_hz, channels_, s_.mains_tracker_block_s,
                               s_.mains_tracker_tau_s);
      }
    }
    detect_run_ = 0;
    detect_candidate_ = 0.0;
    retunes_ = 0;
    frames_ = 0;
    mains_switches_ = 0;
    mains_switch_frame_ = 0;
    if (s_.mains_mode == MainsMode::detect) {
      mains_on_ = false;
      active_tracker_ = -1;
      detected_hz_ = 0.0;
      delays_.mains_s = 0.0;
    } else if (s_.mains_mode == MainsMode::fixed) {
      if (notch_hz_ != s_.mains_hz) (void)enable_mains(s_.mains_hz);
      notch_.reset();
    }
    if (det_on_) det_.reset();
    if (s_.envelope == EnvelopeMethod::lowpass) {
      env_.reset();
    } else {
      for (int c = 0; c < channels_; ++c) rms_[c].reset();
    }
  }

  int channels() const { return channels_; }
  const ConditionerSettings& settings() const { return s_; }
  const StageDelays& delays() const { return delays_; }
  // Centre of the fundamental notch now (tracked), 0 when no notch is active.
  double mains_notch_hz() const { return mains_on_ ? notch_hz_ : 0.0; }
  // In detect mode: 50 or 60 once detected, else 0. In fixed mode: mains_hz.
  double detected_mains_hz() const {
    return s_.mains_mode == MainsMode::fixed ? s_.mains_hz : detected_hz_;
  }
  int mains_notches() const { return mains_on_ ? notch_.num_sections() : 0; }
  std::uint64_t mains_retunes() const { return retunes_; }
  // Detect mode: how often the notches were switched on since reset() (0 or
  // 1), and the frame index (since reset()) from which the output is notched.
  // Downstream statistics learned before that frame describe a signal with
  // the hum still in it (EmgProcessor re-learns the burst baseline).
  std::uint64_t mains_switches() const { return mains_switches_; }
  std::int64_t mains_switch_frame() const { return mains_switch_frame_; }
  // Mean-square mains fundamental and total band-passed power of channel c over
  // the last tracker block (0 when mains removal is off).
  double mains_power(int c) const {
    return active_tracker_ >= 0 ? tracker_[active_tracker_].mains_power(c) : 0.0;
  }
  double band_power(int c) const {
    return n_trackers_ > 0 ? tracker_[active_tracker_ >= 0 ? active_tracker_ : 0].total_power(c) : 0.0;
  }
  const MainsTracker<MaxChannels>* tracker() const {
    return active_tracker_ >= 0 ? &tracker_[active_tracker_] : nullptr;
  }

  // A second low-pass of the rectified EMG, computed alongside the envelope
  // (the burst detector's detection signal): one loop then carries both
  // single-section recurrences, which alone would each cost a full pass at
  // the recurrence's latency. Empty list: off.
  Status set_detection_lowpass(const dsp::SosList& lp) {
    det_on_ = false;
    if (lp.size() == 0) return Status::success();
    Status st = det_.init(lp, channels_);
    if (!st) return st;
    det_on_ = true;
    return Status::success();
  }
  bool detection_lowpass_on() const { return det_on_; }

  // n interleaved (n, channels) frames of finite input. Writes the conditioned
  // EMG and the envelope (both n x channels, may not alias `in`), and the
  // detection low-pass of |conditioned| when set (detection, else ignored).
  void process(const float* in, float* conditioned, float* envelope, std::size_t n,
               float* detection = nullptr) {
    if (!det_on_) detection = nullptr;
    const std::size_t C = static_cast<std::size_t>(channels_);
    if (n == 0) return;
    if (first_) {
      // Start the band-pass in its steady state for the first sample, so an
      // electrode offset does not ring through the first second as a step.
      if (s_.bandpass_enabled) bp_.reset_steady(in);
      first_ = false;
    }
    while (n > 0) {
      std::size_t m = n;
      if (n_trackers_ > 0) {
        const std::size_t left = tracker_[0].frames_to_block_end();
        if (left < m) m = left;
      }
      if (fusable()) {
        // One loop over frames for band-pass, notches, rectifier and
        // envelope (same operations per sample as the separate passes below,
        // hence the same bits).
        if (m > static_cast<std::size_t>(kFuseChunk)) m = kFuseChunk;
        ScopedFlushDenormals guard;
        float* bp_copy = n_trackers_ > 0 ? bp_buf_ : nullptr;
        run_fused(in, bp_copy, conditioned, envelope, detection, m);
        bool block_done = false;
        for (int i = 0; i < n_trackers_; ++i) block_done = tracker_[i].accumulate(bp_buf_, m);
        frames_ += static_cast<std::int64_t>(m);
        if (block_done) on_block_end();
        in += m * C;
        conditioned += m * C;
        envelope += m * C;
        if (detection) detection += m * C;
        n -= m;
        continue;
      }
      if (s_.bandpass_enabled) {
        bp_.process(in, conditioned, m);
      } else {
        std::memcpy(conditioned, in, m * C * sizeof(float));
      }
      bool block_done = false;
      for (int i = 0; i < n_trackers_; ++i) block_done = tracker_[i].accumulate(conditioned, m);
      frames_ += static_cast<std::int64_t>(m);
      if (mains_on_) notch_.process(conditioned, conditioned, m);
      if (s_.envelope == EnvelopeMethod::lowpass) {
        for (std::size_t k = 0; k < m * C; ++k) envelope[k] = std::fabs(conditioned[k]);
        env_.process(envelope, envelope, m);
      } else {
        for (std::size_t f = 0; f < m; ++f)
          for (std::size_t c = 0; c < C; ++c)
            envelope[f * C + c] = rms_[c].process(conditioned[f * C + c]);
      }
      if (detection) {
        for (std::size_t k = 0; k < m * C; ++k) detection[k] = std::fabs(conditioned[k]);
        det_.process(detection, detection, m);
        detection += m * C;
      }
      if (block_done) on_block_end();
      in += m * C;
      conditioned += m * C;
      envelope += m * C;
      n -= m;
    }
  }

 private:
  static constexpr int kFuseChunk = 64;
  static constexpr int kFuseMaxNotches = 9;
  // One channel (L = float) on a target with 16 vector registers (x86 without
  // AVX-512: the baseline and the x86-64-v3 code of the dispatching builds):
  // the default chain's 8-9 sections hold 16-18 states, more than the
  // registers, and the compiler spilled 10 of them per frame, each spill a
  // store and a reload inside a section's recurrence (objdump of
  // fused_kernel<float, 3, true>: 10 stack stores per frame under
  // -march=x86-64-v3, 2 under -march=x86-64-v4 or -march=native with
  // AVX-512's 32 registers). Band-pass in one pass over the chunk and the rest
  // in a second, each pass's states fit; every value is computed by the same
  // operations in the same order, so the output bits are unchanged.
  // The same targets under g++: no SLP vectorisation in the fused kernel.
  // g++ 12 packed four of the one-lane band-pass pass's scalar multiply-adds
  // into one 4-wide vector (shuffles in, a shuffle out, two 16-byte state
  // spills per frame: objdump of fused_kernel<float, 3, false>, x86-64-v3);
  // the scalar loop measured faster (BM_EmgChain<1>, docs/benchmarks.md,
  // bandpass19). A packed FMA rounds each lane as the scalar one does, so the
  // bits are the same either way (scripts/emg_hash.cpp: identical).
#if SOLEUS_LANES_X86 && !defined(__AVX512F__) && defined(__GNUC__) && !defined(__clang__)
#define SOLEUS_FUSED_NO_SLP __attribute__((optimize("no-tree-slp-vectorize")))
#else
#define SOLEUS_FUSED_NO_SLP
#endif
#if SOLEUS_LANES_X86 && !defined(__AVX512F__)
  static constexpr bool kTwoPassOneLane = true;
#else
  static constexpr bool kTwoPassOneLane = false;
#endif

  // The fused kernel covers the default chain: 4 band-pass sections (order
  // 4), 0-9 notches, a one-section envelope low-pass (order 2).
  bool fusable() const {
    return s_.bandpass_enabled && s_.envelope == EnvelopeMethod::lowpass && bp_.num_sections() == 4 &&
           env_.num_sections() == 1 && (!mains_on_ || notch_.num_sections() <= kFuseMaxNotches) &&
           (!det_on_ || det_.num_sections() == 1);
  }

  // Out of line (issue 13, compile time): run_fused() instantiates 20 of
  // these (0-9 notches x detection on/off) per lane width; inlined, they made
  // one huge function whose optimisation (clang's IndVarSimplify and
  // CodeGenPrepare) grows faster than its size: 44 % of the compile time of
  // every file that holds a Session (src/soleus_c.cpp under clang ASan -O1:
  // 63.5 -> 42.9 s CPU with this alone). A call per channel group per 64-frame
  // chunk costs nothing measurable, and no value crosses the call in a
  // register (state and samples go through memory), so FMA contraction and
  // the output bits are unchanged (scripts/emg_hash.cpp: identical).
  template <class L, int KN, bool Det>
  static SOLEUS_NOINLINE SOLEUS_FUSED_NO_SLP void fused_kernel(dsp::SosCascade<L, kMaxBandSections>& bp,
                                           dsp::SosCascade<L, kMaxMainsSections>& notch,
                                           dsp::SosCascade<L, kMaxBandSections>& env,
                                           dsp::SosCascade<L, kMaxBandSections>& det, const float* in,
                                           float* bp_copy, float* cond, float* envelope, float* detection,
                                           std::size_t m, std::ptrdiff_t stride) {
    using traits = lane_traits<L>;
    constexpr int KB = 4;
    // Locals: the state stays in registers for the whole block.
    L b1[KB], b2[KB], n1[KN > 0 ? KN : 1], n2[KN > 0 ? KN : 1], e1 = env.state1(0), e2 = env.state2(0);
    dsp::SosCoef<L> cb[KB], cn[KN > 0 ? KN : 1];
    const dsp::SosCoef<L> ce = env.coef(0);
    L d1 = det.state1(0), d2 = det.state2(0);
    const dsp::SosCoef<L> cd = det.coef(0);
    for (int i = 0; i < KB; ++i) {
      b1[i] = bp.state1(i);
      b2[i] = bp.state2(i);
      cb[i] = bp.coef(i);
    }
    for (int i = 0; i < KN; ++i) {
      n1[i] = notch.state1(i);
      n2[i] = notch.state2(i);
      cn[i] = notch.coef(i);
    }
    // The band-pass of frame o, then the notches, rectifier and low-passes.
    const auto band = [&](std::ptrdiff_t o) {
      L x = traits::load(in + o);
      for (int i = 0; i < KB; ++i) x = dsp::sos_section_step(cb[i], b1[i], b2[i], x);
      if (bp_copy) traits::store(x, bp_copy + o);
      return x;
    };
    const auto rest = [&](L x, std::ptrdiff_t o) {
      for (int i = 0; i < KN; ++i) x = dsp::sos_section_step(cn[i], n1[i], n2[i], x);
      traits::store(x, cond + o);
      const L r = lane_abs(x);
      traits::store(dsp::sos_section_step(ce, e1, e2, r), envelope + o);
      if constexpr (Det) traits::store(dsp::sos_section_step(cd, d1, d2, r), detection + o);
    };
    if constexpr (kTwoPassOneLane && std::is_same<L, float>::value && KN > 0) {
      // Two passes over the chunk (the band-passed frames wait in cond, in L1).
      for (std::size_t f = 0; f < m; ++f) {
        const std::ptrdiff_t o = static_cast<std::ptrdiff_t>(f) * stride;
        traits::store(band(o), cond + o);
      }
      for (std::size_t f = 0; f < m; ++f) {
        const std::ptrdiff_t o = static_cast<std::ptrdiff_t>(f) * stride;
        rest(traits::load(cond + o), o);
      }
    } else {
      for (std::size_t f = 0; f < m; ++f) {
        const std::ptrdiff_t o = static_cast<std::ptrdiff_t>(f) * stride;
        rest(band(o), o);
      }
    }
    if constexpr (Det) {
      det.state1(0) = d1;
      det.state2(0) = d2;
    }
    for (int i = 0; i < KB; ++i) {
      bp.state1(i) = b1[i];
      bp.state2(i) = b2[i];
    }
    for (int i = 0; i < KN; ++i) {
      notch.state1(i) = n1[i];
      notch.state2(i) = n2[i];
    }
    env.state1(0) = e1;
    env.state2(0) = e2;
  }
#undef SOLEUS_FUSED_NO_SLP  // used by fused_kernel only

  void run_fused(const float* in, float* bp_copy, float* cond, float* envelope, float* detection,
                 std::size_t m) {
    const int kn = mains_on_ ? notch_.num_sections() : 0;
    const std::ptrdiff_t C = channels_;
    bp_.visit_units([&](auto& ub, int base, int) {
      using L = typename std::decay_t<decltype(ub)>::lane;
      auto& un = notch_.template unit<L>(base);
      auto& ue = env_.template unit<L>(base);
      auto& ud = det_.template unit<L>(base);
      float* bc = bp_copy ? bp_copy + base : nullptr;
      switch (kn) {
#define SOLEUS_FUSED_CASE(K) \
  case K:                    \
    if (detection)             \
      fused_kernel<L, K, true>(ub, un, ue, ud, in + base, bc, cond + base, envelope + base, detection + base, m, C); \
    else                       \
      fused_kernel<L, K, false>(ub, un, ue, ud, in + base, bc, cond + base, envelope + base, nullptr, m, C); \
    break;
        SOLEUS_FUSED_CASE(0)
        SOLEUS_FUSED_CASE(1)
        SOLEUS_FUSED_CASE(2)
        SOLEUS_FUSED_CASE(3)
        SOLEUS_FUSED_CASE(4)
        SOLEUS_FUSED_CASE(5)
        SOLEUS_FUSED_CASE(6)
        SOLEUS_FUSED_CASE(7)
        SOLEUS_FUSED_CASE(8)
        SOLEUS_FUSED_CASE(9)
#undef SOLEUS_FUSED_CASE
        default:
          break;
      }
    });
  }

  int harmonics_for(double f0) const {
    const double nyq = s_.fs_hz / 2.0;
    const double top = s_.bandpass_enabled ? (s_.bandpass_high_hz < nyq ? s_.bandpass_high_hz : nyq) : nyq;
    int n = 0;
    for (int k = 1; k <= kMaxMainsSections; ++k) {
      // The notch must stay clear of Nyquist wherever tracking may move it.
      if (k * (f0 + s_.mains_max_offset_hz) + s_.mains_bandwidth_hz / 2.0 >= nyq) break;
      if (s_.mains_harmonics > 0 ? k > s_.mains_harmonics : k * f0 > top) break;
      n = k;
    }
    return n;
  }

  Status enable_mains(double f0) {
    const int nh = harmonics_for(f0);
    if (nh < 1) return Status::invalid("mains: no notch fits below Nyquist");
    Result<dsp::SosList> ms = dsp::mains_filter(f0, s_.fs_hz, s_.mains_bandwidth_hz, nh);
    if (!ms.ok()) return ms.status;
    Status st = notch_.init(ms.value, channels_);
    if (!st) return st;
    notch_hz_ = f0;
    mains_on_ = true;
    delays_.mains_s = sos_group_delay_samples(ms.value, delays_.reference_hz, s_.fs_hz) / s_.fs_hz;
    return Status::success();
  }

  // New coefficients, same state: the notch moves without restarting.
  void retune(double f0) {
    Result<dsp::SosList> ms = dsp::mains_filter(f0, s_.fs_hz, s_.mains_bandwidth_hz,
                                                notch_.num_sections());
    if (!ms.ok() || ms.value.size() != notch_.num_sections()) return;
    notch_.get_state(state_buf_);
    if (!notch_.init(ms.value, channels_)) return;
    notch_.set_state(state_buf_);
    notch_hz_ = f0;
    ++retunes_;
  }

  void on_block_end() {
    for (int i = 0; i < n_trackers_; ++i) tracker_[i].finish_block();
    if (active_tracker_ < 0) {
      // Detect mode: which of 50 / 60 Hz carries a steady, dominant sinusoid?
      const double p50 = tracker_[0].mains_power_sum(), p60 = tracker_[1].mains_power_sum();
      double cand = 0.0;
      if (tracker_[0].blocks() >= 3) {
        if (tracker_[0].coherence() >= s_.mains_min_coherence && p50 >= s_.mains_detect_power_ratio * p60) cand = 50.0;
        if (tracker_[1].coherence() >= s_.mains_min_coherence && p60 >= s_.mains_detect_power_ratio * p50) cand = 60.0;
      }
      detect_run_ = (cand != 0.0 && cand == detect_candidate_) ? detect_run_ + 1 : (cand != 0.0 ? 1 : 0);
      detect_candidate_ = cand;
      if (detect_run_ >= s_.mains_detect_blocks) {
        const int idx = cand == 50.0 ? 0 : 1;
        if (enable_mains(cand)) {
          detected_hz_ = cand;
          ++mains_switches_;
          mains_switch_frame_ = frames_;
          if (idx == 1) tracker_[0] = tracker_[1];
          n_trackers_ = 1;
          active_tracker_ = 0;
        }
        detect_run_ = 0;
      }
      return;
    }
    if (!s_.mains_tracking || !mains_on_) return;
    const MainsTracker<MaxChannels>& t = tracker_[0];
    if (t.blocks() < 3 || t.coherence() < s_.mains_min_coherence) return;
    double d = t.offset_hz();
    if (d > s_.mains_max_offset_hz) d = s_.mains_max_offset_hz;
    if (d < -s_.mains_max_offset_hz) d = -s_.mains_max_offset_hz;
    const double target = t.nominal_hz() + d;
    if (std::fabs(target - notch_hz_) > s_.mains_retune_tolerance_hz) retune(target);
  }

  ConditionerSettings s_{};
  int channels_ = 0;
  StageDelays delays_{};
  bool first_ = true;
  dsp::MultiChannelSos<float, MaxChannels, kMaxBandSections> bp_;
  dsp::MultiChannelSos<float, MaxChannels, kMaxMainsSections> notch_;
  dsp::MultiChannelSos<float, MaxChannels, kMaxBandSections> env_;
  dsp::MultiChannelSos<float, MaxChannels, kMaxBandSections> det_;
  bool det_on_ = false;
  dsp::MovingRms<float, MaxRmsWindow> rms_[MaxChannels];
  MainsTracker<MaxChannels> tracker_[2];
  int n_trackers_ = 0;
  int active_tracker_ = -1;
  bool mains_on_ = false;
  double notch_hz_ = 0.0;
  double detected_hz_ = 0.0;
  int detect_run_ = 0;
  double detect_candidate_ = 0.0;
  std::uint64_t retunes_ = 0;
  std::int64_t frames_ = 0;  // frames processed since reset()
  std::uint64_t mains_switches_ = 0;
  std::int64_t mains_switch_frame_ = 0;
  float state_buf_[2 * kMaxMainsSections * MaxChannels] = {};
  alignas(32) float bp_buf_[kFuseChunk * MaxChannels] = {};  // band-passed, for the trackers
};

}  // namespace soleus::emg
