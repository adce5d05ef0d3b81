// Spectral estimates for EMG fatigue: Welch PSD (scipy.signal.welch's definition),
// median / mean frequency and FInsm5 in a band, slope over time, and a streaming
// tracker emitting (t_s, median_hz, mean_hz) every hop, no heap after init().
#pragma once

#include <cmath>
#include <complex>
#include <cstddef>

#include "soleus/core/config.hpp"
#include "soleus/core/status.hpp"
#include "soleus/dsp/fft.hpp"
#include "soleus/dsp/lsq_slope.hpp"

namespace soleus::dsp {

// ================================================================ Welch PSD

struct WelchConfig {
  double fs_hz = 2000.0;
  int nperseg = 500;  // segment length in samples
  int noverlap = -1;  // samples shared by consecutive segments; -1 = nperseg / 2
  // FFT length >= nperseg (zero padding). 0 = next power of two >= nperseg,
  // because both FFT backends take powers of two only. The result equals
  // scipy.signal.welch(x, fs, window='hann', nperseg, noverlap, nfft=nfft).
  int nfft = 0;
};

// Welch's average of modified periodograms, following scipy.signal.welch with
// window='hann' (periodic), detrend='constant', return_onesided=True,
// scaling='density', average='mean':
//   segment s_j = x[j*step : j*step + nperseg], step = nperseg - noverlap,
//   for every j with j*step + nperseg <= n (a partial tail is ignored);
//   X_j = rfft(w * (s_j - mean(s_j)), nfft), w[i] = 0.5 - 0.5 cos(2 pi i / nperseg);
//   P[k] = mean_j |X_j[k]|^2 / (fs * sum(w^2)), doubled for 0 < k < nfft/2.
// Units: x^2 / Hz (e.g. mV^2/Hz). Bin k is at k * fs / nfft Hz.
template <typename T, int MaxNfft, typename Fft = Rfft<T, MaxNfft>>
class WelchPsd {
 public:
  static constexpr int max_bins = MaxNfft / 2 + 1;

  Status init(const WelchConfig& c) {
    if (!(c.fs_hz > 0.0) || !std::isfinite(c.fs_hz)) return Status::invalid("fs_hz: must be positive");
    if (c.nperseg < 2) return Status::invalid("nperseg: must be at least 2");
    const int noverlap = c.noverlap < 0 ? c.nperseg / 2 : c.noverlap;
    if (noverlap >= c.nperseg) return Status::invalid("noverlap: must be smaller than nperseg");
    const int nfft = c.nfft == 0 ? next_pow2(c.nperseg) : c.nfft;
    if (nfft < c.nperseg) return Status::invalid("nfft: must be >= nperseg");
    if (nfft > MaxNfft) return Status::capacity("nfft: larger than the capacity MaxNfft");
    if (!is_pow2(nfft)) return Status::invalid("nfft: must be a power of two");
    const Status s = fft_.init(nfft);
    if (!s.ok()) return s;
    fs_hz_ = c.fs_hz;
    nperseg_ = c.nperseg;
    step_ = c.nperseg - noverlap;
    nfft_ = nfft;
    constexpr double two_pi = 6.283185307179586476925286766559;
    double wsum2 = 0.0;
    for (int i = 0; i < nperseg_; ++i) {
      const double w = 0.5 - 0.5 * std::cos(two_pi * i / nperseg_);
      window_[i] = static_cast<T>(w);
      wsum2 += w * w;
    }
    for (int i = nperseg_; i < nfft_; ++i) seg_[i] = T(0);
    scale_ = static_cast<T>(1.0 / (fs_hz_ * wsum2));
    return Status::success();
  }

  double fs_hz() const { return fs_hz_; }
  int nperseg() const { return nperseg_; }
  int step() const { return step_; }
  int nfft() const { return nfft_; }
  int n_bins() const { return nfft_ / 2 + 1; }
  double bin_hz() const { return fs_hz_ / nfft_; }

  // Number of full segments Welch uses for n samples.
  std::size_t n_segments(std::size_t n) const {
    if (nperseg_ == 0) return 0;  // not initialised
    return n < static_cast<std::size_t>(nperseg_) ? 0 : (n - nperseg_) / step_ + 1;
  }

  // One-sided, density-scaled modified periodogram of nperseg samples
  // (one Welch segment) into out[n_bins()]. No allocation.
  void periodogram(const T* seg, T* out) {
    // The mean is summed in double: a float sum of 1000 samples with a large
    // DC offset would leave a residual that leaks into the low bins.
    // Four partial sums break the add-latency chain (4x faster, same order
    // on every call, so still deterministic).
    double s4[4] = {0.0, 0.0, 0.0, 0.0};
    int i = 0;
    for (; i + 4 <= nperseg_; i += 4) {
      for (int j = 0; j < 4; ++j) s4[j] += static_cast<double>(seg[i + j]);
    }
    for (; i < nperseg_; ++i) s4[0] += static_cast<double>(seg[i]);
    const T mean = static_cast<T>(((s4[0] + s4[1]) + (s4[2] + s4[3])) / nperseg_);
    for (int i = 0; i < nperseg_; ++i) seg_[i] = (seg[i] - mean) * window_[i];
    fft_.forward(seg_, spec_);
    const int nb = n_bins();
    const T two_scale = T(2) * scale_;
    out[0] = norm(spec_[0]) * scale_;
    for (int k = 1; k < nb - 1; ++k) out[k] = norm(spec_[k]) * two_scale;
    // nfft is even (a power of two), so the last bin is Nyquist: not doubled.
    out[nb - 1] = norm(spec_[nb - 1]) * scale_;
  }

  // Welch PSD of x[0..n) into psd[n_bins()]; returns the number of segments
  // averaged (status not_ready when n < nperseg: psd is then left untouched).
  // Periodograms are summed oldest first and divided once, like
  // SpectralTracker, so both give the same rounding for the same segments.
  Result<int> compute(const T* x, std::size_t n, T* psd) {
    Result<int> r;
    const std::size_t nseg = n_segments(n);
    if (nseg == 0) {
      r.status = Status{StatusCode::not_ready, "welch: not initialised or fewer samples than nperseg"};
      return r;
    }
    const int nb = n_bins();
    for (int k = 0; k < nb; ++k) psd[k] = T(0);
    for (std::size_t j = 0; j < nseg; ++j) {
      periodogram(x + j * static_cast<std::size_t>(step_), tmp_);
      for (int k = 0; k < nb; ++k) psd[k] += tmp_[k];
    }
    const T inv = T(1) / static_cast<T>(nseg);
    for (int k = 0; k < nb; ++k) psd[k] *= inv;
    r.value = static_cast<int>(nseg);
    return r;
  }

 private:
  static SOLEUS_ALWAYS_INLINE T norm(const std::complex<T>& c) {
    return c.real() * c.real() + c.imag() * c.imag();
  }

  Fft fft_;
  double fs_hz_ = 0.0;
  int nperseg_ = 0, step_ = 0, nfft_ = 0;
  T scale_ = T(0);
  T window_[MaxNfft] = {};
  T seg_[MaxNfft] = {};
  T tmp_[max_bins] = {};
  std::complex<T> spec_[max_bins] = {};
};

// ================================================================ band statistics

// Default EMG band for fatigue statistics (SENIAM high-pass / ISEK low-pass).
inline constexpr double kDefaultBandLoHz = 20.0;
inline constexpr double kDefaultBandHiHz = 450.0;

struct BandStats {
  double median_hz = 0.0;   // splits the band power in two equal halves
  double mean_hz = 0.0;     // power-weighted mean frequency (centroid)
  double power = 0.0;       // PSD integrated over the band (x^2)
};

namespace detail {
// The PSD is read as piecewise constant: bin k holds density P[k] over
// [(k - 1/2) df, (k + 1/2) df]. That interval is clipped to the band, and every
// statistic is the exact integral of this step function, so band edges that
// fall inside a bin are honoured to the Hz, and the result does not jump when
// the band edge crosses a bin centre. Calls f(P, a, b) for each clipped piece.
// With a noise PSD, P = max(psd - noise, 0): the power left after removing a
// noise floor measured at rest (spectral subtraction).
inline void band_bin_range(int n_bins, double bin_hz, double lo_hz, double hi_hz, int& k0, int& k1) {
  k0 = static_cast<int>(std::floor(lo_hz / bin_hz + 0.5));
  k1 = static_cast<int>(std::floor(hi_hz / bin_hz + 0.5));
  if (k0 < 0) k0 = 0;
  if (k1 > n_bins - 1) k1 = n_bins - 1;
}

// FInsm5 weights of one piece: integrals of f^-1 and f^5 over [a, b].
inline double finsm5_weight_m1(double a, double b) { return std::log(b / a); }
inline double finsm5_weight_m5(double a, double b) {
  const double a3 = a * a * a, b3 = b * b * b;
  return (b3 * b3 - a3 * a3) / 6.0;
}

template <typename T, typename F>
void for_each_band_piece(const T* psd, const T* noise, int n_bins, double bin_hz, double lo_hz, double hi_hz,
                         F&& f) {
  int k0, k1;
  band_bin_range(n_bins, bin_hz, lo_hz, hi_hz, k0, k1);
  for (int k = k0; k <= k1; ++k) {
    double a = (k - 0.5) * bin_hz, b = (k + 0.5) * bin_hz;
    if (a < lo_hz) a = lo_hz;
    if (b > hi_hz) b = hi_hz;
    double p = static_cast<double>(psd[k]);
    if (noise) p = std::fmax(p - static_cast<double>(noise[k]), 0.0);
    if (b > a) f(p, a, b);
  }
}

inline Status check_band(int n_bins, double bin_hz, double lo_hz, double hi_hz) {
  if (n_bins < 2 || !(bin_hz > 0.0)) return Status::invalid("psd: need at least 2 bins and bin_hz > 0");
  if (!(lo_hz >= 0.0) || !(hi_hz > lo_hz)) return Status::invalid("band: need 0 <= lo_hz < hi_hz");
  return Status::success();
}
}  // namespace detail

// Median and mean frequency of a one-sided PSD within [lo_hz, hi_hz].
// Status not_ready when the band holds no power (silence): the values would
// be meaningless, and a fatigue tracker must skip them rather than read 0 Hz.
// noise_psd (optional, n_bins values, e.g. Welch of a rest recording) is
// subtracted first: a white noise floor 10 dB below the EMG otherwise pulls
// the median up by ~2 Hz and the mean by ~5 Hz (flat noise has its median and
// mean at the band centre, 235 Hz).
template <typename T>
Result<BandStats> band_stats(const T* psd, int n_bins, double bin_hz, double lo_hz = kDefaultBandLoHz,
                             double hi_hz = kDefaultBandHiHz, const T* noise_psd = nullptr) {
  Result<BandStats> r;
  r.status = detail::check_band(n_bins, bin_hz, lo_hz, hi_hz);
  if (!r.ok()) return r;
  double m0 = 0.0, m1 = 0.0;
  detail::for_each_band_piece(psd, noise_psd, n_bins, bin_hz, lo_hz, hi_hz, [&](double p, double a, double b) {
    m0 += p * (b - a);
    m1 += p * 0.5 * (b * b - a * a);
  });
  if (!(m0 > 0.0) || !std::isfinite(m0)) {
    r.status = Status{StatusCode::not_ready, "band_stats: no power in the band"};
    return r;
  }
  // Second pass: find the piece where the cumulative power reaches m0 / 2 and
  // interpolate inside it (exact for the step-function PSD).
  const double half = 0.5 * m0;
  double cum = 0.0, median = hi_hz;
  bool found = false;
  detail::for_each_band_piece(psd, noise_psd, n_bins, bin_hz, lo_hz, hi_hz, [&](double p, double a, double b) {
    if (found) return;
    const double piece = p * (b - a);
    if (cum + piece >= half && p > 0.0) {
      median = a + (half - cum) / p;
      if (median > b) median = b;
      found = true;
    }
    cum += piece;
  });
  r.value.median_hz = median;
  r.value.mean_hz = m1 / m0;
  r.value.power = m0;
  return r;
}

// FInsm5 = M(-1) / M(5) with M(k) = integral of f^k P(f) over the band
// (Dimitrov et al. 2006, Med Sci Sports Exerc 38:1971). Units Hz^-6; it rises
// with fatigue (the spectrum compresses to low frequencies), far more steeply
// than the median frequency falls. Needs lo_hz > 0 (f^-1). noise_psd as in
// band_stats (M(5) weighs the high-frequency noise floor heavily).
template <typename T>
Result<double> finsm5(const T* psd, int n_bins, double bin_hz, double lo_hz = kDefaultBandLoHz,
                      double hi_hz = kDefaultBandHiHz, const T* noise_psd = nullptr) {
  Result<double> r;
  r.status = detail::check_band(n_bins, bin_hz, lo_hz, hi_hz);
  if (!r.ok()) return r;
  if (!(lo_hz > 0.0)) {
    r.status = Status::invalid("lo_hz: FInsm5 needs a band starting above 0 Hz");
    return r;
  }
  double m_1 = 0.0, m5 = 0.0;
  detail::for_each_band_piece(psd, noise_psd, n_bins, bin_hz, lo_hz, hi_hz, [&](double p, double a, double b) {
    m_1 += p * detail::finsm5_weight_m1(a, b);
    m5 += p * detail::finsm5_weight_m5(a, b);
  });
  if (!(m5 > 0.0) || !std::isfinite(m5)) {
    r.status = Status{StatusCode::not_ready, "finsm5: no power in the band"};
    return r;
  }
  r.value = m_1 / m5;
  return r;
}


// ================================================================ streaming tracker

// Defaults, and why: fatigue work uses Welch windows of 250 ms to 1 s with 50%
// overlap (De la Fuente). A 0.25 s segment at 2 kHz (500 samples, FFT 512,
// 3.9 Hz bins) keeps the Hann main lobe narrow against the ~100 Hz-wide EMG
// spectrum; averaging the 3 half-overlapping segments inside a 0.5 s window
// cuts the estimator variance by ~2.5x, and a new frame every segment step
// (0.125 s) follows a contraction closely. The frame is exactly
// scipy.signal.welch of the window's samples (nperseg, noverlap = nperseg/2,
// nfft = next power of two), and its statistics are band_stats() of that PSD.
struct SpectralTrackerConfig {
  double fs_hz = 2000.0;
  double segment_s = 0.25;  // Welch segment; nperseg = round(segment_s * fs_hz)
  double overlap = 0.5;     // fraction of a segment shared with the next one
  double window_s = 0.5;    // sliding window = K consecutive segments
  double hop_s = 0.125;     // frame period, rounded to a multiple of the segment step
  double band_lo_hz = kDefaultBandLoHz;
  double band_hi_hz = kDefaultBandHiHz;
  double t0_s = 0.0;        // time of the first pushed sample
};

struct SpectralFrame {
  double t_s = 0.0;          // centre of the analysis window (first sample at t0_s)
  double median_hz = 0.0;    // NaN when the window holds no band power
  double mean_hz = 0.0;      // NaN when the window holds no band power
  double band_power = 0.0;   // x^2, the PSD integrated over the band
  double finsm5 = 0.0;       // M(-1)/M(5), Hz^-6 (see finsm5()); NaN without power
  long long end_sample = 0;  // index of the sample just after the window
};

// MaxNfft bounds the FFT (a power of two >= nperseg), MaxSegments bounds K.
// All storage is inside the object (sizeof, built-in FFT): 27 KiB for
// <float, 512, 3>, enough for the defaults up to 2 kHz; 65 KiB for
// <float, 1024, 8>, which covers 4 kHz and windows up to 1.125 s.
// With the FFTW backend the object is not copyable (it owns a plan).
template <typename T, int MaxNfft, int MaxSegments, typename Fft = Rfft<T, MaxNfft>>
class SpectralTracker {
  static_assert(MaxSegments >= 1, "MaxSegments must be at least 1");

 public:
  static constexpr int max_bins = MaxNfft / 2 + 1;

  // Configures the tracker; on failure it stays unusable (push() ignores
  // samples) until a successful init().
  Status init(const SpectralTrackerConfig& c) {
    ready_ = false;
    if (!(c.fs_hz > 0.0) || !std::isfinite(c.fs_hz)) return Status::invalid("fs_hz: must be positive");
    if (!(c.overlap >= 0.0 && c.overlap < 1.0)) return Status::invalid("overlap: must be in [0, 1)");
    const int nperseg = static_cast<int>(std::lround(c.segment_s * c.fs_hz));
    if (!(c.segment_s > 0.0) || nperseg < 4) return Status::invalid("segment_s: shorter than 4 samples");
    int noverlap = static_cast<int>(std::lround(c.overlap * nperseg));
    if (noverlap >= nperseg) noverlap = nperseg - 1;
    const int step = nperseg - noverlap;
    if (!(c.window_s >= c.segment_s)) return Status::invalid("window_s: must be >= segment_s");
    const long k = std::lround((c.window_s * c.fs_hz - nperseg) / step) + 1;
    if (k > MaxSegments) return Status::capacity("window_s: needs more segments than MaxSegments");
    if (!(c.hop_s > 0.0)) return Status::invalid("hop_s: must be positive");
    long hop = std::lround(c.hop_s * c.fs_hz / step);
    if (hop < 1) hop = 1;
    WelchConfig w;
    w.fs_hz = c.fs_hz;
    w.nperseg = nperseg;
    w.noverlap = noverlap;
    const Status s = welch_.init(w);
    if (!s.ok()) return s;
    const Status b = detail::check_band(welch_.n_bins(), welch_.bin_hz(), c.band_lo_hz, c.band_hi_hz);
    if (!b.ok()) return b;
    cfg_ = c;
    k_ = static_cast<int>(k);
    hop_segments_ = static_cast<int>(hop);
    has_noise_ = false;  // a noise PSD measured for other bins no longer applies
    init_finsm5_weights();
    ready_ = true;
    reset();
    return Status::success();
  }

  // Forgets all samples; the next pushed sample is again at t0_s.
  void reset() {
    const int n = welch_.nperseg();
    for (int i = 0; i < 2 * n; ++i) ring_[i] = T(0);
    write_ = 0;
    since_segment_ = 0;
    filled_ = 0;
    n_samples_ = 0;
    n_segments_ = 0;
    slot_ = 0;
    frame_ = SpectralFrame{};
  }

  int nperseg() const { return welch_.nperseg(); }
  int step_samples() const { return welch_.step(); }
  int segments_per_window() const { return k_; }
  int hop_samples() const { return hop_segments_ * welch_.step(); }
  int window_samples() const { return welch_.nperseg() + (k_ - 1) * welch_.step(); }
  int n_bins() const { return welch_.n_bins(); }
  double bin_hz() const { return welch_.bin_hz(); }
  const SpectralTrackerConfig& config() const { return cfg_; }

  // Pushes one sample. Returns true when it completed a frame (read it with
  // frame() and the window's PSD with psd()). Cost: two stores per sample,
  // plus one FFT every step_samples() and band statistics every frame.
  bool push(T x) {
    if (SOLEUS_UNLIKELY(!ready_)) return false;
    const int n = welch_.nperseg();
    // Mirrored ring: each sample is stored twice, n apart, so the newest n
    // samples are always contiguous at ring_[write_] (no copy per segment).
    ring_[write_] = x;
    ring_[write_ + n] = x;
    if (++write_ == n) write_ = 0;
    ++n_samples_;
    if (filled_ < n) ++filled_;
    if (filled_ < n) return false;
    if (since_segment_ > 0) {
      --since_segment_;
      return false;
    }
    since_segment_ = welch_.step() - 1;
    welch_.periodogram(ring_ + write_, seg_psd_[slot_]);
    if (++slot_ == k_) slot_ = 0;
    ++n_segments_;
    if (n_segments_ < k_ || (n_segments_ - k_) % hop_segments_ != 0) return false;
    emit();
    return true;
  }

  // Pushes n samples; writes the frames they complete to out (up to max_out).
  // Frames beyond max_out are dropped and reported with capacity_exceeded;
  // every sample is consumed either way.
  Result<std::size_t> push(const T* x, std::size_t n, SpectralFrame* out, std::size_t max_out) {
    Result<std::size_t> r;
    for (std::size_t i = 0; i < n; ++i) {
      if (push(x[i])) {
        if (r.value < max_out) {
          out[r.value++] = frame_;
        } else {
          r.status = Status::capacity("out: more frames than max_out; the rest were dropped");
        }
      }
    }
    return r;
  }

  // Noise floor to subtract before the band statistics (n_bins() values of a
  // Welch PSD with this tracker's segment, e.g. WelchPsd over a rest period);
  // nullptr clears it. Copied: no pointer is kept. Frames (t_s, median, mean)
  // then describe the EMG above the noise; psd() stays unsubtracted.
  void set_noise_psd(const T* noise) {
    has_noise_ = noise != nullptr;
    for (int k = 0; k < welch_.n_bins(); ++k) noise_[k] = noise ? noise[k] : T(0);
  }
  // Parameters of the tracker's segment, for measuring a matching noise PSD.
  WelchConfig welch_config() const {
    WelchConfig w;
    w.fs_hz = cfg_.fs_hz;
    w.nperseg = welch_.nperseg();
    w.noverlap = welch_.nperseg() - welch_.step();
    w.nfft = welch_.nfft();
    return w;
  }

  const SpectralFrame& frame() const { return frame_; }
  // Window-averaged PSD of the last frame, n_bins() values, x^2/Hz.
  const T* psd() const { return psd_; }
  long long samples_pushed() const { return n_samples_; }

 private:
  void emit() {
    const int nb = welch_.n_bins();
    // Sum the K stored periodograms afresh, oldest first (the same order as
    // WelchPsd::compute): no running sum, so no drift over long sessions.
    for (int k = 0; k < nb; ++k) psd_[k] = T(0);
    for (int j = 0; j < k_; ++j) {
      const T* p = seg_psd_[(slot_ + j) % k_];
      for (int k = 0; k < nb; ++k) psd_[k] += p[k];
    }
    const T inv = T(1) / static_cast<T>(k_);
    for (int k = 0; k < nb; ++k) psd_[k] *= inv;
    const auto st = band_stats(psd_, nb, welch_.bin_hz(), cfg_.band_lo_hz, cfg_.band_hi_hz,
                               has_noise_ ? noise_ : static_cast<const T*>(nullptr));
    frame_.end_sample = n_samples_;
    const double centre = static_cast<double>(n_samples_ - 1) - 0.5 * (window_samples() - 1);
    frame_.t_s = cfg_.t0_s + centre / cfg_.fs_hz;
    if (st.ok()) {
      frame_.median_hz = st.value.median_hz;
      frame_.mean_hz = st.value.mean_hz;
      frame_.band_power = st.value.power;
    } else {
      frame_.median_hz = frame_.mean_hz = std::nan("");
      frame_.band_power = 0.0;
    }
    // FInsm5 from weights precomputed in init(): the same sums, in the same
    // order, as finsm5(), without 2 logs per bin per frame. Equal to finsm5()
    // to rounding only: the compiler may contract a*b+c into fma differently
    // in the two places.
    double m_1 = 0.0, m5 = 0.0;
    for (int k = w_k0_; k <= w_k1_; ++k) {
      double p = static_cast<double>(psd_[k]);
      if (has_noise_) p = std::fmax(p - static_cast<double>(noise_[k]), 0.0);
      m_1 += p * w_m1_[k];
      m5 += p * w_m5_[k];
    }
    frame_.finsm5 = (cfg_.band_lo_hz > 0.0 && m5 > 0.0 && std::isfinite(m5)) ? m_1 / m5 : std::nan("");
  }

  void init_finsm5_weights() {
    detail::band_bin_range(welch_.n_bins(), welch_.bin_hz(), cfg_.band_lo_hz, cfg_.band_hi_hz, w_k0_, w_k1_);
    const double df = welch_.bin_hz();
    for (int k = 0; k < max_bins; ++k) w_m1_[k] = w_m5_[k] = 0.0;
    if (!(cfg_.band_lo_hz > 0.0)) return;
    for (int k = w_k0_; k <= w_k1_; ++k) {
      double a = (k - 0.5) * df, b = (k + 0.5) * df;
      if (a < cfg_.band_lo_hz) a = cfg_.band_lo_hz;
      if (b > cfg_.band_hi_hz) b = cfg_.band_hi_hz;
      // Empty pieces keep weight 0: p * 0 adds exactly 0, as finsm5() skips them.
      if (b > a) {
        w_m1_[k] = detail::finsm5_weight_m1(a, b);
        w_m5_[k] = detail::finsm5_weight_m5(a, b);
      }
    }
  }

  WelchPsd<T, MaxNfft, Fft> welch_;
  SpectralTrackerConfig cfg_{};
  int k_ = 1, hop_segments_ = 1;
  int write_ = 0, since_segment_ = 0, filled_ = 0, slot_ = 0;
  long long n_samples_ = 0, n_segments_ = 0;
  SpectralFrame frame_{};
  T ring_[2 * MaxNfft] = {};
  T seg_psd_[MaxSegments][max_bins] = {};
  T psd_[max_bins] = {};
  T noise_[max_bins] = {};
  bool has_noise_ = false;
  bool ready_ = false;
  int w_k0_ = 0, w_k1_ = -1;
  double w_m1_[max_bins] = {};
  double w_m5_[max_bins] = {};
};

// Least-squares slope of the median frequency over the frames' times (Hz/s),
// skipping frames without band power (NaN). Two passes, no allocation.
inline Result<double> median_frequency_slope(const SpectralFrame* frames, std::size_t n) {
  Result<double> r = lsq_slope_of(
      n, [frames](std::size_t i) { return frames[i].t_s; },
      [frames](std::size_t i) { return frames[i].median_hz; });
  if (!r.ok()) {
    r.status = Status::invalid(
        "median_frequency_slope: need at least 2 frames with power at different times");
  }
  return r;
}

// Offline convenience: the same engine run over a whole recording. Returns the
// number of frames written to out (see SpectralTracker::push for overflow).
template <typename Tracker, typename T>
Result<std::size_t> track_spectrum(Tracker& tracker, const T* x, std::size_t n, SpectralFrame* out,
                                   std::size_t max_out) {
  tracker.reset();
  return tracker.push(x, n, out, max_out);
}

}  // namespace soleus::dsp
