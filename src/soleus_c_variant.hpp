// Private to libsoleus: the seam between the exported C API
// (src/soleus_c_dispatch.cpp) and its implementation (src/soleus_c.cpp),
// which a dispatching build (SOLEUS_C_DISPATCH, CMakeLists.txt) compiles
// twice: for the x86-64-v2 baseline and for x86-64-v3 (AVX2 + FMA).
//
// soleus_create picks one implementation (the CPU's, unless
// SOLEUS_FORCE_BASELINE is set) and stores its table in the handle, so every
// later call on that session runs the code it was created with: one indirect
// call per C API call, no per-call CPU check.
#ifndef SOLEUS_SRC_SOLEUS_C_VARIANT_HPP
#define SOLEUS_SRC_SOLEUS_C_VARIANT_HPP

#include "soleus/soleus.h"

struct soleus_c_variant {
  const char* isa;  // what the implementation was compiled for ("x86-64-v3", "native", ...)
  void (*config_default)(soleus_config*);
  soleus_status (*config_validate)(const soleus_config*);
  const char* (*config_error)(const soleus_config*);
  soleus_status (*create)(const soleus_config*, soleus_session**);
  void (*destroy)(soleus_session*);
  const char* (*last_error)(const soleus_session*);
  soleus_status (*push_emg)(soleus_session*, double, const float*);
  soleus_status (*push_emg_block)(soleus_session*, const double*, const float*, size_t);
  soleus_status (*push_imu)(soleus_session*, double, const float*, const float*);
  soleus_status (*push_imu_block)(soleus_session*, const double*, const float*, const float*, size_t);
  soleus_status (*finish)(soleus_session*);
  soleus_status (*begin_mvc)(soleus_session*);
  soleus_status (*end_mvc)(soleus_session*);
  soleus_status (*set_mvc_references)(soleus_session*, const double*);
  int (*poll)(soleus_session*, soleus_event*);
  soleus_status (*get_state)(const soleus_session*, soleus_state*);
};

// The handle's common head; each implementation derives its session from it.
struct soleus_session {
  const soleus_c_variant* variant;
};

// One table per compiled implementation. Plain C names: in a dispatching
// build these are the only global symbols of each implementation's object
// (every other symbol, the inline and template code of the soleus headers
// included, is made local to it), so the two copies of that code, compiled
// for different CPUs, can never be merged by the linker.
extern "C" {
const soleus_c_variant* soleus_c_variant_x86_64_v2(void);
const soleus_c_variant* soleus_c_variant_x86_64_v3(void);
const soleus_c_variant* soleus_c_variant_single(void);
}

#endif
