// Signal quality flags with hysteresis: saturation, flat line, mains, motion
// artefact, SNR estimate, NaN/Inf.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "sim_bursts.hpp"
#include "soleus/emg/processor.hpp"

using namespace soleus::emg;
using namespace soleus_test;

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kFs = 2000.0;

EmgSettings base() {
  EmgSettings s;
  s.fs_hz = kFs;
  return s;
}
std::vector<float> emg_bursts(double snr_db, int bursts = 8, unsigned seed = 4) {
  SynthParams p;
  p.snr_db = snr_db;
  p.bursts = bursts;
  p.seed = seed;
  return make_bursts(p).x;
}
}  // namespace

TEST(Quality, SaturationRaisedAndClearedWithHysteresis) {
  EmgSettings s = base();
  s.quality.adc_min = -400.0;
  s.quality.adc_max = 400.0;
  static EmgProcessor<1> p;
  ASSERT_TRUE(p.init(s, 1).ok());
  std::vector<float> x = emg_bursts(20.0);
  p.process(x.data(), 4000);  // 2 s of rest: fine
  EXPECT_FALSE(p.quality(0).saturated);
  std::vector<float> clip(2000);
  for (std::size_t i = 0; i < clip.size(); ++i) clip[i] = (i / 10) % 2 ? 400.0f : -400.0f;
  p.process(clip.data(), 400);  // two 100 ms blocks at the rails
  EXPECT_TRUE(p.quality(0).saturated);
  EXPECT_NEAR(p.quality(0).saturation_fraction, 1.0f, 1e-6);
  p.process(x.data() + 4000, 400);  // two clean blocks: still flagged (needs 5)
  EXPECT_TRUE(p.quality(0).saturated);
  p.process(x.data() + 4400, 800);
  EXPECT_FALSE(p.quality(0).saturated);
  EXPECT_EQ(p.quality(0).saturated_samples, 400u);
}

TEST(Quality, FlatLineIsElectrodeOff) {
  static EmgProcessor<1> p;
  ASSERT_TRUE(p.init(base(), 1).ok());
  std::vector<float> x = emg_bursts(20.0);
  p.process(x.data(), 4000);
  EXPECT_FALSE(p.quality(0).flat);
  std::vector<float> flat(2000, 312.0f);
  p.process(flat.data(), flat.size());
  EXPECT_TRUE(p.quality(0).flat);
  EXPECT_FALSE(p.quality(0).good());
  p.process(x.data() + 4000, 2000);
  EXPECT_FALSE(p.quality(0).flat);
}

TEST(Quality, MainsAndMotionRatios) {
  std::vector<float> x = emg_bursts(20.0, 8, 9);
  const std::size_t n = 8 * static_cast<std::size_t>(kFs);
  x.resize(n);
  // Mains (50 Hz, amplitude 300 uV: power 45000 uV^2, ~ 20x the EMG's) in the
  // first half; a 3 Hz sway of 500 uV in the second.
  std::vector<float> y(x);
  for (std::size_t i = 0; i < n / 2; ++i) y[i] += static_cast<float>(300.0 * std::sin(2 * kPi * 50.0 * i / kFs));
  for (std::size_t i = n / 2; i < n; ++i) y[i] += static_cast<float>(500.0 * std::sin(2 * kPi * 3.0 * i / kFs));
  EmgSettings s = base();
  s.conditioner.mains_mode = MainsMode::fixed;
  static EmgProcessor<1> p;
  ASSERT_TRUE(p.init(s, 1).ok());
  p.process(y.data(), n / 2);
  EXPECT_TRUE(p.quality(0).mains);
  EXPECT_GT(p.quality(0).mains_ratio, 5.0f);
  EXPECT_FALSE(p.quality(0).motion);
  p.process(y.data() + n / 2, n / 2);
  EXPECT_FALSE(p.quality(0).mains);
  EXPECT_TRUE(p.quality(0).motion);
  EXPECT_GT(p.quality(0).motion_ratio, 1.0f);
  std::printf("mains ratio %.3g, motion ratio %.3g\n", p.quality(0).mains_ratio, p.quality(0).motion_ratio);
}

TEST(Quality, SnrEstimate) {
  // The estimate is 10 log10((P_burst - P_rest) / P_rest) of the conditioned
  // EMG; with white noise the band-pass keeps 430/1000 of the noise and
  // ~97% of the Shwedyk EMG, so the truth is close to the nominal SNR.
  for (double snr : {20.0, 10.0, 3.0}) {
    static EmgProcessor<1> p;
    ASSERT_TRUE(p.init(base(), 1).ok());
    std::vector<float> x = emg_bursts(snr, 20, 21);
    p.process(x.data(), x.size());
    const double est = p.quality(0).snr_db;
    std::printf("SNR %.0f dB -> estimated %.2f dB (low_snr %d)\n", snr, est, p.quality(0).low_snr);
    EXPECT_NEAR(est, snr, 1.5);
    EXPECT_EQ(p.quality(0).low_snr, snr < 6.0);
  }
}
