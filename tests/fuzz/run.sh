#!/usr/bin/env bash
# Builds the libFuzzer target over the C API (clang, ASan + UBSan with
# float-cast-overflow, -fno-sanitize-recover=all, baseline x86-64: no
# -march=native, so the scalar / SSE2 kernels run) in build/fuzz and runs it
# for a bounded time on the committed seed corpus (tests/fuzz/corpus, written
# by tests/fuzz/make_corpus.py). New inputs go to build/fuzz/corpus; a crash
# leaves build/fuzz/crash-* and fails the script.
#
#   tests/fuzz/run.sh            # 60 s (FUZZ_SECONDS), 1 job
#   FUZZ_SECONDS=3600 FUZZ_JOBS=2 tests/fuzz/run.sh
#   build/fuzz/tests/fuzz/fuzz_session_c_api build/fuzz/crash-...   # replay one input
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN="${FUZZ_SECONDS:-60}"
JOBS="${FUZZ_JOBS:-1}"
CC_BIN="${FUZZ_CC:-clang}"
CXX_BIN="${FUZZ_CXX:-clang++}"
command -v "$CXX_BIN" >/dev/null || { echo "fuzz: $CXX_BIN not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }

cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$CC_BIN" -DCMAKE_CXX_COMPILER="$CXX_BIN" \
  -DCMAKE_CXX_FLAGS="-march=x86-64" -DCMAKE_C_FLAGS="-march=x86-64" \
  -DSOLEUS_NATIVE=OFF -DSOLEUS_WITH_FFTW=OFF -DSOLEUS_BUILD_FUZZERS=ON \
  -DSOLEUS_BUILD_TESTS=OFF -DSOLEUS_BUILD_BENCHMARKS=OFF -DSOLEUS_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build/fuzz --target fuzz_session_c_api

python3 tests/fuzz/make_corpus.py build/fuzz/seeds >/dev/null
# The committed corpus must be what the script writes (no hand-edited data).
diff -r build/fuzz/seeds tests/fuzz/corpus >/dev/null || {
  echo "fuzz: tests/fuzz/corpus differs from make_corpus.py's output: run python3 tests/fuzz/make_corpus.py" >&2; exit 1; }
mkdir -p build/fuzz/corpus
cd build/fuzz
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
args=(-max_total_time="$SECONDS_TO_RUN" -timeout=20 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1)
if [ "$JOBS" -gt 1 ]; then
  args+=(-jobs="$JOBS" -workers="$JOBS")
fi
echo "fuzz: fuzz_session_c_api for ${SECONDS_TO_RUN} s (${JOBS} job(s))"
./tests/fuzz/fuzz_session_c_api "${args[@]}" corpus ../../tests/fuzz/corpus
