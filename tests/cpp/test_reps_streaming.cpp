// Streaming equals offline: the same samples pushed one by one, in random
// chunk sizes through push_block, give bit-identical rep records.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "rep_eval.hpp"

namespace {

std::vector<soleus::reps::Rep> run_chunked(const rep_sim::Trace& tr, double fs, std::uint64_t seed) {
  static rep_eval::Counter rc;
  EXPECT_TRUE(rc.init(rep_eval::seg_config(fs), soleus::reps::SetConfig{}).ok());
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> chunk(1, 300);
  std::vector<soleus::reps::Rep> out;
  std::size_t i = 0;
  while (i < tr.t.size()) {
    int n = seed == 0 ? 1 : chunk(rng);
    if (i + n > tr.t.size()) n = static_cast<int>(tr.t.size() - i);
    // Events are polled only between chunks: the queue (64) is large enough.
    rc.push_block(tr.t.data() + i, tr.x.data() + i, n);
    i += n;
    soleus::reps::Event e;
    while (rc.pop(e))
      if (e.type == soleus::reps::EventType::rep_completed) out.push_back(e.rep);
  }
  EXPECT_EQ(rc.events_dropped(), 0u);
  return out;
}

bool same_bits(const soleus::reps::Rep& a, const soleus::reps::Rep& b) {
  const double va[] = {a.start_s, a.top_s, a.lower_start_s, a.end_s, a.concentric_s, a.hold_s, a.eccentric_s,
                       a.rom_deg, a.top_deg, a.baseline_deg, a.concentric_peak_dps, a.concentric_mean_dps,
                       a.eccentric_peak_dps, a.eccentric_mean_dps, a.hold_peak_dps, a.heel_rise_m, a.work_j};
  const double vb[] = {b.start_s, b.top_s, b.lower_start_s, b.end_s, b.concentric_s, b.hold_s, b.eccentric_s,
                       b.rom_deg, b.top_deg, b.baseline_deg, b.concentric_peak_dps, b.concentric_mean_dps,
                       b.eccentric_peak_dps, b.eccentric_mean_dps, b.hold_peak_dps, b.heel_rise_m, b.work_j};
  return std::memcmp(va, vb, sizeof va) == 0 && a.index == b.index && a.partial == b.partial;
}

}  // namespace

TEST(RepsStreaming, RandomChunksAreBitExact) {
  for (double fs : {100.0, 200.0}) {
    rep_sim::SetSpec ss;
    ss.reps = 12;
    ss.concentric_s = 0.7;
    ss.eccentric_s = 2.5;
    rep_sim::TraceSpec ts;
    ts.fs_hz = fs;
    ts.noise_sd_deg = 0.3;
    ts.drift_dps = 0.01;
    ts.jitter_s = 0.1 / fs;
    const auto tr = rep_sim::make_trace(ts, rep_sim::make_reps(ss, 5));
    const auto ref = run_chunked(tr, fs, 0);  // one sample at a time
    ASSERT_EQ(ref.size(), 12u);
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      const auto got = run_chunked(tr, fs, seed);
      ASSERT_EQ(got.size(), ref.size());
      for (std::size_t i = 0; i < ref.size(); ++i) EXPECT_TRUE(same_bits(ref[i], got[i])) << "rep " << i;
    }
  }
}

TEST(RepsStreaming, RepeatedRunsAreIdentical) {
  // init() resets everything: a second run over the same data is identical.
  rep_sim::TraceSpec ts;
  const auto tr = rep_sim::make_trace(ts, rep_sim::make_reps(rep_sim::SetSpec{}, 9));
  const auto a = rep_eval::run_trace(tr, rep_eval::seg_config(ts.fs_hz));
  const auto b = rep_eval::run_trace(tr, rep_eval::seg_config(ts.fs_hz));
  ASSERT_EQ(a.reps.size(), b.reps.size());
  for (std::size_t i = 0; i < a.reps.size(); ++i) EXPECT_TRUE(same_bits(a.reps[i], b.reps[i]));
}
