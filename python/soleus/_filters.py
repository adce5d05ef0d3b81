"""Filter design and filtering, scipy.signal-compatible, on the C++ kernels."""
from __future__ import annotations

import numbers

import numpy as np

from . import _core

_BTYPES = {
    "band": "bandpass", "bandpass": "bandpass", "pass": "bandpass", "bp": "bandpass",
    "bs": "bandstop", "bandstop": "bandstop", "bands": "bandstop", "stop": "bandstop",
    "l": "lowpass", "low": "lowpass", "lowpass": "lowpass", "lp": "lowpass",
    "high": "highpass", "highpass": "highpass", "h": "highpass", "hp": "highpass",
}


def _as_sos(sos) -> np.ndarray:
    try:
        sos = np.asarray(sos)
    except (TypeError, ValueError) as e:  # ragged nested lists
        raise ValueError(f"sos: not an array of numbers ({e})") from None
    if sos.dtype.kind == "c":
        raise ValueError("sos: complex coefficients are not supported")
    if sos.dtype.kind not in "biuf":  # 'abc', a dict, an object array: float() raised unnamed errors
        raise ValueError(f"sos: expected real coefficients, got dtype {sos.dtype}")
    sos = np.ascontiguousarray(sos, dtype=np.float64)
    if sos.ndim != 2 or sos.shape[1] != 6 or sos.shape[0] < 1:
        raise ValueError(f"sos: must have shape (n_sections, 6), got {sos.shape}")
    if not np.all(np.isfinite(sos)):
        raise ValueError("sos: coefficients must be finite")
    return sos


def _work_dtype(x: np.ndarray):
    """float32 stays float32 (computed in float); everything else runs in float64."""
    if x.dtype.kind == "c":
        raise ValueError("x: complex input is not supported")
    if x.dtype.kind not in "biuf":
        raise ValueError(f"x: expected a numeric array, got dtype {x.dtype}")
    return np.float32 if x.dtype == np.float32 else np.float64


def butter(N, Wn, btype="lowpass", fs=None) -> np.ndarray:
    """Butterworth digital filter as second-order sections.

    Same arguments and result as ``scipy.signal.butter(N, Wn, btype, fs=fs,
    output='sos')`` (equal within 1e-10 relative).

    Parameters
    ----------
    N : int
        Order, 1 to 10 (band filters have ``N`` sections, others ``ceil(N/2)``).
    Wn : float or (float, float)
        Cut-off (low/high-pass) or band edges, in Hz when ``fs`` is given,
        else as a fraction of Nyquist (0 < Wn < 1).
    btype : {'lowpass', 'highpass', 'bandpass', 'bandstop'}
    fs : float, optional
        Sampling rate in Hz.

    Returns
    -------
    sos : ndarray, shape (n_sections, 6)

    >>> soleus.butter(2, 6, fs=2000).shape
    (1, 6)
    """
    # bool is an Integral and a Real: N=True / fs=True were silently 1.
    if isinstance(N, bool) or not isinstance(N, numbers.Integral):
        if isinstance(N, bool) or not (isinstance(N, numbers.Real) and float(N).is_integer()):
            raise ValueError(f"N: filter order must be an integer, got {N!r}")
    if not 1 <= N <= 10:  # also keeps N=1e10 from overflowing the C++ int (a TypeError)
        raise ValueError(f"N: filter order must be within 1..10, got {N!r}")
    N = int(N)
    if not isinstance(btype, str) or btype.lower() not in _BTYPES:
        raise ValueError(f"btype: unknown filter type {btype!r}")
    btype = _BTYPES[btype.lower()]
    if fs is None:
        fs_used = 2.0
    else:
        if isinstance(fs, bool) or not isinstance(fs, numbers.Real) or not np.isfinite(float(fs)) or fs <= 0:
            raise ValueError(f"fs: sampling rate must be a positive number, got {fs!r}")
        fs_used = float(fs)
    wn = np.atleast_1d(np.asarray(Wn))
    if wn.dtype.kind not in "iuf":  # '100' used to be parsed; True was 1.0
        raise ValueError(f"Wn: expected real numbers, got {Wn!r}")
    wn = wn.astype(np.float64)
    band = btype in ("bandpass", "bandstop")
    if band and wn.shape != (2,):
        raise ValueError(f"Wn: {btype} needs two band edges, got {Wn!r}")
    if not band and wn.shape != (1,):
        raise ValueError(f"Wn: {btype} needs one cut-off frequency, got {Wn!r}")
    f1 = float(wn[0])
    f2 = float(wn[1]) if band else 0.0
    try:
        return _core.butter(N, f1, f2, btype, fs_used)
    except ValueError as e:
        unit = "Hz" if fs is not None else "(fraction of Nyquist)"
        raise ValueError(f"{e}; Wn={Wn!r} {unit}, Nyquist={fs_used / 2:g}") from None


def iirnotch(w0, Q, fs=2.0) -> np.ndarray:
    """Second-order notch as one SOS row: ``tf2sos(*scipy.signal.iirnotch(w0, Q, fs))``.

    ``w0`` is the notch frequency (Hz when ``fs`` is given), ``Q`` its quality
    factor (bandwidth = w0 / Q).

    >>> soleus.iirnotch(50, 30, fs=2000).shape
    (1, 6)
    """
    return _core.iirnotch(float(w0), float(Q), float(fs))


def mains_filter(f0=50.0, fs=2000.0, bandwidth=4.0, harmonics=0) -> np.ndarray:
    """Notches at the mains frequency ``f0`` and its harmonics below Nyquist.

    Every notch has the same -3 dB ``bandwidth`` in Hz (default 4 Hz), so a
    mains frequency a fraction of a hertz off is still removed at every
    harmonic. ``harmonics=0`` keeps all harmonics below Nyquist.

    >>> soleus.mains_filter(50, fs=2000, harmonics=3).shape
    (3, 6)
    """
    return _core.mains_filter(float(f0), float(fs), float(bandwidth), int(harmonics))


def sosfilt_zi(sos) -> np.ndarray:
    """Steady-state initial state, as ``scipy.signal.sosfilt_zi``: shape (n_sections, 2).

    >>> zi = soleus.sosfilt_zi(soleus.butter(2, 6, fs=2000))
    """
    zi = _core.sosfilt_zi(_as_sos(sos))
    bad = np.flatnonzero(~np.all(np.isfinite(zi), axis=1))
    if bad.size:  # scipy raises (singular system) where the kernel gives NaN
        raise ValueError(f"sos: section {int(bad[0])} has no steady state (a pole at z = 1: "
                         "1 + a1/a0 + a2/a0 = 0), so sosfilt_zi is undefined")
    return zi


def sosfilt(sos, x, axis=-1, zi=None, *, threads=None):
    """Filter ``x`` along ``axis`` with a cascade of second-order sections.

    Same semantics as ``scipy.signal.sosfilt``: returns ``y``, or ``(y, zf)``
    when ``zi`` is given (scipy's shape: ``(n_sections,) + x.shape`` with
    ``x.shape[axis]`` replaced by 2). float32 input is
    filtered in float32 and returns float32; any other real input runs in
    float64. Several channels are filtered together in SIMD lanes.

    >>> sos = soleus.butter(4, [20, 450], btype="bandpass", fs=2000)
    >>> y = soleus.sosfilt(sos, np.zeros((2, 100)))
    """
    sos = _as_sos(sos)
    x = np.asarray(x)
    dtype = _work_dtype(x)
    if x.ndim == 0:
        raise ValueError("x: must have at least one dimension")
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise ValueError(f"axis: must be an integer, got {axis!r}")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis: {axis} is out of range for x with {x.ndim} dimensions")
    n_sections = sos.shape[0]
    axis = axis % x.ndim
    xm = np.moveaxis(x, axis, -1)
    shape = xm.shape
    lead = int(np.prod(shape[:-1], dtype=np.int64))  # not -1: an empty x has no size to infer it from
    rows = np.ascontiguousarray(xm, dtype=dtype).reshape(lead, shape[-1])
    zrows = None
    if zi is not None:
        # scipy's layout: (n_sections,) + x.shape with x.shape[axis] replaced by 2.
        zi = np.asarray(zi)
        if zi.dtype.kind not in "iuf":  # complex: the imaginary part was dropped
            raise ValueError(f"zi: expected a real array, got dtype {zi.dtype}")
        expected = list(x.shape)
        expected[axis] = 2
        expected = tuple([n_sections] + expected)
        if zi.shape != expected:
            raise ValueError(f"zi: expected shape {expected} (n_sections, ..., 2 at axis), got {zi.shape}")
        z = np.moveaxis(np.moveaxis(zi, axis + 1, -1), 0, -2)  # (..., n_sections, 2)
        zrows = np.ascontiguousarray(z, dtype=dtype).reshape(lead, n_sections, 2)
    if threads is None:
        threads = 0
    elif isinstance(threads, bool) or not isinstance(threads, numbers.Integral) or threads < 1:
        raise ValueError(f"threads: must be a positive integer or None, got {threads!r}")
    fn = _core.sosfilt_rows_f32 if dtype == np.float32 else _core.sosfilt_rows_f64
    y, zf = fn(sos, rows, zrows, int(threads))
    y = np.moveaxis(y.reshape(shape), -1, axis)
    if zi is None:
        return y
    zf = zf.reshape(shape[:-1] + (n_sections, 2))
    zf = np.moveaxis(np.moveaxis(zf, -2, 0), -1, axis + 1)
    return y, zf


class SosFilter:
    """A streaming SOS filter over ``channels`` channels that keeps its state.

    Feed blocks of shape ``(n_samples, channels)`` (or 1-D when
    ``channels == 1``); consecutive calls continue where the last one ended,
    so filtering in chunks equals filtering in one go, bit for bit.

    >>> f = soleus.SosFilter(soleus.butter(4, [20, 450], "bandpass", fs=2000), channels=2)
    >>> y = f.process(np.zeros((100, 2), dtype=np.float32))
    >>> f.reset()

    Threads: one object may be shared by threads. Calls on it are serialised:
    a second thread's call waits (with the GIL released) until the first one
    returns, and each call is atomic; the order of two concurrent calls is not
    defined. A callback re-entering the object from its own call raises
    RuntimeError.
    """

    def __init__(self, sos, channels=1, dtype="float32"):
        self.sos = _as_sos(sos)
        if isinstance(channels, bool) or not isinstance(channels, numbers.Integral) or not 1 <= channels < 2**31:
            # (beyond a C int, pybind11 raised TypeError)
            raise ValueError(f"channels: must be a positive integer, got {channels!r}")
        try:
            dt = np.dtype(dtype)
        except TypeError:  # np.dtype('abc'): "data type 'abc' not understood"
            raise ValueError(f"dtype: must be 'float32' or 'float64', got {dtype!r}") from None
        if dt == np.float32:
            self._impl = _core.SosFilterF32(self.sos, int(channels))
        elif dt == np.float64:
            self._impl = _core.SosFilterF64(self.sos, int(channels))
        else:
            raise ValueError(f"dtype: must be 'float32' or 'float64', got {dtype!r}")
        self.dtype = dt
        self.channels = int(channels)

    def process(self, x) -> np.ndarray:
        """Filter the next block; returns an array of the same shape, in ``dtype``."""
        x = np.asarray(x)
        _work_dtype(x)
        if x.ndim == 1 and self.channels == 1:
            return self._impl.process(np.ascontiguousarray(x, dtype=self.dtype).reshape(-1, 1)).reshape(-1)
        if x.ndim != 2 or x.shape[1] != self.channels:
            raise ValueError(f"x: expected shape (n_samples, {self.channels}), got {x.shape}")
        return self._impl.process(np.ascontiguousarray(x, dtype=self.dtype))

    def reset(self, x0=None) -> None:
        """Zero the state, or, given ``x0`` (one value per channel), start in the
        steady state of a constant input ``x0`` (no transient, like ``sosfilt_zi``)."""
        if x0 is None:
            self._impl.reset()
            return
        x0 = np.asarray(x0)
        if x0.dtype.kind not in "iuf" or not np.all(np.isfinite(x0)):
            raise ValueError(f"x0: expected finite real numbers, got {x0!r}")
        x0 = np.broadcast_to(x0.astype(np.float64), (self.channels,))
        zi = sosfilt_zi(self.sos)
        self._impl.set_state((zi[:, None, :] * x0[None, :, None]).astype(self.dtype))

    @property
    def state(self) -> np.ndarray:
        """Filter state, shape (n_sections, channels, 2) (scipy's zi layout for axis=0)."""
        return self._impl.get_state()

    @state.setter
    def state(self, zi) -> None:
        z = np.asarray(zi)
        if z.dtype.kind not in "iuf" or not np.all(np.isfinite(z)):  # NaN would stick forever
            raise ValueError("state: must be finite real numbers, shape (n_sections, channels, 2)")
        self._impl.set_state(z.astype(self.dtype))

    def __repr__(self) -> str:
        return f"SosFilter(n_sections={self.sos.shape[0]}, channels={self.channels}, dtype='{self.dtype}')"
