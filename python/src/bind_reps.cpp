// Bindings for the heel-raise side: the seeded heel-raise session simulator
// (sensor arrays plus ground truth). The segmenter follows in the same file.
#include <vector>

#include "bindings.hpp"
#include "soleus/sim/heel_raise.hpp"

namespace soleus_py {

namespace {

py::dict heel_raise_session(const py::dict& kw) {
  soleus::sim::HeelRaiseConfig c;
  auto num = [&](const char* k, double& v) {
    if (kw.contains(k)) v = kw[k].cast<double>();
  };
  auto range = [&](const char* k, soleus::sim::Range& r) {
    if (kw.contains(k)) {
      auto t = kw[k].cast<std::pair<double, double>>();
      r.min = t.first;
      r.max = t.second;
    }
  };
  num("fs", c.sample_rate_hz);
  num("start_time_s", c.start_time_s);
  if (kw.contains("placement")) {
    const auto p = kw["placement"].cast<std::string>();
    if (p == "foot") c.placement = soleus::sim::ImuPlacement::foot;
    else if (p == "shank") c.placement = soleus::sim::ImuPlacement::shank;
    else throw py::value_error("placement: must be 'foot' or 'shank', not '" + p + "'");
  }
  if (kw.contains("posture")) {
    const auto p = kw["posture"].cast<std::string>();
    if (p == "standing") c.posture = soleus::sim::Posture::standing;
    else if (p == "seated") c.posture = soleus::sim::Posture::seated;
    else throw py::value_error("posture: must be 'standing' or 'seated', not '" + p + "'");
  }
  if (kw.contains("n_sets")) c.n_sets = kw["n_sets"].cast<int>();
  if (kw.contains("reps_per_set")) c.reps_per_set = kw["reps_per_set"].cast<int>();
  num("lead_in_s", c.lead_in_s);
  num("rest_between_sets_s", c.rest_between_sets_s);
  num("tail_s", c.tail_s);
  range("rise_s", c.rise_s);
  range("top_hold_s", c.top_hold_s);
  range("lower_s", c.lower_s);
  range("bottom_rest_s", c.bottom_rest_s);
  range("rom_deg", c.rom_deg);
  num("jitter", c.jitter);
  num("partial_probability", c.partial_probability);
  range("partial_fraction", c.partial_fraction);
  num("isometric_hold_s", c.isometric_hold_s);
  num("sway_deg", c.sway_deg);
  num("dropout_rate_per_s", c.dropout_rate_per_s);
  num("timestamp_jitter_s", c.timestamp_jitter_s);
  num("gyro_noise_dps", c.gyro_noise_dps);
  num("gyro_bias_max_dps", c.gyro_bias_max_dps);
  num("gyro_bias_drift_dps_per_sqrt_s", c.gyro_bias_drift_dps_per_sqrt_s);
  num("acc_noise_mps2", c.acc_noise_mps2);
  if (kw.contains("random_mounting")) c.random_mounting = kw["random_mounting"].cast<bool>();
  const auto seed = kw.contains("seed") ? kw["seed"].cast<std::uint64_t>() : std::uint64_t{1};

  soleus::sim::HeelRaiseSession s;
  {
    py::gil_scoped_release release;
    s = soleus::sim::generate_heel_raise_session(c, seed);
  }
  throw_if_error(s.status);
  const auto n = static_cast<py::ssize_t>(s.size());
  py::array_t<double> t(n), acc({n, py::ssize_t{3}}), gyro({n, py::ssize_t{3}}), angle(n);
  auto pt = t.mutable_unchecked<1>();
  auto pa = acc.mutable_unchecked<2>();
  auto pg = gyro.mutable_unchecked<2>();
  auto pn = angle.mutable_unchecked<1>();
  for (py::ssize_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    pt(i) = s.t_s[k];
    pn(i) = s.angle_deg[k];
    for (py::ssize_t j = 0; j < 3; ++j) {
      pa(i, j) = s.acc_mps2[k][static_cast<std::size_t>(j)];
      pg(i, j) = s.gyro_dps[k][static_cast<std::size_t>(j)];
    }
  }
  const auto nr = static_cast<py::ssize_t>(s.reps.size());
  py::array_t<double> reps({nr, py::ssize_t{7}});
  auto pr = reps.mutable_unchecked<2>();
  for (py::ssize_t i = 0; i < nr; ++i) {
    const auto& r = s.reps[static_cast<std::size_t>(i)];
    pr(i, 0) = r.start_s;
    pr(i, 1) = r.top_s;
    pr(i, 2) = r.lower_start_s;
    pr(i, 3) = r.end_s;
    pr(i, 4) = r.rom_deg;
    pr(i, 5) = r.partial ? 1.0 : 0.0;
    pr(i, 6) = r.set_index;
  }
  const auto ns = static_cast<py::ssize_t>(s.sets.size());
  py::array_t<double> sets({ns, py::ssize_t{5}});
  auto ps = sets.mutable_unchecked<2>();
  for (py::ssize_t i = 0; i < ns; ++i) {
    const auto& st = s.sets[static_cast<std::size_t>(i)];
    ps(i, 0) = st.start_s;
    ps(i, 1) = st.end_s;
    ps(i, 2) = st.first_rep;
    ps(i, 3) = st.n_reps;
    ps(i, 4) = st.isometric ? 1.0 : 0.0;
  }
  py::dict d;
  d["t_s"] = t;
  d["acc_mps2"] = acc;
  d["gyro_dps"] = gyro;
  d["angle_deg"] = angle;
  d["reps"] = reps;
  d["sets"] = sets;
  d["fs"] = s.sample_rate_hz;
  d["sagittal_axis_sensor"] = py::make_tuple(s.sagittal_axis_sensor[0], s.sagittal_axis_sensor[1],
                                             s.sagittal_axis_sensor[2]);
  return d;
}

}  // namespace

void bind_reps(py::module_& m) {
  m.def("heel_raise_session", &heel_raise_session, py::arg("settings"));
}

}  // namespace soleus_py
