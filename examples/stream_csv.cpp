// Streams a CSV from stdin through a Session and prints its events, one per
// line, as they happen.
//
//   t,emg1,emg2,...          EMG: time (s) and one column per channel (the
//                            first is taken as soleus, the others as "other")
//   t,ax,ay,az,gx,gy,gz      IMU: time (s), acc (m/s^2), gyro (deg/s)
//
// The header line decides which. Options: --rate HZ (nominal sample rate;
// default 2000 for EMG, 100 for IMU), --inactivity S (alert after S seconds
// without calf-pump activity), --range X (EMG saturation level).
//
//   example_stream_csv --rate 1000 < emg.csv
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "soleus/session.hpp"

namespace {

using Sess = soleus::Session<8, 256>;

const char* kind_name(soleus::FaultKind k) {
  static const char* names[] = {"gap", "duplicate", "out_of_order", "clock_reset",
                                "rate_drift", "bad_timestamp", "nonfinite", "saturated"};
  return names[static_cast<int>(k)];
}

void print(const Sess::Event& e) {
  using T = soleus::SessionEventType;
  switch (e.type) {
    case T::rep_completed:
      std::printf("%.3f rep_completed index=%d start=%.3f end=%.3f rom_deg=%.1f concentric_s=%.2f hold_s=%.2f eccentric_s=%.2f\n",
                  e.t_s, e.rep.index, e.rep.start_s, e.rep.end_s, e.rep.rom_deg, e.rep.concentric_s, e.rep.hold_s,
                  e.rep.eccentric_s);
      break;
    case T::hold_completed:
      std::printf("%.3f hold_completed index=%d hold_s=%.1f\n", e.t_s, e.rep.index, e.rep.hold_s);
      break;
    case T::set_completed:
      std::printf("%.3f set_completed index=%d reps=%d mean_rom_deg=%.1f\n", e.t_s, e.set.index, e.set.rep_count,
                  e.set.mean_rom_deg);
      break;
    case T::burst_onset:
      std::printf("%.3f burst_onset channel=%d\n", e.t_s, e.channel);
      break;
    case T::burst_offset:
      std::printf("%.3f burst_offset channel=%d duration_s=%.3f peak_pct=%.1f\n", e.t_s, e.channel, e.burst.duration_s,
                  static_cast<double>(e.burst.peak_pct_mvc));
      break;
    case T::fault:
      std::printf("%.3f fault %s stream=%s channel=%d value=%g\n", e.t_s, kind_name(e.fault.kind),
                  e.fault.stream == soleus::StreamId::emg ? "emg" : "imu", e.fault.channel, e.fault.value);
      break;
    case T::inactivity:
      std::printf("%.3f inactivity inactive_s=%.0f\n", e.t_s, e.value);
      break;
    case T::activity_resumed:
      std::printf("%.3f activity_resumed after_s=%.0f\n", e.t_s, e.value);
      break;
    case T::axis_found:
      std::printf("%.3f axis_found\n", e.t_s);
      break;
    case T::events_dropped:
      std::printf("%.3f events_dropped count=%.0f\n", e.t_s, e.value);
      break;
    default:
      break;  // rep_started, top_reached, ... : live phase, not printed
  }
}

}  // namespace

int main(int argc, char** argv) {
  double rate = 0.0, inactivity = 0.0, range = 0.0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--rate")) rate = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--inactivity")) inactivity = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--range")) range = std::atof(argv[i + 1]);
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  std::string line;
  if (!std::getline(std::cin, line)) {
    std::fprintf(stderr, "empty input\n");
    return 2;
  }
  std::vector<std::string> cols;
  {
    std::stringstream ss(line);
    std::string c;
    while (std::getline(ss, c, ',')) cols.push_back(c);
  }
  const bool imu = cols.size() == 7 && cols[1] == "ax";
  const int channels = imu ? 0 : static_cast<int>(cols.size()) - 1;
  if (!imu && (channels < 1 || channels > 8)) {
    std::fprintf(stderr, "header: expected t,emg1..emg8 or t,ax,ay,az,gx,gy,gz\n");
    return 2;
  }
  soleus::SessionConfig cfg;
  cfg.emg_channels = channels;
  cfg.imu_enabled = imu;
  for (int c = 0; c < channels; ++c) {
    std::snprintf(cfg.channel[c].name, sizeof cfg.channel[c].name, "%s", cols[c + 1].c_str());
    cfg.channel[c].muscle = c == 0 ? soleus::Muscle::soleus : soleus::Muscle::other;
  }
  if (rate > 0.0) (imu ? cfg.imu_rate_hz : cfg.emg_rate_hz) = rate;
  if (inactivity > 0.0) cfg.inactivity_alert_s = inactivity;
  if (range > 0.0) cfg.emg_range = range;
  auto s = std::make_unique<Sess>();
  const soleus::Status st = s->init(cfg);
  if (!st) {
    std::fprintf(stderr, "config: %s\n", st.message);
    return 2;
  }
  Sess::Event e;
  float v[8] = {};
  std::size_t rows = 0;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    // strtod, not a stream: "nan" and "inf" must reach the session as such.
    const char* p = line.c_str();
    char* end = nullptr;
    const double t = std::strtod(p, &end);
    const int n = imu ? 6 : channels;
    for (int k = 0; k < n; ++k) {
      p = end;
      if (*p == ',') ++p;
      v[k] = static_cast<float>(std::strtod(p, &end));
    }
    if (imu) s->push_imu(t, v, v + 3);
    else s->push_emg(t, v);
    ++rows;
    while (s->poll(e)) print(e);
  }
  s->finish();
  while (s->poll(e)) print(e);
  const soleus::ActivitySummary a = s->activity();
  std::fprintf(stderr, "%zu rows; calf-pump activity %.1f min (soleus %.1f min), longest inactive %.1f min\n", rows,
               a.active_s / 60.0, a.soleus_active_s / 60.0, a.longest_inactive_s / 60.0);
  return 0;
}
