// Full-wave rectification, the first step of an EMG envelope.
#pragma once

#include <cmath>
#include <cstddef>

namespace soleus::dsp {

template <typename T>
inline T rectify(T x) {
  return std::fabs(x);
}

template <typename T>
inline void rectify(const T* in, T* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = std::fabs(in[i]);
}

}  // namespace soleus::dsp
