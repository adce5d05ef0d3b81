// Isometric holds: a top hold of at least isometric_hold_min_s is reported
// as a hold (hold_completed) with its duration, not counted as a rep.
#include <gtest/gtest.h>

#include "rep_eval.hpp"

TEST(RepsIsometric, ThirtySecondHoldBetweenReps) {
  std::vector<rep_sim::RepSpec> reps;
  for (int i = 0; i < 7; ++i) {
    rep_sim::RepSpec r;
    r.rom_deg = 22.0;
    r.concentric_s = 0.8;
    r.hold_s = (i == 3) ? 30.0 : 1.0;
    r.eccentric_s = 2.0;
    r.rest_after_s = 1.5;
    reps.push_back(r);
  }
  for (double fs : {100.0, 200.0}) {
    rep_sim::TraceSpec ts;
    ts.fs_hz = fs;
    ts.drift_dps = 0.5 / 60.0;
    const auto tr = rep_sim::make_trace(ts, reps);
    auto cfg = rep_eval::seg_config(fs);
    cfg.isometric_hold_min_s = 20.0;
    const auto run = rep_eval::run_trace(tr, cfg);
    ASSERT_EQ(run.holds.size(), 1u);
    EXPECT_EQ(run.reps.size(), 6u);
    const auto& g = tr.truth[3];
    EXPECT_TRUE(run.holds[0].isometric);
    EXPECT_NEAR(run.holds[0].hold_s, g.lower_start_s - g.top_s, 0.05);
    EXPECT_NEAR(run.holds[0].top_s, g.top_s, 0.03);
    ASSERT_EQ(run.sets.size(), 1u);
    EXPECT_EQ(run.sets[0].rep_count, 6);
    EXPECT_EQ(run.sets[0].hold_count, 1);
    EXPECT_NEAR(run.sets[0].longest_hold_s, 30.0, 0.05);
  }
}

TEST(RepsIsometric, LongHoldAloneIsASetOfOneHold) {
  rep_sim::RepSpec r;
  r.rom_deg = 15.0;
  r.concentric_s = 1.0;
  r.hold_s = 40.0;
  r.eccentric_s = 1.0;
  rep_sim::TraceSpec ts;
  const auto tr = rep_sim::make_trace(ts, {r});
  const auto run = rep_eval::run_trace(tr, rep_eval::seg_config(ts.fs_hz));
  ASSERT_EQ(run.holds.size(), 1u);
  EXPECT_TRUE(run.reps.empty());
  EXPECT_NEAR(run.holds[0].hold_s, 40.0, 0.05);
  ASSERT_EQ(run.sets.size(), 1u);
  EXPECT_EQ(run.sets[0].rep_count, 0);
  EXPECT_EQ(run.sets[0].hold_count, 1);
}
