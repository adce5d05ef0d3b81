"""Median and mean frequency over sliding windows (EMG fatigue), on the C++ tracker."""
from __future__ import annotations

import numpy as np

from . import _core


def spectral_features(x, fs, window_s=0.5, overlap=0.5, *, segment_s=0.25, hop_s=0.125,
                      band=(20.0, 450.0), t0_s=0.0, rest=None, axis=0):
    """Median and mean frequency of EMG over sliding windows, as a table.

    Each window of ``window_s`` seconds is a Welch estimate (Hann segments of
    ``segment_s`` seconds overlapping by ``overlap``, scipy's definition); a new
    window every ``hop_s`` seconds. Statistics are taken within ``band`` (Hz).
    The same streaming engine runs on a device, sample by sample.

    Parameters
    ----------
    x : array_like, shape (n_samples,) or (n_samples, channels)
        Or ``(channels, n_samples)`` with ``axis=-1`` (scipy's layout).
    fs : float
        Sampling rate in Hz.
    rest : (start_s, end_s) or array_like, optional
        A stretch of rest (background noise only), as a time span of ``x``
        (seconds, on the ``t0_s`` clock) or as separate samples (same channel
        layout as ``x``). Its Welch PSD is subtracted from every window before
        the statistics (spectral subtraction): white noise 10 dB below the EMG
        otherwise pulls the median up by ~2 Hz and the mean by ~5 Hz.
        Rest samples are laid out like ``x`` (time along ``axis``).
    axis : int, default 0
        The time axis of ``x``, as scipy's ``axis`` (``axis=-1`` for a
        ``(channels, n_samples)`` array). The default is 0, not scipy's -1:
        every soleus array is ``(n_samples, channels)``. The other axis gives
        the ``channel`` column. A time axis shorter than one window is a
        ``ValueError``, never an empty table: an array passed with the wrong
        axis is caught, not read as thousands of channels of a few samples.

    Returns
    -------
    pandas.DataFrame
        Columns ``t_s`` (window centre), ``median_hz``, ``mean_hz``,
        ``band_power``, ``finsm5`` (Dimitrov's M(-1)/M(5)); plus ``channel``
        for 2-D input. Windows with no power in the band give NaN.

    >>> import numpy as np, soleus
    >>> x = np.random.default_rng(0).standard_normal(4000)
    >>> df = soleus.spectral_features(x, fs=2000)
    >>> list(df.columns)[:3]
    ['t_s', 'median_hz', 'mean_hz']
    """
    import pandas as pd

    x = np.asarray(x)
    if x.dtype.kind not in "biuf":
        raise ValueError(f"x: expected a real numeric array, got dtype {x.dtype}")
    if x.ndim not in (1, 2):
        raise ValueError(f"x: expected shape (n_samples,) or (n_samples, channels), got {x.shape}")
    if not np.isscalar(fs) or not np.isfinite(fs) or fs <= 0:
        raise ValueError(f"fs: sampling rate must be a positive number, got {fs!r}")
    try:
        lo, hi = (float(b) for b in band)
    except (TypeError, ValueError):
        raise ValueError(f"band: expected (low_hz, high_hz), got {band!r}") from None
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise ValueError(f"axis: expected an integer, got {axis!r}")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis: {axis} is out of range for x of shape {x.shape}")
    time_axis = int(axis) % x.ndim
    x = np.moveaxis(x, time_axis, 0)  # time first from here on
    cols = ["t_s", "median_hz", "mean_hz", "band_power", "finsm5"]
    chans = x.reshape(x.shape[0], -1)
    rest_chans = None
    if rest is not None:
        r = np.asarray(rest)
        if r.shape == (2,) and r.dtype.kind in "iuf" and x.shape[0] > 2:
            # A time span of x.
            i0, i1 = (int(round((float(v) - t0_s) * fs)) for v in r)
            if not (0 <= i0 < i1 <= x.shape[0]):
                raise ValueError(f"rest: span {tuple(r)} s is not inside x "
                                 f"({t0_s}..{t0_s + x.shape[0] / fs} s)")
            rest_chans = chans[i0:i1]
        else:
            if r.dtype.kind not in "biuf":
                raise ValueError(f"rest: expected (start_s, end_s) or a real array, got dtype {r.dtype}")
            if r.ndim == x.ndim:
                r = np.moveaxis(r, time_axis, 0)
            if r.ndim != x.ndim or (x.ndim == 2 and r.shape[1] != x.shape[1]):
                raise ValueError(f"rest: expected samples shaped like x ({x.shape[1:]} per sample), "
                                 f"got shape {r.shape}")
            rest_chans = r.reshape(r.shape[0], -1)
    tables = []
    for c in range(chans.shape[1]):
        frames = _core.spectral_frames(np.ascontiguousarray(chans[:, c], dtype=np.float64), float(fs),
                                       float(segment_s), float(overlap), float(window_s), float(hop_s),
                                       lo, hi, float(t0_s),
                                       None if rest_chans is None else
                                       np.ascontiguousarray(rest_chans[:, c], dtype=np.float64))
        if len(frames) == 0:
            # The first channel tells: every channel has the same length.
            hint = (" (for a (channels, n_samples) array pass axis=-1)"
                    if x.ndim == 2 and time_axis == 0 and x.shape[1] > x.shape[0] else "")
            raise ValueError(f"x: {x.shape[0]} samples along axis {time_axis} are shorter than one "
                             f"window_s = {window_s} s at {fs} Hz{hint}")
        df = pd.DataFrame(frames, columns=cols)
        if x.ndim == 2:
            df.insert(0, "channel", c)
        tables.append(df)
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=cols)
