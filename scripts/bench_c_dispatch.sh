#!/usr/bin/env bash
# Dispatched vs native libsoleus through the C API (issue 13): bench_c_api of a
# portable build (SOLEUS_PORTABLE: the C API dispatched, x86-64-v3 on an AVX2
# CPU; and its forced x86-64-v2 baseline) against bench_c_api of a native
# build (-march=native), run alternately ROUNDS times in one invocation so
# that the machine's load hits all of them alike. Prints the ratio of median
# CPU times per benchmark case (target <= 1.1 for dispatched / native).
# Usage: bash scripts/bench_c_dispatch.sh [ROUNDS]   (builds what is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-3}"
JOBS="${JOBS:-2}"
NATIVE=build/release/benchmarks/bench_c_api
PORTABLE=build/portable/benchmarks/bench_c_api
[ -x "$NATIVE" ] || { cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null;
  cmake --build build/release -j"$JOBS" --target bench_c_api; }
[ -x "$PORTABLE" ] || { cmake -S . -B build/portable -G Ninja -DCMAKE_BUILD_TYPE=Release -DSOLEUS_PORTABLE=ON \
  -DSOLEUS_BUILD_BENCHMARKS=ON >/dev/null; cmake --build build/portable -j"$JOBS" --target bench_c_api; }
mkdir -p out
ARGS=(--benchmark_repetitions=5 --benchmark_report_aggregates_only=true --benchmark_format=json)
for r in $(seq "$ROUNDS"); do
  "$NATIVE" "${ARGS[@]}" > "out/bench_c_api_native_$r.json"
  "$PORTABLE" "${ARGS[@]}" > "out/bench_c_api_dispatched_$r.json"
  SOLEUS_FORCE_BASELINE=1 "$PORTABLE" "${ARGS[@]}" > "out/bench_c_api_baseline_$r.json"
done
python3 - "$ROUNDS" <<'PY'
import json, sys
rounds = int(sys.argv[1])
def medians(kind, r):
    d = json.load(open(f"out/bench_c_api_{kind}_{r}.json"))
    return {b["run_name"]: (b["cpu_time"], b.get("label", "")) for b in d["benchmarks"]
            if b.get("aggregate_name") == "median"}
print("median CPU time ratios, per round (label: the implementation that ran)")
for r in range(1, rounds + 1):
    n, d, b = medians("native", r), medians("dispatched", r), medians("baseline", r)
    for name in n:
        print(f"round {r} {name}: native {n[name][0]:.2f} ms ({n[name][1]}), "
              f"dispatched {d[name][0]:.2f} ms ({d[name][1]}): {d[name][0] / n[name][0]:.3f}x; "
              f"forced baseline {b[name][0]:.2f} ms ({b[name][1]}): {b[name][0] / n[name][0]:.3f}x")
PY
