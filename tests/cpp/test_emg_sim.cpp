// Synthetic EMG generator: PRNG reference values, determinism per seed, the
// Shwedyk model truth against its closed form, SNR, activation, mains, motion
// artefacts and burst trains.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "shwedyk_closed_form.hpp"
#include "soleus/sim/emg.hpp"

namespace {

using namespace soleus::sim;

TEST(Xoshiro, MatchesIndependentReference) {
  // Values from an independent Python implementation of splitmix64 seeding +
  // xoshiro256** 1.0 (stream s xors the seed with s * 0xD1B54A32D192ED03).
  const std::uint64_t ref1[5] = {0xB3F2AF6D0FC710C5ull, 0x853B559647364CEAull, 0x92F89756082A4514ull,
                                 0x642E1C7BC266A3A7ull, 0xB27A48E29A233673ull};
  const std::uint64_t ref2[5] = {0x104E3445DBF79EFEull, 0x202644A0DFC6F327ull, 0x09D2F6CA3328C912ull,
                                 0xCD89815657840673ull, 0x1CB1102736FFE8DFull};
  Xoshiro256ss a(1), b(12345, 3);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(a.next(), ref1[i]) << i;
    EXPECT_EQ(b.next(), ref2[i]) << i;
  }
}

TEST(Xoshiro, GaussianMatchesIndependentBoxMuller) {
  // Python (math.log/cos/sin) on the same uniforms, seed 2026: equal to a few
  // ulps. Bits may differ across libm implementations, values may not.
  const double ref[6] = {-0.27428896668413827, 1.2767682933854667, 1.4364118603668219,
                         -1.1334788878271564,  0.44114853573012652, -1.7743703312515482};
  Xoshiro256ss r(2026);
  for (double v : ref) EXPECT_NEAR(r.gaussian(), v, 1e-15);
}

TEST(Xoshiro, GaussianMoments) {
  Xoshiro256ss r(7);
  const int n = 1000000;
  double s1 = 0, s2 = 0, s4 = 0;
  for (int i = 0; i < n; ++i) {
    const double g = r.gaussian();
    s1 += g;
    s2 += g * g;
    s4 += g * g * g * g;
  }
  EXPECT_NEAR(s1 / n, 0.0, 0.005);
  EXPECT_NEAR(s2 / n, 1.0, 0.005);
  EXPECT_NEAR(s4 / n, 3.0, 0.03);  // Gaussian kurtosis
}

TEST(ShwedykModel, MedianAndMeanMatchClosedForm) {
  const soleus_test::ShwedykClosedForm cf(60.0, 120.0);
  // The published figures for the 20-450 Hz band.
  EXPECT_NEAR(cf.median_hz(20, 450), 95.7, 0.05);
  EXPECT_NEAR(cf.mean_hz(20, 450), 115.5, 0.05);
  const ModelBandStats m = shwedyk_band_stats(60.0, 120.0);
  EXPECT_NEAR(m.median_hz, cf.median_hz(20, 450), 0.01);
  EXPECT_NEAR(m.mean_hz, cf.mean_hz(20, 450), 0.01);
  // Fatigued (scaled) spectrum too.
  const soleus_test::ShwedykClosedForm cf2(60.0 * 0.7, 120.0 * 0.7);
  const ModelBandStats m2 = shwedyk_band_stats(60.0 * 0.7, 120.0 * 0.7);
  EXPECT_NEAR(m2.median_hz, cf2.median_hz(20, 450), 0.01);
  EXPECT_NEAR(m2.mean_hz, cf2.mean_hz(20, 450), 0.01);
  EXPECT_NEAR(shwedyk_psd(120.0), 1.0 / (4 * (1 + 0.25)), 1e-15);  // f = f_h: h^6 / ((h^2 + l^2) 4 h^4)
}

EmgSimConfig busy_config(std::uint64_t seed) {
  EmgSimConfig c;
  c.seed = seed;
  c.duration_s = 5.0;
  c.bursts = {{0.5, 2.0, 1.0, 0.1}, {3.0, 4.2, 0.6, 0.0}};
  c.snr_db = 15.0;
  c.mains_amplitude_mv = 0.3;
  c.mains_harmonics = 3;
  c.motion_rate_hz = 1.0;
  c.fatigue_scale_end = 0.8;
  return c;
}

TEST(EmgSim, SameSeedSameSignalOtherSeedOtherSignal) {
  const EmgSim a = generate_emg(busy_config(11));
  const EmgSim b = generate_emg(busy_config(11));
  const EmgSim c = generate_emg(busy_config(12));
  ASSERT_EQ(a.size(), 10000u);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(0, std::memcmp(a.emg_mv.data(), b.emg_mv.data(), a.size() * sizeof(double)));
  EXPECT_EQ(a.motion_times_s, b.motion_times_s);
  std::size_t same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) same += (a.emg_mv[i] == c.emg_mv[i]);
  EXPECT_LT(same, a.size() / 100);
  // Components use independent streams: switching mains off leaves the EMG
  // and the background noise untouched.
  EmgSimConfig no_mains = busy_config(11);
  no_mains.mains_amplitude_mv = 0.0;
  const EmgSim d = generate_emg(no_mains);
  EXPECT_EQ(0, std::memcmp(a.clean_mv.data(), d.clean_mv.data(), a.size() * sizeof(double)));
  EXPECT_EQ(0, std::memcmp(a.background_mv.data(), d.background_mv.data(), a.size() * sizeof(double)));
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a.emg_mv[i], a.clean_mv[i] + a.background_mv[i] + a.mains_mv[i] + a.motion_mv[i]) << i;
  }
}

TEST(EmgSim, ActivationFollowsBurstsExactly) {
  const EmgSim s = generate_emg(busy_config(3));
  const double fs = s.fs_hz();
  for (std::size_t i = 0; i < s.size(); ++i) {
    const double t = i / fs;
    const double a = s.activation[i];
    if (t < 0.5 || (t >= 2.0 && t < 3.0) || t >= 4.2) {
      ASSERT_EQ(a, 0.0) << t;
      ASSERT_EQ(s.clean_mv[i], 0.0) << t;
    } else if (t >= 0.6 && t <= 1.9) {
      ASSERT_EQ(a, 1.0) << t;
    } else if (t >= 3.0 && t < 4.2) {
      ASSERT_EQ(a, 0.6) << t;
    }
  }
  // Raised-cosine ramp: half way up at onset + ramp/2.
  EXPECT_NEAR(s.activation[static_cast<std::size_t>(0.55 * fs)], 0.5, 1e-12);
}

TEST(EmgSim, SustainedEmgHasRequestedRmsAndSnr) {
  EmgSimConfig c;
  c.duration_s = 20.0;
  c.amplitude_mv = 0.8;
  c.snr_db = 12.0;
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    c.seed = seed;
    const EmgSim s = generate_emg(c);
    double p_clean = 0, p_bg = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      p_clean += s.clean_mv[i] * s.clean_mv[i];
      p_bg += s.background_mv[i] * s.background_mv[i];
    }
    p_clean /= s.size();
    p_bg /= s.size();
    EXPECT_NEAR(std::sqrt(p_clean), 0.8, 0.8 * 0.03) << "seed " << seed;
    EXPECT_NEAR(10 * std::log10(p_clean / p_bg), 12.0, 0.3) << "seed " << seed;
    EXPECT_NEAR(s.background_sd_mv, 0.8 / std::sqrt(std::pow(10.0, 1.2)), 1e-12);
  }
}

TEST(EmgSim, SnrIsDefinedOverBurstSamplesOnly) {
  EmgSimConfig c;
  c.duration_s = 10.0;
  c.amplitude_mv = 1.0;
  c.bursts = {{1.0, 3.0, 1.0, 0.0}, {5.0, 7.0, 0.5, 0.0}};
  c.snr_db = 10.0;
  const EmgSim s = generate_emg(c);
  // Mean activation^2 over the burst samples: (1 + 0.25) / 2.
  EXPECT_NEAR(s.burst_power_mv2, 0.625, 1e-3);
  EXPECT_NEAR(s.background_sd_mv, std::sqrt(0.0625), 1e-3);
}

// Amplitude of the component at f_hz, by least squares on sin and cos.
double tone_amplitude(const std::vector<double>& x, double fs, double f_hz) {
  double sc = 0, ss = 0, cc = 0, xs = 0, xc = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double a = 6.283185307179586 * f_hz * i / fs, s = std::sin(a), c = std::cos(a);
    ss += s * s;
    cc += c * c;
    sc += s * c;
    xs += x[i] * s;
    xc += x[i] * c;
  }
  const double det = ss * cc - sc * sc;
  const double bs = (xs * cc - xc * sc) / det, bc = (xc * ss - xs * sc) / det;
  return std::hypot(bs, bc);
}

TEST(EmgSim, MainsAtTheRequestedFrequencyWithHarmonics) {
  EmgSimConfig c;
  c.duration_s = 20.0;
  c.mains_hz = 50.5;
  c.mains_amplitude_mv = 1.0;
  c.mains_harmonics = 3;
  c.mains_harmonic_ratio = 0.3;
  c.snr_db = 20.0;
  const EmgSim s = generate_emg(c);
  // The component itself, exactly.
  EXPECT_NEAR(tone_amplitude(s.mains_mv, 2000, 50.5), 1.0, 1e-9);
  EXPECT_NEAR(tone_amplitude(s.mains_mv, 2000, 101.0), 0.3, 1e-9);
  EXPECT_NEAR(tone_amplitude(s.mains_mv, 2000, 151.5), 0.09, 1e-9);
  // On the full mixture, where the EMG near 100 Hz adds ~0.02 mV (1 SD) of
  // estimation noise to a 20 s least-squares fit.
  EXPECT_NEAR(tone_amplitude(s.emg_mv, 2000, 50.5), 1.0, 0.06);
  EXPECT_NEAR(tone_amplitude(s.emg_mv, 2000, 101.0), 0.3, 0.06);
  EXPECT_NEAR(tone_amplitude(s.emg_mv, 2000, 151.5), 0.09, 0.06);
  EXPECT_LT(tone_amplitude(s.emg_mv, 2000, 50.0), 0.1);  // not at nominal 50 Hz
  // The strongest line between 45 and 55 Hz (0.01 Hz grid) is at 50.5 Hz.
  double best_f = 0, best = 0;
  for (double f = 45.0; f <= 55.0; f += 0.01) {
    const double a = tone_amplitude(s.mains_mv, 2000, f);
    if (a > best) best = a, best_f = f;
  }
  EXPECT_NEAR(best_f, 50.5, 0.011);
}

TEST(EmgSim, MotionArtefactsAreLowFrequency) {
  EmgSimConfig c;
  c.duration_s = 30.0;
  c.motion_rate_hz = 0.5;
  c.motion_amplitude_mv = 2.0;
  const EmgSim s = generate_emg(c);
  EXPECT_GE(s.motion_times_s.size(), 5u);   // Poisson(15): 5..30 with overwhelming probability
  EXPECT_LE(s.motion_times_s.size(), 30u);
  // Energy above 10 Hz is negligible: compare with a 10 Hz moving-average residual.
  double total = 0, high = 0;
  const int w = 200;  // 0.1 s box: passes < 3 Hz, strongly removes > 10 Hz
  for (std::size_t i = w; i + w < s.size(); ++i) {
    double m = 0;
    for (int k = -w / 2; k < w / 2; ++k) m += s.motion_mv[i + k];
    m /= w;
    total += s.motion_mv[i] * s.motion_mv[i];
    high += (s.motion_mv[i] - m) * (s.motion_mv[i] - m);
  }
  EXPECT_GT(total, 0.0);
  EXPECT_LT(high / total, 0.05);
}

TEST(EmgSim, FatigueScalesTheModelSpectrum) {
  EmgSimConfig c;
  c.duration_s = 60.0;
  c.fatigue_scale_end = 0.7;
  const EmgSim s = generate_emg(c);
  EXPECT_DOUBLE_EQ(s.spectral_scale(0.0), 1.0);
  EXPECT_DOUBLE_EQ(s.spectral_scale(30.0), 0.85);
  const soleus_test::ShwedykClosedForm end(60 * 0.7, 120 * 0.7);
  EXPECT_NEAR(s.true_median_hz(60.0), end.median_hz(20, 450), 0.01);
  EXPECT_NEAR(s.true_mean_hz(60.0), end.mean_hz(20, 450), 0.01);
}

TEST(EmgSim, BadConfigIsReportedNotGenerated) {
  EmgSimConfig c;
  EXPECT_TRUE(generate_emg(c).status.ok());
  c.fatigue_scale_end = 0.0;
  auto s = generate_emg(c);
  EXPECT_EQ(s.status.code, soleus::StatusCode::invalid_argument);
  EXPECT_TRUE(s.emg_mv.empty());
  c = {};
  c.bursts = {{2.0, 1.0, 1.0, 0.0}};
  EXPECT_FALSE(generate_emg(c).status.ok());
  c = {};
  c.fs_hz = 0.0;
  EXPECT_FALSE(generate_emg(c).status.ok());
}

TEST(BurstTrain, SeededNonOverlappingWithinRanges) {
  BurstTrainConfig c;
  c.n_bursts = 25;
  c.ramp_s = 0.05;
  const auto a = make_burst_train(c, 99);
  const auto b = make_burst_train(c, 99);
  const auto d = make_burst_train(c, 100);
  ASSERT_EQ(a.size(), 25u);
  EXPECT_DOUBLE_EQ(a[0].onset_s, 1.0);
  bool differs = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].onset_s, b[i].onset_s);
    EXPECT_EQ(a[i].offset_s, b[i].offset_s);
    differs |= a[i].offset_s != d[i].offset_s;
    const double dur = a[i].offset_s - a[i].onset_s;
    EXPECT_GE(dur, c.min_duration_s);
    EXPECT_LE(dur, c.max_duration_s);
    EXPECT_GE(a[i].amplitude, c.min_amplitude);
    EXPECT_LE(a[i].amplitude, c.max_amplitude);
    EXPECT_EQ(a[i].ramp_s, 0.05);
    if (i > 0) {
      const double gap = a[i].onset_s - a[i - 1].offset_s;
      EXPECT_GE(gap, c.min_gap_s);
      EXPECT_LE(gap, c.max_gap_s);
    }
  }
  EXPECT_TRUE(differs);
}

}  // namespace
