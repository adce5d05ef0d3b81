// The heel-raise session's coupled EMG (sim/heel_raise_emg.hpp): activation
// per phase as prescribed, measured from the generated signal (not the
// truth array); soleus / gastrocnemius ratio standing vs seated vs wall sit
// (the soleus share rises with knee flexion); seeds reproducible; and the
// whole EMG chain (EmgProcessor calibrated on the sim's MVC recording) into
// the ImuRepCounter's EMG hook gives per-phase mean %MVC ordered as
// prescribed and close to the truth.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "soleus/emg/processor.hpp"
#include "soleus/reps/emg_reps.hpp"
#include "soleus/reps/imu_reps.hpp"
#include "soleus/sim/heel_raise_emg.hpp"

namespace sim = soleus::sim;

namespace {

sim::HeelRaiseConfig session_config(sim::Posture posture, sim::ImuPlacement pl = sim::ImuPlacement::foot) {
  sim::HeelRaiseConfig c;
  c.sample_rate_hz = 100.0;
  c.placement = pl;
  c.posture = posture;
  c.n_sets = 2;
  c.reps_per_set = 8;
  c.rise_s = {0.6, 1.2};
  c.top_hold_s = {0.8, 2.0};
  c.lower_s = {1.5, 3.0};
  c.bottom_rest_s = {1.0, 1.5};
  c.partial_probability = 0.0;
  return c;
}

// Phase windows of rep r, shifted by the EMG lead, shrunk by the transitions:
// 0 concentric, 1 hold, 2 eccentric, 3 rest after the rep (to the next start).
bool phase_window(const sim::HeelRaiseSession& s, const sim::HeelRaiseEmgConfig& e, std::size_t r, int ph,
                  double& a, double& b) {
  const auto& g = s.reps[r];
  const double edges[4] = {g.start_s, g.top_s, g.lower_start_s, g.end_s};
  const double margin = 0.5 * e.transition_s + 0.02;
  if (ph < 3) {
    a = edges[ph];
    b = edges[ph + 1];
  } else {
    if (r + 1 >= s.reps.size() || s.reps[r + 1].set_index != g.set_index) return false;
    a = g.end_s;
    b = s.reps[r + 1].start_s;
  }
  a += margin - e.lead_s;
  b -= margin + e.lead_s;
  return b - a >= 0.15;
}

struct PhaseMeasure {
  double sum_sq[2][4] = {};    // of the signal
  double sum_true[2][4] = {};  // of the truth activation squared (%MVC^2)
  double n[4] = {};
};

PhaseMeasure measure(const sim::HeelRaiseSession& s, const sim::HeelRaiseEmg& x, const sim::HeelRaiseEmgConfig& e) {
  PhaseMeasure m;
  for (std::size_t r = 0; r < s.reps.size(); ++r) {
    for (int ph = 0; ph < 4; ++ph) {
      double a, b;
      if (!phase_window(s, e, r, ph, a, b)) continue;
      const auto i0 = static_cast<std::size_t>(std::ceil((a - x.t_s[0]) * x.fs_hz));
      const auto i1 = static_cast<std::size_t>(std::floor((b - x.t_s[0]) * x.fs_hz));
      for (std::size_t i = i0; i < i1 && i < x.size(); ++i) {
        for (int c = 0; c < 2; ++c) {
          m.sum_sq[c][ph] += x.emg_mv[i][c] * x.emg_mv[i][c];
          m.sum_true[c][ph] += x.activation_pct[i][c] * x.activation_pct[i][c];
        }
        m.n[ph] += 1.0;
      }
    }
  }
  return m;
}

// RMS level of the signal in %MVC with the known background variance removed.
double level_pct(const PhaseMeasure& m, const sim::HeelRaiseEmg& x, int c, int ph) {
  const double ms = m.sum_sq[c][ph] / m.n[ph] - x.background_sd_mv[c] * x.background_sd_mv[c];
  return 100.0 * std::sqrt(std::max(0.0, ms)) / x.mvc_rms_mv[c];
}
double truth_pct(const PhaseMeasure& m, int c, int ph) { return std::sqrt(m.sum_true[c][ph] / m.n[ph]); }

}  // namespace

TEST(HeelRaiseEmgSim, TruthActivationIsThePrescriptionInsidePhases) {
  const auto c = session_config(sim::Posture::standing);
  const auto s = sim::generate_heel_raise_session(c, 3);
  sim::HeelRaiseEmgConfig e;
  const auto x = sim::generate_heel_raise_emg(s, c, e, 3);
  ASSERT_TRUE(x.status.ok()) << x.status.message;
  ASSERT_EQ(x.rep_levels.size(), s.reps.size());
  EXPECT_DOUBLE_EQ(x.t_s[1] - x.t_s[0], 1.0 / 2000.0);
  // Same clock, same span: through the last IMU sample's period.
  EXPECT_NEAR(x.t_s.back(), s.t_s.back() + 1.0 / c.sample_rate_hz - 1.0 / 2000.0, 1e-9);
  int checked = 0;
  for (std::size_t r = 0; r < s.reps.size(); ++r) {
    for (int ph = 0; ph < 3; ++ph) {
      double a, b;
      if (!phase_window(s, e, r, ph, a, b)) continue;
      const auto i = static_cast<std::size_t>(std::llround((0.5 * (a + b) - x.t_s[0]) * x.fs_hz));
      for (int ch = 0; ch < 2; ++ch) {
        const auto& L = x.rep_levels[r][static_cast<std::size_t>(ch)];
        const double want = ph == 0 ? L.concentric : ph == 1 ? L.hold : L.eccentric;
        EXPECT_NEAR(x.activation_pct[i][static_cast<std::size_t>(ch)], want, 1e-9);
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 80);
  // Before the first rep: the rest level.
  EXPECT_NEAR(x.activation_pct[1000][0], x.levels[0].rest, 1e-12);
  EXPECT_NEAR(x.activation_pct[1000][1], x.levels[1].rest, 1e-12);
}

TEST(HeelRaiseEmgSim, SignalLevelsPerPhaseFollowThePrescription) {
  const auto c = session_config(sim::Posture::standing);
  const auto s = sim::generate_heel_raise_session(c, 5);
  sim::HeelRaiseEmgConfig e;
  e.snr_db = 30.0;
  const auto x = sim::generate_heel_raise_emg(s, c, e, 5);
  ASSERT_TRUE(x.status.ok());
  const PhaseMeasure m = measure(s, x, e);
  const char* names[4] = {"concentric", "hold", "eccentric", "rest"};
  for (int ch = 0; ch < 2; ++ch) {
    for (int ph = 0; ph < 4; ++ph) {
      const double got = level_pct(m, x, ch, ph), want = truth_pct(m, ch, ph);
      std::printf("  %s %-10s measured %5.2f %%MVC, prescribed %5.2f\n", sim::heel_raise_emg_channel_name(ch),
                  names[ph], got, want);
      EXPECT_NEAR(got, want, 0.06 * want + 0.3) << sim::heel_raise_emg_channel_name(ch) << " " << names[ph];
    }
    // Concentric high, hold sustained, eccentric lower, rest baseline.
    EXPECT_GT(level_pct(m, x, ch, 0), level_pct(m, x, ch, 1));
    EXPECT_GT(level_pct(m, x, ch, 1), level_pct(m, x, ch, 2));
    EXPECT_GT(level_pct(m, x, ch, 2), 2.0 * level_pct(m, x, ch, 3));
  }
  EXPECT_LT(level_pct(m, x, 0, 3), 5.0);  // quiet standing soleus < 5 %MVC (DESIGN.md)
  EXPECT_NEAR(level_pct(m, x, 0, 0), 25.0, 2.5);  // heel raise ~20-25 %MVIC
}

TEST(HeelRaiseEmgSim, SoleusShareRisesWithKneeFlexion) {
  double ratio[3] = {};
  const sim::Posture postures[3] = {sim::Posture::standing, sim::Posture::seated, sim::Posture::wall_sit};
  for (int p = 0; p < 3; ++p) {
    const auto c = session_config(postures[p], sim::ImuPlacement::shank);
    const auto s = sim::generate_heel_raise_session(c, 11);
    sim::HeelRaiseEmgConfig e;
    const auto x = sim::generate_heel_raise_emg(s, c, e, 11);
    ASSERT_TRUE(x.status.ok());
    const PhaseMeasure m = measure(s, x, e);
    ratio[p] = level_pct(m, x, 0, 0) / level_pct(m, x, 1, 0);
    const double want = x.levels[0].concentric / x.levels[1].concentric;
    std::printf("  posture %d (knee %.0f deg): soleus/gastrocnemius concentric %.2f (model %.2f)\n", p,
                x.knee_flexion_deg, ratio[p], want);
    EXPECT_NEAR(ratio[p], want, 0.08 * want);
  }
  // Model: gastrocnemius x 0.45 at knee 90 -> the ratio grows by 1 / 0.45.
  EXPECT_NEAR(ratio[1] / ratio[0], 1.0 / 0.45, 0.25);
  EXPECT_NEAR(ratio[2] / ratio[0], 1.0 / 0.45, 0.25);
  EXPECT_GT(ratio[1], 1.8 * ratio[0]);
}

TEST(HeelRaiseEmgSim, SeedsReproducibleAndImuUnchanged) {
  const auto c = session_config(sim::Posture::standing);
  const auto s = sim::generate_heel_raise_session(c, 7);
  sim::HeelRaiseEmgConfig e;
  e.mains_amplitude_mv = 0.2;
  const auto a = sim::generate_heel_raise_emg(s, c, e, 7);
  const auto b = sim::generate_heel_raise_emg(s, c, e, 7);
  const auto d = sim::generate_heel_raise_emg(s, c, e, 8);
  ASSERT_EQ(a.size(), b.size());
  std::size_t differ = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a.emg_mv[i], b.emg_mv[i]);
    differ += a.emg_mv[i][0] != d.emg_mv[i][0];
  }
  EXPECT_GT(differ, a.size() / 2);
  ASSERT_EQ(a.mvc_emg_mv.size(), static_cast<std::size_t>(7.0 * e.fs_hz));
  // Without mains the two channels are independent noise: correlation near 0.
  e.mains_amplitude_mv = 0.0;
  const auto q = sim::generate_heel_raise_emg(s, c, e, 7);
  double sxy = 0, sxx = 0, syy = 0;
  for (const auto& v : q.emg_mv) {
    sxy += v[0] * v[1];
    sxx += v[0] * v[0];
    syy += v[1] * v[1];
  }
  EXPECT_LT(std::fabs(sxy / std::sqrt(sxx * syy)), 0.05);
  // A bad config is refused, nothing generated.
  e.fs_hz = 500.0;
  EXPECT_FALSE(sim::generate_heel_raise_emg(s, c, e, 7).status.ok());
}

TEST(HeelRaiseEmgSim, ImuRepCounterEmgHookPerPhaseOrder) {
  for (auto posture : {sim::Posture::standing, sim::Posture::seated}) {
    const auto pl = posture == sim::Posture::standing ? sim::ImuPlacement::foot : sim::ImuPlacement::shank;
    const auto c = session_config(posture, pl);
    const auto s = sim::generate_heel_raise_session(c, 21);
    sim::HeelRaiseEmgConfig e;
    const auto x = sim::generate_heel_raise_emg(s, c, e, 21);
    ASSERT_TRUE(x.status.ok());

    // EMG chain: default settings (band-pass 20-450, 6 Hz envelope), MVC
    // calibrated on the sim's MVC recording.
    static soleus::emg::EmgProcessor<2> proc;
    soleus::emg::EmgSettings es;
    es.fs_hz = e.fs_hz;
    es.conditioner.mains_mode = soleus::emg::MainsMode::off;
    ASSERT_TRUE(proc.init(es, 2).ok());
    std::vector<float> buf(2 * x.mvc_emg_mv.size());
    for (std::size_t i = 0; i < x.mvc_emg_mv.size(); ++i)
      for (int k = 0; k < 2; ++k) buf[2 * i + k] = static_cast<float>(x.mvc_emg_mv[i][k]);
    proc.begin_mvc();
    ASSERT_TRUE(proc.process(buf.data(), x.mvc_emg_mv.size()).ok());
    ASSERT_TRUE(proc.end_mvc().ok());
    proc.reset();
    const double delay = proc.delays().envelope_total_s();

    static soleus::reps::ImuRepCounter<> chain;
    soleus::reps::ImuRepConfig rc;
    rc.segmenter.sample_rate_hz = c.sample_rate_hz;
    rc.placement = pl == sim::ImuPlacement::foot ? soleus::reps::ImuPlacement::foot
                                                 : soleus::reps::ImuPlacement::shank_seated;
    rc.emg_channels = 2;
    ASSERT_TRUE(chain.init(rc).ok());
    std::vector<soleus::reps::ImuRepCounter<>::OutEvent> reps;
    auto collect = [&] {
      soleus::reps::ImuRepCounter<>::OutEvent ev;
      while (chain.pop(ev))
        if (ev.event.type == soleus::reps::EventType::rep_completed) reps.push_back(ev);
    };
    std::size_t j = 0;  // next EMG sample
    for (std::size_t i = 0; i < s.size(); ++i) {
      // EMG up to this IMU time (the envelope's delay compensated in the time stamps).
      for (; j < x.size() && x.t_s[j] <= s.t_s[i]; ++j) {
        const float in[2] = {static_cast<float>(x.emg_mv[j][0]), static_cast<float>(x.emg_mv[j][1])};
        float env[2], pct[2], cond[2];
        (void)proc.process_frame(in, env, pct, cond);
        if (x.t_s[j] - delay > 0.0) (void)chain.push_emg(x.t_s[j] - delay, pct, cond);
      }
      (void)chain.push(s.t_s[i], s.acc_mps2[i].data(), s.gyro_dps[i].data());
      collect();
    }
    (void)chain.finish();
    collect();
    ASSERT_EQ(reps.size(), s.reps.size());

    double got[2][3] = {}, want[2][3] = {};
    int n = 0;
    for (const auto& ev : reps) {
      ASSERT_TRUE(ev.emg.complete);
      const auto& r = ev.event.rep;
      const double edges[4] = {r.start_s, r.top_s, r.lower_start_s, r.end_s};
      for (int k = 0; k < 2; ++k) {
        for (int ph = 0; ph < 3; ++ph) {
          got[k][ph] += ev.emg.mean_pct_mvc[k][ph];
          // Truth: mean activation over the same (detected) phase window.
          double sum = 0;
          int cnt = 0;
          for (std::size_t i = static_cast<std::size_t>(std::ceil((edges[ph] - x.t_s[0]) * x.fs_hz));
               i < x.size() && x.t_s[i] < edges[ph + 1]; ++i, ++cnt)
            sum += x.activation_pct[i][static_cast<std::size_t>(k)];
          want[k][ph] += cnt ? sum / cnt : 0.0;
        }
      }
      ++n;
    }
    for (int k = 0; k < 2; ++k) {
      for (int ph = 0; ph < 3; ++ph) {
        got[k][ph] /= n;
        want[k][ph] /= n;
      }
      std::printf("  %s %s: hook mean %%MVC conc %.1f hold %.1f ecc %.1f; truth %.1f %.1f %.1f\n",
                  posture == sim::Posture::standing ? "standing/foot" : "seated/shank",
                  sim::heel_raise_emg_channel_name(k), got[k][0], got[k][1], got[k][2], want[k][0], want[k][1],
                  want[k][2]);
      EXPECT_GT(got[k][0], got[k][1]);
      EXPECT_GT(got[k][1], got[k][2]);
      for (int ph = 0; ph < 3; ++ph) EXPECT_NEAR(got[k][ph], want[k][ph], 0.12 * want[k][ph] + 0.5);
    }
    // Soleus dominates seated, not standing.
    if (posture == sim::Posture::seated) EXPECT_GT(got[0][0], 1.8 * got[1][0]);
    else EXPECT_LT(got[0][0], 1.4 * got[1][0]);
  }
}

// EMG-only repetitions (reps::EmgRepCounter, bursts method) on the coupled
// EMG: the soleus envelope (EmgProcessor, calibrated on the MVC recording,
// delay-compensated) gives one rep per true rep, edges within ~0.1 s of the
// movement's (the EMG leads it by lead_s = 50 ms). The segmenter method
// merges and drops these stepwise bursts (measured and printed, not required).
TEST(HeelRaiseEmgSim, EmgOnlyRepsCountTheSession) {
  int found[2] = {}, truth = 0;
  std::vector<double> err;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    for (auto posture : {sim::Posture::standing, sim::Posture::seated}) {
      auto c = session_config(posture, posture == sim::Posture::standing ? sim::ImuPlacement::foot
                                                                          : sim::ImuPlacement::shank);
      c.rest_between_sets_s = 30.0;
      const auto s = sim::generate_heel_raise_session(c, seed);
      sim::HeelRaiseEmgConfig e;
      const auto x = sim::generate_heel_raise_emg(s, c, e, seed);
      ASSERT_TRUE(x.status.ok());
      static soleus::emg::EmgProcessor<1> proc;
      soleus::emg::EmgSettings es;
      es.conditioner.mains_mode = soleus::emg::MainsMode::off;
      ASSERT_TRUE(proc.init(es, 1).ok());
      std::vector<float> m(x.mvc_emg_mv.size()), v(x.size()), pct(x.size());
      for (std::size_t i = 0; i < m.size(); ++i) m[i] = static_cast<float>(x.mvc_emg_mv[i][0]);
      for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(x.emg_mv[i][0]);
      proc.begin_mvc();
      ASSERT_TRUE(proc.process(m.data(), m.size()).ok());
      ASSERT_TRUE(proc.end_mvc().ok());
      proc.reset();
      ASSERT_TRUE(proc.process(v.data(), v.size(), nullptr, pct.data()).ok());
      const double delay = proc.delays().envelope_total_s();
      truth += static_cast<int>(s.reps.size());
      for (int method = 0; method < 2; ++method) {
        static soleus::reps::EmgRepCounter<> rc;
        soleus::reps::EmgRepConfig rcfg;
        rcfg.method = method == 0 ? soleus::reps::EmgRepMethod::bursts : soleus::reps::EmgRepMethod::segmenter;
        ASSERT_TRUE(rc.init(rcfg).ok());
        std::vector<soleus::reps::Rep> reps;
        int sets = 0;
        soleus::reps::Event ev;
        for (std::size_t i = 0; i < x.size(); ++i) {
          (void)rc.push(x.t_s[i] - delay, pct[i]);
          while (rc.pop(ev)) {
            if (ev.type == soleus::reps::EventType::rep_completed) reps.push_back(ev.rep);
            sets += ev.type == soleus::reps::EventType::set_completed;
          }
        }
        (void)rc.finish(x.t_s.back());
        while (rc.pop(ev)) {
          if (ev.type == soleus::reps::EventType::rep_completed) reps.push_back(ev.rep);
          sets += ev.type == soleus::reps::EventType::set_completed;
        }
        found[method] += static_cast<int>(reps.size());
        if (method != 0) continue;
        ASSERT_EQ(reps.size(), s.reps.size()) << "seed " << seed;
        EXPECT_EQ(sets, c.n_sets);
        for (std::size_t i = 0; i < reps.size(); ++i) {
          EXPECT_EQ(reps[i].source, 1);
          err.push_back(std::fabs(reps[i].start_s - s.reps[i].start_s));
          err.push_back(std::fabs(reps[i].end_s - s.reps[i].end_s));
        }
      }
    }
  }
  std::sort(err.begin(), err.end());
  const double med = err[err.size() / 2], p95 = err[static_cast<std::size_t>(0.95 * (err.size() - 1))];
  std::printf("  EMG-only reps: bursts %d of %d (edges vs movement: median %.0f ms, p95 %.0f ms); segmenter %d\n",
              found[0], truth, 1e3 * med, 1e3 * p95, found[1]);
  EXPECT_EQ(found[0], truth);
  EXPECT_LT(med, 0.12);
  EXPECT_LT(p95, 0.2);
}
