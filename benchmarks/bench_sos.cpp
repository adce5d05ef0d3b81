// ns per channel-sample of the 4-section EMG band-pass (20-450 Hz at 2 kHz),
// float, for 1-16 channels: block and per-frame calls, against a naive scalar
// reference kernel in the same binary so ratios come from one run. Also the
// cost of silence after a signal (subnormals) with and without the FTZ guard.
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <vector>

#include "soleus/dsp/sos_filter.hpp"

using namespace soleus;
using namespace soleus::dsp;

namespace {

constexpr std::size_t kFrames = 4096;

SosList bandpass() { return butter(4, 20, 450, BandType::bandpass, 2000).value; }

std::vector<float> noise(std::size_t n) {
  std::mt19937 rng(1);
  std::normal_distribution<float> d(0, 1);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

// The textbook kernel: one channel at a time, state in member arrays, the
// recurrence as written in most papers, one out-of-line call per sample.
struct NaiveSos {
  double c[8][6];
  float s[8][2] = {};
  int n = 0;
  explicit NaiveSos(const SosList& sos) : n(sos.size()) {
    for (int i = 0; i < n; ++i) {
      c[i][0] = sos[i].b0; c[i][1] = sos[i].b1; c[i][2] = sos[i].b2;
      c[i][4] = sos[i].a1; c[i][5] = sos[i].a2;
    }
  }
  __attribute__((noinline)) float step(float x) {
    for (int i = 0; i < n; ++i) {
      const float b0 = float(c[i][0]), b1 = float(c[i][1]), b2 = float(c[i][2]);
      const float a1 = float(c[i][4]), a2 = float(c[i][5]);
      const float y = b0 * x + s[i][0];
      s[i][0] = b1 * x - a1 * y + s[i][1];
      s[i][1] = b2 * x - a2 * y;
      x = y;
    }
    return x;
  }
};

void set_counters(benchmark::State& state, std::size_t frames, int channels) {
  const double cs = static_cast<double>(frames) * channels * state.iterations();
  state.counters["ns_per_channel_sample"] =
      benchmark::Counter(cs, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["ns_per_frame"] = benchmark::Counter(
      static_cast<double>(frames) * state.iterations(),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_Bandpass4_Block(benchmark::State& state) {
  const int ch = static_cast<int>(state.range(0));
  auto f = std::make_unique<MultiChannelSos<float, 16>>();
  f->init(bandpass(), ch);
  auto x = noise(kFrames * ch);
  std::vector<float> y(x.size());
  for (auto _ : state) {
    f->process(x.data(), y.data(), kFrames);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, kFrames, ch);
}

void BM_Bandpass4_PerFrame(benchmark::State& state) {
  const int ch = static_cast<int>(state.range(0));
  auto f = std::make_unique<MultiChannelSos<float, 16>>();
  f->init(bandpass(), ch);
  auto x = noise(kFrames * ch);
  std::vector<float> y(x.size());
  ScopedFlushDenormals guard;  // the per-frame caller holds one guard around its loop
  for (auto _ : state) {
    for (std::size_t i = 0; i < kFrames; ++i) f->process_frame(&x[i * ch], &y[i * ch]);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, kFrames, ch);
}

void BM_Bandpass4_NaiveScalar(benchmark::State& state) {
  const int ch = static_cast<int>(state.range(0));
  std::vector<NaiveSos> f(static_cast<std::size_t>(ch), NaiveSos(bandpass()));
  auto x = noise(kFrames * ch);
  std::vector<float> y(x.size());
  for (auto _ : state) {
    for (std::size_t i = 0; i < kFrames; ++i)
      for (int c = 0; c < ch; ++c) y[i * ch + c] = f[c].step(x[i * ch + c]);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, kFrames, ch);
}

// Silence after a signal: the state decays into subnormals. arg 1 = block call
// (FTZ guard inside), arg 0 = per-frame calls with no guard held, where the
// cascade's own flush (SosCascade::flush_subnormal_state, every 64 frames: SubnormalFlushClock)
// must take the state out of the subnormal range (before it, the state stayed
// in the limit cycle and every multiply-add took a microcode assist).
void BM_SilenceAfterSignal(benchmark::State& state) {
  const bool guarded = state.range(0) != 0;
  auto f = std::make_unique<SosCascade<float>>();
  f->set_sos(bandpass());
  std::vector<float> zeros(kFrames, 0.0f), y(kFrames);
  // One impulse, then enough zeros (no guard held) for the state to fall into
  // the subnormal range (from the 60th frame) and, with the software flush,
  // out of it to zero (all states zero after ~3 700 frames).
  f->process(1.0f);
  for (int i = 0; i < 40000; ++i) benchmark::DoNotOptimize(f->process(0.0f));
  for (auto _ : state) {
    if (guarded) {
      f->process(zeros.data(), y.data(), kFrames);
    } else {
      for (std::size_t i = 0; i < kFrames; ++i) y[i] = f->process(zeros[i]);
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, kFrames, 1);
}

}  // namespace

BENCHMARK(BM_Bandpass4_Block)->Arg(1)->Arg(2)->Arg(4)->Arg(8)->Arg(16);
BENCHMARK(BM_Bandpass4_PerFrame)->Arg(1)->Arg(2)->Arg(4)->Arg(8)->Arg(16);
BENCHMARK(BM_Bandpass4_NaiveScalar)->Arg(1)->Arg(8);
BENCHMARK(BM_SilenceAfterSignal)->Arg(1)->Arg(0);

BENCHMARK_MAIN();
