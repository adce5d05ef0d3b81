// EMG-only repetition mode: heel raises counted from the soleus envelope
// (%MVC) when no IMU is worn. LOWER CONFIDENCE than the IMU chain: a rep is
// an activation burst that rises from rest, plateaus and falls back, so
// isometric contractions and other calf work also count, and the "phases"
// are activation phases (rise, plateau, decline), not the movement's; the
// Rep's *_deg fields hold %MVC and every Rep has source = 1.
//
// Same engine as the angle path (one piece of logic): the envelope is
// averaged to rate_hz (a boxcar over whole input samples: the segmenter
// and its 2048-sample history are sized for 50-400 Hz, and an envelope has
// no content above ~10 Hz) and fed to the RepCounter, whose thresholds
// (fractions of the recent ranges, floored by the measured noise) apply
// unchanged with %MVC in place of degrees. Streaming, no heap, no exceptions.
#pragma once

#include <cmath>
#include <cstdint>

#include "soleus/core/status.hpp"
#include "soleus/reps/sets.hpp"

namespace soleus::reps {

struct EmgRepConfig {
  double input_rate_hz = 2000.0;  // envelope sample rate
  double rate_hz = 100.0;         // segmentation rate (boxcar average down to it)
  // Segmenter settings in %MVC: a heel raise drives the soleus to ~20-40 %MVC
  // from < 5 % at rest; smaller bursts are not counted.
  double min_excursion_pct = 8.0;
  double still_band_min_pct = 1.0;
  double min_rest_s = 0.25;
  SetConfig sets{};
};

template <int HistoryCapacity = 2048, int QueueCapacity = 64, int MaxRepsPerSet = 64>
class EmgRepCounter {
 public:
  Status init(const EmgRepConfig& c) {
    if (!(c.input_rate_hz > 0.0)) return Status::invalid("input_rate_hz: must be > 0");
    if (!(c.rate_hz >= 10.0 && c.rate_hz <= c.input_rate_hz)) return Status::invalid("rate_hz: must be in [10, input_rate_hz]");
    if (!(c.min_excursion_pct > 0.0)) return Status::invalid("min_excursion_pct: must be > 0");
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
    cfg_ = c;
    n_ = 0;
    sum_ = sum_t_ = 0.0;
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
    const Status st = counter_.push(sum_t_ / n_, sum_ / n_);
    n_ = 0;
    sum_ = sum_t_ = 0.0;
    return st;
  }
  Status finish(double t_s) { return counter_.finish(t_s); }

  // Events as RepCounter's, every rep marked source = 1 (EMG only).
  bool pop(Event& e) {
    if (!counter_.pop(e)) return false;
    e.rep.source = 1;
    return true;
  }
  std::uint64_t events_dropped() const { return counter_.events_dropped(); }
  const RepCounter<HistoryCapacity, QueueCapacity, MaxRepsPerSet>& counter() const { return counter_; }

 private:
  EmgRepConfig cfg_{};
  RepCounter<HistoryCapacity, QueueCapacity, MaxRepsPerSet> counter_{};
  int factor_ = 0, k_ = 0, n_ = 0;
  double sum_ = 0.0, sum_t_ = 0.0;
};

}  // namespace soleus::reps
