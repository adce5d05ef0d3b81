"""Command line: ``soleus analyze FILE...``, ``soleus demo [--filter]``, ``soleus version`` (also ``python -m soleus``).

``soleus demo`` streams a synthetic heel-raise session through
:class:`soleus.Session` and prints the rep table and set summary
(:mod:`soleus.demo`); ``soleus demo --filter`` is the filter demo.

``soleus analyze`` reads each file (CSV, Delsys Trigno CSV, EDF, C3D), runs
:func:`soleus.analysis.analyze_recording` on it, prints a summary table and
writes what was asked: ``--json`` (all files in one document), ``--csv DIR``
(one table per file and kind plus ``summary.csv``; with an IMU also the
per-minute ``activity`` table), ``--plot`` (a PNG per file), ``--day-plot``
(with an IMU: the day plot, a PNG per file). A file that cannot be analysed gets a one-line reason on stderr; the
exit status is then 1 (2 for bad arguments).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

import numpy as np


def _demo_signal(fs: float, seconds: float, seed: int = 7):
    """A built-in test signal: EMG-like bursts + 50 Hz hum 10x the EMG + a DC offset.

    The 'EMG' is white noise band-limited to 30-300 Hz, switched on in three
    bursts; it is reproducible (seeded), so the demo prints the same figures
    on every machine.
    """
    import soleus

    rng = np.random.default_rng(seed)
    n = int(fs * seconds)
    t = np.arange(n) / fs
    emg = soleus.sosfilt(soleus.butter(4, [30, 300], "bandpass", fs=fs), rng.standard_normal(n))
    gate = np.zeros(n)
    for on, off in ((0.5, 1.2), (1.8, 2.4), (3.0, 3.6)):
        gate[(t >= on) & (t < off)] = 1.0
    emg = emg * gate
    emg_rms = np.sqrt(np.mean(emg[gate > 0] ** 2))
    hum = 10 * emg_rms * np.sqrt(2) * np.sin(2 * np.pi * 50.0 * t)
    return t, emg, hum, 0.8


def filter_demo() -> int:
    """``soleus demo --filter``: band-pass + mains notches on a built-in signal (the original demo)."""
    import soleus

    fs = 2000.0
    t, emg, hum, offset = _demo_signal(fs, 4.0)
    x = (emg + hum + offset).astype(np.float32)
    bp = soleus.butter(4, [20, 450], "bandpass", fs=fs)
    mains = soleus.mains_filter(50.0, fs, bandwidth=4.0)
    sos = np.vstack([bp, mains])
    f = soleus.SosFilter(sos, channels=1, dtype="float32")
    start = time.perf_counter()
    y = f.process(x)
    elapsed = time.perf_counter() - start

    def rms(v):
        return float(np.sqrt(np.mean(np.square(v, dtype=np.float64))))

    settle = int(0.25 * fs)  # skip the filters' start-up transient
    active = (t >= 0.5) & (t < 1.2)
    active[:settle] = False
    print(f"soleus {soleus.__version__} demo: {len(x)} samples at {fs:g} Hz "
          f"(built-in synthetic EMG bursts + 50 Hz hum at 10x the EMG's RMS + {offset} offset)")
    print(f"designed: Butterworth band-pass 20-450 Hz, order 4 -> {bp.shape[0]} sections;")
    print(f"          mains notches at 50 Hz and {mains.shape[0] - 1} harmonics below Nyquist "
          f"(4 Hz wide) -> {mains.shape[0]} sections")
    print(f"filtered: float32, {sos.shape[0]} sections in one cascade, "
          f"{elapsed / len(x) * 1e9:.1f} ns per sample (Python call included)")
    print(f"before:   RMS {rms(x[settle:]):.3f} (hum {rms(hum):.3f}, offset {offset}), "
          f"EMG burst RMS {rms(emg[active]):.3f}")
    hum_left = rms((y - soleus.sosfilt(sos, emg.astype(np.float32)))[settle:])
    print(f"after:    RMS {rms(y[settle:]):.3f}; hum + offset left {hum_left:.4f} "
          f"({20 * np.log10(hum_left / rms(hum)):.1f} dB); "
          f"EMG burst RMS {rms(y[active]):.3f}")
    return 0


class _TextProgress:
    """A minimal progress bar on stderr for when tqdm is not installed."""

    def __init__(self, total: int, enabled: bool = True, width: int = 30):
        self.total, self.enabled, self.width, self.done = total, enabled, width, 0

    def update(self, label: str = "") -> None:
        self.done += 1
        if self.enabled:
            filled = int(self.width * self.done / max(1, self.total))
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} "
                             f"{label[:40]:<40}")
            sys.stderr.flush()

    def write(self, msg: str) -> None:
        if self.enabled and self.done:
            sys.stderr.write("\n")
        sys.stderr.write(msg + "\n")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.done:
            sys.stderr.write("\n")
            sys.stderr.flush()


class _Progress:
    """tqdm when installed, else :class:`_TextProgress`; messages go around the bar."""

    def __init__(self, total: int, enabled: bool):
        self._bar: Any = None
        self._text: Any = None  # a _TextProgress when tqdm is missing
        try:
            from tqdm import tqdm
        except ImportError:
            self._bar, self._text = None, _TextProgress(total, enabled)
        else:
            self._bar = tqdm(total=total, unit="file", file=sys.stderr, disable=not enabled,
                             desc="analyze", dynamic_ncols=True)
            self._text = None

    def update(self, label: str) -> None:
        if self._bar is not None:
            self._bar.set_postfix_str(label[:40], refresh=False)
            self._bar.update(1)
        else:
            self._text.update(label)

    def write(self, msg: str) -> None:
        if self._bar is not None:
            self._bar.write(msg, file=sys.stderr)
        else:
            self._text.write(msg)

    def close(self) -> None:
        (self._bar or self._text).close()


def _unique_stems(paths):
    """File stems made unique (``a``, ``a-2``) to name per-file outputs."""
    seen, out = {}, []
    for p in paths:
        stem = os.path.splitext(os.path.basename(p))[0] or "recording"
        seen[stem] = seen.get(stem, 0) + 1
        out.append(stem if seen[stem] == 1 else f"{stem}-{seen[stem]}")
    return out


def _plot_path(plot: str, stem: str, n_files: int) -> str:
    if n_files == 1:
        return plot
    root, ext = os.path.splitext(plot)
    return f"{root}_{stem}{ext or '.png'}"


def _read_options(args):
    opts = {}
    if args.fs is not None:
        opts["fs"] = args.fs
    if args.time_column is not None:
        opts["time_column"] = int(args.time_column) if args.time_column.isdigit() else args.time_column
    if args.emg_unit is not None:
        opts["units"] = {"emg": args.emg_unit}
    if args.header_rows is not None:
        opts["header_rows"] = args.header_rows
    # Names or 0-based positions (``--acc 1,2,3``).
    columns = {role: [int(c) if c.strip().isdigit() else c.strip() for c in getattr(args, role).split(",")]
               for role in ("emg", "acc", "gyro") if getattr(args, role)}
    if columns:
        opts["columns"] = columns
    return opts


# The per-file tables that --csv and --json write (besides the summary); reps, sets and activity with an IMU.
_FILE_TABLES = ("spectral", "quality", "bursts", "reps", "sets", "activity")


def _file_summary(res):
    """The CLI's summary rows of one file: ``FILE_SUMMARY_COLUMNS`` of :meth:`soleus.Result.summary`
    (without the EMG's RMS and spectral columns for a file without EMG)."""
    from soleus.analysis import _EMG_FIGURE_COLUMNS, FILE_SUMMARY_COLUMNS

    cols = [c for c in FILE_SUMMARY_COLUMNS if res.channels or c not in _EMG_FIGURE_COLUMNS]
    return res.summary()[cols].copy()


def _file_dict(res, summary):
    """One file of the --json document: source, notes, the summary rows and the other tables."""
    d = {"source": res.source, "notes": list(res.notes),
         "summary": json.loads(summary.to_json(orient="records", double_precision=10))}
    d.update(res.to_dict(names=_FILE_TABLES))
    return d


def analyze(args) -> int:
    """``soleus analyze``: see the module docstring."""
    import pandas as pd

    import soleus
    from soleus.analysis import analyze_recording, level_columns, level_note
    from soleus.io import read_recording

    prog = "soleus analyze"
    if args.plot or args.day_plot:
        try:
            import soleus.plot as splot
        except ImportError as e:  # pragma: no cover - matplotlib is in the analysis extra
            print(f"{prog}: error: {'--plot' if args.plot else '--day-plot'}: {e}", file=sys.stderr)
            return 2
        # matplotlib is imported lazily; make the import error surface before the long work.
        try:
            splot._pyplot()
        except ImportError as e:
            print(f"{prog}: error: {'--plot' if args.plot else '--day-plot'}: {e}", file=sys.stderr)
            return 2
    if args.csv:
        try:
            os.makedirs(args.csv, exist_ok=True)
        except OSError as e:
            print(f"{prog}: error: --csv: cannot create {args.csv}: {e.strerror}", file=sys.stderr)
            return 2
    opts = _read_options(args)
    mvc = None
    if args.mvc:
        try:
            mvc = read_recording(args.mvc, **opts)
        except (ValueError, ImportError, OSError) as e:
            print(f"{prog}: error: --mvc: {args.mvc}: {str(e).splitlines()[0] if str(e) else type(e).__name__}",
                  file=sys.stderr)
            return 2
    stems = _unique_stems(args.files)
    show = not args.no_progress and len(args.files) > 1
    progress = _Progress(len(args.files), show)
    results, errors = [], []
    for path, stem in zip(args.files, stems):
        try:
            rec = read_recording(path, **opts)
            res = analyze_recording(rec, mains_hz=args.mains, band_hz=tuple(args.band), mvc=mvc)
            if rec.meta.get("truncated"):
                res.notes.append("file holds fewer samples than its header declares (truncated export)")
            for name, tm in rec.meta.get("timing", {}).items():
                if tm["gaps"] or tm["backward_steps"]:
                    res.notes.append(f"{name} time stamps: {tm['gaps']} gaps, {tm['backward_steps']} "
                                     f"backward steps")
            if args.plot:
                res.plot(_plot_path(args.plot, stem, len(args.files)), title=os.path.basename(path))
            if args.day_plot:
                if res.activity is None:
                    res.notes.append("--day-plot: no IMU (acc + gyro) in this file: no day plot")
                else:
                    res.plot_day(_plot_path(args.day_plot, stem, len(args.files)),
                                        title=f"{os.path.basename(path)}: calf-pump activity")
            if args.csv:
                for name, table in res.tables(_FILE_TABLES).items():
                    table.to_csv(os.path.join(args.csv, f"{stem}_{name}.csv"), index=False)
            results.append((path, rec, res))
        except (ValueError, ImportError, OSError) as e:
            msg = str(e).splitlines()[0] if str(e) else type(e).__name__
            errors.append({"file": path, "error": msg})
            progress.write(f"{prog}: error: {path}: {msg}")
        progress.update(os.path.basename(path))
    progress.close()

    summaries = [_file_summary(r) for _, _, r in results]
    if results:
        names = [os.path.basename(path) for path, _, _ in results]
        if len(set(names)) < len(names):
            # Two inputs with one file name (walking/emg.csv, contraction/emg.csv): tell them apart by path.
            for (path, _, _), s in zip(results, summaries):
                s["source"] = path
        summary = pd.concat(summaries, ignore_index=True)
        if args.csv:
            summary.to_csv(os.path.join(args.csv, "summary.csv"), index=False)
        cols = [c for c in ("source", "channel", "fs_hz", "duration_s", "rms_mv", "median_hz", "mean_hz",
                            "median_slope_hz_per_min", "n_bursts", "n_reps", "n_sets", "mean_rep_pct_mvc",
                            "flagged_s")
                if c in summary.columns]
        calibrated = bool(summary["calibrated"].all()) if "calibrated" in summary.columns else False
        with pd.option_context("display.width", 200, "display.max_columns", 20,
                               "display.max_colwidth", 32, "display.float_format", "{:.4g}".format):
            # An uncalibrated level is printed as % of the running peak, never as %MVC.
            print(level_columns(summary[cols], calibrated).to_string(index=False))
        if "n_bursts" in summary.columns and summary["n_bursts"].notna().any():  # levels only with EMG
            print(level_note(calibrated))
        for path, _, r in results:
            line = r.activity_report()
            if line:
                print(f"{os.path.basename(path)}: {line}")
        for path, _, r in results:
            for note in r.notes:
                print(f"note: {os.path.basename(path)}: {note}")
    if args.json:
        doc = {"soleus_version": soleus.__version__,
               "settings": {"mains_hz": args.mains, "band_hz": list(args.band), "mvc": args.mvc},
               "files": [dict(_file_dict(r, s), path=path, format=rec.format,
                              streams={k: {"fs_hz": s.fs, "n_samples": s.n_samples, "channels": list(s.channels),
                                           "units": list(s.units)} for k, s in rec.streams.items()})
                         for (path, rec, r), s in zip(results, summaries)],
               "errors": errors}
        try:
            with open(args.json, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, indent=1, allow_nan=False)
        except OSError as e:
            print(f"{prog}: error: --json: cannot write {args.json}: {e.strerror}", file=sys.stderr)
            return 1
    return 1 if errors else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="soleus", description="soleus: calf EMG and IMU processing")
    sub = parser.add_subparsers(dest="command", required=True)
    dm = sub.add_parser("demo", help="stream a synthetic heel-raise session through soleus.Session: tables + plot",
                        description="Simulate a heel-raise session (standing, seated and slow-eccentric sets and "
                                    "an isometric hold), stream it through soleus.Session, print the repetition "
                                    "table and the set summary and write a plot.")
    dm.add_argument("--plot", metavar="PNG", default=os.path.join("out", "demo.png"),
                    help="plot path (default out/demo.png); 'none' for no plot")
    dm.add_argument("--seed", type=int, default=5, help="simulator seed (default 5)")
    dm.add_argument("--filter", action="store_true",
                    help="the filter demo instead: band-pass + mains notches on a built-in EMG signal")
    sub.add_parser("version", help="print the version")
    an = sub.add_parser("analyze", help="analyse recordings (CSV, Delsys Trigno CSV, EDF, C3D)",
                        description="Read each FILE, filter its EMG (band-pass + mains), compute spectral "
                                    "features, bursts and reps where available, print a summary table.")
    an.add_argument("files", nargs="+", metavar="FILE")
    an.add_argument("--plot", metavar="PNG", help="write a plot (one PNG per file: name_<stem>.png "
                                                   "when several files)")
    an.add_argument("--day-plot", metavar="PNG", help="with an IMU: write the day plot (one row per hour, "
                                                       "calf-pump active seconds per minute, inactivity alerts, "
                                                       "steps per hour; name_<stem>.png when several files)")
    an.add_argument("--json", metavar="JSON", help="write every result table of every file to one JSON")
    an.add_argument("--csv", metavar="DIR", help="write <stem>_<table>.csv per file and summary.csv")
    an.add_argument("--mains", type=float, default=50.0, metavar="HZ", help="mains frequency, 50 (default), "
                                                                            "60, or 0 for no notches")
    an.add_argument("--band", type=float, nargs=2, default=(20.0, 450.0), metavar=("LOW_HZ", "HIGH_HZ"),
                    help="EMG band-pass edges (default 20 450)")
    an.add_argument("--fs", type=float, help="sampling rate in Hz of a generic CSV without a time column")
    an.add_argument("--time-column", help="time column (name or 0-based position) of a generic CSV")
    an.add_argument("--emg-unit", help="unit of the EMG columns of a generic CSV (V, mV, uV)")
    an.add_argument("--header-rows", type=int, metavar="N", help="header rows of a generic CSV (default: "
                                                                  "detected, 0, 1 or 2)")
    an.add_argument("--emg", metavar="COLS", help="EMG columns of a generic CSV, comma-separated names or "
                                                  "0-based positions (default: every column but time and IMU)")
    an.add_argument("--acc", metavar="X,Y,Z", help="accelerometer columns of a generic CSV, names or 0-based "
                                                   "positions (m/s^2; default: columns named acc...)")
    an.add_argument("--gyro", metavar="X,Y,Z", help="gyroscope columns of a generic CSV, names or 0-based "
                                                    "positions (deg/s; default: columns named gyr...)")
    an.add_argument("--mvc", metavar="FILE", help="an MVC trial of the same EMG channels and rate (read like "
                                                  "FILE): levels become %%MVC; without it they are %% of the "
                                                  "running peak (printed *_pct_peak)")
    an.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    args = parser.parse_args(argv)
    if args.command == "demo":
        if args.filter:
            return filter_demo()
        from soleus.demo import run_demo

        return run_demo(plot=None if args.plot.lower() == "none" else args.plot, seed=args.seed)
    if args.command == "analyze":
        return analyze(args)
    if args.command == "version":
        import soleus

        print(soleus.__version__)
        return 0
    return 2  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
