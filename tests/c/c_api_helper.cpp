// C++ side of the C API test: input generation and the C++ reference run.
#include "c_api_helper.h"

#include <cmath>
#include <memory>
#include <vector>

#include "../cpp/session_sim.hpp"

namespace {

const session_sim::Input& input() {
  static const session_sim::Input in = [] {
    session_sim::Spec sp;
    sp.channels = 2;
    sp.n_sets = 2;
    sp.reps_per_set = 4;
    session_sim::Input x = session_sim::make_input(sp);
    // A few faults, so the fault paths are compared too.
    x.emg[20000 * 2 + 0] = NAN;                 // NaN on the soleus channel
    x.emg_t[30000] = x.emg_t[29999];            // a duplicate stamp
    x.imu_t[700] = x.imu_t[699];                // an IMU duplicate
    return x;
  }();
  return in;
}

}  // namespace

extern "C" int helper_input_get(helper_input* out) {
  if (out == nullptr) return 1;
  const session_sim::Input& in = input();
  out->channels = in.channels;
  out->emg_rate_hz = in.emg_fs;
  out->imu_rate_hz = in.imu_fs;
  out->n_emg = in.emg_t.size();
  out->emg_t = in.emg_t.data();
  out->emg = in.emg.data();
  out->n_imu = in.imu_t.size();
  out->imu_t = in.imu_t.data();
  out->acc = in.acc.data();
  out->gyro = in.gyro.data();
  out->true_reps = static_cast<int>(in.truth.reps.size());
  return 0;
}

extern "C" size_t helper_reference_events(size_t block_frames, helper_event* out, size_t cap) {
  using Sess = soleus::Session<8, 256>;
  const session_sim::Input& in = input();
  auto s = std::make_unique<Sess>();
  if (!s->init(session_sim::config_for(in)).ok()) return 0;
  std::vector<Sess::Event> ev;
  session_sim::feed(*s, in, [&](std::size_t) { return block_frames; }, ev);
  for (std::size_t i = 0; i < ev.size() && i < cap; ++i) {
    const Sess::Event& e = ev[i];
    helper_event& h = out[i];
    h.type = static_cast<int>(e.type);
    h.channel = e.channel;
    h.t_s = e.t_s;
    h.value = e.value;
    h.rep_index = e.rep.index;
    h.rep_start_s = e.rep.start_s;
    h.rep_end_s = e.rep.end_s;
    h.rep_rom_deg = e.rep.rom_deg;
    h.rep_emg_mean_pct_mvc0 = e.emg.mean_pct_mvc[0][soleus::reps::kEmgWholeRep];
    h.set_rep_count = e.set.rep_count;
    h.burst_time_s = e.burst.time_s;
    h.fault_stream = static_cast<int>(e.fault.stream);
    h.fault_kind = static_cast<int>(e.fault.kind);
    h.fault_channel = e.fault.channel;
  }
  return ev.size();
}
