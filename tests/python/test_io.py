"""soleus.io: the Trigno export, generic CSV with a column mapping, EDF/C3D, errors that name the culprit."""
import builtins
import importlib

import numpy as np
import pytest

from soleus.io import Recording, Stream, read_c3d, read_csv, read_edf, read_recording, read_trigno_csv


def test_trigno_export_rates_channels_units_and_counts(trigno_csv):
    rec = read_trigno_csv(trigno_csv)
    assert rec.format == "trigno"
    assert rec.emg.fs == pytest.approx(1259.259, abs=1e-3)
    assert rec.acc.fs == pytest.approx(148.148, abs=1e-3) and rec.gyro.fs == rec.acc.fs
    assert rec.emg.channels == ("Mini sensor 10: EMG 10", "Mini sensor 11: EMG 11")
    assert rec.acc.channels[:3] == tuple(f"Mini sensor 10: ACC.{a} 10" for a in "XYZ")
    assert rec.gyro.channels[3:] == tuple(f"Mini sensor 11: GYRO.{a} 11" for a in "XYZ")
    assert (rec.emg.unit, rec.acc.unit, rec.gyro.unit) == ("V", "g", "deg/s")
    assert rec.emg.data.shape == (2519, 2) and rec.acc.data.shape == (297, 6) and rec.gyro.data.shape == (297, 6)
    # The truncated file covers the same ~2 s in both streams; the header declares the full recording.
    assert rec.emg.duration_s == pytest.approx(rec.acc.duration_s, abs=0.01)
    assert rec.emg.t_s[-1] == pytest.approx(1.999588) and rec.acc.t_s[-1] == pytest.approx(1.998)
    assert rec.meta["truncated"] is True
    assert rec.meta["declared_samples"]["Mini sensor 10: EMG 10"] == 81141
    assert rec.meta["sensors"] == ["Mini sensor 10", "Mini sensor 11"]
    assert np.all(np.isfinite(rec.emg.data)) and np.abs(rec.emg.data).max() < 0.05  # volts
    # Quiet standing: the accelerometer norm is about 1 g once the sensor has woken up.
    norm = np.linalg.norm(rec.acc.data[-100:, :3], axis=1)
    assert 0.8 < np.median(norm) < 1.2
    assert read_recording(trigno_csv).format == "trigno"


def test_trigno_inconsistent_rate_and_missing_label(tmp_path, trigno_csv):
    lines = trigno_csv.read_text(encoding="utf-8").splitlines()
    bad_rate = list(lines)
    bad_rate[7] = bad_rate[7].replace("1.259259e+003", "1.481481e+002")  # EMG 11 claims the IMU rate
    p = tmp_path / "bad_rate.csv"
    p.write_text("\n".join(bad_rate[:400]), encoding="utf-8")
    with pytest.raises(ValueError, match=r"^Mini sensor 11: EMG 11: the header says 148\.148 Hz"):
        read_trigno_csv(p)
    no_label = [ln for i, ln in enumerate(lines[:400]) if i != 3]  # drop ACC.Z 10's Label line
    p.write_text("\n".join(no_label), encoding="utf-8")
    with pytest.raises(ValueError, match=r"^Mini sensor 10: ACC.Z 10: column has no 'Label:' line"):
        read_trigno_csv(p)
    p.write_text("time,emg\n0,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="^path: .*not a Delsys Trigno"):
        read_trigno_csv(p)


def test_trigno_bom_latin1_units_and_bad_header_values(tmp_path, trigno_csv):
    """A UTF-8 BOM, a Latin-1 degree sign (EMGworks on Windows), NaN start or rate: read, or a ValueError naming the channel."""
    raw = trigno_csv.read_bytes().splitlines(keepends=True)[:400]
    p = tmp_path / "variant.csv"
    p.write_bytes(b"\xef\xbb\xbf" + b"".join(raw))
    assert read_recording(p).emg.fs == pytest.approx(1259.259, abs=1e-3)
    latin1 = b"".join(raw).replace("°/s".encode("utf-8"), b"\xb0/s").replace(b"deg/s", b"\xb0/s")
    p.write_bytes(latin1)
    assert read_trigno_csv(p).gyro.unit == "deg/s"
    text = b"".join(raw).decode("utf-8").splitlines()
    label = next(i for i, ln in enumerate(text) if ln.startswith("Label:"))
    for field, bad, pattern in (("start:", "nan", r"start must be a finite time"),
                                ("Sampling frequency:", "nan", r"sampling frequency must be a positive number")):
        lines = list(text)
        head, _, tail = lines[label].partition(field)
        value, _, rest = tail.strip().partition(" ")
        lines[label] = f"{head}{field} {bad} {rest}"
        p.write_text("\n".join(lines), encoding="utf-8")
        with pytest.raises(ValueError, match=pattern):
            read_trigno_csv(p)


def test_readers_refuse_a_fifo_instead_of_hanging(tmp_path):
    import os
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match=r"^path: not a regular file"):
        read_recording(fifo)


def _write_csv(path, n=3000, fs=1000.0, header="t,SO [uV],ax,ay,az,gx,gy,gz"):
    rng = np.random.default_rng(0)
    t = np.arange(n) / fs
    data = np.column_stack([t, rng.standard_normal(n) * 50, rng.standard_normal((n, 3)) + [0, 0, 9.81],
                            rng.standard_normal((n, 3))])
    np.savetxt(path, data, delimiter=",", header=header, comments="", fmt="%.9g")
    return data


def test_csv_with_column_mapping(tmp_path):
    p = tmp_path / "rec.csv"
    data = _write_csv(p)
    rec = read_csv(p, {"emg": ["SO [uV]"], "acc": ["ax", "ay", "az"], "gyro": ["gx", "gy", "gz"], "time": "t"})
    assert rec.emg.fs == pytest.approx(1000.0) and rec.acc.fs == rec.emg.fs
    assert rec.emg.units == ("uV",) and rec.acc.unit == "m/s^2" and rec.gyro.unit == "deg/s"
    np.testing.assert_allclose(rec.emg.data[:, 0], data[:, 1], rtol=1e-8)
    np.testing.assert_allclose(rec.acc.data, data[:, 2:5], rtol=1e-8)
    np.testing.assert_allclose(rec.emg.t_s, data[:, 0])
    np.testing.assert_allclose(rec.emg.to_unit("mV").data[:, 0], data[:, 1] / 1000, rtol=1e-8)
    np.testing.assert_allclose(rec.acc.to_unit("g").data[:, 2].mean(), 1.0, atol=0.01)
    df = rec.emg.to_dataframe()
    assert list(df.columns) == ["t_s", "SO [uV]_uv"]
    assert rec.meta["timing"] == {k: {"gaps": 0, "backward_steps": 0} for k in ("emg", "acc", "gyro")}
    # Same file, positions instead of names, no time column: fs is required.
    rec2 = read_csv(p, {"emg": [1]}, fs=1000, units={"emg": "mV"}, time_column=0)
    assert rec2.emg.units == ("mV",) and rec2.emg.n_samples == 3000


def test_csv_headerless_and_default_emg_columns(tmp_path):
    p = tmp_path / "noheader.csv"
    t = np.arange(500) / 500
    np.savetxt(p, np.c_[t, np.sin(t), np.cos(t)], delimiter=";", fmt="%.9g")
    rec = read_csv(p, time_column=0)
    assert rec.emg.n_channels == 2 and rec.emg.fs == pytest.approx(500)
    assert rec.meta["delimiter"] == ";" and rec.meta["header_rows"] == 0


@pytest.mark.parametrize("kwargs, pattern", [
    (dict(columns={"emg": ["nope"]}), r"^columns: no column 'nope' \(emg\)"),
    (dict(columns={"acc": ["ax", "ay"]}), r"^columns: acc needs x, y, z"),
    (dict(columns={"emg": ["SO [uV]"], "time": "t"}, fs=2000), r"^fs: given as 2000 Hz but the time stamps"),
    (dict(columns={"emg": ["SO [uV]"]}, time_column="gx", fs=None), r"^gx: time stamps do not increase"),
    (dict(columns={"force": ["ax"]}), r"^columns: unknown roles \['force'\]"),
    (dict(time_unit="min"), r"^time_unit"),
    (dict(fs=-1), r"^fs: sampling rate must be a positive number"),
])
def test_csv_errors_name_the_argument_or_column(tmp_path, kwargs, pattern):
    p = tmp_path / "rec.csv"
    _write_csv(p)
    with pytest.raises(ValueError, match=pattern):
        read_csv(p, **kwargs)


def test_csv_bad_files(tmp_path):
    with pytest.raises(ValueError, match="^path: no such file"):
        read_csv(tmp_path / "missing.csv")
    p = tmp_path / "text.csv"
    p.write_text("time,SO\n0,1\n0.001,abc\n0.002,3\n")
    with pytest.raises(ValueError, match=r"^SO: column holds non-numeric values \(first: 'abc'"):
        read_csv(p)
    p.write_text("SO,GM\n1,2\n3,4\n")
    with pytest.raises(ValueError, match="^fs: no time column"):
        read_csv(p)
    b = tmp_path / "blob.bin"
    b.write_bytes(b"\x01\x02\x00\x00garbage")
    with pytest.raises(ValueError, match="^path: .*binary file of unknown format"):
        read_recording(b)


def test_stream_validation():
    with pytest.raises(ValueError, match="^channels"):
        Stream(np.zeros((10, 2)), 100.0, ("a",), ("V",))
    with pytest.raises(ValueError, match="^fs"):
        Stream(np.zeros((10, 1)), 0, ("a",), ("V",))
    with pytest.raises(ValueError, match="^unit"):
        Stream(np.zeros((10, 1)), 100.0, ("a",), ("V",)).to_unit("g")
    assert "emg: 1 ch x 10 samples" in repr(Recording(emg=Stream(np.zeros(10), 100.0, ("a",), "mV")))


def _hide_module(monkeypatch, name):
    real_import = builtins.__import__

    def fake_import(mod, *args, **kwargs):
        if mod == name or mod.startswith(name + "."):
            raise ImportError(f"No module named {mod!r}")
        return real_import(mod, *args, **kwargs)

    monkeypatch.delitem(__import__("sys").modules, name, raising=False)
    monkeypatch.setattr(builtins, "__import__", fake_import)
    monkeypatch.setattr(importlib, "import_module", lambda mod, *a: fake_import(mod))


def test_plot_names_matplotlib_when_absent(monkeypatch):
    import soleus.plot as splot

    _hide_module(monkeypatch, "matplotlib")
    with pytest.raises(ImportError, match=r"soleus.plot needs matplotlib: pip install matplotlib"):
        splot._pyplot()


@pytest.mark.parametrize("reader, package", [(read_edf, "pyedflib"), (read_c3d, "ezc3d")])
def test_optional_readers_name_the_pip_package_when_absent(monkeypatch, tmp_path, reader, package):
    _hide_module(monkeypatch, package)
    with pytest.raises(ImportError, match=rf"needs the '{package}' package: pip install {package}"):
        reader(tmp_path / "x")


def test_edf_roundtrip(tmp_path):
    pyedflib = pytest.importorskip("pyedflib", reason="pyedflib not installed (pip install 'soleus[io]')")
    p = str(tmp_path / "calf.edf")
    fs_emg, fs_imu, seconds = 1000, 100, 4
    rng = np.random.default_rng(3)
    emg = rng.standard_normal(fs_emg * seconds) * 100  # uV
    acc = np.column_stack([np.full(fs_imu * seconds, v) for v in (0.1, 0.2, 0.97)])  # g
    headers = [dict(label="EMG SO", dimension="uV", sample_frequency=fs_emg, physical_min=-1000,
                    physical_max=1000, digital_min=-32768, digital_max=32767)]
    headers += [dict(label=f"ACC {a}", dimension="g", sample_frequency=fs_imu, physical_min=-8,
                     physical_max=8, digital_min=-32768, digital_max=32767) for a in "XYZ"]
    with pyedflib.EdfWriter(p, len(headers), file_type=pyedflib.FILETYPE_EDFPLUS) as w:
        w.setSignalHeaders(headers)
        w.writeSamples([emg] + [np.ascontiguousarray(a) for a in acc.T])
    rec = read_recording(p)
    assert rec.format == "edf"
    assert rec.emg.fs == 1000 and rec.emg.channels == ("EMG SO",) and rec.emg.unit == "uV"
    assert rec.acc.fs == 100 and rec.acc.channels == ("ACC X", "ACC Y", "ACC Z") and rec.acc.unit == "g"
    np.testing.assert_allclose(rec.emg.data[:, 0], emg, atol=2000 / 65535)  # 16-bit quantisation
    np.testing.assert_allclose(rec.acc.data, acc, atol=16 / 65535)
    with pytest.raises(ValueError, match="^path: .*not a readable EDF"):
        bad = tmp_path / "bad.edf"
        bad.write_bytes(b"0       garbage")
        read_edf(bad)


def test_c3d_roundtrip(tmp_path):
    ezc3d = pytest.importorskip("ezc3d", reason="ezc3d not installed (pip install 'soleus[io]')")
    c = ezc3d.c3d()
    c["parameters"]["POINT"]["RATE"]["value"] = [100]
    c["parameters"]["POINT"]["LABELS"]["value"] = ("heel",)
    c["parameters"]["ANALOG"]["RATE"]["value"] = [1000]
    c["parameters"]["ANALOG"]["LABELS"]["value"] = ("EMG_SO", "EMG_GM")
    c["parameters"]["ANALOG"]["UNITS"]["value"] = ("mV", "mV")
    c["data"]["points"] = np.zeros((4, 1, 20))
    emg = np.random.default_rng(4).standard_normal((1, 2, 200))
    c["data"]["analogs"] = emg
    p = str(tmp_path / "trial.c3d")
    c.write(p)
    rec = read_recording(p)
    assert rec.format == "c3d" and rec.emg.fs == 1000 and rec.emg.channels == ("EMG_SO", "EMG_GM")
    assert rec.emg.unit == "mV"
    np.testing.assert_allclose(rec.emg.data, emg[0].T, rtol=1e-6)


def test_csv_time_stamp_gaps_are_counted(tmp_path):
    t = np.arange(1000) / 1000.0
    t[500:] += 0.05  # 50 dropped samples
    p = tmp_path / "gap.csv"
    np.savetxt(p, np.c_[t, np.ones(1000)], delimiter=",", header="time,SO", comments="", fmt="%.9g")
    rec = read_csv(p)
    assert rec.emg.fs == pytest.approx(1000) and rec.meta["timing"]["emg"] == {"gaps": 1, "backward_steps": 0}
    np.testing.assert_allclose(rec.emg.t_s, t)
