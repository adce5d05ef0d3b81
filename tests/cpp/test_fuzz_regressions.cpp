// Every input the C API fuzzer (tests/fuzz/fuzz_session_c_api.cpp) found
// failing is kept in tests/fuzz/regressions/ and replayed here through the
// same harness, with its invariant checks (a violation aborts the test). Each
// file name says what it found; docs/recovery.md lists them.
#if !__has_include(<Eigen/Core>)
#include <gtest/gtest.h>
TEST(FuzzRegressions, SkippedWithoutEigen) { GTEST_SKIP() << "Eigen3 not found: C API not built"; }
#else
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../fuzz/fuzz_session_c_api.cpp"  // the harness itself: LLVMFuzzerTestOneInput and its checks

namespace {

std::vector<uint8_t> read_input(const std::string& name) {
  std::ifstream f(std::string(SOLEUS_TEST_FUZZ_DIR) + "/regressions/" + name, std::ios::binary);
  EXPECT_TRUE(f.good()) << name;
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

}  // namespace

// A gradual lowering's fitted end passed the next rep's fitted start (rep 0
// ended at 4.90 s, rep 1 started at 4.25 s): rest_measured reported
// rest_s = -0.64 s. Now the rest is 0 (the reps touch); the harness checks
// rest_s >= 0 on every rest_measured event.
TEST(FuzzRegressions, NegativeRestAfterGradualLowering) {
  const std::vector<uint8_t> in = read_input("negative_rest_after_gradual_lowering");
  ASSERT_FALSE(in.empty());
  EXPECT_EQ(LLVMFuzzerTestOneInput(in.data(), in.size()), 0);
  // The input still reaches what it found: completed reps and a measured rest.
  EXPECT_GE(g_last_events_by_type[SOLEUS_EVENT_REP_COMPLETED], 2u);
  EXPECT_GE(g_last_events_by_type[SOLEUS_EVENT_REST_MEASURED], 1u);
}

#endif
