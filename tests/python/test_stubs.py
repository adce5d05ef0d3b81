"""The type stubs (python/soleus/*.pyi, the compiled module's _core.pyi) agree with the package at run time.

mypy.stubtest imports the installed package and compares every public name, signature, default, __all__
and dataclass field with the stubs; any mismatch fails (issue 14: it could not run without a stub for
soleus._core, and then found 24 mismatches). The allowlist holds only what a stub cannot express (each
entry documented there); stubtest also fails on an allowlist entry that is no longer needed.
"""
import pathlib
import subprocess
import sys

import soleus
from timeouts import scaled

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_stubtest_clean(tmp_path):
    # Run outside the source tree (python/soleus there has no compiled module) with a fresh mypy cache.
    r = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "soleus",
         "--mypy-config-file", str(ROOT / "pyproject.toml"),
         "--allowlist", str(ROOT / "tests" / "python" / "stubtest_allowlist.txt")],
        cwd=tmp_path, capture_output=True, text=True, timeout=scaled(600))
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert "Success: no issues found" in out, out


def test_stubs_are_installed_with_the_package():
    """The stubs travel in the wheel: the compiled module's stub and the PEP 561 marker beside the code."""
    pkg = pathlib.Path(soleus.__file__).parent
    for name in ("py.typed", "__init__.pyi", "_core.pyi", "analysis.pyi", "io.pyi", "plot.pyi", "sim.pyi"):
        assert (pkg / name).is_file(), name
