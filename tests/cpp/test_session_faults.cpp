// Session fed a corrupted stream: a 10-minute gap, dropped packets, duplicate
// and stale (out-of-order) stamps, NaN bursts in EMG and IMU, saturated EMG.
// Every valid repetition is still reported, every fault exactly once, and no
// NaN ever reaches an output. Plus rate drift, a clock reset, and the
// inactivity alert of the daily activity tracker.
#if !__has_include(<Eigen/Core>)
#include <gtest/gtest.h>
TEST(SessionFaults, SkippedWithoutEigen) { GTEST_SKIP() << "Eigen3 not found: imu layer not built"; }
#else
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include "session_sim.hpp"

using Sess = soleus::Session<8, 256>;
using Ev = Sess::Event;
using soleus::FaultKind;
using soleus::SessionEventType;
using soleus::StreamId;

namespace {

using Key = std::tuple<int, int, int>;  // stream, kind, channel
Key key(StreamId s, FaultKind k, int ch) { return Key{static_cast<int>(s), static_cast<int>(k), ch}; }

std::map<Key, int> faults_of(const std::vector<Ev>& ev) {
  std::map<Key, int> m;
  for (const Ev& e : ev)
    if (e.type == SessionEventType::fault) ++m[key(e.fault.stream, e.fault.kind, e.fault.channel)];
  return m;
}

int count(const std::vector<Ev>& v, SessionEventType t) {
  int n = 0;
  for (const Ev& e : v) n += e.type == t ? 1 : 0;
  return n;
}

// Index of the first stamp >= t.
std::size_t at(const std::vector<double>& ts, double t) {
  std::size_t i = 0;
  while (i < ts.size() && ts[i] < t) ++i;
  return i;
}

}  // namespace

TEST(SessionFaults, EveryRepAndEveryFaultExactlyOnce) {
  session_sim::Spec sp;
  sp.n_sets = 3;
  sp.reps_per_set = 5;
  session_sim::Input in = session_sim::make_input(sp);
  const auto& truth = in.truth;
  ASSERT_EQ(truth.sets.size(), 3u);
  const int C = in.channels;
  auto emg_at = [&](std::size_t i, int c) -> float& { return in.emg[i * static_cast<std::size_t>(C) + static_cast<std::size_t>(c)]; };

  // Rests: lead-in before set 0, and the rests between sets.
  const double rest1 = truth.sets[0].end_s + 4.0;  // inside the rest after set 0
  const double rest2 = truth.sets[1].end_s + 4.0;
  const auto& r3 = truth.reps[2];                  // mid-rep faults: contained, rep kept
  const auto& r8 = truth.reps[8];

  // NaN burst on EMG channel 0 (20 ms) in the middle of rep 2's rise.
  {
    const std::size_t i0 = at(in.emg_t, 0.5 * (r3.start_s + r3.top_s));
    for (std::size_t i = i0; i < i0 + 40; ++i) emg_at(i, 0) = NAN;
    emg_at(i0 + 50, 0) = INFINITY;  // same episode (within fault_clear_s)
  }
  // Saturation on channel 1 (10 samples at full scale) during rep 8.
  {
    const std::size_t i0 = at(in.emg_t, 0.5 * (r8.top_s + r8.end_s));
    for (std::size_t i = i0; i < i0 + 10; ++i) emg_at(i, 1) = 5.0f;
  }
  // NaN IMU samples (3) in the lowering of rep 8.
  {
    const std::size_t j0 = at(in.imu_t, 0.5 * (r8.lower_start_s + r8.end_s));
    for (std::size_t j = j0; j < j0 + 3; ++j) in.gyro[3 * j] = NAN;
  }

  // Build the delivered streams with time-stamp faults.
  std::vector<double> et;
  std::vector<float> ef;
  std::vector<double> it;
  std::vector<float> ia, ig;
  const double big_gap = 600.0;
  const std::size_t e_drop0 = at(in.emg_t, rest1), e_dup = at(in.emg_t, rest1 + 2.0), e_stale = at(in.emg_t, rest1 + 3.0);
  const std::size_t i_drop0 = at(in.imu_t, rest1 + 1.0), i_dup = at(in.imu_t, rest1 + 2.5), i_stale = at(in.imu_t, rest1 + 3.5);
  for (std::size_t i = 0; i < in.emg_t.size(); ++i) {
    if (i >= e_drop0 && i < e_drop0 + 40) continue;  // a dropped packet (20 ms)
    const double shift = in.emg_t[i] >= rest2 ? big_gap : 0.0;
    et.push_back(in.emg_t[i] + shift);
    ef.insert(ef.end(), &in.emg[i * C], &in.emg[i * C] + C);
    if (i == e_dup) {  // the same frame again
      et.push_back(in.emg_t[i] + shift);
      ef.insert(ef.end(), &in.emg[i * C], &in.emg[i * C] + C);
    }
    if (i == e_stale) {  // a late packet from 5 ms ago
      et.push_back(in.emg_t[i - 10] + shift);
      ef.insert(ef.end(), &in.emg[(i - 10) * C], &in.emg[(i - 10) * C] + C);
    }
  }
  for (std::size_t j = 0; j < in.imu_t.size(); ++j) {
    if (j >= i_drop0 && j < i_drop0 + 3) continue;
    const double shift = in.imu_t[j] >= rest2 ? big_gap : 0.0;
    auto put = [&](std::size_t k) {
      it.push_back(in.imu_t[k] + shift);
      ia.insert(ia.end(), &in.acc[3 * k], &in.acc[3 * k] + 3);
      ig.insert(ig.end(), &in.gyro[3 * k], &in.gyro[3 * k] + 3);
    };
    put(j);
    if (j == i_dup) put(j);
    if (j == i_stale) { it.push_back(in.imu_t[j - 2] + shift); ia.insert(ia.end(), &in.acc[3 * j], &in.acc[3 * j] + 3); ig.insert(ig.end(), &in.gyro[3 * j], &in.gyro[3 * j] + 3); }
  }
  session_sim::Input bad = in;
  bad.emg_t = et;
  bad.emg = ef;
  bad.imu_t = it;
  bad.acc = ia;
  bad.gyro = ig;

  auto s = std::make_unique<Sess>();
  soleus::SessionConfig cfg = session_sim::config_for(bad);
  cfg.emg_range = 5.0;
  ASSERT_TRUE(s->init(cfg).ok());
  std::vector<Ev> ev;
  session_sim::feed(*s, bad, [](std::size_t i) { return 17 + i % 50; }, ev);
  EXPECT_EQ(s->events_dropped(), 0u);

  // Every rep.
  EXPECT_EQ(count(ev, SessionEventType::rep_completed), static_cast<int>(truth.reps.size()));
  EXPECT_EQ(count(ev, SessionEventType::set_completed), 3);
  // Every fault exactly once.
  std::map<Key, int> want;
  want[key(StreamId::emg, FaultKind::gap, -1)] = 2;  // dropped packet + 10 min
  want[key(StreamId::imu, FaultKind::gap, -1)] = 2;
  want[key(StreamId::emg, FaultKind::duplicate, -1)] = 1;
  want[key(StreamId::imu, FaultKind::duplicate, -1)] = 1;
  want[key(StreamId::emg, FaultKind::out_of_order, -1)] = 1;
  want[key(StreamId::imu, FaultKind::out_of_order, -1)] = 1;
  want[key(StreamId::emg, FaultKind::nonfinite, 0)] = 1;
  want[key(StreamId::emg, FaultKind::saturated, 1)] = 1;
  want[key(StreamId::imu, FaultKind::nonfinite, -1)] = 1;
  const std::map<Key, int> got = faults_of(ev);
  for (const auto& kv : want) {
    const auto f = got.find(kv.first);
    EXPECT_EQ(f == got.end() ? 0 : f->second, kv.second)
        << "stream " << std::get<0>(kv.first) << " kind " << std::get<1>(kv.first) << " channel " << std::get<2>(kv.first);
  }
  EXPECT_EQ(got.size(), want.size());
  // The long gap is reported with its length, the short one too.
  for (const Ev& e : ev) {
    if (e.type == SessionEventType::fault && e.fault.kind == FaultKind::gap && e.fault.stream == StreamId::emg) {
      EXPECT_TRUE(std::fabs(e.fault.value - 0.02) < 1e-3 || std::fabs(e.fault.value - big_gap) < 1.0) << e.fault.value;
    }
  }
  // Nothing poisoned: finite numbers everywhere, bursts still detected at the end.
  for (const Ev& e : ev) {
    EXPECT_TRUE(std::isfinite(e.t_s));
    if (e.type == SessionEventType::rep_completed) {
      EXPECT_TRUE(std::isfinite(e.rep.rom_deg));
    }
  }
  for (int c = 0; c < C; ++c) {
    EXPECT_TRUE(std::isfinite(s->activation_pct(c)));
    EXPECT_TRUE(std::isfinite(s->envelope(c)));
  }
  int late_bursts = 0;
  for (const Ev& e : ev)
    if (e.type == SessionEventType::burst_onset && e.channel == 0 && e.t_s > truth.sets[2].start_s + big_gap - 1.0) ++late_bursts;
  EXPECT_GE(late_bursts, sp.reps_per_set - 1);
  // Counters agree with the events.
  EXPECT_EQ(s->emg_stream().gaps, 2u);
  EXPECT_EQ(s->emg_stream().duplicates, 1u);
  EXPECT_EQ(s->emg_stream().out_of_order, 1u);
  EXPECT_EQ(s->emg_stream().nonfinite_samples, 41u);
  EXPECT_EQ(s->emg_stream().saturated_samples, 10u);
  EXPECT_EQ(s->imu_stream().nonfinite_samples, 3u);
  // Gap time is not inactivity.
  EXPECT_LT(s->activity().longest_inactive_s, 60.0);
}

TEST(SessionFaults, RateDriftAndClockResetReportedOnceAndResynchronised) {
  auto s = std::make_unique<Sess>();
  soleus::SessionConfig cfg;
  cfg.imu_enabled = false;
  ASSERT_TRUE(s->init(cfg).ok());
  std::vector<Ev> ev;
  const float x = 0.01f;
  double t = 100.0;
  // 30 s at the nominal rate, 60 s 2 % fast, 30 s nominal again, then the
  // device clock restarts at 0 and runs on.
  for (int i = 0; i < 60000; ++i, t += 0.0005) s->push_emg(t, &x);
  for (int i = 0; i < 120000; ++i, t += 0.0005 / 1.02) s->push_emg(t, &x);
  for (int i = 0; i < 60000; ++i, t += 0.0005) s->push_emg(t, &x);
  const double before_reset = s->emg_stream().last_time_s;
  double u = 0.0;
  for (int i = 0; i < 20000; ++i, u += 0.0005) s->push_emg(u, &x);
  session_sim::drain_into(*s, ev);
  const std::map<Key, int> got = faults_of(ev);
  EXPECT_EQ(got.at(key(StreamId::emg, FaultKind::rate_drift, -1)), 1);
  EXPECT_EQ(got.at(key(StreamId::emg, FaultKind::out_of_order, -1)), 1);
  EXPECT_EQ(got.at(key(StreamId::emg, FaultKind::clock_reset, -1)), 1);
  EXPECT_EQ(got.size(), 3u);
  for (const Ev& e : ev) {
    if (e.fault.kind == FaultKind::rate_drift) {
      EXPECT_NEAR(e.fault.value, 2040.0, 5.0);
    }
  }
  // Resynchronised: stream time continues monotonically after the reset.
  EXPECT_GT(s->emg_stream().last_time_s, before_reset);
  EXPECT_NEAR(s->emg_stream().last_time_s - before_reset, (20000 - 16) * 0.0005, 0.01);
  EXPECT_FALSE(s->emg_stream().drifting);
}

TEST(SessionFaults, InactivityEventAfterConfiguredTime) {
  // One soleus burst at 5-7 s, silence, another at 200-202 s; alert after 120 s.
  soleus::sim::EmgSimConfig ec;
  ec.fs_hz = 1000.0;
  ec.duration_s = 230.0;
  ec.snr_db = 20.0;
  ec.bursts = {{5.0, 7.0, 1.0, 0.05}, {200.0, 202.0, 1.0, 0.05}};
  const soleus::sim::EmgSim e = soleus::sim::generate_emg(ec);
  auto s = std::make_unique<Sess>();
  soleus::SessionConfig cfg;
  cfg.imu_enabled = false;
  cfg.emg_rate_hz = 1000.0;
  cfg.inactivity_alert_s = 120.0;
  ASSERT_TRUE(s->init(cfg).ok());
  std::vector<Ev> ev;
  for (std::size_t i = 0; i < e.size(); ++i) {
    const float x = static_cast<float>(e.emg_mv[i]);
    s->push_emg(static_cast<double>(i) / 1000.0, &x);
    session_sim::drain_into(*s, ev);
  }
  int alerts = 0, resumed = 0;
  for (const Ev& v : ev) {
    if (v.type == SessionEventType::inactivity) {
      ++alerts;
      EXPECT_NEAR(v.t_s, 7.0 + 120.0, 0.5);
      EXPECT_NEAR(v.value, 120.0, 0.01);
    }
    if (v.type == SessionEventType::activity_resumed) {
      ++resumed;
      EXPECT_NEAR(v.t_s, 200.0, 0.3);
      EXPECT_NEAR(v.value, 193.0, 0.5);
    }
  }
  EXPECT_EQ(alerts, 1);
  EXPECT_EQ(resumed, 1);
  const soleus::ActivitySummary a = s->activity();
  EXPECT_EQ(a.inactivity_alerts, 1u);
  EXPECT_NEAR(a.soleus_active_s, 4.0, 0.6);
  EXPECT_NEAR(a.active_s, 4.0, 0.6);
  EXPECT_NEAR(a.longest_inactive_s, 193.0, 0.5);
}

TEST(SessionFaults, DefaultInactivityAlertAfterSixtyMinutes) {
  // 61 minutes of resting EMG (noise only) at 1 kHz with the default config.
  auto s = std::make_unique<Sess>();
  soleus::SessionConfig cfg;
  cfg.imu_enabled = false;
  cfg.emg_rate_hz = 1000.0;
  ASSERT_EQ(cfg.inactivity_alert_s, 3600.0);
  ASSERT_TRUE(s->init(cfg).ok());
  soleus::sim::Xoshiro256ss rng(3);
  std::vector<double> t(1000);
  std::vector<float> x(1000);
  std::vector<Ev> ev;
  for (int block = 0; block < 61 * 60; ++block) {
    for (int i = 0; i < 1000; ++i) {
      t[i] = block + i / 1000.0;
      x[i] = static_cast<float>(0.01 * rng.gaussian());
    }
    s->push_emg_block(t.data(), x.data(), 1000);
    session_sim::drain_into(*s, ev);
  }
  int alerts = 0;
  for (const Ev& e : ev) {
    if (e.type != SessionEventType::inactivity) continue;
    ++alerts;
    EXPECT_NEAR(e.t_s, 3600.0, 0.01);
  }
  EXPECT_EQ(alerts, 1);
  EXPECT_NEAR(s->activity().current_inactive_s, 61 * 60 - 0.001, 0.01);
  EXPECT_EQ(s->activity().active_s, 0.0);
}


// The clock's block admission (StreamClock::clean_block / accept_clean, the
// Session's fast path) must leave exactly the state n admit() calls leave and
// must refuse every block in which admit() would report or restart the drift
// window. Two clocks see the same stamps (random blocks with every kind of
// fault, a drift stretch and short drift windows); one admits frame by
// frame, the other takes clean blocks at once. Their reports, accepted
// stream times and statistics stay identical throughout.
TEST(SessionFaults, ClockBlockAdmissionEqualsFrameByFrame) {
  struct Rep {
    int kind;
    double t, v;
    bool operator==(const Rep& o) const {
      return kind == o.kind && std::memcmp(&t, &o.t, sizeof t) == 0 && std::memcmp(&v, &o.v, sizeof v) == 0;
    }
  };
  std::uint64_t rng = 12345;
  auto next = [&rng] {
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint32_t>(rng >> 33);
  };
  std::vector<double> t;
  double now = 5.0;
  for (int i = 0; i < 200000; ++i) {
    const std::uint32_t r = next() % 4000;
    double step = (i > 60000 && i < 120000) ? 0.000515 : 0.0005;  // 3 % slow: drift
    if (r == 0) step = 0.004;                                       // gap
    t.push_back(r == 1 ? (t.empty() ? now : t.back()) : r == 2 ? now - 0.0003 : r == 3 ? NAN : now);
    if (r == 4) for (int k = 0; k < 20; ++k) t.push_back(now - 50.0 + k * 0.0005);  // clock reset
    if (r == 5) t.push_back(now + 1e13);  // a wild stamp: a bad_timestamp on both paths
    now += step;
  }
  soleus::ClockSettings cs;
  cs.drift_window_s = 2.0;
  soleus::StreamClock a, b;
  a.init(cs);
  b.init(cs);
  std::vector<Rep> ra, rb;
  std::vector<double> ta, tb;
  double out[64];
  std::size_t i = 0, fast = 0;
  while (i < t.size()) {
    const std::size_t k = std::min<std::size_t>(1 + next() % 64, t.size() - i);
    for (std::size_t j = 0; j < k; ++j) {
      double x = 0.0;
      if (a.admit(t[i + j], x, [&](FaultKind f, double tf, double v) { ra.push_back({static_cast<int>(f), tf, v}); }))
        ta.push_back(x);
    }
    if (b.clean_block(&t[i], k, out)) {
      b.accept_clean(k, out[k - 1]);
      tb.insert(tb.end(), out, out + k);
      ++fast;
    } else {
      for (std::size_t j = 0; j < k; ++j) {
        double x = 0.0;
        if (b.admit(t[i + j], x, [&](FaultKind f, double tf, double v) { rb.push_back({static_cast<int>(f), tf, v}); }))
          tb.push_back(x);
      }
    }
    i += k;
    ASSERT_EQ(ra.size(), rb.size()) << "at frame " << i;
    ASSERT_EQ(ta.size(), tb.size()) << "at frame " << i;
  }
  EXPECT_GT(fast, 1000u);  // the fast path was taken
  EXPECT_TRUE(ra == rb);
  EXPECT_EQ(std::memcmp(ta.data(), tb.data(), ta.size() * sizeof(double)), 0);
  const soleus::StreamStats &sa = a.stats(), &sb = b.stats();
  EXPECT_EQ(sa.accepted, sb.accepted);
  EXPECT_EQ(sa.gaps, sb.gaps);
  EXPECT_EQ(sa.duplicates, sb.duplicates);
  EXPECT_EQ(sa.out_of_order, sb.out_of_order);
  EXPECT_EQ(sa.clock_resets, sb.clock_resets);
  EXPECT_EQ(sa.drift_episodes, sb.drift_episodes);
  EXPECT_EQ(sa.bad_timestamps, sb.bad_timestamps);
  EXPECT_EQ(sa.measured_rate_hz, sb.measured_rate_hz);
  EXPECT_EQ(sa.missing_s, sb.missing_s);
  EXPECT_EQ(sa.last_time_s, sb.last_time_s);
  // Every kind of clock fault occurred.
  EXPECT_GT(sa.gaps, 0u);
  EXPECT_GT(sa.duplicates, 0u);
  EXPECT_GT(sa.out_of_order, 0u);
  EXPECT_GT(sa.clock_resets, 0u);
  EXPECT_GT(sa.drift_episodes, 0u);
  EXPECT_GT(sa.bad_timestamps, 0u);
}

// Issue 12 item 6: one stamp 1e13 s ahead used to be accepted, and every later
// stamp, shifted to continue it, rounded to one double: 10 002 of 40 000
// frames kept. A stamp that cannot resolve the period is dropped as a bad
// time stamp, so the old time line goes on; a huge first stamp likewise.
namespace {
// 40 000 EMG frames at 2 kHz from t = 1 s, frame jump_at stamped `jump` s off.
std::unique_ptr<Sess> run_with_jump(int jump_at, double jump, std::vector<Ev>& ev) {
  const float x = 0.01f;
  auto s = std::make_unique<Sess>();
  soleus::SessionConfig cfg;
  cfg.imu_enabled = false;
  EXPECT_TRUE(s->init(cfg).ok());
  for (int i = 0; i < 40000; ++i) {
    const double t = 1.0 + i * 0.0005;
    s->push_emg(i == jump_at ? t + jump : t, &x);
    if (i % 1000 == 999) session_sim::drain_into(*s, ev);
  }
  session_sim::drain_into(*s, ev);
  return s;
}
}  // namespace

TEST(SessionFaults, WildTimeStampIsOneDroppedFrame) {
  for (const int wild_at : {20000, 0}) {
    for (const double jump : {1e13, -1e13, 1e300}) {
      std::vector<Ev> ev;
      const auto s = run_with_jump(wild_at, jump, ev);
      SCOPED_TRACE(::testing::Message() << "wild stamp at frame " << wild_at << ", jump " << jump);
      EXPECT_EQ(s->emg_stream().accepted, 39999u);
      EXPECT_EQ(s->emg_stream().bad_timestamps, 1u);
      EXPECT_EQ(s->emg_stream().duplicates, 0u);
      EXPECT_EQ(s->emg_stream().out_of_order, 0u);
      EXPECT_NEAR(s->emg_stream().last_time_s, 1.0 + 39999 * 0.0005, 1e-9);
      const std::map<Key, int> got = faults_of(ev);
      EXPECT_EQ(got.at(key(StreamId::emg, FaultKind::bad_timestamp, -1)), 1);
      // Inside the recording the wild frame also leaves a 2-period gap behind.
      EXPECT_EQ(got.size(), wild_at == 0 ? 1u : 2u);
      for (const Ev& e : ev)
        if (e.type == SessionEventType::fault && e.fault.kind == FaultKind::bad_timestamp) {
          EXPECT_EQ(e.fault.value, (wild_at == 0 ? 1.0 : 1.0 + wild_at * 0.0005) + jump);
        }
    }
  }
}

// A forward jump the period can still resolve (1e6 s) is a gap, and the later
// stamps on the old time line are a clock reset after resync_after_samples
// backward stamps: the stream goes on, 15 frames lost (documented behaviour).
TEST(SessionFaults, LargeResolvableJumpResynchronisesAfterResyncSamples) {
  std::vector<Ev> ev;
  const auto s = run_with_jump(20000, 1e6, ev);
  const soleus::SessionConfig cfg;
  EXPECT_EQ(s->emg_stream().accepted, 40000u - (cfg.resync_after_samples - 1));
  EXPECT_EQ(s->emg_stream().clock_resets, 1u);
  EXPECT_EQ(s->emg_stream().duplicates, 0u);
}

#endif
