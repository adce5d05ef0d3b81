// The translation unit that builds tests/cpp/precompiled.hpp into the
// precompiled header the C++ tests reuse (tests/CMakeLists.txt). No tests here.
#include "precompiled.hpp"
