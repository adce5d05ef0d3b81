// Event-queue overflow is counted and reported, never silent.
#include <gtest/gtest.h>

#include "rep_eval.hpp"

using namespace soleus::reps;

TEST(RepsQueue, FifoAndOverflowCount) {
  EventQueue<3> q;
  Event e;
  for (int i = 0; i < 3; ++i) {
    e.t_s = i;
    EXPECT_TRUE(q.push(e).ok());
  }
  e.t_s = 99;
  const soleus::Status st = q.push(e);
  EXPECT_EQ(st.code, soleus::StatusCode::capacity_exceeded);
  EXPECT_EQ(q.dropped(), 1u);
  Event o;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(q.pop(o));
    EXPECT_EQ(o.t_s, i);
  }
  EXPECT_FALSE(q.pop(o));
}

TEST(RepsQueue, SegmenterReportsDroppedEvents) {
  // Never polled: a 4-event queue overflows on a 10-rep set; push() says so
  // and dropped() counts every lost event.
  rep_sim::TraceSpec ts;
  const auto tr = rep_sim::make_trace(ts, rep_sim::make_reps(rep_sim::SetSpec{}, 4));
  static Segmenter<2048> seg;
  ASSERT_TRUE(seg.init(rep_eval::seg_config(ts.fs_hz)).ok());
  EventQueue<4> q;
  int capacity_errors = 0;
  for (std::size_t i = 0; i < tr.t.size(); ++i)
    if (seg.push(tr.t[i], tr.x[i], q).code == soleus::StatusCode::capacity_exceeded) ++capacity_errors;
  // Each rep emits 4 events (started, top, lowering, completed) + a rest.
  EXPECT_EQ(q.size(), 4);
  EXPECT_EQ(q.dropped(), 10u * 4u + 9u - 4u);
  // push() reports overflow on every sample that lost an event.
  EXPECT_GT(capacity_errors, 0);
  EXPECT_LE(static_cast<std::uint64_t>(capacity_errors), q.dropped());
  EXPECT_EQ(seg.reps_emitted(), 10);  // the reps were still counted
}

TEST(RepsQueue, CounterExposesDroppedCount) {
  rep_sim::TraceSpec ts;
  const auto tr = rep_sim::make_trace(ts, rep_sim::make_reps(rep_sim::SetSpec{}, 5));
  static RepCounter<2048, 8, 64> rc;
  ASSERT_TRUE(rc.init(rep_eval::seg_config(ts.fs_hz), SetConfig{}).ok());
  bool saw_error = false;
  for (std::size_t i = 0; i < tr.t.size(); ++i)
    if (rc.push(tr.t[i], tr.x[i]).code == soleus::StatusCode::capacity_exceeded) saw_error = true;
  EXPECT_TRUE(saw_error);
  EXPECT_EQ(rc.pending(), 8);
  EXPECT_EQ(rc.events_dropped(), 10u * 4u + 9u - 8u);
}
