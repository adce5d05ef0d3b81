// The set summary's fatigue trend: with per-burst spectra on, the Session
// links each rep to the soleus burst that overlaps it and feeds the burst's
// median frequency to the set tracker; the set's least-squares slope per rep
// must match the generator's spectral compression (ground truth: the model
// median at each rep's midpoint), with the right sign. Without spectra the
// trend is reported as not valid.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "session_sim.hpp"
#include "soleus/session.hpp"
#include "soleus/sim/emg.hpp"

namespace {

using Sess = soleus::Session<4, 256>;

double lsq_slope(const std::vector<double>& y) {
  const double n = static_cast<double>(y.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double x = static_cast<double>(i);
    sx += x; sy += y[i]; sxx += x * x; sxy += x * y[i];
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

}  // namespace

TEST(SessionFatigue, SetTrendFollowsTheSoleusMedianFrequency) {
  // A set's slope from 12 reps scatters by ~0.3 Hz/rep (per-rep medians
  // scatter by ~4 Hz): each set within 50 %, the mean ratio over 3 seeds x 2
  // sets within 20 %.
  double ratio_sum = 0.0;
  int ratio_n = 0;
  for (std::uint64_t seed : {7u, 8u, 9u}) {
    session_sim::Spec sp;
    sp.seed = seed;
    sp.channels = 2;
    sp.n_sets = 2;
    sp.reps_per_set = 12;
    sp.fatigue_scale_end = 0.5;
    const session_sim::Input in = session_sim::make_input(sp);
    // Model median at each rep's midpoint (the generator's truth), per set.
    soleus::sim::EmgSimConfig ec;
    ec.duration_s = static_cast<double>(in.emg_t.size()) / sp.emg_fs;
    ec.fatigue_scale_end = sp.fatigue_scale_end;
    soleus::sim::EmgSim model;
    model.config = ec;
    std::vector<std::vector<double>> truth(static_cast<std::size_t>(sp.n_sets));
    for (const auto& r : in.truth.reps)
      truth[static_cast<std::size_t>(r.set_index)].push_back(model.true_median_hz(0.5 * (r.start_s + r.end_s)));

    for (bool spectra : {true, false}) {
      auto s = std::make_unique<Sess>();
      soleus::SessionConfig c = session_sim::config_for(in);
      c.emg.spectra.enabled = spectra;
      ASSERT_TRUE(s->init(c).ok());
      std::vector<Sess::Event> ev;
      session_sim::feed(*s, in, [](std::size_t) { return 64; }, ev);
      int sets = 0;
      for (const auto& e : ev) {
        if (e.type != soleus::SessionEventType::set_completed) continue;
        const std::size_t k = static_cast<std::size_t>(sets++);
        ASSERT_LT(k, truth.size());
        if (!spectra) {
          EXPECT_FALSE(e.set.fatigue_valid);
          continue;
        }
        const double want = lsq_slope(truth[k]);
        std::printf("set %zu: %d reps, fatigue slope %.2f Hz/rep (generator %.2f)\n", k, e.set.rep_count,
                    e.set.fatigue_slope_per_rep, want);
        ASSERT_TRUE(e.set.fatigue_valid);
        EXPECT_LT(e.set.fatigue_slope_per_rep, 0.0);
        EXPECT_NEAR(e.set.fatigue_slope_per_rep, want, 0.5 * std::fabs(want));
        ratio_sum += e.set.fatigue_slope_per_rep / want;
        ++ratio_n;
      }
      EXPECT_EQ(sets, sp.n_sets);
    }
  }
  ASSERT_EQ(ratio_n, 6);
  std::printf("mean ratio measured / generator: %.3f\n", ratio_sum / ratio_n);
  EXPECT_NEAR(ratio_sum / ratio_n, 1.0, 0.2);
}
