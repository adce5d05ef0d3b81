// Streaming stride detector for a foot- or shank-worn IMU, any mounting, 60-200 Hz.
// It tells the daily calf-pump activity (session.hpp) that the person walks:
// each confirmed stride is an event with its time. No heap, a few flops and
// no square root per sample, fixed state.
//
// What a "step" is here: one stride of the instrumented foot (toe-off to the
// next toe-off of the same foot). A sensor on one foot or shank sees its own
// foot's strides only; the steps of both feet are twice the strides
// (steps_both_feet(), exact for symmetric walking, within one step per bout).
//
// Why the gyro norm |w| and nothing else: it does not depend on how the sensor
// is mounted (any rotation of the sensor frame leaves it unchanged), needs no
// axis finding and no orientation, and it shows the gait cycle plainly:
//  * mid-stance: the foot is flat and nearly still, |w| < ~50 deg/s
//    (the zero-velocity interval of ZUPT detectors; Skog et al. 2010,
//    IEEE TBME 57(11)); the shank turns slowly over the foot, well under a
//    quarter of its swing peak (Aminian et al. 2002, J Biomech 35(5));
//  * push-off and swing: the foot turns at 300-600 deg/s in walking
//    (Mariani et al. 2010, J Biomech 43(15); Rampp et al. 2015, IEEE TBME
//    62(4)), the shank at 250-400 deg/s;
//  * a stride lasts 0.8-1.4 s (cadence 1.4-2.2 steps/s; Hausdorff 2007,
//    Ji et al. 2005), of which the foot moves (push-off to heel strike) for
//    ~40-60 %: 0.3-0.8 s.
// So one stride is one "motion hump": |w| rises above swing_gyro_dps and stays
// up until it has been below max(still_gyro_dps, quiet_fraction x the hump's
// peak) for quiet_s (the next stance). A hump counts as a stride when it
// lasted min_motion_s..max_motion_s. Seated motion gives no strides: fidgets
// (2-4 deg) and ankle pumps stay below 200 deg/s (a pump of range A at f Hz
// peaks at pi f A: 126 deg/s for 40 deg at 1 Hz, 188 at 1.5 Hz), and a
// continuous oscillation (pumps, pedalling) never falls quiet for quiet_s, so
// a "hump" of it outlasts max_motion_s.
//
// First and last strides of a bout (gait initiation and termination) swing
// slower than steady walking: the first step accelerates from standing and
// the last one brakes, so their swing peaks fall to roughly half the steady
// value (Jian et al. 1993, Gait Posture 1(1); Crenna et al. 2001, on gait
// termination), and slow bouts put them under swing_gyro_dps. A hump whose
// peak lies between weak_gyro_dps and swing_gyro_dps is therefore a stride
// only by gait continuity: when a full stride of the same bout follows or
// precedes it within bout_gap_s (one slow stride period). Seated pumps and
// fidgets never have a full-speed stride beside them (sitting down or
// standing up takes longer than bout_gap_s), so they still give none.
//
// Event time: the first peak of the hump (|w| falls below lobe_fraction of
// it before rising again): the foot's fastest push-off rotation just before
// toe-off, the stride border that segmentation methods use (the gyro
// extremum before swing; Barth et al. 2015, Sensors 15(3)). The stride is
// confirmed at the end of the hump (0.4-0.9 s later); its time is back-dated.
//
// Time: dt <= 0 (repeated / out-of-order stamps) and NaN/Inf samples are
// ignored; a jump longer than max_gap_s abandons the hump in progress (what
// the foot did in the gap is unknown) and restarts from rest.
#pragma once

#include <cmath>
#include <cstdint>

#include "soleus/core/status.hpp"
#include "soleus/imu/orientation.hpp"  // GyroUnit

namespace soleus::imu {

struct StepSettings {
  GyroUnit gyro_unit = GyroUnit::dps;
  double swing_gyro_dps = 200.0;  // a hump starts above this (walking swing 300-600 deg/s)
  double still_gyro_dps = 50.0;   // stance: below this (ZUPT, Skog 2010) ...
  double quiet_fraction = 0.25;   // ... or below this fraction of the hump's peak (a shank in stance)
  double quiet_s = 0.08;          // that long quiet ends the hump (longer than the push-off/swing dip)
  double lobe_fraction = 0.5;     // the first peak ends when |w| falls below this fraction of it
  double min_motion_s = 0.15;     // shorter humps are knocks, not a swing
  double max_motion_s = 1.5;      // longer ones are not one stride (pedalling, handling the sensor)
  double max_gap_s = 0.25;        // a larger time step abandons the hump in progress
  // First / last strides of a bout (see above): a hump peaking in
  // [weak_gyro_dps, swing_gyro_dps) counts when a full stride lies within
  // bout_gap_s of it (a slow stride lasts up to ~1.4-2 s).
  double weak_gyro_dps = 100.0;
  double bout_gap_s = 2.0;
};

inline const StepSettings kDefaultStepSettings{};

inline Status validate(const StepSettings& s) {
  if (!(s.swing_gyro_dps > 0.0)) return Status::invalid("swing_gyro_dps: must be > 0");
  if (!(s.still_gyro_dps >= 0.0 && s.still_gyro_dps < s.swing_gyro_dps))
    return Status::invalid("still_gyro_dps: must be within 0..swing_gyro_dps");
  if (!(s.quiet_fraction >= 0.0 && s.quiet_fraction < 1.0)) return Status::invalid("quiet_fraction: must be within [0, 1)");
  if (!(s.lobe_fraction > 0.0 && s.lobe_fraction < 1.0)) return Status::invalid("lobe_fraction: must be within (0, 1)");
  if (!(s.quiet_s > 0.0 && s.quiet_s < 1.0)) return Status::invalid("quiet_s: must be within (0, 1) s");
  if (!(s.min_motion_s >= 0.0 && s.max_motion_s > s.min_motion_s))
    return Status::invalid("min_motion_s, max_motion_s: need 0 <= min < max");
  if (!(s.max_gap_s > 0.0)) return Status::invalid("max_gap_s: must be > 0");
  if (!(s.weak_gyro_dps > s.still_gyro_dps && s.weak_gyro_dps <= s.swing_gyro_dps))
    return Status::invalid("weak_gyro_dps: must be within (still_gyro_dps, swing_gyro_dps]");
  if (!(s.bout_gap_s >= 0.0 && s.bout_gap_s < 10.0)) return Status::invalid("bout_gap_s: must be within [0, 10) s");
  return Status::success();
}

struct StepEvent {
  double t_s = 0.0;             // the stride's push-off peak (stream time)
  double motion_start_s = 0.0;  // the hump: |w| first above swing_gyro_dps ...
  double motion_end_s = 0.0;    // ... and last above the quiet level
  double confirmed_at_s = 0.0;  // the sample that confirmed it
  float peak_gyro_dps = 0.0f;   // the hump's peak |w|
  std::uint32_t index = 0;      // 0, 1, ... since init()
};

class StepDetector {
 public:
  Status init(const StepSettings& s = kDefaultStepSettings) {
    const Status st = validate(s);
    if (!st) return st;
    cfg_ = s;
    const double scale = s.gyro_unit == GyroUnit::rad_per_s ? 180.0 / 3.14159265358979323846 : 1.0;
    scale2_ = static_cast<float>(scale * scale);
    swing2_ = static_cast<float>(s.swing_gyro_dps * s.swing_gyro_dps);
    weak2_ = static_cast<float>(s.weak_gyro_dps * s.weak_gyro_dps);
    still2_ = static_cast<float>(s.still_gyro_dps * s.still_gyro_dps);
    quiet_f2_ = static_cast<float>(s.quiet_fraction * s.quiet_fraction);
    lobe_f2_ = static_cast<float>(s.lobe_fraction * s.lobe_fraction);
    strides_ = 0;
    reset();
    return Status::success();
  }

  // Forgets the hump in progress (keeps the settings and the stride count).
  void reset() {
    moving_ = false;
    have_t_ = false;
    last_t_ = 0.0;
    have_pending_ = false;
    last_full_t_ = -1e300;
    n_out_ = 0;
  }

  // One gyro sample (3 values, sensor frame, configured unit) at t_s.
  // Returns how many strides it confirmed (0, 1, or 2 when a full stride
  // also confirms a slow first stride held before it): event(0), event(1),
  // in time order; last() is the newest.
  int push(double t_s, const float* gyro) {
    n_out_ = 0;
    const float n2 = scale2_ * (gyro[0] * gyro[0] + gyro[1] * gyro[1] + gyro[2] * gyro[2]);
    if (!(n2 <= 3.0e38f) || !std::isfinite(t_s)) return 0;  // NaN/Inf: ignored
    if (have_t_) {
      const double dt = t_s - last_t_;
      if (!(dt > 0.0)) return 0;
      if (dt > cfg_.max_gap_s) moving_ = false;
    }
    have_t_ = true;
    last_t_ = t_s;
    if (have_pending_ && t_s - pending_.motion_end_s > cfg_.bout_gap_s + cfg_.max_motion_s)
      have_pending_ = false;  // no full stride came: it was not a bout's first stride
    if (!moving_) {
      if (n2 > weak2_) start_hump(t_s, n2);
      return 0;
    }
    if (n2 > hump_peak2_) hump_peak2_ = n2;
    if (!lobe_done_) {
      if (n2 > lobe_peak2_) {
        lobe_peak2_ = n2;
        lobe_t_ = t_s;
      } else if (n2 < lobe_f2_ * lobe_peak2_) {
        lobe_done_ = true;
      }
    }
    const float quiet2 = quiet_f2_ * hump_peak2_ > still2_ ? quiet_f2_ * hump_peak2_ : still2_;
    if (n2 >= quiet2) {
      last_loud_t_ = t_s;
      return 0;
    }
    if (t_s - last_loud_t_ < cfg_.quiet_s) return 0;
    moving_ = false;
    const double dur = last_loud_t_ - start_t_;
    if (dur < cfg_.min_motion_s || dur > cfg_.max_motion_s) return 0;
    StepEvent e;
    e.t_s = lobe_t_;
    e.motion_start_s = start_t_;
    e.motion_end_s = last_loud_t_;
    e.confirmed_at_s = t_s;
    e.peak_gyro_dps = std::sqrt(hump_peak2_);
    if (hump_peak2_ > swing2_) {
      // A full stride; a slow first stride held just before it joins the bout.
      if (have_pending_ && e.motion_start_s - pending_.motion_end_s <= cfg_.bout_gap_s) emit(pending_);
      have_pending_ = false;
      last_full_t_ = e.motion_end_s;
      emit(e);
    } else if (e.motion_start_s - last_full_t_ <= cfg_.bout_gap_s) {
      last_full_t_ = e.motion_end_s;  // a slow last stride of the bout (and the bout goes on)
      emit(e);
    } else {
      pending_ = e;  // perhaps a bout's slow first stride: decided by the next full one
      have_pending_ = true;
    }
    return n_out_;
  }
  int push(double t_s, const double* gyro) {
    const float g[3] = {static_cast<float>(gyro[0]), static_cast<float>(gyro[1]), static_cast<float>(gyro[2])};
    return push(t_s, g);
  }

  const StepEvent& last() const { return out_[n_out_ > 0 ? n_out_ - 1 : 0]; }
  // The strides confirmed by the last push(), in time order (i < events()).
  const StepEvent& event(int i) const { return out_[i]; }
  int events() const { return n_out_; }
  std::uint32_t strides() const { return strides_; }
  // Steps of both feet, assuming the other foot stepped between the strides.
  std::uint32_t steps_both_feet() const { return 2u * strides_; }
  // A full-speed hump is in progress (a slow one is not: seated pumps swing
  // at 100-190 deg/s and must not be blocked by it).
  bool moving() const { return moving_ && hump_peak2_ > swing2_; }
  const StepSettings& settings() const { return cfg_; }

 private:
  void start_hump(double t_s, float n2) {
    moving_ = true;
    lobe_done_ = false;
    start_t_ = last_loud_t_ = lobe_t_ = t_s;
    hump_peak2_ = lobe_peak2_ = n2;
  }

  void emit(StepEvent e) {
    e.index = strides_++;
    out_[n_out_++] = e;
  }

  StepSettings cfg_{};
  float scale2_ = 1.0f, swing2_ = 0.0f, weak2_ = 0.0f, still2_ = 0.0f, quiet_f2_ = 0.0f, lobe_f2_ = 0.0f;
  StepEvent out_[2] = {}, pending_{};
  int n_out_ = 0;
  bool have_pending_ = false;
  double last_full_t_ = -1e300;
  bool moving_ = false, lobe_done_ = false, have_t_ = false;
  double last_t_ = 0.0, start_t_ = 0.0, last_loud_t_ = 0.0, lobe_t_ = 0.0;
  float hump_peak2_ = 0.0f, lobe_peak2_ = 0.0f;
  std::uint32_t strides_ = 0;
};

}  // namespace soleus::imu
