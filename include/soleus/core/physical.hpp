// Physical constants shared by layers that must agree on them.
// Header-only; no dependencies.
#pragma once

namespace soleus {

// Standard gravity (m/s^2), ISO 80000-3 / CGPM 1901.
inline constexpr double kStandardGravity_mps2 = 9.80665;

// A heel strike's impact: |a| exceeds gravity by at least 1 g. Walking heel
// strikes peak at 2-5 g at the foot and shank within 10-30 ms (Light,
// McLellan & Klenerman 1980, J Biomech 13:477; Whittle 1999, Gait Posture
// 10:264; skin-mounted sensors read more, Lafortune et al. 1995), while a
// heel raise's own linear acceleration stays within ~0.6 g of gravity even
// in quick sets: 1 g of excess is the lower end of the strikes. The
// tracker's rest band (imu/plantarflexion.hpp: a movement with an impact
// leaves its peak hold alone) and the segmenter's stride rule
// (reps/segmenter.hpp, "Strides") must call the same thing an impact, so
// both read it here. Limits: a +-2 g accelerometer, or a 10-30 ms impact
// sampled at 50 Hz or less, may never show it.
inline constexpr double kHeelStrikeExcess_g = 1.0;

}  // namespace soleus
