// Surface EMG of the soleus and the gastrocnemius coupled to a simulated
// heel-raise session (heel_raise.hpp), with per-channel activation truth.
//
// Each channel is the Shwedyk-shaped EMG of sim/emg.hpp (generate_emg), its
// amplitude modulated by an activation profile that follows the session's
// true phases: bottom rest -> concentric rise (highest) -> top hold
// (sustained) -> eccentric lowering (lower) -> rest. The EMG runs on the IMU's
// clock (sample i at start_time_s + i / fs_hz) at its own rate.
//
// Levels (%MVC) and where they come from (see DESIGN.md, "Domain defaults"):
//  * a heel raise drives the triceps surae to about 20-25 %MVIC: the
//    concentric level defaults to 25 %MVC (soleus) and 22 (gastrocnemius);
//  * quiet standing keeps the soleus below 5 %MVC: rest 4 (soleus), 2 (gastr.);
//  * eccentric < hold < concentric: the same load lowered under control needs
//    less activation than lifting it; the hold sits in between;
//  * the soleus share rises with knee flexion (Okada 1984; Hebert-Losier 2012):
//    the gastrocnemius crosses the knee and is slackened when it bends, so its
//    active levels are multiplied by a factor falling linearly from 1 at a
//    straight knee to gastrocnemius_factor_at_90 (0.45) at 90 deg, while the
//    soleus' are not. The direction is from the sources; the magnitude (0.45)
//    is this model's choice, not a measured figure.
//  * seated (knee 90, no body weight unless loaded): active levels x
//    seated_load_factor (0.6) and rest levels seated_rest_pct (1.5 / 1.0);
//    wall sit (knee 90, body weight on the feet): standing loads and rests.
// Every rep's levels are jittered by (1 + level_jitter * N(0,1)), per channel.
// Transitions: raised-cosine steps of transition_s centred on each phase
// boundary minus lead_s (the EMG precedes the movement by the
// electromechanical delay). The activation truth is the exact profile used.
//
// Host-only (std::vector), deterministic: a function of (config, seed); it
// draws from its own random streams, so enabling it leaves the IMU arrays of
// the same session seed unchanged.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "soleus/core/status.hpp"
#include "soleus/sim/emg.hpp"
#include "soleus/sim/heel_raise.hpp"
#include "soleus/sim/random.hpp"

namespace soleus::sim {

// %MVC of one muscle in each phase.
struct PhaseLevels {
  double rest = 0.0;
  double concentric = 0.0;
  double hold = 0.0;
  double eccentric = 0.0;
};

enum HeelRaiseEmgChannel : int { kSoleus = 0, kGastrocnemius = 1, kHeelRaiseEmgChannels = 2 };
inline const char* heel_raise_emg_channel_name(int c) { return c == kSoleus ? "soleus" : "gastrocnemius"; }

struct HeelRaiseEmgConfig {
  double fs_hz = 2000.0;  // EMG rate (>= 1000 for the 450 Hz band edge)
  // Levels standing with straight knees (knee 0 deg), %MVC.
  PhaseLevels soleus{4.0, 25.0, 20.0, 14.0};
  PhaseLevels gastrocnemius{2.0, 22.0, 18.0, 12.0};
  // Knee flexion (deg, 0..120); < 0: from the posture (standing 0, seated and wall_sit 90).
  double knee_flexion_deg = -1.0;
  double gastrocnemius_factor_at_90 = 0.45;  // gastrocnemius active levels at knee 90 / at knee 0
  double seated_load_factor = 0.6;           // seated active levels / standing (unloaded seated raise)
  double seated_rest_soleus_pct = 1.5;       // rest levels seated (relaxed, no body weight)
  double seated_rest_gastrocnemius_pct = 1.0;
  double level_jitter = 0.05;   // per rep and channel, relative SD of the levels
  double lead_s = 0.05;         // activation leads the movement by this much (EMD)
  double transition_s = 0.1;    // duration of each level change (raised cosine)
  // Signal: RMS (mV) of each channel's EMG at 100 %MVC, spectrum, noise, mains.
  std::array<double, 2> mvc_rms_mv{0.25, 0.35};
  double fl_hz = 60.0;
  double fh_hz = 120.0;
  // Background noise per channel: SNR (dB) of the EMG at the channel's
  // (standing) concentric level against white noise over 0..fs/2.
  double snr_db = 20.0;
  double mains_hz = 50.0;
  double mains_amplitude_mv = 0.0;  // 0 = off
  int mains_harmonics = 1;
  double fatigue_scale_end = 1.0;   // f_l, f_h scaled linearly to this by the end (1 = none)
  // Length (s) of a separate MVC calibration recording per channel
  // (activation 1 with 0.5 s ramps, rest around it); 0 = none.
  double mvc_recording_s = 5.0;
};

struct HeelRaiseEmg {
  Status status{};
  double fs_hz = 0.0;
  double knee_flexion_deg = 0.0;
  std::vector<double> t_s;                           // m, IMU clock
  std::vector<std::array<double, 2>> emg_mv;         // m x {soleus, gastrocnemius}
  std::vector<std::array<double, 2>> activation_pct; // m x 2: true activation, %MVC
  // Nominal levels of each channel in this posture (before the per-rep jitter).
  std::array<PhaseLevels, 2> levels{};
  // Per rep (session.reps order) and channel: the levels used (%MVC).
  std::vector<std::array<PhaseLevels, 2>> rep_levels;
  std::array<double, 2> mvc_rms_mv{};
  std::array<double, 2> background_sd_mv{};
  // MVC calibration recording (fs_hz, starts at t = 0 of its own clock): 1 s
  // rest, mvc_recording_s at 100 %MVC, 1 s rest; empty when mvc_recording_s = 0.
  std::vector<std::array<double, 2>> mvc_emg_mv;
  std::size_t size() const { return t_s.size(); }
};

namespace detail {

// Smooth step 0 -> 1 over u in [-0.5, 0.5] (raised cosine), exact 0 / 1 outside.
inline double smooth_step(double u) {
  if (u <= -0.5) return 0.0;
  if (u >= 0.5) return 1.0;
  return 0.5 - 0.5 * std::cos(kPi * (u + 0.5));
}

enum EmgSessionStream : std::uint64_t { kLevelJitter = 101, kChannelSeed = 102 };

}  // namespace detail

inline Status validate(const HeelRaiseEmgConfig& e) {
  if (!(e.fs_hz >= 1000.0 && e.fs_hz <= 10000.0)) return Status::invalid("emg fs_hz: must be within 1000..10000");
  if (!(e.knee_flexion_deg <= 120.0)) return Status::invalid("knee_flexion_deg: must be <= 120 (< 0: from the posture)");
  if (!(e.gastrocnemius_factor_at_90 >= 0.0 && e.gastrocnemius_factor_at_90 <= 2.0))
    return Status::invalid("gastrocnemius_factor_at_90: must be within 0..2");
  if (!(e.seated_load_factor > 0.0 && e.seated_load_factor <= 2.0))
    return Status::invalid("seated_load_factor: must be within (0, 2]");
  if (!(e.level_jitter >= 0.0 && e.level_jitter <= 0.3)) return Status::invalid("level_jitter: must be within 0..0.3");
  if (!(e.lead_s >= 0.0 && e.lead_s <= 0.3)) return Status::invalid("lead_s: must be within 0..0.3 s");
  if (!(e.transition_s >= 0.0 && e.transition_s <= 0.5)) return Status::invalid("transition_s: must be within 0..0.5 s");
  if (!(e.mvc_rms_mv[0] > 0.0 && e.mvc_rms_mv[1] > 0.0)) return Status::invalid("mvc_rms_mv: must be > 0");
  if (!(e.seated_rest_soleus_pct >= 0.0 && e.seated_rest_gastrocnemius_pct >= 0.0))
    return Status::invalid("seated rest levels: must be >= 0");
  if (!(e.mvc_recording_s >= 0.0 && e.mvc_recording_s <= 60.0)) return Status::invalid("mvc_recording_s: must be within 0..60");
  for (const PhaseLevels* p : {&e.soleus, &e.gastrocnemius})
    for (double v : {p->rest, p->concentric, p->hold, p->eccentric})
      if (!(v >= 0.0 && v <= 100.0)) return Status::invalid("levels: %MVC must be within 0..100");
  return Status::success();
}

// Nominal levels of both channels for a posture (knee flexion, load).
inline std::array<PhaseLevels, 2> heel_raise_emg_levels(const HeelRaiseEmgConfig& e, Posture posture,
                                                        double* knee_out = nullptr) {
  const double knee = e.knee_flexion_deg >= 0.0 ? e.knee_flexion_deg : (posture == Posture::standing ? 0.0 : 90.0);
  if (knee_out) *knee_out = knee;
  const double g = 1.0 + (e.gastrocnemius_factor_at_90 - 1.0) * std::min(knee, 90.0) / 90.0;
  const double load = posture == Posture::seated ? e.seated_load_factor : 1.0;
  std::array<PhaseLevels, 2> L{e.soleus, e.gastrocnemius};
  for (int c = 0; c < 2; ++c) {
    const double f = load * (c == kGastrocnemius ? g : 1.0);
    L[c].concentric *= f;
    L[c].hold *= f;
    L[c].eccentric *= f;
  }
  if (posture == Posture::seated) {
    L[kSoleus].rest = e.seated_rest_soleus_pct;
    L[kGastrocnemius].rest = e.seated_rest_gastrocnemius_pct;
  }
  return L;
}

// EMG for a generated session s of config c. Same (s, c, e, seed) -> same output.
inline HeelRaiseEmg generate_heel_raise_emg(const HeelRaiseSession& s, const HeelRaiseConfig& c,
                                           const HeelRaiseEmgConfig& e, std::uint64_t seed) {
  using namespace detail;
  HeelRaiseEmg out;
  out.status = s.status.ok() ? validate(e) : s.status;
  if (!out.status.ok()) return out;
  out.fs_hz = e.fs_hz;
  out.mvc_rms_mv = e.mvc_rms_mv;
  out.levels = heel_raise_emg_levels(e, c.posture, &out.knee_flexion_deg);

  // Duration: the session's nominal span (first IMU sample to the end of the last one's period, dropouts aside).
  const double t0 = c.start_time_s;
  const double t_last = s.t_s.empty() ? t0 : t0 + std::floor((s.t_s.back() - t0) * c.sample_rate_hz + 0.5) / c.sample_rate_hz;
  // The EMG records as long as the IMU: through the last IMU sample's period,
  // so sessions generated back to back (start_time_s = previous end) join
  // without a gap in the EMG stamps.
  const std::size_t m = static_cast<std::size_t>(std::floor((t_last - t0 + 1.0 / c.sample_rate_hz) * e.fs_hz + 0.5));
  out.t_s.resize(m);
  for (std::size_t i = 0; i < m; ++i) out.t_s[i] = t0 + static_cast<double>(i) / e.fs_hz;

  // Per-rep levels (jittered) and the list of level changes per channel.
  Xoshiro256ss rng(seed, kLevelJitter);
  out.rep_levels.resize(s.reps.size());
  struct Change {
    double t, delta;
  };
  std::vector<Change> ch[2];
  for (std::size_t r = 0; r < s.reps.size(); ++r) {
    const RepTruth& rt = s.reps[r];
    for (int k = 0; k < 2; ++k) {
      PhaseLevels L = out.levels[k];
      for (double* v : {&L.concentric, &L.hold, &L.eccentric})
        *v = std::max(0.0, *v * (1.0 + e.level_jitter * rng.approx_normal()));
      out.rep_levels[r][static_cast<std::size_t>(k)] = L;
      const double lead = e.lead_s;
      ch[k].push_back({rt.start_s - lead, L.concentric - L.rest});
      ch[k].push_back({rt.top_s - lead, L.hold - L.concentric});
      ch[k].push_back({rt.lower_start_s - lead, L.eccentric - L.hold});
      ch[k].push_back({rt.end_s - lead, L.rest - L.eccentric});
    }
  }

  const std::uint64_t base_seed = Xoshiro256ss(seed, kChannelSeed).next();
  out.emg_mv.assign(m, {0.0, 0.0});
  out.activation_pct.assign(m, {0.0, 0.0});
  for (int k = 0; k < 2; ++k) {
    // Activation (%MVC): rest level plus the smoothed steps.
    const double half = 0.5 * e.transition_s;
    std::size_t lo = 0;  // first change whose window may still matter
    double settled = out.levels[k].rest;  // level after every change fully before t
    for (std::size_t i = 0; i < m; ++i) {
      const double t = out.t_s[i];
      while (lo < ch[k].size() && ch[k][lo].t + half <= t) settled += ch[k][lo++].delta;
      double a = settled;
      for (std::size_t j = lo; j < ch[k].size() && ch[k][j].t - half < t; ++j)
        a += ch[k][j].delta * (e.transition_s > 0.0 ? smooth_step((t - ch[k][j].t) / e.transition_s) : (t >= ch[k][j].t ? 1.0 : 0.0));
      out.activation_pct[i][static_cast<std::size_t>(k)] = std::max(0.0, a);
    }
    EmgSimConfig g;
    g.seed = base_seed + static_cast<std::uint64_t>(k) * 7919u;
    g.fs_hz = e.fs_hz;
    g.duration_s = static_cast<double>(m) / e.fs_hz;
    g.fl_hz = e.fl_hz;
    g.fh_hz = e.fh_hz;
    g.amplitude_mv = e.mvc_rms_mv[static_cast<std::size_t>(k)];  // activation 1 = 100 %MVC
    g.activation_profile.resize(m);
    for (std::size_t i = 0; i < m; ++i) g.activation_profile[i] = 0.01 * out.activation_pct[i][static_cast<std::size_t>(k)];
    g.snr_db = e.snr_db;
    g.snr_reference_activation = 0.01 * std::max(1e-3, (k == 0 ? e.soleus : e.gastrocnemius).concentric);
    g.mains_hz = e.mains_hz;
    g.mains_amplitude_mv = e.mains_amplitude_mv;
    g.mains_harmonics = e.mains_harmonics;
    g.fatigue_scale_end = e.fatigue_scale_end;
    const EmgSim x = generate_emg(g);
    if (!x.status.ok()) {
      out.status = x.status;
      return out;
    }
    out.background_sd_mv[static_cast<std::size_t>(k)] = x.background_sd_mv;
    for (std::size_t i = 0; i < m && i < x.size(); ++i) out.emg_mv[i][static_cast<std::size_t>(k)] = x.emg_mv[i];

    if (e.mvc_recording_s > 0.0) {
      EmgSimConfig v = g;
      v.seed = g.seed + 104729u;
      v.duration_s = e.mvc_recording_s + 2.0;
      v.activation_profile.clear();
      v.bursts = {Burst{1.0, 1.0 + e.mvc_recording_s, 1.0, 0.5}};
      v.rest_activation = 0.01 * out.levels[k].rest;
      v.fatigue_scale_end = 1.0;
      const EmgSim y = generate_emg(v);
      out.mvc_emg_mv.resize(y.size(), {0.0, 0.0});
      for (std::size_t i = 0; i < y.size(); ++i) out.mvc_emg_mv[i][static_cast<std::size_t>(k)] = y.emg_mv[i];
    }
  }
  return out;
}

}  // namespace soleus::sim
