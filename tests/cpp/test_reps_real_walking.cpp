// Real data: a foot-mounted IMU during ~39 s of walking (gaitmap example,
// ../shared/data/real/walking_foot_imu) must yield zero heel-raise reps.
// The foot pitch is computed here with a plain complementary filter (gyro
// about the dominant, sagittal axis + accelerometer tilt, 1 s crossover) so
// the test does not depend on the imu layer; both sign conventions are fed.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "rep_eval.hpp"
#include "test_helpers.hpp"

namespace {

struct Imu {
  std::vector<double> acc[3], gyr[3];
};

bool load_foot(const std::string& path, int foot, Imu& out) {
  std::ifstream f(path);
  std::string line;
  int row = 0;
  while (std::getline(f, line)) {
    if (row++ < 2) continue;  // "sensor" and "axis" header rows
    std::stringstream ss(line);
    std::string cell;
    std::vector<double> v;
    while (std::getline(ss, cell, ',')) v.push_back(std::atof(cell.c_str()));
    if (v.size() < 13) continue;
    // Columns: index, acc_x L R, acc_y L R, acc_z L R, gyr_x L R, gyr_y L R, gyr_z L R.
    for (int a = 0; a < 3; ++a) {
      out.acc[a].push_back(v[1 + 2 * a + foot]);
      out.gyr[a].push_back(v[7 + 2 * a + foot]);
    }
  }
  return out.acc[0].size() > 1000;
}

std::vector<double> foot_pitch_deg(const Imu& m, double fs) {
  // Sagittal axis = the gyro axis with the largest variance in gait.
  int ax = 0;
  double best = -1;
  for (int a = 0; a < 3; ++a) {
    double s = 0, s2 = 0;
    for (double g : m.gyr[a]) { s += g; s2 += g * g; }
    const double n = static_cast<double>(m.gyr[a].size());
    const double var = s2 / n - (s / n) * (s / n);
    if (var > best) { best = var; ax = a; }
  }
  const int u = (ax + 1) % 3, w = (ax + 2) % 3;  // the two axes spanning the sagittal plane
  const double dt = 1.0 / fs, alpha = 1.0 / (1.0 + dt / 1.0);
  std::vector<double> th(m.gyr[ax].size());
  double t = std::atan2(m.acc[u][0], m.acc[w][0]) * 180.0 / M_PI;
  for (std::size_t i = 0; i < th.size(); ++i) {
    const double acc_th = std::atan2(m.acc[u][i], m.acc[w][i]) * 180.0 / M_PI;
    double pred = t + m.gyr[ax][i] * dt;
    // Keep the accelerometer angle on the same branch as the prediction.
    double d = acc_th - pred;
    while (d > 180) d -= 360;
    while (d < -180) d += 360;
    t = pred + (1.0 - alpha) * d;
    th[i] = t;
  }
  return th;
}

}  // namespace

TEST(RepsRealData, WalkingFootImuYieldsNoReps) {
  SOLEUS_REQUIRE_SHARED_DATA(path, "real/walking_foot_imu/imu_sample.csv");
  const double fs = 204.8;
  for (int foot = 0; foot < 2; ++foot) {
    Imu m;
    ASSERT_TRUE(load_foot(path, foot, m));
    const std::vector<double> th = foot_pitch_deg(m, fs);
    double lo = 1e9, hi = -1e9;
    for (double v : th) { lo = std::fmin(lo, v); hi = std::fmax(hi, v); }
    // The trace really swings (else the test would prove nothing).
    EXPECT_GT(hi - lo, 20.0) << "foot " << foot;
    // Plantar flexion positive: in gait the largest excursion from the
    // standing level is push-off (heel up, toes down, ~60 deg), so the sign
    // making the largest excursion positive is the physical convention.
    const double stand = th[0];
    const double sign = (hi - stand) >= (stand - lo) ? 1.0 : -1.0;
    for (double s : {sign, -sign}) {
      rep_sim::Trace tr;
      for (std::size_t i = 0; i < th.size(); ++i) {
        tr.t.push_back(i / fs);
        tr.x.push_back(s * th[i]);
      }
      const auto run = rep_eval::run_trace(tr, rep_eval::seg_config(fs));
      for (const auto& r : run.reps)
        std::printf("  foot %d sign %+.0f: rep %.2f-%.2f-%.2f-%.2f rom %.1f\n", foot, s, r.start_s, r.top_s,
                    r.lower_start_s, r.end_s, r.rom_deg);
      if (s == sign) {
        EXPECT_EQ(run.reps.size(), 0u) << "foot " << foot << " (physical sign)";
      } else {
        // Flipped (a wrongly mounted sensor): gait initiation may read as
        // one fast rep; the ~35 strides must not.
        EXPECT_LE(run.reps.size(), 1u) << "foot " << foot << " (flipped sign)";
      }
      EXPECT_TRUE(run.holds.empty());
    }
  }
}
