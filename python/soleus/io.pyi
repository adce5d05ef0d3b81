import os
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["Stream", "Recording", "read_csv", "read_trigno_csv", "read_edf", "read_c3d", "read_recording"]

_Path = Union[str, os.PathLike[str]]
_ColumnRef = Union[str, int]

def normalize_unit(unit: Optional[str]) -> str: ...
# Private: the package's one rate-from-time-stamps rule (used by segment_reps / activity too).
def _rate_from_times(t: np.ndarray, name: str) -> float: ...

class Stream:
    data: npt.NDArray[np.float64]
    fs: float
    channels: Tuple[str, ...]
    units: Tuple[str, ...]
    t0_s: float
    timestamps_s: Optional[npt.NDArray[np.float64]]
    __match_args__ = ("data", "fs", "channels", "units", "t0_s", "timestamps_s")
    def __init__(self, data: npt.ArrayLike, fs: float, channels: Sequence[str],
                 units: Union[str, Sequence[str]], t0_s: float = 0.0,
                 timestamps_s: Optional[npt.ArrayLike] = None) -> None: ...
    def __post_init__(self) -> None: ...  # checks and normalises the fields (a frozen dataclass)
    @property
    def n_samples(self) -> int: ...
    @property
    def n_channels(self) -> int: ...
    @property
    def duration_s(self) -> float: ...
    @property
    def unit(self) -> str: ...
    @property
    def t_s(self) -> npt.NDArray[np.float64]: ...
    def to_unit(self, unit: str) -> Stream: ...
    def to_dataframe(self) -> pd.DataFrame: ...

class Recording:
    emg: Optional[Stream]
    acc: Optional[Stream]
    gyro: Optional[Stream]
    other: Tuple[Stream, ...]
    source: str
    format: str
    meta: Dict[str, Any]
    __match_args__ = ("emg", "acc", "gyro", "other", "source", "format", "meta")
    def __init__(self, emg: Optional[Stream] = None, acc: Optional[Stream] = None,
                 gyro: Optional[Stream] = None, other: Tuple[Stream, ...] = (), source: str = "",
                 format: str = "", meta: Dict[str, Any] = ...) -> None: ...  # meta: a new {} by default
    @property
    def streams(self) -> Dict[str, Stream]: ...
    @property
    def duration_s(self) -> float: ...

def read_csv(path: _Path,
             columns: Union[Mapping[str, Union[_ColumnRef, Sequence[_ColumnRef]]], Sequence[_ColumnRef],
                            None] = None, *,
             fs: Optional[float] = None, time_column: Optional[_ColumnRef] = None, time_unit: str = "s",
             units: Optional[Mapping[str, str]] = None, header_rows: Optional[int] = None,
             delimiter: Optional[str] = None) -> Recording: ...
def read_trigno_csv(path: _Path) -> Recording: ...
def read_edf(path: _Path) -> Recording: ...
def read_c3d(path: _Path) -> Recording: ...
def read_recording(path: _Path, **kwargs: Any) -> Recording: ...
