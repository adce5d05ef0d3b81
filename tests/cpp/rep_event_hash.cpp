// One hash over every event (all fields, bit for bit) that the IMU heel-raise
// chain (reps::ImuRepCounter) emits on a set of simulated sessions: the
// realistic acceptance conditions (standing, seated, wall-sit, step, slow,
// bouncy, single-leg hold, activity between sets) on foot and shank at 50,
// 100 and 200 Hz with 'auto', the placement and the true axis; non-raise
// activity alone (walking, pedalling, sit-to-stand, fidgets); and the
// sessions of benchmarks/bench_heel_raise.cpp. A performance change that must
// not change any output is checked by building this program before and after
// it and comparing the printed hashes (docs/benchmarks.md, "Heel-raise
// chain"). Not a test by itself (no reference value): a comparison tool.
// Usage: rep_event_hash [-v]   (-v: one hash and event count per session)
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <vector>

#include "soleus/reps/imu_reps.hpp"
#include "soleus/sim/heel_raise.hpp"

namespace {

using Chain = soleus::reps::ImuRepCounter<>;

// FNV-1a over bytes.
struct Hash {
  std::uint64_t h = 1469598103934665603ull;
  void bytes(const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) {
      h ^= b[i];
      h *= 1099511628211ull;
    }
  }
  template <typename T>
  void add(T v) {
    bytes(&v, sizeof v);
  }
};

void hash_rep(Hash& H, const soleus::reps::Rep& r) {
  H.add(r.index);
  for (double v : {r.start_s, r.top_s, r.lower_start_s, r.end_s, r.concentric_s, r.hold_s, r.eccentric_s, r.rest_s,
                   r.baseline_deg, r.top_deg, r.rom_deg, r.concentric_peak_dps, r.concentric_mean_dps,
                   r.hold_peak_dps, r.eccentric_peak_dps, r.eccentric_mean_dps, r.heel_rise_m, r.work_j})
    H.add(v);
  H.add(r.rest_known);
  H.add(r.partial);
  H.add(r.isometric);
  H.add(r.source);
}

void hash_set(Hash& H, const soleus::reps::SetSummary& s) {
  for (int v : {s.index, s.rep_count, s.partial_count, s.hold_count, s.reps_dropped}) H.add(v);
  for (double v : {s.start_s, s.end_s, s.mean_concentric_s, s.mean_hold_s, s.mean_eccentric_s, s.mean_rest_s,
                   s.mean_rom_deg, s.median_rom_deg, s.time_under_tension_s, s.total_work_j, s.longest_hold_s,
                   s.total_hold_s, s.tempo_adherence, s.fatigue_slope_per_rep})
    H.add(v);
  H.add(s.fatigue_valid);
}

enum class Told { placement, automatic, true_axis };

soleus::reps::ImuPlacement placement_of(const soleus::sim::HeelRaiseConfig& c) {
  if (c.placement == soleus::sim::ImuPlacement::foot) return soleus::reps::ImuPlacement::foot;
  return c.posture == soleus::sim::Posture::seated ? soleus::reps::ImuPlacement::shank_seated
                                                   : soleus::reps::ImuPlacement::shank_standing;
}

// Runs one session one sample at a time; returns its events' hash and count.
bool trace = false;  // SOLEUS_HASH_TRACE=1: per-sample state of the first session (diagnostics)
// SOLEUS_HASH_EVENTS=1: one line per event (session, type, times, rep
// boundaries, set/rep counts) to diff two builds event by event when the
// hash changes (how many events moved, and by how much).
bool list_events = false;
int session_no = 0;

std::uint64_t run(const soleus::sim::HeelRaiseSession& s, const soleus::sim::HeelRaiseConfig& c, Told told,
                  int& n_events) {
  static Chain ch;  // large: off the stack
  soleus::reps::ImuRepConfig cfg;
  cfg.segmenter.sample_rate_hz = c.sample_rate_hz;
  cfg.placement = told == Told::placement ? placement_of(c) : soleus::reps::ImuPlacement::automatic;
  if (told == Told::true_axis) {
    cfg.use_explicit_axis = true;
    for (int j = 0; j < 3; ++j) cfg.axis_sensor[j] = s.sagittal_axis_sensor[static_cast<std::size_t>(j)];
  }
  Hash H;
  n_events = 0;
  if (!ch.init(cfg).ok()) return 0;
  Chain::OutEvent e;
  auto drain = [&] {
    while (ch.pop(e)) {
      ++n_events;
      H.add(static_cast<int>(e.event.type));
      H.add(e.event.t_s);
      if (list_events) {
        const soleus::reps::Rep& r = e.event.rep;
        std::printf("E %d %d %.17g %d %.17g %.17g %.17g %.17g %.17g %d %d\n", session_no,
                    static_cast<int>(e.event.type), e.event.t_s, r.index, r.start_s, r.top_s, r.lower_start_s,
                    r.end_s, r.rom_deg, e.event.set.index, e.event.set.rep_count);
      }
      hash_rep(H, e.event.rep);
      hash_set(H, e.event.set);
    }
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const float a[3] = {static_cast<float>(s.acc_mps2[i][0]), static_cast<float>(s.acc_mps2[i][1]),
                        static_cast<float>(s.acc_mps2[i][2])};
    const float g[3] = {static_cast<float>(s.gyro_dps[i][0]), static_cast<float>(s.gyro_dps[i][1]),
                        static_cast<float>(s.gyro_dps[i][2])};
    const soleus::Status st = ch.push(s.t_s[i], a, g);
    H.add(static_cast<int>(st.code));
    if (trace) {
      const soleus::reps::ImuRepState q = ch.state();
      std::printf("%zu %a %a %a %a %a %d\n", i, q.angle_deg, q.axis_sensor[0], q.axis_sensor[1], q.axis_sensor[2],
                  q.axis_confidence, q.axis_found ? 1 : 0);
    }
    drain();
  }
  (void)ch.finish();
  drain();
  const soleus::reps::ImuRepState f = ch.state();
  H.add(f.angle_deg);
  H.add(f.rate_dps);
  H.add(f.axis_confidence);
  H.add(f.reps_total);
  H.add(f.holds_total);
  const soleus::reps::ImuRepStats st = ch.stats();
  H.add(st.imu_rejected);
  H.add(st.prelock_dropped);
  H.add(st.sign_corrections);
  return H.h;
}

soleus::sim::HeelRaiseConfig base_config(double fs, soleus::sim::ImuPlacement pl, std::uint64_t seed) {
  using namespace soleus::sim;
  HeelRaiseConfig c;
  c.sample_rate_hz = fs;
  c.placement = pl;
  c.profile = (seed & 1u) ? PhaseProfile::minimum_jerk : PhaseProfile::raised_cosine;
  c.n_sets = 2;
  c.reps_per_set = 8;
  c.rom_deg = {15.0, 40.0};
  c.rise_s = {0.5, 2.0};
  c.lower_s = {1.5, 3.5};
  c.top_hold_s = {0.5, 3.0};
  c.gyro_bias_max_dps = 3.0;
  c.random_mounting = true;
  c.realistic = true;
  c.sway_deg = 0.3;
  c.timestamp_jitter_s = 0.002;
  c.dropout_rate_per_s = 0.02;
  c.dropout_max_s = 0.05;
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace soleus::sim;
  const bool verbose = argc > 1 && std::strcmp(argv[1], "-v") == 0;
  trace = std::getenv("SOLEUS_HASH_TRACE") != nullptr;
  list_events = std::getenv("SOLEUS_HASH_EVENTS") != nullptr;
  Hash all;
  int sessions = 0, events = 0;
  auto one = [&](const HeelRaiseConfig& c, std::uint64_t seed, Told told, const char* tag) {
    const HeelRaiseSession s = generate_heel_raise_session(c, seed);
    if (!s.status.ok()) {
      std::printf("simulator failed (%s): %s\n", tag, s.status.message);
      return;
    }
    int n = 0;
    const std::uint64_t h = run(s, c, told, n);
    all.add(h);
    trace = false;
    ++sessions;
    session_no = sessions;
    events += n;
    if (verbose) std::printf("%-40s fs %3.0f seed %2llu told %d: %4d events %016llx\n", tag, c.sample_rate_hz,
                             static_cast<unsigned long long>(seed), static_cast<int>(told), n,
                             static_cast<unsigned long long>(h));
  };
  const char* conds[8] = {"standing", "seated", "wall-sit", "step", "slow", "bouncy", "hold", "between"};
  for (int cond = 0; cond < 8; ++cond)
    for (ImuPlacement pl : {ImuPlacement::foot, ImuPlacement::shank})
      for (double fs : {50.0, 100.0, 200.0})
        for (std::uint64_t seed = 1; seed <= 3; ++seed) {
          HeelRaiseConfig c = base_config(fs, pl, seed);
          switch (cond) {
            case 1: c.posture = Posture::seated; break;
            case 2: c.posture = Posture::wall_sit; break;
            case 3: c.step_bottom_deg = 5.0 + static_cast<double>(seed % 11u); break;
            case 4:
              c.quick_set_probability = 0.0;
              c.lower_s = {3.0, 4.0};
              c.top_hold_s = {2.0, 3.0};
              break;
            case 5: c.bouncy_set_probability = 1.0; break;
            case 6:
              c.isometric_hold_s = 20.0 + 2.5 * static_cast<double>(seed % 9u);
              c.hold_wobble_dps = {2.0, 7.0};
              break;
            case 7: c.between_sets_activity_probability = 1.0; break;
            default: break;
          }
          const std::uint64_t sim_seed = seed * 7368787ull + static_cast<std::uint64_t>(fs) + 1000ull * cond;
          for (Told told : {Told::automatic, Told::placement, Told::true_axis}) one(c, sim_seed, told, conds[cond]);
        }
  for (Activity a : {Activity::walking, Activity::pedalling, Activity::sit_to_stand, Activity::fidgeting})
    for (double fs : {50.0, 100.0, 200.0})
      for (std::uint64_t seed = 1; seed <= 2; ++seed) {
        HeelRaiseConfig c = base_config(fs, a == Activity::sit_to_stand ? ImuPlacement::shank : ImuPlacement::foot,
                                        seed);
        c.activity = a;
        c.activity_s = 300.0;
        for (Told told : {Told::automatic, Told::true_axis})
          one(c, seed * 15485863ull + static_cast<std::uint64_t>(fs), told, "non-raise activity");
      }
  // The benchmark's sessions (bench_heel_raise.cpp).
  for (int which = 0; which < 4; ++which) {
    HeelRaiseConfig c;
    c.sample_rate_hz = (which & 1) ? 200.0 : 100.0;
    c.n_sets = 3;
    c.reps_per_set = 10;
    c.gyro_bias_max_dps = 3.0;
    if (which >= 2) {
      c.placement = ImuPlacement::shank;
      c.posture = Posture::seated;
    }
    one(c, 1, Told::placement, "bench session");
  }
  std::printf("%d sessions, %d events, hash %016llx\n", sessions, events, static_cast<unsigned long long>(all.h));
  return 0;
}
