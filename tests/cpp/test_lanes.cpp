// The lane layer (core/lanes.hpp) and the fast paths written on it.
// 1. Every lane operation against its scalar definition (the C operators and
//    conversions), bit for bit, on values that separate the candidate
//    semantics: signed zeros, NaN, infinities, ties, FLT_MAX, subnormals.
// 2. The domain fast paths against their scalar bodies in the same build:
//    EmgProcessor with 8 channels in an 8-channel processor (onset and
//    quality run their 8-/4-lane kernels) against 8 channels in a 16-channel
//    processor (the channel count is not a compile-time constant there, so
//    the scalar bodies run); ImuRepCounter's EMG accumulation with
//    MaxEmgChannels = 8 (lanes) against 16 (the per-channel loop). Every
//    output byte must agree.
// The same file is compiled a second time with SOLEUS_LANES_GENERIC=1
// (test_lanes_generic, tests/CMakeLists.txt): the layer's portable array
// implementation then answers part 1, and part 2 runs the scalar bodies on
// both sides, as on a target without wide lanes (ARM, baseline x86-64).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "soleus/core/lanes.hpp"
#include "soleus/emg/processor.hpp"
#include "soleus/reps/imu_reps.hpp"
#include "soleus/sim/heel_raise.hpp"

namespace {

using soleus::LaneMask;
using soleus::Lanes;

template <typename T>
std::vector<T> edge_values() {
  const T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
  return {T(0),  T(-0.0), T(1),   T(-1),  T(2.5), T(2.5), nan, inf, -inf, std::numeric_limits<T>::max(),
          -std::numeric_limits<T>::max(), std::numeric_limits<T>::denorm_min(), T(-3.75), T(1e-3), T(7), T(-0.0)};
}

template <typename T>
bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

// Every (a, b) pair of edge values through the N lanes (pairs rotated so each
// lane sees every combination).
template <typename T, int N>
void check_ops() {
  const std::vector<T> v = edge_values<T>();
  const int n = static_cast<int>(v.size());
  for (int shift = 0; shift < n; ++shift) {
    for (int base = 0; base < n; base += N) {
      T a[N], b[N];
      for (int i = 0; i < N; ++i) {
        a[i] = v[(base + i) % n];
        b[i] = v[(base + i + shift) % n];
      }
      const Lanes<T, N> la = Lanes<T, N>::load(a), lb = Lanes<T, N>::load(b);
      T mn[N], mx[N], sel[N], neg[N], pos[N];
      soleus::lane_min(la, lb).store(mn);
      soleus::lane_max(la, lb).store(mx);
      const LaneMask<T, N> gt = soleus::lane_gt(la, lb), ge = soleus::lane_ge(la, lb), le = soleus::lane_le(la, lb),
                           ne = soleus::lane_ne(la, lb);
      // Each comparison read back through select (true lanes take a).
      auto truth = [&](LaneMask<T, N> m, int i) {
        T out[N];
        soleus::lane_select(m, la, Lanes<T, N>::broadcast(T(42))).store(out);
        return !(out[i] == T(42)) || a[i] == T(42);  // a is never 42
      };
      soleus::lane_select(gt | le, la, lb).store(sel);
      soleus::lane_negate_if(la, true).store(neg);
      soleus::lane_negate_if(la, false).store(pos);
      std::uint32_t count[N];
      soleus::lane_count_where(Lanes<std::uint32_t, N>::broadcast(5u), ge & ne).store(count);
      bool any_gt = false;
      for (int i = 0; i < N; ++i) {
        SCOPED_TRACE(::testing::Message() << "a=" << a[i] << " b=" << b[i]);
        EXPECT_TRUE(same_bits(mn[i], a[i] < b[i] ? a[i] : b[i]));
        EXPECT_TRUE(same_bits(mx[i], a[i] > b[i] ? a[i] : b[i]));
        EXPECT_EQ(truth(gt, i), a[i] > b[i]);
        EXPECT_EQ(truth(ge, i), a[i] >= b[i]);
        EXPECT_EQ(truth(le, i), a[i] <= b[i]);
        EXPECT_EQ(truth(ne, i), a[i] != b[i]);
        EXPECT_TRUE(same_bits(sel[i], (a[i] > b[i] || a[i] <= b[i]) ? a[i] : b[i]));
        EXPECT_EQ(std::signbit(neg[i]), !std::signbit(a[i]));
        EXPECT_TRUE(same_bits(pos[i], a[i]));
        EXPECT_EQ(count[i], 5u + ((a[i] >= b[i] && a[i] != b[i]) ? 1u : 0u));
        any_gt = any_gt || a[i] > b[i];
      }
      EXPECT_EQ(soleus::lane_any(gt), any_gt);
    }
  }
}

TEST(Lanes, Float8OperationsAreTheScalarOnes) { check_ops<float, 8>(); }
TEST(Lanes, Float4OperationsAreTheScalarOnes) { check_ops<float, 4>(); }
TEST(Lanes, Double4OperationsAreTheScalarOnes) { check_ops<double, 4>(); }

TEST(Lanes, ConversionsAndConstructionAreTheScalarOnes) {
  const std::vector<double> v = {0.0, -0.0, 1.0 / 3.0, -1e-40, 1e39, -1e39, 3.4028235677973366e38,
                                 std::numeric_limits<double>::quiet_NaN(), 1.0000000596046448 /* float tie */};
  for (std::size_t i = 0; i + 4 <= v.size(); ++i) {
    const Lanes<double, 4> d = soleus::lanes_of(v[i], v[i + 1], v[i + 2], v[i + 3]);
    float f[4];
    soleus::lane_to_float(d).store(f);
    double back[4];
    soleus::lane_to_double(soleus::lanes_of(f[0], f[1], f[2], f[3])).store(back);
    for (int k = 0; k < 4; ++k) {
      const float want = static_cast<float>(v[i + k]);
      EXPECT_TRUE(same_bits(f[k], want)) << v[i + k];
      EXPECT_TRUE(same_bits(back[k], static_cast<double>(want))) << v[i + k];
    }
  }
}

// flush_subnormal: subnormals become a zero of their sign (what flush-to-zero
// does to a result); normal numbers (down to the smallest), zeros, infinities
// and NaN keep their bits. Expected values from the IEEE 754 classes
// (std::fpclassify), not from the code under test.
template <typename T, int N>
void check_flush_subnormal() {
  using lim = std::numeric_limits<T>;
  const std::vector<T> v = {lim::denorm_min(), -lim::denorm_min(), lim::min() / T(3), -lim::min() / T(2),
                            lim::min(), -lim::min(), T(0), -T(0), T(1), -T(1e-30), lim::infinity(),
                            -lim::infinity(), lim::quiet_NaN(), lim::max(), T(0.5) * lim::min(), T(7)};
  for (std::size_t i = 0; i + N <= v.size(); ++i) {
    T out[N];
    soleus::flush_subnormal(Lanes<T, N>::load(&v[i])).store(out);
    for (int k = 0; k < N; ++k) {
      const T x = v[i + static_cast<std::size_t>(k)];
      const T want = std::fpclassify(x) == FP_SUBNORMAL ? std::copysign(T(0), x) : x;
      EXPECT_TRUE(same_bits(out[k], want)) << x;
      EXPECT_TRUE(same_bits(soleus::flush_subnormal(x), want)) << x;
    }
  }
}
TEST(Lanes, FlushSubnormalZeroesOnlySubnormalsKeepingTheSign) {
  check_flush_subnormal<float, 8>();
  check_flush_subnormal<float, 4>();
  check_flush_subnormal<double, 4>();
  check_flush_subnormal<double, 2>();
}

// ---------------------------------------------------------------- EMG chain
// Bursts on a noise floor with mains, a saturated stretch and a NaN: onset
// (both detection signals), quality and the envelope all see work.
std::vector<float> emg_signal(int channels, std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.f, 1.f);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  std::vector<float> x(n * static_cast<std::size_t>(channels));
  std::vector<float> amp(static_cast<std::size_t>(channels), 5.f);
  std::vector<std::size_t> until(static_cast<std::size_t>(channels), 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (int c = 0; c < channels; ++c) {
      const auto k = static_cast<std::size_t>(c);
      if (i >= until[k]) {
        const bool on = amp[k] < 6.f;
        amp[k] = on ? 10.f + 60.f * u(rng) : 5.f;
        until[k] = i + static_cast<std::size_t>((on ? 300 : 400) + 2500 * u(rng));
      }
      float v = amp[k] * g(rng) + 30.f * std::sin(2.f * 3.14159265f * 50.3f * static_cast<float>(i) / 2000.f +
                                                   static_cast<float>(c));
      if (c == 1 && i > 30000 && i < 30300) v = 1e5f;
      if (c == 0 && i == 21234) v = NAN;
      x[i * static_cast<std::size_t>(channels) + k] = v;
    }
  }
  return x;
}

struct EmgRun {
  std::vector<float> env, act, cnd;
  std::vector<soleus::emg::BurstEvent> events;
  std::vector<soleus::emg::ChannelQuality> quality;
  std::vector<soleus::StatusCode> status;  // of each process() call
};

template <int MaxChannels>
EmgRun run_emg(const std::vector<float>& x, int channels, bool teager, std::size_t chunk) {
  soleus::emg::EmgSettings s;
  s.fs_hz = 2000.0;
  s.quality.adc_max = 5e4;
  s.quality.adc_min = -5e4;
  if (teager) s.onset.signal = soleus::emg::DetectionSignal::teager_kaiser;
  static soleus::emg::EmgProcessor<MaxChannels, 4096> p;
  EXPECT_TRUE(p.init(s, channels).ok());
  const std::size_t n = x.size() / static_cast<std::size_t>(channels);
  const std::size_t C = static_cast<std::size_t>(channels);
  EmgRun r;
  r.env.resize(x.size());
  r.act.resize(x.size());
  r.cnd.resize(x.size());
  for (std::size_t pos = 0; pos < n; pos += chunk) {
    const std::size_t m = n - pos < chunk ? n - pos : chunk;
    // Not ok() for the chunk holding the NaN (reported, replaced): both sides alike.
    r.status.push_back(p.process(x.data() + pos * C, m, r.env.data() + pos * C, r.act.data() + pos * C,
                                 r.cnd.data() + pos * C)
                           .code);
    soleus::emg::BurstEvent e;
    while (p.pop_event(&e)) r.events.push_back(e);
  }
  for (int c = 0; c < channels; ++c) r.quality.push_back(p.quality(c));
  return r;
}

TEST(LaneFastPaths, EmgOnsetAndQualityKernelsEqualTheScalarBodies) {
  constexpr int kChannels = 8;
  const std::vector<float> x = emg_signal(kChannels, 60000, 11);
  for (const bool teager : {false, true}) {
    for (const std::size_t chunk : {std::size_t{60000}, std::size_t{173}}) {
      SCOPED_TRACE(::testing::Message() << "teager=" << teager << " chunk=" << chunk);
      const EmgRun lanes = run_emg<8>(x, kChannels, teager, chunk);   // NC = 8: lane kernels
      const EmgRun scalar = run_emg<16>(x, kChannels, teager, chunk);  // NC = 0: scalar bodies
      ASSERT_EQ(0, std::memcmp(lanes.env.data(), scalar.env.data(), x.size() * sizeof(float)));
      ASSERT_EQ(0, std::memcmp(lanes.act.data(), scalar.act.data(), x.size() * sizeof(float)));
      ASSERT_EQ(0, std::memcmp(lanes.cnd.data(), scalar.cnd.data(), x.size() * sizeof(float)));
      // Bursts on every channel: the onset detector's fast runs and its
      // change-point search both ran.
      ASSERT_GE(lanes.events.size(), 8u * kChannels);
      ASSERT_EQ(lanes.events.size(), scalar.events.size());
      EXPECT_TRUE(lanes.status == scalar.status);
      for (std::size_t i = 0; i < lanes.events.size(); ++i) {
        const auto &a = lanes.events[i], &b = scalar.events[i];
        EXPECT_EQ(a.edge, b.edge);
        EXPECT_EQ(a.channel, b.channel);
        EXPECT_TRUE(same_bits(a.time_s, b.time_s)) << i;
        EXPECT_TRUE(same_bits(a.detected_at_s, b.detected_at_s)) << i;
        EXPECT_TRUE(same_bits(a.duration_s, b.duration_s)) << i;
        EXPECT_TRUE(same_bits(a.peak_pct_mvc, b.peak_pct_mvc)) << i;
        EXPECT_TRUE(same_bits(a.mean_pct_mvc, b.mean_pct_mvc)) << i;
      }
      for (int c = 0; c < kChannels; ++c) {
        const auto &a = lanes.quality[static_cast<std::size_t>(c)], &b = scalar.quality[static_cast<std::size_t>(c)];
        EXPECT_EQ(a.saturated, b.saturated);
        EXPECT_EQ(a.flat, b.flat);
        EXPECT_EQ(a.nonfinite, b.nonfinite);
        EXPECT_TRUE(same_bits(a.mains_ratio, b.mains_ratio));
        EXPECT_TRUE(same_bits(a.motion_ratio, b.motion_ratio));
        EXPECT_TRUE(same_bits(a.snr_db, b.snr_db));
      }
    }
  }
}

// ---------------------------------------------------------------- IMU reps
template <int MaxEmg>
using Counter = soleus::reps::ImuRepCounter<2048, 64, 64, 2048, MaxEmg>;

template <int MaxEmg>
std::vector<typename Counter<MaxEmg>::OutEvent> run_reps(const soleus::sim::HeelRaiseSession& s, double fs_hz,
                                                         int channels) {
  static Counter<MaxEmg> chain;
  soleus::reps::ImuRepConfig rc;
  rc.segmenter.sample_rate_hz = fs_hz;
  rc.placement = soleus::reps::ImuPlacement::foot;
  rc.emg_channels = channels;
  EXPECT_TRUE(chain.init(rc).ok());
  std::mt19937 rng(5);
  std::normal_distribution<float> g(0.f, 1.f);
  std::vector<typename Counter<MaxEmg>::OutEvent> out;
  auto collect = [&] {
    typename Counter<MaxEmg>::OutEvent ev;
    while (chain.pop(ev)) out.push_back(ev);
  };
  const int per_imu = 10;  // EMG samples per IMU sample
  std::uint64_t k = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    for (int j = 0; j < per_imu; ++j, ++k) {
      // The same random values for the channels in use on both sides.
      float pct[MaxEmg] = {}, cond[MaxEmg] = {};
      for (int c = 0; c < channels; ++c) {
        pct[c] = 20.f + 10.f * g(rng);
        cond[c] = 0.1f * g(rng);
      }
      // Non-finite and signed-zero values: skipped, resp. counted.
      if (k % 97 == 3) pct[k % 8] = NAN;
      if (k % 131 == 5) cond[(k + 3) % 8] = std::numeric_limits<float>::infinity();
      if (k % 89 == 7) cond[(k + 1) % 8] = -0.0f;
      const double t = s.t_s[i] - 0.01 + 0.001 * j;
      if (t > 0.0) (void)chain.push_emg(t, pct, cond);
    }
    (void)chain.push(s.t_s[i], s.acc_mps2[i].data(), s.gyro_dps[i].data());
    collect();
  }
  (void)chain.finish();
  collect();
  return out;
}

TEST(LaneFastPaths, ImuRepEmgAccumulationEqualsThePerChannelLoop) {
  soleus::sim::HeelRaiseConfig c;
  c.sample_rate_hz = 100.0;
  c.n_sets = 1;
  c.reps_per_set = 6;
  const auto s = soleus::sim::generate_heel_raise_session(c, 3);
  const auto lanes = run_reps<8>(s, c.sample_rate_hz, 8);    // all channels in use: accumulate_lanes
  const auto scalar = run_reps<16>(s, c.sample_rate_hz, 8);  // 8 of 16: push_emg's own loop
  ASSERT_EQ(lanes.size(), scalar.size());
  int reps = 0;
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    ASSERT_EQ(lanes[i].event.type, scalar[i].event.type);
    if (lanes[i].event.type != soleus::reps::EventType::rep_completed) continue;
    ++reps;
    const auto& a = lanes[i].emg;
    const auto& b = scalar[i].emg;
    ASSERT_TRUE(a.complete);
    for (int ch = 0; ch < 8; ++ch) {
      for (int ph = 0; ph < 4; ++ph) {
        EXPECT_TRUE(same_bits(a.mean_pct_mvc[ch][ph], b.mean_pct_mvc[ch][ph])) << ch << " " << ph;
        EXPECT_TRUE(same_bits(a.rms_mv[ch][ph], b.rms_mv[ch][ph])) << ch << " " << ph;
        EXPECT_TRUE(same_bits(a.iemg_mv_s[ch][ph], b.iemg_mv_s[ch][ph])) << ch << " " << ph;
      }
    }
  }
  EXPECT_EQ(reps, 6);
}

}  // namespace
