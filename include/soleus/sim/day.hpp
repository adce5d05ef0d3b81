// Seeded simulator of a day of calf-pump activity seen by one foot-worn IMU,
// with exact truth: walking bouts of different speeds, stairs, standing with
// sway, sitting still, seated ankle pumps, heel-raise sets and cycling, under a
// random mounting rotation, with gyro bias and noise and time-stamp jitter.
// The tests of the activity layer and of the Session's "move every hour" alert
// use it as their reference (truth: every bout's kind and times, the strides,
// the pumps, the calf-pump active intervals, and the inactive stretches).
//
// Not real-time, but streaming: the schedule (a few hundred bouts) is planned
// up front in a std::vector; samples are rendered on demand by next(), so a day
// of 8 h at 200 Hz costs no more memory than an hour at 60 Hz.
//
// Kinematics (planar sagittal model plus small out-of-plane motion, world x
// forward, z up, the foot's pitch theta > 0 = toes down / heel up):
//  * walking: one stride of the instrumented foot from heel strike, phases of
//    the gait cycle after Perry & Burnfield (Gait Analysis, 2nd ed. 2010):
//    loading response 0-12 % (heel strike at -15..-22 deg, foot flat by 12 %),
//    mid-stance flat, heel-off at 40 %, toe-off at 62 %, swing 62-100 % (the
//    foot turns back to the heel-strike angle). The foot-floor angle at
//    toe-off is the shank's backward lean plus the ankle's plantar flexion,
//    40-50 deg in slow walking up to 55-65 deg in fast (the brief's
//    "-20..+30 deg" is the stance part; Perry & Burnfield ch. 4). Cadence
//    1.4-2.2 steps/s (stride 0.9-1.43 s; Hausdorff 2007), stride-to-stride CV
//    2 % (Hausdorff 2007). The push-off rotation (40-66 %) overlaps the
//    swing's return (58-100 %, a raised-cosine rate: peak 2 x range / its
//    time), so the rate reverses quickly at toe-off and at heel strike, and
//    peaks in mid-swing at about 200-250 deg/s (slow) to 450 deg/s (fast):
//    the 300-600 deg/s of foot-worn gyros in walking grow with speed
//    (Mariani et al. 2010, J Biomech 43(15); Rampp et al. 2015, IEEE TBME
//    62(4)). The foot advances one stride length (2 x 0.66-0.78 m, longer
//    with cadence) and lifts 0.12 m during swing; a heel-strike impact of 1.5-3 g decays in 15 ms.
//    The first and last stride of a bout (gait initiation and termination)
//    turn the foot 60-80 % as far over half the length; every 10-60 strides
//    the walker turns 90-180 deg over 2-3 strides, the foot yawing while it
//    swings (step turns; the stance foot stays planted).
//  * stairs: cadence 1.3-1.8 steps/s, push-off from the forefoot to +35..+40
//    deg, 0.17 m per step up or down (Riener et al. 2002, Gait Posture 15):
//    the swing peaks at only ~150-220 deg/s in this model (the foot turns less
//    than on the level; no measured figure for foot-worn gyros on stairs was
//    at hand). Going up, the toes are raised 5-10 deg to clear the step nose
//    and the foot lands flat to heel first. Going down, the foot lands on the
//    forefoot, pitched 10-25 deg toes-down (the ankle plantar-flexed 15-25 deg
//    at initial contact in descent: McFadyen & Winter 1988, J Biomech 21:733;
//    Riener et al. 2002), and the heel is lowered under load onto the tread
//    during weight acceptance (0-14 % of the cycle: Zachazewski et al. 1993,
//    J Rehabil Res Dev 30:412): an eccentric lowering of the calf, the shape
//    of a heel raise's lowering, 1.1-1.5 s after the push-off's plantar
//    flexion, which the rep engine must not read as a raise.
//  * standing: sway of 0.3-1 deg at 0.1-0.6 Hz (quiet stance; Winter 1995),
//    a weight shift of 2-4 deg every 20-60 s.
//  * sitting: the foot flat or tilted under the chair, fidgets of 2-4 deg every
//    1-5 min.
//  * ankle pumps (seated): sets of 10-30 cycles of 10-40 deg at 0.5-1.5 Hz, the
//    foot rotating about the heel, 5-40 s pauses between sets.
//  * heel raises (standing): 10-20 reps of 20-40 deg, rise 0.4-1 s, top
//    0.5-2 s, lowering 0.6-3 s, rest 0.3-1 s (DESIGN.md "What real movement
//    looks like"), the foot rotating about the toes.
//  * cycling: the crank turns at 0.8-1.3 Hz (48-78 rpm), the foot rocks
//    20-40 deg about a 10-20 deg plantar-flexed mean and rides a 0.17 m circle
//    (its centripetal acceleration, 4-11 m/s^2, is real and no impact).
//
// Truth for "move every hour": walking, stairs, pump sets, heel-raise sets and
// cycling are calf-pump work (the muscle pump runs whenever the calf contracts
// rhythmically); standing still, sitting and fidgets are not. A bout's active
// interval is its movement (a pump set from its first to its last cycle; the
// pauses between sets are not active). true_alerts() gives, for an alert time,
// the moments an inactive stretch reaches it.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "soleus/sim/random.hpp"

namespace soleus::sim {

enum class DayActivity { sit, sit_pumps, stand, walk, stairs, heel_raises, cycle };

inline const char* name(DayActivity a) {
  switch (a) {
    case DayActivity::sit: return "sit";
    case DayActivity::sit_pumps: return "sit_pumps";
    case DayActivity::stand: return "stand";
    case DayActivity::walk: return "walk";
    case DayActivity::stairs: return "stairs";
    case DayActivity::heel_raises: return "heel_raises";
    case DayActivity::cycle: return "cycle";
  }
  return "?";
}

// One movement inside a bout (a stride, a pump, a rep, a set of pumps).
struct DayMove {
  double t0_s, t1_s;  // stream time
  double a_deg;       // range (strides: heel-strike angle; see render)
  double b_deg;       // second parameter (strides: toe-off angle)
  double c;           // third parameter (strides: stride length m; pumps: cycles)
};

struct DayBout {
  DayActivity kind = DayActivity::sit;
  double start_s = 0.0, end_s = 0.0;
  std::uint32_t strides = 0;          // instrumented foot's strides (walk, stairs)
  std::uint32_t pumps = 0;            // ankle-pump cycles
  std::uint32_t raises = 0;           // heel raises
  double cadence_steps_per_s = 0.0;   // walk, stairs; crank Hz x 2 for cycling
  double offset_deg = 0.0;            // sitting foot pitch, cycling mean pitch
  double sway_deg = 0.0;
  std::vector<DayMove> moves;         // strides / pumps-sets / reps / fidgets, in order
  std::vector<std::array<double, 3>> turns;  // walking: first stride index, angle rad, strides
  std::vector<std::array<double, 2>> active;  // calf-pump active intervals
};

struct DayConfig {
  double fs_hz = 100.0;
  double duration_s = 4.0 * 3600.0;
  bool random_mounting = true;
  double gyro_bias_dps = 3.0;       // per axis, uniform +-; a MEMS gyro uncalibrated
  double gyro_noise_dps = 0.2;      // white, per sample
  double acc_noise_mps2 = 0.05;
  // Accelerometer zero-g offset (m/s^2) and sensitivity error (fraction) per
  // axis, uniform in +-these, constant over the day, from their own random
  // stream (0 and 0: the ideal accelerometer, every other draw unchanged).
  // Datasheet figures and the defaults' source: sim::HeelRaiseConfig's
  // acc_offset_max_mps2 (40 mg: Bosch BMI160; 2 %: consumer parts state
  // 0.5-3 %).
  double acc_offset_max_mps2 = 0.04 * 9.80665;
  double acc_scale_error_max = 0.02;
  double jitter_s = 0.001;          // time stamps uniform +- this around the nominal grid
  // Bout mix (relative weights) and lengths.
  double w_sit = 3, w_sit_pumps = 1, w_stand = 1.5, w_walk = 3, w_stairs = 0.7, w_raises = 0.6, w_cycle = 0.6;
  double sit_max_s = 100.0 * 60.0;  // sitting bouts 5 min .. this
  std::array<double, 2> stand_s{60.0, 480.0};  // standing bouts' length range (a pause on a landing: a few s)
  bool cycling = true;
};

struct DayTruth {
  std::vector<DayBout> bouts;
  std::vector<std::array<double, 2>> active;  // union, sorted, disjoint
  std::uint32_t strides = 0, pumps = 0, raises = 0;
  double start_s = 0.0, end_s = 0.0;

  double active_s() const {
    double s = 0.0;
    for (const auto& a : active) s += a[1] - a[0];
    return s;
  }
  // Active seconds in [t0, t1).
  double active_in(double t0, double t1) const {
    double s = 0.0;
    for (const auto& a : active) {
      const double lo = a[0] > t0 ? a[0] : t0, hi = a[1] < t1 ? a[1] : t1;
      if (hi > lo) s += hi - lo;
    }
    return s;
  }
  // The inactive stretches (between active intervals, and from the start).
  std::vector<std::array<double, 2>> inactive() const {
    std::vector<std::array<double, 2>> out;
    double prev = start_s;
    for (const auto& a : active) {
      if (a[0] > prev) out.push_back({prev, a[0]});
      prev = a[1];
    }
    if (end_s > prev) out.push_back({prev, end_s});
    return out;
  }
  // The moments an inactive stretch reaches alert_s (one per stretch).
  std::vector<double> true_alerts(double alert_s) const {
    std::vector<double> out;
    for (const auto& g : inactive())
      if (g[1] - g[0] >= alert_s) out.push_back(g[0] + alert_s);
    return out;
  }
  const DayBout* bout_at(double t) const {
    for (const DayBout& b : bouts)
      if (t >= b.start_s && t < b.end_s) return &b;
    return nullptr;
  }
};

namespace day_detail {
constexpr double kPi = 3.14159265358979323846;
constexpr double kDeg = kPi / 180.0;
constexpr double kG = 9.80665;

// Raised-cosine rate profile integrated: 0 -> 1, zero rate at both ends.
inline double s1(double s) { return s <= 0 ? 0 : s >= 1 ? 1 : s - std::sin(2 * kPi * s) / (2 * kPi); }
// Minimum-jerk 0 -> 1.
inline double mj(double s) { return s <= 0 ? 0 : s >= 1 ? 1 : s * s * s * (10 - 15 * s + 6 * s * s); }

using Q = std::array<double, 4>;
inline Q qmul(const Q& a, const Q& b) {
  return {a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3], a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
          a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1], a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0]};
}
inline std::array<double, 3> rot_inv(const Q& q, const std::array<double, 3>& v) {
  const Q r = qmul(qmul({q[0], -q[1], -q[2], -q[3]}, {0, v[0], v[1], v[2]}), q);
  return {r[1], r[2], r[3]};
}

// Segment pose: pitch (about +y), roll (about +x), rad; sensor position, m.
struct Pose {
  double pitch = 0, roll = 0, yaw = 0, x = 0, z = 0;
  double impact_mps2 = 0;  // added along world z (not differentiated)
};
}  // namespace day_detail

class DaySimulator {
 public:
  DaySimulator(const DayConfig& cfg, std::uint64_t seed) : cfg_(cfg), rng_(seed, 1), noise_(seed, 2) {
    plan(seed);
    n_ = static_cast<std::uint64_t>(cfg_.duration_s * cfg_.fs_hz);
    if (cfg_.random_mounting) {
      Xoshiro256ss r(seed, 3);
      day_detail::Q q{r.gaussian(), r.gaussian(), r.gaussian(), r.gaussian()};
      const double n = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
      for (double& v : q) v /= n;
      mount_ = q;
    }
    Xoshiro256ss r(seed, 4);
    for (double& b : bias_) b = r.uniform(-cfg_.gyro_bias_dps, cfg_.gyro_bias_dps);
    Xoshiro256ss ra(seed, 5);
    for (double& o : acc_offset_) o = ra.uniform(-cfg_.acc_offset_max_mps2, cfg_.acc_offset_max_mps2);
    for (double& e : acc_scale_error_) e = ra.uniform(-cfg_.acc_scale_error_max, cfg_.acc_scale_error_max);
  }

  const DayTruth& truth() const { return truth_; }
  std::uint64_t samples() const { return n_; }
  const std::array<double, 3>& gyro_bias_dps() const { return bias_; }
  const std::array<double, 3>& acc_offset_mps2() const { return acc_offset_; }
  const std::array<double, 3>& acc_scale_error() const { return acc_scale_error_; }
  // The foot's pitch axis in the sensor frame, positive = plantar flexion
  // (toes down): the world's y axis (x forward, z up) under the mounting
  // rotation (orient(): sensor -> world = yaw * pitch * roll * mounting), so
  // the rep chain can be given the true axis.
  std::array<double, 3> sagittal_axis_sensor() const { return day_detail::rot_inv(mount_, {0.0, 1.0, 0.0}); }

  // The next sample (acc m/s^2, gyro deg/s, sensor frame); false at the end.
  bool next(double& t_s, float* acc, float* gyro) {
    if (i_ >= n_) return false;
    const double tn = static_cast<double>(i_) / cfg_.fs_hz;
    ++i_;
    while (bout_ + 1 < truth_.bouts.size() && tn >= truth_.bouts[bout_].end_s) ++bout_;
    const DayBout& b = truth_.bouts[bout_];
    const double h = 1e-3;
    const day_detail::Pose pm = pose(b, tn - h), p0 = pose(b, tn), pp = pose(b, tn + h);
    const day_detail::Q qm = orient(pm), q0 = orient(p0), qp = orient(pp);
    // Body rate: 2 q* dq/dt (vector part).
    day_detail::Q dq{(qp[0] - qm[0]) / (2 * h), (qp[1] - qm[1]) / (2 * h), (qp[2] - qm[2]) / (2 * h),
                     (qp[3] - qm[3]) / (2 * h)};
    const day_detail::Q w = day_detail::qmul({q0[0], -q0[1], -q0[2], -q0[3]}, dq);
    // The bout's forward direction turns with the yaw (x along the heading).
    const double xm = pm.x * std::cos(pm.yaw), x0 = p0.x * std::cos(p0.yaw), xp = pp.x * std::cos(pp.yaw);
    const double ym = pm.x * std::sin(pm.yaw), y0 = p0.x * std::sin(p0.yaw), yp = pp.x * std::sin(pp.yaw);
    const std::array<double, 3> a_world{(xp - 2 * x0 + xm) / (h * h), (yp - 2 * y0 + ym) / (h * h),
                                        (pp.z - 2 * p0.z + pm.z) / (h * h) + day_detail::kG + p0.impact_mps2};
    const std::array<double, 3> a = day_detail::rot_inv(q0, a_world);
    for (int k = 0; k < 3; ++k) {
      gyro[k] = static_cast<float>(2 * w[k + 1] / day_detail::kDeg + bias_[k] + cfg_.gyro_noise_dps * noise_.gaussian());
      acc[k] = static_cast<float>((1.0 + acc_scale_error_[k]) * a[k] + acc_offset_[k] +
                                  cfg_.acc_noise_mps2 * noise_.gaussian());
    }
    t_s = tn + (cfg_.jitter_s > 0 ? noise_.uniform(-cfg_.jitter_s, cfg_.jitter_s) : 0.0);
    return true;
  }

 private:
  using Pose = day_detail::Pose;

  day_detail::Q orient(const Pose& p) const {
    const day_detail::Q qz{std::cos(0.5 * p.yaw), 0, 0, std::sin(0.5 * p.yaw)};
    const day_detail::Q qy{std::cos(0.5 * p.pitch), 0, std::sin(0.5 * p.pitch), 0};
    const day_detail::Q qx{std::cos(0.5 * p.roll), std::sin(0.5 * p.roll), 0, 0};
    return day_detail::qmul(day_detail::qmul(day_detail::qmul(qz, qy), qx), mount_);
  }

  // Sensor on the dorsum, 0.12 m behind the toes' pivot and 0.05 m up; seated
  // pumps pivot about the heel, 0.1 m behind the sensor.
  static void about(double pitch, double rx, double rz, double& x, double& z) {
    x = rx * std::cos(pitch) + rz * std::sin(pitch);
    z = -rx * std::sin(pitch) + rz * std::cos(pitch);
  }

  // The first move with t1 > t (moves are sorted); -1 if none.
  static int move_at(const DayBout& b, double t) {
    int lo = 0, hi = static_cast<int>(b.moves.size());
    while (lo < hi) {
      const int m = (lo + hi) / 2;
      if (b.moves[m].t1_s <= t) lo = m + 1; else hi = m;
    }
    return lo < static_cast<int>(b.moves.size()) ? lo : -1;
  }

  Pose pose(const DayBout& b, double t) const {
    using namespace day_detail;
    Pose p;
    const double tb = t - b.start_s;
    // Sway / tremor common to all bouts (standing sway is larger).
    p.pitch = b.sway_deg * kDeg * (0.7 * std::sin(2 * kPi * 0.13 * tb + 1.0) + 0.3 * std::sin(2 * kPi * 0.47 * tb));
    p.roll = b.sway_deg * kDeg * 0.6 * std::sin(2 * kPi * 0.21 * tb + 2.0);
    const int k = move_at(b, t);
    switch (b.kind) {
      case DayActivity::walk:
      case DayActivity::stairs: {
        // Moves are strides from heel-off (u = 0.40) to the next foot flat
        // (u = 1.12); the foot is flat in between. c = stride length; for stairs
        // a_deg is the contact angle and the rise per stride is in x/z.
        double x_done = 0.0;
        if (k > 0) x_done = k * b.moves[0].c;
        if (k < 0) x_done = b.moves.size() * b.moves[0].c;
        double px = 0, pz = 0;
        about(0.0, -0.12, 0.05, px, pz);
        p.x = x_done;
        p.z = b.kind == DayActivity::stairs ? x_done * b.offset_deg : 0.0;  // offset_deg: rise per metre
        double th = 0.0;
        // Step turns: the foot yaws while it swings (planted in stance).
        for (const auto& turn : b.turns) {
          const int k0 = static_cast<int>(turn[0]), n = static_cast<int>(turn[2]);
          for (int j = k0; j < k0 + n && j < static_cast<int>(b.moves.size()); ++j) {
            const DayMove& m = b.moves[j];
            const double Tj = (m.t1_s - m.t0_s) / 0.72;
            p.yaw += turn[1] / n * s1((t - m.t0_s - 0.22 * Tj) / (0.38 * Tj));
          }
        }
        if (k >= 0 && t >= b.moves[k].t0_s) {
          const DayMove& m = b.moves[k];
          const double T = (m.t1_s - m.t0_s) / 0.72;
          const double u = 0.40 + (t - m.t0_s) / T;
          const double lift = b.kind == DayActivity::stairs ? m.c * b.offset_deg : 0.0;
          if (u < 1.0) {
            // Push-off (plantar-flexion to toe-off) overlapping the swing's
            // return to the heel-strike angle: the rate reverses within a few
            // tens of ms around toe-off, as in foot-worn gyro records.
            th = m.b_deg * s1((u - 0.40) / 0.26) + (m.a_deg - m.b_deg) * s1((u - 0.58) / 0.42);
            const double s = (u - 0.62) / 0.38;
            if (s > 0) {
              p.x += m.c * mj(s);
              p.z += lift * mj(s) + 0.12 * std::pow(std::sin(kPi * (s < 1 ? s : 1)), 2);
              p.roll += 4 * kDeg * std::sin(2 * kPi * (s < 1 ? s : 1));
            }
          } else {
            const double s = (u - 1.0) / 0.12;
            th = m.a_deg * (1 - s1(s));
            p.x += m.c;
            p.z += lift;
            const double ti = (u - 1.0) * T;  // since heel strike
            const double amp = (b.kind == DayActivity::stairs ? 0.5 : 1.0) * m.c * 15.0;  // ~1.5-3 g
            p.impact_mps2 = amp * std::exp(-ti / 0.015) * std::cos(2 * kPi * 25 * ti);
          }
        }
        double rx, rz;
        about(th * kDeg, -0.12, 0.05, rx, rz);
        p.pitch += th * kDeg;
        p.x += rx - px;
        p.z += rz - pz;
        return p;
      }
      case DayActivity::sit:
      case DayActivity::stand:
      case DayActivity::sit_pumps: {
        // Offset ramps in over the first 2 s and out over the last 2 s.
        const double ramp = s1(tb / 2.0) * (1 - s1((tb - (b.end_s - b.start_s - 2.0)) / 2.0));
        double th = b.offset_deg * ramp;
        if (k >= 0 && t >= b.moves[k].t0_s) {
          const DayMove& m = b.moves[k];
          const double d = t - m.t0_s, T = m.t1_s - m.t0_s;
          if (b.kind == DayActivity::sit_pumps) {
            // c cycles of range a_deg: dorsiflexion first (toes up), from rest.
            const double f = m.c / T;
            th -= 0.5 * m.a_deg * (1 - std::cos(2 * kPi * f * d));
          } else {
            th += m.a_deg * std::sin(kPi * s1(d / T));  // a fidget / weight shift, out and back
          }
        }
        double rx, rz;
        if (b.kind == DayActivity::stand) {
          about(th * kDeg, -0.12, 0.05, rx, rz);
        } else {
          about(th * kDeg, 0.10, 0.05, rx, rz);  // seated: pivot at the heel
        }
        p.pitch += th * kDeg;
        p.x = rx;
        p.z = rz;
        return p;
      }
      case DayActivity::heel_raises: {
        double th = 0.0;
        if (k >= 0 && t >= b.moves[k].t0_s) {
          const DayMove& m = b.moves[k];  // a_deg range, b_deg rise s, c top s; lowering to t1
          const double d = t - m.t0_s, lower0 = m.b_deg + m.c, T = m.t1_s - m.t0_s;
          if (d < m.b_deg) th = m.a_deg * s1(d / m.b_deg);
          else if (d < lower0) th = m.a_deg;
          else th = m.a_deg * (1 - s1((d - lower0) / (T - lower0)));
        }
        double rx, rz, px, pz;
        about(th * kDeg, -0.12, 0.05, rx, rz);
        about(0.0, -0.12, 0.05, px, pz);
        p.pitch += th * kDeg;
        p.x = rx - px;
        p.z = rz - pz;
        return p;
      }
      case DayActivity::cycle: {
        // Crank angle from rest: the rate ramps up over 2 s and down over the last 2 s.
        const double f = 0.5 * b.cadence_steps_per_s, D = b.end_s - b.start_s;
        double phase = 2 * kPi * f * tb;
        const double amp = b.moves.empty() ? 30.0 : b.moves[0].a_deg;
        const double env = s1(tb / 2.0) * (1 - s1((tb - (D - 2.0)) / 2.0));
        const double th = env * (b.offset_deg + 0.5 * amp * std::sin(phase - 0.5));
        const double r = 0.17 * env;
        double rx, rz;
        about(th * kDeg, 0.0, 0.05, rx, rz);
        p.pitch += th * kDeg;
        p.x = r * std::cos(phase) + rx;
        p.z = r * std::sin(phase) + rz;
        return p;
      }
    }
    return p;
  }

  void plan(std::uint64_t seed) {
    (void)seed;
    double t = 0.0;
    const double D = cfg_.duration_s;
    DayActivity prev = DayActivity::stand;
    while (t < D) {
      DayBout b;
      b.kind = pick(prev);
      b.start_s = t;
      build(b);
      if (b.end_s > D) {
        // The last bout is cut at the end of the day: only whole moves stay.
        b.end_s = D;
        while (!b.moves.empty() && b.moves.back().t1_s > D - 2.5) b.moves.pop_back();
        if (b.kind == DayActivity::walk || b.kind == DayActivity::stairs || b.kind == DayActivity::cycle ||
            b.kind == DayActivity::heel_raises || b.kind == DayActivity::sit_pumps)
          b.kind = DayActivity::stand, b.moves.clear(), b.strides = b.pumps = b.raises = 0;
      }
      finish_truth(b);
      t = b.end_s;
      prev = b.kind;
      truth_.bouts.push_back(b);
    }
    truth_.start_s = 0.0;
    truth_.end_s = D;
    // Union of the active intervals.
    for (const DayBout& b : truth_.bouts) {
      for (const auto& a : b.active) {
        if (!truth_.active.empty() && a[0] <= truth_.active.back()[1]) {
          if (a[1] > truth_.active.back()[1]) truth_.active.back()[1] = a[1];
        } else {
          truth_.active.push_back(a);
        }
      }
      truth_.strides += b.strides;
      truth_.pumps += b.pumps;
      truth_.raises += b.raises;
    }
  }

  DayActivity pick(DayActivity prev) {
    const double w[7] = {cfg_.w_sit, cfg_.w_sit_pumps, cfg_.w_stand, cfg_.w_walk, cfg_.w_stairs, cfg_.w_raises,
                         cfg_.cycling ? cfg_.w_cycle : 0.0};
    for (;;) {
      double sum = 0;
      for (double x : w) sum += x;
      double u = rng_.uniform(0, sum);
      int k = 0;
      while (k < 6 && u >= w[k]) u -= w[k++];
      const DayActivity a = static_cast<DayActivity>(k);
      if (a != prev) return a;
    }
  }

  void build(DayBout& b) {
    using namespace day_detail;
    Xoshiro256ss& r = rng_;
    double t = b.start_s;
    switch (b.kind) {
      case DayActivity::sit: {
        b.sway_deg = 0.05;
        b.offset_deg = r.uniform(-8.0, 15.0);
        const double dur = r.uniform(300.0, cfg_.sit_max_s > 300.0 ? cfg_.sit_max_s : 300.0);
        b.end_s = t + dur;
        for (double f = t + r.uniform(60, 300); f < b.end_s - 10; f += r.uniform(60, 300))
          b.moves.push_back({f, f + r.uniform(1.0, 2.5), r.uniform(2.0, 4.0) * (r.uniform() < 0.5 ? -1 : 1), 0, 0});
        return;
      }
      case DayActivity::stand: {
        b.sway_deg = r.uniform(0.3, 1.0);
        const double dur = r.uniform(cfg_.stand_s[0], cfg_.stand_s[1]);
        b.end_s = t + dur;
        for (double f = t + r.uniform(20, 60); f < b.end_s - 10; f += r.uniform(20, 60))
          b.moves.push_back({f, f + r.uniform(1.0, 2.0), r.uniform(2.0, 4.0) * (r.uniform() < 0.5 ? -1 : 1), 0, 0});
        return;
      }
      case DayActivity::sit_pumps: {
        b.sway_deg = 0.05;
        b.offset_deg = r.uniform(-5.0, 10.0);
        const int sets = 1 + static_cast<int>(r.uniform(0, 3));
        double s = t + r.uniform(10, 30);
        for (int k = 0; k < sets; ++k) {
          const double f = r.uniform(0.5, 1.5);
          const int n = 10 + static_cast<int>(r.uniform(0, 21));
          b.moves.push_back({s, s + n / f, r.uniform(10.0, 40.0), 0, static_cast<double>(n)});
          b.pumps += n;
          s += n / f + r.uniform(5.0, 40.0);
        }
        b.end_s = s + r.uniform(10, 30);
        return;
      }
      case DayActivity::walk:
      case DayActivity::stairs: {
        const bool stairs = b.kind == DayActivity::stairs;
        b.sway_deg = 0.1;
        const double cad = stairs ? r.uniform(1.3, 1.8) : r.uniform(1.4, 2.2);
        b.cadence_steps_per_s = cad;
        const double step_m = stairs ? 0.3 : 0.45 + 0.15 * cad;  // step length grows with cadence
        b.offset_deg = stairs ? (r.uniform() < 0.5 ? 1.0 : -1.0) * 0.17 / 0.3 : 0.0;  // rise per metre
        const int strides = stairs ? 8 + static_cast<int>(r.uniform(0, 25)) : 30 + static_cast<int>(r.uniform(0, 800));
        // Contact angle (negative: toes up). Stairs down: forefoot contact,
        // toes down (see the header); one draw either way.
        const double hs = stairs ? (b.offset_deg < 0.0 ? r.uniform(10.0, 25.0) : -r.uniform(5.0, 10.0))
                                 : -r.uniform(15.0, 22.0);
        const double to = stairs ? r.uniform(35.0, 40.0) : r.uniform(40.0, 50.0) + 15.0 * (cad - 1.4) / 0.8;
        double s = t + r.uniform(1.0, 3.0);  // heel-off of the first stride
        int next_turn = stairs ? strides : 10 + static_cast<int>(r.uniform(0, 50));
        for (int k = 0; k < strides; ++k) {
          const double T = (2.0 / cad) * (1.0 + 0.02 * r.approx_normal());
          // Gait initiation and termination: the first and last strides turn
          // the foot 60-80 % as far and cover half the length.
          const bool edge = k == 0 || k == strides - 1;
          const double f = edge ? r.uniform(0.6, 0.8) : 1.0;
          b.moves.push_back({s, s + 0.72 * T, hs * f, to * f, 2 * step_m * (edge ? 0.5 : 1.0)});
          if (k == next_turn && k + 4 < strides) {
            // A turn of 90-180 deg over 2-3 strides (a corridor's end, a corner).
            b.turns.push_back({static_cast<double>(k), (r.uniform() < 0.5 ? -1 : 1) * r.uniform(0.5, 1.0) * day_detail::kPi,
                               r.uniform() < 0.5 ? 2.0 : 3.0});
            next_turn = k + 10 + static_cast<int>(r.uniform(0, 50));
          }
          s += T;
        }
        b.strides = static_cast<std::uint32_t>(strides);
        b.end_s = b.moves.back().t1_s + r.uniform(1.0, 3.0);
        return;
      }
      case DayActivity::heel_raises: {
        b.sway_deg = 0.3;
        const int sets = 1 + static_cast<int>(r.uniform(0, 3));
        double s = t + r.uniform(3, 10);
        for (int k = 0; k < sets; ++k) {
          const int n = 10 + static_cast<int>(r.uniform(0, 11));
          for (int j = 0; j < n; ++j) {
            const double rise = r.uniform(0.4, 1.0), top = r.uniform(0.5, 2.0), lower = r.uniform(0.6, 3.0);
            b.moves.push_back({s, s + rise + top + lower, r.uniform(20.0, 40.0), rise, top});
            s += rise + top + lower + r.uniform(0.3, 1.0);
          }
          b.raises += n;
          s += r.uniform(30.0, 90.0);
        }
        b.end_s = s;
        return;
      }
      case DayActivity::cycle: {
        b.sway_deg = 0.1;
        b.cadence_steps_per_s = 2.0 * r.uniform(0.8, 1.3);
        b.offset_deg = r.uniform(10.0, 20.0);
        b.moves.push_back({t, t, r.uniform(20.0, 40.0), 0, 0});
        b.end_s = t + r.uniform(300.0, 1200.0);
        return;
      }
    }
  }

  static void finish_truth(DayBout& b) {
    switch (b.kind) {
      case DayActivity::walk:
      case DayActivity::stairs:
        if (!b.moves.empty()) b.active.push_back({b.moves.front().t0_s, b.moves.back().t1_s});
        b.strides = static_cast<std::uint32_t>(b.moves.size());
        return;
      case DayActivity::sit_pumps:
        b.pumps = 0;
        for (const DayMove& m : b.moves) {
          b.active.push_back({m.t0_s, m.t1_s});
          b.pumps += static_cast<std::uint32_t>(m.c);
        }
        return;
      case DayActivity::heel_raises: {
        // A set: its reps and the rests between them (< 1 s).
        b.raises = static_cast<std::uint32_t>(b.moves.size());
        for (const DayMove& m : b.moves) {
          if (!b.active.empty() && m.t0_s - b.active.back()[1] <= 1.0) b.active.back()[1] = m.t1_s;
          else b.active.push_back({m.t0_s, m.t1_s});
        }
        return;
      }
      case DayActivity::cycle:
        b.active.push_back({b.start_s, b.end_s});
        return;
      default:
        return;
    }
  }

  DayConfig cfg_;
  Xoshiro256ss rng_, noise_;
  DayTruth truth_;
  day_detail::Q mount_{1, 0, 0, 0};
  std::array<double, 3> bias_{0, 0, 0};
  std::array<double, 3> acc_offset_{0, 0, 0};       // m/s^2, per sensor axis
  std::array<double, 3> acc_scale_error_{0, 0, 0};  // fraction, per sensor axis
  std::uint64_t n_ = 0, i_ = 0;
  std::size_t bout_ = 0;
};

}  // namespace soleus::sim
