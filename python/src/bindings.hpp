// Shared declarations for the pybind11 extension soleus._core: each layer's
// bindings live in their own file and register themselves from module.cpp.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <array>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
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

// repr(v) for an error message, cut at 60 characters (a whole array would flood it).
inline std::string short_repr(const py::handle& v) {
  std::string r = py::repr(v).cast<std::string>();
  if (r.size() > 60) r = r.substr(0, 57) + "...";
  return r;
}

// A setting given as True/False, named in the error when it is not: pybind's
// own cast raised RuntimeError "Unable to cast Python instance of type str",
// naming neither the setting nor the type (issue 12). numpy.bool_ and the
// integers 0 and 1 (what a config file or a CSV gives) are booleans too.
inline bool setting_bool(const py::handle& v, const std::string& name) {
  if (PyBool_Check(v.ptr())) return v.ptr() == Py_True;
  if (py::hasattr(v, "dtype") && py::hasattr(v, "ndim") && v.attr("ndim").cast<int>() == 0 &&
      v.attr("dtype").attr("kind").cast<std::string>() == "b") {
    return PyObject_IsTrue(v.ptr()) == 1;
  }
  if (PyIndex_Check(v.ptr())) {
    const py::int_ i = py::reinterpret_steal<py::int_>(PyNumber_Index(v.ptr()));
    if (!i) PyErr_Clear();
    else if (i.equal(py::int_(0)) || i.equal(py::int_(1))) return i.equal(py::int_(1));
  }
  throw py::value_error(name + ": expected True or False, got " + short_repr(v));
}

// A setting given as a string (a choice or a unit), named in the error when it is not.
inline std::string setting_string(const py::handle& v, const std::string& name) {
  if (!PyUnicode_Check(v.ptr())) {
    throw py::value_error(name + ": expected a string, got " + short_repr(v));
  }
  return v.cast<std::string>();
}

// Thread guard of a stateful bound object (DESIGN.md: "bound objects guard
// themselves"). The C++ engines have one owner thread, but Python code may
// share an object between threads, and the pushes release the GIL: without a
// guard two threads would run the engine at once (segfaults, double frees).
// A second thread WAITS for the first call to finish (calls are serialised,
// each one atomic), it does not raise.
//
// Deadlock rule: the mutex is only ever waited on with the GIL released
// (try_lock first; on contention release the GIL, then block). So no thread
// ever holds the GIL while blocked on a guard, and the owner of a guard may
// take the GIL back (to build its result) without a lock-order cycle.
// Re-entering the same object from its own call (a Python callback such as
// __array__ calling back into the object) raises RuntimeError instead of
// deadlocking on the non-recursive mutex.
class ObjectGuard {
 public:
  class Lock {
   public:
    explicit Lock(ObjectGuard& g) : g_(g) {
      const std::thread::id me = std::this_thread::get_id();
      if (g_.owner_.load(std::memory_order_relaxed) == me) {
        throw std::runtime_error("re-entrant call: this object is already in a call from this thread");
      }
      if (!g_.mu_.try_lock()) {
        py::gil_scoped_release nogil;  // never block on the mutex while holding the GIL
        g_.mu_.lock();
      }
      g_.owner_.store(me, std::memory_order_relaxed);
    }
    ~Lock() {
      g_.owner_.store(std::thread::id(), std::memory_order_relaxed);
      g_.mu_.unlock();
    }
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

   private:
    ObjectGuard& g_;
  };

 private:
  std::mutex mu_;
  std::atomic<std::thread::id> owner_{};
};

// Wraps a member function of a class with an `ObjectGuard guard_` member so
// that the whole call holds the guard: .def("push", guarded(&C::push), ...).
template <class C, class R, class... A>
auto guarded(R (C::*f)(A...)) {
  return [f](C& self, A... a) -> R {
    ObjectGuard::Lock lock(self.guard_);
    return (self.*f)(std::forward<A>(a)...);
  };
}
template <class C, class R, class... A>
auto guarded(R (C::*f)(A...) const) {
  return [f](const C& self, A... a) -> R {
    ObjectGuard::Lock lock(self.guard_);
    return (self.*f)(std::forward<A>(a)...);
  };
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
