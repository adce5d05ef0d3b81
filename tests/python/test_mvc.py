"""%MVC calibration in analyze() and the CLI, and an uncalibrated level never shown as %MVC.

The simulator's coupled EMG (heel_raise_session(emg=True)) has a known truth:
standing soleus ~25 %MVC in the rise, with an MVC calibration recording
(``emg_mvc``) of the same channels at the same rate.
"""
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import soleus
from timeouts import scaled

CHANNELS = ["soleus", "gm"]
MUSCLES = ["soleus", "gastrocnemius_medialis"]


@pytest.fixture(scope="module")
def sim():
    return soleus.sim.heel_raise_session(fs=100, emg=True, n_sets=1, reps_per_set=8, seed=3)


def _analyze(sim, **kw):
    return soleus.analyze(emg=sim.emg, emg_fs=sim.emg_fs, t_emg=sim.emg_t_s, acc=sim.acc, gyro=sim.gyro,
                          imu_fs=100, t_imu=sim.t_s, channels=CHANNELS, muscles=MUSCLES, **kw)


@pytest.fixture(scope="module")
def uncalibrated(sim):
    return _analyze(sim)


@pytest.fixture(scope="module")
def calibrated(sim):
    return _analyze(sim, mvc=sim.emg_mvc)


def test_uncalibrated_levels_are_labelled_pct_of_peak_everywhere(uncalibrated):
    res = uncalibrated
    assert res.calibrated is False
    for name in ("reps", "bursts", "activation"):
        table = getattr(res, name)
        assert "calibrated" in table.columns, name
        assert not table["calibrated"].astype(bool).any(), name
    assert not res.summary()["calibrated"].any()
    text = res.report()
    assert "soleus_pct_peak" in text and "pct_mvc" not in text
    assert "uncalibrated" in text and "not %MVC" in text


def test_calibrated_levels_are_labelled_pct_mvc(calibrated):
    res = calibrated
    assert res.calibrated is True
    assert res.reps["calibrated"].all() and res.activation["calibrated"].all() and res.summary()["calibrated"].all()
    assert res.bursts["calibrated"].astype(bool).all()
    text = res.report()
    assert "soleus_pct_mvc" in text and "pct_peak" not in text and "%MVC (calibrated)" in text


def test_mvc_recording_gives_pct_mvc_close_to_the_simulators_truth(sim, calibrated, uncalibrated):
    truth = sim.reps
    assert len(calibrated.reps) == len(truth) == 8
    for ch, col in (("soleus", "soleus_concentric_pct_mvc"), ("gm", "gastrocnemius_concentric_pct_mvc")):
        got = calibrated.reps[f"{ch}_pct_mvc_concentric"].to_numpy()
        want = truth[col].to_numpy()
        # The MVC reference is the best 0.5 s window of the trial (~10 % below its plateau): within 20 %.
        assert np.all(np.abs(got - want) <= 0.2 * want), (ch, got, want)
        # Relative to the running peak the same reps read several times higher: calibration changes the numbers.
        assert np.mean(uncalibrated.reps[f"{ch}_pct_mvc_concentric"]) > 2 * np.mean(want)
    assert 20 <= calibrated.reps["soleus_pct_mvc_concentric"].mean() <= 30


def test_references_equal_the_recordings_calibration(sim, calibrated):
    ref = calibrated.mvc_reference
    assert ref.shape == (2,) and np.all(ref > 0)
    again = _analyze(sim, mvc=ref)
    assert again.calibrated
    np.testing.assert_array_equal(again.activation["soleus_pct_mvc"], calibrated.activation["soleus_pct_mvc"])
    pd.testing.assert_frame_equal(again.reps, calibrated.reps)


def test_bad_mvc_is_a_value_error_naming_mvc(sim):
    with pytest.raises(ValueError, match="^mvc: expected 2 reference values"):
        _analyze(sim, mvc=np.ones((100, 3)))
    with pytest.raises(ValueError, match="^mvc: references must be finite and > 0"):
        _analyze(sim, mvc=[0.3, -1.0])
    with pytest.raises(ValueError, match="^mvc: given without emg"):
        soleus.analyze(acc=sim.acc, gyro=sim.gyro, imu_fs=100, mvc=[1.0])
    with pytest.raises(ValueError, match="^mvc: the MVC recording did not calibrate"):
        _analyze(sim, mvc=np.zeros((4000, 2)))


def test_session_set_mvc_references():
    s = soleus.Session(channels=CHANNELS, muscles=MUSCLES)
    assert not s.mvc_calibrated
    s.set_mvc_references([0.4, 0.3])
    assert s.mvc_calibrated and s.mvc_reference.tolist() == [0.4, 0.3]
    with pytest.raises(ValueError, match="mvc: expected 2 reference values"):
        s.set_mvc_references([0.4])


def _write_csv(path, t, x):
    pd.DataFrame({"t": t, "soleus [mV]": x[:, 0], "gm [mV]": x[:, 1]}).to_csv(path, index=False)


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "soleus", "analyze", *map(str, args), "--no-progress"],
                          capture_output=True, text=True, timeout=scaled(300), env=dict(os.environ, MPLBACKEND="Agg"))


def test_cli_mvc_file_calibrates_and_without_it_prints_pct_peak(sim, tmp_path):
    n = int(40 * sim.emg_fs)  # the first 40 s: the first reps of the set
    trial, mvc = tmp_path / "trial.csv", tmp_path / "mvc.csv"
    _write_csv(trial, sim.emg_t_s[:n] - sim.emg_t_s[0], np.asarray(sim.emg)[:n])
    _write_csv(mvc, np.arange(len(sim.emg_mvc)) / sim.emg_fs, np.asarray(sim.emg_mvc))

    plain = _cli(trial, "--csv", tmp_path / "plain")
    assert plain.returncode == 0, plain.stderr
    header = plain.stdout.splitlines()[0]
    assert "pct_peak" in header and "pct_mvc" not in header
    assert "uncalibrated" in plain.stdout
    assert not pd.read_csv(tmp_path / "plain" / "summary.csv")["calibrated"].any()

    cal = _cli(trial, "--mvc", mvc, "--csv", tmp_path / "cal")
    assert cal.returncode == 0, cal.stderr
    header = cal.stdout.splitlines()[0]
    assert "pct_peak" not in cal.stdout and "%MVC (calibrated)" in cal.stdout
    table = pd.read_csv(tmp_path / "cal" / "summary.csv")
    assert table["calibrated"].all()
    bursts = pd.read_csv(tmp_path / "cal" / "trial_bursts.csv")
    soleus_peaks = bursts.loc[bursts["channel"] == 0, "peak_pct_mvc"]
    # Calibrated burst peaks sit near the simulator's rise level (25 %MVC), far below 100.
    assert len(soleus_peaks) >= 3 and soleus_peaks.median() < 45


def test_cli_mvc_file_with_another_rate_is_an_error(sim, tmp_path):
    n = int(10 * sim.emg_fs)
    trial, mvc = tmp_path / "trial.csv", tmp_path / "mvc.csv"
    _write_csv(trial, np.arange(n) / sim.emg_fs, np.asarray(sim.emg)[:n])
    _write_csv(mvc, np.arange(len(sim.emg_mvc)) / 1000.0, np.asarray(sim.emg_mvc))
    r = _cli(trial, "--mvc", mvc)
    assert r.returncode == 1
    assert "--mvc: mvc.csv is sampled at 1000 Hz, the recording at 2000 Hz" in r.stderr


def test_plot_of_levels_names_the_reference(uncalibrated, calibrated):
    pytest.importorskip("matplotlib")

    def ylabels(res):
        fig = res.plot(use_pct_mvc=True)
        try:
            return " ".join(ax.get_ylabel() for ax in fig.axes)
        finally:
            import matplotlib.pyplot as plt
            plt.close(fig)

    assert "% of running peak (uncalibrated)" in ylabels(uncalibrated)
    text = ylabels(calibrated)
    assert "%MVC" in text and "running peak" not in text
