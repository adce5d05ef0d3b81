"""Issue 12: flagged_s is the length of the union of the flag spans, never more than the recording."""
import numpy as np
import pytest

import soleus
from soleus.analysis import union_length_s


@pytest.mark.parametrize("spans, want", [
    ([(k, k + 2) for k in range(10)], 11.0),     # a chain of overlaps: [0, 11]
    ([(0, 10), (2, 3), (4, 9)], 10.0),           # nested
    ([(0, 1), (2, 4)], 3.0),                     # disjoint
    ([(0, 1), (1, 2)], 2.0),                     # touching
    ([(5, 6), (0, 2), (1, 3)], 4.0),             # unsorted
    ([(0, 1), (np.nan, 3), (2, 2)], 1.0),        # NaN and empty spans add nothing
    ([], 0.0),
])
def test_union_length_closed_form(spans, want):
    a = [s for s, _ in spans]
    b = [e for _, e in spans]
    assert union_length_s(a, b) == want


def test_union_length_equals_covered_unit_cells():
    rng = np.random.default_rng(12)
    for _ in range(50):
        a = rng.integers(0, 100, 30)
        b = a + rng.integers(0, 20, 30)
        covered = np.zeros(130, bool)  # integer ends: the union is the count of unit cells covered
        for s, e in zip(a, b):
            covered[s:e] = True
        assert union_length_s(a, b) == covered.sum()


def test_flagged_s_with_overlapping_flags_is_their_union():
    """Exact zeros (electrode off) raise several flags at once on one channel; they overlap."""
    fs = 1000.0
    x, _ = soleus.sim.emg(duration_s=20, fs=fs, n_bursts=4, seed=3)
    x = x.copy()
    x[int(5 * fs):int(15 * fs)] = 0.0
    res = soleus.analyze(emg=x, emg_fs=fs)
    q = res.quality[(res.quality["kind"] == "flag") & (res.quality["channel"] == 0)]
    spans = (q["end_s"] - q["start_s"]).to_numpy()
    # Independent union: rasterise the spans on a 1 ms grid.
    t = np.arange(0.0, 20.0, 1e-3)
    on = np.zeros_like(t, bool)
    for s, e in zip(q["start_s"], q["end_s"]):
        on |= (t >= s) & (t < e)
    union = on.sum() * 1e-3
    assert spans.sum() > union + 1.0, f"the case needs overlapping flags: {q[['flag', 'start_s', 'end_s']]}"
    flagged = float(res.summary()["flagged_s"].iloc[0])
    assert flagged == pytest.approx(union, abs=0.01)
    assert flagged <= len(x) / fs
