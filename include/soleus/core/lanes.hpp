// The SIMD lane type: N channels of one sample type processed together.
// Kernels are written once against the small set of operations below and run
// unchanged on a scalar (float, double) or on Lanes<T, N>. Channels-in-lanes
// adds no delay and, because every operation is element-wise with the same
// rounding (explicit fma when the hardware has it), is bit-identical to the
// scalar path.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "soleus/core/config.hpp"

// SOLEUS_LANES_GENERIC=1 turns every intrinsic specialisation below off: the
// lanes are then plain arrays and the fast paths that need hardware lanes
// (SOLEUS_LANES_NATIVE_256) fall back to their scalar bodies. The tests build
// once this way (test_lanes_generic) so those bodies run on an AVX-512 machine
// too; the results must be the same bits.
#ifndef SOLEUS_LANES_GENERIC
#define SOLEUS_LANES_GENERIC 0
#endif
#if !SOLEUS_LANES_GENERIC && (defined(__AVX__) || defined(__SSE2__))
#define SOLEUS_LANES_X86 1
#include <immintrin.h>
#else
#define SOLEUS_LANES_X86 0
#endif
// 256-bit float, double and 32-bit integer lanes (with masks, min/max and
// conversions) are hardware registers: the condition of the domain code's
// wide fast paths (emg/onset, emg/quality, reps/imu_reps).
#if SOLEUS_LANES_X86 && defined(__AVX2__)
#define SOLEUS_LANES_NATIVE_256 1
#else
#define SOLEUS_LANES_NATIVE_256 0
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

#if SOLEUS_LANES_X86 && defined(__AVX__)
SOLEUS_LANES_SPECIALISATION(float, 8, __m256, _mm256, ps)
SOLEUS_LANES_SPECIALISATION(double, 4, __m256d, _mm256, pd)
#endif
#if SOLEUS_LANES_X86 && defined(__SSE2__)
// Half-width (SSE) lanes: the tail of a channel count that is not a multiple
// of the AVX width uses these instead of a zero-padded full vector.
SOLEUS_LANES_SPECIALISATION(float, 4, __m128, _mm, ps)
SOLEUS_LANES_SPECIALISATION(double, 2, __m128d, _mm, pd)
#endif
#undef SOLEUS_LANES_FMA
#undef SOLEUS_LANES_SPECIALISATION

// ---------------------------------------------------------------- masks, min/max, conversions
// What the domain fast paths need beyond arithmetic: comparisons giving a
// lane mask, mask and/or, select, any-of, counting true lanes, min/max with
// the x86 operand order, sign flips, float <-> double and building a lane
// from scalars. The generic versions go through load/store of plain arrays,
// so they work for every lane type (hardware or not); the hardware overloads
// further down are the same operations lane by lane, hence the same bits.
//
// LaneMask<T, N>: one truth value per lane of Lanes<T, N>.
template <typename T, int N>
struct LaneMask {
  bool m[N];
  friend SOLEUS_ALWAYS_INLINE LaneMask operator|(LaneMask a, LaneMask b) {
    for (int i = 0; i < N; ++i) a.m[i] = a.m[i] || b.m[i];
    return a;
  }
  friend SOLEUS_ALWAYS_INLINE LaneMask operator&(LaneMask a, LaneMask b) {
    for (int i = 0; i < N; ++i) a.m[i] = a.m[i] && b.m[i];
    return a;
  }
};

// The truth values of a mask, lane 0 first (overloaded for hardware masks).
template <typename T, int N>
SOLEUS_ALWAYS_INLINE void lane_mask_bits(LaneMask<T, N> mask, bool* out) {
  for (int i = 0; i < N; ++i) out[i] = mask.m[i];
}

namespace lanes_detail {
template <typename T, int N, typename F>
SOLEUS_ALWAYS_INLINE LaneMask<T, N> compare(Lanes<T, N> a, Lanes<T, N> b, F op) {
  T x[N], y[N];
  a.store(x);
  b.store(y);
  LaneMask<T, N> r;
  for (int i = 0; i < N; ++i) r.m[i] = op(x[i], y[i]);
  return r;
}
template <typename T, int N, typename F>
SOLEUS_ALWAYS_INLINE Lanes<T, N> binary(Lanes<T, N> a, Lanes<T, N> b, F op) {
  T x[N], y[N];
  a.store(x);
  b.store(y);
  for (int i = 0; i < N; ++i) x[i] = op(x[i], y[i]);
  return Lanes<T, N>::load(x);
}
}  // namespace lanes_detail

// Ordered comparisons (false when either lane is NaN), as the C operators.
template <typename T, int N>
SOLEUS_ALWAYS_INLINE LaneMask<T, N> lane_gt(Lanes<T, N> a, Lanes<T, N> b) {
  return lanes_detail::compare(a, b, [](T x, T y) { return x > y; });
}
template <typename T, int N>
SOLEUS_ALWAYS_INLINE LaneMask<T, N> lane_ge(Lanes<T, N> a, Lanes<T, N> b) {
  return lanes_detail::compare(a, b, [](T x, T y) { return x >= y; });
}
template <typename T, int N>
SOLEUS_ALWAYS_INLINE LaneMask<T, N> lane_le(Lanes<T, N> a, Lanes<T, N> b) {
  return lanes_detail::compare(a, b, [](T x, T y) { return x <= y; });
}
// Unordered not-equal (true when either lane is NaN), as C's !=.
template <typename T, int N>
SOLEUS_ALWAYS_INLINE LaneMask<T, N> lane_ne(Lanes<T, N> a, Lanes<T, N> b) {
  return lanes_detail::compare(a, b, [](T x, T y) { return x != y; });
}
// a < b ? a : b and a > b ? a : b: the second operand wins ties and NaNs,
// which is what the x86 min/max instructions do.
template <typename T, int N>
SOLEUS_ALWAYS_INLINE Lanes<T, N> lane_min(Lanes<T, N> a, Lanes<T, N> b) {
  return lanes_detail::binary(a, b, [](T x, T y) { return x < y ? x : y; });
}
template <typename T, int N>
SOLEUS_ALWAYS_INLINE Lanes<T, N> lane_max(Lanes<T, N> a, Lanes<T, N> b) {
  return lanes_detail::binary(a, b, [](T x, T y) { return x > y ? x : y; });
}
// mask ? if_true : if_false, lane by lane.
template <typename T, int N>
SOLEUS_ALWAYS_INLINE Lanes<T, N> lane_select(LaneMask<T, N> mask, Lanes<T, N> if_true, Lanes<T, N> if_false) {
  T x[N], y[N];
  if_true.store(x);
  if_false.store(y);
  bool m[N];
  lane_mask_bits(mask, m);
  for (int i = 0; i < N; ++i) y[i] = m[i] ? x[i] : y[i];
  return Lanes<T, N>::load(y);
}
template <typename T, int N>
SOLEUS_ALWAYS_INLINE bool lane_any(LaneMask<T, N> mask) {
  bool m[N];
  lane_mask_bits(mask, m);
  bool any = false;
  for (int i = 0; i < N; ++i) any = any || m[i];
  return any;
}
// counts + 1 in the lanes where mask is true.
template <typename T, int N>
SOLEUS_ALWAYS_INLINE Lanes<std::uint32_t, N> lane_count_where(Lanes<std::uint32_t, N> counts, LaneMask<T, N> mask) {
  std::uint32_t c[N];
  counts.store(c);
  bool m[N];
  lane_mask_bits(mask, m);
  for (int i = 0; i < N; ++i) c[i] += m[i] ? 1u : 0u;
  return Lanes<std::uint32_t, N>::load(c);
}
// -a when negate (the sign bit flipped, exact), else a.
template <typename T, int N>
SOLEUS_ALWAYS_INLINE Lanes<T, N> lane_negate_if(Lanes<T, N> a, bool negate) {
  T x[N];
  a.store(x);
  for (int i = 0; i < N; ++i) x[i] = negate ? -x[i] : x[i];
  return Lanes<T, N>::load(x);
}
// Widening (exact) and narrowing (rounded to nearest) conversions.
template <int N>
SOLEUS_ALWAYS_INLINE Lanes<double, N> lane_to_double(Lanes<float, N> a) {
  float x[N];
  a.store(x);
  double y[N];
  for (int i = 0; i < N; ++i) y[i] = static_cast<double>(x[i]);
  return Lanes<double, N>::load(y);
}
template <int N>
SOLEUS_ALWAYS_INLINE Lanes<float, N> lane_to_float(Lanes<double, N> a) {
  double x[N];
  a.store(x);
  float y[N];
  for (int i = 0; i < N; ++i) y[i] = static_cast<float>(x[i]);
#if defined(__GNUC__)
  // GCC 12's SLP vectoriser folds a narrowing followed by a widening of the
  // same lanes into nothing ((double)(float)x becomes x: test_lanes_generic,
  // Lanes.ConversionsAndConstructionAreTheScalarOnes, at -O2 and -O3). The
  // empty asm makes the rounded floats a value the compiler must produce.
  __asm__("" : "+m"(y));
#endif
  return Lanes<float, N>::load(y);
}
// x with every subnormal value (0 < |x| < the smallest normal number) replaced
// by a zero of the same sign: what the FPU's flush-to-zero mode does to a
// result (ScopedFlushDenormals), done in software for code that runs without
// that mode. Normal numbers, zeros, infinities and NaN pass unchanged (NaN
// compares false). A compare and a sign copy only: no arithmetic on a
// subnormal, which would itself take the microcode assist this exists to
// avoid. Meant for a cold path (a filter's state every few dozen frames),
// so the lane version is the scalar one per lane, not an intrinsic sequence.
template <typename T>
SOLEUS_ALWAYS_INLINE T flush_subnormal(T x) {
  static_assert(std::is_floating_point<T>::value, "a float or double");
  return std::fabs(x) < std::numeric_limits<T>::min() ? std::copysign(T(0), x) : x;
}
template <typename T, int N>
SOLEUS_ALWAYS_INLINE Lanes<T, N> flush_subnormal(Lanes<T, N> a) {
  T x[N];
  a.store(x);
  for (int i = 0; i < N; ++i) x[i] = flush_subnormal(x[i]);
  return Lanes<T, N>::load(x);
}
// Four lanes from four scalars (lane 0 first).
template <typename T>
SOLEUS_ALWAYS_INLINE Lanes<T, 4> lanes_of(T a0, T a1, T a2, T a3) {
  const T x[4] = {a0, a1, a2, a3};
  return Lanes<T, 4>::load(x);
}

#if SOLEUS_LANES_X86
// Hardware masks: all-ones / all-zero lanes of the value register, as the
// compare instructions give them.
#define SOLEUS_LANES_MASK_SPECIALISATION(T, N, VEC, P, SUFFIX, BLEND)                                \
  template <>                                                                                         \
  struct LaneMask<T, N> {                                                                             \
    VEC r;                                                                                            \
    friend SOLEUS_ALWAYS_INLINE LaneMask operator|(LaneMask a, LaneMask b) {                          \
      return {P##_or_##SUFFIX(a.r, b.r)};                                                             \
    }                                                                                                 \
    friend SOLEUS_ALWAYS_INLINE LaneMask operator&(LaneMask a, LaneMask b) {                          \
      return {P##_and_##SUFFIX(a.r, b.r)};                                                            \
    }                                                                                                 \
  };                                                                                                  \
  SOLEUS_ALWAYS_INLINE Lanes<T, N> lane_min(Lanes<T, N> a, Lanes<T, N> b) {                           \
    return {P##_min_##SUFFIX(a.r, b.r)};                                                              \
  }                                                                                                   \
  SOLEUS_ALWAYS_INLINE Lanes<T, N> lane_max(Lanes<T, N> a, Lanes<T, N> b) {                           \
    return {P##_max_##SUFFIX(a.r, b.r)};                                                              \
  }                                                                                                   \
  SOLEUS_ALWAYS_INLINE Lanes<T, N> lane_select(LaneMask<T, N> m, Lanes<T, N> t, Lanes<T, N> f) {      \
    return {BLEND(P, SUFFIX, m.r, t.r, f.r)};                                                         \
  }                                                                                                   \
  SOLEUS_ALWAYS_INLINE bool lane_any(LaneMask<T, N> m) { return P##_movemask_##SUFFIX(m.r) != 0; }   \
  SOLEUS_ALWAYS_INLINE void lane_mask_bits(LaneMask<T, N> m, bool* out) {                             \
    const int bits = P##_movemask_##SUFFIX(m.r);                                                      \
    for (int i = 0; i < N; ++i) out[i] = ((bits >> i) & 1) != 0;                                      \
  }                                                                                                   \
  SOLEUS_ALWAYS_INLINE Lanes<T, N> lane_negate_if(Lanes<T, N> a, bool negate) {                       \
    return {P##_xor_##SUFFIX(P##_set1_##SUFFIX(negate ? T(-0.0) : T(0.0)), a.r)};                     \
  }

// blendv needs SSE4.1 for 128-bit lanes; and/andnot/or is the same selection.
#define SOLEUS_LANES_BLENDV(P, SUFFIX, m, t, f) P##_blendv_##SUFFIX(f, t, m)
#define SOLEUS_LANES_ANDOR(P, SUFFIX, m, t, f) P##_or_##SUFFIX(P##_and_##SUFFIX(m, t), P##_andnot_##SUFFIX(m, f))

#if defined(__AVX__)
SOLEUS_LANES_MASK_SPECIALISATION(float, 8, __m256, _mm256, ps, SOLEUS_LANES_BLENDV)
SOLEUS_LANES_MASK_SPECIALISATION(double, 4, __m256d, _mm256, pd, SOLEUS_LANES_BLENDV)
// _CMP_*_OQ: ordered, false on NaN (the C operators); NEQ_UQ: true on NaN.
#define SOLEUS_LANES_CMP256(T, N, SUFFIX)                                                  \
  SOLEUS_ALWAYS_INLINE LaneMask<T, N> lane_gt(Lanes<T, N> a, Lanes<T, N> b) {              \
    return {_mm256_cmp_##SUFFIX(a.r, b.r, _CMP_GT_OQ)};                                    \
  }                                                                                        \
  SOLEUS_ALWAYS_INLINE LaneMask<T, N> lane_ge(Lanes<T, N> a, Lanes<T, N> b) {              \
    return {_mm256_cmp_##SUFFIX(a.r, b.r, _CMP_GE_OQ)};                                    \
  }                                                                                        \
  SOLEUS_ALWAYS_INLINE LaneMask<T, N> lane_le(Lanes<T, N> a, Lanes<T, N> b) {              \
    return {_mm256_cmp_##SUFFIX(a.r, b.r, _CMP_LE_OQ)};                                    \
  }                                                                                        \
  SOLEUS_ALWAYS_INLINE LaneMask<T, N> lane_ne(Lanes<T, N> a, Lanes<T, N> b) {              \
    return {_mm256_cmp_##SUFFIX(a.r, b.r, _CMP_NEQ_UQ)};                                   \
  }
SOLEUS_LANES_CMP256(float, 8, ps)
SOLEUS_LANES_CMP256(double, 4, pd)
#undef SOLEUS_LANES_CMP256
SOLEUS_ALWAYS_INLINE Lanes<double, 4> lane_to_double(Lanes<float, 4> a) { return {_mm256_cvtps_pd(a.r)}; }
SOLEUS_ALWAYS_INLINE Lanes<float, 4> lane_to_float(Lanes<double, 4> a) { return {_mm256_cvtpd_ps(a.r)}; }
template <>
SOLEUS_ALWAYS_INLINE Lanes<double, 4> lanes_of(double a0, double a1, double a2, double a3) {
  return {_mm256_setr_pd(a0, a1, a2, a3)};
}
#endif  // __AVX__

#if defined(__SSE4_1__)
SOLEUS_LANES_MASK_SPECIALISATION(float, 4, __m128, _mm, ps, SOLEUS_LANES_BLENDV)
#else
SOLEUS_LANES_MASK_SPECIALISATION(float, 4, __m128, _mm, ps, SOLEUS_LANES_ANDOR)
#endif
SOLEUS_ALWAYS_INLINE LaneMask<float, 4> lane_gt(Lanes<float, 4> a, Lanes<float, 4> b) {
  return {_mm_cmpgt_ps(a.r, b.r)};
}
SOLEUS_ALWAYS_INLINE LaneMask<float, 4> lane_ge(Lanes<float, 4> a, Lanes<float, 4> b) {
  return {_mm_cmpge_ps(a.r, b.r)};
}
SOLEUS_ALWAYS_INLINE LaneMask<float, 4> lane_le(Lanes<float, 4> a, Lanes<float, 4> b) {
  return {_mm_cmple_ps(a.r, b.r)};
}
SOLEUS_ALWAYS_INLINE LaneMask<float, 4> lane_ne(Lanes<float, 4> a, Lanes<float, 4> b) {
  return {_mm_cmpneq_ps(a.r, b.r)};
}
template <>
SOLEUS_ALWAYS_INLINE Lanes<float, 4> lanes_of(float a0, float a1, float a2, float a3) {
  return {_mm_setr_ps(a0, a1, a2, a3)};
}
#undef SOLEUS_LANES_BLENDV
#undef SOLEUS_LANES_ANDOR
#undef SOLEUS_LANES_MASK_SPECIALISATION

#if defined(__AVX2__)
// Eight 32-bit counters in one register.
template <>
struct alignas(32) Lanes<std::uint32_t, 8> {
  __m256i r;
  static SOLEUS_ALWAYS_INLINE Lanes broadcast(std::uint32_t x) {
    return {_mm256_set1_epi32(static_cast<int>(x))};
  }
  static SOLEUS_ALWAYS_INLINE Lanes load(const std::uint32_t* p) {
    return {_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))};
  }
  SOLEUS_ALWAYS_INLINE void store(std::uint32_t* p) const { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), r); }
  friend SOLEUS_ALWAYS_INLINE Lanes operator+(Lanes a, Lanes b) { return {_mm256_add_epi32(a.r, b.r)}; }
  friend SOLEUS_ALWAYS_INLINE Lanes operator-(Lanes a, Lanes b) { return {_mm256_sub_epi32(a.r, b.r)}; }
};
// A true mask lane is all ones (-1 as an integer): subtracting it counts one.
SOLEUS_ALWAYS_INLINE Lanes<std::uint32_t, 8> lane_count_where(Lanes<std::uint32_t, 8> counts,
                                                               LaneMask<float, 8> mask) {
  return {_mm256_sub_epi32(counts.r, _mm256_castps_si256(mask.r))};
}
#endif  // __AVX2__
#endif  // SOLEUS_LANES_X86

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

#if SOLEUS_LANES_X86 && defined(__AVX__)
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
