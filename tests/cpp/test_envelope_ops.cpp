// Rectifier, moving RMS and Teager-Kaiser operator against closed forms, and
// the moving RMS's promise of no drift over 10^9 samples.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "soleus/dsp/moving_rms.hpp"
#include "soleus/dsp/rectify.hpp"
#include "soleus/dsp/teager_kaiser.hpp"

using namespace soleus::dsp;

TEST(Rectify, IsAbsoluteValue) {
  const float in[5] = {-2.5f, 0.0f, 3.0f, -0.0f, -1e-30f};
  float out[5];
  rectify(in, out, 5);
  const float want[5] = {2.5f, 0.0f, 3.0f, 0.0f, 1e-30f};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(out[i], want[i]);
}

TEST(MovingRms, EqualsBruteForceWindowRms) {
  auto m = std::make_unique<MovingRms<double, 256>>();
  ASSERT_TRUE(m->init(200).ok());
  std::mt19937 rng(1);
  std::normal_distribution<double> d(0, 3);
  std::vector<double> x(5000);
  for (auto& v : x) v = d(rng);
  for (size_t i = 0; i < x.size(); ++i) {
    const double got = m->process(x[i]);
    double s = 0;
    for (size_t k = (i >= 199 ? i - 199 : 0); k <= i; ++k) s += x[k] * x[k];
    ASSERT_NEAR(got, std::sqrt(s / 200), 1e-12) << i;
  }
  EXPECT_DOUBLE_EQ(m->group_delay_samples(), 99.5);
}

TEST(MovingRms, SineRmsIsAmplitudeOverRoot2) {
  MovingRms<float, 400> m;
  ASSERT_TRUE(m.init(200).ok());  // 100 ms at 2 kHz = five periods of 50 Hz
  float y = 0;
  for (int i = 0; i < 2000; ++i) y = m.process(3.0f * std::sin(2 * M_PI * 50 * i / 2000.0));
  EXPECT_NEAR(y, 3.0 / std::sqrt(2.0), 1e-4);
}

TEST(MovingRms, InvalidWindowRejected) {
  MovingRms<float, 10> m;
  EXPECT_FALSE(m.init(0).ok());
  EXPECT_FALSE(m.init(11).ok());
}

TEST(MovingRms, NoDriftAfterOneBillionSamples) {
  // Loud bursts (amplitude 1e3) alternating with near-silence (1e-3): a naive
  // add-new/subtract-old running sum loses the quiet level to accumulated
  // rounding of the loud one. After 10^9 samples, in a quiet stretch, the
  // result must still equal the exact RMS of the window.
  constexpr int W = 100;
  auto m = std::make_unique<MovingRms<float, W>>();
  ASSERT_TRUE(m->init(W).ok());
  const long long n = 1000000000LL;
  const long long period = 10007;  // not a multiple of W
  uint32_t lcg = 12345;
  auto next = [&lcg] {
    lcg = lcg * 1664525u + 1013904223u;
    return (static_cast<int>(lcg >> 9) - (1 << 22)) / static_cast<float>(1 << 22);  // [-1, 1)
  };
  float y = 0;
  float window[W];
  for (long long i = 0; i < n; ++i) {
    const bool loud = (i % period) >= period / 2;
    const float x = (loud ? 1000.0f : 0.001f) * next();
    window[i % W] = x;
    y = m->process(x);
  }
  // The last sample index is n-1: the whole window lies in a quiet stretch.
  ASSERT_GE((n - 1) % period, W);
  ASSERT_LT((n - 1) % period, period / 2);
  double s = 0;
  for (float v : window) s += static_cast<double>(v) * v;
  const double exact = std::sqrt(s / W);
  EXPECT_NEAR(y, exact, 1e-4 * exact) << "drifted: got " << y << " exact " << exact;
}

TEST(TeagerKaiser, SineGivesConstantEnergyAfterOneSampleDelay) {
  // psi[sin(w n) * A] = A^2 sin^2(w), delayed by one sample.
  TeagerKaiser<double> tk;
  const double A = 2.0, w = 0.2;
  for (int n = 0; n < 100; ++n) {
    const double y = tk.process(A * std::sin(w * n));
    if (n >= 2) {
      ASSERT_NEAR(y, A * A * std::sin(w) * std::sin(w), 1e-12) << n;
    }
  }
  EXPECT_EQ(TeagerKaiser<double>::group_delay_samples(), 1.0);
}
