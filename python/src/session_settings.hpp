// Settings shared between binding files: the EMG chain's settings from a flat
// {name: value} dict (bind_emg_processor.cpp) and the repetition chain's
// numeric settings by name (bind_reps.cpp), reused by the Session binding.
#pragma once

#include <functional>
#include <string>

#include "bindings.hpp"
#include "soleus/emg/processor.hpp"
#include "soleus/reps/imu_reps.hpp"

namespace soleus_py {

// EmgSettings from {name: value} (names: soleus.EmgProcessor.defaults()); ValueError naming a bad key.
soleus::emg::EmgSettings emg_settings_from_dict(double fs, const py::dict& kw);
// An init failure of the EMG chain (st), raised as ValueError naming what the
// user gave: the settings in kw that, left at their default, make the chain
// valid, or the rate (its Python name rate_name) when the same settings are
// valid at 2000 Hz; key_prefix goes before each key ("emg." in a Session). try_init runs the chain's init on trial settings. Never returns.
[[noreturn]] void raise_emg_init_error(const soleus::Status& st, const std::string& rate_name,
                                       const std::string& key_prefix, double fs, const py::dict& kw,
                                       const std::function<soleus::Status(const soleus::emg::EmgSettings&)>& try_init);
py::dict emg_settings_to_dict(const soleus::emg::EmgSettings& s);
// One numeric setting of the repetition chain by name (segment_reps' names); false when unknown.
bool apply_reps_setting(soleus::reps::ImuRepConfig& c, const std::string& key, const py::handle& value);

}  // namespace soleus_py
