// The onset detector's history of the unsmoothed detection statistic and
// the change-point search on it (emg/onset.hpp, "Timing").
//
// ChangePointHistory keeps, per channel, the last kHistory unsmoothed values
// (|y|, or |psi| for Teager-Kaiser) and the running sum of the change-point
// statistic (power: y^2, or |psi|, already an energy) at every kCumBlock-th
// sample, so that
// - change_point() finds the maximum-likelihood change point between the
//   rest and the burst level of a span (a rise or a fall), and
// - cum_before() gives the statistic's sum over all samples before any sample
//   still in the history (the rest and burst powers of the SNR estimate),
// both as functions of absolute sample indices only: the result does not
// depend on how the stream was chunked.
//
// The detector (OnsetDetector) writes the history (frame()) and the running
// totals (store_cum()) as it goes; this class owns only their layout and the
// searches on them. Its lane kernels (SOLEUS_ONSET_LANES) are bit-identical to
// the scalar loops; the detector's fast path uses the same switch.
//
// Real-time: no heap; change_point() is one pass over at most kHistory samples.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "soleus/core/config.hpp"
#include "soleus/core/lanes.hpp"

// Lane kernels of the detector (bit-identical to the scalar code; see
// OnsetDetector::fast_run(), inside(), ChangePointHistory::change_point()),
// written on core/lanes.hpp. They run where 256-bit lanes are hardware and
// fused multiply-adds are used on both paths (the scalar code's madd and the
// lanes' madd then round alike).
#if SOLEUS_LANES_NATIVE_256 && defined(__FMA__) && SOLEUS_HAS_FMA
#define SOLEUS_ONSET_LANES 1
#else
#define SOLEUS_ONSET_LANES 0
#endif

namespace soleus::emg {

template <int MaxChannels>
class ChangePointHistory {
 public:
  static constexpr std::int64_t kHistory = 2048;
  static constexpr std::int64_t kHistMask = kHistory - 1;
  static constexpr std::int64_t kCumBlock = 64, kCumRing = 64;

  // rectified: the statistic is the value squared (power of |y|); otherwise
  // the value itself (Teager-Kaiser's |psi| is already an energy).
  void init(bool rectified) { rectified_ = rectified; }
  // Clears the running totals (the history is always written before it is read).
  void reset() {
    for (int c = 0; c < MaxChannels; ++c)
      for (std::int64_t b = 0; b < kCumRing; ++b) cring_[c][b] = 0.0;
  }
  // The history row of sample n: one value per channel.
  float* frame(std::int64_t n) { return hist_[n & kHistMask]; }
  // Stores channel c's running total of the statistic over samples [0, n),
  // n a multiple of kCumBlock.
  void store_cum(int c, std::int64_t n, double total) { cring_[c][(n / kCumBlock) & (kCumRing - 1)] = total; }

  // The change-point statistic is power: y^2 when rectified, |psi| (already
  // an energy) for Teager-Kaiser.
  double stat(float v) const {
    return rectified_ ? static_cast<double>(v) * v : v;
  }
  // Sum of the change-point statistic over all samples before j (j within
  // the history): the running total stored at the last 64-sample boundary at
  // or before j plus at most 63 samples from the history. Every term depends
  // only on absolute sample indices, so the result does not depend on how
  // the stream was chunked.
  double cum_before(int c, std::int64_t j) const {
    const std::int64_t b = j / kCumBlock;
    double s = cring_[c][b & (kCumRing - 1)];
    for (std::int64_t i = b * kCumBlock; i < j; ++i) s += stat(hist_[i & kHistMask][c]);
    return s;
  }

  // Least-squares change point of d between sample `from` and `to` (inclusive,
  // clamped to the history): for a rise (up = true) from `rest` to the level A
  // = mean of d over the last quarter of the span, returns the tau maximising
  // sum_{k=tau..to} (d_k - (rest + A)/2); for a fall from level `rest` (then
  // the burst level) to the rest mean, the tau maximising sum (mid - d_k)
  // with A = mean of the last quarter. *level_out receives A.
  std::int64_t change_point(int c, std::int64_t to, std::int64_t from, double ref, bool up,
                            double* level_out) const {
    if (from < to - (kHistory - 1)) from = to - (kHistory - 1);
    if (from < 0) from = 0;
    if (from >= to) return to;
    const std::int64_t span = to - from + 1;
    std::int64_t q = span / 4;
    if (q < 1) q = 1;
    // Four partial sums: independent chains instead of one serial one.
    double part[4] = {0.0, 0.0, 0.0, 0.0};
    {
      std::int64_t k = to - q + 1;
#if SOLEUS_ONSET_LANES
      // Lane j holds part[j]: whole groups k..k+3 with k & 3 == 0 add in the
      // same order as the scalar loop (per lane, increasing k).
      for (; k <= to && (k & 3) != 0; ++k) part[k & 3] += stat(hist_[k & kHistMask][c]);
      if (k + 3 <= to) {
        Lanes<double, 4> pv = Lanes<double, 4>::load(part);  // the head's sums continue in their lanes
        const bool rect = rectified_;
        for (; k + 3 <= to; k += 4) {
          const Lanes<double, 4> x = lane_to_double(gather4(c, k, 1));
          pv = pv + (rect ? x * x : x);
        }
        pv.store(part);
      }
#endif
      for (; k <= to; ++k) part[k & 3] += stat(hist_[k & kHistMask][c]);
    }
    double a = ((part[0] + part[1]) + (part[2] + part[3])) / static_cast<double>(q);
    if (level_out) *level_out = a;
    double mid = 0.5 * (ref + a);
    // Variance change of a Gaussian: the log-likelihood ratio crosses zero
    // at s0 s1 ln(s1/s0) / (s1 - s0) for powers s0 -> s1 (not at the mean).
    if (a > 0.0 && ref > 0.0 && std::fabs(a - ref) > 1e-9 * (a + ref))
      mid = ref * a * std::log(a / ref) / (a - ref);
    const double sign = up ? 1.0 : -1.0;
    // Suffix sums S(tau) = sum_{k=tau..to} sign * (p_k - mid), scanned from
    // `to` down in groups of four: the running sum carries one dependent add
    // per group, the four candidates of a group are formed off that chain.
    double acc = 0.0, best = -1e300;
    std::int64_t tau = to, k = to;
#if SOLEUS_ONSET_LANES
    // Four groups (16 samples) at a time, transposed: lane j of X_i is the
    // i-th sample of group j (sample k - 4j - i). The in-group prefixes
    // P_i are then vertical adds in the scalar order, the running sums at
    // the groups' starts stay one scalar add per group, and the candidates
    // S_i = acc_j + P_i are the scalar loop's values bit for bit.
    // Selection without a reduction or a branch per block: each of the 16
    // slots (i, j) keeps its own maximum (strict >, so its first occurrence
    // in scan order) and the block where it was reached. After the loop the
    // overall maximum M is the scalar loop's `best` (if it beats -1e300), and
    // its tau is the first candidate in scan order equal to M: among the
    // slots holding M, the one with the largest sample index. The blocks'
    // horizontal max and the data-dependent branch were the loop's critical
    // path; now only the running sum's one add per group is.
    {
      const bool rect = rectified_;
      // sign * x as a sign-bit flip: the same bits as the multiply by +-1.
      using D4 = Lanes<double, 4>;
      const D4 vmid = D4::broadcast(mid);
      const bool negate = !up;  // sign * x as a sign-bit flip: the same bits as the multiply by +-1
      D4 sbest[4], sk[4];
      for (int i = 0; i < 4; ++i) {
        sbest[i] = D4::broadcast(best);
        sk[i] = D4::broadcast(0.0);
      }
      bool any = false;
      for (; k - 15 >= from; k -= 16) {
        any = true;
        D4 X[4];
        const std::int64_t r = k & kHistMask;
        if (r >= 15) {
          // No wrap inside the block: constant offsets from one pointer.
          const float* q = &hist_[0][0] + r * MaxChannels + c;
          for (int i = 0; i < 4; ++i) {
            const D4 v = lane_to_double(lanes_of(q[-i * MaxChannels], q[-(4 + i) * MaxChannels],
                                                 q[-(8 + i) * MaxChannels], q[-(12 + i) * MaxChannels]));
            X[i] = lane_negate_if((rect ? v * v : v) - vmid, negate);
          }
        } else {
          for (int i = 0; i < 4; ++i) {
            const D4 v = lane_to_double(gather4(c, k - i, -4));
            X[i] = lane_negate_if((rect ? v * v : v) - vmid, negate);
          }
        }
        const D4 P1 = X[0];
        const D4 P2 = P1 + X[1];
        const D4 P3 = P2 + X[2];
        const D4 P4 = P3 + X[3];
        alignas(32) double p4[4];
        P4.store(p4);
        const double a0 = acc, a1 = a0 + p4[0], a2 = a1 + p4[1], a3 = a2 + p4[2];
        acc = a3 + p4[3];
        const D4 A = lanes_of(a0, a1, a2, a3);
        const D4 S[4] = {A + P1, A + P2, A + P3, A + P4};
        const D4 kv = D4::broadcast(static_cast<double>(k));
        for (int i = 0; i < 4; ++i) {
          const LaneMask<double, 4> gt = lane_gt(S[i], sbest[i]);
          sbest[i] = lane_select(gt, S[i], sbest[i]);
          sk[i] = lane_select(gt, kv, sk[i]);
        }
      }
      if (any) {
        alignas(32) double vb[4][4], vk[4][4];
        for (int i = 0; i < 4; ++i) {
          sbest[i].store(vb[i]);
          sk[i].store(vk[i]);
        }
        double m = best;
        for (int i = 0; i < 4; ++i)
          for (int j = 0; j < 4; ++j) m = vb[i][j] > m ? vb[i][j] : m;
        if (m > best) {
          std::int64_t t = std::numeric_limits<std::int64_t>::min();
          for (int i = 0; i < 4; ++i) {
            for (int j = 0; j < 4; ++j) {
              const std::int64_t cand = static_cast<std::int64_t>(vk[i][j]) - 4 * j - i;
              if (vb[i][j] == m && cand > t) t = cand;
            }
          }
          best = m;
          tau = t;
        }
      }
    }
#endif
    for (; k - 3 >= from; k -= 4) {
      const double x0 = sign * (stat(hist_[k & kHistMask][c]) - mid);
      const double x1 = sign * (stat(hist_[(k - 1) & kHistMask][c]) - mid);
      const double x2 = sign * (stat(hist_[(k - 2) & kHistMask][c]) - mid);
      const double x3 = sign * (stat(hist_[(k - 3) & kHistMask][c]) - mid);
      const double p1 = x0, p2 = x0 + x1, p3 = p2 + x2, p4 = p3 + x3;
      const double s1 = acc + p1, s2 = acc + p2, s3 = acc + p3, s4 = acc + p4;
      if (s1 > best) {
        best = s1;
        tau = k;
      }
      if (s2 > best) {
        best = s2;
        tau = k - 1;
      }
      if (s3 > best) {
        best = s3;
        tau = k - 2;
      }
      if (s4 > best) {
        best = s4;
        tau = k - 3;
      }
      acc = s4;
    }
    for (; k >= from; --k) {
      acc += sign * (stat(hist_[k & kHistMask][c]) - mid);
      if (acc > best) {
        best = acc;
        tau = k;
      }
    }
    return tau;
  }

 private:
#if SOLEUS_ONSET_LANES
  // History values of channel c at samples k, k + step, k + 2 step, k + 3
  // step (four scalar loads: measured faster than vgatherdps here).
  SOLEUS_ALWAYS_INLINE Lanes<float, 4> gather4(int c, std::int64_t k, int step) const {
    return lanes_of(hist_[k & kHistMask][c], hist_[(k + step) & kHistMask][c], hist_[(k + 2 * step) & kHistMask][c],
                    hist_[(k + 3 * step) & kHistMask][c]);
  }
#endif

  bool rectified_ = true;
  // History of d for the change-point search (power of two, per channel).
  float hist_[kHistory][MaxChannels] = {};  // frame-major: one line per frame, no 4K aliasing
  // Running totals of the statistic at every 64-sample boundary (4096 samples).
  double cring_[MaxChannels][kCumRing] = {};
};

}  // namespace soleus::emg
