// Tests of the sagittal-axis finder: recovers the simulator's true plantar-
// flexion axis (direction and sign) for random mountings, foot and shank
// (standing and seated), 100 and 200 Hz, several seeds; locks early; honours
// an explicit axis.

// The imu layer needs Eigen3 (linked to soleus only when CMake finds it).
#if !__has_include(<Eigen/Core>)
#include <gtest/gtest.h>
TEST(SagittalAxisFinder, SkippedWithoutEigen) { GTEST_SKIP() << "Eigen3 not found: imu layer not built"; }
#else
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "soleus/imu/plantarflexion.hpp"
#include "soleus/sim/heel_raise.hpp"

namespace sim = soleus::sim;
using soleus::imu::PlantarflexionTracker;
using Vec3 = PlantarflexionTracker::Vec3;

namespace {

Vec3 to_vec(const std::array<double, 3>& a) {
  return Vec3(static_cast<float>(a[0]), static_cast<float>(a[1]), static_cast<float>(a[2]));
}

double axis_error_deg(const Vec3& est, const std::array<double, 3>& truth) {
  const Eigen::Vector3d e = est.cast<double>().normalized();
  const Eigen::Vector3d t(truth[0], truth[1], truth[2]);
  return std::atan2(e.cross(t).norm(), e.dot(t)) * 180.0 / 3.14159265358979323846;
}

// Feeds the whole session to the tracker; the time of its first lock (s),
// -1 if it never locked.
double run_to_first_lock(PlantarflexionTracker& trk, const sim::HeelRaiseSession& s) {
  double t_lock = -1.0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    trk.update(s.t_s[i], to_vec(s.acc_mps2[i]), to_vec(s.gyro_dps[i]));
    if (t_lock < 0.0 && trk.axis_finder().locked()) t_lock = s.t_s[i];
  }
  return t_lock;
}

struct Case {
  sim::ImuPlacement place;
  sim::Posture posture;
  const char* name;
};

}  // namespace

TEST(SagittalAxisFinder, RecoversAxisAndSignForRandomMountings) {
  const Case cases[] = {{sim::ImuPlacement::foot, sim::Posture::standing, "foot"},
                        {sim::ImuPlacement::shank, sim::Posture::standing, "shank standing"},
                        {sim::ImuPlacement::shank, sim::Posture::seated, "shank seated"}};
  for (const Case& k : cases) {
    double worst = 0.0, sum = 0.0, worst_lock_delay = 0.0;
    int n = 0;
    for (double fs : {100.0, 200.0}) {
      for (std::uint64_t seed = 1; seed <= 8; ++seed) {
        sim::HeelRaiseConfig c;
        c.placement = k.place;
        c.posture = k.posture;
        c.sample_rate_hz = fs;
        c.gyro_bias_max_dps = 2.0;
        const auto s = sim::generate_heel_raise_session(c, seed * 1000 + static_cast<std::uint64_t>(fs));
        ASSERT_TRUE(s.status.ok());
        PlantarflexionTracker trk;
        const double t_lock = run_to_first_lock(trk, s);
        const auto& f = trk.axis_finder();
        ASSERT_TRUE(f.locked()) << k.name << " fs " << fs << " seed " << seed;
        const double err = axis_error_deg(f.axis_sensor(), s.sagittal_axis_sensor);
        EXPECT_LT(err, 0.5) << k.name << " fs " << fs << " seed " << seed;  // also catches a wrong sign (180)
        EXPECT_GT(f.confidence(), 0.9f);
        // Locked once the first full repetition is over and the foot is calm
        // back at rest: the sign waits for rep-sized evidence (issue 16; was:
        // before the end of its lowering, which let a countermovement decide).
        std::size_t first_full = 0;
        while (s.reps[first_full].partial) ++first_full;
        EXPECT_LT(t_lock, s.reps[first_full].end_s + 2.0) << k.name << " fs " << fs << " seed " << seed;
        worst_lock_delay = std::max(worst_lock_delay, t_lock - s.reps[0].start_s);
        worst = std::max(worst, err);
        sum += err;
        ++n;
      }
    }
    std::printf("%s: axis error mean %.3f deg, worst %.3f deg; lock <= %.2f s after first rep start\n", k.name,
                sum / n, worst, worst_lock_delay);
  }
}

TEST(SagittalAxisFinder, ExplicitAxisIsUsedAsGiven) {
  PlantarflexionTracker trk;
  ASSERT_TRUE(trk.set_axis(Vec3(0.0f, 2.0f, 0.0f)).ok());
  EXPECT_TRUE(trk.axis_finder().locked());
  EXPECT_TRUE(trk.axis_finder().explicit_axis());
  EXPECT_LT((trk.axis_finder().axis_sensor() - Vec3(0.0f, 1.0f, 0.0f)).norm(), 1e-6);
  EXPECT_FALSE(trk.set_axis(Vec3::Zero()).ok());
  // Explicit axis survives reset().
  trk.reset();
  EXPECT_TRUE(trk.axis_finder().explicit_axis());
}

// No single dominant axis (rotation spread over three axes): must not lock.
TEST(SagittalAxisFinder, DoesNotLockOnIsotropicRotation) {
  soleus::imu::SagittalAxisFinder f;
  const Vec3 up(0.0f, 0.0f, 1.0f);
  for (int i = 0; i < 200; ++i) f.update(Vec3::Zero(), up, true, true, 0.01 * i, 0.01);  // rest
  ASSERT_TRUE(f.has_rest());
  for (int i = 0; i < 3000; ++i) {
    // The rotation axis wanders over the sphere much faster than the lock gate fills.
    const float t = 0.01f * i;
    const Vec3 w(std::sin(40.0f * t), std::sin(57.0f * t + 1.0f), std::sin(73.0f * t + 2.0f));
    const Vec3 tilted = Vec3(0.3f * std::sin(t), 0.3f * std::cos(1.3f * t), 1.0f).normalized();
    f.update(w, tilted, false, false, 0.0, 0.01);
  }
  EXPECT_LT(f.confidence(), 0.6f);
  EXPECT_FALSE(f.locked());
}

// Postural sway (0.3 deg RMS roll and yaw of the whole leg, never perfectly
// still): the axis is still found within a few degrees, with the right sign.
TEST(SagittalAxisFinder, RecoversAxisUnderPosturalSway) {
  const Case cases[] = {{sim::ImuPlacement::foot, sim::Posture::standing, "foot"},
                        {sim::ImuPlacement::shank, sim::Posture::standing, "shank standing"},
                        {sim::ImuPlacement::shank, sim::Posture::seated, "shank seated"}};
  for (const Case& k : cases) {
    double worst = 0.0;
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
      sim::HeelRaiseConfig c;
      c.placement = k.place;
      c.posture = k.posture;
      c.sample_rate_hz = seed % 2 ? 100.0 : 200.0;
      c.gyro_bias_max_dps = 2.0;
      c.sway_deg = 0.3;
      const auto s = sim::generate_heel_raise_session(c, seed);
      PlantarflexionTracker trk;
      for (std::size_t i = 0; i < s.size(); ++i) trk.update(s.t_s[i], to_vec(s.acc_mps2[i]), to_vec(s.gyro_dps[i]));
      ASSERT_TRUE(trk.axis_finder().locked()) << k.name << " seed " << seed;
      const double err = axis_error_deg(trk.axis_finder().axis_sensor(), s.sagittal_axis_sensor);
      EXPECT_LT(err, 3.0) << k.name << " seed " << seed;
      worst = std::max(worst, err);
    }
    std::printf("%s with 0.3 deg sway: worst axis error %.3f deg\n", k.name, worst);
  }
}

// relearn_axis() restarts learning (e.g. after walking to the step): the
// second session is learned from its own rest, same sensor and mounting.
TEST(SagittalAxisFinder, RelearnStartsOver) {
  sim::HeelRaiseConfig c;
  const auto a = sim::generate_heel_raise_session(c, 71);
  sim::HeelRaiseConfig c2 = c;
  c2.random_mounting = false;
  c2.mounting_wxyz = a.mounting_wxyz;
  c2.start_time_s = a.t_s.back() + 0.01;
  c2.rom_deg = {12.0, 20.0};
  const auto b = sim::generate_heel_raise_session(c2, 72);
  PlantarflexionTracker trk;
  for (std::size_t i = 0; i < a.size(); ++i) trk.update(a.t_s[i], to_vec(a.acc_mps2[i]), to_vec(a.gyro_dps[i]));
  ASSERT_TRUE(trk.axis_finder().locked());
  trk.relearn_axis();
  EXPECT_FALSE(trk.axis_finder().locked());
  EXPECT_FALSE(trk.valid());
  EXPECT_EQ(trk.angle_deg(), 0.0f);
  const double t_lock = run_to_first_lock(trk, b);
  ASSERT_TRUE(trk.axis_finder().locked());
  EXPECT_GT(t_lock, b.reps[0].start_s);  // learned again from the new session
  EXPECT_LT(axis_error_deg(trk.axis_finder().axis_sensor(), b.sagittal_axis_sensor), 3.0);
}

// The orientation filter's bias estimate can keep a residual about the
// vertical that it never corrects (issue 16, held-out grid seeds 9-20:
// standing shank at 100 Hz, seeds 10 and 12): its first still block, taken
// while the bias prior is wide and the still test loose, averages postural
// sway of 0.1-0.6 Hz over 0.4 s (the sway does not average out), the
// Kalman update then trusts it to noise / sqrt(n) (~0.03 deg/s), the still
// test tightens to 0.5 deg/s, and the 1.4 deg/s left in the yaw axis (which
// gravity cannot observe: the tilt integral does not reach it) keeps the
// sensor from ever being still again. A shank's 4-5 deg raises peak at
// 4-5 deg/s, so that residual, plus sway, held the confidence at 0.6-0.7
// (< lock_confidence 0.75) and the axis unlocked for 100-120 s: whole sets
// lost. Here: 4 deg shank raises (1.5 s rise, 2 s hold, 2.5 s lowering, 3 s
// rest) about y with a 1.4 deg/s yaw residual and 0.66 deg/s RMS sway in roll
// and yaw, never still. Before the finder removed the yaw residual measured
// at quasi-static rest: no lock in 60 s (confidence 0.73); after: locked
// during the second rep (19 s), axis +y.
TEST(SagittalAxisFinder, LocksDespiteYawBiasResidual) {
  const double fs = 100.0, dt = 1.0 / fs, kPi = 3.14159265358979323846, kDeg = kPi / 180.0;
  const double yaw_residual_dps = 1.4, sway_dps = 0.93;  // sway amplitude: 0.66 deg/s RMS
  const double rise_s = 1.5, hold_s = 2.0, lower_s = 2.5, rest_s = 3.0, period_s = rise_s + hold_s + lower_s + rest_s;
  const double rom = 4.0 * kDeg, t0 = 4.0;
  soleus::imu::SagittalAxisFinder f;
  double theta = 0.0, rest_t = 0.0, t_lock = -1.0;
  for (int i = 0; i < static_cast<int>(60.0 * fs); ++i) {
    const double t = i * dt;
    double rate = 0.0;  // rad/s about y (plantar flexion positive)
    bool calm = true;
    if (t >= t0) {
      const double u = std::fmod(t - t0, period_s);
      if (u < rise_s) {
        rate = 0.5 * rom * kPi / rise_s * std::sin(kPi * u / rise_s);
        calm = false;
      } else if (u >= rise_s + hold_s && u < rise_s + hold_s + lower_s) {
        rate = -0.5 * rom * kPi / lower_s * std::sin(kPi * (u - rise_s - hold_s) / lower_s);
        calm = false;
      }
    }
    theta += rate * dt;
    rest_t = calm ? rest_t + dt : 0.0;
    // Sensor frame = world at rest: a rotation +theta about y turns the
    // sensed up by -theta.
    const Vec3 up(static_cast<float>(-std::sin(theta)), 0.0f, static_cast<float>(std::cos(theta)));
    const Vec3 w(static_cast<float>(sway_dps * kDeg * std::sin(2.0 * kPi * 0.3 * t)), static_cast<float>(rate),
                 static_cast<float>(yaw_residual_dps * kDeg + sway_dps * kDeg * std::sin(2.0 * kPi * 0.45 * t + 1.0)));
    f.update(w, up, false, calm, rest_t, dt);
    if (t_lock < 0.0 && f.locked()) t_lock = t;
  }
  std::printf("yaw residual 1.4 deg/s: locked at %.2f s, confidence %.3f\n", t_lock, static_cast<double>(f.confidence()));
  ASSERT_TRUE(f.locked());
  EXPECT_LE(t_lock, t0 + 2.0 * period_s);  // within the first two reps
  EXPECT_LT(axis_error_deg(f.axis_sensor(), {0.0, 1.0, 0.0}), 3.0);
}

// Realistic raises (countermovement 2-6 deg before heel-off, rebound 1-5 deg
// after contact, shifting rest, quick sets, sway): the sign must come from the
// rise, not from the countermovement that precedes it, at 50-200 Hz, for the
// foot and the standing shank; no correction needed on the floor.
TEST(SagittalAxisFinder, SignFromRepSizedEvidenceWithCountermovement) {
  int n = 0;
  for (auto place : {sim::ImuPlacement::foot, sim::ImuPlacement::shank}) {
    for (double fs : {50.0, 100.0, 200.0}) {
      for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        sim::HeelRaiseConfig c;
        c.realistic = true;
        c.placement = place;
        c.sample_rate_hz = fs;
        c.gyro_bias_max_dps = 2.0;
        c.sway_deg = 0.3;
        c.countermovement_deg = {4.0, 6.0};  // the largest ones: the old 2.5 deg gate locked on them
        const auto s = sim::generate_heel_raise_session(c, seed * 31 + static_cast<std::uint64_t>(fs));
        ASSERT_TRUE(s.status.ok());
        PlantarflexionTracker trk;
        for (std::size_t i = 0; i < s.size(); ++i) trk.update(s.t_s[i], to_vec(s.acc_mps2[i]), to_vec(s.gyro_dps[i]));
        const auto& f = trk.axis_finder();
        ASSERT_TRUE(f.locked()) << fs << " " << seed;
        // The accelerometer's zero-g offset (the realistic mode draws +-40 mg
        // per axis, zerog22) tilts the filter's up, in which the axis is held
        // level, by up to atan(|o| / g): 2.3 deg per 40 mg. The budget is the
        // sway's ~1.5 deg (3 before the offset) plus that tilt, from the
        // simulator's true offset; a wrong sign is 180.
        const auto& o = s.acc_offset_mps2;
        const double offset_tilt_deg =
            std::atan(std::sqrt(o[0] * o[0] + o[1] * o[1] + o[2] * o[2]) / c.gravity_mps2) * 180.0 / 3.14159265358979323846;
        EXPECT_LT(axis_error_deg(f.axis_sensor(), s.sagittal_axis_sensor), 3.0 + offset_tilt_deg)
            << (place == sim::ImuPlacement::foot ? "foot" : "shank") << " fs " << fs << " seed " << seed;
        EXPECT_EQ(f.sign_corrections(), 0u);
        ++n;
      }
    }
  }
  EXPECT_EQ(n, 36);
}

// The recovery rule for the sign from the vertical velocity: one
// accelerometer spike of any size (here +1e4 m/s^2 on every axis, one sample
// at the top of the first rise, where the lowering that follows would turn a
// velocity carried for seconds into evidence for the wrong sign) leaves the
// sign right and uncorrected (the velocity restarts from 0 after an
// acceleration beyond 1 g).
TEST(SagittalAxisFinder, AccelerometerSpikeDoesNotDecideTheSign) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    sim::HeelRaiseConfig c;
    c.realistic = true;
    c.placement = sim::ImuPlacement::foot;
    c.sample_rate_hz = 100.0;
    c.sway_deg = 0.3;
    const auto s = sim::generate_heel_raise_session(c, seed * 977);
    ASSERT_TRUE(s.status.ok());
    PlantarflexionTracker trk;
    for (std::size_t i = 0; i < s.size(); ++i) {
      Vec3 a = to_vec(s.acc_mps2[i]);
      if (std::fabs(s.t_s[i] - s.reps[0].top_s) < 0.005) a += Vec3::Constant(1e4f);
      trk.update(s.t_s[i], a, to_vec(s.gyro_dps[i]));
    }
    const auto& f = trk.axis_finder();
    ASSERT_TRUE(f.locked()) << seed;
    EXPECT_LT(axis_error_deg(f.axis_sensor(), s.sagittal_axis_sensor), 3.0) << "seed " << seed;
    EXPECT_EQ(f.sign_corrections(), 0u) << "seed " << seed;
  }
}

namespace {
// Raises from a step, realistic: random mounting, postural sway, the given
// gyro bias bound, heels dropping 10-14 deg below standing onto the edge.
sim::HeelRaiseConfig step_session(sim::ImuPlacement placement, double fs, std::uint64_t seed, double gyro_bias_max_dps) {
  sim::HeelRaiseConfig c;
  c.realistic = true;
  c.placement = placement;
  c.sample_rate_hz = fs;
  c.gyro_bias_max_dps = gyro_bias_max_dps;
  c.sway_deg = 0.3;
  c.random_mounting = true;
  c.step_bottom_deg = 10.0 + static_cast<double>(seed % 5u);
  return c;
}
}  // namespace

// Raises from a step (issue 16), slow shank. The heels drop 10-14 deg below
// standing onto the step's edge after the lead-in and hang there; slow reps
// of 15-16 deg rise from that bottom. A shank turns 0.2-0.3x the foot: 3-4
// deg of drop, a top about 1 deg above standing, and peak rates under the
// 10 deg/s that the lift evidence needed, so the excursion rule decided the
// sign. Its rest posture is the level standing before the drop, the first
// rise's top hold is calm within half the farthest tilt of it (a "return"),
// and the drop plus the countermovement is then the farthest excursion: the
// axis locked inverted, and the rep chain lost the first 1-2 reps until the
// lift evidence of a quicker movement corrected it (held-out acceptance-grid
// step shank sessions: seeds 16, 18, 25, 26, 28, 29). By the angle alone the
// sequence level -> hang -> top near level -> hang is the same as rest -> top
// hold -> rest -> top: only the vertical velocity (the heel drop lowers the
// ankle) tells them apart. Before the slow movements' lift evidence
// (sagittal_axis.hpp, "Slow movements": the accelerometer's zero-velocity
// update and the drift gate on the integration time): 14 of 24 sessions
// locked inverted, 13 corrected later, one (100 Hz seed 4) never. With it:
// 0 and 0, every lock within the first rep (21 of 24 before its heel-off),
// from the drop's own lift evidence (correlation 0.89-1.00 with the true axis). Reference: the
// simulator's true axis; counted at the first lock.
TEST(SagittalAxisFinder, HeelDropOntoStepFirstLockSign) {
  int locked_sessions = 0, inverted_first_locks = 0, inverted_at_end_sessions = 0;
  for (double fs : {50.0, 100.0, 200.0}) {
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
      sim::HeelRaiseConfig c = step_session(sim::ImuPlacement::shank, fs, seed, 2.0);
      c.quick_set_probability = 0.0;
      c.n_sets = 1;
      c.rom_deg = {15.0, 16.0};
      c.rise_s = {1.0, 1.4};
      c.top_hold_s = {1.0, 1.2};
      c.lower_s = {2.0, 2.5};
      const auto s = sim::generate_heel_raise_session(c, seed * 131 + static_cast<std::uint64_t>(fs));
      ASSERT_TRUE(s.status.ok());
      PlantarflexionTracker trk;
      bool first_lock_seen = false;
      for (std::size_t i = 0; i < s.size(); ++i) {
        trk.update(s.t_s[i], to_vec(s.acc_mps2[i]), to_vec(s.gyro_dps[i]));
        const auto& f = trk.axis_finder();
        if (f.locked() && !first_lock_seen) {
          first_lock_seen = true;
          // Locked within the first rep (measured: 21 of 24 before its
          // heel-off, the others at most 0.5 s after it, in its rise; the rep
          // chain replays the samples before the lock).
          EXPECT_LT(s.t_s[i], s.reps[0].end_s) << "fs " << fs << " seed " << seed;
          const bool inverted = axis_error_deg(f.axis_sensor(), s.sagittal_axis_sensor) > 90.0;  // wrong sign: ~180
          inverted_first_locks += inverted ? 1 : 0;
          std::printf("  step shank %.0f Hz seed %llu: first lock at %.2f s (first rep %.2f-%.2f s), lift evidence "
                      "%.1e (m/s)^2 s, correlation %.2f%s\n",
                      fs, static_cast<unsigned long long>(seed), s.t_s[i], s.reps[0].start_s, s.reps[0].end_s,
                      static_cast<double>(f.lift_evidence()),
                      static_cast<double>(f.lift_correlation(to_vec(s.sagittal_axis_sensor))),
                      inverted ? ", inverted" : "");
        }
      }
      const auto& f = trk.axis_finder();
      ASSERT_TRUE(first_lock_seen) << "fs " << fs << " seed " << seed;
      ++locked_sessions;
      // The sign at the end of the session (corrected when the evidence turned).
      const bool inverted_at_end = axis_error_deg(f.axis_sensor(), s.sagittal_axis_sensor) > 90.0;
      inverted_at_end_sessions += inverted_at_end ? 1 : 0;
      if (inverted_at_end) std::printf("    ... still inverted at the end (%u corrections)\n", f.sign_corrections());
    }
  }
  std::printf("[step shank] first locks inverted: %d of %d sessions, still inverted at the end: %d (target 0, 0)\n",
              inverted_first_locks, locked_sessions, inverted_at_end_sessions);
  EXPECT_EQ(inverted_first_locks, 0);      // measured 0 (14 before the slow lift evidence)
  EXPECT_EQ(inverted_at_end_sessions, 0);  // measured 0 (1 before: 100 Hz seed 4)
}

// Raises from a step (issue 16), quick sets on the foot. After the lead-in
// the sensor stands level on the step, then the heels drop over 1 s, 2.5 s
// before the first rep, hang 1.5 s, and 0.5-1.5 s between quick reps. With a
// gyro bias of up to 3 deg/s per axis still being learned, the orientation
// filter's quasi-static test reads the unlearned bias as rotation, so
// without the accelerometer's calm (sagittal_axis.hpp, acc_rest) no calm
// period made a rest posture (rest_min_s, 1 s, plus confirm_s) before the
// rest after the set; the finder accumulated nothing and locked there, and
// the pre-lock ring (10-20 s) had dropped the first set (held-out
// acceptance-grid step sessions, seeds 24, 26, 30, foot and shank).
// Constructed so that the rule decides (review of issue 16: with the
// default 6 s lead-in, 3.5 s level, only 1 of 24 sessions needed it): a
// 4.5 s lead-in (2 s level before the drop: shorter than rest_min_s plus
// confirm_s plus the filter's first still blocks) and a bias of 2.5 deg/s on
// every axis (random signs) on top of the simulator's +-0.5 (each axis
// within the grid's 3 deg/s); one set. Without acc_rest: 9 of these 24
// sessions locked after the first set (4 with the simulator's own +-3 deg/s
// bias). Reference: the simulator's set times.
TEST(SagittalAxisFinder, StepQuickSetsLockWithinFirstSet) {
  int late = 0, n = 0;
  for (double fs : {50.0, 100.0, 200.0}) {
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
      sim::HeelRaiseConfig c = step_session(sim::ImuPlacement::foot, fs, seed, 0.5);
      c.quick_set_probability = 1.0;
      c.n_sets = 1;
      c.lead_in_s = 4.5;
      c.rom_deg = {15.0, 40.0};
      auto s = sim::generate_heel_raise_session(c, seed * 173 + static_cast<std::uint64_t>(fs));
      ASSERT_TRUE(s.status.ok());
      for (auto& g : s.gyro_dps)
        for (std::size_t j = 0; j < 3; ++j) g[j] += ((seed >> j) & 1u) ? 2.5 : -2.5;
      PlantarflexionTracker trk;
      const double t_lock = run_to_first_lock(trk, s);
      const double first_set_end_s = s.sets[0].end_s;
      const bool is_late = t_lock < 0.0 || t_lock > first_set_end_s;
      late += is_late ? 1 : 0;
      ++n;
      if (is_late)
        std::printf("  step foot quick %.0f Hz seed %llu: lock at %.2f s, first set ends %.2f s\n", fs,
                    static_cast<unsigned long long>(seed), t_lock, first_set_end_s);
    }
  }
  std::printf("[step foot quick] locked after the first set: %d of %d sessions\n", late, n);
  EXPECT_EQ(late, 0);  // measured 0 (9 without acc_rest)
}

#endif  // Eigen available
