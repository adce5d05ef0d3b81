"""soleus.Session and soleus.analyze from Python: arguments, events, live state, GIL, ground truth."""
import sys
import threading

import numpy as np
import pytest

import soleus
from session_data import heel_raise_with_emg
from timeouts import scaled


@pytest.fixture(scope="module")
def data():
    sim, emg, t = heel_raise_with_emg(seed=5, n_sets=1, reps_per_set=4)
    return sim, emg, t


def two_channel():
    return soleus.Session(channels=["soleus", "gm"], muscles=["soleus", "gastrocnemius_medialis"])


def test_config_defaults_and_bad_settings_name_the_field():
    d = soleus.Session.defaults()
    assert d["emg_rate_hz"] == 2000.0 and d["imu_rate_hz"] == 100.0 and d["emg_channels"] == 1
    assert d["imu_reps"]["set_gap_s"] == 15.0 and "mains_hz" in d["emg"]
    s = soleus.Session(channels=["so", "gm"], muscles=["soleus", "gastrocnemius_medialis"], emg_rate_hz=1000,
                       emg={"mains_hz": 60.0}, imu_reps={"placement": "shank", "set_gap_s": 20.0})
    c = s.config
    assert c["channels"] == ["so", "gm"] and c["muscles"] == ["soleus", "gastrocnemius_medialis"]
    assert c["emg"]["mains_hz"] == 60.0 and c["imu_reps"]["set_gap_s"] == 20.0
    assert c["imu_reps"]["placement"] == "shank"
    assert soleus.Session(channels=[]).emg_channels == 0  # IMU only
    for kw, name in ((dict(emg_rate_hz=100), "emg_rate_hz"), (dict(imu_rate_hz=5000), "imu_rate_hz"),
                     (dict(bogus=1), "bogus"), (dict(emg={"nope": 1}), "nope"),
                     (dict(imu_reps={"placement": "hand"}), "imu_reps.placement"),
                     (dict(channels=["a", "b"], muscles=["soleus"]), "muscles"),
                     (dict(muscles=["heart"]), "muscles"), (dict(emg_channels=9), "emg_channels"),
                     (dict(gap_factor="x"), "gap_factor"), (dict(channels=[1, 2]), "channels"),
                     (dict(channels=[], muscles=["soleus"]), "muscles"),
                     (dict(channels=[], imu_enabled=False), "emg_channels, imu_enabled")):
        with pytest.raises(ValueError, match=name):
            soleus.Session(**kw)


def test_block_push_arguments_are_checked_and_named():
    s = two_channel()
    t = np.arange(10) / 2000
    with pytest.raises(ValueError, match=r"frames: expected shape \(n, 2\)"):
        s.push_emg_block(t, np.zeros((10, 3)))
    with pytest.raises(ValueError, match="frames: dtype int64"):
        s.push_emg_block(t, np.zeros((10, 2), dtype=np.int64))
    with pytest.raises(ValueError, match="t: expected 10 time stamps"):
        s.push_emg_block(t[:9], np.zeros((10, 2)))
    with pytest.raises(ValueError, match="acc: expected shape"):
        s.push_imu_block(t, np.zeros((10, 2)), np.zeros((10, 3)))
    with pytest.raises(ValueError, match="gyro: dtype complex128"):
        s.push_imu_block(t, np.zeros((10, 3)), np.zeros((10, 3), complex))
    with pytest.raises(ValueError, match="frame: expected 2 values"):
        s.push_emg(0.0, [1.0])
    assert s.push_emg_block(t, np.zeros((10, 2), np.float32)) == "ok"
    assert s.push_emg_block(t + 0.005, np.zeros((10, 2), np.float64)) == "ok"
    with pytest.raises(ValueError, match="frames: this session has no EMG"):
        soleus.Session(emg_channels=0).push_emg_block(t, np.zeros((10, 1)))
    with pytest.raises(ValueError, match="acc: this session has no IMU"):
        soleus.Session(imu_enabled=False).push_imu(0.0, [0, 0, 9.8], [0, 0, 0])


def test_analyze_arguments_are_checked_and_named(data):
    sim, emg, t = data
    with pytest.raises(ValueError, match="emg_fs: needed"):
        soleus.analyze(emg)
    with pytest.raises(ValueError, match="emg_fs: 1000 Hz does not match the time stamps in t_emg"):
        soleus.analyze(emg, 1000.0, t_emg=t)
    with pytest.raises(ValueError, match="imu_fs: 200 Hz does not match"):
        soleus.analyze(acc=sim.acc, gyro=sim.gyro, imu_fs=200.0, t_imu=sim.t_s)
    with pytest.raises(ValueError, match="emg_fs: sampling rate must be a positive"):
        soleus.analyze(emg, -5)
    with pytest.raises(ValueError, match="gyro: the IMU needs both"):
        soleus.analyze(acc=sim.acc, imu_fs=100)
    with pytest.raises(ValueError, match=r"acc: expected shape \(n, 3\)"):
        soleus.analyze(acc=sim.acc[:, :2], gyro=sim.gyro, imu_fs=100)
    with pytest.raises(ValueError, match="emg: expected a real numeric array"):
        soleus.analyze(emg.astype(complex), 2000)
    with pytest.raises(ValueError, match="channels: 1 names for 2 EMG channels"):
        soleus.analyze(emg, 2000, channels=["a"])
    with pytest.raises(ValueError, match="emg, acc: nothing to analyze"):
        soleus.analyze()


def test_single_frames_equal_blocks_and_events_poll(data):
    sim, emg, t = data
    n = 30000  # 15 s: the first rep and its burst
    a, b = two_channel(), two_channel()
    j = 0
    for i in range(0, n, 500):
        while j < len(sim.t_s) and sim.t_s[j] <= t[i]:
            a.push_imu_block(sim.t_s[j:j + 1], sim.acc[j:j + 1], sim.gyro[j:j + 1])
            b.push_imu(sim.t_s[j], sim.acc[j], sim.gyro[j])
            j += 1
        a.push_emg_block(t[i:i + 500], emg[i:i + 500])
        for k in range(i, min(n, i + 500)):
            b.push_emg(t[k], emg[k])
    ea = a.events()
    eb = []
    while (e := b.poll()) is not None:
        eb.append(e)
    assert [e["type"] for e in ea] == [e["type"] for e in eb]
    assert [e["t_s"] for e in ea] == [e["t_s"] for e in eb]
    types = [e["type"] for e in ea]
    assert "axis_found" in types and "rep_completed" in types and types.count("burst_onset") >= 2
    assert a.poll() is None and a.events() == []


def test_live_state_and_mvc(data):
    sim, emg, t = data
    s = two_channel()
    assert s.phase == "rest" and not s.axis_found and s.events_dropped == 0
    j = 0
    phases = set()
    for i in range(0, 40000, 200):
        while j < len(sim.t_s) and sim.t_s[j] <= t[i]:
            s.push_imu(sim.t_s[j], sim.acc[j], sim.gyro[j])
            phases.add(s.phase)
            j += 1
        s.push_emg_block(t[i:i + 200], emg[i:i + 200])
    assert {"rest", "concentric", "top", "eccentric"} <= phases
    assert s.axis_found and s.imu_state["axis_confidence"] > 0.5
    assert s.activation.shape == (2,) and s.envelope.shape == (2,)
    q = s.quality
    assert len(q) == 2 and set(q[0]) >= {"saturated", "flat", "mains", "motion", "low_snr", "nonfinite", "good"}
    assert s.emg_stream["accepted"] == 40000 and s.imu_stream["accepted"] == j
    assert s.activity["active_s"] > 0 and s.time_s == pytest.approx(t[39999])
    assert not s.mvc_calibrated
    # MVC: a strong contraction bracketed by begin/end -> calibrated, %MVC below 100 in a rep.
    m = soleus.Session(channels=["soleus"], imu_enabled=False)
    x, _ = soleus.sim.emg(duration_s=6, fs=2000, bursts=[(1.0, 5.0, 1.0)], amplitude_mv=2.0, seed=2)
    tt = np.arange(len(x)) / 2000
    m.push_emg_block(tt[:2000], x[:2000, None])
    m.begin_mvc()
    m.push_emg_block(tt[2000:10000], x[2000:10000, None])
    m.end_mvc()
    assert m.mvc_calibrated
    s.state()  # every getter in one dict


def test_block_push_releases_the_gil():
    """Another thread runs Python while one thread is inside push_emg_block.

    The switch interval is set far beyond the push's duration, so a push that held the GIL would keep it
    until it returned: the main thread could only wake after `finished` is set. Seeing it unset proves
    the release, on a fast machine or a slow one (no wall-clock threshold). A released GIL can still
    lose the race to a descheduled main thread, so a pass needs one observation out of three tries; a
    held GIL can never produce one."""
    x = np.random.default_rng(0).standard_normal((1_200_000, 8)).astype(np.float32)
    t = np.arange(len(x)) / 2000
    names = [f"c{i}" for i in range(8)]
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(60.0)
    observed_inside = []
    try:
        for _ in range(3):
            s = soleus.Session(channels=names, imu_enabled=False)
            started, finished = threading.Event(), threading.Event()

            def push(s=s, started=started, finished=finished):
                started.set()
                s.push_emg_block(t, x)
                finished.set()

            th = threading.Thread(target=push)
            th.start()
            started.wait()
            observed_inside.append(not finished.is_set())
            th.join()
            assert s.emg_stream["accepted"] == len(x)
            if observed_inside[-1]:
                break
    finally:
        sys.setswitchinterval(old_interval)
    assert any(observed_inside), observed_inside


def test_analyze_result_tables_against_the_truth(data, tmp_path):
    sim, emg, t = data
    res = soleus.analyze(emg, 2000, sim.acc, sim.gyro, 100, t_emg=t, t_imu=sim.t_s, channels=["soleus", "gm"],
                         muscles=["soleus", "gastrocnemius_medialis"])
    assert len(res.reps) == len(sim.reps) == 4 and len(res.sets) == 1
    np.testing.assert_allclose(res.reps["start_s"], sim.reps["start_s"], atol=0.05)
    np.testing.assert_allclose(res.reps["concentric_s"], sim.reps["concentric_s"], atol=0.15)
    np.testing.assert_allclose(res.reps["eccentric_s"], sim.reps["eccentric_s"], atol=0.3)
    assert res.reps["rest_s"].isna().tolist() == [False, False, False, True]
    assert (res.reps["set"] == 0).all()
    # The EMG is on from 0.1 s before heel-off to the end of the lowering: the soleus onset leads.
    assert ((res.reps["soleus_onset_rel_s"] > -0.2) & (res.reps["soleus_onset_rel_s"] < 0.05)).all()
    assert (res.reps["soleus_pct_mvc_concentric"] > 20).all()
    b = res.bursts[res.bursts["channel"] == 0]
    np.testing.assert_allclose(b["onset_s"], sim.reps["start_s"] - 0.1, atol=0.08)
    np.testing.assert_allclose(b["offset_s"], sim.reps["end_s"], atol=0.15)
    act = res.activation
    assert list(act.columns) == ["t_s", "soleus_envelope", "soleus_pct_mvc", "gm_envelope", "gm_pct_mvc",
                                 "calibrated"]
    assert not act["calibrated"].any() and not res.calibrated  # no MVC given: % of the running peak
    assert abs(np.median(np.diff(act["t_s"])) - 0.01) < 1e-9  # ~100 Hz
    # Envelope high inside bursts, low outside.
    inside = np.zeros(len(act), bool)
    for r in sim.reps.itertuples():
        inside |= (act["t_s"] > r.start_s + 0.3) & (act["t_s"] < r.end_s - 0.3)
    assert act["soleus_envelope"][inside].median() > 5 * act["soleus_envelope"][~inside & (act["t_s"] > 1)].median()
    ang = res.angle
    assert len(ang) == len(sim.t_s) and set(ang["phase"]) >= {"rest", "concentric", "top", "eccentric"}
    settled = ang["t_s"] > sim.reps["top_s"].iloc[0] + 1  # after the axis lock
    np.testing.assert_allclose(ang["angle_deg"][settled], sim.angle_deg[settled.to_numpy()], atol=3.0)
    summ = res.summary()
    assert summ["n_reps"].tolist() == [4, 4] and summ["n_bursts"].tolist() == [4, 4]
    text = str(res)
    assert "Repetitions (4)" in text and "Sets (1)" in text
    pytest.importorskip("matplotlib")
    assert res.plot(tmp_path / "r.png") == str(tmp_path / "r.png")
    fig = res.plot()
    assert len(fig.axes) == 3


def test_real_walking_calf_emg_soleus_bursts_fall_in_stance(real_data, tmp_path):
    """soleus analyze on real treadmill-walking EMG: one soleus burst per stance (touchdown V1 .. lift-off V2)."""
    import json
    import subprocess
    import sys

    import pandas as pd

    emg = real_data / "walking_calf_emg" / "emg.csv"
    cycles = real_data / "walking_calf_emg" / "gait_cycles.csv"
    if not emg.is_file() or not cycles.is_file():
        pytest.skip(f"walking calf EMG not found under {real_data / 'walking_calf_emg'}")
    out = tmp_path / "w.json"
    r = subprocess.run([sys.executable, "-m", "soleus", "analyze", str(emg), "--emg", "SO,GM,GL,TA", "--emg-unit",
                        "uV", "--json", str(out)], capture_output=True, text=True, timeout=scaled(300))
    assert r.returncode == 0, r.stderr
    b = pd.DataFrame(json.loads(out.read_text())["files"][0]["bursts"])
    so = b[b["channel_name"] == "SO"].sort_values("onset_s")
    gait = pd.read_csv(cycles)
    # Seven soleus bursts: a first one from a stance that began before the recording, then one per cycle.
    assert len(so) == 7
    assert so["offset_s"].iloc[0] < gait["V1"].iloc[0]
    for (on, off), (td, lo) in zip(so[["onset_s", "offset_s"]].to_numpy()[1:], gait[["V1", "V2"]].to_numpy()):
        assert td - 0.05 <= on <= td + 0.3, (on, td)
        assert lo - 0.4 <= off <= lo + 0.05, (off, lo)


def test_real_walking_foot_imu_gives_no_heel_raises(real_data):
    """Walking is not heel raising: the Session reports no reps on a real foot IMU (both feet)."""
    import soleus.io as sio

    path = real_data / "walking_foot_imu" / "imu_sample.csv"
    if not path.is_file():
        pytest.skip(f"walking foot IMU not found at {path}")
    for side in ("left", "right"):
        rec = sio.read_csv(path, {"acc": [f"{side}_sensor/acc_{a}" for a in "xyz"],
                                  "gyro": [f"{side}_sensor/gyr_{a}" for a in "xyz"]},
                           header_rows=2, fs=204.8, units={"acc": "m/s^2", "gyro": "deg/s"})
        res = soleus.analyze(acc=rec.acc.data, gyro=rec.gyro.data, imu_fs=rec.acc.fs)
        assert len(res.angle) == rec.acc.n_samples > 7000
        assert len(res.reps) == 0 and len(res.sets) == 0
        assert np.all(np.isfinite(res.angle["angle_deg"]))
        # Heel strikes beyond the default 16 g range are reported, not hidden.
        assert set(res.quality["flag"]) <= {"saturated"}


def test_utf8_channel_names_are_cut_at_a_character_boundary():
    # Issue 12 item 9: 15 bytes kept; "µ" is bytes 15-16 of this name.
    name = "M.soleus_sin_[µV]"
    s = soleus.Session(channels=[name, "ü" * 9], imu_enabled=False)
    assert s.channels == ["M.soleus_sin_[", "ü" * 7]
    assert s.push_emg_block(np.arange(10) / 2000.0, np.zeros((10, 2), np.float32)) == "ok"
    s.events()


@pytest.mark.parametrize("kwargs, arg", [(dict(emg=5), "emg"), (dict(imu_reps="x"), "imu_reps")])
def test_nested_settings_that_are_not_dicts_are_value_errors(kwargs, arg):
    with pytest.raises(ValueError, match=f"^{arg}:"):
        soleus.Session(**kwargs)


@pytest.mark.parametrize("t", [None, "1.0", True, [1.0]])
def test_single_push_with_a_bad_time_stamp_is_a_value_error_naming_t(t):
    s = soleus.Session(channels=["sol"])
    with pytest.raises(ValueError, match="^t:"):
        s.push_emg(t, [0.0])
    with pytest.raises(ValueError, match="^t:"):
        s.push_imu(t, [0, 0, 9.81], [0, 0, 0])


def test_emg_rate_range_is_what_the_docs_say():
    # Issue 12 item 10: only 901..10 244 Hz worked with the defaults.
    for fs in (901.0, 2000.0, 10245.0, 20000.0):
        s = soleus.Session(channels=["sol"], emg_rate_hz=fs, imu_enabled=False)
        assert s.push_emg_block(np.arange(100) / fs, np.zeros((100, 1), np.float32)) == "ok"
    for fs in (500.0, 900.0, 20001.0):
        with pytest.raises(ValueError, match="^emg_rate_hz:"):
            soleus.Session(channels=["sol"], emg_rate_hz=fs, imu_enabled=False)


def test_resync_after_samples_beyond_int_is_a_value_error_saying_so():
    with pytest.raises(ValueError, match="^resync_after_samples: out of the int range"):
        soleus.Session(resync_after_samples=2**40)
