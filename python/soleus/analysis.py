"""One recording in, result tables out: what ``soleus analyze`` runs on each file.

:func:`analyze_recording` is the single place that turns a
:class:`~soleus.io.Recording` into tables. Today it runs the pieces that exist
on the EMG (band-pass + mains notches with ``soleus.sosfilt``, a rectified
6 Hz envelope, ``soleus.spectral_features``, simple flat-line/non-finite
flags) and, when the package has them, ``soleus.detect_bursts`` and
``soleus.segment_reps``. When the streaming ``Session`` is bound, its results
replace the body of this function; the CLI, the JSON/CSV writers and the plots
only see :class:`Analysis`.

>>> import numpy as np, soleus
>>> from soleus.io import Recording, Stream
>>> x, truth = soleus.sim.emg(duration_s=10, fs=2000, n_bursts=3, seed=3)
>>> rec = Recording(emg=Stream(x, 2000.0, ("SO",), ("mV",)))
>>> res = analyze_recording(rec)
>>> list(res.summary.columns)[:4]
['source', 'channel', 'fs_hz', 'duration_s']
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

__all__ = ["Analysis", "analyze_recording"]


@dataclass
class Analysis:
    """Results for one recording.

    ``summary``: one row per EMG channel (``source, channel, fs_hz, duration_s,
    unit, rms_mv, median_hz, mean_hz, median_slope_hz_per_min, n_bursts,
    flagged_s``); ``spectral``: sliding-window median/mean frequency
    (``spectral_features`` columns plus ``channel_name``); ``bursts`` and
    ``reps``: the detectors' tables, or ``None`` when not available;
    ``quality``: flagged spans (``channel, flag, start_s, end_s``);
    ``envelope`` ``(n, channels)`` and ``envelope_t_s`` for plots; ``notes``:
    what was skipped and why.
    """

    source: str
    summary: Any
    spectral: Any
    quality: Any
    bursts: Any = None
    reps: Any = None
    envelope: Optional[np.ndarray] = None
    envelope_t_s: Optional[np.ndarray] = None
    envelope_unit: str = ""
    channels: Tuple[str, ...] = ()
    notes: List[str] = field(default_factory=list)

    def tables(self) -> Dict[str, Any]:
        """The non-empty result tables by name (``summary``, ``spectral``, ``quality``, ``bursts``, ``reps``)."""
        out = {"summary": self.summary, "spectral": self.spectral, "quality": self.quality,
               "bursts": self.bursts, "reps": self.reps}
        return {k: v for k, v in out.items() if v is not None}

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready: every table as a list of records (NaN -> None), plus notes."""
        import json

        def records(df):
            return json.loads(df.to_json(orient="records", double_precision=10))

        d: Dict[str, Any] = {"source": self.source, "notes": list(self.notes)}
        for k, v in self.tables().items():
            d[k] = records(v)
        return d


def _flag_spans(x: np.ndarray, fs: float, t0_s: float, block_s: float = 0.05):
    """Spans where a channel is flat (electrode off, zero padding) or non-finite, on 50 ms blocks."""
    n = x.shape[0]
    block = max(2, int(round(block_s * fs)))
    rows = []
    nb = n // block
    if nb == 0:
        return rows
    xb = x[: nb * block].reshape(nb, block, -1)
    with np.errstate(invalid="ignore"):
        nonfinite = ~np.all(np.isfinite(xb), axis=1)
        flat = (np.nanmax(xb, axis=1) - np.nanmin(xb, axis=1) == 0) & ~nonfinite
    for flag, mask in (("flat", flat), ("nonfinite", nonfinite)):
        for c in range(mask.shape[1]):
            m = np.concatenate([[False], mask[:, c], [False]])
            edges = np.flatnonzero(np.diff(m.astype(np.int8)))
            for a, b in zip(edges[::2], edges[1::2]):
                rows.append((c, flag, t0_s + a * block / fs, t0_s + b * block / fs))
    return rows


def analyze_recording(rec, *, mains_hz: float = 50.0, band_hz=(20.0, 450.0), envelope_hz: float = 6.0,
                      window_s: float = 0.5) -> Analysis:
    """Turn a :class:`~soleus.io.Recording` into result tables (an :class:`Analysis`).

    Parameters
    ----------
    rec : Recording
        Needs EMG (``rec.emg``); IMU is used by ``soleus.segment_reps`` when present.
    mains_hz : float
        50 or 60 (notches at it and its harmonics below Nyquist); 0 for none.
    band_hz : (float, float)
        EMG band-pass edges in Hz (4th-order Butterworth); the upper edge is
        lowered to 0.45·fs for slowly sampled EMG (noted).
    envelope_hz : float
        Low-pass cut-off of the rectified EMG envelope (2nd order).
    window_s : float
        Spectral window length (see ``soleus.spectral_features``).
    """
    import pandas as pd

    import soleus

    if not hasattr(rec, "emg"):
        raise ValueError(f"rec: expected a soleus.io.Recording, got {type(rec).__name__}")
    emg = rec.emg
    if emg is None:
        raise ValueError(f"rec: {os.path.basename(rec.source) or 'recording'} has no EMG channels")
    notes: List[str] = []
    fs = emg.fs
    source = os.path.basename(rec.source) if rec.source else ""
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
    sos = [soleus.butter(4, [lo, hi], "bandpass", fs=fs)]
    if mains_hz:
        if not mains_hz < 0.5 * fs:
            raise ValueError(f"mains_hz: {mains_hz:g} Hz is above Nyquist ({0.5 * fs:.6g} Hz)")
        sos.append(soleus.mains_filter(float(mains_hz), fs))
    raw = np.asarray(emg.data, dtype=np.float64)
    filtered = soleus.sosfilt(np.vstack(sos), np.nan_to_num(raw), axis=0)
    envelope = soleus.sosfilt(soleus.butter(2, envelope_hz, fs=fs), np.abs(filtered), axis=0)

    # Amplitudes in mV when the file says its unit; raw numbers otherwise.
    try:
        to_mv = np.array([soleus.io._unit_factor(u, "mV") for u in emg.units])
        env_unit = "mV"
    except ValueError:
        to_mv = np.full(emg.n_channels, np.nan)
        env_unit = emg.units[0] if len(set(emg.units)) == 1 else ""
        notes.append("EMG unit unknown: rms_mv is NaN (give the unit, e.g. read_csv(..., units={'emg': 'uV'}))")
    if env_unit == "mV":
        envelope = envelope * to_mv

    spectral = soleus.spectral_features(filtered, fs, window_s=window_s, band=(lo, hi), t0_s=emg.t0_s)
    if "channel" not in spectral.columns:
        spectral.insert(0, "channel", 0)
    spectral.insert(1, "channel_name", [emg.channels[c] for c in spectral["channel"]])

    quality = pd.DataFrame(_flag_spans(raw, fs, emg.t0_s), columns=["channel", "flag", "start_s", "end_s"])
    quality.insert(1, "channel_name", [emg.channels[c] for c in quality["channel"]])

    bursts = None
    detect = getattr(soleus, "detect_bursts", None)
    if detect is not None:
        try:
            parts = []
            for c0 in range(0, emg.n_channels, 8):  # the engine takes up to 8 channels at a time
                b = detect(np.nan_to_num(raw[:, c0:c0 + 8]), fs=fs)
                if "channel" in b.columns:
                    b = b.assign(channel=b["channel"] + c0)
                parts.append(b)
            bursts = pd.concat(parts, ignore_index=True)
            if emg.t0_s:
                bursts[["onset_s", "offset_s"]] += emg.t0_s
        except (ValueError, TypeError, RuntimeError) as e:
            notes.append(f"detect_bursts skipped: {e}")
    else:
        notes.append("bursts: soleus.detect_bursts is not in this build")

    reps = None
    segment = getattr(soleus, "segment_reps", None)
    if rec.acc is not None and rec.gyro is not None:
        if segment is not None:
            try:
                acc = rec.acc.to_unit("m/s^2").data[:, :3]
                gyro = rec.gyro.to_unit("deg/s").data[:, :3]
                out = segment(acc, gyro, fs=rec.acc.fs)
                reps = getattr(out, "reps", out)  # a table, or a result object that carries one
                if not isinstance(reps, pd.DataFrame):
                    notes.append(f"segment_reps returned {type(out).__name__}, not a reps table")
                    reps = None
                elif rec.acc.t0_s:
                    reps = reps.copy()
                    for col in ("start_s", "top_s", "lower_start_s", "end_s"):
                        if col in reps.columns:
                            reps[col] += rec.acc.t0_s
            except (ValueError, TypeError, RuntimeError) as e:
                notes.append(f"segment_reps skipped: {e}")
        else:
            notes.append("reps: soleus.segment_reps is not in this build")

    rows = []
    for c, name in enumerate(emg.channels):
        sp = spectral[spectral["channel"] == c]
        ok = sp.dropna(subset=["median_hz"])
        slope = np.polyfit(ok["t_s"], ok["median_hz"], 1)[0] * 60 if len(ok) >= 3 else np.nan
        settle = min(emg.n_samples // 4, int(0.25 * fs))  # skip the filters' start-up transient
        q = quality[quality["channel"] == c]
        rows.append(dict(
            source=source, channel=name, fs_hz=fs, duration_s=emg.duration_s, unit=emg.units[c],
            rms_mv=float(np.sqrt(np.mean(filtered[settle:, c] ** 2)) * to_mv[c]),
            median_hz=float(ok["median_hz"].median()) if len(ok) else np.nan,
            mean_hz=float(ok["mean_hz"].median()) if len(ok) else np.nan,
            median_slope_hz_per_min=float(slope),
            n_bursts=(int((bursts["channel"] == c).sum()) if "channel" in bursts.columns else len(bursts))
            if bursts is not None else None,
            flagged_s=float((q["end_s"] - q["start_s"]).sum()),
        ))
    summary = pd.DataFrame(rows)
    if reps is not None:
        summary["n_reps"] = len(reps)
    return Analysis(source=source, summary=summary, spectral=spectral, quality=quality, bursts=bursts,
                    reps=reps, envelope=envelope, envelope_t_s=emg.t_s, envelope_unit=env_unit,
                    channels=emg.channels, notes=notes)
