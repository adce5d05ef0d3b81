// Burst onset/offset detection: synthetic bursts with exact onsets at 10 and
// 0 dB (library detector vs the Hodges-Bui baseline, table printed), the real
// walking soleus recording (one burst per stance, none in swing) and the real
// contraction recording.
#include <gtest/gtest.h>

#include <cstdio>
#include <vector>

#include "burst_metrics.hpp"
#include "csv_reader.hpp"
#include "hodges_bui.hpp"
#include "sim_bursts.hpp"
#include "soleus/emg/conditioner.hpp"
#include "soleus/emg/onset.hpp"
#include "soleus/emg/processor.hpp"
#include "test_helpers.hpp"

using namespace soleus::emg;
using namespace soleus_test;

namespace {

struct Burst {
  double on = 0.0, off = -1.0;
};

struct Collect {
  std::vector<double> onsets;
  std::vector<Burst> bursts;
  bool push(const BurstEvent& e) {
    if (e.edge == BurstEdge::onset) {
      onsets.push_back(e.time_s);
      bursts.push_back({e.time_s, -1.0});
    } else if (!bursts.empty()) {
      bursts.back().off = e.time_s;
    }
    return true;
  }
};

using Proc = EmgProcessor<1, 1024>;

Collect run_library(const SynthEmg& s, DetectionSignal sig) {
  EmgSettings es;
  es.fs_hz = s.fs_hz;
  es.onset.signal = sig;
  static Proc p;  // large: keep it off the stack
  EXPECT_TRUE(p.init(es, 1).ok());
  Collect c;
  const std::size_t step = 4096;
  for (std::size_t i = 0; i < s.x.size(); i += step) {
    const std::size_t n = std::min(step, s.x.size() - i);
    p.process(s.x.data() + i, n);
    BurstEvent e;
    while (p.pop_event(&e)) c.push(e);
  }
  EXPECT_EQ(p.events_dropped(), 0u);
  return c;
}

// Hodges & Bui 1996 on the same conditioned signal, baseline from the 2 s of
// rest the generator puts first (0.2 to 1.9 s, past the filters' start).
Collect run_hodges_bui(const SynthEmg& s) {
  ConditionerSettings cs;
  cs.fs_hz = s.fs_hz;
  static Conditioner<1> cond;
  EXPECT_TRUE(cond.init(cs, 1).ok());
  std::vector<float> y(s.x.size()), env(s.x.size());
  cond.process(s.x.data(), y.data(), env.data(), s.x.size());
  HodgesBuiSettings hs;
  hs.fs_hz = s.fs_hz;
  HodgesBuiDetector<1> hb;
  EXPECT_TRUE(hb.init(hs, 1).ok());
  hb.set_input_delay(cond.delays().conditioned_s());
  Collect c;
  const std::size_t a = static_cast<std::size_t>(0.2 * s.fs_hz), b = static_cast<std::size_t>(1.9 * s.fs_hz);
  hb.process(y.data(), a, c);
  hb.begin_rest();
  hb.process(y.data() + a, b - a, c);
  EXPECT_TRUE(hb.end_rest().ok());
  hb.process(y.data() + b, y.size() - b, c);
  return c;
}

}  // namespace

TEST(Onset, SyntheticBurstsTable) {
  std::printf("\nSynthetic bursts: Shwedyk EMG in white noise, 200 bursts per seed, fs 2 kHz\n");
  std::printf("(SNR = burst RMS / noise RMS in 20-450 Hz; error = detected - true onset)\n");
  for (double snr : {10.0, 0.0}) {
    for (unsigned seed : {11u, 12u, 13u}) {
      SynthParams sp;
      sp.snr_db = snr;
      sp.seed = seed;
      const SynthEmg s = make_bursts(sp);
      const BurstScore lib = score_onsets(run_library(s, DetectionSignal::rectified).onsets, s.bursts);
      const BurstScore tk = score_onsets(run_library(s, DetectionSignal::teager_kaiser).onsets, s.bursts);
      const BurstScore hb = score_onsets(run_hodges_bui(s).onsets, s.bursts);
      std::printf("%s\n%s\n%s\n", format_score("soleus", snr, seed, lib).c_str(),
                  format_score("soleus-TK", snr, seed, tk).c_str(),
                  format_score("hodges-bui", snr, seed, hb).c_str());
      if (snr >= 10.0) {
        EXPECT_LE(std::fabs(lib.bias_ms), 10.0) << "seed " << seed;
        EXPECT_LE(lib.sd_ms, 15.0) << "seed " << seed;
        EXPECT_GE(lib.detection(), 0.95) << "seed " << seed;
        EXPECT_LE(lib.false_rate(), 0.05) << "seed " << seed;
      } else {
        EXPECT_LE(lib.false_rate(), 0.20) << "seed " << seed;
        EXPECT_LE(lib.miss_rate(), 0.20) << "seed " << seed;
        // Measured 0.905-0.92 per seed. For scale: an oracle change-point
        // estimator that knows both power levels reaches 0.93 on this signal
        // model (white in-band noise, variance ratio 2): little headroom.
        EXPECT_GE(lib.within_50ms_rate(), 0.90) << "seed " << seed;
      }
      // The library detector must beat the baseline on false bursts.
      EXPECT_LE(lib.false_rate(), hb.false_rate()) << "seed " << seed;
    }
  }
}

TEST(Onset, WalkingSoleusOneBurstPerStance) {
  SOLEUS_REQUIRE_SHARED_DATA(emg_path, "real/walking_calf_emg/emg.csv");
  SOLEUS_REQUIRE_SHARED_DATA(gait_path, "real/walking_calf_emg/gait_cycles.csv");
  const CsvTable emg = read_csv(emg_path);
  const CsvTable gait = read_csv(gait_path);
  const std::vector<double>* t = emg.column("time");
  const std::vector<double>* so = emg.column("SO");
  const std::vector<double>* v1 = gait.column("V1");
  const std::vector<double>* v2 = gait.column("V2");
  ASSERT_TRUE(t && so && v1 && v2);
  ASSERT_EQ(v1->size(), 6u);
  std::vector<float> x(so->begin(), so->end());

  EmgSettings es;
  es.fs_hz = 1000.0;
  es.start_time_s = t->front();
  static EmgProcessor<1> p;
  ASSERT_TRUE(p.init(es, 1).ok());
  ASSERT_TRUE(p.process(x.data(), x.size()).ok());
  Collect c;
  BurstEvent e;
  while (p.pop_event(&e)) c.push(e);

  std::printf("\nWalking soleus (SO), bursts (onset, offset) s:\n");
  for (const Burst& b : c.bursts) std::printf("  %.3f  %.3f\n", b.on, b.off);
  for (std::size_t i = 0; i < v1->size(); ++i) {
    int in_stance = 0;
    for (const Burst& b : c.bursts) {
      if (b.on >= (*v1)[i] && b.on < (*v2)[i]) {
        ++in_stance;
        EXPECT_GT(b.off, b.on) << "cycle " << i;
        EXPECT_LE(b.off, (*v2)[i]) << "cycle " << i << ": offset after lift-off";
      }
    }
    EXPECT_EQ(in_stance, 1) << "cycle " << i << " (touchdown " << (*v1)[i] << " s)";
    // Swing: from this lift-off to the next touchdown (or the end).
    const double swing_end = i + 1 < v1->size() ? (*v1)[i + 1] : t->back();
    for (const Burst& b : c.bursts) {
      EXPECT_FALSE(b.on >= (*v2)[i] && b.on < swing_end) << "burst in swing at " << b.on;
    }
  }
  // The 7th burst: a stance that began before the recording (README: ~0.5-1.0 s).
  ASSERT_EQ(c.bursts.size(), 7u);
  EXPECT_GT(c.bursts[0].on, 0.3);
  EXPECT_LT(c.bursts[0].off, (*v1)[0]);
}

TEST(Onset, RealContraction) {
  SOLEUS_REQUIRE_SHARED_DATA(path, "real/contraction_emg/emg.csv");
  const CsvTable tab = read_csv(path, false);
  ASSERT_EQ(tab.columns.size(), 2u);
  const std::vector<double>& t = tab.columns[0];
  std::vector<float> x(tab.columns[1].begin(), tab.columns[1].end());
  EmgSettings es;
  es.fs_hz = 1000.0;
  es.start_time_s = t.front();
  static EmgProcessor<1> p;
  ASSERT_TRUE(p.init(es, 1).ok());
  p.process(x.data(), x.size());
  Collect c;
  BurstEvent e;
  while (p.pop_event(&e)) c.push(e);
  std::printf("\nContraction recording, bursts (onset, offset) s:\n");
  for (const Burst& b : c.bursts) std::printf("  %.3f  %.3f\n", b.on, b.off);
  // The file (despite its README line "one voluntary contraction") holds
  // three activity periods: band-passed RMS over 50 ms windows is 4-7 uV at
  // rest and 20-50 uV within about 0.38-1.00, 1.37-1.92 and 2.39-2.98 s
  // (read off the raw data with an independent RMS, not with this code).
  const double seg[3][2] = {{0.38, 1.00}, {1.37, 1.92}, {2.39, 2.98}};
  ASSERT_EQ(c.bursts.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(c.bursts[i].on, seg[i][0], 0.06) << "burst " << i;
    EXPECT_NEAR(c.bursts[i].off, seg[i][1], 0.08) << "burst " << i;
  }
}
