"""The calf-pump day from an IMU alone: strides, seated ankle pumps, stillness
and active seconds per minute (the streaming engine of
include/soleus/imu/activity.hpp, run offline)."""
import numpy as np

from . import _core
from ._reps import _check_units, _imu_array, _time_base

__all__ = ["activity"]

_MINUTE_COLUMNS = ["start_s", "active_s", "still_s", "covered_s", "strides", "pumps", "pedal_cycles", "cycling_s"]
_STRIDE_COLUMNS = ["t_s", "motion_start_s", "motion_end_s", "confirmed_at_s", "peak_gyro_dps"]
_PUMP_COLUMNS = ["start_s", "end_s", "range_deg", "lever_m"]
_STILL_COLUMNS = ["start_s", "end_s"]


def minute_table(rows, t0_s):
    """The per-minute table from the engine's minute rows ``[start, active, still, covered, strides, pumps,
    pedal_cycles, cycling_s (, raises)]`` (``soleus.activity`` and the Session's ``pop_activity_minutes``), minutes counted from ``t0_s``."""
    import pandas as pd

    rows = np.asarray(rows, dtype=np.float64)
    if rows.ndim != 2:
        rows = rows.reshape(-1, len(_MINUTE_COLUMNS))
    cols = _MINUTE_COLUMNS + (["raises"] if rows.shape[1] == len(_MINUTE_COLUMNS) + 1 else [])
    df = pd.DataFrame(rows, columns=cols)
    for c in ("strides", "pumps", "pedal_cycles", "raises"):
        if c in df:
            df[c] = df[c].astype(np.int64)
    df.insert(0, "minute", np.rint((df["start_s"] - t0_s) / 60.0).astype(np.int64))
    df.insert(df.columns.get_loc("strides") + 1, "steps", 2 * df["strides"])
    return df


def activity(acc, gyro, fs=None, t=None, acc_unit="m/s2", gyro_unit="deg/s", **settings):
    """Per-minute calf-pump activity from a foot-worn IMU (any mounting, 60-200 Hz).

    Parameters
    ----------
    acc, gyro : array_like, shape (n, 3)
        Sensor-frame accelerometer (``acc_unit``: ``'m/s^2'`` / ``'m/s2'`` or ``'g'``) and
        gyroscope (``gyro_unit``: ``'deg/s'`` or ``'rad/s'``) samples.
    fs : float, optional
        Sampling rate (Hz). Give exactly one of ``fs`` and ``t``.
    t : array_like, shape (n,), optional
        Time stamps (s), strictly increasing; stream gaps are not counted.
    **settings
        Engine settings by name: ``swing_gyro_dps``, ``stance_gyro_dps``,
        ``quiet_fraction``, ``quiet_s``, ``min_motion_s``, ``max_motion_s`` (strides);
        ``pump_deadband_dps``, ``pump_min_sweep_deg``, ``pump_max_sweep_deg``,
        ``pump_min_half_s``, ``pump_max_half_s``, ``impact_mps2``, ``impact_jerk_mps3`` (ankle pumps);
        ``pedal_min_lever_m``, ``pedal_min_acc_mps2`` (pedalling told from pumps: include/soleus/imu/pumps.hpp);
        ``max_stride_s``, ``max_pump_gap_s``, ``still_gyro_dps``, ``still_acc_mps2``,
        ``still_s`` (see include/soleus/imu/activity.hpp). Unknown names raise ValueError.

    Returns
    -------
    pandas.DataFrame
        One row per minute from the first sample (minutes without samples are
        absent): ``minute`` (0, 1, ...), ``start_s``, ``active_s`` (calf-pump
        active seconds: walking, ankle pumps and cycling), ``still_s``, ``covered_s``
        (seconds with samples), ``strides`` (the instrumented foot's; the steps
        of both feet are about twice as many), ``steps`` (= 2 x strides),
        ``pumps`` (seated ankle pumps), ``pedal_cycles`` (crank turns while
        cycling, told from pumps by the crank's centripetal acceleration: see
        include/soleus/imu/pumps.hpp; not counted in ``pumps``) and ``cycling_s``
        (seconds of cycling, also in ``active_s``). ``df.attrs`` holds the
        events: ``strides`` (``t_s`` = the push-off before the swing,
        ``motion_start_s``, ``motion_end_s``, ``confirmed_at_s``,
        ``peak_gyro_dps``), ``pumps`` and ``pedal_cycles`` (``start_s``,
        ``end_s``, ``range_deg``, ``lever_m``: the cycle's effective lever arm)
        and ``still`` (``start_s``, ``end_s``; NaN while still at the end).

    Examples
    --------
    >>> import numpy as np, soleus
    >>> fs = 100.0
    >>> k = np.arange(int(120 * fs))
    >>> w = np.pi * 25.0 * np.sin(2 * np.pi * k / fs)       # 25 deg ankle pumps at 1 Hz
    >>> gyro = np.c_[w, 0 * w, 0 * w]
    >>> acc = np.tile([0.0, 0.0, 9.81], (len(k), 1))
    >>> df = soleus.activity(acc, gyro, fs=fs)
    >>> int(df["pumps"].sum()) >= 118
    True
    """
    import pandas as pd

    acc = _imu_array(acc, "acc")
    n = acc.shape[0]
    gyro = _imu_array(gyro, "gyro", n)
    t, _ = _time_base(n, fs, t)
    acc_unit, gyro_unit = _check_units(acc_unit, gyro_unit)
    d = _core.activity(t, acc, gyro, acc_unit, gyro_unit, dict(settings))
    df = minute_table(d["minutes"], t[0] if n else 0.0)
    df.attrs["strides"] = pd.DataFrame(d["strides"], columns=_STRIDE_COLUMNS)
    df.attrs["pumps"] = pd.DataFrame(d["pumps"], columns=_PUMP_COLUMNS)
    df.attrs["pedal_cycles"] = pd.DataFrame(d["pedal_cycles"], columns=_PUMP_COLUMNS)
    df.attrs["still"] = pd.DataFrame(d["still"], columns=_STILL_COLUMNS)
    return df
