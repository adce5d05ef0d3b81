// Bad input never poisons state: NaN/Inf samples and non-increasing time
// stamps are skipped and counted (results identical to the clean stream);
// a time-stamp gap aborts the rep in progress and the engine resynchronises.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "rep_eval.hpp"

using namespace soleus::reps;

TEST(RepsInput, NaNAndRepeatedStampsAreSkippedAndCounted) {
  rep_sim::TraceSpec ts;
  const auto tr = rep_sim::make_trace(ts, rep_sim::make_reps(rep_sim::SetSpec{}, 6));
  const auto clean = rep_eval::run_trace(tr, rep_eval::seg_config(ts.fs_hz));
  rep_sim::Trace bad;
  for (std::size_t i = 0; i < tr.t.size(); ++i) {
    bad.t.push_back(tr.t[i]);
    bad.x.push_back(tr.x[i]);
    if (i % 97 == 5) { bad.t.push_back(tr.t[i] + 1e-4); bad.x.push_back(NAN); }
    if (i % 131 == 7) { bad.t.push_back(tr.t[i]); bad.x.push_back(1e3); }        // repeated stamp
    if (i % 173 == 9) { bad.t.push_back(tr.t[i] - 0.5); bad.x.push_back(0.0); }  // out of order
  }
  static RepCounter<2048, 64, 64> rc;
  ASSERT_TRUE(rc.init(rep_eval::seg_config(ts.fs_hz), SetConfig{}).ok());
  std::vector<Rep> got;
  int bad_status = 0;
  for (std::size_t i = 0; i < bad.t.size(); ++i) {
    const soleus::Status st = rc.push(bad.t[i], bad.x[i]);
    if (st.code == soleus::StatusCode::bad_input) ++bad_status;
    Event e;
    while (rc.pop(e))
      if (e.type == EventType::rep_completed) got.push_back(e.rep);
  }
  const auto& S = rc.segmenter().stats();
  EXPECT_GT(S.bad_samples, 0u);
  EXPECT_GT(S.out_of_order, 0u);
  EXPECT_EQ(static_cast<std::uint64_t>(bad_status), S.bad_samples + S.out_of_order);
  EXPECT_EQ(S.samples, tr.t.size());
  ASSERT_EQ(got.size(), clean.reps.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(std::memcmp(&got[i].start_s, &clean.reps[i].start_s, sizeof(double)), 0);
    EXPECT_EQ(std::memcmp(&got[i].end_s, &clean.reps[i].end_s, sizeof(double)), 0);
    EXPECT_EQ(std::memcmp(&got[i].rom_deg, &clean.reps[i].rom_deg, sizeof(double)), 0);
  }
}

TEST(RepsInput, GapAbortsRepInProgressThenResyncs) {
  std::vector<rep_sim::RepSpec> reps(6);
  for (auto& r : reps) {
    r.rom_deg = 20;
    r.concentric_s = 1.0;
    r.hold_s = 1.0;
    r.eccentric_s = 2.0;
    r.rest_after_s = 1.5;
  }
  rep_sim::TraceSpec ts;
  const auto tr = rep_sim::make_trace(ts, reps);
  // Drop 0.6 s in the middle of rep 2's hold (a lost Bluetooth burst).
  const double g0 = tr.truth[2].top_s + 0.3, g1 = g0 + 0.6;
  rep_sim::Trace cut;
  for (std::size_t i = 0; i < tr.t.size(); ++i)
    if (tr.t[i] < g0 || tr.t[i] > g1) { cut.t.push_back(tr.t[i]); cut.x.push_back(tr.x[i]); }
  const auto run = rep_eval::run_trace(cut, rep_eval::seg_config(ts.fs_hz));
  EXPECT_EQ(run.reps.size(), 5u);  // rep 2 is lost, the others are not
  bool rejected = false;
  for (const auto& e : run.events) rejected |= e.type == EventType::rep_rejected;
  EXPECT_TRUE(rejected);  // and the consumer was told
  for (int k : {0, 1, 3, 4, 5}) EXPECT_GE(rep_eval::match(run.reps, tr.truth[k]), 0) << "rep " << k;
}

TEST(RepsInput, InvalidConfigurationIsRejected) {
  static Segmenter<256> seg;
  SegmenterConfig c;
  c.sample_rate_hz = 0;
  EXPECT_EQ(seg.init(c).code, soleus::StatusCode::invalid_argument);
  c = SegmenterConfig{};
  c.boundary_fraction = 0.5;
  EXPECT_EQ(seg.init(c).code, soleus::StatusCode::invalid_argument);
  c = SegmenterConfig{};
  c.smoothing_cutoff_hz = 60;  // above 0.45 fs
  EXPECT_EQ(seg.init(c).code, soleus::StatusCode::invalid_argument);
  EventQueue<4> q;
  static Segmenter<256> fresh;
  EXPECT_EQ(fresh.push(0.0, 1.0, q).code, soleus::StatusCode::not_ready);
}

// segmenter.hpp "Rose without turning" (shank21): a rotating segment's
// angle changes by the integral of its rate about the axis, so an angle
// that rises while the rate pushed with it stays at zero is no movement of
// the segment (an orientation filter's tilt correction). Reference: the
// trace's own angle; the rate a rotation shows is its derivative (backward
// difference, whose trapezoid integral telescopes to the angle's change).
// The trace's reps (10) count with that rate and with no rate (NaN: the
// rule off, results identical to the angle-only push); pushed with zero
// rate, none does (all 10 without the rule).
TEST(RepsInput, ARiseTheRateDoesNotAccountForIsNoRep) {
  rep_sim::TraceSpec ts;
  const auto tr = rep_sim::make_trace(ts, rep_sim::make_reps(rep_sim::SetSpec{}, 6));
  const auto clean = rep_eval::run_trace(tr, rep_eval::seg_config(ts.fs_hz));
  ASSERT_GE(clean.reps.size(), 6u);
  enum class Rate { derivative, unknown, zero };
  auto count = [&](Rate how) {
    static RepCounter<2048, 64, 64> rc;
    EXPECT_TRUE(rc.init(rep_eval::seg_config(ts.fs_hz), SetConfig{}).ok());
    std::vector<Rep> got;
    for (std::size_t i = 0; i < tr.t.size(); ++i) {
      double rate_dps = 0.0;
      if (how == Rate::unknown) rate_dps = std::nan("");
      if (how == Rate::derivative && i > 0) rate_dps = (tr.x[i] - tr.x[i - 1]) / (tr.t[i] - tr.t[i - 1]);
      (void)rc.push(tr.t[i], tr.x[i], std::nan(""), std::nan(""), rate_dps);
      Event e;
      while (rc.pop(e))
        if (e.type == EventType::rep_completed) got.push_back(e.rep);
    }
    return got;
  };
  const auto turned = count(Rate::derivative);
  const auto unknown = count(Rate::unknown);
  const auto still = count(Rate::zero);
  EXPECT_EQ(turned.size(), clean.reps.size());
  ASSERT_EQ(unknown.size(), clean.reps.size());
  for (std::size_t i = 0; i < unknown.size(); ++i)
    EXPECT_EQ(std::memcmp(&unknown[i].start_s, &clean.reps[i].start_s, sizeof(double)), 0);
  EXPECT_EQ(still.size(), 0u);
}
