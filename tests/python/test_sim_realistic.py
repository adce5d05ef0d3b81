"""soleus.sim.heel_raise_session(realistic=True) and its non-raise activity (issue 16).

The truth and the true angle must have the properties the docstring states
(countermovement before heel-off, rebound past the rest after heel contact,
activity between sets without reps), the arguments are validated by name, and
the streaming engine (analyze() and Session) counts the realistic reps.
Reference values: the simulator's documented ranges (HeelRaiseConfig in
include/soleus/sim/heel_raise.hpp), not the engine.
"""
import numpy as np
import pytest

import soleus


def _window(s, t0, t1):
    m = (s.t_s >= t0) & (s.t_s <= t1)
    return s.angle_deg[m]


def _at(s, t):
    return float(np.interp(t, s.t_s, s.angle_deg))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_realistic_truth_has_countermovement_and_rebound(seed):
    s = soleus.sim.heel_raise_session(fs=200, n_sets=2, reps_per_set=6, realistic=True, partial_probability=0.0,
                                      seed=seed)
    assert len(s.reps) == 12
    for r in s.reps.itertuples():
        rest = _at(s, r.start_s)  # heel-off: the rest level crossed upwards
        # Countermovement: 2-6 deg of dorsiflexion in the 0.1-0.5 s (+ the rise's start) before heel-off.
        dip = rest - _window(s, r.start_s - 0.6, r.start_s).min()
        assert 1.99 <= dip <= 6.01, (seed, r.rep, dip)
        # Rebound: 1-5 deg past the new rest within 0.5 s after heel contact, then still there.
        settled = _at(s, r.end_s + 0.5)
        assert abs(_at(s, r.end_s) - settled) < 0.1
        rebound = settled - _window(s, r.end_s, r.end_s + 0.5).min()
        assert 0.99 <= rebound <= 5.01, (seed, r.rep, rebound)
        # The resting angle moves by 1-3 deg from one rep to the next.
        assert 0.99 <= abs(settled - rest) <= 3.01
        assert r.start_s <= r.top_s <= r.lower_start_s <= r.end_s


def test_clean_mode_has_neither():
    s = soleus.sim.heel_raise_session(fs=200, n_sets=1, reps_per_set=5, seed=1)
    for r in s.reps.itertuples():
        assert _window(s, r.start_s - 0.6, r.start_s).min() >= -1e-9
        assert _window(s, r.end_s, r.end_s + 0.5).min() >= -1e-9


def test_step_bottom_and_bouncy_sets():
    s = soleus.sim.heel_raise_session(fs=100, n_sets=1, reps_per_set=5, realistic=True, step_bottom_deg=10.0,
                                      seed=4)
    for r in s.reps.itertuples():
        assert -14.01 <= _at(s, r.start_s) <= -5.99  # 10 deg below standing, rest shifts within +-4
    b = soleus.sim.heel_raise_session(fs=100, n_sets=1, reps_per_set=6, realistic=True,
                                      bouncy_set_probability=1.0, seed=5)
    assert np.all(b.reps.hold_s == 0.0)
    assert np.allclose(b.reps.start_s.values[1:], b.reps.end_s.values[:-1])  # no rest between reps
    assert np.all((b.reps.concentric_s >= 0.3 - 1e-9) & (b.reps.concentric_s <= 0.5 + 1e-9))


def test_activity_alone_has_no_reps_and_moves():
    for activity in ("walking", "pedalling", "sit_to_stand", "fidgeting"):
        s = soleus.sim.heel_raise_session(fs=100, activity=activity, activity_s=60.0, seed=2)
        assert len(s.reps) == 0 and len(s.sets) == 0, activity
        assert np.ptp(s.angle_deg) > 2.0, activity


def test_activity_between_sets():
    kw = dict(fs=100, n_sets=3, reps_per_set=4, realistic=True, partial_probability=0.0, seed=6)
    still = soleus.sim.heel_raise_session(**kw)
    busy = soleus.sim.heel_raise_session(between_sets_activity_probability=1.0, **kw)
    off = soleus.sim.heel_raise_session(between_sets_activity_probability=0.0, **kw)
    np.testing.assert_array_equal(off.gyro, still.gyro)  # off: the session of earlier versions
    assert len(busy.reps) == len(still.reps) == 12
    for k in range(2):
        t0, t1 = busy.sets.end_s[k] + 0.6, busy.sets.start_s[k + 1] - 1.5
        assert np.ptp(_window(busy, t0, t1)) >= 2.0
        t0, t1 = still.sets.end_s[k] + 0.6, still.sets.start_s[k + 1] - 1.5
        assert np.ptp(_window(still, t0, t1)) < 0.5


@pytest.mark.parametrize("kwargs,name", [
    (dict(realistic=True, countermovement_deg=(2.0, 30.0)), "countermovement_deg"),
    (dict(realistic=True, countermovement_s=(0.1, 3.0)), "countermovement_s"),
    (dict(realistic=True, rebound_deg=(5.0, 1.0)), "rebound_deg"),
    (dict(realistic=True, rebound_settle_s="fast"), "rebound_settle_s"),
    (dict(realistic=True, rest_shift_deg=(0.0, 9.0)), "rest_shift_deg"),
    (dict(realistic=True, quick_set_probability=2.0), "quick_set_probability"),
    (dict(realistic=True, quick_rise_s=(0.0, 0.1)), "quick_rise_s"),
    (dict(realistic=True, quick_top_hold_s=(0.0, 9.0)), "quick_top_hold_s"),
    (dict(realistic=True, quick_lower_s=(0.0, 0.1)), "quick_lower_s"),
    (dict(realistic=True, bouncy_set_probability=-0.1), "bouncy_set_probability"),
    (dict(realistic=True, bouncy_phase_s=(0.1, 2.0)), "bouncy_phase_s"),
    (dict(realistic=True, hold_wobble_dps=(0.0, 50.0)), "hold_wobble_dps"),
    (dict(realistic=True, step_bottom_deg=30.0), "step_bottom_deg"),
    (dict(realistic=True, hold_sag_deg=(0.0, 20.0)), "hold_sag_deg"),
    (dict(realistic=True, step_bottom_deg="deep"), "step_bottom_deg"),
    (dict(realistic="yes"), "realistic"),
    (dict(countermovement_deg=(2.0, 4.0)), "countermovement_deg"),  # needs realistic=True
    (dict(activity="running"), "activity"),
    (dict(activity="walking", activity_s=1.0), "activity_s"),
    (dict(between_sets_activity_probability=1.5), "between_sets_activity_probability"),
    (dict(rom_deg=(40.0, 20.0)), "rom_deg"),
])
def test_errors_name_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name}:"):
        soleus.sim.heel_raise_session(fs=100, n_sets=1, reps_per_set=2, **kwargs)


def _matched_boundary_errors_ms(found, truth):
    errs = []
    for r in truth.itertuples():
        k = int(np.argmin(np.abs(found.start_s.values - r.start_s)))
        for col in ("start_s", "top_s", "lower_start_s", "end_s"):
            errs.append(1000.0 * abs(found[col].values[k] - getattr(r, col)))
    return np.asarray(errs)


def test_analyze_and_session_count_realistic_reps():
    """Default placement ('auto') on a foot sensor, standing realistic sets: the engine's grid measures
    97.9 % exact sets (tests/cpp/test_heel_raise_chain.cpp), so these seeds are all counted exactly;
    the boundaries are judged against the targets (median <= 25 ms)."""
    errs = []
    for seed in (1, 2, 3, 4):
        s = soleus.sim.heel_raise_session(fs=100, n_sets=2, reps_per_set=6, realistic=True, seed=seed,
                                          between_sets_activity_probability=0.0)
        res = soleus.analyze(acc=s.acc, gyro=s.gyro, imu_fs=100, t_imu=s.t_s)
        assert len(res.reps) == len(s.reps), seed
        errs.append(_matched_boundary_errors_ms(res.reps, s.reps))
        session = soleus.Session(emg_channels=0, imu_rate_hz=100)
        session.push_imu_block(s.t_s, s.acc, s.gyro)
        session.finish()
        assert sum(e["type"] == "rep_completed" for e in session.events()) == len(s.reps), seed
    assert np.median(np.concatenate(errs)) <= 25.0


def test_realistic_accelerometer_offset_and_scale_error():
    """zerog22: realistic mode draws a zero-g offset and a sensitivity error per axis (defaults 40 mg, 2 %),
    constant over the session and within their bounds; 0 and 0 give the same session without them; the
    legacy mode has none; the settings are validated by name and need realistic=True."""
    kw = dict(fs=100, n_sets=1, reps_per_set=3, seed=5)
    s = soleus.sim.heel_raise_session(realistic=True, **kw)
    assert np.all(np.abs(s.acc_offset_mps2) <= 0.04 * 9.80665)
    assert np.all(np.abs(s.acc_scale_error) <= 0.02)
    assert np.any(s.acc_offset_mps2 != 0.0)
    ideal = soleus.sim.heel_raise_session(realistic=True, acc_offset_max_mps2=0.0, acc_scale_error_max=0.0, **kw)
    assert np.all(ideal.acc_offset_mps2 == 0.0) and np.all(ideal.acc_scale_error == 0.0)
    # Their own random stream: the rest of the session is the same; the accelerometer differs by the model.
    np.testing.assert_array_equal(s.gyro, ideal.gyro)
    # The model (1 + s) f + o + noise: the white noise is added after the sensitivity, so compare without it.
    quiet = dict(kw, acc_noise_mps2=0.0)
    s0 = soleus.sim.heel_raise_session(realistic=True, **quiet)
    ideal0 = soleus.sim.heel_raise_session(realistic=True, acc_offset_max_mps2=0.0, acc_scale_error_max=0.0, **quiet)
    np.testing.assert_array_equal(s0.acc_offset_mps2, s.acc_offset_mps2)
    expected = (1.0 + s0.acc_scale_error) * ideal0.acc + s0.acc_offset_mps2
    np.testing.assert_allclose(s0.acc, expected, rtol=0, atol=1e-9)
    # With the noise, the difference is the sensitivity's share of it: |s| x noise.
    assert np.max(np.abs(s.acc - ((1.0 + s.acc_scale_error) * ideal.acc + s.acc_offset_mps2))) < 0.02 * 0.2
    legacy = soleus.sim.heel_raise_session(**kw)
    assert np.all(legacy.acc_offset_mps2 == 0.0)
    with pytest.raises(ValueError, match="acc_offset_max_mps2"):
        soleus.sim.heel_raise_session(acc_offset_max_mps2=0.1, **kw)  # needs realistic=True
    with pytest.raises(ValueError, match="acc_offset_max_mps2"):
        soleus.sim.heel_raise_session(realistic=True, acc_offset_max_mps2=5.0, **kw)
    with pytest.raises(ValueError, match="acc_scale_error_max"):
        soleus.sim.heel_raise_session(realistic=True, acc_scale_error_max=-0.01, **kw)
