// soleus._core.activity: the IMU activity layer (imu/activity.hpp: strides,
// ankle pumps, stillness, per-minute summaries) run offline as a loop over
// its streaming push(); _activity.py names the columns and builds the tables.
// soleus._core.sim_day: the seeded day simulator (sim/day.hpp) rendered to
// arrays with its truth; sim.py wraps it.
#include <array>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "soleus/imu/activity.hpp"
#include "soleus/sim/day.hpp"

namespace soleus_py {

namespace {

using Arr = py::array_t<double, py::array::c_style | py::array::forcecast>;

void apply_setting(soleus::imu::ActivitySettings& c, const std::string& k, const py::handle& v) {
  const double x = v.cast<double>();
  if (k == "swing_gyro_dps") c.steps.swing_gyro_dps = x;
  else if (k == "stance_gyro_dps") c.steps.still_gyro_dps = x;
  else if (k == "quiet_fraction") c.steps.quiet_fraction = x;
  else if (k == "quiet_s") c.steps.quiet_s = x;
  else if (k == "min_motion_s") c.steps.min_motion_s = x;
  else if (k == "max_motion_s") c.steps.max_motion_s = x;
  else if (k == "pump_deadband_dps") c.pumps.deadband_dps = x;
  else if (k == "pump_min_sweep_deg") c.pumps.min_sweep_deg = x;
  else if (k == "pump_max_sweep_deg") c.pumps.max_sweep_deg = x;
  else if (k == "pump_min_half_s") c.pumps.min_half_s = x;
  else if (k == "pump_max_half_s") c.pumps.max_half_s = x;
  else if (k == "impact_mps2") c.pumps.impact_mps2 = x;
  else if (k == "impact_jerk_mps3") c.pumps.impact_jerk_mps3 = x;
  else if (k == "max_stride_s") c.max_stride_s = x;
  else if (k == "max_pump_gap_s") c.max_pump_gap_s = x;
  else if (k == "pedal_min_lever_m") c.pumps.pedal_min_lever_m = x;
  else if (k == "pedal_min_acc_mps2") c.pumps.pedal_min_acc_mps2 = x;
  else if (k == "still_gyro_dps") c.still_gyro_dps = x;
  else if (k == "still_acc_mps2") c.still_acc_mps2 = x;
  else if (k == "still_s") c.still_s = x;
  else throw py::value_error(k + ": unknown setting for activity");
}

// Rows: minutes [start, active, still, covered, strides, pumps, pedal_cycles,
// cycling_s]; strides [t, motion_start, motion_end, confirmed_at,
// peak_gyro_dps]; pumps and pedal cycles [start, end, range_deg, lever_m];
// still [start, end] (end NaN while still at the end).
py::dict activity(Arr t, Arr acc, Arr gyro, const std::string& acc_unit, const std::string& gyro_unit,
                  const py::dict& settings) {
  soleus::imu::ActivitySettings c;
  if (acc_unit == "m/s2") c.acc_scale = 1.0;
  else if (acc_unit == "g") c.acc_scale = c.gravity_mps2;
  else throw py::value_error("acc_unit: must be 'm/s2' or 'g', not '" + acc_unit + "'");
  if (gyro_unit == "deg/s") c.gyro_unit = soleus::imu::GyroUnit::dps;
  else if (gyro_unit == "rad/s") c.gyro_unit = soleus::imu::GyroUnit::rad_per_s;
  else throw py::value_error("gyro_unit: must be 'deg/s' or 'rad/s', not '" + gyro_unit + "'");
  for (const auto& kv : settings) apply_setting(c, kv.first.cast<std::string>(), kv.second);
  soleus::imu::ActivityDetector d;
  throw_if_error(d.init(c));
  std::vector<std::array<double, 8>> minutes;
  std::vector<std::array<double, 5>> strides;
  std::vector<std::array<double, 4>> pumps, pedals;
  std::vector<std::array<double, 2>> still;
  const auto n = t.shape(0);
  const double* pt = t.data();
  const double* pa = acc.data();
  const double* pg = gyro.data();
  {
    py::gil_scoped_release release;
    soleus::imu::MinuteSummary m;
    auto collect = [&]() {
      while (d.pop_minute(m))
        minutes.push_back({m.start_s, m.active_s, m.still_s, m.covered_s, double(m.strides), double(m.pumps),
                           double(m.pedal_cycles), m.cycling_s});
    };
    for (py::ssize_t i = 0; i < n; ++i) {
      const unsigned f = d.push(pt[i], pa + 3 * i, pg + 3 * i);
      if (f == soleus::imu::kActivityNone) continue;
      if (f & soleus::imu::kActivityStride) {
        const auto& sd = d.step_detector();  // one push may confirm two strides (a bout's slow first one)
        for (int j = 0; j < sd.events(); ++j) {
          const auto& e = sd.event(j);
          strides.push_back({e.t_s, e.motion_start_s, e.motion_end_s, e.confirmed_at_s, double(e.peak_gyro_dps)});
        }
      }
      if (f & (soleus::imu::kActivityPump | soleus::imu::kActivityPedal)) {
        const auto& e = d.last_pump();
        (e.pedal ? pedals : pumps).push_back({e.start_s, e.end_s, double(e.range_deg), double(e.lever_m)});
      }
      if (f & soleus::imu::kActivityStillEntered) still.push_back({d.still_since_s(), NAN});
      if ((f & soleus::imu::kActivityStillLeft) && !still.empty()) still.back()[1] = pt[i];
      if (f & soleus::imu::kActivityMinute) collect();
    }
    d.finish();
    collect();
  }
  py::dict out;
  out["minutes"] = rows_to_array(minutes);
  out["strides"] = rows_to_array(strides);
  out["pumps"] = rows_to_array(pumps);
  out["pedal_cycles"] = rows_to_array(pedals);
  out["still"] = rows_to_array(still);
  out["minutes_dropped"] = d.minutes_dropped();
  return out;
}

void apply_day_setting(soleus::sim::DayConfig& c, const std::string& k, const py::handle& v) {
  if (k == "random_mounting") { c.random_mounting = setting_bool(v, k); return; }
  if (k == "cycling") { c.cycling = setting_bool(v, k); return; }
  const double x = v.cast<double>();
  if (k == "gyro_bias_dps") c.gyro_bias_dps = x;
  else if (k == "gyro_noise_dps") c.gyro_noise_dps = x;
  else if (k == "acc_noise_mps2") c.acc_noise_mps2 = x;
  else if (k == "acc_offset_max_mps2") {
    // 0.2 g: beyond any MEMS datasheet (a larger value is a unit slip).
    if (!(x >= 0.0 && x <= 0.2 * 9.80665)) throw py::value_error("acc_offset_max_mps2: must be within 0..1.96 m/s^2 (0.2 g)");
    c.acc_offset_max_mps2 = x;
  } else if (k == "acc_scale_error_max") {
    if (!(x >= 0.0 && x <= 0.1)) throw py::value_error("acc_scale_error_max: must be within 0..0.1 (a fraction)");
    c.acc_scale_error_max = x;
  }
  else if (k == "jitter_s") c.jitter_s = x;
  else if (k == "w_sit") c.w_sit = x;
  else if (k == "w_sit_pumps") c.w_sit_pumps = x;
  else if (k == "w_stand") c.w_stand = x;
  else if (k == "w_walk") c.w_walk = x;
  else if (k == "w_stairs") c.w_stairs = x;
  else if (k == "w_raises") c.w_raises = x;
  else if (k == "w_cycle") c.w_cycle = x;
  else if (k == "sit_max_s") c.sit_max_s = x;
  else if (k == "stand_min_s") c.stand_s[0] = x;
  else if (k == "stand_max_s") c.stand_s[1] = x;
  else throw py::value_error(k + ": unknown setting for sim.day");
}

// Samples t (n,), acc, gyro (n, 3) float32; truth: bouts rows [kind, start, end,
// strides, pumps, raises, cadence], kind names, active intervals (union), the
// true alert times for alert_s, totals.
py::dict sim_day(double fs_hz, double duration_s, std::uint64_t seed, double alert_s, const py::dict& settings) {
  soleus::sim::DayConfig c;
  if (!(fs_hz >= 20.0 && fs_hz <= 2000.0)) throw py::value_error("fs: must be within 20..2000 Hz");
  if (!(duration_s > 0.0 && duration_s <= 7.0 * 86400.0)) throw py::value_error("hours: must be > 0 and <= 168");
  if (!(alert_s > 0.0)) throw py::value_error("alert_s: must be > 0");
  c.fs_hz = fs_hz;
  c.duration_s = duration_s;
  for (const auto& kv : settings) apply_day_setting(c, kv.first.cast<std::string>(), kv.second);
  if (!(c.stand_s[0] > 0.0 && c.stand_s[0] <= c.stand_s[1]))
    throw py::value_error("stand_min_s, stand_max_s: must satisfy 0 < stand_min_s <= stand_max_s");
  soleus::sim::DaySimulator sim(c, seed);
  const auto n = static_cast<py::ssize_t>(sim.samples());
  py::array_t<double> t(n);
  py::array_t<float> acc({n, py::ssize_t{3}}), gyro({n, py::ssize_t{3}});
  {
    py::gil_scoped_release release;
    double* pt = t.mutable_data();
    float* pa = acc.mutable_data();
    float* pg = gyro.mutable_data();
    for (py::ssize_t i = 0; i < n && sim.next(pt[i], pa + 3 * i, pg + 3 * i); ++i) {
    }
  }
  const soleus::sim::DayTruth& tr = sim.truth();
  std::vector<std::array<double, 7>> bouts;
  for (const auto& b : tr.bouts)
    bouts.push_back({double(static_cast<int>(b.kind)), b.start_s, b.end_s, double(b.strides), double(b.pumps),
                     double(b.raises), b.cadence_steps_per_s});
  py::list kinds;
  for (int k = 0; k <= static_cast<int>(soleus::sim::DayActivity::cycle); ++k)
    kinds.append(soleus::sim::name(static_cast<soleus::sim::DayActivity>(k)));
  py::dict out;
  out["t"] = t;
  out["acc"] = acc;
  out["gyro"] = gyro;
  out["bouts"] = rows_to_array(bouts);
  out["kinds"] = kinds;
  out["active"] = rows_to_array(tr.active);
  out["true_alerts"] = tr.true_alerts(alert_s);
  out["strides"] = tr.strides;
  out["pumps"] = tr.pumps;
  out["raises"] = tr.raises;
  out["start_s"] = tr.start_s;
  out["end_s"] = tr.end_s;
  return out;
}

}  // namespace

void bind_activity(py::module_& m) {
  m.def("activity", &activity, py::arg("t"), py::arg("acc"), py::arg("gyro"), py::arg("acc_unit"),
        py::arg("gyro_unit"), py::arg("settings"));
  m.def("sim_day", &sim_day, py::arg("fs_hz"), py::arg("duration_s"), py::arg("seed"), py::arg("alert_s"),
        py::arg("settings"));
}

}  // namespace soleus_py
