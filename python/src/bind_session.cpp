// Bindings for soleus::Session<8, 256> (the same instantiation as the C API):
// the engine behind soleus.Session and soleus.analyze (python/soleus/_session.py,
// python/soleus/analysis.py). Configuration from keyword settings (names = the
// SessionConfig fields; nested EMG settings by soleus.EmgProcessor's names,
// repetition settings by segment_reps' names), events as dicts, live state as
// dicts. Array checks (shape, dtype) happen in Python; here arrays arrive
// C-contiguous (float64 times, float32 samples). Block pushes release the GIL.
// run() is the offline driver of soleus.analyze: the whole recording pushed
// in time order (EMG and IMU interleaved), with the live state sampled along
// the way for the plots; it is a loop over the same push calls.
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "session_settings.hpp"
#include "soleus/session.hpp"

namespace soleus_py {

namespace {

using Sess = soleus::Session<8, 256>;
using Ev = Sess::Event;
constexpr int kMaxCh = Sess::kMaxEmgChannels;

const char* event_name(soleus::SessionEventType t) {
  using T = soleus::SessionEventType;
  switch (t) {
    case T::rep_started: return "rep_started";
    case T::top_reached: return "top_reached";
    case T::lowering_started: return "lowering_started";
    case T::rep_completed: return "rep_completed";
    case T::hold_completed: return "hold_completed";
    case T::rep_rejected: return "rep_rejected";
    case T::rest_measured: return "rest_measured";
    case T::set_completed: return "set_completed";
    case T::burst_onset: return "burst_onset";
    case T::burst_offset: return "burst_offset";
    case T::fault: return "fault";
    case T::inactivity: return "inactivity";
    case T::activity_resumed: return "activity_resumed";
    case T::axis_found: return "axis_found";
    case T::events_dropped: return "events_dropped";
    case T::baseline_relearned: return "baseline_relearned";
    case T::rep_refined: return "rep_refined";
  }
  return "?";
}

const char* fault_name(soleus::FaultKind k) {
  using K = soleus::FaultKind;
  switch (k) {
    case K::gap: return "gap";
    case K::duplicate: return "duplicate";
    case K::out_of_order: return "out_of_order";
    case K::clock_reset: return "clock_reset";
    case K::rate_drift: return "rate_drift";
    case K::bad_timestamp: return "bad_timestamp";
    case K::nonfinite: return "nonfinite";
    case K::saturated: return "saturated";
  }
  return "?";
}

const char* phase_name(soleus::reps::RepPhase p) {
  using P = soleus::reps::RepPhase;
  switch (p) {
    case P::rest: return "rest";
    case P::concentric: return "concentric";
    case P::top: return "top";
    case P::eccentric: return "eccentric";
    case P::finishing: return "finishing";
  }
  return "?";
}

const char* const kMuscles[] = {"soleus", "gastrocnemius_medialis", "gastrocnemius_lateralis", "tibialis_anterior",
                                "other"};

soleus::Muscle muscle_from(const std::string& s) {
  for (int i = 0; i < 5; ++i)
    if (s == kMuscles[i]) return static_cast<soleus::Muscle>(i);
  if (s == "gm" || s == "gastrocnemius") return soleus::Muscle::gastrocnemius_medialis;
  if (s == "gl") return soleus::Muscle::gastrocnemius_lateralis;
  if (s == "ta") return soleus::Muscle::tibialis_anterior;
  throw py::value_error("muscles: '" + s + "' is not one of 'soleus', 'gastrocnemius_medialis', "
                        "'gastrocnemius_lateralis', 'tibialis_anterior', 'other'");
}

// A channel name into the config's 16-byte field, NUL-terminated: at most 15
// bytes of UTF-8 kept, cut at a character boundary. Why: a cut inside a
// multi-byte character ("M.soleus_sin_[µV]": µ is bytes 15-16) made the name
// undecodable, config() and events raised UnicodeDecodeError.
void set_name(char (&dst)[16], const std::string& name) {
  std::memset(dst, 0, sizeof dst);
  std::size_t n = name.size() < sizeof dst - 1 ? name.size() : sizeof dst - 1;
  if (n < name.size()) {
    while (n > 0 && (static_cast<unsigned char>(name[n]) & 0xC0u) == 0x80u) --n;  // continuation byte
  }
  std::memcpy(dst, name.data(), n);
}

double num(const py::handle& v, const std::string& name) {
  try {
    return v.cast<double>();
  } catch (const py::cast_error&) {
    throw py::value_error(name + ": expected a number");
  }
}

int integer(const py::handle& v, const std::string& name) {
  const double d = num(v, name);
  if (!std::isfinite(d) || d != std::floor(d)) throw py::value_error(name + ": expected an integer");
  // The cast of 2**40 was undefined (it answered "must be >= 1").
  if (d < static_cast<double>(INT_MIN) || d > static_cast<double>(INT_MAX))
    throw py::value_error(name + ": out of the int range (" + py::str(v).cast<std::string>() + ")");
  return static_cast<int>(d);
}

// imu_reps={...}: placement, units, axis, the hook's settings, tempo, and
// every segment_reps setting by name.
void apply_imu_reps(soleus::reps::ImuRepConfig& c, const py::dict& kw) {
  using namespace soleus::reps;
  for (const auto& item : kw) {
    const std::string k = py::cast<std::string>(item.first);
    const py::handle v = item.second;
    if (k == "placement") {
      const auto p = setting_string(v, "imu_reps." + k);
      if (p == "auto") c.placement = ImuPlacement::automatic;
      else if (p == "foot") c.placement = ImuPlacement::foot;
      else if (p == "shank") c.placement = ImuPlacement::shank_standing;
      else if (p == "shank_seated") c.placement = ImuPlacement::shank_seated;
      else throw py::value_error("imu_reps.placement: must be 'auto', 'foot', 'shank' or 'shank_seated', not '" + p + "'");
    } else if (k == "acc_unit") {
      const auto u = setting_string(v, "imu_reps." + k);
      if (u == "m/s2" || u == "m/s^2") c.imu.orientation.acc_unit = soleus::imu::AccUnit::mps2;
      else if (u == "g") c.imu.orientation.acc_unit = soleus::imu::AccUnit::g;
      else throw py::value_error("imu_reps.acc_unit: must be 'm/s2' or 'g', not '" + u + "'");
    } else if (k == "gyro_unit") {
      const auto u = setting_string(v, "imu_reps." + k);
      if (u == "deg/s") c.imu.orientation.gyro_unit = soleus::imu::GyroUnit::dps;
      else if (u == "rad/s") c.imu.orientation.gyro_unit = soleus::imu::GyroUnit::rad_per_s;
      else throw py::value_error("imu_reps.gyro_unit: must be 'deg/s' or 'rad/s', not '" + u + "'");
    } else if (k == "axis") {
      if (v.is_none()) {
        c.use_explicit_axis = false;
        continue;
      }
      const auto a = py::cast<py::sequence>(v);
      if (a.size() != 3) throw py::value_error("imu_reps.axis: must be 3 numbers (sensor frame, + = plantar flexion)");
      c.use_explicit_axis = true;
      for (int i = 0; i < 3; ++i) c.axis_sensor[i] = num(a[static_cast<std::size_t>(i)], "imu_reps.axis");
    } else if (k == "emg_bin_s") {
      c.emg_bin_s = num(v, "imu_reps.emg_bin_s");
    } else if (k == "emg_max_wait_s") {
      c.emg_max_wait_s = num(v, "imu_reps.emg_max_wait_s");
    } else if (k == "emg_onset_lead_s") {
      c.emg_onset_lead_s = num(v, "imu_reps.emg_onset_lead_s");
    } else if (k == "tempo") {
      if (!py::isinstance<py::dict>(v)) throw py::value_error("imu_reps.tempo: expected a dict of tempo bounds");
      auto t = py::reinterpret_borrow<py::dict>(v);
      TempoTarget& g = c.sets.tempo;
      for (const auto& ti : t) {
        const std::string tk = py::cast<std::string>(ti.first);
        double* f = nullptr;
        if (tk == "concentric_min_s") f = &g.concentric_min_s;
        else if (tk == "concentric_max_s") f = &g.concentric_max_s;
        else if (tk == "hold_min_s") f = &g.hold_min_s;
        else if (tk == "hold_max_s") f = &g.hold_max_s;
        else if (tk == "eccentric_min_s") f = &g.eccentric_min_s;
        else if (tk == "eccentric_max_s") f = &g.eccentric_max_s;
        else if (tk == "tolerance_s") f = &g.tolerance_s;
        else throw py::value_error("imu_reps.tempo." + tk + ": unknown tempo bound");
        *f = num(ti.second, "imu_reps.tempo." + tk);
      }
    } else if (!apply_reps_setting(c, k, v)) {
      throw py::value_error("imu_reps." + k + ": unknown repetition setting (see soleus.Session.defaults())");
    }
  }
}

soleus::SessionConfig config_from(const py::dict& kw) {
  soleus::SessionConfig c;
  py::object names, muscles, emg_kw, reps_kw;
  bool channels_given = false;
  for (const auto& item : kw) {
    const std::string k = py::cast<std::string>(item.first);
    const py::handle v = item.second;
    const std::pair<const char*, double*> dbls[] = {
        {"emg_rate_hz", &c.emg_rate_hz}, {"emg_range", &c.emg_range}, {"imu_rate_hz", &c.imu_rate_hz},
        {"imu_acc_range", &c.imu_acc_range}, {"imu_gyro_range", &c.imu_gyro_range}, {"gap_factor", &c.gap_factor},
        {"drift_tolerance", &c.drift_tolerance}, {"drift_window_s", &c.drift_window_s},
        {"emg_restart_gap_s", &c.emg_restart_gap_s}, {"fault_clear_s", &c.fault_clear_s},
        {"inactivity_alert_s", &c.inactivity_alert_s}, {"activity_min_burst_s", &c.activity_min_burst_s}};
    const std::pair<const char*, int*> ints[] = {{"emg_channels", &c.emg_channels},
                                                 {"resync_after_samples", &c.resync_after_samples},
                                                 {"emg_stats_decimation", &c.emg_stats_decimation}};
    bool done = false;
    for (const auto& d : dbls)
      if (k == d.first) {
        *d.second = num(v, k);
        done = true;
      }
    for (const auto& d : ints)
      if (k == d.first) {
        *d.second = integer(v, k);
        done = true;
        if (k == std::string("emg_channels")) channels_given = true;
      }
    if (done) continue;
    if (k == "imu_enabled") c.imu_enabled = setting_bool(v, k);
    else if (k == "channels") names = py::reinterpret_borrow<py::object>(v);
    else if (k == "muscles") muscles = py::reinterpret_borrow<py::object>(v);
    else if (k == "emg" || k == "imu_reps") {
      // A dict is cast later: anything else was a TypeError, not the promised ValueError.
      if (!v.is_none() && !py::isinstance<py::dict>(v))
        throw py::value_error(k + ": expected a dict of settings (see soleus.Session.defaults()['" + k + "'])");
      (k == "emg" ? emg_kw : reps_kw) = py::reinterpret_borrow<py::object>(v);
    }
    else throw py::value_error(k + ": unknown Session setting (see soleus.Session.defaults())");
  }
  std::vector<std::string> nm, mu;
  const bool have_names = names && !names.is_none(), have_muscles = muscles && !muscles.is_none();
  try {
    if (have_names) nm = names.cast<std::vector<std::string>>();
    if (have_muscles) mu = muscles.cast<std::vector<std::string>>();
  } catch (const py::cast_error&) {
    throw py::value_error(std::string(have_names && nm.empty() ? "channels" : "muscles") +
                          ": expected a list of strings");
  }
  if (have_names || have_muscles) {
    const int n = static_cast<int>(have_names ? nm.size() : mu.size());
    if (have_names && have_muscles && nm.size() != mu.size())
      throw py::value_error("muscles: " + std::to_string(mu.size()) + " given for " + std::to_string(nm.size()) +
                            " channels");
    if (channels_given && c.emg_channels != n)
      throw py::value_error("channels: " + std::to_string(n) + " names for emg_channels=" +
                            std::to_string(c.emg_channels));
    if (n > kMaxCh) throw py::value_error("channels: at most " + std::to_string(kMaxCh) + " EMG channels");
    c.emg_channels = n;
    for (int i = 0; i < n; ++i) {
      const std::string name = have_names ? nm[i] : (i == 0 ? std::string("soleus") : "ch" + std::to_string(i));
      set_name(c.channel[i].name, name);
      if (have_muscles) c.channel[i].muscle = muscle_from(mu[i]);
      else if (i == 0) c.channel[i].muscle = soleus::Muscle::soleus;
      else c.channel[i].muscle = soleus::Muscle::other;
    }
  } else {
    for (int i = 1; i < c.emg_channels && i < SOLEUS_SESSION_MAX_CHANNELS; ++i) {
      const std::string name = "ch" + std::to_string(i);
      set_name(c.channel[i].name, name);
      c.channel[i].muscle = soleus::Muscle::other;
    }
  }
  if (c.emg_channels > kMaxCh) throw py::value_error("emg_channels: at most " + std::to_string(kMaxCh));
  if (emg_kw && !emg_kw.is_none()) c.emg = emg_settings_from_dict(c.emg_rate_hz, emg_kw.cast<py::dict>());
  if (reps_kw && !reps_kw.is_none()) apply_imu_reps(c.imu_reps, reps_kw.cast<py::dict>());
  return c;
}

py::dict stream_dict(const soleus::StreamStats& s) {
  py::dict d;
  d["accepted"] = s.accepted;
  d["gaps"] = s.gaps;
  d["duplicates"] = s.duplicates;
  d["out_of_order"] = s.out_of_order;
  d["clock_resets"] = s.clock_resets;
  d["drift_episodes"] = s.drift_episodes;
  d["bad_timestamps"] = s.bad_timestamps;
  d["nonfinite_samples"] = s.nonfinite_samples;
  d["saturated_samples"] = s.saturated_samples;
  d["missing_s"] = s.missing_s;
  d["measured_rate_hz"] = s.measured_rate_hz;
  d["drifting"] = s.drifting;
  d["last_time_s"] = s.last_time_s;
  return d;
}

py::dict rep_dict(const soleus::reps::Rep& r) {
  py::dict d;
  d["index"] = r.index;
  d["start_s"] = r.start_s;
  d["top_s"] = r.top_s;
  d["lower_start_s"] = r.lower_start_s;
  d["end_s"] = r.end_s;
  d["concentric_s"] = r.concentric_s;
  d["hold_s"] = r.hold_s;
  d["eccentric_s"] = r.eccentric_s;
  d["rest_s"] = r.rest_s;
  d["rest_known"] = r.rest_known;
  d["baseline_deg"] = r.baseline_deg;
  d["top_deg"] = r.top_deg;
  d["rom_deg"] = r.rom_deg;
  d["concentric_peak_dps"] = r.concentric_peak_dps;
  d["concentric_mean_dps"] = r.concentric_mean_dps;
  d["hold_peak_dps"] = r.hold_peak_dps;
  d["eccentric_peak_dps"] = r.eccentric_peak_dps;
  d["eccentric_mean_dps"] = r.eccentric_mean_dps;
  d["heel_rise_m"] = r.heel_rise_m;
  d["work_j"] = r.work_j;
  d["partial"] = r.partial;
  d["isometric"] = r.isometric;
  d["source"] = static_cast<int>(r.source);
  return d;
}

py::dict set_dict(const soleus::reps::SetSummary& s) {
  py::dict d;
  d["index"] = s.index;
  d["rep_count"] = s.rep_count;
  d["partial_count"] = s.partial_count;
  d["hold_count"] = s.hold_count;
  d["start_s"] = s.start_s;
  d["end_s"] = s.end_s;
  d["mean_concentric_s"] = s.mean_concentric_s;
  d["mean_hold_s"] = s.mean_hold_s;
  d["mean_eccentric_s"] = s.mean_eccentric_s;
  d["mean_rest_s"] = s.mean_rest_s;
  d["mean_rom_deg"] = s.mean_rom_deg;
  d["median_rom_deg"] = s.median_rom_deg;
  d["time_under_tension_s"] = s.time_under_tension_s;
  d["total_work_j"] = s.total_work_j;
  d["longest_hold_s"] = s.longest_hold_s;
  d["total_hold_s"] = s.total_hold_s;
  d["tempo_adherence"] = s.tempo_adherence;
  d["fatigue_slope_per_rep"] = s.fatigue_slope_per_rep;
  d["fatigue_valid"] = s.fatigue_valid;
  d["reps_dropped"] = s.reps_dropped;
  return d;
}

// Per-rep EMG statistics: arrays (channels x 4 phases: concentric, hold, eccentric, whole rep).
py::dict emg_dict(const soleus::reps::RepEmgStats<kMaxCh>& m) {
  py::dict d;
  const py::ssize_t C = m.channels;
  d["channels"] = m.channels;
  d["complete"] = m.complete;
  py::array_t<double> mean({C, py::ssize_t{4}}), rms({C, py::ssize_t{4}}), iemg({C, py::ssize_t{4}}), onset(C);
  auto pm = mean.mutable_unchecked<2>();
  auto pr = rms.mutable_unchecked<2>();
  auto pi = iemg.mutable_unchecked<2>();
  auto po = onset.mutable_unchecked<1>();
  for (py::ssize_t c = 0; c < C; ++c) {
    for (py::ssize_t p = 0; p < 4; ++p) {
      pm(c, p) = m.mean_pct_mvc[c][p];
      pr(c, p) = m.rms_mv[c][p];
      pi(c, p) = m.iemg_mv_s[c][p];
    }
    po(c) = m.onset_rel_heel_off_s[c];
  }
  d["mean_pct_mvc"] = mean;
  d["rms"] = rms;
  d["iemg"] = iemg;
  d["onset_rel_heel_off_s"] = onset;
  return d;
}

py::dict event_dict(const Ev& e) {
  using T = soleus::SessionEventType;
  py::dict d;
  d["type"] = event_name(e.type);
  d["t_s"] = e.t_s;
  d["channel"] = e.channel;
  d["value"] = e.value;
  const int t = static_cast<int>(e.type);
  if (t <= static_cast<int>(T::rest_measured) || e.type == T::rep_refined) d["rep"] = rep_dict(e.rep);
  if (e.type == T::rep_completed || e.type == T::hold_completed) d["emg"] = emg_dict(e.emg);
  if (e.type == T::set_completed) d["set"] = set_dict(e.set);
  if (e.type == T::burst_onset || e.type == T::burst_offset) {
    py::dict b;
    b["edge"] = e.burst.edge == soleus::emg::BurstEdge::onset ? "onset" : "offset";
    b["channel"] = e.burst.channel;
    b["time_s"] = e.burst.time_s;
    b["detected_at_s"] = e.burst.detected_at_s;
    b["duration_s"] = e.burst.duration_s;
    b["peak_pct_mvc"] = e.burst.peak_pct_mvc;
    b["mean_pct_mvc"] = e.burst.mean_pct_mvc;
    b["calibrated"] = e.burst.calibrated;
    b["median_hz"] = e.burst.median_hz;
    b["mean_hz"] = e.burst.mean_hz;
    b["median_slope_hz_per_s"] = e.burst.median_slope_hz_per_s;
    b["spectrum_segments"] = e.burst.spectrum_segments;
    b["level_shift"] = e.burst.level_shift;
    d["burst"] = b;
  }
  if (e.type == T::fault) {
    py::dict f;
    f["stream"] = e.fault.stream == soleus::StreamId::emg ? "emg" : "imu";
    f["kind"] = fault_name(e.fault.kind);
    f["channel"] = e.fault.channel;
    f["value"] = e.fault.value;
    d["fault"] = f;
  }
  return d;
}

std::uint32_t quality_bits(const soleus::emg::ChannelQuality& q) {
  return (q.saturated ? 1u : 0u) | (q.flat ? 2u : 0u) | (q.mains ? 4u : 0u) | (q.motion ? 8u : 0u) |
         (q.low_snr ? 16u : 0u) | (q.nonfinite ? 32u : 0u);
}

py::dict quality_dict(const soleus::emg::ChannelQuality& q) {
  py::dict d;
  d["saturated"] = q.saturated;
  d["flat"] = q.flat;
  d["mains"] = q.mains;
  d["motion"] = q.motion;
  d["low_snr"] = q.low_snr;
  d["nonfinite"] = q.nonfinite;
  d["good"] = q.good();
  d["saturation_fraction"] = q.saturation_fraction;
  d["mains_ratio"] = q.mains_ratio;
  d["motion_ratio"] = q.motion_ratio;
  d["snr_db"] = q.snr_db;
  d["nonfinite_samples"] = q.nonfinite_samples;
  d["saturated_samples"] = q.saturated_samples;
  return d;
}

using DArr = py::array_t<double, py::array::c_style | py::array::forcecast>;
using FArr = py::array_t<float, py::array::c_style | py::array::forcecast>;

// Status codes to Python: ok/bad_input/capacity are reported (events say what
// happened); not_ready and invalid_argument raise.
std::string status_name(const soleus::Status& st) {
  switch (st.code) {
    case soleus::StatusCode::ok: return "ok";
    case soleus::StatusCode::bad_input: return "bad_input";
    case soleus::StatusCode::capacity_exceeded: return "capacity_exceeded";
    default: break;
  }
  throw py::value_error(st.message);
}

class PySession {
  static constexpr std::size_t kPiece = 1024;

 public:
  // Serialises calls from several Python threads (see ObjectGuard); every
  // method bound with guarded().
  mutable ObjectGuard guard_;

  explicit PySession(const py::dict& kw) : s_(std::make_unique<Sess>()) {
    cfg_ = config_from(kw);
    const soleus::Status st = s_->init(cfg_);
    if (!st.ok()) {
      if (cfg_.emg_channels > 0 && cfg_.validate().ok()) {
        // The EMG chain refused its settings: name the emg={...} key or the rate.
        const soleus::SessionConfig base = cfg_;
        const auto emg_init = [&base](const soleus::emg::EmgSettings& trial) {
          soleus::SessionConfig c = base;
          c.emg = trial;
          return std::make_unique<Sess::EmgChain>()->init(c.emg_chain_settings(), c.emg_channels);
        };
        if (!emg_init(cfg_.emg).ok()) {
          const py::dict emg_kw = kw.contains("emg") && py::isinstance<py::dict>(kw["emg"])
                                      ? py::dict(kw["emg"]) : py::dict();
          raise_emg_init_error(st, "emg_rate_hz", "emg.", cfg_.emg_rate_hz, emg_kw, emg_init);
        }
      }
      throw_if_error(st);
    }
  }

  int channels() const { return cfg_.emg_channels; }

  std::string push_emg_block(const DArr& t, const FArr& frames) {
    const std::size_t n = static_cast<std::size_t>(t.shape(0));
    soleus::Status st;
    {
      py::gil_scoped_release release;
      // In pieces, draining the queue between them (identical to one call).
      const std::size_t C = static_cast<std::size_t>(cfg_.emg_channels);
      for (std::size_t i = 0; i < n; i += kPiece) {
        const std::size_t k = n - i < kPiece ? n - i : kPiece;
        const soleus::Status s = s_->push_emg_block(t.data() + i, frames.data() + i * C, k);
        if (st.ok() && !s.ok()) st = s;
        drain();
      }
      if (n == 0) st = s_->push_emg_block(t.data(), frames.data(), 0);
    }
    return status_name(st);
  }

  std::string push_imu_block(const DArr& t, const FArr& acc, const FArr& gyro) {
    const std::size_t n = static_cast<std::size_t>(t.shape(0));
    soleus::Status st;
    {
      py::gil_scoped_release release;
      for (std::size_t i = 0; i < n; i += kPiece) {
        const std::size_t k = n - i < kPiece ? n - i : kPiece;
        const soleus::Status s = s_->push_imu_block(t.data() + i, acc.data() + 3 * i, gyro.data() + 3 * i, k);
        if (st.ok() && !s.ok()) st = s;
        drain();
      }
    }
    return status_name(st);
  }

  std::string finish() {
    const soleus::Status st = s_->finish();
    drain();
    return status_name(st);
  }

  void begin_mvc() { s_->begin_mvc(); }
  void end_mvc() { throw_if_error(s_->end_mvc()); }
  // Per-channel MVC references (input units): same effect as a calibration recording.
  void set_mvc_references(py::array_t<double, py::array::c_style | py::array::forcecast> ref) {
    const int C = s_->emg_channels();
    if (ref.ndim() != 1 || ref.shape(0) != C)
      throw py::value_error("mvc: expected " + std::to_string(C) + " reference values (one per EMG channel)");
    throw_if_error(s_->set_mvc_references(ref.data()));
  }
  py::array_t<double> mvc_reference() const {
    const int C = s_->emg_channels();
    py::array_t<double> out(static_cast<py::ssize_t>(C));
    for (int c = 0; c < C; ++c) out.mutable_data()[c] = s_->emg_chain().mvc().reference(c);
    return out;
  }
  void begin_rest() { s_->begin_rest(); }
  void end_rest() { throw_if_error(s_->end_rest()); }

  py::object poll() {
    drain();
    if (head_ >= buf_.size()) return py::none();
    py::dict d = event_dict(buf_[head_++]);
    compact();
    return std::move(d);
  }

  py::list events() {
    drain();
    py::list out;
    for (std::size_t i = head_; i < buf_.size(); ++i) out.append(event_dict(buf_[i]));
    buf_.clear();
    head_ = 0;
    return out;
  }

  void collect_minutes(std::vector<std::array<double, 9>>& out) {
    soleus::imu::MinuteSummary mm;
    while (s_->pop_activity_minute(mm))
      out.push_back({mm.start_s, mm.active_s, mm.still_s, mm.covered_s, double(mm.strides), double(mm.pumps),
                     double(mm.pedal_cycles), mm.cycling_s, double(mm.raises)});
  }

  // Offline driver for soleus.analyze: everything pushed in time order (an IMU
  // sample before the EMG frames stamped after it, as tests/cpp/session_sim.hpp
  // feed()), EMG in blocks that end every `every` frames, where the envelope,
  // activation and quality flags are sampled; angle, rate and phase after
  // every IMU sample. Returns the samples; events stay queued for events().
  // The conditioned EMG of every admitted frame, collected by run(..., conditioned=True).
  struct ConditionedRecord {
    std::vector<double> t_s;
    std::vector<float> samples;  // frames x channels
    static void append(void* context, const double* t_s, const float* conditioned, std::size_t frames, int channels) {
      auto* r = static_cast<ConditionedRecord*>(context);
      r->t_s.insert(r->t_s.end(), t_s, t_s + frames);
      r->samples.insert(r->samples.end(), conditioned, conditioned + frames * static_cast<std::size_t>(channels));
    }
  };

  py::dict run(const DArr& te, const FArr& emg, const DArr& ti, const FArr& acc, const FArr& gyro, int every,
               bool conditioned) {
    const std::size_t n = static_cast<std::size_t>(te.shape(0)), m = static_cast<std::size_t>(ti.shape(0));
    const std::size_t C = static_cast<std::size_t>(cfg_.emg_channels);
    ConditionedRecord cond;
    if (conditioned && C > 0) {
      cond.t_s.reserve(n);
      cond.samples.reserve(n * C);
      s_->set_conditioned_sink(&ConditionedRecord::append, &cond);
    }
    // The tap points at this frame's record: off again however run() ends.
    struct SinkOff {
      Sess* s;
      ~SinkOff() { s->set_conditioned_sink(nullptr, nullptr); }
    } sink_off{s_.get()};
    const std::size_t k = static_cast<std::size_t>(every < 1 ? 1 : every);
    const std::size_t nr = C > 0 ? n / k : 0;
    std::vector<double> rt;
    std::vector<float> renv, ract;
    std::vector<std::uint32_t> rq;
    std::vector<float> angle(m), rate(m);
    std::vector<std::uint8_t> phase(m);
    std::vector<std::array<double, 9>> minutes;
    rt.reserve(nr);
    renv.reserve(nr * C);
    ract.reserve(nr * C);
    rq.reserve(nr * C);
    {
      py::gil_scoped_release release;
      const double* pte = te.data();
      const double* pti = ti.data();
      const float* pe = emg.data();
      const float* pa = acc.data();
      const float* pg = gyro.data();
      std::size_t i = C > 0 ? 0 : n, j = 0;
      while (i < n || j < m) {
        std::size_t j1 = j;
        while (j1 < m && (i >= n || pti[j1] <= pte[i])) ++j1;
        for (; j < j1; ++j) {
          const soleus::Status st = s_->push_imu(pti[j], pa + 3 * j, pg + 3 * j);
          const soleus::reps::ImuRepState s = s_->imu_state();
          (void)st;
          angle[j] = s.angle_deg;
          rate[j] = s.rate_dps;
          phase[j] = static_cast<std::uint8_t>(s.phase);
          drain();
          collect_minutes(minutes);
        }
        if (i < n) {
          const std::size_t lim_k = i + (k - i % k);
          std::size_t lim = i;
          while (lim < n && lim < lim_k && (j >= m || pte[lim] < pti[j])) ++lim;
          if (lim == i) lim = i + 1;
          (void)s_->push_emg_block(pte + i, pe + i * C, lim - i);
          drain();
          i = lim;
          if (i % k == 0) {
            rt.push_back(pte[i - 1]);
            for (std::size_t c = 0; c < C; ++c) {
              renv.push_back(s_->envelope(static_cast<int>(c)));
              ract.push_back(s_->activation_pct(static_cast<int>(c)));
              rq.push_back(quality_bits(s_->quality(static_cast<int>(c))));
            }
          }
        }
      }
      (void)s_->finish();
      drain();
      collect_minutes(minutes);
    }
    const auto R = static_cast<py::ssize_t>(rt.size());
    const auto Cs = static_cast<py::ssize_t>(C);
    py::array_t<double> a_t(R);
    py::array_t<float> a_env({R, Cs}), a_act({R, Cs});
    py::array_t<std::uint32_t> a_q({R, Cs});
    if (R > 0) {
      std::memcpy(a_t.mutable_data(), rt.data(), rt.size() * sizeof(double));
      if (C > 0) {
        std::memcpy(a_env.mutable_data(), renv.data(), renv.size() * sizeof(float));
        std::memcpy(a_act.mutable_data(), ract.data(), ract.size() * sizeof(float));
        std::memcpy(a_q.mutable_data(), rq.data(), rq.size() * sizeof(std::uint32_t));
      }
    }
    const auto M = static_cast<py::ssize_t>(m);
    py::array_t<float> a_angle(M), a_rate(M);
    py::array_t<std::uint8_t> a_phase(M);
    if (M > 0) {
      std::memcpy(a_angle.mutable_data(), angle.data(), m * sizeof(float));
      std::memcpy(a_rate.mutable_data(), rate.data(), m * sizeof(float));
      std::memcpy(a_phase.mutable_data(), phase.data(), m);
    }
    py::dict d;
    d["emg_t_s"] = a_t;
    d["envelope"] = a_env;
    d["activation_pct"] = a_act;
    d["quality_bits"] = a_q;
    d["angle_deg"] = a_angle;
    d["rate_dps"] = a_rate;
    d["phase"] = a_phase;
    d["activity_minutes"] = rows_to_array(minutes);
    if (conditioned) {
      const auto F = static_cast<py::ssize_t>(cond.t_s.size());
      py::array_t<double> c_t(F);
      py::array_t<float> c_x({F, Cs});
      if (F > 0) {
        std::memcpy(c_t.mutable_data(), cond.t_s.data(), cond.t_s.size() * sizeof(double));
        std::memcpy(c_x.mutable_data(), cond.samples.data(), cond.samples.size() * sizeof(float));
      }
      d["conditioned_t_s"] = c_t;
      d["conditioned"] = c_x;
    }
    return d;
  }

  // The IMU activity layer's closed minutes, popped (the Session queues a few:
  // call this at least every few minutes of stream time). Rows [start, active,
  // still, covered, strides, pumps, pedal_cycles, cycling_s, raises]:
  // _activity.py's minute_table names the columns.
  py::array_t<double> pop_activity_minutes() {
    std::vector<std::array<double, 9>> minutes;
    collect_minutes(minutes);
    return rows_to_array(minutes);
  }

  // ---- live state
  std::string phase() const { return phase_name(s_->imu_state().phase); }
  double angle_deg() const { return s_->imu_state().angle_deg; }
  double rate_dps() const { return s_->imu_state().rate_dps; }
  py::array_t<float> activation() const {
    py::array_t<float> a(cfg_.emg_channels);
    for (int c = 0; c < cfg_.emg_channels; ++c) a.mutable_data()[c] = s_->activation_pct(c);
    return a;
  }
  py::array_t<float> envelope() const {
    py::array_t<float> a(cfg_.emg_channels);
    for (int c = 0; c < cfg_.emg_channels; ++c) a.mutable_data()[c] = s_->envelope(c);
    return a;
  }
  py::list quality() const {
    py::list l;
    for (int c = 0; c < cfg_.emg_channels; ++c) l.append(quality_dict(s_->quality(c)));
    return l;
  }
  py::list burst_active() const {
    py::list l;
    for (int c = 0; c < cfg_.emg_channels; ++c) l.append(s_->burst_active(c));
    return l;
  }
  py::dict imu_state() const {
    const auto s = s_->imu_state();
    py::dict d;
    d["t_s"] = s.t_s;
    d["angle_deg"] = s.angle_deg;
    d["rate_dps"] = s.rate_dps;
    d["phase"] = phase_name(s.phase);
    d["axis_found"] = s.axis_found;
    d["axis_explicit"] = s.axis_explicit;
    d["axis_confidence"] = s.axis_confidence;
    d["axis_sensor"] = py::make_tuple(s.axis_sensor[0], s.axis_sensor[1], s.axis_sensor[2]);
    d["still"] = s.still;
    d["gyro_bias_dps"] = py::make_tuple(s.gyro_bias_dps[0], s.gyro_bias_dps[1], s.gyro_bias_dps[2]);
    d["reps_total"] = s.reps_total;
    d["holds_total"] = s.holds_total;
    d["sets_completed"] = s.sets_completed;
    d["reps_in_open_set"] = s.reps_in_open_set;
    return d;
  }
  py::dict activity() const {
    const auto a = s_->activity();
    py::dict d;
    d["active_s"] = a.active_s;
    d["soleus_active_s"] = a.soleus_active_s;
    d["longest_inactive_s"] = a.longest_inactive_s;
    d["current_inactive_s"] = a.current_inactive_s;
    d["last_active_s"] = a.last_active_s;
    d["inactivity_alerts"] = a.inactivity_alerts;
    d["active_now"] = a.active_now;
    d["strides"] = a.strides;
    d["pumps"] = a.pumps;
    d["pedal_cycles"] = a.pedal_cycles;
    d["cycling_s"] = a.cycling_s;
    return d;
  }
  py::dict emg_stream() const { return stream_dict(s_->emg_stream()); }
  py::dict imu_stream() const { return stream_dict(s_->imu_stream()); }
  py::dict delays() const {
    const auto d = s_->emg_delays();
    py::dict o;
    o["envelope_total_s"] = d.envelope_total_s();
    return o;
  }
  std::uint64_t events_dropped() const { return s_->events_dropped(); }
  bool mvc_calibrated() const { return s_->mvc_calibrated(); }
  double time_s() const { return s_->time_s(); }
  int pending() const { return static_cast<int>(buf_.size() - head_) + s_->pending(); }

  py::dict config() const { return config_dict(cfg_); }

  static py::dict config_dict(const soleus::SessionConfig& c) {
    py::dict d;
    d["emg_channels"] = c.emg_channels;
    py::list names, muscles;
    for (int i = 0; i < c.emg_channels; ++i) {
      names.append(std::string(c.channel[i].name));
      muscles.append(kMuscles[static_cast<int>(c.channel[i].muscle)]);
    }
    d["channels"] = names;
    d["muscles"] = muscles;
    d["emg_rate_hz"] = c.emg_rate_hz;
    d["emg_range"] = c.emg_range;
    d["imu_enabled"] = c.imu_enabled;
    d["imu_rate_hz"] = c.imu_rate_hz;
    d["imu_acc_range"] = c.imu_acc_range;
    d["imu_gyro_range"] = c.imu_gyro_range;
    d["gap_factor"] = c.gap_factor;
    d["drift_tolerance"] = c.drift_tolerance;
    d["drift_window_s"] = c.drift_window_s;
    d["resync_after_samples"] = c.resync_after_samples;
    d["emg_restart_gap_s"] = c.emg_restart_gap_s;
    d["emg_stats_decimation"] = c.emg_stats_decimation;
    d["fault_clear_s"] = c.fault_clear_s;
    d["inactivity_alert_s"] = c.inactivity_alert_s;
    d["activity_min_burst_s"] = c.activity_min_burst_s;
    d["emg"] = emg_settings_to_dict(c.emg);
    py::dict r;
    const char* const pl[] = {"auto", "foot", "shank", "shank_seated"};
    r["placement"] = pl[static_cast<int>(c.imu_reps.placement)];
    r["acc_unit"] = c.imu_reps.imu.orientation.acc_unit == soleus::imu::AccUnit::g ? "g" : "m/s2";
    r["gyro_unit"] = c.imu_reps.imu.orientation.gyro_unit == soleus::imu::GyroUnit::dps ? "deg/s" : "rad/s";
    r["axis"] = c.imu_reps.use_explicit_axis
                    ? py::object(py::make_tuple(c.imu_reps.axis_sensor[0], c.imu_reps.axis_sensor[1],
                                                c.imu_reps.axis_sensor[2]))
                    : py::object(py::none());
    r["emg_bin_s"] = c.imu_reps.emg_bin_s;
    r["emg_max_wait_s"] = c.imu_reps.emg_max_wait_s;
    r["emg_onset_lead_s"] = c.imu_reps.emg_onset_lead_s;
    r["set_gap_s"] = c.imu_reps.sets.set_gap_s;
    r["partial_fraction"] = c.imu_reps.sets.partial_fraction;
    r["body_mass_kg"] = c.imu_reps.segmenter.body_mass_kg;
    // What runs: the placement's default unless the user set it (issue 16).
    r["min_excursion_deg"] = soleus::reps::effective_config(c.imu_reps).segmenter.min_excursion_deg;
    r["isometric_hold_min_s"] = c.imu_reps.segmenter.isometric_hold_min_s;
    d["imu_reps"] = r;
    return d;
  }

 private:
  // The Session's queue holds 256 events: move them into an unbounded buffer
  // after every push so a long block never overflows it.
  void drain() {
    Ev e;
    while (s_->poll(e)) buf_.push_back(e);
  }
  void compact() {
    if (head_ > 4096 && head_ * 2 > buf_.size()) {
      buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

  std::unique_ptr<Sess> s_;
  soleus::SessionConfig cfg_{};
  std::vector<Ev> buf_;
  std::size_t head_ = 0;
};

}  // namespace

void bind_session(py::module_& m) {
  py::class_<PySession>(m, "Session")
      .def(py::init<const py::dict&>(), py::arg("settings"))
      .def_property_readonly("channels", guarded(&PySession::channels))
      .def("push_emg_block", guarded(&PySession::push_emg_block), py::arg("t"), py::arg("frames"))
      .def("push_imu_block", guarded(&PySession::push_imu_block), py::arg("t"), py::arg("acc"), py::arg("gyro"))
      .def("finish", guarded(&PySession::finish))
      .def("begin_mvc", guarded(&PySession::begin_mvc))
      .def("end_mvc", guarded(&PySession::end_mvc))
      .def("set_mvc_references", guarded(&PySession::set_mvc_references), py::arg("reference"))
      .def_property_readonly("mvc_reference", guarded(&PySession::mvc_reference))
      .def("begin_rest", guarded(&PySession::begin_rest))
      .def("end_rest", guarded(&PySession::end_rest))
      .def("poll", guarded(&PySession::poll))
      .def("events", guarded(&PySession::events))
      .def("run", guarded(&PySession::run), py::arg("t_emg"), py::arg("emg"), py::arg("t_imu"), py::arg("acc"),
           py::arg("gyro"), py::arg("every"),
           py::arg("conditioned") = false)
      .def("pop_activity_minutes", guarded(&PySession::pop_activity_minutes))
      .def("phase", guarded(&PySession::phase))
      .def("angle_deg", guarded(&PySession::angle_deg))
      .def("rate_dps", guarded(&PySession::rate_dps))
      .def("activation", guarded(&PySession::activation))
      .def("envelope", guarded(&PySession::envelope))
      .def("quality", guarded(&PySession::quality))
      .def("burst_active", guarded(&PySession::burst_active))
      .def("imu_state", guarded(&PySession::imu_state))
      .def("activity", guarded(&PySession::activity))
      .def("emg_stream", guarded(&PySession::emg_stream))
      .def("imu_stream", guarded(&PySession::imu_stream))
      .def("delays", guarded(&PySession::delays))
      .def("events_dropped", guarded(&PySession::events_dropped))
      .def("mvc_calibrated", guarded(&PySession::mvc_calibrated))
      .def("time_s", guarded(&PySession::time_s))
      .def("pending", guarded(&PySession::pending))
      .def("config", guarded(&PySession::config));
  m.def("session_defaults", [] { return PySession::config_dict(soleus::SessionConfig{}); });
}

}  // namespace soleus_py
