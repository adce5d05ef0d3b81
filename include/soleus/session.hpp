// Session: the one streaming object an app or a firmware holds. It composes
// the EMG chain (emg::EmgProcessor: conditioning, %MVC, bursts, quality) and
// the IMU repetition chain (reps::ImuRepCounter: orientation, sagittal axis,
// plantar-flexion angle, reps and sets, per-phase EMG statistics) and the
// IMU's activity layer (imu/activity.hpp: strides, ankle pumps), checks every time stamp, contains
// bad samples, tracks daily calf-pump activity (EMG bursts, completed heel
// raises, walking strides and ankle pumps) and delivers everything as events from one
// fixed-capacity queue.
//
//   SessionConfig cfg;                      // published defaults (README table)
//   cfg.emg_channels = 2; ...
//   static soleus::Session<8> s;            // fixed capacities, no heap
//   if (Status st = s.init(cfg); !st) log(st.message);   // names the bad field
//   s.push_emg(t, frame);  s.push_imu(t, acc, gyro);     // as samples arrive
//   SessionEvent e; while (s.poll(e)) handle(e);
//
// Time: every sample carries its own time stamp (seconds, any origin; EMG and
// IMU on the same clock). Each stream has its own nominal rate; gaps,
// duplicate and out-of-order stamps, clock resets and rate drift are detected
// (session/clock.hpp), each reported once as a fault event, and the session
// resynchronises: duplicates and out-of-order samples are dropped, a clock
// that went back for good is re-anchored, a gap longer than
// emg_restart_gap_s restarts the EMG filters (keeping the MVC calibration),
// and EMG event times are mapped to the stamps of the samples that produced
// them, so rate drift does not accumulate into event times.
//
// Bad values: NaN/Inf EMG samples are held at the channel's last finite value
// (emg/quality.hpp) and NaN/Inf IMU samples are dropped before any filter sees
// them; saturated samples (at or beyond the configured range) are flagged.
// Each episode is reported once per channel (an episode ends after
// fault_clear_s without a bad sample).
//
// Thread safety: none inside (no locks, no atomics, real-time friendly). One
// thread owns the session: every push, poll, getter and init happen on that
// thread. An interrupt or a radio callback hands samples over through the
// caller's own single-producer ring (examples/firmware_loop.cpp).
//
// No heap after construction: all storage is members sized by the template
// parameters; the object is large (hundreds of kB with 8 channels): give it
// static storage or allocate it once. Streaming equals offline: any split of
// the input into blocks gives the same events, bit for bit.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "soleus/core/denormals.hpp"
#include "soleus/core/event_queue.hpp"
#include "soleus/core/status.hpp"
#include "soleus/emg/processor.hpp"
#include "soleus/imu/activity.hpp"
#include "soleus/reps/imu_reps.hpp"
#include "soleus/session/activity.hpp"
#include "soleus/session/clock.hpp"

// Channel descriptors a SessionConfig can hold (the Session's own capacity is
// its MaxEmgChannels template parameter, at most this).
#ifndef SOLEUS_SESSION_MAX_CHANNELS
#define SOLEUS_SESSION_MAX_CHANNELS 16
#endif

namespace soleus {

enum class Muscle : std::uint8_t {
  soleus = 0,
  gastrocnemius_medialis = 1,
  gastrocnemius_lateralis = 2,
  tibialis_anterior = 3,
  other = 4,
};

// Triceps surae: the calf pump.
inline bool is_calf_pump(Muscle m) {
  return m == Muscle::soleus || m == Muscle::gastrocnemius_medialis || m == Muscle::gastrocnemius_lateralis;
}

struct EmgChannelConfig {
  char name[16] = "";
  Muscle muscle = Muscle::other;
};

struct SessionConfig {
  // ---- EMG (0..MaxEmgChannels channels, interleaved frames, input units)
  int emg_channels = 1;
  EmgChannelConfig channel[SOLEUS_SESSION_MAX_CHANNELS] = {{"soleus", Muscle::soleus}};
  double emg_rate_hz = 2000.0;
  // |x| >= emg_range is saturated (input units, the ADC's full scale); inf = off.
  double emg_range = std::numeric_limits<double>::infinity();
  // Chain settings (band-pass, mains, envelope, %MVC, bursts, quality);
  // emg.fs_hz and emg.quality.adc_min/max are overridden by the fields above.
  emg::EmgSettings emg{};

  // ---- IMU (zero or one; acc m/s^2 or g, gyro deg/s or rad/s per imu_reps.imu.orientation)
  bool imu_enabled = true;
  double imu_rate_hz = 100.0;
  double imu_acc_range = 16.0 * 9.80665;  // |component| >= this is saturated (acc units)
  double imu_gyro_range = 2000.0;         // |component| >= this is saturated (gyro units)
  // The repetition chain (orientation, axis, angle, segmenter, sets, EMG
  // hook); segmenter.sample_rate_hz and emg_channels are set from this config.
  reps::ImuRepConfig imu_reps{};

  // ---- time stamps (session/clock.hpp)
  double gap_factor = 1.5;           // step > gap_factor x nominal period: gap
  double drift_tolerance = 0.01;     // |measured / nominal rate - 1| above this: drift
  double drift_window_s = 10.0;      // rate measured over this much gap-free time
  int resync_after_samples = 16;     // consecutive backward stamps: the clock was reset
  double emg_restart_gap_s = 1.0;    // longer EMG gaps restart the EMG filters
  // Every n-th EMG frame feeds the per-rep EMG statistics (imu_reps' hook,
  // 10 ms bins): 4 at 2 kHz = 500 Hz, plenty for a 6 Hz envelope mean and an
  // RMS estimate, and a quarter of the cost. 1 = every frame.
  int emg_stats_decimation = 4;
  double fault_clear_s = 1.0;        // a NaN / saturation episode ends after this long clean

  // ---- daily calf-pump activity
  double inactivity_alert_s = 3600.0;  // inactivity event after this long without activity
  // Bursts shorter than this are not calf-pump activity (noise excursions,
  // twitches); a burst counts once it has lasted this long.
  double activity_min_burst_s = 0.5;
  // Walking and ankle pumps are calf-pump work: the IMU activity layer's
  // active intervals (strides bridged while walking, pump cycles) count like
  // bursts. Its gyro_unit and acc_scale are set from imu_reps.imu.orientation.
  imu::ActivitySettings imu_activity{};
  // A completed rep counts as calf-pump activity from this range of motion
  // (degrees of the sensor's segment): a heel raise moves the foot 5-60 deg
  // (DESIGN.md), while seated or standing fidgets of 2-4 deg, which the rep
  // engine may report as small reps, are no calf-pump work. For a shank
  // sensor (a fifth to a third of the foot's range) use about 1.5.
  double activity_min_rep_rom_deg = 5.0;

  // What is wrong, naming the field; success when the config is usable.
  // The EMG chain's settings as init() derives them: emg with the rate, the
  // clock zero and the ADC range of the fields above (the bindings replay it
  // to name the emg={...} setting the chain refused).
  emg::EmgSettings emg_chain_settings() const {
    emg::EmgSettings es = emg;
    es.fs_hz = emg_rate_hz;
    es.start_time_s = 0.0;
    es.quality.adc_min = -emg_range;
    es.quality.adc_max = emg_range;
    return es;
  }

  Status validate() const {
    if (emg_channels < 0 || emg_channels > SOLEUS_SESSION_MAX_CHANNELS)
      return Status::invalid("emg_channels: must be within 0..SOLEUS_SESSION_MAX_CHANNELS");
    if (emg_channels == 0 && !imu_enabled)
      return Status::invalid("emg_channels, imu_enabled: the session needs EMG channels or an IMU");
    for (int c = 0; c < emg_channels; ++c) {
      if (static_cast<int>(channel[c].muscle) > static_cast<int>(Muscle::other))
        return Status::invalid("channel[].muscle: not a Muscle value");
      if (std::memchr(channel[c].name, '\0', sizeof channel[c].name) == nullptr)
        return Status::invalid("channel[].name: must be NUL-terminated (15 characters at most)");
    }
    if (emg_channels > 0 && !(emg_rate_hz >= 500.0 && emg_rate_hz <= 20000.0))
      return Status::invalid("emg_rate_hz: must be within 500..20000 Hz");
    // The band-pass needs its upper edge below Nyquist: with the default 450
    // Hz edge the rate must exceed 900 Hz. Checked here, naming both fields,
    // so validate() and init() agree (init used to fail with "Wn: ...").
    if (emg_channels > 0 && emg.conditioner.bandpass_enabled &&
        !(emg.conditioner.bandpass_high_hz < 0.5 * emg_rate_hz))
      return Status::invalid("emg_rate_hz: must be above 2 x emg bandpass_high_hz (450 Hz by default: above 900 Hz)");
    if (!(emg_range > 0.0)) return Status::invalid("emg_range: must be > 0 (inf = no saturation check)");
    if (imu_enabled && !(imu_rate_hz >= 10.0 && imu_rate_hz <= 2000.0))
      return Status::invalid("imu_rate_hz: must be within 10..2000 Hz");
    if (!(imu_acc_range > 0.0)) return Status::invalid("imu_acc_range: must be > 0");
    if (!(imu_gyro_range > 0.0)) return Status::invalid("imu_gyro_range: must be > 0");
    if (!(gap_factor > 1.0 && gap_factor < 1000.0)) return Status::invalid("gap_factor: must be within (1, 1000)");
    if (!(drift_tolerance > 0.0 && drift_tolerance < 0.5))
      return Status::invalid("drift_tolerance: must be within (0, 0.5)");
    if (!(drift_window_s > 0.0 && std::isfinite(drift_window_s)))
      return Status::invalid("drift_window_s: must be > 0 and finite");
    if (resync_after_samples < 1) return Status::invalid("resync_after_samples: must be >= 1");
    if (emg_stats_decimation < 1 || emg_stats_decimation > 64)
      return Status::invalid("emg_stats_decimation: must be within 1..64");
    if (!(emg_restart_gap_s > 0.0)) return Status::invalid("emg_restart_gap_s: must be > 0");
    if (!(fault_clear_s >= 0.0 && std::isfinite(fault_clear_s)))
      return Status::invalid("fault_clear_s: must be >= 0 and finite");
    if (!(inactivity_alert_s > 0.0)) return Status::invalid("inactivity_alert_s: must be > 0");
    if (!(activity_min_rep_rom_deg >= 0.0)) return Status::invalid("activity_min_rep_rom_deg: must be >= 0");
    if (!(activity_min_burst_s >= 0.0 && std::isfinite(activity_min_burst_s)))
      return Status::invalid("activity_min_burst_s: must be >= 0 and finite");
    return Status::success();
  }
};

// The published defaults, as a named constant (README, "Session and C API").
inline const SessionConfig kDefaultSessionConfig{};

enum class SessionEventType : std::uint8_t {
  // Repetitions, in reps::EventType's order (same numbers).
  rep_started = 0,
  top_reached = 1,
  lowering_started = 2,
  rep_completed = 3,   // rep + emg (per-phase statistics)
  hold_completed = 4,  // an isometric hold: rep + emg
  rep_rejected = 5,
  rest_measured = 6,
  set_completed = 7,   // set
  // EMG
  burst_onset = 8,     // burst (time_s delay-compensated, on the stream clock), channel
  burst_offset = 9,
  // Input faults, each reported once: fault
  fault = 10,
  // Daily activity
  inactivity = 11,        // value = inactive seconds (>= inactivity_alert_s)
  activity_resumed = 12,  // value = length of the inactive stretch that ended
  axis_found = 13,        // the IMU's sagittal axis is known (see imu_state())
  events_dropped = 14,    // the queue was full: value = events lost since the last report
  // The EMG burst detector's rest baseline of `channel` could not be rest (a
  // start or restart inside a contraction, a dead line) and was re-learned
  // (emg/onset.hpp, "Recovery"); value = how many times so far on that channel.
  baseline_relearned = 15,
  // rep (same index as an earlier rep_completed / hold_completed) with its
  // heel contact re-timed once the rest after the rebound settled: end_s,
  // eccentric_s and the eccentric speeds (reps::EventType::rep_refined,
  // segmenter.hpp "heel contact"). emg keeps the rep_completed statistics.
  rep_refined = 16,
};

struct FaultInfo {
  StreamId stream = StreamId::emg;
  FaultKind kind = FaultKind::gap;
  int channel = -1;    // EMG channel for nonfinite / saturated, else -1
  double value = 0.0;  // gap: missing s; rate_drift: measured Hz; clock_reset: backward jump s;
                       // bad_timestamp: the stamp (0 when NaN/Inf)
};

template <int MaxEmgChannels>
struct BasicSessionEvent {
  SessionEventType type = SessionEventType::fault;
  double t_s = 0.0;   // when it happened (rep / burst events: delay-compensated times are inside)
  int channel = -1;   // burst events
  double value = 0.0; // inactivity, activity_resumed, events_dropped
  reps::Rep rep{};
  reps::SetSummary set{};
  reps::RepEmgStats<MaxEmgChannels> emg{};
  emg::BurstEvent burst{};
  FaultInfo fault{};
};

// Threads: a Session has one owner thread. init, the pushes, poll and every
// accessor must be called from it (or serialised by the caller's own mutex);
// it takes no lock itself, so real-time pushes never block. The Python
// binding guards each object (python/src/bindings.hpp, ObjectGuard).
template <int MaxEmgChannels = 8, int QueueCapacity = 256>
class Session {
  static_assert(MaxEmgChannels >= 1 && MaxEmgChannels <= SOLEUS_SESSION_MAX_CHANNELS, "MaxEmgChannels out of range");
  static_assert(QueueCapacity >= 4, "the session queue needs room for a few events");

 public:
  using Event = BasicSessionEvent<MaxEmgChannels>;
  using EmgChain = emg::EmgProcessor<MaxEmgChannels, 64>;
  // Pre-lock ring 4096: the automatic axis locks when the first rep is over
  // (sagittal_axis.hpp), so the ring must hold the rest before it and the
  // whole rep: 20 s at the segmenter's 200 Hz cap, 41 s at 100 Hz.
  using ImuChain = reps::ImuRepCounter<2048, 64, 64, 4096, MaxEmgChannels, 2048>;
  static constexpr int kMaxEmgChannels = MaxEmgChannels;
  static constexpr int kQueueCapacity = QueueCapacity;
  static constexpr int kSegment = 64;  // EMG frames processed per inner call

  Session() = default;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Validates (naming the bad field) and applies the configuration; resets
  // everything. Allocation-free, so it may be called again to restart.
  Status init(const SessionConfig& config) {
    ready_ = false;
    Status st = config.validate();
    if (!st) return st;
    if (config.emg_channels > MaxEmgChannels)
      return Status::capacity("emg_channels: more than this Session's MaxEmgChannels");
    cfg_ = config;
    C_ = config.emg_channels;
    if (C_ > 0) {
      if (!(st = emg_.init(config.emg_chain_settings(), C_))) return st;
    }
    if (config.imu_enabled) {
      reps::ImuRepConfig rc = config.imu_reps;
      rc.segmenter.sample_rate_hz = config.imu_rate_hz;
      rc.emg_channels = C_;
      // A gyro sample at the sensor's full scale is clipped, not measured:
      // the orientation filter ignores it like a NaN (see max_rate_dps).
      const double range_dps = config.imu_gyro_range * (rc.imu.orientation.gyro_unit == imu::GyroUnit::dps
                                                            ? 1.0 : 57.295779513082320876798);
      if (range_dps < rc.imu.orientation.max_rate_dps) rc.imu.orientation.max_rate_dps = range_dps;
      if (!(st = imu_.init(rc))) return st;
      imu::ActivitySettings as = config.imu_activity;
      const imu::OrientationConfig& oc = config.imu_reps.imu.orientation;
      as.gyro_unit = oc.gyro_unit;
      as.acc_scale = oc.acc_unit == imu::AccUnit::g ? oc.gravity_mps2 : 1.0;
      if (!(st = activity_.init(as))) return st;
    }
    ClockSettings cs;
    cs.gap_factor = config.gap_factor;
    cs.drift_tolerance = config.drift_tolerance;
    cs.drift_window_s = config.drift_window_s;
    cs.resync_after_samples = config.resync_after_samples;
    cs.rate_hz = C_ > 0 ? config.emg_rate_hz : 1000.0;
    emg_clock_.init(cs);
    cs.rate_hz = config.imu_enabled ? config.imu_rate_hz : 100.0;
    imu_clock_.init(cs);
    calf_mask_ = soleus_mask_ = 0;
    fatigue_ch_ = -1;
    for (int c = 0; c < C_; ++c) {
      if (config.channel[c].muscle == Muscle::soleus) soleus_mask_ |= 1u << c;
      if (is_calf_pump(config.channel[c].muscle)) calf_mask_ |= 1u << c;
    }
    // The set summary's fatigue trend follows the soleus, else the first
    // calf-pump channel (needs emg.spectra.enabled).
    for (int c = C_ - 1; c >= 0; --c)
      if (is_calf_pump(config.channel[c].muscle)) fatigue_ch_ = c;
    for (int c = C_ - 1; c >= 0; --c)
      if (config.channel[c].muscle == Muscle::soleus) fatigue_ch_ = c;
    hook_delay_s_ = C_ > 0 ? emg_.delays().envelope_total_s() : 0.0;
    reset_state();
    ready_ = true;
    return Status::success();
  }

  const SessionConfig& config() const { return cfg_; }
  bool ready() const { return ready_; }

  // Optional tap on the conditioned EMG (band-passed and mains-notched, in
  // input units: the signal the detectors see), for offline analysis that
  // wants the engine's own signal (RMS, spectra) instead of a second filter
  // chain. After each processed segment: sink(context, t_s, conditioned,
  // frames, channels), the admitted frames' stamps and their conditioned
  // samples (interleaved frames x channels), valid during the call only.
  // Frames dropped as faults never reach it. Called on the pushing thread;
  // nullptr (the default) turns it off. Survives init() and reset().
  using ConditionedSink = void (*)(void* context, const double* t_s, const float* conditioned, std::size_t frames,
                                   int channels);
  void set_conditioned_sink(ConditionedSink sink, void* context) {
    cond_sink_ = sink;
    cond_sink_context_ = sink != nullptr ? context : nullptr;
  }

  // ------------------------------------------------------------------ EMG
  // One frame of emg_channels samples at time t_s.
  Status push_emg(double t_s, const float* frame) { return push_emg_block(&t_s, frame, 1); }

  // n frames, interleaved (n x emg_channels), one time stamp each. Identical
  // to n calls of push_emg(). Returns bad_input when samples were dropped or
  // contained (all reported as fault events), capacity_exceeded when the
  // event queue overflowed.
  Status push_emg_block(const double* t_s, const float* frames, std::size_t n) {
    if (!ready_) return Status{StatusCode::not_ready, "session: init() first"};
    if (C_ == 0) return Status{StatusCode::not_ready, "emg_channels: 0 (no EMG configured)"};
    if (n > 0 && (t_s == nullptr || frames == nullptr)) return Status::invalid("t_s, frames: null pointer");
    status_ = Status::success();
    const std::size_t C = static_cast<std::size_t>(C_);
    // One vectorised pass over the block: when every value is finite and
    // below emg_range (the usual case), check_values() would report nothing
    // for any frame and is skipped.
    int flagged = 0;
    {
      const float range = static_cast<float>(cfg_.emg_range);
      const float fmax = std::numeric_limits<float>::max();
      for (std::size_t k = 0; k < n * C; ++k) {
        const float a = std::fabs(frames[k]);
        flagged |= static_cast<int>(!(a < range)) | static_cast<int>(!(a <= fmax));
      }
    }
    std::size_t i = 0;
    while (i < n) {
      // Fast path: a whole segment whose stamps are clean (no fault, no
      // drift-window end: StreamClock::clean_block), whose values need no
      // check and that does not reach the inactivity deadline before its last
      // frame is admitted in one pass and processed straight from the
      // caller's frames (seg_in_'s layout, no copy). The per-frame loop below
      // would admit exactly these frames into exactly this segment, report
      // nothing and end the segment at the same frame.
      if (flagged == 0) {
        const std::size_t k = n - i < static_cast<std::size_t>(kSegment) ? n - i : static_cast<std::size_t>(kSegment);
        // Stamps increase, so the next-to-last decides the deadline break.
        if (emg_clock_.clean_block(t_s + i, k, seg_t_) && !(k >= 2 && seg_t_[k - 2] >= deadline_)) {
          emg_clock_.accept_clean(k, seg_t_[k - 1]);
          restart_before_ = false;
          run_emg_segment(frames + i * C, static_cast<int>(k));
          i += k;
          continue;
        }
      }
      // Admit frames into the segment until it is full or a frame needs a
      // decision before it is processed (a gap that restarts the chain).
      int m = 0;
      while (i < n && m < kSegment) {
        double t = 0.0;
        restart_before_ = false;
        // Faults of this frame wait until the frames before it are processed,
        // so events keep the order of frame-by-frame calls.
        deferring_ = true;
        const bool ok = emg_clock_.admit(
            t_s[i], t, [this](FaultKind k, double tf, double v) { on_clock_fault(StreamId::emg, k, tf, v); });
        const float* f = frames + i * C;
        if (ok && flagged != 0) check_values(f, t);
        deferring_ = false;
        if (n_pending_ > 0 || restart_before_) {
          if (m > 0) run_emg_segment(seg_in_, m);
          m = 0;
          flush_pending();
        }
        ++i;
        if (!ok) continue;
        if (restart_before_) {
          // A long gap: restart the filters at this frame (MVC kept).
          drain_emg();
          emg_.reset();
          open_bursts_ = 0;
          emg_n_ = 0;
          for (auto& r : relearned_seen_) r = 0;  // the detector's counts restart
        }
        if (C == static_cast<std::size_t>(MaxEmgChannels)) {
          // Fixed size: an inline move, not a memcpy call per frame. GCC 12
          // warns (-Warray-bounds) when a caller with fewer channels passes a
          // smaller object and this branch is inlined there, although the
          // branch never runs for it: silenced for this line only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
          std::memcpy(seg_in_ + static_cast<std::size_t>(m) * MaxEmgChannels, f, MaxEmgChannels * sizeof(float));
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
        } else {
          std::memcpy(seg_in_ + static_cast<std::size_t>(m) * C, f, C * sizeof(float));
        }
        seg_t_[m] = t;
        ++m;
        // The inactivity deadline splits segments so that the alert lands in
        // the same place of the event order whatever the chunking.
        if (t >= deadline_) break;
      }
      if (m > 0) run_emg_segment(seg_in_, m);
    }
    return status_;
  }

  // MVC calibration and rest (pass-through to the EMG chain; see emg/mvc.hpp).
  void begin_mvc() { emg_.begin_mvc(); }
  Status end_mvc() { return emg_.end_mvc(); }
  // Known MVC references, one per EMG channel (input units, the amplitude a
  // calibration contraction gave; emg/mvc.hpp): the same effect as
  // begin_mvc() / end_mvc() over that contraction.
  Status set_mvc_references(const double* ref) {
    if (C_ == 0) return Status{StatusCode::not_ready, "emg_channels: 0 (no EMG configured)"};
    if (ref == nullptr) return Status::invalid("ref: null pointer");
    return emg_.mvc().set_references(ref);
  }
  void begin_rest() { emg_.begin_rest(); }
  Status end_rest() { return emg_.end_rest(); }

  // ------------------------------------------------------------------ IMU
  Status push_imu(double t_s, const float* acc, const float* gyro) {
    if (!ready_) return Status{StatusCode::not_ready, "session: init() first"};
    if (!cfg_.imu_enabled) return Status{StatusCode::not_ready, "imu_enabled: false (no IMU configured)"};
    if (acc == nullptr || gyro == nullptr) return Status::invalid("acc, gyro: null pointer");
    status_ = Status::success();
    bool finite = true, sat = false, gyro_clipped = false;
    for (int k = 0; k < 3; ++k) {
      finite = finite && std::isfinite(acc[k]) && std::isfinite(gyro[k]);
      sat = sat || std::fabs(acc[k]) >= cfg_.imu_acc_range;
      gyro_clipped = gyro_clipped || std::fabs(gyro[k]) >= cfg_.imu_gyro_range;
    }
    sat = sat || gyro_clipped;
    double t;
    if (!imu_clock_.admit(t_s, t, [this](FaultKind k, double tf, double v) { on_clock_fault(StreamId::imu, k, tf, v); })) {
      return Status{StatusCode::bad_input, "imu: sample dropped (time stamp fault, reported)"};
    }
    if (!finite) {
      ++imu_clock_.stats().nonfinite_samples;
      value_fault(imu_bad_[0], StreamId::imu, FaultKind::nonfinite, -1, t);
      return status_;  // never reaches the chain
    }
    if (sat) {
      ++imu_clock_.stats().saturated_samples;
      value_fault(imu_bad_[1], StreamId::imu, FaultKind::saturated, -1, t);
    }
    note_time(t);
    // A clipped gyro sample is no measurement (the orientation filter ignores
    // it too: max_rate_dps); the activity layer would take it for a swing.
    if (!gyro_clipped && (activity_.push(t, acc, gyro) & (imu::kActivityStride | imu::kActivityPump | imu::kActivityPedal)))
      activity_interval(activity_.last_active_start_s(), activity_.last_active_end_s(), 0u, t);
    (void)imu_.push(t, acc, gyro);
    if (!axis_reported_ && imu_.tracker().valid()) {
      axis_reported_ = true;
      Event e;
      e.type = SessionEventType::axis_found;
      e.t_s = t;
      emit(e);
    }
    drain_imu();
    check_inactivity(t);
    return status_;
  }
  // n samples, acc and gyro n x 3 row-major: identical to n calls of push_imu().
  Status push_imu_block(const double* t_s, const float* acc, const float* gyro, std::size_t n) {
    Status first = Status::success();
    for (std::size_t i = 0; i < n; ++i) {
      const Status s = push_imu(t_s[i], acc + 3 * i, gyro + 3 * i);
      if (!s.ok() && first.ok()) first = s;
    }
    return first;
  }

  // End of the recording: closes the open set, releases held rep events and
  // queues the activity layer's open minutes (pop_activity_minute()).
  Status finish() {
    if (!ready_) return Status{StatusCode::not_ready, "session: init() first"};
    status_ = Status::success();
    if (cfg_.imu_enabled) {
      (void)imu_.finish();
      drain_imu();
      activity_.finish();  // after the last reps' add_raise()
    }
    return status_;
  }

  // ------------------------------------------------------------------ events
  // Oldest event into e; false when none.
  bool poll(Event& e) { return queue_.pop(e); }
  int pending() const { return queue_.size(); }
  // Events lost because poll() ran too rarely (also reported as an
  // events_dropped event once there is room again).
  std::uint64_t events_dropped() const { return queue_.dropped(); }

  // ------------------------------------------------------------------ live state
  int emg_channels() const { return C_; }
  // Latest envelope-based activation (%MVC, or relative to the uncalibrated
  // reference: see emg/mvc.hpp) and envelope (input units) of channel c.
  float activation_pct(int c) const { return c >= 0 && c < C_ ? last_act_[c] : 0.0f; }
  float envelope(int c) const { return c >= 0 && c < C_ ? last_env_[c] : 0.0f; }
  bool mvc_calibrated() const { return C_ > 0 && emg_.mvc().calibrated(); }
  bool burst_active(int c) const { return c >= 0 && c < C_ && ((open_bursts_ >> c) & 1u); }
  // Quality flags of channel c (all clear for a channel that does not exist).
  const emg::ChannelQuality& quality(int c) const {
    static const emg::ChannelQuality none{};
    return c >= 0 && c < C_ ? emg_.quality(c) : none;
  }
  emg::ProcessorDelays emg_delays() const { return emg_.delays(); }
  // Repetition chain: angle, phase, axis (found, explicit, confidence,
  // direction in the sensor frame), gyro bias, counts.
  reps::ImuRepState imu_state() const { return imu_.state(); }
  reps::ImuRepStats imu_stats() const { return imu_.stats(); }
  const StreamStats& emg_stream() const { return emg_clock_.stats(); }
  const StreamStats& imu_stream() const { return imu_clock_.stats(); }
  // The IMU activity layer's closed minutes (active seconds, strides, pumps, pedal cycles, cycling seconds,
  // heel raises from the rep engine, stillness), oldest first; false when none.
  bool pop_activity_minute(imu::MinuteSummary& m) { return activity_.pop_minute(m); }
  imu::Posture posture() const { return activity_.posture(); }
  ActivitySummary activity() const {
    ActivitySummary a;
    const double gaps = gap_total_s();
    a.active_s = calf_.total_s();
    a.soleus_active_s = soleus_.total_s();
    a.current_inactive_s = open_calf() ? 0.0 : calf_.inactive_s(now_, gaps);
    a.longest_inactive_s = calf_.longest_s() > a.current_inactive_s ? calf_.longest_s() : a.current_inactive_s;
    a.last_active_s = open_calf() ? now_ : calf_.end_s();
    a.inactivity_alerts = alerts_;
    a.active_now = open_calf();
    a.strides = activity_.strides();
    a.pumps = activity_.pumps();
    a.pedal_cycles = activity_.pedal_cycles();
    a.cycling_s = activity_.cycling_s();
    return a;
  }
  double time_s() const { return now_; }

  const EmgChain& emg_chain() const { return emg_; }
  const ImuChain& imu_chain() const { return imu_; }

 private:
  void reset_state() {
    queue_.clear();
    reported_drops_ = 0;
    deferring_ = false;
    n_pending_ = 0;
    status_ = Status::success();
    have_time_ = false;
    now_ = 0.0;
    emg_n_ = 0;
    frames_total_ = 0;
    open_bursts_ = 0;
    for (int c = 0; c < MaxEmgChannels; ++c) {
      last_act_[c] = last_env_[c] = 0.0f;
      emg_bad_[c][0] = emg_bad_[c][1] = BadRun{};
      open_onset_[c] = 0.0;
      relearned_seen_[c] = 0;
    }
    imu_bad_[0] = imu_bad_[1] = BadRun{};
    for (int i = 0; i < kLink; ++i) {
      link_reps_[i] = LinkRep{};
      link_bursts_[i] = LinkBurst{};
    }
    link_rep_pos_ = link_burst_pos_ = 0;
    axis_reported_ = false;
    calf_.reset(0.0);
    soleus_.reset(0.0);

    alerted_ = false;
    alerts_ = 0;
    last_rep_end_s_ = -1e300;
    deadline_ = std::numeric_limits<double>::infinity();
  }

  struct BadRun {
    bool any = false;
    double last_t = 0.0;
  };

  void emit(const Event& e) {
    if (deferring_ && n_pending_ < kMaxPending) {
      pending_[n_pending_++] = e;
      return;
    }
    const std::uint64_t lost = queue_.dropped() - reported_drops_;
    if (lost > 0 && queue_.size() <= QueueCapacity - 2) {
      Event d;
      d.type = SessionEventType::events_dropped;
      d.t_s = e.t_s;
      d.value = static_cast<double>(lost);
      (void)queue_.push(d);
      reported_drops_ = queue_.dropped();
    }
    if (!queue_.push(e).ok()) status_ = Status::capacity("session event queue full: event dropped (poll more often)");
  }

  void flush_pending() {
    const int n = n_pending_;
    n_pending_ = 0;
    for (int k = 0; k < n; ++k) emit(pending_[k]);
  }

  void fault_event(StreamId s, FaultKind k, int ch, double t, double v) {
    Event e;
    e.type = SessionEventType::fault;
    e.t_s = t;
    e.channel = ch;
    e.fault.stream = s;
    e.fault.kind = k;
    e.fault.channel = ch;
    e.fault.value = v;
    emit(e);
    if (status_.ok()) status_ = Status{StatusCode::bad_input, "input fault (see the fault events)"};
  }

  void on_clock_fault(StreamId s, FaultKind k, double t, double v) {
    fault_event(s, k, -1, t, v);
    if (s == StreamId::emg && k == FaultKind::gap && v >= cfg_.emg_restart_gap_s) restart_before_ = true;
    if (k == FaultKind::gap && s == primary()) {
      // Gap time is not inactivity: push the deadline back by the missing time.
      deadline_ += v;
    }
  }

  void value_fault(BadRun& r, StreamId s, FaultKind k, int ch, double t) {
    if (!r.any || t - r.last_t > cfg_.fault_clear_s) fault_event(s, k, ch, t, 0.0);
    r.any = true;
    r.last_t = t;
  }

  void check_values(const float* f, double t) {
    const float range = static_cast<float>(cfg_.emg_range);
    for (int c = 0; c < C_; ++c) {
      const float x = f[c];
      if (SOLEUS_UNLIKELY(!std::isfinite(x))) {
        ++emg_clock_.stats().nonfinite_samples;
        value_fault(emg_bad_[c][0], StreamId::emg, FaultKind::nonfinite, c, t);
      } else if (SOLEUS_UNLIKELY(std::fabs(x) >= range)) {
        ++emg_clock_.stats().saturated_samples;
        value_fault(emg_bad_[c][1], StreamId::emg, FaultKind::saturated, c, t);
      }
    }
  }

  void note_time(double t) {
    if (!have_time_) {
      have_time_ = true;
      now_ = t;
      calf_.reset(t);
      soleus_.reset(t);
      deadline_ = t + cfg_.inactivity_alert_s;
    }
    if (t > now_) now_ = t;
  }

  // The stream whose clock measures activity and its gaps: EMG when there is EMG.
  StreamId primary() const { return C_ > 0 ? StreamId::emg : StreamId::imu; }
  double gap_total_s() const {
    return primary() == StreamId::emg ? emg_clock_.stats().missing_s : imu_clock_.stats().missing_s;
  }
  // A calf-channel burst open for at least activity_min_burst_s.
  bool open_calf() const {
    const unsigned open = open_bursts_ & calf_mask_;
    if (open == 0) return false;
    for (int c = 0; c < C_; ++c)
      if (((open >> c) & 1u) && now_ - open_onset_[c] >= cfg_.activity_min_burst_s) return true;
    return false;
  }

  // Processes m admitted frames (in: m x C, seg_in_ or the caller's block;
  // times in seg_t_) through the EMG chain.
  void run_emg_segment(const float* in, int m) {
    note_time(seg_t_[0]);
    const std::uint64_t n0 = emg_n_;
    (void)emg_.process(in, static_cast<std::size_t>(m), seg_env_, seg_act_, seg_cond_);
    if (cond_sink_ != nullptr) cond_sink_(cond_sink_context_, seg_t_, seg_cond_, static_cast<std::size_t>(m), C_);
    emg_n_ += static_cast<std::uint64_t>(m);
    const std::size_t C = static_cast<std::size_t>(C_);
    std::memcpy(last_act_, seg_act_ + static_cast<std::size_t>(m - 1) * C, C * sizeof(float));
    std::memcpy(last_env_, seg_env_ + static_cast<std::size_t>(m - 1) * C, C * sizeof(float));
    note_time(seg_t_[m - 1]);
    // Bursts first (their onsets feed the rep chain's per-rep statistics).
    drain_emg_from(n0, m);
    for (int c = 0; c < C_; ++c) {
      const std::uint64_t r = emg_.detector().baselines_recovered(c);
      if (SOLEUS_UNLIKELY(r != relearned_seen_[c])) {
        relearned_seen_[c] = r;
        Event e;
        e.type = SessionEventType::baseline_relearned;
        e.t_s = seg_t_[m - 1];
        e.channel = c;
        e.value = static_cast<double>(r);
        emit(e);
      }
    }
    if (cfg_.imu_enabled) {
      // Decimated by the session's frame count: the same frames whatever the chunking.
      const std::uint64_t d = static_cast<std::uint64_t>(cfg_.emg_stats_decimation);
      for (int k = static_cast<int>((d - frames_total_ % d) % d); k < m; k += static_cast<int>(d)) {
        (void)imu_.push_emg(seg_t_[k] - hook_delay_s_, seg_act_ + static_cast<std::size_t>(k) * C,
                            seg_cond_ + static_cast<std::size_t>(k) * C);
      }
      drain_imu();
    }
    frames_total_ += static_cast<std::uint64_t>(m);
    check_inactivity(seg_t_[m - 1]);
  }

  void drain_emg() { drain_emg_from(emg_n_, 0); }

  // Burst events of the last segment (frames n0 .. n0+m-1 of the chain):
  // the chain's times run on its sample count; they are mapped to the stamp
  // of the frame that confirmed the event minus the event's age then.
  void drain_emg_from(std::uint64_t n0, int m) {
    emg::BurstEvent b;
    while (emg_.pop_event(&b)) {
      const double fs = cfg_.emg_rate_hz;
      std::int64_t k = static_cast<std::int64_t>(std::llround(b.detected_at_s * fs)) - static_cast<std::int64_t>(n0);
      if (k < 0) k = 0;
      if (m > 0 && k > m - 1) k = m - 1;
      const double t_det = m > 0 ? seg_t_[k] : now_;
      const double shift = t_det - b.detected_at_s;
      Event e;
      e.channel = b.channel;
      e.burst = b;
      e.burst.time_s = b.time_s + shift;
      e.burst.detected_at_s = t_det;
      e.t_s = e.burst.time_s;
      const unsigned bit = 1u << b.channel;
      if (b.edge == emg::BurstEdge::onset) {
        e.type = SessionEventType::burst_onset;
        open_onset_[b.channel] = e.burst.time_s;
        open_bursts_ |= bit;
        if (cfg_.imu_enabled) (void)imu_.push_emg_onset(b.channel, e.burst.time_s);
      } else {
        e.type = SessionEventType::burst_offset;
        open_bursts_ &= ~bit;
        // A level shift was the resting level rising (standing up), not
        // calf-pump work nor a contraction whose spectrum tracks fatigue.
        if ((bit & calf_mask_) && !b.level_shift && b.duration_s >= cfg_.activity_min_burst_s)
          activity_interval(e.burst.time_s - b.duration_s, e.burst.time_s, bit, t_det);
        if (b.channel == fatigue_ch_ && !b.level_shift && std::isfinite(b.median_hz))
          link_burst(e.burst.time_s - b.duration_s, e.burst.time_s, b.median_hz);
      }
      emit(e);
    }
  }

  void drain_imu() {
    if (!cfg_.imu_enabled) return;
    typename ImuChain::OutEvent o;
    while (imu_.pop(o)) {
      Event e;
      // Same numbers up to set_completed; rep_refined, appended to both
      // enums later, has its own number here.
      e.type = o.event.type == reps::EventType::rep_refined
                   ? SessionEventType::rep_refined
                   : static_cast<SessionEventType>(static_cast<std::uint8_t>(o.event.type));
      e.t_s = o.event.t_s;
      e.rep = o.event.rep;
      e.set = o.event.set;
      e.emg = o.emg;
      emit(e);
      if (o.event.type == reps::EventType::rep_completed || o.event.type == reps::EventType::hold_completed) {
        // An isometric hold pumps at its rise and its lowering; the minutes
        // held in between squeeze the veins once and do not pump (the calf
        // pump needs contraction and relaxation in turn; Laughlin 1987).
        // Reps of a set less than max_pump_gap_s apart keep the pump going
        // in between, as pumps do (imu/activity.hpp).
        const reps::Rep& r = o.event.rep;
        if (r.rom_deg >= cfg_.activity_min_rep_rom_deg) {
          const double from = r.start_s - last_rep_end_s_ <= cfg_.imu_activity.max_pump_gap_s ? last_rep_end_s_ : r.start_s;
          if (o.event.type == reps::EventType::hold_completed) {
            activity_interval(from, r.top_s, 0u, o.event.t_s);
            activity_interval(r.lower_start_s, r.end_s, 0u, o.event.t_s);
            activity_.add_raise(from, r.top_s);
          } else {
            activity_interval(from, r.end_s, 0u, o.event.t_s);
            activity_.add_raise(from, r.end_s);
          }
          last_rep_end_s_ = r.end_s;
        }
        if (fatigue_ch_ >= 0) link_rep(o.event.rep.index, o.event.rep.start_s, o.event.rep.end_s);
      }
    }
  }

  // ---- fatigue link: each rep's scalar for the set's trend is the median
  // frequency of the fatigue channel's burst that overlaps the rep most (at
  // least half of the shorter of the two). Rep and burst complete in either
  // order (the burst's offset is confirmed ~50-100 ms after the EMG falls,
  // the rep ~100-250 ms after the angle settles), so the last few of each
  // wait for their partner.
  static constexpr int kLink = 8;
  struct LinkRep {
    int index = -1;
    double start = 0.0, end = 0.0;
    bool linked = true;
  };
  struct LinkBurst {
    double on = 0.0, off = 0.0;
    float median = 0.0f;
    bool linked = true;
  };
  static bool overlaps(double a0, double a1, double b0, double b1) {
    const double ov = (a1 < b1 ? a1 : b1) - (a0 > b0 ? a0 : b0);
    const double shorter = (a1 - a0) < (b1 - b0) ? (a1 - a0) : (b1 - b0);
    return ov > 0.0 && ov >= 0.5 * shorter;
  }
  void link_rep(int index, double start, double end) {
    LinkRep& r = link_reps_[link_rep_pos_++ % kLink];
    r = LinkRep{index, start, end, false};
    for (LinkBurst& b : link_bursts_) {
      if (b.linked || !overlaps(start, end, b.on, b.off)) continue;
      b.linked = r.linked = true;
      (void)imu_.set_rep_scalar(index, b.median);
      return;
    }
  }
  void link_burst(double on, double off, float median) {
    LinkBurst& b = link_bursts_[link_burst_pos_++ % kLink];
    b = LinkBurst{on, off, median, false};
    for (LinkRep& r : link_reps_) {
      if (r.linked || !overlaps(r.start, r.end, on, off)) continue;
      r.linked = b.linked = true;
      (void)imu_.set_rep_scalar(r.index, median);
      return;
    }
  }

  // A calf-pump activity interval [s, e] (a burst, a rep); bit = EMG channel bit (0 for a rep).
  void activity_interval(double s, double e, unsigned bit, double t_now) {
    const double gaps = gap_total_s();
    const double closed = calf_.add(s, e, gaps);
    if (bit & soleus_mask_) (void)soleus_.add(s, e, gaps);
    if (alerted_ && closed > 0.0) {
      alerted_ = false;
      Event ev;
      ev.type = SessionEventType::activity_resumed;
      ev.t_s = s;
      ev.value = closed;
      emit(ev);
    }
    (void)t_now;
    deadline_ = calf_.end_s() + cfg_.inactivity_alert_s + (gaps - calf_.gaps_at_end());
  }

  void check_inactivity(double t) {
    if (alerted_ || t < deadline_ || open_calf() || !have_time_) return;
    alerted_ = true;
    ++alerts_;
    Event e;
    e.type = SessionEventType::inactivity;
    e.t_s = t;
    e.value = calf_.inactive_s(t, gap_total_s());
    emit(e);
  }

  SessionConfig cfg_{};
  bool ready_ = false;
  int C_ = 0;
  unsigned calf_mask_ = 0, soleus_mask_ = 0;
  double hook_delay_s_ = 0.0;
  Status status_{};

  EmgChain emg_;
  ImuChain imu_;
  imu::ActivityDetector activity_;
  StreamClock emg_clock_, imu_clock_;
  bool restart_before_ = false;
  // Faults of the frame being admitted (clock: at most 2; values: 2 per channel).
  static constexpr int kMaxPending = 2 + 2 * MaxEmgChannels;
  bool deferring_ = false;
  int n_pending_ = 0;
  Event pending_[kMaxPending];
  std::uint64_t emg_n_ = 0;  // frames processed by the chain since its (re)start
  std::uint64_t frames_total_ = 0;  // frames processed since init

  alignas(32) float seg_in_[kSegment * MaxEmgChannels] = {};
  alignas(32) float seg_env_[kSegment * MaxEmgChannels] = {};
  alignas(32) float seg_act_[kSegment * MaxEmgChannels] = {};
  alignas(32) float seg_cond_[kSegment * MaxEmgChannels] = {};
  double seg_t_[kSegment] = {};
  ConditionedSink cond_sink_ = nullptr;
  void* cond_sink_context_ = nullptr;
  float last_act_[MaxEmgChannels] = {};
  float last_env_[MaxEmgChannels] = {};

  BadRun emg_bad_[MaxEmgChannels][2] = {};
  BadRun imu_bad_[2] = {};
  unsigned open_bursts_ = 0;
  std::uint64_t relearned_seen_[MaxEmgChannels] = {};  // detector's baselines_recovered(c) reported so far
  double open_onset_[MaxEmgChannels] = {};
  int fatigue_ch_ = -1;
  LinkRep link_reps_[kLink];
  LinkBurst link_bursts_[kLink];
  unsigned link_rep_pos_ = 0, link_burst_pos_ = 0;
  bool axis_reported_ = false;

  bool have_time_ = false;
  double now_ = 0.0;
  ActivityUnion calf_, soleus_;
  bool alerted_ = false;
  std::uint32_t alerts_ = 0;
  double last_rep_end_s_ = -1e300;  // the last rep counted as activity
  double deadline_ = std::numeric_limits<double>::infinity();

  ::soleus::EventQueue<Event, QueueCapacity> queue_;
  std::uint64_t reported_drops_ = 0;
};

}  // namespace soleus
