"""One result type (issue 14): soleus.analyze on arrays and analyze_recording on files return the same
soleus.Result, whose fields are checked here against the simulator's truth (rep and set counts, rep
boundaries, %MVC levels, bursts per rep, raises) and against independent references (scipy's band-pass for
the RMS); the CLI keeps its output columns on the shared real recordings; the old name warns.
"""
import json
import os
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

import soleus
import soleus.analysis
from soleus.io import Recording, Stream
from timeouts import scaled

CHANNELS = ["soleus", "gm"]
MUSCLES = ["soleus", "gastrocnemius_medialis"]
# Boundary accuracy target of the heel-raise chain (docs/heel_raises.md, issue 16: p95 <= 120 ms); the
# simple (non-realistic) simulated session meets it for every rep.
BOUNDARY_TOL_S = 0.12
# EMG onset precedes the movement by the electromechanical delay (~30-100 ms for the triceps surae,
# Cavanagh & Komi 1979) plus the simulator's activation ramp: an onset up to 150 ms before the rise.
ONSET_LEAD_S = 0.15


@pytest.fixture(scope="module")
def sim():
    return soleus.sim.heel_raise_session(fs=100, emg=True, n_sets=2, reps_per_set=6, seed=3)


def _arrays(sim, **kw):
    return soleus.analyze(emg=sim.emg, emg_fs=sim.emg_fs, t_emg=sim.emg_t_s, acc=sim.acc, gyro=sim.gyro,
                          imu_fs=sim.fs, t_imu=sim.t_s, channels=CHANNELS, muscles=MUSCLES, emg_unit="mV", **kw)


def _recording(sim):
    return Recording(emg=Stream(sim.emg, sim.emg_fs, ("SO", "GM"), ("mV", "mV"), timestamps_s=sim.emg_t_s),
                     acc=Stream(sim.acc, sim.fs, ("ax", "ay", "az"), ("m/s^2",) * 3, timestamps_s=sim.t_s),
                     gyro=Stream(sim.gyro, sim.fs, ("gx", "gy", "gz"), ("deg/s",) * 3, timestamps_s=sim.t_s),
                     source="/data/sim_trial.csv")


@pytest.fixture(scope="module")
def calibrated(sim):
    return _arrays(sim, mvc=sim.emg_mvc, keep_conditioned=True)


@pytest.fixture(scope="module")
def from_file(sim):
    return soleus.analysis.analyze_recording(_recording(sim), mvc=sim.emg_mvc)


def test_arrays_and_files_return_one_type(calibrated, from_file):
    assert type(calibrated) is soleus.Result and type(from_file) is soleus.Result
    assert soleus.Result is soleus.analysis.Result
    assert calibrated.source == "" and from_file.source == "sim_trial.csv"
    # The same engine on the same samples: the same reps and bursts whichever door they came through.
    cols = ["start_s", "top_s", "lower_start_s", "end_s", "rom_deg"]
    pd.testing.assert_frame_equal(calibrated.reps[cols], from_file.reps[cols])
    np.testing.assert_allclose(calibrated.bursts["onset_s"], from_file.bursts["onset_s"])
    a, b = calibrated.summary(), from_file.summary()
    assert list(a.columns) == list(b.columns)
    for col in ("n_bursts", "n_reps", "n_sets", "rms_mv", "median_hz", "mean_rep_pct_mvc", "flagged_s"):
        np.testing.assert_allclose(a[col].astype(float), b[col].astype(float), rtol=1e-9, err_msg=col)


def test_reps_and_sets_against_the_simulators_truth(calibrated, sim):
    res = calibrated
    truth = sim.reps
    assert len(res.reps) == len(truth) and len(res.sets) == len(sim.sets)
    assert res.sets["rep_count"].tolist() == sim.sets["n_reps"].tolist()
    for col in ("start_s", "top_s", "lower_start_s", "end_s"):
        err = np.abs(res.reps[col].to_numpy() - truth[col].to_numpy())
        assert err.max() <= BOUNDARY_TOL_S, (col, err.max())
    assert (res.reps["set"].to_numpy() == truth["set"].to_numpy()).all()
    # The offline table holds the re-timed heel contacts: every rep_refined event's end_s is in it.
    refined = {e["rep"]["index"]: e["rep"]["end_s"] for e in res.events if e["type"] == "rep_refined"}
    for idx, end_s in refined.items():
        assert res.reps.loc[res.reps["rep"] == idx, "end_s"].item() == end_s
    s = res.summary()
    assert (s["n_reps"] == len(truth)).all() and (s["n_sets"] == len(sim.sets)).all()
    assert (s["n_holds"] == 0).all()


def test_calibrated_levels_against_the_simulators_truth(calibrated, sim):
    res = calibrated
    assert res.calibrated and res.reps["calibrated"].all() and res.summary()["calibrated"].all()
    # The calibrated soleus level in each rise is the simulator's true %MVC (within 20 %, as test_mvc).
    got = res.reps["soleus_pct_mvc_concentric"].to_numpy()
    want = sim.reps["soleus_concentric_pct_mvc"].to_numpy()
    np.testing.assert_allclose(got, want, rtol=0.2)


def test_uncalibrated_levels_say_so(sim):
    res = _arrays(sim)
    assert not res.calibrated and not res.summary()["calibrated"].any()
    assert "soleus_pct_peak" in res.report() and "soleus_pct_mvc" not in res.report()


def test_bursts_one_per_rep_on_each_calf_channel(calibrated, sim):
    res = calibrated
    s = res.summary()
    for c, name in enumerate(CHANNELS):
        onsets = res.bursts.loc[res.bursts["channel"] == c, "onset_s"].to_numpy()
        for start, top in zip(sim.reps["start_s"], sim.reps["top_s"]):
            assert ((onsets >= start - ONSET_LEAD_S) & (onsets <= top)).sum() == 1, (name, start)
        assert s.loc[c, "n_bursts"] == len(onsets)


def test_summary_rms_and_spectra_of_the_conditioned_emg(calibrated, sim):
    from scipy import signal

    res = calibrated
    s = res.summary()
    assert (s["fs_hz"] == sim.emg_fs).all()
    assert s["duration_s"].tolist() == pytest.approx([len(sim.emg) / sim.emg_fs] * 2)
    assert (s["unit"] == "mV").all() and (s["flagged_s"] == 0).all()  # the simulator adds no artefact
    # RMS against scipy's own band-pass (the same 20-450 Hz, order 4, zero phase) of the raw simulated EMG
    # over the same stretch (after the Session's 3.25 s start-up): the notches take < 5 % of the power.
    t0 = float(res.conditioned_t_s[0]) + 3.25
    sos = signal.butter(4, [20, 450], btype="bandpass", fs=sim.emg_fs, output="sos")
    ref = signal.sosfiltfilt(sos, sim.emg, axis=0)[sim.emg_t_s >= t0]
    np.testing.assert_allclose(s["rms_mv"], np.sqrt(np.mean(ref ** 2, axis=0)), rtol=0.05)
    # Spectra: one table, channels named; the summary's median frequency is the median of its windows.
    assert set(res.spectral["channel_name"]) == set(CHANNELS)
    assert res.spectral["t_s"].min() >= t0
    for c in range(2):
        sp = res.spectral[res.spectral["channel"] == c]
        assert s.loc[c, "median_hz"] == pytest.approx(sp["median_hz"].median())
        assert 20 < s.loc[c, "median_hz"] < 450
    # The conditioned signal is kept when asked, not otherwise.
    assert res.conditioned.shape == (len(sim.emg), 2)
    assert _arrays(sim).conditioned is None


def test_activity_and_tables(calibrated, sim):
    res = calibrated
    assert res.has_imu and int(res.activity["raises"].sum()) == len(sim.reps)
    assert set(res.tables()) == {"summary", "spectral", "reps", "sets", "bursts", "quality", "activation",
                                 "angle", "activity"}
    d = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    assert len(d["reps"]) == len(sim.reps) and len(d["summary"]) == 2
    assert res.envelope.shape == (len(res.activation), 2) and res.envelope_unit == "mV"
    # Without an IMU the rep tables do not apply: left out, and the counts are <NA>, not 0.
    emg_only = soleus.analyze(emg=sim.emg, emg_fs=sim.emg_fs, channels=CHANNELS)
    assert not emg_only.has_imu and "reps" not in emg_only.tables() and emg_only.activity is None
    assert emg_only.summary()["n_reps"].isna().all()
    assert np.isnan(emg_only.summary()["rms_mv"]).all()  # no unit given: no RMS in mV


def test_deprecated_names_warn_and_point_to_result(from_file):
    with pytest.warns(DeprecationWarning, match="soleus.Result"):
        alias = soleus.analysis.Analysis
    assert alias is soleus.Result
    with pytest.warns(DeprecationWarning):
        from soleus.analysis import Analysis  # noqa: F401
    assert isinstance(from_file, Analysis)
    with pytest.warns(DeprecationWarning, match="Result.result"):
        assert from_file.result is from_file
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        soleus.analysis.Result  # the new name is silent
    with pytest.raises(AttributeError):
        soleus.analysis.NoSuchName


# The CLI's output columns before Analysis and Result became one type (soleus 0.2.0 on the shared real
# recordings): summary.csv, and the header of each per-file table.
SUMMARY_COLUMNS = ["source", "channel", "fs_hz", "duration_s", "unit", "rms_mv", "median_hz", "mean_hz",
                   "median_slope_hz_per_min", "n_bursts", "n_reps", "n_sets", "mean_rep_pct_mvc", "calibrated",
                   "flagged_s"]
SUMMARY_COLUMNS_IMU_ONLY = ["source", "channel", "fs_hz", "duration_s", "unit", "n_bursts", "n_reps", "n_sets",
                            "mean_rep_pct_mvc", "calibrated", "flagged_s"]
BURSTS = ["channel", "channel_name", "onset_s", "offset_s", "duration_s", "peak_pct_mvc", "mean_pct_mvc",
          "calibrated", "onset_detected_at_s", "offset_detected_at_s", "median_hz", "mean_hz",
          "median_slope_hz_per_s", "spectrum_segments", "level_shift"]
QUALITY = ["kind", "stream", "channel", "channel_name", "flag", "start_s", "end_s", "value"]
SPECTRAL = ["channel", "channel_name", "t_s", "median_hz", "mean_hz", "band_power", "finsm5"]
ACTIVITY = ["minute", "start_s", "active_s", "still_s", "covered_s", "strides", "steps", "pumps", "pedal_cycles",
            "cycling_s", "raises", "alerts"]
SETS = ["set", "rep_count", "partial_count", "hold_count", "start_s", "end_s", "mean_concentric_s", "mean_hold_s",
        "mean_eccentric_s", "mean_rest_s", "mean_rom_deg", "median_rom_deg", "time_under_tension_s", "total_work_j",
        "longest_hold_s", "total_hold_s", "tempo_adherence", "fatigue_slope_per_rep", "fatigue_valid",
        "reps_dropped"]
REPS = ["rep", "set", "start_s", "top_s", "lower_start_s", "end_s", "concentric_s", "hold_s", "eccentric_s",
        "rest_s", "baseline_deg", "top_deg", "rom_deg", "concentric_peak_dps", "concentric_mean_dps",
        "hold_peak_dps", "eccentric_peak_dps", "eccentric_mean_dps", "heel_rise_m", "work_j", "partial",
        "isometric", "completed_at_s", "emg_complete"]
TRIGNO_REPS = REPS + [f"Mini sensor {n}: EMG {n}_{suffix}" for n in (10, 11)
                      for suffix in ("pct_mvc", "pct_mvc_concentric", "pct_mvc_hold", "pct_mvc_eccentric", "rms",
                                     "onset_rel_s")] + ["calibrated"]

REAL_FILES = {
    "walking_calf_emg/emg.csv": ((), SUMMARY_COLUMNS, {"bursts": BURSTS, "quality": QUALITY, "spectral": SPECTRAL}),
    "contraction_emg/emg.csv": ((), SUMMARY_COLUMNS, {"bursts": BURSTS, "quality": QUALITY, "spectral": SPECTRAL}),
    "walking_foot_imu/imu_sample.csv": (("--fs", "204.8"), SUMMARY_COLUMNS_IMU_ONLY,
                                        {"bursts": BURSTS, "quality": QUALITY, "spectral": SPECTRAL[:5],
                                         "reps": REPS + ["calibrated"], "sets": SETS, "activity": ACTIVITY}),
    "trigno_export/truncated_trigno_sample.csv": ((), SUMMARY_COLUMNS,
                                                  {"bursts": BURSTS, "quality": QUALITY, "spectral": SPECTRAL,
                                                   "reps": TRIGNO_REPS, "sets": SETS, "activity": ACTIVITY}),
}


@pytest.mark.parametrize("rel", sorted(REAL_FILES))
def test_cli_output_columns_unchanged_on_the_real_files(real_data, tmp_path, rel):
    path = real_data / rel
    if not path.is_file():
        pytest.skip(f"real recording not found at {path}")
    flags, summary_cols, tables = REAL_FILES[rel]
    r = subprocess.run([sys.executable, "-m", "soleus", "analyze", str(path), *flags, "--no-progress",
                        "--csv", str(tmp_path), "--json", str(tmp_path / "out.json")],
                       capture_output=True, text=True, timeout=scaled(300), env=dict(os.environ, MPLBACKEND="Agg"))
    assert r.returncode == 0, r.stderr
    stem = os.path.splitext(os.path.basename(rel))[0]
    written = sorted(p.name for p in tmp_path.glob(f"{stem}_*.csv"))
    assert written == sorted(f"{stem}_{t}.csv" for t in tables)
    assert pd.read_csv(tmp_path / "summary.csv").columns.tolist() == summary_cols
    for table, cols in tables.items():
        assert pd.read_csv(tmp_path / f"{stem}_{table}.csv").columns.tolist() == cols, table
    f = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["files"][0]
    assert list(f) == ["source", "notes", "summary", *[t for t in ("spectral", "quality", "bursts", "reps", "sets",
                                                                   "activity") if t in tables],
                       "path", "format", "streams"]
    assert list(f["summary"][0]) == summary_cols
    # The printed table: the same columns (minus unit and calibrated; levels printed *_pct_peak).
    header = r.stdout.splitlines()[0].split()
    printed = [c.replace("pct_mvc", "pct_peak") for c in summary_cols if c not in ("unit", "calibrated")]
    assert header == printed


def test_the_files_and_cli_docs_snippet_runs_and_prints_what_it_says(capsys):
    import pathlib
    import re

    doc = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "files_and_cli.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", doc, re.S) if "analyze_recording(Recording" in b)
    exec(compile(block, "docs/files_and_cli.md", "exec"), {})
    said = re.search(r"# (Result .*)$", block, re.M).group(1).strip()
    # A 1 mV sine: RMS 1/sqrt(2) mV, median frequency its own 130 Hz.
    assert capsys.readouterr().out.strip() == said == "Result SO 0.71 130"


def test_window_s_none_skips_the_spectra_only(sim):
    res = _arrays(sim, window_s=None)
    assert res.spectral.empty and res.summary()["median_hz"].isna().all()
    assert res.summary()["rms_mv"].notna().all() and len(res.reps) == len(sim.reps)
    with pytest.raises(ValueError, match="window_s"):
        _arrays(sim, window_s=0)
