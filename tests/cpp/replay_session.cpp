// Replays a recorded push sequence through soleus::Session<8, 256> directly
// (no C API) and prints every event as one CSV line, in the format of
// tests/c/replay_c_api.c (file format described there).
// Usage: replay_session FILE
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "soleus/session.hpp"

namespace {

using Sess = soleus::Session<8, 256>;

void pd(double v) {
  if (std::isnan(v)) std::printf(",nan");
  else std::printf(",%.17g", v);
}

void print_event(const Sess::Event& e, int channels) {
  using T = soleus::SessionEventType;
  std::printf("%d", static_cast<int>(e.type));
  pd(e.t_s);
  std::printf(",%d", e.channel);
  pd(e.value);
  if (static_cast<int>(e.type) <= static_cast<int>(T::rest_measured) || e.type == T::rep_refined) {
    const soleus::reps::Rep& r = e.rep;
    std::printf(",%d", r.index);
    pd(r.start_s); pd(r.top_s); pd(r.lower_start_s); pd(r.end_s);
    pd(r.concentric_s); pd(r.hold_s); pd(r.eccentric_s); pd(r.rest_s);
    std::printf(",%d", r.rest_known ? 1 : 0);
    pd(r.baseline_deg); pd(r.top_deg); pd(r.rom_deg);
    pd(r.concentric_peak_dps); pd(r.concentric_mean_dps); pd(r.hold_peak_dps);
    pd(r.eccentric_peak_dps); pd(r.eccentric_mean_dps);
    pd(r.heel_rise_m); pd(r.work_j);
    std::printf(",%d,%d", r.partial ? 1 : 0, r.isometric ? 1 : 0);
    if (e.type == T::rep_completed || e.type == T::hold_completed) {
      std::printf(",%d", e.emg.complete ? 1 : 0);
      for (int c = 0; c < channels; ++c) {
        for (int p = 0; p < 4; ++p) pd(static_cast<double>(e.emg.mean_pct_mvc[c][p]));
        for (int p = 0; p < 4; ++p) pd(static_cast<double>(e.emg.rms_mv[c][p]));
        pd(static_cast<double>(e.emg.onset_rel_heel_off_s[c]));
      }
    }
  } else if (e.type == T::set_completed) {
    const soleus::reps::SetSummary& s = e.set;
    std::printf(",%d,%d,%d,%d", s.index, s.rep_count, s.partial_count, s.hold_count);
    pd(s.start_s); pd(s.end_s);
    pd(s.mean_concentric_s); pd(s.mean_hold_s); pd(s.mean_eccentric_s); pd(s.mean_rest_s);
    pd(s.mean_rom_deg); pd(s.median_rom_deg); pd(s.time_under_tension_s); pd(s.total_work_j);
    pd(s.longest_hold_s); pd(s.total_hold_s); pd(s.tempo_adherence);
  } else if (e.type == T::burst_onset || e.type == T::burst_offset) {
    const soleus::emg::BurstEvent& b = e.burst;
    std::printf(",%d", b.channel);
    pd(b.time_s); pd(b.detected_at_s); pd(b.duration_s);
    pd(static_cast<double>(b.peak_pct_mvc)); pd(static_cast<double>(b.mean_pct_mvc));
    std::printf(",%d,%d", b.calibrated ? 1 : 0, b.level_shift ? 1 : 0);
  } else if (e.type == T::fault) {
    std::printf(",%d,%d,%d", static_cast<int>(e.fault.stream), static_cast<int>(e.fault.kind), e.fault.channel);
    pd(e.fault.value);
  }
  std::printf("\n");
}

template <class T>
bool read_exact(std::FILE* f, T* p, std::size_t n) {
  return std::fread(p, sizeof(T), n, f) == n;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: replay_session FILE\n");
    return 2;
  }
  std::FILE* f = std::fopen(argv[1], "rb");
  if (!f) {
    std::fprintf(stderr, "replay_session: cannot open %s\n", argv[1]);
    return 2;
  }
  char magic[8];
  std::int32_t channels = 0, imu_enabled = 0;
  double emg_rate = 0.0, imu_rate = 0.0;
  if (!read_exact(f, magic, 8) || std::memcmp(magic, "SOLEUSR1", 8) != 0 || !read_exact(f, &channels, 1) ||
      !read_exact(f, &imu_enabled, 1) || !read_exact(f, &emg_rate, 1) || !read_exact(f, &imu_rate, 1) ||
      channels < 0 || channels > Sess::kMaxEmgChannels) {
    std::fprintf(stderr, "replay_session: %s: bad header\n", argv[1]);
    std::fclose(f);
    return 2;
  }
  soleus::SessionConfig cfg;
  cfg.emg_channels = channels;
  const char* names[4] = {"soleus", "gm", "gl", "ta"};
  for (int i = 0; i < channels; ++i) {
    std::memset(cfg.channel[i].name, 0, sizeof cfg.channel[i].name);
    if (i < 4) {
      std::strcpy(cfg.channel[i].name, names[i]);
      cfg.channel[i].muscle = static_cast<soleus::Muscle>(i);
    } else {
      std::snprintf(cfg.channel[i].name, sizeof cfg.channel[i].name, "ch%d", i);
      cfg.channel[i].muscle = soleus::Muscle::other;
    }
  }
  cfg.emg_rate_hz = emg_rate;
  cfg.imu_rate_hz = imu_rate;
  cfg.imu_enabled = imu_enabled != 0;
  auto s = std::make_unique<Sess>();
  if (const soleus::Status st = s->init(cfg); !st) {
    std::fprintf(stderr, "replay_session: config: %s\n", st.message);
    std::fclose(f);
    return 2;
  }
  Sess::Event e;
  std::vector<double> t;
  std::vector<float> data;
  std::int32_t kind = 0, n = 0;
  int rc = 0;
  while (read_exact(f, &kind, 1)) {
    if (!read_exact(f, &n, 1) || n < 0) {
      rc = 2;
      break;
    }
    if (kind == 3) {
      (void)s->finish();
    } else {
      const std::size_t width = kind == 1 ? static_cast<std::size_t>(channels) : 6u;
      t.resize(static_cast<std::size_t>(n));
      data.resize(static_cast<std::size_t>(n) * width);
      if (!read_exact(f, t.data(), t.size()) || !read_exact(f, data.data(), data.size())) {
        rc = 2;
        break;
      }
      if (kind == 1) (void)s->push_emg_block(t.data(), data.data(), t.size());
      else if (kind == 2) (void)s->push_imu_block(t.data(), data.data(), data.data() + 3 * t.size(), t.size());
    }
    while (s->poll(e)) print_event(e, channels);
  }
  if (rc != 0) std::fprintf(stderr, "replay_session: %s: truncated record\n", argv[1]);
  std::fclose(f);
  return rc;
}
