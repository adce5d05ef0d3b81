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
from . import _dispatch

# The engine build for this CPU (x86-64-v2 baseline or x86-64-v3), registered
# as soleus._core before any module below imports it.
_core, _build_info = _dispatch.load()
del _dispatch
from . import io, sim
from ._filters import SosFilter, butter, iirnotch, mains_filter, sosfilt, sosfilt_zi
from ._spectral import spectral_features
from ._reps import segment_reps, segment_reps_emg
from ._activity import activity
from ._emg import EmgOutput, EmgProcessor, detect_bursts
from ._session import Session
from .analysis import Result, analyze

# One version number: CMakeLists.txt's project() -> the C/C++ header
# (SOLEUS_VERSION_STRING, checked at configure time) -> the compiled engine ->
# here and the package metadata (pyproject.toml reads CMakeLists.txt).
__version__ = _core.version()

#: The instruction-set level of the engine chosen at import: "x86-64-v3"
#: (AVX2 + FMA), "x86-64-v2" (the baseline), "native" (a local -march=native
#: build) or "compiler-default".
__simd__ = _build_info["isa"]


def build_info():
    """How the loaded engine was built and why it was chosen.

    Returns a dict: ``version``; ``isa`` (as :data:`__simd__`);
    ``isa_extensions`` (the SIMD extensions it was compiled with, e.g.
    ``["sse4.2", "avx", "avx2", "fma"]``); ``float_lanes`` (float channels per
    SIMD register); ``fft`` (``"built-in"`` or ``"fftw"``); ``module`` (the
    extension module loaded); ``dispatching`` (True when the package carries
    a baseline and an x86-64-v3 engine and chooses at import);
    ``cpu_x86_64_v3`` (whether this CPU runs x86-64-v3 code, None when not
    checked); ``forced_baseline`` (``SOLEUS_FORCE_BASELINE`` was set).

    >>> import soleus
    >>> soleus.build_info()["version"] == soleus.__version__
    True
    """
    info = dict(_build_info)
    info["isa_extensions"] = list(info["isa_extensions"])
    return info


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
    "__simd__",
    "build_info",
]
