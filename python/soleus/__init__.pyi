from typing import Any, Dict, Literal, NamedTuple, Optional, Sequence, Tuple, Union, overload

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
def segment_reps_emg(x: npt.ArrayLike, fs: float, *, channel: int = 0,
                     mvc: Optional[Union[float, npt.ArrayLike]] = None, envelope_pct: bool = False,
                     **settings: Any) -> pd.DataFrame:
    """EMG-only reps (lower confidence): segment_reps' columns (angle ones NaN) plus baseline_pct_mvc,
    peak_pct_mvc, excursion_pct_mvc, source='emg', confidence='low'."""
    ...
class EmgOutput(NamedTuple):
    envelope: np.ndarray
    activation_pct: np.ndarray

class EmgProcessor:
    def __init__(self, fs: float, channels: int = 1, *,
                 start_time_s: float = ..., detect_bursts: bool = ..., monitor_quality: bool = ...,
                 bandpass_enabled: bool = ..., bandpass_low_hz: float = ..., bandpass_high_hz: float = ...,
                 bandpass_order: int = ..., mains_mode: Literal["off", "fixed", "detect"] = ...,
                 mains_hz: float = ..., mains_bandwidth_hz: float = ..., mains_harmonics: int = ...,
                 mains_tracking: bool = ..., mains_max_offset_hz: float = ..., mains_tracker_block_s: float = ...,
                 mains_tracker_tau_s: float = ..., mains_min_coherence: float = ...,
                 mains_retune_tolerance_hz: float = ..., mains_detect_power_ratio: float = ...,
                 mains_detect_blocks: int = ..., envelope: Literal["lowpass", "moving_rms"] = ...,
                 envelope_lowpass_hz: float = ..., envelope_lowpass_order: int = ...,
                 envelope_rms_window_s: float = ..., mvc_window_s: float = ..., mvc_block_s: float = ...,
                 mvc_fallback_reference: float = ...,
                 detection_signal: Literal["rectified", "teager_kaiser"] = ..., smoothing_hz: float = ...,
                 smoothing_order: int = ..., h: float = ..., h_off: float = ..., min_on_s: float = ...,
                 min_off_s: float = ..., baseline: Literal["tracked", "rest"] = ..., baseline_init_s: float = ...,
                 baseline_tau_s: float = ..., baseline_block_s: float = ..., snr_tau_s: float = ...,
                 snr_guard_s: float = ..., search_back_s: float = ..., quality_block_s: float = ...,
                 adc_min: float = ..., adc_max: float = ..., flat_range: float = ..., snr_low_db: float = ...,
                 snr_ok_db: float = ...) -> None: ...
    @staticmethod
    def defaults() -> Dict[str, Any]: ...
    @property
    def fs(self) -> float: ...
    @property
    def channels(self) -> int: ...
    @property
    def settings(self) -> Dict[str, Any]: ...
    def process(self, x: npt.ArrayLike) -> EmgOutput: ...
    def calibrate_mvc(self, x: npt.ArrayLike) -> npt.NDArray[np.float64]: ...
    @property
    def mvc_reference(self) -> npt.NDArray[np.float64]: ...
    @mvc_reference.setter
    def mvc_reference(self, ref: npt.ArrayLike) -> None: ...
    @property
    def calibrated(self) -> bool: ...
    def events(self, *, include_open: bool = False) -> pd.DataFrame: ...
    def clear_events(self) -> None: ...
    def reset(self) -> None: ...
    @property
    def delays(self) -> Dict[str, float]: ...
    def quality(self) -> pd.DataFrame: ...
    @property
    def detected_mains_hz(self) -> float: ...
    @property
    def samples(self) -> int: ...

def detect_bursts(x: npt.ArrayLike, fs: float, *, mvc: Optional[npt.ArrayLike] = None,
                  include_open: bool = False, **settings: Any) -> pd.DataFrame: ...
