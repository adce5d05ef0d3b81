// Entry point of the extension module soleus._core.
#include "bindings.hpp"
#include "soleus/version.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "soleus C++ engine (use the `soleus` package, not this module directly)";
  m.def("version", &soleus::version_string, "Version of the compiled soleus library.");
  soleus_py::bind_activity(m);
  soleus_py::bind_dsp(m);
  soleus_py::bind_emg(m);
  soleus_py::bind_emg_processor(m);
  soleus_py::bind_reps(m);
  soleus_py::bind_session(m);
}
