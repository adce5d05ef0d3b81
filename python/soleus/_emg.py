"""The streaming EMG chain from Python: EmgProcessor and detect_bursts.

Both run the C++ engine ``soleus::emg::EmgProcessor`` (band-pass, mains
notches with tracking, rectification, envelope, %MVC, burst detector, quality
monitor); ``detect_bursts`` is a thin loop over the same streaming object, not
a second implementation. Settings are keywords whose names and defaults are the
C++ ones (``EmgProcessor.defaults()``).

>>> import soleus
>>> x, truth = soleus.sim.emg(duration_s=20, fs=2000, n_bursts=6, snr_db=10, seed=2)
>>> df = soleus.detect_bursts(x, fs=2000)
>>> list(df.columns)[:6]
['channel', 'onset_s', 'offset_s', 'duration_s', 'peak_pct_mvc', 'mean_pct_mvc']
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _core

__all__ = ["EmgProcessor", "EmgOutput", "detect_bursts"]

BURST_COLUMNS = ["channel", "onset_s", "offset_s", "duration_s", "peak_pct_mvc", "mean_pct_mvc",
                 "onset_detected_at_s", "offset_detected_at_s", "calibrated",
                 "median_hz", "mean_hz", "median_slope_hz_per_s", "spectrum_segments", "level_shift"]


class EmgOutput(NamedTuple):
    """What :meth:`EmgProcessor.process` returns (unpacks as ``envelope, activation_pct``).

    ``envelope``: rectified and low-passed EMG (or moving RMS) in input units;
    ``activation_pct``: the envelope in %MVC (or relative to the running peak
    when uncalibrated, see ``EmgProcessor.calibrated``). float32, same shape as
    the input.
    """

    envelope: np.ndarray
    activation_pct: np.ndarray


def _as_frames(x, channels, name="x"):
    a = np.asarray(x)
    if a.dtype.kind not in "fiu":
        raise ValueError(f"{name}: expected a real numeric array, got dtype {a.dtype}")
    one_d = a.ndim == 1
    if one_d:
        if channels != 1:
            raise ValueError(f"{name}: 1-D input needs channels=1, the processor has {channels}")
        a = a[:, None]
    if a.ndim != 2 or a.shape[1] != channels:
        raise ValueError(f"{name}: expected shape (n_samples, {channels}), got {np.shape(x)}")
    # float64 stays float64 here: the engine converts it chunk by chunk.
    dtype = np.float64 if a.dtype == np.float64 else np.float32
    return np.ascontiguousarray(a, dtype=dtype), one_d


class EmgProcessor:
    """Streaming EMG chain for 1–8 channels at ``fs`` Hz.

    Threads: one object may be shared by threads. Calls on it are serialised:
    a second thread's call waits (with the GIL released) until the first one
    returns, and each call is atomic; the order of two concurrent calls is not
    defined. A callback re-entering the object from its own call raises
    RuntimeError.

    ``process(x)`` takes ``(n_samples, channels)`` (or 1-D for one channel) in
    the sensor's units and returns :class:`EmgOutput` ``(envelope,
    activation_pct)``. Calls continue the stream: any chunking gives the same
    numbers, bit for bit, as one call. Bursts accumulate in :meth:`events`.

    Settings (keywords, C++ defaults; ``EmgProcessor.defaults()`` lists all):
    band-pass ``bandpass_low_hz=20``, ``bandpass_high_hz=450``,
    ``bandpass_order=4``; mains ``mains_mode='detect'`` ('off', 'fixed',
    'detect'), ``mains_hz=50``, ``mains_harmonics=0`` (all below the band
    edge), ``mains_bandwidth_hz=1``, ``mains_tracking=True``; envelope
    ``envelope='lowpass'`` ('moving_rms'), ``envelope_lowpass_hz=6``,
    ``envelope_rms_window_s=0.1``; %MVC ``mvc_window_s=0.5``,
    ``mvc_fallback_reference=0``; detector ``detection_signal='rectified'``
    ('teager_kaiser'), ``smoothing_hz=5``, ``h=3``, ``h_off=1.5``,
    ``min_on_s=0.1``, ``min_off_s=0.05``, ``baseline='tracked'``,
    ``baseline_init_s=0.4``, ``search_back_s=0.5``, ``level_shift_s=5``,
    ``level_shift_ratio=2`` (a burst that long whose quietest 0.4 s stays
    under twice the rest level is a new resting level: it ends with
    ``level_shift`` set and becomes the baseline; 0 = off); ``detect_bursts=True``,
    ``monitor_quality=True``, ``start_time_s=0``. An unknown keyword raises
    ``ValueError`` naming it.

    >>> x, truth = soleus.sim.emg(duration_s=20, fs=2000, n_bursts=6, snr_db=10, seed=2)
    >>> p = soleus.EmgProcessor(2000, channels=2, mains_mode="fixed", mains_harmonics=3)
    >>> env, act = p.process(np.c_[x, x])   # (n, 2): envelope and activation per channel
    >>> env.shape
    (40000, 2)
    >>> list(p.events().columns)[:4]         # DataFrame of completed bursts, both channels
    ['channel', 'onset_s', 'offset_s', 'duration_s']
    """

    def __init__(self, fs, channels=1, **settings):
        if isinstance(fs, (str, bytes, bool, np.bool_)):  # float('2000') / float(True) worked silently
            raise ValueError(f"fs: expected a number in Hz, got {fs!r}")
        try:
            fs = float(fs)
        except (TypeError, ValueError):
            raise ValueError(f"fs: expected a number, got {fs!r}") from None
        if not isinstance(channels, (int, np.integer)) or isinstance(channels, bool):
            raise ValueError(f"channels: expected an integer, got {channels!r}")
        if not 0 <= channels <= 2**31 - 1:  # beyond a C int: pybind11 raised TypeError
            raise ValueError(f"channels: must be 1..8, got {channels!r}")
        self._core = _core.EmgProcessorCore(fs, int(channels), dict(settings))

    @staticmethod
    def defaults():
        """Every setting with its C++ default (dict)."""
        return _core.emg_default_settings()

    @property
    def fs(self) -> float:
        return self._core.fs

    @property
    def channels(self) -> int:
        return self._core.channels

    @property
    def settings(self) -> dict:
        """The settings in use (all of them, defaults filled in)."""
        return self._core.settings()

    def process(self, x) -> EmgOutput:
        """Next chunk of ``(n_samples, channels)`` samples -> ``EmgOutput(envelope, activation_pct)``.

        NaN/Inf samples are replaced (and flagged in :meth:`quality`), never
        propagated into the filters.
        """
        a, one_d = _as_frames(x, self.channels)
        env, act = self._core.process(a)
        if one_d:
            env, act = env[:, 0], act[:, 0]
        return EmgOutput(env, act)

    def calibrate_mvc(self, x) -> np.ndarray:
        """Sets each channel's MVC reference from a calibration recording ``x``.

        ``x`` is a separate recording of a maximal voluntary contraction (for the
        soleus: seated, knee at 90°); the reference is the largest 500 ms
        (``mvc_window_s``) mean of its envelope. It runs on a fresh copy of the
        chain, so this stream's state is untouched. Returns the references
        (envelope units, one per channel); afterwards activation is %MVC.
        """
        a, _ = _as_frames(x, self.channels)
        return self._core.calibrate_mvc(a)

    @property
    def mvc_reference(self) -> np.ndarray:
        """Reference per channel (envelope units): 100 % activation."""
        return self._core.references()

    @mvc_reference.setter
    def mvc_reference(self, ref) -> None:
        r = np.asarray(ref)
        if r.dtype.kind not in "fiu":  # 'abc' was an unnamed "could not convert string to float"
            raise ValueError(f"mvc_reference: expected real numbers, got dtype {r.dtype}")
        self._core.set_mvc_references(np.broadcast_to(r.astype(np.float64), (self.channels,)).copy())

    @property
    def calibrated(self) -> bool:
        """True once a calibration (or a reference) was set: activation is then %MVC."""
        return self._core.calibrated

    def events(self, *, include_open: bool = False):
        """Bursts detected so far as a DataFrame.

        Columns: ``channel, onset_s, offset_s, duration_s, peak_pct_mvc,
        mean_pct_mvc`` (the contract) plus ``onset_detected_at_s,
        offset_detected_at_s`` (when the stream confirmed each edge),
        ``calibrated``, and with ``burst_spectra=True`` the burst's fatigue
        figures: ``median_hz, mean_hz`` (Welch over the burst's 0.25 s
        segments, from the onset's confirmation to the offset's),
        ``median_slope_hz_per_s`` (trend of the per-segment median inside the
        burst: negative in a fatiguing hold) and ``spectrum_segments`` (NaN /
        0 without spectra, or for bursts too short for one segment), and
        ``level_shift`` (True: the burst ended because its level became the
        new resting level, e.g. after standing up from sitting; its onset
        marks the rise, not a contraction: see ``level_shift_s``). Times are
        stream seconds, compensated for the filters' delay.
        ``include_open=True`` adds bursts still running at the end of the data
        (``offset_s`` NaN).
        """
        import pandas as pd

        df = pd.DataFrame(self._core.bursts(), columns=BURST_COLUMNS)
        if include_open:
            o = self._core.open_bursts()
            if len(o):
                extra = pd.DataFrame({"channel": o[:, 0], "onset_s": o[:, 1], "onset_detected_at_s": o[:, 2],
                                      "calibrated": float(self.calibrated)})
                df = pd.concat([df, extra.reindex(columns=BURST_COLUMNS)], ignore_index=True)
        df["channel"] = df["channel"].astype(int)
        df["calibrated"] = df["calibrated"].astype(bool)
        df["spectrum_segments"] = df["spectrum_segments"].fillna(0).astype(int)
        df["level_shift"] = df["level_shift"].fillna(0).astype(bool)
        return df.sort_values(["onset_s", "channel"], kind="stable").reset_index(drop=True)

    def clear_events(self) -> None:
        """Forgets the bursts collected so far (the stream continues)."""
        self._core.clear_events()

    def reset(self) -> None:
        """Restarts the stream (filters, baseline, events); keeps the MVC calibration."""
        self._core.reset()

    @property
    def delays(self) -> dict:
        """Group delays in seconds: ``bandpass_s``, ``mains_s``, ``envelope_s``, ``envelope_total_s``,
        ``detection_total_s`` (how late confirmations run), ``events_s`` (what event times subtract)."""
        return self._core.delays()

    def quality(self):
        """Signal-quality flags per channel (DataFrame, one row per channel)."""
        import pandas as pd

        rows = [dict(channel=c, **self._core.quality(c)) for c in range(self.channels)]
        return pd.DataFrame(rows)

    @property
    def detected_mains_hz(self) -> float:
        """50 or 60 once a steady mains component was detected (``mains_mode='detect'``), else 0."""
        return self._core.detected_mains_hz

    @property
    def samples(self) -> int:
        return self._core.samples

    def __repr__(self) -> str:
        return f"EmgProcessor(fs={self.fs:g}, channels={self.channels}, samples={self.samples})"


def detect_bursts(x, fs, *, mvc=None, include_open=False, **settings):
    """Bursts of EMG ``x`` (``(n_samples, channels)`` or 1-D) as a DataFrame.

    A thin loop over :class:`EmgProcessor` (same engine, same settings, same
    numbers): columns ``channel, onset_s, offset_s, duration_s, peak_pct_mvc,
    mean_pct_mvc`` (+ ``onset_detected_at_s, offset_detected_at_s,
    calibrated, median_hz, mean_hz, median_slope_hz_per_s,
    spectrum_segments``: see :meth:`EmgProcessor.events`). Per-burst spectra
    are on here by default (``burst_spectra=False`` skips their FFTs).
    ``mvc``: an MVC calibration recording (same channels) or references (one
    per channel); without it %MVC is relative to the running peak
    (``calibrated`` False).

    >>> x, truth = soleus.sim.emg(duration_s=30, fs=2000, n_bursts=8, snr_db=10)
    >>> df = soleus.detect_bursts(x, fs=2000)
    >>> len(df), bool(df["calibrated"].any())   # uncalibrated: % of the running peak
    (8, False)
    """
    a = np.asarray(x)
    channels = 1 if a.ndim == 1 else (a.shape[1] if a.ndim == 2 else -1)
    if channels < 1:
        raise ValueError(f"x: expected shape (n_samples, channels) or (n_samples,), got {a.shape}")
    settings.setdefault("burst_spectra", True)
    p = EmgProcessor(fs, channels=channels, **settings)
    if mvc is not None:
        m = np.asarray(mvc)
        if m.dtype.kind not in "fiu":
            raise ValueError(f"mvc: expected a recording or references (real numbers), got dtype {m.dtype}")
        if m.ndim <= 1 and m.size == channels:
            if not np.all(np.isfinite(m) & (m > 0)):
                raise ValueError(f"mvc: references must be finite and > 0, got {m!r}")
            p.mvc_reference = m
        else:
            p.calibrate_mvc(m)
    p.process(a)
    return p.events(include_open=include_open)
