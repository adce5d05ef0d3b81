// Every channel capacity of EmgProcessor initialises and runs: g++ 12.2 at -O3
// once vectorised MvcNormalizer::reset() with aligned stores at misaligned
// offsets and crashed capacities 2-6 (fixed by aligning its arrays).
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "soleus/emg/processor.hpp"

namespace {

template <int N>
void init_and_run(int channels) {
  auto p = std::make_unique<soleus::emg::EmgProcessor<N>>();
  soleus::emg::EmgSettings s;
  ASSERT_TRUE(p->init(s, channels).ok()) << "capacity " << N;
  std::vector<float> x(static_cast<size_t>(2000 * channels));
  for (size_t i = 0; i < x.size(); ++i) x[i] = 0.1f * std::sin(0.37f * static_cast<float>(i));
  ASSERT_TRUE(p->process(x.data(), 2000).ok());
  static soleus::emg::EmgProcessor<N> in_static_storage;
  ASSERT_TRUE(in_static_storage.init(s, channels).ok());
}

}  // namespace

TEST(EmgProcessorCapacities, EveryCapacityInitialisesAndRuns) {
  init_and_run<1>(1);
  init_and_run<2>(2);
  init_and_run<3>(3);
  init_and_run<4>(4);
  init_and_run<5>(5);
  init_and_run<6>(6);
  init_and_run<7>(7);
  init_and_run<8>(8);
  init_and_run<8>(3);
}
