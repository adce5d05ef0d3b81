# Cross-compiles soleus for 64-bit ARM Linux (aarch64: phones, Raspberry Pi 4/5,
# Graviton) with Debian's cross compiler, and runs the programs it builds under
# user-mode QEMU, so `ctest` (and gtest_discover_tests at build time) execute the
# aarch64 tests on an x86-64 machine. scripts/test_aarch64.sh drives it.
#
#   apt-get install g++-aarch64-linux-gnu qemu-user
#   cmake -S . -B build/aarch64 -G Ninja \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake ...
#
# The compiler's default target is armv8-a, which includes Advanced SIMD (NEON)
# and fused multiply-add: soleus' lane layer then uses 128-bit lanes
# (core/lanes.hpp, native_width) and SOLEUS_HAS_FMA is 1 (core/config.hpp).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(SOLEUS_AARCH64_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${SOLEUS_AARCH64_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${SOLEUS_AARCH64_TRIPLE}-g++)

# The C library and libstdc++ the cross compiler brings (Debian's
# libc6-dev-arm64-cross, libstdc++-12-dev-arm64-cross) live here; QEMU's -L
# points its dynamic loader at the same tree.
set(SOLEUS_AARCH64_SYSROOT /usr/${SOLEUS_AARCH64_TRIPLE})
set(CMAKE_FIND_ROOT_PATH ${SOLEUS_AARCH64_SYSROOT})
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L ${SOLEUS_AARCH64_SYSROOT})

# Programs (cmake, ninja) from the host; libraries and headers only from the
# aarch64 tree, never the host's x86-64 ones. Header-only packages that are
# the same on every CPU (Eigen) and the cross-built GoogleTest are passed by
# their config directory (Eigen3_DIR, GTest_DIR), which CMake honours as given.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
