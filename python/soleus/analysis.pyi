import os
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from .io import Recording

__all__ = ["Result", "analyze", "analyze_recording", "union_length_s", "FILE_SUMMARY_COLUMNS"]

FILE_SUMMARY_COLUMNS: Tuple[str, ...]

class Result:
    """The one result type: soleus.analyze (arrays), analyze_recording (files), the CLI and the plots.

    >>> res = soleus.analyze(emg, 2000, acc, gyro, 100)
    >>> res.reps[["start_s", "rom_deg", "soleus_pct_mvc"]]
    >>> print(res)              # rep table + set summary
    >>> res.plot("session.png")
    """
    source: str
    notes: List[str]
    reps: pd.DataFrame
    sets: pd.DataFrame
    bursts: pd.DataFrame
    spectral: pd.DataFrame
    activation: pd.DataFrame
    angle: pd.DataFrame
    quality: pd.DataFrame
    events: List[Dict[str, Any]]
    stats: Dict[str, Any]
    channels: Tuple[str, ...]
    muscles: Tuple[str, ...]
    emg_fs: Optional[float]
    imu_fs: Optional[float]
    settings: Dict[str, Any]
    calibrated: bool
    mvc_reference: Optional[npt.NDArray[np.float64]]
    conditioned: Optional[npt.NDArray[np.float32]]
    conditioned_t_s: Optional[npt.NDArray[np.float64]]
    # Per-minute IMU activity (None without an IMU); attrs["alerts"]: t_s, inactive_s.
    activity: Optional[pd.DataFrame]
    # Built by analyze() from a Session run; not a constructor for users.
    def __init__(self, *, events: List[Dict[str, Any]], run: Dict[str, Any], channels: Sequence[str],
                 muscles: Sequence[str], emg_fs: Optional[float], imu_fs: Optional[float],
                 t_imu: Optional[npt.ArrayLike], stats: Dict[str, Any], settings: Dict[str, Any],
                 calibrated: bool = False, mvc_reference: Optional[npt.ArrayLike] = None, source: str = "",
                 emg_samples: int = 0) -> None: ...
    @property
    def has_imu(self) -> bool: ...
    @property
    def envelope(self) -> Optional[npt.NDArray[np.float64]]: ...
    @property
    def envelope_t_s(self) -> npt.NDArray[np.float64]: ...
    @property
    def envelope_unit(self) -> str: ...
    # Deprecated (warns): analyze_recording() returns a Result itself; this is self.
    @property
    def result(self) -> Result: ...
    def summary(self) -> pd.DataFrame: ...
    def report(self) -> str: ...
    def activity_summary(self) -> Optional[Dict[str, Any]]: ...
    def activity_report(self) -> str: ...
    def tables(self, names: Optional[Sequence[str]] = None) -> Dict[str, pd.DataFrame]: ...
    def to_dict(self, names: Sequence[str] = ("summary", "spectral", "quality", "bursts", "reps", "sets",
                                              "activity")) -> Dict[str, Any]: ...
    @overload
    def plot_day(self, path: None = None, *, ax: Any = None, alerts: Optional[npt.ArrayLike] = None,
                 title: Optional[str] = None, width_px: int = 1200, height_px: Optional[int] = None,
                 dpi: int = 100) -> Any: ...
    @overload
    def plot_day(self, path: Union[str, os.PathLike[str]], *, ax: Any = None,
                 alerts: Optional[npt.ArrayLike] = None, title: Optional[str] = None, width_px: int = 1200,
                 height_px: Optional[int] = None, dpi: int = 100) -> str: ...
    @overload
    def plot(self, path: None = None, *, title: Optional[str] = None, width_px: int = 1200,
             height_px: Optional[int] = None, use_pct_mvc: bool = False) -> Any: ...
    @overload
    def plot(self, path: Union[str, os.PathLike[str]], *, title: Optional[str] = None, width_px: int = 1200,
             height_px: Optional[int] = None, use_pct_mvc: bool = False) -> str: ...

def analyze(emg: Optional[npt.ArrayLike] = None, emg_fs: Optional[float] = None, acc: Optional[npt.ArrayLike] = None,
            gyro: Optional[npt.ArrayLike] = None, imu_fs: Optional[float] = None,
            t_emg: Optional[npt.ArrayLike] = None, t_imu: Optional[npt.ArrayLike] = None,
            channels: Optional[Sequence[str]] = None, *, muscles: Optional[Sequence[str]] = None,
            activation_hz: float = 100.0, mvc: Optional[npt.ArrayLike] = None, keep_conditioned: bool = False,
            window_s: Optional[float] = 0.5,
            emg_settings: Optional[Dict[str, Any]] = None,
            imu_reps: Optional[Dict[str, Any]] = None, emg_unit: str = "", **settings: Any) -> Result: ...

def analyze_recording(rec: Recording, *, mains_hz: float = 50.0, band_hz: Tuple[float, float] = (20.0, 450.0),
                      envelope_hz: float = 6.0, window_s: float = 0.5,
                      mvc: Optional[Union[Recording, npt.ArrayLike]] = None, **settings: Any) -> Result: ...

# Deprecated alias of Result (analyze_recording's result type in 0.2); accessing it warns.
Analysis = Result

UNCALIBRATED_NOTE: str

def union_length_s(start_s: npt.ArrayLike, end_s: npt.ArrayLike) -> float: ...

def level_unit(calibrated: bool) -> str: ...
def level_note(calibrated: bool) -> str: ...
def level_columns(df: pd.DataFrame, calibrated: bool) -> pd.DataFrame: ...
