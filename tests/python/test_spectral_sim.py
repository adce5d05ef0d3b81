"""spectral_features against scipy.signal.welch, and the EMG generator against its closed form."""
import numpy as np
import pytest
import scipy.signal as sig

import soleus


def test_spectral_features_match_scipy_welch_per_window():
    fs = 2000.0
    x = np.random.default_rng(0).standard_normal(int(6 * fs))
    x = sig.sosfilt(sig.butter(4, [40, 200], "bandpass", fs=fs, output="sos"), x)
    df = soleus.spectral_features(x, fs, window_s=0.5, overlap=0.5, segment_s=0.25, hop_s=0.125)
    assert list(df.columns) == ["t_s", "median_hz", "mean_hz", "band_power", "finsm5"]
    assert len(df) > 30
    for _, row in df.iloc[::7].iterrows():
        a = int(round(row.t_s * fs)) - 500
        f, p = sig.welch(x[a:a + 1000], fs=fs, nperseg=500, noverlap=250, nfft=512)
        band = (f >= 20) & (f <= 450)
        mean_ref = np.sum(f[band] * p[band]) / np.sum(p[band])
        c = np.cumsum(p[band])
        median_ref = f[band][np.searchsorted(c, c[-1] / 2)]
        bin_hz = fs / 512
        assert abs(row.mean_hz - mean_ref) < 0.5, (row.t_s, row.mean_hz, mean_ref)
        assert abs(row.median_hz - median_ref) <= bin_hz, (row.t_s, row.median_hz, median_ref)


def test_spectral_features_multichannel_and_errors():
    x = np.random.default_rng(1).standard_normal((4000, 2))
    df = soleus.spectral_features(x, 2000)
    assert set(df.channel) == {0, 1}
    with pytest.raises(ValueError, match="^fs"):
        soleus.spectral_features(x, 0)
    with pytest.raises(ValueError, match="^x"):
        soleus.spectral_features(np.zeros((2, 2, 2)), 2000)
    with pytest.raises(ValueError, match="^overlap"):
        soleus.spectral_features(x, 2000, overlap=1.5)


def test_spectral_features_axis_like_scipy_welch():
    """A (channels, n_samples) array with axis=-1 (scipy's layout) gives each channel its own windows, each
    the Welch estimate scipy.signal.welch(..., axis=-1) computes; the default axis=0 on that array is a
    ValueError pointing at axis=-1 (it ran 83 s and returned an empty table, issue 14)."""
    import time

    import pandas as pd

    fs = 2000.0
    rng = np.random.default_rng(2)
    bands = [(40.0, 120.0), (80.0, 250.0), (150.0, 400.0)]  # three distinct spectra, one per channel
    x = np.stack([sig.sosfilt(sig.butter(4, b, "bandpass", fs=fs, output="sos"), rng.standard_normal(int(3 * fs)))
                  for b in bands])
    df = soleus.spectral_features(x, fs, axis=-1)
    assert list(df.columns) == ["channel", "t_s", "median_hz", "mean_hz", "band_power", "finsm5"]
    assert sorted(set(df.channel)) == [0, 1, 2]
    # The same table as the (n_samples, channels) layout, and axis=1 is axis=-1.
    pd.testing.assert_frame_equal(df, soleus.spectral_features(x.T, fs))
    pd.testing.assert_frame_equal(df, soleus.spectral_features(x, fs, axis=1))
    for t_s in df.t_s.unique()[::5]:
        a = int(round(t_s * fs)) - 500
        f, p = sig.welch(x[:, a:a + 1000], fs=fs, nperseg=500, noverlap=250, nfft=512, axis=-1)
        band = (f >= 20) & (f <= 450)
        for c in range(3):
            row = df[(df.channel == c) & (df.t_s == t_s)].iloc[0]
            pc = p[c, band]
            mean_ref = np.sum(f[band] * pc) / np.sum(pc)
            cum = np.cumsum(pc)
            median_ref = f[band][np.searchsorted(cum, cum[-1] / 2)]
            assert abs(row.mean_hz - mean_ref) < 0.5, (c, t_s, row.mean_hz, mean_ref)
            assert abs(row.median_hz - median_ref) <= fs / 512, (c, t_s, row.median_hz, median_ref)
    # The channels differ as their bands do (the rows are not one channel repeated).
    means = df.groupby("channel").mean_hz.median()
    assert means[0] < means[1] < means[2]
    # Wrong axis: a named error at once, never thousands of 3-sample channels and an empty table.
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match=r"^x: 3 samples along axis 0 .*axis=-1"):
        soleus.spectral_features(x, fs)
    assert time.perf_counter() - t0 < 5.0  # was 83 s (issue 14); generous for a loaded CI machine
    with pytest.raises(ValueError, match="^x: .*shorter than one window"):
        soleus.spectral_features(np.zeros(100), fs)
    for bad in (2, -3, 0.5, "0", True):
        with pytest.raises(ValueError, match="^axis"):
            soleus.spectral_features(x, fs, axis=bad)
    # rest laid out like x: time along the same axis.
    kw = dict(segment_s=0.25, window_s=0.5)
    pd.testing.assert_frame_equal(soleus.spectral_features(x, fs, axis=-1, rest=x[:, :1000], **kw),
                                  soleus.spectral_features(x.T, fs, rest=x.T[:1000], **kw))


def test_sim_emg_spectrum_matches_shwedyk_closed_form():
    # Closed form of the default spectrum in 20-450 Hz: median 95.7 Hz, mean 115.5 Hz (DESIGN.md).
    x, bursts = soleus.sim.emg(duration_s=60, fs=2000, snr_db=40, seed=11)
    assert len(bursts) == 1
    f, p = sig.welch(x, fs=2000, nperseg=1024)
    band = (f >= 20) & (f <= 450)
    mean = np.sum(f[band] * p[band]) / np.sum(p[band])
    c = np.cumsum(p[band])
    median = np.interp(c[-1] / 2, c, f[band])
    assert abs(median - 95.7) < 3
    assert abs(mean - 115.5) < 3


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rest_noise_floor_subtraction_at_10_db(seed):
    # 5 s of rest (background only), then a 60 s contraction at 10 dB: with the
    # rest PSD subtracted the median and mean are within 3 Hz of the
    # noise-free closed form (95.7 / 115.5 Hz); without it the white floor
    # pulls the mean up by ~5 Hz. The rest span and a separate rest array give
    # the same frames.
    x, _, comp = soleus.sim.emg(duration_s=65, fs=2000, bursts=[(5.0, 65.0)], snr_db=10, seed=seed,
                                return_components=True)
    true_med, true_mean = np.mean(comp["truth_median_hz"]), np.mean(comp["truth_mean_hz"])
    assert abs(true_med - 95.7) < 0.1 and abs(true_mean - 115.5) < 0.1
    kw = dict(window_s=1.0, segment_s=0.25, hop_s=0.5)
    raw = soleus.spectral_features(x, 2000, **kw)
    sub = soleus.spectral_features(x, 2000, rest=(0.5, 4.5), **kw)
    on = (sub.t_s > 6) & (sub.t_s < 64)
    assert abs(sub.median_hz[on].mean() - true_med) < 3
    assert abs(sub.mean_hz[on].mean() - true_mean) < 3
    assert raw.mean_hz[on].mean() - true_mean > 3  # the bias the subtraction removes
    sep = soleus.spectral_features(x, 2000, rest=x[1000:9000], **kw)
    np.testing.assert_array_equal(sep.to_numpy(), sub.to_numpy())
    with pytest.raises(ValueError, match="^rest"):
        soleus.spectral_features(x, 2000, rest=(60.0, 70.0))
    with pytest.raises(ValueError, match="^rest"):
        soleus.spectral_features(x, 2000, rest=x[:100])


def test_sim_emg_bursts_are_ground_truth_and_seeded():
    x, bursts, comp = soleus.sim.emg(duration_s=8, fs=1000, bursts=[(1.0, 2.0), (4.0, 5.5, 0.5)],
                                     snr_db=20, seed=2, return_components=True)
    np.testing.assert_allclose(bursts[["onset_s", "offset_s", "amplitude"]].to_numpy(),
                               [[1.0, 2.0, 1.0], [4.0, 5.5, 0.5]])
    t = comp["t_s"]
    on = comp["activation"] > 0
    assert np.all(on[(t >= 1.0) & (t < 2.0)]) and not np.any(on[(t > 2.1) & (t < 3.9)])
    x2, _ = soleus.sim.emg(duration_s=8, fs=1000, bursts=[(1.0, 2.0), (4.0, 5.5, 0.5)], snr_db=20, seed=2)
    np.testing.assert_array_equal(x, x2)
    # Components add up to the signal.
    total = comp["clean_mv"] + comp["background_mv"] + comp["mains_mv"] + comp["motion_mv"]
    np.testing.assert_allclose(total, x, atol=1e-12)


def test_sim_emg_mains_at_requested_frequency():
    x, _, comp = soleus.sim.emg(duration_s=10, fs=2000, mains_hz=50.5, mains_amplitude_mv=5.0,
                                snr_db=30, seed=4, return_components=True)
    f, p = sig.periodogram(comp["mains_mv"], fs=2000)
    assert abs(f[np.argmax(p)] - 50.5) < 0.2


def test_sim_emg_bad_arguments():
    with pytest.raises(ValueError, match="^bursts"):
        soleus.sim.emg(bursts=[(1.0, 2.0)], n_bursts=3)
    with pytest.raises(ValueError):
        soleus.sim.emg(fs=-1)


def test_heel_raise_session_truth_is_consistent_with_the_sensors():
    s = soleus.sim.heel_raise_session(fs=100, n_sets=2, reps_per_set=6, partial_probability=0.0,
                                      rom_deg=(25, 30), seed=5)
    acc, gyro, reps = s
    assert acc.shape == gyro.shape == (len(s.t_s), 3)
    assert len(reps) == 12 and list(s.sets.n_reps) == [6, 6]
    assert np.all(np.diff(s.t_s) > 0)
    # At rest the accelerometer reads gravity (closed form: |a| = g).
    still = s.t_s < 4.0
    np.testing.assert_allclose(np.linalg.norm(acc[still], axis=1).mean(), 9.80665, atol=0.05)
    # The true angle peaks at each rep's ROM between top and lowering start.
    for r in reps.itertuples():
        top = (s.t_s >= r.top_s) & (s.t_s <= r.lower_start_s)
        assert abs(s.angle_deg[top].max() - r.rom_deg) < 0.5
        assert 25 * 0.75 <= r.rom_deg <= 30 * 1.25
    # Integrated gyro about the true sagittal axis follows the angle (bias aside).
    rate = gyro @ s.sagittal_axis
    assert np.corrcoef(rate[1:], np.diff(s.angle_deg) * 100)[0, 1] > 0.9


def test_heel_raise_session_bad_settings():
    with pytest.raises(ValueError, match="^placement"):
        soleus.sim.heel_raise_session(placement="hand")
    with pytest.raises(ValueError, match="rom_deg"):
        soleus.sim.heel_raise_session(rom_deg=(5, 60))
    with pytest.raises(ValueError, match="^nonsense"):
        soleus.sim.heel_raise_session(nonsense=1)
