// Instruction counts of the heel-raise chain (issue 16): one pass of
// bench_heel_raise's loop (the same sessions and loop: heel_raise_chain_data.hpp)
// for valgrind --tool=callgrind, which cannot run AVX-512 code (valgrind 3.19):
// CMake builds it for x86-64-v3 on x86-64 (target callgrind_heel_raise, with the
// benchmarks), whatever the build's own instruction set.
//   valgrind --tool=callgrind --toggle-collect='run_chain*' build/release/benchmarks/callgrind_heel_raise W
// W: 0 foot 100 Hz, 1 foot 200 Hz, 2 seated shank 100 Hz, 3 seated shank 200 Hz.
// Divide the collected count by the printed n for instructions per sample;
// callgrind_annotate --inclusive=yes gives the split by component.
#include <cstdio>
#include <cstdlib>

#include "heel_raise_chain_data.hpp"

static soleus_bench::HeelRaiseChain chain;

// The function callgrind collects in (--toggle-collect): the session is
// simulated outside it.
__attribute__((noinline)) int run_chain(const soleus_bench::HeelRaiseData& d) {
  return soleus_bench::stream_heel_raise_chain(chain, d);
}

int main(int argc, char** argv) {
  const int which = argc > 1 ? std::atoi(argv[1]) : 0;
  if (which < 0 || which > 3) {
    std::fprintf(stderr, "usage: %s [0-3]  (0 foot 100 Hz, 1 foot 200 Hz, 2 seated shank 100 Hz, 3 seated shank 200 Hz)\n", argv[0]);
    return 2;
  }
  const soleus_bench::HeelRaiseData d = soleus_bench::make_heel_raise_data(which);
  const int reps = run_chain(d);
  std::printf("session %s n %zu reps %d\n", soleus_bench::heel_raise_session_name(which), d.n, reps);
  return 0;
}
