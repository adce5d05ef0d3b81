"""Test input for the Session tests: a simulated heel-raise session (soleus.sim) with calf EMG.

The EMG is composed here the way tests/cpp/session_sim.hpp does it in C++: one
Shwedyk burst per true rep, from 0.1 s before heel-off to the end of the
lowering, per channel (soleus 0.5 mV, gastrocnemius 0.3 mV, 15 dB SNR). Exactly
one burst per rep is what these tests score against; the simulator's own
coupled EMG (``heel_raise_session(emg=True)``, phase-dependent levels down to a
4 % rest) is more realistic and less exact (a low eccentric level can end a
burst early), and is exercised by the demo test and tests/python/test_reps.py.
"""
import numpy as np

import soleus


def heel_raise_with_emg(*, seed=7, n_sets=2, reps_per_set=5, imu_fs=100.0, emg_fs=2000.0, channels=2,
                        **sim_settings):
    sim = soleus.sim.heel_raise_session(fs=imu_fs, n_sets=n_sets, reps_per_set=reps_per_set, seed=seed,
                                        partial_probability=0.0, **sim_settings)
    duration = float(sim.t_s[-1] + 1.0 / imu_fs)
    n = int(duration * emg_fs)
    bursts = [(r.start_s - 0.1, r.end_s, 1.0, 0.05) for r in sim.reps.itertuples()]
    cols = []
    for c in range(channels):
        x, _ = soleus.sim.emg(duration_s=n / emg_fs, fs=emg_fs, bursts=bursts, snr_db=15.0,
                              amplitude_mv=0.5 if c == 0 else 0.3, seed=seed * 31 + c)
        cols.append(x[:n])
    emg = np.column_stack(cols)
    t_emg = np.arange(n) / emg_fs
    return sim, emg, t_emg
