"""`soleus analyze` on the shared real recordings, called as a user would (no flags where none should be needed).

The files stay in ../shared/data/real (never copied into the project); every
test skips with a message when that folder is absent (a fresh clone).
"""
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import soleus.io as sio
from timeouts import scaled


def analyze_cli(*args):
    return subprocess.run([sys.executable, "-m", "soleus", "analyze", *map(str, args), "--no-progress"],
                          capture_output=True, text=True, timeout=scaled(300), env=dict(os.environ, MPLBACKEND="Agg"))


def _file(real_data, rel):
    p = real_data / rel
    if not p.is_file():
        pytest.skip(f"real recording not found at {p}")
    return p


def test_walking_calf_emg_gives_the_soleus_its_seven_bursts_without_flags(real_data, tmp_path):
    path = _file(real_data, "walking_calf_emg/emg.csv")
    r = analyze_cli(path, "--csv", tmp_path)
    assert r.returncode == 0, r.stderr
    summary = pd.read_csv(tmp_path / "summary.csv")
    # 13 muscles: the calf muscles first (whatever their column order in the file) with the IMU's Session,
    # the other 5 through a second Session: every muscle gets its bursts counted.
    assert summary["channel"].tolist()[:4] == ["SO", "GM", "GL", "TA"]
    assert len(summary) == 13 and summary["n_bursts"].notna().all()
    assert summary.loc[summary["channel"] == "SO", "n_bursts"].item() == 7
    assert "calf muscles first: SO, GM, GL, TA" in r.stdout
    bursts = pd.read_csv(tmp_path / "emg_bursts.csv")
    so = bursts[bursts["channel_name"] == "SO"].sort_values("onset_s")
    assert len(so) == 7
    # One burst per stance: each of the six listed cycles' stance (touchdown V1 to lift-off V2) holds one onset.
    cycles = pd.read_csv(real_data / "walking_calf_emg" / "gait_cycles.csv")
    for v1, v2 in zip(cycles["V1"], cycles["V2"]):
        assert ((so["onset_s"] >= v1 - 0.1) & (so["onset_s"] <= v2)).sum() == 1, (v1, v2, so["onset_s"].tolist())


def test_walking_foot_imu_two_header_rows_are_detected(real_data):
    path = _file(real_data, "walking_foot_imu/imu_sample.csv")
    rec = sio.read_csv(path, fs=204.8)
    assert rec.meta["header_rows"] == 2 and rec.meta["index_column"] == "sensor/axis"
    assert rec.acc.channels == ("left_sensor/acc_x", "left_sensor/acc_y", "left_sensor/acc_z",
                                "right_sensor/acc_x", "right_sensor/acc_y", "right_sensor/acc_z")
    assert rec.gyro.channels[:3] == ("left_sensor/gyr_x", "left_sensor/gyr_y", "left_sensor/gyr_z")
    assert rec.emg is None
    # Standing still at the start: the left foot's acc norm is gravity.
    assert abs(np.linalg.norm(rec.acc.data[:50, :3], axis=1).mean() - 9.81) < 0.5


def test_walking_foot_imu_cli_needs_only_the_rate_and_finds_no_heel_raises(real_data, tmp_path):
    path = _file(real_data, "walking_foot_imu/imu_sample.csv")
    r = analyze_cli(path, "--fs", 204.8, "--csv", tmp_path)
    assert r.returncode == 0, r.stderr
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert summary["n_reps"].item() == 0  # walking is not heel raising
    assert "pct_peak" not in r.stdout.splitlines()[-1]
    # Without the rate, the hint names the CLI flag.
    r = analyze_cli(path)
    assert r.returncode == 1
    assert "counts samples" in r.stderr and "--fs HZ" in r.stderr


def test_contraction_emg_first_column_is_taken_as_time(real_data, tmp_path):
    path = _file(real_data, "contraction_emg/emg.csv")
    rec = sio.read_csv(path)
    assert rec.meta["header_rows"] == 0 and rec.meta["time_column"] == "0"
    assert rec.emg.fs == 1000.0 and rec.emg.n_channels == 1
    r = analyze_cli(path, "--csv", tmp_path)
    assert r.returncode == 0, r.stderr
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert summary["fs_hz"].item() == 1000.0
    assert summary["n_bursts"].item() == 3  # the three contractions (see docs/validation.md)


def test_reader_rules_for_time_index_and_imu_columns_on_written_files(tmp_path):
    # A strictly increasing first column of >= 16 rows is time; a 0, 1, 2, ... counter is an index.
    t = np.arange(100) / 500.0
    p = tmp_path / "timed.csv"
    np.savetxt(p, np.c_[t, np.sin(t)], delimiter=",")
    rec = sio.read_csv(p)
    assert rec.meta["time_column"] == "0" and rec.emg.fs == 500.0
    p = tmp_path / "indexed.csv"
    np.savetxt(p, np.c_[np.arange(100), np.sin(t)], delimiter=",", fmt="%.6g")
    with pytest.raises(ValueError, match="counts samples"):
        sio.read_csv(p)
    rec = sio.read_csv(p, fs=500)
    assert rec.meta["index_column"] == "0" and rec.emg.channels == ("1",)
    # Columns named like acc / gyro are the IMU; the rest EMG.
    p = tmp_path / "mixed.csv"
    cols = ["time", "SO", "acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"]
    pd.DataFrame(np.c_[t, np.random.default_rng(0).standard_normal((100, 7))], columns=cols).to_csv(p, index=False)
    rec = sio.read_csv(p)
    assert rec.emg.channels == ("SO",) and rec.acc.channels == ("acc_x", "acc_y", "acc_z")
    assert rec.gyro.channels == ("gyr_x", "gyr_y", "gyr_z")


def test_two_real_files_named_alike_are_told_apart_and_counts_are_integers(real_data, tmp_path):
    a = _file(real_data, "walking_calf_emg/emg.csv")
    b = _file(real_data, "contraction_emg/emg.csv")
    r = analyze_cli(a, b, "--csv", tmp_path)
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "summary.csv").read_text()
    summary = pd.read_csv(tmp_path / "summary.csv", dtype=str, keep_default_na=False)
    assert set(summary["source"]) == {str(a), str(b)}
    so = summary[summary["channel"] == "SO"].iloc[0]
    assert so["n_bursts"] == "7" and so["n_reps"] == ""  # an integer, and empty (not None / 0) without an IMU
    assert ".0," not in "".join(line.split(",")[9] + "," for line in text.splitlines()[1:])


def test_cli_takes_column_positions_and_header_rows_on_the_foot_imu(real_data, tmp_path):
    path = _file(real_data, "walking_foot_imu/imu_sample.csv")
    # The right foot by position (columns 2, 4, 6 = right acc x, y, z; 8, 10, 12 = right gyro), headers given.
    r = analyze_cli(path, "--fs", 204.8, "--header-rows", 2, "--acc", "2,4,6", "--gyro", "8,10,12",
                    "--csv", tmp_path)
    assert r.returncode == 0, r.stderr
    assert pd.read_csv(tmp_path / "summary.csv")["n_reps"].item() == 0
    # One header row is wrong for this file: the axis row is then read as data and named in the error.
    r = analyze_cli(path, "--fs", 204.8, "--header-rows", 1, "--acc", "2,4,6", "--gyro", "8,10,12")
    assert r.returncode == 1 and "non-numeric values" in r.stderr
