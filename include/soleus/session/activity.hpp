// Daily calf-pump activity over long recordings: the union of activity
// intervals (EMG bursts of the calf channels, completed heel raises), the
// total active time, the longest inactive stretch, and an inactivity alert
// after alert_s without activity ("move every hour"). Intervals arrive as
// the detectors confirm them (a burst's onset opens one, its offset closes
// it). Time lost in stream gaps is not counted as inactive: nobody knows
// what the calf did while the sensor was silent. No heap.
#pragma once

#include <cstdint>

namespace soleus {

struct ActivitySummary {
  double active_s = 0.0;              // union of calf-pump activity intervals
  double soleus_active_s = 0.0;       // union of soleus-channel bursts only
  double longest_inactive_s = 0.0;    // longest stretch without activity (gaps excluded)
  double current_inactive_s = 0.0;    // the stretch in progress (0 while active)
  double last_active_s = 0.0;         // stream time activity was last seen
  std::uint32_t inactivity_alerts = 0;
  std::uint32_t strides = 0;          // IMU strides (one foot's; both feet's steps = 2x)
  std::uint32_t pumps = 0;            // IMU ankle pumps (one dorsi- + one plantar-flexion each)
  bool active_now = false;            // a burst is open
  std::uint32_t pedal_cycles = 0;     // IMU crank turns while cycling (not counted in pumps)
  double cycling_s = 0.0;             // IMU cycling time (also in active_s)
};

class ActivityUnion {
 public:
  void reset(double t0) {
    end_ = t0;
    total_ = 0.0;
    gaps_at_end_ = 0.0;
    longest_ = 0.0;
  }
  // Adds [s, e]; gaps_now is the stream-gap time accumulated so far.
  // Returns the inactive stretch that this interval closed (0 if none).
  double add(double s, double e, double gaps_now) {
    double closed = 0.0;
    if (e <= end_) return 0.0;
    if (s <= end_) {
      total_ += e - end_;
    } else {
      closed = (s - end_) - (gaps_now - gaps_at_end_);
      if (closed < 0.0) closed = 0.0;
      if (closed > longest_) longest_ = closed;
      total_ += e - s;
    }
    end_ = e;
    gaps_at_end_ = gaps_now;
    return closed;
  }
  double end_s() const { return end_; }
  double gaps_at_end() const { return gaps_at_end_; }
  double total_s() const { return total_; }
  double longest_s() const { return longest_; }
  // The stretch in progress at time now.
  double inactive_s(double now, double gaps_now) const {
    const double d = (now - end_) - (gaps_now - gaps_at_end_);
    return d > 0.0 ? d : 0.0;
  }

 private:
  double end_ = 0.0;
  double total_ = 0.0;
  double gaps_at_end_ = 0.0;
  double longest_ = 0.0;
};

}  // namespace soleus
