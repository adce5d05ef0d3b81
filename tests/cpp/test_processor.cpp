// EmgProcessor: streaming equals offline (random chunks, per frame: identical
// outputs and events), no heap in process(), NaN/Inf containment, delays,
// event-queue overflow, multi-channel lanes equal single channels.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <random>
#include <vector>

#include "sim_bursts.hpp"
#include "soleus/emg/processor.hpp"

// Allocation counter: every global operator new in this program counts
// (soleus_test::g_allocations, found through `using namespace soleus_test`).
#include "alloc_counter.hpp"

using namespace soleus::emg;
using namespace soleus_test;

namespace {

constexpr int kCh = 4;
using Proc = EmgProcessor<8, 256>;

struct RunOut {
  std::vector<float> env, act, cond;
  std::vector<BurstEvent> events;
  std::vector<ChannelQuality> quality;
};

// Interleaved 4-channel recording: bursts at different SNRs per channel, mains
// at 50.3 Hz on two channels (exercises detection and re-tuning).
std::vector<float> make_recording(std::size_t* frames) {
  std::vector<SynthEmg> ch;
  for (int c = 0; c < kCh; ++c) {
    SynthParams p;
    p.bursts = 12;
    p.snr_db = 6.0 + 4.0 * c;
    p.seed = 100 + c;
    ch.push_back(make_bursts(p));
  }
  std::size_t n = ch[0].x.size();
  for (const SynthEmg& s : ch) n = std::min(n, s.x.size());
  std::vector<float> x(n * kCh);
  for (std::size_t i = 0; i < n; ++i)
    for (int c = 0; c < kCh; ++c)
      x[i * kCh + c] = ch[c].x[i] + (c < 2 ? static_cast<float>(200.0 * std::sin(2 * 3.14159265358979 * 50.3 * i / 2000.0 + c))
                                           : 0.0f);
  *frames = n;
  return x;
}

EmgSettings settings() {
  EmgSettings s;
  s.fs_hz = 2000.0;
  s.start_time_s = 12.5;
  return s;
}

// chunk = 0: one block; chunk < 0: random sizes 1..777; chunk = 1: process_frame.
RunOut run(Proc& p, const std::vector<float>& x, std::size_t frames, long chunk, unsigned seed = 5) {
  RunOut r;
  r.env.resize(x.size());
  r.act.resize(x.size());
  r.cond.resize(x.size());
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> len(1, 777);
  std::size_t i = 0;
  while (i < frames) {
    std::size_t n = chunk == 0 ? frames : chunk < 0 ? static_cast<std::size_t>(len(rng)) : static_cast<std::size_t>(chunk);
    n = std::min(n, frames - i);
    const std::size_t o = i * kCh;
    if (n == 1 && chunk == 1) {
      p.process_frame(x.data() + o, r.env.data() + o, r.act.data() + o, r.cond.data() + o);
    } else {
      p.process(x.data() + o, n, r.env.data() + o, r.act.data() + o, r.cond.data() + o);
    }
    BurstEvent e;
    while (p.pop_event(&e)) r.events.push_back(e);
    i += n;
  }
  for (int c = 0; c < kCh; ++c) r.quality.push_back(p.quality(c));
  return r;
}

bool same_event(const BurstEvent& a, const BurstEvent& b) {
  return a.edge == b.edge && a.channel == b.channel && a.time_s == b.time_s &&
         a.detected_at_s == b.detected_at_s && a.duration_s == b.duration_s &&
         a.peak_pct_mvc == b.peak_pct_mvc && a.mean_pct_mvc == b.mean_pct_mvc &&
         a.calibrated == b.calibrated;
}

}  // namespace

TEST(Processor, StreamingEqualsOfflineBitExact) {
  std::size_t frames = 0;
  const std::vector<float> x = make_recording(&frames);
  static Proc p;
  ASSERT_TRUE(p.init(settings(), kCh).ok());
  const RunOut block = run(p, x, frames, 0);
  ASSERT_GT(block.events.size(), 20u);
  EXPECT_EQ(p.conditioner().detected_mains_hz(), 50.0);
  EXPECT_GT(p.conditioner().mains_retunes(), 0u);
  for (long chunk : {-1L, 1L, 64L, 1000L}) {
    p.reset();
    const RunOut r = run(p, x, frames, chunk, static_cast<unsigned>(chunk + 10));
    EXPECT_EQ(0, std::memcmp(block.env.data(), r.env.data(), x.size() * sizeof(float))) << chunk;
    for (std::size_t q = 0; q < x.size(); ++q)
      if (block.env[q] != r.env[q]) {
        ADD_FAILURE() << "first env mismatch at frame " << q / kCh << " channel " << q % kCh << ": " << block.env[q] << " vs " << r.env[q];
        break;
      }
    EXPECT_EQ(0, std::memcmp(block.act.data(), r.act.data(), x.size() * sizeof(float))) << chunk;
    EXPECT_EQ(0, std::memcmp(block.cond.data(), r.cond.data(), x.size() * sizeof(float))) << chunk;
    ASSERT_EQ(block.events.size(), r.events.size()) << chunk;
    for (std::size_t k = 0; k < r.events.size(); ++k) EXPECT_TRUE(same_event(block.events[k], r.events[k])) << k;
    for (int c = 0; c < kCh; ++c) {
      EXPECT_EQ(block.quality[c].mains, r.quality[c].mains);
      EXPECT_EQ(block.quality[c].mains_ratio, r.quality[c].mains_ratio);
    }
  }
}

TEST(Processor, NoHeapInProcess) {
  std::size_t frames = 0;
  const std::vector<float> x = make_recording(&frames);
  static Proc p;
  ASSERT_TRUE(p.init(settings(), kCh).ok());
  std::vector<float> env(x.size());
  BurstEvent e;
  int events = 0;
  const long before = g_allocations.load();
  for (std::size_t i = 0; i < frames; i += 333) {
    const std::size_t n = std::min<std::size_t>(333, frames - i);
    p.process(x.data() + i * kCh, n, env.data() + i * kCh);
    while (p.pop_event(&e)) ++events;
  }
  p.begin_mvc();
  p.process_frame(x.data());
  (void)p.end_mvc();
  const long after = g_allocations.load();
  EXPECT_EQ(after - before, 0) << "heap allocations inside process()";
  EXPECT_GT(events, 0);
  // The counter works: a vector allocates.
  std::vector<int> probe(10);
  EXPECT_GT(g_allocations.load(), after);
}

TEST(Processor, NanAndInfAreContained) {
  SynthParams sp;
  sp.bursts = 6;
  sp.snr_db = 15;
  const SynthEmg s = make_bursts(sp);
  std::vector<float> clean(s.x.begin(), s.x.end()), bad(clean);
  const std::size_t k = 5000;
  bad[k] = std::nanf("");
  bad[k + 1] = INFINITY;
  bad[k + 2] = -INFINITY;
  // Containment holds the last finite sample: the reference replaces the
  // same samples by clean[k-1] by hand.
  std::vector<float> held(clean);
  held[k] = held[k + 1] = held[k + 2] = clean[k - 1];
  EmgSettings es;
  es.fs_hz = sp.fs_hz;
  static EmgProcessor<1> a, b;
  ASSERT_TRUE(a.init(es, 1).ok());
  ASSERT_TRUE(b.init(es, 1).ok());
  std::vector<float> ea(bad.size()), eb(bad.size()), ca(bad.size());
  EXPECT_TRUE(a.process(bad.data(), k).ok());
  const soleus::Status st = a.process(bad.data() + k, bad.size() - k, ea.data() + k, nullptr, ca.data() + k);
  EXPECT_EQ(st.code, soleus::StatusCode::bad_input);
  b.process(held.data(), k);
  b.process(held.data() + k, held.size() - k, eb.data() + k);
  for (std::size_t i = k; i < bad.size(); ++i) {
    ASSERT_TRUE(std::isfinite(ea[i]) && std::isfinite(ca[i])) << i;
    ASSERT_EQ(ea[i], eb[i]) << i;
  }
  EXPECT_EQ(a.quality(0).nonfinite_samples, 3u);
  // Flag clears nonfinite_hold_s (1 s) after the last bad sample.
  EXPECT_FALSE(a.quality(0).nonfinite);
  // And while it is recent, it is raised.
  static EmgProcessor<1> c;
  ASSERT_TRUE(c.init(es, 1).ok());
  c.process(bad.data(), k + 1000);
  EXPECT_TRUE(c.quality(0).nonfinite);
}

TEST(Processor, DelaysAddUp) {
  static Proc p;
  ASSERT_TRUE(p.init(settings(), 2).ok());
  const ProcessorDelays d = p.delays();
  EXPECT_DOUBLE_EQ(d.envelope_total_s(), d.stages.bandpass_s + d.stages.mains_s + d.stages.envelope_s);
  EXPECT_DOUBLE_EQ(d.detection_total_s(), d.stages.bandpass_s + d.stages.mains_s + d.detector_s);
  EXPECT_DOUBLE_EQ(d.events_s(), d.stages.bandpass_s + d.stages.mains_s);  // rectified: no Teager sample
  // Smoothing of the detector: 2nd-order Butterworth at 5 Hz, sqrt(2)/(2 pi 5) at DC.
  EXPECT_NEAR(d.detector_s, std::sqrt(2.0) / (2 * 3.14159265358979 * 5.0), 1e-4);
}

TEST(Processor, QueueOverflowIsCounted) {
  SynthParams sp;
  sp.bursts = 10;
  sp.snr_db = 20;
  const SynthEmg s = make_bursts(sp);
  EmgSettings es;
  es.fs_hz = sp.fs_hz;
  static EmgProcessor<1, 3> p;
  ASSERT_TRUE(p.init(es, 1).ok());
  p.process(s.x.data(), s.x.size());  // never drained: 20 events into 3 slots
  EXPECT_EQ(p.events().size(), 3);
  EXPECT_EQ(p.events_dropped(), 17u);
  BurstEvent e;
  ASSERT_TRUE(p.pop_event(&e));
  EXPECT_EQ(e.edge, BurstEdge::onset);  // the oldest are kept
  EXPECT_NEAR(e.time_s, s.bursts[0].onset_s, 0.05);
}

TEST(Processor, LanesEqualSingleChannels) {
  std::size_t frames = 0;
  std::vector<float> x = make_recording(&frames);
  // Without mains (its detection pools channels) every channel is independent.
  for (std::size_t i = 0; i < frames; ++i)
    for (int c = 0; c < 2; ++c) x[i * kCh + c] -= static_cast<float>(200.0 * std::sin(2 * 3.14159265358979 * 50.3 * i / 2000.0 + c));
  EmgSettings es = settings();
  static Proc multi;
  ASSERT_TRUE(multi.init(es, kCh).ok());
  std::vector<float> env(x.size());
  std::vector<BurstEvent> multi_events;
  BurstEvent e;
  for (std::size_t i = 0; i < frames; i += 500) {
    const std::size_t n = std::min<std::size_t>(500, frames - i);
    multi.process(x.data() + i * kCh, n, env.data() + i * kCh);
    while (multi.pop_event(&e)) multi_events.push_back(e);
  }
  for (int c = 0; c < kCh; ++c) {
    static EmgProcessor<1, 256> single;
    ASSERT_TRUE(single.init(es, 1).ok());
    std::vector<float> xc(frames), ec(frames);
    for (std::size_t i = 0; i < frames; ++i) xc[i] = x[i * kCh + c];
    single.process(xc.data(), frames, ec.data());
    for (std::size_t i = 0; i < frames; ++i) ASSERT_EQ(ec[i], env[i * kCh + c]) << "channel " << c << " frame " << i;
    // Events too: the detector's fast paths depend on all channels, the
    // arithmetic must not.
    std::vector<BurstEvent> mine;
    for (const BurstEvent& m : multi_events)
      if (m.channel == c) mine.push_back(m);
    std::size_t k = 0;
    while (single.pop_event(&e)) {
      ASSERT_LT(k, mine.size()) << "channel " << c;
      e.channel = c;
      EXPECT_TRUE(same_event(e, mine[k])) << "channel " << c << " event " << k;
      ++k;
    }
    EXPECT_EQ(k, mine.size()) << "channel " << c;
    EXPECT_GT(k, 10u);
  }
}

// The compile-time-width kernels (every channel in use: AVX2 lanes for the
// detector's fast path, change-point scan and quality sums; sums in
// registers for MVC and the mains tracker) against the generic runtime-width
// code (the same channels in a wider processor): bit-identical outputs,
// events and quality, for both detection signals and with tracked mains.
namespace {
template <int W>
RunOut run_width(const std::vector<float>& x, std::size_t frames, int channels, const EmgSettings& es) {
  static EmgProcessor<W, 256> p;
  RunOut r;
  EXPECT_TRUE(p.init(es, channels).ok());
  r.env.resize(x.size());
  r.act.resize(x.size());
  r.cond.resize(x.size());
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> len(1, 300);
  const std::size_t C = static_cast<std::size_t>(channels);
  BurstEvent e;
  for (std::size_t i = 0; i < frames;) {
    const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(len(rng)), frames - i);
    p.process(x.data() + i * C, n, r.env.data() + i * C, r.act.data() + i * C, r.cond.data() + i * C);
    while (p.pop_event(&e)) r.events.push_back(e);
    i += n;
  }
  for (int c = 0; c < channels; ++c) r.quality.push_back(p.quality(c));
  return r;
}

void expect_same(const RunOut& a, const RunOut& b) {
  ASSERT_EQ(a.env.size(), b.env.size());
  EXPECT_EQ(0, std::memcmp(a.env.data(), b.env.data(), a.env.size() * sizeof(float)));
  EXPECT_EQ(0, std::memcmp(a.act.data(), b.act.data(), a.act.size() * sizeof(float)));
  EXPECT_EQ(0, std::memcmp(a.cond.data(), b.cond.data(), a.cond.size() * sizeof(float)));
  ASSERT_EQ(a.events.size(), b.events.size());
  for (std::size_t k = 0; k < a.events.size(); ++k) EXPECT_TRUE(same_event(a.events[k], b.events[k])) << k;
  ASSERT_EQ(a.quality.size(), b.quality.size());
  for (std::size_t c = 0; c < a.quality.size(); ++c) {
    EXPECT_EQ(a.quality[c].good(), b.quality[c].good()) << c;
    EXPECT_EQ(a.quality[c].mains_ratio, b.quality[c].mains_ratio) << c;
    EXPECT_EQ(a.quality[c].motion_ratio, b.quality[c].motion_ratio) << c;
    EXPECT_EQ(a.quality[c].saturation_fraction, b.quality[c].saturation_fraction) << c;
    EXPECT_EQ(a.quality[c].saturated_samples, b.quality[c].saturated_samples) << c;
  }
}
}  // namespace

// The same with fixed mains notches (50 Hz, 3 harmonics): the default fused
// chain of 4 band-pass sections, 3 notches and the low-passes. One channel on
// an x86 target without AVX-512 runs it in two passes over each chunk
// (Conditioner::kTwoPassOneLane: its states would not fit 16 registers); the
// lanes run it in one. Conditioned signal and envelope: the same bits.
TEST(Processor, LanesEqualSingleChannelsWithFixedNotches) {
  std::size_t frames = 0;
  const std::vector<float> x = make_recording(&frames);
  EmgSettings es = settings();
  es.conditioner.mains_mode = MainsMode::fixed;
  es.conditioner.mains_hz = 50.0;
  es.conditioner.mains_harmonics = 3;
  es.conditioner.mains_tracking = false;  // the tracker pools the channels
  static Proc multi;
  ASSERT_TRUE(multi.init(es, kCh).ok());
  const RunOut all = run(multi, x, frames, -1);
  for (int c = 0; c < kCh; ++c) {
    static EmgProcessor<1, 256> single;
    ASSERT_TRUE(single.init(es, 1).ok());
    std::vector<float> xc(frames), ec(frames), ac(frames), cc(frames);
    for (std::size_t i = 0; i < frames; ++i) xc[i] = x[i * kCh + c];
    for (std::size_t i = 0; i < frames; i += 333) {
      const std::size_t n = std::min<std::size_t>(333, frames - i);
      single.process(xc.data() + i, n, ec.data() + i, ac.data() + i, cc.data() + i);
      BurstEvent e;
      while (single.pop_event(&e)) {
      }
    }
    for (std::size_t i = 0; i < frames; ++i) {
      ASSERT_EQ(cc[i], all.cond[i * kCh + c]) << "channel " << c << " frame " << i;
      ASSERT_EQ(ec[i], all.env[i * kCh + c]) << "channel " << c << " frame " << i;
    }
  }
}

TEST(Processor, FixedWidthKernelsEqualGenericPath) {
  constexpr int kWide = 8;
  std::vector<SynthEmg> ch;
  for (int c = 0; c < kWide; ++c) {
    SynthParams p;
    p.bursts = 10;
    p.snr_db = 4.0 + 2.0 * c;
    p.seed = 300 + c;
    ch.push_back(make_bursts(p));
  }
  std::size_t frames = ch[0].x.size();
  for (const SynthEmg& s : ch) frames = std::min(frames, s.x.size());
  std::vector<float> x8(frames * kWide), x4(frames * 4);
  for (std::size_t i = 0; i < frames; ++i) {
    for (int c = 0; c < kWide; ++c) {
      float v = ch[c].x[i] + static_cast<float>(20.0 * std::sin(2 * 3.14159265358979 * 50.3 * i / 2000.0 + c));
      if (c == 2 && i >= 20000 && i < 20400) v = 1e4f;  // saturates (adc_max below)
      x8[i * kWide + c] = v;
      if (c < 4) x4[i * 4 + c] = v;
    }
  }
  for (int variant = 0; variant < 3; ++variant) {
    EmgSettings es = settings();
    es.quality.adc_max = 5e3;
    es.quality.adc_min = -5e3;
    if (variant == 1) {
      es.conditioner.mains_mode = MainsMode::fixed;
      es.conditioner.mains_harmonics = 3;
    }
    if (variant == 2) es.onset.signal = DetectionSignal::teager_kaiser;
    const RunOut fixed8 = run_width<8>(x8, frames, 8, es);
    const RunOut generic8 = run_width<16>(x8, frames, 8, es);
    EXPECT_GT(fixed8.events.size(), 40u) << variant;
    expect_same(fixed8, generic8);
    const RunOut fixed4 = run_width<4>(x4, frames, 4, es);
    const RunOut generic4 = run_width<8>(x4, frames, 4, es);
    EXPECT_GT(fixed4.events.size(), 20u) << variant;
    expect_same(fixed4, generic4);
  }
}
