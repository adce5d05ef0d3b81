// Test input for the Session: a simulated heel-raise IMU session (sim/heel_raise.hpp)
// with matching calf EMG (sim/emg.hpp: one burst per rep, from shortly before
// heel-off to the end of the lowering), both on one clock, and a driver that
// feeds them to a Session in time order with any chunking. Host-only (vectors).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "soleus/session.hpp"
#include "soleus/sim/emg.hpp"
#include "soleus/sim/heel_raise.hpp"

namespace session_sim {

struct Input {
  int channels = 0;
  double emg_fs = 2000.0, imu_fs = 100.0;
  std::vector<double> emg_t;   // n
  std::vector<float> emg;      // n x channels
  std::vector<double> imu_t;   // m
  std::vector<float> acc, gyro;  // m x 3
  soleus::sim::HeelRaiseSession truth;
};

struct Spec {
  int channels = 2;          // soleus, gastrocnemius medialis, ...
  int n_sets = 2;
  int reps_per_set = 6;
  double emg_fs = 2000.0;
  double imu_fs = 100.0;
  std::uint64_t seed = 7;
  double tail_s = 3.0;
  double fatigue_scale_end = 1.0;  // EMG spectrum compression by the end (sim/emg.hpp)
};

inline Input make_input(const Spec& sp) {
  Input in;
  in.channels = sp.channels;
  in.emg_fs = sp.emg_fs;
  in.imu_fs = sp.imu_fs;
  soleus::sim::HeelRaiseConfig hc;
  hc.sample_rate_hz = sp.imu_fs;
  hc.n_sets = sp.n_sets;
  hc.reps_per_set = sp.reps_per_set;
  hc.partial_probability = 0.0;
  hc.tail_s = sp.tail_s;
  in.truth = soleus::sim::generate_heel_raise_session(hc, sp.seed);
  const auto& s = in.truth;
  for (std::size_t i = 0; i < s.size(); ++i) {
    in.imu_t.push_back(s.t_s[i]);
    for (int k = 0; k < 3; ++k) {
      in.acc.push_back(static_cast<float>(s.acc_mps2[i][k]));
      in.gyro.push_back(static_cast<float>(s.gyro_dps[i][k]));
    }
  }
  const double duration = s.t_s.empty() ? 0.0 : s.t_s.back() + 1.0 / sp.imu_fs;
  const std::size_t n = static_cast<std::size_t>(duration * sp.emg_fs);
  in.emg.assign(n * static_cast<std::size_t>(sp.channels), 0.0f);
  in.emg_t.resize(n);
  for (std::size_t i = 0; i < n; ++i) in.emg_t[i] = static_cast<double>(i) / sp.emg_fs;
  for (int c = 0; c < sp.channels; ++c) {
    soleus::sim::EmgSimConfig ec;
    ec.seed = sp.seed * 31u + static_cast<std::uint64_t>(c);
    ec.fs_hz = sp.emg_fs;
    ec.duration_s = static_cast<double>(n) / sp.emg_fs;
    ec.snr_db = 15.0;
    ec.amplitude_mv = c == 0 ? 0.5 : 0.3;
    ec.fatigue_scale_end = sp.fatigue_scale_end;
    for (const auto& r : s.reps) {
      soleus::sim::Burst b;
      b.onset_s = r.start_s - 0.1;
      b.offset_s = r.end_s;
      b.amplitude = 1.0;
      b.ramp_s = 0.05;
      ec.bursts.push_back(b);
    }
    const soleus::sim::EmgSim e = soleus::sim::generate_emg(ec);
    for (std::size_t i = 0; i < n && i < e.emg_mv.size(); ++i)
      in.emg[i * static_cast<std::size_t>(sp.channels) + static_cast<std::size_t>(c)] = static_cast<float>(e.emg_mv[i]);
  }
  return in;
}

// The session bench_session and bench_c_api time (8 EMG channels, IMU at
// 200 Hz, 2 sets of 6 reps): one input, so their figures compare.
inline const Input& benchmark_input() {
  static const Input in = [] {
    Spec sp;
    sp.channels = 8;
    sp.imu_fs = 200.0;
    sp.n_sets = 2;
    sp.reps_per_set = 6;
    return make_input(sp);
  }();
  return in;
}

inline soleus::SessionConfig config_for(const Input& in) {
  soleus::SessionConfig c;
  c.emg_channels = in.channels;
  const soleus::Muscle m[4] = {soleus::Muscle::soleus, soleus::Muscle::gastrocnemius_medialis,
                               soleus::Muscle::gastrocnemius_lateralis, soleus::Muscle::tibialis_anterior};
  const char* names[4] = {"soleus", "gm", "gl", "ta"};
  for (int k = 0; k < in.channels && k < 4; ++k) {
    c.channel[k].muscle = m[k];
    for (int j = 0; names[k][j] != '\0'; ++j) c.channel[k].name[j] = names[k][j];
  }
  c.emg_rate_hz = in.emg_fs;
  c.imu_rate_hz = in.imu_fs;
  c.imu_enabled = !in.imu_t.empty();
  return c;
}

// Feeds the whole input in time order (an IMU sample after every EMG frame
// stamped before it). chunk(i) gives the size of the next EMG block (>= 1);
// IMU samples go one by one (or in the blocks between EMG blocks).
template <typename S>
void drain_into(S& s, std::vector<typename S::Event>& out) {
  typename S::Event e;
  while (s.poll(e)) out.push_back(e);
}

// Events are drained after every push into out; finish() at the end.
template <typename S, typename Chunk>
void feed(S& s, const Input& in, Chunk&& chunk, std::vector<typename S::Event>& out) {
  const std::size_t C = static_cast<std::size_t>(in.channels);
  const std::size_t n = in.emg_t.size(), m = in.imu_t.size();
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    // IMU samples due before the next EMG frame.
    std::size_t j1 = j;
    while (j1 < m && (i >= n || in.imu_t[j1] <= in.emg_t[i])) ++j1;
    if (j1 > j) {
      s.push_imu_block(&in.imu_t[j], &in.acc[3 * j], &in.gyro[3 * j], j1 - j);
      drain_into(s, out);
      j = j1;
    }
    if (i < n) {
      std::size_t k = chunk(i);
      if (k < 1) k = 1;
      // Do not run past the next IMU sample.
      std::size_t lim = i;
      while (lim < n && lim - i < k && (j >= m || in.emg_t[lim] < in.imu_t[j])) ++lim;
      if (lim == i) lim = i + 1;
      if (C > 0) s.push_emg_block(&in.emg_t[i], &in.emg[i * C], lim - i);
      drain_into(s, out);
      i = lim;
    }
  }
  s.finish();
  drain_into(s, out);
}

template <typename S>
std::vector<typename S::Event> drain(S& s) {
  std::vector<typename S::Event> out;
  typename S::Event e;
  while (s.poll(e)) out.push_back(e);
  return out;
}

}  // namespace session_sim
