// Cost of the whole session through the C API (include/soleus/soleus.h), the
// path C and app users take: the input of bench_session (8 EMG channels at
// 2 kHz + one IMU at 200 Hz, two sets of heel raises), EMG in blocks, every
// event polled. In a dispatching libsoleus (SOLEUS_C_DISPATCH) each call goes
// through the table chosen at soleus_create: run this program from a portable
// build and from a native one, alternately, for the dispatched vs native ratio
// (docs/benchmarks.md). The label says which implementation ran.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "../tests/cpp/session_sim.hpp"
#include "soleus/soleus.h"

namespace {

const session_sim::Input& input() { return session_sim::benchmark_input(); }

soleus_config config() {
  const session_sim::Input& in = input();
  const soleus::SessionConfig k = session_sim::config_for(in);
  soleus_config c;
  soleus_config_default(&c);
  c.emg_channels = k.emg_channels;
  for (int i = 0; i < k.emg_channels; ++i) {
    std::memcpy(c.channel[i].name, k.channel[i].name, sizeof c.channel[i].name);
    c.channel[i].muscle = static_cast<int32_t>(k.channel[i].muscle);
  }
  c.emg_rate_hz = k.emg_rate_hz;
  c.imu_rate_hz = k.imu_rate_hz;
  c.imu_enabled = k.imu_enabled ? 1 : 0;
  return c;
}

// Whole stream; Arg = EMG frames per soleus_push_emg_block call.
void BM_CApiSession(benchmark::State& state) {
  const std::size_t block = static_cast<std::size_t>(state.range(0));
  const session_sim::Input& in = input();
  const soleus_config cfg = config();
  const std::size_t C = 8, n = in.emg_t.size(), m = in.imu_t.size();
  const char* isa = "none";
  for (auto _ : state) {
    state.PauseTiming();
    soleus_session* s = nullptr;
    if (soleus_create(&cfg, &s) != SOLEUS_OK) std::abort();
    isa = soleus_session_isa(s);
    state.ResumeTiming();
    std::size_t i = 0, j = 0;
    soleus_event e;
    while (i < n) {
      while (j < m && in.imu_t[j] <= in.emg_t[i]) {
        soleus_push_imu(s, in.imu_t[j], &in.acc[3 * j], &in.gyro[3 * j]);
        ++j;
      }
      const std::size_t k = std::min(block, n - i);
      soleus_push_emg_block(s, &in.emg_t[i], &in.emg[i * C], k);
      i += k;
      while (soleus_poll(s, &e)) benchmark::DoNotOptimize(e.t_s);
    }
    state.PauseTiming();
    soleus_destroy(s);
    state.ResumeTiming();
  }
  state.SetLabel(isa);
  state.counters["ns_per_emg_frame"] = benchmark::Counter(
      static_cast<double>(n) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_CApiSession)->Arg(1)->Arg(64)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
