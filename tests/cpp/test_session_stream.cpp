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

// The conditioned-EMG tap (Session::set_conditioned_sink): every admitted
// frame once, in order, with its own stamp; frames dropped as faults never;
// the same samples bit for bit whatever the chunking (streaming = offline).
namespace {
struct Tap {
  std::vector<double> t_s;
  std::vector<float> x;
  int channels = 0;
  static void append(void* ctx, const double* t_s, const float* x, std::size_t frames, int channels) {
    auto* tap = static_cast<Tap*>(ctx);
    tap->channels = channels;
    tap->t_s.insert(tap->t_s.end(), t_s, t_s + frames);
    tap->x.insert(tap->x.end(), x, x + frames * static_cast<std::size_t>(channels));
  }
};
}  // namespace

TEST(SessionStream, ConditionedTapSeesEveryAdmittedFrameOnce) {
  session_sim::Input in = input();
  const std::size_t C = static_cast<std::size_t>(in.channels);
  const std::size_t n = in.emg_t.size();
  for (std::size_t i = 30000; i < 30040; ++i) in.emg[i * C] = NAN;  // admitted, contained by the chain
  in.emg_t[61000] = in.emg_t[60999];                                // a duplicate stamp: dropped
  auto tapped = [&](std::size_t fixed, std::uint64_t seed) {
    auto s = std::make_unique<Sess>();
    EXPECT_TRUE(s->init(session_sim::config_for(in)).ok());
    Tap tap;
    s->set_conditioned_sink(&Tap::append, &tap);
    std::vector<Ev> ev;
    std::mt19937_64 rng(seed);
    session_sim::feed(*s, in, [&](std::size_t) { return fixed > 0 ? fixed : 1 + rng() % 300; }, ev);
    return tap;
  };
  const Tap a = tapped(1, 0), b = tapped(0, 7), c = tapped(100000, 0);
  EXPECT_EQ(a.channels, in.channels);
  ASSERT_EQ(a.t_s.size(), n - 1);
  // In order, each stamp the input's, the dropped ones missing.
  std::size_t k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i == 61000) continue;
    ASSERT_EQ(a.t_s[k], in.emg_t[i]) << "frame " << i;
    ++k;
  }
  ASSERT_EQ(a.x.size(), b.x.size());
  ASSERT_EQ(a.x.size(), c.x.size());
  EXPECT_EQ(std::memcmp(a.x.data(), b.x.data(), a.x.size() * sizeof(float)), 0);
  EXPECT_EQ(std::memcmp(a.x.data(), c.x.data(), a.x.size() * sizeof(float)), 0);
  // The NaN samples never reach the filters (contained): the output stays finite everywhere.
  for (float v : a.x) ASSERT_TRUE(std::isfinite(v));
  // Off again: nothing more arrives.
  auto s = std::make_unique<Sess>();
  EXPECT_TRUE(s->init(session_sim::config_for(in)).ok());
  Tap off;
  s->set_conditioned_sink(&Tap::append, &off);
  s->set_conditioned_sink(nullptr, &off);
  (void)s->push_emg_block(in.emg_t.data(), in.emg.data(), 1000);
  EXPECT_TRUE(off.t_s.empty());
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
