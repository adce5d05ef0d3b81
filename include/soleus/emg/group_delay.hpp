// Group delay of a second-order-section cascade at one frequency, in closed
// form (no numerical differentiation). Every EMG stage reports its delay with
// this so that event times can be compensated for the causal filters.
//
// For a polynomial B(z) = sum_k b_k z^-k the group delay at w is
// Re( sum_k k b_k e^{-jwk} / sum_k b_k e^{-jwk} ) samples; a section's delay is
// that of its numerator minus that of its denominator. It is undefined exactly
// on a zero of the numerator (the centre of a notch): ask at a frequency where
// the filter passes signal.
#pragma once

#include <cmath>
#include <complex>

#include "soleus/dsp/sos.hpp"

namespace soleus::emg {

inline double sos_group_delay_samples(const dsp::SosList& sos, double f_hz, double fs_hz) {
  const double w = 2.0 * 3.14159265358979323846 * f_hz / fs_hz;
  const std::complex<double> e1 = std::polar(1.0, -w), e2 = std::polar(1.0, -2.0 * w);
  double tau = 0.0;
  for (const dsp::SosSection& s : sos) {
    const std::complex<double> bn = s.b0 + s.b1 * e1 + s.b2 * e2;
    const std::complex<double> bd = s.b1 * e1 + 2.0 * s.b2 * e2;
    const std::complex<double> an = s.a0 + s.a1 * e1 + s.a2 * e2;
    const std::complex<double> ad = s.a1 * e1 + 2.0 * s.a2 * e2;
    tau += (bd / bn).real() - (ad / an).real();
  }
  return tau;
}

// Magnitude response |H(f)| of the cascade (used to document attenuation).
inline double sos_gain(const dsp::SosList& sos, double f_hz, double fs_hz) {
  const double w = 2.0 * 3.14159265358979323846 * f_hz / fs_hz;
  const std::complex<double> e1 = std::polar(1.0, -w), e2 = std::polar(1.0, -2.0 * w);
  double g = 1.0;
  for (const dsp::SosSection& s : sos) {
    g *= std::abs(s.b0 + s.b1 * e1 + s.b2 * e2) / std::abs(s.a0 + s.a1 * e1 + s.a2 * e2);
  }
  return g;
}

}  // namespace soleus::emg
