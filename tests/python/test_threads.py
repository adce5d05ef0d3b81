"""Issue 12 item 5: one bound object shared by two Python threads.

The pushes release the GIL; each bound object guards itself, so a second
thread waits until the first call is done (calls are serialised and each one
is atomic). Without the guard these runs segfaulted ("double free") or hung,
so each scenario runs in a subprocess: a crash fails the test instead of
killing pytest, and a hang hits the timeout.

Each scenario checks results against a single-threaded reference: both
threads push the same blocks, so whatever the interleaving, the k-th call to
run returns what the k-th call of one thread would (EmgProcessor, SosFilter:
the multiset of per-call outputs equals the reference's), and a Session given
the same time-stamped blocks by both threads accepts each block exactly once,
in order (the later copy is a duplicate), so it sees the reference stream.
"""
import subprocess
import sys
import textwrap

from timeouts import scaled

RUNS = 50

_PRELUDE = textwrap.dedent(
    """
    import sys, threading
    import numpy as np
    import soleus

    RUNS = int(sys.argv[1])

    def two_threads(work):
        barrier = threading.Barrier(2)
        out, errors = [[], []], []
        def run(i):
            try:
                barrier.wait()
                work(i, out[i])
            except BaseException as e:  # reported by the parent
                errors.append(repr(e))
        th = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for t in th: t.start()
        for t in th: t.join()
        assert not errors, errors
        return out

    def same_multiset(got, ref):
        key = lambda a: a.tobytes()
        assert sorted(map(key, got)) == sorted(map(key, ref)), "outputs differ from the reference"
    """
)

_SOS_FILTER = """
rng = np.random.default_rng(1)
sos = soleus.butter(4, [20, 450], "bandpass", fs=2000)
# 20 channels: two C++ banks; blocks long enough for the released-GIL parts
# of two calls to overlap (with 64 x 3 blocks the unguarded filter passed).
block = rng.standard_normal((4096, 20)).astype(np.float32)
CALLS = 10
ref_f = soleus.SosFilter(sos, channels=20)
ref = [ref_f.process(block) for _ in range(2 * CALLS)]
for _ in range(RUNS):
    f = soleus.SosFilter(sos, channels=20)
    def work(i, out):
        for _ in range(CALLS):
            out.append(f.process(block))
            if i == 1:
                assert f.state.shape == (4, 20, 2)
    a, b = two_threads(work)
    same_multiset(a + b, ref)
    np.testing.assert_array_equal(f.state, ref_f.state)
print("ok")
"""

_EMG_PROCESSOR = """
rng = np.random.default_rng(2)
fs = 2000.0
t = np.arange(256) / fs
block = (rng.standard_normal((256, 2)) * (0.05 + (t > 0.06)[:, None])).astype(np.float32)
CALLS = 12
ref_p = soleus.EmgProcessor(fs, channels=2)
ref = []
for _ in range(2 * CALLS):
    o = ref_p.process(block)
    ref += [np.asarray(o.envelope), np.asarray(o.activation_pct)]
for _ in range(RUNS):
    p = soleus.EmgProcessor(fs, channels=2)
    def work(i, out):
        for _ in range(CALLS):
            o = p.process(block)
            out += [np.asarray(o.envelope), np.asarray(o.activation_pct)]
            p.quality(); p.events(); p.samples
    a, b = two_threads(work)
    same_multiset(a + b, ref)
    assert p.samples == 2 * CALLS * 256
print("ok")
"""

_SESSION = """
x, _ = soleus.sim.emg(duration_s=8, fs=2000, bursts=[(2.0, 3.0), (4.5, 5.5), (6.5, 7.5)], seed=5)
x_all = np.stack([x, 0.8 * x], 1).astype(np.float32)
t_all = 1.0 + np.arange(len(x)) / 2000.0
n = 400
blocks = len(x) // n
cfg = dict(channels=["sol", "gm"], imu_enabled=False, resync_after_samples=10**6)
bursts = lambda evs: [(e["type"], e["channel"], e["t_s"], e["burst"]["duration_s"]) for e in evs
                      if e["type"] in ("burst_onset", "burst_offset")]
ref_s = soleus.Session(**cfg)
for k in range(blocks):
    ref_s.push_emg_block(t_all[k * n:(k + 1) * n], x_all[k * n:(k + 1) * n])
ref = bursts(ref_s.events())
assert len(ref) == 12, ref
for _ in range(RUNS):
    s = soleus.Session(**cfg)
    def work(i, out):
        for k in range(blocks):
            s.push_emg_block(t_all[k * n:(k + 1) * n], x_all[k * n:(k + 1) * n])
            if i == 1:
                out += s.events()  # drains while the other thread pushes
                s.envelope, s.quality, s.emg_stream  # properties: read live state
    a, b = two_threads(work)
    evs = b + s.events()
    assert s.emg_stream["accepted"] == n * blocks, s.emg_stream
    assert bursts(evs) == ref, (bursts(evs), ref)
print("ok")
"""


def _run(body: str) -> None:
    proc = subprocess.run([sys.executable, "-c", _PRELUDE + textwrap.dedent(body), str(RUNS)],
                          capture_output=True, text=True, timeout=scaled(240))
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", (
        f"exit {proc.returncode}\nstdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-4000:]}")


def test_sos_filter_shared_by_two_threads():
    _run(_SOS_FILTER)


def test_emg_processor_shared_by_two_threads():
    _run(_EMG_PROCESSOR)


def test_session_shared_by_two_threads():
    _run(_SESSION)
