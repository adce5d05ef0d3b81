// MVC calibration and %MVC: closed-form envelope of a sinusoid, fallback
// reference, uncalibrated flag, too-short calibration.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "soleus/emg/mvc.hpp"
#include "soleus/emg/processor.hpp"

using namespace soleus::emg;

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kFs = 2000.0;

std::vector<float> sine(double amp, double seconds, double f = 100.0) {
  std::vector<float> x(static_cast<std::size_t>(seconds * kFs));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(amp * std::sin(2 * kPi * f * i / kFs));
  return x;
}
}  // namespace

// A 100 Hz sine of amplitude A, rectified, has mean 2A/pi; the 6 Hz envelope
// low-pass keeps that mean (unit DC gain) and removes the 200 Hz ripple. So an
// MVC at amplitude A gives the reference 2A/pi, and amplitude A/2 reads 50%.
TEST(Mvc, CalibrationFromClosedFormEnvelope) {
  EmgSettings es;
  es.fs_hz = kFs;
  es.conditioner.mains_mode = MainsMode::off;
  static EmgProcessor<1> p;
  ASSERT_TRUE(p.init(es, 1).ok());
  EXPECT_TRUE(p.mvc().uncalibrated());
  const std::vector<float> warm = sine(100.0, 1.0), mvc = sine(100.0, 2.0), half = sine(50.0, 3.0);
  p.process(warm.data(), warm.size());
  p.begin_mvc();
  p.process(mvc.data(), mvc.size());
  ASSERT_TRUE(p.end_mvc().ok());
  EXPECT_TRUE(p.mvc().calibrated());
  EXPECT_NEAR(p.mvc().reference(0), 2.0 * 100.0 / kPi, 0.01 * 2.0 * 100.0 / kPi);
  std::vector<float> act(half.size());
  p.process(half.data(), half.size(), nullptr, act.data());
  double m = 0.0;
  const std::size_t from = act.size() / 2;
  for (std::size_t i = from; i < act.size(); ++i) m += act[i];
  EXPECT_NEAR(m / (act.size() - from), 50.0, 0.5);
}

TEST(Mvc, TooShortCalibrationIsRefused) {
  MvcSettings s;
  s.fs_hz = kFs;
  MvcNormalizer<2> n;
  ASSERT_TRUE(n.init(s, 2).ok());
  std::vector<float> env(2 * 600, 10.0f), out(env.size());
  n.begin_calibration();
  n.process(env.data(), out.data(), 600);  // 0.3 s < the 0.5 s window
  EXPECT_EQ(n.end_calibration().code, soleus::StatusCode::not_ready);
  EXPECT_TRUE(n.uncalibrated());
}

TEST(Mvc, FallbackReferences) {
  MvcSettings s;
  s.fs_hz = kFs;
  // Running peak (default): a constant envelope of 20 reads 100% once one
  // block has been seen, and a later larger level becomes the new 100%.
  MvcNormalizer<1> n;
  ASSERT_TRUE(n.init(s, 1).ok());
  std::vector<float> e(4000, 20.0f), o(4000);
  n.process(e.data(), o.data(), e.size());
  EXPECT_TRUE(n.uncalibrated());
  EXPECT_NEAR(n.reference(0), 20.0, 1e-4);
  EXPECT_NEAR(o.back(), 100.0f, 1e-3);
  std::vector<float> e2(4000, 40.0f);
  n.process(e2.data(), o.data(), e2.size());
  EXPECT_NEAR(n.reference(0), 40.0, 1e-4);
  // Fixed fallback: the configured reference.
  s.fallback_reference = 80.0;
  ASSERT_TRUE(n.init(s, 1).ok());
  n.process(e2.data(), o.data(), e2.size());
  EXPECT_NEAR(o.back(), 50.0f, 1e-3);
  EXPECT_TRUE(n.uncalibrated());
  // Stored references from an earlier session count as calibrated.
  const double ref = 10.0;
  ASSERT_TRUE(n.set_references(&ref).ok());
  EXPECT_TRUE(n.calibrated());
  n.process(e2.data(), o.data(), 1);
  EXPECT_NEAR(o[0], 400.0f, 1e-3);
}

TEST(Mvc, EventsSayWhetherCalibrated) {
  EmgSettings es;
  es.fs_hz = kFs;
  static EmgProcessor<1> p;
  ASSERT_TRUE(p.init(es, 1).ok());
  std::vector<float> x = sine(2.0, 1.0);
  const std::vector<float> burst = sine(100.0, 1.0);
  x.insert(x.end(), burst.begin(), burst.end());
  const std::vector<float> rest = sine(2.0, 1.0);
  x.insert(x.end(), rest.begin(), rest.end());
  p.process(x.data(), x.size());
  BurstEvent e;
  int n = 0;
  while (p.pop_event(&e)) {
    EXPECT_FALSE(e.calibrated);
    ++n;
  }
  EXPECT_EQ(n, 2);
}
