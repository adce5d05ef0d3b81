// Bit-identity check for EmgProcessor across builds: hashes (FNV-1a) every
// output byte (envelope, activation, conditioned EMG, events, final quality)
// for 1/3/4/8 channels (and 8 in a 16-channel processor: the generic path),
// both detection signals, tracked/fixed mains, spectra on/off, and three
// chunkings (one block, random chunks of 1-300, frame by frame). Not part of
// the build; compile it once against each tree's headers and diff:
//   g++ -std=gnu++17 -O3 -DNDEBUG -march=native -I OLD/include scripts/emg_hash.cpp -o /tmp/h_old
//   g++ -std=gnu++17 -O3 -DNDEBUG -march=native -I include scripts/emg_hash.cpp -o /tmp/h_new
//   diff <(/tmp/h_old) <(/tmp/h_new)
// Within one build, the three chunkings of a configuration must print the same hash.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>
#include "soleus/emg/processor.hpp"
using namespace soleus::emg;
static std::uint64_t h = 1469598103934665603ull;
static void mix(const void* p, std::size_t n) {
  const unsigned char* b = static_cast<const unsigned char*>(p);
  for (std::size_t i = 0; i < n; ++i) { h ^= b[i]; h *= 1099511628211ull; }
}
static std::vector<float> sig(int C, std::size_t N, int seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.f, 1.f);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  std::vector<float> x(N * C);
  std::vector<float> amp(C, 5.f);
  std::vector<std::size_t> until(C, 0);
  for (std::size_t i = 0; i < N; ++i)
    for (int c = 0; c < C; ++c) {
      if (i >= until[c]) {
        bool on = amp[c] < 6.f;
        amp[c] = on ? 10.f + 60.f * u(rng) : 5.f;
        until[c] = i + static_cast<std::size_t>((on ? 300 : 400) + 2500 * u(rng));
      }
      float v = amp[c] * g(rng) + 30.f * std::sin(2.f * 3.14159265f * 50.3f * i / 2000.f + c);
      if (c == 1 && i > 30000 && i < 30300) v = 1e5f;
      if (c == 0 && i == 41234) v = NAN;
      x[i * C + c] = v;
    }
  return x;
}
template <int MC>
static void run(int C, int variant, int mode) {
  h = 1469598103934665603ull;
  EmgSettings s;
  s.fs_hz = 2000.0;
  s.quality.adc_max = 5e4; s.quality.adc_min = -5e4;
  if (variant & 1) s.onset.signal = DetectionSignal::teager_kaiser;
  if (variant & 2) { s.conditioner.mains_mode = MainsMode::fixed; s.conditioner.mains_harmonics = 3; }
  if (variant & 4) s.spectra.enabled = true;
  static EmgProcessor<MC, 4096> p;
  if (!p.init(s, C)) { std::printf("init fail\n"); return; }
  const std::size_t N = 60000;
  std::vector<float> x = sig(C, N, 7 + C + variant);
  std::vector<float> env(N * C), act(N * C), cnd(N * C);
  std::mt19937 rng(99);
  std::size_t pos = 0;
  BurstEvent e;
  std::uint64_t nev = 0;
  while (pos < N) {
    std::size_t m = mode == 0 ? N : mode == 1 ? 1 + rng() % 300 : 1;
    if (m > N - pos) m = N - pos;
    p.process(x.data() + pos * C, m, env.data() + pos * C, act.data() + pos * C, cnd.data() + pos * C);
    while (p.pop_event(&e)) {
      ++nev;
      mix(&e.edge, sizeof e.edge); mix(&e.channel, sizeof e.channel); mix(&e.time_s, 8); mix(&e.detected_at_s, 8);
      mix(&e.duration_s, 8); mix(&e.peak_pct_mvc, 4); mix(&e.mean_pct_mvc, 4); mix(&e.median_hz, 4); mix(&e.mean_hz, 4);
      mix(&e.median_slope_hz_per_s, 4); mix(&e.spectrum_segments, 4);
    }
    if (pos + m == N) for (int c = 0; c < C; ++c) { const ChannelQuality& q = p.quality(c);
      bool f[6] = {q.saturated, q.flat, q.mains, q.motion, q.low_snr, q.nonfinite}; mix(f, 6);
      mix(&q.mains_ratio, 4); mix(&q.motion_ratio, 4); mix(&q.snr_db, 4); }
    pos += m;
  }
  mix(env.data(), env.size() * 4); mix(act.data(), act.size() * 4); mix(cnd.data(), cnd.size() * 4);
  std::printf("C=%d MC=%d variant=%d mode=%d events=%llu hash=%016llx\n", C, MC, variant, mode,
              (unsigned long long)nev, (unsigned long long)h);
}
int main() {
  for (int variant = 0; variant < 8; ++variant)
    for (int mode = 0; mode < 3; ++mode) {
      run<1>(1, variant, mode); run<3>(3, variant, mode); run<4>(4, variant, mode);
      run<8>(8, variant, mode); run<16>(8, variant, mode);
    }
}
