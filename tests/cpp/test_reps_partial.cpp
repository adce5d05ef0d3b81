// Partial reps: reps whose range is well below the set's median range
// (< 60 %) are flagged, in the final set summary and (provisionally) in the
// rep_completed events once the set has a reference.
#include <gtest/gtest.h>

#include "rep_eval.hpp"

namespace {

std::vector<rep_sim::RepSpec> reps_with_partials(const std::vector<int>& partial_idx, double full, double part) {
  std::vector<rep_sim::RepSpec> v;
  for (int i = 0; i < 10; ++i) {
    rep_sim::RepSpec r;
    r.rom_deg = full;
    for (int k : partial_idx)
      if (k == i) r.rom_deg = part;
    r.concentric_s = 0.8;
    r.hold_s = 1.0;
    r.eccentric_s = 2.0;
    r.rest_after_s = 1.2;
    v.push_back(r);
  }
  return v;
}

}  // namespace

TEST(RepsPartial, FlaggedInSummaryAndEvents) {
  for (double fs : {100.0, 200.0}) {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      const std::vector<int> partial{3, 7};
      rep_sim::TraceSpec ts;
      ts.fs_hz = fs;
      ts.seed = seed;
      const auto tr = rep_sim::make_trace(ts, reps_with_partials(partial, 30.0, 12.0));
      const auto run = rep_eval::run_trace(tr, rep_eval::seg_config(fs));
      ASSERT_EQ(run.reps.size(), 10u) << "fs " << fs << " seed " << seed;
      ASSERT_EQ(run.sets.size(), 1u);
      EXPECT_EQ(run.sets[0].rep_count, 10);
      EXPECT_EQ(run.sets[0].partial_count, 2);
      // Events: provisional flags against the median of the reps so far.
      for (int i = 0; i < 10; ++i) {
        const bool want = (i == 3 || i == 7);
        EXPECT_EQ(run.reps[i].partial, want) << "rep " << i;
        // ROM from the generator's ground truth.
        EXPECT_NEAR(run.reps[i].rom_deg, tr.truth[i].rom_deg, 0.3) << "rep " << i;
      }
    }
  }
}

TEST(RepsPartial, SmallRepsStillCountedNotRejected) {
  // 40 % reps on a 20 deg set are 8 deg: above min_excursion, must count.
  rep_sim::TraceSpec ts;
  const auto tr = rep_sim::make_trace(ts, reps_with_partials({1, 2, 8}, 20.0, 8.0));
  const auto run = rep_eval::run_trace(tr, rep_eval::seg_config(ts.fs_hz));
  ASSERT_EQ(run.sets.size(), 1u);
  EXPECT_EQ(run.sets[0].rep_count, 10);
  EXPECT_EQ(run.sets[0].partial_count, 3);
}
