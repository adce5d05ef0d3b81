// A second-order-section filter over 1..MaxChannels interleaved channels that
// picks the cheaper kernel: one channel runs the scalar SosCascade<float>
// directly on the buffer (MultiChannelSos would pad it into a full SIMD group
// and stage every block through a copy), more channels run MultiChannelSos.
// Both kernels round identically (explicit fma), so the choice never changes
// a result: a channel gives the same bits alone or in a group.
//
// Belongs in dsp/ next to MultiChannelSos (a one-line dispatch there would do);
// kept here until dsp/ can change.
#pragma once

#include <cstddef>

#include "soleus/core/status.hpp"
#include "soleus/dsp/sos_filter.hpp"

namespace soleus::emg {

template <int MaxChannels, int MaxSections>
class FilterBank {
 public:
  Status init(const dsp::SosList& sos, int channels) {
    channels_ = channels;
    if (channels == 1) return one_.set_sos(sos);
    return many_.init(sos, channels);
  }
  void reset() {
    if (channels_ == 1) {
      one_.reset();
    } else {
      many_.reset();
    }
  }
  void reset_steady(const float* x0) {
    if (channels_ == 1) {
      one_.reset_steady(x0);
    } else {
      many_.reset_steady(x0);
    }
  }
  int num_sections() const { return channels_ == 1 ? one_.num_sections() : many_.num_sections(); }
  // State in scipy's zi layout per channel: [(section*2 + k) * channels + ch].
  void get_state(float* out) const {
    if (channels_ == 1) {
      one_.get_state(out);
    } else {
      many_.get_state(out);
    }
  }
  void set_state(const float* in) {
    if (channels_ == 1) {
      one_.set_state(in);
    } else {
      many_.set_state(in);
    }
  }
  // n interleaved frames; in == out allowed.
  void process(const float* in, float* out, std::size_t n) {
    if (channels_ == 1) {
      one_.process(in, out, n);
    } else {
      many_.process(in, out, n);
    }
  }

 private:
  int channels_ = 0;
  dsp::SosCascade<float, MaxSections> one_;
  dsp::MultiChannelSos<float, MaxChannels, MaxSections> many_;
};

}  // namespace soleus::emg
