// Cost of the full Session per EMG frame: 8 EMG channels at 2 kHz + one IMU
// at 200 Hz (simulated heel-raise sets with calf bursts), everything on:
// time-stamp checks, EMG chain (band-pass, mains detection, envelope, %MVC,
// bursts, quality), IMU chain (orientation, axis, angle, reps, sets, per-phase
// EMG statistics), activity, event queue (drained as we go).
//
// Counters: ns_per_emg_frame (whole stream, IMU included, amortised over the
// EMG frames); for the per-call benchmarks also median_ns and worst_ns of
// single calls (timed one by one with the steady clock, its own overhead
// subtracted), so a firmware author sees the spread, not only the mean.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

#include "../tests/cpp/session_sim.hpp"

namespace {

using Sess = soleus::Session<8, 256>;

const session_sim::Input& input() { return session_sim::benchmark_input(); }

Sess& session() {
  static std::unique_ptr<Sess> s = std::make_unique<Sess>();
  return *s;
}

void init(Sess& s) {
  const soleus::Status st = s.init(session_sim::config_for(input()));
  if (!st.ok()) std::abort();
}

// Feeds the input with EMG blocks of `block` frames (1 = per-frame calls);
// times every EMG call when `per_call` is given (ns per frame of that call).
void run(Sess& s, std::size_t block, std::vector<double>* per_call, double clock_overhead_ns) {
  const session_sim::Input& in = input();
  const std::size_t C = 8, n = in.emg_t.size(), m = in.imu_t.size();
  std::size_t i = 0, j = 0;
  Sess::Event e;
  while (i < n) {
    while (j < m && in.imu_t[j] <= in.emg_t[i]) {
      s.push_imu(in.imu_t[j], &in.acc[3 * j], &in.gyro[3 * j]);
      ++j;
    }
    std::size_t k = std::min(block, n - i);
    if (per_call) {
      const auto t0 = std::chrono::steady_clock::now();
      s.push_emg_block(&in.emg_t[i], &in.emg[i * C], k);
      const auto t1 = std::chrono::steady_clock::now();
      const double ns = std::chrono::duration<double, std::nano>(t1 - t0).count() - clock_overhead_ns;
      per_call->push_back(ns / static_cast<double>(k));
    } else {
      s.push_emg_block(&in.emg_t[i], &in.emg[i * C], k);
    }
    i += k;
    while (s.poll(e)) benchmark::DoNotOptimize(e.t_s);
  }
}

double clock_overhead_ns() {
  std::vector<double> v;
  for (int r = 0; r < 10000; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto t1 = std::chrono::steady_clock::now();
    v.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
  }
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

// Whole stream; Arg = EMG frames per push_emg_block call.
void BM_Session(benchmark::State& state) {
  const std::size_t block = static_cast<std::size_t>(state.range(0));
  Sess& s = session();
  for (auto _ : state) {
    state.PauseTiming();
    init(s);
    state.ResumeTiming();
    run(s, block, nullptr, 0.0);
  }
  const double n = static_cast<double>(input().emg_t.size());
  state.counters["ns_per_emg_frame"] = benchmark::Counter(
      n * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Single calls timed one by one: median and worst ns per EMG frame.
void BM_SessionPerCall(benchmark::State& state) {
  const std::size_t block = static_cast<std::size_t>(state.range(0));
  Sess& s = session();
  const double oh = clock_overhead_ns();
  std::vector<double> all;
  all.reserve(input().emg_t.size() + 16);
  double median = 0.0, worst = 0.0, p99 = 0.0;
  for (auto _ : state) {
    state.PauseTiming();
    init(s);
    all.clear();
    state.ResumeTiming();
    run(s, block, &all, oh);
    state.PauseTiming();
    std::vector<double> v = all;
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    median = v[v.size() / 2];
    std::nth_element(v.begin(), v.begin() + v.size() * 99 / 100, v.end());
    p99 = v[v.size() * 99 / 100];
    worst = *std::max_element(all.begin(), all.end());
    state.ResumeTiming();
  }
  state.counters["median_ns"] = median;
  state.counters["p99_ns"] = p99;
  state.counters["worst_ns"] = worst;
  state.counters["clock_overhead_ns"] = oh;
}

// The split: the EMG chain alone (EmgProcessor, same input, blocks of 64),
// and the Session without its IMU (Arg 0) for the Session's own overhead.
void BM_EmgChainOnly(benchmark::State& state) {
  static soleus::emg::EmgProcessor<8, 64> p;
  static float env[64 * 8], act[64 * 8], cond[64 * 8];
  const session_sim::Input& in = input();
  soleus::emg::BurstEvent b;
  for (auto _ : state) {
    state.PauseTiming();
    (void)p.init(soleus::emg::EmgSettings{}, 8);
    state.ResumeTiming();
    for (std::size_t i = 0; i + 64 <= in.emg_t.size(); i += 64) {
      p.process(&in.emg[i * 8], 64, env, act, cond);
      while (p.pop_event(&b)) benchmark::DoNotOptimize(b.time_s);
    }
  }
  const double n = static_cast<double>(in.emg_t.size() / 64 * 64);
  state.counters["ns_per_emg_frame"] = benchmark::Counter(
      n * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_SessionEmgOnly(benchmark::State& state) {
  Sess& s = session();
  const session_sim::Input& in = input();
  soleus::SessionConfig c = session_sim::config_for(in);
  c.imu_enabled = false;
  Sess::Event e;
  for (auto _ : state) {
    state.PauseTiming();
    (void)s.init(c);
    state.ResumeTiming();
    for (std::size_t i = 0; i + 64 <= in.emg_t.size(); i += 64) {
      s.push_emg_block(&in.emg_t[i], &in.emg[i * 8], 64);
      while (s.poll(e)) benchmark::DoNotOptimize(e.t_s);
    }
  }
  const double n = static_cast<double>(in.emg_t.size() / 64 * 64);
  state.counters["ns_per_emg_frame"] = benchmark::Counter(
      n * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

}  // namespace

BENCHMARK(BM_EmgChainOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SessionEmgOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Session)->Arg(1)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SessionPerCall)->Arg(1)->Arg(64)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_MAIN();
