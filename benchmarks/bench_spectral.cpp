// Cost of the streaming spectral tracker (default config: 2 kHz, 0.25 s
// segments, 0.5 s window, frame every 0.125 s): amortised per sample, the
// single worst push (the one that runs the FFT and the band statistics), and
// the FFT and band statistics alone, for both FFT backends.
#include <benchmark/benchmark.h>

#include <chrono>
#include <complex>
#include <vector>

#include "soleus/dsp/spectral.hpp"
#include "soleus/sim/emg.hpp"

namespace {

using namespace soleus::dsp;

const std::vector<float>& input() {
  static const std::vector<float> x = [] {
    soleus::sim::EmgSimConfig c;
    c.duration_s = 4.0;
    c.seed = 1;
    const auto s = soleus::sim::generate_emg(c);
    return std::vector<float>(s.emg_mv.begin(), s.emg_mv.end());
  }();
  return x;
}

template <typename Fft>
void BM_TrackerPerSample(benchmark::State& state) {
  const auto& x = input();
  SpectralTracker<float, 1024, 8, Fft> tr;
  if (!tr.init({}).ok()) {
    state.SkipWithError("init failed");
    return;
  }
  double sink = 0;
  for (auto _ : state) {
    for (float v : x) {
      if (tr.push(v)) sink += tr.frame().median_hz;
    }
    benchmark::DoNotOptimize(sink);
  }
  state.SetItemsProcessed(static_cast<long long>(state.iterations()) * static_cast<long long>(x.size()));
  // Seconds per sample (printed with an SI prefix, e.g. 9.5n = 9.5 ns).
  state.counters["time_per_sample"] = benchmark::Counter(
      static_cast<double>(x.size()), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Times only the push that completes a segment (FFT + window average + band
// statistics): the latency a real-time caller must budget for once per hop.
template <typename Fft>
void BM_TrackerWorstCall(benchmark::State& state) {
  const auto& x = input();
  SpectralTracker<float, 1024, 8, Fft> tr;
  if (!tr.init({}).ok()) {
    state.SkipWithError("init failed");
    return;
  }
  std::size_t i = 0;
  // Fill the first window so every timed call emits a frame.
  while (!tr.push(x[i++])) {
  }
  const int hop = tr.hop_samples();
  for (auto _ : state) {
    for (int k = 0; k < hop - 1; ++k) {
      benchmark::DoNotOptimize(tr.push(x[i]));
      if (++i == x.size()) i = 0;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const bool emitted = tr.push(x[i]);
    const auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(emitted);
    if (++i == x.size()) i = 0;
    state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
  }
}

template <typename Fft>
void BM_Fft512(benchmark::State& state) {
  Fft fft;
  if (!fft.init(512).ok()) {
    state.SkipWithError("init failed");
    return;
  }
  std::vector<std::complex<float>> out(257);
  const float* in = input().data();
  for (auto _ : state) {
    fft.forward(in, out.data());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
}

void BM_BandStats257(benchmark::State& state) {
  std::vector<float> psd(257);
  for (int k = 0; k < 257; ++k) psd[k] = 1.0f / (1.0f + (k - 25) * (k - 25) / 400.0f);
  for (auto _ : state) {
    auto r = band_stats(psd.data(), 257, 2000.0 / 512);
    benchmark::DoNotOptimize(r);
  }
}

}  // namespace

BENCHMARK_TEMPLATE(BM_TrackerPerSample, BuiltinRfft<float, 1024>);
BENCHMARK_TEMPLATE(BM_TrackerWorstCall, BuiltinRfft<float, 1024>)->UseManualTime();
BENCHMARK_TEMPLATE(BM_Fft512, BuiltinRfft<float, 1024>);
#if defined(SOLEUS_HAVE_FFTW)
BENCHMARK_TEMPLATE(BM_TrackerPerSample, FftwRfft<float, 1024>);
BENCHMARK_TEMPLATE(BM_TrackerWorstCall, FftwRfft<float, 1024>)->UseManualTime();
BENCHMARK_TEMPLATE(BM_Fft512, FftwRfft<float, 1024>);
#endif
BENCHMARK(BM_BandStats257);

BENCHMARK_MAIN();
