// The exported C API (include/soleus/soleus.h): each soleus_* function checks
// the session pointer and calls the implementation the session was created
// with (src/soleus_c_variant.hpp). Compiled for the library's baseline: this
// file must run on every CPU the library accepts, AVX2 or not.
//
// A dispatching build (SOLEUS_C_DISPATCH=1, the default of SOLEUS_PORTABLE on
// x86-64 Linux) carries the implementation twice, for x86-64-v2 and for
// x86-64-v3 (AVX2, FMA, BMI1/2, F16C, MOVBE); soleus_create takes x86-64-v3
// when the CPU and the OS support it and SOLEUS_FORCE_BASELINE is not set
// (the same variable as the Python package's). Any other build carries one
// implementation, compiled with the library's own flags.
#include <cstdlib>
#include <cstring>
#include <type_traits>

#include "soleus/soleus.h"
#include "soleus/version.hpp"
#include "soleus_c_variant.hpp"

namespace {

#if defined(SOLEUS_C_DISPATCH) && SOLEUS_C_DISPATCH
// 1 when the CPU and the OS (which must save the YMM registers) support every
// extension the x86-64-v3 implementation is compiled for; the same check as
// the Python package's soleus._cpu (python/cpu/cpu.c).
bool cpu_has_x86_64_v3() {
  __builtin_cpu_init();
  // libgcc's / compiler-rt's checks include OS support (XGETBV) for AVX.
  return __builtin_cpu_supports("avx") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
         __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt")
#if defined(__GNUC__) && !defined(__clang__)
         // clang 14 knows neither name here; every CPU with AVX2 + FMA + BMI2
         // (Intel Haswell, AMD Excavator and later) has F16C and MOVBE.
         && __builtin_cpu_supports("f16c") && __builtin_cpu_supports("movbe")
#endif
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
         && __builtin_cpu_supports("lzcnt") && __builtin_cpu_supports("x86-64-v3")
#endif
      ;
}

// SOLEUS_FORCE_BASELINE set to anything but "", 0, false, no, off (any case).
bool forced_baseline() {
  const char* v = std::getenv("SOLEUS_FORCE_BASELINE");
  if (v == nullptr) return false;
  while (*v == ' ' || *v == '\t') ++v;
  char word[8] = {0};
  std::size_t n = 0;
  for (; v[n] != '\0' && v[n] != ' ' && v[n] != '\t' && n + 1 < sizeof word; ++n)
    word[n] = static_cast<char>(v[n] >= 'A' && v[n] <= 'Z' ? v[n] - 'A' + 'a' : v[n]);
  if (v[n] != '\0' && v[n] != ' ' && v[n] != '\t') return true;  // a longer word: truthy
  static const char* const kOff[] = {"", "0", "false", "no", "off"};
  for (const char* off : kOff)
    if (std::strcmp(word, off) == 0) return false;
  return true;
}
#endif

// The implementation for a new session (or a config call). The CPU check is
// made once per process; the variable is read at every call, so a program can
// compare the two paths in one run (setenv between two soleus_create).
const soleus_c_variant* choose() {
#if defined(SOLEUS_C_DISPATCH) && SOLEUS_C_DISPATCH
  static const bool has_v3 = cpu_has_x86_64_v3();
  if (has_v3 && !forced_baseline()) return soleus_c_variant_x86_64_v3();
  return soleus_c_variant_x86_64_v2();
#else
  return soleus_c_variant_single();
#endif
}

}  // namespace

extern "C" {

const char* soleus_version(void) { return soleus::version_string(); }

const char* soleus_strerror(soleus_status status) {
  // A C caller may pass any integer (C enums hold every value of their
  // integer type); in C++ a soleus_status outside the enum's value range
  // (0..15) is undefined behaviour to read as the enum (clang UBSan,
  // -fsanitize=enum: "load of value 99"). Read the bytes as the underlying
  // integer instead.
  std::underlying_type_t<soleus_status> code;
  static_assert(sizeof code == sizeof status, "soleus_status: layout");
  std::memcpy(&code, &status, sizeof code);
  switch (code) {
    case SOLEUS_OK: return "ok";
    case SOLEUS_ERR_INVALID_ARGUMENT: return "invalid argument: a configuration field or argument is out of range";
    case SOLEUS_ERR_CAPACITY: return "capacity exceeded: events were dropped (poll more often)";
    case SOLEUS_ERR_NOT_READY: return "not ready: the stream is not configured or the session not created";
    case SOLEUS_ERR_BAD_INPUT: return "bad input: samples were dropped or contained (see the fault events)";
    case SOLEUS_ERR_UNSUPPORTED: return "unsupported in this build";
    case SOLEUS_ERR_NULL: return "null pointer argument";
    case SOLEUS_ERR_NO_MEMORY: return "out of memory creating the session";
    case SOLEUS_ERR_VERSION: return "struct_size does not match this library (header/library mismatch)";
  }
  return "unknown status code";
}

void soleus_config_default(soleus_config* c) { choose()->config_default(c); }

soleus_status soleus_config_validate(const soleus_config* c) { return choose()->config_validate(c); }

const char* soleus_config_error(const soleus_config* c) { return choose()->config_error(c); }

soleus_status soleus_create(const soleus_config* c, soleus_session** out) { return choose()->create(c, out); }

void soleus_destroy(soleus_session* s) {
  if (s != nullptr) s->variant->destroy(s);
}

const char* soleus_last_error(const soleus_session* s) {
  return s != nullptr ? s->variant->last_error(s) : "session: null pointer";
}

const char* soleus_session_isa(const soleus_session* s) { return s != nullptr ? s->variant->isa : "none"; }

soleus_status soleus_push_emg(soleus_session* s, double t_s, const float* frame) {
  return s != nullptr ? s->variant->push_emg(s, t_s, frame) : SOLEUS_ERR_NULL;
}

soleus_status soleus_push_emg_block(soleus_session* s, const double* t_s, const float* frames, size_t n) {
  return s != nullptr ? s->variant->push_emg_block(s, t_s, frames, n) : SOLEUS_ERR_NULL;
}

soleus_status soleus_push_imu(soleus_session* s, double t_s, const float* acc, const float* gyro) {
  return s != nullptr ? s->variant->push_imu(s, t_s, acc, gyro) : SOLEUS_ERR_NULL;
}

soleus_status soleus_push_imu_block(soleus_session* s, const double* t_s, const float* acc, const float* gyro,
                                    size_t n) {
  return s != nullptr ? s->variant->push_imu_block(s, t_s, acc, gyro, n) : SOLEUS_ERR_NULL;
}

soleus_status soleus_finish(soleus_session* s) { return s != nullptr ? s->variant->finish(s) : SOLEUS_ERR_NULL; }

soleus_status soleus_begin_mvc(soleus_session* s) {
  return s != nullptr ? s->variant->begin_mvc(s) : SOLEUS_ERR_NULL;
}

soleus_status soleus_end_mvc(soleus_session* s) { return s != nullptr ? s->variant->end_mvc(s) : SOLEUS_ERR_NULL; }

soleus_status soleus_set_mvc_references(soleus_session* s, const double* reference) {
  return s != nullptr ? s->variant->set_mvc_references(s, reference) : SOLEUS_ERR_NULL;
}

int soleus_poll(soleus_session* s, soleus_event* out) { return s != nullptr ? s->variant->poll(s, out) : 0; }

soleus_status soleus_get_state(const soleus_session* s, soleus_state* out) {
  return s != nullptr ? s->variant->get_state(s, out) : SOLEUS_ERR_NULL;
}

}  // extern "C"
