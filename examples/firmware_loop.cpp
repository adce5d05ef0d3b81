// Firmware-style use of the Session: fixed sizes, static storage, no heap.
//
// Interrupt handlers (here simulated: an EMG ADC "frame ready" interrupt at
// 2 kHz and an IMU "data ready" interrupt at 100 Hz) only copy the sample and
// its time stamp into single-producer/single-consumer rings. The main loop
// owns the Session: it drains the rings into it in blocks, in time order, and
// polls events. That keeps the thread-safety rule: one thread (the main loop)
// calls every Session function; the interrupts never touch it.
//
// After set-up the global operator new traps, so any allocation in the loop
// would abort the program: it runs to the end.
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "soleus/session.hpp"

// ---------------------------------------------------------------- no heap
static bool g_heap_locked = false;
void* operator new(std::size_t n) {
  if (g_heap_locked) {
    std::fputs("heap allocation after set-up\n", stderr);
    std::abort();
  }
  if (void* p = std::malloc(n ? n : 1)) return p;
  std::abort();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

// ---------------------------------------------------------------- rings
// Lock-free SPSC ring: the interrupt writes head, the main loop writes tail.
template <typename T, int N>
class SpscRing {
  static_assert((N & (N - 1)) == 0, "N must be a power of two");

 public:
  bool push(const T& x) {  // interrupt context
    const std::uint32_t h = head_.load(std::memory_order_relaxed);
    if (h - tail_.load(std::memory_order_acquire) == N) {
      ++overruns_;
      return false;  // main loop too slow: counted, like the Session's queue
    }
    buf_[h & (N - 1)] = x;
    head_.store(h + 1, std::memory_order_release);
    return true;
  }
  bool peek(T& x) const {  // main loop
    const std::uint32_t t = tail_.load(std::memory_order_relaxed);
    if (t == head_.load(std::memory_order_acquire)) return false;
    x = buf_[t & (N - 1)];
    return true;
  }
  void drop() { tail_.store(tail_.load(std::memory_order_relaxed) + 1, std::memory_order_release); }
  std::uint32_t overruns() const { return overruns_; }

 private:
  T buf_[N];
  std::atomic<std::uint32_t> head_{0}, tail_{0};
  std::uint32_t overruns_ = 0;
};

constexpr int kChannels = 2;  // soleus, gastrocnemius medialis
struct EmgSample {
  double t_s;
  float x[kChannels];
};
struct ImuSample {
  double t_s;
  float acc[3], gyro[3];
};

static SpscRing<EmgSample, 1024> g_emg_ring;
static SpscRing<ImuSample, 64> g_imu_ring;
// Capacity 8 channels (2 used): EmgProcessor<2> and <4> crash in init with
// g++ 12 -O3 (a misaligned vector store in MvcNormalizer::reset; see the
// session report), so the firmware build uses the tested capacity 8.
static soleus::Session<8, 64> g_session;  // ~0.8 MB of static storage

// ---------------------------------------------------------------- "hardware"
// A person doing heel raises: 25 deg rise in 1 s, 1 s hold, 2 s lowering,
// 3 s rest, with calf EMG during each raise. Tiny LCG noise, no library.
static std::uint32_t g_rng = 12345u;
static float noise() {
  g_rng = g_rng * 1664525u + 1013904223u;
  return static_cast<float>(static_cast<std::int32_t>(g_rng >> 8) - (1 << 23)) / static_cast<float>(1 << 23);
}
static double angle_deg(double t, double* rate_dps) {
  const double cycle = 7.0, u = std::fmod(t - 8.0, cycle);
  *rate_dps = 0.0;
  if (t < 8.0 || t > 8.0 + 10 * cycle) return 0.0;  // 8 s still, then 10 reps
  const double pi = 3.14159265358979;
  if (u < 1.0) {
    *rate_dps = 12.5 * pi * std::sin(pi * u);
    return 12.5 * (1.0 - std::cos(pi * u));
  }
  if (u < 2.0) return 25.0;
  if (u < 4.0) {
    const double v = (u - 2.0) / 2.0;
    *rate_dps = -6.25 * pi * std::sin(pi * v);
    return 12.5 * (1.0 + std::cos(pi * v));
  }
  return 0.0;
}
static void emg_adc_isr(double t) {
  double r;
  const bool active = angle_deg(t + 0.1, &r) > 0.5 || angle_deg(t, &r) > 0.5;
  EmgSample s;
  s.t_s = t;
  for (int c = 0; c < kChannels; ++c) s.x[c] = (active ? 0.4f : 0.02f) * noise();
  g_emg_ring.push(s);
}
static void imu_isr(double t) {
  double rate;
  const double th = angle_deg(t, &rate) * 3.14159265358979 / 180.0;
  ImuSample s;
  s.t_s = t;
  s.acc[0] = static_cast<float>(-9.80665 * std::sin(th)) + 0.02f * noise();
  s.acc[1] = 0.02f * noise();
  s.acc[2] = static_cast<float>(9.80665 * std::cos(th)) + 0.02f * noise();
  s.gyro[0] = 0.1f * noise();
  s.gyro[1] = static_cast<float>(rate) + 0.1f * noise();
  s.gyro[2] = 0.1f * noise();
  g_imu_ring.push(s);
}

// ---------------------------------------------------------------- main loop
static int g_reps = 0;
static void drain_rings() {
  static double t_buf[32];
  static float x_buf[32 * kChannels];
  EmgSample e;
  ImuSample m;
  for (;;) {
    // In time order: the IMU sample first when it is not later than the next EMG frame.
    const bool have_e = g_emg_ring.peek(e), have_m = g_imu_ring.peek(m);
    if (!have_e && !have_m) break;
    if (have_m && (!have_e || m.t_s <= e.t_s)) {
      g_session.push_imu(m.t_s, m.acc, m.gyro);
      g_imu_ring.drop();
      continue;
    }
    // A block of EMG frames up to the next IMU sample.
    int n = 0;
    while (n < 32 && g_emg_ring.peek(e) && (!have_m || e.t_s < m.t_s)) {
      t_buf[n] = e.t_s;
      for (int c = 0; c < kChannels; ++c) x_buf[n * kChannels + c] = e.x[c];
      g_emg_ring.drop();
      ++n;
    }
    g_session.push_emg_block(t_buf, x_buf, static_cast<std::size_t>(n));
  }
  soleus::Session<8, 64>::Event ev;
  while (g_session.poll(ev)) {
    switch (ev.type) {
      case soleus::SessionEventType::rep_completed:
        ++g_reps;
        std::printf("%8.3f  rep %d: rom %.1f deg, up %.2f s, hold %.2f s, down %.2f s, soleus %.0f%%\n", ev.t_s,
                    ev.rep.index + 1, ev.rep.rom_deg, ev.rep.concentric_s, ev.rep.hold_s, ev.rep.eccentric_s,
                    static_cast<double>(ev.emg.mean_pct_mvc[0][soleus::reps::kEmgWholeRep]));
        break;
      case soleus::SessionEventType::set_completed:
        std::printf("%8.3f  set %d: %d reps\n", ev.t_s, ev.set.index + 1, ev.set.rep_count);
        break;
      case soleus::SessionEventType::fault:
        std::printf("%8.3f  fault kind %d on stream %d\n", ev.t_s, static_cast<int>(ev.fault.kind),
                    static_cast<int>(ev.fault.stream));
        break;
      case soleus::SessionEventType::axis_found:
        std::printf("%8.3f  sagittal axis found\n", ev.t_s);
        break;
      default:
        break;
    }
  }
}

int main() {
  soleus::SessionConfig cfg;
  cfg.emg_channels = kChannels;
  cfg.channel[1] = soleus::EmgChannelConfig{"gm", soleus::Muscle::gastrocnemius_medialis};
  cfg.emg_range = 2.5;  // ADC full scale, mV
  cfg.imu_reps.placement = soleus::reps::ImuPlacement::foot;
  const soleus::Status st = g_session.init(cfg);
  if (!st) {
    std::printf("config: %s\n", st.message);
    return 1;
  }
  g_heap_locked = true;  // from here on, any allocation aborts

  // 80 s of "hardware time": interrupts fire, the main loop runs every 10 ms.
  const int emg_per_tick = 20, imu_per_tick = 1;
  for (int tick = 0; tick < 8000; ++tick) {
    for (int k = 0; k < emg_per_tick; ++k) emg_adc_isr((tick * emg_per_tick + k) / 2000.0);
    for (int k = 0; k < imu_per_tick; ++k) imu_isr((tick * imu_per_tick + k) / 100.0);
    drain_rings();
  }
  g_session.finish();
  drain_rings();
  g_heap_locked = false;
  std::printf("reps: %d (10 performed), ring overruns: %u EMG, %u IMU, events dropped: %llu\n", g_reps,
              g_emg_ring.overruns(), g_imu_ring.overruns(),
              static_cast<unsigned long long>(g_session.events_dropped()));
  return g_reps == 10 ? 0 : 1;
}
