"""soleus.segment_reps: the whole IMU chain (C++) against the simulator's ground truth."""
import numpy as np
import pandas as pd
import pytest

import soleus

G = 9.80665


def _match(df, truth):
    """Detected row whose [start, end] overlaps each true rep most (index or -1)."""
    out = []
    for _, g in truth.iterrows():
        ov = np.minimum(df.end_s.values, g.end_s) - np.maximum(df.start_s.values, g.start_s)
        out.append(int(np.argmax(ov)) if len(ov) and ov.max() > 0 else -1)
    return out


def _boundary_errors_ms(df, truth):
    errs = []
    for i, (_, g) in zip(_match(df, truth), truth.iterrows()):
        assert i >= 0
        d = df.iloc[i]
        for c in ("start_s", "top_s", "lower_start_s", "end_s"):
            errs.append(1e3 * abs(d[c] - g[c]))
    return np.array(errs)


@pytest.mark.parametrize("fs,seed", [(100, 1), (200, 2), (100, 3)])
def test_foot_session_reps_and_boundaries(fs, seed):
    s = soleus.sim.heel_raise_session(fs=fs, n_sets=2, reps_per_set=8, rise_s=(0.3, 4.0), lower_s=(0.3, 4.0),
                                      top_hold_s=(0.0, 5.0), rom_deg=(10, 40), gyro_bias_max_dps=3.0, seed=seed)
    acc, gyro, truth = s
    df = soleus.segment_reps(acc, gyro, fs=fs, placement="foot")
    assert isinstance(df, pd.DataFrame)
    for c in ("rep", "start_s", "top_s", "lower_start_s", "end_s", "concentric_s", "hold_s", "eccentric_s",
              "rom_deg", "partial", "rest_s", "concentric_peak_dps", "eccentric_mean_dps", "heel_rise_m", "work_j"):
        assert c in df.columns, c
    assert len(df) == len(truth)
    e = _boundary_errors_ms(df, truth)
    assert np.median(e) <= 20.0
    assert np.percentile(e, 95) <= 60.0
    assert df.attrs["axis_found"]
    assert np.dot(df.attrs["axis_sensor"], s.sagittal_axis) > 0.99
    sets = df.attrs["sets"]
    assert list(sets.rep_count) == [8, 8]
    assert (df.concentric_s - (df.top_s - df.start_s)).abs().max() < 1e-9
    np.testing.assert_allclose(df.rom_deg.values, truth.rom_deg.values[_match(df, truth)], atol=1.5)


def test_auto_placement_counts_foot_reps():
    acc, gyro, truth = soleus.sim.heel_raise_session(fs=100, seed=5)
    df = soleus.segment_reps(acc, gyro, fs=100)  # placement='auto'
    assert len(df) == len(truth)


def test_units_g_and_rad_per_s_give_the_same_reps():
    acc, gyro, truth = soleus.sim.heel_raise_session(fs=100, seed=4)
    a = soleus.segment_reps(acc, gyro, fs=100)
    b = soleus.segment_reps(acc / G, np.deg2rad(gyro), fs=100, acc_unit="g", gyro_unit="rad/s")
    assert len(a) == len(b) == len(truth)
    # float32 engine: unit conversion changes the last bits only
    np.testing.assert_allclose(a.start_s, b.start_s, atol=0.01)
    np.testing.assert_allclose(a.end_s, b.end_s, atol=0.01)
    np.testing.assert_allclose(a.rom_deg, b.rom_deg, atol=0.1)


def test_t_equals_fs_and_irregular_timestamps():
    fs = 100.0
    s = soleus.sim.heel_raise_session(fs=fs, seed=6)
    acc, gyro, truth = s
    a = soleus.segment_reps(acc, gyro, fs=fs)
    b = soleus.segment_reps(acc, gyro, t=np.arange(len(acc)) / fs)
    pd.testing.assert_frame_equal(a, b)
    # Jittered stamps and dropped samples (the simulator's transport defects).
    j = soleus.sim.heel_raise_session(fs=fs, seed=6, timestamp_jitter_s=0.002, dropout_rate_per_s=0.05)
    c = soleus.segment_reps(j.acc, j.gyro, t=j.t_s)
    assert len(c) == len(j.reps)
    assert np.median(_boundary_errors_ms(c, j.reps)) <= 20.0


def test_shank_placement_counts_reps():
    acc, gyro, truth = soleus.sim.heel_raise_session(fs=100, placement="shank", posture="standing", seed=2,
                                                     partial_probability=0.0)
    df = soleus.segment_reps(acc, gyro, fs=100, placement="shank")
    assert len(df) == len(truth)
    # scaled to foot degrees: within ~20 % of the foot's excursion
    assert abs(np.median(df.rom_deg) / np.median(truth.rom_deg) - 1.0) < 0.2


def test_explicit_axis():
    s = soleus.sim.heel_raise_session(fs=100, seed=7)
    df = soleus.segment_reps(s.acc, s.gyro, fs=100, axis=s.sagittal_axis, placement="foot")
    assert df.attrs["axis_explicit"]
    assert len(df) == len(s.reps)


def test_settings_pass_through():
    s = soleus.sim.heel_raise_session(fs=100, seed=8)
    a = soleus.segment_reps(s.acc, s.gyro, fs=100, body_mass_kg=70.0)
    b = soleus.segment_reps(s.acc, s.gyro, fs=100, body_mass_kg=140.0)
    np.testing.assert_allclose(b.work_j, 2 * a.work_j, rtol=1e-9)


def test_errors_name_the_argument():
    acc, gyro, _ = soleus.sim.heel_raise_session(fs=100, n_sets=1, reps_per_set=2, seed=1)
    with pytest.raises(ValueError, match=r"^fs:"):
        soleus.segment_reps(acc, gyro)
    with pytest.raises(ValueError, match=r"^fs:"):
        soleus.segment_reps(acc, gyro, fs=100, t=np.arange(len(acc)) / 100)
    with pytest.raises(ValueError, match=r"^acc:"):
        soleus.segment_reps(acc[:, :2], gyro, fs=100)
    with pytest.raises(ValueError, match=r"^gyro:"):
        soleus.segment_reps(acc, gyro[:-1], fs=100)
    with pytest.raises(ValueError, match=r"^t:"):
        soleus.segment_reps(acc, gyro, t=np.zeros(len(acc)))
    with pytest.raises(ValueError, match=r"^acc_unit:"):
        soleus.segment_reps(acc, gyro, fs=100, acc_unit="mg")
    with pytest.raises(ValueError, match=r"^gyro_unit:"):
        soleus.segment_reps(acc, gyro, fs=100, gyro_unit="rpm")
    with pytest.raises(ValueError, match=r"^placement:"):
        soleus.segment_reps(acc, gyro, fs=100, placement="knee")
    with pytest.raises(ValueError, match=r"^min_excursoin_deg:"):
        soleus.segment_reps(acc, gyro, fs=100, min_excursoin_deg=3.0)
    with pytest.raises(ValueError, match=r"^min_excursion_deg:"):
        soleus.segment_reps(acc, gyro, fs=100, min_excursion_deg=-1.0)
    with pytest.raises(ValueError, match=r"^axis:"):
        soleus.segment_reps(acc, gyro, fs=100, axis=(0, 0, 0))


def test_no_motion_gives_empty_table_with_columns():
    n = 2000
    acc = np.tile([0.0, 0.0, G], (n, 1)) + np.random.default_rng(0).normal(0, 0.03, (n, 3))
    gyro = np.random.default_rng(1).normal(0, 0.1, (n, 3))
    df = soleus.segment_reps(acc, gyro, fs=100)
    assert len(df) == 0
    assert "rom_deg" in df.columns
    assert not df.attrs["axis_found"]


# ---------------------------------------------------------------- coupled EMG in the simulator


def _phase_rms_pct(s, ch, phase):
    """RMS level (%MVC, noise variance removed) of channel ch inside each true phase, pooled over reps,
    and the truth activation's RMS over the same samples."""
    lead, margin = 0.05, 0.07
    x, act, t = s.emg[:, ch], s.emg_activation_pct_mvc[:, ch], s.emg_t_s
    sel = np.zeros(len(t), dtype=bool)
    reps = s.reps
    for i, r in reps.iterrows():
        if phase == "rest":
            if i + 1 >= len(reps) or reps.set[i + 1] != r.set:
                continue
            a, b = r.end_s, reps.start_s[i + 1]
        else:
            a, b = {"concentric": (r.start_s, r.top_s), "hold": (r.top_s, r.lower_start_s),
                    "eccentric": (r.lower_start_s, r.end_s)}[phase]
        sel |= (t >= a - lead + margin) & (t < b - lead - margin)
    return sel, np.sqrt(np.mean(x[sel] ** 2)), np.sqrt(np.mean(act[sel] ** 2))


def test_sim_emg_fields_and_backward_compatibility():
    plain = soleus.sim.heel_raise_session(fs=100, seed=4)
    s = soleus.sim.heel_raise_session(fs=100, seed=4, emg=True)
    assert plain.emg is None and plain.emg_fs is None
    np.testing.assert_array_equal(plain.acc, s.acc)  # EMG never changes the IMU arrays
    np.testing.assert_array_equal(plain.gyro, s.gyro)
    acc, gyro, reps = s  # still unpacks as before
    assert s.emg_channels == ("soleus", "gastrocnemius")
    assert s.emg.shape == (len(s.emg_t_s), 2) and s.emg_fs == 2000.0
    # Same span as the IMU: through the last IMU sample's period.
    assert s.emg_t_s[0] == s.t_s[0] and abs(s.emg_t_s[-1] - (s.t_s[-1] + 1 / s.fs - 1 / s.emg_fs)) < 1e-9
    assert s.emg_activation_pct_mvc.shape == s.emg.shape
    assert s.emg_mvc.shape == (int(7 * 2000), 2)
    for c in ("soleus_concentric_pct_mvc", "gastrocnemius_eccentric_pct_mvc", "soleus_rest_pct_mvc"):
        assert c in reps.columns
    assert list(s.emg_levels.columns) == ["concentric", "hold", "eccentric", "rest"]
    s1k = soleus.sim.heel_raise_session(fs=100, seed=4, emg=True, emg_fs=1000)
    assert s1k.emg_fs == 1000.0 and abs(len(s1k.emg_t_s) - len(s.emg_t_s) / 2) <= 1
    with pytest.raises(ValueError, match="unknown EMG setting"):
        soleus.sim.heel_raise_session(fs=100, emg={"nope": 1})


def test_sim_emg_phase_levels_from_the_signal():
    s = soleus.sim.heel_raise_session(fs=100, seed=6, emg=True, emg_snr_db=30, partial_probability=0)
    for ch in (0, 1):
        levels = {}
        for ph in ("concentric", "hold", "eccentric", "rest"):
            sel, rms, truth = _phase_rms_pct(s, ch, ph)
            noise = 0.01 * s.emg_mvc_rms_mv[ch] * s.emg_levels.iloc[ch]["concentric"] / 10 ** (30 / 20)
            got = 100 * np.sqrt(max(rms ** 2 - noise ** 2, 0)) / s.emg_mvc_rms_mv[ch]
            assert got == pytest.approx(truth, rel=0.08, abs=0.3), (ch, ph)
            levels[ph] = got
        assert levels["concentric"] > levels["hold"] > levels["eccentric"] > 2 * levels["rest"]


def test_sim_emg_soleus_share_seated_vs_standing():
    def ratio(posture):
        s = soleus.sim.heel_raise_session(fs=100, seed=8, emg=True, placement="shank", posture=posture)
        return _phase_rms_pct(s, 0, "concentric")[1] / _phase_rms_pct(s, 1, "concentric")[1], s

    r_stand, st = ratio("standing")
    r_seat, se = ratio("seated")
    r_wall, wa = ratio("wall_sit")
    assert st.knee_flexion_deg == 0 and se.knee_flexion_deg == 90 and wa.knee_flexion_deg == 90
    assert r_seat / r_stand == pytest.approx(1 / 0.45, rel=0.12)
    assert r_wall / r_stand == pytest.approx(1 / 0.45, rel=0.12)
    # explicit knee angle: half-way
    s45 = soleus.sim.heel_raise_session(fs=100, seed=8, emg={"knee_flexion_deg": 45})
    assert s45.emg_levels.loc["gastrocnemius", "concentric"] == pytest.approx(22 * (1 - 0.55 / 2))


def test_sim_emg_seeds_reproducible():
    a = soleus.sim.heel_raise_session(fs=100, seed=2, emg=True, emg_mains_amplitude_mv=0.1)
    b = soleus.sim.heel_raise_session(fs=100, seed=2, emg=True, emg_mains_amplitude_mv=0.1)
    c = soleus.sim.heel_raise_session(fs=100, seed=2, emg=True, emg_mains_amplitude_mv=0.1, emg_seed=99)
    np.testing.assert_array_equal(a.emg, b.emg)
    assert not np.array_equal(a.emg, c.emg)
    np.testing.assert_array_equal(a.emg_activation_pct_mvc.shape, c.emg_activation_pct_mvc.shape)
# ---------------------------------------------------------------- EMG-only repetitions


@pytest.mark.parametrize("posture,placement,seed", [("standing", "foot", 3), ("seated", "shank", 4)])
def test_segment_reps_emg_counts_sim_reps(posture, placement, seed):
    s = soleus.sim.heel_raise_session(fs=100, seed=seed, emg=True, posture=posture, placement=placement,
                                      n_sets=2, reps_per_set=8, partial_probability=0, rest_between_sets_s=30)
    df = soleus.segment_reps_emg(s.emg, s.emg_fs, mvc=s.emg_mvc[:, 0])
    assert (df.source == "emg").all() and (df.confidence == "low").all()
    assert df.attrs["calibrated"]
    assert len(df) == len(s.reps)
    for c in ("rep", "set", "start_s", "top_s", "lower_start_s", "end_s", "concentric_s", "eccentric_s", "rest_s",
              "rom_deg", "partial", "isometric", "completed_at_s", "peak_pct_mvc"):
        assert c in df.columns
    assert df.rom_deg.isna().all()
    assert list(df.attrs["sets"].rep_count) == [8, 8]
    # Activation edges vs the true movement (the EMG leads it by 0.05 s): measured ~80 ms median.
    m = _match(df, s.reps)
    assert min(m) >= 0 and len(set(m)) == len(m)
    err = np.abs(np.r_[df.start_s.values[m] - s.reps.start_s.values, df.end_s.values[m] - s.reps.end_s.values])
    assert np.median(err) < 0.12 and np.percentile(err, 95) < 0.2
    # peak %MVC near the prescribed concentric level (calibrated on the sim's MVC recording)
    lvl = s.emg_levels.loc["soleus", "concentric"]
    assert np.median(df.peak_pct_mvc) == pytest.approx(lvl, rel=0.25)


def test_segment_reps_emg_envelope_input_and_errors():
    s = soleus.sim.heel_raise_session(fs=100, seed=5, emg=True, partial_probability=0)
    df = soleus.segment_reps_emg(s.emg_activation_pct_mvc, s.emg_fs, envelope_pct=True)
    assert len(df) == len(s.reps)
    assert df.attrs["delay_s"] == 0.0
    # the truth activation (no envelope delay, no ripple): edges at the activation's own edges
    np.testing.assert_allclose(df.start_s.values, s.reps.start_s.values - 0.05 - 0.05, atol=0.06)
    with pytest.raises(ValueError, match="method"):
        soleus.segment_reps_emg(s.emg, s.emg_fs, method="nope")
    with pytest.raises(ValueError):
        soleus.segment_reps_emg(s.emg, s.emg_fs, channel=5)
    with pytest.raises(ValueError):
        soleus.segment_reps_emg(s.emg, s.emg_fs, no_such_setting=1)
    # no reps in rest-only EMG
    x, _ = soleus.sim.emg(duration_s=20, fs=2000, bursts=[(0.0, 0.01, 0.0)], rest_activation=0.03, seed=1)
    assert len(soleus.segment_reps_emg(x, 2000, mvc=1.0)) == 0


def test_seated_shank_rom_reads_in_foot_degrees():
    # The seated shank turns 0.19x the foot at rest and ~0.3x at 40 deg: the curvature setting inverts that
    # (a linear 1/0.19 over-read a 30 deg raise as ~45 deg).
    s = soleus.sim.heel_raise_session(fs=100, placement="shank", posture="seated", seed=3, rom_deg=(20, 35),
                                      partial_probability=0)
    df = soleus.segment_reps(s.acc, s.gyro, fs=100, placement="shank_seated")
    assert len(df) == len(s.reps)
    m = _match(df, s.reps)
    np.testing.assert_allclose(df.rom_deg.values[m], s.reps.rom_deg.values, atol=2.5)
    lin = soleus.segment_reps(s.acc, s.gyro, fs=100, placement="shank_seated", angle_curvature_per_deg=0)
    assert np.median(lin.rom_deg.values / s.reps.rom_deg.values) > 1.3


def test_both_spellings_of_metres_per_second_squared_are_accepted_everywhere():
    # Issue 14: the readers write 'm/s^2', segment_reps / activity took only 'm/s2'. The same data under
    # every spelling the readers know (and in g) must give the same reps and the same activity minutes.
    acc, gyro, truth = soleus.sim.heel_raise_session(fs=100, seed=2)
    ref = soleus.segment_reps(acc, gyro, fs=100, acc_unit="m/s2")
    assert len(ref) == len(truth)
    for unit in ("m/s^2", "m/s²", "M/S^2", "mps2"):
        got = soleus.segment_reps(acc, gyro, fs=100, acc_unit=unit)
        np.testing.assert_array_equal(got["start_s"].to_numpy(), ref["start_s"].to_numpy())
    in_g = soleus.segment_reps(acc / 9.80665, np.deg2rad(gyro), fs=100, acc_unit="g", gyro_unit="rad/s")
    assert len(in_g) == len(ref)
    a_ref = soleus.activity(acc, gyro, fs=100, acc_unit="m/s2")
    a_alt = soleus.activity(acc, gyro, fs=100, acc_unit="m/s^2", gyro_unit="dps")
    assert a_ref.equals(a_alt)
    for bad in ("m/s", "kg", 3):
        with pytest.raises(ValueError, match="^acc_unit"):
            soleus.segment_reps(acc, gyro, fs=100, acc_unit=bad)


def test_rate_from_time_stamps_is_the_readers_rule():
    # One rate-from-stamps rule in the package (issue 14): segment_reps given t reports the rate the readers
    # derive from the same stamps (median step; 9 significant digits), e.g. 1/0.01 s -> 100.0, not 99.99999...
    from soleus.io import _rate_from_times
    from soleus._reps import _time_base

    t = np.arange(500) * 0.01 + 3.0
    t_out, fs = _time_base(500, None, t)
    assert fs == _rate_from_times(t, "t") == 100.0
    np.testing.assert_array_equal(t_out, t)
