#!/usr/bin/env bash
# Quick start, command 1: build the Python package into .venv and run the demo
# on a synthetic heel-raise session (tables printed, plot in out/demo.png).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/python_env.sh analysis   # matplotlib for the plot, tqdm
.venv/bin/soleus demo "$@"
