"""The EMG chain from Python against scipy (and neurokit2 when installed), same run.

Run:  python benchmarks/bench_python_emg.py [--minutes 60] [--repeats 3] [--json out.json]

Input: 2 channels x `minutes` of seeded synthetic EMG at 2 kHz (soleus.sim.emg:
Shwedyk EMG in bursts, 10 dB, 50 Hz mains with harmonics). Timed (median of
`repeats`, wall clock):
  soleus.EmgProcessor.process   band-pass 20-450 Hz, notches 50/100/150 Hz,
                                rectify, 6 Hz envelope, %MVC, burst detector
  soleus.detect_bursts          the same, returning the bursts table
  scipy                         the equivalent pipeline a user would write:
                                sosfilt band-pass + 3 iirnotch + |.| + 6 Hz
                                envelope + 5 Hz detection low-pass + threshold
                                onsets (rest mean + 3 SD, first 0.4 s; no
                                hysteresis or minimum duration)
  neurokit2.emg_process         per channel (its own cleaning, amplitude and
                                activation), if importable; it is ~1000x
                                slower, so it runs on --nk-minutes and its
                                ratio is per sample
Prints each time and the ratio to soleus, plus onset detection against the
ground truth (within 50 ms) for soleus and the scipy threshold detector.
"""
import argparse
import json
import statistics
import time

import numpy as np
import scipy.signal as sig

import soleus

FS = 2000.0


def median_time(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        out = None  # free the previous result first: each run then allocates alike
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def scipy_pipeline(x):
    """Band-pass, 3 notches, rectify, envelope, threshold onsets: (envelope, onsets per channel)."""
    bp = sig.butter(4, [20, 450], btype="bandpass", fs=FS, output="sos")
    notches = np.vstack([sig.tf2sos(*sig.iirnotch(f, f / 1.0, fs=FS)) for f in (50, 100, 150)])
    y = sig.sosfilt(np.vstack([bp, notches]), x, axis=0)
    r = np.abs(y)
    env = sig.sosfilt(sig.butter(2, 6, fs=FS, output="sos"), r, axis=0)
    d = sig.sosfilt(sig.butter(2, 5, fs=FS, output="sos"), r, axis=0)
    rest = d[int(0.08 * FS):int(0.4 * FS)]
    thr = rest.mean(axis=0) + 3 * rest.std(axis=0)
    onsets = []
    for c in range(x.shape[1]):
        above = d[:, c] > thr[c]
        onsets.append(np.flatnonzero(np.diff(above.astype(np.int8)) == 1) / FS)
    return env, onsets


def score(onsets, truth_onsets, tol_s=0.05):
    det = np.sort(np.asarray(onsets))
    if len(det) == 0:
        return 0.0, 0
    idx = np.clip(np.searchsorted(det, truth_onsets), 1, len(det) - 1)
    near = np.minimum(np.abs(det[idx] - truth_onsets), np.abs(det[idx - 1] - truth_onsets))
    hits = int(np.sum(near <= tol_s))
    return hits / len(truth_onsets), len(det) - hits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--nk-minutes", type=float, default=5.0,
                    help="neurokit2 runs on the first this many minutes (it needs ~10 s per channel-minute); "
                         "its ratio is per sample")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args()
    duration = args.minutes * 60.0
    n_bursts = int(duration / 2.2)
    chans, truths = [], []
    for seed in (1, 2):
        x, truth = soleus.sim.emg(duration_s=duration, fs=FS, n_bursts=n_bursts, snr_db=10,
                                  mains_hz=50.0, mains_amplitude_mv=0.5, mains_harmonics=3, seed=seed)
        chans.append(x)
        truths.append(truth)
    x = np.stack(chans, axis=1)  # (n, 2) float64
    n = x.shape[0]
    settings = dict(mains_mode="fixed", mains_hz=50.0, mains_harmonics=3)
    print(f"2 channels x {args.minutes:g} min at {FS:g} Hz ({n} samples per channel), "
          f"median of {args.repeats}")

    def run_processor():
        return soleus.EmgProcessor(FS, channels=2, **settings).process(x)

    t_proc, _ = median_time(run_processor, args.repeats)
    t_det, bursts = median_time(lambda: soleus.detect_bursts(x, FS, **settings), args.repeats)
    t_scipy, (_, sc_onsets) = median_time(lambda: scipy_pipeline(x), args.repeats)
    res = {"channels": 2, "samples_per_channel": n, "soleus_processor_s": t_proc,
           "soleus_detect_bursts_s": t_det, "scipy_s": t_scipy}
    ns = t_proc / (2 * n) * 1e9
    print(f"soleus.EmgProcessor.process : {t_proc:8.3f} s  ({ns:.1f} ns per channel-sample, incl. conversion)")
    print(f"soleus.detect_bursts        : {t_det:8.3f} s")
    print(f"scipy pipeline (float64)    : {t_scipy:8.3f} s  -> soleus is {t_scipy / t_proc:.1f}x faster "
          f"(detect_bursts: {t_scipy / t_det:.1f}x)")
    res["ratio_scipy_over_processor"] = t_scipy / t_proc
    res["ratio_scipy_over_detect_bursts"] = t_scipy / t_det
    try:
        import neurokit2 as nk
    except Exception as e:  # pragma: no cover - optional
        print(f"neurokit2                   : not available ({type(e).__name__})")
    else:
        m = min(n, int(args.nk_minutes * 60 * FS))

        def run_nk():
            return [nk.emg_process(x[:m, c], sampling_rate=int(FS)) for c in range(2)]

        t_nk, _ = median_time(run_nk, 1)
        t_nk_full = t_nk * n / m  # per-sample cost scaled to the whole record
        print(f"neurokit2.emg_process       : {t_nk:8.3f} s on {m / FS / 60:g} min (1 run), "
              f"{t_nk_full:.1f} s per {args.minutes:g} min -> soleus is {t_nk_full / t_proc:.0f}x faster "
              f"(detect_bursts: {t_nk_full / t_det:.0f}x)")
        res["neurokit2_s_measured"] = t_nk
        res["neurokit2_minutes_measured"] = m / FS / 60
        res["ratio_neurokit2_over_processor"] = t_nk_full / t_proc
    for c in range(2):
        on = bursts.onset_s[bursts.channel == c].to_numpy()
        d_sol, f_sol = score(on, truths[c].onset_s.to_numpy())
        d_sc, f_sc = score(sc_onsets[c], truths[c].onset_s.to_numpy())
        print(f"channel {c}: {len(truths[c])} true bursts; onsets within 50 ms: soleus {d_sol:.3f} "
              f"({f_sol} others), scipy threshold {d_sc:.3f} ({f_sc} others)")
        res[f"ch{c}_soleus_within_50ms"] = d_sol
        res[f"ch{c}_scipy_within_50ms"] = d_sc
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=2)


if __name__ == "__main__":
    main()
