#!/usr/bin/env bash
# The C++ tests cross-built for 64-bit ARM (aarch64, NEON + FMA: phones, Raspberry
# Pi 4/5, Graviton) and run under user-mode QEMU (issue 13). Installs nothing:
# fails with the apt line when the cross compiler or QEMU is missing
# (scripts/install_deps.sh installs both).
#
#   scripts/test_aarch64.sh          the per-layer subset that CI runs (below)
#   scripts/test_aarch64.sh --all    the whole C++ suite, one program per layer (on demand)
#
# GoogleTest is cross-built from Debian's source tree (/usr/src/googletest,
# package googletest, which libgtest-dev pulls in); Eigen is header-only (the
# host's /usr/include/eigen3); spectra use the built-in FFT (no aarch64 FFTW).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
JOBS="${JOBS:-2}"
BUILD="${SOLEUS_AARCH64_BUILD_DIR:-build/aarch64}"
# GoogleTest's cross build, shared by both modes' build trees.
GTEST_BUILD="$BUILD-gtest"
TOOLCHAIN="$ROOT/cmake/toolchains/aarch64-linux-gnu.cmake"
GTEST_SRC="${GTEST_SRC:-/usr/src/googletest}"

ALL=0
case "${1:-}" in
  --all) ALL=1 ;;
  "") ;;
  *) echo "usage: $0 [--all]" >&2; exit 2 ;;
esac
# --all: the whole suite as one program per layer (SOLEUS_TEST_PER_LAYER=ON, as
# CI's native build): ~10 programs to cross-compile instead of 124, in a tree of
# its own so the subset's one-program-per-file tree is kept.
PER_LAYER=OFF
if [ "$ALL" = 1 ]; then PER_LAYER=ON; BUILD="$BUILD-all"; fi

missing=()
command -v aarch64-linux-gnu-g++ >/dev/null || missing+=(g++-aarch64-linux-gnu)
command -v qemu-aarch64 >/dev/null || missing+=(qemu-user)
[ -f "$GTEST_SRC/CMakeLists.txt" ] || missing+=(googletest)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test_aarch64: missing ${missing[*]}; install with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}    (or: bash scripts/install_deps.sh)" >&2
  exit 1
fi
EIGEN_DIR="${Eigen3_DIR:-/usr/share/eigen3/cmake}"
[ -f "$EIGEN_DIR/Eigen3Config.cmake" ] || {
  echo "test_aarch64: Eigen3Config.cmake not in $EIGEN_DIR; sudo apt-get install -y libeigen3-dev (or set Eigen3_DIR)" >&2
  exit 1
}

t0=$(date +%s)
# GoogleTest for aarch64, installed into the build tree (once; kept between runs).
GTEST_PREFIX="$ROOT/$GTEST_BUILD/install"
if [ ! -f "$GTEST_PREFIX/lib/cmake/GTest/GTestConfig.cmake" ]; then
  cmake -S "$GTEST_SRC" -B "$GTEST_BUILD" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN" \
    -DCMAKE_BUILD_TYPE=Release -DBUILD_GMOCK=OFF -DCMAKE_INSTALL_PREFIX="$GTEST_PREFIX"
  cmake --build "$GTEST_BUILD" -j"$JOBS" --target install
fi

# SOLEUS_PORTABLE: the compiler's default aarch64 target (armv8-a: NEON, FMA),
# never -march=native (this machine's CPU is not the target's).
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN" -DCMAKE_BUILD_TYPE=Release \
  -DSOLEUS_PORTABLE=ON -DSOLEUS_WITH_FFTW=OFF \
  -DSOLEUS_BUILD_BENCHMARKS=OFF -DSOLEUS_BUILD_EXAMPLES=OFF -DSOLEUS_TEST_PER_LAYER="$PER_LAYER" \
  -DGTest_DIR="$GTEST_PREFIX/lib/cmake/GTest" -DEigen3_DIR="$EIGEN_DIR"

if [ "$ALL" = 1 ]; then
  # soleus_tests: every program ctest runs (not the replay and hash tools).
  cmake --build "$BUILD" -j"$JOBS" --target soleus_tests
  t1=$(date +%s)
  # QEMU runs the long simulations ~10x slower than native: SimulatedDay.ImuOnly-
  # SessionMatchesTheTruth took 1234 s under load 10-14, near ctest's default
  # 1500 s limit, hence an hour per test here.
  # The accuracy grids are left to the native Release build, by the rule
  # scripts/sanitize.sh states: HeelRaiseChain.Grid*/Realistic*/NonRaiseActivity*
  # measure accuracy over hundreds of simulated sessions against guards set at the
  # native build's figures, and MovingRms.NoDriftAfterOneBillionSamples is a 1e9-
  # sample drift check; their code (segmenter, moving RMS) runs here through the
  # other HeelRaiseChain, test_reps_* and MovingRms tests. SOLEUS_AARCH64_GRIDS=1
  # runs them too.
  EXCLUDE='^HeelRaiseChain\.(Grid|Realistic|NonRaiseActivity)|^MovingRms\.NoDriftAfterOneBillionSamples$'
  [ "${SOLEUS_AARCH64_GRIDS:-0}" = 1 ] && EXCLUDE='^$'
  ctest --test-dir "$BUILD" --output-on-failure -j"$JOBS" --timeout 3600 -E "$EXCLUDE"
else
  # One program per layer, chosen where x86-64 and aarch64 builds take different
  # code: the lane kernels against scipy's reference vectors (dsp), the built-in
  # FFT (aarch64 builds have no FFTW), the two EMG files with AVX2 fast paths
  # (their generic loops run here), the orientation filter (imu, Eigen), the
  # rep engine fed in chunks, and the whole Session through C++ and the C API.
  # SOLEUS_AARCH64_SUBSET="test_a test_b" overrides the list.
  SUBSET_TARGETS=(${SOLEUS_AARCH64_SUBSET:-test_sos_filter test_fft test_onset test_quality
    test_orientation test_reps_streaming test_session_stream test_c_api})
  cmake --build "$BUILD" -j"$JOBS" --target "${SUBSET_TARGETS[@]}"
  t1=$(date +%s)
  # Only the programs built above (ctest would report the others as missing).
  regex=$(printf '|%s' "${SUBSET_TARGETS[@]}"); regex="^(${regex:1})$"
  ctest --test-dir "$BUILD" --output-on-failure -j"$JOBS" -L "$regex"
fi
t2=$(date +%s)
echo "aarch64: build $((t1 - t0)) s, tests under qemu-aarch64 $((t2 - t1)) s"
