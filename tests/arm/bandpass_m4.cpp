// Cortex-M4F build check: the core and dsp headers compiled with
// -fno-exceptions -fno-rtti -Os for -mcpu=cortex-m4 -mfpu=fpv4-sp-d16. The
// functions are what firmware would call: design once, filter per sample or block.
#include "soleus/soleus.hpp"

namespace {
soleus::dsp::SosCascade<float, 4> g_bandpass;  // 20-450 Hz, 4 sections, static storage
}

extern "C" int soleus_m4_init(float fs_hz) {
  auto r = soleus::dsp::butter(4, 20.0, 450.0, soleus::dsp::BandType::bandpass, fs_hz);
  if (!r.ok()) return -1;
  return g_bandpass.set_sos(r.value).ok() ? 0 : -2;
}

extern "C" float soleus_m4_sample(float x) { return g_bandpass.process(x); }

extern "C" void soleus_m4_block(const float* in, float* out, unsigned n) {
  g_bandpass.process(in, out, n);
}
