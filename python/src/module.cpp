// Entry point of the extension module soleus._core (and, in dispatching builds,
// of soleus._core_avx2: the same sources compiled for x86-64-v3; see
// python/CMakeLists.txt and python/soleus/_dispatch.py).
#include "bindings.hpp"
#include "soleus/core/lanes.hpp"
#include "soleus/version.hpp"

#ifndef SOLEUS_PY_MODULE_NAME
#define SOLEUS_PY_MODULE_NAME _core
#endif
#ifndef SOLEUS_PY_VARIANT
#define SOLEUS_PY_VARIANT "compiler-default"
#endif

namespace py = pybind11;

namespace {

// What this module was compiled for: the instruction sets the compiler could use
// and the optional backends.
py::dict compiled_build_info() {
  py::dict d;
  d["version"] = soleus::version_string();
  d["isa"] = SOLEUS_PY_VARIANT;
  py::list isa;
#if defined(__SSE4_2__)
  isa.append("sse4.2");
#endif
#if defined(__AVX__)
  isa.append("avx");
#endif
#if defined(__AVX2__)
  isa.append("avx2");
#endif
#if defined(__FMA__)
  isa.append("fma");
#endif
#if defined(__AVX512F__)
  isa.append("avx512f");
#endif
#if defined(__ARM_NEON)
  isa.append("neon");
#endif
  d["isa_extensions"] = isa;
  d["float_lanes"] = soleus::native_width<float>::value;
#if defined(SOLEUS_HAVE_FFTW)
  d["fft"] = "fftw";
#else
  d["fft"] = "built-in";
#endif
  return d;
}

}  // namespace

PYBIND11_MODULE(SOLEUS_PY_MODULE_NAME, m) {
  m.doc() = "soleus C++ engine (use the `soleus` package, not this module directly)";
  m.def("version", &soleus::version_string, "Version of the compiled soleus library.");
  m.def("build_info", &compiled_build_info,
        "What this engine module was compiled for: isa, isa_extensions, float_lanes, fft.");
  soleus_py::bind_activity(m);
  soleus_py::bind_dsp(m);
  soleus_py::bind_emg(m);
  soleus_py::bind_emg_processor(m);
  soleus_py::bind_reps(m);
  soleus_py::bind_session(m);
}
