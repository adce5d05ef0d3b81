"""soleus.sosfilt vs scipy.signal.sosfilt: 8 channels x 1 hour at 2 kHz.

Run:  python benchmarks/bench_python_sosfilt.py [--minutes 60] [--repeats 3]
Prints the median time of each and their ratio, measured in the same run
(float64 and float32 input; the 4-section 20-450 Hz EMG band-pass).

It also times ``x.copy()`` on the same array: any function that returns a new
array of x's size pays at least that (allocate, let the OS zero every fresh
page on first touch, read x, write y), so ``scipy time / copy time`` is the
largest ratio this machine allows. The kernel itself runs at ~0.4 ns per
channel-sample (bench_sos); most of the rest is that memory traffic (a perf
profile of the same call on one thread: page zeroing ~60 %, filtering ~30 %).
On the shared 2-core development VM the figures move 2-3x with other people's
builds: compare ratios from one run only.
"""
import argparse
import json
import statistics
import time

import numpy as np
import scipy.signal as sig

import soleus


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args()
    fs = 2000.0
    n = int(args.minutes * 60 * fs)
    x = np.random.default_rng(0).standard_normal((8, n))
    sos = sig.butter(4, [20, 450], "bandpass", fs=fs, output="sos")
    results = {"channels": 8, "samples_per_channel": n}
    for dtype in ("float64", "float32"):
        xd = x.astype(dtype)
        t_scipy = median_time(lambda: sig.sosfilt(sos, xd, axis=-1), args.repeats)
        t_soleus = median_time(lambda: soleus.sosfilt(sos, xd, axis=-1), args.repeats)
        t_copy = median_time(lambda: xd.copy(), args.repeats)
        ratio = t_scipy / t_soleus
        ns = t_soleus / (8 * n) * 1e9
        print(f"{dtype}: scipy {t_scipy:.3f} s, soleus {t_soleus:.3f} s "
              f"({ns:.2f} ns per channel-sample): soleus is {ratio:.1f}x faster; "
              f"x.copy() {t_copy:.3f} s, so no new-array result can beat {t_scipy / t_copy:.1f}x here")
        results[dtype] = {"scipy_s": t_scipy, "soleus_s": t_soleus, "ratio": ratio, "copy_s": t_copy,
                          "ratio_bound_by_copy": t_scipy / t_copy,
                          "soleus_ns_per_channel_sample": ns}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
