// The SIMD lane type: N channels of one sample type processed together.
// Kernels are written once against the small set of operations below and run
// unchanged on a scalar (float, double) or on Lanes<T, N>. Channels-in-lanes
// adds no delay and, because every operation is element-wise with the same
// rounding (explicit fma when the hardware has it), is bit-identical to the
// scalar path.
#pragma once

#include <cmath>
#include <cstddef>

#include "soleus/core/config.hpp"

#if defined(__AVX__) || defined(__SSE2__)
#include <immintrin.h>
#endif

namespace soleus {

// ---------------------------------------------------------------- scalars
SOLEUS_ALWAYS_INLINE float madd(float a, float b, float c) {
#if SOLEUS_HAS_FMA
  return __builtin_fmaf(a, b, c);
#else
  return a * b + c;
#endif
}
SOLEUS_ALWAYS_INLINE double madd(double a, double b, double c) {
#if SOLEUS_HAS_FMA
  return __builtin_fma(a, b, c);
#else
  return a * b + c;
#endif
}

// ---------------------------------------------------------------- lanes
// Generic lanes: a fixed array the compiler vectorises (SLP). Alignment lets
// loads and stores of whole lanes use aligned vector moves.
template <typename T, int N>
struct alignas(sizeof(T) * N >= 32 ? 32 : sizeof(T) * N) Lanes {
  static_assert(N >= 1, "at least one lane");
  T v[N];

  static SOLEUS_ALWAYS_INLINE Lanes broadcast(T x) {
    Lanes r;
    for (int i = 0; i < N; ++i) r.v[i] = x;
    return r;
  }
  static SOLEUS_ALWAYS_INLINE Lanes load(const T* p) {
    Lanes r;
    for (int i = 0; i < N; ++i) r.v[i] = p[i];
    return r;
  }
  SOLEUS_ALWAYS_INLINE void store(T* p) const {
    for (int i = 0; i < N; ++i) p[i] = v[i];
  }
  friend SOLEUS_ALWAYS_INLINE Lanes operator*(Lanes a, Lanes b) {
    for (int i = 0; i < N; ++i) a.v[i] *= b.v[i];
    return a;
  }
  friend SOLEUS_ALWAYS_INLINE Lanes operator+(Lanes a, Lanes b) {
    for (int i = 0; i < N; ++i) a.v[i] += b.v[i];
    return a;
  }
  friend SOLEUS_ALWAYS_INLINE Lanes operator-(Lanes a, Lanes b) {
    for (int i = 0; i < N; ++i) a.v[i] -= b.v[i];
    return a;
  }
};

template <typename T, int N>
SOLEUS_ALWAYS_INLINE Lanes<T, N> madd(Lanes<T, N> a, Lanes<T, N> b, Lanes<T, N> c) {
  for (int i = 0; i < N; ++i) c.v[i] = madd(a.v[i], b.v[i], c.v[i]);
  return c;
}

// |x| lane-wise (sign bit cleared, exact), so a rectifier can sit inside a
// fused filter loop without a round trip through memory.
SOLEUS_ALWAYS_INLINE float lane_abs(float x) { return std::fabs(x); }
SOLEUS_ALWAYS_INLINE double lane_abs(double x) { return std::fabs(x); }
template <typename T, int N>
SOLEUS_ALWAYS_INLINE Lanes<T, N> lane_abs(Lanes<T, N> a) {
  for (int i = 0; i < N; ++i) a.v[i] = std::fabs(a.v[i]);
  return a;
}

// Intrinsic specialisations: the generic loop vectorises too, but GCC does not
// always keep a chain of SLP-vectorised structs in registers across a cascade;
// the intrinsics make the register allocation explicit. Same operations, same
// rounding, so results are bit-identical to the generic and scalar paths.
// One macro stamps each (type, width, register, intrinsic-prefix) variant.
#define SOLEUS_LANES_SPECIALISATION(T, N, VEC, P, SUFFIX)                                   \
  template <>                                                                               \
  struct alignas(sizeof(VEC)) Lanes<T, N> {                                                 \
    VEC r;                                                                                  \
    static SOLEUS_ALWAYS_INLINE Lanes broadcast(T x) { return {P##_set1_##SUFFIX(x)}; }     \
    static SOLEUS_ALWAYS_INLINE Lanes load(const T* p) { return {P##_loadu_##SUFFIX(p)}; }  \
    SOLEUS_ALWAYS_INLINE void store(T* p) const { P##_storeu_##SUFFIX(p, r); }              \
    friend SOLEUS_ALWAYS_INLINE Lanes operator*(Lanes a, Lanes b) {                         \
      return {P##_mul_##SUFFIX(a.r, b.r)};                                                  \
    }                                                                                       \
    friend SOLEUS_ALWAYS_INLINE Lanes operator+(Lanes a, Lanes b) {                         \
      return {P##_add_##SUFFIX(a.r, b.r)};                                                  \
    }                                                                                       \
    friend SOLEUS_ALWAYS_INLINE Lanes operator-(Lanes a, Lanes b) {                         \
      return {P##_sub_##SUFFIX(a.r, b.r)};                                                  \
    }                                                                                       \
  };                                                                                        \
  SOLEUS_ALWAYS_INLINE Lanes<T, N> madd(Lanes<T, N> a, Lanes<T, N> b, Lanes<T, N> c) {      \
    return SOLEUS_LANES_FMA(P, SUFFIX, a, b, c);                                            \
  }                                                                                         \
  SOLEUS_ALWAYS_INLINE Lanes<T, N> lane_abs(Lanes<T, N> a) {                                \
    return {P##_andnot_##SUFFIX(P##_set1_##SUFFIX(T(-0.0)), a.r)};                          \
  }

#if defined(__FMA__)
#define SOLEUS_LANES_FMA(P, SUFFIX, a, b, c) {P##_fmadd_##SUFFIX(a.r, b.r, c.r)}
#else
#define SOLEUS_LANES_FMA(P, SUFFIX, a, b, c) (a * b + c)
#endif

#if defined(__AVX__)
SOLEUS_LANES_SPECIALISATION(float, 8, __m256, _mm256, ps)
SOLEUS_LANES_SPECIALISATION(double, 4, __m256d, _mm256, pd)
#endif
#if defined(__SSE2__)
// Half-width (SSE) lanes: the tail of a channel count that is not a multiple
// of the AVX width uses these instead of a zero-padded full vector.
SOLEUS_LANES_SPECIALISATION(float, 4, __m128, _mm, ps)
SOLEUS_LANES_SPECIALISATION(double, 2, __m128d, _mm, pd)
#endif
#undef SOLEUS_LANES_FMA
#undef SOLEUS_LANES_SPECIALISATION

// ---------------------------------------------------------------- tiles
// transpose_tile<T, W>: moves a W x W tile between channel-major and
// frame-major layout: element (r, k) at src[r*src_stride + k] goes to
// dst[k*dst_stride + r]. Used to stage planar (channels, n) data into lanes.
template <typename T, int W>
struct TileTranspose {
  static SOLEUS_ALWAYS_INLINE void run(const T* src, std::ptrdiff_t src_stride, T* dst,
                                       std::ptrdiff_t dst_stride) {
    for (int r = 0; r < W; ++r)
      for (int k = 0; k < W; ++k) dst[k * dst_stride + r] = src[r * src_stride + k];
  }
};

#if defined(__AVX__)
template <>
struct TileTranspose<float, 8> {
  static SOLEUS_ALWAYS_INLINE void run(const float* src, std::ptrdiff_t ss, float* dst,
                                       std::ptrdiff_t ds) {
    const __m256 r0 = _mm256_loadu_ps(src), r1 = _mm256_loadu_ps(src + ss),
                 r2 = _mm256_loadu_ps(src + 2 * ss), r3 = _mm256_loadu_ps(src + 3 * ss),
                 r4 = _mm256_loadu_ps(src + 4 * ss), r5 = _mm256_loadu_ps(src + 5 * ss),
                 r6 = _mm256_loadu_ps(src + 6 * ss), r7 = _mm256_loadu_ps(src + 7 * ss);
    const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
    const __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
    const __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
    const __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    _mm256_storeu_ps(dst, _mm256_permute2f128_ps(u0, u4, 0x20));
    _mm256_storeu_ps(dst + ds, _mm256_permute2f128_ps(u1, u5, 0x20));
    _mm256_storeu_ps(dst + 2 * ds, _mm256_permute2f128_ps(u2, u6, 0x20));
    _mm256_storeu_ps(dst + 3 * ds, _mm256_permute2f128_ps(u3, u7, 0x20));
    _mm256_storeu_ps(dst + 4 * ds, _mm256_permute2f128_ps(u0, u4, 0x31));
    _mm256_storeu_ps(dst + 5 * ds, _mm256_permute2f128_ps(u1, u5, 0x31));
    _mm256_storeu_ps(dst + 6 * ds, _mm256_permute2f128_ps(u2, u6, 0x31));
    _mm256_storeu_ps(dst + 7 * ds, _mm256_permute2f128_ps(u3, u7, 0x31));
  }
};
template <>
struct TileTranspose<double, 4> {
  static SOLEUS_ALWAYS_INLINE void run(const double* src, std::ptrdiff_t ss, double* dst,
                                       std::ptrdiff_t ds) {
    const __m256d r0 = _mm256_loadu_pd(src), r1 = _mm256_loadu_pd(src + ss),
                  r2 = _mm256_loadu_pd(src + 2 * ss), r3 = _mm256_loadu_pd(src + 3 * ss);
    const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
    const __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
    _mm256_storeu_pd(dst, _mm256_permute2f128_pd(t0, t2, 0x20));
    _mm256_storeu_pd(dst + ds, _mm256_permute2f128_pd(t1, t3, 0x20));
    _mm256_storeu_pd(dst + 2 * ds, _mm256_permute2f128_pd(t0, t2, 0x31));
    _mm256_storeu_pd(dst + 3 * ds, _mm256_permute2f128_pd(t1, t3, 0x31));
  }
};
#endif  // __AVX__

// ---------------------------------------------------------------- traits
// lane_traits<L>: the scalar type and width of a lane type, and uniform
// load/store/broadcast so kernels need not care whether L is a scalar.
template <typename L>
struct lane_traits;

template <>
struct lane_traits<float> {
  using scalar = float;
  static constexpr int width = 1;
  static SOLEUS_ALWAYS_INLINE float broadcast(float x) { return x; }
  static SOLEUS_ALWAYS_INLINE float load(const float* p) { return *p; }
  static SOLEUS_ALWAYS_INLINE void store(float x, float* p) { *p = x; }
};
template <>
struct lane_traits<double> {
  using scalar = double;
  static constexpr int width = 1;
  static SOLEUS_ALWAYS_INLINE double broadcast(double x) { return x; }
  static SOLEUS_ALWAYS_INLINE double load(const double* p) { return *p; }
  static SOLEUS_ALWAYS_INLINE void store(double x, double* p) { *p = x; }
};
template <typename T, int N>
struct lane_traits<Lanes<T, N>> {
  using scalar = T;
  static constexpr int width = N;
  static SOLEUS_ALWAYS_INLINE Lanes<T, N> broadcast(T x) { return Lanes<T, N>::broadcast(x); }
  static SOLEUS_ALWAYS_INLINE Lanes<T, N> load(const T* p) { return Lanes<T, N>::load(p); }
  static SOLEUS_ALWAYS_INLINE void store(Lanes<T, N> x, T* p) { x.store(p); }
};

// The natural lane width for a sample type on this target (one SIMD register).
template <typename T>
struct native_width {
#if defined(__AVX__)
  static constexpr int value = 32 / static_cast<int>(sizeof(T));
#elif defined(__SSE2__) || defined(__ARM_NEON)
  static constexpr int value = 16 / static_cast<int>(sizeof(T));
#else
  static constexpr int value = 1;
#endif
};

}  // namespace soleus
