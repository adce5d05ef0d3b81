from typing import Any, Dict, Literal, NamedTuple, Optional, Sequence, Tuple, Union, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import io as io
from . import sim as sim
from .analysis import Result as Result
from .analysis import analyze as analyze

__all__ = ["Session", "Result", "activity", "analyze", "EmgOutput", "EmgProcessor", "detect_bursts",
           "SosFilter", "butter", "iirnotch", "mains_filter", "sosfilt", "sosfilt_zi", "spectral_features",
           "io", "segment_reps", "segment_reps_emg", "sim", "__version__", "__simd__", "build_info"]

__version__: str
__simd__: str

def build_info() -> Dict[str, Any]: ...

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
    """Streaming SOS filter keeping its state between calls.

    Threads: one object may be shared by threads. Calls on it are serialised:
    a second thread's call waits (with the GIL released) until the first one
    returns, and each call is atomic; the order of two concurrent calls is not
    defined. A callback re-entering the object from its own call raises
    RuntimeError.
    """
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
                      band: Tuple[float, float] = (20.0, 450.0), t0_s: float = 0.0,
                      rest: Optional[Union[Tuple[float, float], npt.ArrayLike]] = None,
                      axis: int = 0) -> pd.DataFrame: ...

_Placement = Literal["auto", "foot", "shank", "shank_seated"]

def segment_reps(acc: npt.ArrayLike, gyro: npt.ArrayLike, fs: Optional[float] = None,
                 t: Optional[npt.ArrayLike] = None, acc_unit: Literal["m/s2", "g"] = "m/s2",
                 gyro_unit: Literal["deg/s", "rad/s"] = "deg/s", placement: _Placement = "auto", *,
                 axis: Optional[Sequence[float]] = None, **settings: float) -> pd.DataFrame: ...
def activity(acc: npt.ArrayLike, gyro: npt.ArrayLike, fs: Optional[float] = None,
             t: Optional[npt.ArrayLike] = None, acc_unit: Literal["m/s2", "g"] = "m/s2",
             gyro_unit: Literal["deg/s", "rad/s"] = "deg/s", **settings: float) -> pd.DataFrame:
    """Per-minute calf-pump activity from a foot IMU: minute, start_s, active_s, still_s, covered_s,
    strides, steps (= 2 x strides), pumps, pedal_cycles, cycling_s; attrs: strides, pumps, pedal_cycles,
    still event tables."""
    ...
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
    """Streaming EMG chain (band-pass, mains, envelope, %MVC, bursts).

    Threads: one object may be shared by threads. Calls on it are serialised:
    a second thread's call waits (with the GIL released) until the first one
    returns, and each call is atomic; the order of two concurrent calls is not
    defined. A callback re-entering the object from its own call raises
    RuntimeError.
    """
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
                 snr_guard_s: float = ..., search_back_s: float = ..., relearn_span_s: float = ...,
                 level_shift_s: float = ..., level_shift_ratio: float = ...,
                 burst_spectra: bool = ..., spectra_segment_s: float = ..., spectra_hop_s: float = ...,
                 spectra_band_low_hz: float = ..., spectra_band_high_hz: float = ...,
                 quality_block_s: float = ...,
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

_EventType = Literal["rep_started", "top_reached", "lowering_started", "rep_completed", "hold_completed",
                     "rep_rejected", "rest_measured", "set_completed", "burst_onset", "burst_offset", "fault",
                     "inactivity", "activity_resumed", "axis_found", "events_dropped", "baseline_relearned",
                     "rep_refined"]
_Phase = Literal["rest", "concentric", "top", "eccentric", "finishing"]
_PushStatus = Literal["ok", "bad_input", "capacity_exceeded"]
_Muscle = Literal["soleus", "gastrocnemius_medialis", "gastrocnemius_lateralis", "tibialis_anterior", "other"]

class Session:
    """Streaming soleus::Session<8, 256> (the C API's): EMG and IMU in, events out.

    >>> s = Session(channels=["soleus", "gm"], muscles=["soleus", "gastrocnemius_medialis"])
    >>> s.push_emg_block(t, frames)            # (n,), (n, 2) float32/float64
    'ok'
    >>> s.push_imu_block(t_imu, acc, gyro)     # (m,), (m, 3), (m, 3)
    'ok'
    >>> for e in s.events(): print(e["type"], e["t_s"])

    Threads: one object may be shared by threads. Calls on it are serialised:
    a second thread's call waits (with the GIL released) until the first one
    returns, and each call is atomic; the order of two concurrent calls is not
    defined. A callback re-entering the object from its own call raises
    RuntimeError. (EMG and IMU pushed from two device threads: each push is
    whole, so each stream must still be pushed in time order.)
    """
    def __init__(self, *, channels: Optional[Sequence[str]] = ..., muscles: Optional[Sequence[_Muscle]] = ...,
                 emg_channels: int = ..., emg_rate_hz: float = ..., emg_range: float = ...,
                 imu_enabled: bool = ..., imu_rate_hz: float = ..., imu_acc_range: float = ...,
                 imu_gyro_range: float = ..., gap_factor: float = ..., drift_tolerance: float = ...,
                 drift_window_s: float = ..., resync_after_samples: int = ..., emg_restart_gap_s: float = ...,
                 emg_stats_decimation: int = ..., fault_clear_s: float = ..., inactivity_alert_s: float = ...,
                 activity_min_burst_s: float = ..., emg: Optional[Dict[str, Any]] = ...,
                 imu_reps: Optional[Dict[str, Any]] = ...) -> None: ...
    @staticmethod
    def defaults() -> Dict[str, Any]: ...
    @property
    def config(self) -> Dict[str, Any]: ...
    @property
    def emg_channels(self) -> int: ...
    @property
    def channels(self) -> list[str]: ...
    def push_emg(self, t: float, frame: npt.ArrayLike) -> _PushStatus: ...
    def push_emg_block(self, t: npt.ArrayLike, frames: npt.ArrayLike) -> _PushStatus: ...
    def push_imu(self, t: float, acc: npt.ArrayLike, gyro: npt.ArrayLike) -> _PushStatus: ...
    def push_imu_block(self, t: npt.ArrayLike, acc: npt.ArrayLike, gyro: npt.ArrayLike) -> _PushStatus: ...
    def finish(self) -> _PushStatus: ...
    def begin_mvc(self) -> None: ...
    def end_mvc(self) -> None: ...
    def set_mvc_references(self, reference: npt.ArrayLike) -> None: ...
    @property
    def mvc_reference(self) -> npt.NDArray[np.float64]: ...
    def begin_rest(self) -> None: ...
    def end_rest(self) -> None: ...
    def poll(self) -> Optional[Dict[str, Any]]: ...
    def events(self) -> list[Dict[str, Any]]: ...
    def activity_minutes(self) -> pd.DataFrame: ...
    @property
    def phase(self) -> _Phase: ...
    @property
    def angle_deg(self) -> float: ...
    @property
    def rate_dps(self) -> float: ...
    @property
    def activation(self) -> npt.NDArray[np.float32]: ...
    @property
    def envelope(self) -> npt.NDArray[np.float32]: ...
    @property
    def quality(self) -> list[Dict[str, Any]]: ...
    @property
    def burst_active(self) -> list[bool]: ...
    @property
    def imu_state(self) -> Dict[str, Any]: ...
    @property
    def axis_found(self) -> bool: ...
    @property
    def activity(self) -> Dict[str, Any]: ...
    @property
    def emg_stream(self) -> Dict[str, Any]: ...
    @property
    def imu_stream(self) -> Dict[str, Any]: ...
    @property
    def events_dropped(self) -> int: ...
    @property
    def mvc_calibrated(self) -> bool: ...
    @property
    def time_s(self) -> float: ...
    @property
    def pending(self) -> int: ...
    def state(self) -> Dict[str, Any]: ...
