// No heap after construction: a whole session (8 EMG channels + IMU, with
// faults, NaN and the event queue overflowing) runs without a single
// allocation; so does re-initialising it.
#if !__has_include(<Eigen/Core>)
#include <gtest/gtest.h>
TEST(SessionNoAlloc, SkippedWithoutEigen) { GTEST_SKIP() << "Eigen3 not found: imu layer not built"; }
#else
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "alloc_counter.hpp"
#include "session_sim.hpp"

using Sess = soleus::Session<8, 8>;

TEST(SessionNoAlloc, PushPollAndGettersNeverAllocate) {
  session_sim::Spec sp;
  sp.channels = 8;
  sp.n_sets = 1;
  sp.reps_per_set = 4;
  session_sim::Input in = session_sim::make_input(sp);
  in.emg[1000 * 8 + 3] = NAN;           // a NaN sample
  in.emg_t[5000] = in.emg_t[4999];      // a duplicate stamp
  for (bool spectra : {false, true}) {  // per-burst spectra (their FFT) included
    auto s = std::make_unique<Sess>();    // construction may allocate (here: the heap object)
    soleus::SessionConfig cfg = session_sim::config_for(in);
    cfg.emg.spectra.enabled = spectra;

    std::vector<Sess::Event> sink;
    sink.reserve(1 << 16);
    int events = 0, drop_reports = 0;
    double reported = 0.0;
    const long n = soleus_test::allocations_during([&] {
      ASSERT_TRUE(s->init(cfg).ok());
      const std::size_t C = 8;
      std::size_t j = 0;
      Sess::Event e;
      for (std::size_t i = 0; i < in.emg_t.size(); i += 37) {
        const std::size_t k = std::min<std::size_t>(37, in.emg_t.size() - i);
        s->push_emg_block(&in.emg_t[i], &in.emg[i * C], k);
        while (j < in.imu_t.size() && in.imu_t[j] <= in.emg_t[i + k - 1]) {
          s->push_imu(in.imu_t[j], &in.acc[3 * j], &in.gyro[3 * j]);
          ++j;
        }
        // Poll rarely at first (the queue overflows and says so), then often.
        if (i > in.emg_t.size() / 3) {
          while (s->poll(e)) {
            ++events;
            if (e.type == soleus::SessionEventType::events_dropped) {
              ++drop_reports;
              reported += e.value;
            }
          }
        }
        (void)s->activity();
        (void)s->imu_state();
        (void)s->activation_pct(0);
        (void)s->quality(0);
      }
      s->finish();
      while (s->poll(e)) ++events;
    });
    EXPECT_EQ(n, 0) << "allocations in init/push/poll";
    EXPECT_GT(events, 10);
    EXPECT_GT(s->events_dropped(), 0u);  // the test did overflow the queue
    // The overflow was reported as events that account for every lost event
    // (a queue of 8 with 8 channels can overflow again when all channels'
    // bursts end in one push, so there may be more than one report).
    EXPECT_GE(drop_reports, 1);
    EXPECT_EQ(reported, static_cast<double>(s->events_dropped()));
  }
}

#endif
