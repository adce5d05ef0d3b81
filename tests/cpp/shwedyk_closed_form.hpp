// Closed-form integrals of the Shwedyk EMG spectrum, written independently of
// soleus::sim so tests can check the generator and the estimators against it.
// P(f) = b^4 f^2 / ((f^2 + a^2)(f^2 + b^2)^2), a = f_l, b = f_h. With u = f^2,
// u / ((u + a^2)(u + b^2)^2) = A/(u + a^2) + B/(u + b^2) + C/(u + b^2)^2,
// A = -a^2/(b^2 - a^2)^2, B = -A, C = b^2/(b^2 - a^2).
#pragma once

#include <cmath>

namespace soleus_test {

struct ShwedykClosedForm {
  double a, b, A, B, C;
  ShwedykClosedForm(double fl_hz, double fh_hz) : a(fl_hz), b(fh_hz) {
    const double d = b * b - a * a;
    A = -a * a / (d * d);
    B = -A;
    C = b * b / d;
  }
  // Integral of P from 0 to f.
  double power_to(double f) const {
    const double b4 = b * b * b * b;
    return b4 * (A * std::atan(f / a) / a + B * std::atan(f / b) / b +
                 C * (f / (2 * b * b * (f * f + b * b)) + std::atan(f / b) / (2 * b * b * b)));
  }
  // Integral of f * P from 0 to f.
  double moment1_to(double f) const {
    const double b4 = b * b * b * b, u = f * f;
    auto g = [&](double v) { return A * std::log(v + a * a) + B * std::log(v + b * b) - C / (v + b * b); };
    return 0.5 * b4 * (g(u) - g(0.0));
  }
  double median_hz(double lo, double hi) const {
    const double half = 0.5 * (power_to(lo) + power_to(hi));
    double x0 = lo, x1 = hi;
    for (int i = 0; i < 200; ++i) {
      const double m = 0.5 * (x0 + x1);
      (power_to(m) < half ? x0 : x1) = m;
    }
    return 0.5 * (x0 + x1);
  }
  double mean_hz(double lo, double hi) const {
    return (moment1_to(hi) - moment1_to(lo)) / (power_to(hi) - power_to(lo));
  }
};

}  // namespace soleus_test
