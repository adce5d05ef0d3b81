"""soleus: real-time calf EMG and IMU processing.

The numeric work runs in the C++ engine (``soleus._core``); this package adds
scipy-style argument handling, tables and plots. Filtering follows
``scipy.signal`` conventions (``fs=``, SOS arrays of shape ``(n_sections, 6)``,
``axis=``), so results can be compared one to one.

>>> import numpy as np, soleus
>>> sos = soleus.butter(4, [20, 450], btype="bandpass", fs=2000)
>>> sos.shape
(4, 6)
>>> y = soleus.sosfilt(sos, np.random.default_rng(0).standard_normal((8, 2000)))

The streaming engine (``soleus.Session``) and the offline loop over it
(``soleus.analyze``): arrays in, repetition / set / burst tables and plots out.

>>> sim = soleus.sim.heel_raise_session(fs=100, n_sets=1, reps_per_set=5, seed=3)
>>> res = soleus.analyze(acc=sim.acc, gyro=sim.gyro, imu_fs=100, t_imu=sim.t_s)
>>> len(res.reps)
5
"""
from ._core import version as _core_version
from . import io, sim
from ._filters import SosFilter, butter, iirnotch, mains_filter, sosfilt, sosfilt_zi
from ._spectral import spectral_features
from ._reps import segment_reps, segment_reps_emg
from ._activity import activity
from ._emg import EmgOutput, EmgProcessor, detect_bursts
from ._session import Session
from .analysis import Result, analyze

__version__ = "0.1.0"

if _core_version() != __version__:  # pragma: no cover - a broken install
    raise ImportError(
        f"soleus: the compiled engine is version {_core_version()} but the Python "
        f"package is {__version__}; reinstall with `pip install .`"
    )

__all__ = [
    "Session",
    "Result",
    "activity",
    "analyze",
    "EmgOutput",
    "EmgProcessor",
    "detect_bursts",
    "SosFilter",
    "butter",
    "iirnotch",
    "mains_filter",
    "sosfilt",
    "sosfilt_zi",
    "spectral_features",
    "io",
    "segment_reps",
    "segment_reps_emg",
    "sim",
    "__version__",
]
