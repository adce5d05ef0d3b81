// Sets of heel raises: groups the segmenter's reps into sets (a rest longer
// than set_gap_s closes a set), finalises the partial-rep flags against the
// set's median range, and summarises each set: rep count, mean phase times,
// time under tension, tempo-target adherence, isometric holds and a fatigue
// trend (slope of a per-rep scalar the caller supplies, e.g. EMG median
// frequency). `RepCounter` composes Segmenter + SetTracker behind one event
// queue: push angle samples, poll events.
//
// No heap: a set holds at most MaxRepsPerSet reps; more are counted in
// SetSummary::reps_dropped and the summary says so.
#pragma once

#include <algorithm>
#include <cmath>

#include "soleus/core/status.hpp"
#include "soleus/dsp/lsq_slope.hpp"
#include "soleus/reps/segmenter.hpp"
#include "soleus/reps/types.hpp"

namespace soleus::reps {

struct SetConfig {
  double set_gap_s = 15.0;        // a rest longer than this closes the set
  double partial_fraction = 0.6;  // rom < this x median ROM of the set: partial
  TempoTarget tempo{};            // adherence is reported when any bound is set
};

// True when the rep's phases are all inside the target (+/- tolerance).
inline bool tempo_ok(const Rep& r, const TempoTarget& g) {
  auto in = [&](double v, double lo, double hi) {
    if (lo > 0.0 && v < lo - g.tolerance_s) return false;
    if (hi >= 0.0 && v > hi + g.tolerance_s) return false;
    return true;
  };
  return in(r.concentric_s, g.concentric_min_s, g.concentric_max_s) &&
         in(r.hold_s, g.hold_min_s, g.hold_max_s) && in(r.eccentric_s, g.eccentric_min_s, g.eccentric_max_s);
}
// The partial-rep rule (used for the provisional flag at rep_completed, the
// final flags at set close, and by offline callers that rebuild a table).
inline bool is_partial_rep(double rom_deg, double median_rom_deg, double partial_fraction) {
  return rom_deg < partial_fraction * median_rom_deg;
}

inline bool tempo_has_bounds(const TempoTarget& g) {
  return g.concentric_min_s > 0.0 || g.concentric_max_s >= 0.0 || g.hold_min_s > 0.0 || g.hold_max_s >= 0.0 ||
         g.eccentric_min_s > 0.0 || g.eccentric_max_s >= 0.0;
}

template <int MaxRepsPerSet = 64>
class SetTracker {
  static_assert(MaxRepsPerSet >= 1, "a set holds at least one rep");

 public:
  Status init(const SetConfig& c) {
    if (!(c.set_gap_s > 0.0)) return Status::invalid("set_gap_s: must be > 0");
    if (!(c.partial_fraction > 0.0 && c.partial_fraction < 1.0))
      return Status::invalid("partial_fraction: must be in (0, 1)");
    if (!(c.tempo.tolerance_s >= 0.0)) return Status::invalid("tempo.tolerance_s: must be >= 0");
    cfg_ = c;
    n_ = 0;
    dropped_ = 0;
    open_ = false;
    in_progress_ = false;
    set_index_ = 0;
    return Status::success();
  }
  const SetConfig& config() const { return cfg_; }

  // Passes a segmenter event through: updates the set, sets the provisional
  // partial flag of a completed rep, and closes the previous set when the
  // new rep starts after a long rest. Pushes the (possibly amended) event
  // and any set_completed to `out`. Returns capacity_exceeded on overflow.
  template <int Q>
  Status on_event(Event e, EventQueue<Q>& out) {
    Status st = Status::success();
    auto put = [&](const Event& ev) {
      Status s = out.push(ev);
      if (!s && st.ok()) st = s;
    };
    if (e.type == EventType::rep_started) in_progress_ = true;
    if (e.type == EventType::rep_rejected) in_progress_ = false;
    if (e.type == EventType::rep_completed || e.type == EventType::hold_completed) {
      in_progress_ = false;
      if (open_ && e.rep.start_s - last_end_s_ > cfg_.set_gap_s) close(e.t_s, put);
      if (!open_) {
        open_ = true;
        n_ = 0;
        dropped_ = 0;
      }
      if (e.type == EventType::rep_completed) {
        const double med = median_rom();
        e.rep.partial = n_reps() > 0 && is_partial_rep(e.rep.rom_deg, med, cfg_.partial_fraction);
      }
      if (n_ < MaxRepsPerSet) {
        reps_[n_] = e.rep;
        scalar_[n_] = NAN;
        ++n_;
      } else {
        ++dropped_;
      }
      last_end_s_ = e.rep.end_s;
      put(e);
      return st;
    }
    if (e.type == EventType::rep_refined) {
      // The re-timed heel contact of a rep of the open set: the set keeps
      // its own rest and partial flag, the event carries them too.
      for (int i = 0; i < n_; ++i) {
        if (reps_[i].index == e.rep.index && open_) {
          e.rep.partial = reps_[i].partial;
          e.rep.rest_s = reps_[i].rest_s;
          e.rep.rest_known = reps_[i].rest_known;
          reps_[i] = e.rep;
          if (i == n_ - 1) last_end_s_ = e.rep.end_s;
          break;
        }
      }
      put(e);
      return st;
    }
    if (e.type == EventType::rest_measured) {
      for (int i = 0; i < n_; ++i) {
        if (reps_[i].index == e.rep.index && open_) {
          reps_[i].rest_s = e.rep.rest_s;
          reps_[i].rest_known = true;
          put(e);
          return st;
        }
      }
      return st;  // rest across a set boundary is the set rest, not a rep rest
    }
    put(e);
    return st;
  }

  // Advances time: closes the open set once the rest exceeds set_gap_s.
  // A rep in progress (e.g. a long isometric hold) keeps the set open;
  // whether it belongs to it is decided by its start time on completion.
  bool closes_at(double t_s) const { return open_ && !in_progress_ && t_s - last_end_s_ > cfg_.set_gap_s; }
  template <int Q>
  Status update(double t_s, EventQueue<Q>& out) {
    Status st = Status::success();
    if (closes_at(t_s)) {
      close(t_s, [&](const Event& ev) {
        Status s = out.push(ev);
        if (!s && st.ok()) st = s;
      });
    }
    return st;
  }

  // End of the recording: closes the open set now.
  template <int Q>
  Status finish(double t_s, EventQueue<Q>& out) {
    Status st = Status::success();
    if (open_) {
      close(t_s, [&](const Event& ev) {
        Status s = out.push(ev);
        if (!s && st.ok()) st = s;
      });
    }
    return st;
  }

  // Fatigue hook: the caller's per-rep scalar (e.g. EMG median frequency of
  // the rep, Hz) for the rep with this index in the open set. The set summary
  // reports its least-squares slope per rep.
  Status set_rep_scalar(int rep_index, double value) {
    for (int i = 0; i < n_; ++i) {
      if (reps_[i].index == rep_index) {
        scalar_[i] = value;
        return Status::success();
      }
    }
    return Status::invalid("rep_index: not a rep of the open set");
  }

  bool set_open() const { return open_; }
  int reps_in_open_set() const { return n_; }
  const Rep& rep(int i) const { return reps_[i]; }
  // The last closed set's reps with final partial flags (valid until the
  // next set closes... and the next rep arrives).
  const SetSummary& last_summary() const { return last_; }

 private:
  int n_reps() const {
    int k = 0;
    for (int i = 0; i < n_; ++i) k += reps_[i].isometric ? 0 : 1;
    return k;
  }
  double median_rom() const {
    double a[MaxRepsPerSet];
    int k = 0;
    for (int i = 0; i < n_; ++i)
      if (!reps_[i].isometric) a[k++] = reps_[i].rom_deg;
    if (k == 0) return 0.0;
    std::nth_element(a, a + k / 2, a + k);
    const double hi = a[k / 2];
    if (k % 2) return hi;
    const double lo = *std::max_element(a, a + k / 2);
    return 0.5 * (lo + hi);
  }

  template <typename Put>
  void close(double t_s, Put&& put) {
    SetSummary s;
    s.index = set_index_++;
    s.reps_dropped = dropped_;
    const double med = median_rom();
    s.median_rom_deg = med;
    int reps = 0, adher = 0, rests = 0;
    double sc = 0, sh = 0, se = 0, sr = 0, srom = 0;
    // Fatigue: least squares of scalar vs rep number over reps that have one.
    double xs[MaxRepsPerSet], ys[MaxRepsPerSet];  // per-rep fatigue scalar over rep number
    std::size_t n_fit = 0;  // reps without a scalar are left out
    const bool tempo = tempo_has_bounds(cfg_.tempo);
    for (int i = 0; i < n_; ++i) {
      Rep& r = reps_[i];
      if (i == 0) s.start_s = r.start_s;
      s.end_s = r.end_s;
      if (r.isometric) {
        ++s.hold_count;
        s.total_hold_s += r.hold_s;
        if (r.hold_s > s.longest_hold_s) s.longest_hold_s = r.hold_s;
        continue;
      }
      r.partial = is_partial_rep(r.rom_deg, med, cfg_.partial_fraction);
      s.partial_count += r.partial ? 1 : 0;
      ++reps;
      sc += r.concentric_s;
      sh += r.hold_s;
      se += r.eccentric_s;
      srom += r.rom_deg;
      s.total_work_j += r.work_j;
      if (r.rest_known && i + 1 < n_) { sr += r.rest_s; ++rests; }
      if (tempo && tempo_ok(r, cfg_.tempo)) ++adher;
      if (std::isfinite(scalar_[i])) {
        xs[n_fit] = reps - 1;
        ys[n_fit] = scalar_[i];
        ++n_fit;
      }
    }
    s.rep_count = reps;
    if (reps > 0) {
      s.mean_concentric_s = sc / reps;
      s.mean_hold_s = sh / reps;
      s.mean_eccentric_s = se / reps;
      s.mean_rom_deg = srom / reps;
      s.time_under_tension_s = sc + sh + se;
      if (tempo) s.tempo_adherence = static_cast<double>(adher) / reps;
    }
    if (rests > 0) s.mean_rest_s = sr / rests;
    if (n_fit >= 3) {
      const Result<double> slope = dsp::lsq_slope(xs, ys, n_fit);
      if (slope.ok()) {
        s.fatigue_slope_per_rep = slope.value;
        s.fatigue_valid = true;
      }
    }
    last_ = s;
    open_ = false;
    Event e;
    e.type = EventType::set_completed;
    e.t_s = t_s;
    e.set = s;
    put(e);
  }

  SetConfig cfg_{};
  Rep reps_[MaxRepsPerSet];
  double scalar_[MaxRepsPerSet] = {};
  int n_ = 0;
  int dropped_ = 0;
  bool open_ = false;
  bool in_progress_ = false;
  int set_index_ = 0;
  double last_end_s_ = 0.0;
  SetSummary last_{};
};

// Segmenter + SetTracker behind one queue: the object an app or the Session
// holds. push() per sample (or push_block), then pop() events.
template <int HistoryCapacity = 2048, int QueueCapacity = 64, int MaxRepsPerSet = 64>
class RepCounter {
 public:
  Status init(const SegmenterConfig& seg, const SetConfig& sets) {
    Status st = seg_.init(seg);
    if (!st) return st;
    return sets_.init(sets);
  }

  Status push(double t_s, double angle_deg) { return push(t_s, angle_deg, std::nan("")); }
  // With the IMU's specific-force magnitude |a| (m/s^2; NaN: unknown), for
  // the segmenter's carried-movement rule (segmenter.hpp).
  Status push(double t_s, double angle_deg, double acc_norm_mps2) {
    return push(t_s, angle_deg, acc_norm_mps2, std::nan(""));
  }
  // And the off-axis angular rate (deg/s; NaN: unknown), for the
  // segmenter's hold-wobble rule (segmenter.hpp, "Hold wobble").
  Status push(double t_s, double angle_deg, double acc_norm_mps2, double off_axis_dps) {
    return push(t_s, angle_deg, acc_norm_mps2, off_axis_dps, std::nan(""));
  }
  // And the angular rate about the sagittal axis (deg/s, the angle's scale;
  // NaN: unknown), for the segmenter's rule on rises the gyro does not
  // account for (segmenter.hpp, "Rose without turning").
  Status push(double t_s, double angle_deg, double acc_norm_mps2, double off_axis_dps, double rate_dps) {
    return push(t_s, angle_deg, acc_norm_mps2, off_axis_dps, rate_dps, std::nan(""));
  }
  // And the sensor's displacement since it was last at rest (m; NaN:
  // unknown), for the segmenter's stride rule (segmenter.hpp, "Strides").
  Status push(double t_s, double angle_deg, double acc_norm_mps2, double off_axis_dps, double rate_dps,
              double moved_m) {
    Status st = seg_.push(t_s, angle_deg, acc_norm_mps2, off_axis_dps, rate_dps, moved_m, stage_);
    Status st2 = drain(t_s);
    if (!st.ok() && st.code != StatusCode::capacity_exceeded) return st;
    return st2.ok() ? st : st2;
  }
  Status push_block(const double* t_s, const double* angle_deg, int n) {
    Status first = Status::success();
    for (int i = 0; i < n; ++i) {
      Status st = push(t_s[i], angle_deg[i]);
      if (!st && first.ok()) first = st;
    }
    return first;
  }
  // End of the stream: a lone rep still held back (segmenter.hpp) is
  // dropped, then the open set is closed.
  Status finish(double t_s) {
    seg_.finish(t_s, stage_);
    (void)drain(t_s);
    return sets_.finish(t_s, out_);
  }

  // A completion the segmenter holds for its heel-strike window is judged
  // now and its events queued (Segmenter::settle): call before init() when
  // the stream goes on, so that a rep already accepted is not lost.
  Status settle(double t_s) {
    seg_.settle(stage_);
    return drain(t_s);
  }

  bool pop(Event& e) { return out_.pop(e); }
  int pending() const { return out_.size(); }
  // Events lost because the caller polled too rarely.
  std::uint64_t events_dropped() const { return out_.dropped() + stage_.dropped(); }

  Status set_rep_scalar(int rep_index, double value) { return sets_.set_rep_scalar(rep_index, value); }
  const Segmenter<HistoryCapacity>& segmenter() const { return seg_; }
  const SetTracker<MaxRepsPerSet>& sets() const { return sets_; }

 private:
  // Most samples emit nothing and close no set: that test is inlined into
  // push() (issue 16: the out-of-line call's register saves and restores
  // were ~40 instructions on every sample, callgrind); the rest is not.
  SOLEUS_ALWAYS_INLINE Status drain(double t_s) {
    if (SOLEUS_LIKELY(stage_.empty() && !sets_.closes_at(t_s))) return Status::success();
    return drain_events(t_s);
  }
  SOLEUS_NOINLINE Status drain_events(double t_s) {
    Status st = Status::success();
    // Skip constructing an Event (~400 bytes) when only the set closes.
    if (!stage_.empty()) {
      Event e;
      while (stage_.pop(e)) {
        Status s = sets_.on_event(e, out_);
        if (!s && st.ok()) st = s;
      }
    }
    Status s = sets_.update(t_s, out_);
    if (!s && st.ok()) st = s;
    return st;
  }

  Segmenter<HistoryCapacity> seg_;
  SetTracker<MaxRepsPerSet> sets_;
  EventQueue<8> stage_;  // at most a few events per sample
  EventQueue<QueueCapacity> out_;
};

}  // namespace soleus::reps
