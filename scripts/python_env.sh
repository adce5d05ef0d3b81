#!/usr/bin/env bash
# Creates .venv (if absent) and installs soleus into it with the given extras.
# Usage: bash scripts/python_env.sh [extras]   e.g. test,analysis,io
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
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install -q ".[$extras]"
else
  .venv/bin/python -m pip install -q .
fi
