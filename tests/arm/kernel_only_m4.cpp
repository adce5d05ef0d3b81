// Cortex-M4F: the filtering kernel alone, coefficients designed off-target
// (the usual firmware setup), to report the kernel's own code size.
#include "soleus/dsp/sos_filter.hpp"

namespace {
soleus::dsp::SosCascade<float, 4> g_bandpass;
}

extern "C" int soleus_m4_set(const double* sos_rows, int n_sections) {
  auto s = soleus::dsp::SosList::from_array(sos_rows, n_sections);
  return s.ok() && g_bandpass.set_sos(s.value).ok() ? 0 : -1;
}
extern "C" float soleus_m4_sample(float x) { return g_bandpass.process(x); }
extern "C" void soleus_m4_block(const float* in, float* out, unsigned n) {
  g_bandpass.process(in, out, n);
}
