"""Chooses the build of the C++ engine this CPU runs (internal).

A pip-built package carries two builds of the same engine: ``soleus._core``
for the x86-64-v2 baseline (any x86-64 CPU since about 2009, no AVX) and
``soleus._core_avx2`` for x86-64-v3 (AVX2, FMA, BMI1/2; Intel Haswell and AMD
Excavator / Zen onwards). ``soleus._cpu``, a small C module compiled for the
baseline, says whether the CPU and the OS support x86-64-v3; the engine module
is chosen once, at import, and registered as ``soleus._core`` so the rest of
the package imports it by that name. Only one of the two engine modules is ever
loaded in a process (they register the same C++ types).

``SOLEUS_FORCE_BASELINE=1`` in the environment forces the baseline module (for
comparing the two builds, or ruling out a CPU-specific problem). Local builds
made with ``SOLEUS_NATIVE`` (``-march=native``) contain ``soleus._core`` only.
"""
import importlib
import os
import sys

_PACKAGE = __name__.rpartition(".")[0]


def _truthy(value):
    return value.strip().lower() not in ("", "0", "false", "no", "off")


def load():
    """Imports the engine module for this CPU; returns ``(module, info)``."""
    forced = _truthy(os.environ.get("SOLEUS_FORCE_BASELINE", ""))
    try:
        cpu = importlib.import_module(_PACKAGE + "._cpu")
    except ImportError:  # a non-dispatching (local or non-x86) build
        cpu = None
    cpu_v3 = bool(cpu.has_x86_64_v3()) if cpu is not None else None
    module = None
    if cpu_v3 and not forced:
        try:
            module = importlib.import_module(_PACKAGE + "._core_avx2")
        except ImportError:  # pragma: no cover - built without the AVX2 variant
            module = None
    if module is None:
        module = importlib.import_module(_PACKAGE + "._core")
    else:
        sys.modules[_PACKAGE + "._core"] = module
    info = dict(module.build_info())
    info.update(
        module=module.__name__,
        dispatching=cpu is not None,
        cpu_x86_64_v3=cpu_v3,
        forced_baseline=forced,
    )
    return module, info
