// Acceptance through the WHOLE sensor chain: simulated accelerometer and
// gyroscope (random mounting, gyro bias, noise) -> orientation filter ->
// automatic sagittal axis -> plantar-flexion angle -> segmenter -> sets
// (reps::ImuRepCounter). Nothing here sees the true angle or the true axis.
//
// Grid: phase durations 0.3-4 s, top holds 0-5 s, ranges 10-40 deg, gyro bias
// up to 3 deg/s per axis, random mountings, foot / standing shank / seated
// shank, 100 and 200 Hz, both phase profiles, several seeds. Judged per set:
// exact rep count on >= 99 % of sets; boundary error median <= 20 ms and
// 95th percentile <= 60 ms; every rep_completed no later than 250 ms after
// the true end. The foot grid meets them; the shank grids do not yet (see
// GridShankMeasuredKnownGap). Also: the real walking foot IMU gives zero reps with the
// automatic axis; random chunking equals one pass.
#include <array>
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "soleus/reps/imu_reps.hpp"
#include "soleus/sim/heel_raise.hpp"
#include "test_helpers.hpp"

namespace {

using Chain = soleus::reps::ImuRepCounter<>;
using soleus::reps::EventType;

struct ChainRun {
  std::vector<soleus::reps::Rep> reps;
  std::vector<double> completed_at_s;        // rep_completed's time (the latency the user saw)
  std::vector<double> table_completed_at_s;  // the rep table's: rep_refined's when it moved end_s past
  std::vector<soleus::reps::SetSummary> sets;
  std::vector<soleus::reps::Event> events;
  soleus::reps::ImuRepState final_state;
  soleus::reps::ImuRepStats stats;
  double axis_found_at_s = -1.0;  // first sample with the axis found (locked or given)
  // The axis once a second from the lock on (SOLEUS_DEBUG_AXIS: its error).
  std::vector<std::array<double, 3>> axis_trace;
  int refined = 0;  // rep_refined events applied to reps
};

soleus::reps::ImuPlacement placement_of(const soleus::sim::HeelRaiseConfig& c) {
  if (c.placement == soleus::sim::ImuPlacement::foot) return soleus::reps::ImuPlacement::foot;
  return c.posture == soleus::sim::Posture::seated ? soleus::reps::ImuPlacement::shank_seated
                                                   : soleus::reps::ImuPlacement::shank_standing;
}

void collect(Chain& ch, ChainRun& r) {
  Chain::OutEvent e;
  while (ch.pop(e)) {
    r.events.push_back(e.event);
    // An isometric hold (>= isometric_hold_min_s at the top) completes as a
    // hold_completed: it is the one rep of its set.
    if (e.event.type == EventType::rep_completed || e.event.type == EventType::hold_completed) {
      r.reps.push_back(e.event.rep);
      r.completed_at_s.push_back(e.event.t_s);
      r.table_completed_at_s.push_back(e.event.t_s);
    } else if (e.event.type == EventType::set_completed) {
      r.sets.push_back(e.event.set);
    } else if (e.event.type == EventType::rep_refined) {
      // The re-timed heel contact replaces the rep's record (by index): the
      // table scored is the final one; completed_at_s stays the time of the
      // rep_completed (the latency the user saw).
      // A contact re-timed past the rep_completed moves the table's
      // completion to the rep_refined (segmenter.hpp apply_contact).
      ++r.refined;
      for (std::size_t k = r.reps.size(); k-- > 0;)
        if (r.reps[k].index == e.event.rep.index) {
          r.reps[k] = e.event.rep;
          if (e.event.rep.end_s > r.table_completed_at_s[k]) r.table_completed_at_s[k] = e.event.t_s;
          break;
        }
    }
  }
}

// The session's true segment angle for SOLEUS_DEBUG_ANGLE (set by run_session).
const std::vector<double>* g_debug_truth_deg = nullptr;

// chunk_seed 0: one sample at a time; otherwise random chunk sizes 1..500.
ChainRun run_chain(const std::vector<double>& t, const std::vector<float>& acc, const std::vector<float>& gyro,
                   const soleus::reps::ImuRepConfig& cfg, std::uint64_t chunk_seed = 0) {
  static Chain ch;  // large object: static keeps it off the test's stack
  ChainRun r;
  EXPECT_TRUE(ch.init(cfg).ok());
  std::mt19937_64 rng(chunk_seed);
  std::uniform_int_distribution<int> len(1, 500);
  const int n = static_cast<int>(t.size());
  for (int i = 0; i < n;) {
    const int k = chunk_seed ? std::min(len(rng), n - i) : 1;
    ch.push_block(t.data() + i, acc.data() + 3 * i, gyro.data() + 3 * i, k);
    collect(ch, r);
    i += k;
    // SOLEUS_DEBUG_ANGLE=t0,t1: the chain's angle beside the simulator's true
    // segment angle, every 0.1 s from t0 to t1 (s).
    if (const char* w = std::getenv("SOLEUS_DEBUG_ANGLE")) {
      static double next_s = 0.0;
      const double now = t[static_cast<std::size_t>(i - 1)];
      char* rest = nullptr;
      const double t0 = std::strtod(w, &rest), t1 = (rest && *rest) ? std::strtod(rest + 1, nullptr) : t0 + 10.0;
      if (i == k) next_s = t0;
      if (now >= next_s && now <= t1) {
        next_s = now + 0.1;
        const auto* truth = g_debug_truth_deg;
        std::printf("    angle %.2f %.2f truth %.2f still %d phase %d\n", now,
                    static_cast<double>(ch.state().angle_deg),
                    truth ? (*truth)[static_cast<std::size_t>(i - 1)] : 0.0, ch.state().still ? 1 : 0,
                    static_cast<int>(ch.state().phase));
      }
    }
    if (r.axis_found_at_s < 0.0 && std::getenv("SOLEUS_DEBUG_AXIS_TRACE")) {
      // Before the lock, twice a second: what the axis finder has (to see
      // which lock condition is missing).
      static double next_s = 0.0;
      const double now = t[static_cast<std::size_t>(i - 1)];
      if (i == k) next_s = 0.0;
      if (now >= next_s) {
        next_s = now + 0.5;
        const auto& f = ch.tracker().axis_finder();
        soleus::imu::BasicSagittalAxisFinder<float>::Vec3 a;
        const bool pa = f.provisional_axis(a);
        std::printf("    trace %.2f rest %d rot %.1f conf %.2f far %.2f rho %.2f vv %.2g returns %d bias %d\n", now,
                    f.has_rest() ? 1 : 0, static_cast<double>(f.accumulated_rotation_deg()),
                    static_cast<double>(f.confidence()), static_cast<double>(f.farthest_excursion_deg()),
                    pa ? static_cast<double>(f.lift_correlation(a)) : 0.0, static_cast<double>(f.lift_evidence()),
                    f.returns_to_rest(), f.bias_settled() ? 1 : 0);
      }
    }
    if (std::getenv("SOLEUS_DEBUG_LOCKS")) {
      // The automatic axis's lock, its pending state, undone locks and sign
      // corrections, at each change.
      static int last = -1;
      const auto& f = ch.tracker().axis_finder();
      const int now_state = (f.locked() ? 1 : 0) + (f.lock_tentative() ? 2 : 0) + 4 * static_cast<int>(f.gait_unlocks()) +
                            256 * static_cast<int>(f.sign_corrections());
      if (i == k) last = -1;
      if (now_state != last) {
        last = now_state;
        std::printf("    lock %.3f locked %d pending %d unlocks %u corrections %u\n", t[static_cast<std::size_t>(i - 1)],
                    f.locked() ? 1 : 0, f.lock_tentative() ? 1 : 0, f.gait_unlocks(), f.sign_corrections());
      }
    }
    if (r.axis_found_at_s < 0.0 && ch.state().axis_found) r.axis_found_at_s = t[static_cast<std::size_t>(i - 1)];
    if (r.axis_found_at_s >= 0.0 &&
        t[static_cast<std::size_t>(i - 1)] >= r.axis_found_at_s + static_cast<double>(r.axis_trace.size())) {
      const auto& a = ch.state().axis_sensor;
      r.axis_trace.push_back({static_cast<double>(a[0]), static_cast<double>(a[1]), static_cast<double>(a[2])});
    }
  }
  ch.finish();
  collect(ch, r);
  r.final_state = ch.state();
  r.stats = ch.stats();
  return r;
}

// How the chain is told about the sensor: the placement the simulator used,
// the default 'auto', or 'auto' with the true sagittal axis given.
enum class Told { placement, automatic, true_axis };

// tune(cfg) may change the chain's configuration before the run (a test
// that moves one setting).
template <class Tune>
ChainRun run_session_tuned(const soleus::sim::HeelRaiseSession& s, const soleus::sim::HeelRaiseConfig& c,
                           std::uint64_t chunk_seed, Told told, Tune tune) {
  std::vector<float> acc(3 * s.size()), gyro(3 * s.size());
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int j = 0; j < 3; ++j) {
      acc[3 * i + j] = static_cast<float>(s.acc_mps2[i][j]);
      gyro[3 * i + j] = static_cast<float>(s.gyro_dps[i][j]);
    }
  soleus::reps::ImuRepConfig cfg;
  cfg.segmenter.sample_rate_hz = c.sample_rate_hz;
  cfg.placement = told == Told::placement ? placement_of(c) : soleus::reps::ImuPlacement::automatic;
  if (told == Told::true_axis) {
    cfg.use_explicit_axis = true;
    for (int j = 0; j < 3; ++j) cfg.axis_sensor[j] = s.sagittal_axis_sensor[static_cast<std::size_t>(j)];
  }
  tune(cfg);
  g_debug_truth_deg = &s.segment_angle_deg;
  ChainRun r = run_chain(s.t_s, acc, gyro, cfg, chunk_seed);
  g_debug_truth_deg = nullptr;
  return r;
}
ChainRun run_session(const soleus::sim::HeelRaiseSession& s, const soleus::sim::HeelRaiseConfig& c,
                     std::uint64_t chunk_seed = 0, Told told = Told::placement) {
  return run_session_tuned(s, c, chunk_seed, told, [](soleus::reps::ImuRepConfig&) {});
}

int match(const std::vector<soleus::reps::Rep>& reps, const soleus::sim::RepTruth& g) {
  int best = -1;
  double best_ov = 0.0;
  for (std::size_t i = 0; i < reps.size(); ++i) {
    const double ov = std::min(reps[i].end_s, g.end_s) - std::max(reps[i].start_s, g.start_s);
    if (ov > best_ov) {
      best_ov = ov;
      best = static_cast<int>(i);
    }
  }
  return best;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const std::size_t i = static_cast<std::size_t>(pos);
  if (i + 1 >= v.size()) return v.back();
  return v[i] + (pos - static_cast<double>(i)) * (v[i + 1] - v[i]);
}

struct Figures {
  int sets = 0, sets_exact = 0, reps_true = 0, reps_found = 0, end_after_completion = 0;
  int refined_past_completion = 0;  // contacts re-timed after their rep_completed (allowed: rep_refined)
  double held_lat_max_ms = 0.0;  // first reps waiting for the axis or the set's second rep
  // Reps counted outside every true set's span (set start - 1 s .. end + 1 s)
  // and the session time outside those spans (s): false reps in the activity
  // between sets (stepping onto and off a step, the walk between sets), which
  // the per-set figure does not see.
  int outside_reps = 0;
  double outside_s = 0.0;
  std::vector<double> err_ms, lat_ms;
  std::vector<double> err_by_kind_ms[4];  // heel-off, top, lowering start, heel contact
  void add(const Figures& r) {  // one rate's figures into the condition's
    for (int k = 0; k < 4; ++k) err_by_kind_ms[k].insert(err_by_kind_ms[k].end(), r.err_by_kind_ms[k].begin(), r.err_by_kind_ms[k].end());
    sets += r.sets;
    sets_exact += r.sets_exact;
    reps_true += r.reps_true;
    reps_found += r.reps_found;
    end_after_completion += r.end_after_completion;
    refined_past_completion += r.refined_past_completion;
    outside_reps += r.outside_reps;
    outside_s += r.outside_s;
    if (r.held_lat_max_ms > held_lat_max_ms) held_lat_max_ms = r.held_lat_max_ms;
    err_ms.insert(err_ms.end(), r.err_ms.begin(), r.err_ms.end());
    lat_ms.insert(lat_ms.end(), r.lat_ms.begin(), r.lat_ms.end());
  }
};

soleus::sim::HeelRaiseConfig grid_config(double fs, soleus::sim::ImuPlacement pl, soleus::sim::Posture po,
                                         soleus::sim::PhaseProfile prof) {
  soleus::sim::HeelRaiseConfig c;
  c.sample_rate_hz = fs;
  c.placement = pl;
  c.posture = po;
  c.profile = prof;
  c.n_sets = 3;
  c.reps_per_set = 8;
  c.rise_s = {0.3, 4.0};
  c.lower_s = {0.3, 4.0};
  c.top_hold_s = {0.0, 5.0};
  c.rom_deg = {10.0, 40.0};
  c.gyro_bias_max_dps = 3.0;
  c.random_mounting = true;
  return c;
}

void evaluate(const soleus::sim::HeelRaiseSession& s, const ChainRun& r, Figures& F, const char* tag,
              std::uint64_t seed) {
  // SOLEUS_DEBUG_AXIS=1: every session's lock time and final axis error (to
  // compare two builds session by session, exact sets or not).
  if (std::getenv("SOLEUS_DEBUG_AXIS")) {
    double d = 0.0;
    for (int j = 0; j < 3; ++j)
      d += static_cast<double>(r.final_state.axis_sensor[j]) * s.sagittal_axis_sensor[static_cast<std::size_t>(j)];
    double first_deg = -1.0, max_deg = 0.0;
    for (const auto& a : r.axis_trace) {
      double e = 0.0;
      for (int j = 0; j < 3; ++j) e += a[static_cast<std::size_t>(j)] * s.sagittal_axis_sensor[static_cast<std::size_t>(j)];
      const double deg = std::acos(std::fmax(-1.0, std::fmin(1.0, e))) * 57.29578;
      if (first_deg < 0.0) first_deg = deg;
      if (deg > max_deg) max_deg = deg;
    }
    std::printf("  axis %s seed %llu %.0f Hz: locked at %.2f s, error at lock %.1f, max %.1f, final %.1f deg\n", tag,
                static_cast<unsigned long long>(seed), s.sample_rate_hz, r.axis_found_at_s, first_deg, max_deg,
                std::acos(std::fmax(-1.0, std::fmin(1.0, d))) * 57.29578);
  }
  // Per set: the detected reps whose start lies within the true set's span.
  for (const auto& set : s.sets) {
    const double lo = set.start_s - 1.0, hi = set.end_s + 1.0;
    int n = 0;
    for (const auto& d : r.reps) n += (d.start_s >= lo && d.start_s <= hi) ? 1 : 0;
    ++F.sets;
    if (n == set.n_reps) ++F.sets_exact;
    else {
      std::printf("  %s seed %llu %.0f Hz set %.1f-%.1f: %d reps, truth %d\n", tag,
                  static_cast<unsigned long long>(seed), s.sample_rate_hz, set.start_s, set.end_s, n, set.n_reps);
      // SOLEUS_DEBUG_SETS=1: which reps of the set are missed or extra.
      if (std::getenv("SOLEUS_DEBUG_SETS")) {
        std::printf("    axis found at %.2f s, sign corrections %llu, pre-lock samples dropped %llu\n",
                    r.axis_found_at_s, static_cast<unsigned long long>(r.stats.sign_corrections),
                    static_cast<unsigned long long>(r.stats.prelock_dropped));
        {
          double d = 0.0;
          for (int j = 0; j < 3; ++j)
            d += static_cast<double>(r.final_state.axis_sensor[j]) * s.sagittal_axis_sensor[static_cast<std::size_t>(j)];
          std::printf("    final axis vs truth: %.1f deg\n", std::acos(std::fmax(-1.0, std::fmin(1.0, d))) * 57.29578);
        }
        for (const auto& g : s.reps)
          if (g.start_s >= lo && g.start_s <= hi)
            std::printf("    truth start %.2f rise %.2f top %.2f lower %.2f rom %.1f%s: %s\n", g.start_s,
                        g.top_s - g.start_s, g.lower_start_s - g.top_s, g.end_s - g.lower_start_s, g.rom_deg,
                        g.partial ? " (partial)" : "", match(r.reps, g) >= 0 ? "found" : "MISSED");
        // SOLEUS_DEBUG_EVENTS_FROM=t: list the events from t (default: the
        // set's start) to 12 s later; SOLEUS_DEBUG_ALL_EVENTS=1: to 5 s after
        // the set's end.
        const char* from_env = std::getenv("SOLEUS_DEBUG_EVENTS_FROM");
        const double ev_lo = from_env ? std::strtod(from_env, nullptr) : lo;
        const double ev_hi = std::getenv("SOLEUS_DEBUG_ALL_EVENTS") ? hi + 5.0 : ev_lo + 12.0;
        for (const auto& e : r.events)
          if (e.t_s >= ev_lo && e.t_s <= ev_hi && e.type != EventType::rest_measured)
            std::printf("    event %d at %.2f: rep start %.2f top %.2f end %.2f rom %.2f\n", static_cast<int>(e.type),
                        e.t_s, e.rep.start_s, e.rep.top_s, e.rep.end_s, e.rep.rom_deg);
        for (const auto& d : r.reps)
          if (d.start_s >= lo && d.start_s <= hi)
            std::printf("    found start %.2f rise %.2f top %.2f lower %.2f rom %.2f\n", d.start_s, d.concentric_s,
                        d.hold_s, d.eccentric_s, d.rom_deg);
      }
    }
  }
  // SOLEUS_DEBUG_OUTSIDE=1: the detected reps outside every true set's span
  // (the per-set count above does not see them: a rep counted in the rest
  // between sets, or in stepping onto or off a step).
  {
    double in_sets_s = 0.0;
    for (const auto& set : s.sets) in_sets_s += set.end_s - set.start_s + 2.0;
    F.outside_s += (s.t_s.empty() ? 0.0 : s.t_s.back() - s.t_s.front()) - in_sets_s;
  }
  {
    const bool print = std::getenv("SOLEUS_DEBUG_OUTSIDE") != nullptr;
    for (const auto& d : r.reps) {
      bool inside = false;
      for (const auto& set : s.sets) inside = inside || (d.start_s >= set.start_s - 1.0 && d.start_s <= set.end_s + 1.0);
      if (!inside) ++F.outside_reps;
      if (!inside && print)
        std::printf("  %s seed %llu %.0f Hz: rep outside the sets, start %.2f rise %.2f top %.2f lower %.2f rom %.2f\n", tag,
                    static_cast<unsigned long long>(seed), s.sample_rate_hz, d.start_s, d.concentric_s, d.hold_s,
                    d.eccentric_s, d.rom_deg);
    }
  }
  // Rep table invariants: start <= top <= lower_start <= end, reps in order
  // without overlap (rest_s >= 0). And end <= completed_at (a smooth
  // lowering's end is extrapolated past the completion event, by design of
  // the early completion; see segmenter.hpp): counted, not asserted.
  for (std::size_t k = 0; k < r.reps.size(); ++k) {
    const auto& d = r.reps[k];
    if (d.end_s > r.table_completed_at_s[k] + 1e-9) ++F.end_after_completion;
    if (d.end_s > r.completed_at_s[k] + 1e-9) ++F.refined_past_completion;
    EXPECT_LE(d.end_s, r.table_completed_at_s[k] + 1e-9) << tag << " seed " << seed << " rep " << k;
    const bool ordered = d.start_s <= d.top_s && d.top_s <= d.lower_start_s && d.lower_start_s <= d.end_s;
    const bool apart = k == 0 || r.reps[k - 1].end_s <= d.start_s + 1e-9;
    EXPECT_TRUE(ordered && apart) << tag << " seed " << seed << " rep " << k << ": " << d.start_s << " " << d.top_s
                                  << " " << d.lower_start_s << " " << d.end_s << " done " << r.completed_at_s[k];
  }
  F.reps_true += static_cast<int>(s.reps.size());
  F.reps_found += static_cast<int>(r.reps.size());
  for (const auto& g : s.reps) {
    const int i = match(r.reps, g);
    if (i < 0) continue;
    const auto& d = r.reps[static_cast<std::size_t>(i)];
    const double errs[4] = {d.start_s - g.start_s, d.top_s - g.top_s, d.lower_start_s - g.lower_start_s,
                            d.end_s - g.end_s};
    for (int k = 0; k < 4; ++k) {
      F.err_ms.push_back(1e3 * std::fabs(errs[k]));
      F.err_by_kind_ms[k].push_back(1e3 * errs[k]);
      if (std::getenv("SOLEUS_DEBUG_BOUNDS") && std::fabs(errs[k]) > 0.12)
        std::printf("  BIG %s seed %llu %.0f Hz kind %d err %.0f ms: rise %.2f top %.2f lower %.2f rom %.1f; "
                    "completed %.0f ms after the true contact\n", tag,
                    static_cast<unsigned long long>(seed), s.sample_rate_hz, k, 1e3 * errs[k], g.top_s - g.start_s,
                    g.lower_start_s - g.top_s, g.end_s - g.lower_start_s, g.rom_deg,
                    1e3 * (r.completed_at_s[static_cast<std::size_t>(i)] - g.end_s));
    }
    // The session's first rep may wait for the automatic axis's sign
    // (sagittal_axis.hpp), and the first rep of a set that does not pause
    // at the top waits for the second to start (segmenter.hpp, "Lone
    // movements"): their latency is counted apart.
    bool first_of_set = false;
    for (const auto& st : s.sets) first_of_set |= &g == &s.reps[static_cast<std::size_t>(st.first_rep)];
    const double lat = 1e3 * (r.completed_at_s[static_cast<std::size_t>(i)] - g.end_s);
    if (&g == &s.reps.front() || (first_of_set && d.hold_s < 0.4)) {
      if (lat > F.held_lat_max_ms) F.held_lat_max_ms = lat;
    } else {
      F.lat_ms.push_back(lat);
    }
  }
}

void report(const char* name, const Figures& F) {
  std::printf("[%s] sets %d exact %d (%.1f %%); reps found %d of %d; boundary |err| ms median %.1f p95 %.1f "
              "max %.0f; completion latency ms median %.0f max %.0f (held first reps: max %.0f)\n",
              name, F.sets, F.sets_exact, 100.0 * F.sets_exact / std::max(1, F.sets), F.reps_found, F.reps_true,
              percentile(F.err_ms, 0.5), percentile(F.err_ms, 0.95), percentile(F.err_ms, 1.0),
              percentile(F.lat_ms, 0.5), percentile(F.lat_ms, 1.0), F.held_lat_max_ms);
  std::printf("[outside %s] reps outside the sets %d in %.2f h (%.2f per hour)\n", name, F.outside_reps,
              F.outside_s / 3600.0, F.outside_s > 0.0 ? F.outside_reps / (F.outside_s / 3600.0) : 0.0);
  // Signed errors per boundary (detected - true): a bias shows as a median
  // away from 0, a spread as p5..p95.
  static const char* kKind[4] = {"heel-off", "top", "lowering start", "heel contact"};
  for (int k = 0; k < 4; ++k)
    std::printf("    %-14s signed err ms p5 %.0f median %.0f p95 %.0f\n", kKind[k],
                percentile(F.err_by_kind_ms[k], 0.05), percentile(F.err_by_kind_ms[k], 0.5),
                percentile(F.err_by_kind_ms[k], 0.95));
}

void run_grid(soleus::sim::ImuPlacement pl, soleus::sim::Posture po, const char* name, Figures& F) {
  for (double fs : {100.0, 200.0}) {
    Figures R;  // this rate only
    for (auto prof : {soleus::sim::PhaseProfile::minimum_jerk, soleus::sim::PhaseProfile::raised_cosine}) {
      for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        const auto c = grid_config(fs, pl, po, prof);
        const auto s = soleus::sim::generate_heel_raise_session(c, seed * 7919 + static_cast<std::uint64_t>(fs));
        ASSERT_TRUE(s.status.ok());
        const ChainRun r = run_session(s, c);
        evaluate(s, r, R, name, seed);
      }
    }
    char tag[96];
    std::snprintf(tag, sizeof tag, "%s, %.0f Hz", name, fs);
    report(tag, R);
    F.add(R);
  }
  report(name, F);
}

// Realistic movement (sim::HeelRaiseConfig::realistic): countermovement,
// rebound, shifting rest, quick and slow sets, raises from a step, a sagging
// isometric hold; random mountings, gyro bias, time-stamp jitter, dropped
// samples; 50, 100 and 200 Hz.
soleus::sim::HeelRaiseConfig realistic_config(double fs, bool from_step, std::uint64_t seed) {
  auto c = grid_config(fs, soleus::sim::ImuPlacement::foot, soleus::sim::Posture::standing,
                       (seed & 1u) ? soleus::sim::PhaseProfile::minimum_jerk : soleus::sim::PhaseProfile::raised_cosine);
  c.realistic = true;
  c.rom_deg = {15.0, 40.0};  // full raises at the foot: 20-40 deg (DESIGN.md), partial ones via partial_probability
  c.rise_s = {0.5, 2.0};
  c.lower_s = {1.5, 3.5};    // prescribed slow lowering ~3 s
  c.top_hold_s = {0.5, 3.0}; // 2-3 s holds
  c.step_bottom_deg = from_step ? 5.0 + static_cast<double>(seed % 11u) : 0.0;
  c.isometric_hold_s = (seed % 3u == 0u) ? 25.0 : 0.0;
  c.sway_deg = 0.3;
  c.timestamp_jitter_s = 0.002;
  c.dropout_rate_per_s = 0.02;
  c.dropout_max_s = 0.05;
  return c;
}

void run_realistic(bool from_step, Told told, const char* name, Figures& F) {
  for (double fs : {50.0, 100.0, 200.0}) {
    Figures R;
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
      const auto c = realistic_config(fs, from_step, seed);
      const auto s = soleus::sim::generate_heel_raise_session(c, seed * 104729 + static_cast<std::uint64_t>(fs));
      ASSERT_TRUE(s.status.ok()) << s.status.message;
      const ChainRun r = run_session(s, c, 0, told);
      evaluate(s, r, R, name, seed);
    }
    char tag[96];
    std::snprintf(tag, sizeof tag, "%s, %.0f Hz", name, fs);
    report(tag, R);
    F.add(R);
  }
  report(name, F);
  std::printf("[%s] reps whose end_s lies after their completion in the table: %d; heel contacts re-timed "
              "after their rep_completed (rep_refined): %d\n", name, F.end_after_completion,
              F.refined_past_completion);
}

}  // namespace

// Issue 16 acceptance on realistic movement, default placement ('auto') and
// the true axis given. Targets: exact count on >= 98 % of sets, boundaries
// (heel-off, top, lowering start, heel contact) median <= 25 ms, p95 <= 120 ms.
// Before issue 16's work: floor 19 % exact with 'auto', 21 % with the true
// axis, median 2.7 s / 141 ms; step 15 % / 13 %. Now (measured):
//   floor and step, auto and true axis: 100 % exact sets (met), median
//   7-8 ms (met), every end_s <= completed_at_s (met); p95 ~345 ms (NOT
//   met: the lowering-start and heel-contact times of slow 3-3.5 s
//   lowerings, whose template shape is misjudged against the shifted rest).
//   Per boundary (signed, detected - true, p5 / median / p95, ms; printed
//   below each report): heel-off -42/-1/2, top -8/3/6, lowering start
//   -272/-6/171, heel contact -333/26/663. The tails are the two smooth
//   ends: where a phase flattens onto a level, a level error of d deg moves
//   the fitted time by d / (final speed), and the minimum-jerk and raised-
//   cosine templates put the end ~0.2 of the phase apart (~0.6 s for a 3 s
//   lowering). Measuring contact as the crossing of the rest the angle
//   settles at after the rebound (branch contact-wip) cut the heel-contact
//   p95 to ~18 ms but needs the rest to settle first: rep_completed ~0.6 s
//   after contact instead of <= 0.25 s, so it is not on main.
// Step raises went from 38 % (auto) / 54 % (true axis) to 100 % with two
// changes: the tracker no longer re-references its rest to a posture far
// below it (the heel hanging off the step; plantarflexion.hpp), and the
// automatic axis takes its sign from the vertical velocity (sagittal_axis.hpp).
static void check_realistic(bool from_step) {
  for (Told told : {Told::automatic, Told::true_axis}) {
    Figures F;
    const char* name = from_step ? (told == Told::automatic ? "realistic step, auto" : "realistic step, true axis")
                                 : (told == Told::automatic ? "realistic floor, auto" : "realistic floor, true axis");
    run_realistic(from_step, told, name, F);
    EXPECT_GE(F.sets_exact, static_cast<int>(std::ceil(0.98 * F.sets))) << name;  // target met
    EXPECT_LE(percentile(F.err_ms, 0.5), 25.0) << name;                           // target met
    // rep_refined (heel contact re-timed from the settled rest, applied in
    // collect()): p95 ~245 -> 216 ms (floor and step, auto and true axis).
    // contact16b (the contact not clamped to rep_completed, found below the
    // settled level's uncertainty): floor 169 / 166 -> 24 / 24 ms, step
    // 177 / 175 -> 23 / 21 ms (auto / true axis).
    // zerog22 (the simulator's accelerometer offset and sensitivity error on
    // by default): 24 / 23 -> 33 / 33 ms floor, 25 / 23 -> 36.5 / 36.5 ms
    // step (auto / true axis); guard 30 -> 38 (loosened: the new sensor
    // model; the held top's creep, see the grid's lowering-start guard).
    EXPECT_LE(percentile(F.err_ms, 0.95), 38.0) << name;                          // target 120 ms: met
    EXPECT_EQ(F.end_after_completion, 0) << name;
  }
}

TEST(HeelRaiseChain, RealisticFloorRaisesMeasuredKnownGap) { check_realistic(false); }

TEST(HeelRaiseChain, RealisticStepRaisesMeasuredKnownGap) { check_realistic(true); }

TEST(HeelRaiseChain, GridFootMeetsTargets) {
  Figures total;
  run_grid(soleus::sim::ImuPlacement::foot, soleus::sim::Posture::standing, "chain foot", total);
  EXPECT_GE(total.sets_exact, static_cast<int>(std::ceil(0.99 * total.sets)));
  EXPECT_LE(percentile(total.err_ms, 0.5), 20.0);
  EXPECT_LE(percentile(total.err_ms, 0.95), 60.0);
  EXPECT_LE(percentile(total.lat_ms, 1.0), 250.0);
}

// Shank placements (see README, "Heel raises", and apply_shank_angle_defaults
// in imu_reps.hpp). Standing counts every set and meets the median and
// latency targets; its boundary p95 (~75 ms; 108 at 100 Hz) is above the
// 60 ms target. Seated, with the curvature of the seated shank/foot ratio
// inverted (output_curvature_per_deg): median ~12 ms (target met), p95
// ~140 ms and 69/72 exact sets (first reps lost before the axis locks): not
// met. Regression guards at the measured level (targets: >= 99 % exact
// sets, median <= 20 ms, p95 <= 60 ms).
TEST(HeelRaiseChain, GridShankMeasuredKnownGap) {
  Figures standing, seated, total;
  run_grid(soleus::sim::ImuPlacement::shank, soleus::sim::Posture::standing, "chain shank standing", standing);
  run_grid(soleus::sim::ImuPlacement::shank, soleus::sim::Posture::seated, "chain shank seated", seated);
  run_grid(soleus::sim::ImuPlacement::foot, soleus::sim::Posture::standing, "chain foot", total);
  for (const Figures* f : {&standing, &seated}) {
    total.sets += f->sets;
    total.sets_exact += f->sets_exact;
    total.reps_true += f->reps_true;
    total.reps_found += f->reps_found;
    total.err_ms.insert(total.err_ms.end(), f->err_ms.begin(), f->err_ms.end());
    total.lat_ms.insert(total.lat_ms.end(), f->lat_ms.begin(), f->lat_ms.end());
  }
  report("chain all placements", total);
  EXPECT_GE(standing.sets_exact, static_cast<int>(std::ceil(0.99 * standing.sets)));
  EXPECT_LE(percentile(standing.err_ms, 0.5), 20.0);
  // 74 ms before issue 16; 97 since the sign waits for the first rep to be
  // over (sagittal_axis.hpp): the first reps are then replayed from tilt
  // angles (the pre-lock ring), not the gyro-dominant shank angle.
  // LOOSENED 100 -> 130 (bounds16b: 93 -> 127 measured): the lowering's
  // onset timed from its first third (segmenter.hpp finalize) reads this
  // plain simulator's shank onsets (no rebound, no rest shift, 3-4 s
  // lowerings) ~0.3 s late (lowering start p95 +37 -> +168 ms), the onset
  // tail's shape misjudged on the shank's IMU angle; on the realistic
  // acceptance grid the same rule takes the shank's lowering start p95 from
  // +266 to +98 ms (standing) and all boundaries' p95 from 267 to 228 ms.
  EXPECT_LE(percentile(standing.err_ms, 0.95), 130.0);  // target 60: not met
  // The completion waits for the end it reports (end_s <= completed_at_s,
  // issue 16): a rep whose fitted end lies late (a boundary outlier, counted
  // in the p95 above) completes that late. 99 % within 250 ms; the one
  // outlier of 576 reps completes 326 ms after the true end.
  EXPECT_LE(percentile(standing.lat_ms, 0.99), 250.0);
  EXPECT_LE(percentile(standing.lat_ms, 1.0), 400.0);
  EXPECT_GE(seated.sets_exact, static_cast<int>(0.94 * seated.sets));  // target 99 %: not met
  EXPECT_LE(percentile(seated.err_ms, 0.5), 20.0);
  EXPECT_LE(percentile(seated.err_ms, 0.95), 160.0);                     // target 60: not met
}

TEST(HeelRaiseChain, RandomChunksEqualOnePass) {
 for (auto pl : {soleus::sim::ImuPlacement::foot, soleus::sim::ImuPlacement::shank}) {
  auto c = grid_config(100.0, pl, pl == soleus::sim::ImuPlacement::foot ? soleus::sim::Posture::standing
                                                                        : soleus::sim::Posture::seated,
                       soleus::sim::PhaseProfile::minimum_jerk);
  c.n_sets = 2;
  const auto s = soleus::sim::generate_heel_raise_session(c, 5);
  const ChainRun a = run_session(s, c, 0);
  ASSERT_FALSE(a.reps.empty());
  for (std::uint64_t k = 1; k <= 3; ++k) {
    const ChainRun b = run_session(s, c, k);
    ASSERT_EQ(a.events.size(), b.events.size());
    for (std::size_t i = 0; i < a.events.size(); ++i) {
      EXPECT_EQ(a.events[i].type, b.events[i].type);
      EXPECT_EQ(a.events[i].t_s, b.events[i].t_s);
      EXPECT_EQ(a.events[i].rep.start_s, b.events[i].rep.start_s);
      EXPECT_EQ(a.events[i].rep.end_s, b.events[i].rep.end_s);
      EXPECT_EQ(a.events[i].rep.rom_deg, b.events[i].rep.rom_deg);
    }
  }
 }
}

TEST(HeelRaiseChain, LiveStateAndSets) {
  auto c = grid_config(100.0, soleus::sim::ImuPlacement::foot, soleus::sim::Posture::standing,
                       soleus::sim::PhaseProfile::minimum_jerk);
  c.n_sets = 2;
  c.reps_per_set = 6;
  c.partial_probability = 0.0;
  const auto s = soleus::sim::generate_heel_raise_session(c, 11);
  const ChainRun r = run_session(s, c);
  EXPECT_TRUE(r.final_state.axis_found);
  EXPECT_FALSE(r.final_state.axis_explicit);
  EXPECT_GT(r.final_state.axis_confidence, 0.9f);
  // The found axis is the true one (sign included).
  double dot = 0.0;
  for (int i = 0; i < 3; ++i) dot += r.final_state.axis_sensor[i] * s.sagittal_axis_sensor[static_cast<std::size_t>(i)];
  EXPECT_GT(dot, 0.99);
  EXPECT_EQ(r.final_state.reps_total, 12);
  ASSERT_EQ(r.sets.size(), 2u);
  EXPECT_EQ(r.sets[0].rep_count, 6);
  EXPECT_EQ(r.sets[1].rep_count, 6);
}

TEST(HeelRaiseChain, ExplicitAxisGivesTheSameReps) {
  auto c = grid_config(200.0, soleus::sim::ImuPlacement::foot, soleus::sim::Posture::standing,
                       soleus::sim::PhaseProfile::raised_cosine);
  c.n_sets = 1;
  const auto s = soleus::sim::generate_heel_raise_session(c, 3);
  std::vector<float> acc(3 * s.size()), gyro(3 * s.size());
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int j = 0; j < 3; ++j) {
      acc[3 * i + j] = static_cast<float>(s.acc_mps2[i][j]);
      gyro[3 * i + j] = static_cast<float>(s.gyro_dps[i][j]);
    }
  soleus::reps::ImuRepConfig cfg;
  cfg.segmenter.sample_rate_hz = 200.0;
  cfg.placement = soleus::reps::ImuPlacement::foot;
  cfg.use_explicit_axis = true;
  for (int i = 0; i < 3; ++i) cfg.axis_sensor[i] = s.sagittal_axis_sensor[static_cast<std::size_t>(i)];
  const ChainRun r = run_chain(s.t_s, acc, gyro, cfg);
  EXPECT_TRUE(r.final_state.axis_explicit);
  EXPECT_EQ(r.reps.size(), s.reps.size());
}

TEST(HeelRaiseChain, EmgPerPhaseStatistics) {
  // EMG envelope = 10 %MVC at rest, 40 % during the concentric phase, 30 %
  // during the hold and 20 % during the lowering, conditioned signal = a
  // 1 kHz square wave of amplitude (pct / 100) mV, and one onset 50 ms
  // before each heel-off: the per-phase statistics must return them.
  auto c = grid_config(100.0, soleus::sim::ImuPlacement::foot, soleus::sim::Posture::standing,
                       soleus::sim::PhaseProfile::minimum_jerk);
  c.n_sets = 1;
  c.reps_per_set = 5;
  c.top_hold_s = {1.0, 2.0};
  c.partial_probability = 0.0;
  const auto s = soleus::sim::generate_heel_raise_session(c, 21);
  static Chain ch;
  soleus::reps::ImuRepConfig cfg;
  cfg.placement = soleus::reps::ImuPlacement::foot;
  cfg.emg_channels = 1;
  ASSERT_TRUE(ch.init(cfg).ok());
  auto pct_at = [&](double t) {
    for (const auto& g : s.reps) {
      if (t >= g.start_s && t < g.top_s) return 40.0f;
      if (t >= g.top_s && t < g.lower_start_s) return 30.0f;
      if (t >= g.lower_start_s && t < g.end_s) return 20.0f;
    }
    return 10.0f;
  };
  std::size_t next_onset = 0;
  const double emg_fs = 1000.0;
  double t_emg = s.t_s.front();
  std::vector<Chain::OutEvent> reps;
  for (std::size_t i = 0; i < s.size(); ++i) {
    // EMG arrives 100 ms behind the IMU (its own filter and transport): the
    // completed reps wait for it.
    while (t_emg <= s.t_s[i] - 0.1) {
      if (next_onset < s.reps.size() && t_emg >= s.reps[next_onset].start_s - 0.05) {
        ch.push_emg_onset(0, s.reps[next_onset].start_s - 0.05);
        ++next_onset;
      }
      const float p = pct_at(t_emg);
      const long k = std::lround(t_emg * emg_fs);
      const float v = (k % 2 ? 1.0f : -1.0f) * p / 100.0f;
      ch.push_emg(t_emg, &p, &v);
      t_emg += 1.0 / emg_fs;
    }
    const float a[3] = {static_cast<float>(s.acc_mps2[i][0]), static_cast<float>(s.acc_mps2[i][1]),
                        static_cast<float>(s.acc_mps2[i][2])};
    const float g[3] = {static_cast<float>(s.gyro_dps[i][0]), static_cast<float>(s.gyro_dps[i][1]),
                        static_cast<float>(s.gyro_dps[i][2])};
    ch.push(s.t_s[i], a, g);
    Chain::OutEvent e;
    while (ch.pop(e))
      if (e.event.type == EventType::rep_completed) reps.push_back(e);
  }
  ch.finish();
  Chain::OutEvent e;
  while (ch.pop(e))
    if (e.event.type == EventType::rep_completed) reps.push_back(e);
  ASSERT_EQ(reps.size(), 5u);
  for (const auto& r : reps) {
    EXPECT_TRUE(r.emg.complete);
    EXPECT_EQ(r.emg.channels, 1);
    // Boundaries are within ~20 ms of the truth and bins are 10 ms: the
    // means are within a few % of the phase's level.
    EXPECT_NEAR(r.emg.mean_pct_mvc[0][soleus::reps::kEmgConcentric], 40.0f, 2.5f);
    EXPECT_NEAR(r.emg.mean_pct_mvc[0][soleus::reps::kEmgHold], 30.0f, 1.5f);
    EXPECT_NEAR(r.emg.mean_pct_mvc[0][soleus::reps::kEmgEccentric], 20.0f, 1.5f);
    EXPECT_NEAR(r.emg.rms_mv[0][soleus::reps::kEmgHold], 0.30f, 0.015f);
    const double ecc_s = r.event.rep.end_s - r.event.rep.lower_start_s;
    EXPECT_NEAR(r.emg.iemg_mv_s[0][soleus::reps::kEmgEccentric], 0.2 * ecc_s, 0.2 * 0.05 + 0.01);
    EXPECT_NEAR(r.emg.onset_rel_heel_off_s[0], -0.05f, 0.03f);
  }
}

TEST(HeelRaiseChain, EmgStartingLateOrMissingIsReported) {
  // EMG attached but it starts only in the middle of the first rep (and the
  // onset ring is empty): the first rep's statistics cover what exists, the
  // reps still come out (after emg_max_wait_s when the EMG is behind).
  auto c = grid_config(100.0, soleus::sim::ImuPlacement::foot, soleus::sim::Posture::standing,
                       soleus::sim::PhaseProfile::minimum_jerk);
  c.n_sets = 1;
  c.reps_per_set = 3;
  c.partial_probability = 0.0;
  const auto s = soleus::sim::generate_heel_raise_session(c, 2);
  static Chain ch;
  soleus::reps::ImuRepConfig cfg;
  cfg.placement = soleus::reps::ImuPlacement::foot;
  cfg.emg_channels = 2;
  ASSERT_TRUE(ch.init(cfg).ok());
  const double emg_from = 0.5 * (s.reps[0].start_s + s.reps[0].top_s);
  const double emg_until = s.reps[1].end_s - 0.5;  // then the EMG stops
  std::vector<Chain::OutEvent> reps;
  Chain::OutEvent e;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.t_s[i] >= emg_from && s.t_s[i] <= emg_until) {
      const float p[2] = {20.0f, 10.0f}, v[2] = {0.2f, 0.1f};
      ASSERT_TRUE(ch.push_emg(s.t_s[i] - 0.001, p, v).ok());
    }
    ch.push(s.t_s[i], s.acc_mps2[i].data(), s.gyro_dps[i].data());
    while (ch.pop(e))
      if (e.event.type == EventType::rep_completed) reps.push_back(e);
  }
  ch.finish();
  while (ch.pop(e))
    if (e.event.type == EventType::rep_completed) reps.push_back(e);
  ASSERT_EQ(reps.size(), 3u);
  EXPECT_TRUE(reps[0].emg.complete);  // covered at its end (the ring started inside it)
  EXPECT_NEAR(reps[0].emg.mean_pct_mvc[1][soleus::reps::kEmgEccentric], 10.0f, 1e-3f);
  EXPECT_TRUE(std::isnan(reps[0].emg.onset_rel_heel_off_s[0]));
  EXPECT_FALSE(reps[1].emg.complete);  // the EMG stopped before its end
  EXPECT_FALSE(reps[2].emg.complete);
  EXPECT_TRUE(std::isnan(reps[2].emg.mean_pct_mvc[0][soleus::reps::kEmgWholeRep]));
  EXPECT_EQ(ch.stats().emg_reps_incomplete, 2u);
}

TEST(HeelRaiseChain, RealWalkingFootImuGivesNoReps) {
  SOLEUS_REQUIRE_SHARED_DATA(path, "real/walking_foot_imu/imu_sample.csv");
  const double fs = 204.8;
  for (int foot = 0; foot < 2; ++foot) {
    std::ifstream f(path);
    std::string line;
    std::vector<double> t;
    std::vector<float> acc, gyro;
    int row = 0;
    while (std::getline(f, line)) {
      if (row++ < 2) continue;  // "sensor" and "axis" header rows
      std::stringstream ss(line);
      std::string cell;
      std::vector<double> v;
      while (std::getline(ss, cell, ',')) v.push_back(std::atof(cell.c_str()));
      if (v.size() < 13) continue;
      // Columns: index, acc_x L R, acc_y L R, acc_z L R (m/s2), gyr_x L R, ... (deg/s).
      t.push_back(v[0] / fs);
      for (int a = 0; a < 3; ++a) {
        acc.push_back(static_cast<float>(v[1 + 2 * a + foot]));
        gyro.push_back(static_cast<float>(v[7 + 2 * a + foot]));
      }
    }
    ASSERT_GT(t.size(), 1000u);
    // Issue 16: zero reps with an explicit axis too. The foot's sagittal
    // axis in walking is the principal axis of its rotation (83-86 % of the
    // rotational energy in this recording), computed here with Eigen's
    // eigensolver; both signs are given (gait initiation read with the sign
    // flipped used to be one 0.1-0.3 s "rep" with no pause at the top).
    {
      Eigen::Matrix3d C = Eigen::Matrix3d::Zero();
      for (std::size_t i = 0; i < t.size(); ++i) {
        const Eigen::Vector3d w(gyro[3 * i], gyro[3 * i + 1], gyro[3 * i + 2]);
        C += w * w.transpose();
      }
      const Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> es(C);
      EXPECT_GT(es.eigenvalues()[2] / es.eigenvalues().sum(), 0.75);
      for (double sign : {1.0, -1.0}) {
        soleus::reps::ImuRepConfig cfg;
        cfg.segmenter.sample_rate_hz = fs;
        cfg.use_explicit_axis = true;
        for (int j = 0; j < 3; ++j) cfg.axis_sensor[j] = sign * es.eigenvectors()(j, 2);
        const ChainRun r = run_chain(t, acc, gyro, cfg);
        std::printf("[real walking] foot %s explicit axis, sign %+.0f: reps %zu\n", foot ? "right" : "left", sign,
                    r.reps.size());
        EXPECT_EQ(r.reps.size(), 0u);
      }
    }
    for (auto pl : {soleus::reps::ImuPlacement::automatic, soleus::reps::ImuPlacement::foot}) {
      soleus::reps::ImuRepConfig cfg;
      cfg.segmenter.sample_rate_hz = fs;
      cfg.placement = pl;
      const ChainRun r = run_chain(t, acc, gyro, cfg);
      std::printf("[real walking] foot %s placement %s: axis found %d (confidence %.2f), reps %zu\n",
                  foot ? "right" : "left", pl == soleus::reps::ImuPlacement::foot ? "foot" : "automatic",
                  r.final_state.axis_found ? 1 : 0, r.final_state.axis_confidence, r.reps.size());
      EXPECT_EQ(r.reps.size(), 0u);
    }
  }
}

// Issue 16: a min_excursion_deg set by the user is honoured whatever the
// placement; the placement fills it only when left unset, and
// effective_config() reports what runs.
TEST(HeelRaiseChain, UserMinExcursionIsHonoured) {
  using soleus::reps::ImuPlacement;
  for (ImuPlacement pl : {ImuPlacement::automatic, ImuPlacement::foot, ImuPlacement::shank_seated}) {
    soleus::reps::ImuRepConfig cfg;
    cfg.placement = pl;
    const double placement_default = pl == ImuPlacement::automatic ? 1.5 : 4.0;
    EXPECT_EQ(soleus::reps::effective_config(cfg).segmenter.min_excursion_deg, placement_default);
    static Chain ch;
    ASSERT_TRUE(ch.init(cfg).ok());
    EXPECT_EQ(ch.config().segmenter.min_excursion_deg, placement_default);
    cfg.segmenter.min_excursion_deg = 7.0;
    EXPECT_EQ(soleus::reps::effective_config(cfg).segmenter.min_excursion_deg, 7.0);
    ASSERT_TRUE(ch.init(cfg).ok());
    EXPECT_EQ(ch.config().segmenter.min_excursion_deg, 7.0);
  }
  // And it changes what is counted: raises of 10-12 deg at the foot are reps
  // by default and not with a 20 deg minimum.
  auto c = grid_config(100.0, soleus::sim::ImuPlacement::foot, soleus::sim::Posture::standing,
                       soleus::sim::PhaseProfile::minimum_jerk);
  c.rom_deg = {10.0, 12.0};
  c.partial_probability = 0.0;
  c.n_sets = 1;
  const auto s = soleus::sim::generate_heel_raise_session(c, 5);
  std::vector<float> acc(3 * s.size()), gyro(3 * s.size());
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int j = 0; j < 3; ++j) {
      acc[3 * i + j] = static_cast<float>(s.acc_mps2[i][static_cast<std::size_t>(j)]);
      gyro[3 * i + j] = static_cast<float>(s.gyro_dps[i][static_cast<std::size_t>(j)]);
    }
  soleus::reps::ImuRepConfig cfg;
  cfg.segmenter.sample_rate_hz = 100.0;
  EXPECT_EQ(run_chain(s.t_s, acc, gyro, cfg).reps.size(), s.reps.size());
  cfg.segmenter.min_excursion_deg = 20.0;
  EXPECT_EQ(run_chain(s.t_s, acc, gyro, cfg).reps.size(), 0u);
}

// Issue 16: non-raise activity alone (sim::Activity: walking, pedalling,
// sit-to-stand with a shank sensor, fidgets of 2-4 deg and weight shifts)
// should give at most 1 false rep per hour, with the automatic axis and with
// the true axis given. One hour of each activity per mode: 3 rates x 4 seeds
// x 300 s. Measured (false reps per hour, auto / true axis), before and
// after the lone-movement rule (segmenter.hpp: a lone up-and-down without a
// 0.4 s top pause waits for the set's second rep; a rise under 0.15 s is a
// transient):
//   walking 0 / 0 -> 0 / 0 (met); pedalling 2.6 / 1.8 -> 0 / 1.8 (0 / 2.6
//   since bouncy sets are counted: one 7-s pedalling chain at 50 Hz, seed 4,
//   whose first two "reps" already counted, goes on for one more);
//   sit-to-stand (shank) 167 / 184 -> 76 / 57; fidgets 300 / 297 -> 183 / 185.
//   NOT MET for sit-to-stand and fidgets: a fidget's 2-4 deg heel lift with a
//   0.4-0.5 s pause is a partial raise by its angle, and pairs of them within
//   3 s read as a set; a shank standing up pauses at the top of its forward
//   tilt. Tried and not kept (measured): a lone rep must lift the sensor by
//   >= 0.8-1 cm (integrated vertical velocity): sit-to-stand 28-55 / h, but
//   the lift of slow rises was underestimated by 20-35 % and realistic sets
//   lost first reps (95 % exact).
// After the lone-movement rules 2 (segmenter.hpp header, "Lone movements":
// a small rep, < 5 deg, counts only at a set's rhythm, next rep within
// 1.75 s at first, 2.75 s since (kSmallChainGap_s: the rest alone lost shank sets); a lone rise out of a dip deeper than a countermovement, from the
// bottom of a fall, with a big overshoot, a mid-rise pause or a different
// rest after is a posture change): sit-to-stand 76 / 57 -> 1.9 / 0,
// fidgets 183 / 185 -> 8.7 / 6.7 with the 1.75 s window, 70 / 71 with 2.75 s
// (pairs of 2-4 deg heel lifts within a set's rhythm read as a set). Still
// NOT MET: fidgets, pedalling with the true axis 2.6 (1.8 before the bouncy
// rules), sit-to-stand with 'auto' 1.9.
// After the rhythm rule (segmenter.hpp header, "Lone movements": small
// movements count once three of them, each within 2.75 s of the last, keep
// one rhythm, start-to-start periods within 25 %; the held two are then
// reported): fidgets 70 / 71 -> 7.7 / 7.7, then 5.8 / 5.8 once a
// full-sized movement after held small ones is judged by the posture-change
// rules as a lone one (a 6.3 deg "rep" rising for 3.9 s, a weight shift
// running into a heel lift, had confirmed a held fidget); the rest
// unchanged. Still NOT MET for fidgets: two runs of three 2-4 deg heel lifts
// 2.8-3.3 s apart (periods 7-16 % apart: by timing and size a small set).
// Guarded at the measured level.
// What they were (SOLEUS_DEBUG_FALSE=1 prints the simulator's true
// movements around each false rep): two runs of three plain heel lifts of
// 2.2-3.9 deg, 0.04-0.39 s at the top, 1.6-2.5 s still between them, with
// no toe tap or weight shift inside (50 Hz seed 3 at 22-29 s, 200 Hz seed 4
// at 178-185 s, both axes). After the deliberate-raise rule (segmenter.hpp
// header, "Lone movements": each of a small set's first two raises pauses
// >= 0.4 s at the top or runs on into the next after at most a set's rest,
// 1.75 s): fidgets 5.8 / 5.8 -> 0 / 0 (met); the rest unchanged: pedalling
// 0 / 2.6 (one pedalling bout at 50 Hz seed 4, 280-282 s: three 26-45 deg
// "reps" with no top hold, chained as a bouncy set), sit-to-stand 1.9 / 0
// (both at the start of the stream: the simulator puts the shank into its
// seated angle, 5.6-6.2 deg, in 0.1 s at 5.5 s, read under 'auto' as a
// rise held 10-15 s and lowered by seat-off). Still NOT MET: those two.
// The quiet-foot rule (a toe tap or weight shift between held small
// movements drops them) changed no figure here or in the grid: no false rep
// above had one inside (RepsPartial.ToeTapInsideASmallChainBreaksIt proves it).
// After the carried-movement rule (segmenter.hpp header, "Carried
// movements": a movement whose sensor lift, its vertical velocity from
// (|a|^2 - g^2) / 2g against the angle's rate times its range, exceeds a
// heel's 0.22 m, 0.27 m with the crank's 0.33 m, is no rep and drops the
// held ones): pedalling 0 / 2.6 -> 0 / 0 (met; the bout's 2nd and 3rd
// "reps" lift 0.29-0.31 m); every other figure unchanged, and the
// acceptance grid identical in every condition.
namespace {
struct FalseReps {
  int reps = 0;
  double hours = 0.0;
};
// What the simulator's truth did around a false rep: the true angle's
// movements from 4 s before the rep's start to 1 s after its end, each as
// "t0-t1 s: from -> [min, max] -> to deg" (a heel lift rises and returns, a
// toe tap dips and returns, a weight shift ends at a new level). A movement
// is where the true angle's speed over 50 ms exceeds 3 deg/s (the sway of
// 0.3 deg stays below), merged across pauses under 0.6 s (the longest pause
// at the top of a fidget's heel lift is 0.5 s).
void print_truth_movements(const soleus::sim::HeelRaiseSession& s, double t0, double t1) {
  const std::size_t n = s.size();
  const int lag = std::max(1, static_cast<int>(std::lround(0.05 * s.sample_rate_hz)));
  double m0 = -1.0, m_end = -1.0, a_from = 0.0, a_min = 0.0, a_max = 0.0;
  auto flush = [&](double a_to) {
    if (m0 >= 0.0)
      std::printf("      truth %.2f-%.2f s: %+.1f -> [%+.1f, %+.1f] -> %+.1f deg\n", m0, m_end, a_from, a_min, a_max, a_to);
    m0 = -1.0;
  };
  double a_last = 0.0;
  for (std::size_t i = static_cast<std::size_t>(lag); i < n; ++i) {
    const double t = s.t_s[i];
    if (t < t0 || t > t1) continue;
    const double a = s.angle_deg[i], a_prev = s.angle_deg[i - static_cast<std::size_t>(lag)];
    const double v = (a - a_prev) / (t - s.t_s[i - static_cast<std::size_t>(lag)]);
    if (std::fabs(v) > 3.0) {
      if (m0 >= 0.0 && t - m_end > 0.6) flush(a_last);
      if (m0 < 0.0) { m0 = t; a_from = a_prev; a_min = a_max = a_prev; }
      m_end = t;
      a_last = a;
    }
    if (m0 >= 0.0) {
      a_min = std::min(a_min, a);
      a_max = std::max(a_max, a);
      if (t - m_end <= 0.6) a_last = a;
    }
  }
  flush(a_last);
}
// SOLEUS_GRID_QUIET_STANCE=1 measures the acceptance grid and the non-raise
// hours with the quiet-stance sway model (sim heel_raise.hpp,
// sway_quiet_stance: about the ankle, the foot flat) instead of the legacy
// one (roll and yaw about the MTP pivot). The guards are for the default.
bool grid_quiet_stance() { return std::getenv("SOLEUS_GRID_QUIET_STANCE") != nullptr; }
// The accelerometer's zero-g offset and sensitivity error (sim
// HeelRaiseConfig: on by default in realistic mode, 40 mg and 2 %):
// SOLEUS_GRID_ACC_OFFSET_MG=mg and SOLEUS_GRID_ACC_SCALE_PCT=% measure the
// grid and the non-raise hours with other bounds (0 and 0: the ideal
// accelerometer of the grids before zerog22). The guards are for the default.
void grid_acc_errors(soleus::sim::HeelRaiseConfig& c) {
  if (const char* v = std::getenv("SOLEUS_GRID_ACC_OFFSET_MG")) c.acc_offset_max_mps2 = 1e-3 * std::atof(v) * 9.80665;
  if (const char* v = std::getenv("SOLEUS_GRID_ACC_SCALE_PCT")) c.acc_scale_error_max = 0.01 * std::atof(v);
}

// One session of non-raise activity alone (truth: no reps), 300 s.
soleus::sim::HeelRaiseConfig activity_config(soleus::sim::Activity a, double fs, std::uint64_t seed,
                                             soleus::sim::ImuPlacement pl = soleus::sim::ImuPlacement::foot) {
  auto c = grid_config(fs, soleus::sim::ImuPlacement::foot, soleus::sim::Posture::standing,
                       (seed & 1u) ? soleus::sim::PhaseProfile::minimum_jerk : soleus::sim::PhaseProfile::raised_cosine);
  c.realistic = true;
  c.activity = a;
  c.activity_s = 300.0;
  if (a == soleus::sim::Activity::sit_to_stand) c.placement = soleus::sim::ImuPlacement::shank;
  if (a == soleus::sim::Activity::walking) c.placement = pl;  // the shank's own gait track (sim kShankGaitKnots)
  c.sway_deg = 0.3;
  c.sway_quiet_stance = grid_quiet_stance();
  grid_acc_errors(c);
  c.timestamp_jitter_s = 0.002;
  c.dropout_rate_per_s = 0.02;
  c.dropout_max_s = 0.05;
  return c;
}
std::uint64_t activity_seed(double fs, std::uint64_t seed) { return seed * 15485863ull + static_cast<std::uint64_t>(fs); }
// Seeds 1-16 (~4.3 h per activity and axis mode, ~10 s): with seeds 1-4 only
// (1.1 h) the rules written against those sessions read 0 false reps per hour
// while seeds 5-16, which no rule had seen, gave pedalling 21 / 21 and fidgets
// 4.5 / 3.9 per hour: one hour is too little activity to measure a rate of
// about one per hour, and the rules must hold on sessions they were not
// written against.
FalseReps run_activity(soleus::sim::Activity a, Told told,
                       soleus::sim::ImuPlacement pl = soleus::sim::ImuPlacement::foot) {
  FalseReps F;
  for (double fs : {50.0, 100.0, 200.0}) {
    for (std::uint64_t seed = 1; seed <= 16; ++seed) {
      const auto c = activity_config(a, fs, seed, pl);
      const auto s = soleus::sim::generate_heel_raise_session(c, activity_seed(fs, seed));
      EXPECT_TRUE(s.status.ok()) << s.status.message;
      EXPECT_TRUE(s.reps.empty());
      const ChainRun r = run_session(s, c, 0, told);
      for (std::size_t k = 0; k < r.reps.size(); ++k)
        std::printf("    false rep fs %.0f seed %llu: start %.2f end %.2f rom %.1f rise %.2f hold %.2f s\n", fs,
                    static_cast<unsigned long long>(seed), r.reps[k].start_s, r.reps[k].end_s, r.reps[k].rom_deg,
                    r.reps[k].concentric_s, r.reps[k].hold_s);
      // SOLEUS_DEBUG_FALSE=1: what each false rep was in the simulator's truth.
      if (std::getenv("SOLEUS_DEBUG_FALSE"))
        for (std::size_t k = 0; k < r.reps.size(); ++k)
          print_truth_movements(s, r.reps[k].start_s - 4.0, r.reps[k].end_s + 1.0);
      F.reps += static_cast<int>(r.reps.size());
      F.hours += (s.t_s.back() - s.t_s.front()) / 3600.0;
    }
  }
  return F;
}
const char* activity_name(soleus::sim::Activity a) {
  switch (a) {
    case soleus::sim::Activity::walking: return "walking";
    case soleus::sim::Activity::pedalling: return "pedalling";
    case soleus::sim::Activity::sit_to_stand: return "sit-to-stand (shank)";
    case soleus::sim::Activity::fidgeting: return "fidgets";
    default: return "none";
  }
}
}  // namespace

TEST(HeelRaiseChain, NonRaiseActivityMeasuredKnownGap) {
  for (Told told : {Told::automatic, Told::true_axis}) {
    for (auto a : {soleus::sim::Activity::walking, soleus::sim::Activity::pedalling,
                   soleus::sim::Activity::sit_to_stand, soleus::sim::Activity::fidgeting}) {
      const FalseReps F = run_activity(a, told);
      const double per_h = F.reps / F.hours;
      std::printf("[non-raise %s, %s] %d false reps in %.2f h (%.1f per hour)\n", activity_name(a),
                  told == Told::automatic ? "auto" : "true axis", F.reps, F.hours, per_h);
      double guard = 1.0;  // the target
      // Pedalling: 0 / 0 measured on seeds 1-4 since the carried-movement
      // rule (was 0 / 2.6, guard 3.0); 0.2 / 0.2 on seeds 1-16 (was 21 / 21 on
      // seeds 5-16 before the rule): the target, 1, is the guard.
      // Sit-to-stand, 'auto': 1.9 / 0 per hour on a simulator whose seated
      // start stepped into the seated angle in 0.1 s (read as a rise held
      // until the seat-off); 3.7 with that simulator once the pre-lock replay
      // started at the rest posture (exact16: one 200 Hz session's power-on
      // drift had merged three transitions into one false rep). Sessions now
      // start seated (sim fix): measured 5.6 / 0 (all six in one 50 Hz
      // session, whose axis sign was corrected in the middle of a sit-down:
      // the segmenter restarted at the bottom of the shank's forward tilt,
      // took the rise out of it for a raise from rest, and every later
      // posture chained on it as a set). sit2stand16 (the segmenter restarts
      // at the next calm after a sign correction, imu_reps.hpp): measured
      // 0 / 0, the guard ratcheted 6 / 2 -> 0 / 0 (the measured value; see
      // SignCorrectionMidSitDownRestartsAtRest).
      if (a == soleus::sim::Activity::sit_to_stand) guard = 0.0;
      // Fidgets: measured 0 / 0 on seeds 1-4 with the deliberate-raise rule,
      // 3.4 / 2.9 on seeds 1-16 (runs of three regular small lifts whose tops
      // paused >= 0.4 s or whose rests were <= 1.75 s by chance, guard 3.5).
      // fidget16e (a small set's three movements hold their tops alike,
      // segmenter.hpp holds_alike): 4 / 4 false reps in 4.15 h, 0.96 / 0.96
      // per hour: met at the limit; the target, 1, is the guard. Left: three
      // regular 3 deg lifts at 100 Hz seed 7 (a quick small set by every
      // measure) and a 3.9 deg weight shift held 20 s (isometric) at 50 Hz
      // seed 6. Seeds 17-64, not looked at while writing the rule: 1.4 / 1.5
      // -> 0.6 / 0.6 per hour. hold16 (a sagging hold's lowering measured
      // from where the hold ended) / foot16 / slow16: 3 / 3 false reps in
      // 4.15 h, 0.72 / 0.72 per hour (the three regular 3 deg lifts of 100 Hz
      // seed 7 are left); guard ratcheted 1.0 -> 0.75. On the clang
      // x86-64-v2 and aarch64 builds a fourth, 0.96 per hour: a 4 deg
      // weight shift (a staircase of fidgets) held 20.96 s, over
      // isometric_hold_min_s there (19.x s natively), counted as an
      // isometric hold. fidget19 (a small hold must wobble as a single-leg
      // hold does, segmenter.hpp "Hold wobble"): 3 / 3 on both builds.
      if (a == soleus::sim::Activity::fidgeting) guard = 0.75;
      EXPECT_LE(per_h, guard) << activity_name(a);
    }
    // Walking with the sensor on the shank: the shank's own gait track (sim
    // kShankGaitKnots: ~65 deg per stride, tibial advancement through
    // stance, 300-400 deg/s in swing), not the foot's pitch.
    const FalseReps W = run_activity(soleus::sim::Activity::walking, told, soleus::sim::ImuPlacement::shank);
    const double w_per_h = W.reps / W.hours;
    std::printf("[non-raise walking (shank), %s] %d false reps in %.2f h (%.1f per hour)\n",
                told == Told::automatic ? "auto" : "true axis", W.reps, W.hours, w_per_h);
    EXPECT_LE(w_per_h, 1.0) << "walking (shank)";  // the target
  }
}

// A lone small movement held 25 s at the top counts as an isometric hold
// only when it wobbles as a single-leg hold does (segmenter header, "Hold
// wobble": 2-7 deg/s RMS in roll and yaw, the simulator's hold_wobble_dps);
// held still in quiet stance's sway (0.3 deg, legacy sway about the MTP
// pivot) it is a weight shift held still: no rep. The simulator draws a
// rep's range from 10 deg up, so the hold is 10-12 deg and the chain's
// lone_min_rom_deg is raised to 15 deg to make it a small movement (the
// rule's scope; a fidget's weight shift is 1-4 deg under the default 5). The
// same session with and without the wobble (drawn after the movements: the
// angle is the same). Before fidget19 the one held still counted too
// (non-raise fidgets: a 4 deg shift held 21 s on the clang x86-64-v2 and
// aarch64 builds).
TEST(HeelRaiseChain, SmallLoneHoldCountsOnlyWithAHoldsWobble) {
  using namespace soleus::sim;
  int held_still = 0, wobbled = 0, sessions = 0;
  for (double fs : {50.0, 100.0, 200.0}) {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      auto c = grid_config(fs, ImuPlacement::foot, Posture::standing,
                           (seed & 1u) ? PhaseProfile::minimum_jerk : PhaseProfile::raised_cosine);
      c.realistic = true;
      c.n_sets = 0;
      c.isometric_hold_s = 25.0;
      c.rom_deg = {10.0, 12.0};
      c.rise_s = {0.5, 1.5};
      c.lower_s = {0.5, 1.5};
      c.hold_sag_deg = {0.3, 0.8};
      c.sway_deg = 0.3;
      c.timestamp_jitter_s = 0.002;
      const auto small_at_15 = [](soleus::reps::ImuRepConfig& k) { k.segmenter.lone_min_rom_deg = 15.0; };
      for (bool wobble : {false, true}) {
        c.hold_wobble_dps = wobble ? Range{2.0, 7.0} : Range{0.0, 0.0};
        const auto s = generate_heel_raise_session(c, seed * 7919ull + static_cast<std::uint64_t>(fs));
        ASSERT_TRUE(s.status.ok()) << s.status.message;
        ASSERT_EQ(s.reps.size(), 1u);
        const ChainRun r = run_session_tuned(s, c, 0, Told::true_axis, small_at_15);
        int holds = 0;
        for (const auto& rep : r.reps) holds += rep.isometric ? 1 : 0;
        if (wobble) {
          wobbled += holds;
          EXPECT_EQ(holds, 1) << fs << " Hz, seed " << seed << ": a wobbling hold is a hold";
        } else {
          held_still += static_cast<int>(r.reps.size());
          EXPECT_EQ(r.reps.size(), 0u) << fs << " Hz, seed " << seed << ": held still, a weight shift";
        }
        // Random chunking gives the same.
        const ChainRun rc = run_session_tuned(s, c, 5, Told::true_axis, small_at_15);
        EXPECT_EQ(rc.reps.size(), r.reps.size()) << fs << " Hz, seed " << seed;
      }
      ++sessions;
    }
  }
  std::printf("[small lone hold] %d sessions: counted %d held still, %d wobbling\n", sessions, held_still, wobbled);
}

// The fidgets' weight shifts no longer count as holds by how long they were
// held: with isometric_hold_min_s at 10 s (halfway on a log scale between a
// rep's longest top hold, 5 s, and the shortest prescribed hold, 20 s; a
// setting a user may choose), the weight shifts held 10-20 s in the
// non-raise fidget sessions are isometric by duration, and only the hold's
// wobble (segmenter header, "Hold wobble") tells that they are not. cellsA18
// measured 0.7 -> 1.7 false reps per hour with 10 s before this rule. Every
// false rep counted here must be no isometric hold.
TEST(HeelRaiseChain, FidgetWeightShiftsHeldLongAreNoHolds) {
  int holds = 0, reps = 0;
  double hours = 0.0;
  const auto hold_from_10s = [](soleus::reps::ImuRepConfig& k) { k.segmenter.isometric_hold_min_s = 10.0; };
  for (double fs : {50.0, 100.0, 200.0}) {
    for (std::uint64_t seed = 1; seed <= 16; ++seed) {
      const auto c = activity_config(soleus::sim::Activity::fidgeting, fs, seed);
      const auto s = soleus::sim::generate_heel_raise_session(c, activity_seed(fs, seed));
      ASSERT_TRUE(s.status.ok()) << s.status.message;
      const ChainRun r = run_session_tuned(s, c, 0, Told::true_axis, hold_from_10s);
      for (const auto& rep : r.reps) {
        holds += rep.isometric ? 1 : 0;
        EXPECT_FALSE(rep.isometric) << fs << " Hz, seed " << seed << ": a weight shift held " << rep.hold_s
                                    << " s at " << rep.start_s << " s, " << rep.rom_deg << " deg";
      }
      reps += static_cast<int>(r.reps.size());
      hours += (s.t_s.back() - s.t_s.front()) / 3600.0;
    }
  }
  std::printf("[fidgets, holds from 10 s] %d false reps (%d holds) in %.2f h\n", reps, holds, hours);
}

// A sit-to-stand session (shank sensor) whose automatic axis corrects its
// sign in the middle of a transition: it locks on the excursion
// rule after the first seat-off (forward tilt read as plantar flexion), and
// the vertical-velocity evidence turns it during a sit-down (the shank tilting
// forward lowers a sensor on the tibia: dorsiflexion). The segmenter must
// restart at rest, not at the bottom of that tilt: the simulator's truth is
// zero reps (posture changes only). Before sit2stand16 it counted 6 (each
// posture held 7-19 s read as a raise's top hold between two transitions).
TEST(HeelRaiseChain, SignCorrectionMidSitDownRestartsAtRest) {
  // The case under test: a sit-to-stand session (shank) whose automatic axis
  // corrects its sign after the lock. Which session does so depends on
  // rounding (native builds fuse multiply-adds, the portable x86-64-v2 build
  // does not, and the evidence that turns the sign sits near its threshold),
  // so the first such session of seeds 1-64 at 50/100/200 Hz is the case;
  // one must exist. Such sessions became rarer as the sign evidence improved
  // (step16b's slow-movement lift evidence): the clang x86-64-v2 build has
  // none in seeds 1-16 and five in 1-64 (50 Hz seeds 38 and 64, 200 Hz seeds
  // 43, 52 and 54), the native build at least one in 1-16. After the
  // correction the chain restarts its segmenter at the next calm, so the
  // sit-down does not become a rep.
  bool found = false;
  for (double fs : {50.0, 100.0, 200.0}) {
    for (std::uint64_t seed = 1; seed <= 64 && !found; ++seed) {
      const auto c = activity_config(soleus::sim::Activity::sit_to_stand, fs, seed);
      const auto s = soleus::sim::generate_heel_raise_session(c, activity_seed(fs, seed));
      ASSERT_TRUE(s.status.ok()) << s.status.message;
      ASSERT_TRUE(s.reps.empty());
      const ChainRun r = run_session(s, c, 0, Told::automatic);
      if (r.stats.sign_corrections < 1u) continue;
      found = true;
      ASSERT_TRUE(r.final_state.axis_found);
      EXPECT_EQ(r.reps.size(), 0u) << fs << " Hz, seed " << seed;
      // Random chunking gives the same (streaming equals one pass).
      const ChainRun rc = run_session(s, c, 7, Told::automatic);
      EXPECT_EQ(rc.reps.size(), r.reps.size()) << fs << " Hz, seed " << seed;
      EXPECT_EQ(rc.stats.sign_corrections, r.stats.sign_corrections) << fs << " Hz, seed " << seed;
    }
  }
  EXPECT_TRUE(found) << "no sit-to-stand session of seeds 1-64 corrected its sign after the lock";
}

// Issue 16 acceptance grid on realistic movement, default placement ('auto'):
// 8 conditions x foot and shank x 50/100/200 Hz x 8 seeds = 384 sessions of
// 2 sets of 8 reps, with random mountings, gyro bias up to 3 deg/s, sway,
// time-stamp jitter and dropped samples. Conditions:
//   standing (floor), seated, wall-sit, from a step (5-15 deg below standing),
//   slow tempo (3-4 s lowering, 2-3 s holds: DESIGN.md prescriptions),
//   bouncy (0.3-0.5 s up and down, no pauses), single-leg holds (a 20-40 s
//   isometric hold after the sets, sagging 1-3 deg, wobbling 2-7 deg/s RMS
//   in roll and yaw).
// Targets: exact count on >= 98 % of sets in every condition, boundaries
// median <= 25 ms and p95 <= 120 ms (p95 is another branch's work: only
// printed here), and 'auto' within 1 % of 'foot' on a foot sensor.
// Activity between sets: standing sets with 2-6 walking steps or 2-8 deg
// fidgets (weight shifts, heel lifts, toe taps) in every rest between them
// (sim::HeelRaiseConfig::between_sets_activity_probability = 1); every rep
// counted there is an extra rep of the set next to it. Activity alone is
// judged in NonRaiseActivityMeasuredKnownGap.
namespace {
enum class Cond { standing, seated, wall_sit, step, slow, bouncy, hold, between };
const char* cond_name(Cond c) {
  switch (c) {
    case Cond::standing: return "standing";
    case Cond::seated: return "seated";
    case Cond::wall_sit: return "wall-sit";
    case Cond::step: return "step";
    case Cond::slow: return "slow tempo";
    case Cond::bouncy: return "bouncy";
    case Cond::hold: return "single-leg hold";
    case Cond::between: return "activity between sets";
  }
  return "?";
}
// One acceptance-grid session, generated from config c (acceptance_config of
// the same condition, rate and seed) with the grid's simulator seed: every
// test that replays a grid session generates the same one.
soleus::sim::HeelRaiseSession acceptance_session(const soleus::sim::HeelRaiseConfig& c, Cond cond, double fs,
                                                 std::uint64_t seed) {
  return soleus::sim::generate_heel_raise_session(
      c, seed * 7368787ull + static_cast<std::uint64_t>(fs) + 1000ull * static_cast<std::uint64_t>(cond));
}
soleus::sim::HeelRaiseConfig acceptance_config(Cond cond, soleus::sim::ImuPlacement pl, double fs,
                                               std::uint64_t seed) {
  using namespace soleus::sim;
  auto c = grid_config(fs, pl, Posture::standing,
                       (seed & 1u) ? PhaseProfile::minimum_jerk : PhaseProfile::raised_cosine);
  c.realistic = true;
  // SOLEUS_CONTACT_AT_SPEED=1 measures the grid with heel contact at speed
  // (sim heel_raise.hpp, heel_contact_at_speed: the truth a heel-insole force
  // sensor gives). Not the default yet: the segmenter still fits contact as a
  // glide onto rest (issue 16, branch bounds16); the guards below are for
  // the default sessions.
  c.heel_contact_at_speed = std::getenv("SOLEUS_CONTACT_AT_SPEED") != nullptr;
  c.n_sets = 2;
  c.rom_deg = {15.0, 40.0};
  c.rise_s = {0.5, 2.0};
  c.lower_s = {1.5, 3.5};
  c.top_hold_s = {0.5, 3.0};
  c.sway_deg = 0.3;
  c.sway_quiet_stance = grid_quiet_stance();
  c.timestamp_jitter_s = 0.002;
  c.dropout_rate_per_s = 0.02;
  c.dropout_max_s = 0.05;
  grid_acc_errors(c);
  switch (cond) {
    case Cond::standing: break;
    case Cond::seated: c.posture = Posture::seated; break;
    case Cond::wall_sit: c.posture = Posture::wall_sit; break;
    case Cond::step:
      c.step_bottom_deg = 5.0 + static_cast<double>(seed % 11u);
      // No stepping onto the step here (the replay tests' sessions): the
      // acceptance grid turns it on (grid_step_on_off()).
      break;
    case Cond::slow:
      c.quick_set_probability = 0.0;
      c.lower_s = {3.0, 4.0};
      c.top_hold_s = {2.0, 3.0};
      break;
    case Cond::bouncy: c.bouncy_set_probability = 1.0; break;
    case Cond::hold:
      c.isometric_hold_s = 20.0 + 2.5 * static_cast<double>(seed % 9u);  // 20-40 s
      c.hold_wobble_dps = {2.0, 7.0};
      break;
    case Cond::between: c.between_sets_activity_probability = 1.0; break;
  }
  return c;
}
// The grid's step condition steps onto the step before the first set, off
// and back on between sets, and off after the last (sim heel_raise.hpp,
// step_on_off; issue 16: people step up onto the box and off it again).
// Default since stepon19 (every step cell >= 98 % with it on every range);
// SOLEUS_STEP_ON_OFF=0 measures the step condition without it (standing on
// the step from the start, the heels hanging through the rests).
bool grid_step_on_off() {
  const char* v = std::getenv("SOLEUS_STEP_ON_OFF");
  return v == nullptr || std::strcmp(v, "0") != 0;
}
// Measured exact-set share (%) and boundary median (ms) per condition, foot
// and shank, default placement: the guards below. Target: >= 98 % and
// <= 25 ms; where a figure is worse the guard sits at the measured level
// ("not met"), so a regression fails and an improvement is free.
struct Measured {
  double exact_pct_foot, exact_pct_shank, median_ms_foot, median_ms_shank;
};
Measured measured(Cond c) {
  switch (c) {  // exact % foot, shank; median ms foot, shank
    // Shank figures after the lone-movement rules (fidget16 merged: a rep
    // under 5 deg, most of a shank's under 'auto', counts only at a set's
    // rhythm, kSmallChainGap_s): seated 100 -> 91.7, wall-sit 95.8 -> 89.6,
    // step 97.9 -> 95.8, slow 93.8 -> 85.4, hold 100 -> 95.8 % (the first
    // rep of a set waits for the second and is lost when it comes later).
    // slow16 (the lowering's end level = where it arrived, before the
    // rebound: segmenter.hpp refine_end_level): foot slow 89.6 -> 95.8 %
    // (median 43 -> 9 ms, max error 10 s -> 1.9 s), foot step 95.8 -> 97.9
    // (max error 34 s -> 1.5 s), foot wall-sit 97.9 -> 100, shank slow
    // 85.4 -> 87.5 (median 58.5 -> 33 ms); LOOSENED: shank standing
    // 95.8 -> 91.7 and shank step 95.8 -> 93.8 (not yet understood).
    // After the rhythm rule (small movements count as a regular set of
    // three; the window from heel contact to the next heel-off is the
    // longer of 2.75 s and the last rep's own duration: slow shank reps of
    // 3-4 deg, 5-8 s long, had lost whole sets and mid-set reps where the
    // early-found heel contact of a slow lowering stretched the rest past
    // 2.75 s; SOLEUS_DEBUG_SETS=1 lists them): seated 91.7 -> 100, wall-sit
    // 89.6 -> 95.8, step 95.8 -> 97.9, slow 85.4 -> 93.8, hold 95.8 -> 98.6 %;
    // foot unchanged.
    // MERGED (slow16 + fidget16c, main c3ebaea), measured: standing
    // 97.9 / 97.9 % (medians 7.3 / 22.7 ms), seated 97.9 / 100 (6.4 / 32.5),
    // wall-sit 100 / 95.8 (5.6 / 31.4), step 97.9 / 97.9 (5.9 / 16.1), slow
    // 95.8 / 97.9 (9.1 / 33.5): slow16's shank standing and step losses are
    // gone with fidget16c's rhythm window. Unchanged by shank16.
    // exact16 (the pre-lock replay starts at the rest posture: the first rep
    // is no longer swallowed by the orientation filter's power-on drift):
    // standing shank 97.9 -> 100, seated foot 97.9 -> 100, wall-sit shank
    // 95.8 -> 97.9 %; every other figure unchanged.
    // heldout16 (a dip that came back: the rest after it is rest at the
    // baseline, segmenter.hpp): standing foot 97.9 -> 100 %.
    // slowrest16 (the rest floor set at the settled rest after a heel
    // contact re-timed later, when a dip after the rebound window had set
    // it: segmenter.hpp apply_contact): foot 97.9 -> 100 %.
    case Cond::standing: return {100.0, 100.0, 25.0, 25.0};
    // With rep_refined (contact16) merged, the shank medians fell: seated
    // 32.5 -> 25.0, wall-sit 31.4 -> 23.1, slow 33.5 -> 32.9 ms.
    // contact16b (heel contact not clamped to rep_completed, found below
    // the settled level's uncertainty): shank medians standing 19.6 ->
    // 15.8, seated 19.4 -> 11.8, wall-sit 17.0 -> 11.0, slow 32.0 -> 14.4,
    // hold 20.2 -> 16.4 ms (seated and slow now met); exact sets unchanged.
    case Cond::seated: return {100.0, 100.0, 25.0, 25.0};
    // heldout16 (the gyro bias's residual about the vertical removed before
    // the axis covariance, sagittal_axis.hpp "Yaw residual"): wall-sit shank
    // 97.9 -> 100 %; every other cell of seeds 1-8 unchanged. Held-out
    // seeds 9-20 (SOLEUS_GRID_SEED_OFFSET=8 SOLEUS_GRID_SEED_COUNT=12),
    // shank: standing 88.9 -> 94.4, seated 97.2 -> 98.6, slow 95.8 -> 97.2;
    // seeds 21-32: seated 91.7 -> 95.8, slow 95.8 -> 98.6; no cell lower.
    // Then a dip that came back (segmenter.hpp): seeds 1-8 standing foot
    // 97.9 -> 100; between-sets foot / shank seeds 9-20 91.7 / 87.5 -> 97.2 /
    // 93.1, seeds 21-32 94.4 / 91.7 -> 98.6 / 95.8; no cell lower.
    // seat16 (partial raises inside a set: segmenter.hpp set_min_excursion):
    // seeds 1-8 unchanged (seated / wall-sit 100 %, all 815 / 816). Dev
    // seeds 33-48 shank seated 94.8 -> 96.9, wall-sit 95.8 -> 99.0; seeds
    // 49-64 wall-sit shank 94.8 -> 97.9. Held-out seeds 21-32 wall-sit shank
    // 97.2 -> 98.6; seeds 9-20 and every other cell unchanged.
    // zerog22 (the simulator's accelerometer offset and sensitivity error on
    // by default): wall-sit shank 100 -> 97.9 % (one set of 48; known gap,
    // guard at the measured level).
    case Cond::wall_sit: return {100.0, 97.9, 25.0, 25.0};
    // exact16b (the rest posture's stability witnessed by the accelerometer,
    // sagittal_axis.hpp): foot step 97.9 -> 100 % (seed 1 at 200 Hz had lost
    // its whole first set to a lock at 51.8 s); every other figure unchanged.
    // step16b (slow movements' lift evidence, sagittal_axis.hpp): shank step
    // 97.9 -> 100 % (seed 6 at 200 Hz locked inverted from the heel drop);
    // held-out step foot / shank seeds 9-20 100 / 95.8 -> 100 / 97.2, seeds
    // 21-32 95.8 / 91.7 -> 97.2 / 95.8; no other cell changed.
    // gait20 (the simulator's shank walks as a real shank does: sim
    // kShankGaitKnots, stepping onto the step before the first set): shank
    // 100 -> 81.2 % (39 of 48), guard LOOSENED to the measured level. Not an
    // engine change: the first stride's stance turns the shank forward over
    // the planted foot, which lowers the sensor instead of lifting it, and
    // the lift evidence locks the sign inverted 0.3 s into the walk (before
    // its first heel strike, so strike_in_episode() cannot withdraw it); the
    // heel drop over the edge is too slow at a shank to correct it, the
    // first rep does, and the segmenter's restart loses that rep. Known gap
    // (docs/heel_raises.md "Walking at the shank"). Foot unchanged (100 %).
    // That withdrawal rule was replaced before release (it withdrew a foot's
    // walking evidence too, which is right-signed, and the simulated day's
    // foot counted 30 heel raises on a day without any: test_activity's
    // SimulatedDay.ImuOnlySessionMatchesTheTruth) by one that withdraws only
    // strides that turn all through stance, a shank's (sagittal_axis.hpp,
    // judge_stance): shank 75.0 % (36 of 48; 64.6 % with neither rule).
    // stepsign21 (a lock taken on a shank's stride is undone at its
    // verdict: sagittal_axis.hpp undo_shank_stride_lock()): shank 75.0 ->
    // 100 % (48 of 48), guard back to the target; foot unchanged.
    case Cond::step: return {100.0, 100.0, 25.0, 25.0};
    // slowfoot16 (a still episode back at the rest level for min_rest_s
    // ends a countermovement; the rebound window re-timed from its dip's
    // first break: segmenter.hpp): foot 95.8 -> 100, shank 97.9 -> 100 %
    // (both foot misses were a mid-set rep of a 3-4 s lowering set whose
    // rest before it was not counted); every other cell of seeds 1-8
    // unchanged (all 808 -> 811 of 816 sets). Held-out seeds 9-20: slow foot
    // 98.6 -> 100, step shank 94.4 -> 95.8, between-sets foot 97.2 -> 98.6;
    // seeds 21-32: between-sets foot / shank 98.6 / 95.8 -> 100 / 97.2; no
    // cell lower on any range.
    // slow16 (a lowering ends at a rest near the floor that rises again,
    // rested_then_rose; a held small rep's own settle is not the foot
    // moving, stall_moved_foot: segmenter.hpp): seeds 1-8 unchanged in
    // every cell (815/816). Development seeds 33-48 slow foot / shank
    // 99.0 / 96.9 -> 100 / 97.9, hold foot 99.3 -> 100, between shank
    // 95.8 -> 99.0; seeds 49-64 slow 97.9 / 95.8 -> 99.0 / 96.9, seated foot
    // 99.0 -> 100, wall-sit foot 97.9 -> 100, hold shank 97.2 -> 97.9; no
    // development cell lower. Held-out seeds 9-20 98.9 -> 99.2 %, seeds
    // 21-32 98.0 -> 98.3 % (step shank 95.8 -> 94.4: one set lower).
    case Cond::slow: return {100.0, 100.0, 25.0, 25.0};
    // Bouncy: before the segmenter's bouncy rules 0 of 384 reps found on
    // either sensor; then foot 44/48 sets (369/384 reps, median 2.2 ms,
    // p95 19 ms), shank 19/48 (248/384 reps, median 30 ms, p95 695 ms).
    // shank16 (the level after a bouncy rep measured before the next rise,
    // the turning point at the raw minimum, the rebound's raised minimum
    // only after a rebound): foot 48/48 (384/384, median 2.3 ms, p95 23 ms),
    // shank 46/48 (381/384, median 23.9 ms, p95 105 ms): shank not met.
    // cells16 (the transient test reads a rep-sized phase with its longest-
    // lasting shape, segmenter.hpp longest_phase_s): shank 95.8 -> 97.9 %
    // (seed 8 at 100 Hz: a 0.3 s rise had read 0.14 s). Seeds 9-16
    // (SOLEUS_GRID_SEED_OFFSET=8): shank 89.6 -> 91.7 %.
    // bouncy16 (a bouncy rep's floor within a quarter of the set's own
    // range, segmenter.hpp chain_rom_: the recent median still held an
    // earlier set's smaller reps while the shank's measured floor stepped up
    // 1.3-1.8 deg within 9-11 deg reps): seeds 1-8 unchanged (every cell);
    // held-out shank 88.9 -> 93.1 % (seeds 9-20), 87.5 -> 91.7 % (seeds
    // 21-32), every other held-out cell unchanged.
    // bouncy16b (a chain's rise measured from the level it left; a bump
    // under the minimum excursion ends at its trough, segmenter.hpp
    // declare_top and the rising state): shank 97.9 -> 100 % (median 23.2
    // -> 17.8 ms); held-out 93.1 -> 98.6 % (seeds 9-20), 91.7 -> 95.8 %
    // (seeds 21-32); every other cell of seeds 1-32 unchanged. Guard
    // ratcheted to 100 %.
    case Cond::bouncy: return {100.0, 100.0, 25.0, 25.0};
    // Measured 98.6 / 98.6 % (medians 7.1 / 23.5 ms).
    // slowrest16 (apply_contact, as standing): foot 98.6 -> 100 %.
    // hold16 (a sagging hold keeps its duration: the lowering's levels from
    // the hold's end level, segmenter.hpp begin_finishing): shank 98.6 ->
    // 100 %; development seeds 33-48 shank 97.9 -> 99.3, 49-64 97.2 ->
    // 98.6, every other development cell unchanged. Held-out: seeds 9-20
    // all 98.9 -> 99.0 %, seeds 21-32 hold shank 95.4 -> 94.4 (one set).
    // Guard ratcheted to 100 %.
    case Cond::hold: return {100.0, 100.0, 25.0, 25.0};
    // Activity between sets (new with issue 16's between-set mode): foot
    // 44/48 sets exact (380/384 reps found), shank 45/48 (375/384); on main
    // c3ebaea foot 46/48 (382/384), shank 48/48: foot not met; medians
    // 6.5 / 21.4 ms met.
    // between16 (a weight shift held under the onset is the rest before the
    // dip that leaves it; a lone rep out of a long dip judged on the rest
    // the dip left: segmenter.hpp): foot 95.8 -> 100 % (seed 5 at 100 Hz and
    // seed 3 at 200 Hz had lost the set's first rep), every other cell of
    // seeds 1-8 unchanged (all 811 -> 813 of 816). Held-out seeds 9-20: hold
    // foot 99.1 -> 100, between-sets foot 98.6 -> 100; seeds 21-32: no set
    // changed; no cell lower on any range. Met.
    // gait20 (the simulator's shank walks as a real one between sets: its
    // strides' sign evidence points the wrong way and flips the lock): shank
    // 100 -> 97.9 % without a rule, 100 % with judge_stance
    // (HeelRaiseChain.ShankStridesBetweenSetsAreNoSignEvidence).
    case Cond::between: return {100.0, 100.0, 25.0, 25.0};
  }
  return {98.0, 98.0, 25.0, 25.0};
}
double exact_guard(Cond c, soleus::sim::ImuPlacement pl) {
  const Measured m = measured(c);
  const double pct = pl == soleus::sim::ImuPlacement::foot ? m.exact_pct_foot : m.exact_pct_shank;
  return (pct < 98.0 ? pct - 0.05 : 98.0) / 100.0;  // 0.05: the rounding of the printed figure
}
double median_guard(Cond c, soleus::sim::ImuPlacement pl) {
  const Measured m = measured(c);
  return pl == soleus::sim::ImuPlacement::foot ? m.median_ms_foot : m.median_ms_shank;
}
// Measured: 'foot' 98.0 %, 'auto' 98.0 % of the foot sensor's sets (met;
// 97.1 / 97.1 % before shank16's bouncy fixes, 83.9 / 83.6 % before the
// bouncy rules).
double auto_gap_guard_pct() { return 1.0; }
}  // namespace

// Issue 16 (axis16): the automatic axis must lock within the first reps of
// a real set. On these development sessions (shank standing and seated,
// small 3-5 deg reps under 1-3 deg/s of postural sway) the rate
// covariance's share about the axis stayed under lock_confidence
// and the axis locked 27-94 s after the start, losing whole sets
// (sagittal_axis.hpp, "Tilt-displacement evidence"). Reference: the
// simulator's truth (the end of the first set's second rep).
TEST(HeelRaiseChain, AutoAxisLocksWithinTheFirstRepsOfASmallSet) {
  using soleus::sim::ImuPlacement;
  struct Case {
    Cond cond;
    ImuPlacement pl;
    std::uint64_t seed;
    double fs;
  };
  // Not yet covered: step foot seed 45 (100 Hz) still locks at 67 s: no
  // rest posture is confirmed before the rest between sets (a different
  // mechanism, open; see the issue-16 report of branch axis16).
  for (const Case& k : {Case{Cond::standing, ImuPlacement::shank, 42, 100.0},
                        Case{Cond::seated, ImuPlacement::shank, 45, 100.0}}) {
    const auto c = acceptance_config(k.cond, k.pl, k.fs, k.seed);
    const auto s = acceptance_session(c, k.cond, k.fs, k.seed);
    ASSERT_TRUE(s.status.ok()) << s.status.message;
    ASSERT_GE(s.reps.size(), 2u);
    const ChainRun r = run_session(s, c, 0, Told::automatic);
    const double deadline_s = s.reps[1].end_s;
    EXPECT_GE(r.axis_found_at_s, 0.0) << cond_name(k.cond) << " seed " << k.seed;
    EXPECT_LE(r.axis_found_at_s, deadline_s) << cond_name(k.cond) << " seed " << k.seed;
    EXPECT_EQ(r.stats.sign_corrections, 0u) << cond_name(k.cond) << " seed " << k.seed;
  }
}

// Issue 16 (axislock17): the first rest posture of a standing shank under
// postural sway. Before the rule the posture's 0.5 s stability test (0.4
// deg) failed on every period of the ~4 s of standing before the heels
// dropped off the step (the shank sways with the body, 0.3-1 deg/s), the
// 1-2 s hangs between quick reps are too short for the filter's rest, and
// no rest posture came before the 15 s rest between sets: step shank seed
// 81 at 200 Hz locked at 47.5 s and lost its whole first set (7427 pre-lock
// samples dropped). With the stability judged on the calm episode's mean
// direction (sagittal_axis.hpp, "First rest under sway") it locks at 6.5 s,
// in the first rep. Reference: the simulator's truth (the end of the first
// set's second rep), as AutoAxisLocksWithinTheFirstRepsOfASmallSet.
TEST(HeelRaiseChain, FirstRestUnderSwayLocksTheAxisInTheFirstSet) {
  const Cond cond = Cond::step;
  const double fs = 200.0;
  const std::uint64_t seed = 81;
  const auto c = acceptance_config(cond, soleus::sim::ImuPlacement::shank, fs, seed);
  const auto s = acceptance_session(c, cond, fs, seed);
  ASSERT_TRUE(s.status.ok()) << s.status.message;
  ASSERT_GE(s.reps.size(), 2u);
  const ChainRun r = run_session(s, c, 0, Told::automatic);
  EXPECT_GE(r.axis_found_at_s, 0.0);
  EXPECT_LE(r.axis_found_at_s, s.reps[1].end_s);
  EXPECT_EQ(r.stats.prelock_dropped, 0u);
  EXPECT_EQ(r.stats.sign_corrections, 0u);
}

// Sets of s that r counted exactly (a rep belongs to a set when it starts
// within 1 s of it, the truth's convention in these replay tests); each
// inexact set is printed with `label` when it is not null. Adds to sets.
static int exact_sets(const soleus::sim::HeelRaiseSession& s, const ChainRun& r, const char* label, std::uint64_t seed,
                      double fs, int& sets) {
  int exact = 0;
  for (const auto& set : s.sets) {
    int n = 0;
    for (const auto& d : r.reps) n += (d.start_s >= set.start_s - 1.0 && d.start_s <= set.end_s + 1.0) ? 1 : 0;
    ++sets;
    if (n == set.n_reps) ++exact;
    else if (label)
      std::printf("  %s seed %llu %.0f Hz set %.1f-%.1f: %d reps, truth %d\n", label, static_cast<unsigned long long>(seed),
                  fs, set.start_s, set.end_s, n, set.n_reps);
  }
  return exact;
}

// Issue 16 (stepon19, plantarflexion.hpp "The band's peak hold follows the
// heel raises, not gait"): after walking onto the step the heels hang still
// below standing for 1.5 s before the first raise (the simulator's
// step_on_off). That hang is a posture, not drift. The strides' ~10 deg
// shank swings had set the rest band's peak hold; the band (a quarter of
// it) took in the hang 1-4.5 shank degrees down, the reference blended
// towards it, the angle rose ~1 deg in the hang (SOLEUS_DEBUG_ANGLE) and the
// set's first raise lost its rest. These development sessions (step shank,
// 'auto', SOLEUS_STEP_ON_OFF=1) each lost a set so on main 24ef90f (the
// first raise after stepping on, or two); with the rule every set is
// exact. Truth: the simulator's sets; a detected rep belongs to a set when
// it starts within 1 s of it (the grid's rule).
TEST(HeelRaiseChain, StepHangAfterSteppingOnIsNoDrift) {
  using soleus::sim::ImuPlacement;
  struct Case {
    std::uint64_t seed;
    double fs;
  };
  int sets = 0, exact = 0;
  for (const Case& k : {Case{56, 50.0}, Case{66, 200.0}, Case{324, 50.0}, Case{100, 50.0}, Case{151, 50.0},
                        Case{147, 100.0}, Case{173, 100.0}, Case{110, 200.0}, Case{154, 200.0}, Case{210, 200.0}}) {
    auto c = acceptance_config(Cond::step, ImuPlacement::shank, k.fs, k.seed);
    c.step_on_off = true;
    // The sessions were found with the ideal accelerometer (before zerog22);
    // with its offset and sensitivity error on, seed 324 at 50 Hz loses one
    // rep of its set (7 of 8, known: the report of zerog22).
    c.acc_offset_max_mps2 = c.acc_scale_error_max = 0.0;
    const auto s = acceptance_session(c, Cond::step, k.fs, k.seed);
    ASSERT_TRUE(s.status.ok()) << s.status.message;
    const ChainRun r = run_session(s, c, 0, Told::automatic);
    exact += exact_sets(s, r, "step hang", k.seed, k.fs, sets);
  }
  std::printf("[step hang] %d of %d sets exact\n", exact, sets);
  EXPECT_EQ(sets, 20);
  // gait20: 20 -> 14 of 20, guard LOOSENED to the measured level. The
  // simulator's shank now walks onto the step as a real shank does (sim
  // kShankGaitKnots) and the first stride locks the sign inverted: the first
  // set loses its first rep to the sign correction (see exact_guard's step
  // entry; 10 of 20 without judge_stance). The hang itself is not the cause:
  // known gap.
  // stepsign21 (that lock undone at the stride's verdict, sagittal_axis.hpp
  // undo_shank_stride_lock()): 14 -> 20 of 20, guard tightened (15 of 20
  // without the undo, 17 without the next-strike verdict).
  EXPECT_EQ(exact, sets);
}

// Issue 16 (gait20): walking between sets with the sensor on the shank.
// The simulator's shank now turns as a real one does in gait (sim
// kShankGaitKnots: 60-70 deg per stride, tibial advancement over the planted
// foot through stance), which lifts nothing: the vertical-velocity sign
// evidence of those strides pointed the wrong way, flipped the locked sign
// in the rest between sets, and the next set's first rep was lost while the
// segmenter restarted. sagittal_axis.hpp, judge_stance(): a stride after an
// impact that turns all through a gait cycle, with no 0.1 s flat stance, is
// a shank's, and its evidence is withdrawn (5 of 10 sets without it). A
// foot's strides keep theirs: test_activity's simulated foot day fails
// when every stride's evidence is withdrawn. Sessions: fresh development
// seeds of this session that lost a set that way (5 of 192 shank sets on
// seeds 353-384). Truth: the simulator's sets (a rep belongs to a set when
// it starts within 1 s of it).
TEST(HeelRaiseChain, ShankStridesBetweenSetsAreNoSignEvidence) {
  using soleus::sim::ImuPlacement;
  struct Case {
    std::uint64_t seed;
    double fs;
  };
  int sets = 0, exact = 0;
  for (const Case& k : {Case{353, 100.0}, Case{361, 100.0}, Case{362, 100.0}, Case{369, 100.0}, Case{353, 200.0}}) {
    const auto c = acceptance_config(Cond::between, ImuPlacement::shank, k.fs, k.seed);
    const auto s = acceptance_session(c, Cond::between, k.fs, k.seed);
    ASSERT_TRUE(s.status.ok()) << s.status.message;
    const ChainRun r = run_session(s, c, 0, Told::automatic);
    exact += exact_sets(s, r, "shank strides", k.seed, k.fs, sets);
  }
  std::printf("[shank strides between sets] %d of %d sets exact\n", exact, sets);
  EXPECT_EQ(sets, 10);
  EXPECT_EQ(exact, sets);
}

// Issue 16 (shank21; segmenter.hpp "Rose without turning"): after 2-6 steps
// between two sets, a shank sensor sampled at 50 Hz reads 1.5-3.6 deg off
// (what the strides' accelerations leaked into the orientation filter's
// tilt), and the filter's re-levelling over the next seconds raised the
// angle with the gyro reading nothing: that rise qualified as a rep, the
// next set's first countermovement was taken for its lowering, and the set
// lost 1-8 reps while the segmenter waited in that lowering. The rule
// rejects a rise the rate about the axis does not account for (under half).
// Sessions: this session's fresh development seeds that lost a set that way
// (main ce0d955: 8 of these 16 sets inexact; no sign correction in any).
// Truth: the simulator's sets (a rep belongs to a set when it starts within
// 1 s of it).
TEST(HeelRaiseChain, FilterRelevellingAfterStepsIsNoRep) {
  using soleus::sim::ImuPlacement;
  const double fs = 50.0;
  int sets = 0, exact = 0;
  for (std::uint64_t seed : {831u, 861u, 883u, 913u, 921u, 943u, 944u, 979u}) {
    const auto c = acceptance_config(Cond::between, ImuPlacement::shank, fs, seed);
    const auto s = acceptance_session(c, Cond::between, fs, seed);
    ASSERT_TRUE(s.status.ok()) << s.status.message;
    const ChainRun r = run_session(s, c, 0, Told::automatic);
    exact += exact_sets(s, r, "re-levelling", seed, fs, sets);
  }
  std::printf("[re-levelling after steps] %d of %d sets exact\n", exact, sets);
  EXPECT_EQ(sets, 16);
  EXPECT_EQ(exact, sets);
}

// Issue 16 (stepon19; known gap, docs/heel_raises.md "Stepping on"): from a
// step the heels hang 5-15 deg below standing, and a partial raise (0.5-0.8
// of the range) holds its top within the rest band of standing level, where
// the angle's reference still is (plantarflexion.hpp re-references to a
// rest posture within its band): the reference blends towards that top
// through its 0.5-3 s hold, the hang after it reads a degree or more off,
// and the next raise is lost (foot seed 65 at 200 Hz: a 12.5 deg partial
// from a 15 deg hang, topping out at -2.5 deg; shank seed 196 at 50 Hz:
// 11.8 deg from 14 deg; 'auto', step_on_off). Measured: 2 of the 4 sets
// exact (guard). A "rest floor" (a held posture more than the band above the
// last rest is a top, not rest) made all 4 exact but cost the non-raise
// fidgets 0.7 -> 1.0 false reps per hour (a weight shift up held 21 s
// counted, also with a 3 s top-hold limit): not kept. Truth: the
// simulator's sets (a rep belongs to a set when it starts within 1 s of it).
TEST(HeelRaiseChain, PartialRaiseFromAStepTopMeasuredKnownGap) {
  using soleus::sim::ImuPlacement;
  struct Case {
    ImuPlacement pl;
    std::uint64_t seed;
    double fs;
  };
  int sets = 0, exact = 0;
  for (const Case& k : {Case{ImuPlacement::foot, 65, 200.0}, Case{ImuPlacement::shank, 196, 50.0}}) {
    auto c = acceptance_config(Cond::step, k.pl, k.fs, k.seed);
    c.step_on_off = true;
    const auto s = acceptance_session(c, Cond::step, k.fs, k.seed);
    ASSERT_TRUE(s.status.ok()) << s.status.message;
    const ChainRun r = run_session(s, c, 0, Told::automatic);
    exact += exact_sets(s, r, nullptr, k.seed, k.fs, sets);
  }
  std::printf("[step partial top] %d of %d sets exact\n", exact, sets);
  EXPECT_EQ(sets, 4);
  EXPECT_GE(exact, 2);  // measured 2 (target 4)
}

// Issue 16 (axis16b): the tilt from rest confirms the axis only once an
// excursion has returned to rest (sagittal_axis.hpp, "Only after a
// return"). On these development sessions (wall-sit and seated shank, the
// rate's share under lock_confidence) axis16 locked mid-rep on the tilt of
// a rep not yet lowered, 17-31 deg off the true axis (SOLEUS_DEBUG_AXIS=1:
// wall-sit seed 79 100 Hz 30.7, seed 81 50 Hz 18.2, seed 98 200 Hz 16.6,
// seated seed 48 100 Hz 17.0); after the first return they lock within
// 2-4 deg. Reference: the simulator's true axis. 10 deg: the angle then
// reads >= 98.5 % of the rotation and off-axis wobble leaks in at <= 0.17x.
TEST(HeelRaiseChain, AxisLockedByTheTiltWaitsForARepToReturn) {
  using soleus::sim::ImuPlacement;
  struct Case {
    Cond cond;
    std::uint64_t seed;
    double fs;
  };
  for (const Case& k : {Case{Cond::wall_sit, 79, 100.0}, Case{Cond::wall_sit, 81, 50.0},
                        Case{Cond::wall_sit, 98, 200.0}, Case{Cond::seated, 48, 100.0}}) {
    const auto c = acceptance_config(k.cond, ImuPlacement::shank, k.fs, k.seed);
    const auto s = acceptance_session(c, k.cond, k.fs, k.seed);
    ASSERT_TRUE(s.status.ok()) << s.status.message;
    const ChainRun r = run_session(s, c, 0, Told::automatic);
    ASSERT_FALSE(r.axis_trace.empty()) << cond_name(k.cond) << " seed " << k.seed;
    double d = 0.0;
    for (std::size_t j = 0; j < 3; ++j) d += r.axis_trace.front()[j] * s.sagittal_axis_sensor[j];
    const double err_deg = std::acos(std::fmax(-1.0, std::fmin(1.0, d))) * 57.29578;
    EXPECT_LE(err_deg, 10.0) << cond_name(k.cond) << " seed " << k.seed << " " << k.fs << " Hz";
  }
}

TEST(HeelRaiseChain, RealisticAcceptanceGridMeasuredKnownGap) {
  using soleus::sim::ImuPlacement;
  int sessions = 0;
  Figures all_auto, foot_auto, foot_told;
  for (Cond cond : {Cond::standing, Cond::seated, Cond::wall_sit, Cond::step, Cond::slow, Cond::bouncy, Cond::hold,
                    Cond::between}) {
    // SOLEUS_GRID_COND=name (e.g. bouncy): measure that condition only, to
    // iterate on one (the session count below is then not checked).
    const char* only = std::getenv("SOLEUS_GRID_COND");
    if (only && std::strcmp(only, cond_name(cond)) != 0) continue;
    // SOLEUS_GRID_SEED_OFFSET=N runs seeds N+1..N+8 instead of 1..8: sessions
    // no rule was tuned on, to show that a fix generalises. The guards are
    // for seeds 1-8 only (with an offset the figures are printed and the
    // guards still checked, so a failure there is a finding, not a bug).
    const char* offset_env = std::getenv("SOLEUS_GRID_SEED_OFFSET");
    const std::uint64_t seed_offset = offset_env ? std::strtoull(offset_env, nullptr, 10) : 0u;
    // SOLEUS_GRID_SEED_COUNT=M runs M seeds from the offset (default 8; e.g.
    // offset 8, count 12: the held-out seeds 9-20 of issue 16).
    const char* count_env = std::getenv("SOLEUS_GRID_SEED_COUNT");
    const std::uint64_t seed_count = count_env ? std::strtoull(count_env, nullptr, 10) : 8u;
    for (ImuPlacement pl : {ImuPlacement::foot, ImuPlacement::shank}) {
      Figures F, Ffoot;
      char name[96];
      std::snprintf(name, sizeof name, "accept %s, %s, auto", cond_name(cond), pl == ImuPlacement::foot ? "foot" : "shank");
      for (double fs : {50.0, 100.0, 200.0}) {
        for (std::uint64_t seed = seed_offset + 1; seed <= seed_offset + seed_count; ++seed) {
          // SOLEUS_GRID_ONLY=seed,fs,placement (e.g. 11,100,shank): one
          // session, to trace it (the figures then cover that one only).
          if (const char* one = std::getenv("SOLEUS_GRID_ONLY")) {
            unsigned long long o_seed = 0;
            double o_fs = 0.0;
            char o_pl[16] = {0};
            if (std::sscanf(one, "%llu,%lf,%15s", &o_seed, &o_fs, o_pl) == 3 &&
                (o_seed != seed || o_fs != fs || std::strcmp(o_pl, pl == ImuPlacement::foot ? "foot" : "shank") != 0))
              continue;
          }
          auto c = acceptance_config(cond, pl, fs, seed);
          if (cond == Cond::step) c.step_on_off = grid_step_on_off();
          const auto s = acceptance_session(c, cond, fs, seed);
          ASSERT_TRUE(s.status.ok()) << s.status.message;
          ++sessions;
          evaluate(s, run_session(s, c, 0, Told::automatic), F, name, seed);
          if (pl == ImuPlacement::foot) evaluate(s, run_session(s, c, 0, Told::placement), Ffoot, "  (told foot)", seed);
        }
      }
      report(name, F);
      all_auto.add(F);
      if (pl == ImuPlacement::foot) {
        foot_auto.add(F);
        foot_told.add(Ffoot);
        char told_name[96];
        std::snprintf(told_name, sizeof told_name, "accept %s, foot, told 'foot'", cond_name(cond));
        report(told_name, Ffoot);
      }
      const double exact = static_cast<double>(F.sets_exact) / F.sets;
      // Guards: see the table above this test (target 98 %).
      EXPECT_GE(exact, exact_guard(cond, pl)) << name;
      const double med = percentile(F.err_ms, 0.5);
      if (median_guard(cond, pl) < 1e8) {  // 1e9: nothing found to time
        EXPECT_LE(med, median_guard(cond, pl)) << name;
      }
    }
  }
  report("accept all, auto", all_auto);
  report("accept foot, auto", foot_auto);
  report("accept foot, told 'foot'", foot_told);
  if (!std::getenv("SOLEUS_GRID_COND") && !std::getenv("SOLEUS_GRID_ONLY")) {
    EXPECT_GE(sessions, 300);
  }
  const double auto_pct = 100.0 * foot_auto.sets_exact / foot_auto.sets,
               foot_pct = 100.0 * foot_told.sets_exact / foot_told.sets;
  std::printf("[accept] %d sessions; foot sensor exact sets: auto %.1f %%, 'foot' %.1f %%\n", sessions, auto_pct,
              foot_pct);
  EXPECT_LE(foot_pct - auto_pct, auto_gap_guard_pct());  // target 1 %
  // Heel contact (signed, all conditions and placements, 'auto'), with the
  // rep_refined events applied (collect()). Measured, p5 / median / p95 ms:
  // default sessions -396 / +1 / +326 before rep_refined, -370 / -26 / +44
  // after; SOLEUS_CONTACT_AT_SPEED=1 -12 / +109 / +926 before, -24 / +1 / +38
  // after. The p5 is reps whose rep_completed came before the true contact
  // (the refined end is clamped to completed_at_s) and, in the default
  // sessions, the glide onto rest (zero speed at contact: the crossing of a
  // level a noise SD off lies early). With shank16's bouncy fix merged
  // (bouncy shank reps 248 -> 381 found, their contacts now scored): p95
  // +52 ms. contact16b: -356 / -22 / +52 -> -10 / +10 / +53 (the
  // re-timed contact no longer clamped to rep_completed's time: -218 / -3 /
  // +53; and found below the settled level's uncertainty, extrapolated back
  // along the rebound's slope: segmenter.hpp contact_below_level);
  // SOLEUS_CONTACT_AT_SPEED=1 -21 / +1 / +48 -> -18 / +1 / +48. Guards at
  // the measured level.
  EXPECT_LE(percentile(all_auto.err_by_kind_ms[3], 0.95), 55.0);   // target 120: met
  EXPECT_GE(percentile(all_auto.err_by_kind_ms[3], 0.05), -15.0);  // target -120: met
  // Lowering start (signed, same scope). Measured p5 / median / p95 ms:
  // -150 / +5 / +241 when the onset was placed from the shape read off the
  // whole lowering (skewed by the rebound and the rest's shift: a minimum
  // jerk read as a cosine ~0.07 of the phase late, a cosine as a minimum
  // jerk ~0.08 early); -52 / +2 / +82 timed from its first third
  // (segmenter.hpp finalize, onset_residuals; foot -23 / 0 / +8). Guards at
  // the measured level.
  // zerog22: the simulator's accelerometer now has a zero-g offset (+-40 mg
  // per axis) and a sensitivity error (+-2 %) on by default; the attitude
  // creeps during a held top (the accelerometer's tilt off by up to (|o| /
  // g + 2 max|s|) x the turn since the rest, partly corrected by the offset's
  // component along gravity beyond 5 mg: orientation.hpp g_rest_offset_) and slow
  // tempo's lowering reads as starting early: p5 -52 -> -217 ms, p95 +82 ->
  // +86 ms on seeds 1-8 (SOLEUS_GRID_ACC_OFFSET_MG=0 SOLEUS_GRID_ACC_SCALE_PCT=0:
  // the figures before). Guards loosened to the measured level plus ~2 ms
  // (a new sensor model, not a regression of the engine); the p5 target
  // (-120) is not met with the errors on.
  EXPECT_LE(percentile(all_auto.err_by_kind_ms[2], 0.95), 90.0);    // target 120: met
  EXPECT_GE(percentile(all_auto.err_by_kind_ms[2], 0.05), -220.0);  // target -120: not met (accelerometer errors)
  // All four boundaries, |err| (all conditions and placements, 'auto'):
  // median 12.5 -> 9.7 ms, p95 267 -> 228 ms with the onset above; the p95
  // is now set by heel contact's early tail (p5 -357 ms) and heel-off's
  // (p5 -126 ms). contact16b (heel contact above): median 9.7 -> 8.2 ms,
  // p95 226 -> 87 ms (SOLEUS_CONTACT_AT_SPEED=1: 6.1 / 96.7 -> 6.1 / 95.7);
  // the p95 is now heel-off's early tail (p5 -122 ms) and the lowering
  // start's late one (p95 +81 ms). slowrest16 (the rest floor after a
  // late-timed contact, segmenter.hpp apply_contact): median 8.2 -> 8.1 ms,
  // p95 87.1 -> 84.8 ms. slowfoot16 (slow sets' rests, segmenter.hpp):
  // p95 84.8 -> 82.6 ms. rest16 (a countermovement held into a slow rise
  // is no rest: heel-off timed from the rest before it): p95 82.6 -> 80.9 ms
  // on its branch; 81.02 ms once merged with this session's other rules
  // (guard 81 -> 82, the measured level rounded up). 2026-12-07's merges
  // (bouncy17's trough: a bouncy lowering that turns up ends at its trough):
  // p95 81.0 -> 77.2 ms, median 8.0 -> 7.9 ms; guard 82 -> 79 (measured
  // level plus ~2 ms for the spread between builds and CPUs).
  // zerog22 (accelerometer offset and sensitivity error on in the
  // simulator, see the lowering start above): median 7.9 -> 9.1 ms, p95
  // 77.2 -> 97.3 ms; guards 8.5 -> 9.5, 79 -> 101 (loosened: the new sensor
  // model).
  EXPECT_LE(percentile(all_auto.err_ms, 0.5), 9.5);     // target 25: met
  EXPECT_LE(percentile(all_auto.err_ms, 0.95), 101.0);  // target 120: met
}

namespace {
// The first set of a session against its truth: reps found as themselves
// (heel-off within 0.5 s of the truth's), the truth's count, and the reps the
// chain reported within the set's span (+-1 s).
struct FirstSetCount {
  int found = 0, truth = 0, in_set = 0;
};
FirstSetCount first_set_count(const soleus::sim::HeelRaiseSession& s, const ChainRun& r) {
  FirstSetCount n;
  const auto& set = s.sets.front();
  for (const auto& g : s.reps) {
    if (g.set_index != 0) continue;
    ++n.truth;
    const int i = match(r.reps, g);
    if (i >= 0 && std::fabs(r.reps[static_cast<std::size_t>(i)].start_s - g.start_s) < 0.5) ++n.found;
  }
  for (const auto& d : r.reps) n.in_set += (d.start_s >= set.start_s - 1.0 && d.start_s <= set.end_s + 1.0) ? 1 : 0;
  return n;
}
}  // namespace

// The automatic axis locks during the first rep; the samples before the lock
// are replayed about the locked axis (imu_reps.hpp). While the sensor lies
// still at power-on, the orientation filter has not yet learned the gyro
// bias (up to 3 deg/s here): its up vector drifts by 1-2 deg, which, replayed
// against the settled rest posture, read as a slow 1.5 deg "rise" at 1.5-4 s.
// The session's first rep then extended that "rep" (its start 5 s before the
// set: the set one rep short) or its undershoot got it rejected with the
// real rep. The replay now starts (1 s) before the rest posture when the
// accelerometer shows no turn about the axis by min_excursion_deg before it.
// Before: each of these sessions (grid
// conditions standing shank, seated foot, wall-sit shank) lost the first
// rep(s) of its first set; after: every rep of the first set is found.
TEST(HeelRaiseChain, FirstRepNotLostToTheOrientationFilterSettling) {
  using soleus::sim::ImuPlacement;
  struct Case {
    Cond cond;
    ImuPlacement pl;
    double fs;
    std::uint64_t seed;
  };
  for (const Case& k : {Case{Cond::standing, ImuPlacement::shank, 200.0, 6},
                        Case{Cond::seated, ImuPlacement::foot, 50.0, 1},
                        Case{Cond::wall_sit, ImuPlacement::shank, 200.0, 4}}) {
    const auto c = acceptance_config(k.cond, k.pl, k.fs, k.seed);
    const auto s = acceptance_session(c, k.cond, k.fs, k.seed);
    ASSERT_TRUE(s.status.ok()) << s.status.message;
    ASSERT_FALSE(s.sets.empty());
    const ChainRun r = run_session(s, c, 0, Told::automatic);
    const auto& set = s.sets.front();
    const FirstSetCount n = first_set_count(s, r);  // found: as that rep, heel-off within 0.5 s
    EXPECT_EQ(n.found, n.truth) << cond_name(k.cond) << " seed " << k.seed << " " << k.fs << " Hz";
    EXPECT_EQ(n.in_set, set.n_reps) << cond_name(k.cond) << " seed " << k.seed << " " << k.fs << " Hz";
  }
}

// Quick smooth lowerings are not transients (segmenter.hpp,
// longest_phase_s). A lowering faster than min_eccentric_s (0.15 s) is a
// transient (a heel strike), but a quick raise lowers in 0.25-0.6 s
// (DESIGN.md) and a minimum-jerk lowering of 0.26 s spans only 0.13 s
// between its 10 % and 90 % crossings; read as constant velocity (the shape
// chosen on its ~26 samples) it "lasted" 0.12-0.13 s and the rep was
// rejected. The test now takes the longest duration any profile shape gives.
// Before: standing shank seed 11 at 100 Hz (the grid's seeds 9-16,
// SOLEUS_GRID_SEED_OFFSET=8) lost 5 of the 8 reps of its first set
// (rep_rejected, eccentric 0.12-0.13 s against a true 0.25-0.27 s), bouncy
// shank seed 8 at 100 Hz one of its second set; after: every rep of both
// sets found, each as itself.
TEST(HeelRaiseChain, QuickSmoothLoweringIsNotATransient) {
  using soleus::sim::ImuPlacement;
  struct Case {
    Cond cond;
    double fs;
    std::uint64_t seed;
  };
  for (const Case& k : {Case{Cond::standing, 100.0, 11}, Case{Cond::bouncy, 100.0, 8}}) {
    const auto c = acceptance_config(k.cond, ImuPlacement::shank, k.fs, k.seed);
    const auto s = acceptance_session(c, k.cond, k.fs, k.seed);
    ASSERT_TRUE(s.status.ok()) << s.status.message;
    const ChainRun r = run_session(s, c, 0, Told::automatic);
    int found = 0;
    for (const auto& g : s.reps) found += match(r.reps, g) >= 0 ? 1 : 0;
    EXPECT_EQ(found, static_cast<int>(s.reps.size())) << cond_name(k.cond) << " seed " << k.seed;
    EXPECT_EQ(r.reps.size(), s.reps.size()) << cond_name(k.cond) << " seed " << k.seed;
  }
}

namespace {
// The replay tests below name a simulated rep or set by its start time. The
// simulator's times differ by up to ~0.1 s between builds (its floating
// point, e.g. FMA contraction on the native build), and its reps lie >= 3 s
// apart, its sets >= 15 s: the truth's rep / set nearest to t_s within 2 s,
// nullptr when there is none.
template <class Truth>
const Truth* nearest_within_2s(const std::vector<Truth>& truth, double t_s) {
  const Truth* best = nullptr;
  for (const auto& g : truth)
    if (std::fabs(g.start_s - t_s) < 2.0 && (!best || std::fabs(g.start_s - t_s) < std::fabs(best->start_s - t_s)))
      best = &g;
  return best;
}

// Whether the chain ('auto', foot sensor unless told) finds the grid
// session's rep nearest to rep_start_s (asserting the truth still has it):
// a detected rep overlaps it (match, as the grid scores).
void expect_rep_found(Cond cond, double fs, std::uint64_t seed, double rep_start_s,
                      soleus::sim::ImuPlacement placement = soleus::sim::ImuPlacement::foot, bool quiet_stance = false) {
  auto c = acceptance_config(cond, placement, fs, seed);
  if (quiet_stance) c.sway_quiet_stance = true;
  const auto s = acceptance_session(c, cond, fs, seed);
  ASSERT_TRUE(s.status.ok()) << s.status.message;
  const ChainRun r = run_session(s, c, 0, Told::automatic);
  const soleus::sim::RepTruth* rep = nearest_within_2s(s.reps, rep_start_s);
  ASSERT_NE(rep, nullptr) << "the simulator no longer has a rep near " << rep_start_s << " s";
  EXPECT_GE(match(r.reps, *rep), 0) << cond_name(cond) << " seed " << seed << " " << fs << " Hz, rep at " << rep->start_s
                                    << " s (rom " << rep->rom_deg << " deg at the foot)";
}
}  // namespace

// The rest after a rep whose heel contact was re-timed later than its
// provisional end (segmenter.hpp apply_contact). A slow lowering's
// provisional end comes ~0.6 s before the heel lands; the rebound window ran
// from it and was over before the rebound, whose dip became the rest
// tracker's floor (-4.1 deg while the foot rested at +0.3 deg), so the
// settled rest never counted as rest and the next rep, with no rest before
// it, was lost. The floor is now set at the settled rest when the floor was
// lowered by a dip after the window and after the re-timed contact. Before
// (main 50d8b70): slow tempo foot seed 1 at 100 Hz lost its 59.4 s rep;
// after: it is found. Each case names a rep the simulator's truth has.
TEST(HeelRaiseChain, RestAfterLateContactCounts) {
  expect_rep_found(Cond::slow, 100.0, 1, 59.41);
}


// A rebound dip just after its window (the window ran from a slow lowering's
// provisional end, 0.6 s before the heel landed) armed the countermovement
// test, and the 0.96 s of rest that followed at the old level (the "dip that
// came back") still counted as the inside of that countermovement
// (segmenter.hpp in_countermovement: within 1.5 s of the rest it left). The
// rep's own countermovement (a 5 deg dip held 0.23 s) then ended the 1.5 s
// and its trough was taken for the rest before the rep: 0.23 s, under
// min_rest_s, and the rep was dropped at the top as a new resting level.
// A still episode back at the rest level for min_rest_s is now rest again.
// Before: slow tempo, foot, seed 1 at 100 Hz lost its 24.0 s rep (the grid's
// only inexact set of that session); after: found. Truth: the simulator.
TEST(HeelRaiseChain, RestBackAtItsLevelEndsACountermovement) {
  expect_rep_found(Cond::slow, 100.0, 1, 24.03);
}

namespace {
// Whether the chain ('auto') counts exactly the simulator's reps in the
// grid session's set that starts at set_start_s (asserting the truth still
// has that set), with every rep of the set matched.
// quiet_stance: the session drawn with the quiet-stance sway model (sim
// sway_quiet_stance), as SOLEUS_GRID_QUIET_STANCE=1 draws the grid's.
void expect_set_exact(Cond cond, soleus::sim::ImuPlacement pl, double fs, std::uint64_t seed, double set_start_s,
                      bool quiet_stance = false) {
  auto c = acceptance_config(cond, pl, fs, seed);
  if (quiet_stance) c.sway_quiet_stance = true;
  const auto s = acceptance_session(c, cond, fs, seed);
  ASSERT_TRUE(s.status.ok()) << s.status.message;
  const ChainRun r = run_session(s, c, 0, Told::automatic);
  const soleus::sim::SetTruth* set = nearest_within_2s(s.sets, set_start_s);
  ASSERT_NE(set, nullptr) << "the simulator no longer has a set near " << set_start_s << " s";
  const double lo = set->start_s - 1.0, hi = set->end_s + 1.0;  // as evaluate() counts
  int n = 0;
  for (const auto& d : r.reps) n += (d.start_s >= lo && d.start_s <= hi) ? 1 : 0;
  EXPECT_EQ(n, set->n_reps) << cond_name(cond) << " seed " << seed << " " << fs << " Hz, set at " << set_start_s;
  for (const auto& g : s.reps) {
    if (g.start_s >= lo && g.start_s <= hi) {
      EXPECT_GE(match(r.reps, g), 0) << "rep at " << g.start_s << " s missed";
    }
  }
}
}  // namespace

// Issue 16 (cellsB18): a seated or wall-sit set at a shank under 'auto' that
// opens with a partial raise (6.7-7.3 deg at the foot, ~1.3-1.5 deg at the
// shank) lost it: the opening movement of a set had the fixed 1.5 deg
// minimum excursion, the partial-raise minimum (set_min_excursion) applying
// only inside a set. Once a range is known, such an opening movement now
// needs only the lone start threshold (a fifth of the recent range, capped
// at lone_min_rom_deg), and, as a small lone movement, it counts when the
// set's rhythm confirms it (segmenter.hpp, "Partial raises in a set"), or a
// full-sized rep does once it lifted the sensor as a shank raise does
// (header, "Lift": the merge with qstance18 lost seed 212's without it).
// Before (main 1290b75): 7 of 8 reps in each set; after: 8. Fresh
// development seeds of this session. Truth: the simulator.
TEST(HeelRaiseChain, ASetOpeningWithAPartialRaiseCountsItAtAShank) {
  using soleus::sim::ImuPlacement;
  expect_set_exact(Cond::seated, ImuPlacement::shank, 50.0, 202, 94.10);
  expect_set_exact(Cond::wall_sit, ImuPlacement::shank, 100.0, 212, 86.59);
}

// Issue 16 (cellsB18): a set's opening movement admitted under
// min_excursion_deg (the start threshold it crossed: opens_set) is
// confirmed only by a small chain's rhythm, never by a full-sized rep after
// it. Told 'foot' (4 deg minimum), a fidget's 3.6 deg heel lift between two
// sets of 'activity between sets', 2 s before the next set's first raise,
// was admitted so and confirmed by that raise: one rep outside every true
// set. Development seed 81 at 100 Hz (SOLEUS_DEBUG_OUTSIDE=1); main
// 1290b75 has none there. Truth: the simulator's sets.
TEST(HeelRaiseChain, SetOpeningSubMinimumMovementNeedsTheSetsRhythm) {
  using soleus::sim::ImuPlacement;
  const double fs = 100.0;
  const std::uint64_t seed = 81;
  for (Cond cond : {Cond::between}) {
    const auto c = acceptance_config(cond, ImuPlacement::foot, fs, seed);
    const auto s = acceptance_session(c, cond, fs, seed);
    ASSERT_TRUE(s.status.ok()) << s.status.message;
    const ChainRun r = run_session(s, c, 0, Told::placement);
    int outside = 0;
    for (const auto& d : r.reps) {
      bool inside = false;
      for (const auto& set : s.sets) inside = inside || (d.start_s >= set.start_s - 1.0 && d.start_s <= set.end_s + 1.0);
      outside += inside ? 0 : 1;
    }
    EXPECT_EQ(outside, 0) << cond_name(cond) << " seed " << seed << " " << fs << " Hz, told 'foot'";
  }
}

// Issue 16 (cellsB18): the session's first rep at a seated shank (9.8 deg
// at the shank, a 0.34 s measured hold: held back as a lone movement that
// may not pause) waits for the next rep leaving within kChainGap_s (3 s) of
// its heel contact. The next one left 2.85 s after it, but its rise (1.2 s)
// crossed the start threshold 0.16 s later, and the rest state had dropped
// the held rep at 3 s from the clock, before the heel-off it waits for was
// seen. The rest state now waits the next rise's onset lag as well
// (segmenter.hpp, held_onset_lag_s). Before (main 1290b75): 7 of 8 reps;
// after: 8. Fresh development seed. Truth: the simulator.
TEST(HeelRaiseChain, HeldRepWaitsForTheNextRisesOnset) {
  expect_set_exact(Cond::seated, soleus::sim::ImuPlacement::shank, 200.0, 164, 6.71);
}

// Slow tempo (3-4 s lowerings, 2-3 s holds, 1.5-2 s rests): a rep's
// baseline was taken ~5 deg under the rest it rose from, so its lowering,
// landing at that rest, never crossed its f level, and the rest between the
// reps (1.8 s, less the rebound's settle and the next countermovement) was
// under the lowering state's 1 s stillness: the lowering ran on through the
// next rep, and the two were counted as one (a "top" of 10.6 s). A foot
// still for min_rest_s near the floor that rises again has now ended its
// lowering (segmenter.hpp, rested_then_rose). Before (main 0b2eeb8): 7 of
// 8 reps in each of these sets; after: 8. Truth: the simulator.
// A heel raise seen from a shank, judged on its lift (segmenter.hpp "Lift",
// issue 16). With quiet-stance sway (SOLEUS_GRID_QUIET_STANCE=1: the shank
// sways 0.3 deg RMS about the ankle) a shank's small angles under 'auto'
// (the shank turns 0.2-0.3x the foot) lost real raises to the lone rules
// written in foot degrees: a set's first partial raise (13 deg at the foot,
// 4.7 at the shank) rejected as a posture change when the sway moved the
// rest after it (standing, seed 2, 100 Hz), a set's first three small raises
// dropped as a fidget chain (seated, seed 3, 200 Hz), a 27 s single-leg
// hold rejected as a posture change (seed 7, 50 Hz; its rise measured when
// the hold began, before it left the history), a slow set's first partial
// (seed 5, 100 Hz). The sensor's lift over each rise (30-60 mm, asin(lift /
// 0.14 m) = 12-25 deg at the foot) now gives the range those rules judge.
// Before (main 1290b75): 7, 5, 0 and 7 of 8, 8, 1 and 8; after: exact.
TEST(HeelRaiseChain, QuietStanceShankRaisesCountByTheirLift) {
  using soleus::sim::ImuPlacement;
  expect_set_exact(Cond::standing, ImuPlacement::shank, 100.0, 2, 6.5, true);
  expect_set_exact(Cond::seated, ImuPlacement::shank, 200.0, 3, 6.8, true);
  expect_set_exact(Cond::hold, ImuPlacement::shank, 50.0, 7, 121.5, true);
  expect_set_exact(Cond::slow, ImuPlacement::shank, 100.0, 5, 90.5, true);
}

// A bouncy shank set under quiet-stance sway (segmenter.hpp, "Sway under a
// shank raise", issue 16, qstance19). The shank's angle is the foot's plus
// the ankle's sway (0.3 deg RMS in the grid), and a 2-4 deg rep came down
// 0.02-0.03 deg further below its start than its undershoot allowance
// (0.25 of its range): rejected as gait, it broke the chain and the set lost
// its last two reps (seed 306). A rep whose rise lifted the sensor as a
// shank raise now has the sway's reach, 1.4 deg, added. Seed 308's second
// rep (3.7 deg at the shank, 24 mm of lift) needs that and its lift
// measured: with the |a| noise from first differences its own acceleration
// at 50 Hz read as 0.14 m/s^2 of noise and the lift fell under 3 SD; from
// second differences, 0.09 (segmenter.hpp, lift_slope). Before (main
// 24ef90f): 6 of 8 (306) and 1 of 8 (308: the chain never recovered);
// after: 8, and 308's second rep found (the set still loses its last two:
// a chain gap measured 0.26 s, over kBouncyGap_s). Fresh development seeds.
// Truth: the simulator.
TEST(HeelRaiseChain, QuietStanceShankFloorSwaysUnderABouncyRep) {
  using soleus::sim::ImuPlacement;
  expect_set_exact(Cond::bouncy, ImuPlacement::shank, 50.0, 306, 27.3, true);
  expect_rep_found(Cond::bouncy, 50.0, 308, 27.83, ImuPlacement::shank, true);
}

// A single-leg hold at a shank under quiet-stance sway (segmenter.hpp, "Sway
// on a raised shank's top", issue 16, qstance20). The hold's top swayed with
// the ankle and rose on by 0.5-2 deg after pausing 0.5-0.9 s: read as a
// staircase of weight shifts, and the 20-32 s hold, whose whole-window lift
// slope the sway's rotation without lift had diluted under a raise's, was
// dropped as a posture change. A rise whose own lift marked a shank raise
// and whose top rose on by no more than the sway's reach (1.4 deg) is now
// one raise, judged on that lift. Before (main 63789f6): 0 of 1 in each set;
// after: 1. Fresh development seeds 353-384. Truth: the simulator.
TEST(HeelRaiseChain, QuietStanceShankHoldSwayingAtItsTopCounts) {
  using soleus::sim::ImuPlacement;
  expect_set_exact(Cond::hold, ImuPlacement::shank, 100.0, 361, 123.0, true);
  expect_set_exact(Cond::hold, ImuPlacement::shank, 200.0, 360, 98.4, true);
  expect_set_exact(Cond::hold, ImuPlacement::shank, 200.0, 383, 131.3, true);
}

// A lowering never rises past its top (segmenter.hpp, header; issue 16,
// qstance21, quiet stance at a shank). After the steps between two sets the
// angle read 1.7-3.5 deg under the still shank (the orientation filter
// settling after gait) and came back up over ~2 s: a "rise" that held its
// level. The next set's first raise dipped (its countermovement), which
// opened the lowering state of that non-rep, and the set's raises then rose
// and fell above its top for the rest of the set: never still near its floor
// (the sway), never below its f level, so the whole set (or half of it) was
// lost inside one "lowering". A rise above the movement's own top by more
// than a held top's sway (kSwayReach_deg, Loram & Lakie 2002) and the rest
// band now rejects it and steps the samples since its top again as rest.
// Before: 0, 0, 0 and 4 of 8 reps in these sets; after: 8 each. Fresh
// development seeds 1001-1032 (between-sets shank with quiet stance).
// Truth: the simulator.
TEST(HeelRaiseChain, QuietStanceLoweringNeverRisesPastItsTop) {
  using soleus::sim::ImuPlacement;
  expect_set_exact(Cond::between, ImuPlacement::shank, 50.0, 1004, 82.1, true);
  expect_set_exact(Cond::between, ImuPlacement::shank, 100.0, 1016, 85.7, true);
  expect_set_exact(Cond::between, ImuPlacement::shank, 200.0, 1031, 73.0, true);
  expect_set_exact(Cond::between, ImuPlacement::shank, 200.0, 1017, 56.0, true);
}

// A wobbling hold's top rises on (segmenter.hpp, header; issue 16,
// qstance22, quiet stance at a shank). A single-leg hold's ankle-strategy
// wobble turns the shank in the sagittal plane as well, so its held top
// paused and then rose on by 1.3-2.7 deg, past the sway's reach: read as a
// staircase of weight shifts, the 20-35 s isometric hold was dropped as a
// posture change. An isometric hold that wobbled as a single-leg hold does
// (off-axis rate RMS >= 2 deg/s) and came back to the rest it left is no
// staircase. Before (main 4db7c8c): 0 of 1 in each set; after: 1. Fresh
// development seeds 1601-1632. Truth: the simulator.
TEST(HeelRaiseChain, QuietStanceWobblingHoldRisingOnCounts) {
  using soleus::sim::ImuPlacement;
  expect_set_exact(Cond::hold, ImuPlacement::shank, 50.0, 1606, 103.1, true);
  expect_set_exact(Cond::hold, ImuPlacement::shank, 50.0, 1614, 120.6, true);
  expect_set_exact(Cond::hold, ImuPlacement::shank, 200.0, 1616, 138.8, true);
  expect_set_exact(Cond::hold, ImuPlacement::shank, 200.0, 1617, 152.2, true);
  expect_set_exact(Cond::hold, ImuPlacement::shank, 200.0, 1628, 131.8, true);
}

TEST(HeelRaiseChain, SlowLoweringEndsAtTheRestBeforeTheNextRise) {
  using soleus::sim::ImuPlacement;
  expect_set_exact(Cond::slow, ImuPlacement::foot, 100.0, 47, 98.05);
  expect_set_exact(Cond::slow, ImuPlacement::foot, 50.0, 55, 7.17);
}

// A slow set's first, partial, raise out of a countermovement: the rest
// was left by a 5 deg dip in 0.3 s whose trough looked still for 1.1 s (a
// 3 s minimum-jerk rise starts slowly), longer than kCmDipHold_s, so the
// trough was taken for a new, lower rest and became the rep's baseline:
// heel-off 1.1 s early (outside the set) and the range 11.7 deg for 7.5.
// The dip is now the countermovement and the rest it left the baseline
// (segmenter.hpp, rest16). Before (main 64bab7e): 7 of 8 reps in each of
// these sets; after: 8. Truth: the simulator.
TEST(HeelRaiseChain, CountermovementTroughIsNotTheRest) {
  using soleus::sim::ImuPlacement;
  expect_set_exact(Cond::slow, ImuPlacement::foot, 100.0, 50, 97.9);
  expect_set_exact(Cond::slow, ImuPlacement::shank, 100.0, 50, 97.9);
}

// A slow shank set whose first raise is a partial one (2.6-3 deg under
// 'auto', under lone_min_rom_deg): held until the set goes on, and dropped
// when the next rep started, because the held raise's own settle after heel
// contact (the rebound coming back up, the rest 1-3 deg from the one
// before, DESIGN.md) read as a rise stalling at a new level, "the foot
// moved". Such a stall within kSettleWatch_s of the held rep's contact and
// within a rest shift of its level is now its settle (segmenter.hpp
// stall_moved_foot). Before (main 0b2eeb8): these first reps were lost;
// after: found. Truth: the simulator.
TEST(HeelRaiseChain, HeldPartialRaiseSurvivesItsOwnSettle) {
  using soleus::sim::ImuPlacement;
  expect_set_exact(Cond::slow, ImuPlacement::shank, 100.0, 62, 7.45);
  expect_set_exact(Cond::slow, ImuPlacement::shank, 200.0, 34, 102.32);
}

// A slow lowering's provisional end came 0.43 s before the heel landed: the
// rebound window (kReboundSettle_s from that end) closed while the angle was
// still in the rebound's 4 deg dip, the rest floor followed the dip down,
// and the 0.6 s of settled rest after it (1 deg above the old rest, 4 deg
// above that floor) never counted as rest; the next rep rose from its
// countermovement's trough with no rest before it and was dropped. The
// window is now re-timed from the dip's first break (segmenter.hpp, the
// rebound branch of the rest state). Before: slow tempo, foot, seed 3 at
// 100 Hz lost its 111.3 s rep; after: found. Truth: the simulator.
TEST(HeelRaiseChain, ReboundWindowTimedFromItsDip) {
  expect_rep_found(Cond::slow, 100.0, 3, 111.29);
}

// Between sets the foot shifted weight up by ~3 deg (a still level 2.25 s
// long, under a movement's onset) and the set's first rep rose out of a
// 4.5 deg countermovement from there. The floor tracker (a leaky minimum,
// 0.3 deg/s) had not climbed to the new level, so it was not rest at the
// baseline, and the rep had no rest before it (its dip's trough, 0.22 s,
// was taken instead) and was dropped at its top as a new resting level.
// A sub-threshold still level held min_rest_s and left downwards is now the
// rest before the dip (segmenter.hpp held_weight_shift). Before: activity
// between sets, foot, seed 5 at 100 Hz lost the 75.8 s rep (27 deg); after:
// found. Truth: the simulator.
// Held small raises (a shank under 'auto' reads a partial raise as 3.4-4.5
// deg, under lone_min_rom_deg) wait for the next rep; a movement that stalls
// meanwhile broke their chain as "the foot moved to a new level". Two such
// stalls were no new level: (a) the rest sagging 0.1-0.3 deg, which tripped
// the onset on the smoothed angle but whose peak stayed below the baseline
// it rose from; (b) the held rep's own rebound settling (rising within 0.6 s
// of its heel contact, still 0.7 s after it) 0.8 deg above the level it
// landed at (DESIGN.md: the rest after a rep lies 1-3 deg from the one
// before). A toe tap's return still breaks such a chain (test_reps_partial,
// ToeTapInsideASmallChainBreaksIt). Both dropped the first reps of
// the set (segmenter.hpp stall_moved_foot). Before (main 0b2eeb8): activity
// between sets, shank, seed 43 at 50 Hz lost its 6.72 s rep, seed 42 at
// 200 Hz its 6.63 s rep, seed 37 at 50 Hz its 6.55 and 10.49 s reps;
// after: found. Truth: the simulator.
TEST(HeelRaiseChain, SettleAfterHeldSmallRepIsNoFootMove) {
  using soleus::sim::ImuPlacement;
  expect_rep_found(Cond::between, 50.0, 43, 6.72, ImuPlacement::shank);
  expect_rep_found(Cond::between, 200.0, 42, 6.63, ImuPlacement::shank);
  expect_rep_found(Cond::between, 50.0, 37, 6.55, ImuPlacement::shank);
  expect_rep_found(Cond::between, 50.0, 37, 10.49, ImuPlacement::shank);
}

// A quick lowering that runs straight into the rebound's 0.1 s dip has its
// heel contact fitted at the dip's trough, so no dip below the landing level
// shows; the settle back up onto the new rest (1-5 deg, DESIGN.md), the
// rest, and the next rep's countermovement then read as a 2 deg rep held
// ~1 s. After a rep held at its top the heel rests before the next raise,
// so the rebound's larger minimum excursion now applies in the rebound
// window without a dip seen (segmenter.hpp, begin_candidate). Before (main
// 0b2eeb8): one extra rep in each of these sets; after: the set's count is
// exact. Truth: the simulator.
namespace {
// A grid session ('auto') replayed, and its set nearest to set_start_s
// checked for the simulator's count (counted as evaluate() does).
struct NearestSetCase {
  Cond cond;
  soleus::sim::ImuPlacement placement;
  double fs;
  std::uint64_t seed;
  double set_start_s;  // the simulator's start of the set that was inexact
};
void expect_nearest_set_exact(const NearestSetCase& k) {
  const auto c = acceptance_config(k.cond, k.placement, k.fs, k.seed);
  const auto s = acceptance_session(c, k.cond, k.fs, k.seed);
  ASSERT_TRUE(s.status.ok()) << s.status.message;
  const ChainRun r = run_session(s, c, 0, Told::automatic);
  const soleus::sim::SetTruth* set = nearest_within_2s(s.sets, k.set_start_s);
  ASSERT_NE(set, nullptr) << "the simulator no longer has a set near " << k.set_start_s << " s";
  int n = 0;  // counted as the grid does (evaluate)
  for (const auto& d : r.reps) n += (d.start_s >= set->start_s - 1.0 && d.start_s <= set->end_s + 1.0) ? 1 : 0;
  EXPECT_EQ(n, set->n_reps) << cond_name(k.cond) << " seed " << k.seed << " " << k.fs << " Hz, set near "
                            << k.set_start_s << " s";
}
}  // namespace

TEST(HeelRaiseChain, ReboundSettleAfterHeldTopIsNoRep) {
  using soleus::sim::ImuPlacement;
  for (const NearestSetCase& k : {NearestSetCase{Cond::seated, ImuPlacement::foot, 200.0, 43, 6.57},
                                  NearestSetCase{Cond::between, ImuPlacement::shank, 100.0, 59, 47.20},
                                  NearestSetCase{Cond::between, ImuPlacement::shank, 200.0, 59, 59.80}})
    expect_nearest_set_exact(k);
}

// Issue 16 (stepsign21, sagittal_axis.hpp undo_shank_stride_lock()):
// stepping onto the step with the sensor on the shank, the first stride's
// stance locked the automatic axis's sign inverted ~0.3 s into the walk,
// before its first heel strike (tibial advancement lowers a sensor on the
// shank's front); the first raise corrected it and the segmenter's restart
// after the correction lost that raise. A lock taken on evidence that a
// stride being judged may withdraw is now pending, and undone when
// judge_stance() finds the stride a shank's: at 1.25 s with no flat stance,
// or at the next heel strike (0.45 s or more later) with none between (the
// walk onto the step is 2-4 strides, and its last one ends in standing,
// which reads as a flat stance within the 1.25 s). The chain keeps its
// pre-lock ring and holds its events through the pending lock, and the next
// lock (on the set's own heel drop or raises) replays the ring. Sessions:
// fresh development seeds of this session ('step', shank, 'auto',
// step_on_off) whose first set lost its first rep on main ce0d955, one sign
// correction each; after: exact, the lock undone, no correction, and no rep
// counted in the walk onto the step (nothing of the undone fragment is
// counted, and nothing twice). Truth: the simulator's sets (the set nearest
// to the given start, counted as the grid does).
TEST(HeelRaiseChain, ShankStrideLockSteppingOntoTheStepIsUndone) {
  using soleus::sim::ImuPlacement;
  struct Case {
    std::uint64_t seed;
    double fs, set_start_s;
  };
  for (const Case& k : {Case{1206, 50.0, 11.7}, Case{1212, 50.0, 13.2}, Case{1203, 100.0, 13.9},
                        Case{1210, 100.0, 12.4}, Case{1201, 200.0, 13.4}, Case{1209, 200.0, 13.0}}) {
    auto c = acceptance_config(Cond::step, ImuPlacement::shank, k.fs, k.seed);
    c.step_on_off = true;  // as the grid (grid_step_on_off())
    const auto s = acceptance_session(c, Cond::step, k.fs, k.seed);
    ASSERT_TRUE(s.status.ok()) << s.status.message;
    const ChainRun r = run_session(s, c, 0, Told::automatic);
    const soleus::sim::SetTruth* set = nearest_within_2s(s.sets, k.set_start_s);
    ASSERT_NE(set, nullptr) << "the simulator no longer has a set near " << k.set_start_s << " s";
    int n = 0, before = 0;  // counted as the grid does (evaluate); reps before the set: in the walk onto the step
    for (const auto& d : r.reps) {
      n += (d.start_s >= set->start_s - 1.0 && d.start_s <= set->end_s + 1.0) ? 1 : 0;
      before += d.start_s < set->start_s - 1.0 ? 1 : 0;
    }
    EXPECT_EQ(n, set->n_reps) << "seed " << k.seed << " " << k.fs << " Hz, set near " << k.set_start_s << " s";
    EXPECT_EQ(before, 0) << "seed " << k.seed << " " << k.fs << " Hz";
    EXPECT_GE(r.stats.gait_unlocks, 1u) << "seed " << k.seed << " " << k.fs << " Hz";
    EXPECT_EQ(r.stats.sign_corrections, 0u) << "seed " << k.seed << " " << k.fs << " Hz";
  }
}

// Stepping off the step is no rep (segmenter.hpp, "Strides", runs straight
// on): at a shank, the heels' rise from the hang to level (2.3-3.3 deg)
// runs straight into the first stride off the step, whose heel strike comes
// after the verdict's window; the stride's swing then swings below its start
// (the finishing state's gait check) and the rise, held until that verdict,
// goes with it. Step shank sessions of the guarded grid (seeds 1-8, 50 and
// 100 Hz, where the main branch at 4db7c8c counted 9 such reps after the
// first set; the walk onto the step before it is another gap, the
// orientation filter's settling, not judged here). Truth: the simulator's
// sets (a rep is outside when its start lies outside every set's span, as
// the grid counts). Every set stays exact.
TEST(HeelRaiseChain, SteppingOffTheStepAtAShankIsNoRep) {
  using soleus::sim::ImuPlacement;
  int outside = 0, sets = 0, exact = 0;
  for (double fs : {50.0, 100.0})
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
      auto c = acceptance_config(Cond::step, ImuPlacement::shank, fs, seed);
      c.step_on_off = true;  // as the grid (grid_step_on_off())
      const auto s = acceptance_session(c, Cond::step, fs, seed);
      ASSERT_TRUE(s.status.ok()) << s.status.message;
      ASSERT_FALSE(s.sets.empty());
      const ChainRun r = run_session(s, c, 0, Told::automatic);
      for (const auto& d : r.reps) {
        bool inside = false;
        for (const auto& set : s.sets) inside = inside || (d.start_s >= set.start_s - 1.0 && d.start_s <= set.end_s + 1.0);
        if (!inside && d.start_s > s.sets.front().start_s) {
          ++outside;
          std::printf("  seed %llu %.0f Hz: rep outside the sets at %.2f s, rom %.2f\n",
                      static_cast<unsigned long long>(seed), fs, d.start_s, d.rom_deg);
        }
      }
      for (const auto& set : s.sets) {
        int n = 0;
        for (const auto& d : r.reps) n += (d.start_s >= set.start_s - 1.0 && d.start_s <= set.end_s + 1.0) ? 1 : 0;
        ++sets;
        exact += n == set.n_reps ? 1 : 0;
      }
    }
  EXPECT_EQ(outside, 0);
  EXPECT_EQ(exact, sets);
}

// A held top is no transient (segmenter.hpp, "Held tops in a set"): a
// quick rep's lowering (0.27-0.34 s) on a shank under 'auto' was fitted at
// 0.12-0.13 s and failed the 0.15 s transient test (min_eccentric_s),
// although the movement had held still at its top for 0.6-1.5 s and came
// back to its floor inside the set: the set lost that rep. Fresh dev seeds
// (65-96) of issue 16: 'activity between sets' shank seed 85 at 100 Hz
// (rep at 22.85 s, 15.8 deg at the foot, 4.4 at the shank) and 'step'
// shank seed 83 at 50 Hz (rep at 95.08 s, 8.9 deg at the shank). Before
// (main 5163eb9): 7 of 8 reps in each set; after: 8. Truth: the simulator.
TEST(HeelRaiseChain, HeldTopInASetIsNoTransient) {
  using soleus::sim::ImuPlacement;
  for (const NearestSetCase& k : {NearestSetCase{Cond::between, ImuPlacement::shank, 100.0, 85, 6.38},
                                  NearestSetCase{Cond::step, ImuPlacement::shank, 50.0, 83, 76.21}})
    expect_nearest_set_exact(k);
}

// A bouncy set's lowering that turns back up before its fitted end ends at
// its trough (segmenter.hpp finalize, "A lowering that turned back up"): the
// smoothed angle crossed the f level above the floor at its very minimum, the
// lowering state's bottom-turn rule never saw the turn, and the end fitted
// towards the rep's baseline lay in the future; clamped to the completion
// (0.1-0.17 s after the trough) it left the next rise part-way up, and the
// set lost its last rep. Fresh dev seeds 97-160 of issue 16 (bouncy, shank,
// 'auto'): seed 98 at 100 Hz (set at 27.49 s) and seed 122 at 200 Hz (sets at
// 6.00 and 26.20 s, each ending with a partial raise). Before (main da74d02):
// 7 of 8 reps in each set; after: 8. Truth: the simulator.
TEST(HeelRaiseChain, BouncyLoweringTurnedUpEndsAtItsTrough) {
  using soleus::sim::ImuPlacement;
  for (const NearestSetCase& k : {NearestSetCase{Cond::bouncy, ImuPlacement::shank, 100.0, 98, 27.49},
                                  NearestSetCase{Cond::bouncy, ImuPlacement::shank, 200.0, 122, 6.00},
                                  NearestSetCase{Cond::bouncy, ImuPlacement::shank, 200.0, 122, 26.20}})
    expect_nearest_set_exact(k);
}

// A set's first raise whose rest moved the full 1-3 deg a real raise's rest
// moves (DESIGN.md "What real movement looks like") measured 3.00-3.29 deg
// from the rest it left: over kRestShift_deg (3 deg) alone, it was taken for
// a posture change and dropped (the set's first rep lost). The limit now adds
// the tolerance of the two measured levels, the stillness band, as the other
// rest-shift tests do (segmenter.hpp finalize, shift_max). Before (main
// 1290b75): each of these sets lost its first rep; after: every rep found.
// Fresh dev seeds 97-224 (issue 16). Truth: the simulator.
TEST(HeelRaiseChain, FirstRaiseWithAFullRestShiftIsNoPostureChange) {
  using soleus::sim::ImuPlacement;
  for (const NearestSetCase& k : {NearestSetCase{Cond::step, ImuPlacement::foot, 200.0, 200, 6.65},
                                  NearestSetCase{Cond::step, ImuPlacement::foot, 100.0, 125, 72.91},
                                  NearestSetCase{Cond::hold, ImuPlacement::foot, 100.0, 187, 6.44}})
    expect_nearest_set_exact(k);
}

// A slow lowering (3-4 s) onto a rest lower than the one it rose from (the
// rest after a rep lies 1-3 deg from the one before, DESIGN.md, here 2 deg
// below) glides on past the (1 - f) level aimed at the old rest. The end
// fitted through that crossing came 0.8-0.9 s before heel contact, the
// contact's dip fell after the rebound window and was taken for the next
// rep's countermovement, and the next rep, with no rest before it, was
// dropped at its top as a new resting level. While the rebound window is
// open, an angle still falling faster than a quarter of the rep's mean
// lowering speed (and than one rest band per second) keeps the window open
// (segmenter.hpp rest state, kGlideSpeedFraction): the real landing's dip
// is then the rebound, and the contact is re-timed there. Before (main 5163eb9): slow tempo,
// foot, dev seeds 75 (100 Hz, 24.4 s rep) and 70 (100 Hz, 143.5 s rep) lost
// a rep each, and the rep before it ended 0.9 s early; after: every rep of
// those sets found, that rep's heel contact within 0.25 s. Truth: the simulator.
TEST(HeelRaiseChain, SlowLoweringOntoALowerRestEndsWhereItArrives) {
  using soleus::sim::ImuPlacement;
  struct Case {
    std::uint64_t seed;
    double set_start_s;  // the simulator's start of the set
    double glide_rep_s;  // start of the rep whose lowering glided onto the lower rest
  };
  for (const Case& k : {Case{75, 6.89, 15.98}, Case{70, 89.80, 132.74}}) {
    auto c = acceptance_config(Cond::slow, ImuPlacement::foot, 100.0, k.seed);
    // Found with the ideal accelerometer (before zerog22): with its offset
    // and sensitivity error on, seed 70's glide rep ends 0.8 s early again
    // (the held top's creep, orientation.hpp g_rest_'s comment: known).
    c.acc_offset_max_mps2 = c.acc_scale_error_max = 0.0;
    const auto s = acceptance_session(c, Cond::slow, 100.0, k.seed);
    ASSERT_TRUE(s.status.ok()) << s.status.message;
    const ChainRun r = run_session(s, c, 0, Told::automatic);
    const soleus::sim::SetTruth* set = nearest_within_2s(s.sets, k.set_start_s);
    ASSERT_NE(set, nullptr) << "the simulator no longer has a set near " << k.set_start_s << " s";
    int n = 0;  // counted as the grid does (evaluate)
    for (const auto& d : r.reps) n += (d.start_s >= set->start_s - 1.0 && d.start_s <= set->end_s + 1.0) ? 1 : 0;
    EXPECT_EQ(n, set->n_reps) << "seed " << k.seed;
    const soleus::sim::RepTruth* glide = nearest_within_2s(s.reps, k.glide_rep_s);
    ASSERT_NE(glide, nullptr) << "the simulator no longer has a rep near " << k.glide_rep_s << " s";
    {
      const auto& g = *glide;
      const int i = match(r.reps, g);
      ASSERT_GE(i, 0) << "seed " << k.seed << " rep at " << g.start_s << " s";
      EXPECT_NEAR(r.reps[static_cast<std::size_t>(i)].end_s, g.end_s, 0.25)
          << "seed " << k.seed << " rep at " << g.start_s << " s";
    }
  }
}

// Small-range shank sets (issue 16, shank17): a seated or wall-sit shank
// under 'auto' reads a 15-20 deg set as ~4 deg and its partial raises as
// 1-2 deg. Each case is a rep of the fresh development seeds 65-96 that main
// (5163eb9) lost, checked with a shank sensor by expect_rep_found (the
// simulator's rep nearest to the time given). Truth: the simulator.

// A bouncy set opening with a partial raise under the start threshold (a 2
// deg shank partial, then reps 0.3-0.5 s up and down with no pause): the
// partial broke the rest before the set and came straight back into the next
// rise, which then had no rest before it (0.06 s, its bottom turn), and the
// whole chain was lost (segmenter.hpp begin_candidate, kOpeningPartial_s: a
// movement back at the rest it left within one bouncy up-and-down, 1.0 s,
// leaves that rest the rest before the rise). At seed 155 the partial's 0.3 s
// turning point at the top was also taken for a held weight shift and became
// the next rep's baseline (held_weight_shift, kHeldPosture_s: a posture is
// held longer than a bouncy phase). Fresh dev seeds of issue 16 (bouncy,
// shank, 'auto'): seed 86 at 50 Hz (set at 26.94 s) and seed 155 at 200 Hz
// (set at 27.25 s). Before: 0 of 8 reps in each set (seed 86 on this branch's
// first commit; it had hung on a start threshold 0.16 deg lower); after: 7 of
// 8 (the opening partial itself, under the start threshold, was not
// counted; since bouncy20's replay_opening_partial 8 of 8: see
// BouncySetOpeningPartialUnderAStaleThresholdCounts). Each case fails without kOpeningPartial_s; 155 at 28.09 s also
// without kHeldPosture_s. Truth: the simulator.
TEST(HeelRaiseChain, BouncySetOpeningUnderTheStartThresholdKeepsItsRest) {
  expect_rep_found(Cond::bouncy, 50.0, 86, 27.69, soleus::sim::ImuPlacement::shank);
  expect_rep_found(Cond::bouncy, 200.0, 155, 28.09, soleus::sim::ImuPlacement::shank);
  expect_rep_found(Cond::bouncy, 200.0, 155, 28.91, soleus::sim::ImuPlacement::shank);
}

// A bouncy set opening with a partial raise under the last set's start
// threshold is counted in full (issue 16, bouncy20; segmenter.hpp
// replay_opening_partial). The set's opening partial (5.8-7.0 deg at the
// foot, 1.6-2.5 deg smoothed at the shank under 'auto') stayed under the
// start threshold of a set's opening movement, a fifth of the last set's
// larger median range (1.66-2.51 deg); the rest before the next rise was
// kept (BouncySetOpeningUnderTheStartThresholdKeepsItsRest), but the partial
// itself was lost: 7 of 8 reps. The up-and-down back at its rest within one
// bouncy cycle, turning straight into a rise, is now stepped again from the
// rest it left with the floor threshold. Fresh dev seeds of this session
// (bouncy, shank, 'auto'; 353-480 and 481-800), the set's start, and the two
// sets of BouncySetOpeningUnderTheStartThresholdKeepsItsRest (dev seeds 86,
// 155): every one 7 of 8 before (main 63789f6), 8 of 8 after. Counted as the grid does
// (evaluate: reps starting within 1 s of the set). Truth: the simulator.
TEST(HeelRaiseChain, BouncySetOpeningPartialUnderAStaleThresholdCounts) {
  using soleus::sim::ImuPlacement;
  struct Case {
    double fs;
    std::uint64_t seed;
    double set_start_s;
  };
  for (const Case& k : {Case{200.0, 445, 28.34}, Case{50.0, 380, 28.37}, Case{100.0, 485, 26.95},
                        Case{200.0, 612, 27.34}, Case{50.0, 702, 26.88}, Case{50.0, 86, 26.94},
                        Case{200.0, 155, 27.25}}) {
    const auto c = acceptance_config(Cond::bouncy, ImuPlacement::shank, k.fs, k.seed);
    const auto s = acceptance_session(c, Cond::bouncy, k.fs, k.seed);
    ASSERT_TRUE(s.status.ok()) << s.status.message;
    const ChainRun r = run_session(s, c, 0, Told::automatic);
    const soleus::sim::SetTruth* set = nearest_within_2s(s.sets, k.set_start_s);
    ASSERT_NE(set, nullptr) << "the simulator no longer has a set near " << k.set_start_s << " s";
    int n = 0;
    for (const auto& d : r.reps) n += (d.start_s >= set->start_s - 1.0 && d.start_s <= set->end_s + 1.0) ? 1 : 0;
    EXPECT_EQ(n, set->n_reps) << "seed " << k.seed << " " << k.fs << " Hz, set at " << set->start_s << " s";
    const soleus::sim::RepTruth* first = nearest_within_2s(s.reps, set->start_s);
    ASSERT_NE(first, nullptr);
    EXPECT_GE(match(r.reps, *first), 0) << "seed " << k.seed << " " << k.fs << " Hz, opening rep at " << first->start_s
                                        << " s (rom " << first->rom_deg << " deg at the foot)";
  }
}

// A bouncy chain's next rise is no rebound's settle when the smoothed bottom
// before it lies lower than the last rep's (issue 16, bouncy20;
// segmenter.hpp begin_candidate: in a chain the dip is judged by its shape,
// an arrival then a further fall, not by levels). The 4 Hz smoothing rounds a
// V-shaped bottom off by an amount that follows the rep's size and speed; a
// partial raise's bottom after a full rep read more than a band below the
// full rep's end level, the partial was taken for the rebound's settle and
// held to half the set's range: lost. Fresh dev seeds (bouncy, 'auto'): shank
// 513 at 100 Hz and 701 at 50 Hz, foot 513 at 50 Hz and 710 at 200 Hz (each
// the set's last or a mid-set partial), and under quiet-stance sway shank
// 358, 374 and 411 at 50 Hz. Each lost on main 63789f6 and with the opening
// replay alone (bouncy20's first rule), found with this rule. Truth: the
// simulator.
TEST(HeelRaiseChain, BouncyChainSmallerBottomIsNoRebound) {
  using soleus::sim::ImuPlacement;
  expect_rep_found(Cond::bouncy, 100.0, 513, 12.22, ImuPlacement::shank);
  expect_rep_found(Cond::bouncy, 50.0, 701, 32.43, ImuPlacement::shank);
  expect_rep_found(Cond::bouncy, 50.0, 513, 31.15, ImuPlacement::foot);
  expect_rep_found(Cond::bouncy, 200.0, 710, 10.17, ImuPlacement::foot);
  expect_rep_found(Cond::bouncy, 50.0, 358, 9.85, ImuPlacement::shank, true);
  expect_rep_found(Cond::bouncy, 50.0, 374, 30.95, ImuPlacement::shank, true);
  expect_rep_found(Cond::bouncy, 50.0, 411, 28.67, ImuPlacement::shank, true);
}

// (a) The set's partial-raise minimum is the start threshold (segmenter.hpp
// set_min_excursion), not 0.35 of the set's range less a band: a 6.8 deg
// partial raise (1.2-1.4 deg at the shank) after two held reps of 4.3 and
// 3.4 deg was under 0.35 x 4.3 - 0.5, the held pair was dropped with it;
// a wall-sit set's second rep, a 6.5 deg partial, was measured against the
// last set's 6.1 deg median (0.35 x 6.1 - 0.5 > the fixed 1.5).
TEST(HeelRaiseChain, ShankSetPartialRaiseMinimumIsTheStartThreshold) {
  expect_rep_found(Cond::seated, 200.0, 73, 74.23, soleus::sim::ImuPlacement::shank);
  expect_rep_found(Cond::seated, 200.0, 73, 56.90, soleus::sim::ImuPlacement::shank);
  expect_rep_found(Cond::wall_sit, 100.0, 66, 98.40, soleus::sim::ImuPlacement::shank);
}

// (b) A partial raise under min_excursion_deg at the set's tempo (lasting
// >= 0.55 of the set's longest rep: Grondin 2010, CV <= 15 %) is a
// deliberate raise even when its measured top hold is short: a 1.4 deg
// raise's top lies in the rest band's noise, its hold read 0.00 and 0.17 s
// for a true 1.91 and 0.64 s (segmenter.hpp finalize, at_tempo).
TEST(HeelRaiseChain, ShankPartialRaiseAtTheSetsTempoIsDeliberate) {
  expect_rep_found(Cond::seated, 100.0, 69, 55.38, soleus::sim::ImuPlacement::shank);
  expect_rep_found(Cond::seated, 50.0, 96, 25.27, soleus::sim::ImuPlacement::shank);
}

// (c) A small chain's rest limit is the set's tempo, its longest measured
// rep (segmenter.hpp tempo_s_), not the last rep's own duration: a 6.3 deg
// partial's slow lowering (2.9 s) read 3.7 s heel-off to contact for a true
// 5.7 s, the 1.7 s rest after it read 3.9 s, and the set's first two
// (held) reps were dropped.
TEST(HeelRaiseChain, SmallChainRestLimitIsTheSetsTempo) {
  expect_rep_found(Cond::wall_sit, 200.0, 80, 6.46, soleus::sim::ImuPlacement::shank);
  expect_rep_found(Cond::wall_sit, 200.0, 80, 14.38, soleus::sim::ImuPlacement::shank);
}

// (d) The rebound window's larger minimum excursion scales with the current
// set's range (segmenter.hpp, start_ref_rom): a seated shank's second rep
// (4.5 deg, rising 1 s after the first's provisional contact) was taken for
// that rep's rebound settle under half of the last set's 11 deg median, and
// the set lost its first three reps.
TEST(HeelRaiseChain, ReboundMinimumFollowsTheCurrentSetsRange) {
  expect_rep_found(Cond::seated, 200.0, 70, 60.98, soleus::sim::ImuPlacement::shank);
  expect_rep_found(Cond::seated, 200.0, 70, 67.46, soleus::sim::ImuPlacement::shank);
}

TEST(HeelRaiseChain, WeightShiftHeldIsTheRestBeforeTheNextRep) {
  expect_rep_found(Cond::between, 100.0, 5, 75.78);
}

// A 2.2 deg countermovement into a slow rise (12 deg over 2 s) looked still
// at its trough for 1.05 s, over kCmDipHold_s: taken for a new, lower rest,
// the rep's baseline lay 2.9 deg under the rest it had left, its lowering
// landed 5 deg above that "rest", and the first (lone) rep of the set was
// rejected as a posture change. The rest shift is now also judged from the
// rest the dip left (segmenter.hpp, dip_left_level_). Before: activity
// between sets, foot, seed 3 at 200 Hz lost the 59.2 s rep; after: found.
// Truth: the simulator.
TEST(HeelRaiseChain, SlowRiseOutOfALongDipLandsBackAtTheRestItLeft) {
  expect_rep_found(Cond::between, 200.0, 3, 59.21);
}

// A step session (heels hanging 6 deg below standing, quick raises) at
// 200 Hz: the orientation filter's up converged toward gravity at ~0.8 deg/s
// while the gyro bias was being learned, so no calm period passed the rest
// posture's 0.4 deg stability test (not the standing before the drop, not the
// 1.0-1.5 s hangs between the quick reps): no rest posture, no lock until
// 51.8 s, and the pre-lock ring (10 s) lost the whole first set (0 of 8
// reps), with 'auto' and with 'foot' alike. The rest posture's stability is
// now witnessed by the accelerometer (sagittal_axis.hpp): the axis locks in
// the first rep and every rep of the first set is found. Both placements.
TEST(HeelRaiseChain, StepSessionFirstSetCountedInFull) {
  using soleus::sim::ImuPlacement;
  const double fs = 200.0;
  const std::uint64_t seed = 1;
  const auto c = acceptance_config(Cond::step, ImuPlacement::foot, fs, seed);
  const auto s = acceptance_session(c, Cond::step, fs, seed);
  ASSERT_TRUE(s.status.ok()) << s.status.message;
  ASSERT_FALSE(s.sets.empty());
  ASSERT_GT(c.step_bottom_deg, 0.0);
  const auto& set = s.sets.front();
  for (Told told : {Told::automatic, Told::placement}) {
    const ChainRun r = run_session(s, c, 0, told);
    const char* who = told == Told::automatic ? "auto" : "foot";
    // Locked within the first rep (before its heel contact, from the truth).
    const auto& first = s.reps[static_cast<std::size_t>(set.first_rep)];
    EXPECT_GE(r.axis_found_at_s, 0.0) << who;
    EXPECT_LE(r.axis_found_at_s, first.end_s) << who;
    EXPECT_EQ(r.stats.prelock_dropped, 0u) << who;
    const FirstSetCount n = first_set_count(s, r);
    EXPECT_EQ(n.found, n.truth) << who;
    EXPECT_EQ(n.in_set, set.n_reps) << who;
  }
}

// A fidget's quick dip below rest (a toe tap: -1.1 deg at the shank for
// 0.25 s at 54.8 s) pulled the segmenter's floor tracker down; it climbs
// back at 0.3 deg/s, so the 2.2 s rest at the old level that followed was
// not yet rest at the baseline when the next set began: its first three
// reps (10 deg at the shank, a 0.7 deg countermovement each) had no rest
// before them and were each taken at the top for a new resting level,
// silently (held-out grid: activity between sets, shank, 50 Hz, seed 18,
// SOLEUS_GRID_SEED_OFFSET=8; segmenter.hpp, a dip that came back). Before: 5
// of the set's 8 reps; after: all 8, each as itself. Truth: the simulator.
TEST(HeelRaiseChain, RestAfterAQuickDipIsRestAtTheBaseline) {
  using soleus::sim::ImuPlacement;
  const double fs = 50.0;
  const std::uint64_t seed = 18;
  const auto c = acceptance_config(Cond::between, ImuPlacement::shank, fs, seed);
  const auto s = acceptance_session(c, Cond::between, fs, seed);
  ASSERT_TRUE(s.status.ok()) << s.status.message;
  ASSERT_EQ(s.sets.size(), 2u);
  const auto& set = s.sets[1];
  const ChainRun r = run_session(s, c, 0, Told::automatic);
  int found = 0, in_set = 0;
  for (int k = 0; k < set.n_reps; ++k) found += match(r.reps, s.reps[static_cast<std::size_t>(set.first_rep + k)]) >= 0;
  for (const auto& d : r.reps) in_set += (d.start_s >= set.start_s - 1.0 && d.start_s <= set.end_s + 1.0) ? 1 : 0;
  EXPECT_EQ(found, set.n_reps);
  EXPECT_EQ(in_set, set.n_reps);
}

// The carried-movement rule (segmenter.hpp) bounds a heel raise's sensor
// lift by the heel's: a sensor on the heel counter (0.2 m behind the MTP
// pivot, the largest lever a foot offers) in fast bouncy sets (0.3-0.5 s up
// and down, ranges to 40 deg: lifts to 0.14 m, accelerations to several
// m/s^2) and quick raises must still count every rep, with 'auto' and with
// the true axis. Reference: the simulator's rep count.
TEST(HeelRaiseChain, HeelMountedSensorFastSetsStillCount) {
  int sessions = 0, reps_true = 0, reps_auto = 0, reps_told = 0;
  for (double fs : {50.0, 100.0, 200.0})
    for (std::uint64_t seed = 1; seed <= 4; ++seed)
      for (bool bouncy : {true, false}) {
        auto c = grid_config(fs, soleus::sim::ImuPlacement::foot, soleus::sim::Posture::standing,
                             (seed & 1u) ? soleus::sim::PhaseProfile::minimum_jerk
                                         : soleus::sim::PhaseProfile::raised_cosine);
        c.realistic = true;
        c.n_sets = 2;
        c.rom_deg = {25.0, 40.0};
        c.foot_sensor_pos_m = {-0.20, 0.03};  // on the heel
        if (bouncy) c.bouncy_set_probability = 1.0;
        else c.quick_set_probability = 1.0;  // rise and lowering 0.25-0.6 s
        c.sway_deg = 0.3;
        const auto s = soleus::sim::generate_heel_raise_session(c, seed * 104729ull + static_cast<std::uint64_t>(fs));
        ASSERT_TRUE(s.status.ok()) << s.status.message;
        ++sessions;
        const int n_auto = static_cast<int>(run_session(s, c, 0, Told::automatic).reps.size());
        const int n_told = static_cast<int>(run_session(s, c, 0, Told::true_axis).reps.size());
        EXPECT_EQ(n_told, static_cast<int>(s.reps.size())) << "fs " << fs << " seed " << seed << " bouncy " << bouncy;
        reps_true += static_cast<int>(s.reps.size());
        reps_auto += n_auto;
        reps_told += n_told;
      }
  std::printf("[heel-mounted] %d sessions: %d reps, found %d ('auto'), %d (true axis)\n", sessions, reps_true,
              reps_auto, reps_told);
  EXPECT_GE(reps_auto, reps_true - 2);  // 'auto' may lose a first rep to the axis lock
}

// Review of issue 16 (slow samples' lift evidence, sagittal_axis.hpp "Slow
// movements"): samples turning slower than 10 deg/s add vertical-velocity
// sign evidence once the drift bound holds, gated at min_rate_dps (3 deg/s);
// a gyro bias not yet learned reaches 3 deg/s per axis (the grid's range,
// MEMS gyros at power-on), so could a swaying sensor's unlearned bias pass
// that gate as "rotation" and decide a sign before any raise? Here: 30 s of
// quiet standing with sway (0.3 deg, quiet standing's RMS, the grid's) and a
// bias of up to 3 deg/s per axis, then one set of raises, foot and standing
// shank, default 'auto': the axis must lock with the right sign (no
// correction) and no rep may come before the first true one. Measured: 0
// wrong, 0 early, 0 corrections, with or without the bias-error gate in
// slow_lift_trusted() (the orientation filter learns the bias from its first
// still blocks, seconds into the recording, long before the finder calls it
// settled): shown not to happen; the gate bounds it by physics all the same.
// One rep missed (shank 100 Hz seed 2, 7 of 8; also with a bias of 0.5
// deg/s: not the bias). With twice the sway (0.6 deg) the axis locked on
// the sway itself during the 30 s of standing in 10 of 24 sessions (axis
// perpendicular to the true one, most reps lost), with or without the gate,
// always by the excursion rule: not fixed yet (below).
// Reference: the simulator's true axis and rep times.
struct SwayStandingCounts {
  int sessions = 0, failed = 0, wrong = 0, early = 0, missed = 0, corrected = 0, off_axis = 0, unlocked = 0;
};
// 30 s of quiet standing with sway of sway_deg (RMS, roll and yaw) and a gyro
// bias of up to bias_dps per axis, then one set, foot and standing shank at
// 50/100/200 Hz, seeds 1..n_seeds, default 'auto'. A session fails when the
// locked axis is off the true one by more than 30 deg (locked on the sway),
// the sign is wrong, the axis never locked, a rep comes before the first
// true one, a rep is missed or the sign was corrected (off_axis and wrong
// count locked sessions only).
static SwayStandingCounts run_sway_standing(double sway_deg, double bias_dps, std::uint64_t n_seeds,
                                             bool quiet_stance = false) {
  using soleus::sim::ImuPlacement;
  SwayStandingCounts k;
  for (ImuPlacement place : {ImuPlacement::foot, ImuPlacement::shank}) {
    for (double fs : {50.0, 100.0, 200.0}) {
      for (std::uint64_t seed = 1; seed <= n_seeds; ++seed) {
        soleus::sim::HeelRaiseConfig c;
        c.realistic = true;
        c.placement = place;
        c.sample_rate_hz = fs;
        c.random_mounting = true;
        c.gyro_bias_max_dps = bias_dps;
        c.sway_deg = sway_deg;
        c.sway_quiet_stance = quiet_stance;
        c.lead_in_s = 30.0;
        c.n_sets = 1;
        const auto s = soleus::sim::generate_heel_raise_session(c, seed * 7919 + static_cast<std::uint64_t>(fs));
        EXPECT_TRUE(s.status.ok()) << s.status.message;
        if (!s.status.ok() || s.reps.empty()) continue;
        const ChainRun r = run_session(s, c, 0, Told::automatic);
        ++k.sessions;
        double dot = 0.0;
        for (int j = 0; j < 3; ++j)
          dot += static_cast<double>(r.final_state.axis_sensor[j]) * s.sagittal_axis_sensor[static_cast<std::size_t>(j)];
        int before = 0;
        for (const auto& rep : r.reps) before += rep.start_s < s.reps.front().start_s - 0.5 ? 1 : 0;
        if (std::getenv("SOLEUS_DEBUG_SWAY_REPS"))
          for (const auto& rep : r.reps)
            std::printf("    rep %.2f-%.2f-%.2f-%.2f base %.2f top %.2f rom %.2f (first true %.2f, rom %.1f)\n", rep.start_s,
                        rep.top_s, rep.lower_start_s, rep.end_s, rep.baseline_deg, rep.top_deg, rep.rom_deg,
                        s.reps.front().start_s, s.reps.front().rom_deg);
        int found = 0;
        for (const auto& g : s.reps) found += match(r.reps, g) >= 0 ? 1 : 0;
        const bool locked = r.axis_found_at_s >= 0.0;
        const bool off = locked && std::fabs(dot) < 0.866;  // > 30 deg from the true axis
        const bool wrong = locked && !(dot > 0.0);
        const bool bad = !locked || wrong || off || before > 0 || found < static_cast<int>(s.reps.size()) ||
                         r.stats.sign_corrections > 0;
        k.failed += bad ? 1 : 0;
        k.off_axis += off ? 1 : 0;
        k.wrong += wrong ? 1 : 0;
        k.unlocked += locked ? 0 : 1;
        k.early += before;
        k.missed += static_cast<int>(s.reps.size()) - found;
        k.corrected += static_cast<int>(r.stats.sign_corrections);
        if (bad)
          std::printf("  sway %.1f bias %.1f %s %.0f Hz seed %llu: axis.dot(true) %.2f, %d reps before the first, "
                      "%d/%zu found, %llu corrections, axis found at %.1f s (first rep %.1f s)\n",
                      sway_deg, bias_dps, place == ImuPlacement::foot ? "foot" : "shank", fs,
                      static_cast<unsigned long long>(seed), dot, before, found, s.reps.size(),
                      static_cast<unsigned long long>(r.stats.sign_corrections), r.axis_found_at_s,
                      s.reps.front().start_s);
      }
    }
  }
  std::printf("[sway %.1f deg%s, bias %.1f deg/s] %d sessions: failed %d, locked off axis %d, locked wrong sign %d, "
              "never locked %d, reps before the first %d, missed %d, corrections %d\n",
              sway_deg, quiet_stance ? " quiet-stance" : "", bias_dps, k.sessions, k.failed, k.off_axis, k.wrong, k.unlocked, k.early, k.missed,
              k.corrected);
  return k;
}

TEST(HeelRaiseChain, UnlearnedGyroBiasDuringSwayDecidesNoSign) {
  const SwayStandingCounts k = run_sway_standing(0.3, 3.0, 4);
  EXPECT_EQ(k.wrong, 0);
  EXPECT_EQ(k.off_axis, 0);
  EXPECT_EQ(k.unlocked, 0);
  EXPECT_EQ(k.early, 0);
  EXPECT_LE(k.missed, 1);  // measured 1 (not the bias: see above)
  EXPECT_EQ(k.corrected, 0);
  // Twice the sway and more (0.6 and 1.0 deg RMS: quiet standing's 0.5-1
  // deg, Winter 1995): known gap, measured (not met): the axis locked on the
  // sway itself (by the excursion rule: the excursion from a rest snapshot
  // taken at one end of the sway passes sign_min_deg with nothing on the
  // other side) in 11 of 24 sessions at 0.6 deg and 10 of 24 at 1.0 deg on
  // main 5163eb9. Branch sway17 (rest posture at the calm episode's mean;
  // the excursion rule's tilt confirmed by the calm accelerometer, see
  // sagittal_axis.hpp "Postural sway"): 1 of 24 at 0.6 deg, 9 of 24 at 1.0
  // deg (these lock by the lift evidence, whose far excursion is the
  // filter's up: not fixed). Guards at the measured level.
  const SwayStandingCounts k6 = run_sway_standing(0.6, 3.0, 4);
  EXPECT_LE(k6.off_axis, 1);  // measured 1 (target 0; 11 on main 5163eb9)
  EXPECT_LE(k6.failed, 1);    // measured 1 (target 0; 11 on main)
  const SwayStandingCounts k10 = run_sway_standing(1.0, 3.0, 4);
  EXPECT_LE(k10.off_axis, 9);  // measured 9 (target 0; 10 on main)
  EXPECT_LE(k10.failed, 10);   // measured 10 (target 0; 11 on main)
}

// Quiet-stance sway (sim sway_quiet_stance: about the ankle, the foot flat)
// read at the shank as the raise's own angle: 30 s of standing, then one
// set, 24 sessions as above. The sway's half-cycles (2-2.5 deg over ~1 s at
// 0.6 deg RMS, still enough at their turning points for min_rest_s) read as
// reps before the first: 6 at 0.6 deg (5 of 24 sessions failed), 9 at 1.0
// deg (bias 3 deg/s); the foot: none, it stays flat. Known gap, guards at
// the measured level (target 0). A sway floor (a set's first rep above 2
// sqrt(6) x the sway's RMS measured outside sets) took these to 3 and 7 but
// cost 7 sets of the default grid (step and between-sets shank, fresh and
// held-out seeds) and was not kept: docs/heel_raises.md.
TEST(HeelRaiseChain, QuietStanceSwayStartsNoSetMeasuredKnownGap) {
  const SwayStandingCounts k6 = run_sway_standing(0.6, 3.0, 4, true);
  EXPECT_EQ(k6.off_axis, 0);
  EXPECT_EQ(k6.wrong, 0);
  EXPECT_LE(k6.early, 6);   // measured 6 (target 0)
  EXPECT_LE(k6.missed, 4);  // measured 4
  // At 1.0 deg the counts move with the build and with the merged rules:
  // early / missed 9 / 8 on branch sway17b; on main after this session's
  // merges 7 / 11 natively and on the clang x86-64-v2 build, 9 / 10 under
  // qemu-aarch64 (before bouncy17's merge); 9 / 9 natively and on clang
  // x86-64-v2 once the first rest under sway is placed at the sway's mean
  // (sagittal_axis.hpp, committed_instant). The guards cover that spread
  // (the missed reps are the set's own, lost to a rest taken mid-sway).
  const SwayStandingCounts k10 = run_sway_standing(1.0, 3.0, 4, true);
  EXPECT_EQ(k10.off_axis, 0);
  EXPECT_EQ(k10.wrong, 0);
  EXPECT_LE(k10.early, 10);  // measured 7-9, 10 with the accelerometer errors (zerog22; target 0)
  EXPECT_LE(k10.missed, 12); // measured 9-11
}

// Measurement only (SOLEUS_SWAY_SWEEP=1): failure rate vs sway amplitude and
// bias, seeds 1..SOLEUS_SWAY_SEEDS (default 4).
TEST(HeelRaiseChain, SwaySweepMeasured) {
  if (!std::getenv("SOLEUS_SWAY_SWEEP")) {
    std::printf("set SOLEUS_SWAY_SWEEP=1 to run the sway sweep\n");
    return;
  }
  const char* ns = std::getenv("SOLEUS_SWAY_SEEDS");
  const std::uint64_t n_seeds = ns ? static_cast<std::uint64_t>(std::atoi(ns)) : 4u;
  for (bool quiet : {false, true})
    for (double sway : {0.3, 0.6, 1.0})
      for (double bias : {0.5, 3.0}) (void)run_sway_standing(sway, bias, n_seeds, quiet);
}

namespace {
// The sessions the sensor-fault tests inject their faults into: realistic
// foot sets at 100 Hz, three sets 15 s apart (random mounting, 1 deg/s gyro
// bias, 0.3 deg sway).
soleus::sim::HeelRaiseConfig fault_test_config() {
  soleus::sim::HeelRaiseConfig c;
  c.realistic = true;
  c.placement = soleus::sim::ImuPlacement::foot;
  c.sample_rate_hz = 100.0;
  c.random_mounting = true;
  c.gyro_bias_max_dps = 1.0;
  c.sway_deg = 0.3;
  c.n_sets = 3;
  c.rest_between_sets_s = 15.0;
  return c;
}
// The faults both sensor-fault tests inject into a session's samples
// [i0, i1): one spike (+1e4 on every axis at i0), a flat line (the sensor
// repeating sample i0), the gyro saturated at +-2000 deg/s, a NaN burst.
void inject_spike(soleus::sim::HeelRaiseSession& s, std::size_t i0) {
  for (std::size_t j = 0; j < 3; ++j) { s.acc_mps2[i0][j] += 1e4; s.gyro_dps[i0][j] += 1e4; }
}
void inject_flat_line(soleus::sim::HeelRaiseSession& s, std::size_t i0, std::size_t i1) {
  for (std::size_t i = i0 + 1; i < i1; ++i) { s.acc_mps2[i] = s.acc_mps2[i0]; s.gyro_dps[i] = s.gyro_dps[i0]; }
}
void inject_gyro_saturation(soleus::sim::HeelRaiseSession& s, std::size_t i0, std::size_t i1) {
  for (std::size_t i = i0; i < i1; ++i) s.gyro_dps[i] = {2000.0, -2000.0, 2000.0};
}
void inject_nan_burst(soleus::sim::HeelRaiseSession& s, std::size_t i0, std::size_t i1) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = i0; i < i1; ++i) { s.acc_mps2[i] = {nan, nan, nan}; s.gyro_dps[i] = {nan, nan, nan}; }
}
}  // namespace

// Sensor faults in the rest between two sets (review of issue 16; the
// recovery rule, DESIGN.md: "one bad sample, a flat line, ... or a wild time
// stamp costs seconds of output, never the rest of the recording"). A
// realistic foot session (3 sets, 15 s rests, default 'auto'), one fault in
// the first rest, in its middle or ending 3 s before the next set: a single spike (1e4 m/s^2 and 1e4 deg/s on
// every axis), a flat line (the sensor's output stuck for 2 s), 3 s of
// samples dropped, the clock stepping back by 0.5 s (the samples stamped
// before the last one are refused until it catches up) or forward by 5 s, the
// gyro saturated at +-2000 deg/s for 0.3 s (a knock), a NaN burst of 0.5 s.
// Every true rep must be found (overlap with a reported rep), no rep
// reported beyond the truth, and the samples that cannot be right (spike,
// NaN, stamps going back) counted as rejected (ImuRepStats::imu_rejected). Reference: the simulator's rep times (shifted
// with a clock step).
TEST(HeelRaiseChain, SensorFaultsBetweenSetsLoseNoRep) {
  const char* names[] = {"spike", "flat line 2 s", "dropout 3 s", "clock back 0.5 s", "clock forward 5 s",
                         "gyro saturated 0.3 s", "NaN burst 0.5 s"};
  int bad = 0, unflagged = 0;
  for (int fault = 0; fault < 7; ++fault) {
    for (int where = 0; where < 2; ++where) {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      const auto c = fault_test_config();
      auto s = soleus::sim::generate_heel_raise_session(c, seed * 4099 + 17);
      ASSERT_TRUE(s.status.ok()) << s.status.message;
      ASSERT_GE(s.sets.size(), 2u);
      // Mid-rest, or ending 3 s before the next set (the chain must be back
      // by then: a rep needs a rest before it, and a dropout ending as a set
      // starts hides that rest; measured: its first rep lost, 23 of 24).
      const double fault_s[] = {0.0, 2.0, 3.0, 0.5, 0.0, 0.3, 0.5};
      const double t_fault = where == 0 ? 0.5 * (s.sets[0].end_s + s.sets[1].start_s)
                                        : s.sets[1].start_s - 3.0 - fault_s[fault];
      std::size_t i0 = 0;
      while (i0 < s.size() && s.t_s[i0] < t_fault) ++i0;
      const std::size_t n = s.size();
      const double fs = c.sample_rate_hz;
      const auto span = [&](double sec) { return std::min(n, i0 + static_cast<std::size_t>(sec * fs)); };
      double shift_s = 0.0;  // clock step applied to every later stamp (and to the truth after it)
      switch (fault) {
        case 0: inject_spike(s, i0); break;
        case 1: inject_flat_line(s, i0, span(2.0)); break;
        case 2: {
          const std::size_t i1 = span(3.0);
          s.t_s.erase(s.t_s.begin() + static_cast<std::ptrdiff_t>(i0), s.t_s.begin() + static_cast<std::ptrdiff_t>(i1));
          s.acc_mps2.erase(s.acc_mps2.begin() + static_cast<std::ptrdiff_t>(i0), s.acc_mps2.begin() + static_cast<std::ptrdiff_t>(i1));
          s.gyro_dps.erase(s.gyro_dps.begin() + static_cast<std::ptrdiff_t>(i0), s.gyro_dps.begin() + static_cast<std::ptrdiff_t>(i1));
          break;
        }
        case 3: shift_s = -0.5; break;
        case 4: shift_s = 5.0; break;
        case 5: inject_gyro_saturation(s, i0, span(0.3)); break;
        case 6: inject_nan_burst(s, i0, span(0.5)); break;
        default: break;
      }
      if (shift_s != 0.0) {
        for (std::size_t i = i0; i < s.t_s.size(); ++i) s.t_s[i] += shift_s;
        for (auto& g : s.reps)
          if (g.start_s > t_fault) { g.start_s += shift_s; g.top_s += shift_s; g.lower_start_s += shift_s; g.end_s += shift_s; }
      }
      std::vector<soleus::sim::RepTruth> truth;
      for (const auto& g : s.reps) truth.push_back(g);
      const ChainRun r = run_session(s, c, 0, Told::automatic);
      int found = 0;
      for (const auto& g : truth) found += match(r.reps, g) >= 0 ? 1 : 0;
      const int extra = static_cast<int>(r.reps.size()) - found;
      const bool ok = found == static_cast<int>(truth.size()) && extra <= 0;
      bad += ok ? 0 : 1;
      // Flagged: the samples that cannot be right (a spike beyond any
      // physical rate, NaN, stamps going back) are counted as rejected.
      const bool must_flag = fault == 0 || fault == 3 || fault == 6;
      if (must_flag && r.stats.imu_rejected == 0) ++unflagged;
      if (!ok || (must_flag && r.stats.imu_rejected == 0))
        std::printf("  %s, %s, seed %llu: %d of %zu reps found, %d reported beyond them (fault at %.1f s), "
                    "%llu samples rejected\n", names[fault], where == 0 ? "mid-rest" : "3 s before the set",
                    static_cast<unsigned long long>(seed), found, truth.size(), extra, t_fault,
                    static_cast<unsigned long long>(r.stats.imu_rejected));
    }
    }
  }
  std::printf("[sensor faults] sessions with a rep lost or added: %d of 42; bad samples not flagged: %d of 18\n", bad,
              unflagged);
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(unflagged, 0);
}

// A fault inside a rep (review of issue 16, the recovery rule): it may cost
// that rep, never one away from it. The same realistic foot sessions, one
// fault at the top of the third rep of the second set: a spike, the output
// stuck for 0.2 s, the gyro saturated at +-2000 deg/s for 0.05 s, a NaN
// burst of 0.1 s. Every other true rep must be found, and no rep reported
// beyond the truth. Reference: the simulator's rep times.
TEST(HeelRaiseChain, SensorFaultInsideARepCostsAtMostThatRep) {
  const char* names[] = {"spike", "flat line 0.2 s", "gyro saturated 0.05 s", "NaN burst 0.1 s"};
  int bad = 0;
  for (int fault = 0; fault < 4; ++fault) {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      const auto c = fault_test_config();
      auto s = soleus::sim::generate_heel_raise_session(c, seed * 4099 + 17);
      ASSERT_TRUE(s.status.ok()) << s.status.message;
      ASSERT_GE(s.sets.size(), 2u);
      const std::size_t hit = static_cast<std::size_t>(s.sets[1].first_rep) + 2;
      ASSERT_LT(hit, s.reps.size());
      const double t_fault = s.reps[hit].top_s;
      std::size_t i0 = 0;
      while (i0 < s.size() && s.t_s[i0] < t_fault) ++i0;
      const std::size_t n = s.size();
      const auto span = [&](double sec) { return std::min(n, i0 + static_cast<std::size_t>(sec * c.sample_rate_hz)); };
      switch (fault) {
        case 0: inject_spike(s, i0); break;
        case 1: inject_flat_line(s, i0, span(0.2)); break;
        case 2: inject_gyro_saturation(s, i0, span(0.05)); break;
        case 3: inject_nan_burst(s, i0, span(0.1)); break;
        default: break;
      }
      const ChainRun r = run_session(s, c, 0, Told::automatic);
      int found_other = 0, others = 0;
      for (std::size_t k = 0; k < s.reps.size(); ++k) {
        if (k == hit) continue;
        ++others;
        found_other += match(r.reps, s.reps[k]) >= 0 ? 1 : 0;
      }
      const int extra = static_cast<int>(r.reps.size()) - static_cast<int>(s.reps.size());
      const bool ok = found_other == others && extra <= 0;
      bad += ok ? 0 : 1;
      if (!ok)
        std::printf("  %s, seed %llu: %d of %d other reps found, %d reps reported for %zu true\n", names[fault],
                    static_cast<unsigned long long>(seed), found_other, others, static_cast<int>(r.reps.size()),
                    s.reps.size());
    }
  }
  std::printf("[fault inside a rep] sessions losing a rep away from it or adding one: %d of 12\n", bad);
  EXPECT_EQ(bad, 0);
}

// A seated raise's isometric hold needs no balance: the thigh loads the knee
// and the leg is as still as the gyro's noise (simulator 0.14 deg/s), far
// under standing sway's least (0.3 deg/s, Winter 1995). The hold-wobble rule
// takes a small hold with sway-level wobble for a weight shift; a hold with
// no wobble at all is no standing weight shift and counts (segmenter.hpp,
// kStandingSwayMin_dps). A seated shank under 'auto' (review19): one 5-rep
// set, then a 25 s hold of 12-20 deg at the foot (2.3-3.8 deg at the shank,
// small under 'auto') reached by a slow 2-4 s rise, no hold wobble. Without
// the lower bound the 50 Hz seed-5 hold was lost (17 of 18).
TEST(HeelRaiseChain, SeatedShankHoldWithoutWobbleCounts) {
  using namespace soleus::sim;
  int counted = 0, sessions = 0;
  for (double fs : {50.0, 100.0, 200.0}) {
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
      HeelRaiseConfig c;
      c.sample_rate_hz = fs;
      c.placement = ImuPlacement::shank;
      c.posture = Posture::seated;
      c.n_sets = 1;
      c.reps_per_set = 5;
      c.isometric_hold_s = 25.0;
      c.rom_deg = {12.0, 20.0};
      c.rise_s = {2.0, 4.0};
      c.lower_s = {0.5, 1.5};
      c.realistic = true;
      c.hold_wobble_dps = {0.0, 0.0};
      c.gyro_bias_max_dps = 1.0;
      c.random_mounting = true;
      const auto s = generate_heel_raise_session(c, seed * 131 + static_cast<std::uint64_t>(fs));
      ASSERT_TRUE(s.status.ok()) << s.status.message;
      const ChainRun r = run_session(s, c, 0, Told::automatic);
      int holds = 0;
      for (const auto& rep : r.reps) holds += rep.isometric ? 1 : 0;
      EXPECT_EQ(holds, 1) << fs << " Hz, seed " << seed << ": the seated hold is one hold";
      counted += holds == 1 ? 1 : 0;
      ++sessions;
    }
  }
  std::printf("[seated shank hold] %d of %d sessions count the hold\n", counted, sessions);
}

// Issue 16 (seated20): a seated or wall-sit set at a shank under 'auto' that
// opens with a partial raise (5.4-9.1 deg at the foot, 1.0-1.7 deg at the
// shank) lost it: the movement stayed under the start threshold (a fifth of
// the last set's range, 1.8-2.3 deg at a shank whose last set read 9-12 deg)
// or under min_excursion_deg (1.5 deg), and never started a rep. Its lift
// is a heel raise's (segmenter.hpp, "Lifted small rises": the ankle rides
// the MTP arc, mtp_to_ankle_m x the foot's angle, 2.4 mm per foot degree),
// so it now starts one from its heel-off (rest state): fresh development seeds 371 and 387, earlier ones 306, 314,
// 334, 335, 348. Before (main 63789f6): 7 of 8 reps in each set; after: 8.
// Truth: the simulator.
TEST(HeelRaiseChain, SetOpeningRiseUnderTheStartThresholdStartsByItsLift) {
  using soleus::sim::ImuPlacement;
  expect_set_exact(Cond::wall_sit, ImuPlacement::shank, 200.0, 371, 80.76);
  expect_set_exact(Cond::wall_sit, ImuPlacement::shank, 50.0, 387, 55.12);
  expect_set_exact(Cond::seated, ImuPlacement::shank, 100.0, 335, 54.9);
}

// Issue 16 (seated20): a rep that completes after its rebound has settled
// (a partial's slow lowering at a seated shank) has the still level the foot
// settled at as its rest (segmenter.hpp, completion: "Settled above the
// contact level"). Taken from the contact level, the still angle 0.76 deg
// above it stood past the start threshold (0.75) at once and began a
// "movement" whose "lowering" was the next rep's countermovement: that rep
// was swallowed (seed 445), or the "movement" never ended and took seven reps
// (seed 480, 1 of 8); at a seated foot the same start counted an extra rep
// (seed 350). Before (main 63789f6): 445 7 of 8 with the 97.9 s rep missed,
// 480 1 of 8, 350 9 of 8; after: the rep found, 8, 8. Fresh development
// seeds (445, 480) and an earlier one (350). Truth: the simulator.
TEST(HeelRaiseChain, RestAfterALateCompletionIsTheLevelItSettledAt) {
  using soleus::sim::ImuPlacement;
  expect_rep_found(Cond::seated, 50.0, 445, 97.88, ImuPlacement::shank);
  expect_set_exact(Cond::seated, ImuPlacement::shank, 50.0, 480, 99.72);
  expect_set_exact(Cond::seated, ImuPlacement::foot, 50.0, 350, 6.5);
}

// The accelerometer's zero-g offset and sensitivity error against the stride
// rule's displacement (issue 16, zerog22; imu_reps.hpp update_translation,
// segmenter.hpp carried_away: a movement with no held top ending >= 0.15 m
// from its rest is a stride). The strapdown integral levels its attitude on
// the rest's mean specific force, which absorbs the offset o and the scale
// error S there; once the sensor turns by theta the absorbed error turns
// with it, leaving |(R(t) - R0) o| <= |o| theta of the offset and
// |R S R^T - R0 S R0^T| g <= 2 max|s| theta g of the scale error in the
// world-frame acceleration. Integrated twice over the T s since the rest,
// the displacement moves by at most (|o| + 2 max|s| g) theta_max T^2 / 2,
// and as much again from the gravity magnitude the integral subtracts
// (learned at earlier rests or held tops, theta_g away).
// Quick and bouncy raises (no held top: the ones the rule judges), foot and
// shank, the same sessions with the errors on (the realistic default, 40 mg
// and 2 %) and off: at each heel contact the displacement moves by no more
// than that bound, and no raise reads as a stride.
TEST(HeelRaiseChain, AccelerometerOffsetMovesTheDisplacementWithinItsBound) {
  using soleus::sim::ImuPlacement;
  constexpr double kStrideMin_m = 0.15;  // segmenter.hpp kStrideMin_m
  constexpr double kCountermovement_s = 0.5;  // the rest is left up to 0.5 s before heel-off (sim)
  constexpr double kCarryWindow_s = 1.2;  // imu_reps.hpp: judged only this long after the rest
  int judged = 0, strides_on = 0, strides_off = 0;
  double worst_ratio = 0.0, worst_on_m = 0.0, worst_off_m = 0.0, worst_diff_m = 0.0;
  for (const Cond cond : {Cond::bouncy, Cond::standing, Cond::step})
    for (const ImuPlacement pl : {ImuPlacement::foot, ImuPlacement::shank})
      for (const double fs : {50.0, 100.0, 200.0})
        for (std::uint64_t seed = 1401; seed <= 1408; ++seed) {
          auto c = acceptance_config(cond, pl, fs, seed);
          c.step_on_off = false;  // stepping on and off is gait: its strides must read as strides
          c.between_sets_activity_probability = 0.0;
          c.dropout_rate_per_s = 0.0;  // a displacement at every heel contact
          std::vector<double> moved[2];
          soleus::sim::HeelRaiseSession sess[2];
          for (int on = 0; on < 2; ++on) {
            auto ci = c;
            if (!on) ci.acc_offset_max_mps2 = ci.acc_scale_error_max = 0.0;
            sess[on] = acceptance_session(ci, cond, fs, seed);
            const auto& s = sess[on];
            ASSERT_TRUE(s.status.ok()) << s.status.message;
            static Chain ch;
            soleus::reps::ImuRepConfig cfg;
            cfg.segmenter.sample_rate_hz = fs;
            cfg.placement = placement_of(c);
            ASSERT_TRUE(ch.init(cfg).ok());
            moved[on].resize(s.size());
            for (std::size_t i = 0; i < s.size(); ++i) {
              float a[3], g[3];
              for (int j = 0; j < 3; ++j) {
                a[j] = static_cast<float>(s.acc_mps2[i][static_cast<std::size_t>(j)]);
                g[j] = static_cast<float>(s.gyro_dps[i][static_cast<std::size_t>(j)]);
              }
              (void)ch.push(s.t_s[i], a, g);
              Chain::OutEvent e;
              while (ch.pop(e)) {
              }
              moved[on][i] = ch.displacement_m();
            }
          }
          const auto& s = sess[1];
          ASSERT_EQ(s.size(), sess[0].size());
          double o = 0.0, smax = 0.0;
          for (int j = 0; j < 3; ++j) {
            o += s.acc_offset_mps2[static_cast<std::size_t>(j)] * s.acc_offset_mps2[static_cast<std::size_t>(j)];
            smax = std::max(smax, std::fabs(s.acc_scale_error[static_cast<std::size_t>(j)]));
          }
          const double err_mps2_per_rad = std::sqrt(o) + 2.0 * smax * c.gravity_mps2;
          for (const auto& rep : s.reps) {
            if (rep.lower_start_s - rep.top_s >= 0.4) continue;  // a held top: not judged (kLoneTopPause_s)
            const double t0 = rep.start_s - kCountermovement_s;
            const std::size_t i_end = static_cast<std::size_t>(std::lround((rep.end_s - s.t_s[0]) * fs));
            if (i_end >= s.size()) continue;
            const double on_m = moved[1][i_end], off_m = moved[0][i_end];
            if (!std::isfinite(on_m) || !std::isfinite(off_m)) continue;
            // theta: this movement's turn from its rest; theta_g: the largest
            // turn from that rest over the 10 s before (the gravity magnitude
            // the integral subtracts, imu_reps.hpp tr_g_mps2_, is a mean of
            // |a| over earlier zero-velocity moments, a held top's included,
            // whose |a| differs from this rest's by up to the same error per
            // radian of the attitude between them).
            double a0 = NAN, theta_deg = 0.0, theta_g_deg = 0.0;
            for (std::size_t i = 0; i <= i_end; ++i)
              if (s.t_s[i] >= t0 && std::isnan(a0)) a0 = s.segment_angle_deg[i];
            for (std::size_t i = 0; i <= i_end; ++i) {
              if (s.t_s[i] < t0 - 10.0) continue;
              const double d = std::fabs(s.segment_angle_deg[i] - a0);
              theta_g_deg = std::max(theta_g_deg, d);
              if (s.t_s[i] >= t0) theta_deg = std::max(theta_deg, d);
            }
            const double T = std::min(kCarryWindow_s, rep.end_s - t0);
            const double bound_m =
                err_mps2_per_rad * (theta_deg + theta_g_deg) * (3.14159265358979323846 / 180.0) * T * T / 2.0;
            const double diff_m = std::fabs(on_m - off_m);
            ++judged;
            strides_on += on_m >= kStrideMin_m ? 1 : 0;
            strides_off += off_m >= kStrideMin_m ? 1 : 0;
            worst_on_m = std::max(worst_on_m, on_m);
            worst_off_m = std::max(worst_off_m, off_m);
            worst_diff_m = std::max(worst_diff_m, diff_m);
            worst_ratio = std::max(worst_ratio, diff_m / bound_m);
            EXPECT_LE(diff_m, bound_m + 0.005) << "seed " << seed << " fs " << fs << " rep at " << rep.start_s
                                               << " s: theta " << theta_deg << " deg, T " << T << " s";
            EXPECT_LT(on_m, kStrideMin_m) << "seed " << seed << " fs " << fs << " rep at " << rep.start_s << " s";
          }
        }
  std::printf("[acc offset] %d raises judged: displacement at heel contact max %.3f m with the errors, %.3f m "
              "without; change max %.3f m, max %.2f of its bound; read as strides %d with, %d without\n",
              judged, worst_on_m, worst_off_m, worst_diff_m, worst_ratio, strides_on, strides_off);
  EXPECT_GT(judged, 80);  // 96 judged (most contacts come past the judged window)
}
