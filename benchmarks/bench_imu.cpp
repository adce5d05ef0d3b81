// Cost per IMU sample of the imu layer: orientation filter alone, and the full
// plantar-flexion chain (orientation + sagittal-axis finder + angle), streamed
// over a simulated heel-raise session. Counter per_sample (s) is the figure to
// compare with the budget (<= 100 ns/sample including the segmenter; the
// activity layer alone <= 30 ns/sample).
#if !__has_include(<Eigen/Core>)
#include <benchmark/benchmark.h>
BENCHMARK_MAIN();  // Eigen3 not found: the imu layer is not built
#else
#include <benchmark/benchmark.h>

#include <vector>

#include "soleus/imu/activity.hpp"
#include "soleus/imu/plantarflexion.hpp"
#include "soleus/sim/heel_raise.hpp"

#include "heel_raise_chain_data.hpp"

namespace {

using Data = soleus_bench::ImuSamples;

const Data& data() {
  static const Data d = [] {
    soleus::sim::HeelRaiseConfig c;
    c.sample_rate_hz = 200.0;
    c.n_sets = 3;
    c.reps_per_set = 10;
    return soleus_bench::imu_samples(soleus::sim::generate_heel_raise_session(c, 1));
  }();
  return d;
}

void set_counters(benchmark::State& state, std::size_t n) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  // Seconds per sample (printed with an SI prefix, e.g. "35n" = 35 ns).
  state.counters["per_sample"] = benchmark::Counter(
      static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_OrientationFilter(benchmark::State& state) {
  const Data& d = data();
  for (auto _ : state) {
    soleus::imu::OrientationFilter f;
    for (std::size_t i = 0; i < d.n; ++i) f.update(d.t[i], &d.acc[3 * i], &d.gyro[3 * i]);
    benchmark::DoNotOptimize(f.quaternion());
  }
  set_counters(state, d.n);
}
BENCHMARK(BM_OrientationFilter)->Unit(benchmark::kMicrosecond);

void BM_PlantarflexionChain(benchmark::State& state) {
  const Data& d = data();
  std::vector<float> angle(d.n);
  for (auto _ : state) {
    soleus::imu::PlantarflexionTracker trk;
    trk.process(d.t.data(), d.acc.data(), d.gyro.data(), d.n, angle.data());
    benchmark::DoNotOptimize(angle.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, d.n);
}
BENCHMARK(BM_PlantarflexionChain)->Unit(benchmark::kMicrosecond);

void BM_PlantarflexionChainDouble(benchmark::State& state) {
  const Data& d = data();
  std::vector<double> acc(d.acc.begin(), d.acc.end()), gyro(d.gyro.begin(), d.gyro.end()), angle(d.n);
  for (auto _ : state) {
    soleus::imu::BasicPlantarflexionTracker<double> trk;
    trk.process(d.t.data(), acc.data(), gyro.data(), d.n, angle.data());
    benchmark::DoNotOptimize(angle.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, d.n);
}
BENCHMARK(BM_PlantarflexionChainDouble)->Unit(benchmark::kMicrosecond);

}  // namespace

// The activity layer (strides, ankle pumps, stillness, minutes) the Session
// runs on every IMU sample: budget <= 30 ns/sample.
void BM_ActivityLayer(benchmark::State& state) {
  const Data& d = data();
  for (auto _ : state) {
    soleus::imu::ActivityDetector a;
    (void)a.init();
    unsigned flags = 0;
    soleus::imu::MinuteSummary m;
    for (std::size_t i = 0; i < d.n; ++i) {
      flags |= a.push(d.t[i], &d.acc[3 * i], &d.gyro[3 * i]);
      if (flags & soleus::imu::kActivityMinute) (void)a.pop_minute(m);
    }
    benchmark::DoNotOptimize(flags);
    benchmark::DoNotOptimize(m);
  }
  set_counters(state, d.n);
}
BENCHMARK(BM_ActivityLayer)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();

#endif  // Eigen available
