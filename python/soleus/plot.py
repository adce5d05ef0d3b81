"""Plots of analysis results (matplotlib): angle with rep phases, EMG envelopes with bursts, quality.

Each ``plot_*`` function draws on a given ``ax`` (or a new figure) and returns
the axes; :func:`plot_report` stacks the panels that have data and writes a PNG
of an exact pixel size. Inputs are plain arrays and the package's DataFrames:
reps (``start_s``, ``top_s``, ``lower_start_s``, ``end_s``), bursts
(``onset_s``, ``offset_s``, optional ``channel``) and quality spans
(``start_s``, ``end_s``, optional ``flag`` and ``channel``). :func:`plot_day`
draws a per-minute activity table (:func:`soleus.activity`,
``Result.activity``) as one row per hour; :func:`plot_tempo` each rep's rise,
hold and lowering times against a prescribed tempo. Needs matplotlib
(``pip install 'soleus[analysis]'``); without a display it uses the Agg backend.

>>> import soleus, soleus.plot as splot
>>> s = soleus.sim.heel_raise_session(fs=100, n_sets=1, reps_per_set=4)
>>> splot.plot_report("session.png", t_s=s.t_s, angle_deg=s.angle_deg, reps=s.reps)  # doctest: +SKIP
'session.png'
"""
from __future__ import annotations

import os
import sys

import numpy as np

__all__ = ["plot_angle", "plot_emg", "plot_quality", "plot_report", "plot_day", "plot_tempo", "PHASE_COLORS"]

# Phase colours: rise (concentric), hold at the top, lowering (eccentric).
PHASE_COLORS = {"rise": "#f4a261", "hold": "#e9c46a", "lower": "#2a9d8f"}
_QUALITY_COLORS = ("#e63946", "#9d4edd", "#457b9d", "#ff006e", "#6c757d")


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise ImportError("soleus.plot needs matplotlib: pip install matplotlib "
                          "(or pip install 'soleus[analysis]')") from None
    # No display (CI, servers, a CLI run over ssh): draw off-screen.
    if "matplotlib.pyplot" not in sys.modules and not os.environ.get("DISPLAY") \
            and not os.environ.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux"):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _axes(ax):
    if ax is not None:
        return ax
    plt = _pyplot()
    return plt.subplots(figsize=(10, 3))[1]


def _require_columns(df, cols, name):
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{name}: missing columns {missing}; has {list(df.columns)}")


def _as_trace(t_s, y, name):
    t = np.asarray(t_s, dtype=np.float64)
    y = np.asarray(y)
    if t.ndim != 1:
        raise ValueError(f"t_s: expected a 1-D array of seconds, got shape {t.shape}")
    if y.ndim == 1:
        y = y[:, None]
    if y.ndim != 2 or y.shape[0] != t.shape[0]:
        raise ValueError(f"{name}: expected shape ({t.shape[0]},) or ({t.shape[0]}, channels) to match "
                         f"t_s, got {np.shape(y)}")
    return t, y


def _shade_reps(ax, reps, alpha):
    """Shade each rep's rise, hold and lowering (labels once, for the legend)."""
    if reps is None or not len(reps):
        return
    _require_columns(reps, ["start_s", "top_s", "lower_start_s", "end_s"], "reps")
    labelled = set()
    for r in reps.itertuples(index=False):
        for (a, b), phase in (((r.start_s, r.top_s), "rise"), ((r.top_s, r.lower_start_s), "hold"),
                              ((r.lower_start_s, r.end_s), "lower")):
            if np.isfinite(a) and np.isfinite(b) and b > a:
                ax.axvspan(a, b, color=PHASE_COLORS[phase], alpha=alpha, lw=0,
                           label=None if phase in labelled else phase)
                labelled.add(phase)


def plot_angle(t_s, angle_deg, reps=None, *, ax=None, title=None):
    """Plantar-flexion angle (deg) over time with each rep's phases shaded.

    ``reps``: DataFrame with ``start_s``, ``top_s``, ``lower_start_s``,
    ``end_s`` (as from ``soleus.sim.heel_raise_session(...).reps``): rise from
    start to top, hold from top to lower start, lowering from lower start to end.

    >>> import soleus
    >>> s = soleus.sim.heel_raise_session(fs=100, n_sets=1, reps_per_set=3)
    >>> ax = plot_angle(s.t_s, s.angle_deg, s.reps)
    >>> ax.get_ylabel()
    'angle (deg)'
    """
    t, y = _as_trace(t_s, angle_deg, "angle_deg")
    ax = _axes(ax)
    ax.plot(t, y[:, 0], color="black", lw=1.0, label="angle")
    _shade_reps(ax, reps, alpha=0.45)
    ax.set_ylabel("angle (deg)")
    ax.set_xlabel("time (s)")
    ax.legend(loc="upper right", fontsize="small", ncol=4)
    if title:
        ax.set_title(title)
    return ax


def plot_emg(t_s, envelope, bursts=None, *, channels=None, unit="", reps=None, ax=None, title=None):
    """EMG envelopes over time, one line per channel, with burst onsets/offsets marked.

    ``envelope``: ``(n,)`` or ``(n, channels)``. ``bursts``: DataFrame with
    ``onset_s`` and ``offset_s`` (and ``channel``, a 0-based index, when there
    are several channels); each burst is a band in its channel's colour with
    onset (solid) and offset (dashed) lines; a row with ``level_shift`` True (a
    rise of the resting level, not a contraction) is a dotted line at its onset
    only. ``reps`` (as in :func:`plot_angle`) shades the rep phases behind the
    envelopes.

    >>> import numpy as np, pandas as pd
    >>> t = np.arange(2000) / 1000
    >>> ax = plot_emg(t, np.abs(np.sin(t)), pd.DataFrame({"onset_s": [0.5], "offset_s": [1.2]}))
    """
    t, y = _as_trace(t_s, envelope, "envelope")
    ax = _axes(ax)
    names = list(channels) if channels is not None else [f"ch {i}" for i in range(y.shape[1])]
    if len(names) != y.shape[1]:
        raise ValueError(f"channels: {len(names)} names for {y.shape[1]} envelope columns")
    colors = [f"C{i % 10}" for i in range(y.shape[1])]
    _shade_reps(ax, reps, alpha=0.2)
    for i in range(y.shape[1]):
        ax.plot(t, y[:, i], color=colors[i], lw=1.0, label=names[i])
    if bursts is not None and len(bursts):
        _require_columns(bursts, ["onset_s", "offset_s"], "bursts")
        ch = bursts["channel"].to_numpy() if "channel" in bursts.columns else np.zeros(len(bursts), int)
        shift = (bursts["level_shift"].to_numpy(bool) if "level_shift" in bursts.columns
                 else np.zeros(len(bursts), bool))
        for c, on, off, sh in zip(ch, bursts["onset_s"], bursts["offset_s"], shift):
            color = colors[int(c) % len(colors)] if 0 <= int(c) < len(colors) else "gray"
            if sh:
                if np.isfinite(on):
                    ax.axvline(on, color=color, lw=1.0, ls=":")
                continue
            if np.isfinite(on):
                ax.axvline(on, color=color, lw=1.2)
            if np.isfinite(on) and np.isfinite(off):
                ax.axvspan(on, off, color=color, alpha=0.12, lw=0)
                ax.axvline(off, color=color, lw=1.2, ls="--")
    ax.set_ylabel(f"EMG envelope ({unit})" if unit else "EMG envelope")
    ax.set_xlabel("time (s)")
    if y.shape[1] <= 8 or reps is not None:
        ax.legend(loc="upper right", fontsize="small", ncol=min(4, y.shape[1]))
    if title:
        ax.set_title(title)
    return ax


def plot_quality(quality, *, ax=None, t_range_s=None, title=None):
    """Quality flags as shaded time spans, one row per flag.

    ``quality``: DataFrame with ``start_s``, ``end_s`` and optionally ``flag``
    (e.g. ``'flat'``, ``'saturated'``, ``'mains'``, ``'gap'``) and ``channel``.

    >>> import pandas as pd
    >>> ax = plot_quality(pd.DataFrame({"start_s": [1.0], "end_s": [2.5], "flag": ["flat"]}))
    """
    _require_columns(quality, ["start_s", "end_s"], "quality")
    ax = _axes(ax)
    flags = quality["flag"].astype(str).to_numpy() if "flag" in quality.columns \
        else np.array(["flag"] * len(quality))
    if "channel" in quality.columns:
        flags = np.array([f"{f} (ch {c})" for f, c in zip(flags, quality["channel"])])
    kinds = list(dict.fromkeys(flags))
    for row, kind in enumerate(kinds):
        sel = flags == kind
        # Point events (a fault at one instant) get a visible minimum width.
        t = np.concatenate([quality["start_s"].to_numpy(float), quality["end_s"].to_numpy(float)])
        t = t[np.isfinite(t)]
        span = (t.max() - t.min()) if len(t) else 1.0
        if t_range_s is not None:
            span = t_range_s[1] - t_range_s[0]
        w = 0.002 * span if span > 0 else 0.01
        spans = [(a, max(b - a, w)) for a, b in zip(quality["start_s"][sel], quality["end_s"][sel])
                 if np.isfinite(a) and np.isfinite(b) and b >= a]
        ax.broken_barh(spans, (row + 0.1, 0.8), color=_QUALITY_COLORS[row % len(_QUALITY_COLORS)])
    ax.set_yticks(np.arange(len(kinds)) + 0.5)
    ax.set_yticklabels(kinds)
    ax.set_ylim(0, max(1, len(kinds)))
    if t_range_s is not None:
        ax.set_xlim(*t_range_s)
    ax.set_xlabel("time (s)")
    if not kinds:
        ax.text(0.5, 0.5, "no quality flags", transform=ax.transAxes, ha="center", va="center")
    if title:
        ax.set_title(title)
    return ax


def plot_report(path, *, t_s=None, angle_deg=None, reps=None, emg_t_s=None, envelope=None,
                bursts=None, channels=None, emg_unit="", quality=None, title=None,
                width_px=1200, height_px=None, dpi=100):
    """Write a PNG with one panel per thing given: angle + reps, EMG envelopes + bursts, quality.

    Parameters
    ----------
    path : str or path-like, or None
        Output PNG; ``None``: no file, the open matplotlib Figure is returned.
    t_s, angle_deg, reps
        Angle panel (see :func:`plot_angle`); without ``angle_deg`` the reps
        are shaded on the EMG panel.
    emg_t_s, envelope, bursts, channels, emg_unit
        EMG panel (see :func:`plot_emg`); ``emg_t_s`` defaults to ``t_s``.
    quality
        Quality panel (see :func:`plot_quality`).
    width_px, height_px : int
        Image size in pixels (height default: 300 per panel).

    Returns
    -------
    str or Figure
        ``path``, or the Figure when ``path`` is None.

    >>> import soleus
    >>> s = soleus.sim.heel_raise_session(fs=100, n_sets=1, reps_per_set=3)
    >>> plot_report("reps.png", t_s=s.t_s, angle_deg=s.angle_deg, reps=s.reps)  # doctest: +SKIP
    'reps.png'
    """
    panels = []
    if angle_deg is not None:
        if t_s is None:
            raise ValueError("t_s: needed with angle_deg")
        panels.append("angle")
    if envelope is not None:
        if emg_t_s is None:
            emg_t_s = t_s
        if emg_t_s is None:
            raise ValueError("emg_t_s: needed with envelope")
        panels.append("emg")
    if quality is not None:
        panels.append("quality")
    if not panels:
        raise ValueError("plot_report: nothing to plot; give angle_deg, envelope or quality")
    for name, v in (("width_px", width_px), ("height_px", height_px), ("dpi", dpi)):
        if v is not None and (not isinstance(v, (int, np.integer)) or v < 50):
            raise ValueError(f"{name}: expected an integer >= 50, got {v!r}")
    if height_px is None:
        height_px = 300 * len(panels) + (40 if title else 0)
    plt = _pyplot()
    ratios = [1 if p != "quality" else 0.5 for p in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(width_px / dpi, height_px / dpi), dpi=dpi,
                             sharex=True, squeeze=False, gridspec_kw={"height_ratios": ratios})
    axes = axes[:, 0]
    try:
        t_range = None
        for ax, p in zip(axes, panels):
            if p == "angle":
                plot_angle(t_s, angle_deg, reps, ax=ax)
                t_range = (float(np.min(t_s)), float(np.max(t_s)))
            elif p == "emg":
                plot_emg(emg_t_s, envelope, bursts, channels=channels, unit=emg_unit, ax=ax,
                         reps=reps if "angle" not in panels else None)
                t_range = t_range or (float(np.min(emg_t_s)), float(np.max(emg_t_s)))
            else:
                plot_quality(quality, ax=ax, t_range_s=t_range)
        for ax in axes[:-1]:
            ax.set_xlabel("")
        if title:
            fig.suptitle(title)
        fig.tight_layout()
        if path is None:
            return fig
        # No bbox_inches="tight": the PNG keeps exactly width_px x height_px.
        fig.savefig(os.fspath(path), dpi=dpi, format="png")
    finally:
        if path is not None:
            plt.close(fig)
    return os.fspath(path)


def _day_table(activity):
    """The per-minute table behind :func:`plot_day` and its alert times (s), validated."""
    import pandas as pd

    alerts = None
    if not isinstance(activity, pd.DataFrame) and hasattr(activity, "activity"):
        activity = activity.activity  # a soleus.Result
        if activity is None:
            raise ValueError("activity: this result has no activity table (it needs IMU data: acc + gyro)")
    if not isinstance(activity, pd.DataFrame):
        raise ValueError(f"activity: expected a per-minute activity table (soleus.activity, Result.activity) "
                         f"or a Result, got {type(activity).__name__}")
    if not len(activity):
        raise ValueError("activity: the table is empty (no minute with IMU samples)")
    _require_columns(activity, ["start_s", "active_s"], "activity")
    if "steps" not in activity.columns and "strides" not in activity.columns:
        raise ValueError(f"activity: missing column 'steps' (or 'strides'); has {list(activity.columns)}")
    start = activity["start_s"].to_numpy(dtype=np.float64)
    active = activity["active_s"].to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(start)):
        raise ValueError("activity: start_s must be finite seconds")
    if not np.all(np.isfinite(active)) or np.any(active < 0) or np.any(active > 60.0 + 1e-6):
        raise ValueError("activity: active_s must be seconds within 0..60 per minute")
    a = activity.attrs.get("alerts")
    if a is not None and len(a):
        alerts = np.asarray(a["t_s"], dtype=np.float64)
    return activity, alerts


def plot_day(activity, path=None, *, ax=None, alerts=None, title=None, width_px=1200, height_px=None, dpi=100):
    """The day at a glance: one row per hour, a cell per minute coloured by its calf-pump active seconds.

    Inactivity alerts are marked with a red triangle in the minute they were
    raised, the steps of each hour are written at the row's end, minutes
    without IMU data are grey. Rows are the hours of the stream clock (the
    hour a minute's middle falls in: the time of day when time stamps are
    seconds since midnight, else hours since the recording's clock zero).

    Parameters
    ----------
    activity : DataFrame or Result
        A per-minute table with ``start_s``, ``active_s`` and ``steps`` (or
        ``strides``): :func:`soleus.activity`, ``Result.activity`` (with its
        ``attrs["alerts"]``) or a result that has one.
    path : str or path-like, optional
        Write a PNG of ``width_px`` x ``height_px`` pixels and return the path.
    ax : matplotlib Axes, optional
        Draw on it (default: a new figure); returns it when ``path`` is None.
    alerts : array of float, optional
        Alert times (s); default: the table's ``attrs["alerts"]`` (the
        Session's inactivity alerts; :func:`soleus.activity` has none).
    title : str, optional
        Default: the day's totals.
    width_px, height_px, dpi : int
        Image size (height default: 30 px per hour plus margins).

    Returns
    -------
    str or Axes
        ``path``, or the Axes drawn on when ``path`` is None.

    Raises
    ------
    ValueError
        An empty table, missing columns, or active seconds outside 0..60.

    >>> import soleus
    >>> day = soleus.sim.day(hours=2, fs=60, seed=4)
    >>> res = soleus.analyze(acc=day.acc, gyro=day.gyro, imu_fs=60, t_imu=day.t_s)
    >>> soleus.plot.plot_day(res, "day.png")  # doctest: +SKIP
    'day.png'
    """
    table, table_alerts = _day_table(activity)
    if alerts is None:
        alerts = table_alerts
    alerts = np.zeros(0) if alerts is None else np.asarray(alerts, dtype=np.float64).ravel()
    alerts = alerts[np.isfinite(alerts)]
    for name, v in (("width_px", width_px), ("height_px", height_px), ("dpi", dpi)):
        if v is not None and (not isinstance(v, (int, np.integer)) or v < 50):
            raise ValueError(f"{name}: expected an integer >= 50, got {v!r}")
    start = table["start_s"].to_numpy(dtype=np.float64)
    active = table["active_s"].to_numpy(dtype=np.float64)
    steps = table["steps"].to_numpy() if "steps" in table.columns else 2 * table["strides"].to_numpy()
    # A minute's cell is the clock minute its middle falls in (minutes start at the first sample).
    mid = start + 30.0
    hour = np.floor(mid / 3600.0).astype(np.int64)
    h0, h1 = int(hour.min()), int(hour.max())
    n_rows = h1 - h0 + 1
    row = hour - h0
    col = np.clip(np.floor((mid - 3600.0 * hour) / 60.0), 0, 59).astype(np.int64)
    grid = np.full((n_rows, 60), np.nan)
    grid[row, col] = active
    steps_per_hour = np.bincount(row, weights=steps, minlength=n_rows).astype(np.int64)

    plt = _pyplot()
    import matplotlib.colors as mcolors
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    own = ax is None
    if own:
        if height_px is None:
            height_px = 30 * n_rows + 170
        fig, ax = plt.subplots(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    fig = ax.figure
    try:
        cmap = plt.get_cmap("YlGn").with_extremes(bad="#d9d9d9")
        im = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, norm=mcolors.Normalize(0.0, 60.0), aspect="auto",
                       interpolation="nearest", extent=(0, 60, n_rows - 0.5, -0.5))
        im.set_gid("active_s_per_minute")
        # Thin white lines between the minutes and the hours keep the cells readable.
        ax.set_xticks(np.arange(0, 61, 10))
        ax.set_xticks(np.arange(0, 61, 1), minor=True)
        ax.set_yticks(np.arange(n_rows))
        multi_day = (h1 // 24) != (h0 // 24)
        ax.set_yticklabels([f"{h % 24:02d}:00" + (f" (day {h // 24 + 1})" if multi_day else "")
                            for h in range(h0, h1 + 1)])
        ax.set_yticks(np.arange(n_rows + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="white", linewidth=0.4)
        ax.tick_params(which="minor", length=0)
        ax.set_xlim(0, 60)
        ax.set_xlabel("minute of the hour")
        ax.set_ylabel("hour")
        if len(alerts):
            ah = np.floor(alerts / 3600.0)
            keep = (ah >= h0) & (ah <= h1)
            ah, at = ah[keep], alerts[keep]
            ax.scatter(np.floor((at - 3600.0 * ah) / 60.0) + 0.5, ah - h0, marker="v", s=70, color="#d62828",
                       edgecolors="black", linewidths=0.6, zorder=3, gid="inactivity_alerts",
                       label="inactivity alert")
        for r in range(n_rows):
            ax.text(1.01, r, f"{steps_per_hour[r]:,} steps", transform=ax.get_yaxis_transform(),
                    va="center", ha="left", fontsize=9, gid="steps_per_hour")
        cbar = fig.colorbar(im, ax=ax, pad=0.12, fraction=0.04)
        cbar.set_label("calf-pump active seconds in the minute")
        handles = [Patch(facecolor=cmap(0.85), label="calf pump working (walking, ankle pumps, cycling, heel raises)"),
                   Patch(facecolor="#d9d9d9", label="no data"),
                   Line2D([], [], marker="v", linestyle="", color="#d62828", markeredgecolor="black",
                          markersize=8, label="inactivity alert: time to move")]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12 if n_rows > 3 else -0.3),
                  ncol=3, fontsize=8, frameon=False)
        if title is None:
            title = (f"Calf-pump activity: {active.sum() / 60.0:.0f} active minutes, "
                     f"{int(steps.sum()):,} steps, {len(alerts)} inactivity alert(s)")
        ax.set_title(title)
        if own:
            fig.tight_layout()
        if path is None:
            return ax
        fig.savefig(os.fspath(path), dpi=dpi, format="png")
    finally:
        if path is not None and own:
            plt.close(fig)
    return os.fspath(path)


# Tempo bounds, as the Session's imu_reps={"tempo": {...}} takes them (reps/sets.hpp TempoTarget).
_TEMPO_KEYS = ("concentric_min_s", "concentric_max_s", "hold_min_s", "hold_max_s", "eccentric_min_s",
               "eccentric_max_s", "tolerance_s")
# Phase rows: (name, duration column, start column, end column, tempo key prefix).
_TEMPO_PHASES = (("rise", "concentric_s", "start_s", "top_s", "concentric"),
                 ("hold", "hold_s", "top_s", "lower_start_s", "hold"),
                 ("lower", "eccentric_s", "lower_start_s", "end_s", "eccentric"))


def _phase_durations(reps):
    """(n, 3) rise, hold, lowering seconds: the duration columns, else from the boundaries."""
    out = []
    for _, col, a, b, _ in _TEMPO_PHASES:
        if col in reps.columns:
            out.append(reps[col].to_numpy(dtype=np.float64))
        else:
            _require_columns(reps, [a, b], "reps")
            out.append(reps[b].to_numpy(dtype=np.float64) - reps[a].to_numpy(dtype=np.float64))
    return np.column_stack(out)


def _tempo_bounds(tempo):
    """{phase: (lo, hi)} in seconds with the tolerance applied; None where unbounded."""
    if tempo is None:
        return {}
    if not isinstance(tempo, dict):
        raise ValueError(f"tempo: expected a dict of bounds ({', '.join(_TEMPO_KEYS)}), got {type(tempo).__name__}")
    for k, v in tempo.items():
        if k not in _TEMPO_KEYS:
            raise ValueError(f"tempo.{k}: unknown tempo bound; expected one of {', '.join(_TEMPO_KEYS)}")
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not np.isfinite(v) \
                or v < 0:
            raise ValueError(f"tempo.{k}: expected seconds >= 0, got {v!r}")
    tol = float(tempo.get("tolerance_s", 0.0))
    bounds = {}
    for phase, _, _, _, key in _TEMPO_PHASES:
        lo, hi = tempo.get(key + "_min_s"), tempo.get(key + "_max_s")
        if lo is None and hi is None:
            continue
        lo = None if lo is None else max(0.0, float(lo) - tol)
        hi = None if hi is None else float(hi) + tol
        if lo is not None and hi is not None and hi < lo:
            raise ValueError(f"tempo.{key}_min_s, tempo.{key}_max_s: need min <= max")
        bounds[phase] = (lo, hi)
    return bounds


def plot_tempo(reps, tempo=None, *, ax=None, title=None):
    """Each rep's rise, top hold and lowering time against a prescribed tempo: one row per phase.

    A bar per rep and phase (seconds); where ``tempo`` bounds a phase, its
    target range (with ``tolerance_s``) is a shaded band and the bars
    outside it are outlined in red, so a set where the lowering creeps
    below 3 s or the holds shorten as the calf tires stands out.

    Parameters
    ----------
    reps : DataFrame
        A rep table (``Result.reps``, ``segment_reps``, the simulator's
        truth): the duration columns ``concentric_s``, ``hold_s``,
        ``eccentric_s``, or the boundaries ``start_s``, ``top_s``,
        ``lower_start_s``, ``end_s``.
    tempo : dict, optional
        Bounds in seconds, as the Session's ``imu_reps={"tempo": ...}``:
        ``concentric_min_s``, ``concentric_max_s``, ``hold_min_s``,
        ``hold_max_s``, ``eccentric_min_s``, ``eccentric_max_s``,
        ``tolerance_s`` (e.g. ``{"eccentric_min_s": 3, "hold_min_s": 2,
        "hold_max_s": 3}``).
    ax : sequence of 3 matplotlib Axes, optional
        The rows to draw on (default: a new figure).
    title : str, optional
        Default: the number of reps and, with a tempo, how many kept it.

    Returns
    -------
    array of 3 Axes

    Raises
    ------
    ValueError
        An empty rep table, missing columns, or an unknown / negative bound.

    >>> import soleus
    >>> s = soleus.sim.heel_raise_session(fs=100, n_sets=1, reps_per_set=6)
    >>> axes = soleus.plot.plot_tempo(s.reps, {"eccentric_min_s": 2.0, "tolerance_s": 0.2})
    >>> [a.get_ylabel() for a in axes]
    ['rise (s)', 'hold (s)', 'lowering (s)']
    """
    import pandas as pd

    if not isinstance(reps, pd.DataFrame):
        raise ValueError(f"reps: expected a DataFrame of reps, got {type(reps).__name__}")
    if not len(reps):
        raise ValueError("reps: the table is empty (no reps to plot)")
    bounds = _tempo_bounds(tempo)
    dur = _phase_durations(reps)
    n = dur.shape[0]
    x = np.arange(1, n + 1)
    if ax is None:
        plt = _pyplot()
        _, axes = plt.subplots(3, 1, figsize=(max(6.0, 0.35 * n + 2.0), 6.0), sharex=True)
    else:
        axes = np.asarray(ax, dtype=object).ravel()
        if axes.shape[0] != 3:
            raise ValueError(f"ax: expected 3 Axes (rise, hold, lowering), got {axes.shape[0]}")
    from matplotlib.patches import Patch

    kept = np.ones(n, dtype=bool)
    labels = {"rise": "rise (s)", "hold": "hold (s)", "lower": "lowering (s)"}
    for row, (phase, _, _, _, _) in enumerate(_TEMPO_PHASES):
        a = axes[row]
        d = dur[:, row]
        lo, hi = bounds.get(phase, (None, None))
        outside = np.zeros(n, dtype=bool)
        if phase in bounds:
            outside = ((lo is not None) & (d < (lo if lo is not None else 0.0))) | \
                      ((hi is not None) & (d > (hi if hi is not None else np.inf)))
            outside &= np.isfinite(d)
            kept &= ~outside
            top = hi if hi is not None else max(float(np.nanmax(d)) if np.isfinite(d).any() else 1.0, lo) * 1.15
            a.axhspan(lo if lo is not None else 0.0, top, color=PHASE_COLORS[phase], alpha=0.18, lw=0,
                      gid=f"tempo_target_{phase}")
        bars = a.bar(x, np.where(np.isfinite(d), d, 0.0), color=PHASE_COLORS[phase], width=0.7,
                     edgecolor=np.where(outside, "#d62828", "none").tolist(), linewidth=1.8)
        for b, o in zip(bars, outside):
            b.set_gid(f"{phase}_outside" if o else f"{phase}_inside")
        a.set_ylabel(labels[phase])
        a.grid(axis="y", alpha=0.3)
    axes[-1].set_xlabel("rep")
    axes[-1].set_xticks(x if n <= 40 else x[:: max(1, n // 20)])
    handles = [Patch(facecolor=PHASE_COLORS[p], label=labels[p].replace(" (s)", "")) for p, *_ in _TEMPO_PHASES]
    if bounds:
        handles += [Patch(facecolor="#bbbbbb", alpha=0.4, label="tempo target (with tolerance)"),
                    Patch(facecolor="white", edgecolor="#d62828", linewidth=1.8, label="outside the target")]
    axes[0].legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    if title is None:
        title = f"{n} reps" + (f", {int(kept.sum())} on tempo" if bounds else "")
    axes[0].set_title(title)
    return axes
