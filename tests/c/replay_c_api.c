/* Replays a recorded push sequence through the C API and prints every event
 * as one CSV line (tests/python/test_session_parity.py compares the lines
 * with the C++ Session's, tests/cpp/replay_session.cpp, and soleus.Session's).
 *
 * Usage: replay_c_api FILE
 *
 * FILE (little-endian, written by tests/python/session_replay.py):
 *   char magic[8] = "SOLEUSR1"; int32 channels; int32 imu_enabled;
 *   double emg_rate_hz; double imu_rate_hz;
 *   records: int32 kind; int32 n; then
 *     kind 1 (EMG block): double t[n]; float frames[n * channels]
 *     kind 2 (IMU block): double t[n]; float acc[n * 3]; float gyro[n * 3]
 *     kind 3 (finish):    nothing
 * Channels: 0 soleus, 1 gastrocnemius medialis, 2 lateralis, 3 tibialis anterior.
 * Line format: see print_event(); doubles %.17g, NaN printed as "nan".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soleus/soleus.h"

static void pd(double v) {
  if (isnan(v)) printf(",nan");
  else printf(",%.17g", v);
}

static void print_event(const soleus_event* e, int channels) {
  int c, p;
  printf("%d", (int)e->type);
  pd(e->t_s);
  printf(",%d", (int)e->channel);
  pd(e->value);
  if (e->type <= SOLEUS_EVENT_REST_MEASURED || e->type == SOLEUS_EVENT_REP_REFINED) {
    const soleus_rep* r = &e->rep;
    printf(",%d", (int)r->index);
    pd(r->start_s); pd(r->top_s); pd(r->lower_start_s); pd(r->end_s);
    pd(r->concentric_s); pd(r->hold_s); pd(r->eccentric_s); pd(r->rest_s);
    printf(",%d", r->rest_known ? 1 : 0);
    pd(r->baseline_deg); pd(r->top_deg); pd(r->rom_deg);
    pd(r->concentric_peak_dps); pd(r->concentric_mean_dps); pd(r->hold_peak_dps);
    pd(r->eccentric_peak_dps); pd(r->eccentric_mean_dps);
    pd(r->heel_rise_m); pd(r->work_j);
    printf(",%d,%d", r->partial ? 1 : 0, r->isometric ? 1 : 0);
    if (e->type == SOLEUS_EVENT_REP_COMPLETED || e->type == SOLEUS_EVENT_HOLD_COMPLETED) {
      printf(",%d", r->emg_complete ? 1 : 0);
      for (c = 0; c < channels; ++c) {
        for (p = 0; p < 4; ++p) pd((double)r->emg_mean_pct_mvc[c][p]);
        for (p = 0; p < 4; ++p) pd((double)r->emg_rms[c][p]);
        pd((double)r->emg_onset_rel_heel_off_s[c]);
      }
    }
  } else if (e->type == SOLEUS_EVENT_SET_COMPLETED) {
    const soleus_set* s = &e->set;
    printf(",%d,%d,%d,%d", (int)s->index, (int)s->rep_count, (int)s->partial_count, (int)s->hold_count);
    pd(s->start_s); pd(s->end_s);
    pd(s->mean_concentric_s); pd(s->mean_hold_s); pd(s->mean_eccentric_s); pd(s->mean_rest_s);
    pd(s->mean_rom_deg); pd(s->median_rom_deg); pd(s->time_under_tension_s); pd(s->total_work_j);
    pd(s->longest_hold_s); pd(s->total_hold_s); pd(s->tempo_adherence);
  } else if (e->type == SOLEUS_EVENT_BURST_ONSET || e->type == SOLEUS_EVENT_BURST_OFFSET) {
    const soleus_burst* b = &e->burst;
    printf(",%d", (int)b->channel);
    pd(b->time_s); pd(b->detected_at_s); pd(b->duration_s);
    pd((double)b->peak_pct_mvc); pd((double)b->mean_pct_mvc);
    printf(",%d,%d", b->calibrated ? 1 : 0, b->level_shift ? 1 : 0);
  } else if (e->type == SOLEUS_EVENT_FAULT) {
    printf(",%d,%d,%d", (int)e->fault.stream, (int)e->fault.kind, (int)e->fault.channel);
    pd(e->fault.value);
  }
  printf("\n");
}

static int read_exact(FILE* f, void* p, size_t size, size_t n) { return fread(p, size, n, f) == n; }

int main(int argc, char** argv) {
  static const char* names[4] = {"soleus", "gm", "gl", "ta"};
  FILE* f;
  char magic[8];
  int32_t channels, imu_enabled, kind, n;
  double emg_rate, imu_rate;
  soleus_config cfg;
  soleus_session* s = NULL;
  soleus_event e;
  int i, rc = 0;
  if (argc != 2) {
    fprintf(stderr, "usage: replay_c_api FILE\n");
    return 2;
  }
  f = fopen(argv[1], "rb");
  if (!f) {
    fprintf(stderr, "replay_c_api: cannot open %s\n", argv[1]);
    return 2;
  }
  if (!read_exact(f, magic, 1, 8) || memcmp(magic, "SOLEUSR1", 8) != 0 || !read_exact(f, &channels, 4, 1) ||
      !read_exact(f, &imu_enabled, 4, 1) || !read_exact(f, &emg_rate, 8, 1) || !read_exact(f, &imu_rate, 8, 1) ||
      channels < 0 || channels > SOLEUS_C_MAX_CHANNELS) {
    fprintf(stderr, "replay_c_api: %s: bad header\n", argv[1]);
    fclose(f);
    return 2;
  }
  soleus_config_default(&cfg);
  cfg.emg_channels = channels;
  for (i = 0; i < channels; ++i) {
    memset(cfg.channel[i].name, 0, sizeof cfg.channel[i].name);
    if (i < 4) {
      strcpy(cfg.channel[i].name, names[i]);
      cfg.channel[i].muscle = i;
    } else {
      sprintf(cfg.channel[i].name, "ch%d", i);
      cfg.channel[i].muscle = SOLEUS_MUSCLE_OTHER;
    }
  }
  cfg.emg_rate_hz = emg_rate;
  cfg.imu_rate_hz = imu_rate;
  cfg.imu_enabled = imu_enabled;
  if (soleus_create(&cfg, &s) != SOLEUS_OK) {
    fprintf(stderr, "replay_c_api: config: %s\n", soleus_config_error(&cfg));
    fclose(f);
    return 2;
  }
  while (read_exact(f, &kind, 4, 1)) {
    double* t;
    float* data;
    size_t width;
    if (!read_exact(f, &n, 4, 1) || n < 0) {
      rc = 2;
      break;
    }
    if (kind == 3) {
      soleus_finish(s);
      while (soleus_poll(s, &e)) print_event(&e, channels);
      continue;
    }
    width = kind == 1 ? (size_t)channels : 6u;
    t = (double*)malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    data = (float*)malloc(sizeof(float) * (size_t)(n > 0 ? n : 1) * (width > 0 ? width : 1));
    if (!t || !data || !read_exact(f, t, 8, (size_t)n) || !read_exact(f, data, 4, (size_t)n * width)) {
      free(t);
      free(data);
      rc = 2;
      break;
    }
    if (kind == 1) soleus_push_emg_block(s, t, data, (size_t)n);
    else if (kind == 2) soleus_push_imu_block(s, t, data, data + 3 * (size_t)n, (size_t)n);
    free(t);
    free(data);
    while (soleus_poll(s, &e)) print_event(&e, channels);
  }
  if (rc != 0) fprintf(stderr, "replay_c_api: %s: truncated record\n", argv[1]);
  soleus_destroy(s);
  fclose(f);
  return rc;
}
