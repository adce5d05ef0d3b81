// Median and mean frequency of the default synthetic EMG (Shwedyk spectrum,
// f_l = 60 Hz, f_h = 120 Hz) estimated by Welch + band_stats, against the
// closed-form truth (95.7 / 115.5 Hz in 20-450 Hz), over several seeds and SNRs.
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
using soleus::sim::generate_emg;

struct Estimate {
  double median_hz, mean_hz;
};

// Welch with the tracker's 0.25 s segment, then band_stats (optionally with a
// noise PSD measured on the rest part of the record).
template <typename T, typename Fft>
Estimate estimate(const std::vector<double>& xd, double fs, std::size_t rest_samples, bool subtract_noise) {
  std::vector<T> x(xd.begin(), xd.end());
  WelchPsd<T, 1024, Fft> w;
  WelchConfig c;
  c.fs_hz = fs;
  c.nperseg = 500;
  EXPECT_TRUE(w.init(c).ok());
  std::vector<T> psd(w.n_bins()), noise(w.n_bins());
  EXPECT_TRUE(w.compute(x.data() + rest_samples, x.size() - rest_samples, psd.data()).ok());
  EXPECT_TRUE(w.compute(x.data(), rest_samples, noise.data()).ok());
  const auto st = band_stats(psd.data(), w.n_bins(), w.bin_hz(), 20.0, 450.0,
                             subtract_noise ? noise.data() : static_cast<const T*>(nullptr));
  EXPECT_TRUE(st.ok());
  return {st.value.median_hz, st.value.mean_hz};
}

// Truth for signal + white background: the one-sided density of the EMG is
// A^2 P(f) / integral_0^{fs/2} P, the noise adds a flat 2 sigma^2 / fs.
Estimate mixture_truth(double amp_mv, double sigma_mv, double fs) {
  const soleus_test::ShwedykClosedForm cf(60.0, 120.0);
  const double k = amp_mv * amp_mv / cf.power_to(fs / 2);
  const double n0 = 2 * sigma_mv * sigma_mv / fs;
  const double lo = 20, hi = 450;
  auto cum = [&](double f) { return k * (cf.power_to(f) - cf.power_to(lo)) + n0 * (f - lo); };
  const double half = 0.5 * cum(hi);
  double a = lo, b = hi;
  for (int i = 0; i < 200; ++i) {
    const double m = 0.5 * (a + b);
    (cum(m) < half ? a : b) = m;
  }
  const double m1 = k * (cf.moment1_to(hi) - cf.moment1_to(lo)) + n0 * 0.5 * (hi * hi - lo * lo);
  return {0.5 * (a + b), m1 / cum(hi)};
}

struct Worst {
  double med = 0, mean = 0, med_sub = 0, mean_sub = 0, mix_med = 0, mix_mean = 0;
};

template <typename T, typename Fft>
void check(const char* label, const soleus::sim::EmgSim& s, double snr, Worst& w) {
  const soleus_test::ShwedykClosedForm cf(60.0, 120.0);
  const double true_med = cf.median_hz(20, 450), true_mean = cf.mean_hz(20, 450);
  const std::size_t rest = static_cast<std::size_t>(5.0 * s.fs_hz());
  const Estimate raw = estimate<T, Fft>(s.emg_mv, s.fs_hz(), rest, false);
  const Estimate sub = estimate<T, Fft>(s.emg_mv, s.fs_hz(), rest, true);
  const Estimate mix = mixture_truth(s.config.amplitude_mv, s.background_sd_mv, s.fs_hz());
  const std::uint64_t seed = s.config.seed;
  // With the rest-period noise floor subtracted: within 3 Hz of the
  // noise-free 95.7 / 115.5 Hz at every SNR >= 10 dB.
  EXPECT_NEAR(sub.median_hz, true_med, 3.0) << label << " snr " << snr << " seed " << seed;
  EXPECT_NEAR(sub.mean_hz, true_mean, 3.0) << label << " snr " << snr << " seed " << seed;
  // Without subtraction the flat noise floor biases both upwards (by +2.2 Hz
  // median, +5.1 Hz mean at 10 dB; +0.7 / +1.7 Hz at 15 dB): the raw estimate
  // must match the exact mixture truth at every SNR, and the noise-free truth
  // where the bias is small.
  EXPECT_NEAR(raw.median_hz, mix.median_hz, 3.0) << label << " snr " << snr << " seed " << seed;
  EXPECT_NEAR(raw.mean_hz, mix.mean_hz, 3.0) << label << " snr " << snr << " seed " << seed;
  if (snr >= 15.0) {
    EXPECT_NEAR(raw.median_hz, true_med, 3.0) << label << " snr " << snr << " seed " << seed;
  }
  if (snr >= 20.0) {
    EXPECT_NEAR(raw.mean_hz, true_mean, 3.0) << label << " snr " << snr << " seed " << seed;
  }
  w.med = std::max(w.med, std::abs(raw.median_hz - true_med));
  w.mean = std::max(w.mean, std::abs(raw.mean_hz - true_mean));
  w.med_sub = std::max(w.med_sub, std::abs(sub.median_hz - true_med));
  w.mean_sub = std::max(w.mean_sub, std::abs(sub.mean_hz - true_mean));
  w.mix_med = std::max(w.mix_med, std::abs(raw.median_hz - mix.median_hz));
  w.mix_mean = std::max(w.mix_mean, std::abs(raw.mean_hz - mix.mean_hz));
}

void print(const char* label, double snr, const Worst& w) {
  std::printf("[%s] SNR %4.1f dB, 5 seeds x 60 s: max error median/mean vs 95.67/115.49 Hz: raw %.2f/%.2f,"
              " noise-subtracted %.2f/%.2f; raw vs mixture truth %.2f/%.2f\n",
              label, snr, w.med, w.mean, w.med_sub, w.mean_sub, w.mix_med, w.mix_mean);
}

// Default generator spectrum (Shwedyk 60/120 Hz, 2 kHz), 5 s of rest
// (background noise only) then a 60 s sustained contraction, 5 seeds, for
// SNR 10..30 dB. The statistical SD of a 60 s median estimate is ~0.8 Hz.
TEST(MedianFrequency, SyntheticDefaultSpectrumAllBackends) {
  for (double snr : {10.0, 15.0, 20.0, 30.0}) {
    Worst wf, wd, ww;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      EmgSimConfig c;
      c.seed = seed;
      c.duration_s = 65.0;
      c.bursts = {{5.0, 65.0, 1.0, 0.0}};
      c.snr_db = snr;
      const auto s = generate_emg(c);
      check<float, BuiltinRfft<float, 1024>>("builtin float", s, snr, wf);
      check<double, BuiltinRfft<double, 1024>>("builtin double", s, snr, wd);
#if defined(SOLEUS_HAVE_FFTW)
      check<float, FftwRfft<float, 1024>>("fftw float", s, snr, ww);
#endif
    }
    print("builtin float", snr, wf);
    print("builtin double", snr, wd);
#if defined(SOLEUS_HAVE_FFTW)
    print("fftw float", snr, ww);
#endif
  }
}

TEST(MedianFrequency, SilenceGivesNoFrequency) {
  std::vector<double> zeros(4000, 0.0);
  WelchPsd<double, 1024, BuiltinRfft<double, 1024>> w;
  WelchConfig c;
  ASSERT_TRUE(w.init(c).ok());
  std::vector<double> psd(w.n_bins());
  ASSERT_TRUE(w.compute(zeros.data(), zeros.size(), psd.data()).ok());
  EXPECT_FALSE(band_stats(psd.data(), w.n_bins(), w.bin_hz()).ok());
}

}  // namespace
