// EmgProcessor: the streaming EMG chain for up to MaxChannels channels.
//
//   raw frames -> QualityMonitor::sanitize (NaN/Inf contained)
//              -> Conditioner (band-pass, tracked mains notches, envelope)
//              -> MvcNormalizer (activation, %MVC)
//              -> OnsetDetector (burst onsets/offsets -> event queue)
//              -> BurstSpectra (optional: median / mean frequency per burst)
//              -> QualityMonitor (flags per channel, every quality block)
//
// One settings struct with published defaults (see each stage's header). Input
// is interleaved (n_frames, channels) float in the sensor's units (uV or mV:
// the %MVC and the ratios do not depend on them; thresholds in input units,
// e.g. QualitySettings::adc_max, do).
//
// Streaming equals offline: process() with any chunking and process_frame()
// give bit-identical outputs and events, because every block-based decision
// (mains re-tuning, baseline and %MVC updates, quality) happens at fixed
// sample indices, and the work is split at those indices.
//
// No heap: all buffers are members sized by MaxChannels; events go to a
// fixed-capacity queue (QueueCapacity) whose overflow is counted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "soleus/core/denormals.hpp"
#include "soleus/core/status.hpp"
#include "soleus/emg/conditioner.hpp"
#include "soleus/core/event_queue.hpp"
#include "soleus/emg/burst_spectra.hpp"
#include "soleus/emg/mvc.hpp"
#include "soleus/emg/onset.hpp"
#include "soleus/emg/quality.hpp"

namespace soleus::emg {

struct EmgSettings {
  double fs_hz = 2000.0;       // overrides the fs_hz of every stage's settings
  double start_time_s = 0.0;   // stream time of the first sample
  ConditionerSettings conditioner{};
  MvcSettings mvc{};
  OnsetSettings onset{};
  QualitySettings quality{};
  BurstSpectraSettings spectra{};  // per-burst median / mean frequency (off by default: cost)
  bool detect_bursts = true;
  // Quality flags (saturation, flat, mains, motion, SNR). NaN/Inf containment
  // runs regardless: it protects the filters.
  bool monitor_quality = true;
};

// Group delays of the chain, seconds (band-pass and notches at
// stages.reference_hz, low-pass stages at DC).
struct ProcessorDelays {
  StageDelays stages{};
  double detector_s = 0.0;  // detection signal (Teager-Kaiser + smoothing at DC) over the conditioned one
  double teager_s = 0.0;    // 1 sample with Teager-Kaiser, else 0
  double envelope_total_s() const { return stages.total_s(); }
  // How late the detection signal, hence every confirmation, runs.
  double detection_total_s() const { return stages.conditioned_s() + detector_s; }
  // What burst event times are compensated by (change points are located on
  // the unsmoothed power: the smoothing's delay does not enter them).
  double events_s() const { return stages.conditioned_s() + teager_s; }
};

// MaxSpectrumNfft: capacity of the per-burst spectra (segment_s x fs must
// fit; 512 takes the default 0.25 s segments up to 2048 Hz).
template <int MaxChannels, int QueueCapacity = 64, int MaxRmsWindow = 512, int MaxSpectrumNfft = 512>
class EmgProcessor {
 public:
  static constexpr int kChunk = 64;
  using Queue = EventQueue<BurstEvent, QueueCapacity>;

  Status init(const EmgSettings& settings, int channels) {
    EmgSettings s = settings;
    s.conditioner.fs_hz = s.mvc.fs_hz = s.onset.fs_hz = s.quality.fs_hz = s.fs_hz;
    Status st = cond_.init(s.conditioner, channels);
    if (!st) return st;
    if (!(st = mvc_.init(s.mvc, channels))) return st;
    if (!(st = onset_.init(s.onset, channels))) return st;
    if (!(st = quality_.init(s.quality, channels))) return st;
    if (s.spectra.enabled && !s.detect_bursts) {
      return Status::invalid("spectra.enabled: per-burst spectra need detect_bursts");
    }
    if (!(st = spectra_.init(s.spectra, s.fs_hz, channels))) return st;
    s_ = s;
    channels_ = channels;
    onset_.set_input_delay(cond_.delays().conditioned_s());
    onset_.set_start_time(s.start_time_s);
    // Rectified detection: its low-pass runs in the conditioner's loop.
    fused_detection_ = s.detect_bursts && s.onset.signal == DetectionSignal::rectified;
    st = cond_.set_detection_lowpass(fused_detection_ ? onset_.smoothing_sos() : dsp::SosList{});
    if (!st) return st;
    ready_ = true;
    reset();
    return Status::success();
  }

  // Restarts the stream (filters, baseline, quality, queue) but keeps the MVC
  // calibration, which belongs to the person, not to the stream.
  void reset() {
    cond_.reset();
    mvc_.restart_stream();
    onset_.reset();
    onset_.set_input_delay(cond_.delays().conditioned_s());
    quality_.reset();
    spectra_.reset();
    queue_.clear();
    n_ = 0;
    mains_switches_seen_ = 0;
  }

  int channels() const { return channels_; }
  const EmgSettings& settings() const { return s_; }

  // n interleaved frames. Optional outputs (n x channels each): envelope in
  // input units, activation in %MVC, conditioned EMG. Returns ok, or
  // bad_input when NaN/Inf samples were replaced (they were contained).
  Status process(const float* in, std::size_t n, float* envelope = nullptr,
                 float* activation_pct = nullptr, float* conditioned = nullptr) {
    if (!ready_) return Status{StatusCode::not_ready, "emg: init() first"};
    ScopedFlushDenormals guard;
    const std::size_t C = static_cast<std::size_t>(channels_);
    std::size_t replaced = 0;
    while (n > 0) {
      std::size_t m = n < static_cast<std::size_t>(kChunk) ? n : kChunk;
      if (s_.monitor_quality) {
        const std::size_t q = quality_.frames_to_block_end();
        if (q < m) m = q;
      }
      const bool spectra = spectra_.enabled();
      if (spectra) {
        // Segment boundaries end a chunk: the detector's state there decides.
        const std::size_t b = static_cast<std::size_t>(spectra_.frames_to_boundary());
        if (b < m) m = b;
      }
      replaced += quality_.sanitize(in, raw_, m);
      cond_.process(raw_, cond_buf_, env_, m, fused_detection_ ? det_buf_ : nullptr);
      if (cond_.mains_switches() != mains_switches_seen_) {
        // The notches came on (detect mode): the burst baseline learned on
        // the hum is re-learned on the notched signal (onset.hpp).
        mains_switches_seen_ = cond_.mains_switches();
        onset_.relearn_baseline(cond_.mains_switch_frame());
      }
      mvc_.process(env_, act_, m);
      if (s_.detect_bursts) {
        // The mains delay can change once detected (MainsMode::detect).
        onset_.set_input_delay(cond_.delays().conditioned_s());
        if (spectra) {
          SpectraSink sink{&queue_, &spectra_};
          onset_.process(cond_buf_, act_, m, mvc_.calibrated(), sink, nullptr,
                         fused_detection_ ? det_buf_ : nullptr);
          spectra_.push(cond_buf_, m);
          if (spectra_.at_boundary()) {
            spectra_.boundary([this](int c) { return onset_.active(c); },
                              s_.start_time_s + static_cast<double>(n_ + m - 1) / s_.fs_hz);
          }
        } else {
          onset_.process(cond_buf_, act_, m, mvc_.calibrated(), queue_, nullptr,
                         fused_detection_ ? det_buf_ : nullptr);
        }
      }
      if (s_.monitor_quality) quality_.observe(raw_, cond_buf_, m);
      if (s_.monitor_quality && quality_.block_complete()) {
        quality_.end_block([this](int c) { return cond_.mains_power(c); },
                           [this](int c) { return cond_.band_power(c); },
                           [this](int c) { return onset_.snr_db(c); });
      }
      const std::size_t k = m * C;
      if (envelope) {
        std::memcpy(envelope, env_, k * sizeof(float));
        envelope += k;
      }
      if (activation_pct) {
        std::memcpy(activation_pct, act_, k * sizeof(float));
        activation_pct += k;
      }
      if (conditioned) {
        std::memcpy(conditioned, cond_buf_, k * sizeof(float));
        conditioned += k;
      }
      in += k;
      n -= m;
      n_ += m;
    }
    if (replaced > 0) return Status{StatusCode::bad_input, "emg: NaN/Inf samples replaced (contained)"};
    return Status::success();
  }

  // One frame: the same code path as a block of one, hence bit-identical.
  Status process_frame(const float* in, float* envelope = nullptr, float* activation_pct = nullptr,
                       float* conditioned = nullptr) {
    return process(in, 1, envelope, activation_pct, conditioned);
  }

  // Events
  Queue& events() { return queue_; }
  bool pop_event(BurstEvent* e) { return e != nullptr && queue_.pop(*e); }
  std::uint64_t events_dropped() const { return queue_.dropped(); }

  // MVC calibration (bracket a maximal contraction) and rest (baseline).
  void begin_mvc() { mvc_.begin_calibration(); }
  Status end_mvc() { return mvc_.end_calibration(); }
  void begin_rest() { onset_.begin_rest(); }
  Status end_rest() { return onset_.end_rest(); }

  ProcessorDelays delays() const {
    ProcessorDelays d;
    d.stages = cond_.delays();
    d.detector_s = onset_.own_delay_s();
    d.teager_s = onset_.teager_delay_s();
    return d;
  }
  const ChannelQuality& quality(int c) const { return quality_.channel(c); }
  std::uint64_t samples() const { return n_; }
  double time_s() const { return s_.start_time_s + static_cast<double>(n_) / s_.fs_hz; }

  const Conditioner<MaxChannels, MaxRmsWindow>& conditioner() const { return cond_; }
  const MvcNormalizer<MaxChannels>& mvc() const { return mvc_; }
  MvcNormalizer<MaxChannels>& mvc() { return mvc_; }
  const OnsetDetector<MaxChannels>& detector() const { return onset_; }
  OnsetDetector<MaxChannels>& detector() { return onset_; }

 private:
  using Spectra = BurstSpectra<MaxChannels, MaxSpectrumNfft>;
  // Between the detector and the queue: onsets start a burst's spectrum,
  // offsets carry it.
  struct SpectraSink {
    Queue* queue;
    Spectra* spectra;
    Status push(const BurstEvent& e) {
      if (e.edge == BurstEdge::onset) {
        spectra->clear(e.channel);
        return queue->push(e);
      }
      BurstEvent o = e;
      const BurstSpectrum b = spectra->take(e.channel);
      o.median_hz = b.median_hz;
      o.mean_hz = b.mean_hz;
      o.median_slope_hz_per_s = b.median_slope_hz_per_s;
      o.spectrum_segments = b.segments;
      return queue->push(o);
    }
  };

  EmgSettings s_{};
  int channels_ = 0;
  bool ready_ = false;
  std::uint64_t n_ = 0;
  std::uint64_t mains_switches_seen_ = 0;  // cond_.mains_switches() already acted on
  Conditioner<MaxChannels, MaxRmsWindow> cond_;
  MvcNormalizer<MaxChannels> mvc_;
  OnsetDetector<MaxChannels> onset_;
  QualityMonitor<MaxChannels> quality_;
  Spectra spectra_;
  Queue queue_;
  alignas(32) float raw_[kChunk * MaxChannels] = {};
  alignas(32) float cond_buf_[kChunk * MaxChannels] = {};
  alignas(32) float env_[kChunk * MaxChannels] = {};
  alignas(32) float act_[kChunk * MaxChannels] = {};
  alignas(32) float det_buf_[kChunk * MaxChannels] = {};  // detection signal (rectified, smoothed)
  bool fused_detection_ = false;
};

}  // namespace soleus::emg
