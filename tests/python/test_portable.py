"""A package that travels (issue 13): the engine build chosen at import, the baseline and
x86-64-v3 builds agreeing, emulated CPUs (qemu-user), no AVX in the baseline, one version.

Tolerances between the baseline (x86-64-v2: no FMA) and x86-64-v3 (AVX2 + FMA) engines,
which round multiply-adds differently (fused vs. two roundings):
  * filter design (double, scalar): relative 1e-12;
  * sosfilt float64: |diff| <= 1e-11 * max|y|; float32: |diff| <= 5e-5 * max|y|;
  * spectral median / mean frequency: 1e-6 Hz;
  * analyze: the same number of reps (= the simulated truth) and bursts; rep start / end times within
    1e-4 s, range of motion within 1e-3 deg; burst onsets / offsets within 0.5 ms (one EMG sample).
Measured on the development machine (g++ 12): 1e-14 and 6e-6 of the peak for the filters, 1e-13 Hz,
6e-7 s and 5e-6 deg for the reps, identical bursts.
The same engine build gives the same bits on any CPU that runs it (qemu -cpu Haswell vs.
this machine's x86-64-v3 run; -cpu Nehalem vs. SOLEUS_FORCE_BASELINE=1), apart from libm
functions, which glibc may pick per CPU: those runs are held to the same tolerances, and the
filter outputs (no libm) to equality.
"""
import importlib.metadata
import json
import os
import pathlib
import platform
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

import soleus

REPO = pathlib.Path(__file__).resolve().parents[2]
PROBE = pathlib.Path(__file__).with_name("portable_probe.py")
PKG_DIR = pathlib.Path(soleus.__file__).parent
X86 = platform.machine().lower() in ("x86_64", "amd64")
INFO = soleus.build_info()


def probe(env_extra=None, prefix=(), timeout=600):
    env = dict(os.environ)
    env.pop("SOLEUS_FORCE_BASELINE", None)
    env.update(env_extra or {})
    r = subprocess.run([*prefix, sys.executable, str(PROBE)], capture_output=True, text=True,
                       env=env, timeout=timeout)
    assert r.returncode == 0, f"{' '.join(prefix)} probe failed (rc {r.returncode}):\n{r.stderr[-3000:]}"
    return json.loads(r.stdout)


def assert_close(a, b, what):
    """a, b: probe outputs of two engine builds; the tolerances of the module docstring."""
    assert a["version"] == b["version"]
    np.testing.assert_allclose(a["butter"], b["butter"], rtol=1e-12, atol=0, err_msg=what)
    for key, rel in (("sosfilt_f64", 1e-11), ("mains_f64", 1e-11), ("sosfilt_f32", 5e-5)):
        ya, yb = np.asarray(a[key]), np.asarray(b[key])
        assert ya.shape == yb.shape
        assert np.all(np.isfinite(ya)) and np.all(np.isfinite(yb))
        err = np.max(np.abs(ya - yb)) / np.max(np.abs(yb))
        assert err <= rel, f"{what}: {key} differs by {err:.3g} of its peak (allowed {rel})"
    for key in ("median_hz", "mean_hz"):
        np.testing.assert_allclose(a[key], b[key], rtol=0, atol=1e-6, err_msg=f"{what}: {key}")
    assert a["n_reps"] == b["n_reps"] == a["true_reps"], what
    assert a["n_bursts"] == b["n_bursts"], what
    for key, tol in (("rep_start_s", 1e-4), ("rep_end_s", 1e-4), ("rep_rom_deg", 1e-3),
                     ("burst_onset_s", 5e-4), ("burst_offset_s", 5e-4)):
        np.testing.assert_allclose(a[key], b[key], rtol=0, atol=tol, err_msg=f"{what}: {key}")


def assert_filters_equal(a, b, what):
    for key in ("butter", "sosfilt_f64", "sosfilt_f32", "mains_f64"):
        assert a[key] == b[key], f"{what}: {key} is not bit-identical"


# ------------------------------------------------------------------ versions
def cmake_version():
    text = (REPO / "CMakeLists.txt").read_text()
    m = re.search(r"project\(soleus VERSION ([0-9]+\.[0-9]+\.[0-9]+)", text)
    assert m, "CMakeLists.txt: project(soleus VERSION x.y.z) not found"
    return m.group(1)


def test_one_version_number():
    v = cmake_version()
    header = (REPO / "include/soleus/core/config.hpp").read_text()
    macros = dict(re.findall(r"#define SOLEUS_VERSION_(MAJOR|MINOR|PATCH|STRING) (\S+)", header))
    assert macros["STRING"] == f'"{v}"', "config.hpp SOLEUS_VERSION_STRING != CMake project version"
    assert ".".join(macros[k] for k in ("MAJOR", "MINOR", "PATCH")) == v
    pyproject = (REPO / "pyproject.toml").read_text()
    assert re.search(r'^dynamic = \["version"\]', pyproject, re.M), "pyproject.toml must take the version from CMake"
    regex = re.search(r"^regex = '(.*)'$", pyproject, re.M).group(1)
    assert re.search(regex, (REPO / "CMakeLists.txt").read_text()).group("value") == v
    assert soleus.__version__ == v == INFO["version"]


def test_installed_metadata_version():
    try:
        meta = importlib.metadata.version("soleus")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("soleus is not installed as a distribution (no metadata to compare)")
    assert meta == cmake_version() == soleus.__version__


# ------------------------------------------------------------------ the chosen build
def test_build_info():
    assert soleus.__simd__ == INFO["isa"]
    assert INFO["fft"] in ("built-in", "fftw")
    ext = INFO["isa_extensions"]
    if not INFO["dispatching"]:
        assert INFO["module"] == "soleus._core"
        return
    assert INFO["fft"] == "built-in", "the distributed package must not use FFTW (GPL)"
    if INFO["cpu_x86_64_v3"] and not INFO["forced_baseline"]:
        assert (INFO["isa"], INFO["module"]) == ("x86-64-v3", "soleus._core_avx2")
        assert {"avx", "avx2", "fma"} <= set(ext) and "avx512f" not in ext
        assert INFO["float_lanes"] == 8
    else:
        assert (INFO["isa"], INFO["module"]) == ("x86-64-v2", "soleus._core")
        assert "sse4.2" in ext and not {"avx", "avx2", "fma", "avx512f"} & set(ext)
        assert INFO["float_lanes"] == 4
    assert sys.modules["soleus._core"].__name__ == INFO["module"]


def test_installed_package_dispatches():
    """A pip-installed package on x86-64 carries both engines (never one -march=native build)."""
    try:
        files = importlib.metadata.files("soleus") or []
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("soleus is not installed as a distribution (a local build is allowed -march=native)")
    if not X86:
        pytest.skip(f"no x86-64-v3 variant on {platform.machine()}")
    names = {pathlib.PurePath(str(f)).name.split(".")[0] for f in files if str(f).endswith((".so", ".pyd"))}
    assert {"_core", "_core_avx2", "_cpu"} <= names, f"installed extension modules: {sorted(names)}"
    assert INFO["dispatching"]


def test_force_baseline_env():
    if not INFO["dispatching"]:
        pytest.skip("a non-dispatching build (local, -march=native or non-x86): one engine only")
    out = subprocess.run([sys.executable, "-c", "import json, soleus; print(json.dumps(soleus.build_info()))"],
                         env={**os.environ, "SOLEUS_FORCE_BASELINE": "1"}, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    info = json.loads(out.stdout)
    assert (info["isa"], info["module"], info["forced_baseline"]) == ("x86-64-v2", "soleus._core", True)


@pytest.fixture(scope="module")
def native_runs():
    if not INFO["dispatching"]:
        pytest.skip("a non-dispatching build (local, -march=native or non-x86): one engine only")
    return {"default": probe(), "baseline": probe({"SOLEUS_FORCE_BASELINE": "1"})}


def test_baseline_and_avx2_agree(native_runs):
    base, default = native_runs["baseline"], native_runs["default"]
    assert base["simd"] == "x86-64-v2"
    if default["simd"] != "x86-64-v3":
        pytest.skip("this CPU cannot run the x86-64-v3 engine: nothing to compare the baseline with")
    assert_close(base, default, "x86-64-v2 vs x86-64-v3")


# ------------------------------------------------------------------ emulated CPUs
@pytest.mark.parametrize("cpu, isa, ref", [("Nehalem", "x86-64-v2", "baseline"), ("Haswell", "x86-64-v3", "default")])
def test_emulated_cpu(cpu, isa, ref, native_runs):
    qemu = shutil.which("qemu-x86_64")
    if qemu is None:
        pytest.skip("qemu-x86_64 not installed (Debian: apt-get install qemu-user; scripts/install_deps.sh)")
    if not X86:
        pytest.skip("qemu-x86_64 emulation of x86 CPUs is tested on x86-64 hosts")
    if os.environ.get("SOLEUS_QEMU_CPU"):
        # scripts/test_wheel_qemu.sh runs this interpreter itself under qemu-x86_64 (its wrapper
        # exports SOLEUS_QEMU_CPU), once per CPU, and asserts build_info there: that run is this
        # test. Nested, qemu-x86_64 would be handed the wrapper script, not an ELF program.
        pytest.skip(f"already emulated (-cpu {os.environ['SOLEUS_QEMU_CPU']}, scripts/test_wheel_qemu.sh): "
                    "the script's runs on Nehalem and Haswell are this test")
    got = probe(prefix=(qemu, "-cpu", cpu), timeout=1200)
    assert got["simd"] == isa, f"-cpu {cpu} chose {got['simd']}"
    want = native_runs[ref]
    if want["simd"] == isa:
        assert_filters_equal(got, want, f"qemu {cpu} vs this CPU's {isa} run")
        assert_close(got, want, f"qemu {cpu} vs this CPU's {isa} run")
    else:  # this CPU cannot run x86-64-v3 itself: compare with the baseline
        assert_close(got, native_runs["baseline"], f"qemu {cpu} vs this CPU's baseline run")


# ------------------------------------------------------------------ what the binaries contain
def extension(name):
    found = [p for p in PKG_DIR.iterdir() if p.name.split(".")[0] == name and p.suffix in (".so", ".pyd")]
    assert len(found) == 1, f"{name}: {found}"
    return found[0]


def objdump(*args):
    tool = shutil.which("objdump")
    if tool is None:
        pytest.skip("objdump not installed (binutils)")
    r = subprocess.run([tool, *args], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_baseline_has_no_avx_instructions():
    if not (INFO["dispatching"] and X86):
        pytest.skip("a non-dispatching build (local, -march=native or non-x86) has no baseline engine")
    for name in ("_core", "_cpu"):
        code = objdump("-d", "--no-show-raw-insn", str(extension(name)))
        hits = re.findall(r"^.*%[yz]mm\d+.*$", code, re.M)
        assert not hits, f"{name}: {len(hits)} AVX/AVX-512 instructions, e.g.\n" + "\n".join(hits[:5])
    v3 = objdump("-d", "--no-show-raw-insn", str(extension("_core_avx2")))
    assert re.search(r"%ymm\d+", v3), "the x86-64-v3 engine uses no AVX registers: its flags are not applied"
    assert not re.search(r"%zmm\d+", v3), "the x86-64-v3 engine contains AVX-512 instructions"


def test_no_fftw_in_the_package():
    if not INFO["dispatching"]:
        pytest.skip("a local build may use FFTW (SOLEUS_WITH_FFTW)")
    for name in ("_core", "_core_avx2"):
        needed = re.findall(r"NEEDED\s+(\S+)", objdump("-p", str(extension(name))))
        assert not [n for n in needed if "fftw" in n], f"{name} links {needed}"
