// Gait rejection: a walking foot pitches +/-10-15 deg at ~1 Hz. The rules
// that reject it (segmenter.hpp): a rep needs min_rest_s of stillness at the
// baseline before it, and must not swing below its starting baseline by more
// than undershoot_fraction of its range right after its end. A 1 Hz sinusoid
// is still for ~0.15 s at its extremes and swings as far below as above.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>

#include "rep_eval.hpp"

namespace {

// An angle trace sampled at fs from 0 s until end_s: a rest level of 2 deg,
// plus angle_deg(t), plus white noise of noise_deg (the same draws for a seed).
template <class AngleFn>
rep_sim::Trace sampled_trace(double fs, double end_s, double noise_deg, std::uint64_t seed, AngleFn angle_deg) {
  rep_sim::Trace tr;
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> n(0.0, noise_deg);
  for (double t = 0.0; t < end_s; t += 1.0 / fs) {
    const double a = angle_deg(t);
    tr.t.push_back(t);
    tr.x.push_back(2.0 + a + n(rng));
  }
  tr.end_s = tr.t.back();
  return tr;
}

// Minimum-jerk position profile on u in [0, 1] (Flash & Hogan 1985).
double min_jerk(double u) { return u * u * u * (10.0 - 15.0 * u + 6.0 * u * u); }

// Standing, then walking (foot pitch oscillation), then standing.
rep_sim::Trace walking(double fs, double amp_deg, double freq_hz, double walk_s, double phase, std::uint64_t seed,
                       bool gait_shape) {
  const double t_on = 3.0, t_off = 3.0 + walk_s;
  return sampled_trace(fs, t_off + 4.0, 0.2, seed, [&](double t) {
    double a = 0.0;
    if (t >= t_on && t < t_off) {
      const double ph = 6.283185307179586 * freq_hz * (t - t_on) + phase;
      a = amp_deg * std::sin(ph);
      // A gait-like shape: harmonics (push-off peak sharper than heel strike).
      if (gait_shape) a += 0.3 * amp_deg * std::sin(2 * ph + 0.7) + 0.1 * amp_deg * std::sin(3 * ph);
      // Fade in and out over one stride so the trace starts/stops smoothly.
      const double fade = std::fmin(1.0, std::fmin(t - t_on, t_off - t) * freq_hz);
      a *= fade;
    }
    return a;
  });
}

}  // namespace

TEST(RepsGait, WalkingYieldsNoReps) {
  int cases = 0;
  for (double fs : {100.0, 200.0})
    for (double amp : {10.0, 12.5, 15.0})
      for (double f : {0.8, 1.0, 1.2})
        for (double ph : {0.0, 1.5, 3.14})
          for (bool shape : {false, true}) {
            const auto tr = walking(fs, amp, f, 30.0, ph, 7 + cases, shape);
            const auto run = rep_eval::run_trace(tr, rep_eval::seg_config(fs));
            EXPECT_EQ(run.reps.size(), 0u) << "fs " << fs << " amp " << amp << " f " << f << " phase " << ph
                                           << " shape " << shape;
            EXPECT_TRUE(run.holds.empty());
            ++cases;
          }
}

TEST(RepsGait, RepsBeforeAndAfterWalkingStillCount) {
  // Heel raises, a 20 s walk, heel raises again: only the raises count.
  rep_sim::TraceSpec ts;
  const auto a = rep_sim::make_trace(ts, rep_sim::make_reps(rep_sim::SetSpec{}, 1));
  const auto w = walking(ts.fs_hz, 12.0, 1.0, 20.0, 0.0, 3, true);
  rep_sim::Trace tr = a;
  const double off = a.t.back() + 1.0 / ts.fs_hz;
  for (std::size_t i = 0; i < w.t.size(); ++i) {
    tr.t.push_back(off + w.t[i]);
    tr.x.push_back(w.x[i] + ts.baseline_deg - 2.0);
  }
  const double off2 = tr.t.back() + 1.0 / ts.fs_hz;
  rep_sim::TraceSpec ts2 = ts;
  ts2.t0_s = off2;
  ts2.seed = 4;
  const auto b = rep_sim::make_trace(ts2, rep_sim::make_reps(rep_sim::SetSpec{}, 2));
  tr.t.insert(tr.t.end(), b.t.begin(), b.t.end());
  tr.x.insert(tr.x.end(), b.x.begin(), b.x.end());
  const auto run = rep_eval::run_trace(tr, rep_eval::seg_config(ts.fs_hz));
  EXPECT_EQ(run.reps.size(), a.truth.size() + b.truth.size());
}

TEST(RepsGait, RulesAreWhatRejectsIt) {
  // With the gait rules switched off the same walk produces reps: the
  // zero above is the rules' doing, not a detector that sees nothing.
  auto cfg = rep_eval::seg_config(100.0);
  cfg.min_rest_s = 0.0;
  cfg.undershoot_fraction = 100.0;
  cfg.min_eccentric_s = 0.0;
  const auto tr = walking(100.0, 12.0, 1.0, 30.0, 0.0, 5, false);
  const auto run = rep_eval::run_trace(tr, cfg);
  EXPECT_GT(run.reps.size(), 10u);
}

// Physiological plausibility (issue 16): a foot's heel raise spans about
// 5-60 deg; a 120 deg "rep" (a pedal crank, a spinning sensor) is not one,
// however clean its shape. The same trace at 30 deg is counted.
TEST(RepsGait, ImplausibleRangeIsNotARep) {
  for (double rom : {30.0, 120.0}) {
    rep_sim::TraceSpec ts;
    ts.fs_hz = 100.0;
    std::vector<rep_sim::RepSpec> reps(3);
    for (auto& r : reps) r.rom_deg = rom;
    const auto tr = rep_sim::make_trace(ts, reps);
    const auto run = rep_eval::run_trace(tr, rep_eval::seg_config(ts.fs_hz));
    EXPECT_EQ(run.reps.size(), rom < 90.0 ? 3u : 0u) << rom;
  }
}

// Bouncy sets (issue 16): reps that follow each other with no rest at the
// bottom and no pause at the top (0.3-0.5 s up, 0.3-0.5 s down, minimum
// jerk: zero velocity at the turning points) are all counted; the same
// movement rocking symmetrically about its start (a pedalling foot: as far
// below as above) is not, from rest or after a counted set.
namespace {
rep_sim::Trace bouncy(double fs, double rom_deg, double phase_s, int reps, bool symmetric, std::uint64_t seed) {
  const double t_on = 3.0, period = 2.0 * phase_s;
  const double t_off = t_on + reps * period;
  return sampled_trace(fs, t_off + 4.0, 0.1, seed, [&](double t) {
    double a = 0.0;
    if (t >= t_on && t < t_off) {
      const double u = std::fmod(t - t_on, period) / phase_s;  // 0..2
      a = rom_deg * (u < 1.0 ? min_jerk(u) : 1.0 - min_jerk(u - 1.0));
      if (symmetric) {  // rocks about its start, faded in and out over one period
        const double fade = std::fmin(1.0, std::fmin(t - t_on, t_off - t) / period);
        a = fade * 0.5 * rom_deg * std::sin(6.283185307179586 * (t - t_on) / period);
      }
    }
    return a;
  });
}
}  // namespace

TEST(RepsGait, BouncySetCountsEveryRepRockingDoesNot) {
  for (double fs : {50.0, 100.0, 200.0})
    for (double rom : {15.0, 30.0})
      for (double ph : {0.3, 0.4, 0.5}) {
        const auto tr = bouncy(fs, rom, ph, 10, false, 11);
        const auto run = rep_eval::run_trace(tr, rep_eval::seg_config(fs));
        EXPECT_EQ(run.reps.size(), 10u) << "fs " << fs << " rom " << rom << " phase " << ph;
        for (const auto& r : run.reps) EXPECT_NEAR(r.rom_deg, rom, 0.1 * rom) << "fs " << fs << " phase " << ph;
        const auto rock = rep_eval::run_trace(bouncy(fs, rom, ph, 10, true, 12), rep_eval::seg_config(fs));
        EXPECT_LE(rock.reps.size(), 1u) << "rocking: fs " << fs << " rom " << rom << " phase " << ph;
      }
}

// Carried movements (issue 16, pedalling; segmenter.hpp "Carried
// movements"): the same bouncy-set angle, pushed with the sensor's |a|. With
// the |a| of a heel raise (the sensor's height following the angle, x = k
// theta, for k = 0.21 m/rad: a heel-mounted sensor, the largest lever a foot
// has) every rep counts; with the |a| of a pedal on a 0.17 m crank turning
// once per rep (its centripetal w^2 r rotating with the crank) none does:
// by the angle alone (pushed without |a|, the first case) the pedalling is
// a bouncy set, so the |a| is what rejects it.
namespace {
soleus::reps::SegmenterConfig imu_like_config(double fs) {
  soleus::reps::SegmenterConfig c = rep_eval::seg_config(fs);
  c.lone_min_rom_deg = 5.0;  // as the IMU chain sets it (imu_reps.hpp)
  return c;
}
enum class AccKind { none, heel_raise, crank, heel_tap };
// heel_tap: a heel raise's |a| plus, at every heel contact of the set (the
// turning points at its floor), a 20 ms half-sine tap of tap_g x g.
// restart_at_s: at the first sample at or after it, the counter is settled
// and re-initialised (what ImuReps does on an axis sign correction).
rep_eval::Run run_with_acc(double fs, double rom, double phase_s, AccKind kind, double crank_phase,
                           double tap_g = 0.0, double restart_at_s = std::numeric_limits<double>::infinity()) {
  const auto tr = bouncy(fs, rom, phase_s, 10, false, 11);
  rep_eval::Counter rc;
  EXPECT_TRUE(rc.init(imu_like_config(fs), soleus::reps::SetConfig{}).ok());
  rep_eval::Run run;
  const double g = 9.80665, k_m_per_rad = 0.21, r_crank = 0.17, w = 3.14159265358979323846 / phase_s;
  const double t_on = 3.0, t_off = t_on + 10 * 2.0 * phase_s;
  const std::size_t n = tr.t.size();
  std::mt19937_64 rng(5);
  std::normal_distribution<double> noise(0.0, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = tr.t[i];
    double acc = std::nan("");
    if (kind == AccKind::heel_raise || kind == AccKind::heel_tap) {
      // Vertical acceleration k theta'' of the noiseless minimum-jerk shape
      // (the trace's angle noise is the angle sensor's, not the foot's).
      double th2 = 0.0;
      if (t >= t_on && t < t_off) {
        const double u = std::fmod(t - t_on, 2.0 * phase_s) / phase_s;  // 0..2
        const double v = u < 1.0 ? u : u - 1.0;
        const double mj2 = 60.0 * v - 180.0 * v * v + 120.0 * v * v * v;  // d2/dv2 of the minimum jerk
        th2 = (u < 1.0 ? 1.0 : -1.0) * rom * mj2 / (phase_s * phase_s);
      }
      acc = g + k_m_per_rad * th2 * 3.14159265358979323846 / 180.0 + 0.03 * noise(rng);
      const double since_contact = std::fmod(t - t_on, 2.0 * phase_s);
      if (kind == AccKind::heel_tap && t > t_on + phase_s && t < t_off + 0.02 && since_contact < 0.02)
        acc += tap_g * g * std::sin(3.14159265358979323846 * since_contact / 0.02);
    } else if (kind == AccKind::crank) {
      const double on = (t >= t_on && t < t_off) ? 1.0 : 0.0;
      const double ph = w * (t - t_on) + crank_phase, c = on * w * w * r_crank;
      acc = std::hypot(-c * std::cos(ph), g - c * std::sin(ph)) + 0.03 * noise(rng);
    }
    const auto st = kind == AccKind::none ? rc.push(t, tr.x[i]) : rc.push(t, tr.x[i], acc);
    EXPECT_TRUE(st.ok() || st.code == soleus::StatusCode::capacity_exceeded);
    rep_eval::collect(rc, run);
    if (t >= restart_at_s) {
      restart_at_s = std::numeric_limits<double>::infinity();
      (void)rc.settle(t);
      rep_eval::collect(rc, run);
      EXPECT_TRUE(rc.init(imu_like_config(fs), soleus::reps::SetConfig{}).ok());
    }
  }
  rc.finish(tr.end_s);
  rep_eval::collect(rc, run);
  return run;
}
int reps_with_acc(double fs, double rom, double phase_s, AccKind kind, double crank_phase) {
  return static_cast<int>(run_with_acc(fs, rom, phase_s, kind, crank_phase).reps.size());
}
}  // namespace

TEST(RepsGait, PedalOnACrankIsNoBouncySet) {
  for (double fs : {50.0, 100.0, 200.0})
    for (double rom : {20.0, 40.0})
      for (double ph : {0.3, 0.4, 0.5}) {
        EXPECT_EQ(reps_with_acc(fs, rom, ph, AccKind::none, 0.0), 10) << "angle alone: fs " << fs << " rom " << rom;
        EXPECT_EQ(reps_with_acc(fs, rom, ph, AccKind::heel_raise, 0.0), 10) << "heel raise: fs " << fs << " rom " << rom << " phase " << ph;
        for (double cp : {0.0, 1.0, 2.0, 3.0, 4.0, 5.0})
          EXPECT_EQ(reps_with_acc(fs, rom, ph, AccKind::crank, cp), 0)
              << "crank: fs " << fs << " rom " << rom << " phase " << ph << " crank phase " << cp;
      }
}

// A bouncy set's floor judged on the set's own range (issue 16, held-out
// bouncy shank sets; segmenter.hpp finalize, chain_rom_). A set of three
// deliberate 6-deg raises (held 1 s, 2 s apart) leaves the recent reps'
// median range at 6 deg; a bouncy set of 20-deg raises follows, whose
// measured floor steps up by 2.5 deg (12 % of the range) at its second
// rep's bottom turning point, as the floor of held-out shank sets under
// 'auto' did (1.3-1.8 deg steps within 9-11 deg reps: 13-18 %; the angle is
// the orientation filter's tilt). A quarter of the stale median (1.5 deg)
// rejected the third rep as "not from the floor" and every rep after it (no
// rest before any). A quarter of the set's own range (5 deg) counts all 8.
// Rocking (the same set swinging half its range below its start:
// BouncySetCountsEveryRepRockingDoesNot) is still no set.
namespace {
rep_sim::Trace small_set_then_bouncy_set_with_floor_step(double fs, double phase_s, std::uint64_t seed) {
  // Small set: 3 reps of 6 deg, rise 0.6 s, hold 1 s, lower 0.8 s, 2 s rest.
  const double small_rom = 6.0, rise = 0.6, hold = 1.0, lower = 0.8, rest = 2.0, t0 = 3.0;
  const double small_period = rise + hold + lower + rest;
  const double t_bouncy = t0 + 3 * small_period + 3.0, rom = 20.0, step_deg = 2.5;
  const int bouncy_reps = 8;
  const double period = 2.0 * phase_s, t_off = t_bouncy + bouncy_reps * period;
  return sampled_trace(fs, t_off + 4.0, 0.1, seed, [&](double t) {
    double a = 0.0;
    if (t >= t0 && t < t0 + 3 * small_period) {
      const double u = std::fmod(t - t0, small_period);
      if (u < rise) a = small_rom * min_jerk(u / rise);
      else if (u < rise + hold) a = small_rom;
      else if (u < rise + hold + lower) a = small_rom * (1.0 - min_jerk((u - rise - hold) / lower));
    } else if (t >= t_bouncy && t < t_off) {
      const int k = static_cast<int>((t - t_bouncy) / period);
      const double u = (t - t_bouncy - k * period) / phase_s;  // 0..2
      const double from = k >= 2 ? step_deg : 0.0, to = k >= 1 ? step_deg : 0.0;
      a = u < 1.0 ? from + (rom - from) * min_jerk(u) : to + (rom - to) * (1.0 - min_jerk(u - 1.0));
    } else if (t >= t_off) {
      a = step_deg;
    }
    return a;
  });
}
}  // namespace

TEST(RepsGait, BouncySetFloorJudgedOnTheSetsOwnRange) {
  for (double fs : {50.0, 100.0, 200.0})
    for (double ph : {0.35, 0.45}) {
      const auto run =
          rep_eval::run_trace(small_set_then_bouncy_set_with_floor_step(fs, ph, 21), rep_eval::seg_config(fs));
      std::string found;
      for (const auto& r : run.reps) found += " " + std::to_string(r.start_s) + "/" + std::to_string(r.rom_deg);
      EXPECT_EQ(run.reps.size(), 11u) << "fs " << fs << " phase " << ph << ", found (start/rom):" << found;
    }
}

// Small movements inside a bouncy chain (issue 16, held-out bouncy shank
// sets; segmenter.hpp declare_top, the level a rise left, and the rising
// state, bump_in_chain_). A shank-sized bouncy set (8 raises of 6 deg,
// 0.35-0.45 s up and down, no pause; min_excursion_deg 1.5 as 'auto' runs
// a shank) with one small movement after its fourth rep, at the same tempo
// (the held-out sets: a foot's 15-17 deg raises with a 6 deg partial, ~0.33
// of it at the shank).
// (a) A partial raise of 2 deg in a set that turns at the floor with speed
// (the stretch-shortening turn: |sin| profile, a V-shaped bottom): the 4 Hz
// smoothing rounds each bottom off above the partial's 10 % level, its rise
// never crossed that level, the crossings ran back into the rep before, and
// the partial was rejected as a transient (a 0.08 s "lowering"): the chain
// broke and the set lost every rep after it (held-out seed 20, 50 Hz). Now
// the rise is measured from the level it left. Stated: this synthetic case
// (0.45 s phases) counts all 9 without that rule too, so it only guards the
// rule against losing it; the rule's evidence is the grid (bouncy shank
// 93.1 -> 98.6 % on seeds 9-20, docs/heel_raises.md).
// (b) A bump of 1.5 deg (minimum-jerk profile, 0.35 s phases) that the
// smoothing keeps under the minimum excursion: no rep, but it ended at its
// trough and the chain goes on: the 8 full raises count (without the
// rules, bump_in_chain_ forced off: 4 of 8 at 50, 100 and 200 Hz).
// Not yet handled (stated): the same partial at 0.35 s phases in (a) (its
// partial is lost, 8 of 9) and a 1.3 deg bump in (b) (4 of 8 at 0.35 s
// phases): causes not isolated.
namespace {
rep_sim::Trace bouncy_set_with_small_movement(double fs, double phase_s, double small_deg, bool v_bottom,
                                              std::uint64_t seed) {
  const double rom = 6.0, t0 = 4.0, period = 2.0 * phase_s;
  const int movements = 9, small_at = 4;  // movement 4 (0-based) is the small one
  const double t_off = t0 + movements * period;
  return sampled_trace(fs, t_off + 4.0, 0.05, seed, [&](double t) {
    double a = 0.0;
    if (t >= t0 && t < t_off) {
      const int k = static_cast<int>((t - t0) / period);
      const double u = (t - t0 - k * period) / phase_s;  // 0..2
      const double h = k == small_at ? small_deg : rom;
      if (v_bottom) a = h * std::sin(1.5707963267948966 * u);
      else a = u < 1.0 ? h * min_jerk(u) : h * (1.0 - min_jerk(u - 1.0));
    }
    return a;
  });
}
}  // namespace

TEST(RepsGait, BouncyChainGoesOnThroughSmallMovements) {
  for (double fs : {50.0, 100.0, 200.0})
    {
      auto sc = rep_eval::seg_config(fs);
      sc.min_excursion_deg = 1.5;
      struct Case { double small_deg; bool v_bottom; double phase_s; std::size_t expected; };
      for (const Case c : {Case{2.0, true, 0.45, 9u}, Case{1.5, false, 0.35, 8u}}) {
        const double ph = c.phase_s;
        const auto run = rep_eval::run_trace(bouncy_set_with_small_movement(fs, ph, c.small_deg, c.v_bottom, 5), sc);
        std::string found;
        for (const auto& r : run.reps) found += " " + std::to_string(r.start_s) + "/" + std::to_string(r.rom_deg);
        EXPECT_EQ(run.reps.size(), c.expected) << "fs " << fs << " phase " << ph << " small " << c.small_deg
                                               << (c.v_bottom ? " V bottom" : "") << ", found (start/rom):" << found;
      }
    }
}

// A bouncy chain ends when its reps do (review of issue 16, segmenter.hpp
// rising state, bump_in_chain_). A bump under the minimum excursion inside
// a bouncy chain ends at its trough without breaking the chain; with no
// bound in time, a long train of small bumps (fidgeting, walking on the
// spot) kept the chain open for as long as it lasted and let a later
// movement with no rest before it count as the set's next bouncy rep. A
// bouncy rep cycle lasts 0.6-1.0 s (rise and lowering 0.3-0.5 s each,
// DESIGN.md, issue 16): a chain with no rep-sized cycle for several cycle
// periods is over. Here: a shank-sized bouncy set (8 raises of 6 deg, 0.35 s
// phases, no pause; min_excursion_deg 1.5 as 'auto' runs a shank), then
// 12 s of 1.4 deg bumps at the set's tempo with no rest, then 3 raises of 6
// deg at the same tempo straight out of the bumps (no rest before them, so
// no set of their own: exception (1) needs a rest or a live chain). Truth:
// the 8 reps of the set. Without the bound: 11 at 50 and 100 Hz (the 3
// late raises chained to the set 12 s after it), 8 at 200 Hz. Stated: with
// 1.2 deg bumps the rest state reads the train as rest (the segmenter's rest
// tolerance), so the 3 raises are a set after a rest by the rules, bound or
// not (11 either way): that is the rest rule's reading, not the chain's.
namespace {
rep_sim::Trace bouncy_set_then_bump_train(double fs, double phase_s, std::uint64_t seed) {
  const double rom = 6.0, t0 = 4.0, period = 2.0 * phase_s;
  const double bump = 1.4;
  const int set_reps = 8;
  const int bumps = static_cast<int>(12.0 / period);
  const int late = 3;
  const int movements = set_reps + bumps + late;
  const double t_off = t0 + movements * period;
  return sampled_trace(fs, t_off + 4.0, 0.05, seed, [&](double t) {
    double a = 0.0;
    if (t >= t0 && t < t_off) {
      const int k = static_cast<int>((t - t0) / period);
      const double u = (t - t0 - k * period) / phase_s;  // 0..2
      const double h = (k >= set_reps && k < set_reps + bumps) ? bump : rom;
      a = u < 1.0 ? h * min_jerk(u) : h * (1.0 - min_jerk(u - 1.0));
    }
    return a;
  });
}
}  // namespace

TEST(RepsGait, BumpTrainEndsTheBouncyChain) {
  for (double fs : {50.0, 100.0, 200.0}) {
    auto sc = rep_eval::seg_config(fs);
    sc.min_excursion_deg = 1.5;
    const auto run = rep_eval::run_trace(bouncy_set_then_bump_train(fs, 0.35, 9), sc);
    std::string found;
    for (const auto& r : run.reps) found += " " + std::to_string(r.start_s) + "/" + std::to_string(r.rom_deg);
    EXPECT_EQ(run.reps.size(), 8u) << "fs " << fs << ", found (start/rom):" << found;
  }
}

// A bouncy set after a set of larger reps (issue 16, development grid,
// bouncy seed 43 at 50 Hz: 0 of 8 for foot and shank). The start threshold
// was on_fraction (0.2) of the recent reps' median range, the earlier set's
// (here 40 deg: 8 deg). A set's partial raises are 0.35-0.65 of its full
// ones (DESIGN.md), so a bouncy set of 18 deg raises opening with a 6.3 deg
// partial (0.35 x 18) never crossed it: the partial went unseen, it broke
// the rest before the next raise (min_rest_s), a bouncy set has no other
// rest, and no rep of the set counted. A movement with no rep in the
// kLoneGap_s (5 s) before it starts a new set, whose range the earlier one
// does not predict: its start threshold's range term is capped at
// lone_min_rom_deg, the smallest heel raise (segmenter.hpp,
// start_threshold; the IMU chain's 5 deg). Truth: 5 slow reps of 40 deg,
// 15 s still, then 8 bouncy reps (0.4 s up, 0.4 s down, minimum jerk, no
// pause), the first a partial of 6.3 deg: 13 reps (the partial, a lone
// movement with no pause, waits for the next raise and is confirmed by it).
namespace {
rep_sim::Trace bouncy_set_after_larger_set(double fs, std::uint64_t seed) {
  const double big = 40.0, full = 18.0, partial = 0.35 * full, phase_s = 0.4;
  const double slow_t0 = 3.0, slow_period = 1.0 + 1.0 + 1.0 + 1.5;  // rise, hold, lowering, rest
  const int slow_reps = 5;
  const double bouncy_t0 = slow_t0 + slow_reps * slow_period + 15.0;
  const int bouncy_reps = 8;
  const double end_s = bouncy_t0 + bouncy_reps * 2.0 * phase_s + 4.0;
  return sampled_trace(fs, end_s, 0.1, seed, [&](double t) {
    if (t >= slow_t0 && t < slow_t0 + slow_reps * slow_period) {
      const double u = std::fmod(t - slow_t0, slow_period);
      if (u < 1.0) return big * min_jerk(u);
      if (u < 2.0) return big;
      if (u < 3.0) return big * (1.0 - min_jerk(u - 2.0));
      return 0.0;
    }
    if (t >= bouncy_t0 && t < bouncy_t0 + bouncy_reps * 2.0 * phase_s) {
      const int k = static_cast<int>((t - bouncy_t0) / (2.0 * phase_s));
      const double u = (t - bouncy_t0 - k * 2.0 * phase_s) / phase_s;  // 0..2
      const double h = k == 0 ? partial : full;
      return u < 1.0 ? h * min_jerk(u) : h * (1.0 - min_jerk(u - 1.0));
    }
    return 0.0;
  });
}
}  // namespace

TEST(RepsGait, BouncySetOpeningWithAPartialAfterALargerSet) {
  for (double fs : {50.0, 100.0, 200.0})
    {
      const double lone_min_rom_deg = 5.0;  // as the IMU chain runs (imu_reps.hpp)
      auto sc = rep_eval::seg_config(fs);
      sc.lone_min_rom_deg = lone_min_rom_deg;
      const auto run = rep_eval::run_trace(bouncy_set_after_larger_set(fs, 7), sc);
      std::string found;
      for (const auto& r : run.reps) found += " " + std::to_string(r.start_s) + "/" + std::to_string(r.rom_deg);
      EXPECT_EQ(run.reps.size(), 13u) << "fs " << fs << " lone_min_rom_deg " << lone_min_rom_deg
                                      << ", found (start/rom):" << found;
    }
}

// The gait (undershoot) check of a rise continuing a bouncy chain (issue 16,
// development grid, bouncy seed 38, shank 100 Hz under 'auto': 3 of 8). A
// rise straight out of the last rep's bottom has no rest to measure its
// baseline on; the raw mean taken at its start lies on its own rise. On
// that shank the set's floor had stepped up 1.4 deg at a V-shaped bottom
// (the tilt a quick raise pulls, segmenter.hpp "Bouncy sets"), a 2.6 deg
// partial raise read a baseline of 2.0 deg, came back to its floor at 1.35
// deg, 0.68 deg "below where it started", over its allowance (a quarter of
// its range, 0.66 deg): abandoned as gait, and the chain and the set's last
// five reps were lost. The heel cannot sink below the floor it stands on:
// such a rise is measured from the floor the rep before it ended on, when
// lower. Here: 8 shank-sized raises of 10 deg at 0.4 s phases, no pause
// (min_excursion_deg 1.5 as 'auto' runs a shank), the 4th a partial of
// 2.6-3 deg; from the 3rd rep's bottom on, the floor lies 1.4 deg higher.
// Truth: 8 reps. Stated: this trace does NOT isolate the rule (it passes
// with and without it: its clean floor step leaves the partial's raw-mean
// baseline near the floor, unlike the grid's tilt-pulled angle); the rule
// is shown by the grid cell named above (3 -> 8 of 8). And a 2.2 deg
// partial here loses the chain with or without the rule (50 Hz, and 100
// Hz at 0.35 s phases: 3 or 7 of 8): a separate limit, not fixed.
namespace {
rep_sim::Trace bouncy_set_floor_step_partial(double fs, double phase_s, double partial_deg, std::uint64_t seed) {
  const double rom = 10.0, t0 = 4.0, period = 2.0 * phase_s, floor_step = 1.4;
  const int reps = 8, partial_at = 3;
  const double t_off = t0 + reps * period;
  return sampled_trace(fs, t_off + 4.0, 0.05, seed, [&](double t) {
    if (t < t0) return 0.0;
    if (t >= t_off) return floor_step;
    const int k = static_cast<int>((t - t0) / period);
    const double u = (t - t0 - k * period) / phase_s;  // 0..2
    const double from = k < partial_at ? 0.0 : floor_step;
    const double to = k + 1 < partial_at ? 0.0 : floor_step;  // the 3rd rep (k = 2) lowers onto the raised floor
    const double top = (k == partial_at ? floor_step + partial_deg : rom);
    return u < 1.0 ? from + (top - from) * min_jerk(u) : top - (top - to) * min_jerk(u - 1.0);
  });
}
}  // namespace

TEST(RepsGait, ChainedPartialRaiseIsJudgedFromItsFloor) {
  for (double fs : {50.0, 100.0, 200.0})
    for (double ph : {0.35, 0.45})
      for (double partial : {2.6, 3.0}) {
        auto sc = rep_eval::seg_config(fs);
        sc.min_excursion_deg = 1.5;
        sc.lone_min_rom_deg = 5.0;  // as the IMU chain runs (imu_reps.hpp)
        const auto run = rep_eval::run_trace(bouncy_set_floor_step_partial(fs, ph, partial, 3), sc);
        std::string found;
        for (const auto& r : run.reps) found += " " + std::to_string(r.start_s) + "/" + std::to_string(r.rom_deg);
        EXPECT_EQ(run.reps.size(), 8u) << "fs " << fs << " phase " << ph << " partial " << partial
                                       << ", found (start/rom):" << found;
      }
}

// Stepping off a step (issue 16, stepoff17; segmenter.hpp "Strides"): the
// heels rise out of the step's bottom (10 deg below level) to level, the
// foot stands flat, and three strides follow: heel-off to toe-off (+25 deg,
// no still top), the swing down to heel strike (15 deg dorsiflexed), a heel
// strike impact of 2-4 g lasting 30 ms (Whittle 1999), the loading response
// back to foot flat in 0.1 s (Perry 1992). Seen from the bottom, the first
// stride's heel strike is no undershoot of its start and, by the angle
// alone, it counts with the strides chained after it; the impact at its
// heel contact is what tells a stride. Limit (segmenter.hpp): a stride
// completed before its impact arrives still counts (7 of these 24 traces
// count all three strides), so the test bounds the total. A bouncy set pushed with a heel
// raise's own |a| (no impact) still counts every rep
// (PedalOnACrankIsNoBouncySet, AccKind::heel_raise).
namespace {
// Pushes every sample of tr through rc, with |a| = acc_of(t) when with_acc
// (the angle alone otherwise; acc_of is called for every sample either way,
// so the noise drawn is the same), collects every event and finishes the
// stream: the number of reps counted.
template <typename AccOf>
int count_reps(rep_eval::Counter& rc, const rep_sim::Trace& tr, bool with_acc, AccOf acc_of) {
  rep_eval::Run run;
  for (std::size_t i = 0; i < tr.t.size(); ++i) {
    const double acc = acc_of(tr.t[i]);
    const auto st = with_acc ? rc.push(tr.t[i], tr.x[i], acc) : rc.push(tr.t[i], tr.x[i]);
    EXPECT_TRUE(st.ok() || st.code == soleus::StatusCode::capacity_exceeded);
    rep_eval::collect(rc, run);
  }
  rc.finish(tr.end_s);
  rep_eval::collect(rc, run);
  return static_cast<int>(run.reps.size());
}

int step_off_reps(double fs, double stride_s, bool with_acc, std::uint64_t seed) {
  const double bottom = -10.0, t0 = 4.0, to_level = 0.7, flat = 0.35 * stride_s, up = 0.25 * stride_s,
               swing = 0.30 * stride_s, load = 0.10 * stride_s, top = 25.0, strike = -15.0;
  const int strides = 3;
  const double t_walk = t0 + to_level, t_end = t_walk + strides * stride_s;
  const double g = 9.80665, impact_dur = 0.03;
  auto angle = [&](double t) {
    if (t < t0) return bottom;
    if (t < t_walk) return bottom + (0.0 - bottom) * min_jerk((t - t0) / to_level);
    if (t >= t_end) return 0.0;
    const double u = std::fmod(t - t_walk, stride_s);
    if (u < flat) return 0.0;
    if (u < flat + up) return top * min_jerk((u - flat) / up);
    if (u < flat + up + swing) return top + (strike - top) * min_jerk((u - flat - up) / swing);
    return strike * (1.0 - min_jerk((u - flat - up - swing) / load));
  };
  const auto tr = sampled_trace(fs, t_end + 5.0, 0.1, seed, angle);
  rep_eval::Counter rc;
  EXPECT_TRUE(rc.init(imu_like_config(fs), soleus::reps::SetConfig{}).ok());
  std::mt19937_64 rng(seed + 1);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::uniform_real_distribution<double> amp(2.0, 4.0);
  double impact_amp[strides];
  for (double& a : impact_amp) a = amp(rng) * g;
  return count_reps(rc, tr, with_acc, [&](double t) {
    double acc = g + 0.03 * noise(rng);
    for (int k = 0; k < strides; ++k) {
      const double t_strike = t_walk + k * stride_s + flat + up + swing;
      if (t >= t_strike && t < t_strike + impact_dur)
        acc += impact_amp[k] * std::sin(3.14159265358979323846 * (t - t_strike) / impact_dur);
    }
    return acc;
  });
}
}  // namespace

TEST(RepsGait, SteppingOffAStepIsNoRep) {
  int by_angle = 0, with_acc = 0, traces_clean = 0;
  for (double fs : {50.0, 100.0, 200.0})
    for (double stride_s : {0.9, 1.0, 1.1, 1.25})
      for (std::uint64_t seed : {1u, 2u}) {
        const int n = step_off_reps(fs, stride_s, true, seed);
        const int n_angle = step_off_reps(fs, stride_s, false, seed);
        EXPECT_LE(n, n_angle) << "fs " << fs << " stride " << stride_s << " seed " << seed;
        with_acc += n;
        by_angle += n_angle;
        if (n == 0) ++traces_clean;
      }
  // By the angle alone the stepping counts (59 reps in 21 of 24 traces);
  // with |a|, none (stepon18: the verdict waits for the impact window;
  // stepoff17's rule alone, judging only the |a| received at the
  // completion, left 21 reps in 7 traces; the rule removed gives 59 in 21).
  std::printf("[step off] reps by the angle alone: %d, with |a|: %d; traces with none: %d of 24\n", by_angle, with_acc,
              traces_clean);
  EXPECT_GE(by_angle, 40);
  EXPECT_EQ(with_acc, 0);
  EXPECT_EQ(traces_clean, 24);
}

// The heel-strike window's wait (issue 16, stepon18; segmenter.hpp
// "Strides"): a movement that did not hold its top is judged for a heel
// strike only once the impact could have arrived, and the samples received
// meanwhile are stepped through the state machine late. Pushed with a heel
// raise's |a| (no impact), a bouncy set gives the same reps, bit for bit,
// as by the angle alone (the late stepping measures what stepping on time
// did: a completion merely called later re-measured the reps on the next
// rise's samples, and lost bouncy sets: stepoff17, docs/heel_raises.md);
// only their rep_completed may come later, by at most the impact's span
// (kImpactSpan_s, 30 ms, Whittle 1999) past the turning point at the set's
// floor plus a sample or two (the turn seen a band above the minimum).
TEST(RepsGait, WaitingForTheHeelStrikeWindowChangesNoRep) {
  double worst_s = 0.0, late_sum_s = 0.0;
  int n_mid = 0;
  for (double fs : {50.0, 100.0, 200.0})
    for (double rom : {20.0, 40.0})
      for (double ph : {0.3, 0.4, 0.5}) {
        const auto a = run_with_acc(fs, rom, ph, AccKind::none, 0.0);
        const auto b = run_with_acc(fs, rom, ph, AccKind::heel_raise, 0.0);
        ASSERT_EQ(a.reps.size(), b.reps.size()) << "fs " << fs << " rom " << rom << " phase " << ph;
        for (std::size_t k = 0; k < a.reps.size(); ++k) {
          const auto &x = a.reps[k], &y = b.reps[k];
          EXPECT_TRUE(x.start_s == y.start_s && x.top_s == y.top_s && x.lower_start_s == y.lower_start_s &&
                      x.end_s == y.end_s && x.rom_deg == y.rom_deg)
              << "fs " << fs << " rom " << rom << " phase " << ph << " rep " << k << ": " << x.start_s << "/"
              << y.start_s << " " << x.end_s << "/" << y.end_s;
          const double late_s = b.completed_at_s[k] - a.completed_at_s[k];
          EXPECT_GE(late_s, 0.0);
          if (late_s > worst_s) worst_s = late_s;
          // The period with no impact after the set's floor: the impact's
          // span plus two samples (the turn a band above the minimum).
          // Bounded: the verdict waits at most kLoadingResponse_s past the
          // end (the last rep, landing at rest: no turn).
          EXPECT_LE(late_s, 0.12 + 1.0 / fs + 1e-9) << "fs " << fs << " rom " << rom << " phase " << ph << " rep " << k;
          // Inside the set (the first is held for the second, the last has
          // no turn): released once the impact's span after the turning
          // point has passed. A 0.3 s phase's bottom turns sharply: within
          // that span and a sample (waiting the whole window gave 80-100
          // ms). Smoother bottoms (0.5 s phases) rise above the minimum's
          // noise later.
          if (k > 0 && k + 1 < a.reps.size()) {
            late_sum_s += late_s;
            ++n_mid;
            if (ph < 0.35) {
              EXPECT_LE(late_s, 0.03 + 1.0 / fs + 1e-9) << "fs " << fs << " rom " << rom << " rep " << k;
            }
          }
        }
      }
  std::printf("[heel-strike window] completion after the angle-alone one: latest %.0f ms, inside sets mean %.0f ms\n",
              1e3 * worst_s, 1e3 * late_sum_s / n_mid);
  // Measured 37 ms (the whole window waited: 104 ms; the turn judged a
  // stillness band above the minimum: 59 ms).
  EXPECT_LE(late_sum_s / n_mid, 0.05);
}

// A rep waiting for its heel-strike window when the stream restarts
// (review18): ImuReps re-inits its counter on an axis sign correction, and
// init() alone forgets the waiting completion although the rep was already
// accepted (its rep_started out, no rep_completed or rep_rejected ever).
// settle() judges it first. The bouncy set of WaitingForTheHeelStrike-
// WindowChangesNoRep with a heel raise's |a|: at the sample where the angle
// alone completed a mid-set rep (that rep is then waiting), settle() and
// init(); the rep must come out with the boundaries the angle alone gave it.
TEST(RepsGait, SettleBeforeARestartKeepsTheWaitingRep) {
  int checked = 0;
  for (double fs : {50.0, 100.0, 200.0})
    for (double ph : {0.3, 0.5}) {
      const auto a = run_with_acc(fs, 30.0, ph, AccKind::none, 0.0);
      const auto b = run_with_acc(fs, 30.0, ph, AccKind::heel_raise, 0.0);
      ASSERT_EQ(a.reps.size(), b.reps.size());
      ASSERT_GE(a.reps.size(), 4u);
      // A mid-set rep whose verdict the |a| run took a sample or more later.
      std::size_t k = 0;
      for (std::size_t j = 1; j + 1 < a.reps.size() && k == 0; ++j)
        if (b.completed_at_s[j] - a.completed_at_s[j] > 0.5 / fs) k = j;
      ASSERT_GT(k, 0u) << "fs " << fs << " phase " << ph << ": no rep waited";
      const double t_restart = a.completed_at_s[k];
      const auto run = run_with_acc(fs, 30.0, ph, AccKind::heel_raise, 0.0, 0.0, t_restart);
      bool found = false;
      for (const auto& r : run.reps)
        if (r.start_s == a.reps[k].start_s && r.end_s == a.reps[k].end_s) found = true;
      EXPECT_TRUE(found) << "fs " << fs << " phase " << ph << ": rep " << k << " (" << a.reps[k].start_s << "-"
                         << a.reps[k].end_s << " s) lost at the restart at " << t_restart << " s";
      ++checked;
    }
  EXPECT_EQ(checked, 6);
}

// The 2 g assumption (segmenter.hpp "Strides"), measured: a bouncy set whose
// heel taps the floor at each contact. A tap of half a g of excess (a heel
// arriving at ~0.25 m/s on a 6 mm heel pad, at a foot sensor halfway to the
// pivot) leaves every rep counted; a tap of 1.5 g (a heel arriving at
// ~0.6 m/s) reads as a stride's heel strike: the rep is rejected and the
// chain with it (30 of 90 counted; known gap, stated: no published heel-contact acceleration
// of a heel raise was found; the simulator's raises have none).
TEST(RepsGait, BouncySetTappingTheHeelHardMeasuredKnownGap) {
  int soft = 0, hard = 0, runs = 0;
  for (double fs : {50.0, 100.0, 200.0})
    for (double ph : {0.3, 0.4, 0.5}) {
      soft += static_cast<int>(run_with_acc(fs, 30.0, ph, AccKind::heel_tap, 0.0, 0.5).reps.size());
      hard += static_cast<int>(run_with_acc(fs, 30.0, ph, AccKind::heel_tap, 0.0, 1.5).reps.size());
      ++runs;
    }
  std::printf("[heel tap] bouncy sets of 10: reps counted with 0.5 g taps %d, with 1.5 g taps %d of %d\n", soft, hard,
              10 * runs);
  EXPECT_EQ(soft, 10 * runs);
  // Measured 30 of 90 (the guard at that level: fewer is a regression).
  EXPECT_GE(hard, 30);
}

// Lift (issue 16, quiet stance at a shank; segmenter.hpp "Lift"). One lone
// 4 deg movement (rise 1 s, minimum jerk, held 1.2 s, lowered in 1.5 s) as
// a shank under 'auto' sees a 13 deg partial raise (0.3x), pushed with the
// |a| of a sensor whose height follows the angle, z = k theta (|a| = g +
// k theta'', white noise of 0.03 m/s^2 per sample as the simulator's):
//  * k = 0.43 m/rad: a standing shank sensor above an ankle riding the MTP
//    arc (0.14 m / 0.3 - 0.04 m, sim heel_raise.hpp geometry). The lift,
//    30 mm, is a 12 deg raise at the foot: the lone rules judge that range,
//    and a raise held 1.2 s at the top counts alone.
//  * k = 0.04 m/rad: the same rotation about the ankle (quiet-stance sway,
//    a shank's tilt), the sensor 4 cm in front of the ankle's axis; and
//    k = 0.21 m/rad: a heel-mounted foot sensor, the largest lever a foot
//    pivoting on the floor has (a 4 deg movement of the foot is a fidget's
//    size); and no |a|: a small lone movement, held for a set that never
//    comes (segmenter.hpp "Lone movements"): no rep.
// Without the rule the shank raise is no rep either (0 of 1).
namespace {
int lone_small_movement_reps(double fs, double k_m_per_rad, bool with_acc, std::uint64_t seed) {
  const double rom = 4.0, rise = 1.0, hold = 1.2, lower = 1.5, t_on = 4.0;
  const auto shape = [&](double t, double& th, double& th2) {  // deg, deg/s^2
    th = th2 = 0.0;
    const double u = t - t_on;
    if (u < 0.0) return;
    if (u < rise) {
      const double v = u / rise;
      th = rom * min_jerk(v);
      th2 = rom * (60.0 * v - 180.0 * v * v + 120.0 * v * v * v) / (rise * rise);
    } else if (u < rise + hold) {
      th = rom;
    } else if (u < rise + hold + lower) {
      const double v = (u - rise - hold) / lower;
      th = rom * (1.0 - min_jerk(v));
      th2 = -rom * (60.0 * v - 180.0 * v * v + 120.0 * v * v * v) / (lower * lower);
    }
  };
  const auto tr = sampled_trace(fs, t_on + rise + hold + lower + 8.0, 0.02, seed, [&](double t) {
    double th, th2;
    shape(t, th, th2);
    return th;
  });
  rep_eval::Counter rc;
  soleus::reps::SegmenterConfig c = rep_eval::seg_config(fs);
  c.lone_min_rom_deg = 5.0;   // as the IMU chain sets it (imu_reps.hpp)
  c.min_excursion_deg = 1.5;  // 'auto' (imu_reps.hpp)
  EXPECT_TRUE(rc.init(c, soleus::reps::SetConfig{}).ok());
  std::mt19937_64 rng(seed + 100);
  std::normal_distribution<double> noise(0.0, 0.03);
  return count_reps(rc, tr, with_acc, [&](double t) {
    double th, th2;
    shape(t, th, th2);
    return 9.80665 + k_m_per_rad * th2 * 3.14159265358979323846 / 180.0 + noise(rng);
  });
}
}  // namespace

TEST(RepsGait, ShankRaiseCountsByItsLiftAnAnkleRotationDoesNot) {
  for (double fs : {50.0, 100.0, 200.0})
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      EXPECT_EQ(lone_small_movement_reps(fs, 0.43, true, seed), 1) << "shank raise: fs " << fs << " seed " << seed;
      EXPECT_EQ(lone_small_movement_reps(fs, 0.04, true, seed), 0) << "rotation about the ankle: fs " << fs << " seed " << seed;
      EXPECT_EQ(lone_small_movement_reps(fs, 0.21, true, seed), 0) << "heel-mounted foot sensor: fs " << fs << " seed " << seed;
      EXPECT_EQ(lone_small_movement_reps(fs, 0.43, false, seed), 0) << "no |a|: fs " << fs << " seed " << seed;
    }
}

// Strides carry the foot away (issue 16, stairs; segmenter.hpp "Strides"):
// climbing stairs with no impact above 1 g (a soft forefoot landing) gives,
// by its angle, a train of quick movements with no top pause and a short
// flat stance between them, which the angle and |a| alone read as a bouncy
// set. Pushed with the sensor's displacement since its last rest (the IMU
// chain's strapdown integral, reps::ImuRepCounter), each movement that
// ends 0.3-0.6 m from where it started is a stride; a heel raise's quick
// set, whose sensor comes back within a few cm, still counts in full.
namespace {
struct StairRun {
  int reps_angle = 0, reps_moved = 0;
};
// stride_m: the foot's displacement over one stride (0: a quick heel-raise
// set of the same angle trace, whose sensor returns to where it rested).
StairRun stair_strides(double fs, double stride_s, double stride_m, std::uint64_t seed) {
  const double t0 = 4.0, flat = 0.35 * stride_s, up = 0.25 * stride_s, swing = 0.30 * stride_s,
               load = 0.10 * stride_s, top = 35.0, contact = -7.0;
  const int strides = 8;
  const double t_end = t0 + strides * stride_s;
  auto angle = [&](double t) {
    if (t < t0 || t >= t_end) return 0.0;
    const double u = std::fmod(t - t0, stride_s);
    if (u < flat) return 0.0;
    if (u < flat + up) return top * min_jerk((u - flat) / up);
    if (u < flat + up + swing) return top + (contact - top) * min_jerk((u - flat - up) / swing);
    return contact * (1.0 - min_jerk((u - flat - up - swing) / load));
  };
  // The displacement since the last rest: none in stance, the swing carries
  // the foot stride_m (a minimum-jerk path), kept through the loading.
  auto moved = [&](double t) {
    if (t < t0 || t >= t_end) return 0.0;
    const double u = std::fmod(t - t0, stride_s);
    if (u < flat + up) return 0.0;
    if (u < flat + up + swing) return stride_m * min_jerk((u - flat - up) / swing);
    return stride_m;
  };
  const auto tr = sampled_trace(fs, t_end + 5.0, 0.1, seed, angle);
  StairRun out;
  for (bool with_moved : {false, true}) {
    rep_eval::Counter rc;
    EXPECT_TRUE(rc.init(imu_like_config(fs), soleus::reps::SetConfig{}).ok());
    std::mt19937_64 rng(seed + 1);
    std::normal_distribution<double> noise(0.0, 1.0);
    rep_eval::Run run;
    for (std::size_t i = 0; i < tr.t.size(); ++i) {
      const double acc = 9.80665 + 0.03 * noise(rng);
      const double d = with_moved ? moved(tr.t[i]) : std::numeric_limits<double>::quiet_NaN();
      const double nan = std::numeric_limits<double>::quiet_NaN();
      const auto st = rc.push(tr.t[i], tr.x[i], acc, nan, nan, d);
      EXPECT_TRUE(st.ok() || st.code == soleus::StatusCode::capacity_exceeded);
      rep_eval::collect(rc, run);
    }
    rc.finish(tr.end_s);
    rep_eval::collect(rc, run);
    (with_moved ? out.reps_moved : out.reps_angle) = static_cast<int>(run.reps.size());
  }
  return out;
}
}  // namespace

TEST(RepsGait, StairStridesCarryTheFootAwayRaisesDoNot) {
  int stairs_angle = 0, stairs_moved = 0, raises = 0, raises_moved = 0, traces = 0;
  for (double fs : {50.0, 100.0, 200.0})
    for (double stride_s : {1.1, 1.3, 1.5})  // stair cadence 1.3-1.8 steps/s (Riener et al. 2002)
      for (std::uint64_t seed : {1u, 2u}) {
        const StairRun s = stair_strides(fs, stride_s, 0.6, seed);   // two treads of 0.3 m
        const StairRun r = stair_strides(fs, stride_s, 0.02, seed);  // a raise's rest shift
        stairs_angle += s.reps_angle;
        stairs_moved += s.reps_moved;
        raises += r.reps_angle;
        raises_moved += r.reps_moved;
        ++traces;
        EXPECT_EQ(s.reps_moved, 0) << "fs " << fs << " stride " << stride_s << " seed " << seed;
        EXPECT_EQ(r.reps_moved, r.reps_angle) << "fs " << fs << " stride " << stride_s << " seed " << seed;
      }
  std::printf("[stair strides] %d traces: reps by the angle and |a| %d, with the displacement %d; the same angle "
              "as raises (sensor back within 2 cm): %d, with the displacement %d\n",
              traces, stairs_angle, stairs_moved, raises, raises_moved);
  EXPECT_GE(stairs_angle, 4 * traces);  // the angle alone does read them as a set
}
