// The SOS cascade kernel equals scipy.signal.sosfilt, is bit-identical across
// lane types and chunkings, starts without a transient from sosfilt_zi, never
// writes past its buffers, never allocates, and keeps silence fast.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>
#include <memory>
#include <random>
#include <vector>

#include "alloc_counter.hpp"
#include "soleus/dsp/sos_filter.hpp"
#include "test_helpers.hpp"

using namespace soleus;
using namespace soleus::dsp;

namespace {

struct Case {
  SosList sos;
  std::vector<double> x, y;
};

std::vector<Case> load_cases() {
  const auto rows = soleus_test::read_rows(soleus_test::reference_path("sosfilt_cases.txt"));
  std::vector<Case> cases;
  for (size_t i = 0; i + 2 < rows.size() + 0 && i + 2 <= rows.size() - 1; i += 3) {
    Case c;
    auto s = SosList::from_array(&rows[i][1], static_cast<int>(rows[i][0]));
    EXPECT_TRUE(s.ok());
    c.sos = s.value;
    c.x = rows[i + 1];
    c.y = rows[i + 2];
    cases.push_back(c);
  }
  return cases;
}

// Random signals, one per channel, interleaved (n, channels).
std::vector<float> random_frames(size_t n, int channels, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> d(0.0f, 1.0f);
  std::vector<float> v(n * channels);
  for (auto& x : v) x = d(rng);
  return v;
}

SosList bandpass_2k() { return butter(4, 20, 450, BandType::bandpass, 2000).value; }

}  // namespace

TEST(SosCascade, DoubleEqualsScipySosfiltWithin1e12Relative) {
  const auto cases = load_cases();
  ASSERT_EQ(cases.size(), 6u);
  for (const Case& c : cases) {
    auto f = std::make_unique<SosCascade<double>>();
    ASSERT_TRUE(f->set_sos(c.sos).ok());
    std::vector<double> y(c.x.size());
    f->process(c.x.data(), y.data(), c.x.size());
    double peak = 0, err = 0;
    for (size_t i = 0; i < y.size(); ++i) {
      peak = std::fmax(peak, std::fabs(c.y[i]));
      err = std::fmax(err, std::fabs(y[i] - c.y[i]));
    }
    EXPECT_LE(err / peak, 1e-12) << "sections " << c.sos.size();
  }
}

TEST(SosCascade, FloatReachesAtLeast94dBSnrAgainstScipy) {
  for (const Case& c : load_cases()) {
    auto f = std::make_unique<SosCascade<float>>();
    ASSERT_TRUE(f->set_sos(c.sos).ok());
    std::vector<float> x(c.x.begin(), c.x.end()), y(c.x.size());
    f->process(x.data(), y.data(), x.size());
    double sig = 0, noise = 0;
    for (size_t i = 0; i < y.size(); ++i) {
      sig += c.y[i] * c.y[i];
      noise += (y[i] - c.y[i]) * (y[i] - c.y[i]);
    }
    const double snr_db = 10 * std::log10(sig / noise);
    // 94 dB with fused multiply-add (one rounding per multiply-add:
    // SOLEUS_HAS_FMA, x86-64-v3, aarch64); without it (the x86-64-v2
    // baseline) each multiply-add rounds twice, up to twice the rounding
    // noise power: 10 log10(2) = 3 dB less (measured there: 93.9 dB).
    const double min_snr_db = SOLEUS_HAS_FMA ? 94.0 : 94.0 - 10.0 * std::log10(2.0);
    EXPECT_GE(snr_db, min_snr_db) << "sections " << c.sos.size();
  }
}

// Scalar, generic lanes, native lanes and the multi-channel bank: identical bits.
template <typename T>
void expect_lanes_bit_identical(int channels) {
  const size_t n = 1500;
  auto x = random_frames(n, channels, 7u + channels);
  std::vector<T> xt(x.begin(), x.end()), bank_out(xt.size());
  auto bank = std::make_unique<MultiChannelSos<T, 32>>();
  ASSERT_TRUE(bank->init(bandpass_2k(), channels).ok());
  bank->process(xt.data(), bank_out.data(), n);

  auto generic = std::make_unique<SosCascade<Lanes<T, 4>>>();  // generic struct path
  for (int ch = 0; ch < channels; ++ch) {
    auto scalar = std::make_unique<SosCascade<T>>();
    ASSERT_TRUE(scalar->set_sos(bandpass_2k()).ok());
    std::vector<T> col(n), out(n);
    for (size_t i = 0; i < n; ++i) col[i] = xt[i * channels + ch];
    scalar->process(col.data(), out.data(), n);
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(out[i], bank_out[i * channels + ch]) << "channel " << ch << " sample " << i;
    }
  }
  if (channels >= 4) {
    // Generic (non-intrinsic) lanes, channel l in lane l.
    ASSERT_TRUE(generic->set_sos(bandpass_2k()).ok());
    std::vector<T> g_out(n * 4);
    std::vector<T> g_in(n * 4);
    for (size_t i = 0; i < n; ++i)
      for (int l = 0; l < 4; ++l) g_in[i * 4 + l] = xt[i * channels + l];
    generic->process(g_in.data(), 4, g_out.data(), 4, n);
    for (size_t i = 0; i < n; ++i)
      for (int l = 0; l < 4; ++l) ASSERT_EQ(g_out[i * 4 + l], bank_out[i * channels + l]);
  }
}

TEST(SosCascade, ScalarAndLanePathsAreBitIdenticalFloat) {
  for (int ch : {1, 3, 8, 13, 16}) expect_lanes_bit_identical<float>(ch);
}
TEST(SosCascade, ScalarAndLanePathsAreBitIdenticalDouble) {
  for (int ch : {1, 4, 7, 16}) expect_lanes_bit_identical<double>(ch);
}

TEST(SosCascade, BlockPerFrameAndRandomChunksAreBitIdentical) {
  for (int channels : {1, 8, 5}) {
    const size_t n = 4000;
    auto x = random_frames(n, channels, 99u);
    std::vector<float> a(x.size()), b(x.size()), c(x.size());
    auto fa = std::make_unique<MultiChannelSos<float>>();
    auto fb = std::make_unique<MultiChannelSos<float>>();
    auto fc = std::make_unique<MultiChannelSos<float>>();
    for (auto* f : {fa.get(), fb.get(), fc.get()}) ASSERT_TRUE(f->init(bandpass_2k(), channels).ok());
    fa->process(x.data(), a.data(), n);
    {
      ScopedFlushDenormals guard;  // the per-frame caller's side of the contract
      for (size_t i = 0; i < n; ++i) fb->process_frame(&x[i * channels], &b[i * channels]);
    }
    std::mt19937 rng(5);
    for (size_t i = 0; i < n;) {
      const size_t m = std::min<size_t>(n - i, 1 + rng() % 97);
      fc->process(&x[i * channels], &c[i * channels], m);
      i += m;
    }
    for (size_t i = 0; i < x.size(); ++i) {
      ASSERT_EQ(a[i], b[i]) << "per-frame differs at " << i;
      ASSERT_EQ(a[i], c[i]) << "chunked differs at " << i;
    }
  }
}

TEST(SosCascade, MoreSectionsThanUnrolledKernelsUseGenericPathIdentically) {
  // A 10th-order band-pass (10 sections) plus mains notches: beyond the
  // unrolled section counts, so the generic loop runs; per-frame must agree.
  SosList sos = butter(10, 20, 450, BandType::bandpass, 2000).value;
  ASSERT_TRUE(sos.append(mains_filter(50, 2000, 4.0, 3).value).ok());
  ASSERT_EQ(sos.size(), 13);
  auto x = random_frames(2000, 1, 3u);
  std::vector<float> a(x.size()), b(x.size());
  auto fa = std::make_unique<SosCascade<float>>(), fb = std::make_unique<SosCascade<float>>();
  ASSERT_TRUE(fa->set_sos(sos).ok());
  ASSERT_TRUE(fb->set_sos(sos).ok());
  fa->process(x.data(), a.data(), x.size());
  ScopedFlushDenormals guard;
  for (size_t i = 0; i < x.size(); ++i) b[i] = fb->process(x[i]);
  for (size_t i = 0; i < x.size(); ++i) ASSERT_EQ(a[i], b[i]);
}

TEST(SosCascade, SteadyStateStartHasNoTransient) {
  // A stream that starts at a 2.5 mV offset: with sosfilt_zi state a low-pass
  // outputs the offset from the first sample; from zero state it would ring.
  SosList lp = butter(2, 6, 0, BandType::lowpass, 2000).value;
  auto f = std::make_unique<SosCascade<double>>();
  ASSERT_TRUE(f->set_sos(lp).ok());
  const double x0 = 2.5;
  f->reset_steady(&x0);
  for (int i = 0; i < 500; ++i) EXPECT_NEAR(f->process(x0), x0, 1e-12) << i;
  f->reset();
  EXPECT_LT(f->process(x0), 0.01);  // zero state: starts far from the offset
}

TEST(SosCascade, NeverWritesPastTheOutputBuffer) {
  const int channels = 5;  // a partial lane group
  const size_t n = 333;
  auto x = random_frames(n, channels, 11u);
  const float sentinel = 12345.0f;
  std::vector<float> out(n * channels + 64, sentinel);
  auto f = std::make_unique<MultiChannelSos<float>>();
  ASSERT_TRUE(f->init(bandpass_2k(), channels).ok());
  f->process(x.data(), out.data(), n);
  for (size_t i = n * channels; i < out.size(); ++i) ASSERT_EQ(out[i], sentinel) << i;
}

TEST(SosCascade, ProcessNeverAllocates) {
  auto f = std::make_unique<MultiChannelSos<float>>();
  ASSERT_TRUE(f->init(bandpass_2k(), 8).ok());
  auto x = random_frames(1024, 8, 1u);
  std::vector<float> y(x.size());
  float frame_out[8];
  const long n = soleus_test::allocations_during([&] {
    f->process(x.data(), y.data(), 1024);
    f->process_frame(x.data(), frame_out);
    f->reset();
  });
  EXPECT_EQ(n, 0);
  // The counter works: a vector allocation is seen.
  EXPECT_GE(soleus_test::allocations_during([] { std::vector<int> v(10); (void)v; }), 1);
}

TEST(SosCascade, SilenceAfterSignalProducesNoSubnormals) {
  auto f = std::make_unique<SosCascade<float>>();
  ASSERT_TRUE(f->set_sos(bandpass_2k()).ok());
  std::vector<float> x(200000, 0.0f), y(x.size());
  for (int i = 0; i < 1000; ++i) x[i] = std::sin(0.3f * i);
  f->process(x.data(), y.data(), x.size());
  for (size_t i = 1000; i < y.size(); ++i) {
    ASSERT_NE(std::fpclassify(y[i]), FP_SUBNORMAL) << "subnormal output at " << i;
  }
}

// The per-frame path with no flush-to-zero guard held (the firmware caller
// who forgot it): after an impulse, silence must leave the subnormal range by
// itself. Returns the first frame after the impulse from which every state is
// exactly zero (-1 if never within n_zeros), and the number of frames in which
// some state was subnormal. Without the software flush the 4-section
// band-pass stays in the subnormal limit cycle forever (4 of 8 states).
template <typename Cascade, typename T>
std::pair<long, long> per_frame_silence(Cascade& f, int state_values, long n_zeros) {
  std::vector<T> st(static_cast<size_t>(state_values));
  const auto frame = [&](T x) {
    if constexpr (std::is_same<Cascade, MultiChannelSos<T>>::value) {
      T in[16], out[16];
      for (auto& v : in) v = x;
      f.process_frame(in, out);
      f.get_state(st.data());
    } else {
      f.process(x);
      f.get_state(st.data());
    }
  };
  frame(T(1));
  long zero_from = -1, subnormal_frames = 0;
  for (long i = 1; i <= n_zeros; ++i) {
    frame(T(0));
    bool all_zero = true, any_subnormal = false;
    for (T v : st) {
      all_zero = all_zero && v == T(0);
      any_subnormal = any_subnormal || std::fpclassify(v) == FP_SUBNORMAL;
    }
    if (any_subnormal) ++subnormal_frames;
    if (!all_zero) zero_from = -1;
    if (all_zero && zero_from < 0) zero_from = i;
  }
  return {zero_from, subnormal_frames};
}

TEST(SosCascade, PerFrameSilenceWithoutGuardLeavesTheSubnormalRange) {
  // No flush-to-zero mode is held here: a halved smallest normal stays subnormal.
  volatile float probe = std::numeric_limits<float>::min();
  probe = probe / 2.0f;
  ASSERT_NE(probe, 0.0f) << "FTZ is set: this test needs the FPU's default mode";
  const long n = 40000;  // with the flush the float band-pass state is all zero after ~3 700 zeros
  auto f = std::make_unique<SosCascade<float>>();
  ASSERT_TRUE(f->set_sos(bandpass_2k()).ok());
  const auto [zero_from, subnormal_frames] = per_frame_silence<SosCascade<float>, float>(*f, 8, n);
  EXPECT_GT(zero_from, 0) << "the state never left the subnormal range (" << subnormal_frames << " frames)";
  // A state that turns subnormal is flushed at the next multiple of the period.
  EXPECT_GT(subnormal_frames, 0) << "the decay never reached the subnormal range: the test proves nothing";
  EXPECT_LT(subnormal_frames, 8 * static_cast<long>(SubnormalFlushClock::period_frames));

  // In silence the per-frame output then equals a guarded block call's bit
  // for bit: both states are exactly zero, so both outputs are +0 or -0 alike.
  auto g = std::make_unique<SosCascade<float>>();
  ASSERT_TRUE(g->set_sos(bandpass_2k()).ok());
  std::vector<float> x(static_cast<size_t>(n) + 1, 0.0f), yb(x.size()), yf(4096);
  x[0] = 1.0f;
  g->process(x.data(), yb.data(), x.size());  // the block call holds the guard itself
  float sf[8], sb[8];
  f->get_state(sf);
  g->get_state(sb);
  for (int i = 0; i < 8; ++i) ASSERT_EQ(sb[i], 0.0f) << "the guarded block's state " << i;
  std::vector<float> zeros(yf.size(), 0.0f);
  g->process(zeros.data(), yb.data(), zeros.size());
  for (size_t i = 0; i < yf.size(); ++i) yf[i] = f->process(0.0f);
  ASSERT_EQ(std::memcmp(yf.data(), yb.data(), yf.size() * sizeof(float)), 0);
}

TEST(SosCascade, PerFrameSilenceWithoutGuardLeavesTheSubnormalRangeInLanesAndDouble) {
  volatile float probe = std::numeric_limits<float>::min();
  probe = probe / 2.0f;
  ASSERT_NE(probe, 0.0f) << "FTZ is set: this test needs the FPU's default mode";
  // 13 channels: full lanes, a half-width group and single channels on any target.
  auto m = std::make_unique<MultiChannelSos<float>>();
  ASSERT_TRUE(m->init(bandpass_2k(), 13).ok());
  const auto lanes = per_frame_silence<MultiChannelSos<float>, float>(*m, 8 * 13, 40000);
  EXPECT_GT(lanes.first, 0) << "lanes: still subnormal (" << lanes.second << " frames)";
  EXPECT_GT(lanes.second, 0);
  // Double (the segmenter's angle low-pass runs per frame): the range ends at 2.2e-308.
  auto d = std::make_unique<SosCascade<double>>();
  ASSERT_TRUE(d->set_sos(bandpass_2k()).ok());
  const auto dbl = per_frame_silence<SosCascade<double>, double>(*d, 8, 200000);
  EXPECT_GT(dbl.first, 0) << "double: still subnormal (" << dbl.second << " frames)";
  EXPECT_GT(dbl.second, 0);
}

TEST(SosCascade, InvalidCoefficientsAreRejected) {
  SosList bad;
  ASSERT_TRUE(bad.push_back(SosSection{1, 0, 0, 0, 0, 0}).ok());
  SosCascade<float> f;
  EXPECT_FALSE(f.set_sos(bad).ok());
  EXPECT_FALSE(f.set_sos(SosList{}).ok());
  SosCascade<float, 2> small;
  EXPECT_EQ(small.set_sos(bandpass_2k()).code, StatusCode::capacity_exceeded);
  const double rows[6] = {1, 2, 1, 0, 0, 0};
  EXPECT_FALSE(SosList::from_array(rows, 1).ok());
}

TEST(SosCascade, NonUnitA0IsNormalised) {
  SosList lp = butter(2, 100, 0, BandType::lowpass, 1000).value;
  SosList scaled = lp;
  for (int i = 0; i < scaled.size(); ++i) {
    SosSection& s = scaled[i];
    s.b0 *= 3; s.b1 *= 3; s.b2 *= 3; s.a0 *= 3; s.a1 *= 3; s.a2 *= 3;
  }
  SosCascade<double> a, b;
  ASSERT_TRUE(a.set_sos(lp).ok());
  ASSERT_TRUE(b.set_sos(scaled).ok());
  for (int i = 0; i < 200; ++i) {
    const double x = std::cos(0.1 * i);
    EXPECT_NEAR(a.process(x), b.process(x), 1e-14);
  }
}

TEST(SosCascade, PlanarRowsEqualInterleavedFramesBitForBit) {
  // numpy (channels, n) rows are staged through tile transposes; every channel
  // count (full, half and single units) and a length that is no multiple of
  // the tile or chunk size must give exactly the interleaved result.
  for (int channels : {1, 3, 4, 7, 8, 11, 16}) {
    const size_t n = 1037;
    auto frames = random_frames(n, channels, 21u + channels);
    std::vector<double> framesd(frames.begin(), frames.end());
    std::vector<double> rows(frames.size()), rows_out(frames.size()), frames_out(frames.size());
    for (size_t i = 0; i < n; ++i)
      for (int c = 0; c < channels; ++c) rows[c * n + i] = framesd[i * channels + c];
    auto a = std::make_unique<MultiChannelSos<double>>();
    auto b = std::make_unique<MultiChannelSos<double>>();
    ASSERT_TRUE(a->init(bandpass_2k(), channels).ok());
    ASSERT_TRUE(b->init(bandpass_2k(), channels).ok());
    a->process(framesd.data(), frames_out.data(), n);
    b->process_planar(rows.data(), static_cast<std::ptrdiff_t>(n), rows_out.data(),
                      static_cast<std::ptrdiff_t>(n), n);
    for (size_t i = 0; i < n; ++i)
      for (int c = 0; c < channels; ++c)
        ASSERT_EQ(rows_out[c * n + i], frames_out[i * channels + c]) << "channels " << channels;
  }
}
