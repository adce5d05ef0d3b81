// What the per-burst spectra (EmgSettings::spectra, emg/burst_spectra.hpp)
// add to the EMG chain: the full chain (band-pass, 3 mains notches, rectify,
// envelope, %MVC, detector, quality) at 2 kHz on input with 0.5 s bursts every
// second, with spectra off (/0) and on (/1), same run, so the ratio is
// measured. Counters: ns_per_sample (ns per channel-sample, CPU time of block
// calls of 256 frames) and, from a second pass of single-frame calls timed
// one by one, worst_frame_ns (the call that runs the FFTs of every channel at
// a segment boundary) and median_frame_ns.
//
//   build/release/benchmarks/bench_burst_spectra --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <vector>

#include "soleus/emg/processor.hpp"

using namespace soleus::emg;

namespace {

constexpr std::size_t kFrames = 256;
constexpr std::size_t kTotal = 40000;  // 20 s, cycled

std::vector<float> signal(int channels) {
  std::mt19937 rng(1);
  std::normal_distribution<float> g(0.0f, 1.0f);
  std::vector<float> x(kTotal * static_cast<std::size_t>(channels));
  for (std::size_t i = 0; i < kTotal; ++i) {
    const float a = ((i / 1000) % 2) ? 50.0f : 5.0f;  // 0.5 s bursts every second
    for (int c = 0; c < channels; ++c)
      x[i * channels + c] = a * g(rng) + 30.0f * std::sin(2.0f * 3.14159265f * 50.2f * i / 2000.0f + c);
  }
  return x;
}

EmgSettings settings(bool spectra) {
  EmgSettings s;
  s.fs_hz = 2000.0;
  s.conditioner.mains_mode = MainsMode::fixed;
  s.conditioner.mains_hz = 50.0;
  s.conditioner.mains_harmonics = 3;
  s.spectra.enabled = spectra;
  return s;
}

void BM_ChainWithBurstSpectra(benchmark::State& state) {
  const int channels = static_cast<int>(state.range(0));
  const bool spectra = state.range(1) != 0;
  static EmgProcessor<8, 256> p;
  if (!p.init(settings(spectra), channels)) {
    state.SkipWithError("init failed");
    return;
  }
  const std::vector<float> x = signal(channels);
  std::vector<float> env(kFrames * static_cast<std::size_t>(channels));
  std::size_t pos = 0;
  BurstEvent e;
  for (auto _ : state) {
    (void)p.process(x.data() + pos * channels, kFrames, env.data());
    while (p.pop_event(&e)) benchmark::DoNotOptimize(e);
    pos = (pos + kFrames) % (kTotal - kFrames);
  }
  state.counters["ns_per_sample"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kFrames * channels) * 1e-9,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);

  // Single frames, each timed: the median and the worst call.
  if (!p.init(settings(spectra), channels)) return;
  std::vector<double> ns;
  ns.reserve(kTotal);
  float out[8];
  for (std::size_t i = 0; i < kTotal; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    (void)p.process_frame(x.data() + i * channels, out);
    const auto t1 = std::chrono::steady_clock::now();
    while (p.pop_event(&e)) benchmark::DoNotOptimize(e);
    ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
  }
  std::nth_element(ns.begin(), ns.begin() + ns.size() / 2, ns.end());
  state.counters["median_frame_ns"] = ns[ns.size() / 2];
  state.counters["worst_frame_ns"] = *std::max_element(ns.begin(), ns.end());
}

}  // namespace

BENCHMARK(BM_ChainWithBurstSpectra)
    ->ArgNames({"channels", "spectra"})
    ->Args({1, 0})
    ->Args({1, 1})
    ->Args({8, 0})
    ->Args({8, 1});

BENCHMARK_MAIN();
