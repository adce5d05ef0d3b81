// Compile-time configuration of soleus: capacities, inlining and FMA switches.
// Every switch lives here so a firmware build can override it in one place
// (define the macro before including any soleus header, or on the command line).
#pragma once

#define SOLEUS_VERSION_MAJOR 0
#define SOLEUS_VERSION_MINOR 2
#define SOLEUS_VERSION_PATCH 0
#define SOLEUS_VERSION_STRING "0.2.0"

// Largest number of second-order sections a filter can hold. 40 covers a
// 50 Hz mains filter with every harmonic below Nyquist at 4 kHz (39 notches)
// and any Butterworth design up to order 10 (at most 10 sections).
#ifndef SOLEUS_MAX_SOS_SECTIONS
#define SOLEUS_MAX_SOS_SECTIONS 40
#endif

// SOLEUS_NOINLINE keeps a per-sample update out of line where the body has
// no explicit fma: with FMA contraction the compiler may round an inlined copy
// differently in each caller (a block loop vs a single call), which would
// break "streaming equals offline, bit-exact". One compiled body per type
// gives the same bits everywhere, for the cost of a call per sample.
#if defined(__GNUC__) || defined(__clang__)
#define SOLEUS_NOINLINE __attribute__((noinline))
// SOLEUS_NO_FORCED_INLINE (the sanitizer build, scripts/sanitize.sh): plain
// inline, the compiler decides. Forced inlining is a speed choice; under ASan at
// -O1 it builds huge functions (every lane op of every template instance in one
// body) whose instrumentation and optimisation dominated the suite's compile
// time (issue 13). Results do not change: that build is x86-64-v2, no FMA, so
// a*b+c rounds the same in or out of line.
#if defined(SOLEUS_NO_FORCED_INLINE)
#define SOLEUS_ALWAYS_INLINE inline
#else
#define SOLEUS_ALWAYS_INLINE inline __attribute__((always_inline))
#endif
#define SOLEUS_RESTRICT __restrict__
#define SOLEUS_LIKELY(x) __builtin_expect(!!(x), 1)
#define SOLEUS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define SOLEUS_NOINLINE
#define SOLEUS_ALWAYS_INLINE inline
#define SOLEUS_RESTRICT
#define SOLEUS_LIKELY(x) (x)
#define SOLEUS_UNLIKELY(x) (x)
#endif

// Fused multiply-add in hardware. When present, every kernel uses fma()
// explicitly so that scalar and SIMD-lane paths round identically
// (bit-identical outputs); without it both use a*b+c, contraction disabled.
#ifndef SOLEUS_HAS_FMA
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA) || defined(__FP_FAST_FMAF)
#define SOLEUS_HAS_FMA 1
#else
#define SOLEUS_HAS_FMA 0
#endif
#endif

// Exceptions and RTTI are never needed by the core; this tells us whether we
// may use them in host-only conveniences.
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define SOLEUS_HAS_EXCEPTIONS 1
#else
#define SOLEUS_HAS_EXCEPTIONS 0
#endif
