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
"""
from ._core import version as _core_version
from . import io, sim
from ._filters import SosFilter, butter, iirnotch, mains_filter, sosfilt, sosfilt_zi
from ._spectral import spectral_features
from ._reps import segment_reps, segment_reps_emg
from ._emg import EmgOutput, EmgProcessor, detect_bursts

__version__ = "0.1.0"

if _core_version() != __version__:  # pragma: no cover - a broken install
    raise ImportError(
        f"soleus: the compiled engine is version {_core_version()} but the Python "
        f"package is {__version__}; reinstall with `pip install .`"
    )

__all__ = [
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
