// Welch PSD and band statistics against scipy.signal.welch reference vectors
// (tests/reference/make_spectral_refs.py), for both FFT backends and both
// precisions; plus Parseval and argument checks.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "soleus/dsp/spectral.hpp"
#include "test_helpers.hpp"

namespace {

using namespace soleus::dsp;

struct RefCase {
  int id;
  double fs;
  int nperseg, noverlap, nfft;
  std::vector<double> psd;
  double lo, hi, median, mean, finsm5;
};

struct Refs {
  std::vector<double> x;
  std::vector<RefCase> cases;
};

const Refs& refs() {
  static Refs r = [] {
    Refs out;
    const auto rows = soleus_test::read_rows(soleus_test::reference_path("spectral_refs.txt"));
    for (const auto& row : rows) {
      if (row.empty()) continue;
      if (row[0] == 0) {
        // The script wrote float32 values with 9 digits: rounding to float
        // recovers them exactly (parsing as double would be 1e-9 off).
        for (auto it = row.begin() + 2; it != row.end(); ++it) out.x.push_back(static_cast<float>(*it));
      } else if (row[0] == 1) {
        RefCase c{};
        c.id = static_cast<int>(row[1]);
        c.fs = row[2];
        c.nperseg = static_cast<int>(row[3]);
        c.noverlap = static_cast<int>(row[4]);
        c.nfft = static_cast<int>(row[5]);
        c.psd.assign(row.begin() + 7, row.end());
        out.cases.push_back(c);
      } else if (row[0] == 2) {
        RefCase& c = out.cases.at(static_cast<std::size_t>(row[1]));
        c.lo = row[2];
        c.hi = row[3];
        c.median = row[4];
        c.mean = row[5];
        c.finsm5 = row[6];
      }
    }
    return out;
  }();
  return r;
}

template <typename T, typename Fft>
void check_against_scipy(double rel_tol, double hz_tol) {
  const Refs& r = refs();
  ASSERT_EQ(r.x.size(), 2000u) << "reference file missing or malformed";
  ASSERT_EQ(r.cases.size(), 4u);
  std::vector<T> x(r.x.begin(), r.x.end());
  for (const RefCase& c : r.cases) {
    WelchPsd<T, 1024, Fft> w;
    WelchConfig cfg;
    cfg.fs_hz = c.fs;
    cfg.nperseg = c.nperseg;
    cfg.noverlap = c.noverlap;
    cfg.nfft = c.nfft;
    ASSERT_TRUE(w.init(cfg).ok());
    ASSERT_EQ(w.n_bins(), static_cast<int>(c.psd.size()));
    std::vector<T> psd(w.n_bins());
    const auto res = w.compute(x.data(), x.size(), psd.data());
    ASSERT_TRUE(res.ok());
    EXPECT_EQ(res.value, static_cast<int>((x.size() - c.nperseg) / (c.nperseg - c.noverlap) + 1));
    double peak = 0;
    for (double v : c.psd) peak = std::max(peak, v);
    for (std::size_t k = 0; k < psd.size(); ++k) {
      // Relative to the bin itself where it is large, to the peak where it is tiny.
      const double tol = rel_tol * std::max(std::abs(c.psd[k]), 1e-3 * peak);
      EXPECT_NEAR(psd[k], c.psd[k], tol) << "case " << c.id << " bin " << k;
    }
    const auto st = band_stats(psd.data(), w.n_bins(), w.bin_hz(), c.lo, c.hi);
    ASSERT_TRUE(st.ok());
    EXPECT_NEAR(st.value.median_hz, c.median, hz_tol) << "case " << c.id;
    EXPECT_NEAR(st.value.mean_hz, c.mean, hz_tol) << "case " << c.id;
    const auto fi = finsm5(psd.data(), w.n_bins(), w.bin_hz(), c.lo, c.hi);
    ASSERT_TRUE(fi.ok());
    EXPECT_NEAR(fi.value / c.finsm5, 1.0, 1000 * rel_tol) << "case " << c.id;
  }
}

TEST(Welch, MatchesScipyDoubleBuiltin) { check_against_scipy<double, BuiltinRfft<double, 1024>>(1e-10, 1e-9); }
TEST(Welch, MatchesScipyFloatBuiltin) { check_against_scipy<float, BuiltinRfft<float, 1024>>(2e-4, 1e-3); }
#if defined(SOLEUS_HAVE_FFTW)
TEST(Welch, MatchesScipyFloatFftw) { check_against_scipy<float, FftwRfft<float, 1024>>(2e-4, 1e-3); }
#if defined(SOLEUS_HAVE_FFTW_DOUBLE)
TEST(Welch, MatchesScipyDoubleFftw) { check_against_scipy<double, FftwRfft<double, 1024>>(1e-10, 1e-9); }
#endif
#endif

TEST(Welch, WhiteNoiseDensityIsVarianceOverHalfFs) {
  // Known answer independent of scipy: zero-mean white noise of variance s2
  // has one-sided density 2*s2/fs.
  const double fs = 1000.0, s2 = 4.0;
  std::vector<double> x(200000);
  std::uint64_t st = 42;
  for (std::size_t i = 0; i < x.size(); i += 2) {
    auto u = [&] {
      st = st * 6364136223846793005ull + 1442695040888963407ull;
      return (static_cast<double>(st >> 11) + 0.5) * 0x1.0p-53;
    };
    const double r = std::sqrt(-2 * std::log(u())) * std::sqrt(s2), a = 6.283185307179586 * u();
    x[i] = r * std::cos(a);
    x[i + 1] = r * std::sin(a);
  }
  WelchPsd<double, 256, BuiltinRfft<double, 256>> w;
  WelchConfig c;
  c.fs_hz = fs;
  c.nperseg = 256;
  ASSERT_TRUE(w.init(c).ok());
  std::vector<double> psd(w.n_bins());
  ASSERT_TRUE(w.compute(x.data(), x.size(), psd.data()).ok());
  double mean = 0;
  for (int k = 5; k < w.n_bins() - 5; ++k) mean += psd[k];
  mean /= (w.n_bins() - 10);
  EXPECT_NEAR(mean, 2 * s2 / fs, 0.01 * 2 * s2 / fs);
}

TEST(Welch, RejectsBadConfigAndShortInput) {
  WelchPsd<float, 256, BuiltinRfft<float, 256>> w;
  WelchConfig c;
  c.nperseg = 300;  // nfft 512 > capacity
  EXPECT_EQ(w.init(c).code, soleus::StatusCode::capacity_exceeded);
  c.nperseg = 100;
  c.noverlap = 100;
  EXPECT_FALSE(w.init(c).ok());
  c.noverlap = -1;
  c.nfft = 100;  // not a power of two
  EXPECT_FALSE(w.init(c).ok());
  c.nfft = 0;
  c.fs_hz = 0;
  EXPECT_FALSE(w.init(c).ok());
  c.fs_hz = 1000;
  ASSERT_TRUE(w.init(c).ok());
  std::vector<float> x(99, 1.0f), psd(w.n_bins());
  EXPECT_EQ(w.compute(x.data(), x.size(), psd.data()).status.code, soleus::StatusCode::not_ready);
}

TEST(BandStats, KnownAnswerForFlatAndEmptySpectra) {
  // Flat PSD over 0..500 Hz: median of [20, 450] is 235 Hz, mean 235 Hz.
  std::vector<double> flat(257, 1.0);
  const double df = 1000.0 / 512;
  auto st = band_stats(flat.data(), 257, df, 20.0, 450.0);
  ASSERT_TRUE(st.ok());
  EXPECT_NEAR(st.value.median_hz, 235.0, 1e-9);
  EXPECT_NEAR(st.value.mean_hz, 235.0, 1e-9);
  EXPECT_NEAR(st.value.power, 430.0, 1e-9);
  // FInsm5 of a flat band: ln(hi/lo) / ((hi^6 - lo^6)/6).
  auto fi = finsm5(flat.data(), 257, df, 20.0, 450.0);
  ASSERT_TRUE(fi.ok());
  EXPECT_NEAR(fi.value / (std::log(450.0 / 20.0) / ((std::pow(450.0, 6) - std::pow(20.0, 6)) / 6)), 1.0, 1e-12);
  std::vector<double> zero(257, 0.0);
  EXPECT_EQ(band_stats(zero.data(), 257, df).status.code, soleus::StatusCode::not_ready);
  EXPECT_FALSE(band_stats(flat.data(), 257, df, 300.0, 200.0).ok());
  EXPECT_FALSE(finsm5(flat.data(), 257, df, 0.0, 200.0).ok());
}

TEST(LsqSlope, KnownLineAndDegenerateInput) {
  std::vector<double> t, y;
  // Residual pattern + - - + is orthogonal to both 1 and t over every 4
  // points, so the least-squares slope is exactly -0.25.
  const double pattern[4] = {0.1, -0.1, -0.1, 0.1};
  for (int i = 0; i < 48; ++i) {
    t.push_back(1e6 + 0.5 * i);  // large offset: centred sums must cope
    y.push_back(100.0 - 0.25 * t.back() + pattern[i % 4]);
  }
  const auto s = lsq_slope(t.data(), y.data(), t.size());
  ASSERT_TRUE(s.ok());
  EXPECT_NEAR(s.value, -0.25, 1e-6);
  EXPECT_FALSE(lsq_slope(t.data(), y.data(), 1).ok());
  std::vector<double> same(5, 3.0);
  EXPECT_FALSE(lsq_slope(same.data(), same.data(), 5).ok());
}

}  // namespace
