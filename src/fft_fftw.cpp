// FFTW backend of soleus::dsp::FftwRfft: one r2c plan per object, made in
// init() (the only allocating call) and executed on the plan's own aligned
// buffers, so forward() never allocates and never depends on caller alignment.
#include <complex>
#include <cstring>
#include <mutex>

#include <fftw3.h>

#include "soleus/dsp/fft.hpp"

namespace soleus::dsp::detail {

namespace {
// FFTW's planner is not thread-safe (only fftw_execute is): every plan
// creation and destruction in the process goes through this lock.
std::mutex& planner_mutex() {
  static std::mutex m;
  return m;
}

// FFTW_ESTIMATE: the plan depends only on n, never on timing measurements, so
// the same build always picks the same algorithm and gives bit-identical
// numbers run after run (FFTW_MEASURE may pick differently each run).
constexpr unsigned kPlanFlags = FFTW_ESTIMATE | FFTW_DESTROY_INPUT;

template <typename T>
struct Api;

template <>
struct Api<float> {
  static void* plan(int n, float* in, std::complex<float>* out) {
    return fftwf_plan_dft_r2c_1d(n, in, reinterpret_cast<fftwf_complex*>(out), kPlanFlags);
  }
  static void execute(void* p) { fftwf_execute(static_cast<fftwf_plan>(p)); }
  static void destroy(void* p) { fftwf_destroy_plan(static_cast<fftwf_plan>(p)); }
  static void* alloc(std::size_t bytes) { return fftwf_malloc(bytes); }
  static void free(void* p) { fftwf_free(p); }
};

#if defined(SOLEUS_HAVE_FFTW_DOUBLE)
template <>
struct Api<double> {
  static void* plan(int n, double* in, std::complex<double>* out) {
    return fftw_plan_dft_r2c_1d(n, in, reinterpret_cast<fftw_complex*>(out), kPlanFlags);
  }
  static void execute(void* p) { fftw_execute(static_cast<fftw_plan>(p)); }
  static void destroy(void* p) { fftw_destroy_plan(static_cast<fftw_plan>(p)); }
  static void* alloc(std::size_t bytes) { return fftw_malloc(bytes); }
  static void free(void* p) { fftw_free(p); }
};
#endif
}  // namespace

template <typename T>
FftwRealPlan<T>::~FftwRealPlan() {
  release();
}

template <typename T>
void FftwRealPlan<T>::release() {
  std::lock_guard<std::mutex> lock(planner_mutex());
  if (plan_) Api<T>::destroy(plan_);
  if (in_) Api<T>::free(in_);
  if (out_) Api<T>::free(out_);
  plan_ = nullptr;
  in_ = nullptr;
  out_ = nullptr;
  n_ = 0;
}

template <typename T>
Status FftwRealPlan<T>::init(int n) {
  release();
  std::lock_guard<std::mutex> lock(planner_mutex());
  in_ = static_cast<T*>(Api<T>::alloc(sizeof(T) * static_cast<std::size_t>(n)));
  out_ = static_cast<std::complex<T>*>(
      Api<T>::alloc(sizeof(std::complex<T>) * static_cast<std::size_t>(n / 2 + 1)));
  if (!in_ || !out_) return Status::capacity("fftw: out of memory for plan buffers");
  plan_ = Api<T>::plan(n, in_, out_);
  if (!plan_) return Status{StatusCode::unsupported, "fftw: planner failed"};
  n_ = n;
  return Status::success();
}

template <typename T>
void FftwRealPlan<T>::forward(const T* in, std::complex<T>* out) {
  if (!plan_) return;  // not initialised: nothing to do (and nothing to crash on)
  // Copying is O(n) against the O(n log n) transform, and keeps the plan
  // valid for any caller buffer (fftw_execute_dft_r2c would demand the
  // plan's alignment from the caller).
  std::memcpy(in_, in, sizeof(T) * static_cast<std::size_t>(n_));
  Api<T>::execute(plan_);
  std::memcpy(static_cast<void*>(out), out_, sizeof(std::complex<T>) * static_cast<std::size_t>(n_ / 2 + 1));
}

template class FftwRealPlan<float>;
#if defined(SOLEUS_HAVE_FFTW_DOUBLE)
template class FftwRealPlan<double>;
#endif

}  // namespace soleus::dsp::detail
