// Real-input power-of-two FFT for the spectral estimates, two backends with one
// interface: BuiltinRfft (header-only, no heap, fits a microcontroller) and
// FftwRfft (hosts, src/fft_fftw.cpp); Rfft<T, MaxN> is this build's choice.
#pragma once

#include <cmath>
#include <complex>
#include <cstdint>
#include <type_traits>

#include "soleus/core/config.hpp"
#include "soleus/core/status.hpp"

namespace soleus::dsp {

// Interface shared by both backends (duck-typed, no virtual calls so the
// compiler can inline the built-in one):
//   Status init(int n);          n a power of two, 2 <= n <= MaxN; the only
//                                call that may allocate (FFTW plans)
//   int size() const;
//   void forward(const T* in, std::complex<T>* out);
//       in: n real samples; out: n/2 + 1 bins X[k] = sum_j in[j] e^{-2 pi i jk/n},
//       unnormalised (the same convention as numpy.fft.rfft). No allocation.

inline constexpr bool is_pow2(long n) { return n > 0 && (n & (n - 1)) == 0; }

inline constexpr int next_pow2(int n) {
  int p = 1;
  while (p < n) p <<= 1;
  return p;
}

// ---------------------------------------------------------------- built-in
// Algorithm: the n real samples are packed as n/2 complex values
// z[j] = x[2j] + i x[2j+1], transformed by an iterative radix-2 complex FFT,
// and split into the spectrum of the real signal. That halves the work and
// the memory of a plain complex transform. Twiddles are computed in double
// once (in init) and stored in T, so accuracy does not depend on recursion.
template <typename T, int MaxN>
class BuiltinRfft {
  static_assert(std::is_floating_point<T>::value, "T must be float or double");
  static_assert(is_pow2(MaxN) && MaxN >= 2, "MaxN must be a power of two >= 2");
  // Bit-reversal indices are stored compactly: a 4096-point FFT needs 4 KiB
  // of tables with uint16_t instead of 8 KiB.
  using index_t = typename std::conditional<(MaxN / 2 <= 65536), std::uint16_t, std::uint32_t>::type;

 public:
  using value_type = T;
  static constexpr int max_size = MaxN;
  static constexpr const char* backend_name() { return "builtin"; }

  Status init(int n) {
    if (n < 2 || n > MaxN || !is_pow2(n)) {
      return Status::invalid("n: must be a power of two between 2 and the capacity MaxN");
    }
    n_ = n;
    const int m = n / 2;
    log2m_ = 0;
    while ((1 << log2m_) < m) ++log2m_;
    constexpr double two_pi = 6.283185307179586476925286766559;
    // w[k] = exp(-2 pi i k / n), k < n/2: the complex FFT of size m uses
    // w[2k] and the real split uses w[k].
    for (int k = 0; k < m; ++k) {
      const double a = -two_pi * k / n;
      wr_[k] = static_cast<T>(std::cos(a));
      wi_[k] = static_cast<T>(std::sin(a));
    }
    // Per-stage copies of the twiddles, contiguous (stage with half-length h
    // at offset h - 1): the butterfly loop then reads them with unit stride,
    // which lets the compiler vectorise it.
    for (int h = 1; h < m; h <<= 1) {
      for (int k = 0; k < h; ++k) {
        str_[h - 1 + k] = wr_[k * (n / (2 * h))];
        sti_[h - 1 + k] = wi_[k * (n / (2 * h))];
      }
    }
    for (int j = 0; j < m; ++j) {
      unsigned r = 0;
      for (int b = 0; b < log2m_; ++b) r |= ((static_cast<unsigned>(j) >> b) & 1u) << (log2m_ - 1 - b);
      rev_[j] = static_cast<index_t>(r);
    }
    return Status::success();
  }

  int size() const { return n_; }

  void forward(const T* SOLEUS_RESTRICT in, std::complex<T>* SOLEUS_RESTRICT out) {
    const int m = n_ / 2;
    // std::complex<T> arrays are guaranteed to be laid out as (re, im) pairs;
    // working on the scalars avoids the NaN-checking complex multiply.
    T* o = reinterpret_cast<T*>(out);
    T* zr = zr_;
    T* zi = zi_;
    for (int j = 0; j < m; ++j) {
      const int r = rev_[j];
      zr[r] = in[2 * j];
      zi[r] = in[2 * j + 1];
    }
    // Iterative decimation-in-time butterflies on the bit-reversed input.
    // Length 2 and 4 have trivial twiddles (1, -i): no multiplications.
    if (m >= 2) {
      for (int s0 = 0; s0 < m; s0 += 2) {
        const T ar = zr[s0], ai = zi[s0], br = zr[s0 + 1], bi = zi[s0 + 1];
        zr[s0] = ar + br;
        zi[s0] = ai + bi;
        zr[s0 + 1] = ar - br;
        zi[s0 + 1] = ai - bi;
      }
    }
    if (m >= 4) {
      for (int s0 = 0; s0 < m; s0 += 4) {
        T ar = zr[s0], ai = zi[s0], br = zr[s0 + 2], bi = zi[s0 + 2];
        zr[s0] = ar + br;
        zi[s0] = ai + bi;
        zr[s0 + 2] = ar - br;
        zi[s0 + 2] = ai - bi;
        // Twiddle -i: (br, bi) * -i = (bi, -br).
        ar = zr[s0 + 1];
        ai = zi[s0 + 1];
        br = zi[s0 + 3];
        bi = -zr[s0 + 3];
        zr[s0 + 1] = ar + br;
        zi[s0 + 1] = ai + bi;
        zr[s0 + 3] = ar - br;
        zi[s0 + 3] = ai - bi;
      }
    }
    for (int half = 4; half < m; half <<= 1) {
      const T* SOLEUS_RESTRICT tr = str_ + (half - 1);
      const T* SOLEUS_RESTRICT ti = sti_ + (half - 1);
      for (int s0 = 0; s0 < m; s0 += 2 * half) {
        T* SOLEUS_RESTRICT ar = zr + s0;
        T* SOLEUS_RESTRICT ai = zi + s0;
        T* SOLEUS_RESTRICT br = zr + s0 + half;
        T* SOLEUS_RESTRICT bi = zi + s0 + half;
        for (int k = 0; k < half; ++k) {
          const T xr = br[k] * tr[k] - bi[k] * ti[k];
          const T xi = br[k] * ti[k] + bi[k] * tr[k];
          br[k] = ar[k] - xr;
          bi[k] = ai[k] - xi;
          ar[k] += xr;
          ai[k] += xi;
        }
      }
    }
    // Split: X[k] = E[k] + w^k O[k] with E, O the spectra of even and odd
    // samples, recovered from Z[k] and conj(Z[m - k]).
    o[0] = zr[0] + zi[0];
    o[1] = T(0);
    o[2 * m] = zr[0] - zi[0];
    o[2 * m + 1] = T(0);
    for (int k = 1; k < m; ++k) {
      const T ar = zr[k], ai = zi[k];
      const T br = zr[m - k], bi = -zi[m - k];  // conj(Z[m-k])
      const T er = T(0.5) * (ar + br), ei = T(0.5) * (ai + bi);
      // O = (Z[k] - conj(Z[m-k])) / (2i)
      const T dr = T(0.5) * (ar - br), di = T(0.5) * (ai - bi);
      const T orr = di, oi = -dr;
      const T c = wr_[k], d = wi_[k];
      o[2 * k] = er + (orr * c - oi * d);
      o[2 * k + 1] = ei + (orr * d + oi * c);
    }
  }

 private:
  int n_ = 0;
  int log2m_ = 0;
  T wr_[MaxN / 2] = {};
  T wi_[MaxN / 2] = {};
  T zr_[MaxN / 2] = {};
  T zi_[MaxN / 2] = {};
  T str_[MaxN / 2] = {};
  T sti_[MaxN / 2] = {};
  index_t rev_[MaxN / 2] = {};
};

// ---------------------------------------------------------------- FFTW
#if defined(SOLEUS_HAVE_FFTW)
namespace detail {
// Owns one FFTW r2c plan and its aligned buffers (src/fft_fftw.cpp).
// Instantiated for float (fftw3f) and, with SOLEUS_HAVE_FFTW_DOUBLE, double.
template <typename T>
class FftwRealPlan {
 public:
  FftwRealPlan() = default;
  ~FftwRealPlan();
  FftwRealPlan(const FftwRealPlan&) = delete;
  FftwRealPlan& operator=(const FftwRealPlan&) = delete;
  Status init(int n);
  void forward(const T* in, std::complex<T>* out);
  int size() const { return n_; }

 private:
  void release();
  void* plan_ = nullptr;
  T* in_ = nullptr;
  std::complex<T>* out_ = nullptr;
  int n_ = 0;
};
}  // namespace detail

// FFTW backend. MaxN only bounds n so that code written against the
// built-in capacity behaves identically; buffers are sized to n in init().
template <typename T, int MaxN>
class FftwRfft {
  static_assert(std::is_same<T, float>::value
#if defined(SOLEUS_HAVE_FFTW_DOUBLE)
                    || std::is_same<T, double>::value
#endif
                ,
                "FftwRfft: this build has FFTW for float only (fftw3 double not found)");
  static_assert(is_pow2(MaxN) && MaxN >= 2, "MaxN must be a power of two >= 2");

 public:
  using value_type = T;
  static constexpr int max_size = MaxN;
  static constexpr const char* backend_name() { return "fftw"; }

  Status init(int n) {
    if (n < 2 || n > MaxN || !is_pow2(n)) {
      return Status::invalid("n: must be a power of two between 2 and the capacity MaxN");
    }
    return plan_.init(n);
  }
  int size() const { return plan_.size(); }
  void forward(const T* in, std::complex<T>* out) { plan_.forward(in, out); }

 private:
  detail::FftwRealPlan<T> plan_;
};
#endif

// The backend this build prefers for T: FFTW where present, else built-in.
namespace detail {
template <typename T, int MaxN>
struct preferred_rfft {
  using type = BuiltinRfft<T, MaxN>;
};
#if defined(SOLEUS_HAVE_FFTW)
template <int MaxN>
struct preferred_rfft<float, MaxN> {
  using type = FftwRfft<float, MaxN>;
};
#if defined(SOLEUS_HAVE_FFTW_DOUBLE)
template <int MaxN>
struct preferred_rfft<double, MaxN> {
  using type = FftwRfft<double, MaxN>;
};
#endif
#endif
}  // namespace detail

template <typename T, int MaxN>
using Rfft = typename detail::preferred_rfft<T, MaxN>::type;

}  // namespace soleus::dsp
