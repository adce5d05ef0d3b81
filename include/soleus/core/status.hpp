// Status codes: how every fallible soleus call reports failure without exceptions.
// A Status carries a code and a static message naming the offending argument,
// so firmware can log it and Python can raise ValueError with the same text.
#pragma once

namespace soleus {

enum class StatusCode : int {
  ok = 0,
  invalid_argument = 1,  // a parameter is out of its documented range
  capacity_exceeded = 2, // a fixed capacity (sections, channels, queue) is too small
  not_ready = 3,         // the object has not been configured / calibrated yet
  bad_input = 4,         // a sample was NaN/Inf/saturated and was contained
  unsupported = 5,       // not available in this build (e.g. no FFT backend)
};

struct Status {
  StatusCode code = StatusCode::ok;
  // Static string, never owned: safe to keep and to pass across the C API.
  const char* message = "ok";

  constexpr bool ok() const { return code == StatusCode::ok; }
  constexpr explicit operator bool() const { return ok(); }

  static constexpr Status success() { return Status{}; }
  static constexpr Status invalid(const char* what) {
    return Status{StatusCode::invalid_argument, what};
  }
  static constexpr Status capacity(const char* what) {
    return Status{StatusCode::capacity_exceeded, what};
  }
};

// Value-or-status, for calls that produce something (C++17, no exceptions).
template <typename T>
struct Result {
  T value{};
  Status status{};
  constexpr bool ok() const { return status.ok(); }
};

}  // namespace soleus
