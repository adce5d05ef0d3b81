"""Median-frequency decline of a fatiguing synthetic contraction, recovered by soleus.

Run:  python examples/fatigue.py
"""
import numpy as np

import soleus

fs = 2000.0
# One 60 s contraction whose spectrum compresses to 70 % (f_l, f_h scaled) by the end.
x, bursts, truth = soleus.sim.emg(duration_s=60, fs=fs, snr_db=20, fatigue_scale_end=0.7, seed=3,
                                  return_components=True)
df = soleus.spectral_features(x, fs, window_s=1.0, overlap=0.5, segment_s=0.25, hop_s=0.5)
slope, _ = np.polyfit(df.t_s, df.median_hz, 1)
true_slope, _ = np.polyfit(truth["truth_t_s"], truth["truth_median_hz"], 1)
print(df.head())
print(f"median frequency slope: measured {slope:.3f} Hz/s, ground truth {true_slope:.3f} Hz/s")
