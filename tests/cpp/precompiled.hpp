// The headers every C++ test program parses: compiled once per build into a
// precompiled header (tests/CMakeLists.txt, target soleus_test_pch) that all
// tests/cpp/test_*.cpp reuse. Parsing GoogleTest, Eigen and the soleus headers
// was about a sixth of the compile time of each of the ~50 test programs (13.9
// -> 11.4 s CPU per Release test, issue 13), built twice in CI (Release and
// ASan + UBSan); the rest is instantiating and optimising the code under test.
//
// Only headers that are safe to see in every test belong here: no test helper
// that defines non-inline symbols or replaces global operators
// (alloc_counter.hpp replaces operator new: it stays in the tests that need it).
// Each test still includes what it uses, so it compiles without this file.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "soleus/soleus.hpp"
#include "soleus/emg/conditioner.hpp"
#include "soleus/emg/onset.hpp"
#include "soleus/emg/quality.hpp"
#include "soleus/sim/emg.hpp"
#include "soleus/sim/heel_raise.hpp"

// The imu / reps / session layers need Eigen; tests without it skip (they test
// __has_include(<Eigen/Core>) themselves).
#if __has_include(<Eigen/Core>)
#include <Eigen/Core>
#include <Eigen/Geometry>
#include "soleus/reps/imu_reps.hpp"
#endif
// Not soleus/session.hpp: it silences one GCC false positive (-Warray-bounds
// on a fixed-size copy that never runs for fewer channels) with a diagnostic
// pragma, and GCC loses that pragma for warnings raised while inlining the
// header's code into a test when the header comes from a precompiled header
// (4 warnings in test_session_faults); the tests include it themselves.
