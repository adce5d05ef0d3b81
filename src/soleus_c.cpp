// The C API (include/soleus/soleus.h) over soleus::Session<8, 256>: one
// implementation, compiled once per instruction set of the build
// (SOLEUS_C_VARIANT_ID / SOLEUS_C_VARIANT_ISA; src/soleus_c_variant.hpp) and
// reached through src/soleus_c_dispatch.cpp, which exports the soleus_*
// functions. Never throws (builds with -fno-exceptions): the one allocation
// uses nothrow new, every other path is the Session's, which does not allocate.
#include "soleus/soleus.h"

#include <cmath>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>

#include "soleus/session.hpp"
#include "soleus_c_variant.hpp"

#if !defined(SOLEUS_C_VARIANT_ID) || !defined(SOLEUS_C_VARIANT_ISA)
#error "compile with SOLEUS_C_VARIANT_ID (x86_64_v2, x86_64_v3, single) and SOLEUS_C_VARIANT_ISA (its name)"
#endif
#define SOLEUS_C_CAT2(a, b) a##b
#define SOLEUS_C_CAT(a, b) SOLEUS_C_CAT2(a, b)
#define SOLEUS_C_VARIANT_FUNCTION SOLEUS_C_CAT(soleus_c_variant_, SOLEUS_C_VARIANT_ID)

namespace {

using CSession = soleus::Session<SOLEUS_C_MAX_CHANNELS, 256>;

soleus_status to_c(soleus::StatusCode c) {
  switch (c) {
    case soleus::StatusCode::ok: return SOLEUS_OK;
    case soleus::StatusCode::invalid_argument: return SOLEUS_ERR_INVALID_ARGUMENT;
    case soleus::StatusCode::capacity_exceeded: return SOLEUS_ERR_CAPACITY;
    case soleus::StatusCode::not_ready: return SOLEUS_ERR_NOT_READY;
    case soleus::StatusCode::bad_input: return SOLEUS_ERR_BAD_INPUT;
    case soleus::StatusCode::unsupported: return SOLEUS_ERR_UNSUPPORTED;
  }
  return SOLEUS_ERR_UNSUPPORTED;
}

// C config -> C++ config; message set when the C layout itself is wrong.
soleus::Status to_cpp(const soleus_config& c, soleus::SessionConfig& k) {
  if (c.struct_size != sizeof(soleus_config)) return soleus::Status::invalid("struct_size: must be sizeof(soleus_config) (call soleus_config_default)");
  if (c.emg_channels < 0 || c.emg_channels > SOLEUS_C_MAX_CHANNELS)
    return soleus::Status::invalid("emg_channels: must be within 0..SOLEUS_C_MAX_CHANNELS");
  k = soleus::SessionConfig{};
  k.emg_channels = c.emg_channels;
  for (int i = 0; i < c.emg_channels; ++i) {
    if (c.channel[i].muscle < 0 || c.channel[i].muscle > SOLEUS_MUSCLE_OTHER)
      return soleus::Status::invalid("channel[].muscle: not a soleus_muscle value");
    std::memcpy(k.channel[i].name, c.channel[i].name, sizeof k.channel[i].name);
    k.channel[i].muscle = static_cast<soleus::Muscle>(c.channel[i].muscle);
  }
  k.emg_rate_hz = c.emg_rate_hz;
  k.emg_range = c.emg_range;
  k.imu_enabled = c.imu_enabled != 0;
  k.imu_rate_hz = c.imu_rate_hz;
  k.imu_reps.imu.orientation.acc_unit = c.imu_acc_in_g ? soleus::imu::AccUnit::g : soleus::imu::AccUnit::mps2;
  k.imu_reps.imu.orientation.gyro_unit =
      c.imu_gyro_in_rad_per_s ? soleus::imu::GyroUnit::rad_per_s : soleus::imu::GyroUnit::dps;
  k.imu_acc_range = c.imu_acc_range;
  k.imu_gyro_range = c.imu_gyro_range;
  if (c.imu_placement < SOLEUS_PLACEMENT_AUTOMATIC || c.imu_placement > SOLEUS_PLACEMENT_SHANK_SEATED)
    return soleus::Status::invalid("imu_placement: not a soleus_placement value");
  k.imu_reps.placement = static_cast<soleus::reps::ImuPlacement>(c.imu_placement);
  k.imu_reps.segmenter.body_mass_kg = c.body_mass_kg;
  k.imu_reps.sets.set_gap_s = c.set_gap_s;
  k.gap_factor = c.gap_factor;
  k.drift_tolerance = c.drift_tolerance;
  k.drift_window_s = c.drift_window_s;
  k.resync_after_samples = c.resync_after_samples;
  k.emg_restart_gap_s = c.emg_restart_gap_s;
  k.fault_clear_s = c.fault_clear_s;
  k.inactivity_alert_s = c.inactivity_alert_s;
  k.activity_min_burst_s = c.activity_min_burst_s;
  k.emg.spectra.enabled = c.emg_burst_spectra != 0;
  if (!(c.body_mass_kg >= 0.0)) return soleus::Status::invalid("body_mass_kg: must be >= 0");
  if (!(c.set_gap_s > 0.0)) return soleus::Status::invalid("set_gap_s: must be > 0");
  return k.validate();
}

void copy_rep(const soleus::reps::Rep& r, const soleus::reps::RepEmgStats<SOLEUS_C_MAX_CHANNELS>& m, soleus_rep& o) {
  o.index = r.index;
  o.partial = r.partial;
  o.isometric = r.isometric;
  o.rest_known = r.rest_known;
  o.start_s = r.start_s;
  o.top_s = r.top_s;
  o.lower_start_s = r.lower_start_s;
  o.end_s = r.end_s;
  o.concentric_s = r.concentric_s;
  o.hold_s = r.hold_s;
  o.eccentric_s = r.eccentric_s;
  o.rest_s = r.rest_s;
  o.baseline_deg = r.baseline_deg;
  o.top_deg = r.top_deg;
  o.rom_deg = r.rom_deg;
  o.concentric_peak_dps = r.concentric_peak_dps;
  o.concentric_mean_dps = r.concentric_mean_dps;
  o.hold_peak_dps = r.hold_peak_dps;
  o.eccentric_peak_dps = r.eccentric_peak_dps;
  o.eccentric_mean_dps = r.eccentric_mean_dps;
  o.heel_rise_m = r.heel_rise_m;
  o.work_j = r.work_j;
  o.emg_channels = m.channels;
  o.emg_complete = m.complete;
  std::memcpy(o.emg_mean_pct_mvc, m.mean_pct_mvc, sizeof o.emg_mean_pct_mvc);
  std::memcpy(o.emg_rms, m.rms_mv, sizeof o.emg_rms);
  std::memcpy(o.emg_onset_rel_heel_off_s, m.onset_rel_heel_off_s, sizeof o.emg_onset_rel_heel_off_s);
}

void copy_set(const soleus::reps::SetSummary& s, soleus_set& o) {
  o.index = s.index;
  o.rep_count = s.rep_count;
  o.partial_count = s.partial_count;
  o.hold_count = s.hold_count;
  o.reps_dropped = s.reps_dropped;
  o.start_s = s.start_s;
  o.end_s = s.end_s;
  o.mean_concentric_s = s.mean_concentric_s;
  o.mean_hold_s = s.mean_hold_s;
  o.mean_eccentric_s = s.mean_eccentric_s;
  o.mean_rest_s = s.mean_rest_s;
  o.mean_rom_deg = s.mean_rom_deg;
  o.median_rom_deg = s.median_rom_deg;
  o.time_under_tension_s = s.time_under_tension_s;
  o.total_work_j = s.total_work_j;
  o.longest_hold_s = s.longest_hold_s;
  o.total_hold_s = s.total_hold_s;
  o.tempo_adherence = s.tempo_adherence;
  o.fatigue_slope_per_rep = s.fatigue_slope_per_rep;
  o.fatigue_valid = s.fatigue_valid ? 1 : 0;
}

void copy_stream(const soleus::StreamStats& s, soleus_stream_stats& o) {
  o.accepted = s.accepted;
  o.gaps = s.gaps;
  o.duplicates = s.duplicates;
  o.out_of_order = s.out_of_order;
  o.clock_resets = s.clock_resets;
  o.drift_episodes = s.drift_episodes;
  o.bad_timestamps = s.bad_timestamps;
  o.nonfinite_samples = s.nonfinite_samples;
  o.saturated_samples = s.saturated_samples;
  o.missing_s = s.missing_s;
  o.measured_rate_hz = s.measured_rate_hz;
  o.last_time_s = s.last_time_s;
  o.drifting = s.drifting;
}

// This implementation's session: the handle's head (the variant table) first.
struct VariantSession : soleus_session {
  CSession session;
  const char* last_error = "ok";
  soleus_status keep(soleus::Status st) {
    if (!st.ok()) last_error = st.message;
    return to_c(st.code);
  }
};

// The handle came from this implementation's create (the dispatcher calls
// through the table stored in it), so the downcast is always to the right type.
VariantSession* self(soleus_session* s) { return static_cast<VariantSession*>(s); }
const VariantSession* self(const soleus_session* s) { return static_cast<const VariantSession*>(s); }

extern const soleus_c_variant kVariant;

// validate and create must agree, and init() checks what the config alone
// cannot (capacities, the filter designs at this rate): issue 12 item 10,
// where validate said OK, create failed and the error said "ok". So
// validation is a trial init, on the heap (validation is not a real-time call).
soleus::Status check_by_init(const soleus_config& c) {
  soleus::SessionConfig k;
  soleus::Status st = to_cpp(c, k);
  if (!st.ok()) return st;
  std::unique_ptr<VariantSession> s(new (std::nothrow) VariantSession);
  if (!s) return soleus::Status{soleus::StatusCode::capacity_exceeded, "session: out of memory"};
  return s->session.init(k);
}

void c_config_default(soleus_config* c) {
  if (c == nullptr) return;
  std::memset(c, 0, sizeof *c);
  const soleus::SessionConfig& d = soleus::kDefaultSessionConfig;
  c->struct_size = sizeof(soleus_config);
  c->emg_channels = d.emg_channels;
  for (int i = 0; i < SOLEUS_C_MAX_CHANNELS; ++i) {
    std::memcpy(c->channel[i].name, d.channel[i].name, sizeof c->channel[i].name);
    c->channel[i].muscle = static_cast<int32_t>(d.channel[i].muscle);
  }
  c->emg_rate_hz = d.emg_rate_hz;
  c->emg_range = d.emg_range;
  c->imu_enabled = d.imu_enabled ? 1 : 0;
  c->imu_rate_hz = d.imu_rate_hz;
  c->imu_acc_in_g = d.imu_reps.imu.orientation.acc_unit == soleus::imu::AccUnit::g;
  c->imu_gyro_in_rad_per_s = d.imu_reps.imu.orientation.gyro_unit == soleus::imu::GyroUnit::rad_per_s;
  c->imu_acc_range = d.imu_acc_range;
  c->imu_gyro_range = d.imu_gyro_range;
  c->imu_placement = static_cast<int32_t>(d.imu_reps.placement);
  c->body_mass_kg = d.imu_reps.segmenter.body_mass_kg;
  c->set_gap_s = d.imu_reps.sets.set_gap_s;
  c->gap_factor = d.gap_factor;
  c->drift_tolerance = d.drift_tolerance;
  c->drift_window_s = d.drift_window_s;
  c->resync_after_samples = d.resync_after_samples;
  c->emg_restart_gap_s = d.emg_restart_gap_s;
  c->fault_clear_s = d.fault_clear_s;
  c->inactivity_alert_s = d.inactivity_alert_s;
  c->activity_min_burst_s = d.activity_min_burst_s;
  c->emg_burst_spectra = d.emg.spectra.enabled ? 1 : 0;
}

soleus_status c_config_validate(const soleus_config* c) {
  if (c == nullptr) return SOLEUS_ERR_NULL;
  if (c->struct_size != sizeof(soleus_config)) return SOLEUS_ERR_VERSION;
  return to_c(check_by_init(*c).code);
}

const char* c_config_error(const soleus_config* c) {
  if (c == nullptr) return "config: null pointer";
  if (c->struct_size != sizeof(soleus_config)) return "struct_size: not sizeof(soleus_config) (call soleus_config_default)";
  return check_by_init(*c).message;
}

soleus_status c_create(const soleus_config* c, soleus_session** out) {
  if (out == nullptr) return SOLEUS_ERR_NULL;
  *out = nullptr;
  if (c == nullptr) return SOLEUS_ERR_NULL;
  if (c->struct_size != sizeof(soleus_config)) return SOLEUS_ERR_VERSION;
  soleus::SessionConfig k;
  soleus::Status st = to_cpp(*c, k);
  if (!st.ok()) return to_c(st.code);
  VariantSession* s = new (std::nothrow) VariantSession;
  if (s == nullptr) return SOLEUS_ERR_NO_MEMORY;
  s->variant = &kVariant;
  st = s->session.init(k);
  if (!st.ok()) {
    delete s;
    return to_c(st.code);
  }
  *out = s;
  return SOLEUS_OK;
}

void c_destroy(soleus_session* s) { delete self(s); }

const char* c_last_error(const soleus_session* s) { return self(s)->last_error; }

soleus_status c_push_emg(soleus_session* s, double t_s, const float* frame) {
  if (s == nullptr || frame == nullptr) return SOLEUS_ERR_NULL;
  return self(s)->keep(self(s)->session.push_emg(t_s, frame));
}

soleus_status c_push_emg_block(soleus_session* s, const double* t_s, const float* frames, size_t n) {
  if (s == nullptr || (n > 0 && (t_s == nullptr || frames == nullptr))) return SOLEUS_ERR_NULL;
  return self(s)->keep(self(s)->session.push_emg_block(t_s, frames, n));
}

soleus_status c_push_imu(soleus_session* s, double t_s, const float* acc, const float* gyro) {
  if (s == nullptr || acc == nullptr || gyro == nullptr) return SOLEUS_ERR_NULL;
  return self(s)->keep(self(s)->session.push_imu(t_s, acc, gyro));
}

soleus_status c_push_imu_block(soleus_session* s, const double* t_s, const float* acc, const float* gyro,
                                    size_t n) {
  if (s == nullptr || (n > 0 && (t_s == nullptr || acc == nullptr || gyro == nullptr))) return SOLEUS_ERR_NULL;
  return self(s)->keep(self(s)->session.push_imu_block(t_s, acc, gyro, n));
}

soleus_status c_finish(soleus_session* s) {
  if (s == nullptr) return SOLEUS_ERR_NULL;
  return self(s)->keep(self(s)->session.finish());
}

soleus_status c_begin_mvc(soleus_session* s) {
  if (s == nullptr) return SOLEUS_ERR_NULL;
  if (self(s)->session.emg_channels() == 0) return self(s)->keep(soleus::Status{soleus::StatusCode::not_ready, "emg_channels: 0"});
  self(s)->session.begin_mvc();
  return SOLEUS_OK;
}

soleus_status c_end_mvc(soleus_session* s) {
  if (s == nullptr) return SOLEUS_ERR_NULL;
  if (self(s)->session.emg_channels() == 0) return self(s)->keep(soleus::Status{soleus::StatusCode::not_ready, "emg_channels: 0"});
  return self(s)->keep(self(s)->session.end_mvc());
}

soleus_status c_set_mvc_references(soleus_session* s, const double* reference) {
  if (s == nullptr || reference == nullptr) return SOLEUS_ERR_NULL;
  return self(s)->keep(self(s)->session.set_mvc_references(reference));
}

static_assert(static_cast<int>(soleus::SessionEventType::rep_refined) == SOLEUS_EVENT_REP_REFINED,
              "the C event numbers are the session's");
static_assert(static_cast<int>(soleus::SessionEventType::baseline_relearned) == SOLEUS_EVENT_BASELINE_RELEARNED,
              "the C event numbers are the session's");

int c_poll(soleus_session* s, soleus_event* out) {
  if (s == nullptr || out == nullptr) return 0;
  CSession::Event e;
  if (!self(s)->session.poll(e)) return 0;
  std::memset(out, 0, sizeof *out);
  out->type = static_cast<int32_t>(e.type);
  out->channel = e.channel;
  out->t_s = e.t_s;
  out->value = e.value;
  copy_rep(e.rep, e.emg, out->rep);
  copy_set(e.set, out->set);
  out->burst.channel = e.burst.channel;
  out->burst.calibrated = e.burst.calibrated;
  out->burst.time_s = e.burst.time_s;
  out->burst.detected_at_s = e.burst.detected_at_s;
  out->burst.duration_s = e.burst.duration_s;
  out->burst.peak_pct_mvc = e.burst.peak_pct_mvc;
  out->burst.mean_pct_mvc = e.burst.mean_pct_mvc;
  out->burst.median_hz = e.burst.median_hz;
  out->burst.mean_hz = e.burst.mean_hz;
  out->burst.median_slope_hz_per_s = e.burst.median_slope_hz_per_s;
  out->burst.spectrum_segments = e.burst.spectrum_segments;
  out->burst.level_shift = e.burst.level_shift ? 1 : 0;
  out->fault.stream = static_cast<int32_t>(e.fault.stream);
  out->fault.kind = static_cast<int32_t>(e.fault.kind);
  out->fault.channel = e.fault.channel;
  out->fault.value = e.fault.value;
  return 1;
}

soleus_status c_get_state(const soleus_session* s, soleus_state* out) {
  if (s == nullptr || out == nullptr) return SOLEUS_ERR_NULL;
  std::memset(out, 0, sizeof *out);
  const CSession& k = self(s)->session;
  out->time_s = k.time_s();
  out->emg_channels = k.emg_channels();
  out->mvc_calibrated = k.mvc_calibrated();
  for (int c = 0; c < k.emg_channels(); ++c) {
    out->activation_pct[c] = k.activation_pct(c);
    out->envelope[c] = k.envelope(c);
    out->burst_active[c] = k.burst_active(c);
    const soleus::emg::ChannelQuality& q = k.quality(c);
    out->quality_flags[c] = (q.saturated ? SOLEUS_QUALITY_SATURATED : 0u) | (q.flat ? SOLEUS_QUALITY_FLAT : 0u) |
                            (q.mains ? SOLEUS_QUALITY_MAINS : 0u) | (q.motion ? SOLEUS_QUALITY_MOTION : 0u) |
                            (q.low_snr ? SOLEUS_QUALITY_LOW_SNR : 0u) | (q.nonfinite ? SOLEUS_QUALITY_NONFINITE : 0u);
  }
  if (k.config().imu_enabled) {
    const soleus::reps::ImuRepState r = k.imu_state();
    out->phase = static_cast<int32_t>(r.phase);
    out->angle_deg = r.angle_deg;
    out->rate_dps = r.rate_dps;
    out->axis_found = r.axis_found;
    out->axis_explicit = r.axis_explicit;
    out->axis_confidence = r.axis_confidence;
    for (int i = 0; i < 3; ++i) {
      out->axis_sensor[i] = r.axis_sensor[i];
      out->gyro_bias_dps[i] = r.gyro_bias_dps[i];
    }
    out->reps_total = r.reps_total;
    out->holds_total = r.holds_total;
    out->sets_completed = r.sets_completed;
    out->reps_in_open_set = r.reps_in_open_set;
  }
  const soleus::ActivitySummary a = k.activity();
  out->active_s = a.active_s;
  out->soleus_active_s = a.soleus_active_s;
  out->longest_inactive_s = a.longest_inactive_s;
  out->current_inactive_s = a.current_inactive_s;
  out->last_active_s = a.last_active_s;
  out->inactivity_alerts = a.inactivity_alerts;
  out->strides = a.strides;
  out->pumps = a.pumps;
  out->pedal_cycles = a.pedal_cycles;
  out->cycling_s = a.cycling_s;
  out->active_now = a.active_now;
  copy_stream(k.emg_stream(), out->emg);
  copy_stream(k.imu_stream(), out->imu);
  out->events_dropped = k.events_dropped();
  return SOLEUS_OK;
}

const soleus_c_variant kVariant = {
    SOLEUS_C_VARIANT_ISA, c_config_default, c_config_validate, c_config_error, c_create,
    c_destroy, c_last_error, c_push_emg, c_push_emg_block, c_push_imu, c_push_imu_block,
    c_finish, c_begin_mvc, c_end_mvc, c_set_mvc_references, c_poll, c_get_state};

}  // namespace

extern "C" const soleus_c_variant* SOLEUS_C_VARIANT_FUNCTION(void) { return &kVariant; }
