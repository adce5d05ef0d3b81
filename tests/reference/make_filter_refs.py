"""Generate the scipy reference vectors for the filter-design and filtering tests.

Run from the repository root:  python tests/reference/make_filter_refs.py
Writes tests/reference/butter_grid.txt, sosfilt_cases.txt and sosfilt_zi.txt.
The C++ tests read these files; the Python tests call scipy directly instead.
"""
import os

import numpy as np
import scipy
import scipy.signal as sig

HERE = os.path.dirname(os.path.abspath(__file__))
BTYPES = {"lowpass": 0, "highpass": 1, "bandpass": 2, "bandstop": 3}


def fmt(v):
    return " ".join(f"{x:.17g}" for x in np.ravel(v))


def butter_grid():
    # Orders 1-10, all four types, sampling rates an EMG or IMU user meets,
    # cut-offs from near DC to near Nyquist.
    rows = []
    for fs in (100.0, 148.148, 200.0, 1000.0, 1259.259, 2000.0, 4000.0):
        nyq = fs / 2
        low_edges = [0.004 * fs, 0.05 * fs, 0.3 * fs, 0.47 * fs]
        bands = [(0.01 * fs, 0.225 * fs), (0.1 * fs, 0.12 * fs), (0.02 * fs, 0.45 * fs)]
        for order in range(1, 11):
            for btype in ("lowpass", "highpass"):
                for f in low_edges:
                    sos = sig.butter(order, f, btype, fs=fs, output="sos")
                    rows.append((BTYPES[btype], order, fs, f, 0.0, sos))
            for btype in ("bandpass", "bandstop"):
                for f1, f2 in bands:
                    assert f2 < nyq
                    sos = sig.butter(order, [f1, f2], btype, fs=fs, output="sos")
                    rows.append((BTYPES[btype], order, fs, f1, f2, sos))
    with open(os.path.join(HERE, "butter_grid.txt"), "w") as f:
        f.write(f"# scipy {scipy.__version__}: btype(0 lp,1 hp,2 bp,3 bs) order fs f1 f2 n_sections sos...\n")
        for bt, order, fs, f1, f2, sos in rows:
            f.write(f"{bt} {order} {fs!r} {f1!r} {f2!r} {sos.shape[0]} {fmt(sos)}\n")


def sosfilt_cases():
    rng = np.random.default_rng(20261121)
    n = 3000
    fs = 2000.0
    t = np.arange(n) / fs
    # Broadband noise plus a tone, a step and an offset: exercises pass band,
    # stop band and the DC response.
    x = rng.standard_normal(n) + 0.8 * np.sin(2 * np.pi * 50.0 * t) + 0.5 * (t > 0.7) + 0.3
    designs = {
        "bp4_20_450_2k": sig.butter(4, [20, 450], "bandpass", fs=fs, output="sos"),
        "lp2_6_2k": sig.butter(2, 6, "lowpass", fs=fs, output="sos"),
        "hp8_20_2k": sig.butter(8, 20, "highpass", fs=fs, output="sos"),
        "bs3_45_55_2k": sig.butter(3, [45, 55], "bandstop", fs=fs, output="sos"),
        "notch50_q30_2k": sig.tf2sos(*sig.iirnotch(50, 30, fs=fs)),
        "lp10_300_2k": sig.butter(10, 300, "lowpass", fs=fs, output="sos"),
    }
    with open(os.path.join(HERE, "sosfilt_cases.txt"), "w") as f:
        f.write(f"# scipy {scipy.__version__}: per case three lines: name n_sections sos... / x... / y = sosfilt(sos, x)...\n")
        for name, sos in designs.items():
            y = sig.sosfilt(sos, x)
            f.write(f"# {name}\n{sos.shape[0]} {fmt(sos)}\n{fmt(x)}\n{fmt(y)}\n")
    with open(os.path.join(HERE, "sosfilt_zi.txt"), "w") as f:
        f.write("# per case: n_sections sos... / zi = sosfilt_zi(sos) (n_sections x 2)...\n")
        for name, sos in designs.items():
            f.write(f"# {name}\n{sos.shape[0]} {fmt(sos)}\n{fmt(sig.sosfilt_zi(sos))}\n")
    with open(os.path.join(HERE, "iirnotch.txt"), "w") as f:
        f.write("# f0 Q fs b0 b1 b2 a0 a1 a2 = scipy.signal.iirnotch(f0, Q, fs)\n")
        for fs in (500.0, 1000.0, 2000.0, 4000.0):
            for f0 in (50.0, 60.0, 150.0, 180.0):
                for q in (5.0, 30.0, 100.0):
                    b, a = sig.iirnotch(f0, q, fs=fs)
                    f.write(f"{f0!r} {q!r} {fs!r} {fmt(b)} {fmt(a)}\n")


if __name__ == "__main__":
    butter_grid()
    sosfilt_cases()
    print("wrote reference vectors with scipy", scipy.__version__)
