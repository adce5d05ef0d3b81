#!/usr/bin/env bash
# Creates .venv (if absent) and installs soleus into it with the given extras.
# Usage: bash scripts/python_env.sh [extras]   e.g. test,analysis,io
# SOLEUS_WHEEL_DIR=dir: build a wheel there and install it (instead of `pip install .`).
# (the Python tests use all three: analysis = matplotlib + tqdm for plots and the
# CLI's progress bar, io = pyedflib + ezc3d for the EDF and C3D readers; tests of
# an absent optional package skip).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
extras="${1:-}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ -n "${SOLEUS_WHEEL_DIR:-}" ]; then
  # Build a wheel into SOLEUS_WHEEL_DIR and install that wheel (scripts/test.sh:
  # the wheel step then repairs the same wheel instead of building it again,
  # which would recompile the extension: each isolated pip build has its own
  # pybind11 path in the compile flags).
  rm -rf "$SOLEUS_WHEEL_DIR"
  # The package's dependencies (pyproject.toml: dependencies + the extras) go
  # into .venv while the wheel compiles (issue 13): on a fresh clone their
  # download and unpacking ran after the build, one core idle (measured on this
  # machine, load ~10, warm pip cache: 24.5 s CPU, 179 s wall for a fresh venv),
  # and `pip wheel` builds in its own isolated environment, so the two do not
  # touch the same files. tomllib: Python >= 3.11; without it, as before.
  deps_pid=""
  if .venv/bin/python -c "import tomllib" 2>/dev/null; then
    .venv/bin/python - "$extras" > .venv/soleus-dependencies.txt <<'PY'
import sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
deps = list(project.get("dependencies", []))
for extra in filter(None, sys.argv[1].split(",")):
    deps += project.get("optional-dependencies", {}).get(extra, [])  # pip only warns of an unknown extra
print("\n".join(deps))
PY
    .venv/bin/python -m pip install -q -r .venv/soleus-dependencies.txt &
    deps_pid=$!
  fi
  .venv/bin/python -m pip wheel . -w "$SOLEUS_WHEEL_DIR" --no-deps -q
  # A failed dependency install fails here (set -e), as it would below.
  [ -z "$deps_pid" ] || wait "$deps_pid"
  wheel=$(ls "$SOLEUS_WHEEL_DIR"/soleus-*.whl)
  .venv/bin/python -m pip install -q --force-reinstall --no-deps "$wheel"
  if [ -n "$extras" ]; then
    .venv/bin/python -m pip install -q "$wheel[$extras]"
  else
    .venv/bin/python -m pip install -q "$wheel"
  fi
elif [ -n "$extras" ]; then
  .venv/bin/python -m pip install -q ".[$extras]"
else
  .venv/bin/python -m pip install -q .
fi
