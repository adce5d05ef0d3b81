// The second-order-section cascade kernel: transposed direct form II, written
// once and generic over the lane type (float, double, or Lanes<T, N> holding
// N channels). Per-frame and block calls give bit-identical results.
//
// Recurrence per section (coefficients normalised by a0; scipy's signs):
//   y  = b0*x + s1
//   s1 = b1*x - a1*y + s2      computed as fma(-a1, y, fma(b1, x, s2))
//   s2 = b2*x - a2*y           computed as fma(-a2, y, b2*x)
// The fma ordering keeps the loop-carried path (s1 -> y -> s1) at two fused
// operations. State is two values per section per channel: s[k][0]=s1, s[k][1]=s2,
// the same layout and meaning as scipy's `zi` of shape (n_sections, 2).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstring>
#include <type_traits>

#include "soleus/core/config.hpp"
#include "soleus/core/denormals.hpp"
#include "soleus/core/lanes.hpp"
#include "soleus/core/status.hpp"
#include "soleus/dsp/filter_design.hpp"
#include "soleus/dsp/sos.hpp"

// Section counts up to this value get a block kernel with the count known at
// compile time, so the whole state lives in registers. Firmware that cares
// about code size more than speed can set it to 0.
#ifndef SOLEUS_SOS_UNROLL_MAX
#define SOLEUS_SOS_UNROLL_MAX 8
#endif

namespace soleus::dsp {

template <typename L>
struct SosCoef {
  L b0, b1, b2, na1, na2;  // normalised by a0; a1, a2 stored negated
};

template <typename L>
SOLEUS_ALWAYS_INLINE L sos_section_step(const SosCoef<L>& c, L& s1, L& s2, L x) {
  const L y = madd(c.b0, x, s1);
  s1 = madd(c.na1, y, madd(c.b1, x, s2));
  s2 = madd(c.na2, y, c.b2 * x);
  return y;
}

// Says when a per-frame filter's state is due for a software flush of
// subnormals (SosCascade::process(L), MultiChannelSos::process_frame): true
// once every period_frames calls. 64 frames: the library's own chunk (the EMG
// conditioner's fused kernel runs 64 frames per guarded call), so a per-frame
// caller in silence without a guard pays the subnormal assists for at most 64
// frames per state that decays into the range (32 ms at 2 kHz; the float
// band-pass after an impulse: 79 frames with a subnormal state in all, then
// exactly zero) instead of forever, while the flush (2 compare-and-selects per
// section, out of line) adds about 1/64 of its cost per frame. The per-frame
// cost is a decrement of a member and a branch that is almost never taken
// (x86: `dec mem; je`). Counting up from zero with a mask instead (which
// would keep a filter object zero-initialised, .bss on a microcontroller)
// compiled to 5 instructions per frame and measured slower on the per-frame
// lane paths (docs/benchmarks.md), so the count starts at the period.
class SubnormalFlushClock {
 public:
  static constexpr unsigned period_frames = 64;
  SOLEUS_ALWAYS_INLINE bool tick() {
    if (SOLEUS_LIKELY(--left_ != 0)) return false;
    left_ = period_frames;
    return true;
  }

 private:
  unsigned left_ = period_frames;
};

// A cascade of second-order sections over one lane type L.
// No heap: capacity is MaxSections. Not thread-safe; one owner at a time.
template <typename L, int MaxSections = SOLEUS_MAX_SOS_SECTIONS>
class SosCascade {
 public:
  using lane = L;
  using traits = lane_traits<L>;
  using scalar = typename traits::scalar;
  static constexpr int width = traits::width;
  static constexpr int max_sections = MaxSections;

  SosCascade() = default;

  // Sets the coefficients (normalised by a0) and zeroes the state.
  Status set_sos(const SosList& sos) {
    if (sos.size() < 1) return Status::invalid("sos: need at least one section");
    if (sos.size() > MaxSections) return Status::capacity("sos: more sections than this filter holds");
    for (int i = 0; i < sos.size(); ++i) {
      if (sos[i].a0 == 0.0) return Status::invalid("sos: a0 (column 3) must be non-zero");
    }
    n_ = sos.size();
    for (int i = 0; i < n_; ++i) {
      const SosSection& q = sos[i];
      double b0 = q.b0 / q.a0, b1 = q.b1 / q.a0, b2 = q.b2 / q.a0;
      const double a1 = q.a1 / q.a0, a2 = q.a2 / q.a0;
      // Rounding a low cut-off section's a1, a2 to float moves 1 + a1 + a2
      // (a tiny number) by up to ~1e-3 relative, and with it the DC gain. When
      // the section passes DC, rescale b so the rounded section keeps the
      // designed DC gain exactly: for a 6 Hz envelope low-pass at 2 kHz this
      // takes the float output from 81 dB to 97 dB SNR against the double design.
      const double rounded_a_sum = 1.0 + static_cast<double>(static_cast<scalar>(a1)) +
                                   static_cast<double>(static_cast<scalar>(a2));
      const double a_sum = 1.0 + a1 + a2;
      const double b_sum = b0 + b1 + b2;
      if (a_sum != 0.0 && std::fabs(b_sum) > 1e-3 * (std::fabs(b0) + std::fabs(b1) + std::fabs(b2))) {
        const double k = rounded_a_sum / a_sum;
        b0 *= k;
        b1 *= k;
        b2 *= k;
      }
      auto b = [](double v) { return traits::broadcast(static_cast<scalar>(v)); };
      coef_[i] = SosCoef<L>{b(b0), b(b1), b(b2), b(-a1), b(-a2)};
    }
    // Unit-step steady state per section, for reset_steady(); stored instead
    // of the design itself (2 doubles per section rather than a whole SosList).
    sosfilt_zi(sos, zi_unit_);
    reset();
    return Status::success();
  }

  int num_sections() const { return n_; }

  // Zero state: the filter behaves as if the input had always been zero.
  void reset() {
    const L zero = traits::broadcast(scalar(0));
    for (int i = 0; i < MaxSections; ++i) s1_[i] = s2_[i] = zero;
  }

  // Steady state for a constant input equal to x0 (per lane), like
  // scipy.signal.sosfilt_zi(sos) * x0: a stream starting at an offset does not ring.
  void reset_steady(const scalar* x0_per_lane) {
    const double (*zi)[2] = zi_unit_;
    alignas(32) scalar a[width], b[width];
    for (int i = 0; i < n_; ++i) {
      for (int l = 0; l < width; ++l) {
        a[l] = static_cast<scalar>(zi[i][0] * static_cast<double>(x0_per_lane[l]));
        b[l] = static_cast<scalar>(zi[i][1] * static_cast<double>(x0_per_lane[l]));
      }
      s1_[i] = traits::load(a);
      s2_[i] = traits::load(b);
    }
  }

  // State access in scipy's zi layout: state[(section*2 + k) * width + lane].
  void get_state(scalar* out) const {
    for (int i = 0; i < n_; ++i) {
      traits::store(s1_[i], out + (2 * i) * width);
      traits::store(s2_[i], out + (2 * i + 1) * width);
    }
  }
  void set_state(const scalar* in) {
    for (int i = 0; i < n_; ++i) {
      s1_[i] = traits::load(in + (2 * i) * width);
      s2_[i] = traits::load(in + (2 * i + 1) * width);
    }
  }

  // One frame (one sample of each lane). Subnormals: the block call sets
  // flush-to-zero itself (ScopedFlushDenormals); the per-frame call does not
  // touch the FPU mode (a control-register write per call would cost more
  // than the frame), so without a guard held by the caller, silence after a
  // signal would decay the state into the subnormal limit cycle and keep it
  // there, every multiply-add a microcode assist. Instead the state is
  // flushed in software once every SubnormalFlushClock::period_frames calls.
  SOLEUS_ALWAYS_INLINE L process(L x) {
    x = step(x);
    if (SOLEUS_UNLIKELY(flush_clock_.tick())) flush_subnormal_state();
    return x;
  }

  // The sections alone, no flush clock: for callers that hold a guard or keep
  // their own SubnormalFlushClock (MultiChannelSos::process_frame: one clock
  // for all its units).
  SOLEUS_ALWAYS_INLINE L step(L x) {
    for (int i = 0; i < n_; ++i) x = sos_section_step(coef_[i], s1_[i], s2_[i], x);
    return x;
  }

  // Sets every subnormal state value (magnitude below the smallest normal
  // number: 1.2e-38 for float, 2.2e-308 for double) to a zero of the same
  // sign, as the FPU's flush-to-zero mode does to each result in a block
  // call. With zero input a zero state stays zero, so silence then runs at
  // full speed; the values changed are far below anything an ADC represents
  // (a 24-bit converter's LSB is ~1e-7 of full scale). Normal-range states,
  // and every state under a caller's guard (which never lets one become
  // subnormal), keep their bits. Out of line: it runs once per period.
  SOLEUS_NOINLINE void flush_subnormal_state() {
    for (int i = 0; i < n_; ++i) {
      s1_[i] = flush_subnormal(s1_[i]);
      s2_[i] = flush_subnormal(s2_[i]);
    }
  }

  // A block of n frames. Frame f of this cascade's lanes is read from
  // in + f*in_stride and written to out + f*out_stride (strides in scalars),
  // so a cascade can run over a group of channels inside an interleaved
  // (n_samples, channels) buffer. in == out is allowed.
  void process(const scalar* in, std::ptrdiff_t in_stride, scalar* out, std::ptrdiff_t out_stride,
               std::size_t n) {
    ScopedFlushDenormals guard;
    switch (SOLEUS_SOS_UNROLL_MAX >= 1 ? n_ : 0) {
#define SOLEUS_SOS_CASE(K) \
  case K:                  \
    if constexpr (K <= SOLEUS_SOS_UNROLL_MAX && K <= MaxSections) { block_fixed<K>(in, in_stride, out, out_stride, n); return; } \
    break;
      SOLEUS_SOS_CASE(1)
      SOLEUS_SOS_CASE(2)
      SOLEUS_SOS_CASE(3)
      SOLEUS_SOS_CASE(4)
      SOLEUS_SOS_CASE(5)
      SOLEUS_SOS_CASE(6)
      SOLEUS_SOS_CASE(7)
      SOLEUS_SOS_CASE(8)
#undef SOLEUS_SOS_CASE
      default:
        break;
    }
    block_generic(in, in_stride, out, out_stride, n);
  }

  // Contiguous block of a scalar or of whole lanes.
  void process(const scalar* in, scalar* out, std::size_t n) {
    process(in, width, out, width, n);
  }

  // For kernels that run several cascades in one loop over frames (e.g. the
  // EMG conditioner): coefficients and state, to copy into locals for a block
  // and write back, exactly as block_fixed() does.
  const SosCoef<L>& coef(int i) const { return coef_[i]; }
  L& state1(int i) { return s1_[i]; }
  L& state2(int i) { return s2_[i]; }

 private:
  template <int K>
  void block_fixed(const scalar* in, std::ptrdiff_t in_stride, scalar* out,
                   std::ptrdiff_t out_stride, std::size_t n) {
    // Locals: the compiler can keep all of them in registers because K is a
    // constant and nothing else can alias them.
    L s1[K], s2[K];
    SosCoef<L> c[K];
    for (int i = 0; i < K; ++i) {
      s1[i] = s1_[i];
      s2[i] = s2_[i];
      c[i] = coef_[i];
    }
    // Frame pointers advanced by the strides, not in + f * in_stride: out of
    // line, g++ kept the index form as an imul per stream per frame. Inlined
    // it makes the same instructions either way; under x86-64-v3 (16
    // registers: 4 sections' 20 coefficients and 8 states do not fit, 13
    // coefficients are read from the stack every frame) g++ then orders them
    // differently, and this form's order measured faster on
    // BM_Bandpass4_Block/4 (docs/benchmarks.md, bandpass19). A loop that
    // spills is sensitive to that order; this does not remove the spills.
    for (std::size_t f = 0; f < n; ++f, in += in_stride, out += out_stride) {
      L x = traits::load(in);
      for (int i = 0; i < K; ++i) x = sos_section_step(c[i], s1[i], s2[i], x);
      traits::store(x, out);
    }
    for (int i = 0; i < K; ++i) {
      s1_[i] = s1[i];
      s2_[i] = s2[i];
    }
  }

  void block_generic(const scalar* in, std::ptrdiff_t in_stride, scalar* out,
                     std::ptrdiff_t out_stride, std::size_t n) {
    for (std::size_t f = 0; f < n; ++f, in += in_stride, out += out_stride) {
      L x = traits::load(in);
      x = step(x);  // under the block call's guard: no software flush needed
      traits::store(x, out);
    }
  }

  SosCoef<L> coef_[MaxSections] = {};
  L s1_[MaxSections] = {};
  L s2_[MaxSections] = {};
  int n_ = 0;
  SubnormalFlushClock flush_clock_;  // the per-frame calls' software flush
  double zi_unit_[MaxSections][2] = {};
};

// A cascade over any number of channels of an interleaved (n_samples,
// channels) buffer. Channels are split into units: groups of the native SIMD
// width W, then one half-width group, then single channels, so that no lane
// is wasted on padding and no frame is staged through memory (a padded
// partial vector costs a store-forwarding stall per frame: 2x slower).
// Results for each channel are bit-identical to a scalar SosCascade<T>.
template <typename T, int MaxChannels = 16, int MaxSections = SOLEUS_MAX_SOS_SECTIONS>
class MultiChannelSos {
 public:
  static constexpr int W = native_width<T>::value;
  static constexpr int H = W / 2 >= 2 ? W / 2 : 0;  // half-width group, if worth it
  using full_lane = typename std::conditional<W == 1, T, Lanes<T, W>>::type;
  using half_lane = typename std::conditional<(H >= 2), Lanes<T, (H >= 2 ? H : 1)>, T>::type;
  static constexpr int max_full = MaxChannels / W > 0 ? MaxChannels / W : 1;
  static constexpr int max_single = W;  // fewer than H (or W) channels remain as singles
  static constexpr std::size_t kChunk = 256;  // frames per chunk in block calls

  Status init(const SosList& sos, int channels) {
    if (channels < 1 || channels > MaxChannels) {
      return Status::invalid("channels: must be between 1 and the filter's channel capacity");
    }
    channels_ = channels;
    n_full_ = channels / W;
    int rest = channels - n_full_ * W;
    has_half_ = H >= 2 && rest >= H;
    if (has_half_) rest -= H;
    n_single_ = rest;
    Status st = Status::success();
    for_each_unit([&](auto& unit, int, int) {
      if (st) st = unit.set_sos(sos);
    });
    return st;
  }

  int channels() const { return channels_; }
  int num_sections() const { return n_sections_(); }

  void reset() {
    for_each_unit([](auto& unit, int, int) { unit.reset(); });
  }
  // Steady state for a constant input per channel (x0 has `channels` values).
  void reset_steady(const T* x0) {
    for_each_unit([&](auto& unit, int base, int) { unit.reset_steady(x0 + base); });
  }
  // State in scipy layout per channel: state[(section*2 + k) * channels + ch].
  void get_state(T* out) const {
    const int ns = n_sections_();
    for_each_unit_const([&](const auto& unit, int base, int w) {
      alignas(32) T tmp[2 * MaxSections * W];
      unit.get_state(tmp);
      for (int i = 0; i < 2 * ns; ++i)
        for (int l = 0; l < w; ++l) out[i * channels_ + base + l] = tmp[i * w + l];
    });
  }
  void set_state(const T* in) {
    const int ns = n_sections_();
    for_each_unit([&](auto& unit, int base, int w) {
      alignas(32) T tmp[2 * MaxSections * W];
      for (int i = 0; i < 2 * ns; ++i)
        for (int l = 0; l < w; ++l) tmp[i * w + l] = in[i * channels_ + base + l];
      unit.set_state(tmp);
    });
  }

  // Calls f(unit, first_channel, width) for each group of channels (a
  // SosCascade over full lanes, half lanes or one scalar), and unit<Lane>(b)
  // returns the group of the same lane type starting at channel b: filters
  // with the same channel count have the same groups, so a fused kernel can
  // walk several of them in step.
  template <typename F>
  void visit_units(F&& f) {
    for_each_unit(f);
  }
  template <typename Lane>
  SosCascade<Lane, MaxSections>& unit(int base) {
    if constexpr (std::is_same<Lane, full_lane>::value) {
      return full_[base / W];
    } else if constexpr (H >= 2 && std::is_same<Lane, half_lane>::value) {
      return half_;
    } else {
      return single_[base - (n_full_ * W + (has_half_ ? H : 0))];
    }
  }

  // One frame of `channels` samples. One flush clock for all units (see
  // SosCascade::process(L)): one count per frame however many units.
  void process_frame(const T* in, T* out) {
    for_each_unit([&](auto& unit, int base, int) {
      using L = typename std::decay_t<decltype(unit)>::lane;
      lane_traits<L>::store(unit.step(lane_traits<L>::load(in + base)), out + base);
    });
    if (SOLEUS_UNLIKELY(flush_clock_.tick())) flush_subnormal_state();
  }

  // Every unit's SosCascade::flush_subnormal_state().
  SOLEUS_NOINLINE void flush_subnormal_state() {
    for_each_unit([](auto& unit, int, int) { unit.flush_subnormal_state(); });
  }

  // n frames of an interleaved (n, channels) buffer; in == out allowed.
  // Frames go in chunks small enough to stay in L1, every unit running over
  // a chunk before the next: with several units, each would otherwise stream
  // the whole buffer from memory on its own (3x slower for 8 doubles).
  void process(const T* in, T* out, std::size_t n) {
    for (std::size_t f0 = 0; f0 < n; f0 += kChunk) {
      const std::size_t m = (n - f0 < kChunk) ? n - f0 : kChunk;
      const std::ptrdiff_t off = static_cast<std::ptrdiff_t>(f0) * channels_;
      for_each_unit([&](auto& unit, int base, int) {
        unit.process(in + off + base, channels_, out + off + base, channels_, m);
      });
    }
  }

  // n samples of planar data: channel c's samples are contiguous at
  // in + c*in_channel_stride (a numpy (channels, n) array). Each unit is
  // staged through an interleaved buffer so the SIMD kernel still runs with
  // channels in lanes; results equal process() on the transposed data.
  void process_planar(const T* in, std::ptrdiff_t in_channel_stride, T* out,
                      std::ptrdiff_t out_channel_stride, std::size_t n) {
    for (std::size_t f0 = 0; f0 < n; f0 += kChunk) {
      const std::size_t m = (n - f0 < kChunk) ? n - f0 : kChunk;
      for_each_unit([&](auto& unit, int base, int) {
        constexpr int w = lane_traits<typename std::decay_t<decltype(unit)>::lane>::width;
        alignas(32) T buf[kChunk * w];
        const T* src = in + base * in_channel_stride + static_cast<std::ptrdiff_t>(f0);
        stage_to_frames<w>(src, in_channel_stride, buf, m);
        unit.process(buf, w, buf, w, m);
        T* dst = out + base * out_channel_stride + static_cast<std::ptrdiff_t>(f0);
        stage_to_rows<w>(buf, dst, out_channel_stride, m);
      });
    }
  }

 private:
  // Staging between channel-major rows (rows_stride apart) and a frame-major
  // buffer (w values per frame), in w x w tile transposes plus a scalar tail.
  template <int w>
  static void stage_to_frames(const T* rows, std::ptrdiff_t rows_stride, T* buf, std::size_t m) {
    std::ptrdiff_t f = 0;
    const std::ptrdiff_t mm = static_cast<std::ptrdiff_t>(m);
    for (; f + w <= mm; f += w) TileTranspose<T, w>::run(rows + f, rows_stride, buf + f * w, w);
    for (; f < mm; ++f)
      for (int l = 0; l < w; ++l) buf[f * w + l] = rows[l * rows_stride + f];
  }
  template <int w>
  static void stage_to_rows(const T* buf, T* rows, std::ptrdiff_t rows_stride, std::size_t m) {
    std::ptrdiff_t f = 0;
    const std::ptrdiff_t mm = static_cast<std::ptrdiff_t>(m);
    for (; f + w <= mm; f += w) TileTranspose<T, w>::run(buf + f * w, w, rows + f, rows_stride);
    for (; f < mm; ++f)
      for (int l = 0; l < w; ++l) rows[l * rows_stride + f] = buf[f * w + l];
  }

  template <typename F>
  void for_each_unit(F&& f) {
    for (int g = 0; g < n_full_; ++g) f(full_[g], g * W, W);
    if constexpr (H >= 2) {
      if (has_half_) f(half_, n_full_ * W, H);
    }
    const int s0 = n_full_ * W + (has_half_ ? H : 0);
    for (int i = 0; i < n_single_; ++i) f(single_[i], s0 + i, 1);
  }
  template <typename F>
  void for_each_unit_const(F&& f) const {
    const_cast<MultiChannelSos*>(this)->for_each_unit(
        [&](auto& unit, int base, int w) { f(static_cast<const std::decay_t<decltype(unit)>&>(unit), base, w); });
  }
  int n_sections_() const {
    if (n_full_ > 0) return full_[0].num_sections();
    if (has_half_) return half_.num_sections();
    return n_single_ > 0 ? single_[0].num_sections() : 0;
  }

  SosCascade<full_lane, MaxSections> full_[max_full];
  SosCascade<half_lane, MaxSections> half_;
  SosCascade<T, MaxSections> single_[max_single];
  int channels_ = 0;
  int n_full_ = 0;
  bool has_half_ = false;
  int n_single_ = 0;
  SubnormalFlushClock flush_clock_;  // process_frame()'s software flush
};

}  // namespace soleus::dsp
