"""Live Lab Streaming Layer (LSL) input into soleus.Session, printing events as they happen.

    pip install pylsl            # wheels bundle liblsl (or: pip install 'soleus[lsl]')
    python examples/lsl_stream.py              # real time, about 40 s
    python examples/lsl_stream.py --speed 10   # ten times faster

A thread plays a synthetic session as two local LSL outlets, as a sensor app
would: a foot IMU (6 channels: acc m/s², gyro deg/s, 100 Hz) doing heel raises
(soleus.sim.heel_raise_session) and one calf EMG channel (2 kHz, mV) with
bursts (soleus.sim.emg; independent of the reps: the simulator's coupled
EMG is not there yet). The main thread resolves both streams, pulls chunks
and feeds soleus.Session in time order (IMU samples before the EMG frames
stamped after them), printing every repetition, set, burst and fault event.

Without pylsl (or without a loadable liblsl) it says so and exits 0.
"""
import argparse
import os
import sys
import threading
import time

import numpy as np


def _load_pylsl():
    try:
        import pylsl  # noqa: F401
        pylsl.local_clock()
        return pylsl
    except (ImportError, RuntimeError, OSError) as e:  # pylsl missing, or liblsl not loadable
        print(f"lsl_stream: skipped: pylsl / liblsl not available ({e}). "
              f"Install it with: pip install pylsl (its wheels bundle liblsl)")
        return None


def make_session(reps=6, seed=4):
    import soleus

    sim = soleus.sim.heel_raise_session(fs=100, n_sets=1, reps_per_set=reps, seed=seed, partial_probability=0.0,
                                        lead_in_s=4.0, tail_s=2.0)
    dur = float(sim.t_s[-1]) + 0.01
    bursts = [(2.0 + 4.0 * k, 3.0 + 4.0 * k) for k in range(int((dur - 3.0) // 4.0))]
    emg, _ = soleus.sim.emg(duration_s=dur, fs=2000, bursts=bursts, amplitude_mv=0.5, snr_db=15, seed=seed)
    return sim, emg, bursts


def outlet_thread(pylsl, sim, emg, tag, speed, started, done, release):
    """Two outlets; samples pushed in real time / speed with their own time stamps (t0 + data time)."""
    imu_info = pylsl.StreamInfo(f"soleus-imu-{tag}", "IMU", 6, 100.0, "float32", f"soleus-imu-{tag}")
    emg_info = pylsl.StreamInfo(f"soleus-emg-{tag}", "EMG", 1, 2000.0, "float32", f"soleus-emg-{tag}")
    imu_out, emg_out = pylsl.StreamOutlet(imu_info, 32, 360), pylsl.StreamOutlet(emg_info, 64, 360)
    started.set()
    # Give the inlets time to connect: LSL outlets do not buffer for inlets that do not exist yet.
    while not (imu_out.have_consumers() and emg_out.have_consumers()) and not done.is_set():
        time.sleep(0.01)
    imu = np.hstack([sim.acc, sim.gyro]).astype(np.float32)
    t0 = pylsl.local_clock()
    wall0 = time.perf_counter()
    step = 0.02  # 20 ms chunks of data time
    t_end = float(sim.t_s[-1]) + 0.01
    i = j = 0
    t = step
    while t <= t_end + step and not done.is_set():
        j1 = int(np.searchsorted(sim.t_s, t))
        i1 = min(len(emg), int(round(t * 2000)))
        if j1 > j:
            imu_out.push_chunk(imu[j:j1].tolist(), (t0 + sim.t_s[j:j1]).tolist())
        if i1 > i:
            emg_out.push_chunk(emg[i:i1, None].astype(np.float32).tolist(),
                               (t0 + np.arange(i, i1) / 2000.0).tolist())
        i, j = i1, j1
        delay = wall0 + t / speed - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        t += step
    done.set()
    release.wait(30)  # the outlets live until the inlets have everything and closed


def describe(e):
    t = e["type"]
    if t == "rep_completed":
        r = e["rep"]
        emg = e.get("emg", {})
        act = f", soleus {emg['mean_pct_mvc'][0, 3]:.0f} %ref" if emg.get("channels") else ""
        return (f"rep {r['index'] + 1}: ROM {r['rom_deg']:.1f} deg, rise {r['concentric_s']:.2f} s, hold "
                f"{r['hold_s']:.2f} s, lowering {r['eccentric_s']:.2f} s{act}")
    if t == "hold_completed":
        return f"isometric hold: {e['rep']['hold_s']:.1f} s"
    if t == "set_completed":
        s = e["set"]
        return f"set {s['index'] + 1} done: {s['rep_count']} reps, mean ROM {s['mean_rom_deg']:.1f} deg"
    if t in ("burst_onset", "burst_offset"):
        b = e["burst"]
        extra = f" ({b['duration_s']:.2f} s)" if t == "burst_offset" else ""
        return f"EMG burst {b['edge']} at {b['time_s']:.2f} s{extra}"
    if t == "fault":
        f = e["fault"]
        return f"fault: {f['stream']} {f['kind']} ({f['value']:.3g})"
    if t == "axis_found":
        return "IMU sagittal axis found"
    return None


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--speed", type=float, default=1.0, help="playback speed (1 = real time)")
    p.add_argument("--reps", type=int, default=6, help="heel raises in the synthetic set")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the streams")
    args = p.parse_args(argv)
    pylsl = _load_pylsl()
    if pylsl is None:
        return 0
    import soleus

    sim, emg, _ = make_session(args.reps)
    tag = f"{os.getpid()}-{int(time.time() * 1000) % 100000}"  # unique: other LSL users on this network
    started, done, release = threading.Event(), threading.Event(), threading.Event()
    th = threading.Thread(target=outlet_thread, args=(pylsl, sim, emg, tag, args.speed, started, done, release),
                          daemon=True)
    th.start()
    started.wait(10)
    inlets = {}
    for kind in ("imu", "emg"):
        found = pylsl.resolve_byprop("source_id", f"soleus-{kind}-{tag}", 1, args.timeout)
        if not found:
            done.set()
            release.set()
            print(f"lsl_stream: error: the local {kind.upper()} outlet was not found within {args.timeout:g} s "
                  f"(is multicast/loopback blocked?)", file=sys.stderr)
            return 1
        inlets[kind] = pylsl.StreamInlet(found[0], max_buflen=360)
        inlets[kind].open_stream(args.timeout)
    session = soleus.Session(channels=["soleus"], muscles=["soleus"], emg_rate_hz=2000, imu_rate_hz=100,
                             imu_reps={"placement": "foot"})
    print(f"lsl_stream: {session!r} fed from LSL streams soleus-imu-{tag} and soleus-emg-{tag}")
    t0 = None
    emg_t, emg_x = np.zeros(0), np.zeros((0, 1), np.float32)
    imu_t, imu_x = np.zeros(0), np.zeros((0, 6), np.float32)
    n_reps = 0
    quiet_since = None

    def feed(horizon):
        """Push everything stamped <= horizon, IMU samples before the EMG frames stamped after them."""
        nonlocal emg_t, emg_x, imu_t, imu_x, n_reps
        ni = int(np.searchsorted(imu_t, horizon, side="right"))
        ne = int(np.searchsorted(emg_t, horizon, side="right"))
        i = j = 0
        while i < ne or j < ni:
            j1 = j
            while j1 < ni and (i >= ne or imu_t[j1] <= emg_t[i]):
                j1 += 1
            if j1 > j:
                session.push_imu_block(imu_t[j:j1], imu_x[j:j1, :3], imu_x[j:j1, 3:])
                j = j1
            if i < ne:
                i1 = i
                while i1 < ne and (j >= ni or emg_t[i1] < imu_t[j]):
                    i1 += 1
                i1 = max(i1, i + 1)
                session.push_emg_block(emg_t[i:i1], emg_x[i:i1])
                i = i1
        emg_t, emg_x, imu_t, imu_x = emg_t[ne:], emg_x[ne:], imu_t[ni:], imu_x[ni:]
        for e in session.events():
            n_reps += e["type"] == "rep_completed"
            msg = describe(e)
            if msg:
                print(f"  [{e['t_s']:7.2f} s] {msg}", flush=True)

    while True:
        got = False
        for kind, inlet in inlets.items():
            x, ts = inlet.pull_chunk(timeout=0.0, max_samples=4096)
            if not ts:
                continue
            got = True
            if t0 is None:
                t0 = ts[0]
            ts = np.asarray(ts) - t0
            x = np.asarray(x, dtype=np.float32)
            if kind == "emg":
                emg_t, emg_x = np.concatenate([emg_t, ts]), np.vstack([emg_x, x])
            else:
                imu_t, imu_x = np.concatenate([imu_t, ts]), np.vstack([imu_x, x])
        # Both streams have arrived up to the older of their latest stamps: safe to push that far.
        if len(emg_t) and len(imu_t):
            feed(min(emg_t[-1], imu_t[-1]))
        if got:
            quiet_since = None
        elif done.is_set():
            quiet_since = quiet_since or time.perf_counter()
            if time.perf_counter() - quiet_since > 1.0:
                break
        time.sleep(0.005)
    feed(np.inf)
    session.finish()
    for e in session.events():
        n_reps += e["type"] == "rep_completed"
        msg = describe(e)
        if msg:
            print(f"  [{e['t_s']:7.2f} s] {msg}", flush=True)
    for inlet in inlets.values():
        inlet.close_stream()
    release.set()
    th.join(5)
    st = session.emg_stream
    print(f"lsl_stream: {n_reps} reps (the simulator made {len(sim.reps)}); EMG samples {st['accepted']}, "
          f"IMU samples {session.imu_stream['accepted']}, gaps {st['gaps'] + session.imu_stream['gaps']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
