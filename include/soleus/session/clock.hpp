// Time-stamp checking of one input stream (EMG frames or IMU samples) for the
// Session: every sample arrives with its own time; this decides whether it is
// accepted and reports, once per occurrence, what was wrong with the clock.
//
//   gap           step > gap_factor x nominal period (dropped packets); the
//                 sample is accepted, the missing time is reported
//   duplicate     same stamp as the last accepted sample: sample dropped
//   out_of_order  stamp before the last accepted one: sample dropped
//   clock_reset   resync_after_samples consecutive backward stamps (the
//                 device clock restarted): the new time line is accepted and
//                 shifted to continue the old one (stream time stays monotonic)
//   rate_drift    the rate measured over drift_window_s differs from the
//                 nominal one by more than drift_tolerance (reported when it
//                 starts; re-armed when it is back within half the tolerance)
//   bad_timestamp NaN/Inf stamp, or a stamp too large to resolve the sample
//                 period (|t| > 2^46 periods: a double's spacing there exceeds
//                 1/64 period, e.g. 3.5e10 s at 2 kHz): sample dropped. Why:
//                 one wild stamp (1e13 s ahead) used to be accepted, and every
//                 later time, shifted to continue it, rounded to the same
//                 double: all "duplicates", the recording lost. Dropping it
//                 keeps the old time line (a huge first stamp likewise: the
//                 next sane stamp starts the stream). The report's value is the
//                 stamp (0 for NaN/Inf).
//
// A run of consecutive rejected samples of one kind is one fault. No heap.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace soleus {

enum class FaultKind : std::uint8_t {
  gap = 0,
  duplicate = 1,
  out_of_order = 2,
  clock_reset = 3,
  rate_drift = 4,
  bad_timestamp = 5,
  nonfinite = 6,  // NaN/Inf sample values (contained, never reach filter states)
  saturated = 7,  // sample at or beyond the configured sensor range
};

enum class StreamId : std::uint8_t { emg = 0, imu = 1 };

struct ClockSettings {
  double rate_hz = 2000.0;
  double gap_factor = 1.5;         // a step longer than this many periods is a gap
  double drift_tolerance = 0.01;   // relative rate error that counts as drift
  double drift_window_s = 10.0;    // rate measured over this much gap-free time
  int resync_after_samples = 16;   // consecutive backward stamps that mean a clock reset
};

// Counters of one stream since construction (or reset()).
struct StreamStats {
  std::uint64_t accepted = 0;          // samples that reached the processing chain
  std::uint64_t gaps = 0;
  std::uint64_t duplicates = 0;        // samples dropped
  std::uint64_t out_of_order = 0;      // samples dropped
  std::uint64_t clock_resets = 0;
  std::uint64_t drift_episodes = 0;
  std::uint64_t bad_timestamps = 0;    // samples dropped
  std::uint64_t nonfinite_samples = 0; // samples with NaN/Inf values (contained)
  std::uint64_t saturated_samples = 0;
  double missing_s = 0.0;              // total time lost in gaps
  double measured_rate_hz = 0.0;       // last drift window's rate (0 until one completed)
  bool drifting = false;
  double last_time_s = 0.0;            // last accepted stream time
};

class StreamClock {
 public:
  void init(const ClockSettings& s) {
    s_ = s;
    period_ = 1.0 / s.rate_hz;
    max_abs_t_ = period_ * 0x1p46;
    reset();
  }
  void reset() {
    st_ = StreamStats{};
    have_ = false;
    offset_ = 0.0;
    last_ = 0.0;
    run_ = 0;
    run_kind_ = FaultKind::gap;
    bad_ts_run_ = false;
    restart_window(0.0);
  }

  // Decides about one stamp. report(kind, t_s, value) is called for each new
  // fault (value: gap seconds, measured rate Hz, or the backward step s).
  // Returns true with the stream time in t_out when the sample is accepted.
  template <typename Report>
  bool admit(double t_raw, double& t_out, Report&& report) {
    double t = t_raw + offset_;
    if (!(std::fabs(t) <= max_abs_t_)) {  // NaN/Inf, or a wild stamp (see the top)
      ++st_.bad_timestamps;
      if (!bad_ts_run_) report(FaultKind::bad_timestamp, last_, std::isfinite(t_raw) ? t_raw : 0.0);
      bad_ts_run_ = true;
      return false;
    }
    bad_ts_run_ = false;
    if (!have_) {
      have_ = true;
      accept(t);
      restart_window(t);
      t_out = t;
      return true;
    }
    const double dt = t - last_;
    if (!(dt > 0.0)) {
      const FaultKind k = dt == 0.0 ? FaultKind::duplicate : FaultKind::out_of_order;
      if (k == FaultKind::duplicate) ++st_.duplicates; else ++st_.out_of_order;
      if (run_ == 0 || k != run_kind_) report(k, last_, dt);
      run_kind_ = k;
      ++run_;
      if (k == FaultKind::out_of_order && run_ >= s_.resync_after_samples) {
        // The device clock went back for good: continue the old time line.
        const double shift = last_ + period_ - t;
        offset_ += shift;
        t = last_ + period_;
        ++st_.clock_resets;
        report(FaultKind::clock_reset, t, -shift);
        run_ = 0;
        accept(t);
        restart_window(t);
        t_out = t;
        return true;
      }
      return false;
    }
    run_ = 0;
    if (dt > s_.gap_factor * period_) {
      ++st_.gaps;
      st_.missing_s += dt - period_;
      report(FaultKind::gap, last_, dt - period_);
      restart_window(t);
    } else {
      ++wn_;
      const double span = t - w0_;
      if (span >= s_.drift_window_s) {
        const double rate = static_cast<double>(wn_) / span;
        st_.measured_rate_hz = rate;
        const double dev = std::fabs(rate * period_ - 1.0);
        if (!st_.drifting && dev > s_.drift_tolerance) {
          st_.drifting = true;
          ++st_.drift_episodes;
          report(FaultKind::rate_drift, t, rate);
        } else if (st_.drifting && dev < 0.5 * s_.drift_tolerance) {
          st_.drifting = false;
        }
        restart_window(t);
      }
    }
    accept(t);
    t_out = t;
    return true;
  }

  // Block admission, the usual case in one pass. clean_block() is true when
  // admit() would accept each of the n stamps without a report and without
  // touching the drift window: the stream has started, every step (t_raw +
  // offset, from the previous stamp, or from the last accepted one for the
  // first) is > 0 and <= gap_factor periods (which also rules out NaN/Inf),
  // and the last stream time is still inside the current drift window (t - w0
  // is monotonic in t, so the last one decides). It writes the stream times
  // to t_out and changes no state; accept_clean(n, t_out[n - 1]) then leaves
  // the state exactly as n admit() calls would. When it is false the caller
  // falls back to admit() frame by frame, which reports what is wrong. Why:
  // admit() is a chain of data-dependent branches per frame; this is one
  // branch-free pass the compiler vectorises.
  bool clean_block(const double* t_raw, std::size_t n, double* t_out) const {
    if (!have_ || n == 0) return false;
    const double lim = s_.gap_factor * period_;
    const double off = offset_;
    // The same additions and subtractions admit() performs.
    int bad = 0;
    {
      const double t = t_raw[0] + off;
      const double dt = t - last_;
      bad |= static_cast<int>(!(dt > 0.0)) | static_cast<int>(!(dt <= lim));
      t_out[0] = t;
    }
    for (std::size_t k = 1; k < n; ++k) {
      const double t = t_raw[k] + off;
      const double dt = t - (t_raw[k - 1] + off);
      bad |= static_cast<int>(!(dt > 0.0)) | static_cast<int>(!(dt <= lim));
      t_out[k] = t;
    }
    // Sane steps from a resolvable last time can still creep past the limit
    // (after ~1e10 s); admit() decides then. Steps are > 0 here, so the ends
    // bound |t|.
    bad |= static_cast<int>(!(std::fabs(t_out[0]) <= max_abs_t_)) |
           static_cast<int>(!(std::fabs(t_out[n - 1]) <= max_abs_t_));
    if (bad != 0) return false;
    return t_out[n - 1] - w0_ < s_.drift_window_s;  // else a drift window ends inside
  }
  void accept_clean(std::size_t n, double t_last) {
    bad_ts_run_ = false;
    run_ = 0;
    wn_ += n;
    last_ = t_last;
    st_.last_time_s = t_last;
    st_.accepted += n;
  }

  const StreamStats& stats() const { return st_; }
  StreamStats& stats() { return st_; }
  double period_s() const { return period_; }
  bool started() const { return have_; }
  double last_time_s() const { return last_; }

 private:
  void accept(double t) {
    last_ = t;
    st_.last_time_s = t;
    ++st_.accepted;
  }
  void restart_window(double t) {
    w0_ = t;
    wn_ = 0;
  }

  ClockSettings s_{};
  StreamStats st_{};
  double period_ = 0.0005;
  double max_abs_t_ = 0.0005 * 0x1p46;  // stamps beyond cannot resolve the period
  bool have_ = false;
  double offset_ = 0.0;
  double last_ = 0.0;
  int run_ = 0;
  FaultKind run_kind_ = FaultKind::gap;
  bool bad_ts_run_ = false;
  double w0_ = 0.0;
  std::uint64_t wn_ = 0;
};

}  // namespace soleus
