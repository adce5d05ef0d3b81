// Streaming spectral tracker: equal to chunked and offline runs bit-exactly,
// each frame equal to Welch over its window, frame timing, hop / window
// options, capacity and argument errors, NaN containment, both backends.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "soleus/dsp/spectral.hpp"
#include "soleus/sim/emg.hpp"

namespace {

using namespace soleus::dsp;

using TrackerF = SpectralTracker<float, 1024, 8, BuiltinRfft<float, 1024>>;

std::vector<float> test_emg(double duration_s, std::uint64_t seed, double fatigue_end = 0.8) {
  soleus::sim::EmgSimConfig c;
  c.seed = seed;
  c.duration_s = duration_s;
  c.snr_db = 20.0;
  c.bursts = {{0.5, duration_s - 0.5, 1.0, 0.2}};
  c.mains_amplitude_mv = 0.2;
  c.fatigue_scale_end = fatigue_end;
  const auto s = soleus::sim::generate_emg(c);
  return std::vector<float>(s.emg_mv.begin(), s.emg_mv.end());
}

bool same_frame(const SpectralFrame& a, const SpectralFrame& b) {
  // Bitwise (NaN == NaN when both are the same NaN).
  return std::memcmp(&a.t_s, &b.t_s, sizeof(double)) == 0 &&
         std::memcmp(&a.finsm5, &b.finsm5, sizeof(double)) == 0 &&
         std::memcmp(&a.median_hz, &b.median_hz, sizeof(double)) == 0 &&
         std::memcmp(&a.mean_hz, &b.mean_hz, sizeof(double)) == 0 &&
         std::memcmp(&a.band_power, &b.band_power, sizeof(double)) == 0 && a.end_sample == b.end_sample;
}

template <typename Tracker>
std::vector<SpectralFrame> run_per_sample(Tracker& tr, const std::vector<float>& x) {
  std::vector<SpectralFrame> out;
  tr.reset();
  for (float v : x) {
    if (tr.push(v)) out.push_back(tr.frame());
  }
  return out;
}

TEST(SpectralTracker, DefaultsGiveDocumentedGeometry) {
  TrackerF tr;
  ASSERT_TRUE(tr.init(SpectralTrackerConfig{}).ok());
  EXPECT_EQ(tr.nperseg(), 500);
  EXPECT_EQ(tr.step_samples(), 250);
  EXPECT_EQ(tr.segments_per_window(), 3);
  EXPECT_EQ(tr.window_samples(), 1000);
  EXPECT_EQ(tr.hop_samples(), 250);
  EXPECT_EQ(tr.n_bins(), 257);
  EXPECT_DOUBLE_EQ(tr.bin_hz(), 2000.0 / 512);
}

TEST(SpectralTracker, StreamingEqualsChunkedAndOfflineBitExact) {
  const auto x = test_emg(12.0, 5);
  TrackerF tr;
  ASSERT_TRUE(tr.init(SpectralTrackerConfig{}).ok());
  const auto ref = run_per_sample(tr, x);
  // Frame count: first after 1000 samples, then every 250.
  ASSERT_EQ(ref.size(), (x.size() - 1000) / 250 + 1);

  std::vector<SpectralFrame> offline(ref.size() + 4);
  const auto r = track_spectrum(tr, x.data(), x.size(), offline.data(), offline.size());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value, ref.size());
  for (std::size_t i = 0; i < ref.size(); ++i) EXPECT_TRUE(same_frame(ref[i], offline[i])) << i;

  std::mt19937 rng(1234);
  for (int trial = 0; trial < 10; ++trial) {
    std::uniform_int_distribution<int> len(1, trial < 5 ? 37 : 3000);
    tr.reset();
    std::vector<SpectralFrame> got;
    std::size_t pos = 0;
    SpectralFrame buf[16];
    while (pos < x.size()) {
      const std::size_t n = std::min<std::size_t>(len(rng), x.size() - pos);
      const auto rr = tr.push(x.data() + pos, n, buf, 16);
      ASSERT_TRUE(rr.ok());
      got.insert(got.end(), buf, buf + rr.value);
      pos += n;
    }
    ASSERT_EQ(got.size(), ref.size()) << "trial " << trial;
    for (std::size_t i = 0; i < ref.size(); ++i) ASSERT_TRUE(same_frame(ref[i], got[i])) << trial << " " << i;
  }
}

template <typename T, typename Fft>
void check_frames_equal_welch_of_window() {
  const auto xf = test_emg(6.0, 9);
  const std::vector<T> x(xf.begin(), xf.end());
  SpectralTracker<T, 1024, 8, Fft> tr;
  SpectralTrackerConfig cfg;
  cfg.t0_s = 100.0;
  ASSERT_TRUE(tr.init(cfg).ok());
  WelchPsd<T, 1024, Fft> w;
  ASSERT_TRUE(w.init(tr.welch_config()).ok());
  std::vector<T> psd(w.n_bins());
  int frames = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!tr.push(x[i])) continue;
    ++frames;
    const SpectralFrame& f = tr.frame();
    ASSERT_EQ(f.end_sample, static_cast<long long>(i + 1));
    const std::size_t start = i + 1 - tr.window_samples();
    // Window centre time, first sample at t0_s.
    EXPECT_DOUBLE_EQ(f.t_s, 100.0 + (start + (tr.window_samples() - 1) / 2.0) / 2000.0);
    const auto r = w.compute(x.data() + start, tr.window_samples(), psd.data());
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.value, 3);
    // Same engine, same summation order: bit-identical PSD and statistics.
    ASSERT_EQ(0, std::memcmp(psd.data(), tr.psd(), sizeof(T) * psd.size())) << "frame " << frames;
    const auto st = band_stats(psd.data(), w.n_bins(), w.bin_hz());
    ASSERT_TRUE(st.ok());
    EXPECT_EQ(st.value.median_hz, f.median_hz);
    EXPECT_EQ(st.value.mean_hz, f.mean_hz);
    const auto fi = finsm5(psd.data(), w.n_bins(), w.bin_hz());
    ASSERT_TRUE(fi.ok());
    EXPECT_NEAR(f.finsm5 / fi.value, 1.0, 1e-12);  // precomputed weights: equal to rounding
  }
  EXPECT_EQ(frames, static_cast<int>((x.size() - 1000) / 250 + 1));
}

TEST(SpectralTracker, FrameIsWelchOfItsWindowBuiltinFloat) {
  check_frames_equal_welch_of_window<float, BuiltinRfft<float, 1024>>();
}
TEST(SpectralTracker, FrameIsWelchOfItsWindowBuiltinDouble) {
  check_frames_equal_welch_of_window<double, BuiltinRfft<double, 1024>>();
}
#if defined(SOLEUS_HAVE_FFTW)
TEST(SpectralTracker, FrameIsWelchOfItsWindowFftw) { check_frames_equal_welch_of_window<float, FftwRfft<float, 1024>>(); }

TEST(SpectralTracker, BackendsAndPrecisionsAgree) {
  const auto x = test_emg(8.0, 3);
  TrackerF a;
  SpectralTracker<float, 1024, 8, FftwRfft<float, 1024>> b;
  SpectralTracker<double, 1024, 8, BuiltinRfft<double, 1024>> c;
  ASSERT_TRUE(a.init({}).ok());
  ASSERT_TRUE(b.init({}).ok());
  ASSERT_TRUE(c.init({}).ok());
  int n = 0;
  for (float v : x) {
    const bool ea = a.push(v), eb = b.push(v), ec = c.push(v);
    ASSERT_EQ(ea, eb);
    ASSERT_EQ(ea, ec);
    if (!ea) continue;
    ++n;
    EXPECT_NEAR(a.frame().median_hz, b.frame().median_hz, 1e-3);
    EXPECT_NEAR(a.frame().mean_hz, b.frame().mean_hz, 1e-3);
    EXPECT_NEAR(a.frame().median_hz, c.frame().median_hz, 1e-2);
    EXPECT_NEAR(a.frame().mean_hz, c.frame().mean_hz, 1e-2);
  }
  EXPECT_GT(n, 20);
}
#endif

TEST(SpectralTracker, HopAndWindowOptions) {
  TrackerF tr;
  SpectralTrackerConfig c;
  c.window_s = 1.0;
  c.hop_s = 0.25;
  ASSERT_TRUE(tr.init(c).ok());
  EXPECT_EQ(tr.segments_per_window(), 7);
  EXPECT_EQ(tr.window_samples(), 2000);
  EXPECT_EQ(tr.hop_samples(), 500);
  std::vector<float> x(10000, 0.0f);
  std::mt19937 rng(7);
  std::normal_distribution<float> g;
  for (auto& v : x) v = g(rng);
  std::vector<SpectralFrame> out(64);
  const auto r = tr.push(x.data(), x.size(), out.data(), out.size());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value, (10000u - 2000u) / 500u + 1u);
  for (std::size_t i = 1; i < r.value; ++i) EXPECT_EQ(out[i].end_sample - out[i - 1].end_sample, 500);
  // White noise: median and mean near the band centre (235 Hz).
  EXPECT_NEAR(out[5].median_hz, 235.0, 25.0);
  EXPECT_NEAR(out[5].mean_hz, 235.0, 25.0);
}

TEST(SpectralTracker, ReportsBadConfigAndOverflow) {
  TrackerF tr;
  SpectralTrackerConfig c;
  c.window_s = 2.0;  // 15 segments > MaxSegments = 8
  EXPECT_EQ(tr.init(c).code, soleus::StatusCode::capacity_exceeded);
  c = {};
  c.fs_hz = 8000.0;  // 2000-sample segment: nfft 2048 > 1024
  EXPECT_EQ(tr.init(c).code, soleus::StatusCode::capacity_exceeded);
  c = {};
  c.window_s = 0.1;
  EXPECT_FALSE(tr.init(c).ok());
  c = {};
  c.band_hi_hz = 10.0;
  EXPECT_FALSE(tr.init(c).ok());
  c = {};
  c.overlap = 1.0;
  EXPECT_FALSE(tr.init(c).ok());
  // A tracker whose init failed (or never ran) ignores samples safely.
  TrackerF fresh;
  for (int i = 0; i < 5000; ++i) EXPECT_FALSE(fresh.push(1.0f));
  c = {};
  c.window_s = 2.0;
  EXPECT_FALSE(tr.init(c).ok());
  for (int i = 0; i < 5000; ++i) EXPECT_FALSE(tr.push(1.0f));
  WelchPsd<float, 256, BuiltinRfft<float, 256>> w;
  float psd[129];
  EXPECT_EQ(w.compute(psd, 100, psd).status.code, soleus::StatusCode::not_ready);
  ASSERT_TRUE(tr.init({}).ok());
  std::vector<float> x(5000, 1.0f);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(0.3f * i);
  SpectralFrame out[2];
  const auto r = tr.push(x.data(), x.size(), out, 2);
  EXPECT_EQ(r.value, 2u);
  EXPECT_EQ(r.status.code, soleus::StatusCode::capacity_exceeded);
}

TEST(SpectralTracker, NanIsContainedToTheWindowsThatHoldIt) {
  auto x = test_emg(6.0, 21);
  auto bad = x;
  bad[3000] = std::nanf("");
  TrackerF a, b;
  ASSERT_TRUE(a.init({}).ok());
  ASSERT_TRUE(b.init({}).ok());
  const auto fa = run_per_sample(a, x), fb = run_per_sample(b, bad);
  ASSERT_EQ(fa.size(), fb.size());
  int nan_frames = 0;
  for (std::size_t i = 0; i < fa.size(); ++i) {
    const bool holds = fb[i].end_sample > 3000 && fb[i].end_sample - 1000 <= 3000;
    if (holds) {
      EXPECT_TRUE(std::isnan(fb[i].median_hz)) << i;
      ++nan_frames;
    } else {
      // Frames whose window is clean are untouched, bit for bit.
      EXPECT_TRUE(same_frame(fa[i], fb[i])) << i;
    }
  }
  EXPECT_EQ(nan_frames, 4);
}

TEST(SpectralTracker, NoiseSubtractionRemovesTheFloor) {
  // A floor equal to the window's own PSD leaves no power (NaN frame), and
  // clearing the floor restores the plain statistics.
  TrackerF tr;
  ASSERT_TRUE(tr.init({}).ok());
  std::vector<float> x(1000);
  std::mt19937 rng(3);
  std::normal_distribution<float> g;
  for (auto& v : x) v = g(rng);
  std::vector<SpectralFrame> out(4);
  ASSERT_EQ(tr.push(x.data(), x.size(), out.data(), 4).value, 1u);
  const std::vector<float> floor(tr.psd(), tr.psd() + tr.n_bins());
  tr.set_noise_psd(floor.data());
  ASSERT_EQ(track_spectrum(tr, x.data(), x.size(), out.data(), 4).value, 1u);
  EXPECT_TRUE(std::isnan(out[0].median_hz));
  tr.set_noise_psd(nullptr);
  SpectralFrame again[4];
  ASSERT_EQ(track_spectrum(tr, x.data(), x.size(), again, 4).value, 1u);
  EXPECT_NEAR(again[0].median_hz, 235.0, 40.0);
}

}  // namespace
