// The imu layer allocates nothing after construction: global operator new is
// replaced in this test program and counted while whole simulated sessions
// (foot and shank, with NaN samples and a time gap) stream through the chain.

// The imu layer needs Eigen3 (linked to soleus only when CMake finds it).
#if !__has_include(<Eigen/Core>)
#include <gtest/gtest.h>
TEST(ImuNoHeap, SkippedWithoutEigen) { GTEST_SKIP() << "Eigen3 not found: imu layer not built"; }
#else
#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
#include <new>
#include <vector>

#include "soleus/imu/plantarflexion.hpp"
#include "soleus/sim/heel_raise.hpp"

namespace {
long g_allocations = 0;
bool g_counting = false;
}  // namespace

void* operator new(std::size_t n) {
  if (g_counting) ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
// The replaced new takes from malloc, so delete hands back with free; GCC's
// -Wmismatched-new-delete (at -O1, the sanitizer build) sees only the free
// of a pointer that came from operator new: a false positive here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

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
    g_allocations = 0;
    g_counting = true;
    trk.process(t.data(), acc.data(), gyro.data(), t.size(), angle.data());
    for (std::size_t i = 0; i < 100; ++i) trk.update(t.back() + 0.01 * (i + 1), Vec3(0, 0, 9.8f), Vec3::Zero());
    g_counting = false;
    EXPECT_EQ(g_allocations, 0);
    EXPECT_TRUE(trk.valid());
  }
}

#endif  // Eigen available
