"""soleus' filter design and filtering compared directly with scipy.signal."""
import numpy as np
import pytest
import scipy.signal as sig

import soleus


def rel_err(a, b):
    return np.max(np.abs(a - b)) / np.max(np.abs(b))


@pytest.mark.parametrize("fs", [100.0, 1000.0, 2000.0, 4000.0])
@pytest.mark.parametrize("order", [1, 2, 3, 4, 5, 8, 10])
@pytest.mark.parametrize(
    "btype,wn",
    [("lowpass", 0.1), ("highpass", 0.02), ("bandpass", (0.01, 0.225)), ("bandstop", (0.1, 0.2))],
)
def test_butter_equals_scipy(fs, order, btype, wn):
    Wn = np.asarray(wn) * fs
    got = soleus.butter(order, Wn if np.ndim(Wn) else float(Wn), btype, fs=fs)
    want = sig.butter(order, Wn, btype, fs=fs, output="sos")
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10 * np.max(np.abs(want)))


def test_butter_normalised_frequency_without_fs():
    np.testing.assert_allclose(
        soleus.butter(4, [0.1, 0.4], "bandpass"), sig.butter(4, [0.1, 0.4], "bandpass", output="sos"),
        rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(soleus.butter(3, 0.3, "hp"), sig.butter(3, 0.3, "hp", output="sos"),
                               rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "kwargs,arg",
    [
        (dict(N=0, Wn=10, fs=100), "N"),
        (dict(N=11, Wn=10, fs=100), "N"),
        (dict(N=2.5, Wn=10, fs=100), "N"),
        (dict(N=4, Wn=50, fs=100), "Wn"),
        (dict(N=4, Wn=60, fs=100), "Wn"),
        (dict(N=4, Wn=[30, 20], btype="bandpass", fs=100), "Wn"),
        (dict(N=4, Wn=20, btype="bandpass", fs=100), "Wn"),
        (dict(N=4, Wn=[10, 20], btype="lowpass", fs=100), "Wn"),
        (dict(N=4, Wn=10, fs=0), "fs"),
        (dict(N=4, Wn=10, fs=-5), "fs"),
        (dict(N=4, Wn=1.0), "Wn"),
        (dict(N=4, Wn=10, btype="nonsense", fs=100), "btype"),
    ],
)
def test_butter_invalid_raises_valueerror_naming_argument(kwargs, arg):
    with pytest.raises(ValueError, match=rf"^{arg}\b"):
        soleus.butter(**kwargs)


@pytest.mark.parametrize("fs,f0,Q", [(1000, 50, 30), (2000, 60, 10), (4000, 150, 100)])
def test_iirnotch_equals_scipy(fs, f0, Q):
    b, a = sig.iirnotch(f0, Q, fs=fs)
    np.testing.assert_allclose(soleus.iirnotch(f0, Q, fs=fs), sig.tf2sos(b, a), rtol=1e-13, atol=1e-15)


def test_iirnotch_invalid():
    with pytest.raises(ValueError, match="w0"):
        soleus.iirnotch(600, 30, fs=1000)
    with pytest.raises(ValueError, match="Q"):
        soleus.iirnotch(50, -1, fs=1000)


def test_mains_filter_removes_every_harmonic():
    fs = 2000
    sos = soleus.mains_filter(50, fs)
    assert sos.shape == (19, 6)
    w, h = sig.sosfreqz(sos, worN=np.arange(50, 1000, 50.0), fs=fs)
    assert np.all(np.abs(h) < 1e-6)
    # 0.5 Hz off, a notch of -3 dB bandwidth B attenuates like delta / sqrt(delta^2 + (B/2)^2)
    # (closed form for a second-order notch): the same ~-12.6 dB at every harmonic,
    # because every notch has the same absolute width. (The EMG chain tracks the
    # real mains frequency to do better than a fixed notch.)
    w, h = sig.sosfreqz(sos, worN=np.arange(50.5, 1000, 50.0)[:5], fs=fs)
    expected_db = 20 * np.log10(0.5 / np.hypot(0.5, 2.0))
    np.testing.assert_allclose(20 * np.log10(np.abs(h)), expected_db, atol=0.5)


def test_sosfilt_zi_equals_scipy():
    for sos in (sig.butter(4, [20, 450], "bandpass", fs=2000, output="sos"),
                sig.butter(2, 6, fs=2000, output="sos")):
        np.testing.assert_allclose(soleus.sosfilt_zi(sos), sig.sosfilt_zi(sos), rtol=1e-12, atol=1e-14)


@pytest.fixture
def bp():
    return sig.butter(4, [20, 450], "bandpass", fs=2000, output="sos")


def test_sosfilt_float64_equals_scipy_1e12(bp):
    x = np.random.default_rng(1).standard_normal((3, 5000))
    y = soleus.sosfilt(bp, x)
    assert y.dtype == np.float64 and y.shape == x.shape
    assert rel_err(y, sig.sosfilt(bp, x)) <= 1e-12


def test_sosfilt_float32_snr_at_least_94db(bp):
    x = np.random.default_rng(2).standard_normal((8, 20000))
    y = soleus.sosfilt(bp, x.astype(np.float32))
    assert y.dtype == np.float32
    ref = sig.sosfilt(bp, x)
    snr = 10 * np.log10(np.sum(ref ** 2) / np.sum((y - ref) ** 2))
    assert snr >= 94


@pytest.mark.parametrize("axis", [0, 1, -1, 2])
def test_sosfilt_axis_and_zi_like_scipy(bp, axis):
    x = np.random.default_rng(3).standard_normal((4, 5, 300))
    shape = list(x.shape)
    shape[axis] = 2
    zi = np.random.default_rng(4).standard_normal([bp.shape[0]] + shape)
    y, zf = soleus.sosfilt(bp, x, axis=axis, zi=zi)
    y_ref, zf_ref = sig.sosfilt(bp, x, axis=axis, zi=zi)
    assert rel_err(y, y_ref) <= 1e-12
    assert rel_err(zf, zf_ref) <= 1e-12
    assert zf.shape == zf_ref.shape


def test_sosfilt_integer_input_runs_in_float64(bp):
    x = np.arange(100, dtype=np.int16)
    y = soleus.sosfilt(bp, x)
    assert y.dtype == np.float64
    assert rel_err(y, sig.sosfilt(bp, x)) <= 1e-12


def test_sosfilt_bad_arguments(bp):
    with pytest.raises(ValueError, match="^sos"):
        soleus.sosfilt(np.ones((2, 5)), np.zeros(10))
    with pytest.raises(ValueError, match="^axis"):
        soleus.sosfilt(bp, np.zeros((2, 10)), axis=2)
    with pytest.raises(ValueError, match="^zi"):
        soleus.sosfilt(bp, np.zeros((2, 10)), zi=np.zeros((4, 3, 2)))  # should be (4, 2, 2)
    with pytest.raises(ValueError, match="^x"):
        soleus.sosfilt(bp, np.zeros(10, dtype=complex))
    bad = bp.copy()
    bad[0, 3] = 0
    with pytest.raises(ValueError, match="a0"):
        soleus.sosfilt(bad, np.zeros(10))


def test_sosfilter_streaming_chunks_equal_one_block(bp):
    x = np.random.default_rng(5).standard_normal((3000, 5)).astype(np.float32)
    one = soleus.SosFilter(bp, channels=5).process(x)
    f = soleus.SosFilter(bp, channels=5)
    rng = np.random.default_rng(6)
    parts, i = [], 0
    while i < len(x):
        m = int(rng.integers(1, 200))
        parts.append(f.process(x[i:i + m]))
        i += m
    np.testing.assert_array_equal(np.vstack(parts), one)
    # And equals sosfilt on the same data (same kernel, channels in lanes).
    np.testing.assert_array_equal(one, soleus.sosfilt(bp, x, axis=0))


def test_sosfilter_many_channels_and_reset(bp):
    x = np.random.default_rng(7).standard_normal((500, 37))
    f = soleus.SosFilter(bp, channels=37, dtype="float64")
    y1 = f.process(x)
    assert rel_err(y1, sig.sosfilt(bp, x, axis=0)) <= 1e-12
    f.reset()
    np.testing.assert_array_equal(f.process(x), y1)
    assert f.state.shape == (4, 37, 2)


def test_sosfilter_steady_start_has_no_transient():
    lp = soleus.butter(2, 6, fs=2000)
    f = soleus.SosFilter(lp, channels=2, dtype="float64")
    f.reset(x0=[2.5, -1.0])
    y = f.process(np.tile([2.5, -1.0], (400, 1)))
    np.testing.assert_allclose(y, np.tile([2.5, -1.0], (400, 1)), atol=1e-12)


def test_sosfilter_bad_arguments(bp):
    with pytest.raises(ValueError, match="^channels"):
        soleus.SosFilter(bp, channels=0)
    with pytest.raises(ValueError, match="^dtype"):
        soleus.SosFilter(bp, dtype="int8")
    f = soleus.SosFilter(bp, channels=2)
    with pytest.raises(ValueError, match="^x"):
        f.process(np.zeros((10, 3)))


@pytest.mark.parametrize("dtype,channels", [("float64", 11), ("float64", 8), ("float64", 4), ("float32", 8),
                                            ("float32", 5), ("float32", 16)])
def test_sosfilt_threads_do_not_change_the_result(bp, dtype, channels):
    # Long enough to use threads; split across channel groups of the SIMD
    # width, or of half of it (8 float channels: two groups of 4). No thread
    # count may change a bit, with or without zi.
    x = np.random.default_rng(8).standard_normal((channels, 200_000)).astype(dtype)
    one = soleus.sosfilt(bp, x, threads=1)
    many = soleus.sosfilt(bp, x, threads=4)
    two = soleus.sosfilt(bp, x, threads=2)
    default = soleus.sosfilt(bp, x)
    np.testing.assert_array_equal(one, many)
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(one, default)
    zi = np.random.default_rng(9).standard_normal((bp.shape[0], channels, 2))
    y1, zf1 = soleus.sosfilt(bp, x, zi=zi, threads=1)
    y2, zf2 = soleus.sosfilt(bp, x, zi=zi)
    np.testing.assert_array_equal(y1, y2)
    np.testing.assert_array_equal(zf1, zf2)
    if dtype == "float64":
        assert rel_err(one, sig.sosfilt(bp, x)) <= 1e-12
    else:
        ref = sig.sosfilt(bp, x.astype(np.float64))
        snr = 10 * np.log10(np.sum(ref ** 2) / np.sum((one - ref) ** 2))
        assert snr >= 94
    with pytest.raises(ValueError, match="^threads"):
        soleus.sosfilt(bp, x[:, :10], threads=0)


@pytest.mark.parametrize("kwargs, arg", [
    (dict(N=1e10, Wn=100, fs=2000), "N"), (dict(N=True, Wn=100, fs=2000), "N"), (dict(N=0, Wn=100, fs=2000), "N"),
    (dict(N=2, Wn=100, fs=True), "fs"), (dict(N=2, Wn="100", fs=2000), "Wn"), (dict(N=2, Wn=True, fs=2000), "Wn"),
])
def test_butter_bad_arguments_are_value_errors_naming_them(kwargs, arg):
    # Issue 12, Low: TypeError (N=1e10) or silently accepted (True, '100').
    with pytest.raises(ValueError, match=f"^{arg}:"):
        soleus.butter(**kwargs)


def test_sosfilt_axis_none_and_complex_zi_are_value_errors():
    sos = soleus.butter(2, 100, fs=2000)
    with pytest.raises(ValueError, match="^axis:"):
        soleus.sosfilt(sos, np.zeros(10), axis=None)
    with pytest.raises(ValueError, match="^zi:"):
        soleus.sosfilt(sos, np.zeros(10), zi=np.zeros((1, 2), dtype=complex))


def test_sos_filter_state_must_be_finite():
    f = soleus.SosFilter(soleus.butter(2, 100, fs=2000))
    with pytest.raises(ValueError, match="^state:"):
        f.state = np.full((1, 1, 2), np.nan)
    with pytest.raises(ValueError, match="^x0:"):
        f.reset(x0=np.nan)
    assert np.all(np.isfinite(f.process(np.ones(10))))  # the rejected state never got in


def test_sosfilt_zi_of_a_singular_section_raises_like_scipy():
    integrator = np.array([[1.0, 0.0, 0.0, 1.0, -1.0, 0.0]])  # pole at z = 1: no steady state
    with pytest.raises(ValueError, match="^sos: section 0"):
        soleus.sosfilt_zi(integrator)
    with pytest.raises(np.linalg.LinAlgError):  # scipy's answer, which this mirrors
        sig.sosfilt_zi(integrator)
