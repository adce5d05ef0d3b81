// Counts heap allocations made through global operator new, so a test can
// prove that a process() call allocates nothing. Include in exactly one
// translation unit per test executable (it replaces the global operators).
#pragma once

#include <atomic>
#include <cstdlib>
#include <new>

// GCC cannot see that these operators pair malloc with free by design.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace soleus_test {
inline std::atomic<long> g_allocations{0};
}

void* operator new(std::size_t n) {
  soleus_test::g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  soleus_test::g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace soleus_test {
// Allocations made while running f.
template <typename F>
long allocations_during(F&& f) {
  const long before = g_allocations.load();
  f();
  return g_allocations.load() - before;
}
}  // namespace soleus_test
