"""Recording (a file, or a synthetic heel-raise session) -> soleus.analyze -> tables + plot.

    python examples/analyze.py                          # synthetic session (soleus.demo's)
    python examples/analyze.py recording.csv --plot out/rec.png
    python examples/analyze.py trigno_export.csv --csv out/tables

soleus.analyze streams the arrays through the C++ soleus.Session (EMG and IMU
interleaved in time order, as a live app would) and returns a Result: pandas
tables (.reps, .sets, .bursts, .spectral, .activation, .angle, .quality),
.summary() and .plot(). Files are read with soleus.io.read_recording (CSV,
Delsys Trigno CSV, EDF, C3D) and analysed by soleus.analysis.analyze_recording,
which returns the same Result type.
"""
import argparse
import os

import soleus
import soleus.analysis
from soleus.io import read_recording


def from_file(path):
    # Every EMG channel (calf muscles first; more than 8 through more than one Session), the IMU, amplitudes
    # in mV when the file says its unit: the same Result as soleus.analyze on arrays, with res.notes.
    res = soleus.analysis.analyze_recording(read_recording(path))
    for note in res.notes:
        print(f"note: {note}")
    return res, os.path.basename(path)


def synthetic():
    from soleus.demo import demo_session

    s = demo_session()
    res = soleus.analyze(acc=s["acc"], gyro=s["gyro"], imu_fs=s["fs"], t_imu=s["t_s"], imu_reps={"placement": "foot"})
    return res, f"synthetic heel-raise session ({len(s['truth_reps'])} true reps/holds)"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("file", nargs="?", help="recording (CSV, Trigno CSV, EDF, C3D); default: synthetic")
    p.add_argument("--plot", default=os.path.join("out", "analyze.png"), help="PNG path (default out/analyze.png)")
    p.add_argument("--csv", metavar="DIR", help="write every table as DIR/<table>.csv")
    args = p.parse_args(argv)
    res, label = from_file(args.file) if args.file else synthetic()
    print(f"{label}: {res!r}\n")
    print(res.report())
    print()
    print(res.summary().to_string(index=False))
    if args.csv:
        os.makedirs(args.csv, exist_ok=True)
        for name, table in res.tables().items():
            table.to_csv(os.path.join(args.csv, f"{name}.csv"), index=False)
        print(f"tables: {os.path.abspath(args.csv)}")
    if args.plot:
        os.makedirs(os.path.dirname(os.path.abspath(args.plot)), exist_ok=True)
        res.plot(args.plot, title=label)
        print(f"plot: {os.path.abspath(args.plot)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
