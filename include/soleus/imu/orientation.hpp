// Orientation filter for a 6-axis IMU (accelerometer + gyroscope) with gyro-bias
// estimation whenever the sensor is still. Streams timestamped samples, no heap.
//
// Why a Mahony-style complementary filter (gyro integration + proportional-
// integral correction of the tilt toward the measured gravity direction):
//  * Heel raises need tilt (rotation about a horizontal axis), which gravity
//    makes observable; heading is not needed, so no magnetometer (unreliable
//    near gym equipment) and no Kalman covariance of a 6- or 9-state model.
//  * It costs a few dozen flops per sample, has interpretable gains and
//    degrades gracefully: during the brief linear accelerations of a fast rise
//    (up to ~4 m/s^2 on the foot) the correction is gated down and the gyro
//    carries the orientation (trapezoidal integration, no half-sample lead).
//  * Bias: Mahony's integral term only sees the two tilt axes and needs long
//    excitation. Heel-raise sessions are full of still periods (bottom rest,
//    top holds, set rests), during which the true rate is zero, so the bias of
//    all three axes is measured directly there: a scalar Kalman average per
//    axis (prior SD bias_initial_sd_dps, random-walk drift between still
//    periods) fed with block means, each confirmed by the following block.
//    After 5 s still the residual is ~noise/sqrt(N) (0.005-0.03 deg/s in the
//    tests). The integral term acts only when quasi-static but not still
//    (ki_static: postural sway keeps a shank from ever being still) and,
//    optionally, when moving (ki, off: heel-raise accelerations leak into it).
//
// Stillness detector (with hysteresis and a timer): a sample is "quiet" when
// |gyro - bias| < still_gyro_dps + bias SD (per sample, noise-tolerant),
// |0.2 s mean of gyro - bias| < still_mean_gyro_dps + bias SD (averaged, so it
// can be tight enough to catch a shank turning at 1 deg/s), |gyro - its 0.2 s
// mean| < still_gyro_dev_dps, and ||acc| - g| < still_acc_mps2. The sensor
// becomes still after still_enter_s of quiet samples and stops being still as
// soon as a sample exceeds the thresholds times still_exit_factor. A looser
// quasi-static state (0.2 s mean rate < static_gyro_dps) marks postures that
// are constant within about a degree: rests under postural sway.
//
// Time: dt comes from the timestamps. dt <= 0 (repeated or out-of-order stamp)
// rejects the sample; dt > max_gap_s (dropped packets) re-initialises the tilt
// from the accelerometer instead of integrating one huge step (the bias
// estimate is kept). NaN/Inf samples are rejected before touching any state.
// measured_rate_hz() exposes the real sample rate (clock drift).
//
// Frames: q maps sensor-frame vectors to a world frame with z up (heading
// arbitrary: zero at initialisation). up_sensor() is world +z in the sensor
// frame, i.e. the direction an accelerometer at rest reports.
#pragma once

#include <Eigen/Core>
#include <Eigen/Geometry>
#include <cmath>
#include <cstddef>

#include "soleus/core/config.hpp"
#include "soleus/core/status.hpp"


namespace soleus::imu {

enum class AccUnit { mps2, g };
enum class GyroUnit { dps, rad_per_s };

// Bit flags describing what the last update did (several may be set).
enum ImuEvent : unsigned {
  kImuEventNone = 0u,
  kImuEventInitialised = 1u,        // orientation initialised from the accelerometer
  kImuEventGapReinitialised = 2u,   // dt > max_gap_s: re-initialised
  kImuEventRejectedNonFinite = 4u,  // NaN/Inf in the sample or its time: ignored
  kImuEventRejectedTime = 8u,       // dt <= 0: ignored
  kImuEventStillEntered = 16u,
  kImuEventStillLeft = 32u,
  kImuEventRejectedImplausible = 64u,  // a gyro component beyond max_rate_dps: ignored
};

struct OrientationConfig {
  AccUnit acc_unit = AccUnit::mps2;
  GyroUnit gyro_unit = GyroUnit::dps;
  double gravity_mps2 = 9.80665;

  // Proportional gains (rad/s per unit of cross-product error): tilt error
  // decays with time constant 1/kp. High when still (fast, accurate levelling),
  // low when moving (the gyro is trusted over accelerations).
  double kp_still = 2.0;
  double kp_moving = 0.3;
  double kp_static = 1.0;       // quasi-static but not still (sway, very slow motion)
  double ki = 0.0;              // integral gain on the bias, 1/s^2, when moving (off)
  double ki_static = 0.2;       // integral gain when quasi-static but not still
  double acc_gate_mps2 = 1.5;   // correction weight falls to 0 as ||a|-g| reaches this

  double max_gap_s = 0.25;      // larger time steps re-initialise

  // A gyro component at or beyond this is not a measurement (the sensor's
  // full scale clips there, or the value is corrupt) and the sample is ignored
  // like a NaN: integrated, one 1e6 deg/s sample turned the bias estimate into
  // NaN and a few thousand deg/s threw the orientation off for seconds.
  // 2000 deg/s is the usual MEMS full scale, and no foot or shank turns that
  // fast: the foot peaks at 300-600 deg/s in walking swing (Mariani et al.
  // 2010), ~1000-1300 deg/s in sprinting, a fast heel raise at ~240 deg/s.
  // Set it to a wider sensor's range if it has one (Session: imu_gyro_range).
  double max_rate_dps = 2000.0;

  // Stillness detector.
  double still_gyro_dps = 2.0;
  double still_gyro_dev_dps = 2.0;
  double still_mean_gyro_dps = 0.5;  // on the 0.2 s mean: catches slow shank rotations
  double still_acc_mps2 = 0.4;
  double still_enter_s = 0.4;
  double still_exit_factor = 1.5;
  // Quasi-static detector (0.2 s mean rate, acceleration magnitude): used for
  // rest postures and the integral bias term when sway prevents stillness.
  double static_gyro_dps = 3.0;
  double static_acc_mps2 = 0.6;

  // Bias estimator.
  double gyro_noise_dps = 0.2;                    // assumed white noise SD per sample
  double bias_initial_sd_dps = 5.0;               // prior uncertainty (also the max
                                                  // extra gyro threshold for stillness)
  double bias_drift_dps_per_sqrt_s = 0.01;        // random walk between still periods
  double bias_max_dps = 20.0;                     // estimates are clamped to this
  double bias_block_s = 0.4;                      // averaging block (see update())
};

inline Status validate(const OrientationConfig& c) {
  if (!(c.gravity_mps2 > 0.0)) return Status::invalid("gravity_mps2: must be > 0");
  if (!(c.kp_still >= 0.0 && c.kp_moving >= 0.0 && c.kp_static >= 0.0 && c.ki >= 0.0 && c.ki_static >= 0.0))
    return Status::invalid("kp_still, kp_moving, kp_static, ki, ki_static: must be >= 0");
  if (!(c.static_gyro_dps > 0.0 && c.static_acc_mps2 > 0.0))
    return Status::invalid("static_gyro_dps, static_acc_mps2: must be > 0");
  if (!(c.acc_gate_mps2 > 0.0)) return Status::invalid("acc_gate_mps2: must be > 0");
  if (!(c.max_gap_s > 0.0)) return Status::invalid("max_gap_s: must be > 0");
  if (!(c.max_rate_dps > 0.0)) return Status::invalid("max_rate_dps: must be > 0");
  if (!(c.still_gyro_dps > 0.0 && c.still_gyro_dev_dps > 0.0 && c.still_mean_gyro_dps > 0.0 && c.still_acc_mps2 > 0.0))
    return Status::invalid("still_gyro_dps, still_gyro_dev_dps, still_acc_mps2: must be > 0");
  if (!(c.still_enter_s >= 0.0)) return Status::invalid("still_enter_s: must be >= 0");
  if (!(c.still_exit_factor >= 1.0)) return Status::invalid("still_exit_factor: must be >= 1");
  if (!(c.gyro_noise_dps > 0.0 && c.bias_initial_sd_dps > 0.0 && c.bias_drift_dps_per_sqrt_s >= 0.0 &&
        c.bias_max_dps > 0.0 && c.bias_block_s > 0.0))
    return Status::invalid("gyro_noise_dps, bias_initial_sd_dps, bias_max_dps: must be > 0");
  return Status::success();
}

template <typename T>
class BasicOrientationFilter {
 public:
  using Vec3 = Eigen::Matrix<T, 3, 1>;
  using Quat = Eigen::Quaternion<T>;
  static constexpr double kDegPerRad = 57.295779513082320876798;

  BasicOrientationFilter() { (void)configure(OrientationConfig{}); }
  explicit BasicOrientationFilter(const OrientationConfig& c) { (void)configure(c); }

  // Validates and applies a configuration, then resets the state.
  Status configure(const OrientationConfig& c) {
    const Status s = validate(c);
    if (!s.ok()) return s;
    cfg_ = c;
    acc_scale_ = static_cast<T>(c.acc_unit == AccUnit::g ? c.gravity_mps2 : 1.0);
    gyro_scale_ = static_cast<T>(c.gyro_unit == GyroUnit::dps ? 1.0 / kDegPerRad : 1.0);
    max_rate_rps_ = static_cast<T>(c.max_rate_dps / kDegPerRad);
    g_ = static_cast<T>(c.gravity_mps2);
    inv_gate_ = static_cast<T>(1.0 / c.acc_gate_mps2);
    noise_var_ = sq(static_cast<T>(c.gyro_noise_dps / kDegPerRad));
    drift_var_per_s_ = sq(static_cast<T>(c.bias_drift_dps_per_sqrt_s / kDegPerRad));
    bias_max_ = static_cast<T>(c.bias_max_dps / kDegPerRad);
    // The stillness thresholds that do not depend on the bias estimate, in
    // the form update_stillness() compares them (squared rad/s, float),
    // computed here with the same float operations as per sample before:
    // [0] entering stillness, [1] leaving it (times still_exit_factor).
    // Saves two divisions and a dozen conversions per sample; same bits.
    const T deg = static_cast<T>(kDegPerRad);
    const T exit_f = static_cast<T>(c.still_exit_factor);
    for (int i = 0; i < 2; ++i) {
      const T f = i == 0 ? T(1) : exit_f;
      const T thr_dev = f * static_cast<T>(c.still_gyro_dev_dps) / deg;
      thr_dev_sq_[i] = thr_dev * thr_dev;
      thr_still_acc_[i] = f * static_cast<T>(c.still_acc_mps2);
    }
    inv_deg_ = T(1) / deg;
    const T thr_static = static_cast<T>(c.static_gyro_dps) / deg;
    thr_static_sq_ = thr_static * thr_static;
    // The per-sample settings in T, converted once (the same conversions as
    // per sample before: same bits, issue 16).
    kp_still_ = static_cast<T>(c.kp_still);
    kp_static_ = static_cast<T>(c.kp_static);
    kp_moving_ = static_cast<T>(c.kp_moving);
    bias_initial_sd_ = static_cast<T>(c.bias_initial_sd_dps);
    still_gyro_ = static_cast<T>(c.still_gyro_dps);
    still_mean_gyro_ = static_cast<T>(c.still_mean_gyro_dps);
    exit_factor_ = exit_f;
    static_acc_ = static_cast<T>(c.static_acc_mps2);
    reset();
    return Status::success();
  }
  const OrientationConfig& config() const { return cfg_; }

  // Forgets everything, including the bias estimate.
  void reset() {
    bias_.setZero();
    g_rest_ = g_;
    g_rest_offset_.setZero();
    turn_quiet_s_ = 0.0;
    bias_var_ = sq(static_cast<T>(cfg_.bias_initial_sd_dps / kDegPerRad));
    reinitialise();
    n_rejected_ = n_gaps_ = 0;
    dt_mean_s_ = 0.0;
    events_ = kImuEventNone;
  }

  // Sets a known bias (e.g. from a factory calibration), in deg/s.
  void set_bias_dps(const Vec3& b_dps, double sd_dps) {
    bias_ = b_dps / static_cast<T>(kDegPerRad);
    bias_var_ = sq(static_cast<T>(sd_dps / kDegPerRad));
  }

  // One sample: time (s), acc[3] and gyro[3] in the configured units, sensor frame.
  Status update(double t_s, const T* acc, const T* gyro) {
    return update(t_s, Vec3(acc[0], acc[1], acc[2]), Vec3(gyro[0], gyro[1], gyro[2]));
  }

  SOLEUS_NOINLINE Status update(double t_s, const Vec3& acc_in, const Vec3& gyro_in) {
    events_ = kImuEventNone;
    if (SOLEUS_UNLIKELY(!std::isfinite(t_s) || !acc_in.allFinite() || !gyro_in.allFinite())) {
      events_ |= kImuEventRejectedNonFinite;
      ++n_rejected_;
      return Status{StatusCode::bad_input, "non-finite IMU sample or time stamp: sample ignored"};
    }
    const Vec3 a = acc_in * acc_scale_;     // m/s^2
    const Vec3 w = gyro_in * gyro_scale_;   // rad/s
    if (SOLEUS_UNLIKELY(!(w.cwiseAbs().maxCoeff() < max_rate_rps_))) {
      events_ |= kImuEventRejectedImplausible;
      ++n_rejected_;
      return Status{StatusCode::bad_input, "gyro beyond max_rate_dps: sample ignored"};
    }
    const T a_norm = a.norm();
    a_norm_mps2_ = a_norm;

    if (!have_time_) {
      have_time_ = true;
      t_prev_ = t_s;
      return try_initialise(a, a_norm, w);
    }
    const double dt_d = t_s - t_prev_;
    if (SOLEUS_UNLIKELY(!(dt_d > 0.0))) {
      events_ |= kImuEventRejectedTime;
      ++n_rejected_;
      return Status{StatusCode::bad_input, "time stamp not increasing: sample ignored"};
    }
    t_prev_ = t_s;
    if (SOLEUS_UNLIKELY(dt_d > cfg_.max_gap_s)) {
      ++n_gaps_;
      events_ |= kImuEventGapReinitialised;
      reinitialise();
      have_time_ = true;
      (void)try_initialise(a, a_norm, w);
      return Status{StatusCode::bad_input, "time gap above max_gap_s: orientation re-initialised"};
    }
    if (!initialised_) return try_initialise(a, a_norm, w);

    const T dt = static_cast<T>(dt_d);
    dt_s_ = dt_d;
    // Running mean of the sample interval (time constant ~100 samples), so a
    // caller can see the real rate drift away from the nominal one.
    dt_mean_s_ = dt_mean_s_ > 0.0 ? dt_mean_s_ + 0.01 * (dt_d - dt_mean_s_) : dt_d;
    update_stillness(a, a_norm, w, dt);

    // Bias: random-walk prediction, then a Kalman update from block means of
    // the raw rate while still. A block is used only once the next block has
    // also completed quietly, so every sample that reaches the estimate was
    // followed by >= bias_block_s of stillness: the slow start of a movement
    // (a 3 s lowering takes ~0.3 s to exceed 2 deg/s) never leaks into it.
    bias_var_ += drift_var_per_s_ * dt;
    update_bias_blocks(w, dt);

    // Trapezoidal rate over the interval (mean of the previous and this raw
    // sample): rectangular integration with the newest sample would lead by
    // half a sample, 2 deg for a 220 deg/s rise at 50 Hz.
    const Vec3 wg = T(0.5) * (w + w_prev_) - bias_;
    w_prev_ = w;
    const T half_dt = T(0.5) * dt;
    // q <- q * exp(wc dt / 2), wc = wg + (kp wgt) e (the gravity correction
    // below): 4th-order series of cos/sinc (error < 1e-9 for the <= 0.1 rad
    // steps of a 100 Hz sensor at 500 deg/s).
    // Issue 16 speed: q -> up -> correction -> step -> q is the filter's
    // sample-to-sample dependency chain, so the series' arguments come from
    // the gyro part wg alone (known before q is) and the correction enters
    // only the step's vector part (one fused multiply-add). What that omits
    // in the series is h2 - h2g = 2 hg.hd + |hd|^2 (hg = wg dt/2, hd = the
    // correction's kp wgt e dt/2): while moving kp = 0.3 and the tilt error
    // |e| <= 0.1 rad, so |hd| <= 1.5e-4 at 100 Hz against |hg| <= 0.044 at
    // 500 deg/s: c and s move by <= 7e-6 (relative), which changes the step's
    // rotation angle by <= |hg| 7e-6 = 3e-7 rad (2e-5 deg) and its length by
    // <= 7e-6 (renormalised below). When still (kp = 2), |wg| < 3 deg/s and
    // the product hg.hd is smaller still.
    const Vec3 hg = wg * half_dt;
    const T h2 = hg.squaredNorm();
    const T c = T(1) - h2 * (T(0.5) - h2 * (T(1) / T(24)));
    const T s = T(1) - h2 * (T(1) / T(6) - h2 * (T(1) / T(120)));
    Vec3 step = s * hg;  // the step's vector part, s (hg + hd)
    // |q| back to 1 by one Newton step of 1/sqrt (x(3 - x)/2 around 1; no
    // square root or division), on every sample, of the product's norm
    // |q|^2 |dq|^2: both factors are known before the product is (|q|^2 at
    // the start of the sample, |dq|^2 = c^2 + |step|^2 with the correction),
    // so the scale is computed in parallel with the product and costs the
    // chain one multiplication. The step's length is off 1 by the series'
    // omitted term above plus a few ulps (1.1e-5 at worst on the real walking
    // recording of test_orientation), which the Newton step squares away.
    const T q_norm2 = q_.coeffs().squaredNorm();
    // Gravity correction: error = measured up x estimated up, weighted down
    // when the acceleration magnitude says the sensor is accelerating.
    const Vec3& v = up_;  // up_sensor() of the current q
    if (a_norm > T(0)) {
      T wgt = T(1) - std::fabs(a_norm - g_rest_) * inv_gate_;
      if (wgt > T(0)) {
        const T kp = still_ ? kp_still_ : (static_ ? kp_static_ : kp_moving_);
        const T kw = (kp * wgt) / a_norm;  // a / |a| folded into the gain (off the chain)
        // The specific force less the offset's component along gravity
        // learned at rest (g_rest_offset_, see g_rest_): without it the
        // attitude crept toward the offset's tilt during a held top.
        const Vec3 e_raw = (a - g_rest_offset_).cross(v);  // |a| e
        step += (kw * half_dt * s) * e_raw;
        // Integral (bias of the two tilt axes) where gravity is a clean
        // reference but the strict still detector is not satisfied, e.g.
        // postural sway of a shank sensor: without it an uncorrected bias b
        // leaves a tilt error of b / kp.
        const double ki = still_ ? 0.0 : (static_ ? cfg_.ki_static : cfg_.ki);
        if (ki > 0.0) {
          bias_ -= (static_cast<T>(ki) * wgt * dt / a_norm) * e_raw;
          clamp_bias();
        }
      }
    }
    last_rate_rps_ = w - bias_;
    const T k_norm = T(0.5) * (T(3) - q_norm2 * (c * c + step.squaredNorm()));
    q_ = q_ * Quat(c, step.x(), step.y(), step.z());
    q_.coeffs() *= k_norm;
    up_ = up_of(q_);
    return Status::success();
  }

  // Block convenience: a thin loop over update(); acc and gyro are n x 3
  // row-major. Returns the first non-ok status (processing continues).
  Status process(const double* t_s, const T* acc, const T* gyro, std::size_t n) {
    Status first{};
    for (std::size_t i = 0; i < n; ++i) {
      const Status s = update(t_s[i], acc + 3 * i, gyro + 3 * i);
      if (!s.ok() && first.ok()) first = s;
    }
    return first;
  }

  // ---- getters
  bool initialised() const { return initialised_; }
  const Quat& quaternion() const { return q_; }  // sensor -> world (z up)
  // World up (+z) in the sensor frame: the gravity direction as an
  // accelerometer at rest reports it (unit vector).
  // Kept with q (computed once per sample, when q changes): the filter's
  // next correction and the tracker both read it.
  const Vec3& up_sensor() const { return up_; }
  Vec3 bias_dps() const { return bias_ * static_cast<T>(kDegPerRad); }
  T bias_sd_dps() const { return std::sqrt(bias_var_) * static_cast<T>(kDegPerRad); }
  // The bias estimate's variance per axis, (rad/s)^2 (no square root: read every sample).
  T bias_var_rps2() const { return bias_var_; }
  bool still() const { return still_; }
  // Quasi-static (looser than still(): postural sway allowed) and for how long.
  bool quasi_static() const { return static_; }
  double quasi_static_time_s() const { return static_s_; }
  double still_time_s() const { return quiet_s_; }
  // |acc| (m/s^2) of the last sample that passed the finiteness and rate
  // checks, whether or not it was integrated: the tracker's and the rep
  // chain's specific-force magnitude, computed once per sample here.
  T acc_norm_mps2() const { return a_norm_mps2_; }
  // m/s^2 per unit of the configured accelerometer input (g or m/s^2).
  T acc_scale() const { return acc_scale_; }
  // Last gyro sample with the bias removed (no gravity correction), rad/s.
  const Vec3& rate_rps() const { return last_rate_rps_; }
  unsigned events() const { return events_; }
  long long rejected_count() const { return n_rejected_; }
  long long gap_count() const { return n_gaps_; }
  double last_time_s() const { return t_prev_; }
  // Time step integrated by the last accepted update (0 after (re)initialisation).
  double last_dt_s() const { return dt_s_; }
  // Sample rate measured from the time stamps (running mean; 0 until known).
  double measured_rate_hz() const { return dt_mean_s_ > 0.0 ? 1.0 / dt_mean_s_ : 0.0; }

 private:
  static T sq(T x) { return x * x; }
  // Third row of R(q): R^T e_z.
  static Vec3 up_of(const Quat& q) {
    const T w = q.w(), x = q.x(), y = q.y(), z = q.z();
    return Vec3(T(2) * (x * z - w * y), T(2) * (y * z + w * x), T(1) - T(2) * (x * x + y * y));
  }

  void clamp_bias() {
    for (int k = 0; k < 3; ++k) {
      if (bias_[k] > bias_max_) bias_[k] = bias_max_;
      if (bias_[k] < -bias_max_) bias_[k] = -bias_max_;
    }
  }

  // Orientation state only; the bias estimate survives gaps.
  void reinitialise() {
    q_.setIdentity();
    up_ = Vec3::UnitZ();
    dt_s_ = 0.0;
    initialised_ = false;
    have_time_ = false;
    still_ = false;
    quiet_s_ = 0.0;
    turn_quiet_s_ = 0.0;
    static_ = false;
    static_s_ = 0.0;
    w_mean_.setZero();
    have_w_mean_ = false;
    last_rate_rps_.setZero();
    w_prev_.setZero();
    block_sum_.setZero();
    pending_sum_.setZero();
    block_n_ = pending_n_ = 0;
    block_t_ = 0.0;
  }

  Status try_initialise(const Vec3& a, T a_norm, const Vec3& w) {
    // Only from a plausible gravity reading: a sensor being shaken is not level-able.
    if (std::fabs(a_norm - g_) > T(0.3) * g_ || !(a_norm > T(0))) {
      return Status{StatusCode::not_ready, "waiting for a plausible accelerometer sample to initialise"};
    }
    // Shortest rotation taking the measured up direction to world +z. Written
    // out because Eigen's FromTwoVectors falls back to a dynamic-size SVD
    // (heap) near the antiparallel case.
    const Vec3 u = a / a_norm;
    const T c = u.z();
    if (c > T(-0.999999)) {
      q_ = Quat(T(1) + c, u.y(), -u.x(), T(0));  // (1 + u.z, u x e_z)
    } else {
      q_ = Quat(T(0), T(1), T(0), T(0));  // upside down: 180 deg about x
    }
    q_.normalize();
    up_ = up_of(q_);
    initialised_ = true;
    dt_s_ = 0.0;
    w_mean_ = w;
    have_w_mean_ = true;
    last_rate_rps_ = w - bias_;
    w_prev_ = w;
    events_ |= kImuEventInitialised;
    return Status::success();
  }

  void update_bias_blocks(const Vec3& w, T dt) {
    if (!still_) {
      block_sum_.setZero();
      block_n_ = pending_n_ = 0;
      block_t_ = 0.0;
      return;
    }
    block_sum_ += w;
    ++block_n_;
    block_t_ += static_cast<double>(dt);
    if (block_t_ < cfg_.bias_block_s) return;
    if (pending_n_ > 0) {
      const T n = static_cast<T>(pending_n_);
      const T k = bias_var_ / (bias_var_ + noise_var_ / n);
      bias_ += k * (pending_sum_ / n - bias_);
      bias_var_ *= (T(1) - k);
      clamp_bias();
    }
    pending_sum_ = block_sum_;
    pending_n_ = block_n_;
    block_sum_.setZero();
    block_n_ = 0;
    block_t_ = 0.0;
  }

  void update_stillness(const Vec3& a, T a_norm, const Vec3& w, T dt) {
    (void)a;
    // 0.2 s running mean of the raw rate: deviation from it reveals motion
    // even while the bias is still unknown.
    if (!have_w_mean_) {
      w_mean_ = w;
      have_w_mean_ = true;
    }
    const T alpha = dt * T(5) < T(1) ? dt * T(5) : T(1);  // first-order 0.2 s mean
    w_mean_ += alpha * (w - w_mean_);
    const T deg = static_cast<T>(kDegPerRad);
    const T sd = std::sqrt(bias_var_) * deg;
    const T bias_sd_dps = sd < bias_initial_sd_ ? sd : bias_initial_sd_;
    const T gyro_thr = still_gyro_ + bias_sd_dps;
    // Squared comparisons (rad/s): no square roots per sample. The
    // thresholds without the bias's uncertainty are precomputed (configure()).
    const int leaving = still_ ? 1 : 0;
    const T f = still_ ? exit_factor_ : T(1);
    // Times 1/deg rather than divided by deg (issue 16: two float divisions
    // less per sample). The product differs from the quotient by at most an
    // ulp (6e-8 relative): these are noise thresholds of 0.5-2 deg/s plus the
    // bias uncertainty, set to a tenth of a deg/s at best, so a relative
    // 1e-7 moves the still/quiet decision only for a rate within 1e-7 deg/s
    // of the threshold, far inside the gyro's 0.2 deg/s noise.
    const T thr_rate = f * gyro_thr * inv_deg_;
    const T thr_mean = f * (still_mean_gyro_ + bias_sd_dps) * inv_deg_;
    const T mean_sq = (w_mean_ - bias_).squaredNorm();
    const bool not_turning = (w - bias_).squaredNorm() < thr_rate * thr_rate &&
                             (w - w_mean_).squaredNorm() < thr_dev_sq_[leaving] && mean_sq < thr_mean * thr_mean;
    // Gravity as this accelerometer reads it (see g_rest_): learned once the
    // gyro has said "not turning" for still_enter_s, whatever |a| says.
    turn_quiet_s_ = not_turning ? turn_quiet_s_ + static_cast<double>(dt) : 0.0;
    if (turn_quiet_s_ >= cfg_.still_enter_s && a_norm > T(0)) {
      const T k = dt < kRestGravityTau_s ? dt / kRestGravityTau_s : T(1);
      g_rest_ += k * (a_norm - g_rest_);
      const T lim = kAccMagnitudeErrorMax_g * g_;
      if (g_rest_ > g_ + lim) g_rest_ = g_ + lim;
      if (g_rest_ < g_ - lim) g_rest_ = g_ - lim;
      // Beyond the learned mean's own noise only (kRestGravityNoise_mps2):
      // an ideal accelerometer's learned g then leaves the correction as it
      // was (a few mm/s^2 of noise had moved a slow glide's heel contact by
      // 0.9 s: SlowLoweringOntoALowerRestEndsWhereItArrives, seed 75).
      const T ex = g_rest_ - g_;
      const T exd = ex > kRestGravityNoise_mps2 ? ex - kRestGravityNoise_mps2
                                                : (ex < -kRestGravityNoise_mps2 ? ex + kRestGravityNoise_mps2 : T(0));
      g_rest_offset_ = (exd / a_norm) * a;
    }
    const T acc_dev = std::fabs(a_norm - g_rest_);
    const bool quiet = not_turning && acc_dev < thr_still_acc_[leaving];
    // Quasi-static: the 0.2 s mean rate and the acceleration magnitude are
    // small (posture constant within a degree or so, sway allowed).
    const bool calm = mean_sq < thr_static_sq_ && acc_dev < static_acc_;
    if (calm) {
      static_s_ += static_cast<double>(dt);
      if (static_s_ >= cfg_.still_enter_s) static_ = true;
    } else {
      static_s_ = 0.0;
      static_ = false;
    }
    if (quiet) {
      quiet_s_ += static_cast<double>(dt);
      if (!still_ && quiet_s_ >= cfg_.still_enter_s) {
        still_ = true;
        events_ |= kImuEventStillEntered;
      }
    } else {
      quiet_s_ = 0.0;
      if (still_) {
        still_ = false;
        events_ |= kImuEventStillLeft;
      }
    }
  }

  OrientationConfig cfg_{};
  T acc_scale_ = T(1), gyro_scale_ = T(1), g_ = T(9.80665), inv_gate_ = T(1);
  T max_rate_rps_ = T(2000.0 / 57.29577951308232);
  T noise_var_ = T(0), drift_var_per_s_ = T(0), bias_max_ = T(0);
  // Stillness thresholds fixed by the configuration (see configure()).
  T thr_dev_sq_[2] = {T(0), T(0)}, thr_still_acc_[2] = {T(0), T(0)}, thr_static_sq_ = T(0);
  T inv_deg_ = T(1.0 / 57.295779513082320876798);  // rad per deg
  T kp_still_ = T(2), kp_static_ = T(1), kp_moving_ = T(0.3);  // configure()
  T bias_initial_sd_ = T(5), still_gyro_ = T(2), still_mean_gyro_ = T(0.5), exit_factor_ = T(1.5), static_acc_ = T(0.6);
  T a_norm_mps2_ = T(0);  // |acc| of the last finite sample (m/s^2)
  // Gravity's magnitude as this accelerometer reads it at rest (m/s^2): the
  // reference of the stillness test (||a| - g| < still_acc_mps2, 0.4) and of
  // the gravity correction's weight (acc_gate_mps2). A MEMS accelerometer's
  // zero-g offset o (per axis) and sensitivity error s make a resting
  // sensor read |a| = g + o . u + g u^T S u (u: up in the sensor frame),
  // off the nominal g by up to |o| + max|s| g: datasheets give per axis
  // +-40 mg (Bosch BMI160), +-50 mg board level (TDK ICM-20948), and a
  // sensitivity tolerance up to +-3 % (InvenSense MPU-6050), so up to
  // (sqrt(3) x 0.05 + 0.03) g = 0.117 g = 1.14 m/s^2, beyond the 0.4 m/s^2
  // stillness threshold: a sensor off by more never became still (no bias
  // learning, the loose moving gains at every rest; issue 16, zerog22:
  // with 40 mg and 2 % simulated, 5 % of the grid's sets were lost). The
  // magnitude is learned while the gyro says the sensor does not turn (the
  // stillness test's rate conditions for still_enter_s: a foot or shank
  // that does not turn does not accelerate either, its forefoot or ankle
  // planted), a first-order mean over kRestGravityTau_s, clamped to the
  // datasheets' bound around the nominal g. The offset's component along
  // gravity changes with the attitude (|o| x the tilt change, 0.03 m/s^2
  // for 3 deg between rests), well inside the threshold.
  static constexpr T kAccMagnitudeErrorMax_g = T(0.117);
  static constexpr T kRestGravityTau_s = T(0.5);
  // 5 SDs of that mean: 0.05 m/s^2 per sample (imu_reps.hpp kRestMean_s's
  // figure) over 0.5 s at 50 Hz (25 samples) is 0.01 m/s^2; 5 mg, a tenth of
  // a consumer part's offset.
  static constexpr T kRestGravityNoise_mps2 = T(0.05);  // 50 samples at 100 Hz: the noise (0.03-0.05 m/s^2) to < 0.01
  // The offset's component along gravity at the last rest (sensor frame,
  // m/s^2): (g_rest_ - g) along the rest's specific force. A sensor turned
  // by theta from its rest sees its accelerometer's tilt err by theta o.u /
  // g about the turn's axis (the offset o turns with it: the up direction's
  // error changes by theta x the offset's component along gravity, o.u, over
  // g: 0.07 x a 35 deg raise = 2.4 deg), which the gravity correction
  // follows during a held top (the angle sagged by it and the lowering read
  // as starting early); o's part across gravity tilts the sensor the same
  // at every attitude (no change to a relative angle) and is not
  // observable at one rest anyway (applied beyond kRestGravityNoise_mps2).
  // Limits (measured, zerog22): learned
  // wherever the sensor does not turn, a held top included, it moves to the
  // top's own component within ~0.5-1 s of the hold, so it delays the creep
  // rather than removing it (slow-tempo foot sets, seeds 1-8, all boundaries p95 303 ->
  // 295 ms, median 11.6 -> 9.1 ms; 26 ms with an ideal accelerometer); the
  // sensitivity error's share (|s_i - s_j| <= 4 %) creeps as much and is
  // not observable from |a| at two attitudes. Estimating o in the raise's
  // plane from the rest's and the top's |a| (both are o.u) is the next step.
  Vec3 g_rest_offset_ = Vec3::Zero();
  T g_rest_ = T(9.80665);
  double turn_quiet_s_ = 0.0;

  Quat q_ = Quat::Identity();
  Vec3 up_ = Vec3::UnitZ();  // up_of(q_), see up_sensor()
  Vec3 bias_ = Vec3::Zero();
  T bias_var_ = T(0);
  Vec3 w_mean_ = Vec3::Zero();
  Vec3 last_rate_rps_ = Vec3::Zero();
  Vec3 w_prev_ = Vec3::Zero();  // previous raw rate (trapezoidal integration)
  Vec3 block_sum_ = Vec3::Zero();    // raw-rate sum of the block being filled
  Vec3 pending_sum_ = Vec3::Zero();  // completed block awaiting confirmation
  int block_n_ = 0, pending_n_ = 0;
  double block_t_ = 0.0;
  bool have_w_mean_ = false;
  bool initialised_ = false;
  bool have_time_ = false;
  bool still_ = false;
  bool static_ = false;
  double static_s_ = 0.0;
  double quiet_s_ = 0.0;
  double t_prev_ = 0.0;
  double dt_s_ = 0.0;
  double dt_mean_s_ = 0.0;  // survives gaps (a gap is not a rate change)
  unsigned events_ = kImuEventNone;
  long long n_rejected_ = 0;
  long long n_gaps_ = 0;
};

using OrientationFilter = BasicOrientationFilter<float>;

}  // namespace soleus::imu
