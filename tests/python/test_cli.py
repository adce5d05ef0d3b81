"""`soleus analyze` as a user runs it: a subprocess on the Trigno export and on a CSV written here."""
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import soleus


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "soleus", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300, env=dict(os.environ, MPLBACKEND="Agg"))


def _png_size_and_colours(path):
    mpimg = pytest.importorskip("matplotlib.image")
    img = mpimg.imread(path)
    return img.shape[:2], len(np.unique((img[..., :3] * 255).astype(np.uint8).reshape(-1, 3), axis=0))


@pytest.fixture()
def small_csv(tmp_path):
    """8 s of simulated soleus EMG (uV) with three bursts and 50 Hz hum, plus a time column."""
    x, bursts = soleus.sim.emg(duration_s=8, fs=2000, bursts=[(1.0, 2.0), (3.5, 4.5), (6.0, 7.0)],
                               mains_amplitude_mv=0.5, seed=5)
    t = np.arange(len(x)) / 2000
    p = tmp_path / "calf.csv"
    pd.DataFrame({"time_s": t, "SO [uV]": x * 1000}).to_csv(p, index=False)
    return p


def test_version_and_demo_still_work():
    r = run("version")
    assert r.returncode == 0 and r.stdout.strip() == soleus.__version__
    r = run("demo")
    assert r.returncode == 0 and "demo" in r.stdout
    script = os.path.join(os.path.dirname(sys.executable), "soleus")
    if os.path.exists(script):  # the console script installed by pip
        r = subprocess.run([script, "analyze", "--help"], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0 and "--plot" in r.stdout and "--json" in r.stdout


def test_analyze_trigno_export_writes_json_csv_and_png(tmp_path, trigno_csv):
    pytest.importorskip("matplotlib")
    out_json, out_png, out_csv = tmp_path / "r.json", tmp_path / "r.png", tmp_path / "tables"
    r = run("analyze", trigno_csv, "--json", out_json, "--plot", out_png, "--csv", out_csv)
    assert r.returncode == 0, r.stderr
    assert "Mini sensor 10: EMG 10" in r.stdout and "median_hz" in r.stdout
    assert "truncated" in r.stdout  # the note about the cut export
    doc = json.loads(out_json.read_text())
    assert doc["errors"] == [] and len(doc["files"]) == 1
    f = doc["files"][0]
    assert f["format"] == "trigno"
    assert f["streams"]["emg"]["fs_hz"] == pytest.approx(1259.259)
    assert f["streams"]["acc"]["units"] == ["g"] * 6 and f["streams"]["gyro"]["n_samples"] == 297
    assert [s["channel"] for s in f["summary"]] == ["Mini sensor 10: EMG 10", "Mini sensor 11: EMG 11"]
    for s in f["summary"]:
        assert 20 < s["median_hz"] < 450 and s["rms_mv"] > 0
    assert len(f["spectral"]) > 0
    # The export starts with ~0.1 s of zeros before the sensors stream: flagged as flat.
    assert {q["flag"] for q in f["quality"]} == {"flat"}
    summary = pd.read_csv(out_csv / "summary.csv")
    assert list(summary["channel"]) == ["Mini sensor 10: EMG 10", "Mini sensor 11: EMG 11"]
    spectral = pd.read_csv(out_csv / "truncated_trigno_sample_spectral.csv")
    assert {"t_s", "median_hz", "mean_hz", "channel_name"} <= set(spectral.columns)
    size, colours = _png_size_and_colours(out_png)
    assert size == (640, 1200) and colours > 20


def test_analyze_many_files_progress_and_per_file_outputs(tmp_path, small_csv):
    pytest.importorskip("matplotlib")
    second = tmp_path / "sub"
    second.mkdir()
    other = second / "calf.csv"  # same stem: outputs must not overwrite each other
    other.write_bytes(small_csv.read_bytes())
    r = run("analyze", small_csv, other, "--json", tmp_path / "all.json", "--plot", tmp_path / "p.png",
            "--csv", tmp_path / "csv")
    assert r.returncode == 0, r.stderr
    assert "2/2" in r.stderr  # progress bar (tqdm or the built-in one) on stderr
    doc = json.loads((tmp_path / "all.json").read_text())
    assert len(doc["files"]) == 2
    s = doc["files"][0]["summary"][0]
    assert s["channel"] == "SO [uV]" and s["unit"] == "uV" and s["fs_hz"] == pytest.approx(2000)
    assert 80 < s["median_hz"] < 115  # Shwedyk spectrum: 95.7 Hz
    assert s["rms_mv"] > 0
    for stem in ("calf", "calf-2"):
        assert (tmp_path / f"p_{stem}.png").is_file()
        assert (tmp_path / "csv" / f"{stem}_spectral.csv").is_file()
    if hasattr(soleus, "detect_bursts"):
        bursts = doc["files"][0]["bursts"]
        assert len(bursts) >= 3


def test_analyze_errors_are_one_line_and_exit_non_zero(tmp_path, small_csv):
    missing = tmp_path / "missing.csv"
    r = run("analyze", missing, "--no-progress")
    assert r.returncode == 1
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert lines == [f"soleus analyze: error: {missing}: path: no such file: {missing}"]
    bad = tmp_path / "shapes.csv"
    bad.write_text("time,ax,ay\n0,1,2\n0.01,1,2\n0.02,1,2\n")
    wrong = tmp_path / "words.csv"
    wrong.write_text("time,SO\n0,a\n0.1,b\n")
    r = run("analyze", bad, wrong, small_csv, "--json", tmp_path / "r.json")
    assert r.returncode == 1
    errors = [ln for ln in r.stderr.splitlines() if "error:" in ln]
    assert len(errors) == 2
    assert "shapes.csv" in errors[0] and "rec: EMG has 3 samples" in errors[0]
    assert "words.csv" in errors[1] and "SO: column holds non-numeric values" in errors[1]
    doc = json.loads((tmp_path / "r.json").read_text())
    assert len(doc["files"]) == 1 and len(doc["errors"]) == 2  # the good file is still analysed
    r = run("analyze", small_csv, "--fs", "1000")
    assert r.returncode == 1 and "fs: given as 1000 Hz" in r.stderr
    r = run("analyze")
    assert r.returncode == 2 and "FILE" in r.stderr


def test_analyze_uses_detect_bursts_and_segment_reps_when_present(monkeypatch, tmp_path, capsys):
    """Colleagues add soleus.detect_bursts / segment_reps; analyze picks them up at run time."""
    pytest.importorskip("matplotlib")
    from soleus.__main__ import main

    calls = {}

    def fake_bursts(x, fs):
        calls["bursts"] = (x.shape, fs)
        return pd.DataFrame({"channel": [0, 0], "onset_s": [1.0, 3.5], "offset_s": [2.0, 4.5]})

    def fake_reps(acc, gyro, fs):
        calls["reps"] = (acc.shape, gyro.shape, fs)
        calls["acc_z"] = float(acc[:, 2].mean())
        return pd.DataFrame({"start_s": [1.0], "top_s": [1.5], "lower_start_s": [2.0], "end_s": [4.0]})

    monkeypatch.setattr(soleus, "detect_bursts", fake_bursts, raising=False)
    monkeypatch.setattr(soleus, "segment_reps", fake_reps, raising=False)
    n, fs = 8000, 1000.0
    rng = np.random.default_rng(1)
    g = np.column_stack([np.zeros(n), np.zeros(n), np.full(n, 1.0)])  # acc in g: converted to m/s^2
    df = pd.DataFrame({"t": np.arange(n) / fs, "SO": rng.standard_normal(n), "GM": rng.standard_normal(n),
                       "ax": g[:, 0], "ay": g[:, 1], "az": g[:, 2],
                       "gx": np.zeros(n), "gy": np.zeros(n), "gz": np.zeros(n)})
    p = tmp_path / "imu_emg.csv"
    df.rename(columns={c: f"{c} [g]" for c in ("ax", "ay", "az")}).to_csv(p, index=False)
    out_json = tmp_path / "r.json"
    rc = main(["analyze", str(p), "--emg", "SO,GM", "--acc", "ax [g],ay [g],az [g]", "--gyro", "gx,gy,gz",
               "--emg-unit", "mV", "--json", str(out_json), "--plot", str(tmp_path / "r.png"), "--no-progress"])
    assert rc == 0, capsys.readouterr().err
    assert calls["bursts"] == ((n, 2), fs) and calls["reps"] == ((n, 3), (n, 3), fs)
    assert calls["acc_z"] == pytest.approx(9.80665)  # the file's g handed over in m/s^2
    f = json.loads(out_json.read_text())["files"][0]
    assert [s["n_bursts"] for s in f["summary"]] == [2, 0] and f["summary"][0]["n_reps"] == 1
    assert f["reps"][0]["top_s"] == 1.5 and len(f["bursts"]) == 2
    assert (tmp_path / "r.png").is_file()
