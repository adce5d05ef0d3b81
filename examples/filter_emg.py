"""Band-pass and mains-filter a multi-channel EMG array with soleus, and compare with scipy.

Run:  python examples/filter_emg.py
"""
import time

import numpy as np

import soleus

fs = 2000.0
rng = np.random.default_rng(0)
t = np.arange(int(10 * fs)) / fs
# 4 channels of broadband "EMG" with 50 Hz hum and an electrode offset.
emg = rng.standard_normal((4, t.size)) * 0.1
x = emg + 0.5 * np.sin(2 * np.pi * 50 * t) + 0.3

sos = np.vstack([soleus.butter(4, [20, 450], "bandpass", fs=fs),
                 soleus.mains_filter(50, fs=fs, harmonics=3)])
t0 = time.perf_counter()
y = soleus.sosfilt(sos, x, axis=-1)  # offline: float64 in, float64 out
print(f"filtered {x.shape} in {1e3 * (time.perf_counter() - t0):.1f} ms")

# Streaming: the same numbers, chunk by chunk (frames are rows here).
f = soleus.SosFilter(sos, channels=4, dtype="float64")
chunks = [f.process(x.T[i:i + 128]) for i in range(0, t.size, 128)]
print("streaming equals offline:", np.array_equal(np.vstack(chunks).T, y))

try:
    import scipy.signal as sig

    print("max |soleus - scipy|:", float(np.max(np.abs(y - sig.sosfilt(sos, x)))))
except ImportError:
    print("(install scipy to compare)")
