import os
from typing import Any, Dict, Optional, Sequence, Tuple, Union, overload

import numpy.typing as npt
import pandas as pd
from matplotlib.axes import Axes

PHASE_COLORS: Dict[str, str]

def _pyplot() -> Any: ...  # matplotlib.pyplot, imported on first use (the CLI checks it early)

def plot_angle(t_s: npt.ArrayLike, angle_deg: npt.ArrayLike, reps: Optional[pd.DataFrame] = None, *,
               ax: Optional[Axes] = None, title: Optional[str] = None) -> Axes: ...
def plot_emg(t_s: npt.ArrayLike, envelope: npt.ArrayLike, bursts: Optional[pd.DataFrame] = None, *,
             channels: Optional[Sequence[str]] = None, unit: str = "", reps: Optional[pd.DataFrame] = None,
             ax: Optional[Axes] = None,
             title: Optional[str] = None) -> Axes: ...
def plot_quality(quality: pd.DataFrame, *, ax: Optional[Axes] = None,
                 t_range_s: Optional[Tuple[float, float]] = None, title: Optional[str] = None) -> Axes: ...
from matplotlib.figure import Figure

__all__ = ["plot_angle", "plot_emg", "plot_quality", "plot_report", "plot_day", "plot_tempo", "PHASE_COLORS"]

@overload
def plot_report(path: None, *, t_s: Optional[npt.ArrayLike] = None,
                angle_deg: Optional[npt.ArrayLike] = None, reps: Optional[pd.DataFrame] = None,
                emg_t_s: Optional[npt.ArrayLike] = None, envelope: Optional[npt.ArrayLike] = None,
                bursts: Optional[pd.DataFrame] = None, channels: Optional[Sequence[str]] = None,
                emg_unit: str = "", quality: Optional[pd.DataFrame] = None, title: Optional[str] = None,
                width_px: int = 1200, height_px: Optional[int] = None, dpi: int = 100) -> Figure: ...
@overload
def plot_report(path: Union[str, os.PathLike[str]], *, t_s: Optional[npt.ArrayLike] = None,
                angle_deg: Optional[npt.ArrayLike] = None, reps: Optional[pd.DataFrame] = None,
                emg_t_s: Optional[npt.ArrayLike] = None, envelope: Optional[npt.ArrayLike] = None,
                bursts: Optional[pd.DataFrame] = None, channels: Optional[Sequence[str]] = None,
                emg_unit: str = "", quality: Optional[pd.DataFrame] = None, title: Optional[str] = None,
                width_px: int = 1200, height_px: Optional[int] = None, dpi: int = 100) -> str: ...
@overload
def plot_day(activity: Any, path: None = None, *, ax: Optional[Axes] = None,
             alerts: Optional[npt.ArrayLike] = None, title: Optional[str] = None, width_px: int = 1200,
             height_px: Optional[int] = None, dpi: int = 100) -> Axes: ...
@overload
def plot_day(activity: Any, path: Union[str, os.PathLike[str]], *, ax: Optional[Axes] = None,
             alerts: Optional[npt.ArrayLike] = None, title: Optional[str] = None, width_px: int = 1200,
             height_px: Optional[int] = None, dpi: int = 100) -> str: ...
def plot_tempo(reps: pd.DataFrame, tempo: Optional[Dict[str, float]] = None, *,
               ax: Optional[Sequence[Axes]] = None, title: Optional[str] = None) -> Any: ...
