// Cost per IMU sample of the whole heel-raise chain (reps::ImuRepCounter):
// orientation filter + sagittal-axis finding + plantar-flexion angle +
// repetition segmentation and sets, streamed over simulated sessions (foot
// and seated shank, 100 and 200 Hz, 3 sets of 10 reps), events drained as an
// app would. Budget: <= 100 ns per sample (counter per_sample, medians of
// --benchmark_repetitions). The counter is constructed outside the timed loop
// (it is large: the segmenter history and the pre-lock ring) and re-initialised
// per pass, which is part of the measured time.
#if !__has_include(<Eigen/Core>)
#include <benchmark/benchmark.h>
BENCHMARK_MAIN();  // Eigen3 not found: the imu layer is not built
#else
#include <benchmark/benchmark.h>

#include "heel_raise_chain_data.hpp"

namespace {

using soleus_bench::HeelRaiseChain;
using soleus_bench::HeelRaiseData;

const HeelRaiseData& data(int which) {
  static const HeelRaiseData d[4] = {soleus_bench::make_heel_raise_data(0), soleus_bench::make_heel_raise_data(1),
                                     soleus_bench::make_heel_raise_data(2), soleus_bench::make_heel_raise_data(3)};
  return d[which];
}

void BM_HeelRaiseChain(benchmark::State& state) {
  const int which = static_cast<int>(state.range(0));
  const HeelRaiseData& d = data(which);
  static HeelRaiseChain ch;
  int reps = 0;
  for (auto _ : state) {
    reps = soleus_bench::stream_heel_raise_chain(ch, d);
    benchmark::DoNotOptimize(reps);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.n));
  state.counters["per_sample"] = benchmark::Counter(
      static_cast<double>(d.n), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["reps"] = reps;
  state.SetLabel(soleus_bench::heel_raise_session_name(which));
}
BENCHMARK(BM_HeelRaiseChain)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
#endif
