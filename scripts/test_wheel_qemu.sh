#!/usr/bin/env bash
# The installed wheel's Python tests on emulated x86-64 CPUs (issue 13): the whole
# interpreter of a virtual environment, with numpy, scipy and soleus, runs under
# user-mode QEMU as an Intel Nehalem (2008: SSE4.2, no AVX; the x86-64-v2
# baseline) and as an Intel Haswell (2013: AVX2 + FMA; x86-64-v3). numpy and
# scipy choose their own kernels from the emulated CPU's CPUID, as soleus does.
#
#   scripts/test_wheel_qemu.sh          the subset that CI runs (below)
#   scripts/test_wheel_qemu.sh --all    every file of tests/python (on demand)
#
# SOLEUS_QEMU_CPUS="Nehalem" runs one CPU; SOLEUS_QEMU_TESTS="tests/python/test_x.py ..."
# replaces CI's list of tests; SOLEUS_QEMU_DURATIONS=0 lists every test's time.
# SOLEUS_TEST_TIMEOUT_SCALE (default 20 here) multiplies the hang guards of the
# subprocesses a test starts (tests/python/timeouts.py).
# SOLEUS_WHEEL_VENV (default build/wheel-venv): a virtual environment with the
# wheel installed (scripts/test.sh's wheel step makes it). Installs nothing in
# the system: fails with the apt line when qemu-x86_64 is missing
# (scripts/install_deps.sh installs qemu-user). --all adds hypothesis and mypy
# (the property tests, stubtest) to that virtual environment with pip.
#
# Per CPU: `import soleus; soleus.build_info()` must report the engine that CPU
# runs (Nehalem: x86-64-v2, soleus._core; Haswell: x86-64-v3, soleus._core_avx2),
# then pytest. Python is started through a wrapper, bin/python-qemu-<CPU>, that
# gives QEMU its own path as argv[0] (qemu-x86_64 -0): sys.executable is then the
# wrapper, so the subprocesses a test starts with sys.executable (the CLI, the
# examples, the thread test) run on the emulated CPU too. A program started any
# other way (the C++ replay tools of test_session_parity.py) runs on the host CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
VENV="${SOLEUS_WHEEL_VENV:-build/wheel-venv}"
case "$VENV" in /*) ;; *) VENV="$ROOT/$VENV" ;; esac

ALL=0
case "${1:-}" in
  --all) ALL=1 ;;
  "") ;;
  *) echo "usage: $0 [--all]" >&2; exit 2 ;;
esac

[ "$(uname -m)" = x86_64 ] || { echo "test_wheel_qemu: emulates x86-64 CPUs on an x86-64 host only" >&2; exit 1; }
QEMU="$(command -v qemu-x86_64 || true)"
[ -n "$QEMU" ] || {
  echo "test_wheel_qemu: qemu-x86_64 missing; install with:" >&2
  echo "  sudo apt-get install -y qemu-user    (or: bash scripts/install_deps.sh)" >&2
  exit 1
}
[ -x "$VENV/bin/python" ] || {
  echo "test_wheel_qemu: no virtual environment with the wheel at $VENV (scripts/test.sh's wheel step makes it)" >&2
  exit 1
}
# The interpreter itself (the venv's bin/python is a symlink; QEMU loads the ELF).
PY_REAL="$(readlink -f "$VENV/bin/python")"

if [ "$ALL" = 1 ]; then
  # Every test file; those whose optional packages are absent (pyedflib, ezc3d,
  # pylsl) or whose C++ build is absent skip, as they do natively.
  "$VENV/bin/python" -m pip install -q "hypothesis>=6" "mypy>=1.10"
  TESTS=(tests/python)
else
  # CI's subset, chosen for time: every engine path the dispatch chooses between,
  # each against a reference outside the code under test. Whole files cost ~20x
  # their native time under QEMU (test_filters.py + test_emg.py: 173 s on one
  # CPU), and starting pytest with numpy and scipy.signal costs ~30-40 s per CPU
  # before the first test (docs/cpp.md, "Python packages that travel", has the figures).
  F=tests/python
  TESTS=(
    # the SOS cascades, double and float lanes, one block and streamed, many channels: against scipy.signal
    "$F/test_filters.py::test_sosfilt_float64_equals_scipy_1e12"
    "$F/test_filters.py::test_sosfilt_float32_snr_at_least_94db"
    "$F/test_filters.py::test_sosfilt_zi_equals_scipy"
    "$F/test_filters.py::test_iirnotch_equals_scipy"
    "$F/test_filters.py::test_mains_filter_removes_every_harmonic"
    "$F/test_filters.py::test_sosfilter_streaming_chunks_equal_one_block"
    "$F/test_filters.py::test_sosfilter_many_channels_and_reset"
    # the EMG chain: the envelope against a scipy pipeline; burst onsets / offsets (the
    # change-point scan with its AVX2 path) and per-burst spectra against the generator's truth
    "$F/test_emg.py::test_envelope_matches_scipy_pipeline"
    "$F/test_emg.py::test_per_burst_spectra_against_the_generator_truth"
    # the IMU chain (orientation, sagittal axis, segmenter, imu_reps' AVX2 path) and the
    # activity layer, against the simulator's true reps and cycling minutes
    "$F/test_reps.py::test_foot_session_reps_and_boundaries[100-3]"
    "$F/test_reps.py::test_shank_placement_counts_reps"
    "$F/test_reps.py::test_auto_placement_counts_foot_reps"
    "$F/test_activity.py::test_pedalling_is_cycling_not_pumps"
    # the whole Session (EMG + IMU, quality, activity, MVC) on a simulated set: its phases and state
    "$F/test_session.py::test_live_state_and_mvc"
    # the engine chosen, its extensions, both engines in the installed package
    "$F/test_portable.py::test_build_info"
    "$F/test_portable.py::test_installed_package_dispatches"
  )
  if [ -n "${SOLEUS_QEMU_TESTS:-}" ]; then read -r -a TESTS <<< "$SOLEUS_QEMU_TESTS"; fi
fi

# Haswell less the features QEMU's TCG cannot emulate (process-context IDs,
# x2APIC, the TSC deadline timer, INVPCID; TSX's HLE / RTM): QEMU drops them
# anyway, with a warning on stderr at every start, which would reach the stderr
# of each Python subprocess a test checks. The CPUID user code sees is the same.
HASWELL="Haswell,-pcid,-x2apic,-tsc-deadline,-invpcid,-hle,-rtm"
run_cpu() {
  local cpu="$1" isa module v3 np_want qcpu wrapper t0 rc
  case "$cpu" in
    Nehalem) isa=x86-64-v2; module=soleus._core;      v3=False; np_want=SSE42; qcpu=Nehalem ;;
    Haswell) isa=x86-64-v3; module=soleus._core_avx2; v3=True;  np_want='SSE42 AVX FMA3 AVX2'; qcpu=$HASWELL ;;
    *) echo "test_wheel_qemu: SOLEUS_QEMU_CPUS takes Nehalem and / or Haswell" >&2; return 2 ;;
  esac
  wrapper="$VENV/bin/python-qemu-$cpu"
  # SOLEUS_QEMU_CPU tells the tests that they already run emulated
  # (test_portable.py's own qemu runs cannot nest: qemu-x86_64 loads ELF
  # programs, not this wrapper).
  printf '#!/bin/sh\n# Generated by scripts/test_wheel_qemu.sh: this virtual environment'"'"'s Python on an emulated %s.\nexport SOLEUS_QEMU_CPU=%s\nexec %s -cpu %s -0 "$0" %s "$@"\n' \
    "$cpu" "$cpu" "$QEMU" "$qcpu" "$PY_REAL" > "$wrapper"
  chmod +x "$wrapper"

  echo "---- qemu-x86_64 -cpu $cpu: import soleus (expects $isa, $module)"
  t0=$(date +%s)
  # From build/: the installed wheel imports, never python/soleus of the source tree.
  (cd "$ROOT/build" && env -u SOLEUS_FORCE_BASELINE "$wrapper" -c "
import json, sys
import numpy, soleus
try:
    from numpy._core._multiarray_umath import __cpu_features__ as np_cpu
except ImportError:  # numpy 1.x
    from numpy.core._multiarray_umath import __cpu_features__ as np_cpu
info = soleus.build_info()
print(json.dumps(info))
np_seen = [k for k in ('SSE42', 'AVX', 'FMA3', 'AVX2', 'AVX512F') if np_cpu.get(k)]
print('numpy', numpy.__version__, 'sees', ' '.join(np_seen))
want = dict(isa='$isa', module='$module', dispatching=True, cpu_x86_64_v3=$v3, forced_baseline=False, fft='built-in')
bad = {k: (info.get(k), v) for k, v in want.items() if info.get(k) != v}
# numpy reads the same CPUID: a check that QEMU emulates the CPU asked for, not the host's.
if np_seen != '$np_want'.split():
    bad['numpy cpu features'] = (np_seen, '$np_want'.split())
sys.exit('-cpu $cpu: build_info / numpy differ from what this CPU runs (got, want): %r' % bad if bad else 0)
") || return 1
  echo "import on $cpu: $(( $(date +%s) - t0 )) s"

  echo "---- qemu-x86_64 -cpu $cpu: pytest ${TESTS[*]}"
  t0=$(date +%s)
  rc=0
  env -u SOLEUS_FORCE_BASELINE "$wrapper" -m pytest -q -p no:cacheprovider --durations="${SOLEUS_QEMU_DURATIONS:-5}" "${TESTS[@]}" || rc=$?
  echo "pytest on $cpu: $(( $(date +%s) - t0 )) s (exit $rc)"
  return "$rc"
}

# The subprocesses a test starts (the CLI, the examples) run emulated too, about
# 20x slower than natively: their hang guards scale by as much (tests/python/timeouts.py).
export SOLEUS_TEST_TIMEOUT_SCALE="${SOLEUS_TEST_TIMEOUT_SCALE:-20}"
# The property tests of tests/python/test_fuzz_api.py draw 1 500-3 000 examples
# each natively (SOLEUS_FUZZ_SCALE=1): emulated, that took over an hour for the
# file on one CPU; a twentieth still runs every property through the engine the
# emulated CPU chooses (the native run keeps the full count).
export SOLEUS_FUZZ_SCALE="${SOLEUS_FUZZ_SCALE:-0.05}"

# The two CPUs run side by side (each one single-threaded QEMU process; CI's
# machine has 2 cores), each into its own log, printed in order when both are done.
# SOLEUS_QEMU_SERIAL=1 runs them one after the other.
t_all=$(date +%s)
status=0
declare -A pids
for cpu in ${SOLEUS_QEMU_CPUS:-Nehalem Haswell}; do
  log="$ROOT/build/qemu-$cpu.log"
  if [ "${SOLEUS_QEMU_SERIAL:-0}" = 1 ]; then
    run_cpu "$cpu" 2>&1 | tee "$log" || status=1   # pipefail: run_cpu's status
  else
    run_cpu "$cpu" > "$log" 2>&1 &
    pids[$cpu]=$!
  fi
done
for cpu in ${SOLEUS_QEMU_CPUS:-Nehalem Haswell}; do
  [ -n "${pids[$cpu]:-}" ] || continue
  rc=0; wait "${pids[$cpu]}" || rc=$?
  cat "$ROOT/build/qemu-$cpu.log"
  [ "$rc" = 0 ] || { echo "qemu -cpu $cpu: FAILED (exit $rc)"; status=1; }
done
echo "wheel under qemu-x86_64 (${SOLEUS_QEMU_CPUS:-Nehalem Haswell}): $(( $(date +%s) - t_all )) s wall"
exit "$status"
