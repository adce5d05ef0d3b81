#!/usr/bin/env python3
"""Writes the seed corpus of tests/fuzz/fuzz_session_c_api.cpp (generated, not recorded data).

Byte layout read by the harness (past the end of the input every byte reads 0):

config (6 bytes, more when a selector asks for a raw value):
  channels   b < 240: b % 9 EMG channels; else one signed byte (invalid counts)
  emg rate   b < 224: [2000, 1000, 901, 4000, 1259, 20000, 500][b % 7] Hz; else an 8-byte double
  emg range  [inf, 5, 1e-3, 1e30, 1e4, nan, 0][b % 7]
  flags      bit 0 IMU on, 1 acc in g, 2 gyro in rad/s, 3 burst spectra, bits 4-5 placement
  imu rate   b < 224: [100, 50, 10, 200, 2000, 104, 9][b % 7] Hz; else an 8-byte double
  more       >= 200: one raw double into another field; 100..199: short inactivity alert and set gap
operations (op byte % 12), until the input ends (at most 4096):
  0, 1   one EMG frame: stamp selector (+ bytes), one value selector (+ bytes) per channel
  2, 3   EMG block: n = 1 + 8 b, on/off pattern (8 slots of 0.5 s), rest level 10^(b % 8 - 6), gain 1 + b % 64
  4      one IMU frame: stamp selector, 3 acc and 3 gyro value selectors
  5      IMU block cut from a simulated heel-raise recording (sim/heel_raise.hpp; foot, or shank with
         placement shank_standing): n = 1 + 2 b frames from where the last one stopped
  6      IMU block (synthetic raises): n = 1 + 2 b, gyro axis, gravity axis, amplitude 5 + 2 b deg/s, period
         0.5 + 0.05 b s, rest 0.1 b s
  7      wild block: n = b % 17, stamps and values from selectors, pushed to both streams
  8      MVC: begin / end / set references
  9      state snapshot (checked)
  10     finish (later pushes start a new recording)
  11     NULL-argument calls
stamp selector (b % 16): 0 nan, 1 +inf, 2 -inf, 3 1e13, 4 -9e300, 5 DBL_MAX, 6 duplicate, 7 backwards,
  8 gap, 9 raw double, 10 jump the clock to a raw double, 11 jitter, else the next nominal stamp
value selector (b % 16): 0 nan, 1 +inf, 2 -inf, 3 1e30, 4 -FLT_MAX, 5 FLT_MAX, 6 and 7 denormals, 8 zero,
  9 raw float, 10 1e4, else a 16-bit sample times a scale
"""
import pathlib
import struct
import sys


def config(channels=1, emg_rate=0, rng=0, imu=True, placement=0, spectra=False, imu_rate=0, more=0):
    flags = (1 if imu else 0) | (8 if spectra else 0) | (placement << 4)
    return bytes([channels, emg_rate, rng, flags, imu_rate, more])


def emg_block(n_byte=250, pattern=0b01100110, rest=3, gain=20):
    return bytes([2, n_byte, pattern, rest, gain])


def imu_block(n_byte=100, axis=1, gravity=0, amp=20, period=30, rest=20):
    return bytes([5, n_byte, axis, gravity, amp, period, rest])


def sim_block(n_byte=100):
    return bytes([5, n_byte])


def emg_frame(stamp, values):
    return bytes([0, stamp]) + b"".join(values)


def normal(x):  # value selector 11 + a 16-bit sample
    return bytes([11]) + struct.pack("<h", x)


def exercise(blocks):
    """Interleaves EMG (about 1 s per block) and IMU (2 s per block) like a device does."""
    out = b""
    for i in range(blocks):
        out += emg_block(pattern=0b00111100 if i % 2 else 0b00001111)
        if i % 2 == 0:
            out += sim_block() if i % 8 else imu_block()
        if i % 8 == 7:
            out += bytes([9])
    return out


def seeds():
    yield "clean_1ch_imu", config() + exercise(40)
    yield "shank_sets", config(channels=2, placement=2, more=103) + exercise(80)
    yield "three_ch_faults", config(channels=3, rng=1, spectra=True) + exercise(10) + b"".join(
        emg_frame(s, [bytes([v]) for v in (0, 1, 3)]) for s in range(16)) + exercise(10)
    yield "eight_ch_20k_emg_only", config(channels=8, emg_rate=5, imu=False) + b"".join(
        emg_block(n_byte=255, pattern=0b10101010, rest=2, gain=40) for _ in range(30))
    yield "imu_only_gyro_spikes", config(channels=0, placement=2) + b"".join(
        imu_block() + bytes([4, 12]) + bytes([11, 0, 0]) * 3 + bytes([3, 11, 0, 0, 1]) for _ in range(15))
    yield "mvc_finish_restart", config(channels=2) + bytes([8, 0]) + exercise(4) + bytes([8, 1]) + exercise(6) + \
        bytes([10]) + exercise(6) + bytes([8, 2] + [50] * 8) + exercise(6)
    yield "wild_stamps", config(channels=1) + exercise(4) + bytes([7, 16] + list(range(16)) + [11, 0, 0] * 16 +
                                                               [1] * 48) + exercise(8)
    yield "flat_then_active", config(channels=1, more=110) + b"".join(
        emg_block(pattern=0, rest=0, gain=1) for _ in range(12)) + exercise(16)
    yield "bad_configs", bytes([250, 12, 230]) + struct.pack("<d", 1e300)
    yield "nan_rate", bytes([1, 0, 0, 1, 230]) + struct.pack("<d", float("nan"))
    yield "nulls_and_state", config(channels=4) + bytes([11, 9, 11, 9]) + exercise(2)


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent / "corpus")
    out.mkdir(parents=True, exist_ok=True)
    for name, data in seeds():
        (out / name).write_bytes(data)
    print(f"make_corpus: {sum(1 for _ in seeds())} seeds in {out}")


if __name__ == "__main__":
    main()
