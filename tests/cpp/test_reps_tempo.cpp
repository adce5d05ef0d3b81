// Tempo targets: the set summary reports the fraction of reps whose phases
// are inside the target (+/- tolerance), here on a set with a known tempo.
#include <gtest/gtest.h>

#include "rep_eval.hpp"

using soleus::reps::Rep;
using soleus::reps::TempoTarget;

TEST(RepsTempo, RuleOnSingleReps) {
  TempoTarget g;
  g.eccentric_min_s = 3.0;
  g.hold_min_s = 2.0;
  g.hold_max_s = 3.0;
  g.tolerance_s = 0.25;
  Rep r;
  r.concentric_s = 0.5;
  r.hold_s = 2.5;
  r.eccentric_s = 3.1;
  EXPECT_TRUE(soleus::reps::tempo_ok(r, g));
  r.eccentric_s = 2.8;  // inside tolerance
  EXPECT_TRUE(soleus::reps::tempo_ok(r, g));
  r.eccentric_s = 2.7;  // outside
  EXPECT_FALSE(soleus::reps::tempo_ok(r, g));
  r.eccentric_s = 3.5;
  r.hold_s = 3.3;  // too long a hold
  EXPECT_FALSE(soleus::reps::tempo_ok(r, g));
  EXPECT_TRUE(soleus::reps::tempo_has_bounds(g));
  EXPECT_FALSE(soleus::reps::tempo_has_bounds(TempoTarget{}));
}

TEST(RepsTempo, AdherenceFractionOnKnownSet) {
  // 10 reps: 7 follow "eccentric >= 3 s, hold 2-3 s", 3 drop too fast
  // (eccentric 1.5 s): adherence 0.7 from the generator's tempo.
  std::vector<rep_sim::RepSpec> reps;
  for (int i = 0; i < 10; ++i) {
    rep_sim::RepSpec r;
    r.rom_deg = 25.0;
    r.concentric_s = 0.6;
    r.hold_s = 2.5;
    r.eccentric_s = (i == 2 || i == 5 || i == 9) ? 1.5 : 3.4;
    r.rest_after_s = 1.0;
    reps.push_back(r);
  }
  soleus::reps::SetConfig sc;
  sc.tempo.eccentric_min_s = 3.0;
  sc.tempo.hold_min_s = 2.0;
  sc.tempo.hold_max_s = 3.0;
  sc.tempo.tolerance_s = 0.2;
  for (double fs : {100.0, 200.0}) {
    rep_sim::TraceSpec ts;
    ts.fs_hz = fs;
    ts.noise_sd_deg = 0.25;
    const auto tr = rep_sim::make_trace(ts, reps);
    const auto run = rep_eval::run_trace(tr, rep_eval::seg_config(fs), sc);
    ASSERT_EQ(run.sets.size(), 1u);
    EXPECT_EQ(run.sets[0].rep_count, 10);
    EXPECT_DOUBLE_EQ(run.sets[0].tempo_adherence, 0.7);
  }
}

TEST(RepsTempo, NoTargetReportsMinusOne) {
  rep_sim::TraceSpec ts;
  const auto tr = rep_sim::make_trace(ts, rep_sim::make_reps(rep_sim::SetSpec{}, 3));
  const auto run = rep_eval::run_trace(tr, rep_eval::seg_config(ts.fs_hz));
  ASSERT_EQ(run.sets.size(), 1u);
  EXPECT_EQ(run.sets[0].tempo_adherence, -1.0);
}
