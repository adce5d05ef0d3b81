"""Seeded synthetic signals with exact ground truth (the C++ generators in soleus/sim).

>>> import soleus
>>> x, bursts = soleus.sim.emg(duration_s=5, fs=2000, n_bursts=3, seed=1)
>>> list(bursts.columns)
['onset_s', 'offset_s', 'amplitude', 'ramp_s']
"""
from __future__ import annotations

import numpy as np

from . import _core

__all__ = ["emg", "burst_train", "heel_raise_session", "day", "Day"]

_BURST_COLUMNS = ["onset_s", "offset_s", "amplitude", "ramp_s"]


def burst_train(n_bursts=10, *, first_onset_s=1.0, duration_s=(0.3, 1.5), gap_s=(0.5, 2.0),
                amplitude=(0.5, 1.0), ramp_s=0.0, seed=1):
    """Random, non-overlapping bursts (seeded) as a DataFrame ``onset_s, offset_s, amplitude, ramp_s``."""
    import pandas as pd

    if n_bursts < 0:
        raise ValueError(f"n_bursts: must be >= 0, got {n_bursts}")
    rows = _core.burst_train(int(n_bursts), float(first_onset_s), float(duration_s[0]), float(duration_s[1]),
                             float(gap_s[0]), float(gap_s[1]), float(amplitude[0]), float(amplitude[1]),
                             float(ramp_s), int(seed))
    return pd.DataFrame(rows, columns=_BURST_COLUMNS)


def emg(duration_s=10.0, fs=2000.0, *, bursts=None, n_bursts=None, snr_db=20.0, amplitude_mv=1.0,
        fl_hz=60.0, fh_hz=120.0, rest_activation=0.0, mains_hz=50.0, mains_amplitude_mv=0.0,
        mains_harmonics=1, mains_harmonic_ratio=0.3, motion_rate_hz=0.0, motion_amplitude_mv=2.0,
        motion_duration_s=0.2, fatigue_scale_end=1.0, seed=1, return_components=False):
    """Synthetic surface EMG (Shwedyk spectrum) with its ground-truth bursts.

    Gaussian noise shaped by P(f) ∝ f_h⁴ f² / ((f² + f_l²)(f² + f_h²)²) (median
    95.7 Hz, mean 115.5 Hz in 20–450 Hz by default), amplitude-modulated by
    bursts, plus background noise at ``snr_db`` (burst power / noise variance),
    mains at ``mains_hz`` with harmonics, motion artefacts and fatigue (f_l and
    f_h scaled linearly to ``fatigue_scale_end`` by the end).

    ``bursts``: a DataFrame or rows of ``(onset_s, offset_s[, amplitude[, ramp_s]])``;
    or ``n_bursts`` random ones (:func:`burst_train`); neither = one sustained
    contraction.

    Returns ``(emg_mv, bursts)``: the signal (float64, mV) and a DataFrame of
    the bursts used; with ``return_components=True`` a third item, a dict with
    ``t_s``, ``clean_mv``, ``activation``, ``background_mv``, ``mains_mv``,
    ``motion_mv``, ``motion_times_s`` and the true median / mean frequency
    once per second (``truth_t_s``, ``truth_median_hz``, ``truth_mean_hz``).
    """
    import pandas as pd

    if bursts is not None and n_bursts is not None:
        raise ValueError("bursts: give either bursts or n_bursts, not both")
    if n_bursts is not None:
        rows = burst_train(n_bursts, seed=seed + 1000003).to_numpy()
    elif bursts is not None:
        src = bursts.to_numpy() if hasattr(bursts, "to_numpy") else bursts
        rows = []
        for r in src:
            r = [float(v) for v in np.atleast_1d(r)]
            if not 2 <= len(r) <= 4:
                raise ValueError("bursts: expected rows of (onset_s, offset_s[, amplitude[, ramp_s]])")
            rows.append(r + [1.0, 0.0][len(r) - 2:])
        rows = np.asarray(rows, dtype=np.float64).reshape(-1, 4)
    else:
        rows = np.zeros((0, 4))
    settings = dict(seed=int(seed), fs=float(fs), duration_s=float(duration_s), fl_hz=fl_hz, fh_hz=fh_hz,
                    amplitude_mv=amplitude_mv, rest_activation=rest_activation, snr_db=float(snr_db),
                    mains_hz=mains_hz, mains_amplitude_mv=mains_amplitude_mv,
                    mains_harmonics=int(mains_harmonics), mains_harmonic_ratio=mains_harmonic_ratio,
                    motion_rate_hz=motion_rate_hz, motion_amplitude_mv=motion_amplitude_mv,
                    motion_duration_s=motion_duration_s, fatigue_scale_end=fatigue_scale_end)
    d = _core.simulate_emg(settings, np.ascontiguousarray(rows, dtype=np.float64))
    truth = pd.DataFrame(d["bursts"], columns=_BURST_COLUMNS)
    if not return_components:
        return d["emg_mv"], truth
    comps = {k: d[k] for k in ("clean_mv", "activation", "background_mv", "mains_mv", "motion_mv",
                               "motion_times_s", "truth_t_s", "truth_median_hz", "truth_mean_hz")}
    comps["t_s"] = np.arange(len(d["emg_mv"])) / float(fs)
    return d["emg_mv"], truth, comps


_REP_COLUMNS = ["start_s", "top_s", "lower_start_s", "end_s", "rom_deg", "partial", "set"]
_SET_COLUMNS = ["start_s", "end_s", "first_rep", "n_reps", "isometric"]


EMG_CHANNELS = ("soleus", "gastrocnemius")
_PHASES = ("concentric", "hold", "eccentric", "rest")


class HeelRaiseSession:
    """Sensor arrays of a simulated heel-raise session and their ground truth.

    Attributes: ``t_s`` (n,), ``acc`` (n, 3) in m/s², ``gyro`` (n, 3) in deg/s
    (sensor frame, with bias and noise), ``angle_deg`` (n,) true plantar-flexion
    angle, ``reps`` and ``sets`` (DataFrames of the true boundaries), ``fs``,
    ``sagittal_axis`` (unit vector in the sensor frame, + = heel rise),
    ``acc_offset_mps2`` and ``acc_scale_error`` (the accelerometer's true
    zero-g offset in m/s² and sensitivity error as a fraction, per sensor
    axis; zeros unless ``realistic=True``).
    Unpacks as ``acc, gyro, reps = session``.

    With ``emg=True`` (see :func:`heel_raise_session`) also, on the IMU's clock:
    ``emg`` (m, 2) surface EMG in mV, columns ``emg_channels`` =
    ``('soleus', 'gastrocnemius')``; ``emg_fs`` (Hz); ``emg_t_s`` (m,);
    ``emg_activation_pct_mvc`` (m, 2) the true activation (%MVC) that modulates
    each channel; ``emg_mvc`` (k, 2) a separate MVC calibration recording
    (1 s rest, ``mvc_recording_s`` at 100 %MVC, 1 s rest) for
    ``EmgProcessor.calibrate_mvc`` / ``detect_bursts(mvc=...)``;
    ``emg_mvc_rms_mv`` (RMS of each channel at 100 %MVC); ``emg_levels`` (a
    DataFrame, index = channel, columns ``concentric, hold, eccentric, rest``:
    the nominal %MVC of this posture); ``knee_flexion_deg``; and per-rep truth
    columns in ``reps``: ``soleus_concentric_pct_mvc``, ``soleus_hold_pct_mvc``,
    ``soleus_eccentric_pct_mvc``, ``soleus_rest_pct_mvc`` and the same for
    ``gastrocnemius_``. Without EMG these attributes are None.
    """

    def __init__(self, d):
        import pandas as pd

        self.t_s = d["t_s"]
        self.acc = d["acc_mps2"]
        self.gyro = d["gyro_dps"]
        self.angle_deg = d["angle_deg"]
        self.fs = d["fs"]
        self.sagittal_axis = np.asarray(d["sagittal_axis_sensor"])
        self.acc_offset_mps2 = np.asarray(d["acc_offset_mps2"])
        self.acc_scale_error = np.asarray(d["acc_scale_error"])
        reps = pd.DataFrame(d["reps"], columns=_REP_COLUMNS)
        reps["partial"] = reps["partial"].astype(bool)
        reps["set"] = reps["set"].astype(int)
        reps.insert(0, "rep", np.arange(len(reps)))
        reps["concentric_s"] = reps.top_s - reps.start_s
        reps["hold_s"] = reps.lower_start_s - reps.top_s
        reps["eccentric_s"] = reps.end_s - reps.lower_start_s
        self.reps = reps
        sets = pd.DataFrame(d["sets"], columns=_SET_COLUMNS)
        for c in ("first_rep", "n_reps"):
            sets[c] = sets[c].astype(int)
        sets["isometric"] = sets["isometric"].astype(bool)
        self.sets = sets
        e = d.get("emg")
        self.emg = self.emg_fs = self.emg_t_s = self.emg_activation_pct_mvc = None
        self.emg_mvc = self.emg_mvc_rms_mv = self.emg_levels = self.knee_flexion_deg = None
        self.emg_channels = None
        if e is not None:
            self.emg = e["emg_mv"]
            self.emg_fs = float(e["fs"])
            self.emg_t_s = e["t_s"]
            self.emg_activation_pct_mvc = e["activation_pct_mvc"]
            self.emg_mvc = e["mvc_emg_mv"]
            self.emg_mvc_rms_mv = tuple(e["mvc_rms_mv"])
            self.emg_channels = tuple(e["channels"])
            self.knee_flexion_deg = float(e["knee_flexion_deg"])
            self.emg_levels = pd.DataFrame([list(v) for v in e["levels"]], index=list(self.emg_channels),
                                           columns=list(_PHASES))
            rl = np.asarray(e["rep_levels"]).reshape(-1, 8)
            for k, ch in enumerate(self.emg_channels):
                for j, ph in enumerate(_PHASES):
                    reps[f"{ch}_{ph}_pct_mvc"] = rl[:, 4 * k + j]

    def __iter__(self):
        return iter((self.acc, self.gyro, self.reps))

    def __repr__(self):
        emg = "" if self.emg is None else f", EMG {self.emg.shape[0]} x {self.emg.shape[1]} at {self.emg_fs:g} Hz"
        return (f"HeelRaiseSession({len(self.t_s)} samples at {self.fs:g} Hz, "
                f"{len(self.reps)} reps in {len(self.sets)} sets{emg})")


# Realistic-movement settings of heel_raise_session (HeelRaiseConfig's names):
# (min, max) ranges and plain numbers.
_REALISTIC_RANGES = {"countermovement_deg", "countermovement_s", "quick_rise_s", "quick_top_hold_s",
                     "quick_lower_s", "rebound_deg", "rebound_settle_s", "rest_shift_deg", "hold_sag_deg",
                     "bouncy_phase_s", "hold_wobble_dps"}
_REALISTIC_SETTINGS = _REALISTIC_RANGES | {"quick_set_probability", "step_bottom_deg", "bouncy_set_probability",
                                           "acc_offset_max_mps2", "acc_scale_error_max"}
_ACTIVITIES = ("walking", "pedalling", "sit_to_stand", "fidgeting")
# On/off simulator switches (HeelRaiseConfig's names, off by default).
_SWITCHES = {"step_on_off", "sway_quiet_stance"}


def _check_number(name, value):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name}: must be a number, not {value!r}")
    return float(value)


def _check_range(name, value):
    try:
        lo, hi = value
    except (TypeError, ValueError):
        raise ValueError(f"{name}: must be a (min, max) pair, not {value!r}") from None
    lo, hi = _check_number(name, lo), _check_number(name, hi)
    if not lo <= hi:
        raise ValueError(f"{name}: min {lo} is above max {hi}")
    return (lo, hi)


def heel_raise_session(fs=100.0, *, placement="foot", posture="standing", n_sets=2, reps_per_set=8,
                       rise_s=(0.5, 1.2), top_hold_s=(0.5, 2.0), lower_s=(1.5, 3.0),
                       bottom_rest_s=(0.5, 1.5), rom_deg=(20.0, 35.0), partial_probability=0.1,
                       isometric_hold_s=0.0, gyro_bias_max_dps=1.0, random_mounting=True, seed=1,
                       realistic=False, activity=None, between_sets_activity_probability=0.0,
                       emg=False, emg_fs=2000.0, emg_snr_db=20.0, emg_mains_hz=50.0, emg_mains_amplitude_mv=0.0,
                       emg_seed=None, **settings):
    """Simulated foot- or shank-worn IMU during heel raises, with exact ground truth.

    Phase durations and range of motion are drawn per set from the given
    ``(min, max)`` ranges and jittered per rep; partial reps, an isometric
    hold at the end (``isometric_hold_s``), gyro noise / bias / drift,
    accelerometer = gravity + motion + noise, a random mounting rotation.
    Further settings (``lead_in_s``, ``rest_between_sets_s``, ``jitter``,
    ``sway_deg``, ``dropout_rate_per_s``, ``timestamp_jitter_s``,
    ``gyro_noise_dps``, ``acc_noise_mps2``, ...) pass through by name.

    ``posture``: ``'standing'``, ``'seated'`` (knee 90°) or ``'wall_sit'``
    (knee 90°, body weight on the feet; the shank moves as when seated).

    ``realistic=True`` (issue 16; default off, so seeded sessions of earlier
    versions stay the same) adds what real raises do (``HeelRaiseConfig`` in
    ``include/soleus/sim/heel_raise.hpp`` gives the sources): a
    countermovement of ``countermovement_deg`` (2-6°) of dorsiflexion over
    ``countermovement_s`` (0.1-0.5 s) before heel-off; quick sets with
    probability ``quick_set_probability`` (0.5), their phases drawn from
    ``quick_rise_s`` (0.25-0.6 s), ``quick_top_hold_s`` (0.5-1.5 s),
    ``quick_lower_s`` (0.25-0.6 s); a rebound of ``rebound_deg`` (1-5°) past
    the new resting angle after heel contact (a 0.1 s dip), settling over
    ``rebound_settle_s`` (0.25-0.4 s); a resting angle that moves by
    ``rest_shift_deg`` (1-3°, within ±4° of the first) from rep to rep;
    raises from a step whose bottom lies ``step_bottom_deg`` (0; 5-15° in
    reality) below standing; isometric holds (> 10 s) that sag by
    ``hold_sag_deg`` (1-3°) and wobble in roll and yaw at ``hold_wobble_dps``
    (deg/s RMS, off at ``(0, 0)``; 2-7 measured); bouncy sets (probability
    ``bouncy_set_probability``, 0) whose rise and lowering each last
    ``bouncy_phase_s`` (0.3-0.5 s), without pauses; an accelerometer with a
    zero-g offset per axis uniform in ±``acc_offset_max_mps2`` (0.392 m/s²,
    40 mg: BMI160; LSM6DSO and ICM-42688-P state 20 mg) and a sensitivity
    error per axis uniform in ±``acc_scale_error_max`` (0.02, a fraction;
    datasheets 0.5-3 %), constant over the session (0 and 0 give the ideal
    accelerometer; the truth is in ``acc_offset_mps2``, ``acc_scale_error``).
    The truth then times
    ``start_s`` at heel-off (the rest level crossed upwards after the
    countermovement) and ``end_s`` at heel contact (before the rebound).
    Ranges are ``(min, max)`` pairs; these settings need ``realistic=True``.

    ``activity``: ``None`` (sets of raises), or a session of non-raise
    activity alone whose truth is zero reps: ``'walking'``, ``'pedalling'``,
    ``'fidgeting'`` (foot) or ``'sit_to_stand'`` (the shank's tilt), lasting
    ``activity_s`` (120 s, 5..7200) after the lead-in.
    ``between_sets_activity_probability`` (0..1, default 0): the chance that
    the rest between two sets holds 2-6 walking steps (standing on the
    floor) or fidgets (weight shifts, 2-4° heel lifts, toe taps) instead of
    standing still; no reps there in the truth.

    Switches (``False`` by default; nothing is drawn while off, so seeded
    sessions stay the same): ``step_on_off=True`` (with ``realistic=True``
    and ``step_bottom_deg > 0``) walks onto the step before the first set,
    off and back on between sets and off after the last (2-4 strides each;
    no reps in the truth); ``sway_quiet_stance=True`` draws the ``sway_deg``
    sway as quiet stance does: anteroposterior about the ankle (the raise's
    own axis) and mediolateral at 0.6x, a 1/f spectrum at 0.05-0.5 Hz,
    turning a shank sensor about the ankle and leaving the foot flat
    (``HeelRaiseConfig`` in ``include/soleus/sim/heel_raise.hpp``).

    Coupled EMG (``emg``): ``False`` (default) = IMU only. ``True`` adds a
    soleus and a gastrocnemius surface-EMG channel (Shwedyk-shaped noise,
    :func:`emg`'s generator) at ``emg_fs`` Hz (default 2000) on the IMU's clock,
    whose activation follows each rep's true phases: concentric highest
    (standing: soleus 25 %MVC, gastrocnemius 22), top hold sustained (20 / 18),
    eccentric lower (14 / 12), rest at baseline (4 / 2; quiet standing soleus
    < 5 %MVC), levels jittered 5 % per rep, transitions 0.1 s, leading the
    movement by 0.05 s. The soleus share rises with knee flexion (DESIGN.md:
    Okada 1984, Hébert-Losier 2012): the gastrocnemius' active levels are
    scaled from 1 at a straight knee to 0.45 at 90° (the magnitude is the
    model's choice); ``'seated'`` (unloaded) scales active levels by 0.6 and
    rests at 1.5 / 1.0 %MVC. Background noise at ``emg_snr_db`` (dB, against
    each channel's concentric level), optional mains (``emg_mains_hz``,
    ``emg_mains_amplitude_mv`` in mV), seed ``emg_seed`` (default: ``seed``;
    enabling EMG never changes the IMU arrays of a seed). A dict instead of
    ``True`` sets further options by name: ``knee_flexion_deg`` (override),
    ``soleus_levels`` / ``gastrocnemius_levels`` (dicts of
    ``rest, concentric, hold, eccentric`` in %MVC, standing values),
    ``gastrocnemius_factor_at_90``, ``seated_load_factor``, ``level_jitter``,
    ``lead_s``, ``transition_s``, ``mvc_rms_mv`` (2 values), ``mains_harmonics``,
    ``fatigue_scale_end``, ``mvc_recording_s``. The result's ``emg``,
    ``emg_fs``, ``emg_t_s``, ``emg_channels``, ``emg_activation_pct_mvc``,
    ``emg_mvc`` ... are described in :class:`HeelRaiseSession`.

    >>> s = soleus.sim.heel_raise_session(fs=100, n_sets=1, reps_per_set=5, seed=3)
    >>> acc, gyro, reps = s
    >>> len(reps)
    5
    >>> s = soleus.sim.heel_raise_session(fs=100, posture="seated", placement="shank", emg=True)
    >>> s.emg.shape[1], s.emg_fs, s.emg_channels
    (2, 2000.0, ('soleus', 'gastrocnemius'))
    """
    known = {"start_time_s", "lead_in_s", "rest_between_sets_s", "tail_s", "jitter", "partial_fraction",
             "sway_deg", "dropout_rate_per_s", "timestamp_jitter_s", "gyro_noise_dps",
             "gyro_bias_drift_dps_per_sqrt_s", "acc_noise_mps2", "activity_s"}
    unknown = set(settings) - known - _REALISTIC_SETTINGS - _SWITCHES
    if unknown:
        raise ValueError(f"{sorted(unknown)[0]}: unknown setting for heel_raise_session")
    if not isinstance(realistic, (bool, np.bool_)):
        raise ValueError(f"realistic: must be True or False, not {realistic!r}")
    needs_realistic = sorted(set(settings) & _REALISTIC_SETTINGS)
    if needs_realistic and not realistic:
        raise ValueError(f"{needs_realistic[0]}: takes effect only with realistic=True")
    settings = dict(settings)
    for name, value in (("rise_s", rise_s), ("top_hold_s", top_hold_s), ("lower_s", lower_s),
                        ("bottom_rest_s", bottom_rest_s), ("rom_deg", rom_deg)):
        _check_range(name, value)
    for name, value in list(settings.items()):
        if name in _SWITCHES:
            if not isinstance(value, (bool, np.bool_)):
                raise ValueError(f"{name}: must be True or False, not {value!r}")
            settings[name] = bool(value)
        elif name in _REALISTIC_RANGES or name == "partial_fraction":
            settings[name] = _check_range(name, value)
        else:
            settings[name] = _check_number(name, value)
    if activity is not None and activity not in _ACTIVITIES:
        raise ValueError(f"activity: must be None or one of {', '.join(map(repr, _ACTIVITIES))}, not {activity!r}")
    p = _check_number("between_sets_activity_probability", between_sets_activity_probability)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"between_sets_activity_probability: must be within 0..1, not {p}")
    kw = dict(settings, fs=float(fs), placement=placement, posture=posture, n_sets=int(n_sets),
              reps_per_set=int(reps_per_set), rise_s=tuple(rise_s), top_hold_s=tuple(top_hold_s),
              lower_s=tuple(lower_s), bottom_rest_s=tuple(bottom_rest_s), rom_deg=tuple(rom_deg),
              partial_probability=float(partial_probability), isometric_hold_s=float(isometric_hold_s),
              gyro_bias_max_dps=float(gyro_bias_max_dps), random_mounting=bool(random_mounting),
              seed=int(seed), realistic=bool(realistic), activity=activity,
              between_sets_activity_probability=p)
    if emg is not False and emg is not None:
        opts = {} if emg is True else dict(emg)
        if not isinstance(emg, (bool, dict)):
            raise ValueError("emg: must be True, False or a dict of EMG settings")
        known_emg = {"knee_flexion_deg", "soleus_levels", "gastrocnemius_levels", "gastrocnemius_factor_at_90",
                     "seated_load_factor", "level_jitter", "lead_s", "transition_s", "mvc_rms_mv",
                     "mains_harmonics", "fatigue_scale_end", "mvc_recording_s"}
        bad = set(opts) - known_emg
        if bad:
            raise ValueError(f"emg: unknown EMG setting {sorted(bad)[0]!r}")
        opts.update(fs=float(emg_fs), snr_db=float(emg_snr_db), mains_hz=float(emg_mains_hz),
                    mains_amplitude_mv=float(emg_mains_amplitude_mv),
                    seed=None if emg_seed is None else int(emg_seed))
        kw["emg"] = opts
    return HeelRaiseSession(_core.heel_raise_session(kw))


_BOUT_COLUMNS = ["kind", "start_s", "end_s", "strides", "pumps", "raises", "cadence_steps_per_s"]


class Day:
    """A simulated day seen by one foot-worn IMU (``include/soleus/sim/day.hpp``) and its exact truth.

    Attributes: ``t_s`` (n,) time stamps (jittered around ``arange(n) / fs``),
    ``acc`` (n, 3) m/s², ``gyro`` (n, 3) deg/s (sensor frame: random mounting,
    bias, noise), ``fs``; truth: ``bouts`` (DataFrame ``kind`` -- ``sit``,
    ``sit_pumps``, ``stand``, ``walk``, ``stairs``, ``heel_raises``, ``cycle`` --
    ``start_s``, ``end_s``, ``strides``, ``pumps``, ``raises``,
    ``cadence_steps_per_s``), ``active`` (k, 2) the calf-pump active intervals
    (union, sorted), ``strides``, ``pumps``, ``raises`` (totals),
    ``alert_s`` and ``true_alerts`` (the moments an inactive stretch reaches
    ``alert_s``, one per stretch), ``duration_s``.
    """

    def __init__(self, d, fs, alert_s):
        import pandas as pd

        self.t_s = d["t"]
        self.acc = d["acc"]
        self.gyro = d["gyro"]
        self.fs = float(fs)
        bouts = pd.DataFrame(d["bouts"], columns=_BOUT_COLUMNS)
        kinds = list(d["kinds"])
        bouts["kind"] = [kinds[int(k)] for k in bouts["kind"]]
        for c in ("strides", "pumps", "raises"):
            bouts[c] = bouts[c].astype(np.int64)
        self.bouts = bouts
        self.active = np.asarray(d["active"], dtype=np.float64).reshape(-1, 2)
        self.strides, self.pumps, self.raises = int(d["strides"]), int(d["pumps"]), int(d["raises"])
        self.alert_s = float(alert_s)
        self.true_alerts = np.asarray(d["true_alerts"], dtype=np.float64)
        self.duration_s = float(d["end_s"] - d["start_s"])

    def active_in(self, t0_s, t1_s):
        """True calf-pump active seconds in ``[t0_s, t1_s)``."""
        lo = np.maximum(self.active[:, 0], t0_s)
        hi = np.minimum(self.active[:, 1], t1_s)
        return float(np.sum(np.clip(hi - lo, 0.0, None)))

    def __repr__(self):
        return (f"soleus.sim.Day({self.duration_s / 3600:.3g} h at {self.fs:g} Hz, {len(self.bouts)} bouts, "
                f"{self.strides} strides, {self.pumps} pumps, {self.raises} raises, "
                f"{len(self.true_alerts)} alerts at {self.alert_s:g} s)")


def day(hours=4.0, fs=100.0, *, seed=1, alert_s=3600.0, raises=True, **settings):
    """A seeded day of calf-pump activity from one foot-worn IMU, with exact truth (a :class:`Day`).

    Walking bouts of every cadence (with gait initiation and termination
    strides and turns), stairs, standing with sway, sitting with fidgets,
    seated ankle-pump sets, heel-raise sets (``raises=False``: none) and
    cycling, under a random mounting rotation with gyro bias, noise and
    jittered time stamps (the C++ tests' reference, ``include/soleus/sim/day.hpp``).
    ``alert_s``: the inactivity time the truth's ``true_alerts`` are for.
    Further settings by name: ``random_mounting``, ``cycling`` (bool),
    ``gyro_bias_dps``, ``gyro_noise_dps``, ``acc_noise_mps2``, ``jitter_s``,
    the accelerometer's zero-g offset ``acc_offset_max_mps2`` (per axis,
    uniform in ±; 0.392 m/s², 40 mg) and sensitivity error
    ``acc_scale_error_max`` (a fraction, 0.02; 0 and 0: the ideal sensor),
    ``sit_max_s``, the standing bouts' length range ``stand_min_s`` and
    ``stand_max_s`` (60 and 480 s; a few seconds make landings between stair
    flights) and the bout weights ``w_sit``, ``w_sit_pumps``, ``w_stand``,
    ``w_walk``, ``w_stairs``, ``w_raises``, ``w_cycle``. Stairs down land on
    the forefoot, the heel lowered under load (no heel raise).

    >>> d = soleus.sim.day(hours=0.5, fs=60, seed=2)
    >>> d.acc.shape == (int(0.5 * 3600 * 60), 3), d.strides > 0
    (True, True)
    """
    for name, v in (("hours", hours), ("fs", fs), ("alert_s", alert_s)):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not v > 0:
            raise ValueError(f"{name}: must be a positive number, got {v!r}")
    kw = dict(settings)
    if not raises:
        kw["w_raises"] = 0.0
    d = _core.sim_day(float(fs), float(hours) * 3600.0, int(seed), float(alert_s), kw)
    return Day(d, fs, alert_s)
