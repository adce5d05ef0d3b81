// The sessions and the streaming loop that bench_heel_raise times and
// callgrind_heel_raise counts (one definition for both): simulated foot and
// seated-shank sessions (3 sets of 10 reps, gyro bias up to 3 deg/s) at 100
// and 200 Hz, pushed sample by sample with the events drained as an app would.
#pragma once

#include <cstddef>
#include <vector>

#include "soleus/reps/imu_reps.hpp"
#include "soleus/sim/heel_raise.hpp"

namespace soleus_bench {

// A simulated session's IMU samples as a sensor delivers them: time stamps,
// float acc (m/s^2) and gyro (deg/s), xyz interleaved.
struct ImuSamples {
  std::vector<double> t;
  std::vector<float> acc, gyro;
  std::size_t n = 0;
};

inline ImuSamples imu_samples(const soleus::sim::HeelRaiseSession& s) {
  ImuSamples out;
  out.t = s.t_s;
  out.n = s.size();
  out.acc.reserve(3 * s.size());
  out.gyro.reserve(3 * s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    for (int k = 0; k < 3; ++k) {
      out.acc.push_back(static_cast<float>(s.acc_mps2[i][k]));
      out.gyro.push_back(static_cast<float>(s.gyro_dps[i][k]));
    }
  }
  return out;
}

struct HeelRaiseData : ImuSamples {
  soleus::reps::ImuRepConfig cfg;
};

// which: 0 foot 100 Hz, 1 foot 200 Hz, 2 seated shank 100 Hz, 3 seated shank 200 Hz.
inline const char* heel_raise_session_name(int which) {
  static const char* names[4] = {"foot 100 Hz", "foot 200 Hz", "seated shank 100 Hz", "seated shank 200 Hz"};
  return names[which];
}

inline HeelRaiseData make_heel_raise_data(int which) {
  const double fs = (which & 1) ? 200.0 : 100.0;
  const bool shank = which >= 2;
  soleus::sim::HeelRaiseConfig c;
  c.sample_rate_hz = fs;
  c.n_sets = 3;
  c.reps_per_set = 10;
  c.gyro_bias_max_dps = 3.0;
  if (shank) {
    c.placement = soleus::sim::ImuPlacement::shank;
    c.posture = soleus::sim::Posture::seated;
  }
  HeelRaiseData out;
  static_cast<ImuSamples&>(out) = imu_samples(soleus::sim::generate_heel_raise_session(c, 1));
  out.cfg.segmenter.sample_rate_hz = fs;
  out.cfg.placement = shank ? soleus::reps::ImuPlacement::shank_seated : soleus::reps::ImuPlacement::foot;
  return out;
}

using HeelRaiseChain = soleus::reps::ImuRepCounter<>;

// One pass: init, push every sample, drain, finish. Returns the reps counted.
inline int stream_heel_raise_chain(HeelRaiseChain& ch, const HeelRaiseData& d) {
  (void)ch.init(d.cfg);
  int reps = 0;
  HeelRaiseChain::OutEvent e;
  for (std::size_t i = 0; i < d.n; ++i) {
    ch.push(d.t[i], &d.acc[3 * i], &d.gyro[3 * i]);
    while (ch.pop(e)) reps += e.event.type == soleus::reps::EventType::rep_completed ? 1 : 0;
  }
  (void)ch.finish();
  while (ch.pop(e)) reps += e.event.type == soleus::reps::EventType::rep_completed ? 1 : 0;
  return reps;
}

}  // namespace soleus_bench
