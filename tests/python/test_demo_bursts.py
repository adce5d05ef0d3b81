"""Bursts of the demo's session against the simulator's truth: every rep and hold gets exactly one burst
of its own on each channel, across the seated -> standing change of the resting level (the detector's
level-shift rule; without it the soleus burst opened at that change never closed)."""
import numpy as np
import pytest

import soleus
from soleus.demo import _session_emg, demo_session


@pytest.fixture(scope="module")
def demo():
    s = demo_session(seed=5)
    x, efs, names, muscles = _session_emg(s)

    def run(**emg_settings):
        return soleus.analyze(acc=s["acc"], gyro=s["gyro"], imu_fs=s["fs"], t_imu=s["t_s"],
                              imu_reps=dict(placement="foot"), emg=x, emg_fs=efs, t_emg=s["emg_t_s"],
                              channels=names, muscles=muscles, emg_settings=emg_settings)

    return s, run


def own_bursts(bursts, truth):
    """Per channel: how many true reps/holds overlap exactly one burst that overlaps no other rep, and how
    many bursts overlap no rep at all (level shifts left out: they mark a rise of the resting level)."""
    out = {}
    for c in sorted(bursts["channel"].unique()):
        b = bursts[(bursts["channel"] == c) & ~bursts["level_shift"]]
        on, off = b["onset_s"].to_numpy(), np.nan_to_num(b["offset_s"].to_numpy(), nan=np.inf)
        hits = [(on < r.end_s) & (off > r.start_s) for r in truth.itertuples()]
        per_burst = np.sum(hits, axis=0)
        own = sum(int(h.sum() == 1 and per_burst[h][0] == 1) for h in hits)
        out[c] = (own, int((per_burst == 0).sum()))
    return out


def test_every_rep_and_hold_has_its_own_burst_across_the_posture_change(demo):
    s, run = demo
    truth = s["truth_reps"]
    res = run()
    b = res.bursts
    assert b["offset_s"].notna().all()  # nothing left open
    # The seated -> standing change (parts 2 -> 3) is reported as a level shift on both channels.
    change = s["parts"][2][1]
    shifts = b[b["level_shift"]]
    assert len(shifts) == 2 and set(shifts["channel"]) == {0, 1}
    assert (abs(shifts["onset_s"] - change) < 0.5).all()
    assert ((shifts["offset_s"] - shifts["onset_s"]) < 6.5).all()
    for c, (own, outside) in own_bursts(b, truth).items():
        assert own == len(truth), (c, own)
        assert outside <= 3, (c, outside)


def test_without_the_rule_the_standing_set_is_lost(demo):
    # The failure the rule exists for, on the same session: it must be visible, or the test above proves nothing.
    s, run = demo
    res = run(level_shift_s=0.0)
    counts = own_bursts(res.bursts, s["truth_reps"])
    assert min(own for own, _ in counts.values()) < len(s["truth_reps"]) - 5
