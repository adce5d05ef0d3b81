from typing import Literal, Optional, Sequence, Tuple, Union, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import io as io
from . import sim as sim

__version__: str

_BType = Literal["lowpass", "highpass", "bandpass", "bandstop", "low", "high", "band", "stop",
                 "lp", "hp", "bp", "bs", "l", "h", "pass", "bands"]

def butter(N: int, Wn: Union[float, Sequence[float]], btype: _BType = "lowpass",
           fs: Optional[float] = None) -> npt.NDArray[np.float64]: ...
def iirnotch(w0: float, Q: float, fs: float = 2.0) -> npt.NDArray[np.float64]: ...
def mains_filter(f0: float = 50.0, fs: float = 2000.0, bandwidth: float = 4.0,
                 harmonics: int = 0) -> npt.NDArray[np.float64]: ...
def sosfilt_zi(sos: npt.ArrayLike) -> npt.NDArray[np.float64]: ...
@overload
def sosfilt(sos: npt.ArrayLike, x: npt.ArrayLike, axis: int = -1, zi: None = None, *,
            threads: Optional[int] = None) -> np.ndarray: ...
@overload
def sosfilt(sos: npt.ArrayLike, x: npt.ArrayLike, axis: int = -1, *,
            zi: npt.ArrayLike, threads: Optional[int] = None) -> Tuple[np.ndarray, np.ndarray]: ...
@overload
def sosfilt(sos: npt.ArrayLike, x: npt.ArrayLike, axis: int,
            zi: npt.ArrayLike, *, threads: Optional[int] = None) -> Tuple[np.ndarray, np.ndarray]: ...

class SosFilter:
    sos: npt.NDArray[np.float64]
    dtype: np.dtype
    channels: int
    def __init__(self, sos: npt.ArrayLike, channels: int = 1,
                 dtype: Literal["float32", "float64"] = "float32") -> None: ...
    def process(self, x: npt.ArrayLike) -> np.ndarray: ...
    def reset(self, x0: Optional[npt.ArrayLike] = None) -> None: ...
    @property
    def state(self) -> np.ndarray: ...
    @state.setter
    def state(self, zi: npt.ArrayLike) -> None: ...

def spectral_features(x: npt.ArrayLike, fs: float, window_s: float = 0.5, overlap: float = 0.5, *,
                      segment_s: float = 0.25, hop_s: float = 0.125,
                      band: Tuple[float, float] = (20.0, 450.0), t0_s: float = 0.0) -> pd.DataFrame: ...

_Placement = Literal["auto", "foot", "shank", "shank_seated"]

def segment_reps(acc: npt.ArrayLike, gyro: npt.ArrayLike, fs: Optional[float] = None,
                 t: Optional[npt.ArrayLike] = None, acc_unit: Literal["m/s2", "g"] = "m/s2",
                 gyro_unit: Literal["deg/s", "rad/s"] = "deg/s", placement: _Placement = "auto", *,
                 axis: Optional[Sequence[float]] = None, **settings: float) -> pd.DataFrame: ...
