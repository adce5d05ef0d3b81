"""Heel-raise repetitions from a simulated foot IMU (random mounting, gyro bias), against ground truth.

Run:  python examples/heel_raises.py
"""
import numpy as np

import soleus

fs = 100.0
s = soleus.sim.heel_raise_session(fs=fs, n_sets=2, reps_per_set=8, gyro_bias_max_dps=3.0, seed=2)
acc, gyro, truth = s
reps = soleus.segment_reps(acc, gyro, fs=fs, placement="foot")
print(reps[["rep", "set", "start_s", "concentric_s", "hold_s", "eccentric_s", "rom_deg", "partial"]].round(3))
print(reps.attrs["sets"][["set", "rep_count", "mean_concentric_s", "mean_eccentric_s", "time_under_tension_s"]])
err_ms = 1e3 * np.abs(reps[["start_s", "top_s", "lower_start_s", "end_s"]].to_numpy()
                      - truth[["start_s", "top_s", "lower_start_s", "end_s"]].to_numpy())
print(f"{len(reps)} reps found, {len(truth)} true; phase-boundary error median {np.median(err_ms):.1f} ms, "
      f"max {err_ms.max():.0f} ms; axis {np.round(reps.attrs['axis_sensor'], 3)} "
      f"(true {np.round(s.sagittal_axis, 3)})")

# Real movement (issue 16): countermovement before heel-off, rebound past rest at heel contact, a resting
# angle that shifts from rep to rep, quick sets, and a few steps or fidgets between the sets. The default
# placement ('auto') finds the axis by itself.
r = soleus.sim.heel_raise_session(fs=fs, n_sets=3, reps_per_set=6, realistic=True,
                                  between_sets_activity_probability=1.0, seed=2)
found = soleus.segment_reps(r.acc, r.gyro, t=r.t_s)
print(f"realistic, activity between sets: {len(found)} reps found, {len(r.reps)} true")
