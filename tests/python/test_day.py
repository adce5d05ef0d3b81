"""The calf-pump day through soleus.analyze and the day plot, against the day simulator's truth.

analyze() carries the Session's own activity minutes (the IMU activity layer
that also drives its inactivity alerts); the day plot draws them one row per
hour. References are the simulator's truth (include/soleus/sim/day.hpp) and
soleus.activity (the same layer run on its own), never the plot's own numbers.
"""
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import soleus
from timeouts import scaled

ALERT_S = 900.0


@pytest.fixture(scope="module")
def day():
    # 3 h at 60 Hz, no heel-raise sets (the rep engine's open work, issue 16: see docs/activity.md).
    return soleus.sim.day(hours=3, fs=60, seed=4, alert_s=ALERT_S, raises=False)


@pytest.fixture(scope="module")
def result(day):
    return soleus.analyze(acc=day.acc, gyro=day.gyro, imu_fs=60, t_imu=day.t_s, inactivity_alert_s=ALERT_S)


def test_sim_day_truth_is_consistent(day):
    assert day.acc.shape == day.gyro.shape == (3 * 3600 * 60, 3)
    assert abs(day.t_s[1000] - 1000 / 60) <= 0.0011  # jittered by at most 1 ms around the grid
    assert day.bouts["end_s"].iloc[-1] == pytest.approx(3 * 3600)
    assert int(day.bouts["strides"].sum()) == day.strides > 0
    assert day.raises == 0
    # The true alerts, in closed form from the active intervals: a still stretch reaching ALERT_S.
    edges = np.concatenate([[0.0], day.active.ravel(), [day.duration_s]]).reshape(-1, 2)
    expect = [a + ALERT_S for a, b in edges if b - a >= ALERT_S]
    np.testing.assert_allclose(day.true_alerts, expect)
    with pytest.raises(ValueError, match="hours"):
        soleus.sim.day(hours=0)
    with pytest.raises(ValueError, match="nonsense"):
        soleus.sim.day(hours=0.1, nonsense=1)
    with pytest.raises(ValueError, match="stand_min_s"):
        soleus.sim.day(hours=0.1, stand_min_s=20.0, stand_max_s=10.0)


def test_sim_day_stand_bouts_keep_their_length_range():
    d = soleus.sim.day(hours=0.5, fs=50, seed=3, raises=False, w_sit=0, w_sit_pumps=0, w_walk=0, w_cycle=0,
                       cycling=False, stand_min_s=5.0, stand_max_s=15.0)
    stand = d.bouts[d.bouts["kind"] == "stand"]
    assert len(stand) > 0, "a day of stairs and landings has standing bouts"
    lengths = (stand["end_s"] - stand["start_s"]).to_numpy()
    assert np.all((lengths >= 5.0) & (lengths <= 15.0))


def test_analyze_activity_table_matches_the_truth(day, result):
    act = result.activity
    assert act is not None and list(act.columns[:3]) == ["minute", "start_s", "active_s"]
    assert len(act) == 180 and act["minute"].tolist() == list(range(180))
    assert act["covered_s"].sum() == pytest.approx(3 * 3600, abs=2.0)
    true_active = float(np.sum(day.active[:, 1] - day.active[:, 0]))
    assert act["active_s"].sum() == pytest.approx(true_active, rel=0.05)
    assert act["strides"].sum() == pytest.approx(day.strides, rel=0.02)
    assert (act["steps"] == 2 * act["strides"]).all()
    # Per hour too (what the day plot writes at each row's end), against the truth's strides per hour.
    hour = ((act["start_s"] + 30) // 3600).astype(int)
    got = act.groupby(hour)["active_s"].sum().to_numpy()
    want = [day.active_in(3600 * h, 3600 * (h + 1)) for h in range(3)]
    np.testing.assert_allclose(got, want, rtol=0.08, atol=30.0)
    # The alerts are the Session's; every true alert within a minute, none while moving.
    alerts = act.attrs["alerts"]
    assert len(alerts) == len(day.true_alerts) >= 1
    for ta in day.true_alerts:
        assert np.min(np.abs(alerts["t_s"].to_numpy() - ta)) <= 60.0
    assert int(act["alerts"].sum()) == len(alerts)
    assert result.activity_summary()["alerts"] == result.stats["activity"]["inactivity_alerts"] == len(alerts)
    assert "activity" in result.tables()
    assert "inactivity alert" in str(result)


def test_analyze_activity_is_the_same_engine_as_soleus_activity(day, result):
    """No faults, no raises: the Session's layer and soleus.activity see the same samples -> the same minutes."""
    alone = soleus.activity(day.acc, day.gyro, t=day.t_s)
    cols = ["minute", "start_s", "active_s", "still_s", "covered_s", "strides", "steps", "pumps", "pedal_cycles",
            "cycling_s"]
    pd.testing.assert_frame_equal(result.activity[cols].reset_index(drop=True), alone[cols], check_exact=False,
                                  rtol=1e-9, atol=1e-6)


def test_session_activity_minutes_stream_like_analyze(day, result):
    s = soleus.Session(channels=[], imu_rate_hz=60.0, inactivity_alert_s=ALERT_S)
    parts = []
    for k in range(0, len(day.t_s), 60 * 60):  # one minute of samples per push
        s.push_imu_block(day.t_s[k:k + 3600], day.acc[k:k + 3600], day.gyro[k:k + 3600])
        parts.append(s.activity_minutes())
    s.finish()
    parts.append(s.activity_minutes())
    live = pd.concat([p for p in parts if len(p)], ignore_index=True)
    np.testing.assert_allclose(live["active_s"], result.activity["active_s"], atol=1e-9)
    assert live["strides"].tolist() == result.activity["strides"].tolist()


def test_no_imu_no_activity():
    x, _ = soleus.sim.emg(duration_s=3, fs=1000, n_bursts=2, seed=1)
    res = soleus.analyze(emg=x, emg_fs=1000)
    assert res.activity is None and res.activity_summary() is None and "activity" not in res.tables()


# ---------------------------------------------------------------- the day plot
plt = pytest.importorskip("matplotlib.pyplot", reason="matplotlib not installed (pip install 'soleus[analysis]')")
import soleus.plot as splot  # noqa: E402


def test_day_plot_rows_cells_alerts_and_steps(result):
    act = result.activity
    ax = result.plot_day()
    try:
        im = [i for i in ax.images if i.get_gid() == "active_s_per_minute"][0]
        grid = np.ma.filled(im.get_array(), np.nan)
        assert grid.shape == (3, 60)  # one row per hour of a 3 h day, a cell per minute
        assert [t.get_text() for t in ax.get_yticklabels()] == ["00:00", "01:00", "02:00"]
        # Every minute's active seconds in its cell (the minutes start at the first sample, within 1 ms of 0 s).
        hour = np.arange(len(act)) // 60
        col = np.arange(len(act)) % 60
        np.testing.assert_allclose(grid[hour, col], act["active_s"])
        # Alert marks where the engine raised its inactivity events (not the table's own column).
        engine = np.array([e["t_s"] for e in result.events if e["type"] == "inactivity"])
        assert len(engine) >= 1
        marks = [c for c in ax.collections if c.get_gid() == "inactivity_alerts"]
        assert len(marks) == 1
        xy = marks[0].get_offsets()
        want = np.c_[np.floor((engine % 3600) / 60) + 0.5, engine // 3600]
        np.testing.assert_allclose(np.asarray(xy), want)
        # Steps per hour at the row ends, as the table sums them.
        texts = [t.get_text() for t in ax.texts if t.get_gid() == "steps_per_hour"]
        per_hour = act.groupby(hour)["steps"].sum().tolist()
        assert texts == [f"{n:,} steps" for n in per_hour]
        assert "steps" in ax.get_title() and ax.get_xlabel() == "minute of the hour"
        assert any("active seconds" in a.get_ylabel() for a in ax.figure.axes if a is not ax)  # colour bar
    finally:
        plt.close(ax.figure)


def test_day_plot_png_and_a_table_without_alerts(tmp_path, day, result):
    mpimg = pytest.importorskip("matplotlib.image")
    p = splot.plot_day(result.activity, tmp_path / "day.png", width_px=1000)
    img = mpimg.imread(p)
    assert p == os.fspath(tmp_path / "day.png") and img.shape[:2] == (3 * 30 + 170, 1000)
    assert len(np.unique((img[..., :3] * 255).astype(np.uint8).reshape(-1, 3), axis=0)) > 20
    ax = splot.plot_day(soleus.activity(day.acc[:60 * 600], day.gyro[:60 * 600], fs=60))
    try:
        assert np.ma.filled(ax.images[0].get_array(), np.nan).shape == (1, 60)
        assert not [c for c in ax.collections if c.get_gid() == "inactivity_alerts"]
    finally:
        plt.close(ax.figure)


def test_day_plot_refuses_empty_or_invalid_tables():
    good = pd.DataFrame({"start_s": [0.0, 60.0], "active_s": [10.0, 0.0], "steps": [20, 0]})
    with pytest.raises(ValueError, match="empty"):
        splot.plot_day(good.iloc[:0])
    with pytest.raises(ValueError, match="active_s"):
        splot.plot_day(good.drop(columns="active_s"))
    with pytest.raises(ValueError, match="steps"):
        splot.plot_day(good.drop(columns="steps"))
    with pytest.raises(ValueError, match="0..60"):
        splot.plot_day(good.assign(active_s=[10.0, 75.0]))
    with pytest.raises(ValueError, match="finite"):
        splot.plot_day(good.assign(start_s=[0.0, np.nan]))
    with pytest.raises(ValueError, match="expected a per-minute"):
        splot.plot_day(np.zeros((3, 3)))
    x, _ = soleus.sim.emg(duration_s=3, fs=1000, n_bursts=2, seed=1)
    with pytest.raises(ValueError, match="IMU"):
        splot.plot_day(soleus.analyze(emg=x, emg_fs=1000))


def test_cli_analyze_prints_the_day_and_writes_activity_and_day_plot(tmp_path):
    d = soleus.sim.day(hours=0.5, fs=60, seed=2, alert_s=ALERT_S, raises=False)
    p = tmp_path / "foot.csv"
    pd.DataFrame({"time_s": d.t_s, **{f"acc_{a}": d.acc[:, i] for i, a in enumerate("xyz")},
                  **{f"gyr_{a}": d.gyro[:, i] for i, a in enumerate("xyz")}}).to_csv(p, index=False)
    out_png, out_csv, out_json = tmp_path / "day.png", tmp_path / "tables", tmp_path / "r.json"
    r = subprocess.run([sys.executable, "-m", "soleus", "analyze", str(p), "--acc", "acc_x,acc_y,acc_z", "--gyro",
                        "gyr_x,gyr_y,gyr_z", "--day-plot", str(out_png), "--csv", str(out_csv), "--json",
                        str(out_json)], capture_output=True, text=True, timeout=scaled(300),
                       env=dict(os.environ, MPLBACKEND="Agg"))
    assert r.returncode == 0, r.stderr
    table = pd.read_csv(out_csv / "foot_activity.csv")
    assert len(table) == 30 and table["strides"].sum() == pytest.approx(d.strides, rel=0.02)
    assert f"{int(table['steps'].sum())} steps" in r.stdout and "foot.csv: activity:" in r.stdout
    f = json.loads(out_json.read_text())["files"][0]
    assert [m["strides"] for m in f["activity"]] == table["strides"].tolist()
    assert out_png.is_file() and out_png.stat().st_size > 5000
