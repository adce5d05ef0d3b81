// Per-burst median / mean frequency and the within-burst median slope
// (EmgSettings::spectra, emg/burst_spectra.hpp), against the simulator's
// closed-form spectrum (Shwedyk f_l = 60, f_h = 120 Hz: 95.7 / 115.5 Hz in
// 20-450 Hz) and its fatigue ground truth; chunking invariance; off = NaN;
// no heap in process().
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "alloc_counter.hpp"
#include "soleus/emg/processor.hpp"
#include "soleus/sim/emg.hpp"

using namespace soleus::emg;
namespace sim = soleus::sim;

namespace {

using Proc = EmgProcessor<2, 256>;

EmgSettings spectra_on(double fs) {
  EmgSettings s;
  s.fs_hz = fs;
  s.spectra.enabled = true;
  return s;
}

// chunk 0: one block; < 0: random 1..999.
std::vector<BurstEvent> run(Proc& p, const std::vector<float>& x, long chunk, unsigned seed = 3) {
  std::vector<BurstEvent> ev;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> len(1, 999);
  std::size_t i = 0;
  while (i < x.size()) {
    std::size_t n = chunk == 0 ? x.size() : static_cast<std::size_t>(len(rng));
    n = std::min(n, x.size() - i);
    EXPECT_TRUE(p.process(x.data() + i, n).ok());
    BurstEvent e;
    while (p.pop_event(&e)) ev.push_back(e);
    i += n;
  }
  return ev;
}

std::vector<float> to_float(const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); }

}  // namespace

TEST(BurstSpectra, MedianAndMeanOfEachBurstMatchTheClosedForm) {
  sim::EmgSimConfig c;
  c.seed = 21;
  c.duration_s = 62.0;
  c.snr_db = 30.0;
  for (int b = 0; b < 20; ++b) c.bursts.push_back({2.0 + 3.0 * b, 4.0 + 3.0 * b, 1.0, 0.0});
  const sim::EmgSim s = sim::generate_emg(c);
  const double med = s.true_median_hz(10.0), mean = s.true_mean_hz(10.0);
  EXPECT_NEAR(med, 95.7, 0.1);
  static Proc p;
  ASSERT_TRUE(p.init(spectra_on(c.fs_hz), 1).ok());
  const auto ev = run(p, to_float(s.emg_mv), 0);
  int offsets = 0;
  double sm = 0.0, sn = 0.0, ss = 0.0, sq = 0.0;
  for (const BurstEvent& e : ev) {
    if (e.edge == BurstEdge::onset) {
      EXPECT_TRUE(std::isnan(e.median_hz));
      continue;
    }
    // The 20 true bursts (2 s); a stray noise excursion of a few hundred ms
    // has a white spectrum and is not what this checks.
    if (e.duration_s < 1.0) continue;
    ++offsets;
    // ~14 half-overlapping 0.25 s segments each.
    EXPECT_GE(e.spectrum_segments, 10);
    // ~1.8 s of burst per estimate: per-burst figures scatter by ~4 Hz (SD).
    EXPECT_NEAR(e.median_hz, med, 15.0);
    EXPECT_NEAR(e.mean_hz, mean, 15.0);
    sm += e.median_hz;
    sn += e.mean_hz;
    ss += e.median_slope_hz_per_s;
    sq += (e.median_hz - med) * (e.median_hz - med);
  }
  ASSERT_EQ(offsets, 20);
  std::printf("20 bursts of 2 s: mean of per-burst medians %.2f Hz (truth %.2f), of means %.2f Hz (truth %.2f), "
              "mean within-burst slope %.2f Hz/s (truth 0)\n",
              sm / offsets, med, sn / offsets, mean, ss / offsets);
  EXPECT_NEAR(sm / offsets, med, 3.0);
  EXPECT_NEAR(sn / offsets, mean, 3.0);
  EXPECT_LT(std::sqrt(sq / offsets), 6.0);  // RMS error of a single burst's median
  // No fatigue in this record: a 2 s slope is noisy (SD ~5 Hz/s from 14
  // segments), their mean over 20 bursts is near 0.
  EXPECT_LT(std::fabs(ss / offsets), 4.0);
}

TEST(BurstSpectra, FatigueSlopeInsideAHoldHasTheRightSignAndSize) {
  // One 40 s contraction (an isometric hold) whose spectrum compresses to
  // 0.7x: the median falls ~0.75 Hz/s. The within-burst slope must recover it
  // within 20 %.
  sim::EmgSimConfig c;
  c.seed = 5;
  c.duration_s = 44.0;
  c.snr_db = 20.0;
  c.fatigue_scale_end = 0.7;
  c.bursts.push_back({2.0, 42.0, 1.0, 0.0});
  const sim::EmgSim s = sim::generate_emg(c);
  // Truth: least-squares slope of the model median over the analysed span.
  double sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0;
  for (double t = 2.5; t <= 41.5; t += 0.125) {
    const double y = s.true_median_hz(t);
    sx += t; sy += y; sxx += t * t; sxy += t * y; n += 1;
  }
  const double truth = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  static Proc p;
  ASSERT_TRUE(p.init(spectra_on(c.fs_hz), 1).ok());
  const auto ev = run(p, to_float(s.emg_mv), 0);
  int offsets = 0;
  for (const BurstEvent& e : ev) {
    if (e.edge != BurstEdge::offset) continue;
    ++offsets;
    std::printf("hold: %d segments, median %.1f Hz, slope %.3f Hz/s (truth %.3f)\n", e.spectrum_segments,
                e.median_hz, e.median_slope_hz_per_s, truth);
    EXPECT_LT(e.median_slope_hz_per_s, 0.0f);
    EXPECT_NEAR(e.median_slope_hz_per_s, truth, 0.2 * std::fabs(truth));
  }
  EXPECT_EQ(offsets, 1);
}

TEST(BurstSpectra, ChunkingDoesNotChangeAnyBitAndNoHeap) {
  sim::EmgSimConfig c;
  c.seed = 9;
  c.duration_s = 30.0;
  c.snr_db = 15.0;
  for (int b = 0; b < 9; ++b) c.bursts.push_back({1.5 + 3.1 * b, 2.7 + 3.1 * b + 0.1 * b, 1.0, 0.0});
  const sim::EmgSim s = sim::generate_emg(c);
  // Two channels: the signal and a copy 0.5 s later (both start at rest).
  std::vector<float> x(2 * s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    x[2 * i] = static_cast<float>(s.emg_mv[i]);
    x[2 * i + 1] = static_cast<float>(s.emg_mv[(i + s.size() - 1000) % s.size()]);
  }
  static Proc a, b;
  ASSERT_TRUE(a.init(spectra_on(c.fs_hz), 2).ok());
  ASSERT_TRUE(b.init(spectra_on(c.fs_hz), 2).ok());
  // One block over the interleaved frames (process() takes frames, not samples).
  std::vector<BurstEvent> one;
  ASSERT_TRUE(a.process(x.data(), s.size()).ok());
  BurstEvent e;
  while (a.pop_event(&e)) one.push_back(e);
  std::vector<BurstEvent> many;
  many.reserve(one.size() + 16);
  std::mt19937 rng(4);
  std::uniform_int_distribution<int> len(1, 700);
  std::size_t i = 0;
  const long allocated = soleus_test::allocations_during([&] {
    while (i < s.size()) {
      const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(len(rng)), s.size() - i);
      ASSERT_TRUE(b.process(x.data() + 2 * i, n).ok());
      while (b.pop_event(&e)) many.push_back(e);
      i += n;
    }
  });
  EXPECT_EQ(allocated, 0) << "process() allocated";
  ASSERT_EQ(one.size(), many.size());
  int with_spectrum = 0;
  for (std::size_t k = 0; k < one.size(); ++k) {
    EXPECT_EQ(one[k].time_s, many[k].time_s);
    EXPECT_EQ(one[k].channel, many[k].channel);
    const bool both_nan = std::isnan(one[k].median_hz) && std::isnan(many[k].median_hz);
    EXPECT_TRUE(both_nan || one[k].median_hz == many[k].median_hz) << k;
    EXPECT_TRUE(both_nan || one[k].mean_hz == many[k].mean_hz) << k;
    EXPECT_EQ(one[k].spectrum_segments, many[k].spectrum_segments);
    with_spectrum += one[k].spectrum_segments > 0 ? 1 : 0;
  }
  EXPECT_GE(with_spectrum, 16);  // 9 bursts x 2 channels, offsets
}

TEST(BurstSpectra, OffByDefaultAndSettingsChecked) {
  sim::EmgSimConfig c;
  c.seed = 2;
  c.duration_s = 8.0;
  c.bursts.push_back({2.0, 5.0, 1.0, 0.0});
  const sim::EmgSim s = sim::generate_emg(c);
  static Proc p;
  EmgSettings def;
  ASSERT_TRUE(p.init(def, 1).ok());
  int offsets = 0;
  for (const BurstEvent& e : run(p, to_float(s.emg_mv), 0)) {
    if (e.edge != BurstEdge::offset) continue;
    ++offsets;
    EXPECT_TRUE(std::isnan(e.median_hz));
    EXPECT_EQ(e.spectrum_segments, 0);
  }
  EXPECT_EQ(offsets, 1);
  EmgSettings big = spectra_on(2000.0);
  big.spectra.segment_s = 0.5;  // 1000 samples > MaxSpectrumNfft 512
  EXPECT_EQ(p.init(big, 1).code, soleus::StatusCode::capacity_exceeded);
  EmgSettings hop = spectra_on(2000.0);
  hop.spectra.hop_s = 0.3;
  const soleus::Status st = p.init(hop, 1);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(std::string(st.message).find("spectra.hop_s"), std::string::npos);
}
