"""``soleus.Session``: the streaming C++ Session (``soleus::Session<8, 256>``, the C API's) from Python.

Samples go in as they arrive (single frames or numpy blocks), events come out
as dicts. Every number is computed by the C++ engine; this wrapper only
checks array shapes and dtypes and names the argument that is wrong.

>>> import numpy as np, soleus
>>> s = soleus.Session(channels=["soleus", "gm"], muscles=["soleus", "gastrocnemius_medialis"],
...                    emg_rate_hz=2000, imu_rate_hz=100)
>>> t = np.arange(200) / 2000
>>> s.push_emg_block(t, np.zeros((200, 2), np.float32))
'ok'
>>> s.push_imu(0.0, [0, 0, 9.81], [0, 0, 0])
'ok'
>>> s.finish()
'ok'
>>> [e["type"] for e in s.events()]
[]
"""
from __future__ import annotations

import numbers
from typing import Any, Dict, List, Optional

import numpy as np

from . import _core

__all__ = ["Session", "EVENT_TYPES", "PHASES", "QUALITY_FLAGS"]

EVENT_TYPES = ("rep_started", "top_reached", "lowering_started", "rep_completed", "hold_completed",
               "rep_rejected", "rest_measured", "set_completed", "burst_onset", "burst_offset", "fault",
               "inactivity", "activity_resumed", "axis_found", "events_dropped",
               "baseline_relearned", "rep_refined")
PHASES = ("rest", "concentric", "top", "eccentric", "finishing")
# Bits of the sampled quality flags (same as SOLEUS_QUALITY_* in soleus.h).
QUALITY_FLAGS = ("saturated", "flat", "mains", "motion", "low_snr", "nonfinite")


def _float_array(x, name: str, strict: bool = True) -> np.ndarray:
    """float32 C-contiguous; blocks must be float32 or float64 (single frames: any real numbers)."""
    a = np.asarray(x)
    ok = a.dtype in (np.float32, np.float64) or (not strict and a.dtype.kind in "iuf")
    if not ok:
        raise ValueError(f"{name}: dtype {a.dtype} is not supported; use float32 or float64")
    return np.ascontiguousarray(a, dtype=np.float32)


def _time(t) -> np.ndarray:
    """One time stamp as a (1,) float64 array; ValueError naming ``t`` (float(None) was a TypeError)."""
    if isinstance(t, (bool, np.bool_)) or not isinstance(t, (numbers.Real, np.floating, np.integer)):
        raise ValueError(f"t: expected a time stamp in seconds (a real number), got {t!r}")
    return np.array([float(t)])


def _times(t, n: int, name: str) -> np.ndarray:
    a = np.asarray(t)
    if a.dtype.kind not in "fiu":
        raise ValueError(f"{name}: dtype {a.dtype} is not supported; time stamps are seconds (float64)")
    a = np.ascontiguousarray(a, dtype=np.float64)
    if a.ndim != 1 or a.shape[0] != n:
        raise ValueError(f"{name}: expected {n} time stamps (one per sample, shape ({n},)), got shape {a.shape}")
    return a


class Session:
    """A streaming soleus session: EMG and IMU in, repetition / burst / fault events out.

    Threads: one session may be shared by threads (e.g. EMG and IMU pushed
    from two device threads). Calls on it are serialised: a second thread's
    call waits (with the GIL released) until the first returns, and each call
    is atomic; each stream must still be pushed in time order. A callback
    re-entering the session from its own call raises RuntimeError.

    Parameters (keywords; names and defaults are ``soleus::SessionConfig``'s, see
    :meth:`defaults`)
    ----------
    channels : sequence of str, optional
        EMG channel names (at most 15 bytes of UTF-8 kept by the engine, cut
        at a character boundary); sets
        ``emg_channels``. ``emg_channels=0`` for an IMU-only session.
    muscles : sequence of str, optional
        One per channel: ``soleus``, ``gastrocnemius_medialis``,
        ``gastrocnemius_lateralis``, ``tibialis_anterior``, ``other``. Calf
        channels count as calf-pump activity.
    emg_rate_hz, imu_rate_hz : float
        Nominal rates (2000, 100). ``imu_enabled=False`` for EMG only.
    emg : dict, optional
        EMG chain settings by :meth:`soleus.EmgProcessor.defaults` names
        (``bandpass_low_hz``, ``mains_hz``, ``h``, ...).
    imu_reps : dict, optional
        Repetition chain: ``placement`` (``auto``/``foot``/``shank``/
        ``shank_seated``), ``acc_unit`` (``m/s2``/``g``), ``gyro_unit``
        (``deg/s``/``rad/s``), ``axis``, ``set_gap_s``, ``body_mass_kg``,
        ``tempo`` (dict of bounds), and every :func:`soleus.segment_reps` setting.
    **settings
        Any other ``SessionConfig`` field: ``emg_range``, ``imu_acc_range``,
        ``gap_factor``, ``inactivity_alert_s``, ``activity_min_burst_s``, ...

    A bad setting raises ``ValueError`` naming it.

    Example
    -------
    >>> import soleus
    >>> sim = soleus.sim.heel_raise_session(fs=100, n_sets=1, reps_per_set=5, seed=3)
    >>> s = soleus.Session(emg_channels=0, imu_rate_hz=100)
    >>> s.push_imu_block(sim.t_s, sim.acc, sim.gyro)
    'ok'
    >>> s.finish()
    'ok'
    >>> sum(e["type"] == "rep_completed" for e in s.events())
    5
    """

    def __init__(self, **settings: Any) -> None:
        if "channels" in settings and isinstance(settings["channels"], str):
            settings["channels"] = [settings["channels"]]
        if "muscles" in settings and isinstance(settings["muscles"], str):
            settings["muscles"] = [settings["muscles"]]
        self._s = _core.Session(settings)
        self._cfg = self._s.config()

    @staticmethod
    def defaults() -> Dict[str, Any]:
        """The published defaults (``soleus::SessionConfig{}``) as a dict, nested ``emg`` and ``imu_reps``."""
        return _core.session_defaults()

    @property
    def config(self) -> Dict[str, Any]:
        """The configuration in use (after defaults), as :meth:`defaults`."""
        return dict(self._cfg)

    @property
    def emg_channels(self) -> int:
        return int(self._cfg["emg_channels"])

    @property
    def channels(self) -> List[str]:
        """EMG channel names."""
        return list(self._cfg["channels"])

    # ------------------------------------------------------------------ input
    def push_emg(self, t: float, frame) -> str:
        """One EMG frame (``emg_channels`` values) at time ``t`` (s). Returns the status name."""
        f = _float_array(frame, "frame", strict=False).reshape(-1)
        if f.shape[0] != self.emg_channels:
            raise ValueError(f"frame: expected {self.emg_channels} values (one per channel), got {f.shape[0]}")
        return self._s.push_emg_block(_time(t), f.reshape(1, -1))

    def push_emg_block(self, t, frames) -> str:
        """``n`` EMG frames: ``frames`` shape ``(n, channels)`` (float32 or float64), ``t`` shape ``(n,)``.

        Identical to ``n`` calls of :meth:`push_emg`. Returns ``'ok'``,
        ``'bad_input'`` (samples dropped or contained; see the fault events) or
        ``'capacity_exceeded'``. The GIL is released while the engine runs.
        """
        if self.emg_channels == 0:
            raise ValueError("frames: this session has no EMG channels (emg_channels=0)")
        f = _float_array(frames, "frames")
        if f.ndim == 1 and self.emg_channels == 1:
            f = f.reshape(-1, 1)
        if f.ndim != 2 or f.shape[1] != self.emg_channels:
            raise ValueError(f"frames: expected shape (n, {self.emg_channels}) (n frames x channels), "
                             f"got {np.shape(frames)}")
        tt = _times(t, f.shape[0], "t")
        return self._s.push_emg_block(tt, f)

    def _imu(self, acc, gyro, n: Optional[int]):
        if not self._cfg["imu_enabled"]:
            raise ValueError("acc: this session has no IMU (imu_enabled=False)")
        a = _float_array(acc, "acc", strict=n is not None)
        g = _float_array(gyro, "gyro", strict=n is not None)
        if n is None:
            a, g = a.reshape(1, -1), g.reshape(1, -1)
        for name, x in (("acc", a), ("gyro", g)):
            if x.ndim != 2 or x.shape[1] != 3:
                raise ValueError(f"{name}: expected shape (n, 3) (x, y, z per sample), got {x.shape}")
        if a.shape[0] != g.shape[0]:
            raise ValueError(f"gyro: {g.shape[0]} samples for {a.shape[0]} acc samples")
        return a, g

    def push_imu(self, t: float, acc, gyro) -> str:
        """One IMU sample: ``acc`` (3, m/s² or g) and ``gyro`` (3, deg/s or rad/s) at time ``t`` (s)."""
        a, g = self._imu(acc, gyro, None)
        return self._s.push_imu_block(_time(t), a, g)

    def push_imu_block(self, t, acc, gyro) -> str:
        """``n`` IMU samples: ``acc`` and ``gyro`` shape ``(n, 3)``, ``t`` shape ``(n,)`` (GIL released)."""
        a, g = self._imu(acc, gyro, 0)
        return self._s.push_imu_block(_times(t, a.shape[0], "t"), a, g)

    def finish(self) -> str:
        """End of the recording: closes the open set and releases held rep events."""
        return self._s.finish()

    def begin_mvc(self) -> None:
        """Start of a maximal voluntary contraction (calibration for %MVC)."""
        self._s.begin_mvc()

    def end_mvc(self) -> None:
        """End of the MVC; ``ValueError`` when it was unusable (message from the engine)."""
        self._s.end_mvc()

    def set_mvc_references(self, reference) -> None:
        """Calibrate %MVC with one reference per EMG channel (input units, e.g. mV; each > 0).

        The same effect as an MVC recording between :meth:`begin_mvc` and
        :meth:`end_mvc`: activation is then envelope / reference × 100.

        Examples
        --------
        >>> import soleus
        >>> s = soleus.Session(channels=["soleus", "gm"], muscles=["soleus", "gastrocnemius_medialis"])
        >>> s.set_mvc_references([0.4, 0.3])
        >>> s.mvc_calibrated, s.mvc_reference.tolist()
        (True, [0.4, 0.3])
        """
        self._s.set_mvc_references(reference)

    @property
    def mvc_reference(self) -> np.ndarray:
        """Per-channel MVC references (input units); uncalibrated: the running peak's reference (0 = none yet)."""
        return np.asarray(self._s.mvc_reference)

    def begin_rest(self) -> None:
        self._s.begin_rest()

    def end_rest(self) -> None:
        self._s.end_rest()

    # ------------------------------------------------------------------ events
    def poll(self) -> Optional[Dict[str, Any]]:
        """The oldest pending event as a dict, or ``None``.

        Keys: ``type`` (one of :data:`EVENT_TYPES`), ``t_s``, ``channel``,
        ``value``; ``rep`` (rep events: the record, see ``reps::Rep``;
        ``rep_refined`` carries an earlier rep's full record, same
        ``index``, with its heel contact re-timed once the rest after the
        rebound settled: ``end_s``, ``eccentric_s`` and the eccentric speeds
        replace those of its ``rep_completed``),
        ``emg`` (rep_completed / hold_completed: ``mean_pct_mvc``, ``rms``,
        ``iemg`` arrays channels x 4 phases [concentric, hold, eccentric,
        whole rep], ``onset_rel_heel_off_s``, ``complete``), ``set``
        (set_completed), ``burst`` (burst_onset / burst_offset), ``fault``
        (``stream``, ``kind``, ``channel``, ``value``).
        """
        return self._s.poll()

    def events(self) -> List[Dict[str, Any]]:
        """All pending events (see :meth:`poll`), oldest first; the queue is emptied."""
        return self._s.events()

    def activity_minutes(self):
        """The IMU activity layer's closed minutes, oldest first, as a table; they are removed from the queue.

        Columns as :func:`soleus.activity` (``minute`` counted from stream
        time 0 here, ``start_s``, ``active_s``, ``still_s``, ``covered_s``,
        ``strides``, ``steps``, ``pumps``, ``pedal_cycles``, ``cycling_s``) plus ``raises`` (completed heel
        raises the rep engine counted as activity). The Session keeps the last
        8 closed minutes: call this at least every few minutes of stream time.
        :meth:`finish` closes the open minutes.
        """
        from ._activity import minute_table

        return minute_table(self._s.pop_activity_minutes(), 0.0)

    # ------------------------------------------------------------------ live state
    @property
    def phase(self) -> str:
        """Phase of the rep in progress: one of :data:`PHASES`."""
        return self._s.phase()

    @property
    def angle_deg(self) -> float:
        """Latest plantar-flexion angle (deg; provisional until the axis is found: the tilt about the best axis so far)."""
        return self._s.angle_deg()

    @property
    def rate_dps(self) -> float:
        return self._s.rate_dps()

    @property
    def activation(self) -> np.ndarray:
        """Latest activation per channel (%MVC, or relative until an MVC calibration)."""
        return self._s.activation()

    @property
    def envelope(self) -> np.ndarray:
        """Latest envelope per channel (input units)."""
        return self._s.envelope()

    @property
    def quality(self) -> List[Dict[str, Any]]:
        """Quality flags per channel (``saturated``, ``flat``, ``mains``, ``motion``, ``low_snr``, ``nonfinite``, ``good``, ...)."""
        return self._s.quality()

    @property
    def burst_active(self) -> List[bool]:
        return self._s.burst_active()

    @property
    def imu_state(self) -> Dict[str, Any]:
        """Repetition chain: angle, rate, phase, axis (``axis_found``, ``axis_confidence``, ``axis_sensor``), counts."""
        return self._s.imu_state()

    @property
    def axis_found(self) -> bool:
        return bool(self._s.imu_state()["axis_found"])

    @property
    def activity(self) -> Dict[str, Any]:
        """Daily calf-pump activity summary (``active_s``, ``longest_inactive_s``, ``inactivity_alerts``,
        ``strides``, ``pumps``, ``pedal_cycles`` and ``cycling_s`` from the IMU, ...)."""
        return self._s.activity()

    @property
    def emg_stream(self) -> Dict[str, Any]:
        """EMG time-stamp statistics (accepted, gaps, duplicates, missing_s, measured_rate_hz, ...)."""
        return self._s.emg_stream()

    @property
    def imu_stream(self) -> Dict[str, Any]:
        return self._s.imu_stream()

    @property
    def events_dropped(self) -> int:
        """Events lost to a full queue (never in Python: the binding drains after each push)."""
        return int(self._s.events_dropped())

    @property
    def mvc_calibrated(self) -> bool:
        """True once an MVC recording or references calibrated %MVC; False: levels are % of the running peak."""
        return bool(self._s.mvc_calibrated())

    @property
    def time_s(self) -> float:
        """Latest stream time seen."""
        return float(self._s.time_s())

    @property
    def pending(self) -> int:
        return int(self._s.pending())

    def state(self) -> Dict[str, Any]:
        """Every live-state getter in one dict."""
        return dict(time_s=self.time_s, phase=self.phase, angle_deg=self.angle_deg, rate_dps=self.rate_dps,
                    activation=self.activation, envelope=self.envelope, quality=self.quality,
                    burst_active=self.burst_active, imu=self.imu_state, activity=self.activity,
                    emg_stream=self.emg_stream, imu_stream=self.imu_stream, events_dropped=self.events_dropped,
                    mvc_calibrated=self.mvc_calibrated)

    def __repr__(self) -> str:
        imu = f"IMU {self._cfg['imu_rate_hz']:g} Hz" if self._cfg["imu_enabled"] else "no IMU"
        return (f"soleus.Session({self.emg_channels} EMG channels {self.channels} at "
                f"{self._cfg['emg_rate_hz']:g} Hz, {imu})")
