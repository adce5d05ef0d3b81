"""A recorded push sequence (EMG and IMU blocks in time order) and its replay through soleus.Session.

The file format is the one tests/c/replay_c_api.c and tests/cpp/replay_session.cpp
read; event lines are formatted exactly as they print them (doubles ``%.17g``,
NaN as ``nan``, floats widened to double), so the three can be compared as text.
"""
import struct

import numpy as np

import soleus
from soleus._session import EVENT_TYPES

FAULT_KINDS = ("gap", "duplicate", "out_of_order", "clock_reset", "rate_drift", "bad_timestamp", "nonfinite",
               "saturated")
MUSCLES = ("soleus", "gastrocnemius_medialis", "gastrocnemius_lateralis", "tibialis_anterior")
NAMES = ("soleus", "gm", "gl", "ta")


def schedule(t_emg, t_imu, chunk):
    """Push records in time order (as tests/cpp/session_sim.hpp feed()): before each EMG block the IMU
    samples stamped at or before its first frame; an EMG block of at most chunk(i) frames ends before
    the next IMU stamp. Yields ('emg' | 'imu', start, stop)."""
    n, m = len(t_emg), len(t_imu)
    i = j = 0
    while i < n or j < m:
        j1 = j
        while j1 < m and (i >= n or t_imu[j1] <= t_emg[i]):
            j1 += 1
        if j1 > j:
            yield "imu", j, j1
            j = j1
        if i < n:
            k = max(1, int(chunk(i)))
            lim = i
            while lim < n and lim - i < k and (j >= m or t_emg[lim] < t_imu[j]):
                lim += 1
            if lim == i:
                lim = i + 1
            yield "emg", i, lim
            i = lim


def write(path, *, t_emg, emg, t_imu, acc, gyro, emg_fs, imu_fs, chunk):
    """Writes the push sequence; returns the records [(kind, start, stop)] (finish last)."""
    emg = np.ascontiguousarray(emg, dtype=np.float32)
    acc = np.ascontiguousarray(acc, dtype=np.float32)
    gyro = np.ascontiguousarray(gyro, dtype=np.float32)
    t_emg = np.ascontiguousarray(t_emg, dtype=np.float64)
    t_imu = np.ascontiguousarray(t_imu, dtype=np.float64)
    C = emg.shape[1]
    recs = list(schedule(t_emg, t_imu, chunk))
    with open(path, "wb") as f:
        f.write(b"SOLEUSR1" + struct.pack("<iidd", C, 1 if len(t_imu) else 0, emg_fs, imu_fs))
        for kind, a, b in recs:
            if kind == "emg":
                f.write(struct.pack("<ii", 1, b - a) + t_emg[a:b].tobytes() + emg[a:b].tobytes())
            else:
                f.write(struct.pack("<ii", 2, b - a) + t_imu[a:b].tobytes() + acc[a:b].tobytes() +
                        gyro[a:b].tobytes())
        f.write(struct.pack("<ii", 3, 0))
    return recs + [("finish", 0, 0)]


def session_for(C, emg_fs, imu_fs, imu=True):
    return soleus.Session(channels=list(NAMES[:C]), muscles=list(MUSCLES[:C]), emg_rate_hz=emg_fs,
                          imu_rate_hz=imu_fs, imu_enabled=imu)


def replay_python(recs, *, t_emg, emg, t_imu, acc, gyro, emg_fs, imu_fs):
    """The same records through soleus.Session; returns the events (dicts)."""
    C = emg.shape[1]
    s = session_for(C, emg_fs, imu_fs, imu=len(t_imu) > 0)
    out = []
    for kind, a, b in recs:
        if kind == "emg":
            s.push_emg_block(t_emg[a:b], emg[a:b])
        elif kind == "imu":
            s.push_imu_block(t_imu[a:b], acc[a:b], gyro[a:b])
        else:
            s.finish()
        out += s.events()
    return out


def _d(v):
    v = float(v)
    return "nan" if np.isnan(v) else "%.17g" % v


def line(e, C):
    """One event as the C and C++ replay programs print it."""
    t = EVENT_TYPES.index(e["type"])
    parts = [str(t), _d(e["t_s"]), str(e["channel"]), _d(e["value"])]
    if t <= EVENT_TYPES.index("rest_measured") or e["type"] == "rep_refined":
        r = e["rep"]
        parts.append(str(r["index"]))
        parts += [_d(r[k]) for k in ("start_s", "top_s", "lower_start_s", "end_s", "concentric_s", "hold_s",
                                     "eccentric_s", "rest_s")]
        parts.append(str(int(r["rest_known"])))
        parts += [_d(r[k]) for k in ("baseline_deg", "top_deg", "rom_deg", "concentric_peak_dps",
                                     "concentric_mean_dps", "hold_peak_dps", "eccentric_peak_dps",
                                     "eccentric_mean_dps", "heel_rise_m", "work_j")]
        parts += [str(int(r["partial"])), str(int(r["isometric"]))]
        if e["type"] in ("rep_completed", "hold_completed"):
            m = e["emg"]
            parts.append(str(int(m["complete"])))
            for c in range(C):
                parts += [_d(v) for v in m["mean_pct_mvc"][c]] + [_d(v) for v in m["rms"][c]]
                parts.append(_d(m["onset_rel_heel_off_s"][c]))
    elif e["type"] == "set_completed":
        s = e["set"]
        parts += [str(s[k]) for k in ("index", "rep_count", "partial_count", "hold_count")]
        parts += [_d(s[k]) for k in ("start_s", "end_s", "mean_concentric_s", "mean_hold_s", "mean_eccentric_s",
                                     "mean_rest_s", "mean_rom_deg", "median_rom_deg", "time_under_tension_s",
                                     "total_work_j", "longest_hold_s", "total_hold_s", "tempo_adherence")]
    elif e["type"] in ("burst_onset", "burst_offset"):
        b = e["burst"]
        parts += [str(b["channel"])] + [_d(b[k]) for k in ("time_s", "detected_at_s", "duration_s", "peak_pct_mvc",
                                                           "mean_pct_mvc")]
        parts += [str(int(b["calibrated"])), str(int(b["level_shift"]))]
    elif e["type"] == "fault":
        f = e["fault"]
        parts += [str(0 if f["stream"] == "emg" else 1), str(FAULT_KINDS.index(f["kind"])), str(f["channel"]),
                  _d(f["value"])]
    return ",".join(parts)
