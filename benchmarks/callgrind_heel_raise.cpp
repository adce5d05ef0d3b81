// Instruction counts of the heel-raise chain (issue 16): one pass of
// bench_heel_raise's loop (the same sessions, init, push every sample, drain
// the events, finish) for valgrind --tool=callgrind, which cannot run the
// -march=native build on an AVX-512 machine (valgrind 3.19). Not built by CMake:
//   g++ -std=c++17 -O3 -march=x86-64-v3 -g -DNDEBUG -I include -I/usr/include/eigen3
//       benchmarks/callgrind_heel_raise.cpp -o /tmp/cg_heel_raise
//   valgrind --tool=callgrind --toggle-collect='run_chain*' /tmp/cg_heel_raise W
// W: 0 foot 100 Hz, 1 foot 200 Hz, 2 seated shank 100 Hz, 3 seated shank 200 Hz.
// Divide the collected count by the printed n for instructions per sample;
// callgrind_annotate --inclusive=yes gives the split by component.
#include <cstdio>
#include <cstdlib>
#include <vector>
#include "soleus/reps/imu_reps.hpp"
#include "soleus/sim/heel_raise.hpp"
struct Data { std::vector<double> t; std::vector<float> acc, gyro; std::size_t n = 0; soleus::reps::ImuRepConfig cfg; };
static Data make(double fs, bool shank) {
  soleus::sim::HeelRaiseConfig c; c.sample_rate_hz = fs; c.n_sets = 3; c.reps_per_set = 10; c.gyro_bias_max_dps = 3.0;
  if (shank) { c.placement = soleus::sim::ImuPlacement::shank; c.posture = soleus::sim::Posture::seated; }
  const auto s = soleus::sim::generate_heel_raise_session(c, 1);
  Data out; out.t = s.t_s; out.n = s.size();
  for (std::size_t i = 0; i < s.size(); ++i) for (int k = 0; k < 3; ++k) {
    out.acc.push_back(static_cast<float>(s.acc_mps2[i][k])); out.gyro.push_back(static_cast<float>(s.gyro_dps[i][k])); }
  out.cfg.segmenter.sample_rate_hz = fs;
  out.cfg.placement = shank ? soleus::reps::ImuPlacement::shank_seated : soleus::reps::ImuPlacement::foot;
  return out;
}
using Chain = soleus::reps::ImuRepCounter<>;
static Chain ch;
__attribute__((noinline)) int run_chain(const Data& d) {
  (void)ch.init(d.cfg); int reps = 0; Chain::OutEvent e;
  for (std::size_t i = 0; i < d.n; ++i) { ch.push(d.t[i], &d.acc[3 * i], &d.gyro[3 * i]);
    while (ch.pop(e)) reps += e.event.type == soleus::reps::EventType::rep_completed ? 1 : 0; }
  (void)ch.finish(); while (ch.pop(e)) reps += e.event.type == soleus::reps::EventType::rep_completed ? 1 : 0;
  return reps;
}
int main(int argc, char** argv) {
  int w = argc > 1 ? std::atoi(argv[1]) : 0;
  double fs = (w & 1) ? 200.0 : 100.0; bool shank = w >= 2;
  Data d = make(fs, shank);
  int reps = run_chain(d);
  std::printf("session %d n %zu reps %d\n", w, d.n, reps);
}
