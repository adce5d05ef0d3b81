// Seeded synthetic surface EMG with exact ground truth (host-only, std::vector):
// Shwedyk-shaped Gaussian noise in bursts, background noise at a defined SNR,
// mains with harmonics, motion artefacts and fatigue. Same seed, same signal.
#pragma once

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "soleus/core/status.hpp"
#include "soleus/sim/random.hpp"

namespace soleus::sim {


// ================================================================ spectrum model

// Shwedyk et al. (1977) surface-EMG spectrum, normalised to f_h^4 so that
// P ~ f^2 / f_l^2 near 0 Hz and falls as f^-4 above f_h. Scaling f_l and f_h
// by s gives P(f / s): the whole spectrum compresses, as in fatigue.
inline double shwedyk_psd(double f_hz, double fl_hz = 60.0, double fh_hz = 120.0) {
  const double f2 = f_hz * f_hz, l2 = fl_hz * fl_hz, h2 = fh_hz * fh_hz;
  const double d = f2 + h2;
  return h2 * h2 * f2 / ((f2 + l2) * d * d);
}

struct ModelBandStats {
  double median_hz = 0.0;
  double mean_hz = 0.0;
};

// Median and mean frequency of the Shwedyk model within [lo_hz, hi_hz], by
// composite Simpson integration on a 0.01 Hz grid and linear interpolation of
// the cumulative power (error well below 0.01 Hz). The tests check these
// against the closed-form integral; the generator reports them as truth.
inline ModelBandStats shwedyk_band_stats(double fl_hz, double fh_hz, double lo_hz = 20.0, double hi_hz = 450.0) {
  const int n = 2 * static_cast<int>(std::ceil((hi_hz - lo_hz) / 0.02));  // even number of intervals
  const double h = (hi_hz - lo_hz) / n;
  // Cumulative power at every even grid point (Simpson over each pair).
  std::vector<double> cum(n / 2 + 1, 0.0);
  double m1 = 0.0;
  for (int i = 0; i < n; i += 2) {
    const double f0 = lo_hz + i * h, f1 = f0 + h, f2 = f0 + 2 * h;
    const double p0 = shwedyk_psd(f0, fl_hz, fh_hz), p1 = shwedyk_psd(f1, fl_hz, fh_hz),
                 p2 = shwedyk_psd(f2, fl_hz, fh_hz);
    cum[i / 2 + 1] = cum[i / 2] + h / 3.0 * (p0 + 4 * p1 + p2);
    m1 += h / 3.0 * (f0 * p0 + 4 * f1 * p1 + f2 * p2);
  }
  ModelBandStats r;
  const double total = cum.back();
  r.mean_hz = m1 / total;
  const double half = 0.5 * total;
  const auto it = std::lower_bound(cum.begin(), cum.end(), half);
  const std::size_t j = static_cast<std::size_t>(it - cum.begin());
  if (j == 0) {
    r.median_hz = lo_hz;
  } else {
    const double c0 = cum[j - 1], c1 = cum[j];
    r.median_hz = lo_hz + 2 * h * (static_cast<double>(j - 1) + (half - c0) / (c1 - c0));
  }
  return r;
}

// ================================================================ configuration

// One contraction. Activation rises from 0 at onset_s to `amplitude` over
// ramp_s (raised cosine), holds, and falls back to 0 at offset_s. Ground-truth
// onset / offset are these times exactly (where activation leaves / reaches 0).
struct Burst {
  double onset_s = 0.0;
  double offset_s = 0.0;
  double amplitude = 1.0;  // activation, multiplies EmgSimConfig::amplitude_mv
  double ramp_s = 0.0;     // 0 = rectangular burst
};

struct EmgSimConfig {
  std::uint64_t seed = 1;
  double fs_hz = 2000.0;
  double duration_s = 10.0;

  // EMG: Shwedyk-shaped Gaussian noise with RMS amplitude_mv at activation 1.
  double fl_hz = 60.0;
  double fh_hz = 120.0;
  double amplitude_mv = 1.0;
  // Empty = one sustained contraction at activation 1 over the whole record.
  std::vector<Burst> bursts;
  double rest_activation = 0.0;  // tonic activation outside bursts
  // Explicit activation a(t), one value per output sample (round(duration_s *
  // fs_hz) of them): used instead of bursts / rest_activation when non-empty
  // (e.g. the phase-coupled heel-raise EMG of heel_raise_emg.hpp).
  std::vector<double> activation_profile;
  // > 0: P_burst of the SNR definition below is (amplitude_mv *
  // snr_reference_activation)^2 instead of the mean over the burst samples
  // (SNR stated at a reference activation level, e.g. the concentric one).
  double snr_reference_activation = 0.0;

  // Background noise: white Gaussian (electrode / amplifier noise), power set by
  //   SNR_dB = 10 log10(P_burst / sigma^2),
  //   P_burst = amplitude_mv^2 * mean of activation(t)^2 over the samples
  //             inside bursts (onset_s <= t < offset_s; with an explicit
  //             activation_profile: the samples where it is > 0),
  // i.e. the expected power of the clean EMG while a burst is on (ramps
  // included) against the noise variance over the full band 0..fs/2. Mains and
  // motion artefacts are not part of this noise and are set separately.
  // +infinity = no background noise.
  double snr_db = 20.0;

  // Mains interference: sum over h = 1..mains_harmonics of
  //   mains_amplitude_mv * mains_harmonic_ratio^(h-1) * sin(2 pi h mains_hz t + phi_h),
  // random (seeded) phases; harmonics at or above Nyquist are skipped.
  double mains_hz = 50.0;
  double mains_amplitude_mv = 0.0;  // 0 = off
  int mains_harmonics = 1;
  double mains_harmonic_ratio = 0.3;

  // Motion artefacts: Gaussian bumps exp(-(t - t_i)^2 / (2 sigma^2)),
  // sigma = motion_duration_s / 4 (so nearly all energy is below ~5 Hz for the
  // default), Poisson times at motion_rate_hz, amplitude uniform in
  // [0.5, 1] * motion_amplitude_mv with random sign.
  double motion_rate_hz = 0.0;  // 0 = off
  double motion_amplitude_mv = 2.0;
  double motion_duration_s = 0.2;

  // Fatigue: f_l and f_h are multiplied by
  //   s(t) = 1 + (fatigue_scale_end - 1) * t / duration_s,
  // so the median frequency falls roughly in proportion to s. 1 = no fatigue.
  double fatigue_scale_end = 1.0;

  // The noise is synthesised in blocks of next_pow2(block_s * fs) samples,
  // half-overlapping with sqrt-Hann cross-fades (constant expected power). The
  // spectrum changes stepwise from block to block, so block_s is the time
  // resolution of fatigue; it also sets the frequency resolution (1/block_s).
  double block_s = 1.0;

  // Band for the ground-truth median / mean frequency.
  double band_lo_hz = 20.0;
  double band_hi_hz = 450.0;
};

// Generated record and its ground truth. All vectors have n = round(duration * fs)
// samples; sample i is at t = i / fs; emg_mv = clean + background + mains + motion.
struct EmgSim {
  EmgSimConfig config;
  Status status;                      // invalid_argument (and empty vectors) for a bad config
  std::vector<double> emg_mv;
  std::vector<double> clean_mv;       // activation-modulated EMG alone
  std::vector<double> activation;     // a(t), 0..max amplitude
  std::vector<double> background_mv;
  std::vector<double> mains_mv;
  std::vector<double> motion_mv;
  std::vector<Burst> bursts;          // as used (the implicit burst when config had none)
  std::vector<double> motion_times_s; // centres of the motion artefacts
  double burst_power_mv2 = 0.0;       // P_burst of the SNR definition
  double background_sd_mv = 0.0;      // sigma of the SNR definition

  double fs_hz() const { return config.fs_hz; }
  std::size_t size() const { return emg_mv.size(); }
  // Fatigue scale s(t) of f_l and f_h.
  double spectral_scale(double t_s) const {
    return 1.0 + (config.fatigue_scale_end - 1.0) * t_s / config.duration_s;
  }
  // Median / mean frequency of the EMG model spectrum at time t, in the band.
  ModelBandStats true_band_stats(double t_s) const {
    const double s = spectral_scale(t_s);
    return shwedyk_band_stats(config.fl_hz * s, config.fh_hz * s, config.band_lo_hz, config.band_hi_hz);
  }
  double true_median_hz(double t_s) const { return true_band_stats(t_s).median_hz; }
  double true_mean_hz(double t_s) const { return true_band_stats(t_s).mean_hz; }
};

namespace detail {

inline void fft_inplace(std::vector<std::complex<double>>& a, bool inverse) {
  const std::size_t n = a.size();
  for (std::size_t i = 1, j = 0; i < n; ++i) {
    std::size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  const double sign = inverse ? 1.0 : -1.0;
  for (std::size_t len = 2; len <= n; len <<= 1) {
    for (std::size_t k = 0; k < len / 2; ++k) {
      // Twiddles straight from cos/sin (not by repeated multiplication) so the
      // error does not grow with the block length.
      const double a0 = sign * 6.283185307179586476925286766559 * static_cast<double>(k) / static_cast<double>(len);
      const std::complex<double> w(std::cos(a0), std::sin(a0));
      for (std::size_t s = 0; s < n; s += len) {
        const std::complex<double> u = a[s + k], v = a[s + k + len / 2] * w;
        a[s + k] = u + v;
        a[s + k + len / 2] = u - v;
      }
    }
  }
}

inline double activation_at(const std::vector<Burst>& bursts, double rest, double t) {
  double a = rest;
  for (const Burst& b : bursts) {
    if (t < b.onset_s || t >= b.offset_s) continue;
    double env = b.amplitude;
    if (b.ramp_s > 0.0) {
      const double ramp = std::min(b.ramp_s, 0.5 * (b.offset_s - b.onset_s));
      const double u = std::min({1.0, (t - b.onset_s) / ramp, (b.offset_s - t) / ramp});
      env *= 0.5 - 0.5 * std::cos(3.14159265358979323846 * u);
    }
    a = std::max(a, env);
  }
  return a;
}

enum Stream : std::uint64_t { kEmg = 1, kBackground = 2, kMains = 3, kMotion = 4, kBursts = 5 };

}  // namespace detail

// Checks every documented range of the config.
inline Status check_config(const EmgSimConfig& c) {
  if (!(c.fs_hz > 0.0) || !std::isfinite(c.fs_hz)) return Status::invalid("fs_hz: must be positive");
  if (!(c.duration_s >= 0.0) || !std::isfinite(c.duration_s)) return Status::invalid("duration_s: must be >= 0");
  if (!(c.fl_hz > 0.0) || !(c.fh_hz > 0.0) || c.fl_hz == c.fh_hz) {
    return Status::invalid("fl_hz, fh_hz: must be positive and different");
  }
  if (!(c.fatigue_scale_end > 0.0)) return Status::invalid("fatigue_scale_end: must be positive");
  if (!(c.block_s > 0.0)) return Status::invalid("block_s: must be positive");
  if (std::isnan(c.snr_db)) return Status::invalid("snr_db: NaN");
  if (c.mains_amplitude_mv != 0.0 && (!(c.mains_hz > 0.0) || c.mains_harmonics < 0)) {
    return Status::invalid("mains_hz / mains_harmonics: need mains_hz > 0 and harmonics >= 0");
  }
  if (c.motion_rate_hz > 0.0 && !(c.motion_duration_s > 0.0)) {
    return Status::invalid("motion_duration_s: must be positive when motion_rate_hz > 0");
  }
  for (const Burst& b : c.bursts) {
    if (!(b.offset_s > b.onset_s) || !(b.ramp_s >= 0.0)) return Status::invalid("bursts: need onset_s < offset_s, ramp_s >= 0");
  }
  if (!(c.band_lo_hz >= 0.0) || !(c.band_hi_hz > c.band_lo_hz)) return Status::invalid("band: need 0 <= lo < hi");
  if (!(c.snr_reference_activation >= 0.0)) return Status::invalid("snr_reference_activation: must be >= 0");
  if (!c.activation_profile.empty()) {
    if (static_cast<double>(c.activation_profile.size()) != std::round(c.duration_s * c.fs_hz))
      return Status::invalid("activation_profile: needs round(duration_s * fs_hz) values");
    for (double a : c.activation_profile)
      if (!(a >= 0.0) || !std::isfinite(a)) return Status::invalid("activation_profile: values must be finite and >= 0");
  }
  return Status::success();
}

// Generates one record. Deterministic: a function of the config only. With a
// bad config, status says why and every vector is empty.
inline EmgSim generate_emg(const EmgSimConfig& cfg) {
  EmgSim out;
  out.config = cfg;
  out.status = check_config(cfg);
  if (!out.status.ok()) return out;
  const double fs = cfg.fs_hz;
  const std::size_t n = static_cast<std::size_t>(std::llround(cfg.duration_s * fs));
  out.emg_mv.assign(n, 0.0);
  out.clean_mv.assign(n, 0.0);
  out.activation.assign(n, 0.0);
  out.background_mv.assign(n, 0.0);
  out.mains_mv.assign(n, 0.0);
  out.motion_mv.assign(n, 0.0);
  out.bursts = cfg.bursts;
  const bool explicit_profile = !cfg.activation_profile.empty();
  if (out.bursts.empty() && !explicit_profile) out.bursts.push_back(Burst{0.0, cfg.duration_s + 1.0 / fs, 1.0, 0.0});
  if (n == 0) return out;

  // --- activation and the signal power of the SNR definition
  double sum_a2 = 0.0;
  std::size_t n_in = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / fs;
    const double a = explicit_profile ? cfg.activation_profile[i]
                                      : detail::activation_at(out.bursts, cfg.rest_activation, t);
    out.activation[i] = a;
    if (explicit_profile) {  // "inside a burst" = activation above 0
      if (a > 0.0) {
        sum_a2 += a * a;
        ++n_in;
      }
      continue;
    }
    for (const Burst& b : out.bursts) {
      if (t >= b.onset_s && t < b.offset_s) {
        sum_a2 += a * a;
        ++n_in;
        break;
      }
    }
  }
  out.burst_power_mv2 = n_in ? cfg.amplitude_mv * cfg.amplitude_mv * sum_a2 / static_cast<double>(n_in) : 0.0;
  if (cfg.snr_reference_activation > 0.0) {
    const double r = cfg.amplitude_mv * cfg.snr_reference_activation;
    out.burst_power_mv2 = r * r;
  }

  // --- Shwedyk-shaped unit-variance Gaussian noise, block synthesis
  {
    Xoshiro256ss rng(cfg.seed, detail::kEmg);
    std::size_t nb = 4;
    while (static_cast<double>(nb) < cfg.block_s * fs) nb <<= 1;
    const std::size_t hop = nb / 2;
    std::vector<std::complex<double>> spec(nb);
    std::vector<double> amp(nb / 2);
    // Block j starts at j*hop - hop, so that every sample from 0 on is covered
    // by two blocks whose squared windows sin^2 + cos^2 sum to 1.
    for (std::size_t j = 0;; ++j) {
      const long long start = static_cast<long long>(j * hop) - static_cast<long long>(hop);
      if (start >= static_cast<long long>(n)) break;
      const double t_centre = (static_cast<double>(start) + 0.5 * static_cast<double>(nb)) / fs;
      const double s = out.spectral_scale(std::max(0.0, std::min(cfg.duration_s, t_centre)));
      double total = 0.0;
      for (std::size_t k = 1; k < nb / 2; ++k) {
        amp[k] = shwedyk_psd(static_cast<double>(k) * fs / static_cast<double>(nb), cfg.fl_hz * s, cfg.fh_hz * s);
        total += amp[k];
      }
      // X_k = (nb/2) sqrt(P_k / sum P) (g1 + i g2) gives unit expected variance
      // after the inverse transform (DC and Nyquist left empty).
      std::fill(spec.begin(), spec.end(), std::complex<double>(0.0, 0.0));
      for (std::size_t k = 1; k < nb / 2; ++k) {
        const double g1 = rng.gaussian(), g2 = rng.gaussian();
        const double a = 0.5 * static_cast<double>(nb) * std::sqrt(amp[k] / total);
        spec[k] = std::complex<double>(a * g1, a * g2);
        spec[nb - k] = std::conj(spec[k]);
      }
      detail::fft_inplace(spec, true);
      for (std::size_t m = 0; m < nb; ++m) {
        const long long i = start + static_cast<long long>(m);
        if (i < 0 || i >= static_cast<long long>(n)) continue;
        const double w = std::sin(3.14159265358979323846 * static_cast<double>(m) / static_cast<double>(nb));
        out.clean_mv[static_cast<std::size_t>(i)] += w * spec[m].real() / static_cast<double>(nb);
      }
    }
    for (std::size_t i = 0; i < n; ++i) out.clean_mv[i] *= cfg.amplitude_mv * out.activation[i];
  }

  // --- background noise
  if (std::isfinite(cfg.snr_db) && out.burst_power_mv2 > 0.0) {
    out.background_sd_mv = std::sqrt(out.burst_power_mv2 / std::pow(10.0, cfg.snr_db / 10.0));
    Xoshiro256ss rng(cfg.seed, detail::kBackground);
    for (std::size_t i = 0; i < n; ++i) out.background_mv[i] = out.background_sd_mv * rng.gaussian();
  }

  // --- mains
  if (cfg.mains_amplitude_mv != 0.0) {
    Xoshiro256ss rng(cfg.seed, detail::kMains);
    double a = cfg.mains_amplitude_mv;
    for (int h = 1; h <= cfg.mains_harmonics; ++h, a *= cfg.mains_harmonic_ratio) {
      const double phase = rng.uniform(0.0, 6.283185307179586476925286766559);
      const double f = h * cfg.mains_hz;
      if (f >= 0.5 * fs) break;
      const double w = 6.283185307179586476925286766559 * f / fs;
      for (std::size_t i = 0; i < n; ++i) {
        // Phase from the integer index (not an accumulating angle): no drift
        // over long records.
        out.mains_mv[i] += a * std::sin(w * static_cast<double>(i) + phase);
      }
    }
  }

  // --- motion artefacts
  if (cfg.motion_rate_hz > 0.0 && cfg.motion_amplitude_mv != 0.0) {
    Xoshiro256ss rng(cfg.seed, detail::kMotion);
    const double sigma = cfg.motion_duration_s / 4.0;
    double t = 0.0;
    for (;;) {
      t += -std::log(1.0 - rng.uniform()) / cfg.motion_rate_hz;
      if (t >= cfg.duration_s) break;
      const double amp = cfg.motion_amplitude_mv * rng.uniform(0.5, 1.0) * (rng.uniform() < 0.5 ? -1.0 : 1.0);
      out.motion_times_s.push_back(t);
      const long long i0 = std::max(0LL, static_cast<long long>(std::floor((t - 5 * sigma) * fs)));
      const long long i1 = std::min(static_cast<long long>(n) - 1, static_cast<long long>(std::ceil((t + 5 * sigma) * fs)));
      for (long long i = i0; i <= i1; ++i) {
        const double d = (static_cast<double>(i) / fs - t) / sigma;
        out.motion_mv[static_cast<std::size_t>(i)] += amp * std::exp(-0.5 * d * d);
      }
    }
  }

  for (std::size_t i = 0; i < n; ++i) {
    out.emg_mv[i] = out.clean_mv[i] + out.background_mv[i] + out.mains_mv[i] + out.motion_mv[i];
  }
  return out;
}

// ================================================================ burst trains

struct BurstTrainConfig {
  int n_bursts = 10;
  double first_onset_s = 1.0;    // onset of the first burst
  double min_duration_s = 0.3;
  double max_duration_s = 1.5;
  double min_gap_s = 0.5;        // rest between one offset and the next onset
  double max_gap_s = 2.0;
  double min_amplitude = 0.5;
  double max_amplitude = 1.0;
  double ramp_s = 0.0;
};

// N non-overlapping bursts with uniform random durations, gaps and amplitudes
// (seeded). The record should last at least bursts.back().offset_s + a rest.
inline std::vector<Burst> make_burst_train(const BurstTrainConfig& c, std::uint64_t seed) {
  Xoshiro256ss rng(seed, detail::kBursts);
  std::vector<Burst> out;
  out.reserve(static_cast<std::size_t>(std::max(0, c.n_bursts)));
  double t = c.first_onset_s;
  for (int i = 0; i < c.n_bursts; ++i) {
    Burst b;
    b.onset_s = t;
    b.offset_s = t + rng.uniform(c.min_duration_s, c.max_duration_s);
    b.amplitude = rng.uniform(c.min_amplitude, c.max_amplitude);
    b.ramp_s = c.ramp_s;
    out.push_back(b);
    t = b.offset_s + rng.uniform(c.min_gap_s, c.max_gap_s);
  }
  return out;
}

}  // namespace soleus::sim
