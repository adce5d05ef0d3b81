"""soleus.activity: per-minute calf-pump activity from an IMU (strides, ankle pumps, stillness)."""
import numpy as np
import pytest

import soleus


def _seated(segments, fs=100.0, seed=0):
    """A seated foot: (seconds, pump range deg, Hz) segments, range 0 = still; 2 deg/s bias, noise."""
    rng = np.random.default_rng(seed)
    w = np.concatenate([np.pi * hz * rng_deg * np.sin(2 * np.pi * hz * np.arange(int(s * fs)) / fs)
                        for s, rng_deg, hz in segments])
    axis = np.array([0.48, -0.8, 0.36])
    gyro = w[:, None] * axis + [2.0, -1.0, 0.5] + 0.5 * rng.standard_normal((len(w), 3))
    acc = np.tile([0.0, 9.80665, 0.0], (len(w), 1)) + 0.05 * rng.standard_normal((len(w), 3))
    return acc, gyro


def test_minutes_of_still_pumping_still():
    acc, gyro = _seated([(60, 0, 1), (60, 20, 1.0), (60, 0, 1)])
    df = soleus.activity(acc, gyro, fs=100.0)
    assert list(df["minute"]) == [0, 1, 2]
    assert df["active_s"].tolist() == pytest.approx([0.0, 60.0, 0.0], abs=1.5)
    assert df["pumps"][1] >= 59 and df["pumps"][0] == 0 and df["pumps"][2] == 0
    assert df["strides"].sum() == 0 and df["steps"].sum() == 0
    assert df["still_s"][0] == pytest.approx(58.0, abs=0.2)
    pumps = df.attrs["pumps"]
    assert len(pumps) == df["pumps"].sum()
    assert pumps["range_deg"].median() == pytest.approx(20.0, rel=0.15)


def test_units_g_and_rad_per_s_give_the_same_table():
    acc, gyro = _seated([(30, 0, 1), (60, 25, 1.0)], seed=1)
    a = soleus.activity(acc, gyro, fs=100.0)
    b = soleus.activity(acc / 9.80665, np.deg2rad(gyro), fs=100.0, acc_unit="g", gyro_unit="rad/s")
    assert a[["strides", "pumps"]].equals(b[["strides", "pumps"]])
    assert np.allclose(a["active_s"], b["active_s"], atol=0.05)


def test_real_walking_foot_imu_strides(real_data):
    import pandas as pd

    d = real_data / "walking_foot_imu"
    raw = pd.read_csv(d / "imu_sample.csv", header=[0, 1], index_col=0)
    borders = pd.read_csv(d / "stride_borders_sample.csv")
    fs = 204.8
    for foot in ("left", "right"):
        s = raw[f"{foot}_sensor"]
        df = soleus.activity(s[["acc_x", "acc_y", "acc_z"]].to_numpy(), s[["gyr_x", "gyr_y", "gyr_z"]].to_numpy(),
                             fs=fs)
        ev = df.attrs["strides"]["t_s"].to_numpy()
        starts = borders.loc[borders["foot"] == foot, "start"].to_numpy() / fs
        err_ms = np.array([np.min(np.abs(ev - x)) for x in starts]) * 1000.0
        assert np.median(err_ms) <= 50.0, foot
        # Every labelled stride found; the extra detections are the unlabelled turn, first and last strides.
        assert len(starts) <= df["strides"].sum() <= len(starts) + 4, foot
        assert df["pumps"].sum() == 0
        assert df["pedal_cycles"].sum() == 0 and df["cycling_s"].sum() == 0.0  # walking is not cycling
        assert df["active_s"].sum() > 30.0


def _rocking(seconds, hz, range_deg, r_m, crank_m, fs=100.0, seed=0):
    """Closed-form planar foot: pitch 15 deg + (range/2) sin(w t) about a pivot r_m behind the sensor, the pivot
    on a crank circle of crank_m (0: a seated pump); sensor axes permuted (any mounting); noise and gyro bias."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * fs)) / fs
    w, amp = 2 * np.pi * hz, np.deg2rad(range_deg) / 2
    th = np.deg2rad(15.0) + amp * np.sin(w * t)
    thd, thdd = amp * w * np.cos(w * t), -amp * w * w * np.sin(w * t)
    ax = r_m * (-np.sin(th) * thdd - np.cos(th) * thd**2) - crank_m * w * w * np.cos(w * t)
    az = r_m * (-np.cos(th) * thdd + np.sin(th) * thd**2) - crank_m * w * w * np.sin(w * t) + 9.80665
    bx, bz = np.cos(th) * ax - np.sin(th) * az, np.sin(th) * ax + np.cos(th) * az
    acc = np.c_[bz, -bx, 0 * t] + 0.2 * rng.standard_normal((len(t), 3))
    gyro = np.c_[0 * t, 0 * t, np.rad2deg(thd)] + 2.0 + 0.5 * rng.standard_normal((len(t), 3))
    return acc, gyro


def test_pedalling_is_cycling_not_pumps():
    """The slowest pedalling with the largest rocking (0.8 Hz, 40 deg, 0.17 m crank) is cycling; the fastest,
    largest pump with the sensor 0.2 m from the ankle is a pump (include/soleus/imu/pumps.hpp's margins)."""
    acc, gyro = _rocking(120, 0.8, 40, 0.05, 0.17)
    df = soleus.activity(acc, gyro, fs=100.0)
    assert df["pumps"].sum() == 0
    assert 0.8 * 120 - 2 <= df["pedal_cycles"].sum() <= 0.8 * 120
    assert df["cycling_s"].sum() == pytest.approx(120.0, abs=3.0)
    assert df["active_s"].sum() == pytest.approx(120.0, abs=3.0)
    cyc = df.attrs["pedal_cycles"]
    assert len(cyc) == df["pedal_cycles"].sum() and (cyc["lever_m"] > 0.38).all()
    acc, gyro = _rocking(60, 1.5, 40, 0.2, 0.0)
    df = soleus.activity(acc, gyro, fs=100.0)
    assert df["pedal_cycles"].sum() == 0 and df["cycling_s"].sum() == 0.0
    assert df["pumps"].sum() >= 1.5 * 60 - 2


def test_bad_arguments_name_themselves():
    acc, gyro = _seated([(5, 0, 1)])
    with pytest.raises(ValueError, match="gyro_unit"):
        soleus.activity(acc, gyro, fs=100.0, gyro_unit="rpm")
    with pytest.raises(ValueError, match="fs"):
        soleus.activity(acc, gyro)
    with pytest.raises(ValueError, match="nonsense"):
        soleus.activity(acc, gyro, fs=100.0, nonsense=1.0)
    with pytest.raises(ValueError, match="gyro"):
        soleus.activity(acc, gyro[:10], fs=100.0)


def test_session_counts_ankle_pumps_as_activity():
    acc, gyro = _seated([(20, 0, 1), (60, 25, 1.0)], seed=3)
    s = soleus.Session(channels=[], imu_rate_hz=100.0, inactivity_alert_s=30.0)
    t = np.arange(len(acc)) / 100.0
    s.push_imu_block(t, acc, gyro)
    a = s.activity
    assert a["pumps"] >= 59 and a["strides"] == 0
    assert a["active_s"] == pytest.approx(60.0, abs=1.5)
