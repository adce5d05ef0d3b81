"""Every Python snippet of the README and of the docs site runs (issue 14: "every README and docs snippet
executed by a test").

A page's ```python blocks run in order in one namespace, as a reader would paste them into one session. Before
the first block, the names a snippet leaves to the reader (``x``, ``acc``, ``blocks``, ``mvc_recording`` ...) are
defined from the simulator, with the shapes and units the page states for them; the snippets themselves run
unchanged. A snippet that raises fails its page's test with the block's text in the traceback (the code is
compiled under the page's name). The C and C++ snippets are compiled by the C++ consumer builds' examples, not
here.
"""
import pathlib
import re

import numpy as np
import pytest

import soleus

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
