// Posture at rest from one leg-worn IMU, where the placement can tell it, and
// a plain "unknown" where it cannot. Streaming, no heap, any mounting.
//
// What physics allows. At rest the accelerometer measures gravity only, so it
// gives the segment's inclination and nothing else (no heading, no other
// segment). Posture is a configuration of several segments, so one sensor
// tells it only where one segment's inclination separates the postures:
//
//   placement | standing        | sitting, knee ~90 deg | lying           | so it reports
//   ----------+-----------------+-----------------------+-----------------+-----------------------------
//   thigh     | vertical        | horizontal            | horizontal      | standing / sitting_or_lying
//   shank     | vertical        | near vertical (0-30)  | horizontal      | standing_or_sitting / lying_or_leg_raised
//   foot      | flat            | flat (or tilted)      | near vertical   | unknown (see below)
//
//  * A thigh sensor tells standing from sitting, not sitting from lying (the
//    thigh is horizontal in both; the trunk would tell).
//  * A shank sensor tells lying (the shank horizontal) from upright, but not
//    sitting with the knee near 90 deg from standing (the shank is within
//    ~30 deg of vertical in both), nor lying from sitting with the leg raised
//    on a footrest.
//  * A foot sensor tells none reliably: the foot is flat on the floor in
//    standing and in sitting, and a foot tilted under a chair, crossed legs or
//    a foot on a footrest look like lying's upturned foot. It reports unknown.
//
// The segment's "vertical" in the sensor frame is learned, not assumed (the
// mounting is arbitrary): over whole gait cycles the linear acceleration
// averages out (the velocity is periodic), so the mean accelerometer vector
// while walking is gravity at the segment's mean walking orientation, within
// about 10 deg of vertical for the shank and the thigh (both swing roughly
// symmetrically about vertical; Perry & Burnfield 2010). At rest (the
// activity layer's still state) the tilt is the angle between the low-passed
// accelerometer vector and that reference: below upright_max_deg upright,
// above horizontal_min_deg horizontal, in between (reclined, knee extended
// while seated) unknown. 35 deg: sitting's shank (<= 30 deg) and walking's
// mean offset (~10 deg) lie below it; 60 deg: a horizontal segment within 30
// deg of the horizontal (a raised or bent leg while lying).
#pragma once

#include <cmath>

#include "soleus/core/status.hpp"

namespace soleus::imu {

enum class SensorPlacement { foot, shank, thigh };
enum class Posture { unknown, standing, standing_or_sitting, sitting_or_lying, lying_or_leg_raised };

inline const char* name(Posture p) {
  switch (p) {
    case Posture::unknown: return "unknown";
    case Posture::standing: return "standing";
    case Posture::standing_or_sitting: return "standing_or_sitting";
    case Posture::sitting_or_lying: return "sitting_or_lying";
    case Posture::lying_or_leg_raised: return "lying_or_leg_raised";
  }
  return "unknown";
}

struct PostureSettings {
  SensorPlacement placement = SensorPlacement::foot;
  double upright_max_deg = 35.0;
  double horizontal_min_deg = 60.0;
  double reference_tau_s = 30.0;    // averaging time of the walking reference
  double min_walking_s = 20.0;      // walking needed before posture is told (~15 strides)
  double rest_tau_s = 1.0;          // low-pass of the accelerometer at rest
};

inline const PostureSettings kDefaultPostureSettings{};

inline Status validate(const PostureSettings& s) {
  if (!(s.upright_max_deg > 0.0 && s.horizontal_min_deg > s.upright_max_deg && s.horizontal_min_deg <= 90.0))
    return Status::invalid("upright_max_deg, horizontal_min_deg: need 0 < upright < horizontal <= 90");
  if (!(s.reference_tau_s > 0.0 && s.min_walking_s >= 0.0 && s.rest_tau_s > 0.0))
    return Status::invalid("reference_tau_s, min_walking_s, rest_tau_s: must be > 0");
  return Status::success();
}

class PostureTracker {
 public:
  Status init(const PostureSettings& s = kDefaultPostureSettings) {
    const Status st = validate(s);
    if (!st) return st;
    cfg_ = s;
    cos_up_ = static_cast<float>(std::cos(s.upright_max_deg * 3.14159265358979323846 / 180.0));
    cos_hor_ = static_cast<float>(std::cos(s.horizontal_min_deg * 3.14159265358979323846 / 180.0));
    for (int i = 0; i < 3; ++i) ref_[i] = rest_[i] = 0.0f;
    walked_s_ = 0.0;
    posture_ = Posture::unknown;
    return Status::success();
  }

  // One sample: acc (any consistent unit), dt since the previous accepted
  // sample (0 after a gap), walking = a stride within the last stride time,
  // still = the activity layer's still state. Returns the posture (unknown
  // while moving, before enough walking, and for a foot sensor).
  Posture push(const float* acc, double dt, bool walking, bool still) {
    if (cfg_.placement == SensorPlacement::foot) return posture_ = Posture::unknown;
    if (walking && dt > 0.0) {
      const float k = static_cast<float>(dt < cfg_.reference_tau_s ? dt / cfg_.reference_tau_s : 1.0);
      for (int i = 0; i < 3; ++i) ref_[i] += k * (acc[i] - ref_[i]);
      walked_s_ += dt;
    }
    if (!still) {
      for (int i = 0; i < 3; ++i) rest_[i] = acc[i];  // restart the rest average from this sample
      return posture_ = Posture::unknown;
    }
    const float k = static_cast<float>(dt < cfg_.rest_tau_s ? dt / cfg_.rest_tau_s : 1.0);
    for (int i = 0; i < 3; ++i) rest_[i] += k * (acc[i] - rest_[i]);
    if (walked_s_ < cfg_.min_walking_s) return posture_ = Posture::unknown;
    const float dot = ref_[0] * rest_[0] + ref_[1] * rest_[1] + ref_[2] * rest_[2];
    const float n2 = (ref_[0] * ref_[0] + ref_[1] * ref_[1] + ref_[2] * ref_[2]) *
                     (rest_[0] * rest_[0] + rest_[1] * rest_[1] + rest_[2] * rest_[2]);
    if (!(n2 > 0.0f)) return posture_ = Posture::unknown;
    const float c = dot / std::sqrt(n2);  // cos(tilt from the walking vertical)
    const bool thigh = cfg_.placement == SensorPlacement::thigh;
    if (c >= cos_up_) return posture_ = thigh ? Posture::standing : Posture::standing_or_sitting;
    if (c <= cos_hor_) return posture_ = thigh ? Posture::sitting_or_lying : Posture::lying_or_leg_raised;
    return posture_ = Posture::unknown;
  }

  Posture posture() const { return posture_; }
  double walked_s() const { return walked_s_; }
  // Tilt of the segment from its walking vertical, degrees (NaN before a reference).
  double tilt_deg() const {
    const double dot = ref_[0] * rest_[0] + ref_[1] * rest_[1] + ref_[2] * rest_[2];
    const double n2 = (ref_[0] * ref_[0] + ref_[1] * ref_[1] + ref_[2] * ref_[2]) *
                      (rest_[0] * rest_[0] + rest_[1] * rest_[1] + rest_[2] * rest_[2]);
    if (!(n2 > 0.0)) return std::nan("");
    double c = dot / std::sqrt(n2);
    c = c > 1.0 ? 1.0 : (c < -1.0 ? -1.0 : c);
    return std::acos(c) * 180.0 / 3.14159265358979323846;
  }

 private:
  PostureSettings cfg_{};
  float cos_up_ = 0.0f, cos_hor_ = 0.0f;
  float ref_[3] = {0.0f, 0.0f, 0.0f};
  float rest_[3] = {0.0f, 0.0f, 0.0f};
  double walked_s_ = 0.0;
  Posture posture_ = Posture::unknown;
};

}  // namespace soleus::imu
