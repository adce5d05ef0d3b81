/* soleus C API: a stable extern "C" surface over soleus::Session for apps
 * (Swift, Kotlin/JNI, C#, Rust FFI) and C firmware.
 *
 *   soleus_config cfg;
 *   soleus_config_default(&cfg);             // the published defaults
 *   cfg.emg_channels = 2; ...
 *   soleus_session* s = NULL;
 *   soleus_status st = soleus_create(&cfg, &s);   // the only allocation
 *   if (st != SOLEUS_OK) puts(soleus_config_error(&cfg));
 *   soleus_push_emg(s, t, frame);             // as samples arrive
 *   soleus_push_imu(s, t, acc, gyro);
 *   soleus_event e;
 *   while (soleus_poll(s, &e)) handle(&e);
 *   soleus_destroy(s);
 *
 * Rules. Plain C99 types, no callbacks, no exceptions cross the boundary
 * (the implementation never throws). All memory is allocated once by
 * soleus_create(); pushes and polls never allocate. Thread safety: none
 * inside; one thread owns a session (every call on it from that thread);
 * distinct sessions are independent. Times are seconds (double) on one clock
 * for both streams; EMG in input units (uV or mV), acc in m/s^2 (or g),
 * gyro in deg/s (or rad/s), see soleus_config. Strings returned are static.
 *
 * ABI: soleus_config.struct_size must equal sizeof(soleus_config) (set by
 * soleus_config_default); other structs are only written by the library.
 */
#ifndef SOLEUS_SOLEUS_H
#define SOLEUS_SOLEUS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 2: soleus_burst gained level_shift (sizeof(soleus_event) grew).
 * 3: soleus_state gained strides and pumps; SOLEUS_EVENT_BASELINE_RELEARNED.
 * 4: soleus_state gained pedal_cycles and cycling_s at its end (pedalling is
 *    no longer counted in pumps; sizeof(soleus_state) grew).
 * 5: SOLEUS_EVENT_REP_REFINED (a rep's heel contact re-timed after
 *    rep_completed: apply it to the rep with the same index).
 * 6: soleus_session_isa (which implementation a dispatching libsoleus chose).
 * Rebuild callers against this header. */
#define SOLEUS_C_API_VERSION 6
#define SOLEUS_C_MAX_CHANNELS 8

typedef enum soleus_status {
  SOLEUS_OK = 0,
  SOLEUS_ERR_INVALID_ARGUMENT = 1, /* a config field or argument is out of range */
  SOLEUS_ERR_CAPACITY = 2,         /* a fixed capacity was exceeded (e.g. event queue: events dropped) */
  SOLEUS_ERR_NOT_READY = 3,        /* stream not configured (e.g. IMU disabled) */
  SOLEUS_ERR_BAD_INPUT = 4,        /* samples dropped or contained: see the fault events */
  SOLEUS_ERR_UNSUPPORTED = 5,
  SOLEUS_ERR_NULL = 6,             /* a required pointer was NULL */
  SOLEUS_ERR_NO_MEMORY = 7,        /* soleus_create could not allocate the session */
  SOLEUS_ERR_VERSION = 8           /* struct_size does not match this library */
} soleus_status;

typedef enum soleus_muscle {
  SOLEUS_MUSCLE_SOLEUS = 0,
  SOLEUS_MUSCLE_GASTROCNEMIUS_MEDIALIS = 1,
  SOLEUS_MUSCLE_GASTROCNEMIUS_LATERALIS = 2,
  SOLEUS_MUSCLE_TIBIALIS_ANTERIOR = 3,
  SOLEUS_MUSCLE_OTHER = 4
} soleus_muscle;

typedef enum soleus_placement {
  SOLEUS_PLACEMENT_AUTOMATIC = 0,
  SOLEUS_PLACEMENT_FOOT = 1,
  SOLEUS_PLACEMENT_SHANK_STANDING = 2,
  SOLEUS_PLACEMENT_SHANK_SEATED = 3
} soleus_placement;

typedef struct soleus_channel {
  char name[16];   /* NUL-terminated */
  int32_t muscle;  /* soleus_muscle */
} soleus_channel;

/* The session configuration (C layout). Defaults: soleus_config_default();
 * the same numbers as soleus::SessionConfig (README table). Settings not
 * listed here keep the C++ defaults. */
typedef struct soleus_config {
  uint32_t struct_size;
  int32_t emg_channels;              /* 0..SOLEUS_C_MAX_CHANNELS (1) */
  soleus_channel channel[SOLEUS_C_MAX_CHANNELS]; /* ch 0: "soleus", soleus */
  double emg_rate_hz;                /* 2000; 500..20000 and above 2 x the EMG band-pass
                                        upper edge (450 Hz): > 900 Hz by default */
  double emg_range;                  /* |x| >= this is saturated; INFINITY = off */
  int32_t imu_enabled;               /* 1 */
  double imu_rate_hz;                /* 100 */
  int32_t imu_acc_in_g;              /* 0: m/s^2, 1: g */
  int32_t imu_gyro_in_rad_per_s;     /* 0: deg/s, 1: rad/s */
  double imu_acc_range;              /* 156.9 (16 g), acc units */
  double imu_gyro_range;             /* 2000, gyro units */
  int32_t imu_placement;             /* soleus_placement, automatic */
  double body_mass_kg;               /* 70: heel-rise work */
  double set_gap_s;                  /* 15: a longer rest closes a set */
  double gap_factor;                 /* 1.5 */
  double drift_tolerance;            /* 0.01 */
  double drift_window_s;             /* 10 */
  int32_t resync_after_samples;      /* 16 */
  double emg_restart_gap_s;          /* 1 */
  double fault_clear_s;              /* 1 */
  double inactivity_alert_s;         /* 3600 */
  double activity_min_burst_s;       /* 0.5 */
  int32_t emg_burst_spectra;         /* 0: off; 1: median / mean frequency per burst (FFTs while bursts last) */
} soleus_config;

typedef enum soleus_event_type {
  SOLEUS_EVENT_REP_STARTED = 0,
  SOLEUS_EVENT_TOP_REACHED = 1,
  SOLEUS_EVENT_LOWERING_STARTED = 2,
  SOLEUS_EVENT_REP_COMPLETED = 3,    /* rep */
  SOLEUS_EVENT_HOLD_COMPLETED = 4,   /* rep (isometric) */
  SOLEUS_EVENT_REP_REJECTED = 5,
  SOLEUS_EVENT_REST_MEASURED = 6,    /* rep.index, rep.rest_s */
  SOLEUS_EVENT_SET_COMPLETED = 7,    /* set */
  SOLEUS_EVENT_BURST_ONSET = 8,      /* burst, channel */
  SOLEUS_EVENT_BURST_OFFSET = 9,     /* burst, channel */
  SOLEUS_EVENT_FAULT = 10,           /* fault */
  SOLEUS_EVENT_INACTIVITY = 11,      /* value: inactive seconds */
  SOLEUS_EVENT_ACTIVITY_RESUMED = 12,/* value: length of the inactive stretch */
  SOLEUS_EVENT_AXIS_FOUND = 13,
  SOLEUS_EVENT_EVENTS_DROPPED = 14,  /* value: events lost (poll more often) */
  SOLEUS_EVENT_BASELINE_RELEARNED = 15,/* channel; value: times so far: the EMG rest baseline could not be rest
                                          (start inside a contraction, dead line) and was re-learned */
  SOLEUS_EVENT_REP_REFINED = 16      /* rep: an earlier rep (same rep.index) with its heel contact re-timed once
                                        the rest after the rebound settled: replaces end_s, eccentric_s and the
                                        eccentric speeds; rep.emg keeps the rep_completed statistics */
} soleus_event_type;

typedef enum soleus_fault_kind {
  SOLEUS_FAULT_GAP = 0,           /* value: missing seconds */
  SOLEUS_FAULT_DUPLICATE = 1,
  SOLEUS_FAULT_OUT_OF_ORDER = 2,
  SOLEUS_FAULT_CLOCK_RESET = 3,   /* value: backward jump, s */
  SOLEUS_FAULT_RATE_DRIFT = 4,    /* value: measured rate, Hz */
  SOLEUS_FAULT_BAD_TIMESTAMP = 5,
  SOLEUS_FAULT_NONFINITE = 6,
  SOLEUS_FAULT_SATURATED = 7
} soleus_fault_kind;

typedef enum soleus_stream { SOLEUS_STREAM_EMG = 0, SOLEUS_STREAM_IMU = 1 } soleus_stream;

typedef enum soleus_phase {
  SOLEUS_PHASE_REST = 0,
  SOLEUS_PHASE_CONCENTRIC = 1,
  SOLEUS_PHASE_TOP = 2,
  SOLEUS_PHASE_ECCENTRIC = 3,
  SOLEUS_PHASE_FINISHING = 4
} soleus_phase;

/* EMG statistics phases: index 0 concentric, 1 hold, 2 eccentric, 3 whole rep. */
typedef struct soleus_rep {
  int32_t index;
  int32_t partial, isometric, rest_known;
  double start_s, top_s, lower_start_s, end_s;
  double concentric_s, hold_s, eccentric_s, rest_s;
  double baseline_deg, top_deg, rom_deg;
  double concentric_peak_dps, concentric_mean_dps, hold_peak_dps, eccentric_peak_dps, eccentric_mean_dps;
  double heel_rise_m, work_j;
  int32_t emg_channels;   /* channels with statistics (0: no EMG) */
  int32_t emg_complete;   /* the EMG covered the whole rep */
  float emg_mean_pct_mvc[SOLEUS_C_MAX_CHANNELS][4];
  float emg_rms[SOLEUS_C_MAX_CHANNELS][4];
  float emg_onset_rel_heel_off_s[SOLEUS_C_MAX_CHANNELS];
} soleus_rep;

typedef struct soleus_set {
  int32_t index, rep_count, partial_count, hold_count, reps_dropped;
  double start_s, end_s;
  double mean_concentric_s, mean_hold_s, mean_eccentric_s, mean_rest_s;
  double mean_rom_deg, median_rom_deg, time_under_tension_s, total_work_j;
  double longest_hold_s, total_hold_s, tempo_adherence;
  /* Slope of the soleus burst median frequency over the set's reps (Hz per
   * rep; negative = fatiguing); valid only with emg_burst_spectra. */
  double fatigue_slope_per_rep;
  int32_t fatigue_valid;
} soleus_set;

typedef struct soleus_burst {
  int32_t channel;
  int32_t calibrated;      /* %MVC from a calibration (else relative) */
  double time_s;           /* onset / offset, delay-compensated, input clock */
  double detected_at_s;    /* stamp of the frame that confirmed it */
  double duration_s;       /* offsets */
  float peak_pct_mvc, mean_pct_mvc;
  /* offsets with emg_burst_spectra: Welch median / mean frequency of the
   * burst, slope of the per-segment median (Hz/s), segments used; NaN / 0 */
  float median_hz, mean_hz, median_slope_hz_per_s;
  int32_t spectrum_segments;
  /* offsets: 1 = ended as a level shift (the burst's level became the new
   * resting level, e.g. after standing up; its onset marks the rise) */
  int32_t level_shift;
} soleus_burst;

typedef struct soleus_fault {
  int32_t stream;   /* soleus_stream */
  int32_t kind;     /* soleus_fault_kind */
  int32_t channel;  /* EMG channel for nonfinite / saturated, else -1 */
  double value;
} soleus_fault;

typedef struct soleus_event {
  int32_t type;     /* soleus_event_type */
  int32_t channel;  /* burst events, else -1 */
  double t_s;
  double value;
  soleus_rep rep;
  soleus_set set;
  soleus_burst burst;
  soleus_fault fault;
} soleus_event;

typedef struct soleus_stream_stats {
  uint64_t accepted, gaps, duplicates, out_of_order, clock_resets, drift_episodes, bad_timestamps;
  uint64_t nonfinite_samples, saturated_samples;
  double missing_s, measured_rate_hz, last_time_s;
  int32_t drifting;
} soleus_stream_stats;

/* Quality flag bits of soleus_state.quality_flags[c]. */
#define SOLEUS_QUALITY_SATURATED 1u
#define SOLEUS_QUALITY_FLAT 2u
#define SOLEUS_QUALITY_MAINS 4u
#define SOLEUS_QUALITY_MOTION 8u
#define SOLEUS_QUALITY_LOW_SNR 16u
#define SOLEUS_QUALITY_NONFINITE 32u

typedef struct soleus_state {
  double time_s;
  int32_t emg_channels;
  int32_t mvc_calibrated;
  float activation_pct[SOLEUS_C_MAX_CHANNELS];
  float envelope[SOLEUS_C_MAX_CHANNELS];
  uint32_t quality_flags[SOLEUS_C_MAX_CHANNELS];
  int32_t burst_active[SOLEUS_C_MAX_CHANNELS];
  /* IMU repetition chain */
  int32_t phase;            /* soleus_phase */
  float angle_deg, rate_dps;
  int32_t axis_found, axis_explicit;
  float axis_confidence;
  float axis_sensor[3];
  float gyro_bias_dps[3];
  int32_t reps_total, holds_total, sets_completed, reps_in_open_set;
  /* daily calf-pump activity */
  double active_s, soleus_active_s, longest_inactive_s, current_inactive_s, last_active_s;
  uint32_t inactivity_alerts;
  uint32_t strides;         /* IMU strides of the instrumented foot (both feet's steps ~ 2x) */
  uint32_t pumps;           /* IMU ankle pumps (seated dorsi- + plantar-flexion cycles) */
  int32_t active_now;
  soleus_stream_stats emg, imu;
  uint64_t events_dropped;
  /* appended in version 4 */
  uint32_t pedal_cycles;    /* IMU crank turns while cycling (not in pumps) */
  double cycling_s;         /* IMU cycling time, seconds (also in active_s) */
} soleus_state;

typedef struct soleus_session soleus_session;

/* Threads (every entry point below): a session has ONE owner thread. Every
 * call taking a soleus_session* must come from that thread, or from threads
 * the caller serialises with its own mutex: the library takes no lock (no
 * blocking in real-time paths), and two calls on one session at once corrupt
 * it. Calls without a session (version, strerror, config_*) are reentrant
 * and thread-safe; distinct sessions may run on distinct threads.
 *
 * Library version ("0.2.0") and the message of a status code. */
const char* soleus_version(void);
const char* soleus_strerror(soleus_status status);

/* Defaults, validation (message naming the field, static string; "ok" when
 * valid). validate and create agree: validation is a trial creation (it
 * allocates and frees one session), so any config it accepts creates. */
void soleus_config_default(soleus_config* config);
soleus_status soleus_config_validate(const soleus_config* config);
const char* soleus_config_error(const soleus_config* config);

/* Lifecycle. soleus_create allocates once; *out is NULL on failure.
 * soleus_destroy: owner thread only, after its last call; the pointer is
 * invalid afterwards (any later use is undefined; NULL is ignored). */
soleus_status soleus_create(const soleus_config* config, soleus_session** out);
void soleus_destroy(soleus_session* session);
/* Message of the last non-OK status returned for this session (static).
 * Owner thread only. */
const char* soleus_last_error(const soleus_session* session);
/* The instruction set the session's engine was compiled for: "x86-64-v3"
 * (AVX2 + FMA) or "x86-64-v2" in a dispatching libsoleus (SOLEUS_PORTABLE on
 * x86-64 Linux: soleus_create picks the CPU's, or the baseline when the
 * environment variable SOLEUS_FORCE_BASELINE is set to 1), else the build's
 * own ("native", "compiler-default", ...). Static string; "none" for NULL.
 * Since SOLEUS_C_API_VERSION 6. */
const char* soleus_session_isa(const soleus_session* session);

/* Input. frame: emg_channels floats; frames: n x emg_channels interleaved;
 * acc, gyro: 3 floats (blocks: n x 3). Status: OK, BAD_INPUT (dropped or
 * contained samples, reported as fault events), CAPACITY (events dropped).
 * Owner thread only (EMG and IMU from two device threads: serialise them). */
soleus_status soleus_push_emg(soleus_session* s, double t_s, const float* frame);
soleus_status soleus_push_emg_block(soleus_session* s, const double* t_s, const float* frames, size_t n);
soleus_status soleus_push_imu(soleus_session* s, double t_s, const float* acc, const float* gyro);
soleus_status soleus_push_imu_block(soleus_session* s, const double* t_s, const float* acc, const float* gyro,
                                    size_t n);
/* End of the recording: closes the open set, releases held rep events.
 * Owner thread only. */
soleus_status soleus_finish(soleus_session* s);

/* MVC calibration: bracket a maximal contraction. Owner thread only. */
soleus_status soleus_begin_mvc(soleus_session* s);
soleus_status soleus_end_mvc(soleus_session* s);
/* Or known references, one per EMG channel (input units: the amplitude a
 * calibration contraction gave). Owner thread only. */
soleus_status soleus_set_mvc_references(soleus_session* s, const double* reference);

/* Events: 1 and *out written when there was one, 0 when the queue is empty.
 * Owner thread only (a reader thread must serialise with the pushes). */
int soleus_poll(soleus_session* s, soleus_event* out);
/* Live state snapshot. Owner thread only (it reads state a push writes). */
soleus_status soleus_get_state(const soleus_session* s, soleus_state* out);

#ifdef __cplusplus
}
#endif

#endif /* SOLEUS_SOLEUS_H */
