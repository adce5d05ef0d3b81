// Activity layer on the IMU chain: strides from a foot IMU (imu/steps.hpp),
// checked on the real walking foot IMU (../shared/data/real/walking_foot_imu,
// both feet, 204.8 Hz, labelled stride borders), under any mounting rotation,
// resampled to 60 and 100 Hz, and for signals that must give no strides.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "csv_reader.hpp"
#include "soleus/imu/steps.hpp"
#include "test_helpers.hpp"

namespace {

constexpr double kFs = 204.8;

struct Foot {
  std::vector<double> t, acc[3], gyr[3];
};

// Columns: index, acc_x L R, acc_y L R, acc_z L R, gyr_x L R, gyr_y L R, gyr_z L R.
Foot load_foot(const std::string& path, int foot) {
  const soleus_test::CsvTable tab = soleus_test::read_csv(path, false);
  Foot f;
  // Row 0 and 1 are the "sensor" and "axis" header rows (parsed as 0).
  for (std::size_t r = 2; r < tab.columns[0].size(); ++r) {
    f.t.push_back(static_cast<double>(r - 2) / kFs);
    for (int a = 0; a < 3; ++a) {
      f.acc[a].push_back(tab.columns[1 + 2 * a + foot][r]);
      f.gyr[a].push_back(tab.columns[7 + 2 * a + foot][r]);
    }
  }
  return f;
}

struct Stride {
  int start, end;
};
std::vector<Stride> load_strides(const std::string& path, const std::string& foot) {
  std::vector<Stride> out;
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);  // s_id,foot,start,end,gsd_id
  while (std::getline(f, line)) {
    const std::vector<std::string> c = soleus_test::split_csv_line(line);
    if (c.size() >= 4 && c[1] == foot) out.push_back({std::atoi(c[2].c_str()), std::atoi(c[3].c_str())});
  }
  return out;
}

std::vector<double> detect(const Foot& f, soleus::imu::StepSettings s = soleus::imu::kDefaultStepSettings) {
  soleus::imu::StepDetector d;
  EXPECT_TRUE(d.init(s).ok());
  std::vector<double> ev;
  for (std::size_t i = 0; i < f.t.size(); ++i) {
    const double g[3] = {f.gyr[0][i], f.gyr[1][i], f.gyr[2][i]};
    const int k = d.push(f.t[i], g);
    for (int j = 0; j < k; ++j) ev.push_back(d.event(j).t_s);
  }
  return ev;
}

// Linear interpolation onto a new rate (what a slower sensor would have seen,
// minus its anti-alias filter: peaks are flattened a little, the harder case).
Foot resample(const Foot& f, double fs) {
  Foot o;
  const double T = f.t.back();
  for (double t = 0.0; t < T; t += 1.0 / fs) {
    const double x = t * kFs;
    const std::size_t i = static_cast<std::size_t>(x);
    const double w = x - static_cast<double>(i);
    o.t.push_back(t);
    for (int a = 0; a < 3; ++a) {
      o.acc[a].push_back((1 - w) * f.acc[a][i] + w * f.acc[a][i + 1]);
      o.gyr[a].push_back((1 - w) * f.gyr[a][i] + w * f.gyr[a][i + 1]);
    }
  }
  return o;
}

struct Score {
  int labelled = 0;      // labelled strides
  int detected = 0;      // detections inside the labelled walking bouts
  int total = 0;         // detections in the whole file (turns, first and last steps are not labelled)
  int bouts = 0;         // contiguous labelled walking bouts
  double median_ms = 0, p95_ms = 0;  // |detection - stride start border|, nearest detection
};

// The labels cover walking bouts (contiguous strides); a turn between bouts and
// the first / last steps are not labelled. Each labelled stride starts at a
// border (the push-off before its swing), so a bout of n strides holds n
// detections in [first start - 0.1 s, last end - 0.1 s).
Score score(const std::vector<double>& ev, const std::vector<Stride>& st) {
  Score s;
  s.labelled = static_cast<int>(st.size());
  s.total = static_cast<int>(ev.size());
  std::vector<double> err;
  std::size_t b = 0;
  while (b < st.size()) {
    std::size_t e = b;
    while (e + 1 < st.size() && st[e + 1].start == st[e].end) ++e;
    const double lo = st[b].start / kFs - 0.1, hi = st[e].end / kFs - 0.1;
    for (double t : ev) s.detected += (t >= lo && t < hi) ? 1 : 0;
    ++s.bouts;
    b = e + 1;
  }
  for (const Stride& x : st) {
    double best = 1e9;
    for (double t : ev) best = std::min(best, std::fabs(t - x.start / kFs));
    err.push_back(best * 1000.0);
  }
  std::sort(err.begin(), err.end());
  s.median_ms = err[err.size() / 2];
  s.p95_ms = err[static_cast<std::size_t>(0.95 * static_cast<double>(err.size() - 1))];
  return s;
}

void expect_acceptance(const Score& s, const char* what) {
  SCOPED_TRACE(what);
  // +-2 % of the labelled strides, and the border within 50 ms (median).
  EXPECT_LE(std::abs(s.detected - s.labelled), static_cast<int>(0.02 * s.labelled + 1e-9))
      << s.detected << " detected in the labelled bouts, " << s.labelled << " labelled";
  EXPECT_LE(s.median_ms, 50.0);
  EXPECT_LE(s.p95_ms, 100.0);
  // Outside the labelled bouts: the stride that starts at each bout's end
  // border, plus at most a few unlabelled ones (turn, first step, last step).
  EXPECT_LE(s.total - s.detected, s.bouts + 3);
}

const char* kFeet[2] = {"left", "right"};

}  // namespace

TEST(Steps, RealWalkingFootImuMatchesLabelledStrides) {
  SOLEUS_REQUIRE_SHARED_DATA(imu, "real/walking_foot_imu/imu_sample.csv");
  SOLEUS_REQUIRE_SHARED_DATA(borders, "real/walking_foot_imu/stride_borders_sample.csv");
  for (int foot = 0; foot < 2; ++foot) {
    const Score s = score(detect(load_foot(imu, foot)), load_strides(borders, kFeet[foot]));
    std::printf("[ figures  ] %s foot 204.8 Hz: %d detected in the bouts / %d labelled (%d in the file), "
                "border error median %.1f ms, p95 %.1f ms\n",
                kFeet[foot], s.detected, s.labelled, s.total, s.median_ms, s.p95_ms);
    expect_acceptance(s, kFeet[foot]);
  }
}

TEST(Steps, AnyMountingRotationGivesTheSameStrides) {
  SOLEUS_REQUIRE_SHARED_DATA(imu, "real/walking_foot_imu/imu_sample.csv");
  std::mt19937 rng(15);
  std::normal_distribution<double> nd;
  for (int foot = 0; foot < 2; ++foot) {
    const Foot f = load_foot(imu, foot);
    const std::vector<double> ref = detect(f);
    for (int trial = 0; trial < 3; ++trial) {
      // A uniformly random rotation: a normalised Gaussian quaternion.
      double q[4];
      double n = 0;
      for (double& v : q) {
        v = nd(rng);
        n += v * v;
      }
      for (double& v : q) v /= std::sqrt(n);
      const double w = q[0], x = q[1], y = q[2], z = q[3];
      const double R[3][3] = {{1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
                              {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
                              {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}};
      Foot r = f;
      for (std::size_t i = 0; i < f.t.size(); ++i)
        for (int a = 0; a < 3; ++a) {
          r.acc[a][i] = r.gyr[a][i] = 0;
          for (int k = 0; k < 3; ++k) {
            r.acc[a][i] += R[a][k] * f.acc[k][i];
            r.gyr[a][i] += R[a][k] * f.gyr[k][i];
          }
        }
      const std::vector<double> ev = detect(r);
      ASSERT_EQ(ev.size(), ref.size()) << kFeet[foot] << " foot, rotation " << trial;
      for (std::size_t k = 0; k < ev.size(); ++k) EXPECT_NEAR(ev[k], ref[k], 1.5 / kFs);
    }
  }
}

TEST(Steps, ResampledTo60And100HzStillMatches) {
  SOLEUS_REQUIRE_SHARED_DATA(imu, "real/walking_foot_imu/imu_sample.csv");
  SOLEUS_REQUIRE_SHARED_DATA(borders, "real/walking_foot_imu/stride_borders_sample.csv");
  for (double fs : {60.0, 100.0}) {
    for (int foot = 0; foot < 2; ++foot) {
      const Score s = score(detect(resample(load_foot(imu, foot), fs)), load_strides(borders, kFeet[foot]));
      std::printf("[ figures  ] %s foot %.0f Hz: %d / %d labelled, median %.1f ms, p95 %.1f ms\n", kFeet[foot],
                  fs, s.detected, s.labelled, s.median_ms, s.p95_ms);
      expect_acceptance(s, fs == 60.0 ? "60 Hz" : "100 Hz");
    }
  }
}

TEST(Steps, GyroInRadPerSecondGivesTheSameStrides) {
  SOLEUS_REQUIRE_SHARED_DATA(imu, "real/walking_foot_imu/imu_sample.csv");
  Foot f = load_foot(imu, 0);
  const std::vector<double> ref = detect(f);
  for (auto& g : f.gyr)
    for (double& v : g) v *= 3.14159265358979323846 / 180.0;
  soleus::imu::StepSettings s;
  s.gyro_unit = soleus::imu::GyroUnit::rad_per_s;
  EXPECT_EQ(detect(f, s), ref);
}

namespace {
// Synthetic sensor at 100 Hz: gravity on a tilted axis, gyro noise 0.5 deg/s
// plus a bias of 2 deg/s, and an optional sagittal oscillation.
Foot synthetic(double seconds, double amp_deg, double freq_hz, std::uint32_t seed) {
  Foot f;
  std::mt19937 rng(seed);
  std::normal_distribution<double> nd(0.0, 0.5);
  const double fs = 100.0, pi = 3.14159265358979323846;
  for (int i = 0; i < static_cast<int>(seconds * fs); ++i) {
    const double t = i / fs;
    f.t.push_back(t);
    // Angle amp/2 * sin: peak rate pi * f * amp.
    const double w = pi * freq_hz * amp_deg * std::cos(2 * pi * freq_hz * t);
    const double g[3] = {0.3 * w + 2.0, 0.9 * w - 1.0, 0.3 * w + 0.5};
    for (int a = 0; a < 3; ++a) {
      f.gyr[a].push_back(g[a] + nd(rng));
      f.acc[a].push_back(a == 2 ? 9.81 : 0.0);
    }
  }
  return f;
}
}  // namespace

TEST(Steps, StillSensorGivesNoStrides) { EXPECT_TRUE(detect(synthetic(600.0, 0.0, 1.0, 1)).empty()); }

TEST(Steps, SeatedFidgetsAndAnklePumpsGiveNoStrides) {
  // Fidgets of 2-4 deg at 1-3 Hz (DESIGN.md), ankle pumps of 10-40 deg at 0.5-1.5 Hz.
  EXPECT_TRUE(detect(synthetic(120.0, 4.0, 3.0, 2)).empty());
  EXPECT_TRUE(detect(synthetic(120.0, 40.0, 1.0, 3)).empty());
  EXPECT_TRUE(detect(synthetic(120.0, 30.0, 1.5, 4)).empty());
}

TEST(Steps, NonFiniteSamplesAndGapsAreContained) {
  SOLEUS_REQUIRE_SHARED_DATA(imu, "real/walking_foot_imu/imu_sample.csv");
  const Foot f0 = load_foot(imu, 1);
  const std::vector<double> ref = detect(f0);
  // NaN samples sprinkled through stance and swing: ignored, one stride at most lost.
  Foot f = f0;
  for (std::size_t i = 500; i < f.t.size(); i += 997) f.gyr[1][i] = std::nan("");
  EXPECT_GE(detect(f).size() + 1, ref.size());
  EXPECT_LE(detect(f).size(), ref.size());
  // A 2 s gap (dropped packets) in the middle of walking: the strides it
  // swallows (at most two at 1.1 s each, plus the one cut) are lost, the
  // strides after it are found again at the same times.
  Foot g;
  const double cut0 = 15.0, cut1 = 17.0;
  for (std::size_t i = 0; i < f0.t.size(); ++i) {
    if (f0.t[i] >= cut0 && f0.t[i] < cut1) continue;
    g.t.push_back(f0.t[i]);
    for (int a = 0; a < 3; ++a) {
      g.acc[a].push_back(f0.acc[a][i]);
      g.gyr[a].push_back(f0.gyr[a][i]);
    }
  }
  const std::vector<double> ev = detect(g);
  EXPECT_GE(ev.size() + 3, ref.size());
  EXPECT_LE(ev.size(), ref.size());
  for (double t : ref) {
    if (t > cut1 + 1.5) {
      EXPECT_NE(std::find(ev.begin(), ev.end(), t), ev.end()) << t;
    }
  }
}

// Gait continuity: a bout's slow first and last strides (swing peak 150
// deg/s, under swing_gyro_dps) count because full strides follow / precede
// them within bout_gap_s; the same slow hump alone (a seated pump, a fidget)
// does not. Each stride: a 0.5 s half-sine of |w| on one axis, then 0.5 s
// still; times at the half-sine's peak.
TEST(Steps, SlowFirstAndLastStridesOfABoutCountAloneTheyDoNot) {
  constexpr double fs = 100.0;
  std::vector<double> peaks = {150, 350, 350, 350, 350, 150};  // one bout
  std::vector<double> truth;
  std::vector<float> w;
  double t = 2.0;
  w.assign(static_cast<std::size_t>(t * fs), 0.0f);
  auto hump = [&](double peak) {
    for (int i = 0; i < 50; ++i) w.push_back(static_cast<float>(peak * std::sin(3.14159265358979 * (i + 0.5) / 50.0)));
    for (int i = 0; i < 50; ++i) w.push_back(0.0f);
  };
  for (double p : peaks) {
    truth.push_back(static_cast<double>(w.size()) / fs + 0.25);
    hump(p);
  }
  for (int i = 0; i < 1000; ++i) w.push_back(0.0f);  // 10 s still
  hump(150.0);                                       // a lone slow hump
  for (int i = 0; i < 1000; ++i) w.push_back(0.0f);
  hump(180.0);
  for (int i = 0; i < 300; ++i) w.push_back(0.0f);
  soleus::imu::StepDetector d;
  ASSERT_TRUE(d.init().ok());
  std::vector<double> got;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const float g[3] = {w[i], 0.0f, 0.0f};
    const int k = d.push(static_cast<double>(i) / fs, g);
    for (int j = 0; j < k; ++j) got.push_back(d.event(j).t_s);
  }
  ASSERT_EQ(got.size(), truth.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], truth[i], 0.02) << i;
  EXPECT_EQ(d.strides(), truth.size());
}

TEST(Steps, SettingsAreValidated) {
  soleus::imu::StepSettings s;
  s.still_gyro_dps = 300.0;
  EXPECT_FALSE(soleus::imu::StepDetector{}.init(s).ok());
  s = {};
  s.max_motion_s = 0.1;
  EXPECT_FALSE(soleus::imu::StepDetector{}.init(s).ok());
}

// ---------------------------------------------------------------- Session
#include "soleus/session.hpp"

namespace {
using ImuSession = soleus::Session<1, 64>;

soleus::SessionConfig imu_only(double fs) {
  soleus::SessionConfig c;
  c.emg_channels = 0;
  c.imu_rate_hz = fs;
  return c;
}

int drain(ImuSession& s, soleus::SessionEventType type) {
  int n = 0;
  ImuSession::Event e;
  while (s.poll(e)) n += e.type == type ? 1 : 0;
  return n;
}
}  // namespace

TEST(SessionActivity, TenMinutesOfRealWalkingImuOnlyIsActiveWithoutAlert) {
  SOLEUS_REQUIRE_SHARED_DATA(imu, "real/walking_foot_imu/imu_sample.csv");
  SOLEUS_REQUIRE_SHARED_DATA(borders, "real/walking_foot_imu/stride_borders_sample.csv");
  const Foot f = load_foot(imu, 0);
  // The walking in one pass of the file: first labelled stride start to last
  // labelled stride end, either foot (the turn between bouts is walking too).
  int lo = 1 << 30, hi = 0;
  for (const char* foot : kFeet)
    for (const Stride& st : load_strides(borders, foot)) {
      lo = std::min(lo, st.start);
      hi = std::max(hi, st.end);
    }
  const std::size_t n = f.t.size();
  const int passes = static_cast<int>(std::ceil(600.0 * kFs / static_cast<double>(n)));
  static ImuSession s;
  soleus::SessionConfig cfg = imu_only(kFs);
  cfg.inactivity_alert_s = 60.0;  // the file's longest standing stretch is ~5 s: any alert is wrong
  ASSERT_TRUE(s.init(cfg).ok());
  int alerts = 0;
  for (int p = 0; p < passes; ++p) {
    for (std::size_t i = 0; i < n; ++i) {
      const float a[3] = {float(f.acc[0][i]), float(f.acc[1][i]), float(f.acc[2][i])};
      const float g[3] = {float(f.gyr[0][i]), float(f.gyr[1][i]), float(f.gyr[2][i])};
      (void)s.push_imu(static_cast<double>(p * n + i) / kFs, a, g);
    }
    alerts += drain(s, soleus::SessionEventType::inactivity);
  }
  const soleus::ActivitySummary a = s.activity();
  const double walking_s = passes * (hi - lo) / kFs;
  std::printf("[ figures  ] %d passes (%.0f s): active %.1f s, labelled walking %.1f s, strides %u, longest "
              "inactive %.1f s\n",
              passes, passes * n / kFs, a.active_s, walking_s, a.strides, a.longest_inactive_s);
  EXPECT_EQ(alerts, 0);
  EXPECT_EQ(a.inactivity_alerts, 0u);
  EXPECT_NEAR(a.active_s, walking_s, 0.1 * walking_s);
  EXPECT_LT(a.longest_inactive_s, 10.0);
  EXPECT_EQ(a.strides, static_cast<std::uint32_t>(passes) * detect(f).size());
}

TEST(SessionActivity, StillImuLongerThanTheAlertTimeRaisesOneAlert) {
  static ImuSession s;
  soleus::SessionConfig cfg = imu_only(100.0);
  cfg.inactivity_alert_s = 60.0;
  ASSERT_TRUE(s.init(cfg).ok());
  const Foot still = synthetic(150.0, 0.0, 1.0, 7);
  int alerts = 0;
  for (std::size_t i = 0; i < still.t.size(); ++i) {
    const float a[3] = {float(still.acc[0][i]), float(still.acc[1][i]), float(still.acc[2][i])};
    const float g[3] = {float(still.gyr[0][i]), float(still.gyr[1][i]), float(still.gyr[2][i])};
    (void)s.push_imu(still.t[i], a, g);
    const int k = drain(s, soleus::SessionEventType::inactivity);
    if (k > 0) {
      EXPECT_NEAR(still.t[i], 60.0, 0.05);
    }
    alerts += k;
  }
  EXPECT_EQ(alerts, 1);
  EXPECT_EQ(s.activity().active_s, 0.0);
  EXPECT_EQ(s.activity().strides, 0u);
}

// ---------------------------------------------------------------- ankle pumps, stillness, minutes
#include "soleus/imu/activity.hpp"

namespace {
// A seated foot at 100 Hz: segments of (seconds, pump range deg, pump Hz);
// range 0 = still. Gyro: the pump about a tilted axis, plus a 2 deg/s bias and
// 0.5 deg/s noise; acc: gravity plus 0.05 m/s^2 noise (no impacts).
struct Segment {
  double s, range_deg, hz;
};
Foot seated(const std::vector<Segment>& segs, std::uint32_t seed) {
  Foot f;
  std::mt19937 rng(seed);
  std::normal_distribution<double> nd(0.0, 1.0);
  const double fs = 100.0, pi = 3.14159265358979323846;
  double t = 0.0;
  for (const Segment& sg : segs) {
    const int n = static_cast<int>(sg.s * fs);
    for (int i = 0; i < n; ++i, t += 1.0 / fs) {
      const double w = pi * sg.hz * sg.range_deg * std::sin(2 * pi * sg.hz * i / fs);
      const double g[3] = {0.48 * w + 2.0, -0.8 * w - 1.0, 0.36 * w + 0.5};
      f.t.push_back(t);
      for (int a = 0; a < 3; ++a) {
        f.gyr[a].push_back(g[a] + 0.5 * nd(rng));
        f.acc[a].push_back((a == 1 ? 9.80665 : 0.0) + 0.05 * nd(rng));
      }
    }
  }
  return f;
}

struct ActivityRun {
  std::uint32_t strides = 0, pumps = 0, pedal_cycles = 0;
  double active_s = 0.0, cycling_s = 0.0;
  std::vector<soleus::imu::MinuteSummary> minutes;
};
ActivityRun run_activity(const Foot& f) {
  soleus::imu::ActivityDetector d;
  EXPECT_TRUE(d.init().ok());
  ActivityRun r;
  soleus::imu::MinuteSummary m;
  for (std::size_t i = 0; i < f.t.size(); ++i) {
    const double a[3] = {f.acc[0][i], f.acc[1][i], f.acc[2][i]};
    const double g[3] = {f.gyr[0][i], f.gyr[1][i], f.gyr[2][i]};
    (void)d.push(f.t[i], a, g);
    while (d.pop_minute(m)) r.minutes.push_back(m);
  }
  d.finish();
  while (d.pop_minute(m)) r.minutes.push_back(m);
  r.strides = d.strides();
  r.pumps = d.pumps();
  r.pedal_cycles = d.pedal_cycles();
  r.cycling_s = d.cycling_s();
  r.active_s = d.active_s();
  return r;
}
}  // namespace

TEST(AnklePumps, CountsOnePumpPerCycleAcrossThePrescribedRange) {
  // 10 deg at 0.5 Hz (peak 16 deg/s) to 40 deg at 1.5 Hz (188 deg/s): one
  // minute each, so 30 / 60 / 90 cycles; the first cycle may be lost to
  // learning the axis.
  for (const Segment sg : {Segment{60, 10, 0.5}, Segment{60, 25, 1.0}, Segment{60, 40, 1.5}}) {
    const ActivityRun r = run_activity(seated({{5, 0, 1}, sg, {5, 0, 1}}, 11));
    const double cycles = sg.s * sg.hz;
    EXPECT_GE(r.pumps + 1.0, cycles) << sg.range_deg << " deg at " << sg.hz << " Hz";
    EXPECT_LE(r.pumps, cycles);
    EXPECT_EQ(r.strides, 0u);
    EXPECT_NEAR(r.active_s, sg.s, 2.0);
  }
}

TEST(AnklePumps, FidgetsStillnessAndRealWalkingGiveNoPumps) {
  EXPECT_EQ(run_activity(seated({{120, 3, 2.0}}, 12)).pumps, 0u);   // fidget, 3 deg
  EXPECT_EQ(run_activity(seated({{120, 0, 1.0}}, 13)).pumps, 0u);   // still
  SOLEUS_REQUIRE_SHARED_DATA(imu, "real/walking_foot_imu/imu_sample.csv");
  for (int foot = 0; foot < 2; ++foot) {
    const ActivityRun r = run_activity(load_foot(imu, foot));
    EXPECT_EQ(r.pumps, 0u) << kFeet[foot];
    EXPECT_EQ(r.pedal_cycles, 0u) << kFeet[foot];  // walking is not cycling
    EXPECT_EQ(r.cycling_s, 0.0) << kFeet[foot];
    EXPECT_EQ(r.strides, detect(load_foot(imu, foot)).size());
  }
}

// ---------------------------------------------------------------- pedalling vs pumps (imu/pumps.hpp)
namespace {
// Closed-form planar kinematics, independent of sim/day.hpp: the foot pitches
// by theta(t) = theta0 + (A/2) sin(w t) about a pivot r_m behind the sensor
// (a seated pump about the ankle), and the pivot itself rides a crank circle
// of radius crank_m at the same w (pedalling; crank_m = 0 for a pump). World
// x forward, z up; the sensor frame is the foot's frame under a fixed mount
// rotation (a permutation with signs: any mounting). 100 Hz, 0.2 m/s^2 and
// 0.5 deg/s noise, a 2 deg/s gyro bias.
Foot rocking_foot(double seconds, double hz, double range_deg, double r_m, double crank_m, std::uint32_t seed) {
  Foot f;
  std::mt19937 rng(seed);
  std::normal_distribution<double> nd(0.0, 1.0);
  const double fs = 100.0, pi = 3.14159265358979323846, w = 2 * pi * hz, amp = 0.5 * range_deg * pi / 180.0;
  const double th0 = 15.0 * pi / 180.0;
  for (int i = 0; i < static_cast<int>(seconds * fs); ++i) {
    const double t = i / fs, th = th0 + amp * std::sin(w * t);
    const double thd = amp * w * std::cos(w * t), thdd = -amp * w * w * std::sin(w * t);
    // Sensor at pivot + r_m (cos th, -sin th) (pitch > 0 = toes down): its
    // acceleration is the rotation's (tangential and centripetal) plus the crank's.
    const double ax = r_m * (-std::sin(th) * thdd - std::cos(th) * thd * thd) - crank_m * w * w * std::cos(w * t);
    const double az = r_m * (-std::cos(th) * thdd + std::sin(th) * thd * thd) - crank_m * w * w * std::sin(w * t);
    const double fx = ax, fz = az + 9.80665;  // specific force, world
    // World -> foot frame (rotation by th about y), then the mount: foot (x, y, z) -> sensor (z, -x, y).
    const double bx = std::cos(th) * fx - std::sin(th) * fz, bz = std::sin(th) * fx + std::cos(th) * fz;
    const double acc[3] = {bz, -bx, 0.0}, gyr[3] = {0.0, 0.0, thd * 180.0 / pi};
    f.t.push_back(t);
    for (int a = 0; a < 3; ++a) {
      f.acc[a].push_back(acc[a] + 0.2 * nd(rng));
      f.gyr[a].push_back(gyr[a] + 2.0 + 0.5 * nd(rng));
    }
  }
  return f;
}
}  // namespace

// The extremes of imu/pumps.hpp's margin: the fastest, largest pump with the
// sensor far out on the foot (a toe clip, 0.2 m) stays a pump; the slowest
// pedalling with the largest rocking (the smallest lever arm, 0.17 / 0.35 =
// 0.49 m) is cycling, and so is the fastest.
TEST(Pedalling, ExtremesOnEitherSideOfTheLeverArmThreshold) {
  struct Case {
    double hz, range_deg, r_m, crank_m;
    bool pedal;
  };
  for (const Case c : {Case{1.5, 40, 0.20, 0.0, false}, Case{1.5, 40, 0.10, 0.0, false}, Case{0.5, 10, 0.10, 0.0, false},
                       Case{0.5, 40, 0.20, 0.0, false}, Case{0.8, 40, 0.05, 0.17, true}, Case{1.3, 40, 0.05, 0.17, true},
                       Case{0.8, 20, 0.05, 0.17, true}, Case{1.3, 20, 0.05, 0.17, true}}) {
    const ActivityRun r = run_activity(rocking_foot(60.0, c.hz, c.range_deg, c.r_m, c.crank_m, 21));
    const double cycles = 60.0 * c.hz;
    SCOPED_TRACE(::testing::Message() << c.range_deg << " deg at " << c.hz << " Hz, r " << c.r_m << " m, crank "
                                      << c.crank_m << " m");
    EXPECT_EQ(r.strides, 0u);
    const std::uint32_t right = c.pedal ? r.pedal_cycles : r.pumps, wrong = c.pedal ? r.pumps : r.pedal_cycles;
    EXPECT_GE(right + 2.0, cycles);  // the first cycle may be lost to the axis learning
    EXPECT_LE(right, cycles);
    EXPECT_EQ(wrong, 0u);
    if (c.pedal) EXPECT_NEAR(r.cycling_s, 60.0, 2.5);
    else EXPECT_EQ(r.cycling_s, 0.0);
    EXPECT_NEAR(r.active_s, 60.0, 2.5);
  }
}

TEST(ActivityMinutes, StillPumpingStillGivesActiveSecondsPerMinute) {
  const ActivityRun r = run_activity(seated({{60, 0, 1}, {60, 20, 1.0}, {60, 0, 1}}, 14));
  ASSERT_EQ(r.minutes.size(), 3u);
  EXPECT_NEAR(r.minutes[0].active_s, 0.0, 1e-9);
  EXPECT_NEAR(r.minutes[1].active_s, 60.0, 1.5);
  EXPECT_NEAR(r.minutes[2].active_s, 0.0, 1.0);
  EXPECT_GE(r.minutes[1].pumps, 59u);
  // Still from 2 s after the start until the pumping, and from 2 s after it.
  EXPECT_NEAR(r.minutes[0].still_s, 58.0, 0.1);
  EXPECT_NEAR(r.minutes[1].still_s, 0.0, 0.1);
  EXPECT_NEAR(r.minutes[2].still_s, 58.0, 0.6);
  for (const auto& m : r.minutes) EXPECT_NEAR(m.covered_s, 60.0, 0.02);
}

TEST(SessionActivity, TenMinutesOfSeatedAnklePumpsRaiseNoAlert) {
  static ImuSession s;
  soleus::SessionConfig cfg = imu_only(100.0);
  cfg.inactivity_alert_s = 60.0;
  ASSERT_TRUE(s.init(cfg).ok());
  // Sets of 30 pumps (~30 s at 1 Hz) with 20 s still between them: active the whole time but the pauses.
  std::vector<Segment> segs;
  for (int k = 0; k < 12; ++k) {
    segs.push_back({30, 25, 1.0});
    segs.push_back({20, 0, 1.0});
  }
  const Foot f = seated(segs, 15);
  int alerts = 0;
  for (std::size_t i = 0; i < f.t.size(); ++i) {
    const float a[3] = {float(f.acc[0][i]), float(f.acc[1][i]), float(f.acc[2][i])};
    const float g[3] = {float(f.gyr[0][i]), float(f.gyr[1][i]), float(f.gyr[2][i])};
    (void)s.push_imu(f.t[i], a, g);
    alerts += drain(s, soleus::SessionEventType::inactivity);
  }
  const soleus::ActivitySummary a = s.activity();
  EXPECT_EQ(alerts, 0);
  EXPECT_NEAR(a.active_s, 12 * 30.0, 12 * 1.5);
  EXPECT_GE(a.pumps, 12u * 29u);
  EXPECT_LE(a.longest_inactive_s, 22.0);
}

TEST(ActivityMinutes, AnHourLongGapQueuesNoEmptyMinutes) {
  // 30 s still, then an hour without samples, then 90 s of pumps.
  Foot f = seated({{30, 0, 1}}, 16);
  const Foot p = seated({{90, 20, 1.0}}, 17);
  for (std::size_t i = 0; i < p.t.size(); ++i) {
    f.t.push_back(30.0 + 3600.0 + p.t[i]);
    for (int a = 0; a < 3; ++a) {
      f.acc[a].push_back(p.acc[a][i]);
      f.gyr[a].push_back(p.gyr[a][i]);
    }
  }
  const ActivityRun r = run_activity(f);
  ASSERT_EQ(r.minutes.size(), 3u);
  EXPECT_DOUBLE_EQ(r.minutes[0].start_s, 0.0);
  EXPECT_NEAR(r.minutes[0].covered_s, 30.0, 0.02);
  EXPECT_DOUBLE_EQ(r.minutes[1].start_s, 3600.0);  // 3630..3660 of it covered
  EXPECT_NEAR(r.minutes[1].covered_s, 30.0, 0.02);
  EXPECT_NEAR(r.minutes[2].covered_s, 60.0, 0.02);
  EXPECT_NEAR(r.minutes[1].active_s + r.minutes[2].active_s, 90.0, 2.0);
  EXPECT_EQ(r.minutes[0].active_s, 0.0);
}

// A wild stamp (1e300 s, where t + 60 == t in double) used to hang the
// minute loop for ever (found by tests/python/test_fuzz_api.py). It is ignored
// like NaN; the samples around it keep their minutes.
TEST(ActivityMinutes, AWildStampIsIgnoredNotAHang) {
  const Foot p = seated({{90, 20, 1.0}}, 18);
  Foot f;  // the same samples with wild stamps first (+-1e300) and one in the middle
  auto add = [&](double t, std::size_t i) {
    f.t.push_back(t);
    for (int a = 0; a < 3; ++a) {
      f.acc[a].push_back(p.acc[a][i]);
      f.gyr[a].push_back(p.gyr[a][i]);
    }
  };
  add(1e300, 0);
  add(-1e300, 0);
  for (std::size_t i = 0; i < p.t.size(); ++i) {
    if (i == p.t.size() / 2) add(1e300, i);
    add(p.t[i], i);
  }
  const ActivityRun r = run_activity(f);
  const ActivityRun clean = run_activity(p);
  ASSERT_EQ(r.minutes.size(), clean.minutes.size());
  for (std::size_t k = 0; k < r.minutes.size(); ++k) {
    EXPECT_EQ(r.minutes[k].start_s, clean.minutes[k].start_s);
    EXPECT_NEAR(r.minutes[k].active_s, clean.minutes[k].active_s, 1e-9);
  }
  EXPECT_NEAR(r.active_s, 90.0, 2.0);
}

// The Session carries it: two minutes of pedalling then five of sitting still
// through an IMU-only Session: active and cycling the two minutes, the crank
// turns counted as pedal cycles and not as pumps, in its summary and in its
// closed minutes; the alert (3 min) comes 3 min after the pedalling stopped.
TEST(SessionActivity, PedallingCountsAsCyclingNotPumps) {
  static ImuSession s;
  soleus::SessionConfig cfg = imu_only(100.0);
  cfg.inactivity_alert_s = 180.0;
  ASSERT_TRUE(s.init(cfg).ok());
  const Foot ride = rocking_foot(120.0, 1.0, 30.0, 0.05, 0.17, 31);
  const Foot still = synthetic(300.0, 0.0, 1.0, 32);
  std::vector<double> alerts;
  std::uint32_t minute_pedals = 0, minute_pumps = 0;
  double minute_cycling_s = 0.0;
  soleus::imu::MinuteSummary m;
  for (const Foot* f : {&ride, &still}) {
    const double t0 = f == &ride ? 0.0 : 120.0;
    for (std::size_t i = 0; i < f->t.size(); ++i) {
      const float a[3] = {float(f->acc[0][i]), float(f->acc[1][i]), float(f->acc[2][i])};
      const float g[3] = {float(f->gyr[0][i]), float(f->gyr[1][i]), float(f->gyr[2][i])};
      (void)s.push_imu(t0 + f->t[i], a, g);
      ImuSession::Event e;
      while (s.poll(e))
        if (e.type == soleus::SessionEventType::inactivity) alerts.push_back(e.t_s);
      while (s.pop_activity_minute(m)) {
        minute_pedals += m.pedal_cycles;
        minute_pumps += m.pumps;
        minute_cycling_s += m.cycling_s;
      }
    }
  }
  const soleus::ActivitySummary a = s.activity();
  EXPECT_EQ(a.pumps, 0u);
  EXPECT_GE(a.pedal_cycles + 2u, 120u);
  EXPECT_LE(a.pedal_cycles, 120u);
  EXPECT_NEAR(a.cycling_s, 120.0, 2.5);
  EXPECT_NEAR(a.active_s, 120.0, 2.5);
  EXPECT_EQ(minute_pumps, 0u);
  EXPECT_EQ(minute_pedals, a.pedal_cycles);  // all closed: the last crank turn is 5 min back
  EXPECT_NEAR(minute_cycling_s, a.cycling_s, 1e-6);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_NEAR(alerts[0], 120.0 + 180.0, 2.5);
}

// ---------------------------------------------------------------- simulated days (sim/day.hpp)
#include "soleus/sim/day.hpp"

namespace {
#if defined(__SANITIZE_ADDRESS__)
constexpr double kDayScale = 0.15;  // ~10x slower under AddressSanitizer
#else
constexpr double kDayScale = 1.0;
#endif

struct DayScore {
  double true_active_s = 0, active_s = 0;
  std::uint32_t true_strides = 0, strides = 0;
  std::vector<double> alerts, true_alerts;
  int alerts_in_moving_bouts = 0;
  double minute_abs_err_s = 0;  // mean |active_s - truth| per minute (activity layer's table)
  int minutes = 0;
  std::uint32_t true_raises = 0, reps = 0, minute_raises = 0;  // heel raises: truth, rep events, minute table
  std::vector<std::array<double, 2>> layer_active;  // the activity layer's intervals
};

// One simulated day through an IMU-only Session (and the activity layer's
// per-minute table beside it, on the same samples).
DayScore run_day(const soleus::sim::DayConfig& dc, std::uint64_t seed, double alert_s) {
  soleus::sim::DaySimulator sim(dc, seed);
  const soleus::sim::DayTruth& truth = sim.truth();
  static ImuSession s;
  soleus::SessionConfig cfg = imu_only(dc.fs_hz);
  cfg.inactivity_alert_s = alert_s;
  EXPECT_TRUE(s.init(cfg).ok());
  soleus::imu::ActivityDetector det;
  EXPECT_TRUE(det.init().ok());
  DayScore sc;
  double t;
  float a[3], g[3];
  double t_first = -1;
  std::vector<soleus::imu::MinuteSummary> minutes;
  soleus::imu::MinuteSummary m;
  while (sim.next(t, a, g)) {
    if (t_first < 0) t_first = t;
    (void)s.push_imu(t, a, g);
    if (det.push(t, a, g) & (soleus::imu::kActivityStride | soleus::imu::kActivityPump | soleus::imu::kActivityPedal))
      sc.layer_active.push_back({det.last_active_start_s(), det.last_active_end_s()});
    while (det.pop_minute(m)) minutes.push_back(m);
    while (s.pop_activity_minute(m)) sc.minute_raises += m.raises;
    ImuSession::Event e;
    while (s.poll(e)) {
      if (e.type == soleus::SessionEventType::rep_completed && e.rep.rom_deg >= cfg.activity_min_rep_rom_deg) ++sc.reps;
      if (e.type != soleus::SessionEventType::inactivity) continue;
      sc.alerts.push_back(e.t_s);
      // Inside a calf-pump active interval, or anywhere in a walking, stairs
      // or cycling bout: wrong.
      const soleus::sim::DayBout* b = truth.bout_at(e.t_s);
      bool moving = b && (b->kind == soleus::sim::DayActivity::walk || b->kind == soleus::sim::DayActivity::stairs ||
                          b->kind == soleus::sim::DayActivity::cycle);
      for (const auto& iv : truth.active) moving = moving || (e.t_s >= iv[0] && e.t_s < iv[1]);
      sc.alerts_in_moving_bouts += moving ? 1 : 0;
    }
  }
  (void)s.finish();
  while (s.pop_activity_minute(m)) sc.minute_raises += m.raises;
  sc.true_raises = truth.raises;
  det.finish();
  while (det.pop_minute(m)) minutes.push_back(m);
  const soleus::ActivitySummary sum = s.activity();
  sc.active_s = sum.active_s;
  sc.true_active_s = truth.active_s();
  sc.strides = sum.strides;
  sc.true_strides = truth.strides;
  sc.true_alerts = truth.true_alerts(alert_s);
  for (const auto& mm : minutes) {
    sc.minute_abs_err_s += std::fabs(mm.active_s - truth.active_in(mm.start_s, mm.start_s + 60.0));
    ++sc.minutes;
  }
  if (sc.minutes > 0) sc.minute_abs_err_s /= sc.minutes;
  // Per bout kind: true active seconds and the activity layer's (without reps).
  double tk[7] = {0}, dk[7] = {0};
  for (const auto& b : truth.bouts) {
    const int k = static_cast<int>(b.kind);
    for (const auto& iv : b.active) tk[k] += iv[1] - iv[0];
    for (const auto& iv : sc.layer_active) {
      const double lo = std::max(iv[0], b.start_s), hi = std::min(iv[1], b.end_s);
      if (hi > lo) dk[k] += hi - lo;
    }
  }
  for (int k = 0; k < 7; ++k)
    std::printf("[ by kind  ] %-12s true %7.1f s, activity layer %7.1f s\n",
                soleus::sim::name(static_cast<soleus::sim::DayActivity>(k)), tk[k], dk[k]);
  return sc;
}

void print_day(const char* label, const DayScore& sc) {
  std::printf("[ figures  ] %s: active %.1f / %.1f min (%+.2f %%), strides %u / %u (%+.2f %%), per-minute |err| %.2f s,"
              " alerts %zu / %zu true\n",
              label, sc.active_s / 60, sc.true_active_s / 60, 100 * (sc.active_s / sc.true_active_s - 1), sc.strides,
              sc.true_strides, 100 * (double(sc.strides) / sc.true_strides - 1), sc.minute_abs_err_s, sc.alerts.size(),
              sc.true_alerts.size());
  std::printf("[ figures  ]    heel raises: %u true, %u reps, %u in the Session's closed minutes\n", sc.true_raises,
              sc.reps, sc.minute_raises);
  for (std::size_t k = 0; k < sc.alerts.size() || k < sc.true_alerts.size(); ++k)
    std::printf("[ figures  ]    alert %zu: %.1f s, true %.1f s\n", k, k < sc.alerts.size() ? sc.alerts[k] : -1.0,
                k < sc.true_alerts.size() ? sc.true_alerts[k] : -1.0);
}
}  // namespace

// Issue 15's acceptance on days of sim/day.hpp (walking of every cadence,
// stairs, standing, sitting, seated pumps, heel-raise sets, cycling; random
// mounting, gyro bias, noise, jittered stamps) through an IMU-only Session:
// active time within 5 % of the truth, strides within 2 %, no inactivity alert
// while moving, and every alert within a minute of the moment the true
// inactive stretch reached the alert time (the default hour, and shorter
// alert times for more alerts per simulated hour).
TEST(SimulatedDay, ImuOnlySessionMatchesTheTruth) {
  struct Day {
    std::uint64_t seed;
    double fs, hours, alert_s;
  };
  int true_alerts = 0;
  double strides_all = 0.0, true_strides_all = 0.0;
  for (const Day d : {Day{1, 100, 6, 3600}, Day{2, 60, 6, 3600}, Day{3, 200, 2, 600}, Day{4, 100, 4, 900},
                      Day{5, 150, 3, 1800}}) {
    soleus::sim::DayConfig dc;
    dc.fs_hz = d.fs;
    dc.duration_s = d.hours * 3600 * kDayScale;
    const double alert_s = d.alert_s * kDayScale;
    const DayScore sc = run_day(dc, d.seed, alert_s);
    char label[96];
    std::snprintf(label, sizeof label, "seed %llu, %.0f Hz, %.1f h, alert %.0f s", (unsigned long long)d.seed, d.fs,
                  dc.duration_s / 3600, alert_s);
    print_day(label, sc);
    SCOPED_TRACE(label);
    ASSERT_GT(sc.true_active_s, 0.0);
    EXPECT_NEAR(sc.active_s, sc.true_active_s, 0.05 * sc.true_active_s);
    // Strides within 2 % on every day and over all days (the first and last
    // strides of slow bouts count by gait continuity: imu/steps.hpp).
    EXPECT_NEAR(double(sc.strides), double(sc.true_strides), 0.02 * sc.true_strides);
    strides_all += double(sc.strides);
    true_strides_all += double(sc.true_strides);
    EXPECT_EQ(sc.alerts_in_moving_bouts, 0);
    // The heel raises the rep engine counts over the day (foot sensor,
    // automatic axis) match the simulator's: the days hold 0-140 raises among
    // 15-100 min of walking, stairs, cycling and ankle pumps, and a sign
    // locked or flipped by the wrong evidence counts those as raises (a rule
    // that withdrew walking's sign evidence at every heel strike, right for a
    // shank, gave 30 reps on day 4, which has none, and 71 for 49 on day 1).
    // Measured without it: 48 / 49, 141 / 140, 46 / 45, 0 / 0, 30 / 28.
    EXPECT_NEAR(double(sc.reps), double(sc.true_raises), 3.0 + 0.05 * sc.true_raises);
    // Every rep counted as activity lands in a closed minute (the last minute
    // may still be open at the end: at most its reps are missing).
    EXPECT_LE(sc.minute_raises, sc.reps);
    EXPECT_GE(sc.minute_raises + 40u, sc.reps);
    EXPECT_EQ(sc.alerts.size(), sc.true_alerts.size());
    for (double ta : sc.true_alerts) {
      double best = 1e300;
      for (double a : sc.alerts) best = std::min(best, std::fabs(a - ta));
      EXPECT_LE(best, 60.0) << "true alert at " << ta << " s";
    }
    true_alerts += static_cast<int>(sc.true_alerts.size());
  }
  EXPECT_GE(true_alerts, 5);  // the days do test the alert
  EXPECT_NEAR(strides_all, true_strides_all, 0.02 * true_strides_all);
}

namespace {
// Rep events of one simulated day through an IMU-only Session, with the
// automatic axis or with the simulator's true sagittal axis given; and the
// seconds spent in stairs bouts, up and down.
struct DayReps {
  int reps = 0;
  double stairs_up_s = 0, stairs_down_s = 0;
  std::vector<double> rep_t_s;
};
DayReps day_reps(const soleus::sim::DayConfig& dc, std::uint64_t seed, bool true_axis) {
  soleus::sim::DaySimulator sim(dc, seed);
  static ImuSession s;
  soleus::SessionConfig cfg = imu_only(dc.fs_hz);
  if (true_axis) {
    cfg.imu_reps.use_explicit_axis = true;
    const auto ax = sim.sagittal_axis_sensor();
    for (int j = 0; j < 3; ++j) cfg.imu_reps.axis_sensor[j] = static_cast<float>(ax[static_cast<std::size_t>(j)]);
  }
  EXPECT_TRUE(s.init(cfg).ok());
  DayReps r;
  for (const auto& b : sim.truth().bouts)
    if (b.kind == soleus::sim::DayActivity::stairs) (b.offset_deg > 0 ? r.stairs_up_s : r.stairs_down_s) += b.end_s - b.start_s;
  double t;
  float a[3], g[3];
  ImuSession::Event e;
  auto drain_reps = [&]() {
    while (s.poll(e))
      if (e.type == soleus::SessionEventType::rep_completed) {
        ++r.reps;
        r.rep_t_s.push_back(e.t_s);
        if (std::getenv("SOLEUS_DEBUG_STAIRS")) {
          const soleus::sim::DayBout* b = sim.truth().bout_at(e.rep.start_s);
          std::printf("      rep %s: start %.2f rom %.1f rise %.2f hold %.2f lower %.2f s peak %.0f/%.0f dps\n",
                      b ? (b->kind == soleus::sim::DayActivity::stairs ? (b->offset_deg > 0 ? "stairs-up" : "stairs-down") : soleus::sim::name(b->kind)) : "?", e.rep.start_s, e.rep.rom_deg,
                      e.rep.concentric_s, e.rep.hold_s, e.rep.eccentric_s, e.rep.concentric_peak_dps,
                      e.rep.eccentric_peak_dps);
        }
      }
  };
  while (sim.next(t, a, g)) {
    (void)s.push_imu(t, a, g);
    drain_reps();
  }
  (void)s.finish();
  drain_reps();
  return r;
}
}  // namespace

// Stairs, up and down, with a pause of 5-15 s on each landing, and nothing
// else (sim/day.hpp: going down, the foot lands on its forefoot and the heel
// is lowered under load, the shape of a raise's lowering): the target of
// issue 16, at most 1 false rep per hour of non-raise activity, with the
// automatic axis and with the true axis given. The true axis's sign is
// checked first on a day of heel raises alone (its count matches the truth).
TEST(SimulatedDay, StairsAreNoHeelRaises) {
  soleus::sim::DayConfig raises;
  raises.fs_hz = 100;
  raises.duration_s = 1800 * kDayScale;
  raises.w_sit = raises.w_sit_pumps = raises.w_walk = raises.w_stairs = 0;
  raises.cycling = false;
  raises.stand_s = {5.0, 15.0};
  {
    soleus::sim::DaySimulator sim(raises, 11);
    const DayReps r = day_reps(raises, 11, true);
    ASSERT_GT(sim.truth().raises, 20u);
    EXPECT_NEAR(double(r.reps), double(sim.truth().raises), 2.0 + 0.05 * sim.truth().raises) << "true axis, raises";
  }
  for (bool true_axis : {false, true}) {
    int reps = 0;
    double up_s = 0, down_s = 0, all_s = 0;
    for (const double fs : {50.0, 100.0, 200.0}) {
      for (std::uint64_t seed = 1; seed <= 4; ++seed) {
        soleus::sim::DayConfig dc;
        dc.fs_hz = fs;
        dc.duration_s = 3600 * kDayScale;
        dc.w_sit = dc.w_sit_pumps = dc.w_walk = dc.w_raises = 0;
        dc.cycling = false;
        dc.stand_s = {5.0, 15.0};  // a landing between flights
        const DayReps r = day_reps(dc, 100 + seed, true_axis);
        for (double tr : r.rep_t_s)
          std::printf("    false rep %s fs %.0f seed %llu at %.1f s\n", true_axis ? "true axis" : "auto", fs,
                      (unsigned long long)(100 + seed), tr);
        reps += r.reps;
        up_s += r.stairs_up_s;
        down_s += r.stairs_down_s;
        all_s += dc.duration_s;
      }
    }
    std::printf("[stairs, %s] %d false reps in %.2f h (%.2f h up, %.2f h down; %.2f per hour of stairs)\n",
                true_axis ? "true axis" : "auto", reps, all_s / 3600, up_s / 3600, down_s / 3600,
                reps / ((up_s + down_s) / 3600));
    ASSERT_GT(down_s, 0.1 * all_s);  // the days do hold stairs down
    EXPECT_LE(reps / ((up_s + down_s) / 3600), 1.0);  // the target, per hour of stairs alone
  }
}

// Cycling on (sim/day.hpp's crank model): the activity layer's pumps within a
// few % of the true pump count (they were 4657 of 5076 from pedalling before
// imu/pumps.hpp told crank turns apart), cycling time near the true cycling
// bouts, crank turns near the true cadence x time, and nothing counted as
// cycling outside a cycling bout.
TEST(SimulatedDay, PedallingIsCyclingNotAnklePumps) {
  std::uint32_t pumps_all = 0, true_pumps_all = 0;
  double cycling_all = 0, true_cycling_all = 0;
  struct Day {
    std::uint64_t seed;
    double hours, fs;
  };
  // Seed 1 over 24 h is the day of docs/activity.md (4657 of its 5076 "pumps" were crank turns).
  for (const Day d : {Day{1, 24, 100}, Day{3, 8, 60}, Day{6, 8, 200}}) {
    const std::uint64_t seed = d.seed;
    soleus::sim::DayConfig dc;
    dc.fs_hz = d.fs;
    dc.duration_s = d.hours * 3600 * kDayScale;
    // Shortened days (AddressSanitizer) would hold no cycling bout at the
    // default mix (~6 % of bouts): weight it up so that every day has some.
    if (kDayScale < 1.0) dc.w_cycle = 6.0;
    soleus::sim::DaySimulator sim(dc, seed);
    const soleus::sim::DayTruth& truth = sim.truth();
    soleus::imu::ActivityDetector det;
    ASSERT_TRUE(det.init().ok());
    double t;
    float a[3], g[3];
    double cycling_outside_s = 0, true_cycling_s = 0, true_turns = 0;
    std::uint32_t pumps_in_cycling = 0;
    soleus::imu::MinuteSummary m;
    double minute_cycling_s = 0;
    while (sim.next(t, a, g)) {
      const unsigned f = det.push(t, a, g);
      while (det.pop_minute(m)) minute_cycling_s += m.cycling_s;
      const soleus::sim::DayBout* b = truth.bout_at(det.last_pump().start_s);
      const bool in_cycle = b && b->kind == soleus::sim::DayActivity::cycle;
      if ((f & soleus::imu::kActivityPedal) && !in_cycle)
        cycling_outside_s += det.last_pump().end_s - det.last_pump().start_s;
      if ((f & soleus::imu::kActivityPump) && in_cycle) ++pumps_in_cycling;
    }
    det.finish();
    while (det.pop_minute(m)) minute_cycling_s += m.cycling_s;
    for (const auto& b : truth.bouts) {
      if (b.kind != soleus::sim::DayActivity::cycle) continue;
      true_cycling_s += b.end_s - b.start_s;
      // The crank turns at cadence / 2 Hz; the 2 s ramps at either end turn it half as far.
      true_turns += 0.5 * b.cadence_steps_per_s * (b.end_s - b.start_s - 2.0);
    }
    std::printf("[ figures  ] seed %llu, %.1f h: pumps %u / %u true (%u inside cycling bouts), pedal cycles %u / %.0f"
                " true, cycling %.1f / %.1f min true, outside cycling bouts %.1f s\n",
                (unsigned long long)seed, dc.duration_s / 3600, det.pumps(), truth.pumps, pumps_in_cycling,
                det.pedal_cycles(), true_turns, det.cycling_s() / 60, true_cycling_s / 60, cycling_outside_s);
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    // The pump detector may lose the first cycle of a set of 10-30 (it starts
    // from rest: 3-10 %), with or without cycling: the tolerance is that, the
    // crank turns taken for pumps are held to 0.5 % of them below.
    EXPECT_NEAR(double(det.pumps()), double(truth.pumps), 0.07 * truth.pumps + 3);
    EXPECT_LE(double(pumps_in_cycling), 0.005 * true_turns + 2);
    EXPECT_NEAR(det.cycling_s(), true_cycling_s, 0.05 * true_cycling_s + 10);
    EXPECT_NEAR(double(det.pedal_cycles()), true_turns, 0.05 * true_turns + 5);
    EXPECT_NEAR(minute_cycling_s, det.cycling_s(), 1e-6 * det.cycling_s() + 1e-9);
    EXPECT_LE(cycling_outside_s, 10.0);
    pumps_all += det.pumps();
    true_pumps_all += truth.pumps;
    cycling_all += det.cycling_s();
    true_cycling_all += true_cycling_s;
  }
  ASSERT_GT(true_cycling_all, 0.0);  // the days do hold cycling
  ASSERT_GT(true_pumps_all, 0u);
  EXPECT_NEAR(double(pumps_all), double(true_pumps_all), 0.05 * true_pumps_all + 3);
  EXPECT_NEAR(cycling_all, true_cycling_all, 0.03 * true_cycling_all);
}

// ---------------------------------------------------------------- posture (imu/posture.hpp)
#include "soleus/imu/posture.hpp"

namespace {
// Gravity (plus a zero-mean gait acceleration while walking) in a sensor
// mounted with a random rotation on a segment pitched by psi_deg from vertical
// about the world y axis (x forward, z up).
struct Mounted {
  double r[3][3];  // sensor -> segment
  explicit Mounted(std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> nd(0.0, 1.0);
    double q[4];
    double n = 0;
    for (double& v : q) {
      v = nd(rng);
      n += v * v;
    }
    n = std::sqrt(n);
    for (double& v : q) v /= n;
    const double w = q[0], x = q[1], y = q[2], z = q[3];
    const double m[3][3] = {{1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
                            {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
                            {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}};
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) r[i][j] = m[i][j];
  }
  // Specific force in the sensor frame: segment pitch psi, world acceleration (ax, az).
  void acc(double psi_deg, double ax, double az, float* out) const {
    const double p = psi_deg * 3.14159265358979323846 / 180.0;
    const double fw[3] = {ax, 0.0, az + 9.80665};
    // World -> segment: R_y(psi)^T.
    const double fs[3] = {std::cos(p) * fw[0] - std::sin(p) * fw[2], fw[1], std::sin(p) * fw[0] + std::cos(p) * fw[2]};
    for (int i = 0; i < 3; ++i) out[i] = static_cast<float>(r[0][i] * fs[0] + r[1][i] * fs[1] + r[2][i] * fs[2]);
  }
};

// 60 s of walking (the segment swinging +-25 deg about 5 deg forward, with a
// zero-mean 5 m/s^2 gait acceleration), then rest at psi_rest_deg.
soleus::imu::Posture posture_after(soleus::imu::SensorPlacement pl, double psi_rest_deg, std::uint32_t seed) {
  soleus::imu::PostureTracker tr;
  soleus::imu::PostureSettings ps;
  ps.placement = pl;
  EXPECT_TRUE(tr.init(ps).ok());
  const Mounted m(seed);
  const double dt = 0.01, pi = 3.14159265358979323846;
  float a[3];
  for (int i = 0; i < 6000; ++i) {
    const double t = i * dt, ph = 2 * pi * t / 1.1;
    m.acc(5.0 + 25.0 * std::sin(ph), 5.0 * std::sin(2 * ph), 4.0 * std::cos(2 * ph + 0.3), a);
    (void)tr.push(a, dt, true, false);
  }
  soleus::imu::Posture p = soleus::imu::Posture::unknown;
  for (int i = 0; i < 500; ++i) {
    m.acc(psi_rest_deg, 0.0, 0.0, a);
    p = tr.push(a, dt, false, i > 100);
  }
  return p;
}
}  // namespace

TEST(Posture, ThighTellsStandingFromSittingOrLyingUnderAnyMounting) {
  using soleus::imu::Posture;
  using soleus::imu::SensorPlacement;
  for (std::uint32_t seed = 1; seed <= 5; ++seed) {
    EXPECT_EQ(posture_after(SensorPlacement::thigh, 3.0, seed), Posture::standing);
    EXPECT_EQ(posture_after(SensorPlacement::thigh, 85.0, seed), Posture::sitting_or_lying);   // sitting
    EXPECT_EQ(posture_after(SensorPlacement::thigh, -88.0, seed), Posture::sitting_or_lying);  // lying
  }
}

TEST(Posture, ShankTellsLyingFromUprightButNotSittingFromStanding) {
  using soleus::imu::Posture;
  using soleus::imu::SensorPlacement;
  for (std::uint32_t seed = 1; seed <= 5; ++seed) {
    EXPECT_EQ(posture_after(SensorPlacement::shank, 2.0, seed), Posture::standing_or_sitting);   // standing
    EXPECT_EQ(posture_after(SensorPlacement::shank, 20.0, seed), Posture::standing_or_sitting);  // sitting, knee ~100 deg
    EXPECT_EQ(posture_after(SensorPlacement::shank, 88.0, seed), Posture::lying_or_leg_raised);  // lying supine
    EXPECT_EQ(posture_after(SensorPlacement::shank, 47.0, seed), Posture::unknown);              // reclined: not told
  }
}

TEST(Posture, FootSensorAndNoWalkingYetTellNothing) {
  using soleus::imu::Posture;
  using soleus::imu::SensorPlacement;
  EXPECT_EQ(posture_after(SensorPlacement::foot, 0.0, 1), Posture::unknown);
  EXPECT_EQ(posture_after(SensorPlacement::foot, 80.0, 1), Posture::unknown);
  soleus::imu::PostureTracker tr;
  soleus::imu::PostureSettings ps;
  ps.placement = SensorPlacement::thigh;
  ASSERT_TRUE(tr.init(ps).ok());
  const float g[3] = {0.0f, 0.0f, 9.8f};
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(tr.push(g, 0.01, false, true), Posture::unknown);  // no reference yet
  ps.horizontal_min_deg = 20.0;
  EXPECT_FALSE(tr.init(ps).ok());
  // The activity layer's default (a foot) reports unknown.
  soleus::imu::ActivityDetector d;
  ASSERT_TRUE(d.init().ok());
  EXPECT_EQ(d.posture(), Posture::unknown);
}
