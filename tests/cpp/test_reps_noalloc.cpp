// No heap allocation after construction: pushing a whole session through
// RepCounter (events polled, sets closed) performs zero operator new calls.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "rep_eval.hpp"

namespace {
std::atomic<long> g_allocs{0};
std::atomic<bool> g_counting{false};
}  // namespace

void* operator new(std::size_t n) {
  if (g_counting.load()) g_allocs.fetch_add(1);
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

TEST(RepsNoAlloc, PushPathNeverAllocates) {
  rep_sim::SetSpec ss;
  ss.reps = 12;
  rep_sim::TraceSpec ts;
  ts.fs_hz = 200.0;
  ts.noise_sd_deg = 0.2;
  ts.tail_rest_s = 20.0;  // the set closes inside the loop
  const auto tr = rep_sim::make_trace(ts, rep_sim::make_reps(ss, 8));
  static rep_eval::Counter rc;
  ASSERT_TRUE(rc.init(rep_eval::seg_config(ts.fs_hz), soleus::reps::SetConfig{}).ok());
  int completed = 0, sets = 0;
  soleus::reps::Event e;
  g_allocs = 0;
  g_counting = true;
  for (std::size_t i = 0; i < tr.t.size(); ++i) {
    rc.push(tr.t[i], tr.x[i]);
    while (rc.pop(e)) {
      completed += e.type == soleus::reps::EventType::rep_completed;
      sets += e.type == soleus::reps::EventType::set_completed;
    }
  }
  g_counting = false;
  EXPECT_EQ(g_allocs.load(), 0);
  EXPECT_EQ(completed, 12);
  EXPECT_EQ(sets, 1);
}
