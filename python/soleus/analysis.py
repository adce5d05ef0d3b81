"""Recordings in, result tables out: :func:`analyze` (arrays) and :func:`analyze_recording` (files).

:func:`analyze` is a loop over the streaming :class:`soleus.Session` (the C++
engine, the same one the C API wraps): EMG and IMU are pushed in time order,
interleaved, exactly as a live app would, and the events become pandas tables
(:class:`Result`). Nothing here re-implements the engine: the tables are the
events, paired and labelled, plus the live state sampled along the way for
the plots (envelope and %MVC every ~10 ms, angle and phase at every IMU
sample), and RMS and spectra of the Session's own conditioned EMG.

:func:`analyze_recording` is what ``soleus analyze`` runs on each file: it
calls :func:`analyze` on a :class:`~soleus.io.Recording` (every EMG channel,
through more than one Session when a file has more than 8) and returns the
same :class:`Result`, with the file's name and notes. One result type
everywhere: arrays, files, the CLI's summary and the plots. (``Analysis``,
the file result type of 0.2, is a deprecated alias of :class:`Result`.)

>>> import soleus
>>> sim = soleus.sim.heel_raise_session(fs=100, n_sets=1, reps_per_set=5, seed=3)
>>> res = soleus.analyze(acc=sim.acc, gyro=sim.gyro, imu_fs=100, t_imu=sim.t_s)
>>> len(res.reps)
5
"""
from __future__ import annotations

import copy
import os
import re
import warnings
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from .io import _unit_factor

__all__ = ["Result", "analyze", "analyze_recording", "union_length_s", "FILE_SUMMARY_COLUMNS"]


_PHASE_COLUMNS = ("concentric", "hold", "eccentric")
_QUALITY_FLAGS = ("saturated", "flat", "mains", "motion", "low_snr", "nonfinite")


# The CLI's summary columns (``soleus analyze``'s print, summary.csv and the JSON's ``summary``): the
# columns it wrote before Analysis and Result became one type, so its output keeps its schema.
FILE_SUMMARY_COLUMNS = ("source", "channel", "fs_hz", "duration_s", "unit", "rms_mv", "median_hz", "mean_hz",
                        "median_slope_hz_per_min", "n_bursts", "n_reps", "n_sets", "mean_rep_pct_mvc",
                        "calibrated", "flagged_s")
# The summary's columns computed from the EMG's conditioned signal (absent from the CLI's summary of a
# file without EMG, as before).
_EMG_FIGURE_COLUMNS = ("rms_mv", "median_hz", "mean_hz", "median_slope_hz_per_min")
_SPECTRAL_COLUMNS = ["channel", "channel_name", "t_s", "median_hz", "mean_hz"]


class Result:
    """What :func:`analyze` (arrays) and :func:`analyze_recording` (files) return: the one result type.

    The Session's events as tables, the per-channel summary, the spectra of
    the conditioned EMG, and plots. ``soleus analyze`` prints and writes the
    same object.

    Attributes (pandas DataFrames)
    ------------------------------
    reps
        One row per repetition or isometric hold (``rep_completed`` /
        ``hold_completed`` events): ``rep``, ``set``, ``start_s``, ``top_s``,
        ``lower_start_s``, ``end_s``, phase durations ``concentric_s``,
        ``hold_s``, ``eccentric_s`` (``end_s``, ``eccentric_s`` and the
        eccentric speeds as re-timed by ``rep_refined`` where one came),
        ``rest_s`` (from ``rest_measured``; NaN
        for the last rep of a set), ``rom_deg``, velocities, ``heel_rise_m``,
        ``work_j``, ``partial`` (as flagged at rep_completed, against the set's
        median ROM so far; the set row's ``partial_count`` is final),
        ``isometric``, ``completed_at_s``,
        ``emg_complete`` and per EMG channel ``<name>_pct_mvc`` (whole rep),
        ``<name>_pct_mvc_concentric`` / ``_hold`` / ``_eccentric``,
        ``<name>_rms``, ``<name>_onset_rel_s`` (first onset minus heel-off),
        and ``calibrated``. Empty without an IMU (see :attr:`has_imu`).
    sets
        One row per ``set_completed`` event (``set``, ``rep_count``,
        ``mean_rom_deg``, ``time_under_tension_s``, ...).
    bursts
        One row per EMG burst: ``channel``, ``channel_name``, ``onset_s``,
        ``offset_s`` (NaN while still open at the end), ``duration_s``,
        ``peak_pct_mvc``, ``mean_pct_mvc``, ``calibrated``, and the burst's
        fatigue figures ``median_hz``, ``mean_hz``, ``median_slope_hz_per_s``
        (median trend inside the burst: negative in a fatiguing hold),
        ``spectrum_segments``, ``level_shift`` (the "burst" was a rise of the
        resting level, e.g. standing up; see :meth:`soleus.EmgProcessor.events`).
    spectral
        Sliding-window median / mean frequency of the Session's conditioned EMG
        (:func:`soleus.spectral_features` after the chain's start-up):
        ``channel``, ``channel_name``, ``t_s``, ``median_hz``, ``mean_hz``
        (empty without EMG or when the EMG is shorter than one window).
    activation
        The envelope (input units) and activation (%MVC, or relative without
        calibration) of each channel sampled every ``1/activation_hz`` s:
        ``t_s``, ``<name>_envelope``, ``<name>_pct_mvc``, ``calibrated``.
    angle
        ``t_s``, ``angle_deg``, ``rate_dps``, ``phase`` after every IMU sample.
    activity
        With an IMU: one row per minute of the Session's IMU activity layer
        (``include/soleus/imu/activity.hpp``, the engine behind
        :func:`soleus.activity` and the Session's ``inactivity`` alerts):
        ``minute`` (from the first IMU stamp), ``start_s``, ``active_s``
        (calf-pump active seconds: walking, ankle pumps, cycling, heel raises),
        ``still_s``, ``covered_s``, ``strides``, ``steps`` (= 2 x strides),
        ``pumps``, ``pedal_cycles``, ``cycling_s``, ``raises``, ``alerts`` (inactivity alerts raised in that
        minute); ``attrs["alerts"]``: ``t_s``, ``inactive_s`` of each alert (EMG
        bursts also count as activity for the alerts). For the stride and
        pump events use :func:`soleus.activity`. ``None`` without an IMU.
    quality
        Quality flag spans and input faults: ``kind`` (``flag``/``fault``),
        ``stream``, ``channel``, ``channel_name``, ``flag``, ``start_s``,
        ``end_s``, ``value``.

    Other attributes: ``events`` (every event as a dict, in order, see
    :meth:`soleus.Session.poll`; channels numbered across Sessions when a file
    needed more than one), ``stats`` (final live state: ``emg_stream``,
    ``imu_stream``, ``activity``, ``imu``), ``channels``, ``muscles``,
    ``emg_fs``, ``imu_fs``, ``calibrated`` (True: levels are %MVC; False: %
    of the running peak, printed ``*_pct_peak``), ``mvc_reference``,
    ``conditioned`` / ``conditioned_t_s`` (with ``keep_conditioned=True``),
    ``source`` (the file name, ``""`` for arrays), ``notes`` (what was
    skipped or changed and why), ``envelope`` / ``envelope_t_s`` /
    ``envelope_unit`` (the envelope columns of :attr:`activation` as an array).

    ``summary()`` gives a one-row-per-channel table; ``print(result)`` the
    rep table and the set summary; ``plot(path)`` the figure; ``tables()``
    and ``to_dict()`` every table.
    """

    def __init__(self, *, events, run, channels, muscles, emg_fs, imu_fs, t_imu, stats, settings,
                 calibrated=False, mvc_reference=None, source="", emg_samples=0):
        import pandas as pd

        #: The recording's file name (``analyze_recording``); ``""`` for arrays.
        self.source: str = str(source)
        #: What was skipped or changed and why (e.g. a band edge lowered, channels in a second Session).
        self.notes: List[str] = []
        self._emg_samples = int(emg_samples)
        self._imu_samples = len(t_imu) if t_imu is not None else 0
        # Per-channel figures of the conditioned EMG (analyze() fills them): rms in input units, spectra.
        self.spectral = pd.DataFrame(columns=_SPECTRAL_COLUMNS)
        self._figures: Dict[str, np.ndarray] = {k: np.full(len(channels), np.nan)
                                                for k in ("rms", "median_hz", "mean_hz", "slope_hz_per_min")}

        #: True when activation levels are %MVC (an MVC recording or references
        #: were given); False: they are % of the running peak of this recording.
        self.calibrated: bool = bool(calibrated)
        #: Per-channel MVC references in the EMG's input units (the engine's; None without EMG).
        self.mvc_reference = mvc_reference
        #: The Session's conditioned EMG ``(frames, channels)``, float32, input
        #: units, and its time stamps (s): only with ``analyze(..., keep_conditioned=True)``, else None.
        self.conditioned: Optional[np.ndarray] = run.get("conditioned")
        self.conditioned_t_s: Optional[np.ndarray] = run.get("conditioned_t_s")

        self.events: List[Dict[str, Any]] = events
        self.channels: Tuple[str, ...] = tuple(channels)
        self.muscles: Tuple[str, ...] = tuple(muscles)
        self.emg_fs = emg_fs
        self.imu_fs = imu_fs
        self.stats: Dict[str, Any] = stats
        self.settings: Dict[str, Any] = settings
        C = len(self.channels)

        # ---- sets, then reps (assigned to the set whose span holds them)
        sets = [dict(set=e["set"]["index"], **{k: v for k, v in e["set"].items() if k != "index"})
                for e in events if e["type"] == "set_completed"]
        set_cols = ["set", "rep_count", "partial_count", "hold_count", "start_s", "end_s", "mean_concentric_s",
                    "mean_hold_s", "mean_eccentric_s", "mean_rest_s", "mean_rom_deg", "median_rom_deg",
                    "time_under_tension_s", "total_work_j", "longest_hold_s", "total_hold_s", "tempo_adherence",
                    "fatigue_slope_per_rep", "fatigue_valid", "reps_dropped"]
        self.sets = pd.DataFrame(sets, columns=set_cols)
        rest = {e["rep"]["index"]: e["rep"]["rest_s"] for e in events if e["type"] == "rest_measured"}
        # Heel contacts re-timed after rep_completed (rep_refined, by rep
        # index; the last one wins): the offline table holds the final values.
        refined = {e["rep"]["index"]: e["rep"] for e in events if e["type"] == "rep_refined"}
        refined_at = {e["rep"]["index"]: e["t_s"] for e in events if e["type"] == "rep_refined"}
        rows = []
        for e in events:
            if e["type"] not in ("rep_completed", "hold_completed"):
                continue
            r = refined.get(e["rep"]["index"], e["rep"])
            row = dict(rep=r["index"], set=-1)
            for k in ("start_s", "top_s", "lower_start_s", "end_s", "concentric_s", "hold_s", "eccentric_s"):
                row[k] = r[k]
            row["rest_s"] = rest.get(r["index"], np.nan)
            for k in ("baseline_deg", "top_deg", "rom_deg", "concentric_peak_dps", "concentric_mean_dps",
                      "hold_peak_dps", "eccentric_peak_dps", "eccentric_mean_dps", "heel_rise_m", "work_j",
                      "partial", "isometric"):
                row[k] = r[k]
            # A contact re-timed past the rep_completed (rep_refined, see
            # docs/heel_raises.md) completes the rep's record at that event:
            # end_s <= completed_at_s holds for the final table.
            row["completed_at_s"] = e["t_s"]
            if r is not e["rep"] and r["end_s"] > e["t_s"]:
                row["completed_at_s"] = refined_at[r["index"]]
            m = e["emg"]
            row["emg_complete"] = bool(m["complete"]) if C else False
            for c, name in enumerate(self.channels):
                if c < m["channels"]:
                    row[f"{name}_pct_mvc"] = float(m["mean_pct_mvc"][c, 3])
                    for p, ph in enumerate(_PHASE_COLUMNS):
                        row[f"{name}_pct_mvc_{ph}"] = float(m["mean_pct_mvc"][c, p])
                    row[f"{name}_rms"] = float(m["rms"][c, 3])
                    row[f"{name}_onset_rel_s"] = float(m["onset_rel_heel_off_s"][c])
            rows.append(row)
        for row in rows:
            for s in sets:
                if s["start_s"] <= row["start_s"] and row["end_s"] <= s["end_s"]:
                    row["set"] = s["set"]
                    break
        rep_cols = ["rep", "set", "start_s", "top_s", "lower_start_s", "end_s", "concentric_s", "hold_s",
                    "eccentric_s", "rest_s", "baseline_deg", "top_deg", "rom_deg", "concentric_peak_dps",
                    "concentric_mean_dps", "hold_peak_dps", "eccentric_peak_dps", "eccentric_mean_dps",
                    "heel_rise_m", "work_j", "partial", "isometric", "completed_at_s", "emg_complete"]
        for name in self.channels:
            rep_cols += [f"{name}_pct_mvc"] + [f"{name}_pct_mvc_{ph}" for ph in _PHASE_COLUMNS] + \
                        [f"{name}_rms", f"{name}_onset_rel_s"]
        self.reps = pd.DataFrame(rows, columns=rep_cols)

        # ---- bursts: onset paired with the channel's next offset
        brows, open_ = [], {}
        for e in events:
            if e["type"] == "burst_onset":
                b = e["burst"]
                open_[b["channel"]] = len(brows)
                brows.append(dict(channel=b["channel"], channel_name=self.channels[b["channel"]],
                                  onset_s=b["time_s"], offset_s=np.nan, duration_s=np.nan,
                                  peak_pct_mvc=np.nan, mean_pct_mvc=np.nan, calibrated=b["calibrated"],
                                  onset_detected_at_s=b["detected_at_s"], offset_detected_at_s=np.nan))
            elif e["type"] == "burst_offset":
                b = e["burst"]
                i = open_.pop(b["channel"], None)
                if i is None:  # an offset without its onset (filters restarted): keep it, onset from duration
                    i = len(brows)
                    brows.append(dict(channel=b["channel"], channel_name=self.channels[b["channel"]],
                                      onset_s=b["time_s"] - b["duration_s"], calibrated=b["calibrated"],
                                      onset_detected_at_s=np.nan))
                brows[i].update(offset_s=b["time_s"], duration_s=b["duration_s"],
                                peak_pct_mvc=b["peak_pct_mvc"], mean_pct_mvc=b["mean_pct_mvc"],
                                offset_detected_at_s=b["detected_at_s"],
                                median_hz=b.get("median_hz", np.nan), mean_hz=b.get("mean_hz", np.nan),
                                median_slope_hz_per_s=b.get("median_slope_hz_per_s", np.nan),
                                spectrum_segments=b.get("spectrum_segments", 0),
                                level_shift=b.get("level_shift", False))
        self.bursts = pd.DataFrame(brows, columns=["channel", "channel_name", "onset_s", "offset_s", "duration_s",
                                                   "peak_pct_mvc", "mean_pct_mvc", "calibrated",
                                                   "onset_detected_at_s", "offset_detected_at_s",
                                                   "median_hz", "mean_hz", "median_slope_hz_per_s",
                                                   "spectrum_segments", "level_shift"])
        self.bursts["spectrum_segments"] = self.bursts["spectrum_segments"].fillna(0).astype(int)
        self.bursts["level_shift"] = self.bursts["level_shift"].fillna(False).astype(bool)

        # ---- sampled live state
        act = {"t_s": run["emg_t_s"]}
        for c, name in enumerate(self.channels):
            act[f"{name}_envelope"] = run["envelope"][:, c].astype(np.float64)
            act[f"{name}_pct_mvc"] = run["activation_pct"][:, c].astype(np.float64)
        self.activation = pd.DataFrame(act)
        from ._session import PHASES

        self.angle = pd.DataFrame({"t_s": np.asarray(t_imu, dtype=np.float64),
                                   "angle_deg": run["angle_deg"].astype(np.float64),
                                   "rate_dps": run["rate_dps"].astype(np.float64),
                                   "phase": np.asarray(PHASES, dtype=object)[run["phase"]]
                                   if len(run["phase"]) else np.array([], dtype=object)})

        # ---- quality: flag spans from the sampled flags, then the fault events
        qrows = []
        bits, tq = run["quality_bits"], run["emg_t_s"]
        for c, name in enumerate(self.channels):
            for b, flag in enumerate(_QUALITY_FLAGS):
                on = np.concatenate([[False], (bits[:, c] >> b) & 1 == 1, [False]]) if len(tq) else np.array([])
                edges = np.flatnonzero(np.diff(on.astype(np.int8)))
                for a, z in zip(edges[::2], edges[1::2]):
                    qrows.append(dict(kind="flag", stream="emg", channel=c, channel_name=name, flag=flag,
                                      start_s=float(tq[a - 1]) if a > 0 else float(tq[0]),
                                      end_s=float(tq[z - 1]), value=np.nan))
        for e in events:
            if e["type"] == "fault":
                f = e["fault"]
                start = e["t_s"] - f["value"] if f["kind"] == "gap" else e["t_s"]
                qrows.append(dict(kind="fault", stream=f["stream"], channel=f["channel"],
                                  channel_name=self.channels[f["channel"]] if 0 <= f["channel"] < C else "",
                                  flag=f["kind"], start_s=start, end_s=e["t_s"], value=f["value"]))
        self.quality = pd.DataFrame(qrows, columns=["kind", "stream", "channel", "channel_name", "flag", "start_s",
                                                    "end_s", "value"])
        # Every table with activation levels says whether they are %MVC.
        self.reps["calibrated"] = self.calibrated
        self.activation["calibrated"] = self.calibrated

        # ---- the IMU activity layer's minutes (the Session's own, which drive its alerts), and the alerts
        #: Per-minute calf-pump activity (None without an IMU): the columns of
        #: :func:`soleus.activity` plus ``raises`` and ``alerts``; ``attrs["alerts"]``.
        self.activity = None
        alerts = pd.DataFrame([dict(t_s=e["t_s"], inactive_s=e["value"]) for e in events
                               if e["type"] == "inactivity"], columns=["t_s", "inactive_s"])
        if imu_fs is not None and len(t_imu):
            from ._activity import minute_table

            fin = np.asarray(t_imu, dtype=np.float64)
            fin = fin[np.isfinite(fin)]
            act = minute_table(run["activity_minutes"], float(fin[0]) if len(fin) else 0.0)
            at = alerts["t_s"].to_numpy(dtype=np.float64)
            st = act["start_s"].to_numpy()
            act["alerts"] = ((at[None, :] >= st[:, None]) & (at[None, :] < st[:, None] + 60.0)).sum(axis=1) \
                .astype(np.int64) if len(st) else np.zeros(0, np.int64)
            act.attrs["alerts"] = alerts
            self.activity = act

    # ------------------------------------------------------------------ outputs
    @property
    def has_imu(self) -> bool:
        """True when the recording had an IMU (acc + gyro): ``reps``, ``sets``, ``angle``, ``activity`` apply."""
        return self.imu_fs is not None

    def summary(self):
        """One row per EMG channel (one row, ``channel`` ``""``, without EMG).

        Columns: ``source``, ``channel``, ``muscle``, ``fs_hz`` (the EMG's
        rate; the IMU's without EMG), ``duration_s``, ``unit``, ``rms_mv``
        (RMS of the Session's conditioned EMG after its start-up, in mV; NaN
        when the unit is not known), ``median_hz``, ``mean_hz`` (medians of
        :attr:`spectral`), ``median_slope_hz_per_min`` (its trend),
        ``n_bursts``, ``n_reps``, ``n_holds``, ``n_sets`` (integers; ``<NA>``
        where they do not apply: no EMG, no bursts; no IMU, no reps),
        ``mean_rom_deg``, ``mean_rep_pct_mvc`` (mean whole-rep level of the
        channel), ``calibrated`` (False: that level is % of the running peak,
        not %MVC), ``flagged_s`` (seconds under at least one quality flag,
        overlaps counted once), ``active_s`` (calf-pump active seconds),
        ``faults``. ``soleus analyze`` prints and writes
        :data:`FILE_SUMMARY_COLUMNS` of it.
        """
        import pandas as pd

        reps = self.reps[~self.reps["isometric"].astype(bool)] if len(self.reps) else self.reps
        holds = int(self.reps["isometric"].astype(bool).sum()) if len(self.reps) else 0
        imu = self.has_imu
        has_emg = len(self.channels) > 0
        if has_emg:
            fs, duration = self.emg_fs, self._emg_samples / self.emg_fs
        elif imu:
            fs, duration = self.imu_fs, self._imu_samples / self.imu_fs
        else:  # pragma: no cover - analyze() refuses a recording with neither
            fs, duration = np.nan, 0.0
        unit = self.settings.get("emg_unit", "")
        try:
            to_mv = _unit_factor(unit, "mV") if has_emg else np.nan
        except ValueError:
            to_mv = np.nan  # an unknown unit: no RMS in mV
        units = self.settings.get("emg_units") or (unit,) * len(self.channels)
        base = dict(n_reps=len(reps) if imu else None, n_holds=holds if imu else None,
                    n_sets=len(self.sets) if imu else None,
                    mean_rom_deg=float(reps["rom_deg"].mean()) if len(reps) else np.nan)
        tail = dict(active_s=self.stats["activity"]["active_s"], faults=int((self.quality["kind"] == "fault").sum()))
        rows = []
        for c, name in enumerate(self.channels):
            q = self.quality[(self.quality["kind"] == "flag") & (self.quality["channel"] == c)]
            col = f"{name}_pct_mvc"
            rows.append(dict(source=self.source, channel=name, muscle=self.muscles[c], fs_hz=fs,
                             duration_s=duration, unit=units[c], rms_mv=float(self._figures["rms"][c] * to_mv),
                             median_hz=float(self._figures["median_hz"][c]),
                             mean_hz=float(self._figures["mean_hz"][c]),
                             median_slope_hz_per_min=float(self._figures["slope_hz_per_min"][c]),
                             n_bursts=int((self.bursts["channel"] == c).sum()), **base,
                             mean_rep_pct_mvc=float(reps[col].mean()) if len(reps) and col in reps else np.nan,
                             calibrated=self.calibrated,
                             flagged_s=union_length_s(q["start_s"], q["end_s"]), **tail))
        if not rows:
            rows.append(dict(source=self.source, channel="", muscle="", fs_hz=fs, duration_s=duration, unit="",
                             rms_mv=np.nan, median_hz=np.nan, mean_hz=np.nan, median_slope_hz_per_min=np.nan,
                             n_bursts=None, **base, mean_rep_pct_mvc=np.nan, calibrated=self.calibrated,
                             flagged_s=0.0, **tail))
        out = pd.DataFrame(rows)
        # Counts are integers; <NA> where they do not apply.
        for col in ("n_bursts", "n_reps", "n_holds", "n_sets"):
            out[col] = pd.array([None if v is None else int(v) for v in out[col]], dtype="Int64")
        return out

    def activity_summary(self) -> Optional[Dict[str, Any]]:
        """The day in a few figures (None without an IMU): ``hours`` (with samples), ``active_min``,
        ``steps``, ``strides``, ``pumps``, ``cycling_min``, ``pedal_cycles``, ``raises``, ``alerts`` (the
        Session's inactivity alerts),
        ``longest_inactive_min``."""
        a = self.activity
        if a is None:
            return None
        return dict(hours=float(a["covered_s"].sum()) / 3600.0, active_min=float(a["active_s"].sum()) / 60.0,
                    steps=int(a["steps"].sum()), strides=int(a["strides"].sum()), pumps=int(a["pumps"].sum()),
                    cycling_min=float(a["cycling_s"].sum()) / 60.0, pedal_cycles=int(a["pedal_cycles"].sum()),
                    raises=int(a["raises"].sum()), alerts=int(len(a.attrs["alerts"])),
                    longest_inactive_min=float(self.stats["activity"]["longest_inactive_s"]) / 60.0)

    def activity_report(self) -> str:
        """One line: the :meth:`activity_summary` as text (empty without an IMU)."""
        d = self.activity_summary()
        if d is None:
            return ""
        return (f"activity: {d['hours']:.1f} h with IMU data, {d['active_min']:.1f} active min (calf pump), "
                f"{d['steps']} steps (2 x {d['strides']} strides), {d['pumps']} ankle pumps, "
                f"{d['cycling_min']:.1f} min cycling, {d['raises']} heel raises; {d['alerts']} inactivity alert(s), longest still "
                f"{d['longest_inactive_min']:.0f} min")

    def report(self) -> str:
        """The repetition table and the set summary as text (what ``print(result)`` shows)."""
        import pandas as pd

        cols = ["rep", "set", "start_s", "concentric_s", "hold_s", "eccentric_s", "rest_s", "rom_deg", "isometric"]
        cols += [f"{n}_pct_mvc" for n in self.channels if f"{n}_pct_mvc" in self.reps.columns]
        scols = ["set", "rep_count", "hold_count", "partial_count", "mean_concentric_s", "mean_hold_s",
                 "mean_eccentric_s", "mean_rom_deg", "time_under_tension_s", "longest_hold_s"]
        with pd.option_context("display.width", 200, "display.max_columns", 30, "display.float_format",
                               "{:.3g}".format):
            shown = level_columns(self.reps[cols], self.calibrated) if len(self.reps) else None
            reps = shown.to_string(index=False) if shown is not None else "(no repetitions)"
            sets = self.sets[scols].to_string(index=False) if len(self.sets) else "(no sets)"
        return (f"Repetitions ({len(self.reps)}):\n{reps}\n\nSets ({len(self.sets)}):\n{sets}\n\n"
                f"Bursts: {len(self.bursts)} on {len(self.channels)} EMG channel(s); "
                f"faults: {int((self.quality['kind'] == 'fault').sum())}"
                + (f"\n{self.activity_report()}" if self.activity is not None else "")
                + (f"\n{level_note(self.calibrated)}" if self.channels else ""))

    def __str__(self) -> str:
        return self.report()

    def __repr__(self) -> str:
        src = f"{self.source}: " if self.source else ""
        return (f"soleus.Result({src}{len(self.reps)} reps, {len(self.sets)} sets, {len(self.bursts)} bursts, "
                f"{len(self.channels)} EMG channels)")

    def tables(self, names=None) -> Dict[str, Any]:
        """The result tables by name: ``summary`` (:meth:`summary`), ``spectral``, ``reps``, ``sets``,
        ``bursts``, ``quality``, ``activation``, ``angle``, ``activity``.

        ``reps``, ``sets``, ``angle`` and ``activity`` only with an IMU. ``names``: only these (in this order;
        a name that does not apply is left out, an unknown one is a ``ValueError``).
        """
        known = ("summary", "spectral", "reps", "sets", "bursts", "quality", "activation", "angle", "activity")
        names = known if names is None else tuple(names)
        for n in names:
            if n not in known:
                raise ValueError(f"names: unknown table {n!r}; tables are {', '.join(known)}")
        imu_only = ("reps", "sets", "angle", "activity")
        out: Dict[str, Any] = {}
        for n in names:
            if n in imu_only and (not self.has_imu or getattr(self, n) is None):
                continue
            out[n] = self.summary() if n == "summary" else getattr(self, n)
        return out

    def to_dict(self, names=("summary", "spectral", "quality", "bursts", "reps", "sets", "activity")) \
            -> Dict[str, Any]:
        """JSON-ready: ``source``, ``notes`` and the tables ``names`` (see :meth:`tables`) as lists of records
        (NaN and <NA> -> None). The default is what ``soleus analyze --json`` writes per file."""
        import json

        def records(df):
            return json.loads(df.to_json(orient="records", double_precision=10))

        d: Dict[str, Any] = {"source": self.source, "notes": list(self.notes)}
        for k, v in self.tables(names).items():
            d[k] = records(v)
        return d

    @property
    def envelope(self) -> Optional[np.ndarray]:
        """The sampled envelope ``(n, channels)`` in input units (:attr:`activation`'s ``*_envelope``);
        None without EMG."""
        if not self.channels:
            return None
        return self.activation[[f"{n}_envelope" for n in self.channels]].to_numpy()

    @property
    def envelope_t_s(self) -> np.ndarray:
        """Time stamps (s) of :attr:`envelope`."""
        return self.activation["t_s"].to_numpy()

    @property
    def envelope_unit(self) -> str:
        """The EMG's unit label (``"mV"`` for files whose unit is known; ``emg_unit=`` for arrays)."""
        return str(self.settings.get("emg_unit", ""))

    @property
    def result(self) -> "Result":
        """Deprecated: the file result and the Session result are one type now; this is ``self``."""
        warnings.warn("Result.result is deprecated: analyze_recording() returns a soleus.Result itself "
                      "(Analysis and Result are one type after 0.2); use the object directly",
                      DeprecationWarning, stacklevel=2)
        return self

    def plot_day(self, path=None, **kwargs):
        """The day plot of :attr:`activity` (see :func:`soleus.plot.plot_day`): PNG path or Axes."""
        from . import plot as splot

        return splot.plot_day(self, path=path, **kwargs)

    def plot(self, path=None, *, title=None, width_px=1200, height_px=None, use_pct_mvc=False):
        """Angle with shaded rep phases, envelopes with burst markers, quality flags (matplotlib).

        Writes a PNG of ``width_px`` x ``height_px`` pixels when ``path`` is
        given (returns the path), else returns the open matplotlib Figure.
        """
        from . import plot as splot

        has_angle = len(self.angle) > 0
        has_emg = len(self.channels) > 0 and len(self.activation) > 0
        env = None
        if has_emg:
            suffix = "_pct_mvc" if use_pct_mvc else "_envelope"
            env = self.activation[[f"{n}{suffix}" for n in self.channels]].to_numpy()
        return splot.plot_report(
            path, t_s=self.angle["t_s"].to_numpy() if has_angle else None,
            angle_deg=self.angle["angle_deg"].to_numpy() if has_angle else None,
            reps=self.reps if len(self.reps) else None,
            emg_t_s=self.activation["t_s"].to_numpy() if has_emg else None, envelope=env,
            bursts=self.bursts, channels=list(self.channels),
            emg_unit=level_unit(self.calibrated) if use_pct_mvc else self.settings.get("emg_unit", ""),
            quality=self.quality, title=title, width_px=width_px, height_px=height_px)


def _join(parts: List[Result]) -> Result:
    """One :class:`Result` from the Results of Sessions that shared a recording (groups of up to 8 EMG
    channels; the first one also had the IMU): channels numbered across the groups."""
    import pandas as pd

    if len(parts) == 1:
        return parts[0]
    out = copy.copy(parts[0])
    offsets = np.cumsum([0] + [len(p.channels) for p in parts])[:-1]
    out.channels = tuple(ch for p in parts for ch in p.channels)
    out.muscles = tuple(m for p in parts for m in p.muscles)

    def joined(table, order):
        frames = []
        for off, p in zip(offsets, parts):
            t = getattr(p, table)
            if off > 0:  # stream-wide rows (channel -1: clock faults) are the first Session's already
                t = t[t["channel"] >= 0].copy()
                t["channel"] = t["channel"] + off
            if len(t):
                frames.append(t)
        if not frames:
            return getattr(parts[0], table)
        return pd.concat(frames, ignore_index=True).sort_values(order, kind="stable", ignore_index=True)

    out.bursts = joined("bursts", ["onset_s", "channel"])
    out.quality = joined("quality", ["start_s", "channel"])
    out.spectral = joined("spectral", ["channel", "t_s"])
    # Every group sampled the same EMG stamps (one recording): their activation columns side by side.
    act = parts[0].activation.drop(columns=["calibrated"])
    extra = [p.activation.drop(columns=["t_s", "calibrated"]) for p in parts[1:]]
    out.activation = pd.concat([act] + extra, axis=1)
    out.calibrated = all(p.calibrated for p in parts)
    out.activation["calibrated"] = out.calibrated
    out.reps = parts[0].reps.copy()
    out.reps["calibrated"] = out.calibrated
    refs = [p.mvc_reference for p in parts]
    out.mvc_reference = np.concatenate(refs) if all(r is not None for r in refs) else None
    if all(p.conditioned is not None for p in parts):
        out.conditioned = np.hstack([p.conditioned for p in parts])
    out._figures = {k: np.concatenate([p._figures[k] for p in parts]) for k in parts[0]._figures}
    out.notes = list(parts[0].notes)
    out.settings = dict(parts[0].settings)
    if all("emg_units" in p.settings for p in parts):
        out.settings["emg_units"] = tuple(u for p in parts for u in p.settings["emg_units"])
    # Events: the other groups' (EMG only: bursts, flags, faults) with their channels renumbered, in time order.
    def order_keys(evs):  # time stamps, a NaN one taking its predecessor's: each list keeps its own order
        keys, last = [], -np.inf
        for e in evs:
            t = float(e["t_s"])
            last = t if np.isfinite(t) else last
            keys.append(last)
        return keys

    events = list(parts[0].events)
    keys = order_keys(events)
    for off, p in zip(offsets[1:], parts[1:]):
        mine = []
        for e in p.events:
            if e.get("channel", -1) < 0:
                continue  # stream-wide (clock faults, inactivity): the first Session's, which has the IMU
            e = dict(e)
            if e.get("channel", -1) >= 0:
                e["channel"] = e["channel"] + int(off)
            for key in ("burst", "fault"):
                if isinstance(e.get(key), dict) and e[key].get("channel", -1) >= 0:
                    e[key] = dict(e[key], channel=e[key]["channel"] + int(off))
            mine.append(e)
        events += mine
        keys += order_keys(mine)
    out.events = [events[i] for i in np.argsort(np.asarray(keys), kind="stable")]
    return out


def _settle_s(emg_settings: Dict[str, Any], duration_s: float) -> float:
    """The conditioned signal's start-up, from the chain's own settings: the band-pass's transient
    (0.25 s: ~20 periods of its 20 Hz lower edge), and with mains on, the detection of 50 or 60 Hz
    (mains_detect_blocks blocks; fixed mode starts at once) plus two time constants of the notch's
    tracking (the hum's residual e^-2 ~ 14 % of its offset). RMS and spectra start after it."""
    eff = emg_settings
    settle_s = 0.25
    if eff["mains_mode"] != "off":
        if eff["mains_mode"] == "detect":
            settle_s += eff["mains_detect_blocks"] * eff["mains_tracker_block_s"]
        if eff["mains_tracking"]:
            settle_s += 2.0 * eff["mains_tracker_tau_s"]
    return min(settle_s, 0.25 * duration_s)  # a short recording keeps 3/4 of itself


def _conditioned_figures(res: Result, emg_settings: Dict[str, Any], window_s: Optional[float]) -> None:
    """``res.spectral`` and the summary's RMS / spectral figures from the Session's conditioned EMG
    (no spectra when ``window_s`` is None)."""
    from ._spectral import spectral_features

    fs = float(res.emg_fs)
    t_cond = np.asarray(res.conditioned_t_s)
    if not len(t_cond):
        return
    settle_s = _settle_s(emg_settings, res._emg_samples / fs)
    keep = t_cond >= t_cond[0] + settle_s
    first = int(np.argmax(keep))
    # The admitted frames are in time order, so the start-up is a prefix: a view, not a copy of the EMG.
    cond = res.conditioned[first:] if keep[first:].all() else res.conditioned[keep]
    t_cond = t_cond[first:] if keep[first:].all() else t_cond[keep]
    if keep.any():
        # Per channel (float32 samples squared in float64), as the CLI's summary always did.
        res._figures["rms"] = np.array([np.sqrt(np.mean(np.square(cond[:, c], dtype=np.float64)))
                                        for c in range(len(res.channels))])
    if window_s is None or len(cond) < int(window_s * fs):
        return  # shorter than one spectral window: no spectra (an empty table)
    band = (float(emg_settings["bandpass_low_hz"]), float(emg_settings["bandpass_high_hz"]))
    sp = spectral_features(cond, fs, window_s=window_s, band=band, t0_s=float(t_cond[0]))
    if "channel" not in sp.columns:
        sp.insert(0, "channel", 0)
    sp.insert(1, "channel_name", [res.channels[c] for c in sp["channel"]])
    res.spectral = sp
    for c in range(len(res.channels)):
        ok = sp[sp["channel"] == c].dropna(subset=["median_hz"])
        if len(ok):
            res._figures["median_hz"][c] = float(ok["median_hz"].median())
            res._figures["mean_hz"][c] = float(ok["mean_hz"].median())
        if len(ok) >= 3:
            res._figures["slope_hz_per_min"][c] = np.polyfit(ok["t_s"], ok["median_hz"], 1)[0] * 60


def union_length_s(start_s, end_s) -> float:
    """Total length of the union of the intervals ``[start_s[i], end_s[i]]`` (overlaps counted once; NaN spans skipped).

    Examples
    --------
    >>> union_length_s([0.0, 1.0, 5.0], [2.0, 3.0, 6.0])
    4.0
    """
    a = np.asarray(start_s, dtype=np.float64)
    b = np.asarray(end_s, dtype=np.float64)
    ok = np.isfinite(a) & np.isfinite(b) & (b > a)
    a, b = a[ok], b[ok]
    if not len(a):
        return 0.0
    order = np.argsort(a, kind="stable")
    a, b = a[order], b[order]
    reach = np.maximum.accumulate(b)
    # A span starts a new piece of the union where it begins after everything before it has ended.
    new = np.concatenate([[True], a[1:] > reach[:-1]])
    starts = a[new]
    ends = reach[np.concatenate([np.flatnonzero(new)[1:] - 1, [len(a) - 1]])]
    return float(np.sum(ends - starts))


UNCALIBRATED_NOTE = ("activation levels are uncalibrated: % of the running peak of this recording (*_pct_peak), "
                     "not %MVC; give an MVC recording to calibrate (analyze(mvc=...), soleus analyze --mvc FILE)")


def level_unit(calibrated: bool) -> str:
    """Axis label of an activation level: ``'%MVC'``, or ``'% of running peak (uncalibrated)'``."""
    return "%MVC" if calibrated else "% of running peak (uncalibrated)"


def level_note(calibrated: bool) -> str:
    """The line printed under a table of activation levels."""
    return "activation: %MVC (calibrated)" if calibrated else "note: " + UNCALIBRATED_NOTE


def level_columns(df, calibrated: bool):
    """``df`` for printing: without calibration every ``*pct_mvc*`` column is renamed ``*pct_peak*``.

    Tables keep their ``*_pct_mvc`` names and a ``calibrated`` column; what is
    printed or plotted never calls an uncalibrated level %MVC.

    Examples
    --------
    >>> import pandas as pd
    >>> list(level_columns(pd.DataFrame({"soleus_pct_mvc": [30.0]}), calibrated=False).columns)
    ['soleus_pct_peak']
    """
    if calibrated:
        return df
    return df.rename(columns={c: c.replace("pct_mvc", "pct_peak") for c in df.columns if "pct_mvc" in c})


def _mvc_references(mvc, cfg, C, emg_fs):
    """Per-channel MVC references from ``mvc`` (references, or a recording run through a Session like ``cfg``)."""
    from ._session import Session

    m = np.asarray(mvc, dtype=np.float64)
    if m.ndim == 0 or (m.ndim == 1 and m.shape[0] == C):
        ref = np.broadcast_to(m, (C,)).astype(np.float64)
        if not np.all(np.isfinite(ref)) or np.any(ref <= 0):
            raise ValueError(f"mvc: references must be finite and > 0 (input units), got {ref.tolist()}")
        return ref
    if m.ndim == 1:
        m = m[:, None]
    if m.ndim != 2 or m.shape[1] != C:
        raise ValueError(f"mvc: expected {C} reference values or an MVC recording of shape (n, {C}), "
                         f"got shape {np.shape(mvc)}")
    cal = Session(**dict(cfg, imu_enabled=False))
    cal.begin_mvc()
    cal.push_emg_block(np.arange(m.shape[0]) / emg_fs, m.astype(np.float32))
    try:
        cal.end_mvc()
    except ValueError as e:
        raise ValueError(f"mvc: the MVC recording did not calibrate ({m.shape[0] / emg_fs:.3g} s): {e}") from None
    return np.asarray(cal.mvc_reference, dtype=np.float64)


# Calf muscles by column name (SENIAM-style abbreviations or words), in the order they are analysed.
_CALF = (("soleus", ("so", "sol", "soleus")),
         ("gastrocnemius_medialis", ("gm", "gasmed", "mg", "gastrocnemius_medialis", "gastrocnemius medialis")),
         ("gastrocnemius_lateralis", ("gl", "gaslat", "lg", "gastrocnemius_lateralis", "gastrocnemius lateralis")),
         ("tibialis_anterior", ("ta", "tibant", "tibialis_anterior", "tibialis anterior")))


def _muscle_of(name: str) -> str:
    """The Session muscle a column name stands for (``'other'`` when it is not a calf muscle).

    Examples
    --------
    >>> _muscle_of("SO"), _muscle_of("GL [uV]"), _muscle_of("RF")
    ('soleus', 'gastrocnemius_lateralis', 'other')
    """
    key = re.sub(r"\s*[\[(].*$", "", str(name)).strip().lower()
    for muscle, aliases in _CALF:
        if key in aliases:
            return muscle
    return "other"


def _calf_first(stream):
    """``stream`` with its calf-muscle channels (soleus, gastrocnemii, tibialis anterior) first, then the rest."""
    from dataclasses import replace

    order = [m for m, _ in _CALF]
    rank = [order.index(_muscle_of(n)) if _muscle_of(n) in order else len(order) for n in stream.channels]
    idx = sorted(range(stream.n_channels), key=lambda c: (rank[c], c))
    return replace(stream, data=np.asarray(stream.data)[:, idx], channels=tuple(stream.channels[c] for c in idx),
                   units=tuple(stream.units[c] for c in idx))


def _mvc_from(mvc, emg, to_mv, group=slice(0, 8)):
    """The MVC input of :func:`analyze` for the recording's EMG channels ``group`` (one Session's), in the same
    unit (mV)."""
    if not hasattr(mvc, "emg"):
        return mvc
    src = os.path.basename(mvc.source) if getattr(mvc, "source", "") else "the MVC file"
    m = mvc.emg
    if m is None:
        raise ValueError(f"--mvc: {src} has no EMG channels")
    if abs(m.fs - emg.fs) > 0.01 * emg.fs:
        raise ValueError(f"--mvc: {src} is sampled at {m.fs:.6g} Hz, the recording at {emg.fs:.6g} Hz")
    names = list(emg.channels[group])
    if all(n in m.channels for n in names):
        idx = [list(m.channels).index(n) for n in names]
    elif m.n_channels >= group.stop:
        idx = list(range(group.start, group.stop))
    else:
        raise ValueError(f"--mvc: {src} has {m.n_channels} EMG channels ({', '.join(m.channels)}); "
                         f"the recording's are {', '.join(names)}")
    try:
        f = np.array([_unit_factor(m.units[i], "mV") for i in idx])
    except ValueError:
        f = np.ones(len(idx))
        if not np.allclose(to_mv[group], 1.0):
            raise ValueError(f"--mvc: the unit of {src}'s EMG is unknown (give --emg-unit)") from None
    return np.asarray(m.data, dtype=np.float64)[:, idx] * f


def _rate_check(t, fs, t_name, fs_name):
    if t is None or len(t) < 3:
        return
    d = np.diff(t)
    d = d[np.isfinite(d) & (d > 0)]
    if len(d) == 0:
        raise ValueError(f"{t_name}: time stamps do not increase")
    step = float(np.median(d))
    if abs(step * fs - 1.0) > 0.05:
        raise ValueError(f"{fs_name}: {fs:g} Hz does not match the time stamps in {t_name} "
                         f"(median step {step:.6g} s = {1 / step:.6g} Hz)")


def _rate(fs, name):
    if fs is None:
        return None
    if isinstance(fs, bool) or not isinstance(fs, (int, float, np.integer, np.floating)) or not np.isfinite(fs) \
            or fs <= 0:
        raise ValueError(f"{name}: sampling rate must be a positive number of Hz, got {fs!r}")
    return float(fs)


def _stamps(t, name):
    """Time stamps as float64; ValueError naming ``name`` for str / dict / complex / bool input."""
    from ._reps import _real_array

    return _real_array(t, name, kinds="fiu", what="time stamps", expected="time stamps in s (real numbers)")


def _names(v, name):
    """A sequence of str (one str = one name); ValueError naming ``name`` (``channels=True`` was a TypeError)."""
    if isinstance(v, str):
        return [v]
    try:
        v = list(v)
    except TypeError:
        raise ValueError(f"{name}: expected a sequence of names (str), got {v!r}") from None
    if not all(isinstance(n, str) for n in v):
        raise ValueError(f"{name}: expected names (str), got {v!r}")
    return v


def _signal(x, name, width=None):
    a = np.asarray(x)
    if a.dtype.kind not in "fiu":
        raise ValueError(f"{name}: expected a real numeric array (float32 or float64), got dtype {a.dtype}")
    if a.ndim == 1 and width is None:
        a = a[:, None]
    if a.ndim != 2 or (width is not None and a.shape[1] != width):
        want = f"(n, {width})" if width else "(n,) or (n, channels)"
        raise ValueError(f"{name}: expected shape {want}, got {a.shape}")
    return np.ascontiguousarray(a, dtype=np.float32)


def analyze(emg=None, emg_fs=None, acc=None, gyro=None, imu_fs=None, t_emg=None, t_imu=None, channels=None, *,
            muscles: Optional[Sequence[str]] = None, activation_hz: float = 100.0, mvc=None,
            keep_conditioned: bool = False, window_s: Optional[float] = 0.5, **settings) -> Result:
    """Run a whole recording through the streaming :class:`soleus.Session`; tables and plots out.

    Parameters
    ----------
    emg : array (n,) or (n, channels), optional
        EMG in its input units (mV recommended), float32 or float64.
    emg_fs : float
        EMG rate in Hz (needed with ``emg``).
    acc, gyro : array (m, 3), optional
        IMU: acc in m/s² and gyro in deg/s (other units: ``imu_reps=dict(acc_unit="g")``).
    imu_fs : float
        IMU rate in Hz (needed with ``acc``).
    t_emg, t_imu : array, optional
        Time stamps in seconds on one clock (default ``arange(n) / fs``);
        gaps, duplicates and NaN stamps are handled (and reported) by the Session.
    channels : sequence of str, optional
        EMG channel names (default ``soleus``, ``ch1``, ...).
    muscles : sequence of str, optional
        One per channel (default: ``soleus`` for the first, ``other`` for the rest).
    activation_hz : float
        Rate at which the envelope / %MVC are sampled into ``Result.activation``.
    mvc : array, optional
        %MVC calibration: an MVC recording of the same channels at ``emg_fs``
        (``(n,)`` or ``(n, channels)``, input units), run through a Session
        with the same EMG settings (``begin_mvc()`` / ``end_mvc()``); or one
        reference per channel (input units, e.g. mV). Without it the levels
        are % of the running peak of the recording and every table says
        ``calibrated = False``.
    keep_conditioned : bool
        Keep the Session's conditioned EMG (band-passed, mains-notched, input
        units: the signal its detectors see) as ``Result.conditioned``
        ``(frames, channels)`` with ``Result.conditioned_t_s``: every frame
        the Session admitted (frames dropped as faults are missing). Off by
        default: it is as large as the EMG itself (float32).
    window_s : float or None
        Window of :attr:`Result.spectral` (the conditioned EMG's median and
        mean frequency, :func:`soleus.spectral_features`) in seconds; None
        for no spectra (they take about as long as the Session's run: 0.3 s
        for 10 min of 8 channels at 2 kHz).
    **settings
        :class:`soleus.Session` settings: ``emg_settings=dict(...)`` (the
        Session's ``emg=``: EMG chain settings by :meth:`soleus.EmgProcessor.defaults`
        names), ``imu_reps=dict(...)``, ``emg_range``, ``inactivity_alert_s``, ...;
        ``emg_unit`` (the EMG's unit: the plots' label, and the summary's
        ``rms_mv`` when it is ``V``, ``mV`` or ``uV``; NaN otherwise).

    Notes
    -----
    Everything is pushed in time order: before each EMG block the IMU samples
    stamped at or before it, EMG blocks end at the next IMU stamp (so the
    per-rep EMG statistics see the EMG in step with the IMU, as live).

    Examples
    --------
    >>> import numpy as np, soleus
    >>> sim = soleus.sim.heel_raise_session(fs=100, n_sets=2, reps_per_set=4, seed=2)
    >>> res = soleus.analyze(acc=sim.acc, gyro=sim.gyro, imu_fs=100, t_imu=sim.t_s)
    >>> len(res.reps), len(res.sets)
    (8, 2)
    >>> res.plot("session.png")  # doctest: +SKIP
    'session.png'
    """
    from ._session import Session

    emg_fs = _rate(emg_fs, "emg_fs")
    imu_fs = _rate(imu_fs, "imu_fs")
    if emg is None and acc is None and gyro is None:
        raise ValueError("emg, acc: nothing to analyze; give EMG and/or IMU (acc + gyro)")
    if (acc is None) != (gyro is None):
        raise ValueError(f"{'gyro' if gyro is None else 'acc'}: the IMU needs both acc and gyro")
    emg_unit = settings.pop("emg_unit", "")
    if "emg" in settings:  # pragma: no cover - Python already refuses a second 'emg'
        raise ValueError("emg: the EMG chain settings go in emg_settings=dict(...)")
    emg_settings = settings.pop("emg_settings", None)
    if emg is not None:
        x = _signal(emg, "emg")
        C = x.shape[1]
        if C > 8:
            raise ValueError(f"emg: {C} channels; the Session takes at most 8")
        if emg_fs is None:
            raise ValueError("emg_fs: needed with emg (Hz)")
        te = np.arange(x.shape[0]) / emg_fs if t_emg is None else _stamps(t_emg, "t_emg")
        if te.shape != (x.shape[0],):
            raise ValueError(f"t_emg: expected shape ({x.shape[0]},), got {te.shape}")
        _rate_check(te, emg_fs, "t_emg", "emg_fs")
    else:
        C, x, te = 0, np.zeros((0, 1), np.float32), np.zeros(0)
        if t_emg is not None:
            raise ValueError("t_emg: given without emg")
    if acc is not None:
        a = _signal(acc, "acc", 3)
        g = _signal(gyro, "gyro", 3)
        if a.shape[0] != g.shape[0]:
            raise ValueError(f"gyro: {g.shape[0]} samples for {a.shape[0]} acc samples")
        if imu_fs is None:
            raise ValueError("imu_fs: needed with acc and gyro (Hz)")
        ti = np.arange(a.shape[0]) / imu_fs if t_imu is None else _stamps(t_imu, "t_imu")
        if ti.shape != (a.shape[0],):
            raise ValueError(f"t_imu: expected shape ({a.shape[0]},), got {ti.shape}")
        _rate_check(ti, imu_fs, "t_imu", "imu_fs")
    else:
        a = g = np.zeros((0, 3), np.float32)
        ti = np.zeros(0)
        if t_imu is not None:
            raise ValueError("t_imu: given without acc and gyro")
    names = _names(channels, "channels") if channels is not None else (["soleus"] + [f"ch{i}" for i in range(1, C)])[:C]
    if len(names) != C:
        raise ValueError(f"channels: {len(names)} names for {C} EMG channels")
    mus = _names(muscles, "muscles") if muscles is not None else (["soleus"] + ["other"] * max(0, C - 1))[:C]
    if len(mus) != C:
        raise ValueError(f"muscles: {len(mus)} given for {C} EMG channels")
    if not activation_hz > 0:
        raise ValueError(f"activation_hz: must be > 0, got {activation_hz!r}")
    cfg = dict(settings, emg_channels=C, imu_enabled=acc is not None)
    emg_cfg = dict(emg_settings or {})
    if C and "burst_spectra" not in emg_cfg:
        # Per-burst fatigue figures by default here (off in the C++ core for
        # its cost). The session's spectra capacity is 512 samples: above
        # 2048 Hz the segment shortens to fit.
        emg_cfg["burst_spectra"] = True
        seg = min(0.25, 512.0 / float(emg_fs))
        emg_cfg.setdefault("spectra_segment_s", seg)
        emg_cfg.setdefault("spectra_hop_s", emg_cfg["spectra_segment_s"] / 2)
    if emg_cfg:
        cfg["emg"] = emg_cfg
    if C:
        cfg.update(channels=[n[:15] for n in names], muscles=mus, emg_rate_hz=emg_fs)
    if acc is not None:
        cfg["imu_rate_hz"] = imu_fs
    try:
        s = Session(**cfg)
    except ValueError as e:  # name analyze's argument, not the Session setting it became
        msg = str(e)
        for setting, arg in (("imu_rate_hz", "imu_fs"), ("emg_rate_hz", "emg_fs")):
            if msg.startswith(setting + ":"):
                raise ValueError(f"{arg}:{msg[len(setting) + 1:]}") from None
        raise
    if mvc is not None:
        if not C:
            raise ValueError("mvc: given without emg")
        s.set_mvc_references(_mvc_references(mvc, cfg, C, emg_fs))
    every = max(1, int(round(emg_fs / activation_hz))) if C else 1
    if not isinstance(keep_conditioned, (bool, np.bool_)):
        raise ValueError(f"keep_conditioned: expected True or False, got {keep_conditioned!r}")
    if window_s is not None and (isinstance(window_s, bool)
                                 or not isinstance(window_s, (int, float, np.integer, np.floating))
                                 or not np.isfinite(window_s) or window_s <= 0):
        raise ValueError(f"window_s: spectral window must be a positive number of seconds or None, "
                         f"got {window_s!r}")
    # The conditioned EMG is always taken from the run: the summary's RMS and the spectra are computed on
    # it (the engine's band-pass and tracked notches, never a second filter chain); it is kept on the
    # Result only when asked (it is as large as the EMG).
    run = s._s.run(np.ascontiguousarray(te), x if C else np.zeros((0, 1), np.float32),
                   np.ascontiguousarray(ti), a, g, every, C > 0)
    events = s.events()
    stats = dict(emg_stream=s.emg_stream, imu_stream=s.imu_stream, activity=s.activity, imu=s.imu_state,
                 events_dropped=s.events_dropped, config=s.config)
    res = Result(events=events, run=run, channels=names, muscles=mus, emg_fs=emg_fs,
                 imu_fs=imu_fs if acc is not None else None, t_imu=ti,
                 stats=stats, settings=dict(settings, emg_unit=emg_unit), calibrated=s.mvc_calibrated,
                 mvc_reference=np.asarray(s.mvc_reference) if C else None, emg_samples=x.shape[0] if C else 0)
    if C:
        from ._emg import EmgProcessor

        _conditioned_figures(res, dict(EmgProcessor.defaults(), **emg_cfg),
                             None if window_s is None else float(window_s))
        if not keep_conditioned:
            res.conditioned = res.conditioned_t_s = None
    return res


def analyze_recording(rec, *, mains_hz: float = 50.0, band_hz=(20.0, 450.0), envelope_hz: float = 6.0,
                      window_s: float = 0.5, mvc=None, **settings) -> Result:
    """Turn a :class:`~soleus.io.Recording` into a :class:`Result` via :func:`analyze`.

    The same result type as :func:`analyze` on arrays, with ``source`` (the
    file name) and ``notes``; a file with more than 8 EMG channels runs
    through more than one Session (calf muscles first, with the IMU), joined
    into one Result (channels numbered across them; per-rep EMG levels for
    the first Session's channels).

    Parameters
    ----------
    rec : Recording
        EMG (``rec.emg``) and/or IMU (``rec.acc`` + ``rec.gyro``, first three
        columns each: one sensor) on one clock.
    mains_hz : float
        50 or 60 (the Session's mains notches and harmonics); 0 for none.
    band_hz : (float, float)
        EMG band-pass edges in Hz; the upper edge is lowered to 0.45·fs for
        slowly sampled EMG (noted).
    envelope_hz : float
        Low-pass cut-off of the envelope (2nd order).
    window_s : float
        Spectral window length (see ``soleus.spectral_features``).
    mvc : Recording or array, optional
        %MVC calibration: a :class:`~soleus.io.Recording` of an MVC trial
        (its EMG channels matched by name, else by position, converted to
        the same unit, at the same rate), or what :func:`analyze` takes as
        ``mvc``. Without it the summary says ``calibrated = False``.
    **settings
        More :class:`soleus.Session` settings.
    """
    import soleus

    if not hasattr(rec, "emg"):
        raise ValueError(f"rec: expected a soleus.io.Recording, got {type(rec).__name__}")
    emg = rec.emg
    has_imu = rec.acc is not None and rec.gyro is not None
    if emg is None and not has_imu:
        raise ValueError(f"rec: {os.path.basename(rec.source) or 'recording'} has no EMG channels and no IMU")
    notes: List[str] = []
    source = os.path.basename(rec.source) if rec.source else ""
    kw: Dict[str, Any] = dict(settings)
    x = None
    to_mv = None
    env_unit = ""
    if emg is not None:
        fs = emg.fs
        if emg.n_samples < int(2 * window_s * fs):
            raise ValueError(f"rec: EMG has {emg.n_samples} samples ({emg.duration_s:.3g} s); "
                             f"need at least {2 * window_s:g} s")
        try:
            lo, hi = (float(b) for b in band_hz)
        except (TypeError, ValueError):
            raise ValueError(f"band_hz: expected (low_hz, high_hz), got {band_hz!r}") from None
        if hi >= 0.5 * fs:
            notes.append(f"band: upper edge {hi:g} Hz lowered to {0.45 * fs:.4g} Hz (fs {fs:.6g} Hz)")
            hi = 0.45 * fs
        if not 0 < lo < hi:
            raise ValueError(f"band_hz: need 0 < low < high < fs/2, got ({lo:g}, {hi:g}) at fs {fs:.6g} Hz")
        if mains_hz and not mains_hz < 0.5 * fs:
            raise ValueError(f"mains_hz: {mains_hz:g} Hz is above Nyquist ({0.5 * fs:.6g} Hz)")
        if emg.n_channels > 8:
            emg = _calf_first(emg)
            notes.append(f"EMG: {emg.n_channels} channels; a Session takes 8, calf muscles first: "
                         f"{', '.join(emg.channels[:8])} (with the IMU); {', '.join(emg.channels[8:])} "
                         f"through {(emg.n_channels - 1) // 8} more EMG-only Session(s)")
        # Amplitudes in mV when the file says its unit; raw numbers otherwise.
        try:
            to_mv = np.array([soleus.io._unit_factor(u, "mV") for u in emg.units])
            env_unit = "mV"
        except ValueError:
            to_mv = np.ones(emg.n_channels)
            env_unit = emg.units[0] if len(set(emg.units)) == 1 else ""
            notes.append("EMG unit unknown: rms_mv is NaN (give the unit: soleus analyze --emg-unit uV, "
                         "read_csv(..., units={'emg': 'uV'}))")
        x = np.asarray(emg.data, dtype=np.float64) * to_mv
        emg_kw = dict(kw.pop("emg_settings", {}) or {})
        emg_kw.setdefault("bandpass_low_hz", lo)
        emg_kw.setdefault("bandpass_high_hz", hi)
        emg_kw.setdefault("envelope_lowpass_hz", envelope_hz)
        if mains_hz:
            emg_kw.setdefault("mains_hz", float(mains_hz))
        else:
            emg_kw.setdefault("mains_mode", "off")
        kw["emg_settings"] = emg_kw
    imu = {}
    if has_imu:
        imu = dict(acc=rec.acc.to_unit("m/s^2").data[:, :3], gyro=rec.gyro.to_unit("deg/s").data[:, :3],
                   imu_fs=rec.acc.fs, t_imu=rec.acc.t_s)
        if rec.gyro.n_samples != rec.acc.n_samples:
            raise ValueError(f"rec: {rec.gyro.n_samples} gyro samples for {rec.acc.n_samples} acc samples")
    # Every number comes from the engine: each group of up to 8 EMG channels runs through its own
    # Session (the first one with the IMU); RMS and spectra are those of its conditioned signal (its
    # band-pass and tracked mains notches, analyze()), and the groups join into one Result.
    groups = [slice(g, min(g + 8, emg.n_channels)) for g in range(0, emg.n_channels, 8)] if emg is not None \
        else [slice(0, 0)]
    results = []
    for gi, g in enumerate(groups):
        gkw = dict(kw)
        if emg is not None and mvc is not None:
            gkw["mvc"] = _mvc_from(mvc, emg, to_mv, g)
        names = list(emg.channels[g]) if emg is not None else None
        r = analyze(emg=x[:, g] if emg is not None else None, emg_fs=emg.fs if emg is not None else None,
                    t_emg=emg.t_s if emg is not None else None, channels=names,
                    muscles=[_muscle_of(n) for n in names] if names is not None else None,
                    emg_unit=env_unit, window_s=window_s, **(imu if gi == 0 else {}), **gkw)
        if emg is not None:
            r.settings["emg_units"] = tuple(emg.units[g])  # the file's own units, for the summary
        results.append(r)
    res = _join(results)
    res.source = source
    res.notes = notes
    return res


def __getattr__(name: str) -> Any:
    # ``Analysis`` was analyze_recording's result type in 0.2; it is now the one Result type.
    if name == "Analysis":
        warnings.warn("soleus.analysis.Analysis is deprecated: analyze_recording() and analyze() return one "
                      "type, soleus.Result (Analysis is an alias of it and will be removed)",
                      DeprecationWarning, stacklevel=2)
        return Result
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
