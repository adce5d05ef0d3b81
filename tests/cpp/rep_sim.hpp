// Test-only generator of plantar-flexion angle traces with exact ground truth
// for the rep segmenter (the project simulator in sim/ is being written in
// parallel; this one is deliberately independent of the code under test).
//
// Trajectory: a polyline rest -> linear rise -> hold -> linear lowering -> rest
// per rep (constant-velocity phases), whose corners are rounded by a velocity
// blend of width r (velocity changes linearly over [c - r/2, c + r/2]). The
// blended path meets the straight segments' extensions exactly at the
// corners c, so the corners are the phases' onsets / offsets in the sense of
// types.hpp (for constant velocity: the knee) as long as the f / (1 - f)
// crossings lie on the straight parts (r <= 0.08 x phase duration).
// Smooth (bell-velocity) phases are covered by test_reps_vs_sim.cpp.
// Added on top: slow baseline drift (linear + slow sine) and white noise.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace rep_sim {

struct RepSpec {
  double rom_deg = 20.0;
  double concentric_s = 1.0;
  double hold_s = 1.0;
  double eccentric_s = 2.0;
  double rest_after_s = 1.5;
};

struct TraceSpec {
  double fs_hz = 100.0;
  double t0_s = 0.0;
  double lead_rest_s = 2.0;   // still before the first rep
  double tail_rest_s = 2.0;   // after the last rep's rest_after_s
  double baseline_deg = 5.0;
  double noise_sd_deg = 0.2;
  double drift_dps = 0.0;          // linear drift rate
  double drift_sine_deg = 0.0;     // slow wander amplitude
  double drift_sine_hz = 0.02;
  double jitter_s = 0.0;           // uniform time-stamp jitter (+/-)
  std::uint64_t seed = 1;
};

struct TruthRep {
  double start_s, top_s, lower_start_s, end_s, rom_deg;
};

struct Trace {
  std::vector<double> t, x;
  std::vector<TruthRep> truth;
  double end_s = 0.0;
};

struct Corner {
  double c, dv, r;
};

// Builds the trace. Corners with hold 0 merge into one top corner.
inline Trace make_trace(const TraceSpec& ts, const std::vector<RepSpec>& reps) {
  Trace tr;
  std::vector<Corner> corners;
  // Piecewise-linear knots (time, value relative to baseline).
  std::vector<double> kt{ts.t0_s}, kv{0.0};
  double t = ts.t0_s + ts.lead_rest_s;
  for (const RepSpec& r : reps) {
    const double vc = r.rom_deg / r.concentric_s, ve = -r.rom_deg / r.eccentric_s;
    const double rc = std::fmin(0.08 * r.concentric_s, 0.12);
    const double re = std::fmin(0.08 * r.eccentric_s, 0.12);
    TruthRep g{t, t + r.concentric_s, t + r.concentric_s + r.hold_s,
               t + r.concentric_s + r.hold_s + r.eccentric_s, r.rom_deg};
    tr.truth.push_back(g);
    kt.push_back(g.start_s); kv.push_back(0.0);
    kt.push_back(g.top_s); kv.push_back(r.rom_deg);
    if (r.hold_s > 0.0) { kt.push_back(g.lower_start_s); kv.push_back(r.rom_deg); }
    kt.push_back(g.end_s); kv.push_back(0.0);
    corners.push_back({g.start_s, vc, rc});
    if (r.hold_s > 0.0) {
      corners.push_back({g.top_s, -vc, std::fmin(rc, r.hold_s)});
      corners.push_back({g.lower_start_s, ve, std::fmin(re, r.hold_s)});
    } else {
      corners.push_back({g.top_s, ve - vc, std::fmin(rc, re)});
    }
    corners.push_back({g.end_s, -ve, re});
    t = g.end_s + r.rest_after_s;
  }
  tr.end_s = t + ts.tail_rest_s;
  kt.push_back(tr.end_s); kv.push_back(0.0);

  std::mt19937_64 rng(ts.seed);
  std::normal_distribution<double> noise(0.0, ts.noise_sd_deg);
  std::uniform_real_distribution<double> jit(-ts.jitter_s, ts.jitter_s);
  std::uniform_real_distribution<double> phase(0.0, 6.283185307179586);
  const double ph = phase(rng);
  const double dt = 1.0 / ts.fs_hz;
  std::size_t seg = 0, ci = 0;
  for (long k = 0;; ++k) {
    double tk = ts.t0_s + k * dt;
    if (ts.jitter_s > 0.0 && k > 0) tk += jit(rng);
    if (tk > tr.end_s) break;
    while (seg + 2 < kt.size() && tk >= kt[seg + 1]) ++seg;
    const double span = kt[seg + 1] - kt[seg];
    const double a = span > 0.0 ? (tk - kt[seg]) / span : 0.0;
    double v = kv[seg] + a * (kv[seg + 1] - kv[seg]);
    while (ci < corners.size() && tk > corners[ci].c + corners[ci].r / 2) ++ci;
    for (std::size_t j = ci; j < corners.size() && corners[j].c - corners[j].r / 2 < tk; ++j) {
      const Corner& c = corners[j];
      const double u = tk - (c.c - c.r / 2);
      if (u < 0 || u > c.r) continue;
      v += (u <= c.r / 2) ? c.dv * u * u / (2 * c.r) : c.dv * (c.r - u) * (c.r - u) / (2 * c.r);
    }
    const double drift = ts.drift_dps * (tk - ts.t0_s) + ts.drift_sine_deg * std::sin(6.283185307179586 * ts.drift_sine_hz * tk + ph);
    tr.t.push_back(tk);
    tr.x.push_back(ts.baseline_deg + v + drift + noise(rng));
  }
  return tr;
}

// Random set: n reps around the given nominal values with +/-10 % jitter of
// durations and +/-5 % of range (people are not metronomes).
struct SetSpec {
  int reps = 10;
  double rom_deg = 20.0, concentric_s = 1.0, hold_s = 1.0, eccentric_s = 2.0;
  double rest_min_s = 0.5, rest_max_s = 2.5;
};
inline std::vector<RepSpec> make_reps(const SetSpec& s, std::uint64_t seed) {
  std::mt19937_64 rng(seed * 7919 + 13);
  std::uniform_real_distribution<double> j10(0.9, 1.1), j5(0.95, 1.05), rest(s.rest_min_s, s.rest_max_s);
  std::vector<RepSpec> v;
  for (int i = 0; i < s.reps; ++i) {
    RepSpec r;
    r.rom_deg = s.rom_deg * j5(rng);
    r.concentric_s = s.concentric_s * j10(rng);
    r.hold_s = s.hold_s * j10(rng);
    r.eccentric_s = s.eccentric_s * j10(rng);
    r.rest_after_s = rest(rng);
    v.push_back(r);
  }
  return v;
}

}  // namespace rep_sim
