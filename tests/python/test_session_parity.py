"""Acceptance (issue 5): C++, the C API and Python give identical events on the same synthetic session.

The Python side writes a push sequence (a simulated heel-raise session with two
calf EMG channels and a few transport faults), replays it through
``soleus.Session`` and runs two programs built from tests/: ``replay_c_api``
(C99, the C API) and ``replay_session`` (C++, ``soleus::Session`` directly).
All three print every event as text with full precision; the lists must be
equal line by line. ``soleus.analyze`` on the same arrays (its own, different
chunking) must give the same reps and bursts. The reps are also checked
against the simulator's ground truth, so an engine that agrees with itself
but is wrong still fails.

The programs are found in ``$SOLEUS_BUILD_DIR/tests`` (scripts/test.sh sets
it; default ``build/release`` under the repository root).
"""
import os
import pathlib
import subprocess

import numpy as np
import pytest

import soleus
from session_data import heel_raise_with_emg
import session_replay as sr
from timeouts import scaled

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]


def _program(name):
    build = pathlib.Path(os.environ.get("SOLEUS_BUILD_DIR", REPO_ROOT / "build" / "release"))
    if not build.is_absolute():
        build = REPO_ROOT / build
    if not build.is_dir():
        pytest.skip(f"C/C++ build directory {build} not found: build it (cmake -S . -B build/release -G Ninja; "
                    f"ninja -C build/release replay_c_api replay_session) or set SOLEUS_BUILD_DIR")
    exe = build / "tests" / name
    if not exe.is_file():
        pytest.fail(f"{exe} is missing: the build directory {build} exists but {name} was not built "
                    f"(ninja -C {build} {name})")
    return exe


@pytest.fixture(scope="module")
def session():
    sim, emg, t_emg = heel_raise_with_emg(seed=7, n_sets=2, reps_per_set=5)
    t_imu = sim.t_s.copy()
    acc, gyro = sim.acc.copy(), sim.gyro.copy()
    emg = emg.astype(np.float32)
    # Transport faults, each reported once by the Session: a NaN EMG sample, a repeated EMG stamp,
    # a dropped IMU packet (5 samples: a gap).
    emg[12345, 1] = np.nan
    t_emg = t_emg.copy()
    t_emg[40000] = t_emg[39999]
    keep = np.ones(len(t_imu), bool)
    keep[900:905] = False
    return dict(sim=sim, t_emg=t_emg, emg=emg, t_imu=t_imu[keep], acc=acc[keep], gyro=gyro[keep],
                emg_fs=2000.0, imu_fs=100.0)


def _arrays(s):
    return {k: s[k] for k in ("t_emg", "emg", "t_imu", "acc", "gyro", "emg_fs", "imu_fs")}


def test_cpp_c_api_and_python_give_identical_events(tmp_path, session):
    rng = np.random.default_rng(3)
    sizes = rng.integers(1, 97, size=len(session["t_emg"]))
    path = tmp_path / "pushes.bin"
    recs = sr.write(path, chunk=lambda i: sizes[i], **_arrays(session))
    py_events = sr.replay_python(recs, **_arrays(session))
    py = [sr.line(e, 2) for e in py_events]
    outs = {}
    for name in ("replay_c_api", "replay_session"):
        r = subprocess.run([str(_program(name)), str(path)], capture_output=True, text=True, timeout=scaled(300))
        assert r.returncode == 0, r.stderr
        outs[name] = r.stdout.splitlines()
    assert len(py) > 50
    # The C API and C++ programs are one build: identical to the bit.
    assert outs["replay_c_api"] == outs["replay_session"]
    # Python is identical to them when its engine is built the same way (a local -march=native build);
    # the distributed engine (x86-64-v3, AVX2 + FMA; soleus.__simd__) is another target than the
    # programs' -march=native build, and its float angles may round differently in the last bit
    # (issue 13: "bit for bit where the same fused operations are available, within stated tolerances
    # elsewhere"): then every integer field (type, index, channel, counts, flags) must be equal and every
    # real field within 1e-4 relative or 1e-4 absolute (s, deg, deg/s, %MVC, m, J): measured on the v3 engine
    # against an AVX-512 build, 1e-7 relative for times, angles and ranges; up to 1.2e-5 deg/s for a
    # rep's hold_peak_dps, the peak slope of noise during a hold.
    exact = soleus.__simd__ == "native"
    for name, lines in outs.items():
        assert len(lines) == len(py), f"{name}: {len(lines)} events, Python {len(py)}"
        for k, (a, b) in enumerate(zip(lines, py)):
            if exact or a == b:
                assert a == b, f"{name} event {k} differs:\n  {name}: {a}\n  python: {b}"
                continue
            fa, fb = a.split(","), b.split(",")
            assert len(fa) == len(fb), f"{name} event {k} differs:\n  {name}: {a}\n  python: {b}"
            for x, y in zip(fa, fb):
                if x == y:
                    continue
                assert "." in x + y or "e" in x + y, f"{name} event {k}: integer field {x} != {y}"
                assert float(x) == pytest.approx(float(y), rel=1e-4, abs=1e-4), \
                    f"{name} event {k} differs beyond the tolerance:\n  {name}: {a}\n  python: {b}"

    # What the session must contain (outside references: the simulator's truth and the faults we made).
    sim = session["sim"]
    types = [e["type"] for e in py_events]
    reps = [e["rep"] for e in py_events if e["type"] == "rep_completed"]
    assert len(reps) == len(sim.reps) == 10
    np.testing.assert_allclose([r["start_s"] for r in reps], sim.reps["start_s"], atol=0.05)
    np.testing.assert_allclose([r["rom_deg"] for r in reps], sim.reps["rom_deg"], rtol=0.15)
    assert types.count("set_completed") == 2 and types.count("axis_found") == 1
    for c in (0, 1):
        onsets = [e["burst"]["time_s"] for e in py_events if e["type"] == "burst_onset" and e["channel"] == c]
        assert len(onsets) == 10
        np.testing.assert_allclose(onsets, sim.reps["start_s"] - 0.1, atol=0.08)
    faults = {(e["fault"]["stream"], e["fault"]["kind"]): e for e in py_events if e["type"] == "fault"}
    # The repeated stamp drops that frame, so its slot is also missing (a one-frame gap).
    assert sorted(faults) == [("emg", "duplicate"), ("emg", "gap"), ("emg", "nonfinite"), ("imu", "gap")]
    assert faults[("imu", "gap")]["fault"]["value"] == pytest.approx(0.05, abs=0.011)
    assert faults[("emg", "gap")]["fault"]["value"] == pytest.approx(0.0005, abs=0.0003)
    assert faults[("emg", "nonfinite")]["fault"]["channel"] == 1
    # Every rep's EMG statistics are there (EMG pushed in step with the IMU).
    done = [e for e in py_events if e["type"] == "rep_completed"]
    assert all(e["emg"]["complete"] for e in done)
    assert all(np.all(np.isfinite(e["emg"]["mean_pct_mvc"][:, 3])) for e in done)


def test_other_chunkings_and_analyze_give_the_same_reps_and_bursts(tmp_path, session):
    """Streaming equals offline: frame-by-frame-ish, big blocks and soleus.analyze agree exactly."""
    a = _arrays(session)
    lines = []
    for chunk in (lambda i: 1 + i % 7, lambda i: 4096):
        recs = list(sr.schedule(a["t_emg"], a["t_imu"], chunk)) + [("finish", 0, 0)]
        lines.append([sr.line(e, 2) for e in sr.replay_python(recs, **a)])
    assert lines[0] == lines[1]
    ref = sr.replay_python(list(sr.schedule(a["t_emg"], a["t_imu"], lambda i: 64)) + [("finish", 0, 0)], **a)
    res = soleus.analyze(a["emg"], a["emg_fs"], a["acc"], a["gyro"], a["imu_fs"], t_emg=a["t_emg"],
                         t_imu=a["t_imu"], channels=["soleus", "gm"],
                         muscles=["soleus", "gastrocnemius_medialis"])
    assert [sr.line(e, 2) for e in res.events] == [sr.line(e, 2) for e in ref]
    reps = [e["rep"] for e in ref if e["type"] == "rep_completed"]
    assert res.reps["start_s"].tolist() == [r["start_s"] for r in reps]
    assert res.reps["rom_deg"].tolist() == [r["rom_deg"] for r in reps]
    offs = [e["burst"] for e in ref if e["type"] == "burst_offset"]
    assert sorted(res.bursts["offset_s"].tolist()) == sorted(b["time_s"] for b in offs)
