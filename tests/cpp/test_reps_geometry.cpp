// Heel-rise height and work from the documented foot geometry, checked on
// hand-computed values, and on whole reps against the generator's range.
#include <gtest/gtest.h>

#include <cmath>

#include "rep_eval.hpp"

using namespace soleus::reps;

TEST(RepsGeometry, HeelRiseHeightAndWork) {
  // Lever-only model: L sin(theta). 30 deg, 0.14 m -> 0.07 m.
  EXPECT_NEAR(heel_rise_height_m(30.0, 0.14, 0.0), 0.07, 1e-12);
  // Ankle 0.08 m above the MTP contact lowers the rise by h (1 - cos).
  EXPECT_NEAR(heel_rise_height_m(30.0, 0.14, 0.08), 0.07 - 0.08 * (1 - std::sqrt(3.0) / 2), 1e-12);
  EXPECT_NEAR(heel_rise_work_j(0.07, 70.0), 70.0 * 9.80665 * 0.07, 1e-9);
}

TEST(RepsGeometry, RepRecordsCarryHeightAndWork) {
  std::vector<rep_sim::RepSpec> reps(5);
  for (auto& r : reps) {
    r.rom_deg = 25.0;
    r.concentric_s = 0.8;
    r.hold_s = 1.0;
    r.eccentric_s = 3.0;
    r.rest_after_s = 1.0;
  }
  rep_sim::TraceSpec ts;
  const auto tr = rep_sim::make_trace(ts, reps);
  auto cfg = rep_eval::seg_config(ts.fs_hz);
  cfg.mtp_to_ankle_m = 0.15;
  cfg.body_mass_kg = 80.0;
  const auto run = rep_eval::run_trace(tr, cfg);
  ASSERT_EQ(run.reps.size(), 5u);
  const double h = 0.15 * std::sin(25.0 * M_PI / 180.0);
  for (const auto& r : run.reps) {
    EXPECT_NEAR(r.heel_rise_m, h, 0.15 * 0.005);  // ROM within ~0.3 deg
    EXPECT_NEAR(r.work_j, 80.0 * 9.80665 * r.heel_rise_m, 1e-9);
    // Mean velocities: range over duration, from the generator's tempo.
    EXPECT_NEAR(r.concentric_mean_dps, 25.0 / 0.8, 1.0);
    EXPECT_NEAR(r.eccentric_mean_dps, 25.0 / 3.0, 0.3);
    // Peak of the smoothed derivative: near the constant-velocity value.
    EXPECT_NEAR(r.concentric_peak_dps, 25.0 / 0.8, 0.15 * 25.0 / 0.8);
    EXPECT_NEAR(r.eccentric_peak_dps, 25.0 / 3.0, 0.25 * 25.0 / 3.0);
  }
}
