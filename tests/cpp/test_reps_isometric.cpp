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

// A single-leg hold sags 1-3 deg as the calf tires (DESIGN.md; issue 16: a
// sag of up to a quarter of the range stays a hold). Measured from the
// hold's peak, the lowering's f level (a tenth of the range down) is crossed
// by the sag itself, mid-hold: a 30 s hold was read as over after ~half of
// it (not isometric; at a shank's 4-5 deg range then dropped as a small lone
// movement). The hold's duration must be the truth's, sag or not.
TEST(RepsIsometric, SaggingHoldKeepsItsDuration) {
  struct Case { double rom_deg, sag_deg; };
  for (const Case c : {Case{5.0, 1.0}, Case{15.0, 3.0}}) {  // shank-sized and foot-sized, 20 % sag
    rep_sim::RepSpec r;
    r.rom_deg = c.rom_deg;
    r.concentric_s = 1.0;
    r.hold_s = 30.0;
    r.eccentric_s = 1.5;
    r.rest_after_s = 3.0;
    for (double fs : {50.0, 100.0}) {
      rep_sim::TraceSpec ts;
      ts.fs_hz = fs;
      ts.noise_sd_deg = 0.05;
      auto tr = rep_sim::make_trace(ts, {r});
      const auto& g = tr.truth[0];
      // The sag as the simulator makes it (sim/heel_raise.hpp: the hold
      // ends sag_deg below its top and the lowering runs its profile from
      // there to rest): linear over the hold, then the lowering's profile
      // scaled to the range left (rom - sag).
      for (std::size_t i = 0; i < tr.t.size(); ++i) {
        const double t = tr.t[i];
        if (t >= g.top_s && t < g.lower_start_s) tr.x[i] -= c.sag_deg * (t - g.top_s) / (g.lower_start_s - g.top_s);
        else if (t >= g.lower_start_s && t < g.end_s)
          tr.x[i] -= c.sag_deg * (tr.x[i] - ts.baseline_deg) / c.rom_deg;
      }
      auto cfg = rep_eval::seg_config(fs);
      cfg.isometric_hold_min_s = 20.0;
      const auto run = rep_eval::run_trace(tr, cfg);
      ASSERT_EQ(run.holds.size(), 1u) << "rom " << c.rom_deg << " fs " << fs;
      EXPECT_TRUE(run.reps.empty());
      EXPECT_TRUE(run.holds[0].isometric);
      // Foot-sized: within a tenth of the 1.5 s lowering (the grid's
      // boundary target is 120 ms at p95). Shank-sized (5 deg, a 1 deg sag):
      // measured 0.46-0.53 s early at 50-100 Hz, a known gap (guard at the
      // measured level, "not met"); without the rule the hold ended ~15 s
      // early, mid-sag.
      const double tol_s = c.rom_deg >= 10.0 ? 0.15 : 0.6;
      EXPECT_NEAR(run.holds[0].hold_s, g.lower_start_s - g.top_s, tol_s) << "rom " << c.rom_deg << " fs " << fs;
      EXPECT_NEAR(run.holds[0].lower_start_s, g.lower_start_s, tol_s) << "rom " << c.rom_deg << " fs " << fs;
    }
  }
}

// An isometric hold is no measure of a set's repetition tempo (segmenter.hpp,
// tempo_s_; review of issue 16): counted as one, a 25 s hold stretched the
// set's small-rep rest limit (small_chain_gap_s) to ~27 s, and a 1.3 deg heel
// lift held 0.6 s, 5 s after the hold (past the set's rest limit of its own
// 3.8-4 s reps), was admitted under the set's lowered partial minimum as a
// deliberate partial raise. Three 5 deg reps (a shank's size, min_excursion
// 1.5 deg as under 'auto'), the hold, then the lift: 3 reps, 1 hold. Fails
// without the rule (the lift counted at 50, 100 and 200 Hz).
TEST(RepsIsometric, HoldDoesNotStretchTheSetsTempo) {
  // {rom_deg, concentric_s, hold_s, eccentric_s, rest_after_s}
  const rep_sim::RepSpec rep{5.0, 1.0, 0.8, 1.5, 1.5};
  const rep_sim::RepSpec hold{5.0, 1.0, 25.0, 1.5, 5.0};
  const rep_sim::RepSpec lift{1.3, 0.3, 0.6, 0.3, 4.0};  // a fidget: 1.3 deg, up 0.3 s, held 0.6 s, down 0.3 s
  const std::vector<rep_sim::RepSpec> reps{rep, rep, rep, hold, lift};
  for (double fs : {50.0, 100.0, 200.0}) {
    rep_sim::TraceSpec ts;
    ts.fs_hz = fs;
    ts.noise_sd_deg = 0.05;
    const auto tr = rep_sim::make_trace(ts, reps);
    auto cfg = rep_eval::seg_config(fs);
    cfg.min_excursion_deg = 1.5;
    cfg.isometric_hold_min_s = 20.0;
    const auto run = rep_eval::run_trace(tr, cfg);
    EXPECT_EQ(run.holds.size(), 1u) << fs << " Hz";
    EXPECT_EQ(run.reps.size(), 3u) << fs << " Hz";
    for (const auto& r : run.reps) EXPECT_LT(r.start_s, tr.truth[3].start_s) << fs << " Hz: a rep after the hold";
  }
}
