// Bindings for the EMG-side pieces that exist so far: the spectral tracker
// (median / mean frequency over sliding windows) and the synthetic EMG
// generator. The Python layer (soleus/_emg.py, soleus/sim.py) builds tables.
#include <cmath>
#include <memory>
#include <vector>

#include "bindings.hpp"
#include "soleus/dsp/spectral.hpp"
#include "soleus/sim/emg.hpp"

namespace soleus_py {

namespace {

// Big enough for 1 s segments at 8 kHz and windows of up to 32 segments; the
// Python object lives on the heap, so its size does not matter here.
using PyTracker = soleus::dsp::SpectralTracker<double, 8192, 32>;

// Frames of one channel: columns t_s, median_hz, mean_hz, band_power, finsm5.
py::array_t<double> spectral_frames(py::array_t<double, py::array::c_style | py::array::forcecast> x,
                                    double fs, double segment_s, double overlap, double window_s,
                                    double hop_s, double band_lo, double band_hi, double t0_s,
                                    py::object rest_obj) {
  if (x.ndim() != 1) throw py::value_error("x: expected a 1-D array");
  soleus::dsp::SpectralTrackerConfig c;
  c.fs_hz = fs;
  c.segment_s = segment_s;
  c.overlap = overlap;
  c.window_s = window_s;
  c.hop_s = hop_s;
  c.band_lo_hz = band_lo;
  c.band_hi_hz = band_hi;
  c.t0_s = t0_s;
  auto tracker = std::make_unique<PyTracker>();
  throw_if_error(tracker->init(c));
  if (!rest_obj.is_none()) {
    // Noise floor: Welch PSD of the rest samples with the tracker's own
    // segment, subtracted from every window before the statistics.
    auto rest = py::array_t<double, py::array::c_style | py::array::forcecast>(rest_obj);
    if (rest.ndim() != 1) throw py::value_error("rest: expected a 1-D array of rest samples");
    auto welch = std::make_unique<soleus::dsp::WelchPsd<double, 8192>>();
    throw_if_error(welch->init(tracker->welch_config()));
    std::vector<double> noise(static_cast<std::size_t>(welch->n_bins()));
    const auto r = welch->compute(rest.data(), static_cast<std::size_t>(rest.shape(0)), noise.data());
    if (!r.ok()) {
      throw py::value_error("rest: fewer samples than one Welch segment (segment_s x fs); give a longer rest period");
    }
    tracker->set_noise_psd(noise.data());
  }
  const auto n = static_cast<std::size_t>(x.shape(0));
  std::vector<soleus::dsp::SpectralFrame> frames;
  {
    py::gil_scoped_release release;
    const double* p = x.data();
    for (std::size_t i = 0; i < n; ++i) {
      if (tracker->push(p[i])) frames.push_back(tracker->frame());
    }
  }
  py::array_t<double> out({static_cast<py::ssize_t>(frames.size()), static_cast<py::ssize_t>(5)});
  auto r = out.mutable_unchecked<2>();
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const auto& f = frames[i];
    const auto k = static_cast<py::ssize_t>(i);
    r(k, 0) = f.t_s;
    r(k, 1) = f.median_hz;
    r(k, 2) = f.mean_hz;
    r(k, 3) = f.band_power;
    r(k, 4) = f.finsm5;
  }
  return out;
}

py::dict simulate_emg(const py::dict& kw, py::array_t<double, py::array::c_style | py::array::forcecast> bursts) {
  soleus::sim::EmgSimConfig c;
  auto get = [&](const char* k, double& v) {
    if (kw.contains(k)) v = kw[k].cast<double>();
  };
  if (kw.contains("seed")) c.seed = kw["seed"].cast<std::uint64_t>();
  get("fs", c.fs_hz);
  get("duration_s", c.duration_s);
  get("fl_hz", c.fl_hz);
  get("fh_hz", c.fh_hz);
  get("amplitude_mv", c.amplitude_mv);
  get("rest_activation", c.rest_activation);
  get("snr_db", c.snr_db);
  get("mains_hz", c.mains_hz);
  get("mains_amplitude_mv", c.mains_amplitude_mv);
  if (kw.contains("mains_harmonics")) c.mains_harmonics = kw["mains_harmonics"].cast<int>();
  get("mains_harmonic_ratio", c.mains_harmonic_ratio);
  get("motion_rate_hz", c.motion_rate_hz);
  get("motion_amplitude_mv", c.motion_amplitude_mv);
  get("motion_duration_s", c.motion_duration_s);
  get("fatigue_scale_end", c.fatigue_scale_end);
  if (bursts.ndim() != 2 || (bursts.shape(0) > 0 && bursts.shape(1) != 4)) {
    throw py::value_error("bursts: expected rows of (onset_s, offset_s, amplitude, ramp_s)");
  }
  auto b = bursts.unchecked<2>();
  for (py::ssize_t i = 0; i < bursts.shape(0); ++i) {
    c.bursts.push_back(soleus::sim::Burst{b(i, 0), b(i, 1), b(i, 2), b(i, 3)});
  }
  soleus::sim::EmgSim s = soleus::sim::generate_emg(c);
  throw_if_error(s.status);
  auto arr = [](const std::vector<double>& v) { return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data()); };
  py::array_t<double> used({static_cast<py::ssize_t>(s.bursts.size()), static_cast<py::ssize_t>(4)});
  auto u = used.mutable_unchecked<2>();
  for (std::size_t i = 0; i < s.bursts.size(); ++i) {
    const auto k = static_cast<py::ssize_t>(i);
    u(k, 0) = s.bursts[i].onset_s;
    u(k, 1) = s.bursts[i].offset_s;
    u(k, 2) = s.bursts[i].amplitude;
    u(k, 3) = s.bursts[i].ramp_s;
  }
  py::dict d;
  d["emg_mv"] = arr(s.emg_mv);
  d["clean_mv"] = arr(s.clean_mv);
  d["activation"] = arr(s.activation);
  d["background_mv"] = arr(s.background_mv);
  d["mains_mv"] = arr(s.mains_mv);
  d["motion_mv"] = arr(s.motion_mv);
  d["bursts"] = used;
  d["motion_times_s"] = arr(s.motion_times_s);
  d["burst_power_mv2"] = s.burst_power_mv2;
  d["background_sd_mv"] = s.background_sd_mv;
  // Ground-truth median / mean frequency of the model spectrum, once per second.
  std::vector<double> tt, med, mean;
  for (double t = 0.0; t <= c.duration_s + 1e-9; t += 1.0) {
    tt.push_back(t);
    med.push_back(s.true_median_hz(t));
    mean.push_back(s.true_mean_hz(t));
  }
  d["truth_t_s"] = arr(tt);
  d["truth_median_hz"] = arr(med);
  d["truth_mean_hz"] = arr(mean);
  return d;
}

py::array_t<double> burst_train(int n_bursts, double first_onset_s, double min_duration_s,
                                double max_duration_s, double min_gap_s, double max_gap_s,
                                double min_amplitude, double max_amplitude, double ramp_s,
                                std::uint64_t seed) {
  soleus::sim::BurstTrainConfig c;
  c.n_bursts = n_bursts;
  c.first_onset_s = first_onset_s;
  c.min_duration_s = min_duration_s;
  c.max_duration_s = max_duration_s;
  c.min_gap_s = min_gap_s;
  c.max_gap_s = max_gap_s;
  c.min_amplitude = min_amplitude;
  c.max_amplitude = max_amplitude;
  c.ramp_s = ramp_s;
  auto v = soleus::sim::make_burst_train(c, seed);
  py::array_t<double> out({static_cast<py::ssize_t>(v.size()), static_cast<py::ssize_t>(4)});
  auto r = out.mutable_unchecked<2>();
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto k = static_cast<py::ssize_t>(i);
    r(k, 0) = v[i].onset_s;
    r(k, 1) = v[i].offset_s;
    r(k, 2) = v[i].amplitude;
    r(k, 3) = v[i].ramp_s;
  }
  return out;
}

}  // namespace

void bind_emg(py::module_& m) {
  m.def("spectral_frames", &spectral_frames, py::arg("x"), py::arg("fs"), py::arg("segment_s"),
        py::arg("overlap"), py::arg("window_s"), py::arg("hop_s"), py::arg("band_lo_hz"),
        py::arg("band_hi_hz"), py::arg("t0_s"), py::arg("rest") = py::none());
  m.def("simulate_emg", &simulate_emg, py::arg("settings"), py::arg("bursts"));
  m.def("burst_train", &burst_train, py::arg("n_bursts"), py::arg("first_onset_s"),
        py::arg("min_duration_s"), py::arg("max_duration_s"), py::arg("min_gap_s"),
        py::arg("max_gap_s"), py::arg("min_amplitude"), py::arg("max_amplitude"),
        py::arg("ramp_s"), py::arg("seed"));
}

}  // namespace soleus_py
