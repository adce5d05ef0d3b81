#!/usr/bin/env bash
# clang UndefinedBehaviorSanitizer over the WHOLE C++ suite (every ctest test:
# the gtest programs of tests/cpp, the C API test), on the portable baseline
# build (SOLEUS_PORTABLE=ON: -march=x86-64-v2, no -march=native), so one step
# answers both of issue 12's questions: clang's checks that GCC's
# -fsanitize=undefined lacks (float-cast-overflow, enum, function, ...), and
# the scalar / SSE kernels that an AVX build never runs (issue 12 item 7 hid
# there). Any report fails its test (-fno-sanitize-recover=all: the process
# aborts). Build dir: build/ubsan-clang.
#
#   scripts/ubsan_clang.sh                                 # the whole suite (CI)
#   UBSAN_TARGETS="test_sos_filter test_onset" scripts/ubsan_clang.sh   # some programs
#
# -O1 without -g: UBSan's report names file:line:column from the check's own
# static data, not from debug info, and -O1 keeps every check (they are
# inserted before the optimiser runs); -O2's extra inlining and vectorisation
# and the debug info only cost compile time here (cost: docs/recovery.md).
# Add -g to CMAKE_CXX_FLAGS_RELWITHDEBINFO below for symbolised stack frames.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-2}"
command -v clang++ >/dev/null || { echo "ubsan_clang: clang++ not found (apt-get install clang)" >&2; exit 1; }

# clang's -fsanitize=undefined includes float-cast-overflow (named for the
# reader: GCC's does not). Left out because they flag behaviour the language
# defines, which the code and the standard library use on purpose:
# unsigned-integer-overflow (hashes and random generators wrap),
# float-divide-by-zero (IEEE 754 inf / NaN) and implicit-conversion.
# The whole suite as one program per layer (tests/CMakeLists.txt,
# SOLEUS_TEST_PER_LAYER: about half the compile time); UBSAN_TARGETS names the
# one-program-per-file targets (test_onset, ...), so that mode builds those.
# SOLEUS_TEST_PER_LAYER=ON|OFF overrides.
if [ -z "${UBSAN_TARGETS:-}" ]; then PER_LAYER="${SOLEUS_TEST_PER_LAYER:-ON}"; else PER_LAYER="${SOLEUS_TEST_PER_LAYER:-OFF}"; fi

SAN="-fsanitize=undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer"
# SOLEUS_C_DISPATCH=OFF: the baseline C API only (this step's question; the
# dispatched x86-64-v3 path is tested in scripts/test.sh's portable step, and
# test_session_c_api compares the C API with the baseline C++ bit for bit).
cmake -S . -B build/ubsan-clang -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -DNDEBUG" \
  -DCMAKE_C_FLAGS="$SAN" -DCMAKE_CXX_FLAGS="$SAN" -DCMAKE_EXE_LINKER_FLAGS="$SAN" \
  -DSOLEUS_PORTABLE=ON -DSOLEUS_C_DISPATCH=OFF -DSOLEUS_BUILD_BENCHMARKS=OFF -DSOLEUS_BUILD_EXAMPLES=OFF \
  -DSOLEUS_TEST_PER_LAYER="$PER_LAYER" >/dev/null

export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# A shorter soak under the sanitizer, as in the GCC ASan build (1e8 frames in Release).
export SOLEUS_SOAK_FRAMES="${SOLEUS_SOAK_FRAMES:-2000000}"

if [ -z "${UBSAN_TARGETS:-}" ]; then
  cmake --build build/ubsan-clang -j"$JOBS" --target soleus_tests
  ctest --test-dir build/ubsan-clang --output-on-failure -j"$JOBS"
  echo "ubsan_clang: the whole suite is clean"
  exit 0
fi

TARGETS=(${UBSAN_TARGETS})
cmake --build build/ubsan-clang -j"$JOBS" --target "${TARGETS[@]}"
failed=()
for t in "${TARGETS[@]}"; do
  exe=$(find build/ubsan-clang/tests -maxdepth 1 -type f -name "$t" -perm -u+x | head -1)
  [ -n "$exe" ] || { echo "ubsan_clang: $t was not built" >&2; exit 1; }
  log="build/ubsan-clang/$t.log"
  start=$(date +%s%N)
  if "$exe" >"$log" 2>&1 && ! grep -q "runtime error:" "$log"; then
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    printf 'ubsan_clang: %-22s ok   %d.%01d s\n' "$t" $((ms / 1000)) $((ms % 1000 / 100))
  else
    printf 'ubsan_clang: %-22s FAIL (log: %s)\n' "$t" "$log"
    grep -m5 -E "runtime error:|FAILED|Failed" "$log" || tail -20 "$log"
    failed+=("$t")
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "ubsan_clang: failed: ${failed[*]}" >&2; exit 1; }
echo "ubsan_clang: all ${#TARGETS[@]} targets clean"
