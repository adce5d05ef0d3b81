// Scoped flush-to-zero for subnormal floats.
// An IIR filter fed silence after a signal decays into subnormal numbers,
// which cost ~100 cycles per operation on x86. Holding this guard sets the
// FPU's flush-to-zero (and denormals-are-zero) mode and restores the previous
// mode on exit. It is idempotent: nested guards cost a register read.
#pragma once

#include "soleus/core/config.hpp"

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace soleus {

class ScopedFlushDenormals {
 public:
  ScopedFlushDenormals() {
#if defined(__SSE__) || defined(__x86_64__)
    saved_ = _mm_getcsr();
    // FTZ (bit 15) and DAZ (bit 6).
    const unsigned wanted = saved_ | 0x8040u;
    if (wanted != saved_) _mm_setcsr(wanted);
#elif defined(__aarch64__)
    unsigned long fpcr;
    __asm__ __volatile__("mrs %0, fpcr" : "=r"(fpcr));
    saved_ = fpcr;
    const unsigned long wanted = fpcr | (1ul << 24);  // FZ
    if (wanted != fpcr) __asm__ __volatile__("msr fpcr, %0" ::"r"(wanted));
#elif defined(__ARM_FP) && defined(__ARM_ARCH_7EM__)
    unsigned fpscr;
    __asm__ __volatile__("vmrs %0, fpscr" : "=r"(fpscr));
    saved_ = fpscr;
    const unsigned wanted = fpscr | (1u << 24);  // FZ
    if (wanted != fpscr) __asm__ __volatile__("vmsr fpscr, %0" ::"r"(wanted));
#endif
  }
  ~ScopedFlushDenormals() {
#if defined(__SSE__) || defined(__x86_64__)
    if (_mm_getcsr() != saved_) _mm_setcsr(static_cast<unsigned>(saved_));
#elif defined(__aarch64__)
    __asm__ __volatile__("msr fpcr, %0" ::"r"(saved_));
#elif defined(__ARM_FP) && defined(__ARM_ARCH_7EM__)
    unsigned v = static_cast<unsigned>(saved_);
    __asm__ __volatile__("vmsr fpscr, %0" ::"r"(v));
#endif
  }
  ScopedFlushDenormals(const ScopedFlushDenormals&) = delete;
  ScopedFlushDenormals& operator=(const ScopedFlushDenormals&) = delete;

 private:
  unsigned long saved_ = 0;
};

}  // namespace soleus
