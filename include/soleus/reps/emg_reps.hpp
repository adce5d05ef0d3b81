// EMG-only repetition mode: heel raises counted from the soleus envelope
// (%MVC) when no IMU is worn. LOWER CONFIDENCE than the IMU chain: a rep is
// an activation burst that rises from rest, plateaus and falls back, so
// isometric contractions and other calf work also count, and the "phases"
// are activation phases (rise, plateau, decline), not the movement's; the
// Rep's *_deg fields hold %MVC and every Rep has source = 1.
//
// Two methods (EmgRepConfig::method); either way the envelope is first
// averaged to rate_hz (a boxcar over whole input samples; an envelope has no
// content above ~10 Hz):
//  * bursts (default): a rep is one activation burst. Hysteresis on the
//    envelope against a tracked rest level: on above rest + max(on_fraction
//    x the recent excursion, min_excursion_pct / 2), off once it stays below
//    rest + max(off_fraction x the recent excursion, min_excursion_pct / 4)
//    for min_off_s; kept when it lasted min_duration_s and rose
//    min_excursion_pct above rest. start_s / end_s are where the envelope
//    crosses rest + boundary_fraction x the excursion; top_s / lower_start_s
//    where it first reaches / last leaves plateau_fraction of it (activation
//    phases). Measured on the coupled-EMG heel-raise simulator
//    (sim/heel_raise_emg.hpp), whose activation steps down through the hold
//    and the lowering, it counts what the angle segmenter could not.
//  * segmenter: the averaged envelope through the angle path's RepCounter
//    (thresholds as fractions of the recent ranges, %MVC in place of
//    degrees). Suits smooth rise-plateau-fall bursts; on stepwise heel-raise
//    activation (concentric > hold > eccentric) it merges and drops reps.
// Streaming, no heap, no exceptions.
#pragma once

#include <cmath>
#include <cstdint>

#include "soleus/core/status.hpp"
#include "soleus/reps/sets.hpp"

namespace soleus::reps {

enum class EmgRepMethod : std::uint8_t { bursts, segmenter };

struct EmgRepConfig {
  EmgRepMethod method = EmgRepMethod::bursts;
  double input_rate_hz = 2000.0;  // envelope sample rate
  double rate_hz = 100.0;         // segmentation rate (boxcar average down to it)
  // Segmenter settings in %MVC: a heel raise drives the soleus to ~20-40 %MVC
  // from < 5 % at rest; smaller bursts are not counted.
  double min_excursion_pct = 8.0;
  double still_band_min_pct = 1.0;
  double min_rest_s = 0.25;
  // bursts method (fractions of the excursion above rest; see the header note)
  double on_fraction = 0.3;
  double off_fraction = 0.2;
  double boundary_fraction = 0.1;
  double plateau_fraction = 0.9;
  double min_off_s = 0.25;         // below the off level this long: burst over
  double min_duration_s = 0.3;     // shorter bursts are not reps
  double rest_time_constant_s = 1.0;  // rest level tracking while idle
  double max_burst_s = 120.0;      // longer: abandoned (re-referenced)
  SetConfig sets{};
};

template <int HistoryCapacity = 2048, int QueueCapacity = 64, int MaxRepsPerSet = 64>
class EmgRepCounter {
 public:
  Status init(const EmgRepConfig& c) {
    if (!(c.input_rate_hz > 0.0)) return Status::invalid("input_rate_hz: must be > 0");
    if (!(c.rate_hz >= 10.0 && c.rate_hz <= c.input_rate_hz)) return Status::invalid("rate_hz: must be in [10, input_rate_hz]");
    if (!(c.min_excursion_pct > 0.0)) return Status::invalid("min_excursion_pct: must be > 0");
    if (!(c.on_fraction > c.off_fraction && c.off_fraction > c.boundary_fraction && c.boundary_fraction > 0.0 &&
          c.plateau_fraction > c.on_fraction && c.plateau_fraction < 1.0))
      return Status::invalid("fractions: need 0 < boundary < off < on < plateau < 1");
    if (!(c.min_off_s >= 0.0 && c.min_duration_s >= 0.0 && c.rest_time_constant_s > 0.0 && c.max_burst_s > 0.0))
      return Status::invalid("min_off_s, min_duration_s >= 0; rest_time_constant_s, max_burst_s > 0");
    factor_ = static_cast<int>(std::lround(c.input_rate_hz / c.rate_hz));
    if (factor_ < 1) factor_ = 1;
    SegmenterConfig sc;
    sc.sample_rate_hz = c.input_rate_hz / factor_;
    sc.min_excursion_deg = c.min_excursion_pct;
    sc.still_band_min_deg = c.still_band_min_pct;
    sc.min_rest_s = c.min_rest_s;
    sc.body_mass_kg = 0.0;  // no heel-rise work from an envelope
    Status st = counter_.init(sc, c.sets);
    if (!st) return st;
    st = sets_.init(c.sets);
    if (!st) return st;
    cfg_ = c;
    n_ = 0;
    k_ = 0;
    sum_ = sum_t_ = 0.0;
    out_.clear();
    hist_n_ = hist_head_ = 0;
    state_ = BState::init;
    have_rest_ = false;
    rest_ = 0.0;
    excursion_ = 2.0 * c.min_excursion_pct;
    t_last_ = 0.0;
    rep_index_ = 0;
    have_prev_ = false;
    dropped_ = 0;
    return Status::success();
  }

  // One envelope sample (%MVC) at t_s (delay-compensated by the caller).
  // NaN samples are skipped (counted by the segmenter when a whole block is bad).
  Status push(double t_s, float pct_mvc) {
    if (factor_ == 0) return Status{StatusCode::not_ready, "emg_reps: call init() first"};
    if (std::isfinite(pct_mvc) && std::isfinite(t_s)) {
      sum_ += pct_mvc;
      sum_t_ += t_s;
      ++n_;
    }
    if (++k_ < factor_) return Status::success();
    k_ = 0;
    if (n_ == 0) return Status{StatusCode::bad_input, "emg_reps: a block of NaN samples skipped"};
    // The block's mean time: the boxcar's own delay is compensated.
    const double tb = sum_t_ / n_, yb = sum_ / n_;
    n_ = 0;
    sum_ = sum_t_ = 0.0;
    if (cfg_.method == EmgRepMethod::segmenter) return counter_.push(tb, yb);
    return burst_step(tb, yb);
  }
  Status finish(double t_s) {
    if (cfg_.method == EmgRepMethod::segmenter) return counter_.finish(t_s);
    return sets_.finish(t_s, out_);
  }

  // Events as RepCounter's, every rep marked source = 1 (EMG only).
  bool pop(Event& e) {
    if (cfg_.method == EmgRepMethod::segmenter) {
      if (!counter_.pop(e)) return false;
    } else if (!out_.pop(e)) {
      return false;
    }
    e.rep.source = 1;
    return true;
  }
  std::uint64_t events_dropped() const {
    return cfg_.method == EmgRepMethod::segmenter ? counter_.events_dropped() : out_.dropped() + dropped_;
  }
  const RepCounter<HistoryCapacity, QueueCapacity, MaxRepsPerSet>& counter() const { return counter_; }
  // bursts method: the tracked rest level and the recent excursion (%MVC).
  double rest_level_pct() const { return rest_; }
  double recent_excursion_pct() const { return excursion_; }

 private:
  enum class BState : std::uint8_t { init, idle, active, ending };
  struct Sample {
    double t, y;
  };

  const Sample& hist(int back) const {  // back = 0: newest
    return hist_[(hist_head_ - 1 - back + 2 * HistoryCapacity) % HistoryCapacity];
  }

  Status put(const Event& e) {
    return sets_.on_event(e, out_);  // overflow counted by the queue
  }

  // One averaged envelope sample through the burst state machine.
  Status burst_step(double t, double y) {
    hist_[hist_head_] = Sample{t, y};
    hist_head_ = (hist_head_ + 1) % HistoryCapacity;
    if (hist_n_ < HistoryCapacity) ++hist_n_;
    const double dt = have_rest_ ? t - t_last_ : 0.0;
    t_last_ = t;
    Status st = Status::success();
    if (state_ == BState::init) {  // first sample: the rest level starts here
      rest_ = y;
      have_rest_ = true;
      state_ = BState::idle;
      return sets_.update(t, out_);
    }
    const double exc = excursion_;
    const double on = rest_ + std::fmax(cfg_.on_fraction * exc, 0.5 * cfg_.min_excursion_pct);
    const double off = rest_ + std::fmax(cfg_.off_fraction * exc, 0.25 * cfg_.min_excursion_pct);
    switch (state_) {
      case BState::init:
      case BState::idle:
        if (y > on) {
          state_ = BState::active;
          b_peak_ = y;
          b_peak_t_ = t;
          b_on_t_ = t;
          b_last_above_t_ = t;
          b_below_start_t_ = t;
          b_back_ = 0;
          Event e;
          e.type = EventType::rep_started;
          e.t_s = t;
          e.rep.index = rep_index_;
          e.rep.start_s = t;
          st = put(e);
        } else if (dt > 0.0) {
          const double a = std::fmin(1.0, dt / cfg_.rest_time_constant_s);
          rest_ += a * (y - rest_);
        }
        break;
      case BState::active:
      case BState::ending:
        ++b_back_;
        if (y > b_peak_) {
          b_peak_ = y;
          b_peak_t_ = t;
        }
        if (y >= off) {
          state_ = BState::active;
          b_last_above_t_ = t;
        } else {
          if (state_ == BState::active) {
            state_ = BState::ending;
            b_below_start_t_ = t;
          }
          if (t - b_below_start_t_ >= cfg_.min_off_s) st = close_burst(t);
        }
        if (state_ != BState::idle && (t - b_on_t_ > cfg_.max_burst_s || b_back_ >= HistoryCapacity - 2)) {
          Event e;
          e.type = EventType::rep_rejected;
          e.t_s = t;
          (void)put(e);
          state_ = BState::idle;
          rest_ = y;
        }
        break;
    }
    const Status s2 = sets_.update(t, out_);
    return st.ok() ? s2 : st;
  }

  // Crossing time of `level` between history samples i+1 (older) and i.
  double crossing(int i, double level) const {
    const Sample& a = hist(i + 1);
    const Sample& b = hist(i);
    const double d = b.y - a.y;
    if (d == 0.0) return b.t;
    double u = (level - a.y) / d;
    u = u < 0.0 ? 0.0 : (u > 1.0 ? 1.0 : u);
    return a.t + u * (b.t - a.t);
  }

  // Upward crossing of `level` at or before history index `first` (the
  // on-crossing sample), searching back at most 2 s.
  double rise_crossing(int first, double level) const {
    int i = first;
    if (hist(i).y <= level) return hist(i).t;
    while (i + 1 < hist_n_ - 1 && hist(i + 1).y > level && hist(i + 1).t > b_on_t_ - 2.0) ++i;
    return crossing(i, level);
  }
  // Downward crossing of `level` after the last sample (from index `first`
  // on) at or above it.
  double fall_crossing(int first, double level) const {
    for (int i = 0; i <= first; ++i)
      if (hist(i).y >= level) return i > 0 ? crossing(i - 1, level) : hist(i).t;
    return hist(first).t;
  }

  Status close_burst(double t) {
    state_ = BState::idle;
    const double exc = b_peak_ - rest_;
    // History index (back from newest) of the first sample of the burst, plus margin.
    const int first = b_back_ < hist_n_ - 2 ? b_back_ : hist_n_ - 2;  // the on-crossing sample
    // Search back from the on-crossing for the boundary level (while the
    // history lasts, within the rest before it).
    const double lb = rest_ + cfg_.boundary_fraction * exc;
    const double lp = rest_ + cfg_.plateau_fraction * exc;
    // Edges: the crossings of f and 3f of the excursion, extrapolated
    // linearly to the rest level (f = boundary_fraction).
    const double f = cfg_.boundary_fraction;
    const double l3 = rest_ + 3.0 * f * exc;
    const double t_f = rise_crossing(first, lb), t_3f = rise_crossing(first, l3);
    double start_t = t_f - 0.5 * (t_3f - t_f);
    if (start_t < t_f - 1.0) start_t = t_f - 1.0;
    const double e_f = fall_crossing(first, lb), e_3f = fall_crossing(first, l3);
    double end_t = e_f + 0.5 * (e_f - e_3f);
    if (end_t > e_f + 1.0) end_t = e_f + 1.0;
    if (end_t > hist(0).t) end_t = hist(0).t;
    double top_t = b_peak_t_;
    for (int i = first; i >= 0; --i)  // first reach of the plateau level
      if (hist(i).y >= lp) {
        top_t = i + 1 <= first ? crossing(i, lp) : hist(i).t;
        break;
      }
    double lower_t = fall_crossing(first, lp);
    if (lower_t < top_t) lower_t = top_t;
    if (end_t < lower_t) end_t = lower_t;
    if (top_t < start_t) top_t = start_t;
    Event e;
    e.t_s = t;
    e.rep.index = rep_index_;
    if (exc < cfg_.min_excursion_pct || end_t - start_t < cfg_.min_duration_s) {
      e.type = EventType::rep_rejected;
      Status s = put(e);
      rest_ += 0.5 * (hist(0).y - rest_);
      return s;
    }
    Rep& r = e.rep;
    r.start_s = start_t;
    r.top_s = top_t;
    r.lower_start_s = lower_t;
    r.end_s = end_t;
    r.concentric_s = top_t - start_t;
    r.hold_s = lower_t - top_t;
    r.eccentric_s = end_t - lower_t;
    r.baseline_deg = rest_;
    r.top_deg = b_peak_;
    r.rom_deg = exc;
    r.source = 1;
    Status st = Status::success();
    if (have_prev_) {
      Event m;
      m.type = EventType::rest_measured;
      m.t_s = t;
      m.rep = prev_;
      // Never negative, as in the IMU segmenter: touching reps have no rest.
      m.rep.rest_s = start_t > prev_.end_s ? start_t - prev_.end_s : 0.0;
      m.rep.rest_known = true;
      st = put(m);
    }
    e.type = EventType::rep_completed;
    const Status s = put(e);
    prev_ = r;
    have_prev_ = true;
    ++rep_index_;
    excursion_ = rep_index_ == 1 ? exc : 0.7 * excursion_ + 0.3 * exc;
    return st.ok() ? s : st;
  }

  EmgRepConfig cfg_{};
  RepCounter<HistoryCapacity, QueueCapacity, MaxRepsPerSet> counter_{};
  SetTracker<MaxRepsPerSet> sets_{};
  EventQueue<QueueCapacity> out_{};
  int factor_ = 0, k_ = 0, n_ = 0;
  double sum_ = 0.0, sum_t_ = 0.0;
  // bursts method
  Sample hist_[HistoryCapacity] = {};
  int hist_n_ = 0, hist_head_ = 0;
  BState state_ = BState::init;
  bool have_rest_ = false, have_prev_ = false;
  double rest_ = 0.0, excursion_ = 0.0, t_last_ = 0.0;
  double b_peak_ = 0.0, b_peak_t_ = 0.0, b_on_t_ = 0.0, b_last_above_t_ = 0.0, b_below_start_t_ = 0.0;
  int b_back_ = 0;
  int rep_index_ = 0;
  Rep prev_{};
  std::uint64_t dropped_ = 0;
};

}  // namespace soleus::reps
