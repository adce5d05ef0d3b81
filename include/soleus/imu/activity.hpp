// The calf-pump day from an IMU alone: strides (imu/steps.hpp), seated ankle
// pumps (imu/pumps.hpp) and stillness, turned into calf-pump active intervals
// and per-minute summaries. Streaming, no heap, fixed state; the Session feeds
// it every IMU sample it accepts, and the Python soleus.activity() is a loop
// over push().
//
// Active time: walking and pumping keep the calf pump going between the
// detected events, so an event marks active the time since the previous event
// of its kind when that came at most max_stride_s before (strides: 0.8-1.4 s,
// up to ~2 s in very slow gait; Hausdorff 2007), or since the previous pump
// when the pause between them was at most max_pump_gap_s; else only its own
// motion. Intervals are merged as
// a union (ActivityUnion's rule: each adds what lies past the covered end).
//
// Cycling: the pump detector tells a crank turn from a seated pump by the
// linear acceleration that comes with the foot's rocking (imu/pumps.hpp).
// Pedal cycles are calf-pump work (active time) but are not pumps: they are
// counted on their own (pedal_cycles, cycling_s), bridged like pumps (a pause
// under max_pump_gap_s between crank turns is still cycling).
//
// Stillness: |w| < still_gyro_dps and ||a| - g| < still_acc_mps2 for still_s.
// 10 deg/s tolerates an uncalibrated MEMS gyro bias of a few deg/s
// (orientation.hpp: bias prior 5 deg/s); 0.5 m/s^2 is a sensor at rest with
// its noise and scale error. Sitting still and standing still look the same to
// a foot sensor; posture at rest is told where the placement allows
// (imu/posture.hpp: a thigh tells standing from sitting-or-lying, a shank
// lying from upright, a foot nothing) and is unknown otherwise.
//
// Minutes: minute k covers [t0 + 60k, t0 + 60(k+1)) from the first sample.
// A minute closes min_lag_s after its end (so a back-dated interval still
// lands in it) and is queued for pop_minute(); minutes without any sample (a
// stream gap) are not queued.
#pragma once

#include <cmath>
#include <cstdint>

#include "soleus/core/event_queue.hpp"
#include "soleus/core/status.hpp"
#include "soleus/imu/posture.hpp"
#include "soleus/imu/pumps.hpp"
#include "soleus/imu/steps.hpp"

namespace soleus::imu {

struct ActivitySettings {
  GyroUnit gyro_unit = GyroUnit::dps;    // applied to steps and pumps
  double acc_scale = 1.0;                // acc units to m/s^2 (9.80665 for g)
  StepSettings steps{};
  PumpSettings pumps{};
  PostureSettings posture{};             // placement: foot (default) tells no posture
  double max_stride_s = 2.0;             // strides closer than this: walking in between
  double max_pump_gap_s = 2.0;           // a pause shorter than this between pumps: still pumping
  double still_gyro_dps = 10.0;
  double still_acc_mps2 = 0.5;
  double still_s = 2.0;
  double gravity_mps2 = 9.80665;
};

inline const ActivitySettings kDefaultActivitySettings{};

struct MinuteSummary {
  double start_s = 0.0;     // stream time the minute starts
  double active_s = 0.0;    // calf-pump active seconds (strides, pumps)
  double still_s = 0.0;     // seconds in the still state
  double covered_s = 0.0;   // seconds with samples (< 60 around gaps, at the ends)
  std::uint32_t strides = 0;
  std::uint32_t pumps = 0;
  std::uint32_t raises = 0;  // heel raises the caller reported (add_raise(); the Session's rep engine)
  std::uint32_t pedal_cycles = 0;  // crank turns while cycling (not counted in pumps)
  double cycling_s = 0.0;          // seconds of cycling (also in active_s)
};

// What one push() produced (bit flags).
enum ActivityFlags : unsigned {
  kActivityNone = 0u,
  kActivityStride = 1u,        // last_stride()
  kActivityPump = 2u,          // last_pump()
  kActivityStillEntered = 4u,  // still_since_s()
  kActivityStillLeft = 8u,
  kActivityMinute = 16u,       // a minute was queued (pop_minute())
  kActivityPedal = 32u,        // a crank turn: last_pump() with .pedal set
};

class ActivityDetector {
 public:
  static constexpr int kMinuteQueue = 8;

  Status init(const ActivitySettings& s = kDefaultActivitySettings) {
    ActivitySettings c = s;
    c.steps.gyro_unit = c.pumps.gyro_unit = c.gyro_unit;
    c.pumps.acc_scale = c.acc_scale;
    c.pumps.gravity_mps2 = c.gravity_mps2;
    if (!(c.max_stride_s > 0.0 && c.max_stride_s <= 5.0 && c.max_pump_gap_s >= 0.0 && c.max_pump_gap_s <= 5.0))
      return Status::invalid("max_stride_s, max_pump_gap_s: must be within 0..5 s");
    if (!(c.still_gyro_dps > 0.0 && c.still_acc_mps2 > 0.0 && c.still_s >= 0.0))
      return Status::invalid("still_gyro_dps, still_acc_mps2, still_s: must be > 0");
    if (!(c.acc_scale > 0.0 && c.gravity_mps2 > 0.0)) return Status::invalid("acc_scale, gravity_mps2: must be > 0");
    Status st = steps_.init(c.steps);
    if (!st) return st;
    if (!(st = pumps_.init(c.pumps))) return st;
    if (!(st = posture_.init(c.posture))) return st;
    cfg_ = c;
    const double gs = c.gyro_unit == GyroUnit::rad_per_s ? 180.0 / 3.14159265358979323846 : 1.0;
    still_g2_ = static_cast<float>(c.still_gyro_dps * c.still_gyro_dps / (gs * gs));
    minutes_.clear();
    have_t_ = false;
    still_ = false;
    quiet_since_ = 0.0;
    last_stride_t_ = last_pump_end_ = last_pedal_end_ = -1e300;
    covered_end_ = 0.0;
    total_active_s_ = total_cycling_s_ = 0.0;
    return Status::success();
  }

  // One sample (acc, gyro: 3 each, sensor frame, configured units). Returns
  // ActivityFlags. NaN/Inf samples and non-increasing stamps are ignored.
  unsigned push(double t_s, const float* acc, const float* gyro) {
    const float g2 = gyro[0] * gyro[0] + gyro[1] * gyro[1] + gyro[2] * gyro[2];
    const float a2 = acc[0] * acc[0] + acc[1] * acc[1] + acc[2] * acc[2];
    // A stamp beyond kMaxTime_s is ignored like NaN: there a double can no
    // longer count out minutes (start + 60 s == start at 1e300: the minute
    // loop never advanced, found by tests/python/test_fuzz_api.py).
    if (!(g2 <= 3.0e38f) || !(a2 <= 3.0e38f) || !(std::fabs(t_s) <= kMaxTime_s)) return kActivityNone;
    unsigned out = kActivityNone;
    double dt = 0.0;
    if (!have_t_) {
      have_t_ = true;
      t0_ = quiet_since_ = covered_end_ = t_s;
      open_minute(0, t0_);
      open_minute(1, t0_ + kMinute);
    } else {
      dt = t_s - last_t_;
      if (!(dt > 0.0)) return kActivityNone;
      if (dt > cfg_.steps.max_gap_s) {  // a gap: not covered, not still, not bridged
        dt = 0.0;
        last_stride_t_ = last_pump_end_ = last_pedal_end_ = -1e300;
      }
    }
    last_t_ = t_s;
    out |= close_minutes(t_s);
    MinuteSummary& m = minute_at(t_s);
    m.covered_s += dt;

    const int n_strides = steps_.push(t_s, gyro);
    double first_active_s = 1e300;  // two strides in one push: report their union
    for (int i = 0; i < n_strides; ++i) {
      const StepEvent& e = steps_.event(i);
      const bool on = e.t_s - last_stride_t_ <= cfg_.max_stride_s;
      add_active(on ? last_stride_t_ : e.motion_start_s, e.motion_end_s);
      if (last_active_[0] < first_active_s) first_active_s = last_active_[0];
      last_stride_t_ = e.t_s;
      ++minute_at(e.t_s).strides;
      out |= kActivityStride;
    }
    if (n_strides > 1 && first_active_s < last_active_[0]) last_active_[0] = first_active_s;
    if (pumps_.push(t_s, acc, gyro, steps_.moving())) {
      const PumpEvent& e = pumps_.last();
      if (e.pedal) {
        const bool on = e.start_s - last_pedal_end_ <= cfg_.max_pump_gap_s;
        const double s = on ? last_pedal_end_ : e.start_s;
        add_active(s, e.end_s);
        add_cycling(s, e.end_s);
        last_pedal_end_ = e.end_s;
        ++minute_at(e.start_s).pedal_cycles;
        out |= kActivityPedal;
      } else {
        const bool on = e.start_s - last_pump_end_ <= cfg_.max_pump_gap_s;
        add_active(on ? last_pump_end_ : e.start_s, e.end_s);
        last_pump_end_ = e.end_s;
        ++minute_at(e.start_s).pumps;
        out |= kActivityPump;
      }
    }

    // Stillness.
    const float am = std::sqrt(a2) * static_cast<float>(cfg_.acc_scale) - static_cast<float>(cfg_.gravity_mps2);
    const bool quiet = g2 < still_g2_ && am < static_cast<float>(cfg_.still_acc_mps2) &&
                       -am < static_cast<float>(cfg_.still_acc_mps2);
    if (!quiet) {
      quiet_since_ = t_s;
      if (still_) {
        still_ = false;
        out |= kActivityStillLeft;
      }
    } else if (!still_ && t_s - quiet_since_ >= cfg_.still_s) {
      still_ = true;
      out |= kActivityStillEntered;
    }
    if (still_) m.still_s += dt;
    (void)posture_.push(acc, dt, t_s - last_stride_t_ <= cfg_.max_stride_s, still_);
    return out;
  }
  unsigned push(double t_s, const double* acc, const double* gyro) {
    const float a[3] = {static_cast<float>(acc[0]), static_cast<float>(acc[1]), static_cast<float>(acc[2])};
    const float g[3] = {static_cast<float>(gyro[0]), static_cast<float>(gyro[1]), static_cast<float>(gyro[2])};
    return push(t_s, a, g);
  }

  // A heel raise found by another detector (the Session's rep engine) over
  // [start_s, end_s]: calf-pump activity, counted in the minute it started
  // (in the older open minute if it started before). Call it within kMinLag
  // of end_s, as the rep engine does (it confirms a rep at its end).
  void add_raise(double start_s, double end_s) {
    if (!have_t_ || !(end_s >= start_s)) return;
    ++minute_at(start_s).raises;
    add_active(start_s, end_s);
  }

  // End of the stream: queues the open minutes.
  void finish() {
    if (!have_t_) return;
    for (int k = 0; k < 2; ++k)
      if (open_[k].covered_s > 0.0) (void)minutes_.push(open_[k]);
    open_[0].covered_s = open_[1].covered_s = 0.0;
    have_t_ = false;
  }

  bool pop_minute(MinuteSummary& m) { return minutes_.pop(m); }
  std::uint64_t minutes_dropped() const { return minutes_.dropped(); }

  // The newest stride (a push may confirm two: step_detector().event(i)).
  const StepEvent& last_stride() const { return steps_.last(); }
  const PumpEvent& last_pump() const { return pumps_.last(); }
  // The active interval the last stride / pump added (for the Session's union).
  double last_active_start_s() const { return last_active_[0]; }
  double last_active_end_s() const { return last_active_[1]; }
  std::uint32_t strides() const { return steps_.strides(); }
  std::uint32_t pumps() const { return pumps_.pumps(); }
  std::uint32_t pedal_cycles() const { return pumps_.pedal_cycles(); }
  double cycling_s() const { return total_cycling_s_; }
  bool still() const { return still_; }
  // Posture while still (unknown while moving and where the placement cannot tell).
  Posture posture() const { return posture_.posture(); }
  const PostureTracker& posture_tracker() const { return posture_; }
  double still_since_s() const { return quiet_since_; }
  double active_s() const { return total_active_s_; }
  const StepDetector& step_detector() const { return steps_; }
  const PumpDetector& pump_detector() const { return pumps_; }

 private:
  static constexpr double kMinute = 60.0;
  // 1e12 s (31 700 years, far beyond any epoch clock): doubles there are
  // spaced 1.2e-4 s, so minute arithmetic stays exact to the sample.
  static constexpr double kMaxTime_s = 1e12;
  // Longer than any back-dating: a stride is confirmed <= ~1.6 s after its
  // push-off and bridges <= max_stride_s back; a pump starts <= 2 max_half_s
  // before it is confirmed and bridges <= max_pump_gap_s back.
  static constexpr double kMinLag = 10.0;

  void open_minute(int slot, double start) {
    open_[slot] = MinuteSummary{};
    open_[slot].start_s = start;
  }
  // open_[0] is the older minute, open_[1] the one after it.
  MinuteSummary& minute_at(double t) { return t >= open_[1].start_s ? open_[1] : open_[0]; }

  // Queues open_[0] once it ended kMinLag ago; after a long gap jumps to the
  // minute before now instead of walking through empty minutes.
  unsigned close_minutes(double t) {
    unsigned out = kActivityNone;
    while (t >= open_[0].start_s + kMinute + kMinLag) {
      if (open_[0].covered_s > 0.0) {
        if (minutes_.push(open_[0]).ok()) out |= kActivityMinute;
      }
      if (open_[1].covered_s > 0.0) {
        open_[0] = open_[1];
      } else {
        double start = open_[1].start_s;
        const double lagged = t0_ + std::floor((t - kMinLag - t0_) / kMinute) * kMinute;
        if (lagged > start) start = lagged;
        open_minute(0, start);
      }
      open_minute(1, open_[0].start_s + kMinute);
    }
    return out;
  }

  // Adds [s, e] to the union (what lies past the covered end), split by minute.
  void add_active(double s, double e) {
    if (s < covered_end_) s = covered_end_;
    if (!(e > s)) return;
    last_active_[0] = s;
    last_active_[1] = e;
    total_active_s_ += e - s;
    covered_end_ = e;
    add_to_minutes(s, e, &MinuteSummary::active_s);
  }

  // Adds [s, e] (disjoint from earlier pedal intervals: s >= the last one's
  // end) to cycling_s, split by minute.
  void add_cycling(double s, double e) {
    if (!(e > s)) return;
    total_cycling_s_ += e - s;
    add_to_minutes(s, e, &MinuteSummary::cycling_s);
  }

  // Splits [s, e] (e > s) between the two open minutes' `field`.
  void add_to_minutes(double s, double e, double MinuteSummary::*field) {
    const double split = open_[1].start_s;
    if (s < split) open_[0].*field += (e < split ? e : split) - (s > open_[0].start_s ? s : open_[0].start_s);
    if (e > split) open_[1].*field += e - (s > split ? s : split);
  }

  ActivitySettings cfg_{};
  StepDetector steps_;
  PumpDetector pumps_;
  PostureTracker posture_;
  float still_g2_ = 0.0f;
  bool have_t_ = false, still_ = false;
  double t0_ = 0.0, last_t_ = 0.0, quiet_since_ = 0.0;
  double last_stride_t_ = -1e300, last_pump_end_ = -1e300, last_pedal_end_ = -1e300;
  double covered_end_ = 0.0, total_active_s_ = 0.0, total_cycling_s_ = 0.0;
  double last_active_[2] = {0.0, 0.0};
  MinuteSummary open_[2];
  ::soleus::EventQueue<MinuteSummary, kMinuteQueue> minutes_;
};

}  // namespace soleus::imu
