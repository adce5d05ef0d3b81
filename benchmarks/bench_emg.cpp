// The EMG chain per sample: band-pass (4 sections), mains notches at 50, 100,
// 150 Hz (3 notches) with frequency tracking, rectification, 6 Hz envelope,
// then %MVC + burst detector, then the quality monitor: EmgProcessor::process
// on blocks of 256 frames at 2 kHz, input with 0.5 s bursts every second and
// 50.2 Hz mains. Reported: ns per channel-sample (counter "ns_per_sample",
// CPU time), for 1 and 8 channels.
//
//   build/benchmarks/bench_emg --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "soleus/emg/processor.hpp"

using namespace soleus::emg;

namespace {

constexpr std::size_t kFrames = 256;

std::vector<float> signal(int channels, std::size_t frames) {
  std::mt19937 rng(1);
  std::normal_distribution<float> g(0.0f, 1.0f);
  std::vector<float> x(frames * static_cast<std::size_t>(channels));
  for (std::size_t i = 0; i < frames; ++i) {
    // 0.5 s bursts every second, mains at 50.2 Hz.
    const float a = ((i / 1000) % 2) ? 50.0f : 5.0f;
    for (int c = 0; c < channels; ++c)
      x[i * channels + c] = a * g(rng) + 30.0f * std::sin(2.0f * 3.14159265f * 50.2f * i / 2000.0f + c);
  }
  return x;
}

// range(1): 0 = conditioning only (band-pass, notches, rectify, envelope),
// 1 = + %MVC and burst detector (the chain the issue asks for),
// 2 = + quality monitor (everything EmgProcessor does by default).
template <int MaxChannels>
void BM_EmgChain(benchmark::State& state) {
  const int channels = static_cast<int>(state.range(0));
  const int level = static_cast<int>(state.range(1));
  EmgSettings s;
  s.detect_bursts = level >= 1;
  s.monitor_quality = level >= 2;
  s.fs_hz = 2000.0;
  s.conditioner.mains_mode = MainsMode::fixed;
  s.conditioner.mains_hz = 50.0;
  s.conditioner.mains_harmonics = 3;
  static EmgProcessor<MaxChannels, 256> p;
  if (!p.init(s, channels)) {
    state.SkipWithError("init failed");
    return;
  }
  const std::size_t total = 40000;  // 20 s, cycled
  const std::vector<float> x = signal(channels, total);
  std::vector<float> env(kFrames * static_cast<std::size_t>(channels));
  std::size_t pos = 0;
  BurstEvent e;
  for (auto _ : state) {
    p.process(x.data() + pos * channels, kFrames, env.data());
    while (p.pop_event(&e)) benchmark::DoNotOptimize(e);
    benchmark::DoNotOptimize(env.data());
    pos += kFrames;
    if (pos + kFrames > total) pos = 0;
  }
  const double samples = static_cast<double>(kFrames) * channels;
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * samples));
  // Rate of (samples / 1e9) per second, inverted: nanoseconds per sample.
  state.counters["ns_per_sample"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * samples / 1e9,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

}  // namespace

BENCHMARK_TEMPLATE(BM_EmgChain, 1)->ArgsProduct({{1}, {0, 1, 2}})->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_EmgChain, 8)->ArgsProduct({{8}, {0, 1, 2}})->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
