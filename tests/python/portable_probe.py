"""Prints, as JSON, a small fixed computation with the installed soleus (filters, spectra,
analyze on a simulated session with EMG) and the engine build that ran it.

Run by test_portable.py in subprocesses: natively, with SOLEUS_FORCE_BASELINE=1, and under
qemu-x86_64 with emulated CPUs. Floats are written with repr, so equal text = equal bits.
"""
import json
import sys

import numpy as np

import soleus


def main():
    out = {"build": soleus.build_info(), "simd": soleus.__simd__, "version": soleus.__version__}
    rng = np.random.default_rng(7)
    x = rng.standard_normal((5, 3000))
    sos = soleus.butter(4, [20, 450], btype="bandpass", fs=2000)
    out["butter"] = sos.ravel().tolist()
    out["sosfilt_f64"] = soleus.sosfilt(sos, x).ravel().tolist()
    out["sosfilt_f32"] = soleus.sosfilt(sos, x.astype(np.float32)).astype(np.float64).ravel().tolist()
    mains = soleus.mains_filter(50.0, 2000.0, harmonics=3)
    out["mains_f64"] = soleus.sosfilt(mains, x[0]).tolist()

    sim = soleus.sim.heel_raise_session(fs=100.0, n_sets=1, reps_per_set=5, seed=3, emg=True)
    sf = soleus.spectral_features(sim.emg[:, 0], sim.emg_fs)
    out["median_hz"] = sf["median_hz"].astype(float).tolist()
    out["mean_hz"] = sf["mean_hz"].astype(float).tolist()
    res = soleus.analyze(emg=sim.emg, emg_fs=sim.emg_fs, t_emg=sim.emg_t_s,
                         acc=sim.acc, gyro=sim.gyro, imu_fs=sim.fs, t_imu=sim.t_s)
    out["true_reps"] = len(sim.reps)
    out["n_reps"] = len(res.reps)
    out["n_bursts"] = len(res.bursts)
    for col in ("start_s", "end_s", "rom_deg"):
        out["rep_" + col] = res.reps[col].astype(float).tolist()
    for col in ("onset_s", "offset_s"):
        out["burst_" + col] = res.bursts[col].astype(float).tolist()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
