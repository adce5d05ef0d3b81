"""analyze_recording's numbers come from the engine: RMS and spectra on the Session's conditioned EMG
(its band-pass and tracked mains notches), and every EMG channel of a wide file through a Session.

Reference values are closed forms (the RMS of a sine, its frequency) and the injected bursts' own times.
"""
import numpy as np
import pytest

import soleus
import soleus.analysis
from soleus.io import Recording, Stream

FS = 2000.0


def tone_with_hum(seconds=8.0, tone_hz=130.0, tone_mv=1.0, hum_hz=50.5, hum_mv=2.0, seed=1):
    t = np.arange(int(seconds * FS)) / FS
    rng = np.random.default_rng(seed)
    x = tone_mv * np.sin(2 * np.pi * tone_hz * t) + hum_mv * np.sin(2 * np.pi * hum_hz * t + 0.3)
    return t, x + 0.001 * rng.standard_normal(t.size)


def test_keep_conditioned_gives_the_sessions_signal_per_admitted_frame():
    t, x = tone_with_hum()
    res = soleus.analyze(emg=x, emg_fs=FS, t_emg=t, keep_conditioned=True)
    assert res.conditioned.shape == (t.size, 1) and res.conditioned.dtype == np.float32
    np.testing.assert_array_equal(res.conditioned_t_s, t)
    # Once mains is detected and tracked (1 s + 2 x 1 s, the defaults), the hum is notched and the 130 Hz
    # tone (no harmonic of 50 or 60 Hz) passes: the RMS of a 1 mV sine is 1/sqrt(2) mV.
    settled = res.conditioned[int(3.5 * FS):, 0].astype(np.float64)
    assert np.sqrt(np.mean(settled ** 2)) == pytest.approx(1 / np.sqrt(2), rel=0.03)
    # Off by default (it is as large as the EMG).
    assert soleus.analyze(emg=x, emg_fs=FS, t_emg=t).conditioned is None
    with pytest.raises(ValueError, match="keep_conditioned"):
        soleus.analyze(emg=x, emg_fs=FS, keep_conditioned="yes")


def test_dropped_frames_are_missing_from_the_conditioned_signal():
    t, x = tone_with_hum(seconds=4.0)
    t = t.copy()
    t[3000] = t[2999]  # a duplicate time stamp: the frame is dropped (a fault event), not conditioned
    res = soleus.analyze(emg=x, emg_fs=FS, t_emg=t, keep_conditioned=True)
    assert len(res.conditioned_t_s) == t.size - 1
    np.testing.assert_array_equal(res.conditioned_t_s, np.delete(t, 3000))
    assert np.isfinite(res.conditioned).all()


def test_summary_rms_and_median_frequency_ignore_the_mains_hum():
    # The README's case: 2 mV of 50.5 Hz hum on a 130 Hz, 1 mV signal. A second filter chain with fixed
    # notches, or none, would report the hum; the Session tracks it.
    t, x = tone_with_hum()
    rec = Recording(emg=Stream(x[:, None], FS, ("SO",), ("mV",)))
    a = soleus.analysis.analyze_recording(rec, mains_hz=50.0)
    row = a.summary().iloc[0]
    assert row["rms_mv"] == pytest.approx(1 / np.sqrt(2), rel=0.03)
    bin_hz = 1.0 / 0.5  # the default 0.5 s spectral window
    assert abs(row["median_hz"] - 130.0) <= bin_hz
    # Every window, the first included, after the chain's start-up (mains found and tracked).
    assert (np.abs(a.spectral["median_hz"] - 130.0) <= bin_hz).all()


def test_every_channel_of_a_wide_file_is_analysed():
    # Ten channels (a Session takes eight): the calf muscles go first, the rest through a second Session,
    # and a burst train on a non-calf channel is found there, at its own times.
    n = int(30 * FS)
    t = np.arange(n) / FS
    rng = np.random.default_rng(3)
    names = ("RF", "VL", "ST", "BF", "GMax", "GMed", "SO", "GM", "GL", "TA")  # calf muscles last in the file
    data = 0.005 * rng.standard_normal((n, len(names)))
    onsets_s = (5.0, 12.0, 20.0)
    rf = names.index("RF")
    for on in onsets_s:
        i = slice(int(on * FS), int((on + 2.0) * FS))
        data[i, rf] += 0.5 * rng.standard_normal(i.stop - i.start)
    rec = Recording(emg=Stream(data, FS, names, ("mV",) * len(names)))
    a = soleus.analysis.analyze_recording(rec)
    summary = a.summary()
    assert summary["channel"].tolist()[:4] == ["SO", "GM", "GL", "TA"]
    assert len(summary) == len(names) and summary["n_bursts"].notna().all()
    assert summary.loc[summary["channel"] == "RF", "n_bursts"].item() == len(onsets_s)
    assert summary["rms_mv"].notna().all()
    rf_bursts = a.bursts[a.bursts["channel_name"] == "RF"].sort_values("onset_s")
    np.testing.assert_allclose(rf_bursts["onset_s"], onsets_s, atol=0.1)
    # Channel numbers run across the Sessions and name the right column.
    assert (a.bursts["channel_name"] == [a.channels[c] for c in a.bursts["channel"]]).all()
    assert a.envelope.shape[1] == len(names)
    assert set(a.spectral["channel_name"]) == set(names)
    # One Result: its events carry the same channel numbers as its tables, in time order.
    onsets = [(e["burst"]["channel"], e["burst"]["time_s"]) for e in a.events if e["type"] == "burst_onset"]
    assert sorted(onsets) == sorted(zip(a.bursts["channel"], a.bursts["onset_s"]))
    t = [e["t_s"] for e in a.events]
    assert t == sorted(t)
