// The plantar-flexion angle signal (degrees) of a foot- or shank-worn IMU:
// orientation filter + sagittal-axis finder + the angle about that axis
// relative to the rest posture. Streaming, timestamped, no heap; this is the
// signal the repetition segmenter consumes.
//
// Angle: the tilt of the sensor about the sagittal axis a between the rest
// posture and now, from the filter's gravity ("up") direction in the sensor
// frame: theta = atan2(a . (up x up_ref), up . up_ref - (up . a)(up_ref . a)).
// This is the orientation's component about a (for a horizontal axis it equals
// the twist of q_ref^-1 q about a) but it is anchored to gravity, so it never
// drifts with the unobservable heading, and it costs two dot products and a
// cross product.
//
// Rest reference: taken from the axis finder's rest posture when the axis
// locks, then re-referenced whenever the sensor is at rest (strictly still
// for rest_min_s, or quasi-static for rest_static_min_s when sway defeats
// the strict detector) at an angle below the rest band: a posture lower than
// the reference, or within the band of it, is "rest"; top holds are far above
// the band and never re-reference; the band adapts to the amplitude of recent
// reps (see PlantarflexionConfig), not of gait: a movement with a heel strike
// (|a| over 2 g; 2-5 g in walking, Light et al. 1980) leaves the band's peak
// hold alone (stepping onto a step had widened the band over the heels'
// hang below standing; see update()). The target is a posture confirmed stable
// by the following confirm_s (ConfirmedPosture), never the current sample,
// and re-referencing is a first-order blend (reref_time_constant_s) so the
// output never steps.
//
// For a shank sensor the angle is the shank's own rotation (about 0.2-0.3 of the
// foot's; see sim/heel_raise.hpp); output_gain can scale it to an approximate
// foot angle. Until the axis is locked (or set explicitly) valid() is false
// and the angle is provisional: the tilt about the best axis so far, the
// farthest excursion read positive (0 before a rest posture is known).
//
// Rates (issue 16 speed): the orientation filter and the output angle run
// on every sample; the axis finder, once settled (locked, bias learned),
// runs on 20 ms block means (50 Hz), and the gyro-dominant mode's tilt
// angle is evaluated every 20 ms: both follow quantities that change over
// seconds (see update()).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "soleus/core/physical.hpp"
#include "soleus/core/status.hpp"
#include "soleus/imu/orientation.hpp"
#include "soleus/imu/sagittal_axis.hpp"

namespace soleus::imu {

namespace detail {
// atan2 with |error| <= 2e-8 rad (Abramowitz & Stegun 4.4.49 on [0, 1], then
// octant folding): a degree-16 polynomial evaluated in Estrin form (short
// dependency chain) and one division; several times cheaper than the libm
// call and the same bits on every platform.
template <typename T>
inline T atan2_poly(T y, T x) {
  const T ax = std::fabs(x), ay = std::fabs(y);
  const T mx = ax > ay ? ax : ay, mn = ax > ay ? ay : ax;
  if (!(mx > T(0))) return T(0);
  const T r = mn / mx, z = r * r;
  const T z2 = z * z, z4 = z2 * z2;
  const T p01 = T(-0.3333314528) + T(0.1999355085) * z;
  const T p23 = T(-0.1420889944) + T(0.1065626393) * z;
  const T p45 = T(-0.0752896400) + T(0.0429096138) * z;
  const T p67 = T(-0.0161657367) + T(0.0028662257) * z;
  const T p = (p01 + p23 * z2) + (p45 + p67 * z2) * z4;
  T a = r + r * z * p;
  if (ay > ax) a = T(1.57079632679489661923) - a;
  if (x < T(0)) a = T(3.14159265358979323846) - a;
  return y < T(0) ? -a : a;
}
}  // namespace detail

struct PlantarflexionConfig {
  OrientationConfig orientation{};
  SagittalAxisConfig axis{};
  // Still below this angle = at rest. The band is the smaller of
  // rest_band_deg and rest_band_fraction x the recent peak angle (a peak
  // hold decaying with peak_time_constant_s), but at least rest_band_min_deg:
  // a shank turns only ~5-8 deg per rep, and the top of its partial reps must
  // not be mistaken for rest.
  double rest_band_deg = 3.0;
  double rest_band_fraction = 0.25;
  double rest_band_min_deg = 0.5;
  double peak_time_constant_s = 60.0;
  double rest_min_s = 0.5;             // still this long before re-referencing
  double rest_static_min_s = 2.0;      // or quasi-static this long (sway)
  double reref_time_constant_s = 1.0;  // blend toward the new rest posture
  double output_gain = 1.0;            // angle scale (e.g. 1/0.3 for a standing shank)
  // Curvature of a segment/foot ratio that grows with the angle: with the
  // ratio r(theta) = r0 + output_curvature_per_deg * theta (r0 =
  // 1/output_gain, theta in output degrees), the output inverts
  // psi = r(theta) theta for theta. 0 = linear. A seated shank turns 0.19x the
  // foot at rest and 0.30x at 40 deg (sim/heel_raise.hpp's default seated
  // geometry: 0.0031 per deg); applied only above rest (psi > 0).
  double output_curvature_per_deg = 0.0;
  // Gyro-dominant angle (shank placements): the output is the gyro rate
  // about the axis (bias-corrected by the filter) integrated, pulled toward
  // the accelerometer's own tilt about the axis only while at rest (time
  // constant anchor_time_constant_s). Why: a shank's ankle translates while
  // the shank turns only 0.2-0.3x the foot, and horizontal accelerations of a
  // few cm/s^2 at the slow start and end of a rep (below any stillness
  // threshold) read as ~0.1-0.2 deg of tilt: 2-8 % of a shank's excursion,
  // enough to move its boundaries by tens to hundreds of ms. The gyro sees
  // the rotation itself; gravity only removes the slow drift at rest.
  // Anchoring needs rest (as above) AND no rotation about the axis: the
  // 0.2 s mean of |rate| below anchor_max_rate_dps (a shank's slow rise is
  // "still" to the orientation filter); at rest but turning (sway) it runs
  // anchor_slow_factor times slower.
  bool gyro_angle = false;
  double anchor_time_constant_s = 2.0;
  double anchor_max_rate_dps = 0.3;
  double anchor_slow_factor = 8.0;
};

inline Status validate(const PlantarflexionConfig& c) {
  Status s = validate(c.orientation);
  if (!s.ok()) return s;
  s = validate(c.axis);
  if (!s.ok()) return s;
  if (!(c.rest_band_deg >= 0.0 && c.rest_band_min_deg >= 0.0 && c.rest_band_fraction >= 0.0))
    return Status::invalid("rest_band_deg, rest_band_min_deg, rest_band_fraction: must be >= 0");
  if (!(c.peak_time_constant_s > 0.0)) return Status::invalid("peak_time_constant_s: must be > 0");
  if (!(c.rest_min_s >= 0.0 && c.rest_static_min_s >= 0.0))
    return Status::invalid("rest_min_s, rest_static_min_s: must be >= 0");
  if (!(c.reref_time_constant_s > 0.0)) return Status::invalid("reref_time_constant_s: must be > 0");
  if (!(c.anchor_time_constant_s > 0.0 && c.anchor_max_rate_dps > 0.0 && c.anchor_slow_factor >= 1.0))
    return Status::invalid("anchor_time_constant_s, anchor_max_rate_dps: must be > 0; anchor_slow_factor >= 1");
  if (!(std::isfinite(c.output_gain) && c.output_gain != 0.0)) return Status::invalid("output_gain: must be finite and non-zero");
  if (!(c.output_curvature_per_deg >= 0.0 && c.output_curvature_per_deg <= 0.1))
    return Status::invalid("output_curvature_per_deg: must be within 0..0.1");
  return Status::success();
}

template <typename T>
class BasicPlantarflexionTracker {
 public:
  using Filter = BasicOrientationFilter<T>;
  using Finder = BasicSagittalAxisFinder<T>;
  using Vec3 = typename Filter::Vec3;
  static constexpr double kDegPerRad = 57.295779513082320876798;

  BasicPlantarflexionTracker() { (void)configure(PlantarflexionConfig{}); }
  explicit BasicPlantarflexionTracker(const PlantarflexionConfig& c) { (void)configure(c); }

  Status configure(const PlantarflexionConfig& c) {
    const Status s = validate(c);
    if (!s.ok()) return s;
    cfg_ = c;
    inv_peak_tau_ = static_cast<T>(1.0 / c.peak_time_constant_s);
    impact_mps2_ = static_cast<T>((1.0 + kHeelStrikeExcess_g) * c.orientation.gravity_mps2);
    cos_stable_ = static_cast<T>(std::cos(c.axis.rest_stability_deg / kDegPerRad));
    inv_reref_tau_ = static_cast<T>(1.0 / c.reref_time_constant_s);
    gain_deg_ = static_cast<T>(c.output_gain * kDegPerRad);
    // The rest band's limits in T, converted once (not per sample).
    band_fraction_ = static_cast<T>(c.rest_band_fraction);
    band_max_deg_ = static_cast<T>(c.rest_band_deg);
    band_min_deg_ = static_cast<T>(c.rest_band_min_deg);
    curved_ = c.output_curvature_per_deg > 0.0;
    r0_ = static_cast<T>(1.0 / c.output_gain);
    four_k_r0_ = static_cast<T>(4.0 * c.output_curvature_per_deg / c.output_gain);
    inv_2k_ = curved_ ? static_cast<T>(0.5 / c.output_curvature_per_deg) : T(0);
    out_root_ = r0_;
    inv_anchor_tau_ = static_cast<T>(1.0 / c.anchor_time_constant_s);
    anchor_rate_rps_ = static_cast<T>(c.anchor_max_rate_dps / kDegPerRad);
    inv_anchor_slow_ = static_cast<T>(1.0 / c.anchor_slow_factor);
    (void)filter_.configure(c.orientation);
    (void)finder_.configure(c.axis);
    reset();
    return Status::success();
  }
  const PlantarflexionConfig& config() const { return cfg_; }

  // Forgets everything except the configuration (an explicit axis is kept).
  void reset() {
    filter_.reset();
    const bool had_explicit = finder_.explicit_axis();
    const Vec3 a = finder_.axis_sensor();
    finder_.reset();
    if (had_explicit) (void)finder_.set_axis(a);
    have_ref_ = false;
    angle_deg_ = rate_dps_ = peak_deg_ = move_peak_deg_ = T(0);
    move_impact_ = false;
    ref_snap_.reset();
    snap_deg_ = T(0);
    up_ref_ = Vec3::UnitZ();
    have_gyro_angle_ = false;
    gyro_angle_ = rate_prev_ = rate_abs_lp_ = T(0);
    anchor_k_ = 0;
    seen_corrections_ = 0;
    fblk_rate_.setZero();
    fblk_acc_.setZero();
    fblk_force_ = T(0);
    fblk_dt_s_ = 0.0;
    raw_hold_ = T(0);
    raw_age_s_ = 0.0;
  }

  // Forgets the learned axis, its sign and the rest reference, keeping the
  // orientation and gyro bias: call it when the user stands (or sits) at rest
  // ready to start, if other movement (e.g. walking to the step) came first,
  // so that the sign rule sees the exercise's own rest posture. No effect on
  // an explicit axis.
  void relearn_axis() {
    if (finder_.explicit_axis()) return;
    finder_.reset();
    forget_reference();
  }

 private:
  // The lock's angle and reference (relearn_axis(), and a lock the finder
  // undid: sagittal_axis.hpp undo_shank_stride_lock()).
  SOLEUS_NOINLINE void forget_reference() {
    have_ref_ = false;
    have_gyro_angle_ = false;
    angle_deg_ = rate_dps_ = peak_deg_ = move_peak_deg_ = T(0);
    move_impact_ = false;
    ref_snap_.reset();
    snap_deg_ = T(0);
    fblk_rate_.setZero();
    fblk_acc_.setZero();
    fblk_force_ = T(0);
    fblk_dt_s_ = 0.0;
  }

 public:
  // Uses a known axis (sensor frame, positive = plantar flexion) instead of finding it.
  Status set_axis(const Vec3& axis_sensor) { return finder_.set_axis(axis_sensor); }

  // One sample (time in s; acc, gyro in the orientation config's units).
  Status update(double t_s, const T* acc, const T* gyro) {
    return update(t_s, Vec3(acc[0], acc[1], acc[2]), Vec3(gyro[0], gyro[1], gyro[2]));
  }

  SOLEUS_NOINLINE Status update(double t_s, const Vec3& acc, const Vec3& gyro) {
    used_ = false;
    const Status st = filter_.update(t_s, acc, gyro);
    if (!filter_.initialised()) return st;
    // A rejected sample (non-finite, time not increasing, or a gyro component
    // beyond max_rate_dps) left the filter's state, dt and rate as they were:
    // passing them on would integrate the previous rate over the previous dt
    // a second time.
    if (filter_.events() & (kImuEventRejectedNonFinite | kImuEventRejectedTime | kImuEventRejectedImplausible)) return st;
    used_ = true;

    const Vec3& up = filter_.up_sensor();
    const double dt = filter_.last_dt_s();
    // Specific force magnitude (m/s^2) for the finder's sign from the
    // vertical velocity (sagittal_axis.hpp).
    // The filter's |a| (already in m/s^2): the same value for m/s^2 input,
    // one rounding apart for g (scaled before rather than after the norm).
    const T force = finder_.explicit_axis() ? std::numeric_limits<T>::quiet_NaN() : filter_.acc_norm_mps2();
    if (finder_.settled()) {
      // Once locked with the bias settled, the finder runs at ~50 Hz
      // (kSettledFinderPeriod_s) on the time-weighted mean of the rate and
      // of |a| over each block (issue 16: it was 16 % of the chain's time at
      // 200 Hz). What it still does then moves over seconds, not samples:
      // the axis of a shank or foot only refines (its covariance grows by a
      // sliver per sample), and the sign evidence accumulates integrals
      // (sum w v dt, sum w w^T dt) of a heel raise's movement, whose energy
      // lies below ~5 Hz (a 0.25 s rise, DESIGN.md), so 50 Hz block means
      // keep them to within the block's high-frequency content (mostly gyro
      // noise, which the mean removes). The block mean is the anti-alias
      // filter: a boxcar, whose nulls sit at multiples of the 50 Hz output
      // rate, where folding would land content near DC. The velocity
      // integral is exact under it (sum f dt is the block's sum either way)
      // except where the finder's impact rule must reset it: a sample whose
      // |a| strays more than 1 g from rest is an impact or a fault, and a
      // block mean dilutes it (2 g in one sample of four reads 0.5 g), so the
      // block's extremes travel beside its mean. The accelerometer passed on
      // is the block's mean as well (the finder's calm test low-passes it).
      fblk_rate_ += filter_.rate_rps() * static_cast<T>(dt);
      fblk_force_ += force * static_cast<T>(dt);
      fblk_acc_ += acc * static_cast<T>(dt);
      if (fblk_dt_s_ == 0.0) fblk_force_min_ = fblk_force_max_ = force;
      if (force < fblk_force_min_) fblk_force_min_ = force;
      if (force > fblk_force_max_) fblk_force_max_ = force;
      fblk_dt_s_ += dt;
      if (fblk_dt_s_ + 0.5 * dt >= kSettledFinderPeriod_s) {
        const T inv = fblk_dt_s_ > 0.0 ? static_cast<T>(1.0 / fblk_dt_s_) : T(0);
        const Vec3 acc_mean = fblk_acc_ * inv;
        finder_.set_gyro_bias_var(filter_.bias_var_rps2());
        finder_.update_block(fblk_rate_ * inv, up, filter_.still(), filter_.quasi_static(), filter_.quasi_static_time_s(),
                             fblk_dt_s_, fblk_force_ * inv, fblk_force_min_, fblk_force_max_, &acc_mean);
        fblk_rate_.setZero();
        fblk_acc_.setZero();
        fblk_force_ = T(0);
        fblk_dt_s_ = 0.0;
      }
    } else {
      finder_.set_gyro_bias_var(filter_.bias_var_rps2());
      finder_.update(filter_.rate_rps(), up, filter_.still(), filter_.quasi_static(),
                     filter_.quasi_static_time_s(), dt, force, finder_.explicit_axis() ? nullptr : &acc);
    }
    if (!finder_.locked()) {
      // The finder undid a lock taken on a shank's stride (sagittal_axis.hpp,
      // undo_shank_stride_lock()): its angle is forgotten as relearn_axis()
      // forgets it; the next lock starts afresh from the finder's rest posture.
      if (have_ref_) forget_reference();
      // Provisional angle for a live display (valid() stays false): the tilt
      // about the best axis so far, from the rest posture. Nothing downstream
      // counts on it; the rep chain replays these samples about the locked axis.
      Vec3 a;
      angle_deg_ = finder_.provisional_axis(a) ? output_deg(angle_about(a, up, finder_.rest_up_sensor())) : T(0);
      return st;
    }

    const Vec3& a = finder_.axis_sensor();
    if (finder_.sign_corrections() != seen_corrections_) {
      // The finder corrected the sign: the integrated angle turns with it.
      seen_corrections_ = finder_.sign_corrections();
      gyro_angle_ = -gyro_angle_;
      peak_deg_ = move_peak_deg_ = T(0);
      move_impact_ = false;
      raw_age_s_ = kSettledFinderPeriod_s;  // the held tilt angle has the old sign
    }
    if (!have_ref_) {
      // Explicit axis: the first posture is the rest (the session starts at rest).
      up_ref_ = finder_.has_rest() ? finder_.rest_up_sensor() : up;
      have_ref_ = true;
    }
    // With the gyro-dominant angle the tilt angle is not the output: it
    // feeds only the peak hold (decaying over peak_time_constant_s, 60 s)
    // and the rest-band test of the re-referencing (at rest, where it does
    // not move), so it is evaluated at ~50 Hz (kSettledFinderPeriod_s) and
    // held in between (issue 16 speed: an atan2 on 3 of 4 samples at 200 Hz).
    // A rep's top is held 0.2-2 s: a 20 ms sampling of its peak misses at
    // most the curvature over 10 ms of a turning point (< 0.01 deg).
    T raw;
    raw_age_s_ += dt;
    if (!cfg_.gyro_angle || !have_gyro_angle_ || raw_age_s_ + 0.5 * dt >= kSettledFinderPeriod_s) {
      // angle_about(a, up, up_ref_) with its two up-independent vectors kept
      // between samples (same bits): they change only when the axis refines
      // (at most every 20 ms once settled) or the reference blends (at rest).
      if (!(a == basis_axis_) || !(up_ref_ == basis_ref_)) {
        basis_axis_ = a;
        basis_ref_ = up_ref_;
        angle_basis(a, up_ref_, basis_sin_, basis_cos_);
      }
      raw = detail::atan2_poly(up.dot(basis_sin_), up.dot(basis_cos_));
      raw_hold_ = raw;
      raw_age_s_ = 0.0;
    } else {
      raw = raw_hold_;
    }
    const T raw_deg = raw * static_cast<T>(kDegPerRad);
    // At rest: strictly still for rest_min_s, or (postural sway defeats the
    // strict detector) quasi-static for rest_static_min_s, long enough for the
    // slow end of a lowering (which is also quasi-static) to be over.
    const bool at_rest = (filter_.still() && filter_.still_time_s() >= cfg_.rest_min_s) ||
                         (filter_.quasi_static() && filter_.quasi_static_time_s() >= cfg_.rest_static_min_s);
    // The band's peak hold follows the heel raises, not gait (issue 16,
    // stepon19). Walking onto a step swings the shank through ~10 deg
    // (a foot through -20..+30 deg: stair gait, McFadyen & Winter 1988), and
    // a band of a quarter of that (2.5 deg at a shank) took the heels
    // hanging 1-4.5 shank degrees below standing on the step's edge
    // (0.2-0.3 x the foot's 5-15 deg, DESIGN.md) for drift: the reference
    // blended towards the hang over the 1.5 s before the first raise
    // (reref_time_constant_s, 1 s), which the segmenter read as a slow rise
    // out of a rest that never settled, and the set's first raise was lost
    // (SOLEUS_STEP_ON_OFF=1 grid: shank seeds 56, 66, 324). A movement
    // between two rests whose |a| exceeded g by 1 g holds a heel strike
    // (2-5 g at the shank in walking: Light et al. 1980; skin sensors more,
    // Lafortune et al. 1995; a heel raise's |a| stays within ~0.6 g of g,
    // segmenter.hpp "Strides"): its excursion does not enter the peak hold.
    // Each rest commits the movement before it; the band is read only at
    // rest, so without an impact the band is the old per-sample hold's, bit
    // for bit (the decay is a positive factor applied to both). It needs an
    // accelerometer range over 2 g and samples within the 10-30 ms strike
    // (>= ~50 Hz); a +-2 g sensor or a 25 Hz stream never sees the impact and
    // keeps the old band.
    if (dt > 0.0) {
      T k = T(1) - static_cast<T>(dt) * inv_peak_tau_;
      if (k < T(0)) k = T(0);
      peak_deg_ *= k;
      move_peak_deg_ *= k;
    }
    if (raw_deg > move_peak_deg_) move_peak_deg_ = raw_deg;
    if (filter_.acc_norm_mps2() > impact_mps2_) move_impact_ = true;
    if (at_rest) {
      if (!move_impact_ && move_peak_deg_ > peak_deg_) peak_deg_ = move_peak_deg_;
      move_peak_deg_ = T(0);
      move_impact_ = false;
    }
    T band = band_fraction_ * peak_deg_;
    if (band > band_max_deg_) band = band_max_deg_;
    if (band < band_min_deg_) band = band_min_deg_;
    // Blend toward a rest posture confirmed by calm after it (not the current
    // one): the calm detectors lag the start of a slow rise.
    // The snapshot's own angle is evaluated once per commit, not per sample;
    // the output uses the pre-blend angle (the blend moves the reference by
    // at most dt/tau of a band-limited difference per sample).
    if (ref_snap_.update(up, at_rest, dt, cfg_.axis.confirm_s, cos_stable_)) {
      snap_deg_ = angle_about(a, ref_snap_.committed, up_ref_) * static_cast<T>(kDegPerRad);
    }
    // Only a rest posture within the band of the reference (either side) is
    // drift to follow. A rest further below it is a real posture: the heel
    // hanging 5-15 deg below standing between raises from a step (DESIGN.md);
    // re-referencing to it made the angle creep up by 10 deg over a few
    // seconds after every lowering, which the segmenter read as a slow rise
    // (issue 16: step sets with no rep found).
    if (at_rest && ref_snap_.has_committed && std::fabs(raw_deg) < band && std::fabs(snap_deg_) < band && dt > 0.0) {
      T alpha = static_cast<T>(dt) * inv_reref_tau_;
      if (alpha > T(1)) alpha = T(1);
      up_ref_ += alpha * (ref_snap_.committed - up_ref_);
      // Back to unit length by one Newton step of 1/sqrt around 1 (x(3 - x)/2
      // of the squared norm; issue 16: no square root and division on every
      // rest sample). Blending two unit vectors an angle phi apart by alpha
      // shortens the result by alpha (1 - alpha) phi^2 / 2 <= 1e-3 (phi within
      // the 3 deg rest band), and the Newton step leaves (3/2) of its square,
      // < 2e-6, which the next rest sample's step squares again: the
      // reference stays unit to float resolution.
      up_ref_ *= T(0.5) * (T(3) - up_ref_.squaredNorm());
    }
    const T g = gain_deg_;  // static_cast<T>(output_gain * kDegPerRad), see configure()
    const T rate = a.dot(filter_.rate_rps());
    T out = raw;
    if (cfg_.gyro_angle) {
      if (!have_gyro_angle_) {
        gyro_angle_ = raw;  // starts where the tilt is (at the lock)
        have_gyro_angle_ = true;
      } else {
        gyro_angle_ += T(0.5) * (rate + rate_prev_) * static_cast<T>(dt);  // trapezoid
      }
      if (dt > 0.0) {
        T k = static_cast<T>(dt) * T(5);  // 0.2 s mean of |rate|
        if (k > T(1)) k = T(1);
        rate_abs_lp_ += k * (std::fabs(rate) - rate_abs_lp_);
      }
      // Every 4th sample at rest (the pull is slow; saves the atan2 on 3 of 4).
      if (at_rest && dt > 0.0 && (++anchor_k_ & 3u) == 0u) {
        // The accelerometer's tilt about the axis (exact at rest, unlike the
        // filter's up, which carries what leaked in during the movement).
        const T an = acc.norm();
        if (an > T(0)) {
          const T tilt = angle_about(a, acc * (T(1) / an), up_ref_);
          T alpha = static_cast<T>(4.0 * dt) * inv_anchor_tau_;
          if (!(rate_abs_lp_ < anchor_rate_rps_)) alpha *= inv_anchor_slow_;
          if (alpha > T(1)) alpha = T(1);
          gyro_angle_ += alpha * (tilt - gyro_angle_);
        }
      }
      out = gyro_angle_;
    }
    rate_prev_ = rate;
    angle_deg_ = output_deg(out, &out_root_);
    rate_dps_ = g * rate;  // times r0 / out_root_ when curved (rate_dps())
    return st;
  }

  // Block convenience (a thin loop over update): acc, gyro n x 3 row-major;
  // angle_deg_out[i] (and valid_out[i] if given) after sample i.
  Status process(const double* t_s, const T* acc, const T* gyro, std::size_t n, T* angle_deg_out,
                 std::uint8_t* valid_out = nullptr) {
    Status first{};
    for (std::size_t i = 0; i < n; ++i) {
      const Status s = update(t_s[i], acc + 3 * i, gyro + 3 * i);
      if (!s.ok() && first.ok()) first = s;
      angle_deg_out[i] = angle_deg_;
      if (valid_out) valid_out[i] = valid() ? 1u : 0u;
    }
    return first;
  }

  bool valid() const { return have_ref_; }
  // The last update() reached the axis finder (orientation initialised and
  // the sample not rejected): its time and up vector are meaningful.
  bool sample_used() const { return used_; }
  T angle_deg() const { return angle_deg_; }       // plantar flexion positive; provisional until valid
  // Angular rate about the axis (times output_gain and the curvature's slope).
  T rate_dps() const { return curved_ ? rate_dps_ * (r0_ / out_root_) : rate_dps_; }
  const Vec3& reference_up_sensor() const { return up_ref_; }
  const Filter& orientation() const { return filter_; }
  const Finder& axis_finder() const { return finder_; }

  // The output angle (degrees) for a segment rotation of raw_rad: output_gain
  // and, above rest, the curvature (see PlantarflexionConfig). slope (if
  // given): d(output) / d(g raw), for the rate.
  T output_deg(T raw_rad, T* root_out = nullptr) const {
    const T lin = gain_deg_ * raw_rad;
    if (!curved_ || !(lin > T(0))) {
      if (root_out) *root_out = r0_;
      return lin;
    }
    // psi = (r0 + k theta) theta, psi = r0 lin  ->  theta = (sqrt(r0^2 + 4 k psi) - r0) / (2 k)
    const T root = std::sqrt(r0_ * r0_ + four_k_r0_ * lin);
    if (root_out) *root_out = root;
    return (root - r0_) * inv_2k_;
  }

  // Rotation (rad) of the body about a taking ref to up (sign: rise > 0).
  // Public so that a caller holding past up vectors (imu_reps.hpp's pre-lock
  // history) converts them with exactly this formula.
  // Written as two dot products of up with vectors that do not depend on it
  // (angle_basis), so that the tracker keeps them between samples (issue 16):
  // a . (up x ref) = up . (ref x a) and up . ref - (up . a)(ref . a) =
  // up . (ref - (ref . a) a).
  static T angle_about(const Vec3& a, const Vec3& up, const Vec3& ref) {
    Vec3 vs, vc;
    angle_basis(a, ref, vs, vc);
    return detail::atan2_poly(up.dot(vs), up.dot(vc));
  }
  // angle_about(a, up, ref) = atan2(up . sin_vec, up . cos_vec).
  static void angle_basis(const Vec3& a, const Vec3& ref, Vec3& sin_vec, Vec3& cos_vec) {
    sin_vec = ref.cross(a);
    cos_vec = ref - ref.dot(a) * a;
  }

 private:
  PlantarflexionConfig cfg_{};
  bool used_ = false;
  // Settled axis finder's rate (see update()): 20 ms blocks, 50 Hz.
  static constexpr double kSettledFinderPeriod_s = 0.02;
  Vec3 fblk_rate_ = Vec3::Zero();  // sum of rate x dt over the block (rad)
  Vec3 fblk_acc_ = Vec3::Zero();   // sum of acc x dt (acc's unit x s)
  T fblk_force_ = T(0);            // sum of |a| x dt (m/s)
  T fblk_force_min_ = T(0), fblk_force_max_ = T(0);  // the block's extremes of |a| (m/s^2)
  double fblk_dt_s_ = 0.0;         // the block's duration so far
  T raw_hold_ = T(0);              // tilt angle last evaluated (gyro_angle: at ~50 Hz, see update())
  double raw_age_s_ = 0.0;         // time since
  Filter filter_{};
  Finder finder_{};
  Vec3 up_ref_ = Vec3::UnitZ();
  // angle_basis() of (basis_axis_, basis_ref_): the per-sample angle's (update()).
  Vec3 basis_axis_ = Vec3::Zero(), basis_ref_ = Vec3::Zero(), basis_sin_ = Vec3::Zero(), basis_cos_ = Vec3::Zero();
  bool have_ref_ = false;
  unsigned seen_corrections_ = 0;  // finder sign corrections already applied
  T angle_deg_ = T(0);
  T rate_dps_ = T(0);
  T peak_deg_ = T(0);  // decaying peak hold of the (unscaled) angle
  T move_peak_deg_ = T(0);  // the same hold over the movement since the last rest sample
  bool move_impact_ = false;  // |a| > impact_mps2_ since the last rest sample (a heel strike)
  T impact_mps2_ = T((1.0 + kHeelStrikeExcess_g) * kStandardGravity_mps2);  // g + a heel strike's excess (core/physical.hpp)
  T inv_peak_tau_ = T(0), inv_reref_tau_ = T(0);
  ConfirmedPosture<T> ref_snap_{};
  T snap_deg_ = T(0);
  T cos_stable_ = T(1);  // angle of the committed snapshot vs the reference at commit
  T band_fraction_ = T(0.25), band_max_deg_ = T(3), band_min_deg_ = T(0.5);  // rest band (configure())
  // gyro_angle
  bool have_gyro_angle_ = false;
  T gyro_angle_ = T(0), rate_prev_ = T(0), inv_anchor_tau_ = T(0);
  T rate_abs_lp_ = T(0), anchor_rate_rps_ = T(0), inv_anchor_slow_ = T(1);
  std::uint32_t anchor_k_ = 0;
  // output mapping (output_deg)
  T gain_deg_ = T(1), r0_ = T(1), four_k_r0_ = T(0), inv_2k_ = T(0), out_root_ = T(1);
  bool curved_ = false;
};

using PlantarflexionTracker = BasicPlantarflexionTracker<float>;

}  // namespace soleus::imu
