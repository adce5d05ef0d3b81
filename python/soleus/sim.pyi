from typing import Any, Dict, Literal, Optional, Tuple, Union, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["emg", "burst_train", "heel_raise_session", "day", "Day"]

def burst_train(n_bursts: int = 10, *, first_onset_s: float = 1.0,
                duration_s: Tuple[float, float] = (0.3, 1.5), gap_s: Tuple[float, float] = (0.5, 2.0),
                amplitude: Tuple[float, float] = (0.5, 1.0), ramp_s: float = 0.0,
                seed: int = 1) -> pd.DataFrame: ...
@overload
def emg(duration_s: float = 10.0, fs: float = 2000.0, *, bursts: Optional[Union[pd.DataFrame, npt.ArrayLike]] = None,
        n_bursts: Optional[int] = None, snr_db: float = 20.0, amplitude_mv: float = 1.0, fl_hz: float = 60.0,
        fh_hz: float = 120.0, rest_activation: float = 0.0, mains_hz: float = 50.0,
        mains_amplitude_mv: float = 0.0, mains_harmonics: int = 1, mains_harmonic_ratio: float = 0.3,
        motion_rate_hz: float = 0.0, motion_amplitude_mv: float = 2.0, motion_duration_s: float = 0.2,
        fatigue_scale_end: float = 1.0, seed: int = 1,
        return_components: Literal[False] = False) -> Tuple[np.ndarray, pd.DataFrame]: ...
@overload
def emg(duration_s: float = 10.0, fs: float = 2000.0, *, bursts: Optional[Union[pd.DataFrame, npt.ArrayLike]] = None,
        n_bursts: Optional[int] = None, snr_db: float = 20.0, amplitude_mv: float = 1.0, fl_hz: float = 60.0,
        fh_hz: float = 120.0, rest_activation: float = 0.0, mains_hz: float = 50.0,
        mains_amplitude_mv: float = 0.0, mains_harmonics: int = 1, mains_harmonic_ratio: float = 0.3,
        motion_rate_hz: float = 0.0, motion_amplitude_mv: float = 2.0, motion_duration_s: float = 0.2,
        fatigue_scale_end: float = 1.0, seed: int = 1,
        return_components: Literal[True] = ...) -> Tuple[np.ndarray, pd.DataFrame, Dict[str, Any]]: ...

class HeelRaiseSession:
    # Built by heel_raise_session() from the engine's result dict; not a constructor for users.
    def __init__(self, d: Dict[str, Any]) -> None: ...
    t_s: np.ndarray
    acc: np.ndarray
    gyro: np.ndarray
    angle_deg: np.ndarray
    fs: float
    sagittal_axis: np.ndarray
    acc_offset_mps2: np.ndarray  # (3,) m/s^2, true zero-g offset per sensor axis
    acc_scale_error: np.ndarray  # (3,) true sensitivity error per axis (fraction)
    reps: pd.DataFrame
    sets: pd.DataFrame
    # Coupled EMG (heel_raise_session(..., emg=True)); None without it.
    emg: Optional[np.ndarray]                     # (m, 2) mV: soleus, gastrocnemius
    emg_fs: Optional[float]                       # Hz
    emg_t_s: Optional[np.ndarray]                 # (m,) s, the IMU's clock
    emg_channels: Optional[Tuple[str, str]]       # ('soleus', 'gastrocnemius')
    emg_activation_pct_mvc: Optional[np.ndarray]  # (m, 2) true activation, %MVC
    emg_mvc: Optional[np.ndarray]                 # (k, 2) MVC calibration recording, mV
    emg_mvc_rms_mv: Optional[Tuple[float, float]]
    emg_levels: Optional[pd.DataFrame]            # channel x (concentric, hold, eccentric, rest), %MVC
    knee_flexion_deg: Optional[float]
    def __iter__(self) -> Any: ...

EMG_CHANNELS: Tuple[str, str]

def heel_raise_session(fs: float = 100.0, *, placement: Literal["foot", "shank"] = "foot",
                       posture: Literal["standing", "seated", "wall_sit"] = "standing", n_sets: int = 2,
                       reps_per_set: int = 8, rise_s: Tuple[float, float] = (0.5, 1.2),
                       top_hold_s: Tuple[float, float] = (0.5, 2.0), lower_s: Tuple[float, float] = (1.5, 3.0),
                       bottom_rest_s: Tuple[float, float] = (0.5, 1.5), rom_deg: Tuple[float, float] = (20.0, 35.0),
                       partial_probability: float = 0.1, isometric_hold_s: float = 0.0,
                       gyro_bias_max_dps: float = 1.0, random_mounting: bool = True, seed: int = 1,
                       realistic: bool = False,
                       activity: Optional[Literal["walking", "pedalling", "sit_to_stand", "fidgeting"]] = None,
                       between_sets_activity_probability: float = 0.0,
                       emg: Union[bool, Dict[str, Any]] = False, emg_fs: float = 2000.0, emg_snr_db: float = 20.0,
                       emg_mains_hz: float = 50.0, emg_mains_amplitude_mv: float = 0.0,
                       emg_seed: Optional[int] = None,
                       # realistic=True only (passed by name through **settings at run time):
                       countermovement_deg: Tuple[float, float] = (2.0, 6.0),
                       countermovement_s: Tuple[float, float] = (0.1, 0.5),
                       quick_set_probability: float = 0.5,
                       quick_rise_s: Tuple[float, float] = (0.25, 0.6),
                       quick_top_hold_s: Tuple[float, float] = (0.5, 1.5),
                       quick_lower_s: Tuple[float, float] = (0.25, 0.6),
                       rebound_deg: Tuple[float, float] = (1.0, 5.0),
                       rebound_settle_s: Tuple[float, float] = (0.25, 0.4),
                       rest_shift_deg: Tuple[float, float] = (1.0, 3.0),
                       step_bottom_deg: float = 0.0,
                       hold_sag_deg: Tuple[float, float] = (1.0, 3.0),
                       bouncy_set_probability: float = 0.0,
                       bouncy_phase_s: Tuple[float, float] = (0.3, 0.5),
                       hold_wobble_dps: Tuple[float, float] = (0.0, 0.0),
                       acc_offset_max_mps2: float = 0.3922660,
                       acc_scale_error_max: float = 0.02,
                       # switches, off by default (passed by name through **settings at run time):
                       step_on_off: bool = False,
                       sway_quiet_stance: bool = False,
                       **settings: Any) -> HeelRaiseSession:
    """realistic=True: countermovement before heel-off, rebound past rest after heel contact, shifting
    rest, quick / bouncy sets, raises from a step, sagging and wobbling holds, an accelerometer zero-g
    offset (acc_offset_max_mps2, m/s^2) and sensitivity error (acc_scale_error_max, fraction) per axis
    (settings above, which need realistic=True; 0 turns the accelerometer errors off). activity: a session of non-raise activity alone (truth: no reps);
    between_sets_activity_probability: steps or fidgets in the rests between sets.
    emg=True adds soleus + gastrocnemius EMG (mV, emg_fs Hz, IMU clock) whose activation follows
    the true phases (concentric > hold > eccentric > rest); the soleus share rises with knee flexion
    (posture 'seated' / 'wall_sit'). A dict sets further EMG options (see sim.py's docstring)."""
    ...

class Day:
    # Built by day() from the engine's result dict; not a constructor for users.
    def __init__(self, d: Dict[str, Any], fs: float, alert_s: float) -> None: ...
    t_s: np.ndarray
    acc: np.ndarray        # (n, 3) m/s^2
    gyro: np.ndarray       # (n, 3) deg/s
    fs: float
    bouts: pd.DataFrame    # kind, start_s, end_s, strides, pumps, raises, cadence_steps_per_s
    active: np.ndarray     # (k, 2) true calf-pump active intervals, s
    strides: int
    pumps: int
    raises: int
    alert_s: float
    true_alerts: np.ndarray
    duration_s: float
    def active_in(self, t0_s: float, t1_s: float) -> float: ...

def day(hours: float = 4.0, fs: float = 100.0, *, seed: int = 1, alert_s: float = 3600.0, raises: bool = True,
        **settings: Any) -> Day: ...
