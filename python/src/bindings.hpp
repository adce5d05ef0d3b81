// Shared declarations for the pybind11 extension soleus._core: each layer's
// bindings live in their own file and register themselves from module.cpp.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <array>
#include <string>
#include <vector>

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

// A table of fixed-width rows as an (n, Cols) float64 array.
template <std::size_t Cols>
py::array_t<double> rows_to_array(const std::vector<std::array<double, Cols>>& rows) {
  const auto n = static_cast<py::ssize_t>(rows.size());
  py::array_t<double> out({n, static_cast<py::ssize_t>(Cols)});
  auto po = out.mutable_unchecked<2>();
  for (py::ssize_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < Cols; ++j) po(i, static_cast<py::ssize_t>(j)) = rows[static_cast<std::size_t>(i)][j];
  return out;
}

void bind_activity(py::module_& m);
void bind_dsp(py::module_& m);
void bind_emg(py::module_& m);
void bind_emg_processor(py::module_& m);
void bind_reps(py::module_& m);
void bind_session(py::module_& m);

}  // namespace soleus_py
