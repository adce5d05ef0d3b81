// Heel-raise repetitions straight from a 6-axis IMU: the whole sensor chain
//
//   (t_s, acc, gyro) -> imu::PlantarflexionTracker (orientation, gyro bias,
//   automatic sagittal axis or an explicit one, angle) -> reps::RepCounter
//   (segmenter + sets) -> events (+ per-rep EMG statistics when attached)
//
// Each angle sample goes to the segmenter with the accelerometer's |a| (m/s^2)
// of that sample: its carried-movement rule (segmenter.hpp) rejects movements
// that lift the sensor further than a heel raise can (a pedal's crank circle).
//
// Streaming, timestamped, fixed capacities (template parameters), no heap,
// no exceptions, no I/O. This is the object a Session, an app or the Python
// `segment_reps` holds; offline use is a loop over push().
//
// Why a pre-lock history: the automatic axis locks only once the first rise
// has turned the sensor by a few degrees (sagittal_axis.hpp), i.e. in the
// middle of the first rep. The up vectors of the samples before the lock are
// kept in a ring (PreLockCapacity samples) and, at the lock, converted to
// angles with the locked axis and the rest reference and fed to the segmenter
// in order, so the first rep (and the rest before it, which the segmenter's
// gait rule needs) is not lost. That catch-up runs once, inside the push that
// locks the axis (at most PreLockCapacity segmenter steps). It starts at the
// rest posture's sample when the accelerometer shows no turn about the axis
// from it before (see replay_prelock(): the orientation filter's power-on
// settling is no rep).
//
// EMG coupling (plain structs, no reaching up): the EMG side pushes envelope
// samples (t_s on the same clock as the IMU, delay-compensated by the
// caller: see emg::ProcessorDelays) with %MVC and the conditioned signal per
// channel, and burst onsets (emg::BurstEvent::time_s). They are accumulated
// in fixed time bins (emg_bin_s; a ring of EmgBins bins), so a rep's
// per-phase statistics are computed when its record is final without keeping
// raw EMG. Because the EMG stream may lag the IMU stream, a rep_completed
// (or hold_completed) event is held back until the EMG time has passed the
// rep's end (or emg_max_wait_s of IMU time went by; then emg.complete is
// false); events keep their order.
//
// Rate: the segmenter takes at most kMaxSegmenterRate_hz (200 Hz). A
// heel raise's fastest phase (a 0.25 s rise, DESIGN.md) has its energy below
// ~10 Hz, and the boundaries come from local line fits, so 5 ms sampling
// loses nothing; an IMU at 400 Hz-1 kHz (or a file resampled to the EMG
// rate) would otherwise shrink the segmenter's history and the pre-lock ring
// (both counted in samples) to 2-5 s, less than one slow rep. Faster streams
// feed every k-th sample (k = ceil(rate / 200)); the orientation filter and
// the live angle still run on every sample.
//
// Live state: state() (angle, rate, phase, axis found and its confidence).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>


#include "soleus/core/config.hpp"
#include "soleus/core/event_queue.hpp"
#include "soleus/core/lanes.hpp"
#include "soleus/core/status.hpp"
#include "soleus/imu/plantarflexion.hpp"
#include "soleus/reps/sets.hpp"
#include "soleus/reps/types.hpp"

namespace soleus::reps {

// Where the sensor is worn. It sets the defaults a placement needs (see
// ImuRepCounter::init): a shank turns only 0.2-0.3x the foot, so its reps
// are smaller. `automatic` = unknown: thresholds that suit both.
enum class ImuPlacement : std::uint8_t { automatic, foot, shank_standing, shank_seated };

// Phase of the rep in progress (live state).
enum class RepPhase : std::uint8_t { rest, concentric, top, eccentric, finishing };

// Marks a setting left to the placement (issue 16: a user's
// min_excursion_deg was overwritten by the placement's). NaN: no user can
// mean it, and a negative or zero value still reaches validation.
inline constexpr double kPlacementDefault = std::numeric_limits<double>::quiet_NaN();
inline SegmenterConfig placement_segmenter_config() {
  SegmenterConfig c;
  c.min_excursion_deg = kPlacementDefault;
  c.lone_min_rom_deg = kPlacementDefault;
  return c;
}

struct ImuRepConfig {
  imu::PlantarflexionConfig imu{};   // orientation (units: imu.orientation.acc_unit / gyro_unit), axis, angle
  // sample_rate_hz must be the nominal IMU rate. min_excursion_deg starts at
  // kPlacementDefault (the placement decides: 4 deg foot / shank, 1.5 deg
  // auto); any value set here is used as given.
  SegmenterConfig segmenter = placement_segmenter_config();
  SetConfig sets{};
  ImuPlacement placement = ImuPlacement::automatic;
  // When true init() applies the placement's defaults (min_excursion_deg,
  // output_gain; apply_placement_defaults()) over the two structs above;
  // false: they are used exactly as given (call apply_placement_defaults()
  // yourself first, then override, to keep the rest of them).
  bool apply_placement_defaults = true;
  // Explicit sagittal axis (sensor frame, + = plantar flexion); automatic if false.
  bool use_explicit_axis = false;
  double axis_sensor[3] = {0.0, 1.0, 0.0};

  // EMG hook. emg_channels = 0: no EMG (events are never held back).
  int emg_channels = 0;
  double emg_bin_s = 0.01;         // time resolution of the per-phase EMG statistics
  double emg_max_wait_s = 0.5;     // longest wait (IMU time) for the EMG to cover a rep
  double emg_onset_lead_s = 1.0;   // an onset up to this long before heel-off belongs to the rep
};

// EMG statistics of one rep. Phases: 0 concentric, 1 top hold, 2 eccentric,
// 3 whole rep (start_s .. end_s).
enum EmgPhaseIndex : int { kEmgConcentric = 0, kEmgHold = 1, kEmgEccentric = 2, kEmgWholeRep = 3 };

// Defaults a placement needs (applied by ImuRepCounter::init unless
// apply_placement_defaults is false). Why: the segmenter has absolute floors
// tuned on foot angles (rest band 0.5 deg, baseline leak 0.3 deg/s): fed a
// shank's 0.2-0.3x rotation, a slow minimum-jerk onset hides in them and the
// boundaries come ~0.3 s late. So a shank's angle is scaled to an
// approximate foot angle (the simulator's shank/foot ratios), which also
// makes rom_deg read in foot degrees (approximately: the ratio varies between
// people). automatic keeps the angle as measured, with the smaller minimum
// excursion a shank needs. The axis finder's rate gate drops from 3 to
// 1 deg/s for a (possible) shank: a slow 10 deg raise turns a seated shank at
// < 1 deg/s, and with the 3 deg/s gate whole first sets went by before the
// axis locked (and fell out of the pre-lock ring); a seated shank's smallest
// excursions also need a 1.5 deg sign gate instead of 2.5.
//
// A shank's angle (shank placements): its ankle translates while the shank
// turns only 0.2-0.3x the foot, and the few cm/s^2 of horizontal
// acceleration at the slow start and end of a rep read as 0.1-0.2 deg of
// tilt (2-8 % of its excursion); a slow shank rise (< 0.5 deg/s) also passed
// the stillness test, so its rotation leaked into the gyro bias. Measured
// with perfect sensors (no noise, no bias, the true axis): the tilt-based
// angle was still off by 0.15 deg RMS (shank degrees), so neither noise, bias
// nor the axis caused it. Hence: the gyro-dominant angle
// (PlantarflexionConfig::gyro_angle, anchored to the accelerometer only at
// rest and not turning), stillness on the 0.2 s mean gyro at 0.2 deg/s (not
// 0.5) and a weaker quasi-static bias integral (0.05, not 0.2: it absorbed
// slow rotation; 0 loses the bias under postural sway).
inline void apply_shank_angle_defaults(ImuRepConfig& k) {
  k.imu.gyro_angle = true;
  k.imu.anchor_time_constant_s = 4.0;
  k.imu.orientation.still_mean_gyro_dps = 0.2;
  k.imu.orientation.ki_static = 0.05;
}

inline void apply_placement_defaults(ImuRepConfig& k) {
  // Fields the user set are kept: only those left at kPlacementDefault are filled.
  const double user_min_excursion = k.segmenter.min_excursion_deg;
  // Lone-movement rules (segmenter.hpp, "Lone movements"): on for every
  // placement; 5 deg is the lower end of a foot's heel-raise range (DESIGN.md)
  // in the angle's units (foot degrees; 'auto' keeps the angle as measured, so
  // a shank's small raises there need a set's rhythm).
  if (std::isnan(k.segmenter.lone_min_rom_deg)) k.segmenter.lone_min_rom_deg = 5.0;
  switch (k.placement) {
    case ImuPlacement::foot:
      k.imu.output_gain = 1.0;
      k.segmenter.min_excursion_deg = 4.0;
      break;
    case ImuPlacement::shank_standing:
      apply_shank_angle_defaults(k);
      k.imu.output_gain = 1.0 / 0.3;
      k.segmenter.min_excursion_deg = 4.0;
      k.imu.axis.min_rate_dps = 1.0;
      break;
    case ImuPlacement::shank_seated:
      apply_shank_angle_defaults(k);
      k.imu.output_gain = 1.0 / 0.19;
      k.imu.output_curvature_per_deg = 0.0031;  // 0.19x at rest, ~0.30x at 40 deg
      k.segmenter.min_excursion_deg = 4.0;
      k.imu.axis.min_rate_dps = 1.0;
      k.imu.axis.sign_min_deg = 1.5;
      break;
    case ImuPlacement::automatic:
      k.imu.output_gain = 1.0;
      k.segmenter.min_excursion_deg = 1.5;
      k.imu.axis.min_rate_dps = 1.0;
      break;
  }
  if (!std::isnan(user_min_excursion)) k.segmenter.min_excursion_deg = user_min_excursion;
}

// The configuration that init() runs: placement defaults applied (when
// asked) over the fields left unset, the rest from SegmenterConfig's defaults.
// Session.defaults() and the bindings report this, not the raw struct.
inline ImuRepConfig effective_config(const ImuRepConfig& c) {
  ImuRepConfig k = c;
  if (k.apply_placement_defaults) apply_placement_defaults(k);
  if (std::isnan(k.segmenter.min_excursion_deg)) k.segmenter.min_excursion_deg = SegmenterConfig{}.min_excursion_deg;
  if (std::isnan(k.segmenter.lone_min_rom_deg)) k.segmenter.lone_min_rom_deg = SegmenterConfig{}.lone_min_rom_deg;
  return k;
}

template <int MaxEmgChannels>
struct RepEmgStats {
  int channels = 0;        // 0: no EMG attached
  bool complete = false;   // the EMG covered the whole rep (else the EMG was late or missing)
  float mean_pct_mvc[MaxEmgChannels][4] = {};  // mean envelope, %MVC (NaN: no samples)
  float rms_mv[MaxEmgChannels][4] = {};        // RMS of the conditioned signal (its units)
  float iemg_mv_s[MaxEmgChannels][4] = {};     // integral of |conditioned| dt (units x s)
  // First EMG onset of the channel in [start_s - emg_onset_lead_s, top_s],
  // minus start_s (heel-off): negative = muscle activity precedes heel-off.
  // NaN when there was none (e.g. the channel stayed active from the previous rep).
  float onset_rel_heel_off_s[MaxEmgChannels] = {};
};

template <int MaxEmgChannels>
struct ImuRepEvent {
  Event event;                       // type, stream time, rep record or set summary
  RepEmgStats<MaxEmgChannels> emg;   // filled for rep_completed / hold_completed
};

struct ImuRepState {
  double t_s = 0.0;             // time of the last accepted sample
  float angle_deg = 0.0f;       // plantar-flexion angle (provisional until the axis is found: axis_found)
  float rate_dps = 0.0f;        // angular rate about the axis
  RepPhase phase = RepPhase::rest;
  bool axis_found = false;      // locked (automatic) or given
  bool axis_explicit = false;
  float axis_confidence = 0.0f; // share of rotation energy about the axis (0..1)
  float axis_sensor[3] = {0.0f, 1.0f, 0.0f};
  bool still = false;           // orientation filter's stillness flag
  float gyro_bias_dps[3] = {0.0f, 0.0f, 0.0f};
  int reps_total = 0;           // rep_completed events so far
  int holds_total = 0;          // hold_completed events so far
  int sets_completed = 0;
  int reps_in_open_set = 0;
};

// Counters of what the chain refused or lost (never silent).
struct ImuRepStats {
  std::uint64_t imu_samples = 0;
  std::uint64_t imu_rejected = 0;     // NaN/Inf or non-increasing time (orientation filter)
  std::uint64_t prelock_dropped = 0;  // pre-lock samples that fell out of the ring
  std::uint64_t gait_unlocks = 0;     // automatic-axis locks undone as a shank's stride's (sagittal_axis.hpp undo_shank_stride_lock())
  std::uint64_t sign_corrections = 0; // automatic-axis sign corrected after the lock (segmenter restarted at the next calm)
  std::uint64_t emg_samples = 0;
  std::uint64_t emg_rejected = 0;     // NaN time, non-increasing time or too old for the ring
  std::uint64_t emg_reps_incomplete = 0;
  std::uint64_t events_dropped = 0;   // queue overflow (poll more often)
};

template <int HistoryCapacity = 2048, int QueueCapacity = 64, int MaxRepsPerSet = 64, int PreLockCapacity = 2048,
          int MaxEmgChannels = 2, int EmgBins = 2048>
class ImuRepCounter {
  static_assert(PreLockCapacity >= 16, "pre-lock history too small");
  static_assert(MaxEmgChannels >= 1 && EmgBins >= 16, "EMG capacities too small");

 public:
  using Tracker = imu::BasicPlantarflexionTracker<float>;
  using Vec3 = Tracker::Vec3;
  using Counter = RepCounter<HistoryCapacity, QueueCapacity, MaxRepsPerSet>;
  using OutEvent = ImuRepEvent<MaxEmgChannels>;
  static constexpr int kMaxEmgChannels = MaxEmgChannels;

  // Validates and applies the configuration; resets all state.
  Status init(const ImuRepConfig& c) {
    const ImuRepConfig k = effective_config(c);
    if (k.emg_channels < 0 || k.emg_channels > MaxEmgChannels)
      return Status::invalid("emg_channels: must be within 0..MaxEmgChannels");
    if (!(k.emg_bin_s > 0.0 && k.emg_bin_s <= 0.1)) return Status::invalid("emg_bin_s: must be in (0, 0.1]");
    if (!(k.emg_max_wait_s >= 0.0)) return Status::invalid("emg_max_wait_s: must be >= 0");
    if (!(k.emg_onset_lead_s >= 0.0)) return Status::invalid("emg_onset_lead_s: must be >= 0");
    Status st = tracker_.configure(k.imu);
    if (!st) return st;
    SegmenterConfig seg = k.segmenter;
    int decim = 1;
    if (seg.sample_rate_hz > kMaxSegmenterRate_hz) {
      decim = static_cast<int>(std::ceil(seg.sample_rate_hz / kMaxSegmenterRate_hz - 1e-9));
      seg.sample_rate_hz /= decim;
    }
    st = counter_.init(seg, k.sets);
    if (!st) return st;
    seg_cfg_ = seg;
    decim_ = decim;
    off_mean_k_ = static_cast<float>(1.0 - std::exp(-1.0 / (seg.sample_rate_hz * kOffAxisMean_s)));
    if (k.use_explicit_axis) {
      st = tracker_.set_axis(Vec3(static_cast<float>(k.axis_sensor[0]), static_cast<float>(k.axis_sensor[1]),
                                  static_cast<float>(k.axis_sensor[2])));
      if (!st) return Status::invalid("axis_sensor: must be a finite non-zero vector");
    }
    cfg_ = k;
    configured_ = true;
    reset_stream();
    return Status::success();
  }
  const ImuRepConfig& config() const { return cfg_; }

  // Forgets the stream (keeps the configuration, an explicit axis and the rep numbering).
  void reset() {
    tracker_.reset();
    (void)counter_.init(seg_cfg_, cfg_.sets);
    reset_stream();
  }

  // Uses a known axis from now on (sensor frame, + = plantar flexion).
  Status set_axis(const float axis_sensor[3]) {
    return tracker_.set_axis(Vec3(axis_sensor[0], axis_sensor[1], axis_sensor[2]));
  }

  // One IMU sample: time (s), acc and gyro (3 each, sensor frame, in the
  // configured units). Returns bad_input for a rejected sample (contained),
  // capacity_exceeded when an event was dropped, not_ready before init().
  Status push(double t_s, const float* acc, const float* gyro) {
    if (!configured_) return Status{StatusCode::not_ready, "imu_reps: call init() first"};
    ++stats_.imu_samples;
    const Status st = tracker_.update(t_s, acc, gyro);
    if (!tracker_.sample_used()) {
      if (!st.ok()) ++stats_.imu_rejected;
      return st.ok() ? st : Status{StatusCode::bad_input, st.message};
    }
    t_last_ = t_s;
    Status out = Status::success();
    // Rate cap (see the header): the segmenter sees every decim_-th sample.
    const bool take = ++decim_k_ >= decim_;
    if (take) decim_k_ = 0;
    update_translation(acc);
    if (!tracker_.valid()) {
      // The finder undid a lock taken on a shank's stride (sagittal_axis.hpp,
      // undo_shank_stride_lock()): the walking fragment's segmenter and its
      // held events are dropped, and the next lock replays the pre-lock
      // ring, kept through the pending lock (rare_path()).
      if (was_valid_) undo_lock();
      if (take) prelock_push(t_s, tracker_.orientation().up_sensor(), acc);
    } else {
      if (!was_valid_) {
        was_valid_ = true;
        out = replay_prelock();
      }
      // Rare: a sign correction, and the wait for calm after it (out of
      // line, so that the per-sample path stays small enough to inline).
      if (tracker_.axis_finder().sign_corrections() != sign_corrections_seen_ || rare_) rare_path(t_s, take, acc);
      if (take && !(rare_ && restart_at_rest_)) {  // restart_at_rest_ implies rare_
        // The off-axis rate's running mean follows every sample; the rate
        // itself is read only while a movement is open (segmenter.hpp, "Hold
        // wobble": the rule reads a hold's samples, from its top to its
        // lowering). At rest it is not computed and goes in as NaN ("not
        // known", which the rule skips): most of a day is rest, and its norm
        // and square root were the per-sample path's largest new cost.
        update_off_axis_mean();
        const double off_axis_dps = counter_.segmenter().state() == Segmenter<HistoryCapacity>::State::rest
                                        ? std::numeric_limits<double>::quiet_NaN()
                                        : off_axis_rate_dps();
        // The rate about the axis: a rise it does not account for is the
        // filter re-levelling, no rep (segmenter.hpp, "Rose without turning").
        const Status s = counter_.push(t_s, static_cast<double>(tracker_.angle_deg()), acc_norm_mps2(), off_axis_dps,
                                       static_cast<double>(tracker_.rate_dps()), moved_m());
        if (s.code == StatusCode::capacity_exceeded && out.ok()) out = s;
      }
    }
    if (counter_.pending() > 0 || !held_.empty()) drain();  // most samples: nothing to move
    if (!out.ok()) return out;
    return st.code == StatusCode::capacity_exceeded ? st : Status::success();
  }
  Status push(double t_s, const double* acc, const double* gyro) {
    const float a[3] = {static_cast<float>(acc[0]), static_cast<float>(acc[1]), static_cast<float>(acc[2])};
    const float g[3] = {static_cast<float>(gyro[0]), static_cast<float>(gyro[1]), static_cast<float>(gyro[2])};
    return push(t_s, a, g);
  }

  // n samples, acc and gyro n x 3 row-major: identical to n calls of push().
  template <typename T>
  Status push_block(const double* t_s, const T* acc, const T* gyro, int n) {
    Status first = Status::success();
    for (int i = 0; i < n; ++i) {
      const Status s = push(t_s[i], acc + 3 * i, gyro + 3 * i);
      if (!s.ok() && first.ok()) first = s;
    }
    return first;
  }

  // End of the stream: closes the open set and releases held events.
  Status finish() {
    if (!configured_) return Status{StatusCode::not_ready, "imu_reps: call init() first"};
    finished_ = true;
    // A lock still pending at the end stands (no stride came to undo it):
    // its held events go out.
    tentative_ = false;
    rare_ = restart_at_rest_;
    const Status st = counter_.finish(t_last_);
    drain();
    return st;
  }

  // ---- EMG hook
  // One envelope sample of every channel (emg_channels values each):
  // envelope in %MVC and the conditioned (band-passed) signal, at t_s on the
  // IMU clock, delay-compensated. Samples must arrive in time order.
  Status push_emg(double t_s, const float* pct_mvc, const float* conditioned) {
    if (cfg_.emg_channels == 0) return Status{StatusCode::not_ready, "emg_channels: 0 (no EMG configured)"};
    if (!std::isfinite(t_s) || (have_emg_ && !(t_s > emg_t_last_))) {
      ++stats_.emg_rejected;
      return Status{StatusCode::bad_input, "emg time stamp NaN or not increasing: sample skipped"};
    }
    if (!have_emg_) {
      emg_t0_ = t_s;
      have_emg_ = true;
    }
    const double dt = emg_dt_ > 0.0 ? emg_dt_ : 0.0;
    if (have_emg_prev_) {
      const double d = t_s - emg_t_last_;
      // Typical spacing, for the integral of the first samples after a gap.
      emg_dt_ = emg_dt_ > 0.0 ? 0.99 * emg_dt_ + 0.01 * d : d;
    }
    // min() of two finite positive steps: std::fmin's value without its
    // out-of-line libm call (it differs only for NaN, impossible here).
    const double step = have_emg_prev_ ? min_step(t_s - emg_t_last_, 4.0 * (dt > 0.0 ? dt : t_s - emg_t_last_)) : 0.0;
    const std::int64_t b = bin_of(t_s);
    advance_bins(b);
    Bin& bin = bins_[slot(b)];
    const float stepf = static_cast<float>(step);
    // Channels are independent lanes: all MaxEmgChannels in vector
    // operations (accumulate_lanes), else one by one here.
    if (!accumulate_lanes(bin, pct_mvc, conditioned, stepf))
      for (int c = 0; c < cfg_.emg_channels; ++c) {
        const float p = pct_mvc ? pct_mvc[c] : NAN;
        const float v = conditioned ? conditioned[c] : NAN;
        if (std::isfinite(p)) {
          bin.sum_pct[c] += p;
          bin.n_pct[c] += 1;
        }
        if (std::isfinite(v)) {
          // madd, as the lanes do: whether a plain v * v + s is fused is the
          // compiler's choice, which differs between optimisation levels
          // (-O1 and -O3 gave the two paths different last bits).
          bin.sum_sq[c] = madd(v, v, bin.sum_sq[c]);
          bin.n_v[c] += 1;
          bin.sum_abs_dt[c] = madd(std::fabs(v), stepf, bin.sum_abs_dt[c]);
        }
      }
    emg_t_last_ = t_s;
    have_emg_prev_ = true;
    ++stats_.emg_samples;
    drain();
    return Status::success();
  }
  // A burst onset of one channel (e.g. emg::BurstEvent::time_s of an onset).
  Status push_emg_onset(int channel, double onset_s) {
    if (channel < 0 || channel >= cfg_.emg_channels) return Status::invalid("channel: must be within 0..emg_channels-1");
    if (!std::isfinite(onset_s)) return Status{StatusCode::bad_input, "onset_s: NaN/Inf"};
    Onsets& o = onsets_[channel];
    o.t[o.head] = onset_s;
    o.head = (o.head + 1) % kOnsets;
    if (o.n < kOnsets) ++o.n;
    return Status::success();
  }

  // ---- events and state
  // Oldest ready event; false when none is ready.
  bool pop(OutEvent& e) {
    if (ready_.empty()) {
      drain();
      if (ready_.empty()) return false;
    }
    return ready_.pop(e);
  }
  int pending() const { return ready_.size(); }

  ImuRepState state() const {
    ImuRepState s;
    s.t_s = t_last_;
    s.angle_deg = tracker_.angle_deg();
    s.rate_dps = tracker_.rate_dps();
    s.phase = phase_of(counter_.segmenter().state());
    s.axis_found = tracker_.axis_finder().locked();
    s.axis_explicit = tracker_.axis_finder().explicit_axis();
    s.axis_confidence = tracker_.axis_finder().confidence();
    const Vec3& a = tracker_.axis_finder().axis_sensor();
    const Vec3 b = tracker_.orientation().bias_dps();
    for (int i = 0; i < 3; ++i) {
      s.axis_sensor[i] = a[i];
      s.gyro_bias_dps[i] = b[i];
    }
    s.still = tracker_.orientation().still();
    s.reps_total = reps_total_;
    s.holds_total = holds_total_;
    s.sets_completed = sets_completed_;
    s.reps_in_open_set = counter_.sets().set_open() ? counter_.sets().reps_in_open_set() : 0;
    return s;
  }
  ImuRepStats stats() const {
    ImuRepStats s = stats_;
    s.events_dropped = counter_.events_dropped() + held_.dropped() + ready_.dropped();
    return s;
  }

  // Forgets the learned axis (keeps orientation and bias): call when the user
  // is at rest ready to start, after other movement (e.g. walking to the step).
  void relearn_axis() {
    tracker_.relearn_axis();
    was_valid_ = tracker_.valid();
    pre_n_ = 0;
    tentative_ = false;
    rare_ = restart_at_rest_;
  }
  // Per-rep scalar for the set's fatigue trend (see SetTracker::set_rep_scalar).
  Status set_rep_scalar(int rep_index, double value) { return counter_.set_rep_scalar(rep_index, value); }

  const Tracker& tracker() const { return tracker_; }
  const Counter& counter() const { return counter_; }

 private:
  static constexpr int kOnsets = 16;
  struct Bin {
    std::int64_t id = -1;
    float sum_pct[MaxEmgChannels] = {};
    float sum_sq[MaxEmgChannels] = {};
    float sum_abs_dt[MaxEmgChannels] = {};
    std::uint32_t n_pct[MaxEmgChannels] = {};
    std::uint32_t n_v[MaxEmgChannels] = {};
  };
  struct Onsets {
    double t[kOnsets] = {};
    int head = 0, n = 0;
  };
  struct Pre {
    double t_s;
    float up[3];
    float acc_dir[3];  // the accelerometer's unit vector (up, when the sensor is not accelerating)
    float acc_norm_mps2;  // |a| of the sample (the segmenter's carried-movement rule)
    float moved_m;        // displacement since the last rest (the segmenter's stride rule), NaN: unknown
  };
  // After the automatic axis corrected its sign (push()): the segmenter
  // restarts, at rest.
  void restart_after_sign_correction(double t_s) {
    if (tracker_.axis_finder().sign_corrections() != sign_corrections_seen_) {
      // The automatic axis corrected its sign (sagittal_axis.hpp): the angle
      // history before it is mirrored, so the segmenter starts afresh, and
      // it starts at rest (restart_at_rest_): the correction may come in
      // the middle of a movement (the lift evidence turns on a moving
      // sample), and a segmenter started there takes the turning point it
      // is started in for a rest. Every level the segmenter's rules read
      // is referenced to the rest before a movement (the rest before a
      // countermovement, the level a rise fell in from, a posture change's
      // rests: segmenter.hpp "Lone movements"), so it needs one, as at
      // the start of a session ("the session begins at rest",
      // sagittal_axis.hpp). Issue 16: a shank's sign corrected during a
      // sit-down (the shank tilting 14 deg forward) restarted it at the
      // bottom of that tilt; the rise to the seated posture then counted
      // as a lone raise from rest, and every later posture chained on it
      // as a set (6 false reps in 2 minutes of sit-to-stand).
      sign_corrections_seen_ = tracker_.axis_finder().sign_corrections();
      ++stats_.sign_corrections;
      // A rep accepted before the correction and waiting for its heel-
      // strike window (segmenter.hpp "Strides") is judged first: it was
      // measured on the angle as it stood, as a rep completed a sample
      // earlier would have been (review18: init() alone dropped it).
      (void)counter_.settle(t_s);
      (void)counter_.init(seg_cfg_, cfg_.sets);
      restart_at_rest_ = true;
    }
    if (restart_at_rest_) {
      // Calm as the axis finder's rest posture needs it (confirm_s of
      // quasi-static calm, sway allowed): the segmenter's own rest
      // detection (min_rest_s of stillness on the angle) then follows.
      const auto& f = tracker_.orientation();
      if (f.quasi_static() && f.quasi_static_time_s() >= cfg_.imu.axis.confirm_s) {
        restart_at_rest_ = false;
        (void)counter_.init(seg_cfg_, cfg_.sets);
      }
    }
  }

  // |a| (m/s^2) of the current sample, as the orientation filter computed
  // it (float; issue 16: one square root per sample instead of three). The
  // segmenter keeps it as a float anyway, and its carried-movement rule
  // compares RMS accelerations with 1.5 m/s^2 (a float ulp is 1e-6 of that).
  double acc_norm_mps2() const { return static_cast<double>(tracker_.orientation().acc_norm_mps2()); }

  // The off-axis angular rate (deg/s) of the current sample, for the
  // segmenter's hold-wobble rule (segmenter.hpp, "Hold wobble"): the
  // bias-corrected gyro less its running mean over kOffAxisMean_s (a
  // residual or drifting bias is no wobble), its component normal to the
  // sagittal axis (a raise's own rotation is not counted). The mean is
  // updated once per sample the segmenter takes (update_off_axis_mean), the
  // rate read after it.
  void update_off_axis_mean() {
    const Vec3& w = tracker_.orientation().rate_rps();
    for (int j = 0; j < 3; ++j) off_mean_[j] += off_mean_k_ * (w[j] - off_mean_[j]);
  }
  // Translation since the sensor last rested with zero velocity (segmenter.hpp,
  // "Strides": a stride carries the foot away, a heel raise brings it back).
  // The specific force, rotated to the world, less gravity, is integrated
  // twice (strapdown inertial navigation with zero-velocity updates, as
  // foot-mounted pedestrian navigation does: Foxlin 2005, IEEE Comput Graph
  // Appl 25(6):38; Skog et al. 2010, IEEE Trans Biomed Eng 57:2657); the
  // attitude is the gyro's alone from the rest on, levelled on the rest's
  // mean specific force (leave_rest()).
  // Zero velocity: kZuptSpan_s (0.2 s) turning under kZuptRate_rps (3 deg/s)
  // with |a| within kZuptAcc_mps2 of gravity: a foot flat in stance (0.2-0.4
  // s between strides, Perry & Burnfield 2010; 0.1 s also passed a shank's
  // slow turn inside a bouncy set, whose acceleration then levelled the
  // attitude 0.25 m astray: test BouncySetOpeningPartialUnderAStaleThreshold
  // Counts, seed 485), a raise's rest or its held top
  // (the forefoot planted, every point of the foot turning about it: v = w x
  // r, 0.013 m/s at 3 deg/s and r <= 0.25 m), not the turning point of a
  // quick movement (a shank's bouncy rep peaking at 12 deg/s stays under 3
  // deg/s for ~0.06 s there, while accelerating: at 10 deg/s such points
  // passed, and their acceleration, taken for gravity, tilted the attitude
  // by 3 deg).
  // The integrals restart only at a rest, where no judged movement can be:
  // after kRestZupt_s of it (the stride rule judges only movements whose top
  // lasted under kLoneTopPause_s, 0.4 s: a raise's top is no new origin, it
  // must come back down to the rest it left), or, once the segmenter runs
  // (the axis locked), while it rests. A quiet turning point inside a
  // movement restarts nothing. Before the lock the ring keeps the
  // displacement for the replay. Gravity is |a| at the rests (the
  // accelerometer's scale error cancels).
  // Known only within kCarryWindow_s of the rest: the error of a double
  // integral grows as t^2 (a 1 deg tilt error, 0.17 m/s^2, gives 0.12 m in
  // 1.2 s), and a stride's push-off and swing last <= 60 % of a 2 s stride
  // (heel-off at 40 % of the cycle: Perry & Burnfield 2010; stairs at
  // 1.3-1.8 steps/s, Riener et al. 2002, and level gait down to 60
  // steps/min): a bouncy set's later reps, with no rest, are not judged.
  // (1.5 s let the drift of quick sets' first reps reach 0.15 m: 5 bouncy
  // sets of ~3000 lost on the development ranges; 1.2 s none.)
  // Limits (stated): an accelerometer's zero-g offset (up to 0.05 g in
  // consumer parts; not in our simulators) rotates with the sensor and adds
  // up to |offset| x sin(range) to the acceleration's error (~0.1 m in a 1 s,
  // 40 deg movement); the first movement of a stream, before any rest, is
  // not judged.
  static constexpr double kZuptSpan_s = 0.2;
  static constexpr float kZuptRate_rps = static_cast<float>(3.0 / 57.295779513082320876798);
  static constexpr float kZuptAcc_mps2 = 0.5f;  // 0.05 g: sway and noise pass, a foot's swing does not
  static constexpr double kCarryWindow_s = 1.2;
  static constexpr double kRestZupt_s = 0.4;
  static constexpr double kRestMean_s = 0.1;  // the accelerometer's noise, 0.05 m/s^2 a sample, to < 0.1 deg
  static constexpr double kBiasDrift_m = 0.03;  // a fifth of the stride rule's 0.15 m
  static constexpr float kZuptGravityK = 0.05f;  // per zero-velocity sample: ~20 samples' mean
  using Quat = Eigen::Quaternion<float>;
  Vec3 tr_v_ = Vec3::Zero(), tr_p_ = Vec3::Zero();
  Quat tr_q_ = Quat::Identity();  // sensor -> world, by the gyro since the last zero velocity
  Vec3 tr_a_rest_ = Vec3::Zero();  // mean specific force at the rests (sensor frame, m/s^2)
  float tr_g_mps2_ = 0.0f;  // 0: not yet learned
  double tr_quiet_s_ = 0.0;
  double tr_since_v0_s_ = kCarryWindow_s + 1.0;
  double tr_judged_until_s_ = -1.0;  // the displacement is judged up to this time since the rest (leave_rest())
  void update_translation(const float* acc) {
    const auto& f = tracker_.orientation();
    const double dt = f.last_dt_s();
    const float an = f.acc_norm_mps2();
    const float k = f.acc_scale();
    const Vec3 a(acc[0] * k, acc[1] * k, acc[2] * k);  // m/s^2
    const bool quiet = f.rate_rps().squaredNorm() < kZuptRate_rps * kZuptRate_rps &&
                       (!(tr_g_mps2_ > 0.0f) || std::fabs(an - tr_g_mps2_) < kZuptAcc_mps2);
    tr_quiet_s_ = quiet ? tr_quiet_s_ + dt : 0.0;
    if (tr_quiet_s_ >= kZuptSpan_s &&
        (tr_quiet_s_ >= kRestZupt_s ||
         (tracker_.valid() && counter_.segmenter().state() == Segmenter<HistoryCapacity>::State::rest))) {
      if (tr_g_mps2_ > 0.0f) {
        tr_g_mps2_ += kZuptGravityK * (an - tr_g_mps2_);
      } else {
        tr_g_mps2_ = an;
      }
      // The specific force's mean over this rest's last kRestMean_s only
      // (not the previous rest's: a shank rests a few degrees apart before
      // and after a rep).
      if (tr_since_v0_s_ != 0.0) {
        tr_a_rest_ = a;
      } else {
        const float km = static_cast<float>(dt < kRestMean_s ? dt / kRestMean_s : 1.0);
        tr_a_rest_ += km * (a - tr_a_rest_);
      }
      tr_q_ = f.quaternion();
      tr_since_v0_s_ = 0.0;
      return;
    }
    if (!(tr_g_mps2_ > 0.0f)) return;
    if (tr_since_v0_s_ == 0.0) leave_rest();
    tr_since_v0_s_ += dt;
    if (tr_since_v0_s_ > kCarryWindow_s) return;
    // The attitude by the gyro alone from the zero-velocity moment on (as
    // an inertial navigator between updates): the filter's accelerometer
    // correction, right at rest, pulls the tilt toward the specific force
    // while the sensor accelerates (a quick raise's 2-3 m/s^2 tilt it by
    // 2-3 deg in 0.5 s: 0.2 m of displacement), the gyro's learned bias
    // (<= 0.5 deg/s) by under 1 deg in the window.
    const float h = static_cast<float>(dt);
    const Vec3 half = f.rate_rps() * (0.5f * h);
    const float k_norm = 0.5f * (3.0f - tr_q_.squaredNorm() * (1.0f + half.squaredNorm()));
    tr_q_ = tr_q_ * Quat(1.0f, half.x(), half.y(), half.z());
    tr_q_.coeffs() *= k_norm;
    Vec3 a_world = tr_q_ * a;
    a_world.z() -= tr_g_mps2_;
    tr_v_ += a_world * h;
    tr_p_ += tr_v_ * h;
  }
  // Leaving a rest (once per movement, out of line): the integrals start
  // at zero, the attitude levelled on the rest's mean specific force
  // (gravity, at zero velocity), not the filter's, which smooths the
  // accelerometer and lagged ~1 deg behind it (1 deg of tilt is 0.17 m/s^2,
  // 0.12 m of displacement in 1.2 s), and the time up to which the
  // displacement is judged: the gyro bias's error tilts the attitude by
  // e t, displacing by g e t^3 / 6, which with e = 3 SDs of the filter's
  // estimate (per axis, three axes) must stay under kBiasDrift_m (until the
  // bias is learned at the first rests nothing is judged: a 3 deg/s
  // power-on bias gives 0.15 m in 1.2 s).
  SOLEUS_NOINLINE void leave_rest() {
    tr_v_.setZero();
    tr_p_.setZero();
    const Vec3 up_world = tr_q_ * tr_a_rest_;
    tr_q_ = Quat::FromTwoVectors(up_world, Vec3::UnitZ()) * tr_q_;
    const double e = 3.0 * std::sqrt(3.0 * static_cast<double>(tracker_.orientation().bias_var_rps2()));
    const double t_bias_s = e > 0.0 ? std::cbrt(6.0 * kBiasDrift_m / (kStandardGravity_mps2 * e)) : kCarryWindow_s;
    tr_judged_until_s_ = t_bias_s < kCarryWindow_s ? t_bias_s : kCarryWindow_s;
  }
  double moved_m() const {
    if (!(tr_since_v0_s_ <= tr_judged_until_s_)) return std::numeric_limits<double>::quiet_NaN();
    if (tr_since_v0_s_ == 0.0) return 0.0;  // at the rest (the integrals restart when it is left)
    return static_cast<double>(tr_p_.norm());
  }
  double off_axis_rate_dps() const {
    const Vec3& w = tracker_.orientation().rate_rps();
    const Vec3& a = tracker_.axis_finder().axis_sensor();
    const Vec3 d(w[0] - off_mean_[0], w[1] - off_mean_[1], w[2] - off_mean_[2]);
    const float along = d.dot(a);
    const float perp2 = d.squaredNorm() - along * along;
    return static_cast<double>(std::sqrt(perp2 > 0.0f ? perp2 : 0.0f)) * (180.0 / 3.14159265358979323846);
  }

  static RepPhase phase_of(typename Segmenter<HistoryCapacity>::State s) {
    using S = typename Segmenter<HistoryCapacity>::State;
    switch (s) {
      case S::rest: return RepPhase::rest;
      case S::rising: return RepPhase::concentric;
      case S::top: return RepPhase::top;
      case S::lowering: return RepPhase::eccentric;
      case S::finishing: return RepPhase::finishing;
    }
    return RepPhase::rest;
  }

  void reset_stream() {
    pre_head_ = pre_n_ = 0;
    acc_lp_t_ = -1e301;
    off_mean_[0] = off_mean_[1] = off_mean_[2] = 0.0f;
    tr_v_.setZero();
    tr_p_.setZero();
    tr_q_ = Quat::Identity();
    tr_a_rest_.setZero();
    tr_g_mps2_ = 0.0f;
    tr_quiet_s_ = 0.0;
    tr_since_v0_s_ = kCarryWindow_s + 1.0;
    tr_judged_until_s_ = -1.0;
    decim_k_ = decim_ - 1;  // the first sample is taken
    was_valid_ = tracker_.valid();
    sign_corrections_seen_ = 0;
    restart_at_rest_ = tentative_ = rare_ = false;
    t_last_ = 0.0;
    finished_ = false;
    held_.clear();
    ready_.clear();
    stats_ = ImuRepStats{};
    reps_total_ = holds_total_ = sets_completed_ = 0;
    have_emg_ = have_emg_prev_ = false;
    emg_t0_ = emg_t_last_ = emg_dt_ = 0.0;
    emg_newest_bin_ = -1;
    for (auto& b : bins_) b = Bin{};
    for (auto& o : onsets_) o = Onsets{};
  }

  // Ring of the most recent pre-lock samples: when full, the oldest goes.
  // Out of line: only the seconds before the axis locks take it.
  SOLEUS_NOINLINE void prelock_push(double t_s, const Vec3& up, const float* acc) {
    Pre* p;
    if (pre_n_ == PreLockCapacity) {
      p = &pre_[pre_head_];
      pre_head_ = (pre_head_ + 1) % PreLockCapacity;
      ++stats_.prelock_dropped;
    } else {
      p = &pre_[(pre_head_ + pre_n_) % PreLockCapacity];
      ++pre_n_;
    }
    p->t_s = t_s;
    p->up[0] = up[0];
    p->up[1] = up[1];
    p->up[2] = up[2];
    p->acc_norm_mps2 = tracker_.orientation().acc_norm_mps2();
    p->moved_m = static_cast<float>(moved_m());
    // The accelerometer low-passed at the segmenter's detection bandwidth
    // (smoothing_cutoff_hz, first order): the segmenter judges movement on
    // its angle smoothed so, and a lone noisy sample (0.03 m/s^2 per axis is
    // ~0.25 deg of tilt, its extremes over seconds ~1 deg) is no tilt.
    const double dt = acc_lp_t_ > -1e300 ? t_s - acc_lp_t_ : 0.0;
    const float k = acc_lp_t_ > -1e300
                        ? static_cast<float>(1.0 - std::exp(-2.0 * 3.14159265358979323846 * seg_cfg_.smoothing_cutoff_hz * dt))
                        : 1.0f;
    acc_lp_t_ = t_s;
    for (int j = 0; j < 3; ++j) acc_lp_[j] += k * (acc[j] - acc_lp_[j]);
    const float n = std::sqrt(acc_lp_[0] * acc_lp_[0] + acc_lp_[1] * acc_lp_[1] + acc_lp_[2] * acc_lp_[2]);
    for (int j = 0; j < 3; ++j) p->acc_dir[j] = n > 0.0f ? acc_lp_[j] / n : 0.0f;
  }

  // The samples before the lock, as angles about the locked axis from the
  // reference the tracker starts with (its rest posture): the same formula
  // the tracker applies from the lock on.
  Status replay_prelock() {
    Status out = Status::success();
    const auto& finder = tracker_.axis_finder();
    const Vec3& a = finder.axis_sensor();
    const Vec3& ref = tracker_.reference_up_sensor();
    // The replay starts where the rest posture (the angle's reference) was
    // sampled when the automatic axis has one and the sensor, by its
    // accelerometer, never turned about the locked axis by the smallest rep
    // (the segmenter's min_excursion_deg, on the angle's scale) away from
    // that posture before it: such a prefix holds no rep by definition. What
    // it does hold is the orientation filter settling at power-on (a gyro
    // bias of up to 3 deg/s not yet learned tilts its up vector by 1-2 deg
    // over the first seconds while the sensor lies still; the accelerometer
    // needs no bias and shows no such tilt), which, replayed against the
    // settled rest, read as a slow 1.5 deg "rise" (above 'auto''s 1.5 deg
    // min_excursion_deg) whose top the session's first rep then extended,
    // or whose undershoot below its start rejected that rep with it. A
    // prefix with movement in it (a first rep before the rest posture was
    // confirmed, the heels dropping off a step) is replayed whole, as before.
    double replay_from_s = -1e300;
    if (!finder.explicit_axis() && finder.has_rest()) {
      const double t_rest_s = t_last_ - finder.rest_age_s() - 1e-9;
      bool still_before = true;
      for (int i = 0; i < pre_n_ && still_before; ++i) {
        const Pre& p = pre_[(pre_head_ + i) % PreLockCapacity];
        if (p.t_s >= t_rest_s) break;
        // Tilt about the locked axis (the angle the segmenter sees; roll and
        // yaw sway, 0.3-0.5 deg RMS standing, are no rep).
        const Vec3 acc_up(p.acc_dir[0], p.acc_dir[1], p.acc_dir[2]);
        const float tilt_deg = tracker_.output_deg(Tracker::angle_about(a, acc_up, ref));
        still_before = std::fabs(tilt_deg) < seg_cfg_.min_excursion_deg;
      }
      // From rest_window_s (1 s) before it: the rest the segmenter averages
      // for the first rep's baseline, and its stillness before a rise.
      if (still_before) replay_from_s = t_rest_s - seg_cfg_.rest_window_s;
    }
    for (int i = 0; i < pre_n_; ++i) {
      const Pre& p = pre_[(pre_head_ + i) % PreLockCapacity];
      if (p.t_s < replay_from_s) continue;
      const Vec3 up(p.up[0], p.up[1], p.up[2]);
      const float ang = tracker_.output_deg(Tracker::angle_about(a, up, ref));
      const double nan = std::numeric_limits<double>::quiet_NaN();
      const Status s = counter_.push(p.t_s, static_cast<double>(ang), static_cast<double>(p.acc_norm_mps2), nan, nan,
                                     static_cast<double>(p.moved_m));
      if (s.code == StatusCode::capacity_exceeded && out.ok()) out = s;
      drain();
    }
    // Kept (and the events held) while the lock is pending (see rare_path()).
    if (!finder.lock_tentative()) pre_n_ = pre_head_ = 0;
    else tentative_ = rare_ = true;
    return out;
  }
  // The finder undid a lock taken on a shank's stride (push()). The events
  // of the walking fragment were held in the counter (drain_events()) and
  // never left it: dropped, so nothing is counted twice when the ring is
  // replayed at the next lock.
  SOLEUS_NOINLINE void undo_lock() {
    was_valid_ = false;
    ++stats_.gait_unlocks;
    Event e;
    while (counter_.pop(e)) {
    }
    (void)counter_.init(seg_cfg_, cfg_.sets);
    restart_at_rest_ = tentative_ = rare_ = false;
  }
  // The locked path's rare cases, out of line (one flag test per sample):
  // a pending lock (sagittal_axis.hpp lock_tentative(): it may still prove
  // to be a shank's stride's, 2.5 s at most) keeps the pre-lock ring growing
  // and the counter's events held, so that its undoing leaves the ring whole
  // for the next lock and nothing of the fragment out; a sign correction
  // restarts the segmenter at rest.
  SOLEUS_NOINLINE void rare_path(double t_s, bool take, const float* acc) {
    if (tentative_) {
      if (tracker_.axis_finder().lock_tentative()) {
        if (take) prelock_push(t_s, tracker_.orientation().up_sensor(), acc);
      } else {
        tentative_ = false;  // the lock stands: the ring was replayed at it, the held events go out (drain())
        pre_n_ = pre_head_ = 0;
      }
    }
    restart_after_sign_correction(t_s);
    rare_ = restart_at_rest_ || tentative_;
  }

  static double min_step(double a, double b) { return a < b ? a : b; }

  // One hook sample of all MaxEmgChannels channels into a bin: with 256-bit lanes,
  // eight channels per vector operation (the compiler does not vectorise the
  // per-channel loop in push_emg(): conditional updates of a struct it cannot
  // prove unaliased). Bit-identical to that loop: a non-finite value leaves
  // its sums and counts as they were (blended, not added: x + 0 is not x for
  // x = -0), isfinite(x) is |x| <= FLT_MAX (false for Inf and NaN), and the
  // two multiply-adds are fused exactly where the scalar loop's `s += a * b`
  // is contracted into an fma (with FMA hardware; a*b+c without it).
  // False (nothing done) when that does not apply: fewer channels in use,
  // a missing array, no hardware 256-bit lanes, or MaxEmgChannels not a
  // multiple of 8; then
  // push_emg()'s own loop runs.
  bool accumulate_lanes(Bin& bin, const float* pct, const float* cond, float stepf) const {
#if SOLEUS_LANES_NATIVE_256
    if constexpr (MaxEmgChannels % 8 == 0) {
      if (cfg_.emg_channels != MaxEmgChannels || !pct || !cond) return false;
      using F8 = Lanes<float, 8>;
      using U8 = Lanes<std::uint32_t, 8>;
      const F8 fmax = F8::broadcast(std::numeric_limits<float>::max());
      const F8 step = F8::broadcast(stepf);
      for (int c = 0; c < MaxEmgChannels; c += 8) {
        const F8 p = F8::load(pct + c), v = F8::load(cond + c);
        const F8 av = lane_abs(v);
        const LaneMask<float, 8> fp = lane_le(lane_abs(p), fmax);
        const LaneMask<float, 8> fv = lane_le(av, fmax);
        const F8 sp = F8::load(bin.sum_pct + c);
        const F8 sq = F8::load(bin.sum_sq + c);
        const F8 sa = F8::load(bin.sum_abs_dt + c);
        // madd: fused with FMA hardware, a*b+c without, as the scalar loop.
        const F8 sq1 = madd(v, v, sq);
        const F8 sa1 = madd(av, step, sa);
        lane_select(fp, sp + p, sp).store(bin.sum_pct + c);
        lane_select(fv, sq1, sq).store(bin.sum_sq + c);
        lane_select(fv, sa1, sa).store(bin.sum_abs_dt + c);
        lane_count_where(U8::load(bin.n_pct + c), fp).store(bin.n_pct + c);
        lane_count_where(U8::load(bin.n_v + c), fv).store(bin.n_v + c);
      }
      return true;
    }
#endif
    (void)bin;
    (void)pct;
    (void)cond;
    (void)stepf;
    return false;
  }

  // Moves the counter's events into the held queue, then every event that
  // is ready (its EMG covered) into the ready queue, in order. Called after
  // every sample: the test that finds nothing to move (most samples) stays
  // inline, the moving is out of line (its register saves cost more than the
  // test when they run on every call).
  void drain() {
    // Most samples emit nothing: no event objects are built then.
    if (counter_.pending() == 0 && held_.empty()) return;
    drain_events();
  }
  SOLEUS_NOINLINE void drain_events() {
    // A pending lock's events stay in the counter (undo_lock() drops them).
    while (!tentative_ && counter_.pending() > 0) {
      OutEvent o;
      (void)counter_.pop(o.event);
      (void)held_.push(o);  // overflow counted by the queue (stats().events_dropped)
    }
    while (!held_.empty()) {
      const OutEvent& h = held_.peek(0);
      const bool rep = h.event.type == EventType::rep_completed || h.event.type == EventType::hold_completed;
      bool emg_ok = true;
      if (rep && cfg_.emg_channels > 0) {
        const bool covered = have_emg_ && emg_t_last_ >= h.event.rep.end_s;
        const bool timeout = finished_ || t_last_ - h.event.rep.end_s > cfg_.emg_max_wait_s;
        if (!covered && !timeout) break;
        emg_ok = covered;
      }
      OutEvent o;
      (void)held_.pop(o);
      if (rep) {
        fill_emg(o.event.rep, o.emg, emg_ok);
        if (o.event.type == EventType::rep_completed) ++reps_total_;
        else ++holds_total_;
      }
      if (o.event.type == EventType::set_completed) ++sets_completed_;
      (void)ready_.push(o);
    }
  }

  std::int64_t bin_of(double t_s) const {
    const double q = std::floor((t_s - emg_t0_) / cfg_.emg_bin_s);
    // Clamped before the cast: with a wild first stamp (-9e300) the quotient
    // overflows int64, and that cast is undefined behaviour. Bins that far
    // apart are all "out of the ring" anyway.
    constexpr double kMaxBin = 4.0e18;
    return static_cast<std::int64_t>(q < -kMaxBin ? -kMaxBin : (q > kMaxBin ? kMaxBin : q));
  }
  static int slot(std::int64_t b) { return static_cast<int>(b % EmgBins); }
  void advance_bins(std::int64_t b) {
    if (b <= emg_newest_bin_) return;
    std::int64_t from = emg_newest_bin_ + 1;
    if (b - from >= EmgBins) from = b - EmgBins + 1;
    for (std::int64_t k = from; k <= b; ++k) {
      Bin& x = bins_[slot(k)];
      x = Bin{};
      x.id = k;
    }
    emg_newest_bin_ = b;
  }

  void fill_emg(const Rep& r, RepEmgStats<MaxEmgChannels>& s, bool covered) {
    s.channels = cfg_.emg_channels;
    if (s.channels == 0) return;
    const double edges[5] = {r.start_s, r.top_s, r.lower_start_s, r.end_s, 0.0};
    bool in_ring = have_emg_ && bin_of(r.start_s) > emg_newest_bin_ - EmgBins;
    s.complete = covered && in_ring;
    if (!s.complete) ++stats_.emg_reps_incomplete;
    for (int c = 0; c < s.channels; ++c) {
      double tp[4] = {}, tq[4] = {}, ta[4] = {};
      std::uint32_t np[4] = {}, nv[4] = {};
      for (int ph = 0; ph < 3; ++ph) {
        if (!have_emg_) break;
        std::int64_t b0 = bin_of(edges[ph]), b1 = bin_of(edges[ph + 1]);
        // Bins are attributed by their start: [b0, b1) with the phase's
        // boundaries quantised to emg_bin_s.
        if (b0 < emg_newest_bin_ - EmgBins + 1) b0 = emg_newest_bin_ - EmgBins + 1;
        if (b0 < 0) b0 = 0;  // the rep began before the first EMG sample
        if (b1 > emg_newest_bin_ + 1) b1 = emg_newest_bin_ + 1;
        for (std::int64_t k = b0; k < b1; ++k) {
          const Bin& x = bins_[slot(k)];
          if (x.id != k) continue;
          tp[ph] += x.sum_pct[c];
          np[ph] += x.n_pct[c];
          tq[ph] += x.sum_sq[c];
          nv[ph] += x.n_v[c];
          ta[ph] += x.sum_abs_dt[c];
        }
        tp[3] += tp[ph]; np[3] += np[ph]; tq[3] += tq[ph]; nv[3] += nv[ph]; ta[3] += ta[ph];
      }
      for (int ph = 0; ph < 4; ++ph) {
        s.mean_pct_mvc[c][ph] = np[ph] ? static_cast<float>(tp[ph] / np[ph]) : NAN;
        s.rms_mv[c][ph] = nv[ph] ? static_cast<float>(std::sqrt(tq[ph] / nv[ph])) : NAN;
        s.iemg_mv_s[c][ph] = nv[ph] ? static_cast<float>(ta[ph]) : NAN;
      }
      float best = NAN;
      const Onsets& o = onsets_[c];
      for (int i = 0; i < o.n; ++i) {
        const double t = o.t[(o.head - 1 - i + kOnsets) % kOnsets];
        if (t >= r.start_s - cfg_.emg_onset_lead_s && t <= r.top_s) {
          const float rel = static_cast<float>(t - r.start_s);
          if (!(best <= rel)) best = rel;  // earliest in the window
        }
      }
      s.onset_rel_heel_off_s[c] = best;
    }
  }

  ImuRepConfig cfg_{};
  bool configured_ = false;
  Tracker tracker_{};
  Counter counter_{};
  ::soleus::EventQueue<OutEvent, QueueCapacity> held_{};
  ::soleus::EventQueue<OutEvent, QueueCapacity> ready_{};
  Pre pre_[PreLockCapacity] = {};
  unsigned sign_corrections_seen_ = 0;
  // A sign correction restarted the segmenter: it is fed again from the
  // first calm sample on (see push()).
  bool restart_at_rest_ = false;
  int pre_head_ = 0, pre_n_ = 0;
  bool was_valid_ = false;
  bool tentative_ = false;  // a pending lock: the pre-lock ring grows, the counter's events are held (rare_path())
  bool rare_ = false;       // restart_at_rest_ || tentative_: rare_path() per sample
  static constexpr double kMaxSegmenterRate_hz = 200.0;  // see the header
  SegmenterConfig seg_cfg_{};  // the segmenter's configuration at its (capped) rate
  int decim_ = 1;              // segmenter takes every decim_-th sample
  int decim_k_ = 0;
  bool finished_ = false;
  double t_last_ = 0.0;
  float acc_lp_[3] = {0.0f, 0.0f, 0.0f};  // low-passed accelerometer of the pre-lock samples
  // Running mean of the bias-corrected gyro (rad/s) over kOffAxisMean_s
  // (off_axis_rate_dps): 1 s passes a hold's 0.5-3 Hz wobble (95 % of it at
  // 0.5 Hz) and removes a bias the filter has not yet learned.
  static constexpr double kOffAxisMean_s = 1.0;
  float off_mean_[3] = {0.0f, 0.0f, 0.0f};
  float off_mean_k_ = 1.0f;
  double acc_lp_t_ = -1e301;              // its last sample's time (-1e301: none yet)
  ImuRepStats stats_{};
  int reps_total_ = 0, holds_total_ = 0, sets_completed_ = 0;
  // EMG
  Bin bins_[EmgBins] = {};
  Onsets onsets_[MaxEmgChannels] = {};
  bool have_emg_ = false, have_emg_prev_ = false;
  double emg_t0_ = 0.0, emg_t_last_ = 0.0, emg_dt_ = 0.0;
  std::int64_t emg_newest_bin_ = -1;
};

}  // namespace soleus::reps
