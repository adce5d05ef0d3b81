// Test-only helpers: run a synthetic trace through the rep counter, collect
// the events, and match detected reps to the generator's ground truth.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "rep_sim.hpp"
#include "soleus/reps/sets.hpp"

namespace rep_eval {

using Counter = soleus::reps::RepCounter<2048, 64, 64>;

struct Run {
  std::vector<soleus::reps::Event> events;
  std::vector<soleus::reps::Rep> reps;      // rep_completed, in order, with rep_refined applied
  std::vector<soleus::reps::Rep> provisional;  // rep_completed as sent (before any rep_refined)
  int refined = 0;                          // rep_refined events
  std::vector<double> completed_at_s;       // event time of each rep_completed
  // The rep table's completion: the rep_completed time, or the rep_refined
  // time when that event moved end_s past it (segmenter.hpp apply_contact).
  std::vector<double> table_completed_at_s;
  std::vector<soleus::reps::Rep> holds;     // hold_completed
  std::vector<soleus::reps::SetSummary> sets;
};

inline soleus::reps::SegmenterConfig seg_config(double fs) {
  soleus::reps::SegmenterConfig c;
  c.sample_rate_hz = fs;
  return c;
}

inline void collect(Counter& rc, Run& run) {
  soleus::reps::Event e;
  while (rc.pop(e)) {
    run.events.push_back(e);
    if (e.type == soleus::reps::EventType::rep_completed) {
      run.reps.push_back(e.rep);
      run.provisional.push_back(e.rep);
      run.completed_at_s.push_back(e.t_s);
      run.table_completed_at_s.push_back(e.t_s);
    } else if (e.type == soleus::reps::EventType::rep_refined) {
      // The re-timed heel contact replaces the record (by index): the table
      // scored is the final one, as soleus.analysis builds it offline.
      ++run.refined;
      for (std::size_t k = run.reps.size(); k-- > 0;)
        if (run.reps[k].index == e.rep.index) {
          run.reps[k] = e.rep;
          if (e.rep.end_s > run.table_completed_at_s[k]) run.table_completed_at_s[k] = e.t_s;
          break;
        }
      for (auto it = run.holds.rbegin(); it != run.holds.rend(); ++it)
        if (it->index == e.rep.index) { *it = e.rep; break; }
    } else if (e.type == soleus::reps::EventType::hold_completed) {
      run.holds.push_back(e.rep);
    } else if (e.type == soleus::reps::EventType::set_completed) {
      run.sets.push_back(e.set);
    }
  }
}

inline Run run_trace(const rep_sim::Trace& tr, const soleus::reps::SegmenterConfig& sc,
                     const soleus::reps::SetConfig& setc = soleus::reps::SetConfig{}) {
  static Counter rc;  // large object: static keeps it off the test's stack
  Run run;
  if (!rc.init(sc, setc).ok()) return run;
  for (std::size_t i = 0; i < tr.t.size(); ++i) {
    rc.push(tr.t[i], tr.x[i]);
    collect(rc, run);
  }
  rc.finish(tr.t.back());
  collect(rc, run);
  return run;
}

// Index of the detected rep whose [start, end] overlaps truth g most, or -1.
inline int match(const std::vector<soleus::reps::Rep>& reps, const rep_sim::TruthRep& g) {
  int best = -1;
  double best_ov = 0.0;
  for (std::size_t i = 0; i < reps.size(); ++i) {
    const double ov = std::min(reps[i].end_s, g.end_s) - std::max(reps[i].start_s, g.start_s);
    if (ov > best_ov) { best_ov = ov; best = static_cast<int>(i); }
  }
  return best;
}

inline double percentile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const double pos = q * (v.size() - 1);
  const std::size_t i = static_cast<std::size_t>(pos);
  if (i + 1 >= v.size()) return v.back();
  return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

}  // namespace rep_eval
