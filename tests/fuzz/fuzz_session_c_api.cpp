// libFuzzer target over the C API (include/soleus/soleus.h), issue 12.
//
// The input is read as a config choice followed by a stream of operations:
// single EMG / IMU frames with hostile stamps (NaN, +-Inf, huge, backwards,
// duplicates, raw doubles) and hostile values (NaN, Inf, 1e30, denormals,
// -FLT_MAX, raw floats), blocks of synthetic contractions and heel raises (so
// the detectors reach their deeper states with short inputs), MVC calls,
// state snapshots, finish() and pushes after it. After every operation the
// event queue is drained and each event is checked against the documented
// invariants; any violation aborts (a crash for libFuzzer). The library is
// built with ASan + UBSan (-fno-sanitize-recover=all), so undefined behaviour
// is a crash too.
//
// Build and run: tests/fuzz/run.sh (see docs/recovery.md, "Fuzzing and
// sanitizers"). The byte layout is documented in tests/fuzz/make_corpus.py,
// which writes the seed corpus.
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "soleus/sim/heel_raise.hpp"
#include "soleus/soleus.h"

namespace {

constexpr double kPi = 3.14159265358979323846;

// Events by type of the last completed input (tests/cpp/test_fuzz_regressions.cpp
// checks that a kept input still reaches what it found).
uint64_t g_last_events_by_type[SOLEUS_EVENT_REP_REFINED + 1] = {};  // one count per event type

// Reads the fuzz input; past its end every read returns zeros.
struct Reader {
  const uint8_t* p;
  size_t n;
  size_t i = 0;
  bool empty() const { return i >= n; }
  uint8_t u8() { return i < n ? p[i++] : 0; }
  uint16_t u16() { return static_cast<uint16_t>(u8() | (u8() << 8)); }
  double f64() {
    uint64_t b = 0;
    for (int k = 0; k < 8; ++k) b |= static_cast<uint64_t>(u8()) << (8 * k);
    double d;
    std::memcpy(&d, &b, sizeof d);
    return d;
  }
  float f32() {
    uint32_t b = 0;
    for (int k = 0; k < 4; ++k) b |= static_cast<uint32_t>(u8()) << (8 * k);
    float f;
    std::memcpy(&f, &b, sizeof f);
    return f;
  }
};

[[noreturn]] void fail(const char* what, const soleus_event* e) {
  if (e != nullptr)
    std::fprintf(stderr, "soleus fuzz: invariant violated: %s (event type %d, channel %d, t_s %.17g, value %.17g)\n",
                 what, e->type, e->channel, e->t_s, e->value);
  else
    std::fprintf(stderr, "soleus fuzz: invariant violated: %s\n", what);
  std::abort();
}

#define CHECK(cond, e)                \
  do {                                \
    if (!(cond)) fail(#cond, (e));    \
  } while (0)

bool finite(double x) { return std::isfinite(x); }

// A float from one selector byte and the input: ordinary values most of the
// time, the hostile ones on purpose.
float hostile_value(Reader& r, float scale) {
  const uint8_t m = r.u8();
  switch (m % 16) {
    case 0: return std::numeric_limits<float>::quiet_NaN();
    case 1: return std::numeric_limits<float>::infinity();
    case 2: return -std::numeric_limits<float>::infinity();
    case 3: return 1e30f;
    case 4: return -FLT_MAX;
    case 5: return FLT_MAX;
    case 6: return std::numeric_limits<float>::denorm_min();
    case 7: return -1e-40f;  // denormal
    case 8: return 0.0f;
    case 9: return r.f32();  // any bit pattern
    case 10: return 1e4f;
    default: return scale * static_cast<float>(static_cast<int16_t>(r.u16())) / 32768.0f;
  }
}

// The next stamp of a stream whose last accepted-looking stamp is t.
double hostile_time(Reader& r, double& t, double dt) {
  const uint8_t m = r.u8();
  switch (m % 16) {
    case 0: return std::numeric_limits<double>::quiet_NaN();
    case 1: return std::numeric_limits<double>::infinity();
    case 2: return -std::numeric_limits<double>::infinity();
    case 3: return 1e13;
    case 4: return -9e300;
    case 5: return DBL_MAX;
    case 6: return t;  // duplicate
    case 7: t -= dt * (1 + r.u8()); return t;  // backwards (a clock reset when it lasts)
    case 8: t += dt * (2 + r.u16()); return t;  // gap
    case 9: return r.f64();  // any bit pattern, the stream clock stays
    case 10: t = r.f64(); if (!std::isfinite(t)) t = 0.0; return t;  // jump the clock there
    case 11: t += dt * (1.0 + 0.05 * static_cast<int8_t>(r.u8()) / 128.0); return t;  // jitter / drift
    default: t += dt; return t;
  }
}

// Simulated heel-raise sets (the library's IMU simulator, 100 Hz, two
// mountings), generated once: IMU blocks cut from them reach the axis finder,
// the segmenter and the set logic within a short input.
const soleus::sim::HeelRaiseSession& recording(int which) {
  static const soleus::sim::HeelRaiseSession rec[2] = {
      [] {
        soleus::sim::HeelRaiseConfig c;
        c.rest_between_sets_s = 4.0;
        return soleus::sim::generate_heel_raise_session(c, 1);
      }(),
      [] {
        soleus::sim::HeelRaiseConfig c;
        c.placement = soleus::sim::ImuPlacement::shank;
        c.rest_between_sets_s = 4.0;
        c.lead_in_s = 3.0;
        return soleus::sim::generate_heel_raise_session(c, 2);
      }()};
  return rec[which & 1];
}

struct Fuzz {
  soleus_session* s = nullptr;
  int channels = 0;
  bool imu = false;
  double emg_dt = 1.0 / 2000.0, imu_dt = 1.0 / 100.0;
  double t_emg = 0.0, t_imu = 0.0;
  uint64_t phase = 0;  // synthetic signal phase, samples
  double theta_deg = 0.0;  // synthetic foot angle
  int which_rec = 0;       // simulated recording
  size_t rec_pos = 0;
  bool acc_in_g = false, gyro_in_rad = false;
  uint64_t polled = 0;
  uint64_t by_type[SOLEUS_EVENT_REP_REFINED + 1] = {};  // the last event type sizes it

  void check_rep(const soleus_event& e) {
    const soleus_rep& r = e.rep;
    CHECK(r.index >= 0, &e);
    CHECK(finite(r.start_s) && finite(r.top_s) && finite(r.lower_start_s) && finite(r.end_s), &e);
    CHECK(r.start_s <= r.top_s && r.top_s <= r.lower_start_s && r.lower_start_s <= r.end_s, &e);
    CHECK(r.concentric_s >= 0.0 && r.hold_s >= 0.0 && r.eccentric_s >= 0.0, &e);
    CHECK(!r.rest_known || r.rest_s >= 0.0, &e);
    CHECK(r.emg_channels >= 0 && r.emg_channels <= channels, &e);
    CHECK(r.partial == 0 || r.partial == 1, &e);
    CHECK(r.isometric == 0 || r.isometric == 1, &e);
  }

  void check(const soleus_event& e) {
    CHECK(e.type >= SOLEUS_EVENT_REP_STARTED && e.type <= SOLEUS_EVENT_REP_REFINED, &e);
    CHECK(finite(e.t_s), &e);
    CHECK(e.channel >= -1 && e.channel < channels, &e);
    switch (e.type) {
      case SOLEUS_EVENT_REP_COMPLETED:
      case SOLEUS_EVENT_HOLD_COMPLETED:
      case SOLEUS_EVENT_REP_REFINED:
        check_rep(e);
        CHECK(imu, &e);
        break;
      case SOLEUS_EVENT_REST_MEASURED:
        CHECK(e.rep.index >= 0 && !(e.rep.rest_s < 0.0), &e);
        break;
      case SOLEUS_EVENT_SET_COMPLETED: {
        const soleus_set& st = e.set;
        CHECK(st.index >= 0 && st.rep_count >= 0 && st.partial_count >= 0 && st.hold_count >= 0, &e);
        CHECK(st.reps_dropped >= 0, &e);
        CHECK(st.partial_count <= st.rep_count + st.hold_count, &e);
        CHECK(finite(st.start_s) && finite(st.end_s) && st.start_s <= st.end_s, &e);
        CHECK(!(st.time_under_tension_s < 0.0) && !(st.total_hold_s < 0.0) && !(st.longest_hold_s < 0.0), &e);
        CHECK(st.fatigue_valid == 0 || st.fatigue_valid == 1, &e);
        break;
      }
      case SOLEUS_EVENT_BURST_ONSET:
      case SOLEUS_EVENT_BURST_OFFSET:
        CHECK(e.channel >= 0 && e.channel == e.burst.channel, &e);
        CHECK(finite(e.burst.time_s) && finite(e.burst.detected_at_s), &e);
        CHECK(e.type == SOLEUS_EVENT_BURST_ONSET || (finite(e.burst.duration_s) && e.burst.duration_s >= 0.0), &e);
        CHECK(e.burst.spectrum_segments >= 0, &e);
        CHECK(e.burst.calibrated == 0 || e.burst.calibrated == 1, &e);
        break;
      case SOLEUS_EVENT_FAULT:
        CHECK(e.fault.stream == SOLEUS_STREAM_EMG || e.fault.stream == SOLEUS_STREAM_IMU, &e);
        CHECK(e.fault.kind >= SOLEUS_FAULT_GAP && e.fault.kind <= SOLEUS_FAULT_SATURATED, &e);
        CHECK(e.fault.channel >= -1 && e.fault.channel < (e.fault.stream == SOLEUS_STREAM_EMG ? channels : 3), &e);
        CHECK(e.fault.stream == SOLEUS_STREAM_EMG ? channels > 0 : imu, &e);
        break;
      case SOLEUS_EVENT_INACTIVITY:
      case SOLEUS_EVENT_ACTIVITY_RESUMED:
        CHECK(finite(e.value) && e.value >= 0.0, &e);
        break;
      case SOLEUS_EVENT_EVENTS_DROPPED:
        CHECK(e.value >= 1.0, &e);
        break;
      case SOLEUS_EVENT_BASELINE_RELEARNED:
        CHECK(e.channel >= 0 && e.value >= 1.0, &e);
        break;
      default:
        break;
    }
  }

  void drain() {
    soleus_event e;
    int guard = 0;
    static const bool trace = std::getenv("SOLEUS_FUZZ_TRACE") != nullptr;  // print rep / set / fault events
    while (soleus_poll(s, &e) == 1) {
      if (trace && (e.type <= SOLEUS_EVENT_SET_COMPLETED || e.type == SOLEUS_EVENT_FAULT))
        std::fprintf(stderr, "event %d t %.6f rep %d [%.4f %.4f %.4f %.4f] rest %.4f fault %d/%d %.6g\n", e.type,
                     e.t_s, e.rep.index, e.rep.start_s, e.rep.top_s, e.rep.lower_start_s, e.rep.end_s, e.rep.rest_s,
                     e.fault.stream, e.fault.kind, e.fault.value);
      check(e);
      ++polled;
      ++by_type[e.type];
      CHECK(++guard <= 100000, nullptr);  // the queue holds 256: polling ends
    }
  }

  void check_state() {
    soleus_state st;
    CHECK(soleus_get_state(s, &st) == SOLEUS_OK, nullptr);
    CHECK(st.emg_channels == channels, nullptr);
    CHECK(st.reps_total >= 0 && st.holds_total >= 0 && st.sets_completed >= 0 && st.reps_in_open_set >= 0, nullptr);
    CHECK(st.phase >= SOLEUS_PHASE_REST && st.phase <= SOLEUS_PHASE_FINISHING, nullptr);
    CHECK(!(st.active_s < 0.0) && !(st.soleus_active_s < 0.0), nullptr);
    CHECK(!(st.longest_inactive_s < 0.0) && !(st.current_inactive_s < 0.0), nullptr);
    CHECK(!(st.emg.missing_s < 0.0) && !(st.imu.missing_s < 0.0), nullptr);
    for (int c = 0; c < channels; ++c) CHECK(st.burst_active[c] == 0 || st.burst_active[c] == 1, nullptr);
    CHECK(std::isfinite(st.gyro_bias_dps[0]) && std::isfinite(st.gyro_bias_dps[1]) &&
              std::isfinite(st.gyro_bias_dps[2]),
          nullptr);
  }

  // Contractions (on/off pattern from the bits of `pattern`) over noise:
  // n frames at the nominal rate, pushed as one block.
  void emg_block(Reader& r) {
    static double t[2048];
    static float x[2048 * SOLEUS_C_MAX_CHANNELS];
    const size_t n = 1 + (static_cast<size_t>(r.u8()) << 3);
    const uint8_t pattern = r.u8();
    const double rest = std::pow(10.0, -6.0 + (r.u8() % 8));  // 1e-6 .. 10
    const double gain = 1.0 + (r.u8() % 64);
    uint32_t lcg = 0x9e3779b9u ^ static_cast<uint32_t>(phase);
    for (size_t i = 0; i < n; ++i) {
      t_emg += emg_dt;
      t[i] = t_emg;
      const uint64_t k = phase + i;
      const bool on = (pattern >> ((k / 1000) % 8)) & 1u;  // 0.5 s slots at 2 kHz
      for (int c = 0; c < channels; ++c) {
        lcg = lcg * 1664525u + 1013904223u;
        const double u = static_cast<double>(lcg >> 8) / 16777216.0 - 0.5;
        x[i * static_cast<size_t>(channels) + static_cast<size_t>(c)] =
            static_cast<float>(rest * (on ? gain : 1.0) * u);
      }
    }
    phase += n;
    soleus_push_emg_block(s, t, x, n);
  }

  // n frames of a simulated heel-raise recording from where the last such
  // block stopped, on the session's own IMU clock, in the configured units.
  void sim_block(Reader& r) {
    static double t[512];
    static float acc[512 * 3], gyro[512 * 3];
    const size_t n = 1 + (static_cast<size_t>(r.u8()) << 1);
    const soleus::sim::HeelRaiseSession& rec = recording(which_rec);
    for (size_t i = 0; i < n; ++i) {
      if (rec_pos >= rec.size()) rec_pos = 0;
      t_imu += imu_dt;
      t[i] = t_imu;
      for (int k = 0; k < 3; ++k) {
        acc[3 * i + k] = static_cast<float>(acc_in_g ? rec.acc_mps2[rec_pos][k] / 9.80665 : rec.acc_mps2[rec_pos][k]);
        gyro[3 * i + k] =
            static_cast<float>(gyro_in_rad ? rec.gyro_dps[rec_pos][k] * kPi / 180.0 : rec.gyro_dps[rec_pos][k]);
      }
      ++rec_pos;
    }
    soleus_push_imu_block(s, t, acc, gyro, n);
  }

  // Heel raises: one sine period of gyro rate about one sensor axis (a
  // raise and a lowering, peak angle amp * period / pi), then rest; gravity
  // turns with the integrated angle, so gyro and accelerometer agree.
  // n frames at the nominal rate.
  void imu_block(Reader& r) {
    static double t[512];
    static float acc[512 * 3], gyro[512 * 3];
    const size_t n = 1 + (static_cast<size_t>(r.u8()) << 1);
    const int ax = r.u8() % 3;
    const int gx = (ax + 1 + r.u8() % 2) % 3;  // gravity on another axis
    const int ox = 3 - ax - gx;
    const double amp = 5.0 + 2.0 * r.u8();      // deg/s
    const double period = 0.5 + 0.05 * r.u8();  // s
    const double rest = 0.1 * r.u8();           // s
    for (size_t i = 0; i < n; ++i) {
      t_imu += imu_dt;
      t[i] = t_imu;
      const double tau = std::fmod(std::fabs(t_imu), period + rest);
      const double w = tau < period ? amp * std::sin(2.0 * kPi * tau / period) : 0.0;
      theta_deg += w * imu_dt;
      if (!std::isfinite(theta_deg) || std::fabs(theta_deg) > 360.0) theta_deg = 0.0;
      const double th = theta_deg * kPi / 180.0;
      for (int k = 0; k < 3; ++k) gyro[3 * i + k] = 0.2f;  // a small bias
      gyro[3 * i + ax] = static_cast<float>(w);
      acc[3 * i + ax] = 0.05f;
      acc[3 * i + gx] = static_cast<float>(9.81 * std::cos(th));
      acc[3 * i + ox] = static_cast<float>(9.81 * std::sin(th));
    }
    soleus_push_imu_block(s, t, acc, gyro, n);
  }

  void emg_frame(Reader& r) {
    float f[SOLEUS_C_MAX_CHANNELS];
    const double t = hostile_time(r, t_emg, emg_dt);
    for (int c = 0; c < channels; ++c) f[c] = hostile_value(r, 5.0f);
    soleus_push_emg(s, t, f);
  }

  void imu_frame(Reader& r) {
    float a[3], g[3];
    const double t = hostile_time(r, t_imu, imu_dt);
    for (int k = 0; k < 3; ++k) a[k] = hostile_value(r, 40.0f);
    for (int k = 0; k < 3; ++k) g[k] = hostile_value(r, 3000.0f);
    soleus_push_imu(s, t, a, g);
  }

  // A block whose stamps all come from the input (wild, unsorted).
  void wild_block(Reader& r) {
    double t[16];
    float x[16 * SOLEUS_C_MAX_CHANNELS] = {};
    float acc[48] = {}, gyro[48] = {};
    const size_t n = r.u8() % 17;
    for (size_t i = 0; i < n; ++i) t[i] = hostile_time(r, i % 2 ? t_emg : t_imu, emg_dt);
    for (size_t i = 0; i < n * static_cast<size_t>(channels); ++i) x[i] = hostile_value(r, 1.0f);
    for (size_t i = 0; i < 3 * n; ++i) gyro[i] = hostile_value(r, 500.0f);
    soleus_push_emg_block(s, t, x, n);
    soleus_push_imu_block(s, t, acc, gyro, n);
  }

  void mvc(Reader& r) {
    const uint8_t m = r.u8();
    if (m % 3 == 0) {
      soleus_begin_mvc(s);
    } else if (m % 3 == 1) {
      soleus_end_mvc(s);
    } else {
      double ref[SOLEUS_C_MAX_CHANNELS];
      for (double& v : ref) {
        const uint8_t k = r.u8();
        v = k < 200 ? 0.01 * (1 + k) : (k < 220 ? r.f64() : (k < 240 ? 0.0 : -1.0));
      }
      soleus_set_mvc_references(s, ref);
    }
  }

  void nulls() {
    CHECK(soleus_push_emg(s, 0.0, nullptr) == SOLEUS_ERR_NULL, nullptr);
    CHECK(soleus_push_imu(s, 0.0, nullptr, nullptr) == SOLEUS_ERR_NULL, nullptr);
    CHECK(soleus_push_emg_block(s, nullptr, nullptr, 1) == SOLEUS_ERR_NULL, nullptr);
    soleus_push_emg_block(s, nullptr, nullptr, 0);  // n = 0: nothing to read, no fault
    CHECK(soleus_poll(s, nullptr) == 0, nullptr);
    CHECK(soleus_set_mvc_references(s, nullptr) == SOLEUS_ERR_NULL, nullptr);
  }
};

// The config: mostly valid choices, sometimes a raw double, so both the
// create path and the validate/create agreement are exercised.
void read_config(Reader& r, soleus_config& c) {
  soleus_config_default(&c);
  const uint8_t ch = r.u8();
  c.emg_channels = ch < 240 ? ch % (SOLEUS_C_MAX_CHANNELS + 1) : static_cast<int8_t>(r.u8());
  for (int i = 0; i < SOLEUS_C_MAX_CHANNELS; ++i) {
    std::snprintf(c.channel[i].name, sizeof c.channel[i].name, "ch%d", i);
    c.channel[i].muscle = i % 5;
  }
  static const double kEmgRates[] = {2000.0, 1000.0, 901.0, 4000.0, 1259.0, 20000.0, 500.0};
  const uint8_t er = r.u8();
  c.emg_rate_hz = er < 224 ? kEmgRates[er % 7] : r.f64();
  static const double kRanges[] = {INFINITY, 5.0, 1e-3, 1e30, 1e4, NAN, 0.0};
  const uint8_t rg = r.u8();
  c.emg_range = kRanges[rg % 7];
  const uint8_t flags = r.u8();
  c.imu_enabled = flags & 1;
  c.imu_acc_in_g = (flags >> 1) & 1;
  c.imu_gyro_in_rad_per_s = (flags >> 2) & 1;
  c.emg_burst_spectra = (flags >> 3) & 1;
  c.imu_placement = (flags >> 4) % 4;
  static const double kImuRates[] = {100.0, 50.0, 10.0, 200.0, 2000.0, 104.0, 9.0};
  const uint8_t ir = r.u8();
  c.imu_rate_hz = ir < 224 ? kImuRates[ir % 7] : r.f64();
  const uint8_t more = r.u8();  // rare: one raw double in another field
  if (more >= 200) {
    const double v = r.f64();
    switch (more % 12) {
      case 0: c.imu_acc_range = v; break;
      case 1: c.imu_gyro_range = v; break;
      case 2: c.body_mass_kg = v; break;
      case 3: c.set_gap_s = v; break;
      case 4: c.gap_factor = v; break;
      case 5: c.drift_tolerance = v; break;
      case 6: c.drift_window_s = v; break;
      case 7: c.resync_after_samples = static_cast<int32_t>(r.u16()) - 2; break;
      case 8: c.emg_restart_gap_s = v; break;
      case 9: c.fault_clear_s = v; break;
      case 10: c.inactivity_alert_s = v; break;
      default: c.activity_min_burst_s = v; break;
    }
  } else if (more >= 100) {
    c.inactivity_alert_s = 1.0 + more % 30;  // alerts within a short input
    c.set_gap_s = 1.0 + more % 5;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader r{data, size};
  soleus_config cfg;
  read_config(r, cfg);

  Fuzz f;
  const soleus_status v = soleus_config_validate(&cfg);
  const soleus_status st = soleus_create(&cfg, &f.s);
  // Documented: validate and create agree; *out is NULL on failure; the
  // error message is "ok" exactly when the config is valid.
  CHECK(v == st, nullptr);
  CHECK((st == SOLEUS_OK) == (f.s != nullptr), nullptr);
  const char* msg = soleus_config_error(&cfg);
  CHECK(msg != nullptr && ((std::strcmp(msg, "ok") == 0) == (st == SOLEUS_OK)), nullptr);
  if (st != SOLEUS_OK) return 0;

  f.channels = cfg.emg_channels;
  f.imu = cfg.imu_enabled != 0;
  f.emg_dt = 1.0 / cfg.emg_rate_hz;
  f.imu_dt = 1.0 / cfg.imu_rate_hz;
  f.acc_in_g = cfg.imu_acc_in_g != 0;
  f.gyro_in_rad = cfg.imu_gyro_in_rad_per_s != 0;
  f.which_rec = cfg.imu_placement == SOLEUS_PLACEMENT_SHANK_STANDING ? 1 : 0;

  int ops = 0;
  while (!r.empty() && ++ops <= 4096) {
    switch (r.u8() % 12) {
      case 0: case 1: f.emg_frame(r); break;
      case 2: case 3: f.emg_block(r); break;
      case 4: f.imu_frame(r); break;
      case 5: f.sim_block(r); break;
      case 6: f.imu_block(r); break;
      case 7: f.wild_block(r); break;
      case 8: f.mvc(r); break;
      case 9: f.check_state(); break;
      case 10: soleus_finish(f.s); break;  // pushes may follow: a new recording on the same session
      default: f.nulls(); break;
    }
    f.drain();
  }
  CHECK(soleus_finish(f.s) != SOLEUS_ERR_NULL, nullptr);
  f.drain();
  f.check_state();
  CHECK(soleus_last_error(f.s) != nullptr, nullptr);
  std::memcpy(g_last_events_by_type, f.by_type, sizeof f.by_type);
  if (std::getenv("SOLEUS_FUZZ_VERBOSE") != nullptr) {  // replaying seeds: what did they reach?
    std::fprintf(stderr, "events by type:");
    for (uint64_t n : f.by_type) std::fprintf(stderr, " %llu", static_cast<unsigned long long>(n));
    std::fprintf(stderr, "\n");
  }
  soleus_destroy(f.s);
  return 0;
}
