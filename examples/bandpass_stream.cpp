// Streaming EMG band-pass + mains removal on 8 channels, the way firmware or
// an app would run it: design once at start-up, then push one frame (one
// sample per channel) at a time with no allocation. Prints what it did.
#include <cmath>
#include <cstdio>

#include "soleus/soleus.hpp"

int main() {
  using namespace soleus::dsp;
  constexpr int kChannels = 8;
  const double fs_hz = 2000.0;

  // Design (double precision, scipy-compatible), then one cascade:
  // 20-450 Hz band-pass (4 sections) followed by 50 Hz + 3 harmonic notches.
  auto bp = butter(4, 20.0, 450.0, BandType::bandpass, fs_hz);
  auto mains = mains_filter(50.0, fs_hz, 4.0, 4);
  if (!bp.ok() || !mains.ok()) {
    std::printf("design failed: %s %s\n", bp.status.message, mains.status.message);
    return 1;
  }
  SosList chain = bp.value;
  if (!chain.append(mains.value)) return 1;

  // Static storage: no heap, fixed capacities (8 channels, 8 sections).
  static MultiChannelSos<float, kChannels, 8> filter;
  if (soleus::Status st = filter.init(chain, kChannels); !st) {
    std::printf("init failed: %s\n", st.message);
    return 1;
  }

  // A per-frame loop holds one flush-to-zero guard (subnormals after silence).
  soleus::ScopedFlushDenormals guard;
  double in_power = 0, out_power = 0;
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    float frame[kChannels], out[kChannels];
    for (int c = 0; c < kChannels; ++c) {
      // 120 Hz "EMG" tone per channel plus 50 Hz hum and a DC offset.
      const double t = i / fs_hz;
      frame[c] = static_cast<float>(0.2 * std::sin(2 * M_PI * (120 + 10 * c) * t) +
                                    1.0 * std::sin(2 * M_PI * 50 * t) + 0.5);
    }
    filter.process_frame(frame, out);
    if (i >= n / 2) {  // after the start-up transient
      in_power += double(frame[0]) * frame[0];
      out_power += double(out[0]) * out[0];
    }
  }
  std::printf("%d channels, %d sections, %d frames at %.0f Hz\n", kChannels, chain.size(), n, fs_hz);
  std::printf("channel 0 RMS: in %.3f (tone 0.141 + hum 0.707 + offset 0.5), out %.3f (tone kept)\n",
              std::sqrt(in_power / (n / 2)), std::sqrt(out_power / (n / 2)));
  return 0;
}
