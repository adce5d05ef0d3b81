// Cost of heel-raise segmentation per angle sample: Segmenter alone and the
// full RepCounter (segmenter + sets + event queue), on synthetic sets at 100
// and 400 Hz. Reported as ns per sample (counter "ns_per_sample"); the
// boundary refinement work done once per phase is amortised in it.
#include <benchmark/benchmark.h>

#include "../tests/cpp/rep_sim.hpp"
#include "soleus/reps/sets.hpp"

namespace {

const rep_sim::Trace& trace_for(double fs) {
  static rep_sim::Trace t100, t400;
  rep_sim::Trace& t = fs < 200 ? t100 : t400;
  if (t.t.empty()) {
    rep_sim::SetSpec ss;
    ss.reps = 40;
    ss.concentric_s = 0.8;
    ss.hold_s = 1.5;
    ss.eccentric_s = 2.5;
    rep_sim::TraceSpec ts;
    ts.fs_hz = fs;
    ts.noise_sd_deg = 0.2;
    ts.drift_dps = 0.01;
    t = rep_sim::make_trace(ts, rep_sim::make_reps(ss, 3));
  }
  return t;
}

void BM_Segmenter(benchmark::State& state) {
  const double fs = static_cast<double>(state.range(0));
  const rep_sim::Trace& tr = trace_for(fs);
  static soleus::reps::Segmenter<4096> seg;
  soleus::reps::SegmenterConfig c;
  c.sample_rate_hz = fs;
  soleus::reps::EventQueue<64> q;
  soleus::reps::Event e;
  for (auto _ : state) {
    seg.init(c);
    for (std::size_t i = 0; i < tr.t.size(); ++i) {
      seg.push(tr.t[i], tr.x[i], q);
      while (q.pop(e)) benchmark::DoNotOptimize(e.t_s);
    }
  }
  const double n = static_cast<double>(tr.t.size());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  // kIsRate | kInvert: seconds per sample, printed with SI prefix (e.g. 45n).
  state.counters["ns_per_sample"] = benchmark::Counter(
      n * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_RepCounter(benchmark::State& state) {
  const double fs = static_cast<double>(state.range(0));
  const rep_sim::Trace& tr = trace_for(fs);
  static soleus::reps::RepCounter<4096, 64, 64> rc;
  soleus::reps::SegmenterConfig c;
  c.sample_rate_hz = fs;
  soleus::reps::Event e;
  for (auto _ : state) {
    rc.init(c, soleus::reps::SetConfig{});
    for (std::size_t i = 0; i < tr.t.size(); ++i) {
      rc.push(tr.t[i], tr.x[i]);
      while (rc.pop(e)) benchmark::DoNotOptimize(e.t_s);
    }
  }
  const double n = static_cast<double>(tr.t.size());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["ns_per_sample"] = benchmark::Counter(
      n * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

}  // namespace

BENCHMARK(BM_Segmenter)->Arg(100)->Arg(400)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RepCounter)->Arg(100)->Arg(400)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
