// Fixed-capacity FIFO of events (onsets, offsets) between the real-time
// process call and the caller who drains it. No heap: the capacity is a
// template parameter. When the caller does not drain fast enough the newest
// event is dropped and counted (overflow is reported, never silent); the
// oldest are kept because an offset is meaningless without its onset.
// Shared by every layer that emits events (EMG bursts, repetitions, sessions).
#pragma once

#include <cstddef>
#include <cstdint>

#include "soleus/core/status.hpp"

namespace soleus {

template <typename E, int Capacity>
class EventQueue {
  static_assert(Capacity >= 1, "an event queue needs room for at least one event");

 public:
  static constexpr int capacity = Capacity;

  // capacity_exceeded (and the event counted as dropped) when the queue is full.
  Status push(const E& e) {
    if (size_ == Capacity) {
      ++dropped_;
      return Status::capacity("event queue full: event dropped (poll more often or enlarge it)");
    }
    items_[(head_ + size_) % Capacity] = e;
    ++size_;
    return Status::success();
  }
  // Removes the oldest event into out; false when empty.
  bool pop(E& out) {
    if (size_ == 0) return false;
    out = items_[head_];
    head_ = (head_ + 1) % Capacity;
    --size_;
    return true;
  }
  // i-th oldest event, 0 <= i < size().
  const E& peek(int i = 0) const { return items_[(head_ + i) % Capacity]; }
  int size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Events dropped because the queue was full, since construction or clear().
  std::uint64_t dropped() const { return dropped_; }
  void clear() {
    head_ = size_ = 0;
    dropped_ = 0;
  }

 private:
  E items_[Capacity] = {};
  int head_ = 0;
  int size_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace soleus
