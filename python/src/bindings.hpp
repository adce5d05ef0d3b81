// Shared declarations for the pybind11 extension soleus._core: each layer's
// bindings live in their own file and register themselves from module.cpp.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

#include "soleus/core/status.hpp"

namespace soleus_py {

namespace py = pybind11;

// A failed Status becomes ValueError with the library's message (which names
// the argument), optionally followed by details only Python knows.
inline void throw_if_error(const soleus::Status& st, const std::string& details = "") {
  if (!st.ok()) {
    throw py::value_error(std::string(st.message) + (details.empty() ? "" : " (" + details + ")"));
  }
}

void bind_dsp(py::module_& m);
void bind_emg(py::module_& m);
void bind_emg_processor(py::module_& m);
void bind_reps(py::module_& m);
void bind_session(py::module_& m);

}  // namespace soleus_py
