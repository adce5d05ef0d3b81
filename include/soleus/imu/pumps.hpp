// Streaming ankle-pump detector for a foot-worn IMU, any mounting: seated
// "flex and point your toes", the calf pump without walking. No heap, fixed
// state, one square root per sample.
//
// An ankle pump is a repeated dorsi-/plantar-flexion of 10-40 deg at about
// 0.5-1.5 Hz without weight bearing (the "flex and point your toes" of
// post-operative and long-flight advice; ranges as in issue 15 and DESIGN.md).
// What the IMU shows, and what this detector checks:
//  * the gyro oscillates about one axis (the ankle's): found online as the
//    sign-aligned running mean of the gyro vector (a pure oscillation about
//    axis a gives s*g = |w| a; weighted by the rate, so the samples near the
//    zero crossings, where bias and noise dominate, hardly count), so any
//    mounting works and a re-mounted sensor is re-learned within axis_tau_s;
//  * each half-cycle (between zero crossings of the rate about that axis, with
//    a deadband against noise) lasts min_half_s..max_half_s, and the two
//    halves of a pump sweep the ankle's range, min_sweep_deg..max_sweep_deg,
//    on average (a gyro bias adds to one half what it takes from the other);
//  * no impacts: ||a| - g| stays below impact_mps2 and |a| changes by less
//    than impact_jerk_mps3 (per second) between samples. A heel strike adds
//    1-3 g within 10-20 ms (>= 700 m/s^3); the pump's own tangential
//    acceleration at the foot is under ~3 m/s^2 for 40 deg at 1.5 Hz (r ~
//    0.1 m), and pedalling moves the foot on the crank's circle (r 0.17 m) at
//    0.8-1.3 Hz: a smooth centripetal 4-11 m/s^2 whose magnitude changes by at
//    most w^3 r ~ 90 m/s^3, so the limits are 1.5 g and 400 m/s^3 (sensor
//    noise of 0.2 m/s^2 differenced at 200 Hz is ~60 m/s^3);
// A pump-like cycle is two consecutive valid half-cycles of opposite direction
// (one dorsi-flexion, one plantar-flexion); its interval is the two halves.
// Walking strides sweep 60-100 deg with impacts and are rejected; fidgets of
// 2-4 deg sweep too little.
//
// Pedalling or pumping? The foot rocks 20-40 deg once per crank turn while
// pedalling, a pump-like cycle; what tells them apart is how much linear
// acceleration comes with the rotation. |a| is the same in any sensor frame,
// so ||a| - g| holds only the linear acceleration's projection on gravity
// (to first order), whatever the foot's angle and the mounting.
//  * Seated pump: the foot turns about the ankle, the sensor r <= ~0.2 m from
//    it (dorsum 0.10-0.15 m, a toe clip ~0.2 m; foot length ~0.26 m). A sweep
//    of range A at angular frequency w has angular acceleration
//    (A/2) w^2 cos(wt): the sensor's tangential acceleration is
//    r (A/2) w^2 at its peak (40 deg at 1.5 Hz, r 0.1 m: 3.1 m/s^2), the
//    centripetal r (A/2)^2 w^2 adds at most A/2 <= 0.35 of that.
//  * Pedalling: the pedal carries the foot on the crank circle, r_c ~0.17 m
//    (165-175 mm cranks), at 0.8-1.3 Hz: a centripetal w^2 r_c of 4.3-11.3
//    m/s^2 that turns with the crank, whose vertical part sweeps +-w^2 r_c
//    over every turn, unrelated to how far the foot rocks.
// The statistic is the effective lever arm L = sqrt(2) rms(|a| - g) /
// ((A/2) w^2), from the cycle's own sweep A and period 2 pi / w: the radius
// that would explain the acceleration by the foot's rotation alone. A pump
// gives L <= r (1 + A/2) (1 + ~0.1 second order) <= 0.3 m; pedalling gives
// L ~ r_c / (A/2) = 0.49 m at the largest rocking (40 deg), 0.97 m at 20 deg,
// whatever the cadence (w cancels). pedal_min_lever_m = 0.38 m is the
// geometric mean of 0.3 and 0.49 (a factor 1.27 of margin either way). A
// pedal cycle also needs rms(|a| - g) >= pedal_min_acc_mps2 = 1.5 m/s^2, half
// the slowest pedalling's w^2 r_c / sqrt(2) = 3.0 m/s^2: a slow small pump
// (10 deg at 0.5 Hz: (A/2) w^2 = 0.86 rad/s^2) has so little rotation that
// accelerometer noise (~0.2 m/s^2 rms for MEMS parts) alone would give it a
// large L, but never 1.5 m/s^2. Such cycles are counted as pedal cycles, not
// pumps (PumpEvent::pedal, pedal_cycles()); one pedal cycle is one crank turn.
//
// Limits (stated, not hidden): a shank sensor barely turns during seated pumps
// (the ankle moves, the shank does not) and will see none; standing heel
// raises with the same tempo count as pumps (calf-pump work as well);
// pedalling with the foot held still on the pedal (rocking under 8 deg) gives
// no cycles at all, so that cycling is not seen; and a pump at its fastest and
// largest on a rocking or vibrating seat (a train, a car) could be taken for
// pedalling.
#pragma once

#include <cmath>
#include <cstdint>

#include "soleus/core/status.hpp"
#include "soleus/imu/orientation.hpp"  // GyroUnit

namespace soleus::imu {

struct PumpSettings {
  GyroUnit gyro_unit = GyroUnit::dps;
  double deadband_dps = 3.0;     // zero-crossing hysteresis (10 deg at 0.5 Hz peaks at 15.7 deg/s)
  double min_sweep_deg = 8.0;    // the smallest prescribed pump (10 deg) with 20 % margin
  double max_sweep_deg = 60.0;   // the ankle's active range; walking swings sweep more
  double min_half_s = 0.15;      // half-cycles of 0.33-1 s at 0.5-1.5 Hz, with margin both ways
  double max_half_s = 1.5;
  double impact_mps2 = 15.0;     // ||a| - g| above this in a half-cycle: an impact (pedalling <= 11)
  double impact_jerk_mps3 = 400.0;  // |a| changing faster than this: an impact (pedalling <= ~90)
  double gravity_mps2 = 9.80665;
  double acc_scale = 1.0;        // acc units to m/s^2 (9.80665 for g)
  double axis_tau_s = 2.0;       // the oscillation axis' averaging time
  double pedal_min_lever_m = 0.38;   // effective lever arm above this: pedalling (see the header)
  double pedal_min_acc_mps2 = 1.5;   // and rms(|a| - g) above this: half the slowest pedalling's 3.0
};

inline const PumpSettings kDefaultPumpSettings{};

inline Status validate(const PumpSettings& s) {
  if (!(s.deadband_dps >= 0.0)) return Status::invalid("deadband_dps: must be >= 0");
  if (!(s.min_sweep_deg > 0.0 && s.max_sweep_deg > s.min_sweep_deg))
    return Status::invalid("min_sweep_deg, max_sweep_deg: need 0 < min < max");
  if (!(s.min_half_s >= 0.0 && s.max_half_s > s.min_half_s))
    return Status::invalid("min_half_s, max_half_s: need 0 <= min < max");
  if (!(s.impact_mps2 > 0.0)) return Status::invalid("impact_mps2: must be > 0");
  if (!(s.impact_jerk_mps3 > 0.0)) return Status::invalid("impact_jerk_mps3: must be > 0");
  if (!(s.gravity_mps2 > 0.0 && s.acc_scale > 0.0)) return Status::invalid("gravity_mps2, acc_scale: must be > 0");
  if (!(s.axis_tau_s > 0.0)) return Status::invalid("axis_tau_s: must be > 0");
  if (!(s.pedal_min_lever_m > 0.0 && s.pedal_min_acc_mps2 >= 0.0))
    return Status::invalid("pedal_min_lever_m, pedal_min_acc_mps2: need > 0 and >= 0");
  return Status::success();
}

struct PumpEvent {
  double start_s = 0.0;     // the first half-cycle's start
  double end_s = 0.0;       // the second half-cycle's end (the confirming sample)
  float range_deg = 0.0f;   // mean sweep of the two halves
  float lever_m = 0.0f;     // effective lever arm sqrt(2) rms(|a| - g) / ((A/2) w^2) (see the header)
  float acc_rms_mps2 = 0.0f;  // rms(|a| - g) over the cycle
  bool pedal = false;       // a pedal cycle (one crank turn), not a pump
  std::uint32_t index = 0;  // 0, 1, ... since init(), among pumps or among pedal cycles
};

class PumpDetector {
 public:
  Status init(const PumpSettings& s = kDefaultPumpSettings) {
    const Status st = validate(s);
    if (!st) return st;
    cfg_ = s;
    gyro_scale_ = static_cast<float>(s.gyro_unit == GyroUnit::rad_per_s ? 180.0 / 3.14159265358979323846 : 1.0);
    pumps_ = pedals_ = 0;
    reset();
    return Status::success();
  }

  // Forgets the half-cycles and the axis (keeps the settings and the count).
  void reset() {
    for (float& x : v_) x = 0.0f;
    for (float& x : m_) x = 0.0f;
    sign_ = 0;
    prev_valid_ = false;
    have_t_ = false;
  }

  // One sample: acc (configured scale) and gyro (configured unit), sensor
  // frame. blocked = another detector owns this motion (a stride in
  // progress): the half-cycle in progress is invalid. True when a pump or a
  // pedal cycle was confirmed (see last().pedal).
  bool push(double t_s, const float* acc, const float* gyro, bool blocked = false) {
    const float g[3] = {gyro[0] * gyro_scale_, gyro[1] * gyro_scale_, gyro[2] * gyro_scale_};
    const float a2 = acc[0] * acc[0] + acc[1] * acc[1] + acc[2] * acc[2];
    if (!(g[0] * g[0] + g[1] * g[1] + g[2] * g[2] <= 3.0e38f) || !(a2 <= 3.0e38f) || !std::isfinite(t_s)) return false;
    double dt = 0.0;
    if (have_t_) {
      dt = t_s - last_t_;
      if (!(dt > 0.0)) return false;
      if (dt > cfg_.max_half_s) {  // a gap: what the foot did is unknown
        sign_ = 0;
        prev_valid_ = false;
        dt = 0.0;
      }
    }
    have_t_ = true;
    last_t_ = t_s;
    // Rate about the oscillation axis (v_ is a unit vector once learned).
    const float p = g[0] * v_[0] + g[1] * v_[1] + g[2] * v_[2];
    update_axis(g, p, dt);
    const float am = std::sqrt(a2) * static_cast<float>(cfg_.acc_scale) - static_cast<float>(cfg_.gravity_mps2);
    const float jump = dt > 0.0 ? static_cast<float>(std::fabs(am - prev_am_) / dt) : 0.0f;
    prev_am_ = am;
    const bool impact = am > static_cast<float>(cfg_.impact_mps2) || -am > static_cast<float>(cfg_.impact_mps2) ||
                        jump > static_cast<float>(cfg_.impact_jerk_mps3);
    const float db = static_cast<float>(cfg_.deadband_dps);
    const int s = p > db ? 1 : (p < -db ? -1 : 0);
    bool pump = false;
    if (s != 0 && s != sign_) {
      if (sign_ != 0) pump = end_half(t_s);
      // A half that began before the stream (or a gap) ended is a part of
      // one: its sweep and duration are short, and they would make a crank
      // turn look like a pump (a smaller lever arm); it is not a half-cycle.
      half_bad_ = sign_ == 0;
      sign_ = s;
      half_start_ = t_s;
      sweep_ = 0.0;
      acc_ss_ = 0.0;
    }
    sweep_ += static_cast<double>(p) * dt;
    acc_ss_ += static_cast<double>(am) * static_cast<double>(am) * dt;
    half_bad_ = half_bad_ || impact || blocked;
    return pump;
  }

  const PumpEvent& last() const { return last_; }
  std::uint32_t pumps() const { return pumps_; }          // seated-pump cycles (not pedalling)
  std::uint32_t pedal_cycles() const { return pedals_; }  // crank turns
  // The learned oscillation axis (sensor frame, unit; zero before any motion).
  const float* axis() const { return v_; }

 private:
  void update_axis(const float* g, float p, double dt) {
    const float db = static_cast<float>(cfg_.deadband_dps);
    if (g[0] * g[0] + g[1] * g[1] + g[2] * g[2] <= db * db) return;  // noise and bias only
    const bool first = m_[0] == 0.0f && m_[1] == 0.0f && m_[2] == 0.0f;
    const float k = first ? 1.0f : static_cast<float>(dt / cfg_.axis_tau_s);
    const float sgn = p >= 0.0f ? 1.0f : -1.0f;
    float m2 = 0.0f;
    for (int i = 0; i < 3; ++i) {
      m_[i] += k * (sgn * g[i] - m_[i]);
      m2 += m_[i] * m_[i];
    }
    if (!(m2 > 1e-12f)) return;
    const float inv_m = 1.0f / std::sqrt(m2);
    for (int i = 0; i < 3; ++i) v_[i] = m_[i] * inv_m;
  }

  // The half-cycle in progress ended at t_s: valid? a pump with the one before?
  bool end_half(double t_s) {
    const double dur = t_s - half_start_;
    const double sweep = std::fabs(sweep_);
    // Each half at least half the minimum: a bias shifts sweep between halves.
    const bool valid = !half_bad_ && dur >= cfg_.min_half_s && dur <= cfg_.max_half_s &&
                       sweep >= 0.5 * cfg_.min_sweep_deg && sweep <= cfg_.max_sweep_deg;
    const double mean_sweep = 0.5 * (sweep + prev_sweep_);
    bool pump = false;
    if (valid && prev_valid_ && mean_sweep >= cfg_.min_sweep_deg) {
      // Effective lever arm of the cycle (header): period T = both halves.
      constexpr double kPi = 3.14159265358979323846;
      const double period_s = t_s - prev_start_;
      const double w = 2.0 * kPi / period_s;
      const double ang_acc = 0.5 * mean_sweep * (kPi / 180.0) * w * w;  // (A/2) w^2, rad/s^2
      const double acc_rms = std::sqrt((acc_ss_ + prev_acc_ss_) / period_s);
      const double lever = 1.41421356237309515 * acc_rms / ang_acc;
      last_.start_s = prev_start_;
      last_.end_s = t_s;
      last_.range_deg = static_cast<float>(mean_sweep);
      last_.lever_m = static_cast<float>(lever);
      last_.acc_rms_mps2 = static_cast<float>(acc_rms);
      last_.pedal = lever >= cfg_.pedal_min_lever_m && acc_rms >= cfg_.pedal_min_acc_mps2;
      last_.index = last_.pedal ? pedals_++ : pumps_++;
      pump = true;
      prev_valid_ = false;  // the next pump needs two new halves
    } else {
      prev_valid_ = valid;
      prev_start_ = half_start_;
      prev_sweep_ = sweep;
      prev_acc_ss_ = acc_ss_;
    }
    return pump;
  }

  PumpSettings cfg_{};
  float gyro_scale_ = 1.0f;
  float v_[3] = {0.0f, 0.0f, 0.0f};  // unit axis
  float m_[3] = {0.0f, 0.0f, 0.0f};  // running mean of the sign-aligned rate (deg/s)
  float prev_am_ = 0.0f;             // ||a| - g| of the previous sample
  int sign_ = 0;
  bool half_bad_ = false, prev_valid_ = false, have_t_ = false;
  double last_t_ = 0.0, half_start_ = 0.0, sweep_ = 0.0, prev_start_ = 0.0, prev_sweep_ = 0.0;
  double acc_ss_ = 0.0, prev_acc_ss_ = 0.0;  // integral of (|a| - g)^2 dt over the half, the previous half
  std::uint32_t pumps_ = 0, pedals_ = 0;
  PumpEvent last_{};
};

}  // namespace soleus::imu
