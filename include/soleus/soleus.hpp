// Umbrella header: the real-time core (everything but imu/, which needs Eigen,
// and sim/, which is host-only).
#pragma once

#include "soleus/core/config.hpp"
#include "soleus/core/denormals.hpp"
#include "soleus/core/event_queue.hpp"
#include "soleus/core/lanes.hpp"
#include "soleus/core/status.hpp"
#include "soleus/dsp/fft.hpp"
#include "soleus/dsp/filter_design.hpp"
#include "soleus/dsp/moving_rms.hpp"
#include "soleus/dsp/rectify.hpp"
#include "soleus/dsp/sos.hpp"
#include "soleus/dsp/sos_filter.hpp"
#include "soleus/dsp/spectral.hpp"
#include "soleus/dsp/teager_kaiser.hpp"
#include "soleus/emg/processor.hpp"
#include "soleus/reps/segmenter.hpp"
#include "soleus/reps/sets.hpp"
#include "soleus/reps/types.hpp"
