#!/usr/bin/env bash
# Quick start, command 1: build the Python package into .venv and run the demo
# on a built-in signal.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/python_env.sh
.venv/bin/soleus demo "$@"
