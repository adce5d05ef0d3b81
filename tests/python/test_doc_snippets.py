"""Every Python snippet of the README and of the docs site runs (issue 14: "every README and docs snippet
executed by a test").

A page's ```python blocks run in order in one namespace, as a reader would paste them into one session. Before
the first block, the names a snippet leaves to the reader (``x``, ``acc``, ``blocks``, ``mvc_recording`` ...) are
defined from the simulator, with the shapes and units the page states for them; the snippets themselves run
unchanged. A snippet that raises fails its page's test with the block's text in the traceback (the code is
compiled under the page's name).

The ```cpp and ```c blocks are compiled (``-fsyntax-only``, warnings as errors except unused names) against
``include/``: each block's ``#include`` lines at file scope, its statements in a function body after
declarations of the names it leaves to the reader (``t``, ``frame``, ``acc`` ...), so a renamed or retyped
call in the headers fails here.
"""
import pathlib
import os
import re
import shutil
import subprocess

import numpy as np
import pytest

import soleus
from timeouts import scaled

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAGES = ["README.md"] + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))


def python_blocks(page):
    text = (ROOT / page).read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)


PAGES_WITH_PYTHON = [p for p in PAGES if python_blocks(p)]


def test_the_pages_have_python_snippets_to_run():
    # The test below would pass vacuously if the block pattern stopped matching.
    assert "README.md" in PAGES_WITH_PYTHON and len(PAGES_WITH_PYTHON) >= 6


def _emg_session(seed=3):
    """A simulated heel-raise session with EMG: (n, 2) mV at s.emg_fs, its MVC recording, and the IMU at 100 Hz."""
    return soleus.sim.heel_raise_session(fs=100, emg=True, seed=seed)


def _reader_names(page, tmp_path, shared_data):
    """The names `page`'s snippets take from the reader, built from the simulator."""
    s = _emg_session()
    emg, mvc = s.emg.astype(np.float64), s.emg_mvc.astype(np.float64)
    names = {}
    if page in ("README.md", "docs/activity.md"):
        names.update(x=emg, mvc_recording=mvc, acc=s.acc, gyro=s.gyro)
    elif page == "docs/emg.md":
        names.update(mvc_recording=mvc, blocks=np.array_split(emg, 7))
    elif page == "docs/filters.md":
        x = emg.T.copy()                                    # (channels, n): scipy's layout, axis=-1
        eight = np.repeat(emg[:, :1], 8, axis=1)            # (n_samples, 8) for the streaming filter
        names.update(x=x, zi=np.zeros((4, x.shape[0], 2)), blocks=np.array_split(eight, 5), first_frame=eight[0])
    elif page == "docs/heel_raises.md":
        names.update(acc_g=s.acc / 9.80665, gyro_rad_s=np.deg2rad(s.gyro), t_s=s.t_s)
    elif page == "docs/sessions.md":
        t_mvc = np.arange(len(mvc)) / s.emg_fs             # the MVC contraction first, the exercise 1 s later
        after_mvc_s = t_mvc[-1] + 1.0
        names.update(emg=emg, t_emg=s.emg_t_s + after_mvc_s, frames=emg, t_imu=s.t_s + after_mvc_s, acc=s.acc,
                     gyro=s.gyro, mvc_recording=mvc, t_mvc=t_mvc, mvc_frames=mvc)
    elif page == "docs/files_and_cli.md":
        if shared_data is None:
            pytest.skip("docs/files_and_cli.md reads ../shared/data/real/trigno_export (absent)")
        trigno = shared_data / "trigno_export" / "truncated_trigno_sample.csv"
        (tmp_path / trigno.name).symlink_to(trigno)         # the page reads it from the working directory
        n = 400
        t = np.arange(n) / 1000.0
        table = np.column_stack([t, emg[:n, 0] * 1000.0, emg[:n, 1] * 1000.0, s.acc[:n], s.gyro[:n]])
        np.savetxt(tmp_path / "trial.csv", table, delimiter=",", header="t,SO,GM,ax,ay,az,gx,gy,gz", comments="")
        proc = soleus.EmgProcessor(s.emg_fs, channels=2)
        env, _ = proc.process(emg.astype(np.float32))
        names.update(path=str(tmp_path / trigno.name), t_emg=s.emg_t_s, env=env, bursts=proc.events(),
                     flags=None)
    return names


@pytest.fixture(scope="module")
def shared_data_or_none():
    shared = ROOT.parent / "shared" / "data" / "real"
    return shared if shared.is_dir() else None


@pytest.mark.parametrize("page", PAGES_WITH_PYTHON)
def test_every_python_snippet_of_the_page_runs(page, tmp_path, monkeypatch, shared_data_or_none):
    pytest.importorskip("matplotlib")
    pytest.importorskip("pandas")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)
    scope = {"__name__": "__snippet__"}
    scope.update(_reader_names(page, tmp_path, shared_data_or_none))
    for i, block in enumerate(python_blocks(page)):
        exec(compile(block, f"{page} (python block {i + 1})", "exec"), scope)
    # Pictures the snippets save are real images, not empty files.
    for png in tmp_path.glob("*.png"):
        assert png.stat().st_size > 10_000, png


# ---- C and C++ snippets: compiled against the headers ----

_CPP_READER = """
#include <cstddef>
#include <cstdio>
#include <cstring>
#include "soleus/emg/onset.hpp"
static void log(const char*) {}
"""
# The names the C++ snippets take from the reader, with the types the headers' calls take.
_CPP_NAMES = """
  double t = 0.0, t_s = 0.0, t_emg_s = 0.0;
  const double* t_block = nullptr;
  const float *frame = nullptr, *frames = nullptr, *acc = nullptr, *gyro = nullptr, *frame_in = nullptr,
              *block_in = nullptr, *pct_mvc = nullptr, *conditioned = nullptr;
  float *frame_out = nullptr, *block_out = nullptr, *envelope = nullptr, *activation_pct = nullptr;
  std::size_t n = 0, n_frames = 0;
  soleus::emg::BurstEvent burst{};
"""
_C_READER = """
#include <stddef.h>
#include <stdio.h>
#include <string.h>
static void use(double x) { (void)x; }
"""
_C_NAMES = """
  double t = 0.0;
  const double* t_block = NULL;
  const float *frame = NULL, *frames = NULL, *acc = NULL, *gyro = NULL;
  size_t n = 0;
"""


def compiled_blocks():
    out = []
    for page in PAGES:
        text = (ROOT / page).read_text(encoding="utf-8")
        for i, (lang, block) in enumerate(re.findall(r"^```(cpp|c)\n(.*?)^```", text, re.S | re.M)):
            out.append(pytest.param(page, lang, block, id=f"{page}-{lang}{i + 1}"))
    return out


def test_the_pages_have_c_and_cpp_snippets_to_compile():
    langs = {p.values[1] for p in compiled_blocks()}
    assert langs == {"c", "cpp"} and len(compiled_blocks()) >= 5


def _compiler(lang):
    env = os.environ.get("CXX" if lang == "cpp" else "CC")
    for cand in ([env] if env else []) + (["c++", "g++", "clang++"] if lang == "cpp" else ["cc", "gcc", "clang"]):
        path = shutil.which(cand)
        if path:
            return path
    pytest.skip(f"no {'C++' if lang == 'cpp' else 'C'} compiler on PATH")


@pytest.mark.parametrize("page,lang,block", compiled_blocks())
def test_every_c_and_cpp_snippet_compiles(page, lang, block, tmp_path):
    includes = [l for l in block.splitlines() if l.startswith("#include")]
    body = "\n".join(l for l in block.splitlines() if not l.startswith("#include"))
    if lang == "cpp":
        source = (_CPP_READER + "\n".join(includes) + "\nvoid snippet() {\n" + _CPP_NAMES + body + "\n}\n")
        args = ["-std=c++17"]
        eigen = pathlib.Path("/usr/include/eigen3")
        if eigen.is_dir():
            args.append(f"-I{eigen}")
    else:
        source = _C_READER + "\n".join(includes) + "\nvoid snippet(void) {\n" + _C_NAMES + body + "\n}\n"
        args = ["-std=c11"]
    src = tmp_path / ("snippet.cpp" if lang == "cpp" else "snippet.c")
    src.write_text(source, encoding="utf-8")
    cmd = [_compiler(lang), "-fsyntax-only", "-Wall", "-Werror", "-Wno-unused-variable", "-Wno-unused-value",
           "-Wno-unused-function", "-Wno-unused-but-set-variable", *args, f"-I{ROOT / 'include'}", str(src)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=scaled(300))
    assert proc.returncode == 0, f"{page}: the {lang} snippet does not compile:\n{block}\n{proc.stderr[-4000:]}"
