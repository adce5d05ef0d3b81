// Tests of the orientation filter: gyro-bias convergence while still, tilt
// tracking against the simulator's true orientation, unit handling, time-stamp
// guards, NaN/Inf containment, and boundedness on a real walking foot IMU.

// The imu layer needs Eigen3 (linked to soleus only when CMake finds it).
#if !__has_include(<Eigen/Core>)
#include <gtest/gtest.h>
TEST(OrientationFilter, SkippedWithoutEigen) { GTEST_SKIP() << "Eigen3 not found: imu layer not built"; }
#else
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "soleus/imu/orientation.hpp"
#include "soleus/sim/heel_raise.hpp"
#include "test_helpers.hpp"

using soleus::imu::AccUnit;
using soleus::imu::GyroUnit;
using soleus::imu::OrientationConfig;
using soleus::imu::OrientationFilter;
using Vec3 = OrientationFilter::Vec3;
namespace sim = soleus::sim;

namespace {

constexpr double kPi = 3.14159265358979323846;

Vec3 to_vec(const std::array<double, 3>& a) {
  return Vec3(static_cast<float>(a[0]), static_cast<float>(a[1]), static_cast<float>(a[2]));
}

// True "up" in the sensor frame from the simulator's orientation.
Eigen::Vector3d true_up(const std::array<double, 4>& q) {
  const auto u = sim::detail::qrot_inv(q, {0.0, 0.0, 1.0});
  return Eigen::Vector3d(u[0], u[1], u[2]);
}

double angle_deg(const Eigen::Vector3d& a, const Eigen::Vector3d& b) {
  return std::atan2(a.cross(b).norm(), a.dot(b)) * 180.0 / kPi;
}

sim::HeelRaiseSession still_session(double fs, double bias_max_dps, double noise_dps, std::uint64_t seed) {
  sim::HeelRaiseConfig c;
  c.sample_rate_hz = fs;
  c.n_sets = 0;
  c.lead_in_s = 5.0;
  c.tail_s = 0.0;
  c.gyro_bias_max_dps = bias_max_dps;
  c.gyro_bias_drift_dps_per_sqrt_s = 0.0;
  c.gyro_noise_dps = noise_dps;
  return sim::generate_heel_raise_session(c, seed);
}

}  // namespace

// Requirement: residual bias <= 0.05 deg/s after 5 s still, for biases up to
// 3 deg/s per axis plus noise, any mounting, 100 and 200 Hz.
TEST(OrientationFilter, BiasConvergesWithin5sStill) {
  double worst = 0.0;
  for (double fs : {50.0, 100.0, 200.0, 400.0}) {
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      const auto s = still_session(fs, 3.0, 0.2, seed);
      ASSERT_TRUE(s.status.ok());
      ASSERT_NEAR(s.t_s.back() - s.t_s.front(), 5.0, 1e-9);
      OrientationFilter f;
      for (std::size_t i = 0; i < s.size(); ++i) {
        f.update(s.t_s[i], to_vec(s.acc_mps2[i]), to_vec(s.gyro_dps[i]));
      }
      EXPECT_TRUE(f.still());
      const Vec3 b = f.bias_dps();
      for (int k = 0; k < 3; ++k) {
        const double err = std::fabs(b[k] - s.gyro_bias_dps.back()[k]);
        worst = std::max(worst, err);
        EXPECT_LE(err, 0.05) << "fs " << fs << " seed " << seed << " axis " << k;
      }
    }
  }
  // Corner case: 3 deg/s on every axis (|b| = 5.2 deg/s).
  {
    sim::HeelRaiseConfig c;
    c.n_sets = 0;
    c.lead_in_s = 5.0;
    c.tail_s = 0.0;
    c.gyro_bias_max_dps = 0.0;
    c.gyro_bias_drift_dps_per_sqrt_s = 0.0;
    c.gyro_noise_dps = 0.2;
    auto s = sim::generate_heel_raise_session(c, 99);
    OrientationFilter f;
    for (std::size_t i = 0; i < s.size(); ++i) {
      Vec3 g = to_vec(s.gyro_dps[i]) + Vec3(3.0f, -3.0f, 3.0f);
      f.update(s.t_s[i], to_vec(s.acc_mps2[i]), g);
    }
    EXPECT_NEAR(f.bias_dps()[0], 3.0, 0.05);
    EXPECT_NEAR(f.bias_dps()[1], -3.0, 0.05);
    EXPECT_NEAR(f.bias_dps()[2], 3.0, 0.05);
  }
  RecordProperty("worst_bias_residual_dps", std::to_string(worst));
  std::printf("worst bias residual after 5 s still: %.4f deg/s\n", worst);
}

// The same requirement under an accelerometer's zero-g offset and
// sensitivity error (issue 16, zerog22; orientation.hpp g_rest_): 40 mg per
// axis (Bosch BMI160) and +2 % on every axis, signed so that the resting
// |a| reads 0.04 (|u_x| + |u_y| + |u_z|) g + 0.02 g above the nominal g (up
// to 0.89 m/s^2 against the stillness test's 0.4): still within 5 s and the
// bias learned as without them. Fails with the nominal g as the reference.
TEST(OrientationFilter, BiasConvergesWithin5sStillUnderAccelerometerOffset) {
  constexpr double kOffset_mps2 = 0.04 * 9.80665, kScale = 0.02;
  double worst = 0.0, dev_max = 0.0;
  for (double fs : {50.0, 100.0, 200.0}) {
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      const auto s = still_session(fs, 3.0, 0.2, seed);
      ASSERT_TRUE(s.status.ok());
      const Eigen::Vector3d up = true_up(s.q_true_wxyz.front());
      OrientationFilter f;
      for (std::size_t i = 0; i < s.size(); ++i) {
        Vec3 a = to_vec(s.acc_mps2[i]);
        for (int k = 0; k < 3; ++k)
          a[k] = static_cast<float>((1.0 + kScale) * a[k] + (up[k] >= 0.0 ? kOffset_mps2 : -kOffset_mps2));
        if (i == 0) dev_max = std::max(dev_max, static_cast<double>(a.norm()) - 9.80665);
        f.update(s.t_s[i], a, to_vec(s.gyro_dps[i]));
      }
      EXPECT_TRUE(f.still()) << "fs " << fs << " seed " << seed;
      const Vec3 b = f.bias_dps();
      for (int k = 0; k < 3; ++k) {
        const double err = std::fabs(b[k] - s.gyro_bias_dps.back()[static_cast<std::size_t>(k)]);
        worst = std::max(worst, err);
        EXPECT_LE(err, 0.05) << "fs " << fs << " seed " << seed << " axis " << k;
      }
    }
  }
  std::printf("accelerometer offset: |a| up to %.2f m/s^2 above g; worst bias residual after 5 s still: %.4f deg/s\n",
              dev_max, worst);
  EXPECT_GT(dev_max, 0.6);  // the offsets do take |a| past the stillness threshold
}

// Tilt error (angle between estimated and true up vectors) over whole heel-raise
// sessions with bias, drift and noise; both placements.
TEST(OrientationFilter, TracksTiltOfSimulatedHeelRaises) {
  double worst_rms_all = 0.0, worst_all = 0.0;
  for (auto place : {sim::ImuPlacement::foot, sim::ImuPlacement::shank}) {
    for (double fs : {100.0, 200.0}) {
      for (std::uint64_t seed = 1; seed <= 4; ++seed) {
        sim::HeelRaiseConfig c;
        c.placement = place;
        c.sample_rate_hz = fs;
        c.gyro_bias_max_dps = 2.0;
        c.rise_s = {0.3, 1.0};
        const auto s = sim::generate_heel_raise_session(c, seed);
        OrientationFilter f;
        double sum2 = 0.0, worst = 0.0;
        std::size_t n = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
          f.update(s.t_s[i], to_vec(s.acc_mps2[i]), to_vec(s.gyro_dps[i]));
          if (s.t_s[i] < 2.0) continue;  // initial levelling
          const double e = angle_deg(f.up_sensor().cast<double>(), true_up(s.q_true_wxyz[i]));
          sum2 += e * e;
          worst = std::max(worst, e);
          ++n;
        }
        const double rms = std::sqrt(sum2 / static_cast<double>(n));
        EXPECT_LT(rms, 0.3) << "placement " << int(place) << " fs " << fs << " seed " << seed;
        EXPECT_LT(worst, 1.5) << "placement " << int(place) << " fs " << fs << " seed " << seed;
        worst_rms_all = std::max(worst_rms_all, rms);
        worst_all = std::max(worst_all, worst);
      }
    }
  }
  std::printf("tilt error: worst session RMS %.3f deg, worst sample %.3f deg\n", worst_rms_all, worst_all);
}

// Full 3-D orientation (heading included, aligned once at the end of the
// lead-in since heading is unobservable without a magnetometer): the bias
// estimated at rest keeps the heading drift small over the whole session.
TEST(OrientationFilter, FullOrientationWithHeadingAlignedOnce) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    sim::HeelRaiseConfig c;
    c.gyro_bias_max_dps = 3.0;
    const auto s = sim::generate_heel_raise_session(c, seed + 300);
    OrientationFilter f;
    Eigen::Quaterniond align = Eigen::Quaterniond::Identity();
    bool aligned = false;
    double worst = 0.0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      f.update(s.t_s[i], to_vec(s.acc_mps2[i]), to_vec(s.gyro_dps[i]));
      const auto& qt = s.q_true_wxyz[i];
      const Eigen::Quaterniond q_true(qt[0], qt[1], qt[2], qt[3]);
      const Eigen::Quaterniond q_est = f.quaternion().cast<double>();
      if (!aligned && s.t_s[i] >= s.reps[0].start_s - 0.5) {
        align = q_true * q_est.conjugate();  // world-frame offset (heading)
        aligned = true;
      }
      if (!aligned) continue;
      const Eigen::Quaterniond e = (align * q_est) * q_true.conjugate();
      worst = std::max(worst, 2.0 * std::acos(std::min(1.0, std::fabs(e.w()))) * 180.0 / kPi);
    }
    EXPECT_LT(worst, 2.0) << "seed " << seed;
    std::printf("seed %llu: worst full-orientation error %.3f deg over %.0f s\n",
                static_cast<unsigned long long>(seed), worst, s.t_s.back());
  }
}

TEST(OrientationFilter, UnitsGAndRadPerSecondGiveSameResult) {
  const auto s = still_session(100.0, 2.0, 0.1, 5);
  OrientationConfig cg;
  cg.acc_unit = AccUnit::g;
  cg.gyro_unit = GyroUnit::rad_per_s;
  OrientationFilter a, b(cg);
  const float d2r = static_cast<float>(kPi / 180.0);
  for (std::size_t i = 0; i < s.size(); ++i) {
    a.update(s.t_s[i], to_vec(s.acc_mps2[i]), to_vec(s.gyro_dps[i]));
    b.update(s.t_s[i], to_vec(s.acc_mps2[i]) / static_cast<float>(cg.gravity_mps2), to_vec(s.gyro_dps[i]) * d2r);
  }
  EXPECT_LT((a.bias_dps() - b.bias_dps()).norm(), 1e-3);
  EXPECT_LT((a.up_sensor() - b.up_sensor()).norm(), 1e-4);
}

TEST(OrientationFilter, InitialisesLevelFromAccelerometer) {
  OrientationFilter f;
  const Vec3 acc(0.0f, 9.80665f * std::sin(0.5f), 9.80665f * std::cos(0.5f));
  EXPECT_TRUE(f.update(0.0, acc, Vec3::Zero()).ok());
  EXPECT_TRUE(f.initialised());
  EXPECT_LT((f.up_sensor() - acc.normalized()).norm(), 1e-6);
  EXPECT_NEAR(f.quaternion().norm(), 1.0, 1e-6);
  // Upside down and nearly upside down (the antiparallel special case).
  for (const Vec3& a : {Vec3(0.0f, 0.0f, -9.80665f), Vec3(1e-4f, 0.0f, -9.80665f)}) {
    OrientationFilter g;
    EXPECT_TRUE(g.update(0.0, a, Vec3::Zero()).ok());
    EXPECT_LT((g.up_sensor() - a.normalized()).norm(), 1e-4);
  }
}

TEST(OrientationFilter, RejectsBadTimestampsAndReinitialisesAfterGap) {
  OrientationFilter f;
  const Vec3 acc(0.0f, 0.0f, 9.80665f);
  const Vec3 gyro(0.0f, 50.0f, 0.0f);
  ASSERT_TRUE(f.update(0.00, acc, gyro).ok());
  ASSERT_TRUE(f.update(0.01, acc, gyro).ok());
  const auto q = f.quaternion();
  auto st = f.update(0.01, acc, gyro);  // repeated stamp
  EXPECT_EQ(st.code, soleus::StatusCode::bad_input);
  EXPECT_TRUE(f.events() & soleus::imu::kImuEventRejectedTime);
  EXPECT_EQ(f.quaternion().coeffs(), q.coeffs());
  st = f.update(0.005, acc, gyro);  // out of order
  EXPECT_EQ(st.code, soleus::StatusCode::bad_input);
  EXPECT_EQ(f.rejected_count(), 2);
  // A 5 s hole with the sensor rotating at 50 deg/s would integrate 250 deg of
  // garbage; instead the tilt comes from the accelerometer again.
  const Vec3 acc_tilted(9.80665f, 0.0f, 0.0f);
  st = f.update(5.0, acc_tilted, gyro);
  EXPECT_EQ(st.code, soleus::StatusCode::bad_input);
  EXPECT_TRUE(f.events() & soleus::imu::kImuEventGapReinitialised);
  EXPECT_EQ(f.gap_count(), 1);
  EXPECT_LT((f.up_sensor() - Vec3(1.0f, 0.0f, 0.0f)).norm(), 1e-5);
}

// The sample rate is measured from the time stamps (a drifting clock shows).
TEST(OrientationFilter, MeasuresSampleRate) {
  OrientationFilter f;
  const Vec3 acc(0.0f, 0.0f, 9.80665f);
  for (int i = 0; i < 2000; ++i) f.update(i / 101.0, acc, Vec3::Zero());  // nominal 100, real 101 Hz
  EXPECT_NEAR(f.measured_rate_hz(), 101.0, 0.01);
}

// A rejected NaN/Inf sample leaves no trace: the result equals the run in which
// those samples were simply missing.
TEST(OrientationFilter, NonFiniteSamplesContained) {
  sim::HeelRaiseConfig c;
  c.n_sets = 1;
  c.reps_per_set = 4;
  const auto s = sim::generate_heel_raise_session(c, 21);
  OrientationFilter dirty, clean;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  int rejected = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const Vec3 a = to_vec(s.acc_mps2[i]), g = to_vec(s.gyro_dps[i]);
    if (i % 97 == 50) {
      Vec3 bad_a = a, bad_g = g;
      if (i % 3 == 0) bad_a[1] = nan;
      else if (i % 3 == 1) bad_g[2] = inf;
      else bad_g[0] = -inf;
      const auto st = dirty.update(s.t_s[i], bad_a, bad_g);
      EXPECT_EQ(st.code, soleus::StatusCode::bad_input);
      ++rejected;
      continue;
    }
    dirty.update(s.t_s[i], a, g);
    clean.update(s.t_s[i], a, g);
  }
  EXPECT_EQ(dirty.update(std::numeric_limits<double>::quiet_NaN(), Vec3::Zero(), Vec3::Zero()).code,
            soleus::StatusCode::bad_input);
  EXPECT_EQ(dirty.rejected_count(), rejected + 1);
  EXPECT_TRUE(dirty.quaternion().coeffs().allFinite());
  EXPECT_EQ(dirty.quaternion().coeffs(), clean.quaternion().coeffs());
  EXPECT_EQ(dirty.bias_dps(), clean.bias_dps());
}

// Real foot IMU while walking (not heel raising): the filter must stay bounded.
TEST(OrientationFilter, RealWalkingFootImuStaysBounded) {
  SOLEUS_REQUIRE_SHARED_DATA(path, "real/walking_foot_imu/imu_sample.csv");
  std::ifstream in(path);
  std::string line;
  std::vector<std::string> sensor, axis;
  auto split = [](const std::string& l) {
    std::vector<std::string> out;
    std::stringstream ss(l);
    std::string cell;
    while (std::getline(ss, cell, ',')) out.push_back(cell);
    return out;
  };
  ASSERT_TRUE(std::getline(in, line));
  sensor = split(line);
  ASSERT_TRUE(std::getline(in, line));
  axis = split(line);
  ASSERT_EQ(sensor.size(), axis.size());
  // Column index of (side, quantity).
  auto col = [&](const std::string& side, const std::string& q) {
    for (std::size_t j = 0; j < sensor.size(); ++j)
      if (sensor[j] == side + "_sensor" && axis[j] == q) return static_cast<int>(j);
    return -1;
  };
  const char* names[6] = {"acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"};
  for (const char* side : {"left", "right"}) {
    int idx[6];
    for (int k = 0; k < 6; ++k) {
      idx[k] = col(side, names[k]);
      ASSERT_GE(idx[k], 0) << side << " " << names[k];
    }
    std::ifstream f(path);
    std::getline(f, line);
    std::getline(f, line);
    OrientationFilter filt;  // defaults: acc m/s^2, gyro deg/s
    const double fs = 204.8;
    std::size_t n = 0, still_samples = 0;
    double worst_norm = 0.0;
    while (std::getline(f, line)) {
      const auto cells = split(line);
      ASSERT_EQ(cells.size(), sensor.size());
      Vec3 a, g;
      for (int k = 0; k < 3; ++k) {
        a[k] = std::stof(cells[static_cast<std::size_t>(idx[k])]);
        g[k] = std::stof(cells[static_cast<std::size_t>(idx[k + 3])]);
      }
      const double t = std::stod(cells[0]) / fs;
      const auto st = filt.update(t, a, g);
      ASSERT_TRUE(st.ok() || st.code == soleus::StatusCode::not_ready) << st.message;
      const auto q = filt.quaternion();
      ASSERT_TRUE(q.coeffs().allFinite()) << "sample " << n;
      worst_norm = std::max(worst_norm, std::fabs(static_cast<double>(q.norm()) - 1.0));
      const Vec3 up = filt.up_sensor();
      ASSERT_TRUE(up.allFinite());
      ASSERT_NEAR(up.norm(), 1.0, 1e-4);
      ASSERT_TRUE(filt.bias_dps().allFinite());
      ASSERT_LE(filt.bias_dps().cwiseAbs().maxCoeff(), 20.0f);
      if (filt.still()) {
        ++still_samples;
        // Standing still: the estimated up must agree with the accelerometer.
        EXPECT_LT(angle_deg(up.cast<double>(), a.cast<double>()), 5.0) << "sample " << n;
      }
      ++n;
    }
    EXPECT_GT(n, 7000u);
    EXPECT_LT(worst_norm, 1e-5);
    std::printf("%s: %zu samples, %zu still, |q| error %.2e, bias (%.2f %.2f %.2f) deg/s\n", side, n,
                still_samples, worst_norm, filt.bias_dps()[0], filt.bias_dps()[1], filt.bias_dps()[2]);
  }
}

#endif  // Eigen available
