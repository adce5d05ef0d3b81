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

#include <vector>

#include "soleus/reps/imu_reps.hpp"
#include "soleus/sim/heel_raise.hpp"

namespace {

struct Data {
  std::vector<double> t;
  std::vector<float> acc, gyro;
  std::size_t n = 0;
  soleus::reps::ImuRepConfig cfg;
};

Data make(double fs, bool shank) {
  soleus::sim::HeelRaiseConfig c;
  c.sample_rate_hz = fs;
  c.n_sets = 3;
  c.reps_per_set = 10;
  c.gyro_bias_max_dps = 3.0;
  if (shank) {
    c.placement = soleus::sim::ImuPlacement::shank;
    c.posture = soleus::sim::Posture::seated;
  }
  const auto s = soleus::sim::generate_heel_raise_session(c, 1);
  Data out;
  out.t = s.t_s;
  out.n = s.size();
  for (std::size_t i = 0; i < s.size(); ++i) {
    for (int k = 0; k < 3; ++k) {
      out.acc.push_back(static_cast<float>(s.acc_mps2[i][k]));
      out.gyro.push_back(static_cast<float>(s.gyro_dps[i][k]));
    }
  }
  out.cfg.segmenter.sample_rate_hz = fs;
  out.cfg.placement = shank ? soleus::reps::ImuPlacement::shank_seated : soleus::reps::ImuPlacement::foot;
  return out;
}

const Data& data(int which) {
  static const Data d[4] = {make(100.0, false), make(200.0, false), make(100.0, true), make(200.0, true)};
  return d[which];
}

using Chain = soleus::reps::ImuRepCounter<>;

void BM_HeelRaiseChain(benchmark::State& state) {
  const Data& d = data(static_cast<int>(state.range(0)));
  static Chain ch;
  int reps = 0;
  for (auto _ : state) {
    (void)ch.init(d.cfg);
    reps = 0;
    Chain::OutEvent e;
    for (std::size_t i = 0; i < d.n; ++i) {
      ch.push(d.t[i], &d.acc[3 * i], &d.gyro[3 * i]);
      while (ch.pop(e)) reps += e.event.type == soleus::reps::EventType::rep_completed ? 1 : 0;
    }
    (void)ch.finish();
    while (ch.pop(e)) reps += e.event.type == soleus::reps::EventType::rep_completed ? 1 : 0;
    benchmark::DoNotOptimize(reps);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.n));
  state.counters["per_sample"] = benchmark::Counter(
      static_cast<double>(d.n), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["reps"] = reps;
  static const char* names[4] = {"foot 100 Hz", "foot 200 Hz", "seated shank 100 Hz", "seated shank 200 Hz"};
  state.SetLabel(names[state.range(0)]);
}
BENCHMARK(BM_HeelRaiseChain)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
#endif
