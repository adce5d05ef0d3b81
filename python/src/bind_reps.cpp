// Bindings for the heel-raise side: the seeded heel-raise session simulator
// (sensor arrays plus ground truth) and the whole IMU repetition chain
// (reps::ImuRepCounter), run offline as a loop over its streaming push().
#include <array>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "session_settings.hpp"
#include "soleus/reps/emg_reps.hpp"
#include "soleus/reps/imu_reps.hpp"
#include "soleus/sim/heel_raise.hpp"
#include "soleus/sim/heel_raise_emg.hpp"

namespace soleus_py {

namespace {

// Set summaries as rows [index, rep_count, partial_count, hold_count, start, end, mean concentric, mean hold,
// mean eccentric, mean rest, mean ROM, time under tension]: the layout _reps.py names (shared by the IMU and
// the EMG-only repetition tables).
py::array_t<double> sets_to_array(const std::vector<soleus::reps::SetSummary>& sets) {
  std::vector<std::array<double, 12>> rows;
  rows.reserve(sets.size());
  for (const auto& s : sets)
    rows.push_back({static_cast<double>(s.index), static_cast<double>(s.rep_count),
                    static_cast<double>(s.partial_count), static_cast<double>(s.hold_count), s.start_s, s.end_s,
                    s.mean_concentric_s, s.mean_hold_s, s.mean_eccentric_s, s.mean_rest_s, s.mean_rom_deg,
                    s.time_under_tension_s});
  return rows_to_array(rows);
}


// The coupled EMG of a generated session (sim/heel_raise_emg.hpp); ek: its settings.
py::dict heel_raise_emg(const soleus::sim::HeelRaiseSession& s, const soleus::sim::HeelRaiseConfig& c,
                        const py::dict& ek, std::uint64_t seed) {
  soleus::sim::HeelRaiseEmgConfig e;
  auto num = [&](const char* k, double& v) {
    if (ek.contains(k) && !ek[k].is_none()) v = ek[k].cast<double>();
  };
  auto levels = [&](const char* k, soleus::sim::PhaseLevels& L) {
    if (!ek.contains(k) || ek[k].is_none()) return;
    const auto d = ek[k].cast<py::dict>();
    for (const auto& kv : d) {
      const auto name = kv.first.cast<std::string>();
      const double v = kv.second.cast<double>();
      if (name == "rest") L.rest = v;
      else if (name == "concentric") L.concentric = v;
      else if (name == "hold") L.hold = v;
      else if (name == "eccentric") L.eccentric = v;
      else throw py::value_error(std::string(k) + ": unknown phase '" + name + "' (rest, concentric, hold, eccentric)");
    }
  };
  num("fs", e.fs_hz);
  num("snr_db", e.snr_db);
  num("mains_hz", e.mains_hz);
  num("mains_amplitude_mv", e.mains_amplitude_mv);
  if (ek.contains("mains_harmonics")) e.mains_harmonics = ek["mains_harmonics"].cast<int>();
  num("knee_flexion_deg", e.knee_flexion_deg);
  num("gastrocnemius_factor_at_90", e.gastrocnemius_factor_at_90);
  num("seated_load_factor", e.seated_load_factor);
  num("level_jitter", e.level_jitter);
  num("lead_s", e.lead_s);
  num("transition_s", e.transition_s);
  num("fatigue_scale_end", e.fatigue_scale_end);
  num("mvc_recording_s", e.mvc_recording_s);
  if (ek.contains("mvc_rms_mv") && !ek["mvc_rms_mv"].is_none()) {
    const auto t = ek["mvc_rms_mv"].cast<std::pair<double, double>>();
    e.mvc_rms_mv = {t.first, t.second};
  }
  levels("soleus_levels", e.soleus);
  levels("gastrocnemius_levels", e.gastrocnemius);
  const std::uint64_t eseed = ek.contains("seed") && !ek["seed"].is_none() ? ek["seed"].cast<std::uint64_t>() : seed;
  soleus::sim::HeelRaiseEmg x;
  {
    py::gil_scoped_release release;
    x = soleus::sim::generate_heel_raise_emg(s, c, e, eseed);
  }
  throw_if_error(x.status);
  const auto m = static_cast<py::ssize_t>(x.size());
  py::array_t<double> t(m), emg({m, py::ssize_t{2}}), act({m, py::ssize_t{2}});
  auto pt = t.mutable_unchecked<1>();
  auto pe = emg.mutable_unchecked<2>();
  auto pa = act.mutable_unchecked<2>();
  for (py::ssize_t i = 0; i < m; ++i) {
    const auto k = static_cast<std::size_t>(i);
    pt(i) = x.t_s[k];
    for (py::ssize_t j = 0; j < 2; ++j) {
      pe(i, j) = x.emg_mv[k][static_cast<std::size_t>(j)];
      pa(i, j) = x.activation_pct[k][static_cast<std::size_t>(j)];
    }
  }
  const auto mv = static_cast<py::ssize_t>(x.mvc_emg_mv.size());
  py::array_t<double> mvc({mv, py::ssize_t{2}});
  auto pm = mvc.mutable_unchecked<2>();
  for (py::ssize_t i = 0; i < mv; ++i)
    for (py::ssize_t j = 0; j < 2; ++j) pm(i, j) = x.mvc_emg_mv[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
  // Per rep: [channel][concentric, hold, eccentric, rest] -> (n_reps, 8).
  const auto nr = static_cast<py::ssize_t>(x.rep_levels.size());
  py::array_t<double> rl({nr, py::ssize_t{8}});
  auto pr = rl.mutable_unchecked<2>();
  for (py::ssize_t i = 0; i < nr; ++i)
    for (int k = 0; k < 2; ++k) {
      const auto& L = x.rep_levels[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)];
      pr(i, 4 * k + 0) = L.concentric;
      pr(i, 4 * k + 1) = L.hold;
      pr(i, 4 * k + 2) = L.eccentric;
      pr(i, 4 * k + 3) = L.rest;
    }
  py::list nominal;
  for (int k = 0; k < 2; ++k) {
    const auto& L = x.levels[static_cast<std::size_t>(k)];
    nominal.append(py::make_tuple(L.concentric, L.hold, L.eccentric, L.rest));
  }
  py::dict d;
  d["t_s"] = t;
  d["emg_mv"] = emg;
  d["activation_pct_mvc"] = act;
  d["mvc_emg_mv"] = mvc;
  d["rep_levels"] = rl;
  d["levels"] = nominal;
  d["fs"] = x.fs_hz;
  d["knee_flexion_deg"] = x.knee_flexion_deg;
  d["mvc_rms_mv"] = py::make_tuple(x.mvc_rms_mv[0], x.mvc_rms_mv[1]);
  d["background_sd_mv"] = py::make_tuple(x.background_sd_mv[0], x.background_sd_mv[1]);
  d["channels"] = py::make_tuple(soleus::sim::heel_raise_emg_channel_name(0), soleus::sim::heel_raise_emg_channel_name(1));
  return d;
}

py::dict heel_raise_session(const py::dict& kw) {
  soleus::sim::HeelRaiseConfig c;
  auto num = [&](const char* k, double& v) {
    if (kw.contains(k)) v = kw[k].cast<double>();
  };
  auto range = [&](const char* k, soleus::sim::Range& r) {
    if (kw.contains(k)) {
      auto t = kw[k].cast<std::pair<double, double>>();
      r.min = t.first;
      r.max = t.second;
    }
  };
  num("fs", c.sample_rate_hz);
  num("start_time_s", c.start_time_s);
  if (kw.contains("placement")) {
    const auto p = kw["placement"].cast<std::string>();
    if (p == "foot") c.placement = soleus::sim::ImuPlacement::foot;
    else if (p == "shank") c.placement = soleus::sim::ImuPlacement::shank;
    else throw py::value_error("placement: must be 'foot' or 'shank', not '" + p + "'");
  }
  if (kw.contains("posture")) {
    const auto p = kw["posture"].cast<std::string>();
    if (p == "standing") c.posture = soleus::sim::Posture::standing;
    else if (p == "seated") c.posture = soleus::sim::Posture::seated;
    else if (p == "wall_sit") c.posture = soleus::sim::Posture::wall_sit;
    else throw py::value_error("posture: must be 'standing', 'seated' or 'wall_sit', not '" + p + "'");
  }
  if (kw.contains("n_sets")) c.n_sets = kw["n_sets"].cast<int>();
  if (kw.contains("reps_per_set")) c.reps_per_set = kw["reps_per_set"].cast<int>();
  num("lead_in_s", c.lead_in_s);
  num("rest_between_sets_s", c.rest_between_sets_s);
  num("tail_s", c.tail_s);
  range("rise_s", c.rise_s);
  range("top_hold_s", c.top_hold_s);
  range("lower_s", c.lower_s);
  range("bottom_rest_s", c.bottom_rest_s);
  range("rom_deg", c.rom_deg);
  num("jitter", c.jitter);
  num("partial_probability", c.partial_probability);
  range("partial_fraction", c.partial_fraction);
  num("isometric_hold_s", c.isometric_hold_s);
  num("sway_deg", c.sway_deg);
  num("dropout_rate_per_s", c.dropout_rate_per_s);
  num("timestamp_jitter_s", c.timestamp_jitter_s);
  num("gyro_noise_dps", c.gyro_noise_dps);
  num("gyro_bias_max_dps", c.gyro_bias_max_dps);
  num("gyro_bias_drift_dps_per_sqrt_s", c.gyro_bias_drift_dps_per_sqrt_s);
  num("acc_noise_mps2", c.acc_noise_mps2);
  if (kw.contains("random_mounting")) c.random_mounting = setting_bool(kw["random_mounting"], "random_mounting");
  // Realistic movement (issue 16): validated by sim::validate, whose messages
  // name the argument.
  if (kw.contains("realistic")) c.realistic = setting_bool(kw["realistic"], "realistic");
  range("countermovement_deg", c.countermovement_deg);
  range("countermovement_s", c.countermovement_s);
  num("quick_set_probability", c.quick_set_probability);
  range("quick_rise_s", c.quick_rise_s);
  range("quick_top_hold_s", c.quick_top_hold_s);
  range("quick_lower_s", c.quick_lower_s);
  range("rebound_deg", c.rebound_deg);
  range("rebound_settle_s", c.rebound_settle_s);
  range("rest_shift_deg", c.rest_shift_deg);
  num("step_bottom_deg", c.step_bottom_deg);
  range("hold_sag_deg", c.hold_sag_deg);
  num("bouncy_set_probability", c.bouncy_set_probability);
  range("bouncy_phase_s", c.bouncy_phase_s);
  range("hold_wobble_dps", c.hold_wobble_dps);
  num("acc_offset_max_mps2", c.acc_offset_max_mps2);
  num("acc_scale_error_max", c.acc_scale_error_max);
  num("between_sets_activity_probability", c.between_sets_activity_probability);
  // Issue 16 simulator switches (off by default; nothing drawn while off).
  if (kw.contains("step_on_off")) c.step_on_off = setting_bool(kw["step_on_off"], "step_on_off");
  if (kw.contains("sway_quiet_stance")) c.sway_quiet_stance = setting_bool(kw["sway_quiet_stance"], "sway_quiet_stance");
  if (kw.contains("activity") && !kw["activity"].is_none()) {
    const auto a = kw["activity"].cast<std::string>();
    if (a == "walking") c.activity = soleus::sim::Activity::walking;
    else if (a == "pedalling") c.activity = soleus::sim::Activity::pedalling;
    else if (a == "sit_to_stand") c.activity = soleus::sim::Activity::sit_to_stand;
    else if (a == "fidgeting") c.activity = soleus::sim::Activity::fidgeting;
    else throw py::value_error("activity: must be None, 'walking', 'pedalling', 'sit_to_stand' or 'fidgeting', not '" + a + "'");
  }
  num("activity_s", c.activity_s);
  const auto seed = kw.contains("seed") ? kw["seed"].cast<std::uint64_t>() : std::uint64_t{1};

  soleus::sim::HeelRaiseSession s;
  {
    py::gil_scoped_release release;
    s = soleus::sim::generate_heel_raise_session(c, seed);
  }
  throw_if_error(s.status);
  const auto n = static_cast<py::ssize_t>(s.size());
  py::array_t<double> t(n), acc({n, py::ssize_t{3}}), gyro({n, py::ssize_t{3}}), angle(n);
  auto pt = t.mutable_unchecked<1>();
  auto pa = acc.mutable_unchecked<2>();
  auto pg = gyro.mutable_unchecked<2>();
  auto pn = angle.mutable_unchecked<1>();
  for (py::ssize_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    pt(i) = s.t_s[k];
    pn(i) = s.angle_deg[k];
    for (py::ssize_t j = 0; j < 3; ++j) {
      pa(i, j) = s.acc_mps2[k][static_cast<std::size_t>(j)];
      pg(i, j) = s.gyro_dps[k][static_cast<std::size_t>(j)];
    }
  }
  const auto nr = static_cast<py::ssize_t>(s.reps.size());
  py::array_t<double> reps({nr, py::ssize_t{7}});
  auto pr = reps.mutable_unchecked<2>();
  for (py::ssize_t i = 0; i < nr; ++i) {
    const auto& r = s.reps[static_cast<std::size_t>(i)];
    pr(i, 0) = r.start_s;
    pr(i, 1) = r.top_s;
    pr(i, 2) = r.lower_start_s;
    pr(i, 3) = r.end_s;
    pr(i, 4) = r.rom_deg;
    pr(i, 5) = r.partial ? 1.0 : 0.0;
    pr(i, 6) = r.set_index;
  }
  const auto ns = static_cast<py::ssize_t>(s.sets.size());
  py::array_t<double> sets({ns, py::ssize_t{5}});
  auto ps = sets.mutable_unchecked<2>();
  for (py::ssize_t i = 0; i < ns; ++i) {
    const auto& st = s.sets[static_cast<std::size_t>(i)];
    ps(i, 0) = st.start_s;
    ps(i, 1) = st.end_s;
    ps(i, 2) = st.first_rep;
    ps(i, 3) = st.n_reps;
    ps(i, 4) = st.isometric ? 1.0 : 0.0;
  }
  py::dict d;
  d["t_s"] = t;
  d["acc_mps2"] = acc;
  d["gyro_dps"] = gyro;
  d["angle_deg"] = angle;
  d["reps"] = reps;
  d["sets"] = sets;
  d["fs"] = s.sample_rate_hz;
  d["sagittal_axis_sensor"] = py::make_tuple(s.sagittal_axis_sensor[0], s.sagittal_axis_sensor[1],
                                             s.sagittal_axis_sensor[2]);
  d["acc_offset_mps2"] = py::make_tuple(s.acc_offset_mps2[0], s.acc_offset_mps2[1], s.acc_offset_mps2[2]);
  d["acc_scale_error"] = py::make_tuple(s.acc_scale_error[0], s.acc_scale_error[1], s.acc_scale_error[2]);
  if (kw.contains("emg") && !kw["emg"].is_none()) d["emg"] = heel_raise_emg(s, c, kw["emg"].cast<py::dict>(), seed);
  return d;
}

// Columns of the table segment_reps returns (order matters: _reps.py names them).
enum RepCol : int {
  kStart, kTop, kLowerStart, kEnd, kConc, kHold, kEcc, kRest, kRestKnown, kBaseline, kTopDeg, kRom,
  kConcPeak, kConcMean, kHoldPeak, kEccPeak, kEccMean, kHeelRise, kWork, kPartial, kIsometric, kSet,
  kCompletedAt, kNumCols
};

// Settings accepted by segment_reps (**settings): each one a field of the
// chain's configuration; anything else is a ValueError naming it.
}  // namespace

bool apply_reps_setting(soleus::reps::ImuRepConfig& c, const std::string& k, const py::handle& v) {
  auto& sg = c.segmenter;
  auto& st = c.sets;
  const std::pair<const char*, double*> nums[] = {
      {"smoothing_cutoff_hz", &sg.smoothing_cutoff_hz}, {"boundary_fraction", &sg.boundary_fraction},
      {"min_excursion_deg", &sg.min_excursion_deg}, {"on_fraction", &sg.on_fraction},
      {"reversal_fraction", &sg.reversal_fraction}, {"noise_k", &sg.noise_k},
      {"still_band_min_deg", &sg.still_band_min_deg}, {"min_rest_s", &sg.min_rest_s},
      {"undershoot_fraction", &sg.undershoot_fraction}, {"min_eccentric_s", &sg.min_eccentric_s},
      {"lone_min_rom_deg", &sg.lone_min_rom_deg},
      {"top_dwell_s", &sg.top_dwell_s}, {"settle_s", &sg.settle_s},
      {"isometric_hold_min_s", &sg.isometric_hold_min_s}, {"max_hold_s", &sg.max_hold_s},
      {"gap_s", &sg.gap_s}, {"mtp_to_ankle_m", &sg.mtp_to_ankle_m}, {"ankle_height_m", &sg.ankle_height_m},
      {"body_mass_kg", &sg.body_mass_kg}, {"set_gap_s", &st.set_gap_s},
      {"partial_fraction", &st.partial_fraction}, {"angle_gain", &c.imu.output_gain},
      {"angle_curvature_per_deg", &c.imu.output_curvature_per_deg},
  };
  for (const auto& n : nums) {
    if (k == n.first) {
      try {
        *n.second = v.cast<double>();
      } catch (const py::cast_error&) {
        throw py::value_error(k + ": expected a number");
      }
      return true;
    }
  }
  return false;
}

namespace {

void apply_setting(soleus::reps::ImuRepConfig& c, const std::string& k, const py::handle& v) {
  if (!apply_reps_setting(c, k, v)) throw py::value_error(k + ": unknown setting for segment_reps");
}

py::dict segment_reps(py::array_t<double, py::array::c_style | py::array::forcecast> t,
                      py::array_t<double, py::array::c_style | py::array::forcecast> acc,
                      py::array_t<double, py::array::c_style | py::array::forcecast> gyro, double fs,
                      const std::string& acc_unit, const std::string& gyro_unit, const std::string& placement,
                      py::object axis, const py::dict& settings) {
  using namespace soleus::reps;
  ImuRepConfig c;
  c.segmenter.sample_rate_hz = fs;
  if (acc_unit == "m/s2") c.imu.orientation.acc_unit = soleus::imu::AccUnit::mps2;
  else if (acc_unit == "g") c.imu.orientation.acc_unit = soleus::imu::AccUnit::g;
  else throw py::value_error("acc_unit: must be 'm/s2' or 'g', not '" + acc_unit + "'");
  if (gyro_unit == "deg/s") c.imu.orientation.gyro_unit = soleus::imu::GyroUnit::dps;
  else if (gyro_unit == "rad/s") c.imu.orientation.gyro_unit = soleus::imu::GyroUnit::rad_per_s;
  else throw py::value_error("gyro_unit: must be 'deg/s' or 'rad/s', not '" + gyro_unit + "'");
  if (placement == "auto") c.placement = ImuPlacement::automatic;
  else if (placement == "foot") c.placement = ImuPlacement::foot;
  else if (placement == "shank") c.placement = ImuPlacement::shank_standing;
  else if (placement == "shank_seated") c.placement = ImuPlacement::shank_seated;
  else throw py::value_error("placement: must be 'auto', 'foot', 'shank' or 'shank_seated', not '" + placement + "'");
  if (!axis.is_none()) {
    const auto a = axis.cast<py::sequence>();
    if (a.size() != 3) throw py::value_error("axis: must be 3 numbers (sensor frame, + = plantar flexion)");
    c.use_explicit_axis = true;
    for (int i = 0; i < 3; ++i) c.axis_sensor[i] = a[static_cast<std::size_t>(i)].cast<double>();
  }
  // Placement defaults first, then the caller's explicit settings win.
  apply_placement_defaults(c);
  c.apply_placement_defaults = false;
  for (const auto& kv : settings) apply_setting(c, kv.first.cast<std::string>(), kv.second);
  const auto n = t.shape(0);
  using Chain = ImuRepCounter<>;
  auto ch = std::make_unique<Chain>();  // large: the segmenter history and the pre-lock ring
  throw_if_error(ch->init(c));
  std::vector<std::array<double, kNumCols>> rows;
  std::vector<int> row_index;  // Rep::index of each row
  std::vector<SetSummary> sets;
  const double* pt = t.data();
  const double* pa = acc.data();
  const double* pg = gyro.data();
  ImuRepState state;
  ImuRepStats stats;
  {
    py::gil_scoped_release release;
    Chain::OutEvent e;
    auto collect = [&]() {
      while (ch->pop(e)) {
        const Event& ev = e.event;
        if (ev.type == EventType::rep_completed || ev.type == EventType::hold_completed) {
          const Rep& r = ev.rep;
          std::array<double, kNumCols> x{};
          x[kStart] = r.start_s; x[kTop] = r.top_s; x[kLowerStart] = r.lower_start_s; x[kEnd] = r.end_s;
          x[kConc] = r.concentric_s; x[kHold] = r.hold_s; x[kEcc] = r.eccentric_s;
          x[kRest] = NAN; x[kRestKnown] = 0.0;
          x[kBaseline] = r.baseline_deg; x[kTopDeg] = r.top_deg; x[kRom] = r.rom_deg;
          x[kConcPeak] = r.concentric_peak_dps; x[kConcMean] = r.concentric_mean_dps; x[kHoldPeak] = r.hold_peak_dps;
          x[kEccPeak] = r.eccentric_peak_dps; x[kEccMean] = r.eccentric_mean_dps;
          x[kHeelRise] = r.heel_rise_m; x[kWork] = r.work_j;
          x[kPartial] = r.partial ? 1.0 : 0.0; x[kIsometric] = r.isometric ? 1.0 : 0.0;
          x[kSet] = -1.0;
          x[kCompletedAt] = ev.t_s;
          rows.push_back(x);
          row_index.push_back(r.index);
        } else if (ev.type == EventType::rest_measured) {
          for (std::size_t i = rows.size(); i-- > 0;) {
            if (row_index[i] == ev.rep.index) {
              rows[i][kRest] = ev.rep.rest_s;
              rows[i][kRestKnown] = 1.0;
              break;
            }
          }
        } else if (ev.type == EventType::rep_refined) {
          // The re-timed heel contact (segmenter.hpp, "heel contact"): the
          // offline table holds the final values.
          for (std::size_t i = rows.size(); i-- > 0;) {
            if (row_index[i] == ev.rep.index) {
              const Rep& r = ev.rep;
              rows[i][kEnd] = r.end_s;
              rows[i][kEcc] = r.eccentric_s;
              rows[i][kEccPeak] = r.eccentric_peak_dps;
              rows[i][kEccMean] = r.eccentric_mean_dps;
              // A contact re-timed past the rep_completed completes the
              // record at this event (end_s <= completed_at_s holds).
              if (r.end_s > rows[i][kCompletedAt]) rows[i][kCompletedAt] = ev.t_s;
              break;
            }
          }
        } else if (ev.type == EventType::set_completed) {
          const SetSummary& s = ev.set;
          sets.push_back(s);
          // The set's reps: final partial flags against the set's median ROM.
          for (std::size_t i = 0; i < rows.size(); ++i) {
            if (rows[i][kSet] < 0.0 && rows[i][kStart] >= s.start_s && rows[i][kEnd] <= s.end_s) {
              rows[i][kSet] = s.index;
              if (rows[i][kIsometric] == 0.0)
                rows[i][kPartial] = is_partial_rep(rows[i][kRom], s.median_rom_deg, c.sets.partial_fraction) ? 1.0 : 0.0;
            }
          }
        }
      }
    };
    for (py::ssize_t i = 0; i < n; ++i) {
      (void)ch->push(pt[i], pa + 3 * i, pg + 3 * i);
      collect();
    }
    (void)ch->finish();
    collect();
    state = ch->state();
    stats = ch->stats();
  }
  py::dict d;
  d["reps"] = rows_to_array(rows);
  d["sets"] = sets_to_array(sets);
  d["axis_found"] = state.axis_found;
  d["axis_explicit"] = state.axis_explicit;
  d["axis_confidence"] = state.axis_confidence;
  d["axis_sensor"] = py::make_tuple(state.axis_sensor[0], state.axis_sensor[1], state.axis_sensor[2]);
  d["gyro_bias_dps"] = py::make_tuple(state.gyro_bias_dps[0], state.gyro_bias_dps[1], state.gyro_bias_dps[2]);
  d["imu_rejected"] = stats.imu_rejected;
  d["events_dropped"] = stats.events_dropped;
  return d;
}

// EMG-only repetitions (reps::EmgRepCounter) from a delay-compensated %MVC
// envelope: rows [start, top, lower_start, end, concentric, hold, eccentric,
// rest (NaN when unknown), baseline %MVC, top %MVC, excursion %MVC, partial,
// isometric, set, completed_at], and the set summaries as segment_reps.
py::dict segment_reps_emg(py::array_t<double, py::array::c_style | py::array::forcecast> t,
                          py::array_t<double, py::array::c_style | py::array::forcecast> pct, double fs,
                          const py::dict& settings) {
  using namespace soleus::reps;
  EmgRepConfig c;
  c.input_rate_hz = fs;
  for (const auto& kv : settings) {
    const auto k = kv.first.cast<std::string>();
    if (k == "method") {
      const auto m = kv.second.cast<std::string>();
      if (m == "bursts") c.method = EmgRepMethod::bursts;
      else if (m == "segmenter") c.method = EmgRepMethod::segmenter;
      else throw py::value_error("method: must be 'bursts' or 'segmenter', not '" + m + "'");
      continue;
    }
    const double v = kv.second.cast<double>();
    if (k == "rate_hz") c.rate_hz = v;
    else if (k == "on_fraction") c.on_fraction = v;
    else if (k == "off_fraction") c.off_fraction = v;
    else if (k == "boundary_fraction") c.boundary_fraction = v;
    else if (k == "plateau_fraction") c.plateau_fraction = v;
    else if (k == "min_off_s") c.min_off_s = v;
    else if (k == "min_duration_s") c.min_duration_s = v;
    else if (k == "rest_time_constant_s") c.rest_time_constant_s = v;
    else if (k == "min_excursion_pct") c.min_excursion_pct = v;
    else if (k == "still_band_min_pct") c.still_band_min_pct = v;
    else if (k == "min_rest_s") c.min_rest_s = v;
    else if (k == "set_gap_s") c.sets.set_gap_s = v;
    else if (k == "partial_fraction") c.sets.partial_fraction = v;
    else throw py::value_error(k + ": unknown setting for segment_reps_emg");
  }
  if (t.shape(0) != pct.shape(0)) throw py::value_error("t and the envelope must have the same length");
  auto rc = std::make_unique<EmgRepCounter<>>();
  throw_if_error(rc->init(c));
  constexpr int kCols = 15;
  std::vector<std::array<double, kCols>> rows;
  std::vector<int> row_index;
  std::vector<SetSummary> sets;
  const auto n = t.shape(0);
  const double* pt = t.data();
  const double* pp = pct.data();
  {
    py::gil_scoped_release release;
    Event ev;
    auto collect = [&]() {
      while (rc->pop(ev)) {
        if (ev.type == EventType::rep_completed || ev.type == EventType::hold_completed) {
          const Rep& r = ev.rep;
          rows.push_back({r.start_s, r.top_s, r.lower_start_s, r.end_s, r.concentric_s, r.hold_s, r.eccentric_s,
                          NAN, r.baseline_deg, r.top_deg, r.rom_deg, r.partial ? 1.0 : 0.0, r.isometric ? 1.0 : 0.0,
                          -1.0, ev.t_s});
          row_index.push_back(r.index);
        } else if (ev.type == EventType::rest_measured) {
          for (std::size_t i = rows.size(); i-- > 0;)
            if (row_index[i] == ev.rep.index) {
              rows[i][7] = ev.rep.rest_s;
              break;
            }
        } else if (ev.type == EventType::set_completed) {
          const SetSummary& s = ev.set;
          sets.push_back(s);
          for (auto& x : rows)
            if (x[13] < 0.0 && x[0] >= s.start_s && x[3] <= s.end_s) {
              x[13] = s.index;
              if (x[12] == 0.0) x[11] = is_partial_rep(x[10], s.median_rom_deg, c.sets.partial_fraction) ? 1.0 : 0.0;
            }
        }
      }
    };
    for (py::ssize_t i = 0; i < n; ++i) {
      (void)rc->push(pt[i], static_cast<float>(pp[i]));
      collect();
    }
    (void)rc->finish(n > 0 ? pt[n - 1] : 0.0);
    collect();
  }
  py::dict d;
  d["reps"] = rows_to_array(rows);
  d["sets"] = sets_to_array(sets);
  d["events_dropped"] = rc->events_dropped();
  return d;
}

}  // namespace

void bind_reps(py::module_& m) {
  m.def("segment_reps_emg", &segment_reps_emg, py::arg("t"), py::arg("pct"), py::arg("fs"), py::arg("settings"));
  m.def("heel_raise_session", &heel_raise_session, py::arg("settings"));
  m.def("segment_reps", &segment_reps, py::arg("t"), py::arg("acc"), py::arg("gyro"), py::arg("fs"),
        py::arg("acc_unit"), py::arg("gyro_unit"), py::arg("placement"), py::arg("axis"), py::arg("settings"));
}

}  // namespace soleus_py
