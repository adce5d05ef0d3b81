"""soleus.plot writes PNGs of the asked size that show something (not blank)."""
import numpy as np
import pandas as pd
import pytest

import soleus

plt = pytest.importorskip("matplotlib.pyplot", reason="matplotlib not installed (pip install 'soleus[analysis]')")
import matplotlib.image as mpimg  # noqa: E402

import soleus.plot as splot  # noqa: E402


def _distinct_colours(png):
    img = mpimg.imread(png)
    rgb = (img[..., :3] * 255).astype(np.uint8).reshape(-1, 3)
    return img.shape, len(np.unique(rgb, axis=0))


def test_report_with_angle_reps_emg_bursts_quality(tmp_path):
    s = soleus.sim.heel_raise_session(fs=100, n_sets=1, reps_per_set=4, seed=2)
    x, bursts = soleus.sim.emg(duration_s=float(s.t_s[-1]), fs=1000, n_bursts=4, seed=2)
    t_emg = np.arange(len(x)) / 1000
    env = soleus.sosfilt(soleus.butter(2, 6, fs=1000), np.abs(x))
    quality = pd.DataFrame({"start_s": [1.0, 5.0], "end_s": [2.0, 5.5], "flag": ["flat", "saturated"]})
    out = splot.plot_report(tmp_path / "report.png", t_s=s.t_s, angle_deg=s.angle_deg, reps=s.reps,
                            emg_t_s=t_emg, envelope=env, bursts=bursts, channels=["SO"], emg_unit="mV",
                            quality=quality, width_px=1000, height_px=700, title="sim")
    shape, colours = _distinct_colours(out)
    assert shape[:2] == (700, 1000)
    assert colours > 50  # lines, three phase colours, bursts, flags, anti-aliasing


def test_single_panels_and_default_height(tmp_path):
    t = np.arange(3000) / 1000
    env = np.abs(np.sin(2 * np.pi * 0.5 * t))[:, None] * [1.0, 0.5]
    bursts = pd.DataFrame({"channel": [0, 1], "onset_s": [0.2, 1.1], "offset_s": [0.8, 1.9]})
    p = splot.plot_report(tmp_path / "emg.png", emg_t_s=t, envelope=env, bursts=bursts, channels=["SO", "GM"])
    shape, colours = _distinct_colours(p)
    assert shape[:2] == (300, 1200) and colours > 20
    ax = splot.plot_angle(t, 20 * env[:, 0], pd.DataFrame({"start_s": [0.1], "top_s": [0.5],
                                                            "lower_start_s": [0.9], "end_s": [1.8]}))
    assert len(ax.patches) == 3  # rise, hold, lower
    plt.close("all")


def test_plot_errors_name_the_argument(tmp_path):
    t = np.arange(10) / 10
    with pytest.raises(ValueError, match="^reps: missing columns"):
        splot.plot_angle(t, t, pd.DataFrame({"start_s": [0.0]}))
    with pytest.raises(ValueError, match="^envelope: expected shape"):
        splot.plot_emg(t, np.zeros(5))
    with pytest.raises(ValueError, match="^bursts: missing columns"):
        splot.plot_emg(t, t, pd.DataFrame({"on": [1]}))
    with pytest.raises(ValueError, match="^plot_report: nothing to plot"):
        splot.plot_report(tmp_path / "x.png")
    with pytest.raises(ValueError, match="^width_px"):
        splot.plot_report(tmp_path / "x.png", t_s=t, angle_deg=t, width_px=10)
    plt.close("all")


def test_level_shift_rows_are_a_dotted_onset_not_a_burst_band():
    t = np.arange(3000) / 1000
    env = np.abs(np.sin(2 * np.pi * 0.5 * t))
    bursts = pd.DataFrame({"channel": [0, 0], "onset_s": [0.2, 1.5], "offset_s": [0.8, 2.5],
                           "level_shift": [False, True]})
    ax = splot.plot_emg(t, env, bursts)
    assert len(ax.patches) == 1  # one band: the contraction
    styles = [(ln.get_xdata()[0], ln.get_linestyle()) for ln in ax.lines if ln.get_linestyle() in ("-", "--", ":")
              and len(ln.get_xdata()) == 2]
    assert (1.5, ":") in styles and not any(x == 2.5 for x, _ in styles)
    plt.close("all")


def test_tempo_plot_marks_the_reps_off_tempo():
    s = soleus.sim.heel_raise_session(fs=100, n_sets=2, reps_per_set=8, seed=5)
    truth = s.reps
    # The simulator's true phase times, from its boundaries (not the plot's duration columns).
    lower = (truth["end_s"] - truth["lower_start_s"]).to_numpy()
    hold = (truth["lower_start_s"] - truth["top_s"]).to_numpy()
    # Bounds inside the drawn ranges, so that some reps keep the tempo and some do not.
    tempo = {"eccentric_min_s": float(np.median(lower)), "hold_max_s": float(np.quantile(hold, 0.75)),
             "tolerance_s": 0.05}
    lower_off = lower < tempo["eccentric_min_s"] - 0.05
    hold_off = hold > tempo["hold_max_s"] + 0.05
    assert 0 < lower_off.sum() < len(truth) and 0 < hold_off.sum() < len(truth)
    axes = splot.plot_tempo(truth[["start_s", "top_s", "lower_start_s", "end_s"]], tempo)
    assert [a.get_ylabel() for a in axes] == ["rise (s)", "hold (s)", "lowering (s)"]

    def gids(ax, gid):
        return sum(1 for p in ax.patches if p.get_gid() == gid)

    assert gids(axes[2], "lower_outside") == lower_off.sum()
    assert gids(axes[2], "lower_inside") == len(truth) - lower_off.sum()
    assert gids(axes[1], "hold_outside") == hold_off.sum()
    assert gids(axes[0], "rise_outside") == 0  # the rise is not bounded
    assert gids(axes[2], "tempo_target_lower") == 1 and gids(axes[0], "tempo_target_rise") == 0
    on_tempo = len(truth) - int((lower_off | hold_off).sum())
    assert axes[0].get_title() == f"{len(truth)} reps, {on_tempo} on tempo"
    assert axes[0].get_legend() is not None
    plt.close("all")


def test_tempo_plot_errors_name_the_argument():
    s = soleus.sim.heel_raise_session(fs=100, n_sets=1, reps_per_set=3, seed=1)
    with pytest.raises(ValueError, match=r"^tempo\.eccentric_minimum_s: unknown"):
        splot.plot_tempo(s.reps, {"eccentric_minimum_s": 3})
    with pytest.raises(ValueError, match=r"^tempo\.hold_min_s: expected seconds >= 0"):
        splot.plot_tempo(s.reps, {"hold_min_s": -1})
    with pytest.raises(ValueError, match=r"need min <= max"):
        splot.plot_tempo(s.reps, {"hold_min_s": 3, "hold_max_s": 2})
    with pytest.raises(ValueError, match=r"^reps: the table is empty"):
        splot.plot_tempo(s.reps.iloc[:0])
    with pytest.raises(ValueError, match=r"^reps: missing columns"):
        splot.plot_tempo(pd.DataFrame({"start_s": [1.0]}))
    _, two = plt.subplots(2, 1)
    with pytest.raises(ValueError, match=r"^ax: expected 3 Axes"):
        splot.plot_tempo(s.reps, ax=two)
    plt.close("all")
