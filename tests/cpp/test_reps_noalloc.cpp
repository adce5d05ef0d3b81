// No heap allocation after construction: pushing a whole session through
// RepCounter (events polled, sets closed) performs zero operator new calls.
#include <gtest/gtest.h>

#include "alloc_counter.hpp"  // counts every global operator new
#include "rep_eval.hpp"


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
  const long allocations_before = soleus_test::g_allocations.load();
  for (std::size_t i = 0; i < tr.t.size(); ++i) {
    rc.push(tr.t[i], tr.x[i]);
    while (rc.pop(e)) {
      completed += e.type == soleus::reps::EventType::rep_completed;
      sets += e.type == soleus::reps::EventType::set_completed;
    }
  }
  EXPECT_EQ(soleus_test::g_allocations.load() - allocations_before, 0);
  EXPECT_EQ(completed, 12);
  EXPECT_EQ(sets, 1);
}
