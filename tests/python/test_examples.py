"""The Python examples run as a user runs them: examples/analyze.py and examples/lsl_stream.py."""
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest
from timeouts import scaled

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT / "examples"


def run(script, *args, env=None, cwd=None):
    return subprocess.run([sys.executable, str(EXAMPLES / script), *map(str, args)], capture_output=True, text=True,
                          timeout=scaled(300), cwd=cwd, env=dict(os.environ, MPLBACKEND="Agg", **(env or {})))


def _png(path):
    mpimg = pytest.importorskip("matplotlib.image")
    img = mpimg.imread(path)
    return img.shape[:2], float(np.std(img[..., :3]))


def test_analyze_example_synthetic_and_trigno(tmp_path, trigno_csv):
    pytest.importorskip("matplotlib")
    from soleus.demo import demo_session

    truth = demo_session()["truth_reps"]
    r = run("analyze.py", "--plot", tmp_path / "s.png", "--csv", tmp_path / "tables")
    assert r.returncode == 0, r.stderr
    assert f"Repetitions ({len(truth)}):" in r.stdout
    size, std = _png(tmp_path / "s.png")
    assert size == (640, 1200) and std > 0.05
    assert (tmp_path / "tables" / "reps.csv").is_file() and (tmp_path / "tables" / "angle.csv").is_file()
    r = run("analyze.py", trigno_csv, "--plot", tmp_path / "t.png")
    assert r.returncode == 0, r.stderr
    assert "Mini sensor 10: EMG 10" in r.stdout
    size, std = _png(tmp_path / "t.png")
    assert size == (940, 1200) and std > 0.05


def _pylsl_problem():
    try:
        import pylsl

        pylsl.local_clock()
    except (ImportError, RuntimeError, OSError) as e:
        return str(e)
    return None


def test_lsl_stream_example_feeds_the_session_live():
    problem = _pylsl_problem()
    if problem:
        pytest.skip(f"pylsl / liblsl not usable here ({problem}); pip install 'soleus[lsl]'")
    import soleus
    from importlib import util

    spec = util.spec_from_file_location("lsl_stream", EXAMPLES / "lsl_stream.py")
    mod = util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    sim, _, bursts = mod.make_session(4)  # the truth of what the outlet plays
    r = run("lsl_stream.py", "--speed", "8", "--reps", "4")
    assert r.returncode == 0, r.stderr
    m = re.search(r"lsl_stream: (\d+) reps \(the simulator made (\d+)\)", r.stdout)
    assert m and int(m.group(1)) == int(m.group(2)) == len(sim.reps) == 4, r.stdout
    roms = [float(x) for x in re.findall(r"rep \d+: ROM ([\d.]+) deg", r.stdout)]
    np.testing.assert_allclose(roms, sim.reps["rom_deg"], atol=0.15 * sim.reps["rom_deg"].max())
    onsets = [float(x) for x in re.findall(r"EMG burst onset at ([\d.]+) s", r.stdout)]
    assert len(onsets) == len(bursts)
    np.testing.assert_allclose(onsets, [b[0] for b in bursts], atol=0.06)
    assert "gaps 0" in r.stdout
    assert soleus.__version__


def test_lsl_stream_example_without_pylsl_says_so_and_exits_0(tmp_path):
    fake = tmp_path / "nolsl"
    fake.mkdir()
    (fake / "pylsl.py").write_text("raise ImportError('liblsl not found (simulated)')\n")
    r = run("lsl_stream.py", env={"PYTHONPATH": str(fake)})
    assert r.returncode == 0, r.stderr
    assert "skipped: pylsl / liblsl not available (liblsl not found (simulated))" in r.stdout
