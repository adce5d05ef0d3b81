#!/usr/bin/env bash
# clang UndefinedBehaviorSanitizer (with float-cast-overflow, which GCC's
# -fsanitize=undefined does not check) on a baseline x86-64 build (SSE2 only:
# no -march=native, so the generic / scalar kernels run, not the AVX ones),
# over the tests most exposed to hostile input. Any report fails the run
# (-fno-sanitize-recover=all). Build dir: build/ubsan-clang.
#
#   scripts/ubsan_clang.sh                 # the default targets below
#   UBSAN_TARGETS="test_sos_filter" scripts/ubsan_clang.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-2}"
# Keep this list small: scripts/test.sh runs it in CI (cost in docs/recovery.md).
TARGETS=(${UBSAN_TARGETS:-test_session_faults test_session_c_api test_reps_input test_recovery test_c_api
         test_emg_capacities test_orientation})
command -v clang++ >/dev/null || { echo "ubsan_clang: clang++ not found (apt-get install clang)" >&2; exit 1; }

SAN="-fsanitize=undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer"
cmake -S . -B build/ubsan-clang -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_C_FLAGS="-march=x86-64 $SAN" -DCMAKE_CXX_FLAGS="-march=x86-64 $SAN" \
  -DCMAKE_EXE_LINKER_FLAGS="$SAN" -DSOLEUS_NATIVE=OFF \
  -DSOLEUS_BUILD_BENCHMARKS=OFF -DSOLEUS_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build/ubsan-clang -j"$JOBS" --target "${TARGETS[@]}"

export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# A shorter soak under the sanitizer, as in the GCC sanitizer build.
export SOLEUS_SOAK_FRAMES="${SOLEUS_SOAK_FRAMES:-2000000}"
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
