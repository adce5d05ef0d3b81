"""soleus.sim.heel_raise_session's simulator switches step_on_off and sway_quiet_stance (issue 16).

Each switch must reach the simulator and do what HeelRaiseConfig
(include/soleus/sim/heel_raise.hpp) documents; reference values are those
documented properties, not the engine:
 * sway_quiet_stance=True sways the body about the ankles with the foot flat:
   a foot sensor turns by only the heel pad's share (0.03) of the sway, where
   the legacy sway turns the whole leg, the foot included, about the MTP pivot;
 * step_on_off=True walks onto the step before the first set: strides with
   heel-strike impacts of 2-4 g, which standing still before a set has none of.
"""
import numpy as np
import pytest

import soleus


def _lead_in_gyro_rms_dps(s, t1):
    m = s.t_s < t1
    g = s.gyro[m] - s.gyro[m].mean(axis=0)
    return float(np.sqrt((g ** 2).sum(axis=1).mean()))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_quiet_stance_leaves_the_foot_flat(seed):
    kw = dict(fs=100, placement="foot", n_sets=1, reps_per_set=2, lead_in_s=20.0, sway_deg=1.0,
              gyro_bias_max_dps=0.0, gyro_noise_dps=0.0, seed=seed)
    legacy = soleus.sim.heel_raise_session(**kw)
    quiet = soleus.sim.heel_raise_session(sway_quiet_stance=True, **kw)
    t1 = 19.0  # the lead-in: no rep before 20 s
    assert legacy.reps.start_s.min() > t1 and quiet.reps.start_s.min() > t1
    # 1 deg RMS of sway at 0.05-0.6 Hz turns at >= 0.3 deg/s; the heel pad's
    # 0.03 of it at most a tenth of that.
    legacy_rms, quiet_rms = _lead_in_gyro_rms_dps(legacy, t1), _lead_in_gyro_rms_dps(quiet, t1)
    assert legacy_rms > 0.3
    assert quiet_rms < 0.1 * legacy_rms


@pytest.mark.parametrize("seed", [1, 2])
def test_step_on_off_walks_onto_the_step(seed):
    kw = dict(fs=100, n_sets=2, reps_per_set=3, realistic=True, step_bottom_deg=10.0, seed=seed)
    still = soleus.sim.heel_raise_session(**kw)
    stepping = soleus.sim.heel_raise_session(step_on_off=True, **kw)
    g = 9.80665

    def peak_before_first_set_g(s):
        m = s.t_s < s.sets.start_s.iloc[0] - 0.5
        return float(np.linalg.norm(s.acc[m], axis=1).max() / g)

    assert peak_before_first_set_g(still) < 1.5
    assert peak_before_first_set_g(stepping) > 2.0  # heel strikes of 2-4 g
    assert len(stepping.reps) == len(still.reps) == 6  # no reps in the stepping


@pytest.mark.parametrize("name", ["step_on_off", "sway_quiet_stance"])
def test_switches_take_booleans_only(name):
    with pytest.raises(ValueError, match=rf"^{name}:"):
        soleus.sim.heel_raise_session(fs=100, n_sets=1, reps_per_set=2, realistic=True, **{name: 1})
