#!/usr/bin/env bash
# Installs the Debian packages soleus needs to build and test (only those missing).
# Runs apt-get as root, or through sudo when not root.
set -euo pipefail

PKGS=(build-essential cmake ninja-build pkg-config git
      libeigen3-dev libfftw3-dev libgtest-dev libgmock-dev libbenchmark-dev pybind11-dev
      python3-dev python3-venv python3-pip
      gcc-arm-none-eabi libstdc++-arm-none-eabi-newlib
      # the C++ tests for aarch64 under qemu-aarch64 (scripts/test_aarch64.sh); the
      # cross compiler brings its own C library (libc6-dev-arm64-cross, named so
      # that --no-install-recommends keeps it); googletest: GoogleTest's sources
      g++-aarch64-linux-gnu libc6-dev-arm64-cross googletest
      qemu-user binutils   # qemu-x86_64: the Python package on emulated CPUs; objdump
      clang libclang-rt-14-dev)  # clang ASan + UBSan and libFuzzer (scripts/sanitize.sh, tests/fuzz/run.sh)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all Debian packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null || { echo "install_deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "install_deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
