// Bindings for the dsp layer: filter design and the SOS filtering kernel.
// The pure-Python layer (soleus/_filters.py) adds scipy-style argument
// handling (axis, Wn forms, zi shapes); everything numeric happens here, in
// the same C++ kernels the firmware uses.
#include <algorithm>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "bindings.hpp"
#include "soleus/dsp/filter_design.hpp"
#include "soleus/dsp/sos_filter.hpp"

namespace soleus_py {

using namespace soleus::dsp;

namespace {

constexpr int kGroupChannels = 16;  // channels per C++ bank; more are split into groups

py::array_t<double> sos_to_array(const SosList& sos) {
  py::array_t<double> out({static_cast<py::ssize_t>(sos.size()), static_cast<py::ssize_t>(6)});
  auto r = out.mutable_unchecked<2>();
  for (int i = 0; i < sos.size(); ++i) {
    const SosSection& s = sos[i];
    r(i, 0) = s.b0; r(i, 1) = s.b1; r(i, 2) = s.b2;
    r(i, 3) = s.a0; r(i, 4) = s.a1; r(i, 5) = s.a2;
  }
  return out;
}

SosList sos_from_array(const py::array_t<double, py::array::c_style | py::array::forcecast>& a) {
  if (a.ndim() != 2 || a.shape(1) != 6) {
    throw py::value_error("sos: must be an array of shape (n_sections, 6)");
  }
  auto r = SosList::from_array(a.data(), static_cast<int>(a.shape(0)));
  throw_if_error(r.status);
  return r.value;
}

BandType band_type(const std::string& t) {
  if (t == "lowpass") return BandType::lowpass;
  if (t == "highpass") return BandType::highpass;
  if (t == "bandpass") return BandType::bandpass;
  if (t == "bandstop") return BandType::bandstop;
  throw py::value_error("btype: must be 'lowpass', 'highpass', 'bandpass' or 'bandstop', not '" + t + "'");
}

// Filters rows [r0, r1) of a (channels, n) array, banks of kGroupChannels
// rows at a time. zi / zf: (channels, n_sections, 2) or null.
template <typename T>
void filter_row_range(const SosList& sos, const T* x, T* y, const T* zi, T* zf, py::ssize_t n,
                      py::ssize_t r0, py::ssize_t r1) {
  const int ns = sos.size();
  auto bank = std::make_unique<MultiChannelSos<T, kGroupChannels>>();
  std::vector<T> state(static_cast<size_t>(2 * ns * kGroupChannels));
  for (py::ssize_t c0 = r0; c0 < r1; c0 += kGroupChannels) {
    const int m = static_cast<int>(std::min<py::ssize_t>(kGroupChannels, r1 - c0));
    bank->init(sos, m);  // validated by the caller: cannot fail here
    if (zi) {
      // zi[c][s][k] -> state[(s*2 + k) * m + c]
      for (int c = 0; c < m; ++c)
        for (int k = 0; k < 2 * ns; ++k) state[static_cast<size_t>(k * m + c)] = zi[(c0 + c) * 2 * ns + k];
      bank->set_state(state.data());
    }
    bank->process_planar(x + c0 * n, n, y + c0 * n, n, static_cast<size_t>(n));
    bank->get_state(state.data());
    for (int c = 0; c < m; ++c)
      for (int k = 0; k < 2 * ns; ++k) zf[(c0 + c) * 2 * ns + k] = state[static_cast<size_t>(k * m + c)];
  }
}

// Filters the rows of a (channels, n) C-contiguous array with initial state
// zi (channels, n_sections, 2); returns y and the final state. Offline
// convenience for Python: independent channel groups run on separate threads
// (each group is the same streaming kernel; results do not depend on threads).
template <typename T>
py::tuple filter_rows(const SosList& sos, py::array_t<T, py::array::c_style | py::array::forcecast> x,
                      py::object zi_obj, int max_threads) {
  if (x.ndim() != 2) throw py::value_error("x: internal error, expected 2-D rows");
  const py::ssize_t channels = x.shape(0), n = x.shape(1);
  const int ns = sos.size();
  {
    MultiChannelSos<T, 1> probe;  // validates the design once, with Python's error path
    throw_if_error(probe.init(sos, 1));
  }
  py::array_t<T> y({channels, n});
  py::array_t<T> zf({channels, static_cast<py::ssize_t>(ns), static_cast<py::ssize_t>(2)});
  py::array_t<T, py::array::c_style | py::array::forcecast> zi;
  const bool has_zi = !zi_obj.is_none();
  if (has_zi) {
    zi = py::array_t<T, py::array::c_style | py::array::forcecast>(zi_obj);
    if (zi.ndim() != 3 || zi.shape(0) != channels || zi.shape(1) != ns || zi.shape(2) != 2) {
      throw py::value_error("zi: shape does not match (n_sections, ..., 2) for this x");
    }
  }
  const T* xin = x.data();
  T* yout = y.mutable_data();
  T* zfo = zf.mutable_data();
  const T* zin = has_zi ? zi.data() : nullptr;
  // Threads only pay off for long signals; split rows on SIMD-width boundaries.
  // The recurrence is latency-bound, so a half-width unit (e.g. 4 floats in
  // SSE) filters as many frames per second as a full one: when there are
  // fewer full units than cores (8 float channels, one AVX unit), split on
  // half-width boundaries and let each core run one.
  constexpr py::ssize_t Wfull = MultiChannelSos<T, kGroupChannels>::W;
  const unsigned hw_threads = std::thread::hardware_concurrency();
  py::ssize_t W = Wfull;
  if (Wfull >= 4 && (channels + Wfull - 1) / Wfull < static_cast<py::ssize_t>(hw_threads ? hw_threads : 1) &&
      channels >= Wfull) {
    W = Wfull / 2;
  }
  const py::ssize_t units = (channels + W - 1) / W;
  py::ssize_t threads = 1;
  if (max_threads != 1 && channels * n >= (py::ssize_t(1) << 20)) {
    threads = std::min<py::ssize_t>(units, hw_threads ? hw_threads : 1);
    if (max_threads > 0) threads = std::min<py::ssize_t>(threads, max_threads);
  }
  {
    py::gil_scoped_release release;
    if (threads <= 1) {
      filter_row_range<T>(sos, xin, yout, zin, zfo, n, 0, channels);
    } else {
      std::vector<std::thread> pool;
      const py::ssize_t per = (units + threads - 1) / threads;
      for (py::ssize_t t = 0; t < threads; ++t) {
        const py::ssize_t r0 = std::min(channels, t * per * W), r1 = std::min(channels, (t + 1) * per * W);
        if (r0 < r1) pool.emplace_back(filter_row_range<T>, std::cref(sos), xin, yout, zin, zfo, n, r0, r1);
      }
      for (auto& th : pool) th.join();
    }
  }
  return py::make_tuple(y, zf);
}

// Streaming filter object for Python: any number of channels, state kept
// between calls. Channels are split into banks of kGroupChannels.
template <typename T>
class PySosFilter {
 public:
  // Serialises calls from several Python threads (see ObjectGuard); every
  // method bound with guarded().
  mutable ObjectGuard guard_;

  PySosFilter(const SosList& sos, int channels) : channels_(channels) {
    if (channels < 1) throw py::value_error("channels: must be >= 1");
    for (int c0 = 0; c0 < channels; c0 += kGroupChannels) {
      auto b = std::make_unique<MultiChannelSos<T, kGroupChannels>>();
      throw_if_error(b->init(sos, std::min(kGroupChannels, channels - c0)));
      banks_.push_back(std::move(b));
    }
    n_sections_ = sos.size();
  }
  void reset() {
    for (auto& b : banks_) b->reset();
  }
  // x: (n_samples, channels) C-contiguous, already of dtype T.
  py::array_t<T> process(py::array_t<T, py::array::c_style | py::array::forcecast> x) {
    if (x.ndim() != 2 || x.shape(1) != channels_) {
      throw py::value_error("x: expected shape (n_samples, " + std::to_string(channels_) + ")");
    }
    const py::ssize_t n = x.shape(0);
    py::array_t<T> y({n, static_cast<py::ssize_t>(channels_)});
    const T* in = x.data();
    T* out = y.mutable_data();
    {
      py::gil_scoped_release release;
      if (banks_.size() == 1) {
        banks_[0]->process(in, out, static_cast<size_t>(n));
      } else {
        // Several banks: each reads its columns of the interleaved rows.
        std::vector<T> tmp_in, tmp_out;
        for (size_t g = 0; g < banks_.size(); ++g) {
          const int c0 = static_cast<int>(g) * kGroupChannels;
          const int m = banks_[g]->channels();
          tmp_in.resize(static_cast<size_t>(n * m));
          tmp_out.resize(tmp_in.size());
          for (py::ssize_t i = 0; i < n; ++i)
            for (int c = 0; c < m; ++c) tmp_in[static_cast<size_t>(i * m + c)] = in[i * channels_ + c0 + c];
          banks_[g]->process(tmp_in.data(), tmp_out.data(), static_cast<size_t>(n));
          for (py::ssize_t i = 0; i < n; ++i)
            for (int c = 0; c < m; ++c) out[i * channels_ + c0 + c] = tmp_out[static_cast<size_t>(i * m + c)];
        }
      }
    }
    return y;
  }
  // State as (n_sections, channels, 2), scipy's zi layout for (n, channels) data with axis=0.
  py::array_t<T> get_state() const {
    py::array_t<T> z({static_cast<py::ssize_t>(n_sections_), static_cast<py::ssize_t>(channels_),
                      static_cast<py::ssize_t>(2)});
    auto r = z.template mutable_unchecked<3>();
    std::vector<T> st(static_cast<size_t>(2 * n_sections_ * kGroupChannels));
    for (size_t g = 0; g < banks_.size(); ++g) {
      const int m = banks_[g]->channels();
      banks_[g]->get_state(st.data());
      for (int s = 0; s < n_sections_; ++s)
        for (int k = 0; k < 2; ++k)
          for (int c = 0; c < m; ++c)
            r(s, static_cast<py::ssize_t>(g) * kGroupChannels + c, k) = st[static_cast<size_t>((s * 2 + k) * m + c)];
    }
    return z;
  }
  void set_state(py::array_t<T, py::array::c_style | py::array::forcecast> z) {
    if (z.ndim() != 3 || z.shape(0) != n_sections_ || z.shape(1) != channels_ || z.shape(2) != 2) {
      throw py::value_error("zi: expected shape (n_sections, channels, 2)");
    }
    auto r = z.template unchecked<3>();
    std::vector<T> st(static_cast<size_t>(2 * n_sections_ * kGroupChannels));
    for (size_t g = 0; g < banks_.size(); ++g) {
      const int m = banks_[g]->channels();
      for (int s = 0; s < n_sections_; ++s)
        for (int k = 0; k < 2; ++k)
          for (int c = 0; c < m; ++c)
            st[static_cast<size_t>((s * 2 + k) * m + c)] = r(s, static_cast<py::ssize_t>(g) * kGroupChannels + c, k);
      banks_[g]->set_state(st.data());
    }
  }
  int channels() const { return channels_; }
  int n_sections() const { return n_sections_; }

 private:
  std::vector<std::unique_ptr<MultiChannelSos<T, kGroupChannels>>> banks_;
  int channels_;
  int n_sections_ = 0;
};

template <typename T>
void bind_filter_class(py::module_& m, const char* name) {
  py::class_<PySosFilter<T>>(m, name)
      .def(py::init([](py::array_t<double, py::array::c_style | py::array::forcecast> sos, int channels) {
             return std::make_unique<PySosFilter<T>>(sos_from_array(sos), channels);
           }),
           py::arg("sos"), py::arg("channels"))
      .def("process", guarded(&PySosFilter<T>::process), py::arg("x"))
      .def("reset", guarded(&PySosFilter<T>::reset))
      .def("get_state", guarded(&PySosFilter<T>::get_state))
      .def("set_state", guarded(&PySosFilter<T>::set_state), py::arg("zi"))
      .def_property_readonly("channels", guarded(&PySosFilter<T>::channels))
      .def_property_readonly("n_sections", guarded(&PySosFilter<T>::n_sections));
}

}  // namespace

void bind_dsp(py::module_& m) {
  m.def(
      "butter",
      [](int order, double f1, double f2, const std::string& btype, double fs) {
        auto r = butter(order, f1, f2, band_type(btype), fs);
        throw_if_error(r.status, "N=" + std::to_string(order) + ", fs=" + std::to_string(fs));
        return sos_to_array(r.value);
      },
      py::arg("order"), py::arg("f1"), py::arg("f2"), py::arg("btype"), py::arg("fs"));
  m.def(
      "iirnotch",
      [](double f0, double q, double fs) {
        auto r = iirnotch(f0, q, fs);
        throw_if_error(r.status);
        return sos_to_array(r.value);
      },
      py::arg("w0"), py::arg("Q"), py::arg("fs"));
  m.def(
      "mains_filter",
      [](double f0, double fs, double bandwidth, int harmonics) {
        auto r = mains_filter(f0, fs, bandwidth, harmonics);
        throw_if_error(r.status);
        return sos_to_array(r.value);
      },
      py::arg("f0"), py::arg("fs"), py::arg("bandwidth"), py::arg("harmonics"));
  m.def(
      "sosfilt_zi",
      [](py::array_t<double, py::array::c_style | py::array::forcecast> sos) {
        SosList s = sos_from_array(sos);
        py::array_t<double> zi({static_cast<py::ssize_t>(s.size()), static_cast<py::ssize_t>(2)});
        sosfilt_zi(s, reinterpret_cast<double(*)[2]>(zi.mutable_data()));
        return zi;
      },
      py::arg("sos"));
  m.def(
      "sosfilt_rows_f32",
      [](py::array_t<double, py::array::c_style | py::array::forcecast> sos,
         py::array_t<float, py::array::c_style | py::array::forcecast> x, py::object zi, int threads) {
        return filter_rows<float>(sos_from_array(sos), x, zi, threads);
      },
      py::arg("sos"), py::arg("x"), py::arg("zi") = py::none(), py::arg("threads") = 0);
  m.def(
      "sosfilt_rows_f64",
      [](py::array_t<double, py::array::c_style | py::array::forcecast> sos,
         py::array_t<double, py::array::c_style | py::array::forcecast> x, py::object zi, int threads) {
        return filter_rows<double>(sos_from_array(sos), x, zi, threads);
      },
      py::arg("sos"), py::arg("x"), py::arg("zi") = py::none(), py::arg("threads") = 0);
  bind_filter_class<float>(m, "SosFilterF32");
  bind_filter_class<double>(m, "SosFilterF64");
}

}  // namespace soleus_py
