// The imu layer allocates nothing after construction: global operator new is
// replaced in this test program and counted while whole simulated sessions
// (foot and shank, with NaN samples and a time gap) stream through the chain.

// The imu layer needs Eigen3 (linked to soleus only when CMake finds it).
#if !__has_include(<Eigen/Core>)
#include <gtest/gtest.h>
TEST(ImuNoHeap, SkippedWithoutEigen) { GTEST_SKIP() << "Eigen3 not found: imu layer not built"; }
#else
#include <gtest/gtest.h>

#include <limits>
#include <new>
#include <vector>

#include "soleus/imu/plantarflexion.hpp"
#include "soleus/sim/heel_raise.hpp"

#include "alloc_counter.hpp"  // counts every global operator new

TEST(ImuNoHeap, StreamingAllocatesNothing) {
  namespace sim = soleus::sim;
  using soleus::imu::PlantarflexionTracker;
  using Vec3 = PlantarflexionTracker::Vec3;
  for (auto place : {sim::ImuPlacement::foot, sim::ImuPlacement::shank}) {
    sim::HeelRaiseConfig c;
    c.placement = place;
    const auto s = sim::generate_heel_raise_session(c, 9);
    std::vector<double> t = s.t_s;
    std::vector<float> acc, gyro;
    for (std::size_t i = 0; i < s.size(); ++i)
      for (int k = 0; k < 3; ++k) {
        acc.push_back(static_cast<float>(s.acc_mps2[i][k]));
        gyro.push_back(static_cast<float>(s.gyro_dps[i][k]));
      }
    acc[3 * 500] = std::numeric_limits<float>::quiet_NaN();
    for (std::size_t i = 2000; i < t.size(); ++i) t[i] += 1.0;  // a 1 s gap
    std::vector<float> angle(s.size());
    PlantarflexionTracker trk;  // constructed before counting
    const long allocations_before = soleus_test::g_allocations.load();
    trk.process(t.data(), acc.data(), gyro.data(), t.size(), angle.data());
    for (std::size_t i = 0; i < 100; ++i) trk.update(t.back() + 0.01 * (i + 1), Vec3(0, 0, 9.8f), Vec3::Zero());
    EXPECT_EQ(soleus_test::g_allocations.load() - allocations_before, 0);
    EXPECT_TRUE(trk.valid());
  }
}

#endif  // Eigen available
