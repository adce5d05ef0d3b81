// Scoring detected burst onsets against ground truth (test helper).
//
// A true burst is detected when an onset falls in [onset - 0.2 s, offset),
// not earlier than the previous burst's offset; the first such onset is its
// match and gives the timing error (detected - true). Every other onset is a
// false burst (including a second onset inside one burst: a split).
#pragma once

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "sim_bursts.hpp"

namespace soleus_test {

struct BurstScore {
  int true_bursts = 0;
  int onsets = 0;
  int matched = 0;
  int false_onsets = 0;
  int within_50ms = 0;
  double bias_ms = 0.0;
  double sd_ms = 0.0;
  double detection() const { return true_bursts ? double(matched) / true_bursts : 0.0; }
  // False onsets as a share of all reported onsets (false discovery rate).
  double false_rate() const { return onsets ? double(false_onsets) / onsets : 0.0; }
  double miss_rate() const { return 1.0 - detection(); }
  double within_50ms_rate() const { return true_bursts ? double(within_50ms) / true_bursts : 0.0; }
};

inline BurstScore score_onsets(const std::vector<double>& onsets_s, const std::vector<TrueBurst>& truth,
                               double early_s = 0.2) {
  BurstScore s;
  s.true_bursts = static_cast<int>(truth.size());
  s.onsets = static_cast<int>(onsets_s.size());
  std::vector<bool> used(onsets_s.size(), false);
  std::vector<double> err;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    double lo = truth[i].onset_s - early_s;
    if (i > 0 && lo < truth[i - 1].offset_s) lo = truth[i - 1].offset_s;
    for (std::size_t k = 0; k < onsets_s.size(); ++k) {
      if (used[k] || onsets_s[k] < lo || onsets_s[k] >= truth[i].offset_s) continue;
      used[k] = true;
      err.push_back(onsets_s[k] - truth[i].onset_s);
      break;
    }
  }
  s.matched = static_cast<int>(err.size());
  for (bool u : used) s.false_onsets += u ? 0 : 1;
  double m = 0.0;
  for (double e : err) m += e;
  m = err.empty() ? 0.0 : m / err.size();
  double v = 0.0;
  for (double e : err) {
    v += (e - m) * (e - m);
    if (std::fabs(e) <= 0.050) ++s.within_50ms;
  }
  s.bias_ms = 1e3 * m;
  s.sd_ms = err.size() > 1 ? 1e3 * std::sqrt(v / (err.size() - 1)) : 0.0;
  return s;
}

inline std::string format_score(const char* name, double snr_db, unsigned seed, const BurstScore& s) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%-12s %5.1f dB seed %-3u | bias %7.2f ms  SD %6.2f ms | detected %5.1f%%  false %5.1f%%"
                "  missed %5.1f%%  |err|<=50ms %5.1f%%  (%d true, %d onsets)",
                name, snr_db, seed, s.bias_ms, s.sd_ms, 100 * s.detection(), 100 * s.false_rate(),
                100 * s.miss_rate(), 100 * s.within_50ms_rate(), s.true_bursts, s.onsets);
  return buf;
}

}  // namespace soleus_test
