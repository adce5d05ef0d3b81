"""Heel-raise repetitions from a foot- or shank-worn IMU (the C++ chain reps::ImuRepCounter).

The whole sensor chain runs in the C++ engine, as a loop over its streaming
``push``: orientation filter with gyro-bias estimation, automatic sagittal
axis (any mounting), plantar-flexion angle, repetition segmenter and sets.
"""
from __future__ import annotations

import numpy as np

from . import _core

__all__ = ["segment_reps"]

# Order of the engine's columns (python/src/bind_reps.cpp, RepCol).
_ENGINE_COLUMNS = [
    "start_s", "top_s", "lower_start_s", "end_s", "concentric_s", "hold_s", "eccentric_s", "rest_s",
    "rest_known", "baseline_deg", "top_deg", "rom_deg", "concentric_peak_dps", "concentric_mean_dps",
    "hold_peak_dps", "eccentric_peak_dps", "eccentric_mean_dps", "heel_rise_m", "work_j", "partial",
    "isometric", "set", "completed_at_s",
]
_SET_COLUMNS = [
    "set", "rep_count", "partial_count", "hold_count", "start_s", "end_s", "mean_concentric_s",
    "mean_hold_s", "mean_eccentric_s", "mean_rest_s", "mean_rom_deg", "time_under_tension_s",
]
_PLACEMENTS = ("auto", "foot", "shank", "shank_seated")


def _imu_array(x, name, n=None):
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 2 or a.shape[1] != 3:
        raise ValueError(f"{name}: expected shape (n, 3), got {a.shape}")
    if n is not None and a.shape[0] != n:
        raise ValueError(f"{name}: has {a.shape[0]} samples but acc has {n}")
    return np.ascontiguousarray(a)


def segment_reps(acc, gyro, fs=None, t=None, acc_unit="m/s2", gyro_unit="deg/s", placement="auto", *,
                 axis=None, **settings):
    """Heel-raise repetitions from accelerometer and gyroscope samples.

    Parameters
    ----------
    acc, gyro : array_like, shape (n, 3)
        Sensor-frame accelerometer (``acc_unit``: ``'m/s2'`` or ``'g'``) and
        gyroscope (``gyro_unit``: ``'deg/s'`` or ``'rad/s'``) samples; any mounting.
    fs : float, optional
        Sampling rate (Hz) of regularly sampled data. Give exactly one of ``fs`` and ``t``.
    t : array_like, shape (n,), optional
        Time stamps (s), strictly increasing, for irregular sampling (gaps and
        jitter are handled by the engine). The nominal rate is 1 / median interval.
    placement : {'auto', 'foot', 'shank', 'shank_seated'}
        Where the sensor is worn. A shank turns only 0.2-0.3x the foot, so for
        'shank' (standing) and 'shank_seated' the angle is scaled to an
        approximate foot angle (x 1/0.3 and x 1/0.19) and ``rom_deg`` reads in
        foot degrees. 'auto' keeps the angle as measured and uses the smaller
        minimum excursion a shank needs (1.5 deg instead of 4).
    axis : 3 numbers, optional
        The sagittal axis in the sensor frame (+ = plantar flexion), when it is
        known; otherwise it is found automatically from the first reps (the
        session must start at rest).
    **settings
        Engine settings by name: ``min_excursion_deg``, ``on_fraction``,
        ``reversal_fraction``, ``noise_k``, ``still_band_min_deg``, ``min_rest_s``,
        ``undershoot_fraction``, ``min_eccentric_s``, ``top_dwell_s``, ``settle_s``,
        ``isometric_hold_min_s``, ``max_hold_s``, ``gap_s``, ``smoothing_cutoff_hz``,
        ``boundary_fraction``, ``mtp_to_ankle_m``, ``ankle_height_m``,
        ``body_mass_kg``, ``set_gap_s``, ``partial_fraction``, ``angle_gain``
        (see include/soleus/reps/segmenter.hpp, sets.hpp). Unknown names raise ValueError.

    Returns
    -------
    pandas.DataFrame
        One row per repetition (and per isometric hold, ``isometric`` True):
        ``rep, set, start_s, top_s, lower_start_s, end_s, concentric_s, hold_s,
        eccentric_s, rest_s`` (NaN when unknown, e.g. the last rep of a set),
        ``rom_deg, baseline_deg, top_deg, concentric_peak_dps, concentric_mean_dps,
        hold_peak_dps, eccentric_peak_dps, eccentric_mean_dps, heel_rise_m, work_j``
        (heel-displacement work, which over-estimates centre-of-mass work by
        21-25 %, Andreasen 2021), ``partial`` (final flag: ROM below
        ``partial_fraction`` x the set's median), ``isometric``, ``completed_at_s``
        (stream time at which the engine reported it). ``df.attrs`` holds
        ``sets`` (a DataFrame of set summaries), ``axis_found``,
        ``axis_confidence``, ``axis_sensor``, ``gyro_bias_dps``, ``imu_rejected``.
    """
    import pandas as pd

    acc = _imu_array(acc, "acc")
    n = acc.shape[0]
    gyro = _imu_array(gyro, "gyro", n)
    if (fs is None) == (t is None):
        raise ValueError("fs: give exactly one of fs (regular sampling) and t (time stamps in s)")
    if fs is not None:
        fs = float(fs)
        if not np.isfinite(fs) or fs <= 0:
            raise ValueError(f"fs: must be a positive sampling rate in Hz, got {fs}")
        t = np.arange(n, dtype=np.float64) / fs
    else:
        t = np.ascontiguousarray(np.asarray(t, dtype=np.float64))
        if t.ndim != 1 or t.shape[0] != n:
            raise ValueError(f"t: expected shape ({n},) like acc's samples, got {t.shape}")
        if n >= 2:
            dt = np.diff(t)
            if not np.all(np.isfinite(t)) or np.any(dt <= 0):
                raise ValueError("t: time stamps must be finite and strictly increasing")
            fs = float(1.0 / np.median(dt))
        else:
            fs = 100.0
    if acc_unit not in ("m/s2", "g"):
        raise ValueError(f"acc_unit: must be 'm/s2' or 'g', not {acc_unit!r}")
    if gyro_unit not in ("deg/s", "rad/s"):
        raise ValueError(f"gyro_unit: must be 'deg/s' or 'rad/s', not {gyro_unit!r}")
    if placement not in _PLACEMENTS:
        raise ValueError(f"placement: must be one of {_PLACEMENTS}, not {placement!r}")
    if axis is not None:
        axis = [float(v) for v in np.asarray(axis, dtype=np.float64).ravel()]
        if len(axis) != 3 or not np.all(np.isfinite(axis)) or np.linalg.norm(axis) == 0:
            raise ValueError("axis: must be 3 finite numbers, not all zero (sensor frame, + = plantar flexion)")
    d = _core.segment_reps(t, acc, gyro, fs, acc_unit, gyro_unit, placement, axis, dict(settings))

    raw = pd.DataFrame(d["reps"], columns=_ENGINE_COLUMNS)
    raw.loc[raw.rest_known == 0, "rest_s"] = np.nan
    raw = raw.drop(columns=["rest_known"])
    for c in ("partial", "isometric"):
        raw[c] = raw[c].astype(bool)
    raw["set"] = raw["set"].astype(int)
    raw = raw.sort_values("start_s", kind="stable").reset_index(drop=True)
    raw.insert(0, "rep", np.arange(len(raw)))
    order = ["rep", "set", "start_s", "top_s", "lower_start_s", "end_s", "concentric_s", "hold_s", "eccentric_s",
             "rest_s", "rom_deg", "baseline_deg", "top_deg", "concentric_peak_dps", "concentric_mean_dps",
             "hold_peak_dps", "eccentric_peak_dps", "eccentric_mean_dps", "heel_rise_m", "work_j", "partial",
             "isometric", "completed_at_s"]
    df = raw[order]
    sets = pd.DataFrame(d["sets"], columns=_SET_COLUMNS)
    for c in ("set", "rep_count", "partial_count", "hold_count"):
        sets[c] = sets[c].astype(int)
    df.attrs["sets"] = sets
    for k in ("axis_found", "axis_explicit", "axis_confidence", "axis_sensor", "gyro_bias_dps", "imu_rejected",
              "events_dropped"):
        df.attrs[k] = d[k]
    return df
