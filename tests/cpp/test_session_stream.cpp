// Session on a simulated heel-raise session with calf EMG: every true rep is
// reported, bursts arrive on the input clock, and any chunking of the input
// gives the same events bit for bit (streaming equals offline).
#if !__has_include(<Eigen/Core>)
#include <gtest/gtest.h>
TEST(SessionStream, SkippedWithoutEigen) { GTEST_SKIP() << "Eigen3 not found: imu layer not built"; }
#else
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "session_sim.hpp"

using Sess = soleus::Session<8, 256>;
using Ev = Sess::Event;
using soleus::SessionEventType;

namespace {

const session_sim::Input& input() {
  static const session_sim::Input in = session_sim::make_input(session_sim::Spec{});
  return in;
}

std::vector<Ev> run(const session_sim::Input& in, std::size_t fixed_chunk, std::uint64_t seed = 0) {
  auto s = std::make_unique<Sess>();
  EXPECT_TRUE(s->init(session_sim::config_for(in)).ok());
  std::vector<Ev> ev;
  std::mt19937_64 rng(seed);
  session_sim::feed(*s, in, [&](std::size_t) { return fixed_chunk > 0 ? fixed_chunk : 1 + rng() % 300; }, ev);
  EXPECT_EQ(s->events_dropped(), 0u);
  return ev;
}

int count(const std::vector<Ev>& v, SessionEventType t) {
  int n = 0;
  for (const Ev& e : v) n += e.type == t ? 1 : 0;
  return n;
}

bool same(const Ev& a, const Ev& b) {
  // Bit-exact comparison of what an app reads.
  return a.type == b.type && std::memcmp(&a.t_s, &b.t_s, sizeof(double)) == 0 && a.channel == b.channel &&
         std::memcmp(&a.value, &b.value, sizeof(double)) == 0 && a.rep.index == b.rep.index &&
         std::memcmp(&a.rep.start_s, &b.rep.start_s, sizeof(double)) == 0 &&
         std::memcmp(&a.rep.end_s, &b.rep.end_s, sizeof(double)) == 0 &&
         std::memcmp(&a.rep.rom_deg, &b.rep.rom_deg, sizeof(double)) == 0 &&
         std::memcmp(&a.burst.time_s, &b.burst.time_s, sizeof(double)) == 0 &&
         std::memcmp(a.emg.mean_pct_mvc, b.emg.mean_pct_mvc, sizeof a.emg.mean_pct_mvc) == 0 &&
         a.fault.kind == b.fault.kind && a.set.rep_count == b.set.rep_count;
}

}  // namespace

TEST(SessionStream, ReportsEveryRepWithBurstsAndPerPhaseEmg) {
  const auto& in = input();
  const std::vector<Ev> ev = run(in, 64);
  const int reps = count(ev, SessionEventType::rep_completed);
  EXPECT_EQ(reps, static_cast<int>(in.truth.reps.size()));
  EXPECT_EQ(count(ev, SessionEventType::set_completed), static_cast<int>(in.truth.sets.size()));
  EXPECT_EQ(count(ev, SessionEventType::fault), 0);
  EXPECT_EQ(count(ev, SessionEventType::axis_found), 1);
  // One burst per rep per channel, on the input clock, near heel-off - 0.1 s.
  int matched = 0;
  for (const auto& r : in.truth.reps) {
    for (const Ev& e : ev) {
      if (e.type == SessionEventType::burst_onset && e.channel == 0 && std::fabs(e.t_s - (r.start_s - 0.1)) < 0.1) {
        ++matched;
        break;
      }
    }
  }
  EXPECT_GE(matched, static_cast<int>(in.truth.reps.size()) - 1);
  // Every completed rep carries per-phase EMG statistics of both channels.
  for (const Ev& e : ev) {
    if (e.type != SessionEventType::rep_completed) continue;
    EXPECT_EQ(e.emg.channels, 2);
    EXPECT_TRUE(e.emg.complete);
    EXPECT_TRUE(std::isfinite(e.emg.mean_pct_mvc[0][soleus::reps::kEmgWholeRep]));
  }
}

TEST(SessionStream, RandomChunksEqualOnePass) {
  const auto& in = input();
  const std::vector<Ev> a = run(in, 1);
  const std::vector<Ev> b = run(in, 0, 11);
  const std::vector<Ev> c = run(in, 1000000);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.size(), c.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(same(a[i], b[i])) << "event " << i;
    EXPECT_TRUE(same(a[i], c[i])) << "event " << i;
  }
}

TEST(SessionStream, RandomChunksEqualOnePassWithFaults) {
  // Faults inside blocks must land in the same place of the event order.
  session_sim::Input in = input();
  const std::size_t C = static_cast<std::size_t>(in.channels);
  for (std::size_t i = 30000; i < 30040; ++i) in.emg[i * C] = NAN;
  for (std::size_t i = 52000; i < 52010; ++i) in.emg[i * C + 1] = 50.0f;
  in.emg_t[61000] = in.emg_t[60999];                  // duplicate
  in.emg_t[70000] = in.emg_t[69990];                  // stale
  for (std::size_t i = 80000; i < in.emg_t.size(); ++i) in.emg_t[i] += 2.0;  // 2 s EMG gap
  for (std::size_t j = 0; j < in.imu_t.size(); ++j)
    if (in.imu_t[j] >= in.emg_t[80000] - 2.0) in.imu_t[j] += 2.0;
  auto run_faulty = [&](std::size_t fixed, std::uint64_t seed) {
    auto s = std::make_unique<Sess>();
    soleus::SessionConfig c = session_sim::config_for(in);
    c.emg_range = 40.0;
    EXPECT_TRUE(s->init(c).ok());
    std::vector<Ev> ev;
    std::mt19937_64 rng(seed);
    session_sim::feed(*s, in, [&](std::size_t) { return fixed > 0 ? fixed : 1 + rng() % 300; }, ev);
    return ev;
  };
  const std::vector<Ev> a = run_faulty(1, 0), b = run_faulty(0, 5), c = run_faulty(64, 0);
  EXPECT_GE(count(a, SessionEventType::fault), 6);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.size(), c.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(same(a[i], b[i])) << "event " << i << " type " << static_cast<int>(a[i].type) << " vs "
                                  << static_cast<int>(b[i].type);
    EXPECT_TRUE(same(a[i], c[i])) << "event " << i;
  }
}

TEST(SessionStream, LiveStateGetters) {
  const auto& in = input();
  auto s = std::make_unique<Sess>();
  ASSERT_TRUE(s->init(session_sim::config_for(in)).ok());
  std::vector<Ev> ev;
  session_sim::feed(*s, in, [](std::size_t) { return 32; }, ev);
  const soleus::reps::ImuRepState st = s->imu_state();
  EXPECT_TRUE(st.axis_found);
  EXPECT_GT(st.axis_confidence, 0.5f);
  // The axis found matches the simulator's (sign included).
  double dot = 0.0;
  for (int k = 0; k < 3; ++k) dot += st.axis_sensor[k] * in.truth.sagittal_axis_sensor[k];
  EXPECT_GT(dot, 0.95);
  EXPECT_EQ(st.reps_total, static_cast<int>(in.truth.reps.size()));
  EXPECT_EQ(s->emg_stream().accepted, in.emg_t.size());
  EXPECT_EQ(s->imu_stream().accepted, in.imu_t.size());
  EXPECT_TRUE(s->quality(0).nonfinite == false);
  const soleus::ActivitySummary a = s->activity();
  // Activity ~ sum of the rep bursts.
  double truth = 0.0;
  for (const auto& r : in.truth.reps) truth += r.end_s - r.start_s + 0.1;
  EXPECT_NEAR(a.active_s, truth, 0.25 * truth);
  EXPECT_GT(a.soleus_active_s, 0.5 * truth);
  EXPECT_GT(a.longest_inactive_s, 5.0);
}

#endif
