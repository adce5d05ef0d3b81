// FFT backends against a direct DFT evaluated in long double, and against
// each other: both must give the same spectrum to within rounding.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <vector>

#include "soleus/dsp/fft.hpp"

namespace {

using soleus::dsp::BuiltinRfft;

// Deterministic test input independent of the code under test.
std::vector<double> test_signal(int n, std::uint32_t seed) {
  std::vector<double> x(n);
  std::uint32_t s = seed;
  for (int i = 0; i < n; ++i) {
    s = s * 1664525u + 1013904223u;
    x[i] = (static_cast<double>(s >> 8) / 16777216.0 - 0.5) + 0.3 * std::sin(0.05 * i) + 0.7;
  }
  return x;
}

std::vector<std::complex<long double>> direct_dft(const std::vector<double>& x) {
  const int n = static_cast<int>(x.size());
  std::vector<std::complex<long double>> X(n / 2 + 1);
  const long double two_pi = 6.283185307179586476925286766559L;
  for (int k = 0; k <= n / 2; ++k) {
    long double re = 0, im = 0;
    for (int j = 0; j < n; ++j) {
      // Reduce jk mod n exactly in integers before the angle: keeps the
      // reference accurate at large n.
      const long double a = -two_pi * static_cast<long double>((static_cast<long>(j) * k) % n) / n;
      re += x[j] * std::cos(a);
      im += x[j] * std::sin(a);
    }
    X[k] = {re, im};
  }
  return X;
}

template <typename Fft, typename T>
double max_rel_error(Fft& fft, int n) {
  const auto xd = test_signal(n, 12345u + n);
  std::vector<T> x(xd.begin(), xd.end());
  // Reference on the T-rounded input, so only the transform's error counts.
  std::vector<double> xr(x.begin(), x.end());
  const auto ref = direct_dft(xr);
  std::vector<std::complex<T>> out(n / 2 + 1);
  EXPECT_TRUE(fft.init(n).ok());
  fft.forward(x.data(), out.data());
  long double scale = 0;
  for (const auto& v : ref) scale = std::max(scale, std::abs(v));
  double err = 0;
  for (int k = 0; k <= n / 2; ++k) {
    const long double dr = out[k].real() - ref[k].real();
    const long double di = out[k].imag() - ref[k].imag();
    err = std::max(err, static_cast<double>(std::sqrt(dr * dr + di * di) / scale));
  }
  return err;
}

TEST(Fft, BuiltinDoubleMatchesDirectDft) {
  BuiltinRfft<double, 4096> fft;
  for (int n = 2; n <= 2048; n *= 2) {
    EXPECT_LT((max_rel_error<decltype(fft), double>(fft, n)), 1e-13) << "n=" << n;
  }
}

TEST(Fft, BuiltinFloatMatchesDirectDft) {
  BuiltinRfft<float, 4096> fft;
  for (int n = 2; n <= 2048; n *= 2) {
    EXPECT_LT((max_rel_error<decltype(fft), float>(fft, n)), 2e-6) << "n=" << n;
  }
}

TEST(Fft, PureToneLandsInItsBin) {
  // Known answer: cos(2 pi 5 j / 64) has X[5] = 32, every other bin 0.
  BuiltinRfft<double, 64> fft;
  ASSERT_TRUE(fft.init(64).ok());
  std::vector<double> x(64);
  for (int j = 0; j < 64; ++j) x[j] = std::cos(6.283185307179586 * 5 * j / 64);
  std::vector<std::complex<double>> out(33);
  fft.forward(x.data(), out.data());
  for (int k = 0; k <= 32; ++k) {
    EXPECT_NEAR(out[k].real(), k == 5 ? 32.0 : 0.0, 1e-12) << k;
    EXPECT_NEAR(out[k].imag(), 0.0, 1e-12) << k;
  }
}

TEST(Fft, RejectsBadSizes) {
  BuiltinRfft<float, 256> fft;
  EXPECT_FALSE(fft.init(0).ok());
  EXPECT_FALSE(fft.init(1).ok());
  EXPECT_FALSE(fft.init(48).ok());
  EXPECT_FALSE(fft.init(512).ok());
  EXPECT_TRUE(fft.init(256).ok());
}

#if defined(SOLEUS_HAVE_FFTW)
TEST(Fft, FftwFloatMatchesDirectDft) {
  soleus::dsp::FftwRfft<float, 4096> fft;
  for (int n = 2; n <= 2048; n *= 2) {
    EXPECT_LT((max_rel_error<decltype(fft), float>(fft, n)), 2e-6) << "n=" << n;
  }
}

template <typename T, typename A, typename B>
void expect_backends_agree(A& a, B& b, double tol) {
  for (int n = 2; n <= 2048; n *= 2) {
    const auto xd = test_signal(n, 777u + n);
    std::vector<T> x(xd.begin(), xd.end());
    std::vector<std::complex<T>> oa(n / 2 + 1), ob(n / 2 + 1);
    ASSERT_TRUE(a.init(n).ok());
    ASSERT_TRUE(b.init(n).ok());
    a.forward(x.data(), oa.data());
    b.forward(x.data(), ob.data());
    double scale = 0;
    for (auto v : oa) scale = std::max(scale, static_cast<double>(std::abs(v)));
    for (int k = 0; k <= n / 2; ++k) {
      EXPECT_LT(std::abs(std::complex<double>(oa[k]) - std::complex<double>(ob[k])), tol * scale)
          << "n=" << n << " k=" << k;
    }
  }
}

TEST(Fft, BackendsAgreeFloat) {
  BuiltinRfft<float, 2048> a;
  soleus::dsp::FftwRfft<float, 2048> b;
  expect_backends_agree<float>(a, b, 2e-6);
}

#if defined(SOLEUS_HAVE_FFTW_DOUBLE)
TEST(Fft, BackendsAgreeDouble) {
  BuiltinRfft<double, 2048> a;
  soleus::dsp::FftwRfft<double, 2048> b;
  expect_backends_agree<double>(a, b, 1e-14);
}
#endif

TEST(Fft, FftwIsPreferredWhenPresent) {
  EXPECT_STREQ((soleus::dsp::Rfft<float, 64>::backend_name()), "fftw");
}
#else
TEST(Fft, BuiltinIsUsedWithoutFftw) {
  EXPECT_STREQ((soleus::dsp::Rfft<float, 64>::backend_name()), "builtin");
}
#endif

}  // namespace
