// Downstream use of soleus: design the EMG band-pass, filter a tone in and
// out of band, check the library version matches the headers, and run a C API
// session (in a portable libsoleus the dispatched one: its implementation's
// copies of the header code sit beside this program's own without clashing).
#include <cmath>
#include <cstdio>
#include <cstring>

#include "soleus/soleus.h"
#include "soleus/soleus.hpp"
#include "soleus/version.hpp"

int main() {
  using namespace soleus::dsp;
  auto design = butter(4, 20, 450, BandType::bandpass, 2000);
  if (!design.ok()) {
    std::printf("design failed: %s\n", design.status.message);
    return 1;
  }
  SosCascade<float> f;
  if (!f.set_sos(design.value)) return 1;
  // RMS of the steady-state response to 100 Hz (pass band) and 2 Hz (stop band).
  auto rms_at = [&](double hz) {
    f.reset();
    double s = 0;
    int n = 0;
    for (int i = 0; i < 8000; ++i) {
      const float y = f.process(static_cast<float>(std::sin(2 * M_PI * hz * i / 2000.0)));
      if (i >= 4000) {
        s += double(y) * y;
        ++n;
      }
    }
    return std::sqrt(s / n);
  };
  const double pass = rms_at(100), stop = rms_at(2);
  std::printf("soleus %s consumer: 100 Hz RMS %.4f, 2 Hz RMS %.6f\n", soleus::version_string(), pass,
              stop);
  // One second of a 100 Hz tone on one EMG channel through the C API.
  soleus_config cfg;
  soleus_config_default(&cfg);
  cfg.emg_channels = 1;
  soleus_session* s = nullptr;
  bool c_api_ok = soleus_create(&cfg, &s) == SOLEUS_OK;
  for (int i = 0; c_api_ok && i < 2000; ++i) {
    const float x = static_cast<float>(0.1 * std::sin(2 * M_PI * 100.0 * i / cfg.emg_rate_hz));
    c_api_ok = soleus_push_emg(s, i / cfg.emg_rate_hz, &x) == SOLEUS_OK;
  }
  soleus_state st;
  c_api_ok = c_api_ok && soleus_get_state(s, &st) == SOLEUS_OK && st.emg.accepted == 2000;
  std::printf("C API session (%s implementation): %s\n", soleus_session_isa(s), c_api_ok ? "ok" : "FAILED");
  soleus_destroy(s);
  const bool ok = std::fabs(pass - std::sqrt(0.5)) < 0.01 && stop < 1e-3 && c_api_ok &&
                  std::strcmp(soleus::version_string(), SOLEUS_VERSION_STRING) == 0;
  return ok ? 0 : 1;
}
