// EMG-only repetition mode: a synthetic soleus envelope (%MVC at 2 kHz, rest
// ~3 %, each rep a smooth rise to 25-40 %, a plateau, a smooth decline, with
// multiplicative noise like a 6 Hz envelope's ripple) gives one rep per
// burst, marked source = 1, with the bursts' edges found within 250 ms.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "soleus/reps/emg_reps.hpp"

namespace {
struct Burst { double on, top, down, off, peak; };
double smooth(double u) { return u <= 0 ? 0 : u >= 1 ? 1 : u * u * u * (10 + u * (-15 + 6 * u)); }
}  // namespace

// Both methods on smooth (minimum-jerk) bursts: the segmenter method finds
// the edges within 250 ms; the bursts method (default; its edges are the
// 10 % / 30 % crossings extrapolated linearly, made for the stepwise
// activation of real heel raises) counts every burst, with edges late/early
// by up to ~0.9 s on these slow minimum-jerk ramps (flat at their ends).
class EmgRepsMethods : public ::testing::TestWithParam<soleus::reps::EmgRepMethod> {};

TEST_P(EmgRepsMethods, CountsActivationBurstsAsLowConfidenceReps) {
  const bool seg = GetParam() == soleus::reps::EmgRepMethod::segmenter;
  const double fs = 2000.0;
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> U(0.0, 1.0);
  std::vector<Burst> bursts;
  double t = 5.0;
  for (int set = 0; set < 2; ++set) {
    for (int i = 0; i < 10; ++i) {
      Burst b;
      b.on = t;
      b.top = b.on + 0.4 + 0.8 * U(rng);
      b.down = b.top + 0.5 + 1.5 * U(rng);
      b.off = b.down + 1.0 + 2.0 * U(rng);
      b.peak = 25.0 + 15.0 * U(rng);
      bursts.push_back(b);
      t = b.off + 0.8 + 1.0 * U(rng);
    }
    t += 25.0;  // set rest
  }
  const double t_end = t;
  std::normal_distribution<double> N(0.0, 1.0);
  static soleus::reps::EmgRepCounter<> rc;
  soleus::reps::EmgRepConfig cfg;
  cfg.input_rate_hz = fs;
  cfg.method = GetParam();
  ASSERT_TRUE(rc.init(cfg).ok());
  std::vector<soleus::reps::Rep> reps;
  int sets = 0;
  double ripple = 0.0;
  soleus::reps::Event e;
  for (long k = 0; k < static_cast<long>(t_end * fs); ++k) {
    const double tt = k / fs;
    double a = 3.0;
    for (const auto& b : bursts) {
      if (tt < b.on || tt > b.off) continue;
      const double up = smooth((tt - b.on) / (b.top - b.on)), dn = 1.0 - smooth((tt - b.down) / (b.off - b.down));
      a = 3.0 + (b.peak - 3.0) * (tt < b.down ? up : dn);
    }
    ripple += 0.02 * (N(rng) - ripple);  // low-pass noise: an envelope's ripple
    rc.push(tt, static_cast<float>(a * (1.0 + 0.5 * ripple)));
    while (rc.pop(e)) {
      if (e.type == soleus::reps::EventType::rep_completed) reps.push_back(e.rep);
      if (e.type == soleus::reps::EventType::set_completed) ++sets;
    }
  }
  rc.finish(t_end);
  while (rc.pop(e)) {
    if (e.type == soleus::reps::EventType::rep_completed) reps.push_back(e.rep);
    if (e.type == soleus::reps::EventType::set_completed) ++sets;
  }
  ASSERT_EQ(reps.size(), bursts.size());
  EXPECT_EQ(sets, 2);
  double worst = 0.0;
  for (std::size_t i = 0; i < reps.size(); ++i) {
    EXPECT_EQ(reps[i].source, 1);
    worst = std::fmax(worst, std::fabs(reps[i].start_s - bursts[i].on));
    worst = std::fmax(worst, std::fabs(reps[i].end_s - bursts[i].off));
  }
  std::printf("[emg-only, %s] %zu bursts -> %zu reps, worst onset/offset error %.0f ms\n",
              seg ? "segmenter" : "bursts", bursts.size(), reps.size(), 1e3 * worst);
  EXPECT_LT(worst, seg ? 0.25 : 1.0);  // lower confidence: 50 % envelope ripple
}

INSTANTIATE_TEST_SUITE_P(Both, EmgRepsMethods,
                         ::testing::Values(soleus::reps::EmgRepMethod::segmenter, soleus::reps::EmgRepMethod::bursts));
