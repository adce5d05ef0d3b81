/* C99 test of the soleus C API (include/soleus/soleus.h): version, error
 * strings, config defaults and validation, create/destroy, and a simulated
 * session (heel-raise IMU + soleus and gastrocnemius EMG, with a NaN and
 * duplicate stamps) pushed through the C API must give exactly the events of
 * the C++ Session on the same input (reference from c_api_helper.cpp).
 * Bit for bit when the C API session runs code compiled for the helper's
 * instruction set (SOLEUS_TEST_HELPER_ISA); a dispatching libsoleus on an
 * AVX2 machine runs its x86-64-v3 implementation, whose fused multiply-adds
 * round differently: there the events must agree within the tolerances of
 * close_enough() below. `test_c_api --expect-isa NAME` also checks which
 * implementation soleus_create chose (ctest runs it with
 * SOLEUS_FORCE_BASELINE=1 too: tests/CMakeLists.txt).
 * Exit status 0 = pass. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_api_helper.h"
#include "soleus/soleus.h"

static int failures = 0;

#define CHECK(cond)                                                      \
  do {                                                                   \
    if (!(cond)) {                                                       \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                        \
    }                                                                    \
  } while (0)

static void test_basics(void) {
  soleus_config cfg;
  soleus_session* s = NULL;
  int code;
  const char* v = soleus_version();
  CHECK(v != NULL && strlen(v) >= 5);
  for (code = 0; code <= 8; ++code) CHECK(soleus_strerror((soleus_status)code) != NULL);
  CHECK(strcmp(soleus_strerror(SOLEUS_OK), "ok") == 0);
  CHECK(strstr(soleus_strerror((soleus_status)99), "unknown") != NULL);

  soleus_config_default(&cfg);
  CHECK(cfg.struct_size == sizeof(soleus_config));
  CHECK(cfg.emg_channels == 1);
  CHECK(strcmp(cfg.channel[0].name, "soleus") == 0);
  CHECK(cfg.channel[0].muscle == SOLEUS_MUSCLE_SOLEUS);
  CHECK(cfg.emg_rate_hz == 2000.0);
  CHECK(cfg.imu_enabled == 1 && cfg.imu_rate_hz == 100.0);
  CHECK(cfg.inactivity_alert_s == 3600.0);
  CHECK(soleus_config_validate(&cfg) == SOLEUS_OK);

  cfg.gap_factor = 0.5;
  CHECK(soleus_config_validate(&cfg) == SOLEUS_ERR_INVALID_ARGUMENT);
  CHECK(strncmp(soleus_config_error(&cfg), "gap_factor", 10) == 0);
  CHECK(soleus_create(&cfg, &s) == SOLEUS_ERR_INVALID_ARGUMENT);
  CHECK(s == NULL);
  soleus_config_default(&cfg);
  cfg.emg_channels = 9;
  CHECK(soleus_config_validate(&cfg) == SOLEUS_ERR_INVALID_ARGUMENT);
  CHECK(strstr(soleus_config_error(&cfg), "emg_channels") != NULL);
  soleus_config_default(&cfg);
  cfg.struct_size = 4;
  CHECK(soleus_create(&cfg, &s) == SOLEUS_ERR_VERSION);
  CHECK(soleus_create(NULL, &s) == SOLEUS_ERR_NULL);
  CHECK(soleus_push_emg(NULL, 0.0, NULL) == SOLEUS_ERR_NULL);
  CHECK(soleus_poll(NULL, NULL) == 0);

  /* EMG only: pushing IMU is "not ready"; the last error names it. */
  soleus_config_default(&cfg);
  cfg.imu_enabled = 0;
  CHECK(soleus_create(&cfg, &s) == SOLEUS_OK);
  CHECK(s != NULL);
  {
    const float acc[3] = {0.0f, 0.0f, 9.81f}, gyro[3] = {0.0f, 0.0f, 0.0f};
    const float x = 0.0f;
    soleus_state st;
    CHECK(soleus_push_imu(s, 0.0, acc, gyro) == SOLEUS_ERR_NOT_READY);
    CHECK(strstr(soleus_last_error(s), "imu_enabled") != NULL);
    CHECK(soleus_push_emg(s, 1.0, &x) == SOLEUS_OK);
    CHECK(soleus_push_emg(s, 1.0, &x) == SOLEUS_ERR_BAD_INPUT); /* duplicate stamp */
    CHECK(soleus_get_state(s, &st) == SOLEUS_OK);
    CHECK(st.emg.accepted == 1 && st.emg.duplicates == 1);
    CHECK(st.mvc_calibrated == 0);
    {
      const double ref[1] = {0.5}; /* mV: a calibration contraction's amplitude */
      CHECK(soleus_set_mvc_references(s, NULL) == SOLEUS_ERR_NULL);
      CHECK(soleus_set_mvc_references(s, ref) == SOLEUS_OK);
      CHECK(soleus_get_state(s, &st) == SOLEUS_OK);
      CHECK(st.mvc_calibrated == 1);
    }
  }
  soleus_destroy(s);
  soleus_destroy(NULL);
}

static int same_double(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }
static int same_float(float a, float b) { return memcmp(&a, &b, sizeof a) == 0; }

#ifndef SOLEUS_TEST_HELPER_ISA
#define SOLEUS_TEST_HELPER_ISA "unknown"
#endif
static const char* expected_isa = NULL; /* --expect-isa */

/* Largest differences seen between the two implementations (printed). */
static double max_time_diff_s = 0.0, max_value_rel = 0.0, max_rom_diff_deg = 0.0, max_emg_rel = 0.0;

static double rel_diff(double a, double b) {
  const double scale = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
  if (a == b || (isnan(a) && isnan(b))) return 0.0;
  return scale > 0.0 ? fabs(a - b) / scale : fabs(a - b);
}

static double abs_diff(double a, double b) {
  if (a == b || (isnan(a) && isnan(b))) return 0.0;
  return fabs(a - b);
}

/* Event fields of two builds of the same code that differ only in FMA
 * contraction and vector width. Counts, indices, types and channels must be
 * equal. Times within TIME_TOL_S, ROM within ROM_TOL_DEG, values and EMG
 * means within VALUE_REL_TOL: see their definitions. */
/* Tolerances as the Python package's two engines (tests/python/test_portable.py).
 * Times: event times are sample stamps or interpolated crossings; rounding
 * moves an interpolated crossing by far less than a sample, and a burst onset
 * whose threshold crossing flips by one EMG sample (0.5 ms at 2 kHz). Measured
 * (g++ 12, x86-64-v3 vs x86-64-v2): 5.5e-7 s, ROM 4.3e-6 deg, rep EMG mean
 * 1.5e-5 relative, values equal. */
#define TIME_TOL_S 5e-4
/* ROM: the integrated angle in float32 over a rep (~1000 IMU samples at
 * 1e-7 relative rounding per step) stays far within 1e-3 deg. */
#define ROM_TOL_DEG 1e-3
/* Values (activation %MVC, envelope, set statistics) and the per-rep EMG
 * mean: float32 filter chains, a relative 1e-4 (about 1000 float32 ulps). */
#define VALUE_REL_TOL 1e-4
static int close_enough(const soleus_event* e, const helper_event* r) {
  const double dt = abs_diff(e->t_s, r->t_s);
  const double dstart = abs_diff(e->rep.start_s, r->rep_start_s);
  const double dend = abs_diff(e->rep.end_s, r->rep_end_s);
  const double dburst = abs_diff(e->burst.time_s, r->burst_time_s);
  const double dvalue = rel_diff(e->value, r->value);
  const double drom = abs_diff(e->rep.rom_deg, r->rep_rom_deg);
  const double demg = rel_diff(e->rep.emg_mean_pct_mvc[0][3], r->rep_emg_mean_pct_mvc0);
  double dtime = dt;
  if (dstart > dtime) dtime = dstart;
  if (dend > dtime) dtime = dend;
  if (dburst > dtime) dtime = dburst;
  if (dtime > max_time_diff_s) max_time_diff_s = dtime;
  if (dvalue > max_value_rel) max_value_rel = dvalue;
  if (drom > max_rom_diff_deg) max_rom_diff_deg = drom;
  if (demg > max_emg_rel) max_emg_rel = demg;
  return e->type == r->type && e->channel == r->channel && e->rep.index == r->rep_index &&
         e->set.rep_count == r->set_rep_count && e->fault.stream == r->fault_stream &&
         e->fault.kind == r->fault_kind && e->fault.channel == r->fault_channel && dtime <= TIME_TOL_S &&
         drom <= ROM_TOL_DEG && dvalue <= VALUE_REL_TOL && demg <= VALUE_REL_TOL;
}

static void test_session_equals_cpp(void) {
  helper_input in;
  soleus_config cfg;
  soleus_session* s = NULL;
  soleus_event e;
  soleus_state st;
  helper_event* ref;
  size_t n_ref, n_got = 0, i = 0, j = 0, mismatches = 0;
  int reps = 0, exact;
  const char* isa;
  const size_t block = 100, cap = 100000;

  CHECK(helper_input_get(&in) == 0);
  soleus_config_default(&cfg);
  cfg.emg_channels = in.channels;
  strcpy(cfg.channel[0].name, "soleus");
  cfg.channel[0].muscle = SOLEUS_MUSCLE_SOLEUS;
  strcpy(cfg.channel[1].name, "gm");
  cfg.channel[1].muscle = SOLEUS_MUSCLE_GASTROCNEMIUS_MEDIALIS;
  cfg.emg_rate_hz = in.emg_rate_hz;
  cfg.imu_rate_hz = in.imu_rate_hz;
  CHECK(soleus_create(&cfg, &s) == SOLEUS_OK);
  if (s == NULL) return;
  isa = soleus_session_isa(s);
  exact = strcmp(isa, SOLEUS_TEST_HELPER_ISA) == 0;
  if (expected_isa != NULL) CHECK(strcmp(isa, expected_isa) == 0);
  printf("C API session: %s implementation (the C++ reference: %s): %s\n", isa, SOLEUS_TEST_HELPER_ISA,
         exact ? "bit for bit" : "within the stated tolerances");

  ref = (helper_event*)malloc(cap * sizeof *ref);
  /* The C++ reference in blocks of 7 frames, the C run in blocks of 100:
   * chunking must not matter. */
  n_ref = helper_reference_events(7, ref, cap);
  CHECK(n_ref > 0 && n_ref < cap);

  while (i < in.n_emg || j < in.n_imu) {
    size_t lim = i;
    while (j < in.n_imu && (i >= in.n_emg || in.imu_t[j] <= in.emg_t[i])) {
      soleus_push_imu(s, in.imu_t[j], in.acc + 3 * j, in.gyro + 3 * j);
      ++j;
    }
    while (lim < in.n_emg && lim - i < block && (j >= in.n_imu || in.emg_t[lim] < in.imu_t[j])) ++lim;
    if (lim == i && i < in.n_emg) lim = i + 1;
    if (lim > i) soleus_push_emg_block(s, in.emg_t + i, in.emg + i * (size_t)in.channels, lim - i);
    i = lim;
    while (soleus_poll(s, &e)) {
      if (n_got < n_ref) {
        const helper_event* r = &ref[n_got];
        int ok = exact ? e.type == r->type && e.channel == r->channel && same_double(e.t_s, r->t_s) &&
                 same_double(e.value, r->value) && e.rep.index == r->rep_index &&
                 same_double(e.rep.start_s, r->rep_start_s) && same_double(e.rep.end_s, r->rep_end_s) &&
                 same_double(e.rep.rom_deg, r->rep_rom_deg) &&
                 same_float(e.rep.emg_mean_pct_mvc[0][3], r->rep_emg_mean_pct_mvc0) &&
                 e.set.rep_count == r->set_rep_count && same_double(e.burst.time_s, r->burst_time_s) &&
                 e.fault.stream == r->fault_stream && e.fault.kind == r->fault_kind &&
                 e.fault.channel == r->fault_channel
                       : close_enough(&e, r);
        if (!ok && mismatches++ < 5)
          fprintf(stderr, "event %u differs: type %d vs %d, t %.9f vs %.9f\n", (unsigned)n_got, (int)e.type, r->type,
                  e.t_s, r->t_s);
      }
      if (e.type == SOLEUS_EVENT_REP_COMPLETED) ++reps;
      ++n_got;
    }
  }
  CHECK(soleus_finish(s) == SOLEUS_OK);
  while (soleus_poll(s, &e)) {
    if (n_got < n_ref && e.type != ref[n_got].type) ++mismatches;
    if (e.type == SOLEUS_EVENT_REP_COMPLETED) ++reps;
    ++n_got;
  }
  CHECK(n_got == n_ref);
  CHECK(mismatches == 0);
  CHECK(reps == in.true_reps);

  CHECK(soleus_get_state(s, &st) == SOLEUS_OK);
  CHECK(st.emg_channels == 2);
  CHECK(st.axis_found == 1);
  CHECK(st.reps_total == in.true_reps);
  CHECK(st.emg.duplicates == 1 && st.imu.duplicates == 1);
  CHECK(st.emg.nonfinite_samples == 1);
  CHECK(st.events_dropped == 0);
  CHECK(isfinite(st.activation_pct[0]) && isfinite(st.envelope[1]));
  CHECK(st.active_s > 0.0);
  printf("C API: %u events (%d reps), %s the C++ Session: %s\n", (unsigned)n_got, reps,
         exact ? "identical to" : "within tolerance of", mismatches == 0 && n_got == n_ref ? "yes" : "NO");
  if (!exact)
    printf("largest differences: time %.3g s, value %.3g (relative), ROM %.3g deg, rep EMG mean %.3g (relative)\n",
           max_time_diff_s, max_value_rel, max_rom_diff_deg, max_emg_rel);
  free(ref);
  soleus_destroy(s);
}

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "--expect-isa") == 0) expected_isa = argv[2];
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  /* --expect-dispatch BASELINE: the CPU's implementation, x86-64-v3 where
   * AVX2 + FMA + BMI2 run (the library's full check is stricter; every x86-64
   * CPU with these three has the rest of x86-64-v3), else BASELINE. */
  if (argc == 3 && strcmp(argv[1], "--expect-dispatch") == 0) {
    __builtin_cpu_init();
    expected_isa = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2")
                       ? "x86-64-v3"
                       : argv[2];
  }
#endif
  test_basics();
  test_session_equals_cpp();
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("all C API checks passed\n");
  return 0;
}
