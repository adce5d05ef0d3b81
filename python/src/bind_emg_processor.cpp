// Bindings for the streaming EMG chain (soleus::emg::EmgProcessor): the engine
// behind soleus.EmgProcessor and soleus.detect_bursts (python/soleus/_emg.py).
// Settings travel as a flat {name: value} dict whose names and defaults come
// from the C++ settings structs (one table below), so Python never restates a
// default. Burst events are paired (onset with its offset) here, per channel.
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "session_settings.hpp"
#include "soleus/emg/processor.hpp"

namespace soleus_py {

namespace {

namespace em = soleus::emg;

constexpr int kMaxChannels = 8;
// Frames per engine call: the event queue (kQueue) is drained after each, and
// one call cannot produce more than a few events per channel.
constexpr std::size_t kCallFrames = 256;
constexpr int kQueue = 256;

// One setting: its Python name, how to read it from / write it to EmgSettings.
struct Field {
  const char* name;
  std::function<py::object(const em::EmgSettings&)> get;
  std::function<void(em::EmgSettings&, const py::handle&)> set;
};

Field dbl(const char* name, double& (*ref)(em::EmgSettings&)) {
  return Field{name,
               [ref](const em::EmgSettings& s) {
                 return py::cast(ref(const_cast<em::EmgSettings&>(s)));
               },
               [ref, name](em::EmgSettings& s, const py::handle& v) {
                 try {
                   ref(s) = v.cast<double>();
                 } catch (const py::cast_error&) {
                   throw py::value_error(std::string(name) + ": expected a number");
                 }
               }};
}
Field integer(const char* name, int& (*ref)(em::EmgSettings&)) {
  return Field{name,
               [ref](const em::EmgSettings& s) {
                 return py::cast(ref(const_cast<em::EmgSettings&>(s)));
               },
               [ref, name](em::EmgSettings& s, const py::handle& v) {
                 double d = 0.0;
                 try {
                   d = py::cast<double>(v);
                 } catch (const py::cast_error&) {
                   throw py::value_error(std::string(name) + ": expected an integer");
                 }
                 if (d != std::floor(d) || !std::isfinite(d)) throw py::value_error(std::string(name) + ": expected an integer");
                 ref(s) = static_cast<int>(d);
               }};
}
Field boolean(const char* name, bool& (*ref)(em::EmgSettings&)) {
  return Field{name,
               [ref](const em::EmgSettings& s) {
                 return py::cast(ref(const_cast<em::EmgSettings&>(s)));
               },
               [ref, name](em::EmgSettings& s, const py::handle& v) { ref(s) = setting_bool(v, name); }};
}
// Enums as lower-case strings, the C++ enumerator names.
template <class E>
Field choice(const char* name, E& (*ref)(em::EmgSettings&), std::vector<std::pair<const char*, E>> opts) {
  return Field{name,
               [ref, opts](const em::EmgSettings& s) {
                 const E v = ref(const_cast<em::EmgSettings&>(s));
                 for (const auto& o : opts)
                   if (o.second == v) return py::cast(std::string(o.first));
                 return py::cast(std::string("?"));
               },
               [ref, opts, name](em::EmgSettings& s, const py::handle& v) {
                 const std::string str = setting_string(v, name);
                 std::string allowed;
                 for (const auto& o : opts) {
                   if (str == o.first) {
                     ref(s) = o.second;
                     return;
                   }
                   allowed += std::string(allowed.empty() ? "" : ", ") + "'" + o.first + "'";
                 }
                 throw py::value_error(std::string(name) + ": must be one of " + allowed + ", got '" + str + "'");
               }};
}

#define SOLEUS_D(py_name, member) dbl(py_name, [](em::EmgSettings& s) -> double& { return s.member; })
#define SOLEUS_I(py_name, member) integer(py_name, [](em::EmgSettings& s) -> int& { return s.member; })
#define SOLEUS_B(py_name, member) boolean(py_name, [](em::EmgSettings& s) -> bool& { return s.member; })

const std::vector<Field>& fields() {
  static const std::vector<Field> f = [] {
    std::vector<Field> v;
    v.push_back(SOLEUS_D("start_time_s", start_time_s));
    v.push_back(SOLEUS_B("detect_bursts", detect_bursts));
    v.push_back(SOLEUS_B("monitor_quality", monitor_quality));
    // Conditioner
    v.push_back(SOLEUS_B("bandpass_enabled", conditioner.bandpass_enabled));
    v.push_back(SOLEUS_D("bandpass_low_hz", conditioner.bandpass_low_hz));
    v.push_back(SOLEUS_D("bandpass_high_hz", conditioner.bandpass_high_hz));
    v.push_back(SOLEUS_I("bandpass_order", conditioner.bandpass_order));
    v.push_back(choice<em::MainsMode>(
        "mains_mode", [](em::EmgSettings& s) -> em::MainsMode& { return s.conditioner.mains_mode; },
        {{"off", em::MainsMode::off}, {"fixed", em::MainsMode::fixed}, {"detect", em::MainsMode::detect}}));
    v.push_back(SOLEUS_D("mains_hz", conditioner.mains_hz));
    v.push_back(SOLEUS_D("mains_bandwidth_hz", conditioner.mains_bandwidth_hz));
    v.push_back(SOLEUS_I("mains_harmonics", conditioner.mains_harmonics));
    v.push_back(SOLEUS_B("mains_tracking", conditioner.mains_tracking));
    v.push_back(SOLEUS_D("mains_max_offset_hz", conditioner.mains_max_offset_hz));
    v.push_back(SOLEUS_D("mains_tracker_block_s", conditioner.mains_tracker_block_s));
    v.push_back(SOLEUS_D("mains_tracker_tau_s", conditioner.mains_tracker_tau_s));
    v.push_back(SOLEUS_D("mains_min_coherence", conditioner.mains_min_coherence));
    v.push_back(SOLEUS_D("mains_retune_tolerance_hz", conditioner.mains_retune_tolerance_hz));
    v.push_back(SOLEUS_D("mains_detect_power_ratio", conditioner.mains_detect_power_ratio));
    v.push_back(SOLEUS_I("mains_detect_blocks", conditioner.mains_detect_blocks));
    v.push_back(choice<em::EnvelopeMethod>(
        "envelope", [](em::EmgSettings& s) -> em::EnvelopeMethod& { return s.conditioner.envelope; },
        {{"lowpass", em::EnvelopeMethod::lowpass}, {"moving_rms", em::EnvelopeMethod::moving_rms}}));
    v.push_back(SOLEUS_D("envelope_lowpass_hz", conditioner.envelope_lowpass_hz));
    v.push_back(SOLEUS_I("envelope_lowpass_order", conditioner.envelope_lowpass_order));
    v.push_back(SOLEUS_D("envelope_rms_window_s", conditioner.envelope_rms_window_s));
    // %MVC
    v.push_back(SOLEUS_D("mvc_window_s", mvc.window_s));
    v.push_back(SOLEUS_D("mvc_block_s", mvc.block_s));
    v.push_back(SOLEUS_D("mvc_fallback_reference", mvc.fallback_reference));
    // Burst detector
    v.push_back(choice<em::DetectionSignal>(
        "detection_signal", [](em::EmgSettings& s) -> em::DetectionSignal& { return s.onset.signal; },
        {{"rectified", em::DetectionSignal::rectified}, {"teager_kaiser", em::DetectionSignal::teager_kaiser}}));
    v.push_back(SOLEUS_D("smoothing_hz", onset.smoothing_hz));
    v.push_back(SOLEUS_I("smoothing_order", onset.smoothing_order));
    v.push_back(SOLEUS_D("h", onset.h));
    v.push_back(SOLEUS_D("h_off", onset.h_off));
    v.push_back(SOLEUS_D("min_on_s", onset.min_on_s));
    v.push_back(SOLEUS_D("min_off_s", onset.min_off_s));
    v.push_back(choice<em::BaselineMode>(
        "baseline", [](em::EmgSettings& s) -> em::BaselineMode& { return s.onset.baseline; },
        {{"tracked", em::BaselineMode::tracked}, {"rest", em::BaselineMode::rest}}));
    v.push_back(SOLEUS_D("baseline_init_s", onset.baseline_init_s));
    v.push_back(SOLEUS_D("baseline_tau_s", onset.baseline_tau_s));
    v.push_back(SOLEUS_D("baseline_block_s", onset.baseline_block_s));
    v.push_back(SOLEUS_D("snr_tau_s", onset.snr_tau_s));
    v.push_back(SOLEUS_D("snr_guard_s", onset.snr_guard_s));
    v.push_back(SOLEUS_D("search_back_s", onset.search_back_s));
    v.push_back(SOLEUS_D("relearn_span_s", onset.relearn_span_s));
    v.push_back(SOLEUS_D("level_shift_s", onset.level_shift_s));
    v.push_back(SOLEUS_D("level_shift_ratio", onset.level_shift_ratio));
    // Per-burst spectra
    v.push_back(SOLEUS_B("burst_spectra", spectra.enabled));
    v.push_back(SOLEUS_D("spectra_segment_s", spectra.segment_s));
    v.push_back(SOLEUS_D("spectra_hop_s", spectra.hop_s));
    v.push_back(SOLEUS_D("spectra_band_low_hz", spectra.band_lo_hz));
    v.push_back(SOLEUS_D("spectra_band_high_hz", spectra.band_hi_hz));
    // Quality monitor
    v.push_back(SOLEUS_D("quality_block_s", quality.block_s));
    v.push_back(SOLEUS_D("adc_min", quality.adc_min));
    v.push_back(SOLEUS_D("adc_max", quality.adc_max));
    v.push_back(SOLEUS_D("flat_range", quality.flat_range));
    v.push_back(SOLEUS_D("snr_low_db", quality.snr_low_db));
    v.push_back(SOLEUS_D("snr_ok_db", quality.snr_ok_db));
    return v;
  }();
  return f;
}

#undef SOLEUS_D
#undef SOLEUS_I
#undef SOLEUS_B

py::dict default_settings() {
  const em::EmgSettings s{};
  py::dict d;
  for (const Field& f : fields()) d[f.name] = f.get(s);
  return d;
}

// skip: a key to leave at its default (raise_emg_init_error's trials).
em::EmgSettings settings_from(double fs, const py::dict& kw, const std::string* skip = nullptr) {
  em::EmgSettings s{};
  s.fs_hz = fs;
  for (const auto& item : kw) {
    if (!py::isinstance<py::str>(item.first))
      throw py::value_error("settings: names must be strings, got " + short_repr(item.first));
    const std::string key = py::cast<std::string>(item.first);
    if (skip != nullptr && key == *skip) continue;
    bool found = false;
    for (const Field& f : fields()) {
      if (key == f.name) {
        f.set(s, item.second);
        found = true;
        break;
      }
    }
    if (!found) throw py::value_error(key + ": unknown EMG setting (see soleus.EmgProcessor.defaults())");
  }
  // The conditioner ignores the sign in detect mode: -50 was accepted silently.
  if (!(s.conditioner.mains_hz > 0.0) || !std::isfinite(s.conditioner.mains_hz))
    throw py::value_error("mains_hz: must be a positive, finite frequency (50 or 60 Hz)");
  return s;
}

}  // namespace

em::EmgSettings emg_settings_from_dict(double fs, const py::dict& kw) { return settings_from(fs, kw); }

void raise_emg_init_error(const soleus::Status& st, const std::string& rate_name, const std::string& key_prefix,
                          double fs, const py::dict& kw,
                          const std::function<soleus::Status(const em::EmgSettings&)>& try_init) {
  // The engine's message starts with its own sub-config's name ("Wn:",
  // "onset:", "spectra.segment_s:"): keep only what it says after it.
  std::string detail = st.message;
  const std::size_t colon = detail.find(": ");
  if (colon != std::string::npos) {
    // Already the Python names ("h, h_off: need h > h_off >= 0"): keep them, they name the pair.
    const std::string head = detail.substr(0, colon);
    std::string named;
    bool all_settings = true;
    for (std::size_t a = 0; a <= head.size();) {
      std::size_t b = head.find(", ", a);
      if (b == std::string::npos) b = head.size();
      const std::string part = head.substr(a, b - a);
      bool known = false;
      for (const Field& f : fields()) known = known || part == f.name;
      all_settings = all_settings && known;
      named += (named.empty() ? "" : ", ") + key_prefix + part;
      a = b + 2;
    }
    if (all_settings) throw py::value_error(named + detail.substr(colon));
    detail = detail.substr(colon + 2);
  }
  const auto passes = [&](double rate, const std::string* skip) {
    try {
      return try_init(settings_from(rate, kw, skip)).ok();
    } catch (const std::exception&) {
      return false;
    }
  };
  // Settings the user gave that, left at their default, make the chain valid.
  std::string culprits;
  for (const auto& item : kw) {
    const std::string key = py::cast<std::string>(item.first);
    if (passes(fs, &key)) culprits += (culprits.empty() ? "" : ", ") + key_prefix + key;
  }
  // The rate is at fault when the same settings are valid at 2000 Hz, the
  // usual surface-EMG rate (SENIAM: >= 1000 Hz; our default): the band edges,
  // the orders and the spectra capacity all depend on it.
  constexpr double kReferenceRateHz = 2000.0;
  std::ostringstream rate;
  rate << fs;
  if (fs != kReferenceRateHz && passes(kReferenceRateHz, nullptr)) {
    throw py::value_error(rate_name + ": " + detail + " (at " + rate.str() + " Hz" +
                          (culprits.empty() ? std::string(" with these EMG settings")
                                            : " with " + culprits + " as given") + ")");
  }
  if (culprits.empty()) {
    // Only a combination is invalid: name every setting given.
    for (const auto& item : kw)
      culprits += (culprits.empty() ? "" : ", ") + key_prefix + py::cast<std::string>(item.first);
  }
  throw py::value_error((culprits.empty() ? rate_name : culprits) + ": " + detail);
}
py::dict emg_settings_to_dict(const em::EmgSettings& s) {
  py::dict d;
  for (const Field& f : fields()) d[f.name] = f.get(s);
  return d;
}

namespace {

// A completed burst, one row of events().
struct BurstRow {
  int channel;
  double onset_s, offset_s, duration_s, peak_pct_mvc, mean_pct_mvc, onset_detected_at_s,
      offset_detected_at_s;
  bool calibrated;
  double median_hz, mean_hz, median_slope_hz_per_s;
  int spectrum_segments;
  bool level_shift;
};
constexpr py::ssize_t kBurstColumns = 14;

class PyEmgProcessor {
 public:
  // Spectra capacity 4096: 0.25 s segments up to 16 kHz (the object is on the heap).
  using Engine = em::EmgProcessor<kMaxChannels, kQueue, 512, 4096>;

  // Serialises calls from several Python threads (see ObjectGuard); every
  // method bound with guarded().
  mutable ObjectGuard guard_;

  PyEmgProcessor(double fs, int channels, const py::dict& kw) : engine_(std::make_unique<Engine>()) {
    if (!(fs > 0.0) || !std::isfinite(fs)) throw py::value_error("fs: sampling rate must be positive and finite");
    if (channels < 1 || channels > kMaxChannels) {
      throw py::value_error("channels: must be between 1 and " + std::to_string(kMaxChannels));
    }
    settings_ = settings_from(fs, kw);
    const soleus::Status st = engine_->init(settings_, channels);
    if (!st.ok()) {
      raise_emg_init_error(st, "fs", "", fs, kw, [channels](const em::EmgSettings& trial) {
        return std::make_unique<Engine>()->init(trial, channels);
      });
    }
    open_.assign(static_cast<std::size_t>(channels), em::BurstEvent{});
    has_open_.assign(static_cast<std::size_t>(channels), false);
  }

  int channels() const { return engine_->channels(); }
  double fs() const { return settings_.fs_hz; }

  // x: (n, channels), C order; float32 is read in place, float64 converted
  // chunk by chunk (no full-size float32 copy), anything else cast first.
  // Returns envelope and activation (n, channels) float32.
  py::tuple process(const py::array& x_in) {
    const std::size_t C = static_cast<std::size_t>(channels());
    if (x_in.ndim() != 2 || static_cast<std::size_t>(x_in.shape(1)) != C) {
      throw py::value_error("x: expected shape (n_samples, " + std::to_string(C) + ")");
    }
    using F32 = py::array_t<float, py::array::c_style | py::array::forcecast>;
    using F64 = py::array_t<double, py::array::c_style>;
    const bool is_f64 = F64::check_(x_in);
    F32 x32 = is_f64 ? F32() : F32::ensure(x_in);
    F64 x64 = is_f64 ? F64::ensure(x_in) : F64();
    if (is_f64 ? !x64 : !x32) throw py::value_error("x: expected a real numeric array");
    const std::size_t n = static_cast<std::size_t>(x_in.shape(0));
    py::array_t<float> env({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(C)});
    py::array_t<float> act({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(C)});
    std::size_t replaced_calls = 0;
    {
      py::gil_scoped_release release;
      const float* in32 = is_f64 ? nullptr : x32.data();
      const double* in64 = is_f64 ? x64.data() : nullptr;
      std::vector<float> buf(is_f64 ? kCallFrames * C : 0);
      float* e = env.mutable_data();
      float* a = act.mutable_data();
      for (std::size_t done = 0; done < n;) {
        const std::size_t m = n - done < kCallFrames ? n - done : kCallFrames;
        const float* in = in32 ? in32 + done * C : buf.data();
        if (in64) {
          for (std::size_t k = 0; k < m * C; ++k) buf[k] = static_cast<float>(in64[done * C + k]);
        }
        const soleus::Status st = engine_->process(in, m, e + done * C, a + done * C);
        if (!st.ok()) ++replaced_calls;
        drain();
        done += m;
      }
    }
    nonfinite_calls_ += replaced_calls;
    return py::make_tuple(env, act);
  }

  // Separate calibration recording: a fresh engine with the same settings
  // brackets it as the MVC; this stream's state is untouched, only its
  // references change.
  py::array_t<double> calibrate_mvc(py::array_t<float, py::array::c_style | py::array::forcecast> x) {
    const std::size_t C = static_cast<std::size_t>(channels());
    if (x.ndim() != 2 || static_cast<std::size_t>(x.shape(1)) != C) {
      throw py::value_error("x: expected shape (n_samples, " + std::to_string(C) + ")");
    }
    auto cal = std::make_unique<Engine>();
    em::EmgSettings s = settings_;
    s.detect_bursts = false;
    s.spectra.enabled = false;
    s.monitor_quality = false;
    throw_if_error(cal->init(s, channels()));
    soleus::Status st;
    {
      py::gil_scoped_release release;
      cal->begin_mvc();
      cal->process(x.data(), static_cast<std::size_t>(x.shape(0)));
      st = cal->end_mvc();
    }
    if (!st.ok()) throw py::value_error(std::string("x: ") + st.message);
    std::vector<double> ref(C);
    for (std::size_t c = 0; c < C; ++c) ref[c] = cal->mvc().reference(static_cast<int>(c));
    throw_if_error(engine_->mvc().set_references(ref.data()));
    return references();
  }

  void set_mvc_references(py::array_t<double, py::array::c_style | py::array::forcecast> ref) {
    if (ref.ndim() != 1 || ref.shape(0) != channels()) {
      throw py::value_error("reference: expected one value per channel");
    }
    const soleus::Status st = engine_->mvc().set_references(ref.data());
    if (!st.ok()) throw py::value_error(std::string("reference: ") + st.message);
  }

  py::array_t<double> references() const {
    py::array_t<double> out(channels());
    for (int c = 0; c < channels(); ++c) out.mutable_data()[c] = engine_->mvc().reference(c);
    return out;
  }
  bool calibrated() const { return engine_->mvc().calibrated(); }

  // Completed bursts so far: (k, kBurstColumns) float64 rows in BurstRow order.
  py::array_t<double> bursts() const {
    py::array_t<double> out({static_cast<py::ssize_t>(rows_.size()), kBurstColumns});
    auto r = out.mutable_unchecked<2>();
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      const BurstRow& b = rows_[i];
      const auto k = static_cast<py::ssize_t>(i);
      r(k, 0) = b.channel;
      r(k, 1) = b.onset_s;
      r(k, 2) = b.offset_s;
      r(k, 3) = b.duration_s;
      r(k, 4) = b.peak_pct_mvc;
      r(k, 5) = b.mean_pct_mvc;
      r(k, 6) = b.onset_detected_at_s;
      r(k, 7) = b.offset_detected_at_s;
      r(k, 8) = b.calibrated ? 1.0 : 0.0;
      r(k, 9) = b.median_hz;
      r(k, 10) = b.mean_hz;
      r(k, 11) = b.median_slope_hz_per_s;
      r(k, 12) = b.spectrum_segments;
      r(k, 13) = b.level_shift ? 1.0 : 0.0;
    }
    return out;
  }
  // Bursts whose onset is confirmed but whose offset is not yet: (k, 3)
  // channel, onset_s, onset_detected_at_s.
  py::array_t<double> open_bursts() const {
    std::vector<int> idx;
    for (std::size_t c = 0; c < has_open_.size(); ++c)
      if (has_open_[c]) idx.push_back(static_cast<int>(c));
    py::array_t<double> out({static_cast<py::ssize_t>(idx.size()), static_cast<py::ssize_t>(3)});
    auto r = out.mutable_unchecked<2>();
    for (std::size_t i = 0; i < idx.size(); ++i) {
      const auto k = static_cast<py::ssize_t>(i);
      r(k, 0) = idx[i];
      r(k, 1) = open_[static_cast<std::size_t>(idx[i])].time_s;
      r(k, 2) = open_[static_cast<std::size_t>(idx[i])].detected_at_s;
    }
    return out;
  }
  void clear_events() { rows_.clear(); }

  void reset() {
    engine_->reset();
    rows_.clear();
    has_open_.assign(has_open_.size(), false);
    nonfinite_calls_ = 0;
  }

  py::dict delays() const {
    const em::ProcessorDelays d = engine_->delays();
    py::dict out;
    out["bandpass_s"] = d.stages.bandpass_s;
    out["mains_s"] = d.stages.mains_s;
    out["envelope_s"] = d.stages.envelope_s;
    out["envelope_total_s"] = d.envelope_total_s();
    out["detection_total_s"] = d.detection_total_s();
    out["events_s"] = d.events_s();
    return out;
  }
  py::dict quality(int c) const {
    if (c < 0 || c >= channels()) throw py::value_error("channel: out of range");
    const em::ChannelQuality& q = engine_->quality(c);
    py::dict d;
    d["good"] = q.good();
    d["saturated"] = q.saturated;
    d["flat"] = q.flat;
    d["mains"] = q.mains;
    d["motion"] = q.motion;
    d["low_snr"] = q.low_snr;
    d["nonfinite"] = q.nonfinite;
    d["snr_db"] = engine_->detector().snr_db(c);
    d["mains_ratio"] = q.mains_ratio;
    d["motion_ratio"] = q.motion_ratio;
    d["nonfinite_samples"] = q.nonfinite_samples;
    return d;
  }
  double detected_mains_hz() const { return engine_->conditioner().detected_mains_hz(); }
  std::uint64_t samples() const { return engine_->samples(); }
  std::uint64_t events_dropped() const { return engine_->events_dropped(); }
  py::dict settings() const {
    py::dict d;
    for (const Field& f : fields()) d[f.name] = f.get(settings_);
    return d;
  }

 private:
  void drain() {
    em::BurstEvent e;
    while (engine_->pop_event(&e)) {
      const auto c = static_cast<std::size_t>(e.channel);
      if (e.edge == em::BurstEdge::onset) {
        open_[c] = e;
        has_open_[c] = true;
      } else if (has_open_[c]) {
        rows_.push_back(BurstRow{e.channel, open_[c].time_s, e.time_s, e.duration_s, e.peak_pct_mvc,
                                 e.mean_pct_mvc, open_[c].detected_at_s, e.detected_at_s, e.calibrated,
                                 e.median_hz, e.mean_hz, e.median_slope_hz_per_s, e.spectrum_segments,
                                 e.level_shift});
        has_open_[c] = false;
      }
    }
  }

  std::unique_ptr<Engine> engine_;
  em::EmgSettings settings_{};
  std::vector<em::BurstEvent> open_;
  std::vector<bool> has_open_;
  std::vector<BurstRow> rows_;
  std::uint64_t nonfinite_calls_ = 0;
};

}  // namespace

void bind_emg_processor(py::module_& m) {
  m.def("emg_default_settings", &default_settings,
        "Every EmgProcessor setting with its C++ default, as a dict.");
  py::class_<PyEmgProcessor>(m, "EmgProcessorCore")
      .def(py::init<double, int, const py::dict&>(), py::arg("fs"), py::arg("channels"), py::arg("settings"))
      .def_property_readonly("channels", guarded(&PyEmgProcessor::channels))
      .def_property_readonly("fs", guarded(&PyEmgProcessor::fs))
      .def("process", guarded(&PyEmgProcessor::process), py::arg("x"))
      .def("calibrate_mvc", guarded(&PyEmgProcessor::calibrate_mvc), py::arg("x"))
      .def("set_mvc_references", guarded(&PyEmgProcessor::set_mvc_references), py::arg("reference"))
      .def("references", guarded(&PyEmgProcessor::references))
      .def_property_readonly("calibrated", guarded(&PyEmgProcessor::calibrated))
      .def("bursts", guarded(&PyEmgProcessor::bursts))
      .def("open_bursts", guarded(&PyEmgProcessor::open_bursts))
      .def("clear_events", guarded(&PyEmgProcessor::clear_events))
      .def("reset", guarded(&PyEmgProcessor::reset))
      .def("delays", guarded(&PyEmgProcessor::delays))
      .def("quality", guarded(&PyEmgProcessor::quality), py::arg("channel"))
      .def_property_readonly("detected_mains_hz", guarded(&PyEmgProcessor::detected_mains_hz))
      .def_property_readonly("samples", guarded(&PyEmgProcessor::samples))
      .def_property_readonly("events_dropped", guarded(&PyEmgProcessor::events_dropped))
      .def("settings", guarded(&PyEmgProcessor::settings));
}

}  // namespace soleus_py
