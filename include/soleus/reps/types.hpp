// Plain result types of the repetition layer: the `Rep` record (phase times,
// range of motion, velocities, heel-rise height and work), the set summary,
// the event record and a fixed-capacity event queue. Kept in one header so
// the segmenter and the set tracker can share them without including each
// other; everything here is a plain struct that travels to the C API and to
// Python unchanged.
//
// Phase-boundary definition (used by every time below; see segmenter.hpp):
// a phase's boundaries are where its movement starts and stops (onset and
// offset, as a simulator's ground truth defines them). They are measured,
// not thresholded: the times t_f and t_(1-f) where the angle crosses f and
// (1 - f) of the rep's range (f = boundary_fraction, 0.1; local line fits
// on the raw samples) span D; the onset lies u_f T before t_f, with
// T = D / (1 - 2 u_f) and u_f the fraction of the phase a profile needs to
// cover f of its range: u_f = f for constant velocity (the knee of the
// trajectory: 0.125 D outside each crossing), 0.205 for a raised cosine,
// 0.247 for minimum jerk (0.49 D). The shape is chosen per rep by template
// fit. For a constant-velocity phase this is exactly the knee; for a smooth
// (bell-velocity) phase it is where the motion really starts, which keeps
// tempo targets honest (a 3 s minimum-jerk lowering reads 3 s, not 2).
#pragma once

#include <cstddef>
#include <cstdint>

#include "soleus/core/event_queue.hpp"
#include "soleus/core/status.hpp"

namespace soleus::reps {

// One repetition (or one isometric hold when `isometric` is true).
struct Rep {
  int index = 0;  // 0-based count of accepted reps and holds since construction

  // Phase boundaries, seconds on the input time axis (delay-compensated).
  double start_s = 0.0;        // heel leaves the floor (concentric starts)
  double top_s = 0.0;          // top reached (concentric ends, hold starts)
  double lower_start_s = 0.0;  // lowering starts (hold ends, eccentric starts)
  double end_s = 0.0;          // heel back down (eccentric ends)

  // end_s and eccentric_s are provisional at rep_completed: a rep_refined
  // event may re-time the heel contact later (segmenter.hpp, "heel contact"),
  // possibly past the rep_completed's time; the rep's completion is then the
  // rep_refined's time (end_s <= completed_at_s holds for the final record).
  // Phase durations, seconds.
  double concentric_s = 0.0;  // top_s - start_s
  double hold_s = 0.0;        // lower_start_s - top_s (>= 0)
  double eccentric_s = 0.0;   // end_s - lower_start_s
  // Rest after this rep: until the next rep's start_s. Unknown (0, rest_known
  // false) when the rep is completed; filled in by a rest_measured event, and
  // left 0 for the last rep of a set (the rest after a set is not a rep rest).
  double rest_s = 0.0;
  bool rest_known = false;

  // Angles, degrees.
  double baseline_deg = 0.0;  // rest level before the rep (re-referenced each rep)
  double top_deg = 0.0;       // top level (hold plateau mean; without a hold, the peak)
  double rom_deg = 0.0;       // top_deg - baseline_deg

  // Angular velocity per phase, deg/s, as positive magnitudes. Mean = phase
  // excursion / phase duration; peak = largest slope of a sliding
  // least-squares line (half-width 10 % of the phase) through the raw angle.
  double concentric_peak_dps = 0.0;
  double concentric_mean_dps = 0.0;
  double hold_peak_dps = 0.0;  // largest |velocity| while holding: steadiness
  double eccentric_peak_dps = 0.0;
  double eccentric_mean_dps = 0.0;

  // Heel-rise height (m) and work (J): see heel_rise_height_m() in
  // segmenter.hpp for the geometry and the Andreasen 2021 caveat.
  double heel_rise_m = 0.0;
  double work_j = 0.0;

  // Range well below the set's typical range (rom < partial_fraction x the
  // median ROM). Provisional at rep_completed (median of the set so far);
  // final in the set summary's reps.
  bool partial = false;
  // Top hold >= isometric_hold_min_s: reported as a hold, not as a rep.
  bool isometric = false;
  // What the rep was segmented from: 0 the plantar-flexion angle (IMU);
  // 1 the soleus EMG envelope alone (EmgRepCounter, emg_reps.hpp): lower
  // confidence, its "phases" are activation phases and its angles are %MVC.
  std::uint8_t source = 0;
};

// Tempo target: e.g. eccentric >= 3 s, hold 2-3 s. A bound of 0 (min) or a
// negative value (max) means "no bound". Tolerance widens every bound.
struct TempoTarget {
  double concentric_min_s = 0.0, concentric_max_s = -1.0;
  double hold_min_s = 0.0, hold_max_s = -1.0;
  double eccentric_min_s = 0.0, eccentric_max_s = -1.0;
  double tolerance_s = 0.25;
};

// Summary of one closed set.
struct SetSummary {
  int index = 0;          // 0-based set number
  int rep_count = 0;      // repetitions (isometric holds excluded)
  int partial_count = 0;  // of which flagged partial (final flags)
  int hold_count = 0;     // isometric holds in the set
  double start_s = 0.0;   // first rep start
  double end_s = 0.0;     // last rep end
  double mean_concentric_s = 0.0, mean_hold_s = 0.0, mean_eccentric_s = 0.0;
  double mean_rest_s = 0.0;      // over reps followed by another rep of the set
  double mean_rom_deg = 0.0, median_rom_deg = 0.0;
  double time_under_tension_s = 0.0;  // sum of concentric + hold + eccentric over reps
  double total_work_j = 0.0;
  double longest_hold_s = 0.0;        // longest isometric hold, 0 if none
  double total_hold_s = 0.0;          // sum of isometric hold durations
  // Fraction of reps (0..1) whose every bounded phase is inside the tempo
  // target +/- tolerance; -1 when no target is set or no reps.
  double tempo_adherence = -1.0;
  // Least-squares slope of the caller's per-rep scalar (e.g. EMG median
  // frequency) against rep number, units per rep; valid when fatigue_valid.
  double fatigue_slope_per_rep = 0.0;
  bool fatigue_valid = false;
  int reps_dropped = 0;  // reps beyond the tracker's capacity (not in the means)
};

enum class EventType : std::uint8_t {
  rep_started,    // movement qualified as a heel raise (t_s = detection time)
  top_reached,    // concentric over; rep.top_s is provisional
  lowering_started,
  rep_completed,  // rep holds the full record
  hold_completed, // an isometric hold (rep.isometric) completed
  rep_rejected,   // a started movement turned out not to be a rep (e.g. gait)
  rest_measured,  // rep (index, rest_s) of the previous rep is now known
  set_completed,  // set holds the summary
  // rep holds the full record of an earlier rep (same index) whose heel
  // contact was re-timed once the rest after its rebound settled: end_s and
  // what derives from it (eccentric_s, eccentric mean and peak speed). Comes
  // ~0.3-2 s after that rep's rep_completed / hold_completed, only when end_s
  // moved by more than one sample period; the set summary and the next rep's
  // rest_s use it. Appended last: the numbers of the others are unchanged.
  rep_refined,
};

struct Event {
  EventType type = EventType::rep_started;
  double t_s = 0.0;  // stream time (input time stamp) at which it was emitted
  Rep rep;           // valid for rep events
  SetSummary set;    // valid for set_completed
};

// The repetition events' queue: the core fixed-capacity FIFO (overflow is
// counted and reported as capacity_exceeded, never silent).
template <int Capacity>
using EventQueue = ::soleus::EventQueue<Event, Capacity>;

}  // namespace soleus::reps
