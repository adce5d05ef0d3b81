// Fatigue: a median-frequency decline injected by the generator (f_l, f_h
// scaled down linearly over time) is recovered by the streaming tracker plus
// least-squares slope with the right sign and within 20% of the true slope;
// FInsm5 rises. Truth comes from the closed-form Shwedyk integrals.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "shwedyk_closed_form.hpp"
#include "soleus/dsp/spectral.hpp"
#include "soleus/sim/emg.hpp"

namespace {

using namespace soleus::dsp;
using soleus::sim::EmgSimConfig;

using Tracker = SpectralTracker<float, 1024, 8>;  // the build's preferred FFT

struct Slopes {
  double median_est, median_true, mean_est, mean_true;
  int frames;
};

// Runs the tracker over the record; uses only frames whose whole window lies
// inside a burst at full activation (fatigue is read during contractions).
Slopes measure(const soleus::sim::EmgSim& s) {
  Tracker tr;
  EXPECT_TRUE(tr.init({}).ok());
  const std::vector<float> x(s.emg_mv.begin(), s.emg_mv.end());
  std::vector<SpectralFrame> frames(x.size() / 250 + 1);
  const auto r = track_spectrum(tr, x.data(), x.size(), frames.data(), frames.size());
  EXPECT_TRUE(r.ok());
  std::vector<double> t, med, mean, tmed, tmean;
  const double scale = s.config.fatigue_scale_end;
  for (std::size_t i = 0; i < r.value; ++i) {
    const SpectralFrame& f = frames[i];
    const long long start = f.end_sample - tr.window_samples();
    bool active = true;
    for (long long k = start; k < f.end_sample && active; ++k) active = s.activation[static_cast<std::size_t>(k)] >= 0.999;
    if (!active || std::isnan(f.median_hz)) continue;
    t.push_back(f.t_s);
    med.push_back(f.median_hz);
    mean.push_back(f.mean_hz);
    const double sc = 1.0 + (scale - 1.0) * f.t_s / s.config.duration_s;
    const soleus_test::ShwedykClosedForm cf(60.0 * sc, 120.0 * sc);
    tmed.push_back(cf.median_hz(20, 450));
    tmean.push_back(cf.mean_hz(20, 450));
  }
  Slopes out{};
  out.frames = static_cast<int>(t.size());
  out.median_est = lsq_slope(t.data(), med.data(), t.size()).value;
  out.median_true = lsq_slope(t.data(), tmed.data(), t.size()).value;
  out.mean_est = lsq_slope(t.data(), mean.data(), t.size()).value;
  out.mean_true = lsq_slope(t.data(), tmean.data(), t.size()).value;
  return out;
}

TEST(FatigueSlope, SustainedContractionDeclineRecovered) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    EmgSimConfig c;
    c.seed = seed;
    c.duration_s = 60.0;
    c.snr_db = 20.0;
    c.fatigue_scale_end = 0.7;  // f_l, f_h fall 30% over the minute
    const Slopes sl = measure(soleus::sim::generate_emg(c));
    std::printf("seed %llu sustained: median slope %.4f Hz/s (true %.4f, error %+.1f%%), mean slope %.4f (true %.4f, %+.1f%%), %d frames\n",
                static_cast<unsigned long long>(seed), sl.median_est, sl.median_true,
                100 * (sl.median_est / sl.median_true - 1), sl.mean_est, sl.mean_true,
                100 * (sl.mean_est / sl.mean_true - 1), sl.frames);
    ASSERT_LT(sl.median_true, -0.3);  // sanity of the truth itself (about -0.47 Hz/s)
    EXPECT_LT(sl.median_est, 0.0);
    EXPECT_NEAR(sl.median_est / sl.median_true, 1.0, 0.2) << "seed " << seed;
    EXPECT_NEAR(sl.mean_est / sl.mean_true, 1.0, 0.2) << "seed " << seed;
  }
}

TEST(FatigueSlope, FrameSlopeHelperSkipsSilentFrames) {
  // Known line with silent (NaN) frames interleaved.
  std::vector<SpectralFrame> f(40);
  for (std::size_t i = 0; i < f.size(); ++i) {
    f[i].t_s = 0.125 * i;
    f[i].median_hz = (i % 5 == 3) ? std::nan("") : 100.0 - 0.5 * f[i].t_s;
  }
  const auto r = median_frequency_slope(f.data(), f.size());
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r.value, -0.5, 1e-12);
  EXPECT_FALSE(median_frequency_slope(f.data(), 1).ok());
}

TEST(FatigueSlope, IntermittentContractionsDeclineRecovered) {
  for (std::uint64_t seed = 11; seed <= 13; ++seed) {
    EmgSimConfig c;
    c.seed = seed;
    c.duration_s = 90.0;
    c.snr_db = 15.0;
    c.fatigue_scale_end = 0.75;
    c.mains_amplitude_mv = 0.2;  // a real-world nuisance inside the band
    c.mains_hz = 50.5;
    for (double t0 = 1.0; t0 + 4.0 < c.duration_s; t0 += 6.0) c.bursts.push_back({t0, t0 + 4.0, 1.0, 0.2});
    const Slopes sl = measure(soleus::sim::generate_emg(c));
    std::printf("seed %llu intermittent: median slope %.4f Hz/s (true %.4f, error %+.1f%%), %d frames\n",
                static_cast<unsigned long long>(seed), sl.median_est, sl.median_true,
                100 * (sl.median_est / sl.median_true - 1), sl.frames);
    EXPECT_LT(sl.median_est, 0.0);
    EXPECT_NEAR(sl.median_est / sl.median_true, 1.0, 0.2) << "seed " << seed;
  }
}

TEST(FatigueSlope, NoFatigueGivesNoSlope) {
  for (std::uint64_t seed = 21; seed <= 23; ++seed) {
    EmgSimConfig c;
    c.seed = seed;
    c.duration_s = 60.0;
    c.snr_db = 20.0;
    const Slopes sl = measure(soleus::sim::generate_emg(c));
    // Over 40 seeds the no-fatigue slope of a 60 s record has SD 0.041 Hz/s
    // (0.5 s frames scatter by ~8.8 Hz): 4 SD, a third of the fatigued slope.
    EXPECT_LT(std::abs(sl.median_est), 0.16) << "seed " << seed;
    EXPECT_NEAR(sl.median_true, 0.0, 1e-12);
  }
}

// FInsm5 of the closed-form model (Simpson, 0.01 Hz) for comparison.
double model_finsm5(double scale) {
  const double lo = 20, hi = 450;
  const int n = 43000;
  const double h = (hi - lo) / n;
  double mm1 = 0, m5 = 0;
  for (int i = 0; i <= n; ++i) {
    const double f = lo + i * h, w = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
    const double p = soleus::sim::shwedyk_psd(f, 60 * scale, 120 * scale);
    mm1 += w * p / f;
    m5 += w * p * f * f * f * f * f;
  }
  return mm1 / m5;
}

TEST(FatigueSlope, Finsm5RisesAsTheModelSays) {
  EmgSimConfig c;
  c.seed = 4;
  c.duration_s = 65.0;
  c.bursts = {{5.0, 65.0, 1.0, 0.0}};
  c.snr_db = 20.0;
  c.fatigue_scale_end = 0.7;
  const auto s = soleus::sim::generate_emg(c);
  const std::vector<float> x(s.emg_mv.begin(), s.emg_mv.end());
  WelchPsd<float, 1024> w;
  WelchConfig wc;
  ASSERT_TRUE(w.init(wc).ok());
  std::vector<float> noise(w.n_bins()), early(w.n_bins()), late(w.n_bins());
  ASSERT_TRUE(w.compute(x.data(), 10000, noise.data()).ok());          // rest, 0-5 s
  ASSERT_TRUE(w.compute(x.data() + 10000, 20000, early.data()).ok());  // 5-15 s
  ASSERT_TRUE(w.compute(x.data() + 110000, 20000, late.data()).ok());  // 55-65 s
  const double fe = finsm5(early.data(), w.n_bins(), w.bin_hz(), 20.0, 450.0, noise.data()).value;
  const double fl = finsm5(late.data(), w.n_bins(), w.bin_hz(), 20.0, 450.0, noise.data()).value;
  const double te = model_finsm5(s.spectral_scale(10.0)), tl = model_finsm5(s.spectral_scale(60.0));
  std::printf("FInsm5 early %.3e (model %.3e), late %.3e (model %.3e), ratio %.2f (model %.2f)\n", fe, te, fl, tl,
              fl / fe, tl / te);
  EXPECT_NEAR(fe / te, 1.0, 0.25);
  EXPECT_NEAR(fl / tl, 1.0, 0.25);
  EXPECT_NEAR((fl / fe) / (tl / te), 1.0, 0.25);
}

}  // namespace
