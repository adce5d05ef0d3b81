"""``soleus demo``: a synthetic heel-raise session streamed through :class:`soleus.Session`.

The session (``soleus.sim.heel_raise_session``, foot-worn IMU at 100 Hz, one
continuous recording) has four parts, each a set: standing heel raises,
seated heel raises, a slow-eccentric set (about 3.5 s lowering, 2-3 s top
hold) and a 30 s isometric hold. :func:`soleus.analyze` pushes it through the
streaming Session; the demo prints the repetition table and the set summary,
compares the counts with the simulator's ground truth and writes a plot.

EMG: the simulator's coupled soleus / gastrocnemius EMG (``emg=True``, 2 kHz,
activation following the phases, soleus share rising when seated) is streamed
with the IMU and calibrated on the simulator's MVC trial, so the tables carry
per-phase %MVC (about 25 %MVC in the rises, the simulator's truth), bursts and
per-burst median frequency.

>>> from soleus.demo import demo_session
>>> s = demo_session()
>>> len(s["truth_reps"])
29
"""
from __future__ import annotations

import os
from typing import Any, Dict, Optional

import numpy as np

# (label, simulator settings); each part starts after a 17 s rest (> the 15 s set gap).
_PARTS = (
    ("standing", dict(posture="standing", n_sets=1, reps_per_set=10, lower_s=(1.5, 2.2), top_hold_s=(0.5, 1.2))),
    ("seated", dict(posture="seated", n_sets=1, reps_per_set=10, lower_s=(1.5, 2.2), top_hold_s=(0.5, 1.2),
                    rom_deg=(15.0, 25.0))),
    ("slow eccentric", dict(posture="standing", n_sets=1, reps_per_set=8, rise_s=(0.5, 0.8), top_hold_s=(2.0, 3.0),
                            lower_s=(3.2, 3.8))),
    ("isometric hold", dict(posture="standing", n_sets=0, reps_per_set=1, isometric_hold_s=30.0)),
)


def demo_session(fs: float = 100.0, seed: int = 5, emg: bool = True) -> Dict[str, Any]:
    """The demo's synthetic session: ``t_s``, ``acc`` (m/s²), ``gyro`` (deg/s), ``fs``, ``truth_reps``, ``parts``.

    With ``emg`` also ``emg`` (n, 2) mV, ``emg_t_s``, ``emg_fs``, ``emg_channels`` and ``emg_mvc``
    (the simulator's MVC calibration trial of both channels, mV).
    """
    import pandas as pd

    import soleus

    t0 = 0.0
    ts, accs, gyros, reps, parts = [], [], [], [], []
    ets, emgs, channels, efs, mvc = [], [], None, None, None
    for k, (label, settings) in enumerate(_PARTS):
        extra = dict(emg=True, emg_fs=2000.0) if emg else {}
        s = soleus.sim.heel_raise_session(fs=fs, placement="foot", seed=seed + k, start_time_s=t0,
                                          lead_in_s=6.0 if k == 0 else 17.0, tail_s=3.0, partial_probability=0.0,
                                          random_mounting=False, gyro_bias_max_dps=0.3, **settings, **extra)
        ts.append(s.t_s)
        accs.append(s.acc)
        gyros.append(s.gyro)
        if emg:
            ets.append(np.asarray(s.emg_t_s, dtype=np.float64))
            emgs.append(np.asarray(s.emg))
            channels, efs = tuple(s.emg_channels), float(s.emg_fs)
            if mvc is None:
                mvc = np.asarray(s.emg_mvc)  # the person's MVC trial, recorded once
        r = s.reps.assign(part=label)
        reps.append(r)
        parts.append((label, float(s.t_s[0]), float(s.t_s[-1])))
        t0 = float(s.t_s[-1]) + 1.0 / fs
    truth = pd.concat(reps, ignore_index=True)
    truth["rep"] = np.arange(len(truth))
    out = dict(t_s=np.concatenate(ts), acc=np.vstack(accs), gyro=np.vstack(gyros), fs=fs, truth_reps=truth,
               parts=parts)
    if emg:
        out.update(emg=np.vstack(emgs), emg_t_s=np.concatenate(ets), emg_fs=efs, emg_channels=channels, emg_mvc=mvc)
    return out


def _session_emg(session: Dict[str, Any]):
    """EMG for the demo session: ``(emg, emg_fs, channels, muscles)``, or ``None`` without EMG."""
    if session.get("emg") is None:
        return None
    names = list(session["emg_channels"])
    muscles = ["soleus" if n == "soleus" else "gastrocnemius_medialis" if n.startswith("gastro") else "other"
               for n in names]
    return session["emg"], session["emg_fs"], names, muscles


def run_demo(plot: Optional[str] = "out/demo.png", seed: int = 5) -> int:
    """Build the session, stream it through ``soleus.analyze`` (the Session), print tables, write the plot."""
    import soleus

    s = demo_session(seed=seed)
    emg = _session_emg(s)
    kw: Dict[str, Any] = {}
    if emg is not None:
        x, efs, names, muscles = emg
        # Calibrated on the simulated MVC trial, so the tables print %MVC (about 25 %MVC in the rises).
        kw = dict(emg=x, emg_fs=efs, t_emg=s["emg_t_s"], channels=names, muscles=muscles, emg_unit="mV",
                  mvc=s["emg_mvc"])
    res = soleus.analyze(acc=s["acc"], gyro=s["gyro"], imu_fs=s["fs"], t_imu=s["t_s"],
                         imu_reps=dict(placement="foot"), **kw)
    truth = s["truth_reps"]
    dur = s["t_s"][-1] - s["t_s"][0]
    what = (f" and {len(emg[2])} EMG channels ({', '.join(emg[2])}) at {emg[1]:g} Hz" if emg is not None
            else " (IMU only)")
    print(f"soleus {soleus.__version__} demo: a synthetic heel-raise session, {dur:.0f} s of foot IMU at "
          f"{s['fs']:g} Hz" + what)
    print("parts: " + ", ".join(f"{label} {a:.0f}-{b:.0f} s" for label, a, b in s["parts"]))
    print("streamed through soleus.Session (the C++ engine) by soleus.analyze"
          + (", EMG and IMU interleaved in time order\n" if emg is not None else "\n"))
    print(res.report())
    found = len(res.reps)
    holds = int(res.reps["isometric"].sum()) if found else 0
    print(f"\nground truth: {len(truth)} reps/holds ({int((truth['hold_s'] >= 20).sum())} isometric hold); "
          f"found {found} ({holds} hold(s))")
    if found == len(truth):
        err = np.abs(res.reps["start_s"].to_numpy() - truth["start_s"].to_numpy())
        print(f"heel-off times within {err.max() * 1000:.0f} ms of the truth (median {np.median(err) * 1000:.0f} ms)")
    if plot:
        try:
            d = os.path.dirname(os.path.abspath(plot))
            os.makedirs(d, exist_ok=True)
            res.plot(plot, title="soleus demo: standing, seated, slow-eccentric sets and an isometric hold")
            print(f"plot: {os.path.abspath(plot)}")
        except ImportError as e:
            print(f"plot skipped: {e}")
    return 0
