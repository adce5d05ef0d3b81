// Filter design equals scipy.signal (butter, iirnotch, sosfilt_zi) on the
// committed reference grid, and invalid designs say what is wrong.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>

#include "soleus/dsp/filter_design.hpp"
#include "test_helpers.hpp"

using soleus::StatusCode;
using namespace soleus::dsp;

namespace {

double rel_err(double got, double want, double scale) {
  return std::fabs(got - want) / (scale > 0 ? scale : 1.0);
}

}  // namespace

TEST(ButterDesign, EqualsScipyOnReferenceGridWithin1e10Relative) {
  const auto rows = soleus_test::read_rows(soleus_test::reference_path("butter_grid.txt"));
  ASSERT_GT(rows.size(), 900u) << "reference grid missing or truncated";
  const BandType types[] = {BandType::lowpass, BandType::highpass, BandType::bandpass,
                            BandType::bandstop};
  int checked = 0;
  double worst = 0.0;
  for (const auto& r : rows) {
    const int bt = static_cast<int>(r[0]);
    const int order = static_cast<int>(r[1]);
    const int nsec = static_cast<int>(r[5]);
    auto res = butter(order, r[3], r[4], types[bt], r[2]);
    ASSERT_TRUE(res.ok()) << res.status.message;
    ASSERT_EQ(res.value.size(), nsec) << "order " << order << " type " << bt;
    for (int s = 0; s < nsec; ++s) {
      const double* want = &r[6 + 6 * s];
      const SosSection& g = res.value[s];
      const double got[6] = {g.b0, g.b1, g.b2, g.a0, g.a1, g.a2};
      // Relative to the section's largest coefficient of the same polynomial
      // (b or a), so coefficients that are ~0 do not demand 1e-10 of nothing.
      double bmax = 0, amax = 0;
      for (int k = 0; k < 3; ++k) bmax = std::fmax(bmax, std::fabs(want[k]));
      for (int k = 3; k < 6; ++k) amax = std::fmax(amax, std::fabs(want[k]));
      for (int k = 0; k < 6; ++k) {
        const double e = rel_err(got[k], want[k], k < 3 ? bmax : amax);
        worst = std::fmax(worst, e);
        EXPECT_LE(e, 1e-10) << "type " << bt << " order " << order << " fs " << r[2] << " f1 "
                            << r[3] << " f2 " << r[4] << " section " << s << " coef " << k
                            << ": got " << got[k] << " want " << want[k];
      }
    }
    ++checked;
  }
  RecordProperty("worst_relative_error", std::to_string(worst));
  EXPECT_EQ(checked, static_cast<int>(rows.size()));
}

TEST(ButterDesign, InvalidDesignsReturnStatusNamingTheArgument) {
  struct Case {
    int order;
    double f1, f2;
    BandType type;
    double fs;
    const char* arg;
  } cases[] = {
      {0, 10, 0, BandType::lowpass, 100, "N"},
      {11, 10, 0, BandType::lowpass, 100, "N"},
      {4, 50, 0, BandType::lowpass, 100, "Wn"},   // at Nyquist
      {4, 60, 0, BandType::highpass, 100, "Wn"},  // above Nyquist
      {4, 0, 0, BandType::lowpass, 100, "Wn"},
      {4, -3, 0, BandType::lowpass, 100, "Wn"},
      {4, 30, 20, BandType::bandpass, 100, "Wn"},  // edges reversed
      {4, 20, 20, BandType::bandstop, 100, "Wn"},
      {4, 20, 50, BandType::bandpass, 100, "Wn"},  // upper edge at Nyquist
      {4, 10, 0, BandType::lowpass, 0, "fs"},
      {4, 10, 0, BandType::lowpass, -1, "fs"},
      {4, 10, 0, BandType::lowpass, NAN, "fs"},
      {4, NAN, 0, BandType::lowpass, 100, "Wn"},
  };
  for (const Case& c : cases) {
    auto r = butter(c.order, c.f1, c.f2, c.type, c.fs);
    EXPECT_FALSE(r.ok()) << "order " << c.order << " f1 " << c.f1 << " fs " << c.fs;
    EXPECT_EQ(r.status.code, StatusCode::invalid_argument);
    EXPECT_EQ(std::strncmp(r.status.message, c.arg, std::strlen(c.arg)), 0)
        << "message '" << r.status.message << "' should start with " << c.arg;
  }
}

TEST(Iirnotch, EqualsScipy) {
  const auto rows = soleus_test::read_rows(soleus_test::reference_path("iirnotch.txt"));
  ASSERT_EQ(rows.size(), 48u);
  for (const auto& r : rows) {
    auto res = iirnotch(r[0], r[1], r[2]);
    ASSERT_TRUE(res.ok());
    ASSERT_EQ(res.value.size(), 1);
    const SosSection& s = res.value[0];
    const double got[6] = {s.b0, s.b1, s.b2, s.a0, s.a1, s.a2};
    for (int k = 0; k < 6; ++k) EXPECT_NEAR(got[k], r[3 + k], 1e-14) << "f0 " << r[0];
  }
  EXPECT_FALSE(iirnotch(0, 30, 1000).ok());
  EXPECT_FALSE(iirnotch(500, 30, 1000).ok());
  EXPECT_FALSE(iirnotch(50, 0, 1000).ok());
}

// Magnitude response of a cascade at f (closed form from the coefficients).
static double gain_at(const SosList& sos, double f, double fs) {
  const double w = 2 * M_PI * f / fs;
  std::complex<double> z1 = std::polar(1.0, -w), z2 = std::polar(1.0, -2 * w);
  std::complex<double> h = 1.0;
  for (const SosSection& s : sos) h *= (s.b0 + s.b1 * z1 + s.b2 * z2) / (s.a0 + s.a1 * z1 + s.a2 * z2);
  return std::abs(h);
}

TEST(MainsFilter, NotchesFundamentalAndEveryHarmonicBelowNyquist) {
  const double fs = 2000;
  auto r = mains_filter(50.0, fs, 4.0);
  ASSERT_TRUE(r.ok()) << r.status.message;
  EXPECT_EQ(r.value.size(), 19);  // 50..950 Hz; 1000 Hz is Nyquist
  for (int h = 1; h <= 19; ++h) {
    EXPECT_LT(gain_at(r.value, 50.0 * h, fs), 1e-6) << "harmonic " << h;
  }
  // Pass band between harmonics is barely touched.
  EXPECT_GT(gain_at(r.value, 75.0, fs), 0.95);
  EXPECT_GT(gain_at(r.value, 225.0, fs), 0.95);
  // 60 Hz mains, limited to 3 harmonics.
  auto r60 = mains_filter(60.0, fs, 4.0, 3);
  ASSERT_TRUE(r60.ok());
  EXPECT_EQ(r60.value.size(), 3);
  EXPECT_FALSE(mains_filter(50.0, fs, 0.0).ok());
  EXPECT_FALSE(mains_filter(50.0, 90.0).ok());
  EXPECT_FALSE(mains_filter(50.0, fs, 4.0, -1).ok());
}

TEST(MainsFilter, TooManyHarmonicsForCapacityIsReportedNotTruncated) {
  // 10 Hz "mains" at 4 kHz would need 199 notches.
  auto r = mains_filter(10.0, 4000.0, 2.0);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status.code, StatusCode::capacity_exceeded);
}

TEST(SosfiltZi, EqualsScipy) {
  const auto rows = soleus_test::read_rows(soleus_test::reference_path("sosfilt_zi.txt"));
  ASSERT_EQ(rows.size(), 12u);
  for (size_t c = 0; c < rows.size(); c += 2) {
    const int n = static_cast<int>(rows[c][0]);
    auto sos = SosList::from_array(&rows[c][1], n);
    ASSERT_TRUE(sos.ok());
    double zi[SosList::capacity][2];
    sosfilt_zi(sos.value, zi);
    for (int s = 0; s < n; ++s)
      for (int k = 0; k < 2; ++k) {
        const double want = rows[c + 1][2 * s + k];
        EXPECT_NEAR(zi[s][k], want, 1e-12 * std::fmax(1.0, std::fabs(want)))
            << "case " << c / 2 << " section " << s;
      }
  }
}
