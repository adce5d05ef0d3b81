"""`soleus analyze` as a user runs it: a subprocess on the Trigno export and on CSVs written here.

Since issue 5 the tables come from the streaming Session (soleus.analyze):
reps, sets, bursts and quality are its events; the spectral table is
soleus.spectral_features on the band-passed EMG.
"""
import json
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import soleus
from timeouts import scaled


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "soleus", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=scaled(300), env=dict(os.environ, MPLBACKEND="Agg"))


def _png_size_and_colours(path):
    mpimg = pytest.importorskip("matplotlib.image")
    img = mpimg.imread(path)
    return img.shape[:2], len(np.unique((img[..., :3] * 255).astype(np.uint8).reshape(-1, 3), axis=0))


def _png_std(path):
    mpimg = pytest.importorskip("matplotlib.image")
    return float(np.std(mpimg.imread(path)[..., :3]))


@pytest.fixture()
def small_csv(tmp_path):
    """8 s of simulated soleus EMG (uV) with three bursts and 50 Hz hum, plus a time column."""
    x, bursts = soleus.sim.emg(duration_s=8, fs=2000, bursts=[(1.0, 2.0), (3.5, 4.5), (6.0, 7.0)],
                               mains_amplitude_mv=0.5, seed=5)
    t = np.arange(len(x)) / 2000
    p = tmp_path / "calf.csv"
    pd.DataFrame({"time_s": t, "SO [uV]": x * 1000}).to_csv(p, index=False)
    return p


def test_version_and_demo_still_work(tmp_path):
    r = run("version")
    assert r.returncode == 0 and r.stdout.strip() == soleus.__version__
    r = run("demo", "--filter")
    assert r.returncode == 0 and "demo" in r.stdout and "dB" in r.stdout


def test_demo_streams_the_heel_raise_session_and_writes_a_plot(tmp_path):
    pytest.importorskip("matplotlib")
    from soleus.demo import demo_session

    truth = demo_session()["truth_reps"]
    png = tmp_path / "demo.png"
    r = run("demo", "--plot", png, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert f"Repetitions ({len(truth)}):" in r.stdout and "Sets (4):" in r.stdout
    assert f"plot: {png}" in r.stdout
    # The simulator's coupled soleus/gastrocnemius EMG is streamed too: a burst per rep at least.
    m = re.search(r"Bursts: (\d+) on 2 EMG channel", r.stdout)
    assert m and int(m.group(1)) >= len(truth), r.stdout
    assert "soleus_pct_mvc" in r.stdout
    size, colours = _png_size_and_colours(png)
    # Three panels (angle with phases, envelopes with bursts, quality) at 1200 px wide.
    assert size == (940, 1200) and colours > 20 and _png_std(png) > 0.05
    # The default path: out/demo.png under the working directory.
    r = run("demo", cwd=tmp_path)
    assert r.returncode == 0 and (tmp_path / "out" / "demo.png").is_file()
    script = os.path.join(os.path.dirname(sys.executable), "soleus")  # noqa: E501
    if os.path.exists(script):  # the console script installed by pip
        r = subprocess.run([script, "analyze", "--help"], capture_output=True, text=True, timeout=scaled(120))
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
    # The export starts with 0.108 s of zeros before the sensors stream: shorter than the Session's
    # flat rule (2 consecutive 100 ms blocks), so no flag; its clock sees no faults either.
    assert f["quality"] == []
    # 2 s with an IMU: the Session ran the repetition chain (no reps in 2 s of standing).
    assert f["reps"] == [] and f["sets"] == []
    summary = pd.read_csv(out_csv / "summary.csv")
    assert list(summary["channel"]) == ["Mini sensor 10: EMG 10", "Mini sensor 11: EMG 11"]
    spectral = pd.read_csv(out_csv / "truncated_trigno_sample_spectral.csv")
    assert {"t_s", "median_hz", "mean_hz", "channel_name"} <= set(spectral.columns)
    size, colours = _png_size_and_colours(out_png)
    # Three panels (angle, envelopes, quality) of 300 px + 40 px for the title.
    assert size == (940, 1200) and colours > 20 and _png_std(out_png) > 0.05


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


def test_analyze_csv_with_emg_and_imu_finds_the_true_reps_and_plots(tmp_path):
    """A CSV at 1 kHz with two EMG channels and a foot IMU (simulated, with ground truth) through the CLI."""
    pytest.importorskip("matplotlib")
    from session_data import heel_raise_with_emg

    sim, emg, t = heel_raise_with_emg(seed=11, imu_fs=250.0, emg_fs=1000.0)
    # The file holds everything at the EMG rate (IMU interpolated from 250 Hz), one time column.
    imu = {f"{k}{ax}": np.interp(t, sim.t_s, src[:, i])
           for k, src in (("a", sim.acc), ("g", sim.gyro)) for i, ax in enumerate("xyz")}
    # A 1 s electrode-off stretch (exact zeros) on the second channel: the Session flags it flat.
    emg = emg.copy()
    off = (t >= 40.0) & (t < 41.0)
    emg[off, 1] = 0.0
    p = tmp_path / "heel_raises.csv"
    pd.DataFrame({"time_s": t, "SO [mV]": emg[:, 0], "GM [mV]": emg[:, 1], **imu}).to_csv(p, index=False)
    out_json, out_png, out_csv = tmp_path / "r.json", tmp_path / "r.png", tmp_path / "tables"
    r = run("analyze", p, "--emg", "SO [mV],GM [mV]", "--acc", "ax,ay,az", "--gyro", "gx,gy,gz",
            "--json", out_json, "--plot", out_png, "--csv", out_csv)
    assert r.returncode == 0, r.stderr
    assert "n_reps" in r.stdout and "SO [mV]" in r.stdout
    f = json.loads(out_json.read_text())["files"][0]
    reps = pd.DataFrame(f["reps"])
    assert len(reps) == len(sim.reps) == 10
    # Against the simulator's ground truth (not the engine's own numbers).
    np.testing.assert_allclose(reps["start_s"], sim.reps["start_s"], atol=0.05)
    np.testing.assert_allclose(reps["end_s"], sim.reps["end_s"], atol=0.15)
    np.testing.assert_allclose(reps["rom_deg"], sim.reps["rom_deg"], rtol=0.15)
    assert [s["rep_count"] for s in f["sets"]] == [5, 5]
    bursts = pd.DataFrame(f["bursts"])
    for c in (0, 1):
        b = bursts[bursts["channel"] == c]
        assert len(b) == 10
        np.testing.assert_allclose(b["onset_s"], sim.reps["start_s"] - 0.1, atol=0.08)
    q = pd.DataFrame(f["quality"])
    flat = q[(q["flag"] == "flat") & (q["channel"] == 1)]
    assert len(flat) == 1 and 40.0 <= flat["start_s"].iloc[0] <= 40.35 and 40.9 <= flat["end_s"].iloc[0] <= 41.6
    assert not ((q["flag"] == "flat") & (q["channel"] == 0)).any()
    s = f["summary"]
    assert [x["n_reps"] for x in s] == [10, 10] and [x["n_bursts"] for x in s] == [10, 10]
    for name in ("reps", "sets", "bursts", "quality", "spectral"):
        assert (out_csv / f"heel_raises_{name}.csv").is_file()
    size, colours = _png_size_and_colours(out_png)
    assert size == (940, 1200) and colours > 20 and _png_std(out_png) > 0.05




def test_analyze_accepts_a_utf8_column_name_longer_than_15_bytes(tmp_path):
    # Issue 12 item 9: the engine keeps 15 bytes of a channel name; the cut fell
    # inside "µ" (bytes 15-16) and the CLI died with UnicodeDecodeError.
    x, _ = soleus.sim.emg(duration_s=4, fs=2000, bursts=[(1.0, 2.0)], seed=7)
    p = tmp_path / "calf.csv"
    pd.DataFrame({"time_s": np.arange(len(x)) / 2000, "M.soleus_sin_[µV]": x * 1000}).to_csv(
        p, index=False, encoding="utf-8")
    r = run("analyze", p, "--json", tmp_path / "r.json")
    assert r.returncode == 0, r.stderr
    s = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["files"][0]["summary"][0]
    assert s["channel"] == "M.soleus_sin_[µV]"
