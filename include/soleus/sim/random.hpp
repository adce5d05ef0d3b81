// The one seeded random generator of the simulators: xoshiro256** 1.0
// (Blackman & Vigna) seeded through splitmix64, integer arithmetic only, so a
// seed gives the same stream on every platform and compiler (unlike
// std::normal_distribution, whose algorithm each library chooses).
#pragma once

#include <cmath>
#include <cstdint>

namespace soleus::sim {

class Xoshiro256ss {
 public:
  // `stream` selects an independent sequence for the same seed, so every
  // signal component can have its own generator and switching one on or off
  // does not change the others. Stream 0 is the plain seed.
  explicit Xoshiro256ss(std::uint64_t seed = 0, std::uint64_t stream = 0) { reseed(seed, stream); }
  void reseed(std::uint64_t seed, std::uint64_t stream = 0) {
    std::uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull);
    for (auto& w : s_) w = splitmix64(x);
    has_spare_ = false;
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits (exact in double).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  // Standard normal by Box-Muller; the second value of each pair is kept for
  // the next call. 1 - uniform() is in (0, 1], so log() never sees 0. Uses
  // log/sin/cos, so the last bits may differ between maths libraries.
  double gaussian() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double a = 6.283185307179586476925286766559 * u2;
    spare_ = r * std::sin(a);
    has_spare_ = true;
    return r * std::cos(a);
  }

  // Approximately standard normal: Irwin-Hall sum of 12 uniforms minus 6
  // (variance exactly 1, tails truncated at +-6 sigma). Exact additions only,
  // so the value is the same on every platform; for jitter, not for noise
  // whose spectrum or tails matter.
  double approx_normal() {
    double s = 0.0;
    for (int i = 0; i < 12; ++i) s += uniform();
    return s - 6.0;
  }

  static std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace soleus::sim
