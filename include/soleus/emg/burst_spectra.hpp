// BurstSpectra: median and mean frequency of each EMG burst, and the trend of
// the median frequency inside it (fatigue during a long contraction, e.g. an
// isometric heel-raise hold), computed while the stream runs.
//
// Every `step` samples (hop_s) the last `nperseg` conditioned samples of each
// channel form one Hann-windowed periodogram (WelchPsd's segment, scipy's
// definition), but only for channels inside a burst at that moment: the FFTs
// cost nothing at rest. A burst's periodograms are averaged (Welch over the
// burst) for its median / mean frequency; the median of each single
// periodogram against its time gives the least-squares slope (Hz/s).
//
// Which segments belong to a burst: those ending while the detector holds the
// channel active (from the onset's confirmation, min_on_s after the threshold
// crossing, to the offset's confirmation). The first ~0.1-0.2 s of a burst
// are therefore not in its spectrum, and bursts shorter than one segment plus
// min_on_s get none (NaN). Segment boundaries sit at fixed sample indices, so
// the result does not depend on how the stream is chunked.
//
// Memory: MaxNfft floats of history and MaxNfft/2+1 doubles of PSD sum per
// channel; no heap, in init() either (the built-in FFT).
#pragma once

#include <cmath>
#include <cstdint>

#include "soleus/core/status.hpp"
#include "soleus/dsp/spectral.hpp"

namespace soleus::emg {

struct BurstSpectraSettings {
  // Off by default in the C++ chain: a 512-point FFT per channel every hop
  // while a burst is on costs ~10 ns per channel-sample of burst at 2 kHz
  // (benchmarks/bench_emg.cpp). Python's detect_bursts and analyze turn it on.
  bool enabled = false;
  double segment_s = 0.25;  // nperseg = round(segment_s * fs); nfft = next power of two
  double hop_s = 0.125;     // one segment per hop while a burst is on (50 % overlap)
  double band_lo_hz = dsp::kDefaultBandLoHz;
  double band_hi_hz = dsp::kDefaultBandHiHz;
};

// What a burst's offset event carries (NaN when the burst had no segment).
struct BurstSpectrum {
  float median_hz = NAN;
  float mean_hz = NAN;
  float median_slope_hz_per_s = NAN;  // needs >= 3 segments
  int segments = 0;
};

template <int MaxChannels, int MaxNfft = 512>
class BurstSpectra {
  static_assert(MaxNfft >= 16 && (MaxNfft & (MaxNfft - 1)) == 0, "MaxNfft: a power of two >= 16");

 public:
  static constexpr int kBins = MaxNfft / 2 + 1;

  Status init(const BurstSpectraSettings& s, double fs_hz, int channels) {
    if (channels < 1 || channels > MaxChannels) return Status::invalid("channels: must be within 1..MaxChannels");
    s_ = s;
    channels_ = channels;
    fs_ = fs_hz;
    if (!s.enabled) return Status::success();
    const long nperseg = std::lround(s.segment_s * fs_hz);
    const long step = std::lround(s.hop_s * fs_hz);
    if (!(s.segment_s > 0.0) || nperseg < 16) return Status::invalid("spectra.segment_s: at least 16 samples");
    if (nperseg > MaxNfft) {
      return Status::capacity("spectra.segment_s: segment_s x fs exceeds the MaxNfft capacity (EmgProcessor's MaxSpectrumNfft)");
    }
    if (!(s.hop_s > 0.0) || step < 1 || step > nperseg) return Status::invalid("spectra.hop_s: must be > 0 and <= segment_s");
    if (!(s.band_lo_hz >= 0.0 && s.band_lo_hz < s.band_hi_hz && s.band_hi_hz <= fs_hz / 2)) {
      return Status::invalid("spectra.band_lo_hz, band_hi_hz: need 0 <= lo < hi <= fs/2");
    }
    dsp::WelchConfig w;
    w.fs_hz = fs_hz;
    w.nperseg = static_cast<int>(nperseg);
    w.noverlap = static_cast<int>(nperseg - step);
    Status st = welch_.init(w);
    if (!st) return st;
    nperseg_ = static_cast<int>(nperseg);
    step_ = static_cast<int>(step);
    reset();
    return Status::success();
  }

  bool enabled() const { return s_.enabled; }
  int step() const { return step_; }

  void reset() {
    pos_ = 0;
    filled_ = 0;
    n_ = 0;
    for (int c = 0; c < MaxChannels; ++c) clear(c);
  }

  // Frames to the next segment boundary (the caller splits its blocks there
  // and calls boundary() after the detector has seen the boundary frame).
  std::int64_t frames_to_boundary() const { return step_ - (n_ % step_); }

  // n interleaved frames of conditioned EMG into the history.
  void push(const float* y, std::size_t n) {
    const std::size_t C = static_cast<std::size_t>(channels_);
    for (std::size_t f = 0; f < n; ++f) {
      for (std::size_t c = 0; c < C; ++c) hist_[c][pos_] = y[f * C + c];
      if (++pos_ == MaxNfft) pos_ = 0;
    }
    filled_ += static_cast<std::int64_t>(n);
    n_ += static_cast<std::int64_t>(n);
  }

  bool at_boundary() const { return n_ > 0 && n_ % step_ == 0; }

  // At a boundary: one periodogram for each channel that active(c) says is in
  // a burst. t_s: stream time of the segment's centre.
  template <class Active>
  void boundary(Active&& active, double t_end_s) {
    if (filled_ < nperseg_) return;
    const double t = t_end_s - 0.5 * (nperseg_ - 1) / fs_;
    for (int c = 0; c < channels_; ++c) {
      if (!active(c)) continue;
      // Unroll the ring into a contiguous segment.
      int p = pos_ - nperseg_;
      if (p < 0) p += MaxNfft;
      for (int i = 0; i < nperseg_; ++i) {
        seg_[i] = hist_[c][p];
        if (++p == MaxNfft) p = 0;
      }
      welch_.periodogram(seg_, pg_);
      const int nb = welch_.n_bins();
      Acc& a = acc_[c];
      for (int k = 0; k < nb; ++k) a.psd[k] += static_cast<double>(pg_[k]);
      if (a.segments == 0) a.t0 = t;
      ++a.segments;
      const auto st = dsp::band_stats(pg_, nb, welch_.bin_hz(), s_.band_lo_hz, s_.band_hi_hz);
      if (st.ok() && std::isfinite(st.value.median_hz)) {
        const double x = t - a.t0, yv = st.value.median_hz;
        a.sn += 1.0;
        a.sx += x;
        a.sy += yv;
        a.sxx += x * x;
        a.sxy += x * yv;
      }
    }
  }

  // The statistics of channel c's burst so far; clears them (offset).
  BurstSpectrum take(int c) {
    BurstSpectrum r;
    Acc& a = acc_[c];
    if (a.segments > 0) {
      const int nb = welch_.n_bins();
      const double inv = 1.0 / a.segments;
      for (int k = 0; k < nb; ++k) avg_[k] = static_cast<float>(a.psd[k] * inv);
      const auto st = dsp::band_stats(avg_, nb, welch_.bin_hz(), s_.band_lo_hz, s_.band_hi_hz);
      if (st.ok()) {
        r.median_hz = static_cast<float>(st.value.median_hz);
        r.mean_hz = static_cast<float>(st.value.mean_hz);
      }
      r.segments = a.segments;
      if (a.sn >= 3.0) {
        const double den = a.sn * a.sxx - a.sx * a.sx;
        if (den > 0.0) r.median_slope_hz_per_s = static_cast<float>((a.sn * a.sxy - a.sx * a.sy) / den);
      }
    }
    clear(c);
    return r;
  }
  void clear(int c) {
    Acc& a = acc_[c];
    for (int k = 0; k < kBins; ++k) a.psd[k] = 0.0;
    a.segments = 0;
    a.t0 = a.sn = a.sx = a.sy = a.sxx = a.sxy = 0.0;
  }

 private:
  struct Acc {
    double psd[kBins] = {};
    int segments = 0;
    double t0 = 0.0, sn = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0;
  };
  BurstSpectraSettings s_{};
  int channels_ = 0, nperseg_ = 0, step_ = 1, pos_ = 0;
  double fs_ = 0.0;
  std::int64_t filled_ = 0, n_ = 0;
  // The built-in FFT, not the build's preferred backend: FFTW would allocate
  // its plan in init(), and Session::init() promises no allocation.
  dsp::WelchPsd<float, MaxNfft, dsp::BuiltinRfft<float, MaxNfft>> welch_;
  float hist_[MaxChannels][MaxNfft] = {};
  Acc acc_[MaxChannels];
  float seg_[MaxNfft] = {};
  float pg_[kBins] = {};
  float avg_[kBins] = {};
};

}  // namespace soleus::emg
