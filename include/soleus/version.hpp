// Library version, at compile time (macros in core/config.hpp) and at run time
// (the compiled library's own, to detect a header/library mismatch).
#pragma once

#include "soleus/core/config.hpp"

namespace soleus {

const char* version_string();

}  // namespace soleus
