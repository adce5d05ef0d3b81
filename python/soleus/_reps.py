"""Heel-raise repetitions from a foot- or shank-worn IMU (the C++ chain reps::ImuRepCounter).

The whole sensor chain runs in the C++ engine, as a loop over its streaming
``push``: orientation filter with gyro-bias estimation, automatic sagittal
axis (any mounting), plantar-flexion angle, repetition segmenter and sets.
"""
from __future__ import annotations

import numbers

import numpy as np

from . import _core
from .io import _rate_from_times, normalize_unit

__all__ = ["segment_reps", "segment_reps_emg"]

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


def _real_array(x, name, *, kinds="biuf", what="numbers", expected="real numbers"):
    """float64 array; ValueError naming ``name`` for str / dict / complex / ragged input (TypeError before).

    ``kinds``: the numpy dtype kinds accepted (time stamps leave out bool)."""
    try:
        a = np.asarray(x)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{name}: not an array of {what} ({e})") from None
    if a.dtype.kind not in kinds:
        raise ValueError(f"{name}: expected {expected}, got dtype {a.dtype}")
    return a.astype(np.float64)


def _imu_array(x, name, n=None):
    a = _real_array(x, name)
    if a.ndim != 2 or a.shape[1] != 3:
        raise ValueError(f"{name}: expected shape (n, 3), got {a.shape}")
    if n is not None and a.shape[0] != n:
        raise ValueError(f"{name}: has {a.shape[0]} samples but acc has {n}")
    return np.ascontiguousarray(a)


def _time_base(n, fs, t):
    """Time stamps (s) and the nominal rate (Hz) from exactly one of fs and t."""
    if (fs is None) == (t is None):
        raise ValueError("fs: give exactly one of fs (regular sampling) and t (time stamps in s)")
    if fs is not None:
        if isinstance(fs, (str, bytes, bool, np.bool_)) or not isinstance(fs, numbers.Real):
            raise ValueError(f"fs: must be a positive sampling rate in Hz, got {fs!r}")
        fs = float(fs)
        if not np.isfinite(fs) or fs <= 0:
            raise ValueError(f"fs: must be a positive sampling rate in Hz, got {fs}")
        return np.arange(n, dtype=np.float64) / fs, fs
    t = np.ascontiguousarray(_real_array(t, "t"))
    if t.ndim != 1 or t.shape[0] != n:
        raise ValueError(f"t: expected shape ({n},) like acc's samples, got {t.shape}")
    if n < 2:
        return t, 100.0
    dt = np.diff(t)
    if not np.all(np.isfinite(t)) or np.any(dt <= 0):
        raise ValueError("t: time stamps must be finite and strictly increasing")
    return t, _rate_from_times(t, "t")  # the readers' helper: one rate-from-stamps rule in the package


# The engine's spellings; every spelling the readers know is accepted (soleus.io.normalize_unit:
# 'm/s^2', 'm/s2', 'm/s²', 'mps2', ...; 'deg/s', '°/s', 'dps', ...).
_ENGINE_ACC_UNIT = {"m/s^2": "m/s2", "g": "g"}
_ENGINE_GYRO_UNIT = {"deg/s": "deg/s", "rad/s": "rad/s"}


def _check_units(acc_unit, gyro_unit):
    """The engine's spelling of acc_unit and gyro_unit; ValueError naming the argument otherwise."""
    acc = _ENGINE_ACC_UNIT.get(normalize_unit(acc_unit)) if isinstance(acc_unit, str) else None
    if acc is None:
        raise ValueError(f"acc_unit: must be 'm/s^2' (or 'm/s2') or 'g', not {acc_unit!r}")
    gyro = _ENGINE_GYRO_UNIT.get(normalize_unit(gyro_unit)) if isinstance(gyro_unit, str) else None
    if gyro is None:
        raise ValueError(f"gyro_unit: must be 'deg/s' or 'rad/s', not {gyro_unit!r}")
    return acc, gyro


def segment_reps(acc, gyro, fs=None, t=None, acc_unit="m/s2", gyro_unit="deg/s", placement="auto", *,
                 axis=None, **settings):
    """Heel-raise repetitions from accelerometer and gyroscope samples.

    Parameters
    ----------
    acc, gyro : array_like, shape (n, 3)
        Sensor-frame accelerometer (``acc_unit``: ``'m/s^2'`` / ``'m/s2'`` or ``'g'``) and
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
        foot degrees; their angle is gyro-dominant (the gyro rate about the
        axis integrated, corrected by gravity only at rest: a shank's ankle
        translates, and its accelerations read as tilt). 'auto' keeps the
        tilt-based angle as measured and uses the smaller minimum excursion a
        shank needs (1.5 deg instead of 4); it does not tell foot from shank.
    axis : 3 numbers, optional
        The sagittal axis in the sensor frame (+ = plantar flexion), when it is
        known; otherwise it is found automatically from the first reps (the
        session must start at rest).
    **settings
        Engine settings by name: ``min_excursion_deg``, ``on_fraction``,
        ``reversal_fraction``, ``noise_k``, ``still_band_min_deg``, ``min_rest_s``,
        ``undershoot_fraction``, ``min_eccentric_s``, ``lone_min_rom_deg``, ``top_dwell_s``, ``settle_s``,
        ``isometric_hold_min_s``, ``max_hold_s``, ``gap_s``, ``smoothing_cutoff_hz``,
        ``boundary_fraction``, ``mtp_to_ankle_m``, ``ankle_height_m``,
        ``body_mass_kg``, ``set_gap_s``, ``partial_fraction``, ``angle_gain``,
        ``angle_curvature_per_deg`` (seated shank: 0.0031, the ratio's growth per foot degree)
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
    fs_given = fs is not None
    t, fs = _time_base(n, fs, t)
    acc_unit, gyro_unit = _check_units(acc_unit, gyro_unit)
    if placement not in _PLACEMENTS:
        raise ValueError(f"placement: must be one of {_PLACEMENTS}, not {placement!r}")
    if axis is not None:
        axis = [float(v) for v in np.asarray(axis, dtype=np.float64).ravel()]
        if len(axis) != 3 or not np.all(np.isfinite(axis)) or np.linalg.norm(axis) == 0:
            raise ValueError("axis: must be 3 finite numbers, not all zero (sensor frame, + = plantar flexion)")
    try:
        d = _core.segment_reps(t, acc, gyro, fs, acc_unit, gyro_unit, placement, axis, dict(settings))
    except ValueError as e:  # the engine's config name for the rate; name the argument it came from
        if str(e).startswith("sample_rate_hz:"):
            raise ValueError(f"{'fs' if fs_given else 't'}: sampling rate {fs:g} Hz"
                             f"{str(e)[len('sample_rate_hz'):]}") from None
        raise

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


_EMG_REP_SETTINGS = ("rate_hz", "min_excursion_pct", "still_band_min_pct", "min_rest_s", "set_gap_s",
                     "partial_fraction", "on_fraction", "off_fraction", "boundary_fraction", "plateau_fraction",
                     "min_off_s", "min_duration_s", "rest_time_constant_s")
_EMG_ENGINE_COLUMNS = ["start_s", "top_s", "lower_start_s", "end_s", "concentric_s", "hold_s", "eccentric_s",
                       "rest_s", "baseline_pct_mvc", "peak_pct_mvc", "excursion_pct_mvc", "partial", "isometric",
                       "set", "completed_at_s"]


def segment_reps_emg(x, fs, *, channel=0, mvc=None, envelope_pct=False, **settings):
    """Heel-raise repetitions from the soleus EMG alone (no IMU): LOWER CONFIDENCE.

    A rep here is an activation burst (C++ ``reps::EmgRepCounter``, default
    ``method='bursts'``): hysteresis on the %MVC envelope (averaged to
    ``rate_hz``) against a tracked rest level, on above rest + 0.3 x the
    recent excursion, off after ``min_off_s`` below rest + 0.2 x it; edges
    where the envelope crosses 10 % / 30 % of the excursion, extrapolated to
    rest; ``top_s`` / ``lower_start_s`` where it first reaches / last leaves 90 %
    of it. ``method='segmenter'``: the envelope through the IMU angle's
    segmenter instead (suits smooth bursts; merges and drops stepwise
    heel-raise activation). Isometric contractions and other calf work count
    too, and the phases are activation phases (rise, plateau, decline), not
    the movement's: use the IMU (:func:`segment_reps`) when there is one.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, channels)
        Raw EMG (any units; the channel ``channel`` is used, default 0, e.g.
        the soleus of ``soleus.sim.heel_raise_session(..., emg=True).emg``),
        or with ``envelope_pct=True`` an envelope already in %MVC and
        delay-compensated.
    fs : float
        Sampling rate (Hz); sample i is at t = i / fs.
    mvc : array_like, optional
        An MVC calibration recording of that channel (raw, same units), or
        its reference (one number, envelope units). Without it %MVC is
        relative to the running peak (EmgProcessor's fallback), which still
        counts but makes the levels meaningless.
    **settings
        Rep settings ``method``, ``rate_hz`` (100), ``min_excursion_pct`` (8:
        smaller bursts are not reps), ``on_fraction`` (0.3), ``off_fraction``
        (0.2), ``boundary_fraction`` (0.1), ``plateau_fraction`` (0.9),
        ``min_off_s`` (0.25), ``min_duration_s`` (0.3),
        ``rest_time_constant_s`` (1), ``set_gap_s``, ``partial_fraction``;
        segmenter method: ``still_band_min_pct`` (1), ``min_rest_s`` (0.25).
        Any other name goes to
        :class:`soleus.EmgProcessor` (band-pass, mains, envelope ...), which
        raises ``ValueError`` for an unknown one. Default envelope: rectified,
        6 Hz low-pass; its delay is subtracted from the time stamps.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`segment_reps` (``rep, set, start_s, top_s,
        lower_start_s, end_s, concentric_s, hold_s, eccentric_s, rest_s, ...,
        partial, isometric, completed_at_s``); the angle-based ones
        (``rom_deg, baseline_deg, top_deg``, the ``*_dps`` rates,
        ``heel_rise_m, work_j``) are NaN. Added: ``baseline_pct_mvc``,
        ``peak_pct_mvc``, ``excursion_pct_mvc``, ``source`` (``'emg'``) and
        ``confidence`` (``'low'``). ``df.attrs``: ``sets``, ``delay_s`` (the
        envelope delay compensated), ``calibrated``.

    >>> s = soleus.sim.heel_raise_session(fs=100, emg=True, seed=2)
    >>> df = soleus.segment_reps_emg(s.emg, s.emg_fs, mvc=s.emg_mvc[:, 0])
    """
    import pandas as pd

    from ._emg import EmgProcessor

    fs = float(fs)
    if not np.isfinite(fs) or fs <= 0:
        raise ValueError(f"fs: must be a positive sampling rate in Hz, got {fs}")
    a = np.asarray(x, dtype=np.float64)
    if a.ndim == 2:
        if not 0 <= channel < a.shape[1]:
            raise ValueError(f"channel: must be within 0..{a.shape[1] - 1}, got {channel}")
        a = a[:, channel]
    elif a.ndim != 1:
        raise ValueError(f"x: expected shape (n,) or (n, channels), got {a.shape}")
    method = settings.pop("method", "bursts")
    if method not in ("bursts", "segmenter"):
        raise ValueError(f"method: must be 'bursts' or 'segmenter', not {method!r}")
    rep_settings = {k: float(settings.pop(k)) for k in list(settings) if k in _EMG_REP_SETTINGS}
    rep_settings["method"] = method
    t = np.arange(a.shape[0], dtype=np.float64) / fs
    delay = 0.0
    calibrated = True
    if envelope_pct:
        if settings:
            raise ValueError(f"{sorted(settings)[0]}: EmgProcessor settings need raw EMG (envelope_pct=False)")
        pct = a
    else:
        p = EmgProcessor(fs, channels=1, **settings)
        if mvc is not None:
            m = np.asarray(mvc, dtype=np.float64)
            if m.size == 1:
                p.mvc_reference = m.reshape(1)
            else:
                p.calibrate_mvc(m.reshape(-1))
        calibrated = bool(p.calibrated)
        pct = np.asarray(p.process(a).activation_pct, dtype=np.float64).reshape(-1)
        delay = float(p.delays["envelope_total_s"])
        t = t - delay
    d = _core.segment_reps_emg(np.ascontiguousarray(t), np.ascontiguousarray(pct), fs, rep_settings)
    raw = pd.DataFrame(d["reps"], columns=_EMG_ENGINE_COLUMNS)
    for c in ("partial", "isometric"):
        raw[c] = raw[c].astype(bool)
    raw["set"] = raw["set"].astype(int)
    raw = raw.sort_values("start_s", kind="stable").reset_index(drop=True)
    raw.insert(0, "rep", np.arange(len(raw)))
    for c in ("rom_deg", "baseline_deg", "top_deg", "concentric_peak_dps", "concentric_mean_dps", "hold_peak_dps",
              "eccentric_peak_dps", "eccentric_mean_dps", "heel_rise_m", "work_j"):
        raw[c] = np.nan
    raw["source"] = "emg"
    raw["confidence"] = "low"
    order = ["rep", "set", "start_s", "top_s", "lower_start_s", "end_s", "concentric_s", "hold_s", "eccentric_s",
             "rest_s", "rom_deg", "baseline_deg", "top_deg", "concentric_peak_dps", "concentric_mean_dps",
             "hold_peak_dps", "eccentric_peak_dps", "eccentric_mean_dps", "heel_rise_m", "work_j", "partial",
             "isometric", "completed_at_s", "baseline_pct_mvc", "peak_pct_mvc", "excursion_pct_mvc", "source",
             "confidence"]
    df = raw[order]
    sets = pd.DataFrame(d["sets"], columns=_SET_COLUMNS)
    for c in ("set", "rep_count", "partial_count", "hold_count"):
        sets[c] = sets[c].astype(int)
    sets = sets.rename(columns={"mean_rom_deg": "mean_excursion_pct_mvc"})
    df.attrs["sets"] = sets
    df.attrs["delay_s"] = delay
    df.attrs["calibrated"] = calibrated
    df.attrs["events_dropped"] = d["events_dropped"]
    return df
