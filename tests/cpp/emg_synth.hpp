// Seeded synthetic EMG for the tests: Gaussian noise shaped by the Shwedyk
// spectrum P(f) ~ f^2 / ((f^2 + fl^2)(f^2 + fh^2)^2), fl = 60 Hz, fh = 120 Hz
// (one first-order high-pass at fl and two first-order low-passes at fh,
// bilinear with pre-warping), switched on in bursts with exact onset and
// offset samples, plus white Gaussian background noise.
//
// SNR (dB) = 20 log10(RMS of the burst EMG / RMS of the background noise
// inside 20-450 Hz): the noise is white over 0..fs/2, so its in-band share is
// 430 / (fs/2) of its power, and the band-pass gets no credit for removing
// noise the definition never counted.
//
// Until the sim/ layer's generator (include/soleus/sim/emg.hpp, a colleague's
// branch) is committed, the tests use this one; it depends on nothing under test.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace soleus_test {

struct TrueBurst {
  double onset_s;
  double offset_s;
};

struct SynthParams {
  double fs_hz = 2000.0;
  int bursts = 200;
  double snr_db = 10.0;
  double emg_rms = 50.0;  // uV, during bursts
  double lead_rest_s = 2.0;
  double burst_min_s = 0.3, burst_max_s = 0.8;
  double gap_min_s = 0.6, gap_max_s = 1.5;
  std::uint64_t seed = 1;
};

struct SynthEmg {
  double fs_hz = 0.0;
  std::vector<float> x;        // EMG + noise, uV
  std::vector<float> emg;      // the burst EMG alone
  std::vector<TrueBurst> bursts;
};

// Unit-RMS Gaussian noise with the Shwedyk spectrum.
inline std::vector<double> shwedyk_noise(std::size_t n, double fs, std::mt19937_64& rng,
                                         double fl = 60.0, double fh = 120.0) {
  std::normal_distribution<double> g(0.0, 1.0);
  const double pi = 3.14159265358979323846;
  const double kl = std::tan(pi * fl / fs), kh = std::tan(pi * fh / fs);
  // First-order sections: y = b0 x + b1 x1 - a1 y1.
  const double hb0 = 1.0 / (1.0 + kl), hb1 = -hb0, ha1 = (kl - 1.0) / (kl + 1.0);
  const double lb0 = kh / (1.0 + kh), lb1 = lb0, la1 = (kh - 1.0) / (kh + 1.0);
  std::vector<double> out(n);
  double x1 = 0, y1 = 0, u1 = 0, v1 = 0, p1 = 0, q1 = 0;
  // 2000 extra samples first, so the shaping filters are settled.
  for (std::size_t i = 0; i < n + 2000; ++i) {
    const double x = g(rng);
    const double y = hb0 * x + hb1 * x1 - ha1 * y1;  // high-pass at fl
    x1 = x;
    y1 = y;
    const double v = lb0 * y + lb1 * u1 - la1 * v1;  // low-pass at fh
    u1 = y;
    v1 = v;
    const double q = lb0 * v + lb1 * p1 - la1 * q1;  // low-pass at fh again
    p1 = v;
    q1 = q;
    if (i >= 2000) out[i - 2000] = q;
  }
  double ss = 0.0;
  for (double v : out) ss += v * v;
  const double rms = std::sqrt(ss / static_cast<double>(n));
  for (double& v : out) v /= rms;
  return out;
}

inline SynthEmg make_bursts(const SynthParams& p) {
  std::mt19937_64 rng(p.seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  SynthEmg s;
  s.fs_hz = p.fs_hz;
  double t = p.lead_rest_s;
  for (int i = 0; i < p.bursts; ++i) {
    const double dur = p.burst_min_s + (p.burst_max_s - p.burst_min_s) * u(rng);
    const long on = std::lround(t * p.fs_hz), off = std::lround((t + dur) * p.fs_hz);
    s.bursts.push_back({on / p.fs_hz, off / p.fs_hz});
    t += dur + p.gap_min_s + (p.gap_max_s - p.gap_min_s) * u(rng);
  }
  const std::size_t n = static_cast<std::size_t>(std::lround(t * p.fs_hz));
  std::vector<double> e = shwedyk_noise(n, p.fs_hz, rng);
  std::normal_distribution<double> g(0.0, 1.0);
  const double in_band = (450.0 - 20.0) / (p.fs_hz / 2.0);
  const double noise_sd = p.emg_rms * std::pow(10.0, -p.snr_db / 20.0) / std::sqrt(in_band);
  s.x.resize(n);
  s.emg.assign(n, 0.0f);
  std::size_t b = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double ti = static_cast<double>(i) / p.fs_hz;
    while (b < s.bursts.size() && ti >= s.bursts[b].offset_s) ++b;
    const bool on = b < s.bursts.size() && ti >= s.bursts[b].onset_s;
    const double emg = on ? p.emg_rms * e[i] : 0.0;
    s.emg[i] = static_cast<float>(emg);
    s.x[i] = static_cast<float>(emg + noise_sd * g(rng));
  }
  return s;
}

}  // namespace soleus_test
