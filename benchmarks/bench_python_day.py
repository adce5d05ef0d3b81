"""A day at 100 Hz analysed offline from Python: the issue-15 budget is under 5 s.

Run:  python benchmarks/bench_python_day.py [--hours 24] [--fs 100] [--repeats 3] [--seed 1] [--json out.json]

Input: `hours` of a seeded simulated day seen by one foot-worn IMU
(soleus.sim.day: walking, stairs, standing, sitting, seated ankle pumps, heel
raises, cycling; random mounting, bias, noise, jittered stamps), generated once
and not timed. Timed (median of `repeats`, wall clock, each from numpy arrays
to tables):
  soleus.activity   the IMU activity layer alone (strides, pumps, stillness,
                    per-minute table and event tables)
  soleus.analyze    the whole IMU Session (orientation, axis, rep engine,
                    activity layer, inactivity alerts) with its tables: reps,
                    sets, angle, quality and the per-minute activity table
Prints each time, samples per second and whether it is under the 5 s budget.
"""
import argparse
import json
import statistics
import time

import soleus

BUDGET_S = 5.0


def median_time(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        out = None  # free the previous result first: each run then allocates alike
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hours", type=float, default=24.0)
    ap.add_argument("--fs", type=float, default=100.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="write the figures to this file")
    a = ap.parse_args()

    t0 = time.perf_counter()
    day = soleus.sim.day(hours=a.hours, fs=a.fs, seed=a.seed)
    gen_s = time.perf_counter() - t0
    n = len(day.t_s)
    print(f"input: {a.hours:g} h at {a.fs:g} Hz = {n:,} IMU samples ({day.strides} strides, {day.pumps} pumps, "
          f"{day.raises} raises in {len(day.bouts)} bouts); simulated in {gen_s:.2f} s (not timed)")

    out = {"hours": a.hours, "fs_hz": a.fs, "samples": n, "repeats": a.repeats}
    med, times, df = median_time(lambda: soleus.activity(day.acc, day.gyro, t=day.t_s), a.repeats)
    out["activity_s"] = med
    print(f"soleus.activity: {med:.2f} s median of {[round(x, 2) for x in times]} "
          f"({n / med / 1e6:.1f} M samples/s, {med / n * 1e9:.0f} ns/sample; {len(df)} minutes)")
    med, times, res = median_time(lambda: soleus.analyze(acc=day.acc, gyro=day.gyro, imu_fs=a.fs, t_imu=day.t_s),
                                  a.repeats)
    out["analyze_s"] = med
    print(f"soleus.analyze:  {med:.2f} s median of {[round(x, 2) for x in times]} "
          f"({n / med / 1e6:.1f} M samples/s, {med / n * 1e9:.0f} ns/sample; {len(res.activity)} minutes, "
          f"{len(res.reps)} reps)")
    print(res.activity_report())
    worst = max(out["activity_s"], out["analyze_s"])
    print(f"budget: a day analysed in under {BUDGET_S:g} s: {'yes' if worst < BUDGET_S else 'NO'} "
          f"(slowest {worst:.2f} s)")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=1)


if __name__ == "__main__":
    main()
