// Filter design in double precision, numerically following scipy.signal:
// butter() equals scipy.signal.butter(N, Wn, btype, fs=fs, output='sos')
// (same zero/pole pairing and section order, 'nearest' pairing), iirnotch()
// equals scipy.signal.iirnotch, sosfilt_zi() equals scipy.signal.sosfilt_zi.
// Everything works in fixed-size arrays: no heap, usable on a microcontroller.
#pragma once

#include <cmath>
#include <complex>

#include "soleus/core/status.hpp"
#include "soleus/dsp/sos.hpp"

namespace soleus::dsp {

enum class BandType { lowpass, highpass, bandpass, bandstop };

inline constexpr int kMaxButterOrder = 10;

namespace detail {

using cplx = std::complex<double>;
constexpr double kPi = 3.14159265358979323846;

// Small fixed-capacity vector of complex numbers (poles or zeros).
struct CVec {
  static constexpr int capacity = 4 * kMaxButterOrder + 4;
  cplx v[capacity];
  int n = 0;
  void push(cplx c) { v[n++] = c; }
  void remove(int i) {
    for (int j = i; j + 1 < n; ++j) v[j] = v[j + 1];
    --n;
  }
};

inline bool is_real(cplx c) { return c.imag() == 0.0; }

// scipy's _cplxreal followed by concatenate((zc, zr)): complex pairs collapsed
// to their positive-imaginary member (sorted by real part, then |imag|),
// followed by the real values sorted ascending.
inline void cplxreal(CVec& z) {
  const double tol = 100.0 * 2.220446049250313e-16;
  // lexsort by (real, |imag|): stable insertion sort keeps numpy's tie order.
  for (int i = 1; i < z.n; ++i) {
    cplx key = z.v[i];
    int j = i - 1;
    auto less = [](cplx a, cplx b) {
      if (a.real() != b.real()) return a.real() < b.real();
      return std::abs(a.imag()) < std::abs(b.imag());
    };
    while (j >= 0 && less(key, z.v[j])) {
      z.v[j + 1] = z.v[j];
      --j;
    }
    z.v[j + 1] = key;
  }
  CVec reals, pos, neg;
  for (int i = 0; i < z.n; ++i) {
    const cplx c = z.v[i];
    if (std::abs(c.imag()) <= tol * std::abs(c)) {
      reals.push(cplx(c.real(), 0.0));
    } else if (c.imag() > 0) {
      pos.push(c);
    } else {
      neg.push(c);
    }
  }
  // Within runs of equal real part, scipy re-sorts each half by |imag|; the
  // lexsort above already ordered by |imag| within equal real parts.
  CVec out;
  const int pairs = pos.n < neg.n ? pos.n : neg.n;
  for (int i = 0; i < pairs; ++i) out.push((pos.v[i] + std::conj(neg.v[i])) / 2.0);
  for (int i = 0; i < reals.n; ++i) out.push(reals.v[i]);
  z = out;
}

// numpy.argsort(abs(fro - to)) then the first index whose realness matches.
// which: 0 = any, 1 = real, 2 = complex. Returns -1 when none matches.
inline int nearest_idx(const CVec& fro, cplx to, int which) {
  int best = -1;
  double best_d = 0.0;
  for (int i = 0; i < fro.n; ++i) {
    const bool r = is_real(fro.v[i]);
    if (which == 1 && !r) continue;
    if (which == 2 && r) continue;
    const double d = std::abs(fro.v[i] - to);
    if (best < 0 || d < best_d) {
      best = i;
      best_d = d;
    }
  }
  return best;
}

inline int idx_worst(const CVec& p, bool real_only) {
  int best = -1;
  double best_d = 0.0;
  for (int i = 0; i < p.n; ++i) {
    if (real_only && !is_real(p.v[i])) continue;
    const double d = std::abs(1.0 - std::abs(p.v[i]));
    if (best < 0 || d < best_d) {
      best = i;
      best_d = d;
    }
  }
  return best;
}

// Shared check of a sampling rate; sets `status` and returns false when invalid.
inline bool valid_rate(double fs_hz, Status& status) {
  if (fs_hz > 0.0 && std::isfinite(fs_hz)) return true;
  status = Status::invalid("fs: sampling rate must be positive and finite");
  return false;
}

inline int count_real(const CVec& p) {
  int c = 0;
  for (int i = 0; i < p.n; ++i) c += is_real(p.v[i]) ? 1 : 0;
  return c;
}

// One section from up to two zeros and two poles (scipy's _single_zpksos):
// coefficients right-aligned, as numpy.poly would produce them.
inline SosSection single_zpksos(const cplx* z, int nz, const cplx* p, int np_) {
  double b[3] = {0, 0, 0}, a[3] = {0, 0, 0};
  auto poly = [](const cplx* r, int n, double* out) {
    // out right-aligned into 3 slots.
    if (n == 0) {
      out[2] = 1.0;
    } else if (n == 1) {
      out[1] = 1.0;
      out[2] = (-r[0]).real();
    } else {
      const cplx c1 = -r[0] - r[1];
      const cplx c2 = r[0] * r[1];
      out[0] = 1.0;
      out[1] = c1.real();
      out[2] = c2.real();
    }
  };
  poly(z, nz, b);
  poly(p, np_, a);
  return SosSection{b[0], b[1], b[2], a[0], a[1], a[2]};
}

// scipy.signal.zpk2sos(z, p, k, pairing='nearest') for a digital filter.
inline Status zpk2sos(CVec z, CVec p, double k, SosList& out) {
  out.clear();
  while (p.n < z.n) p.push(0.0);
  while (z.n < p.n) z.push(0.0);
  const int n_sections = (p.n + 1) / 2;
  if (p.n % 2 == 1) {
    p.push(0.0);
    z.push(0.0);
  }
  if (n_sections > SosList::capacity) return Status::capacity("zpk2sos: too many sections");
  cplxreal(z);
  cplxreal(p);
  SosSection secs[SosList::capacity];
  for (int si = n_sections - 1; si >= 0; --si) {
    const int p1_idx = idx_worst(p, false);
    const cplx p1 = p.v[p1_idx];
    p.remove(p1_idx);
    if (is_real(p1) && count_real(p) == 0) {
      // Special case (1): last remaining real pole.
      const int z1_idx = nearest_idx(z, p1, 1);
      const cplx z1 = z.v[z1_idx];
      z.remove(z1_idx);
      const cplx zz[2] = {z1, 0.0}, pp[2] = {p1, 0.0};
      secs[si] = single_zpksos(zz, 2, pp, 2);
    } else if (p.n + 1 == z.n && !is_real(p1) && count_real(p) == 1 && count_real(z) == 1) {
      // Special case (2): one real pole and one real zero left: pair p1 with a
      // complex zero.
      const int z1_idx = nearest_idx(z, p1, 2);
      const cplx z1 = z.v[z1_idx];
      z.remove(z1_idx);
      const cplx zz[2] = {z1, std::conj(z1)}, pp[2] = {p1, std::conj(p1)};
      secs[si] = single_zpksos(zz, 2, pp, 2);
    } else {
      cplx p2;
      if (is_real(p1)) {
        const int p2_idx = idx_worst(p, true);
        p2 = p.v[p2_idx];
        p.remove(p2_idx);
      } else {
        p2 = std::conj(p1);
      }
      const cplx pp[2] = {p1, p2};
      if (z.n > 0) {
        const int z1_idx = nearest_idx(z, p1, 0);
        const cplx z1 = z.v[z1_idx];
        z.remove(z1_idx);
        if (!is_real(z1)) {
          const cplx zz[2] = {z1, std::conj(z1)};
          secs[si] = single_zpksos(zz, 2, pp, 2);
        } else if (z.n > 0) {
          const int z2_idx = nearest_idx(z, p1, 1);
          const cplx z2 = z.v[z2_idx];
          z.remove(z2_idx);
          const cplx zz[2] = {z1, z2};
          secs[si] = single_zpksos(zz, 2, pp, 2);
        } else {
          secs[si] = single_zpksos(&z1, 1, pp, 2);
        }
      } else {
        secs[si] = single_zpksos(nullptr, 0, pp, 2);
      }
    }
  }
  secs[0].b0 *= k;
  secs[0].b1 *= k;
  secs[0].b2 *= k;
  for (int i = 0; i < n_sections; ++i) out.push_back(secs[i]);
  return Status::success();
}

inline cplx prod_of(const CVec& v, cplx shift, double sign) {
  // prod(shift + sign * v), multiplied left to right like numpy.prod.
  cplx acc = 1.0;
  for (int i = 0; i < v.n; ++i) acc *= (shift + sign * v.v[i]);
  return acc;
}

}  // namespace detail

// Butterworth design, any order 1..10. For lowpass/highpass only f1_hz is
// used; for bandpass/bandstop f1_hz < f2_hz are the band edges. All
// frequencies in Hz, strictly between 0 and fs_hz/2.
inline Result<SosList> butter(int order, double f1_hz, double f2_hz, BandType type,
                              double fs_hz) {
  using namespace detail;
  Result<SosList> r;
  if (order < 1 || order > kMaxButterOrder) {
    r.status = Status::invalid("N: filter order must be between 1 and 10");
    return r;
  }
  if (!detail::valid_rate(fs_hz, r.status)) return r;
  const bool band = type == BandType::bandpass || type == BandType::bandstop;
  const double nyq = fs_hz / 2.0;
  if (!(f1_hz > 0.0) || !std::isfinite(f1_hz)) {
    r.status = Status::invalid("Wn: cut-off frequency must be positive");
    return r;
  }
  if (!(f1_hz < nyq)) {
    r.status = Status::invalid("Wn: cut-off frequency must be below Nyquist (fs/2)");
    return r;
  }
  if (band) {
    if (!(f2_hz < nyq) || !std::isfinite(f2_hz)) {
      r.status = Status::invalid("Wn: upper band edge must be below Nyquist (fs/2)");
      return r;
    }
    if (!(f1_hz < f2_hz)) {
      r.status = Status::invalid("Wn: band edges must satisfy low < high");
      return r;
    }
  }
  // Pre-warp exactly as scipy.signal.iirfilter does (normalised, fs = 2).
  const double wn1 = 2.0 * f1_hz / fs_hz;
  const double wn2 = 2.0 * f2_hz / fs_hz;
  const double warped1 = 2.0 * 2.0 * std::tan(kPi * wn1 / 2.0);
  const double warped2 = band ? 2.0 * 2.0 * std::tan(kPi * wn2 / 2.0) : 0.0;

  // Analog prototype (scipy.signal.buttap).
  CVec z, p;
  double k = 1.0;
  for (int m = -order + 1; m < order; m += 2) {
    const double theta = (kPi * static_cast<double>(m)) / static_cast<double>(2 * order);
    p.push(-cplx(std::cos(theta), std::sin(theta)));
  }
  const int degree = p.n - z.n;
  switch (type) {
    case BandType::lowpass: {
      for (int i = 0; i < p.n; ++i) p.v[i] = warped1 * p.v[i];
      k = k * std::pow(warped1, degree);
      break;
    }
    case BandType::highpass: {
      const cplx prod_p = prod_of(p, 0.0, -1.0);
      for (int i = 0; i < p.n; ++i) p.v[i] = warped1 / p.v[i];
      for (int i = 0; i < degree; ++i) z.push(0.0);
      k = k * (1.0 / prod_p).real();
      break;
    }
    case BandType::bandpass: {
      const double bw = warped2 - warped1;
      const double wo = std::sqrt(warped1 * warped2);
      CVec bp;
      cplx plp[CVec::capacity];
      for (int i = 0; i < p.n; ++i) plp[i] = p.v[i] * bw / 2.0;
      for (int i = 0; i < p.n; ++i) bp.push(plp[i] + std::sqrt(plp[i] * plp[i] - wo * wo));
      for (int i = 0; i < p.n; ++i) bp.push(plp[i] - std::sqrt(plp[i] * plp[i] - wo * wo));
      p = bp;
      for (int i = 0; i < degree; ++i) z.push(0.0);
      k = k * std::pow(bw, degree);
      break;
    }
    case BandType::bandstop: {
      const double bw = warped2 - warped1;
      const double wo = std::sqrt(warped1 * warped2);
      const cplx prod_p = prod_of(p, 0.0, -1.0);
      CVec bs;
      cplx php[CVec::capacity];
      for (int i = 0; i < p.n; ++i) php[i] = (bw / 2.0) / p.v[i];
      for (int i = 0; i < p.n; ++i) bs.push(php[i] + std::sqrt(php[i] * php[i] - wo * wo));
      for (int i = 0; i < p.n; ++i) bs.push(php[i] - std::sqrt(php[i] * php[i] - wo * wo));
      p = bs;
      for (int i = 0; i < degree; ++i) z.push(cplx(0.0, wo));
      for (int i = 0; i < degree; ++i) z.push(cplx(0.0, -wo));
      k = k * (1.0 / prod_p).real();
      break;
    }
  }
  // Bilinear transform with fs = 2 (scipy.signal.bilinear_zpk).
  const double fs2 = 4.0;
  const cplx kz = prod_of(z, fs2, -1.0) / prod_of(p, fs2, -1.0);
  const int bdeg = p.n - z.n;
  for (int i = 0; i < z.n; ++i) z.v[i] = (fs2 + z.v[i]) / (fs2 - z.v[i]);
  for (int i = 0; i < p.n; ++i) p.v[i] = (fs2 + p.v[i]) / (fs2 - p.v[i]);
  for (int i = 0; i < bdeg; ++i) z.push(-1.0);
  k = k * kz.real();
  r.status = zpk2sos(z, p, k, r.value);
  return r;
}

// Second-order IIR notch, equal to scipy.signal.iirnotch(f0, Q, fs) as one
// section. Bandwidth (-3 dB) is f0 / Q.
inline Result<SosList> iirnotch(double f0_hz, double Q, double fs_hz) {
  Result<SosList> r;
  if (!detail::valid_rate(fs_hz, r.status)) return r;
  if (!(f0_hz > 0.0) || !(f0_hz < fs_hz / 2.0)) {
    r.status = Status::invalid("w0: notch frequency must be in (0, fs/2)");
    return r;
  }
  if (!(Q > 0.0) || !std::isfinite(Q)) {
    r.status = Status::invalid("Q: quality factor must be positive");
    return r;
  }
  double w0 = 2.0 * f0_hz / fs_hz;
  double bw = w0 / Q;
  bw = bw * detail::kPi;
  w0 = w0 * detail::kPi;
  const double beta = std::tan(bw / 2.0);
  const double gain = 1.0 / (1.0 + beta);
  const double c = std::cos(w0);
  SosSection s{gain * 1.0, gain * (-2.0 * c), gain * 1.0, 1.0, -2.0 * gain * c,
               2.0 * gain - 1.0};
  r.status = r.value.push_back(s);
  return r;
}

// Mains removal: a notch at the fundamental f0 and at every harmonic below
// Nyquist (at most max_harmonics notches in all, 0 = as many as fit).
// Each notch has the same absolute -3 dB bandwidth, bandwidth_hz, so that a
// mains frequency off by a fraction of a hertz is still attenuated at every
// harmonic (a constant Q would make the fundamental's notch the narrowest).
inline Result<SosList> mains_filter(double f0_hz, double fs_hz, double bandwidth_hz = 4.0,
                                    int max_harmonics = 0) {
  Result<SosList> r;
  if (!detail::valid_rate(fs_hz, r.status)) return r;
  if (!(f0_hz > 0.0) || !(f0_hz < fs_hz / 2.0)) {
    r.status = Status::invalid("f0: mains frequency must be in (0, fs/2)");
    return r;
  }
  if (!(bandwidth_hz > 0.0) || !(bandwidth_hz < f0_hz)) {
    r.status = Status::invalid("bandwidth: notch bandwidth must be in (0, f0)");
    return r;
  }
  if (max_harmonics < 0) {
    r.status = Status::invalid("harmonics: must be >= 0 (0 = all below Nyquist)");
    return r;
  }
  for (int h = 1;; ++h) {
    const double f = f0_hz * h;
    // Keep a half-bandwidth clear of Nyquist so the notch is well formed.
    if (f + bandwidth_hz / 2.0 >= fs_hz / 2.0) break;
    if (max_harmonics > 0 && h > max_harmonics) break;
    Result<SosList> n = iirnotch(f, f / bandwidth_hz, fs_hz);
    if (!n.ok()) {
      r.status = n.status;
      return r;
    }
    Status st = r.value.append(n.value);
    if (!st) {
      r.status = Status::capacity("harmonics: more notches than SOLEUS_MAX_SOS_SECTIONS");
      return r;
    }
  }
  return r;
}

// Steady-state initial conditions (scipy.signal.sosfilt_zi): the DF2T state
// of each section after an infinitely long unit step. Multiply by the first
// input value to start a stream without a transient. zi is n x 2.
inline void sosfilt_zi(const SosList& sos, double (*zi)[2]) {
  double scale = 1.0;
  for (int s = 0; s < sos.size(); ++s) {
    const SosSection& q = sos[s];
    const double b0 = q.b0 / q.a0, b1 = q.b1 / q.a0, b2 = q.b2 / q.a0;
    const double a1 = q.a1 / q.a0, a2 = q.a2 / q.a0;
    // lfilter_zi for a biquad, closed form: solve (I - A^T) zi = B.
    const double B0 = b1 - a1 * b0, B1 = b2 - a2 * b0;
    const double z0 = (B0 + B1) / (1.0 + a1 + a2);
    const double z1 = B1 - a2 * z0;
    zi[s][0] = scale * z0;
    zi[s][1] = scale * z1;
    scale *= (q.b0 + q.b1 + q.b2) / (q.a0 + q.a1 + q.a2);
  }
}

}  // namespace soleus::dsp
