// Sets: a rest longer than set_gap_s closes a set; the set summary's
// counts, mean phase durations, time under tension and rests match the
// generator's ground truth.
#include <gtest/gtest.h>

#include <cmath>

#include "rep_eval.hpp"

namespace {

std::vector<rep_sim::RepSpec> block(int n, double conc, double hold, double ecc, double rest, double last_rest) {
  std::vector<rep_sim::RepSpec> v;
  for (int i = 0; i < n; ++i) {
    rep_sim::RepSpec r;
    r.rom_deg = 25.0;
    r.concentric_s = conc;
    r.hold_s = hold;
    r.eccentric_s = ecc;
    r.rest_after_s = (i + 1 == n) ? last_rest : rest;
    v.push_back(r);
  }
  return v;
}

}  // namespace

TEST(RepsSets, LongRestClosesSetAndSummaryMatchesTruth) {
  soleus::reps::SetConfig sc;
  sc.set_gap_s = 15.0;
  auto reps = block(8, 0.6, 2.0, 3.0, 1.0, 40.0);  // set 1, then 40 s rest
  const auto b2 = block(5, 1.0, 0.5, 1.5, 2.0, 1.0);  // set 2
  reps.insert(reps.end(), b2.begin(), b2.end());
  rep_sim::TraceSpec ts;
  ts.tail_rest_s = 20.0;  // long enough for the second set to close by itself
  const auto tr = rep_sim::make_trace(ts, reps);
  const auto run = rep_eval::run_trace(tr, rep_eval::seg_config(ts.fs_hz), sc);
  ASSERT_EQ(run.sets.size(), 2u);
  EXPECT_EQ(run.sets[0].rep_count, 8);
  EXPECT_EQ(run.sets[1].rep_count, 5);
  EXPECT_EQ(run.sets[0].index, 0);
  EXPECT_EQ(run.sets[1].index, 1);

  // Ground truth of each set from the generator.
  const int first[2] = {0, 8}, count[2] = {8, 5};
  for (int s = 0; s < 2; ++s) {
    double c = 0, h = 0, e = 0, rest = 0;
    for (int i = first[s]; i < first[s] + count[s]; ++i) {
      const auto& g = tr.truth[i];
      c += g.top_s - g.start_s;
      h += g.lower_start_s - g.top_s;
      e += g.end_s - g.lower_start_s;
      if (i + 1 < first[s] + count[s]) rest += tr.truth[i + 1].start_s - g.end_s;
    }
    const auto& S = run.sets[s];
    EXPECT_NEAR(S.mean_concentric_s, c / count[s], 0.04) << "set " << s;
    EXPECT_NEAR(S.mean_hold_s, h / count[s], 0.04) << "set " << s;
    EXPECT_NEAR(S.mean_eccentric_s, e / count[s], 0.04) << "set " << s;
    EXPECT_NEAR(S.time_under_tension_s, c + h + e, 0.25) << "set " << s;
    EXPECT_NEAR(S.mean_rest_s, rest / (count[s] - 1), 0.03) << "set " << s;
    EXPECT_NEAR(S.start_s, tr.truth[first[s]].start_s, 0.03);
    EXPECT_NEAR(S.end_s, tr.truth[first[s] + count[s] - 1].end_s, 0.03);
  }
  // The first set closes once the rest exceeds the gap: at last end + gap.
  for (const auto& ev : run.events) {
    if (ev.type == soleus::reps::EventType::set_completed && ev.set.index == 0) {
      EXPECT_NEAR(ev.t_s, tr.truth[7].end_s + sc.set_gap_s, 0.05);
    }
  }
}

TEST(RepsSets, RestBelowGapKeepsOneSet) {
  soleus::reps::SetConfig sc;
  sc.set_gap_s = 15.0;
  const auto reps = block(6, 0.8, 1.0, 2.0, 10.0, 1.0);  // 10 s rests < 15 s gap
  rep_sim::TraceSpec ts;
  const auto tr = rep_sim::make_trace(ts, reps);
  const auto run = rep_eval::run_trace(tr, rep_eval::seg_config(ts.fs_hz), sc);
  ASSERT_EQ(run.sets.size(), 1u);  // closed by finish()
  EXPECT_EQ(run.sets[0].rep_count, 6);
  EXPECT_NEAR(run.sets[0].mean_rest_s, 10.0, 0.03);
}

TEST(RepsSets, FatigueSlopeOfCallerScalar) {
  // The caller supplies e.g. EMG median frequency per rep; the summary
  // reports its least-squares slope per rep.
  soleus::reps::SetTracker<16> st;
  ASSERT_TRUE(st.init(soleus::reps::SetConfig{}).ok());
  soleus::reps::EventQueue<32> q;
  for (int i = 0; i < 8; ++i) {
    soleus::reps::Event e;
    e.type = soleus::reps::EventType::rep_completed;
    e.rep.index = i;
    e.rep.start_s = 10.0 * i;
    e.rep.end_s = 10.0 * i + 5.0;
    e.rep.rom_deg = 20.0;
    e.t_s = e.rep.end_s;
    ASSERT_TRUE(st.on_event(e, q).ok());
    ASSERT_TRUE(st.set_rep_scalar(i, 95.0 - 0.75 * i).ok());
  }
  EXPECT_FALSE(st.set_rep_scalar(99, 1.0).ok());
  ASSERT_TRUE(st.finish(100.0, q).ok());
  soleus::reps::Event e;
  bool found = false;
  while (q.pop(e)) {
    if (e.type != soleus::reps::EventType::set_completed) continue;
    found = true;
    EXPECT_TRUE(e.set.fatigue_valid);
    EXPECT_NEAR(e.set.fatigue_slope_per_rep, -0.75, 1e-9);
  }
  EXPECT_TRUE(found);
}

TEST(RepsSets, CapacityOverflowIsCounted) {
  soleus::reps::SetTracker<4> st;
  ASSERT_TRUE(st.init(soleus::reps::SetConfig{}).ok());
  soleus::reps::EventQueue<32> q;
  for (int i = 0; i < 7; ++i) {
    soleus::reps::Event e;
    e.type = soleus::reps::EventType::rep_completed;
    e.rep.index = i;
    e.rep.start_s = 5.0 * i;
    e.rep.end_s = 5.0 * i + 3.0;
    e.rep.rom_deg = 20.0;
    st.on_event(e, q);
  }
  st.finish(100.0, q);
  soleus::reps::Event e;
  while (q.pop(e))
    if (e.type == soleus::reps::EventType::set_completed) {
      EXPECT_EQ(e.set.rep_count, 4);
      EXPECT_EQ(e.set.reps_dropped, 3);
    }
}

// rep_refined (a rep's heel contact re-timed after its rep_completed): the
// set keeps the refined record (end, eccentric time) while keeping its own
// partial flag and rest; the summary uses it. Reference values by hand.
TEST(RepsSets, RefinedRepReplacesItsRecordInTheSummary) {
  soleus::reps::SetTracker<16> st;
  ASSERT_TRUE(st.init(soleus::reps::SetConfig{}).ok());
  soleus::reps::EventQueue<32> q;
  for (int i = 0; i < 2; ++i) {
    soleus::reps::Event e;
    e.type = soleus::reps::EventType::rep_completed;
    e.rep.index = i;
    e.rep.start_s = 10.0 * i;
    e.rep.top_s = 10.0 * i + 1.0;
    e.rep.lower_start_s = 10.0 * i + 3.0;
    e.rep.end_s = 10.0 * i + 6.0;
    e.rep.concentric_s = 1.0;
    e.rep.hold_s = 2.0;
    e.rep.eccentric_s = 3.0;
    e.rep.rom_deg = 20.0;
    e.t_s = e.rep.end_s;
    ASSERT_TRUE(st.on_event(e, q).ok());
  }
  soleus::reps::Event r;
  r.type = soleus::reps::EventType::rep_refined;
  r.rep.index = 1;
  r.rep.start_s = 10.0;
  r.rep.top_s = 11.0;
  r.rep.lower_start_s = 13.0;
  r.rep.end_s = 15.5;  // contact 0.5 s earlier than the provisional 16.0
  r.rep.concentric_s = 1.0;
  r.rep.hold_s = 2.0;
  r.rep.eccentric_s = 2.5;
  r.rep.rom_deg = 20.0;
  r.t_s = 16.6;
  ASSERT_TRUE(st.on_event(r, q).ok());
  EXPECT_EQ(st.rep(1).end_s, 15.5);
  ASSERT_TRUE(st.finish(100.0, q).ok());
  soleus::reps::Event e;
  int refined = 0;
  bool found = false;
  while (q.pop(e)) {
    refined += e.type == soleus::reps::EventType::rep_refined;
    if (e.type != soleus::reps::EventType::set_completed) continue;
    found = true;
    EXPECT_DOUBLE_EQ(e.set.end_s, 15.5);
    EXPECT_DOUBLE_EQ(e.set.mean_eccentric_s, 0.5 * (3.0 + 2.5));
    EXPECT_DOUBLE_EQ(e.set.time_under_tension_s, 6.0 + 5.5);
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(refined, 1);  // passed through to the caller
}
