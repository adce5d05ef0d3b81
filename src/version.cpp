// The compiled part of soleus grows here (FFT backend, readers, C API); for now
// the version query, so the library has a link-time identity.
#include "soleus/version.hpp"

namespace soleus {

const char* version_string() { return SOLEUS_VERSION_STRING; }

}  // namespace soleus
