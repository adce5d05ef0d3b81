"""Readers for EMG/IMU recordings: generic CSV, Delsys Trigno CSV export, EDF, C3D.

Every reader returns a :class:`Recording`: up to three :class:`Stream` objects
(``emg``, ``acc``, ``gyro``), each an array of shape ``(n_samples, n_channels)``
with its own sampling rate (Hz), channel names and units, plus ``other`` for
channels that are none of those. Units are the file's own (``V``, ``mV``,
``uV``, ``g``, ``m/s^2``, ``deg/s``, ``rad/s``), spelled one way;
:meth:`Stream.to_unit` converts.

>>> import numpy as np, soleus.io as sio
>>> rec = sio.Recording(emg=sio.Stream(np.zeros((2000, 1)), fs=1000.0,
...                                    channels=("SO",), units=("uV",)))
>>> rec.emg.duration_s, rec.emg.to_unit("mV").units
(2.0, ('mV',))

Bad files, missing columns and inconsistent rates raise ``ValueError`` whose
message starts with the argument or column at fault.
"""
from __future__ import annotations

import csv
import math
import os
import re
import stat
import warnings
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

__all__ = ["Stream", "Recording", "read_csv", "read_trigno_csv", "read_edf", "read_c3d",
           "read_recording"]

# One spelling per unit; the keys are what files say (compared case-sensitively first, then lower-cased).
_UNIT_ALIASES = {
    "v": "V", "volt": "V", "volts": "V", "mv": "mV", "uv": "uV", "µv": "uV", "μv": "uV",
    "g": "g", "m/s^2": "m/s^2", "m/s2": "m/s^2", "m/s²": "m/s^2", "m/s/s": "m/s^2", "mps2": "m/s^2",
    "deg/s": "deg/s", "°/s": "deg/s", "dps": "deg/s", "degree/s": "deg/s", "degrees/s": "deg/s",
    "rad/s": "rad/s", "deg": "deg", "°": "deg", "s": "s", "": "",
}
# Factor to the first unit of each family.
_UNIT_FAMILIES = (
    {"V": 1.0, "mV": 1e-3, "uV": 1e-6},
    {"m/s^2": 1.0, "g": 9.80665},
    {"deg/s": 1.0, "rad/s": 180.0 / math.pi},
)
# Suffix used in DataFrame column names (units in names, as in the rest of the package).
_UNIT_SUFFIX = {"V": "v", "mV": "mv", "uV": "uv", "g": "g", "m/s^2": "mps2", "deg/s": "dps",
                "rad/s": "rad_s", "deg": "deg", "": ""}


def normalize_unit(unit: Optional[str]) -> str:
    """The package's spelling of a unit string from a file (``'°/s'`` -> ``'deg/s'``).

    Unknown units are returned stripped but otherwise unchanged.

    >>> normalize_unit("µV"), normalize_unit("°/s"), normalize_unit("Volts")
    ('uV', 'deg/s', 'V')
    """
    if unit is None:
        return ""
    u = str(unit).strip()
    return _UNIT_ALIASES.get(u, _UNIT_ALIASES.get(u.lower(), u))


def _unit_factor(src: str, dst: str) -> float:
    if src == dst:
        return 1.0
    for fam in _UNIT_FAMILIES:
        if src in fam and dst in fam:
            return fam[src] / fam[dst]
    raise ValueError(f"unit: cannot convert {src!r} to {dst!r}")


@dataclass(frozen=True, eq=False)
class Stream:
    """Channels sampled together at one rate.

    Attributes
    ----------
    data : ndarray, shape (n_samples, n_channels), float64
    fs : float
        Sampling rate in Hz (from the file's header, or estimated from its time column).
    channels : tuple of str
        Channel names as the file gives them.
    units : tuple of str
        One unit per channel (``''`` when the file does not say).
    t0_s : float
        Time of the first sample in seconds.
    timestamps_s : ndarray, shape (n_samples,), optional
        The file's own time stamps when it has a time column (may show gaps or
        jitter that ``fs`` hides); ``None`` for uniformly sampled formats.

    >>> s = Stream(np.ones((4, 3)), fs=100.0, channels=("x", "y", "z"), units=("g",) * 3)
    >>> s.t_s
    array([0.  , 0.01, 0.02, 0.03])
    """

    data: np.ndarray
    fs: float
    channels: Tuple[str, ...]
    units: Tuple[str, ...]
    t0_s: float = 0.0
    timestamps_s: Optional[np.ndarray] = None

    def __post_init__(self):
        data = np.asarray(self.data)
        if data.ndim == 1:
            data = data[:, None]
        if data.ndim != 2:
            raise ValueError(f"data: expected shape (n_samples, n_channels), got {data.shape}")
        if data.dtype.kind not in "biuf":
            raise ValueError(f"data: expected a real numeric array, got dtype {data.dtype}")
        object.__setattr__(self, "data", data)
        fs = self.fs
        if isinstance(fs, bool) or not isinstance(fs, (int, float, np.floating, np.integer)) \
                or not np.isfinite(fs) or fs <= 0:
            raise ValueError(f"fs: sampling rate must be a positive number, got {fs!r}")
        object.__setattr__(self, "fs", float(fs))
        channels = tuple(str(c) for c in self.channels)
        if len(channels) != data.shape[1]:
            raise ValueError(f"channels: {len(channels)} names for {data.shape[1]} columns of data")
        object.__setattr__(self, "channels", channels)
        units = (self.units,) * len(channels) if isinstance(self.units, str) else tuple(self.units)
        if len(units) != len(channels):
            raise ValueError(f"units: {len(units)} units for {len(channels)} channels")
        object.__setattr__(self, "units", tuple(normalize_unit(u) for u in units))
        if self.timestamps_s is not None:
            ts = np.asarray(self.timestamps_s, dtype=np.float64)
            if ts.shape != (data.shape[0],):
                raise ValueError(f"timestamps_s: expected shape ({data.shape[0]},), got {ts.shape}")
            object.__setattr__(self, "timestamps_s", ts)

    @property
    def n_samples(self) -> int:
        return int(self.data.shape[0])

    @property
    def n_channels(self) -> int:
        return int(self.data.shape[1])

    @property
    def duration_s(self) -> float:
        """Number of samples divided by ``fs``."""
        return self.n_samples / self.fs

    @property
    def unit(self) -> str:
        """The unit shared by every channel; ``ValueError`` when they differ."""
        if len(set(self.units)) > 1:
            raise ValueError(f"units: channels have different units {self.units}")
        return self.units[0] if self.units else ""

    @property
    def t_s(self) -> np.ndarray:
        """Time of each sample in seconds: the file's stamps if it had them, else ``t0_s + n / fs``."""
        if self.timestamps_s is not None:
            return self.timestamps_s
        return self.t0_s + np.arange(self.n_samples) / self.fs

    def to_unit(self, unit: str) -> "Stream":
        """A copy in ``unit`` (V/mV/uV, g and m/s^2, deg/s and rad/s convert into each other)."""
        unit = normalize_unit(unit)
        factors = np.array([_unit_factor(u, unit) for u in self.units])
        return Stream(self.data * factors, self.fs, self.channels, (unit,) * self.n_channels,
                      self.t0_s, self.timestamps_s)

    def to_dataframe(self):
        """A DataFrame: ``t_s`` then one column per channel named ``<channel>_<unit>``."""
        import pandas as pd

        cols = {"t_s": self.t_s}
        for i, (c, u) in enumerate(zip(self.channels, self.units)):
            suffix = _UNIT_SUFFIX.get(u, re.sub(r"\W+", "_", u).strip("_").lower())
            cols[f"{c}_{suffix}" if suffix else c] = self.data[:, i]
        return pd.DataFrame(cols)

    def __repr__(self) -> str:
        units = ",".join(sorted(set(self.units))) or "?"
        return (f"Stream({self.n_channels} ch x {self.n_samples} samples at {self.fs:.6g} Hz "
                f"[{units}]: {', '.join(self.channels)})")


@dataclass(eq=False)
class Recording:
    """What a reader returns: EMG, accelerometer and gyroscope streams, each at its own rate.

    ``acc`` and ``gyro`` hold x, y, z columns per sensor (3 columns for one
    IMU, 6 for two, in the file's sensor order). ``meta`` has format-specific
    details (``declared_samples``, ``truncated`` for a Trigno export, ...).

    >>> rec = Recording(emg=Stream(np.zeros((1000, 2)), 1000.0, ("SO", "GM"), ("mV", "mV")))
    >>> rec
    Recording(emg: 2 ch x 1000 samples at 1000 Hz [mV]: SO, GM)
    """

    emg: Optional[Stream] = None
    acc: Optional[Stream] = None
    gyro: Optional[Stream] = None
    other: Tuple[Stream, ...] = ()
    source: str = ""
    format: str = ""
    meta: Dict[str, Any] = field(default_factory=dict)

    @property
    def streams(self) -> Dict[str, Stream]:
        """The streams present, by name (``emg``, ``acc``, ``gyro``)."""
        return {k: v for k, v in (("emg", self.emg), ("acc", self.acc), ("gyro", self.gyro))
                if v is not None}

    @property
    def duration_s(self) -> float:
        """The longest stream's duration in seconds (0 for an empty recording)."""
        ds = [s.duration_s for s in list(self.streams.values()) + list(self.other)]
        return max(ds) if ds else 0.0

    def __repr__(self) -> str:
        parts = [f"{k}: {repr(v)[7:-1]}" for k, v in self.streams.items()]
        if self.other:
            parts.append(f"other: {len(self.other)} streams")
        src = f" from {os.path.basename(self.source)}" if self.source else ""
        return f"Recording({'; '.join(parts) or 'empty'}){src}"


# --------------------------------------------------------------------------------------------
# shared helpers

_KIND_PATTERNS = (
    ("emg", re.compile(r"\bEMG\b|\bemg", re.IGNORECASE)),
    ("acc", re.compile(r"\bACC|\bacc|accel", re.IGNORECASE)),
    ("gyro", re.compile(r"\bGYR|\bgyr", re.IGNORECASE)),
)


def _kind_of(label: str, unit: str = "") -> Optional[str]:
    """emg / acc / gyro from a channel label (and, failing that, its unit)."""
    for kind, pat in _KIND_PATTERNS:
        if pat.search(label):
            return kind
    u = normalize_unit(unit)
    if u in ("V", "mV", "uV"):
        return "emg"
    if u in ("g", "m/s^2"):
        return "acc"
    if u in ("deg/s", "rad/s"):
        return "gyro"
    return None


def _check_path(path) -> str:
    p = os.fspath(path)
    if not os.path.exists(p):
        raise ValueError(f"path: no such file: {p}")
    if os.path.isdir(p):
        raise ValueError(f"path: is a directory, not a recording: {p}")
    if not stat.S_ISREG(os.stat(p).st_mode):
        # A FIFO or a device would block the reader forever (or never end).
        raise ValueError(f"path: not a regular file (a pipe, socket or device?): {p}")
    return p


def _decode_header_line(raw: bytes) -> str:
    """One header line: UTF-8 (a leading BOM dropped), else Latin-1 (EMGworks on Windows writes ``°`` as 0xB0)."""
    raw = raw.lstrip(b"\xef\xbb\xbf") if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _rate_from_times(t: np.ndarray, name: str) -> float:
    if t.size < 2:
        raise ValueError(f"{name}: need at least two time stamps to know the sampling rate")
    if not np.all(np.isfinite(t)):
        raise ValueError(f"{name}: time column holds missing or non-finite values")
    dt = np.diff(t)
    step = float(np.median(dt))
    if not step > 0:
        raise ValueError(f"{name}: time stamps do not increase (median step {step:g} s)")
    return float(f"{1.0 / step:.9g}")  # 999.9999999999991 -> 1000.0


def _timing(streams: Mapping[str, "Stream"]) -> Dict[str, Dict[str, int]]:
    """Gaps (a step over 1.5 sample periods) and backward steps in each stream's own time stamps."""
    out = {}
    for name, st in streams.items():
        if st.timestamps_s is None or st.n_samples < 2:
            continue
        dt = np.diff(st.timestamps_s)
        out[name] = {"gaps": int(np.sum(dt > 1.5 / st.fs)), "backward_steps": int(np.sum(dt <= 0))}
    return out


def _check_rate(fs_declared: float, fs_measured: float, name: str, what: str) -> None:
    if abs(fs_measured - fs_declared) > 0.01 * fs_declared:
        raise ValueError(f"{name}: {what} {fs_declared:.6g} Hz but the time stamps step at "
                         f"{fs_measured:.6g} Hz")


# --------------------------------------------------------------------------------------------
# generic CSV

_TIME_NAMES = {"time", "t", "time_s", "t_s", "timestamp", "timestamp_s", "x[s]", "time (s)",
               "time[s]", "time [s]", "seconds", "sec"}
_TIME_UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6}
_DEFAULT_UNITS = {"emg": "", "acc": "m/s^2", "gyro": "deg/s"}
_ColumnRef = Union[str, int]


def _unit_from_name(name: str) -> str:
    m = re.search(r"[\[(]\s*([^\])]+?)\s*[\])]\s*$", name)
    return normalize_unit(m.group(1)) if m else ""


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def read_csv(path, columns: Union[Mapping[str, Union[_ColumnRef, Sequence[_ColumnRef]]],
                                  Sequence[_ColumnRef], None] = None, *,
             fs: Optional[float] = None, time_column: Optional[_ColumnRef] = None,
             time_unit: str = "s", units: Optional[Mapping[str, str]] = None,
             header_rows: Optional[int] = None, delimiter: Optional[str] = None) -> Recording:
    """Read a CSV (or TSV) file with one row per sample and one column per channel.

    Parameters
    ----------
    path : str or path-like
    columns : mapping or sequence, optional
        Which columns hold what: ``{"emg": ["SO", "GM"], "acc": ["ax", "ay", "az"],
        "gyro": ["gx", "gy", "gz"], "time": "t"}`` (names, or 0-based positions
        for a file without a header). A plain list means EMG columns. Default:
        columns named like acc / gyro (``acc_x``, ``gyr_x``, ...) are the IMU,
        grouped by sensor (the first row of a two-row header), every other
        column except time is EMG.
    fs : float, optional
        Sampling rate in Hz. Without it the rate comes from the time column
        (median step); with both, they must agree within 1%.
    time_column : str or int, optional
        Column of time stamps. Default: ``columns["time"]``, else a column
        named ``time``, ``t``, ``time_s``, ``t_s`` or ``timestamp`` if present,
        else (no ``columns``, no ``fs``) a strictly increasing first column. A
        first column counting 0, 1, 2, ... is a sample index: neither time nor
        a channel (give ``fs``).
    time_unit : {'s', 'ms', 'us'}
        Unit of the time column.
    units : mapping, optional
        Unit per role, e.g. ``{"emg": "uV"}``. Default: a unit in brackets in
        the column name (``"SO [uV]"``), else ``''`` for EMG, ``m/s^2`` for
        acc and ``deg/s`` for gyro.
    header_rows : int, optional
        Number of header rows (2 for a ``sensor`` row above an ``axis`` row;
        the names are then joined with ``/``: ``"left_sensor/acc_x"``). Default:
        none when the first row is all numbers, two when the second row holds
        no number either, else one.
    delimiter : str, optional
        Default: sniffed from the first line (``,``, ``;`` or tab).

    Returns
    -------
    Recording
        One sampling rate for every stream; ``timestamps_s`` kept when the file
        has a time column, with ``meta["timing"]`` counting its gaps (steps
        over 1.5 sample periods) and backward steps per stream.

    Examples
    --------
    >>> import tempfile, os, numpy as np
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "emg.csv")
    >>> t = np.arange(2000) / 1000
    >>> np.savetxt(p, np.c_[t, np.sin(t)], delimiter=",", header="time,SO [uV]", comments="")
    >>> rec = read_csv(p)
    >>> rec.emg
    Stream(1 ch x 2000 samples at 1000 Hz [uV]: SO [uV])
    """
    import pandas as pd

    p = _check_path(path)
    if time_unit not in _TIME_UNITS:
        raise ValueError(f"time_unit: expected one of {sorted(_TIME_UNITS)}, got {time_unit!r}")
    if fs is not None and (isinstance(fs, bool) or not isinstance(fs, (int, float, np.number))
                           or not np.isfinite(fs) or fs <= 0):
        raise ValueError(f"fs: sampling rate must be a positive number, got {fs!r}")
    if header_rows is not None and (not isinstance(header_rows, int) or header_rows < 0):
        raise ValueError(f"header_rows: expected a count >= 0, got {header_rows!r}")
    try:
        with open(p, newline="", encoding="utf-8-sig", errors="replace") as fh:
            first = fh.readline()
            second = fh.readline()
    except OSError as e:
        raise ValueError(f"path: cannot read {p}: {e.strerror}") from None
    if not first.strip():
        raise ValueError(f"path: {p} is empty or starts with a blank line")
    if first.startswith("Label:"):
        raise ValueError(f"path: {p} is a Delsys Trigno export; use read_trigno_csv")
    if delimiter is None:
        counts = {d: first.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=counts.get) if max(counts.values()) > 0 else ","
    if header_rows is None:
        header_rows = 0 if all(_is_number(f) for f in first.strip().split(delimiter)) else 1
        # A second row without a single number (a sensor row above an axis row) is a header too.
        fields = [f.strip().strip('"') for f in second.strip().split(delimiter)]
        if header_rows == 1 and any(fields) and not any(_is_number(f) for f in fields if f):
            header_rows = 2
    header = None if header_rows == 0 else (0 if header_rows == 1 else list(range(header_rows)))
    try:
        # index_col=False: rows one cell longer than the header (a trailing delimiter) made pandas take the
        # first column as the index, shifting every name one column left (time read from the EMG column).
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            # (pandas accepts index_col=False only with a one-row header.)
            df = pd.read_csv(p, sep=delimiter, header=header, skipinitialspace=True,
                             index_col=False if header_rows <= 1 else None)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as e:
        raise ValueError(f"path: {p} is not a readable CSV table ({str(e).splitlines()[0]})") from None
    if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):  # extra non-empty cells
        raise ValueError(f"path: {p} has rows with more cells than the header has column names "
                         f"(a column without a name?)")
    if header_rows > 1:
        df.columns = ["/".join(str(x) for x in c) for c in df.columns]
    names = [str(c) for c in df.columns]
    if len(df) == 0:
        raise ValueError(f"path: {p} has no data rows")

    def resolve(ref, role) -> str:
        if isinstance(ref, (int, np.integer)) and not isinstance(ref, bool):
            if not 0 <= ref < len(names):
                raise ValueError(f"columns: {role} column position {ref} is outside 0..{len(names) - 1}")
            return names[ref]
        if str(ref) not in names:
            raise ValueError(f"columns: no column {ref!r} ({role}) in {os.path.basename(p)}; "
                             f"columns are {names}")
        return str(ref)

    if columns is None:
        mapping: Dict[str, Any] = {}
    elif isinstance(columns, Mapping):
        mapping = dict(columns)
        unknown = set(mapping) - {"emg", "acc", "gyro", "time"}
        if unknown:
            raise ValueError(f"columns: unknown roles {sorted(unknown)}; use emg, acc, gyro, time")
    elif isinstance(columns, (str, int)):
        mapping = {"emg": [columns]}
    else:
        mapping = {"emg": list(columns)}
    if time_column is None:
        time_column = mapping.get("time")
    if time_column is None:
        time_column = next((n for n in names if n.strip().lower() in _TIME_NAMES), None)
    time_name = None if time_column is None else resolve(time_column, "time")
    index_name = None
    if time_name is None and not mapping:
        # No named time column: a strictly increasing first column is time, a
        # 0, 1, 2, ... counter is a sample index (neither time nor a channel).
        first_col = pd.to_numeric(df[df.columns[0]], errors="coerce").to_numpy(dtype=np.float64)
        step = np.diff(first_col)
        # (At least 16 rows: a few increasing samples of a signal are no clock.)
        if first_col.size >= 16 and np.all(np.isfinite(first_col)) and np.all(step > 0):
            if np.all(step == 1) and np.all(first_col == np.round(first_col)):
                index_name = names[0]
            elif fs is None:
                time_name = names[0]
    if "emg" not in mapping and "acc" not in mapping and "gyro" not in mapping:
        rest = [n for n in names if n not in (time_name, index_name)]
        kinds = {n: _kind_of(n, _unit_from_name(n)) for n in rest}
        if any(k in ("acc", "gyro") for k in kinds.values()):
            # IMU columns by name, grouped by sensor (the part before '/' of a two-row header).
            sensors = list(dict.fromkeys(n.rsplit("/", 1)[0] if "/" in n else "" for n in rest))

            def by_sensor(cols):
                return sorted(cols, key=lambda n: sensors.index(n.rsplit("/", 1)[0] if "/" in n else ""))

            for role in ("acc", "gyro"):
                cols = by_sensor([n for n in rest if kinds[n] == role])
                if cols:
                    mapping[role] = cols
            emg_cols = [n for n in rest if kinds[n] not in ("acc", "gyro")]
            if emg_cols:
                mapping["emg"] = emg_cols
        else:
            mapping["emg"] = rest
    units = dict(units or {})
    unknown = set(units) - {"emg", "acc", "gyro"}
    if unknown:
        raise ValueError(f"units: unknown roles {sorted(unknown)}; use emg, acc, gyro")

    def numeric(name) -> np.ndarray:
        col = df[name] if name in df.columns else df[df.columns[names.index(name)]]
        try:
            return pd.to_numeric(col, errors="raise").to_numpy(dtype=np.float64)
        except (ValueError, TypeError):
            bad = col[pd.to_numeric(col, errors="coerce").isna() & col.notna()]
            raise ValueError(f"{name}: column holds non-numeric values (first: {bad.iloc[0]!r} "
                             f"in data row {bad.index[0]})") from None

    timestamps = None
    if time_name is not None:
        timestamps = numeric(time_name) * _TIME_UNITS[time_unit]
        fs_time = _rate_from_times(timestamps, time_name)
        if fs is None:
            fs = fs_time
        else:
            _check_rate(float(fs), fs_time, "fs", "given as")
    elif fs is None:
        what = f"its first column {index_name!r} counts samples" if index_name else f"columns {names}"
        raise ValueError(f"fs: no time column in {os.path.basename(p)} ({what}); give the rate "
                         f"(fs=, soleus analyze --fs HZ) or the time column (time_column=, --time-column COL)")

    streams: Dict[str, Stream] = {}
    for role in ("emg", "acc", "gyro"):
        refs = mapping.get(role)
        if refs is None:
            continue
        if isinstance(refs, (str, int)):
            refs = [refs]
        cols = [resolve(r, role) for r in refs]
        if not cols:
            raise ValueError(f"columns: no {role} columns")
        if role in ("acc", "gyro") and len(cols) % 3:
            raise ValueError(f"columns: {role} needs x, y, z columns (3 per sensor), got {len(cols)}")
        if time_name in cols:
            raise ValueError(f"columns: {time_name!r} is the time column and cannot be {role}")
        data = np.column_stack([numeric(c) for c in cols])
        role_units = tuple(units.get(role) or _unit_from_name(c) or _DEFAULT_UNITS[role] for c in cols)
        t0 = float(timestamps[0]) if timestamps is not None else 0.0
        streams[role] = Stream(data, float(fs), tuple(cols), role_units, t0, timestamps)
    return Recording(**streams, source=p, format="csv",
                     meta={"time_column": time_name, "index_column": index_name, "delimiter": delimiter,
                           "header_rows": header_rows,
                           "timing": _timing(streams)})


# --------------------------------------------------------------------------------------------
# Delsys Trigno CSV export

_TRIGNO_LABEL = re.compile(
    r"^Label:\s*(?P<label>.+?)\s+Sampling frequency:\s*(?P<fs>\S+)\s+Number of points:\s*(?P<n>\d+)"
    r"(?:\s+start:\s*(?P<start>\S+))?(?:\s+Unit:\s*(?P<unit>.*?))?(?:\s+Domain Unit:\s*(?P<dunit>\S+))?\s*$")


def read_trigno_csv(path) -> Recording:
    """Read a Delsys Trigno (EMGworks) CSV export: EMG and IMU at their own rates in one file.

    The file starts with one ``Label: ... Sampling frequency: ... Number of
    points: ... start: ... Unit: ... Domain Unit: s`` line per channel, then a
    row of column names (an ``X[s]`` time column before each channel) and the
    samples; channels at a lower rate end earlier and are padded with empty
    cells. EMG, ``ACC.X/Y/Z`` and ``GYRO.X/Y/Z`` channels of every sensor are
    gathered into ``emg``, ``acc`` and ``gyro`` (in file order); anything else
    goes to ``other``.

    The rate of each stream is the header's (e.g. 1259.259 Hz EMG, 148.148 Hz
    IMU) and must match the time column within 1%; channels of one stream must
    share a rate. ``meta["timing"]`` counts gaps and backward steps in each
    stream's time stamps. ``meta["declared_samples"]`` has each channel's ``Number of
    points``; ``meta["truncated"]`` is True when the file holds fewer samples
    than declared (a cut export).

    >>> rec = read_trigno_csv("../shared/data/real/trigno_export/truncated_trigno_sample.csv")  # doctest: +SKIP
    >>> rec.emg.fs, rec.acc.unit, rec.gyro.unit                                                  # doctest: +SKIP
    (1259.259, 'g', 'deg/s')
    """
    import pandas as pd

    p = _check_path(path)
    labels: Dict[str, Dict[str, Any]] = {}
    header_line = None
    skip = 0
    try:
        with open(p, "rb") as fh:
            for i, raw in enumerate(fh):
                line = _decode_header_line(raw).rstrip("\r\n")
                if line.startswith("Label:"):
                    m = _TRIGNO_LABEL.match(line)
                    if not m:
                        raise ValueError(f"path: line {i + 1} of {os.path.basename(p)} is not a Trigno "
                                         f"channel description: {line[:80]!r}")
                    try:
                        fs = float(m.group("fs"))
                        start = float(m.group("start") or 0.0)
                    except ValueError:
                        raise ValueError(f"{m.group('label')}: bad sampling frequency or start on line "
                                         f"{i + 1}") from None
                    if not (math.isfinite(fs) and fs > 0):
                        raise ValueError(f"{m.group('label')}: sampling frequency must be a positive number, "
                                         f"not {m.group('fs')!r} (line {i + 1})")
                    if not math.isfinite(start):
                        raise ValueError(f"{m.group('label')}: start must be a finite time in s, "
                                         f"not {m.group('start')!r} (line {i + 1})")
                    labels[m.group("label").strip()] = dict(fs=fs, n=int(m.group("n")), start=start,
                                                            unit=normalize_unit(m.group("unit")))
                elif line.lstrip('"').startswith("X[s]"):
                    header_line = line
                    skip = i + 1
                    break
                elif i > 10000:
                    break
    except OSError as e:
        raise ValueError(f"path: cannot read {p}: {e.strerror}") from None
    if not labels:
        raise ValueError(f"path: {os.path.basename(p)} has no 'Label: ... Sampling frequency: ...' "
                         f"header; not a Delsys Trigno CSV export")
    if header_line is None:
        raise ValueError(f"path: {os.path.basename(p)} has a Trigno header but no 'X[s],...' row of "
                         f"column names")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    names = next(csv.reader([header_line], delimiter=delimiter))
    names = [n.strip() for n in names]
    while names and names[-1] == "":
        names.pop()
    if len(names) % 2:
        raise ValueError(f"path: {len(names)} column names; a Trigno export pairs X[s] with each channel")
    try:
        # latin-1 maps every byte: the skipped header may hold a Latin-1 degree sign.
        table = pd.read_csv(p, sep=delimiter, header=None, skiprows=skip, usecols=range(len(names)),
                            decimal="," if delimiter == ";" else ".", dtype=np.float64,
                            skip_blank_lines=True, encoding="latin-1")
    except (pd.errors.ParserError, ValueError) as e:
        raise ValueError(f"path: {os.path.basename(p)} has unreadable samples "
                         f"({str(e).splitlines()[0]})") from None
    values = table.to_numpy()

    channels = []  # (label, kind, info, t, x)
    for k in range(0, len(names), 2):
        label = names[k + 1]
        if names[k] != "X[s]":
            raise ValueError(f"{label}: expected an X[s] time column before it, found {names[k]!r}")
        if label not in labels:
            raise ValueError(f"{label}: column has no 'Label:' line in the header")
        info = labels[label]
        t, x = values[:, k], values[:, k + 1]
        n = int(np.sum(np.isfinite(t)))
        if n and not np.all(np.isfinite(t[:n])):
            raise ValueError(f"{label}: empty cells inside the samples (row {np.argmin(np.isfinite(t))})")
        if n and not np.all(np.isfinite(x[:n])):
            raise ValueError(f"{label}: missing values inside the samples")
        if n > info["n"]:
            raise ValueError(f"{label}: {n} samples but the header declares {info['n']}")
        if n >= 2:
            _check_rate(info["fs"], _rate_from_times(t[:n], label), label, "the header says")
        channels.append((label, _kind_of(label, info["unit"]), info, t[:n], x[:n]))

    groups: Dict[str, List] = {}
    other = []
    for ch in channels:
        if ch[1] is None:
            other.append(Stream(ch[4], ch[2]["fs"], (ch[0],), (ch[2]["unit"],), ch[2]["start"]))
        else:
            groups.setdefault(ch[1], []).append(ch)
    streams = {}
    for kind, chs in groups.items():
        rates = {c[2]["fs"] for c in chs}
        if len(rates) > 1:
            detail = ", ".join(f"{c[0]}: {c[2]['fs']:.6g} Hz" for c in chs)
            raise ValueError(f"{chs[0][0]}: {kind} channels at inconsistent rates ({detail})")
        n = min(len(c[3]) for c in chs)
        if n < 2:
            raise ValueError(f"{chs[0][0]}: fewer than two samples")
        t_ref = chs[0][3][:n]
        for c in chs[1:]:
            if not np.allclose(c[3][:n], t_ref, rtol=0, atol=0.5 / c[2]["fs"]):
                raise ValueError(f"{c[0]}: time stamps differ from {chs[0][0]}'s")
        data = np.column_stack([c[4][:n] for c in chs])
        streams[kind] = Stream(data, chs[0][2]["fs"], tuple(c[0] for c in chs),
                               tuple(c[2]["unit"] for c in chs), chs[0][2]["start"], t_ref.copy())
    declared = {c[0]: c[2]["n"] for c in channels}
    truncated = any(len(c[3]) < c[2]["n"] for c in channels)
    sensors = sorted({m.group(1) for c in channels for m in [re.match(r"^(.*?):", c[0])] if m})
    return Recording(**streams, other=tuple(other), source=p, format="trigno",
                     meta={"declared_samples": declared, "truncated": truncated, "sensors": sensors,
                           "timing": _timing(streams)})


# --------------------------------------------------------------------------------------------
# EDF / BDF and C3D (optional dependencies)

def _require(module: str, package: str, what: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"{what} needs the '{package}' package: pip install {package} "
                          f"(or pip install 'soleus[io]')") from None


def _group_by_kind(chans, source, fmt, meta) -> Recording:
    """chans: list of (label, unit, fs, data). Same-kind channels must share rate and length."""
    groups: Dict[str, List] = {}
    other = []
    for label, unit, fs, x in chans:
        kind = _kind_of(label, unit)
        if kind is None:
            other.append(Stream(x, fs, (label,), (unit,)))
        else:
            groups.setdefault(kind, []).append((label, unit, fs, x))
    streams = {}
    for kind, chs in groups.items():
        rates = {round(c[2], 9) for c in chs}
        if len(rates) > 1:
            detail = ", ".join(f"{c[0]}: {c[2]:.6g} Hz" for c in chs)
            raise ValueError(f"{chs[0][0]}: {kind} channels at inconsistent rates ({detail})")
        n = min(len(c[3]) for c in chs)
        streams[kind] = Stream(np.column_stack([np.asarray(c[3], dtype=np.float64)[:n] for c in chs]),
                               chs[0][2], tuple(c[0] for c in chs), tuple(c[1] for c in chs))
    return Recording(**streams, other=tuple(other), source=source, format=fmt, meta=meta)


def read_edf(path) -> Recording:
    """Read an EDF/EDF+/BDF file (needs ``pyedflib``: ``pip install pyedflib``).

    Channels are sorted into ``emg``, ``acc`` and ``gyro`` by label (``EMG``,
    ``ACC``, ``GYRO``) or, failing that, by physical unit (V/mV/uV, g or
    m/s^2, deg/s); the rest go to ``other``. Values are physical (scaled).

    >>> rec = read_edf("walk.edf")  # doctest: +SKIP
    """
    pyedflib = _require("pyedflib", "pyedflib", "read_edf")
    p = _check_path(path)
    try:
        f = pyedflib.EdfReader(p)
    except OSError as e:
        raise ValueError(f"path: {os.path.basename(p)} is not a readable EDF/BDF file ({e})") from None
    try:
        chans = []
        for i in range(f.signals_in_file):
            chans.append((f.getLabel(i).strip(), normalize_unit(f.getPhysicalDimension(i)),
                          float(f.getSampleFrequency(i)), f.readSignal(i)))
        meta = {"start": str(f.getStartdatetime()), "patient": f.getPatientName()}
    finally:
        f.close()
    if not chans:
        raise ValueError(f"path: {os.path.basename(p)} holds no signals")
    return _group_by_kind(chans, p, "edf", meta)


def read_c3d(path) -> Recording:
    """Read the analog channels of a C3D file (needs ``ezc3d``: ``pip install ezc3d``).

    Analog channels (EMG, IMU) are sorted by label into ``emg``, ``acc`` and
    ``gyro`` at the ANALOG:RATE; marker trajectories are not read.

    >>> rec = read_c3d("trial.c3d")  # doctest: +SKIP
    """
    ezc3d = _require("ezc3d", "ezc3d", "read_c3d")
    p = _check_path(path)
    try:
        c = ezc3d.c3d(p)
    except Exception as e:  # ezc3d raises plain RuntimeError/IOError subclasses
        raise ValueError(f"path: {os.path.basename(p)} is not a readable C3D file ({e})") from None
    analog = c["parameters"]["ANALOG"]
    labels = list(analog["LABELS"]["value"])
    rate = float(np.ravel(analog["RATE"]["value"])[0])
    units = list(analog["UNITS"]["value"]) if "UNITS" in analog else [""] * len(labels)
    data = np.asarray(c["data"]["analogs"])  # (1, channels, frames)
    data = data.reshape(data.shape[-2], data.shape[-1]) if data.size else np.zeros((0, 0))
    if not labels or data.shape[0] == 0:
        raise ValueError(f"path: {os.path.basename(p)} holds no analog channels")
    units += [""] * (len(labels) - len(units))
    chans = [(str(labels[i]).strip(), normalize_unit(units[i]), rate, data[i]) for i in range(len(labels))]
    return _group_by_kind(chans, p, "c3d", {"point_rate_hz": float(np.ravel(
        c["parameters"]["POINT"]["RATE"]["value"])[0]) if "POINT" in c["parameters"] else None})


def read_recording(path, **kwargs) -> Recording:
    """Read any supported file, choosing the reader by content and extension.

    ``.edf``/``.bdf`` -> :func:`read_edf`; ``.c3d`` -> :func:`read_c3d`; a text
    file whose first line starts with ``Label:`` -> :func:`read_trigno_csv`;
    other text -> :func:`read_csv` (``kwargs`` go to it).

    >>> rec = read_recording("../shared/data/real/trigno_export/truncated_trigno_sample.csv")  # doctest: +SKIP
    >>> rec.format                                                                              # doctest: +SKIP
    'trigno'
    """
    p = _check_path(path)
    ext = os.path.splitext(p)[1].lower()
    try:
        with open(p, "rb") as fh:
            head = fh.read(512)
    except OSError as e:
        raise ValueError(f"path: cannot read {p}: {e.strerror}") from None
    if not head:
        raise ValueError(f"path: {p} is empty")
    if ext in (".edf", ".bdf", ".rec") or head[:8] in (b"0       ", b"\xffBIOSEMI"):
        return read_edf(p)
    if ext == ".c3d" or (b"\x00" in head and len(head) > 1 and head[1] == 0x50):
        return read_c3d(p)
    if b"\x00" in head:
        raise ValueError(f"path: {os.path.basename(p)} is a binary file of unknown format "
                         f"(supported: CSV/TSV, Trigno CSV, EDF/BDF, C3D)")
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"Label:"):
        if kwargs:
            raise ValueError(f"kwargs: {sorted(kwargs)} do not apply to a Trigno export")
        return read_trigno_csv(p)
    return read_csv(p, **kwargs)
