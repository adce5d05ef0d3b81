// Least-squares slope of y over t: the one trend estimator of the library
// (median frequency over time in dsp/spectral.hpp, a per-rep fatigue scalar
// over the reps of a set in reps/sets.hpp).
#pragma once

#include <cmath>
#include <cstddef>

#include "soleus/core/status.hpp"

namespace soleus::dsp {

// Slope over points i < n given by accessors t_of(i), y_of(i); points whose y
// is NaN are skipped (frames without power, reps without a value). Centred
// sums in two passes: numerically safe when t is large (long sessions).
template <typename TOf, typename YOf>
Result<double> lsq_slope_of(std::size_t n, TOf t_of, YOf y_of) {
  Result<double> r;
  double tm = 0.0, ym = 0.0;
  std::size_t used = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(y_of(i))) continue;
    tm += t_of(i);
    ym += y_of(i);
    ++used;
  }
  if (used < 2) {
    r.status = Status::invalid("lsq_slope: need at least 2 points");
    return r;
  }
  tm /= static_cast<double>(used);
  ym /= static_cast<double>(used);
  double stt = 0.0, sty = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(y_of(i))) continue;
    const double dt = t_of(i) - tm;
    stt += dt * dt;
    sty += dt * (y_of(i) - ym);
  }
  if (!(stt > 0.0)) {
    r.status = Status::invalid("lsq_slope: all t are equal");
    return r;
  }
  r.value = sty / stt;
  return r;
}

// Slope dy/dt of arrays y over t (e.g. median frequency over time, in Hz/s).
inline Result<double> lsq_slope(const double* t, const double* y, std::size_t n) {
  return lsq_slope_of(n, [t](std::size_t i) { return t[i]; }, [y](std::size_t i) { return y[i]; });
}

}  // namespace soleus::dsp
