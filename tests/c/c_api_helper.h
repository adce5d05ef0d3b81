/* Test helper for tests/c/test_c_api.c, written in C++ (c_api_helper.cpp) and
 * callable from C: makes a simulated session (heel-raise IMU + two calf EMG
 * channels, with a few input faults) and runs the C++ soleus::Session on it
 * to give the reference events the C API must reproduce. */
#ifndef SOLEUS_TEST_C_API_HELPER_H
#define SOLEUS_TEST_C_API_HELPER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct helper_input {
  int channels;
  double emg_rate_hz, imu_rate_hz;
  size_t n_emg;
  const double* emg_t;  /* n_emg */
  const float* emg;     /* n_emg x channels */
  size_t n_imu;
  const double* imu_t;  /* n_imu */
  const float* acc;     /* n_imu x 3 */
  const float* gyro;    /* n_imu x 3 */
  int true_reps;
} helper_input;

/* What the C test compares, per event, taken from the C++ Session. */
typedef struct helper_event {
  int type;
  int channel;
  double t_s;
  double value;
  int rep_index;
  double rep_start_s, rep_end_s, rep_rom_deg;
  float rep_emg_mean_pct_mvc0; /* channel 0, whole rep */
  int set_rep_count;
  double burst_time_s;
  int fault_stream, fault_kind, fault_channel;
} helper_event;

/* Static input (built once); 0 on success. */
int helper_input_get(helper_input* out);
/* Reference events of the C++ Session fed the same way as the C test feeds
 * (IMU samples stamped at or before the next EMG frame first; EMG in blocks
 * of block_frames); writes at most cap; returns the total count. */
size_t helper_reference_events(size_t block_frames, helper_event* out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
