// Conditioning: group delays against closed forms, band-pass edges, mains
// removal 0.5 Hz off nominal (>= 30 dB with the envelope changed <= 5%),
// 50/60 Hz detection, and what a fixed notch does off-frequency.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "sim_bursts.hpp"
#include "soleus/emg/conditioner.hpp"
#include "soleus/emg/group_delay.hpp"

using namespace soleus::emg;

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kFs = 2000.0;

// Least-squares amplitude of a sinusoid at f_hz in x[from..to).
double sine_amplitude(const std::vector<float>& x, double f_hz, double fs, std::size_t from,
                      std::size_t to) {
  // Normal equations for a*cos + b*sin (the window is long: nearly orthogonal,
  // but solve the 2x2 system anyway).
  double cc = 0, ss = 0, cs = 0, xc = 0, xs = 0;
  for (std::size_t i = from; i < to; ++i) {
    const double w = 2.0 * kPi * f_hz * static_cast<double>(i) / fs;
    const double c = std::cos(w), s = std::sin(w);
    cc += c * c;
    ss += s * s;
    cs += c * s;
    xc += x[i] * c;
    xs += x[i] * s;
  }
  const double det = cc * ss - cs * cs;
  const double a = (xc * ss - xs * cs) / det, b = (xs * cc - xc * cs) / det;
  return std::sqrt(a * a + b * b);
}

// EMG of RMS `rms` whose amplitude swings slowly (0.2..1.0, 0.5 Hz), so the
// envelope has something to follow.
std::vector<float> modulated_emg(std::size_t n, double rms, unsigned seed) {
  std::vector<double> e = soleus_test::shwedyk_emg(n, kFs, seed);
  std::vector<float> x(n);
  double ss = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double m = 0.6 + 0.4 * std::sin(2.0 * kPi * 0.5 * i / kFs);
    x[i] = static_cast<float>(e[i] * m);
    ss += x[i] * static_cast<double>(x[i]);
  }
  const double k = rms / std::sqrt(ss / n);
  for (float& v : x) v = static_cast<float>(v * k);
  return x;
}

struct Outputs {
  std::vector<float> y, env;
};

Outputs run(const ConditionerSettings& s, const std::vector<float>& x, Conditioner<1>* keep = nullptr) {
  static Conditioner<1> c;
  Conditioner<1>& cond = keep ? *keep : c;
  EXPECT_TRUE(cond.init(s, 1).ok());
  Outputs o;
  o.y.resize(x.size());
  o.env.resize(x.size());
  // Uneven chunks, as a stream would deliver them.
  std::size_t i = 0, k = 0;
  const std::size_t sizes[] = {1, 37, 200, 513, 64};
  while (i < x.size()) {
    const std::size_t n = std::min(sizes[k++ % 5], x.size() - i);
    cond.process(x.data() + i, o.y.data() + i, o.env.data() + i, n);
    i += n;
  }
  return o;
}

}  // namespace

TEST(Conditioner, GroupDelayClosedForms) {
  // A pure delay of one and two samples, as sections.
  soleus::dsp::SosList d1, d2;
  ASSERT_TRUE(d1.push_back({0.0, 1.0, 0.0, 1.0, 0.0, 0.0}).ok());
  ASSERT_TRUE(d2.push_back({0.0, 0.0, 1.0, 1.0, 0.0, 0.0}).ok());
  for (double f : {0.0, 10.0, 300.0}) {
    EXPECT_NEAR(sos_group_delay_samples(d1, f, kFs), 1.0, 1e-12);
    EXPECT_NEAR(sos_group_delay_samples(d2, f, kFs), 2.0, 1e-12);
  }
  ConditionerSettings s;
  s.fs_hz = kFs;
  s.mains_mode = MainsMode::off;
  Conditioner<1> c;
  ASSERT_TRUE(c.init(s, 1).ok());
  // 2nd-order Butterworth low-pass: tau(0) = sqrt(2) / wc (analog); the
  // bilinear pre-warping changes it by (tan(pi fc/fs)/(pi fc/fs)) ~ 1e-4 here.
  EXPECT_NEAR(c.delays().envelope_s, std::sqrt(2.0) / (2.0 * kPi * 6.0), 2e-5);
  EXPECT_NEAR(c.delays().reference_hz, std::sqrt(20.0 * 450.0), 1e-9);
  EXPECT_GT(c.delays().bandpass_s, 0.0);
  s.envelope = EnvelopeMethod::moving_rms;
  ASSERT_TRUE(c.init(s, 1).ok());
  EXPECT_DOUBLE_EQ(c.delays().envelope_s, (200.0 - 1.0) / 2.0 / kFs);  // 100 ms window
}

TEST(Conditioner, BandPassEdges) {
  ConditionerSettings s;
  s.fs_hz = kFs;
  s.mains_mode = MainsMode::off;
  const std::size_t n = static_cast<std::size_t>(6 * kFs);
  for (double f : {5.0, 100.0, 200.0, 700.0}) {
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(std::sin(2 * kPi * f * i / kFs));
    const Outputs o = run(s, x);
    const double g = sine_amplitude(o.y, f, kFs, n / 2, n);
    // 4th-order Butterworth skirts: 5 Hz is two octaves below 20 Hz (about
    // -48 dB), 700 Hz well above 450 Hz; 100 and 200 Hz in the pass band.
    if (f == 5.0) {
      EXPECT_LT(20 * std::log10(g), -40.0);
    } else if (f == 700.0) {
      EXPECT_LT(20 * std::log10(g), -10.0);
    } else {
      EXPECT_NEAR(g, 1.0, 0.02);
    }
  }
}

// The headline mains test: 50.5 Hz (0.5 Hz off the nominal 50) plus a 3rd
// harmonic, total RMS 10x the EMG's.
TEST(Conditioner, MainsHalfHertzOffRemovedEnvelopeKept) {
  const std::size_t n = static_cast<std::size_t>(20 * kFs);
  const double emg_rms = 50.0;
  const std::vector<float> emg = modulated_emg(n, emg_rms, 7);
  // Fundamental and 3rd harmonic with amplitudes 1 : 0.3, scaled so that
  // their RMS together is 10x the EMG RMS.
  const double a1 = 10.0 * emg_rms * std::sqrt(2.0) / std::sqrt(1.0 + 0.09), a3 = 0.3 * a1;
  const double f0 = 50.5;
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = i / kFs;
    x[i] = emg[i] + static_cast<float>(a1 * std::sin(2 * kPi * f0 * t + 0.3) +
                                       a3 * std::sin(2 * kPi * 3 * f0 * t + 1.1));
  }
  ConditionerSettings ref_s;
  ref_s.fs_hz = kFs;
  ref_s.mains_mode = MainsMode::off;
  const Outputs ref = run(ref_s, emg);  // the envelope the EMG alone gives

  const std::size_t from = static_cast<std::size_t>(5 * kFs);  // after tracking settled
  std::printf("\nMains 50.5 Hz + 151.5 Hz, RMS 10x EMG; analysis 5-20 s\n");
  for (MainsMode mode : {MainsMode::fixed, MainsMode::detect}) {
    ConditionerSettings s;
    s.fs_hz = kFs;
    s.mains_mode = mode;
    s.mains_hz = 50.0;
    if (const char* bw = std::getenv("BW")) s.mains_bandwidth_hz = std::atof(bw);
    if (const char* tol = std::getenv("TOL")) s.mains_retune_tolerance_hz = std::atof(tol);
    static Conditioner<1> c;
    const Outputs o = run(s, x, &c);
    const double att1 = 20 * std::log10(a1 / sine_amplitude(o.y, f0, kFs, from, n));
    const double att3 = 20 * std::log10(a3 / sine_amplitude(o.y, 3 * f0, kFs, from, n));
    double sd = 0, sr = 0, mo = 0;
    for (std::size_t i = from; i < n; ++i) {
      sd += (o.env[i] - ref.env[i]) * static_cast<double>(o.env[i] - ref.env[i]);
      sr += ref.env[i];
      mo += o.env[i];
    }
    const double m = static_cast<double>(n - from);
    const double env_rms_change = std::sqrt(sd / m) / (sr / m);
    const double env_mean_change = mo / sr - 1.0;
    std::printf("  %-6s notch at %.4f Hz (%d notches, %llu re-tunes): fundamental -%.1f dB, 3rd harmonic "
                "-%.1f dB; envelope RMS change %.2f%%, mean change %+.2f%%\n",
                mode == MainsMode::fixed ? "fixed" : "detect", c.mains_notch_hz(), c.mains_notches(),
                static_cast<unsigned long long>(c.mains_retunes()), att1, att3, 100 * env_rms_change,
                100 * env_mean_change);
    EXPECT_NEAR(c.mains_notch_hz(), f0, 0.02);
    EXPECT_GE(att1, 30.0);
    EXPECT_GE(att3, 30.0);
    EXPECT_LE(env_rms_change, 0.05);
    EXPECT_LE(std::fabs(env_mean_change), 0.05);
    if (mode == MainsMode::detect) {
      EXPECT_DOUBLE_EQ(c.detected_mains_hz(), 50.0);
    }
  }
}

TEST(Conditioner, FixedNotchOffFrequencyMatchesClosedForm) {
  // Without tracking a second-order notch of -3 dB width B at 50 Hz passes
  // 50.5 Hz at |H| = 0.5 / sqrt(0.5^2 + (B/2)^2): -3.0 dB for the default
  // B = 1 Hz, -7.0 dB for 2 Hz. This is why the notches are re-tuned.
  const std::size_t n = static_cast<std::size_t>(8 * kFs);
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(100.0 * std::sin(2 * kPi * 50.5 * i / kFs));
  ConditionerSettings s;
  s.fs_hz = kFs;
  s.mains_mode = MainsMode::fixed;
  s.mains_tracking = false;
  const Outputs o = run(s, x);
  const double att = 20 * std::log10(100.0 / sine_amplitude(o.y, 50.5, kFs, n / 2, n));
  const double hb = s.mains_bandwidth_hz / 2.0;
  const double expected = -20 * std::log10(0.5 / std::sqrt(0.25 + hb * hb));
  std::printf("\nFixed %.1f Hz notch at 50 Hz, input at 50.5 Hz: -%.2f dB (closed form -%.2f dB)\n", s.mains_bandwidth_hz, att,
              expected);
  EXPECT_NEAR(att, expected, 0.3);
}

TEST(Conditioner, DetectsSixtyAndStaysOffWithoutMains) {
  const std::size_t n = static_cast<std::size_t>(6 * kFs);
  const std::vector<float> emg = modulated_emg(n, 50.0, 3);
  ConditionerSettings s;
  s.fs_hz = kFs;
  s.mains_mode = MainsMode::detect;
  {
    static Conditioner<1> c;
    run(s, emg, &c);
    EXPECT_EQ(c.detected_mains_hz(), 0.0) << "no mains in the signal";
    EXPECT_EQ(c.mains_notches(), 0);
  }
  std::vector<float> x(emg);
  for (std::size_t i = 0; i < n; ++i) x[i] += static_cast<float>(100.0 * std::sin(2 * kPi * 59.6 * i / kFs));
  static Conditioner<1> c;
  run(s, x, &c);
  EXPECT_EQ(c.detected_mains_hz(), 60.0);
  EXPECT_NEAR(c.mains_notch_hz(), 59.6, 0.05);
  EXPECT_EQ(c.mains_notches(), 7);  // 60..420 Hz, below the 450 Hz band edge
}
