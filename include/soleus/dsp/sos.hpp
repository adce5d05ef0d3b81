// Second-order-section coefficients in scipy's layout [b0 b1 b2 a0 a1 a2],
// held in a fixed-capacity list (no heap) so designs can be built on a
// microcontroller as well as on a host.
#pragma once

#include <cstddef>

#include "soleus/core/config.hpp"
#include "soleus/core/status.hpp"

namespace soleus::dsp {

// One biquad: H(z) = (b0 + b1 z^-1 + b2 z^-2) / (a0 + a1 z^-1 + a2 z^-2).
// Same order and signs as a row of scipy's `sos` array.
struct SosSection {
  double b0 = 1.0, b1 = 0.0, b2 = 0.0;
  double a0 = 1.0, a1 = 0.0, a2 = 0.0;
};

// A cascade of up to SOLEUS_MAX_SOS_SECTIONS sections (fixed capacity).
class SosList {
 public:
  static constexpr int capacity = SOLEUS_MAX_SOS_SECTIONS;

  int size() const { return count_; }
  bool empty() const { return count_ == 0; }
  const SosSection& operator[](int i) const { return sections_[i]; }
  SosSection& operator[](int i) { return sections_[i]; }
  const SosSection* begin() const { return sections_; }
  const SosSection* end() const { return sections_ + count_; }
  void clear() { count_ = 0; }

  Status push_back(const SosSection& s) {
    if (count_ >= capacity) {
      return Status::capacity("sos: more sections than SOLEUS_MAX_SOS_SECTIONS");
    }
    sections_[count_++] = s;
    return Status::success();
  }
  // Appends every section of `other` (cascading the two filters).
  Status append(const SosList& other) {
    for (const SosSection& s : other) {
      Status st = push_back(s);
      if (!st) return st;
    }
    return Status::success();
  }
  // From a row-major (n, 6) array in scipy's layout.
  static Result<SosList> from_array(const double* rows, int n_sections) {
    Result<SosList> r;
    if (n_sections < 1) {
      r.status = Status::invalid("sos: need at least one section");
      return r;
    }
    for (int i = 0; i < n_sections; ++i) {
      const double* q = rows + 6 * i;
      if (q[3] == 0.0) {
        r.status = Status::invalid("sos: a0 (column 3) must be non-zero");
        return r;
      }
      Status st = r.value.push_back(SosSection{q[0], q[1], q[2], q[3], q[4], q[5]});
      if (!st) {
        r.status = st;
        return r;
      }
    }
    return r;
  }

 private:
  SosSection sections_[capacity];
  int count_ = 0;
};

}  // namespace soleus::dsp
