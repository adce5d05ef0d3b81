// reps::ImuRepCounter allocates nothing after construction: global operator
// new is replaced in this program and counted while simulated sessions
// (foot and seated shank, with EMG attached, NaN samples, a time gap and a
// too-small event queue that overflows) stream through push / push_emg / pop.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "alloc_counter.hpp"
#include "soleus/reps/imu_reps.hpp"
#include "soleus/sim/heel_raise.hpp"

TEST(HeelRaiseChainNoHeap, StreamingAllocatesNothing) {
  namespace sim = soleus::sim;
  using Chain = soleus::reps::ImuRepCounter<2048, 8, 64, 1024, 2, 1024>;  // small queue: overflow path too
  static Chain ch;
  for (auto place : {sim::ImuPlacement::foot, sim::ImuPlacement::shank}) {
    sim::HeelRaiseConfig c;
    c.placement = place;
    c.posture = place == sim::ImuPlacement::shank ? sim::Posture::seated : sim::Posture::standing;
    auto s = sim::generate_heel_raise_session(c, 4);
    ASSERT_TRUE(s.status.ok());
    // A NaN sample and a 0.5 s time gap in the middle.
    const std::size_t mid = s.size() / 2;
    s.acc_mps2[mid][0] = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t i = mid + 10; i < s.size(); ++i) s.t_s[i] += 0.5;
    soleus::reps::ImuRepConfig cfg;
    cfg.placement = place == sim::ImuPlacement::shank ? soleus::reps::ImuPlacement::shank_seated
                                                      : soleus::reps::ImuPlacement::foot;
    cfg.emg_channels = 2;
    ASSERT_TRUE(ch.init(cfg).ok());
    int reps = 0;
    const long n_alloc = soleus_test::allocations_during([&] {
      Chain::OutEvent e;
      for (std::size_t i = 0; i < s.size(); ++i) {
        const float pct[2] = {10.0f, 5.0f}, v[2] = {0.1f, -0.05f};
        ch.push_emg(s.t_s[i] - 0.001, pct, v);
        if (i % 500 == 0) ch.push_emg_onset(0, s.t_s[i]);
        ch.push(s.t_s[i], s.acc_mps2[i].data(), s.gyro_dps[i].data());
        if (i % 3000 == 0) continue;  // poll rarely now and then: the queue may overflow
        while (ch.pop(e)) reps += e.event.type == soleus::reps::EventType::rep_completed ? 1 : 0;
      }
      ch.finish();
      while (ch.pop(e)) reps += e.event.type == soleus::reps::EventType::rep_completed ? 1 : 0;
      (void)ch.state();
      (void)ch.stats();
    });
    EXPECT_EQ(n_alloc, 0);
    EXPECT_GT(reps, 0);
  }
}
