// Seeded heel-raise IMU simulator with exact ground truth.
//
// Generates what a 6-axis IMU strapped on the foot or the shank reads during
// sets of heel raises (concentric rise, top hold, eccentric lowering, bottom
// rest), together with the true plantar-flexion angle, the true sensor
// orientation and the true phase times of every repetition. Tests, benchmarks
// and the repetition segmenter use it as their reference, so everything the
// detectors must find is written down explicitly in `HeelRaiseSession`.
//
// Not real-time (uses std::vector). Deterministic: its own PRNG
// (xoshiro256**, seeded through splitmix64) and Gaussian deviates built from
// integer draws and exact float operations only (Irwin-Hall sum of 12
// uniforms), so every random number is bit-identical on every platform; the
// kinematics use std::sin/std::cos, whose last bit may differ between libms.
//
// World frame: x anterior (forward), y left, z up; gravity along -z. Plantar
// flexion of the foot (heel up, pivoting about the toes / MTP joints) is a
// positive rotation about +y (R_y(theta) moves the heel, at -x, upwards).
//
// Segment models (planar, sagittal plane; "theta" = foot angle):
//  * foot:            the foot rotates by theta about the MTP pivot on the floor;
//                     the sensor sits on the dorsum at `foot_sensor_pos_m`.
//  * shank, standing: the ankle rides on the arc about the MTP pivot and the
//                     shank tilts forward by psi = standing_shank_ratio * theta
//                     (body sway keeps the centre of mass over the forefoot);
//                     default ratio 0.3, so a 30 deg raise tilts the shank 9 deg.
//  * shank, seated (and wall_sit):   knee at 90 deg, thigh horizontal and pivoting about a fixed
//                     hip; the ankle rides on the MTP arc; the knee follows from
//                     the closed linkage hip-thigh-knee-shank-ankle. The shank
//                     tilts backwards (top behind bottom) as the heel rises: the
//                     ankle moves forward under a knee that moves only upwards.
//                     With the default geometry d(psi)/d(theta) = -0.19 at rest
//                     (about 5.6 deg of shank rotation for a 30 deg raise).
// For any placement, `segment_angle_deg` is the rotation of the sensor's own
// segment relative to rest, signed so that it is positive during the rise;
// `sagittal_axis_sensor` is the rotation axis in the sensor frame with the same
// sign. The sensor is mounted with an arbitrary rotation on its segment.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "soleus/core/status.hpp"
#include "soleus/sim/random.hpp"

namespace soleus::sim {


// ------------------------------------------------------------------ config
enum class ImuPlacement { foot, shank };
// wall_sit: back against a wall, knees at about 90 deg, body weight on the
// feet; the shank kinematics are the seated model's (hip held in place), the
// coupled EMG (heel_raise_emg.hpp) differs (loaded, postural activity).
enum class Posture { standing, seated, wall_sit };
// Non-raise activity (issue 16): sessions whose truth is zero reps.
//  * walking (foot): bouts of 4-12 strides at 0.8-1.2 Hz between 3-10 s of
//    standing. Per stride: foot flat for the first 35 % (mid-stance), heel-off
//    to toe-off to +20..+30 deg of plantar flexion (foot pitch at toe-off),
//    swing to -12..-20 deg (toes up at heel strike), then foot flat again;
//    a heel-strike impact of 2-4 g for 20-40 ms (half-sine, up and back).
//    Ranges: DESIGN.md "What real movement looks like" (foot pitch -20..+30
//    deg at ~1 Hz); foot segment pitch in gait, Perry & Burnfield 2010, Gait
//    Analysis ch. 4-5; heel-strike transients 2-5 g at the foot/shank:
//    Lafortune 1991, J Biomech 24:877. With placement shank (standing,
//    also the steps between sets and onto / off a step) the sensor's shank
//    follows its own gait track instead of 0.3x the foot's pitch: ~70 deg
//    per stride, tibial advancement through stance, 300-450 deg/s in swing
//    at 1 Hz (kShankGaitKnots, sources there), the ankle riding on the foot,
//    the same heel-strike impacts; the foot placement is unchanged bit for
//    bit. Not modelled at a shank: the leg's forward travel (walking speed,
//    the knee's rise and fall in swing), so the accelerometer sees the
//    shank's rotation about the ankle and the impacts only. Pedalling stays
//    a foot activity (a real shank on a pedal turns ~30-50 deg per
//    revolution with the knee's up-and-down: not simulated at a shank).
//  * pedalling (foot): bouts of 20-60 s, the foot rocking 20-40 deg peak to
//    peak at 0.8-1.3 Hz (50-80 rpm), no pauses; the pedal (foot sensor)
//    runs on a 0.17 m crank circle, whose centripetal acceleration (w^2 r,
//    ~7 m/s^2 at 1 Hz) the accelerometer sees. Ankling range in cycling:
//    Bini & Diefenthaeler 2010, Sports Biomech 9:223 (15-40 deg).
//  * sit_to_stand (shank): the shank (sensor on it, rotating about the
//    ankle) tilts 15-30 deg forward while rising (knees over the toes) and
//    back to vertical, stands 5-20 s, tilts 10-25 deg forward again when
//    sitting down and returns to its seated angle, 0-12 deg behind vertical
//    (feet forward of the knees): a posture change, not a return to the same
//    level. Shank tilt in sit-to-stand: Schenkman et al. 1990, Phys Ther
//    70:638 (ankle dorsiflexion ~15-25 deg at seat-off). The forward
//    direction relative to the axis' "+ = rise" sign is drawn per session.
//  * fidgeting (foot, standing): every 1.5-5 s a weight shift (the resting
//    angle moving 1-3 deg, kept within +-4 deg), a heel lift of 2-4 deg with
//    a 0-0.5 s pause, or a toe tap (3-8 deg of dorsiflexion and back).
enum class Activity { none, walking, pedalling, sit_to_stand, fidgeting };
// Shape of each movement phase. Minimum jerk (10t^3-15t^4+6t^5) has zero
// velocity and acceleration at both ends (peak velocity 1.875*ROM/T);
// raised cosine has zero velocity only (peak velocity 1.571*ROM/T).
enum class PhaseProfile { minimum_jerk, raised_cosine };

struct Range {
  double min = 0.0;
  double max = 0.0;
};

struct HeelRaiseConfig {
  double sample_rate_hz = 100.0;  // 50..400
  double start_time_s = 0.0;      // time stamp of the first sample
  ImuPlacement placement = ImuPlacement::foot;
  Posture posture = Posture::standing;

  // Session structure. Each set draws nominal phase durations and ROM from the
  // ranges below; each rep jitters them by (1 + jitter * N(0,1)), clamped to
  // the range. Phases must lie within 0.3..4 s, holds and rests within 0..5 s.
  int n_sets = 2;
  int reps_per_set = 8;
  double lead_in_s = 6.0;            // still at rest before the first rep
  double rest_between_sets_s = 15.0; // still at rest between sets
  double tail_s = 3.0;               // still at rest after the last rep
  Range rise_s{0.5, 1.2};            // concentric rise
  Range top_hold_s{0.5, 2.0};        // hold at the top
  Range lower_s{1.5, 3.0};           // eccentric lowering
  Range bottom_rest_s{0.5, 1.5};     // rest on the floor between reps
  Range rom_deg{20.0, 35.0};         // plantar-flexion excursion, 10..40
  double jitter = 0.08;
  double partial_probability = 0.1;  // chance that a rep is partial
  Range partial_fraction{0.35, 0.65};// partial rep ROM as a fraction of nominal
  // > 0: one extra set with a single rep held at the top this long (isometric
  // hold, e.g. 20-40 s), after the other sets and a set rest.
  double isometric_hold_s = 0.0;
  PhaseProfile profile = PhaseProfile::minimum_jerk;

  // Realistic movement (off by default so that seeded sessions of earlier
  // versions stay bit-identical; the test grids turn it on). What real raises
  // add to the clean rest-rise-hold-lower-rest shape:
  //  * a countermovement: the heel presses down / weight shifts back just
  //    before heel-off, 2-6 deg of dorsiflexion in the 0.1-0.5 s before it
  //    (ranges measured on real raises, DESIGN.md "What real movement looks
  //    like"; the preparatory dip before a heel rise: Lunsford & Perry 1995,
  //    Phys Ther 75:694, describe the heel-rise as a rocking weight shift);
  //  * quick raises mixed with the prescribed slow tempo: a set is quick with
  //    quick_set_probability, its phases then drawn from quick_* (rise
  //    0.25-0.6 s, top 0.5-1.5 s, lowering 0.25-0.6 s: DESIGN.md; people
  //    pace the test at 0.5-1 Hz, Hebert-Losier et al. 2009, Man Ther 14:
  //    261, review of the heel-rise test);
  //  * a rebound at heel contact: the lowering overshoots the resting angle
  //    by 1-5 deg and settles within about 0.5 s (DESIGN.md);
  //  * the resting angle after a rep lies 1-3 deg away from the one before
  //    (random walk, kept within +-4 deg of the first rest);
  //  * raises from a step: step_bottom_deg > 0 (5-15 deg in reality) drops
  //    the heel that far below standing after the lead-in; reps start from,
  //    and return to, that bottom;
  //  * an isometric hold sags by hold_sag_deg as the calf tires.
  // Truth with realistic movement: start_s is heel-off (the angle crosses
  // the resting angle upwards after the countermovement), end_s heel
  // contact (the lowering crosses the new resting angle, before the
  // rebound), as a heel-insole force sensor would time them; rom_deg is top
  // minus the resting angle before the rep.
  bool realistic = false;
  // Realistic mode: heel contact at speed (issue 16, off by default so the
  // existing grids stay bit-identical until the segmenter times contact as
  // a crossing). Off: the lowering glides onto the new resting angle at
  // zero speed, then a 0.1 s rebound dip. On: the lowering is a move aimed
  // rebound_deg past the resting angle, cut short by the floor where it
  // crosses that angle (end_s, with the heel still moving), then braked to
  // rest by the heel pad and shoe (0.03-0.3 s) and settled: see
  // add_rep_realistic.
  bool heel_contact_at_speed = false;
  Range countermovement_deg{2.0, 6.0};
  Range countermovement_s{0.1, 0.5};
  double quick_set_probability = 0.5;
  Range quick_rise_s{0.25, 0.6};
  Range quick_top_hold_s{0.5, 1.5};
  Range quick_lower_s{0.25, 0.6};
  Range rebound_deg{1.0, 5.0};
  Range rebound_settle_s{0.25, 0.4};  // after the dip (braking at contact, 0.03-0.3 s)
  Range rest_shift_deg{1.0, 3.0};
  double step_bottom_deg = 0.0;
  // Stepping onto and off the step (issue 16; off by default so that seeded
  // sessions of earlier versions stay bit-identical, drawn only when on;
  // realistic mode, step_bottom_deg > 0). Raises from a step are done
  // standing with the forefoot on a step's edge, the heels free below it
  // (the eccentric heel-drop protocol: Alfredson et al. 1998, Am J Sports
  // Med 26:360; the single-leg heel-rise test on an incline or step:
  // Hebert-Losier et al. 2009, Man Ther 14:261): the person walks to the
  // step and steps up onto it, stands level, lets the heels drop to the
  // bottom (5-15 deg below standing), does the set, and steps off it
  // afterwards. Stepping up and down is stair gait: the foot pitches
  // through a stride's range at about 1 Hz with a heel strike (or forefoot
  // strike) at each landing (McFadyen & Winter 1988, J Biomech 21:733,
  // stair ascent and descent), modelled here with the `walking` strides
  // (foot pitch -20..+30 deg, heel-strike impacts). With it on: 2-4 strides
  // onto the step after the lead-in, 1-2 s standing level, a 1 s drop to
  // the bottom and 1.5 s still before the first set; between sets the heels
  // rise out of the bottom to level (0.5-1 s), 2-4 strides off the step,
  // standing on the floor, then the same way back on (the next set may start
  // later than rest_between_sets_s when this takes longer); after the last
  // set (or hold), up to level and 2-4 strides off. Truth: no reps there.
  // Not modelled: the body's 0.15-0.3 m rise and fall as linear
  // acceleration (the angle model's strides and impacts only).
  bool step_on_off = false;
  Range hold_sag_deg{1.0, 3.0};  // only holds longer than 10 s (isometric)
  // Bouncy sets (issue 16; off by default so that realistic sessions of
  // earlier versions stay bit-identical, drawn only when > 0): with this
  // probability a set is bouncy, its rise and lowering each drawn from
  // bouncy_phase_s (0.3-0.5 s, measured on real fast sets: issue 16), no
  // hold at the top, no rest at the bottom, no countermovement and no
  // rebound: the reps follow each other continuously, heel-off and heel
  // contact being the angle's turning points (the minimum of the angle:
  // start_s = end_s of the rep before). People do fast "pulsing" calf raises
  // at 1-1.5 Hz (Hebert-Losier et al. 2009, Man Ther 14:261: the heel-rise
  // test paced up to 60 raises/min, and faster when unpaced).
  double bouncy_set_probability = 0.0;
  Range bouncy_phase_s{0.3, 0.5};
  // Single-leg hold wobble (issue 16; off while max is 0, drawn only when
  // on): during isometric holds (> 10 s) the leg wobbles in roll and yaw
  // about the MTP pivot with an angular-rate RMS drawn per session from this
  // range (2-7 deg/s RMS measured on real single-leg holds: issue 16,
  // DESIGN.md), each axis a sum of three sinusoids of 0.5-3 Hz (ankle
  // strategy corrections of single-leg stance lie at 0.5-3 Hz: e.g. Riemann
  // et al. 2003, J Sport Rehabil 12:13). It fades in and out over 0.5 s at
  // the hold's ends and leaves the true plantar-flexion angle unchanged.
  Range hold_wobble_dps{0.0, 0.0};

  // Non-raise activity instead of sets (n_sets, isometric_hold_s and
  // step_bottom_deg are then ignored; truth: no reps, no sets). With
  // sit_to_stand the sensor sits on the shank, which rotates about a fixed
  // ankle, and angle_deg is the shank's tilt; otherwise on the foot.
  Activity activity = Activity::none;
  double activity_s = 120.0;  // length of the activity (after lead_in_s)
  // Non-raise activity between sets (issue 16; off by default and drawn only
  // when > 0, so seeded sessions of earlier versions stay bit-identical):
  // with this probability the rest between two sets (and before an
  // isometric-hold set) holds activity instead of standing still. 2 s after
  // the last rep's heel contact, either (with probability 0.5, standing on
  // the floor only) 2-6 walking steps (the `walking` strides above, heel
  // strikes included), or fidgets (the `fidgeting` weight shifts of 1-3 deg,
  // heel lifts of 2-4 deg, toe taps of 3-8 deg) until 2 s before the rest's
  // end; then at least 2 s still before the next set, which may start later
  // than rest_between_sets_s when the steps take longer. Realistic mode: the
  // next set rests at the level the weight shifts left (within +-4 deg of
  // the first rest); otherwise the foot returns to 0. Truth: no reps there.
  // Not simulated between sets: sitting down and standing up (a posture
  // change of the shank model; sit_to_stand alone covers it).
  double between_sets_activity_probability = 0.0;

  // Postural sway: off-axis rotation of the whole leg about the MTP pivot,
  // about world x (roll) and z (yaw), each a sum of three sinusoids of
  // 0.1..0.6 Hz with this RMS (deg). Off by default; 0.3-0.5 deg is typical for
  // a shank while standing. It leaves the true plantar-flexion angle unchanged
  // and makes the sensor never perfectly still.
  double sway_deg = 0.0;
  // Quiet-stance sway model (issue 16; off by default: the grids and the
  // tests measured on the legacy model above keep their random stream and
  // figures). Quiet standing sways as an inverted pendulum about the ankles,
  // mostly anteroposterior (Winter 1995, Gait Posture 3:193; the
  // mediolateral COP displacement is ~0.6x the anteroposterior: Prieto et
  // al. 1996, IEEE TBME 43:956), with a spectrum concentrated below 0.5 Hz
  // that falls roughly as 1/f (Collins & De Luca 1993, Exp Brain Res
  // 95:308: a correlated random walk; Loram & Lakie 2002, J Physiol 545:1041:
  // ankle rotation 0.1-0.5 deg). With sway_quiet_stance the sway is about
  // world y (pitch: anteroposterior, the heel raise's own axis, RMS
  // sway_deg) and world x (roll: mediolateral, 0.6 x sway_deg), each a sum
  // of three sinusoids at 0.05-0.5 Hz (log-uniform) whose amplitudes fall
  // as f^-1/2 (power ~ 1/f), scaled to the RMS; no yaw. The body sways
  // about the ankles while the foot stays flat on the floor (Winter 1995,
  // 1998: the inverted pendulum pivots at the ankle; Loram & Lakie 2002
  // measured the sway as ankle rotation, 0.1-0.5 deg, with the foot on a
  // fixed platform), so:
  //  * a shank sensor (placement shank, raising or sit_to_stand) turns by
  //    the sway about the ankle joint (the ankle itself rides on the foot
  //    as before, so during a raise the sway adds to the raise's tilt);
  //  * a foot sensor (placement foot, or a foot-driven activity) turns only
  //    by the heel pad's compression as the load moves between heel and
  //    forefoot: kQuietStanceFootSwayRatio of the sway, about the MTP pivot.
  // Seated and wall-sit shanks take the same model as a stand-in (the seat
  // or the wall carries the body there, so real sway is smaller: no
  // measured figure found). The true plantar-flexion angle is unchanged.
  // The grid tests select it with SOLEUS_GRID_QUIET_STANCE=1.
  bool sway_quiet_stance = false;

  // Transport defects (off by default; drawn only when enabled). Dropouts:
  // bursts of lost samples, on average dropout_rate_per_s bursts per second,
  // each uniform in 1 sample .. dropout_max_s; the truth arrays lose the same
  // samples, reps/sets keep their true times. Jitter: Gaussian noise of this
  // SD on the time stamps, clipped to +-0.4 sample periods so stamps stay
  // increasing (the samples themselves are taken at the true times).
  double dropout_rate_per_s = 0.0;
  double dropout_max_s = 0.1;
  double timestamp_jitter_s = 0.0;

  // Sensor errors. Bias: each axis uniform in +-gyro_bias_max_dps, then a
  // random walk of gyro_bias_drift_dps_per_sqrt_s.
  double gyro_noise_dps = 0.1;   // white noise SD per sample
  double gyro_bias_max_dps = 1.0;
  double gyro_bias_drift_dps_per_sqrt_s = 0.002;
  double acc_noise_mps2 = 0.03;  // white noise SD per sample and axis
  // Accelerometer zero-g offset and sensitivity error (issue 16), realistic
  // mode only (the legacy mode keeps the ideal accelerometer and its
  // bit-identical sessions; set both to 0 for an ideal sensor in realistic
  // mode). Each axis: measured = (1 + scale_k) * true + offset_k + noise,
  // offset_k uniform in +-acc_offset_max_mps2, scale_k uniform in
  // +-acc_scale_error_max (a fraction), constant over the session, drawn
  // from their own random stream (switching them off changes nothing else).
  // Datasheet figures of consumer MEMS IMUs: zero-g offset +-40 mg (Bosch
  // BMI160, BST-BMI160-DS000), +-20 mg (ST LSM6DSO, typical; TDK
  // ICM-42688-P, board level), +-50-80 mg (InvenSense MPU-6050); soldering
  // and board stress add to the component figure. Sensitivity tolerance
  // +-0.5 % (ICM-42688-P), +-1 % (LSM6DSO, BMI160), +-3 % (MPU-6050).
  // Defaults: 40 mg (0.04 * 9.80665 m/s^2) and 2 %, inside the consumer
  // range without taking its worst part. Temperature drift of the offset
  // (0.1-1 mg/K) and cross-axis sensitivity (~1 %) are not modelled.
  double acc_offset_max_mps2 = 0.04 * 9.80665;
  double acc_scale_error_max = 0.02;
  double gravity_mps2 = 9.80665;

  // Mounting: rotation from the sensor frame to the segment frame (w,x,y,z).
  // With random_mounting it is drawn uniformly over all rotations.
  bool random_mounting = true;
  std::array<double, 4> mounting_wxyz{1.0, 0.0, 0.0, 0.0};

  // Geometry (metres, segment frames at rest aligned with the world frame).
  std::array<double, 2> foot_sensor_pos_m{-0.08, 0.05};  // (x, z) from the MTP pivot
  std::array<double, 2> ankle_pos_m{-0.14, 0.08};        // (x, z) from the MTP pivot
  std::array<double, 2> shank_sensor_pos_m{0.04, 0.22};  // (x, z) from the ankle, shank frame
  double standing_shank_ratio = 0.3;                     // psi / theta when standing
  double shank_length_m = 0.43;                          // ankle to knee (seated model)
  double thigh_length_m = 0.45;                          // knee to hip (seated model)
};

// The heel-raise issue spells it both ways.
using HeelRiseConfig = HeelRaiseConfig;

// ------------------------------------------------------------------ truth
struct RepTruth {
  double start_s = 0.0;        // rise begins (leaves the bottom rest)
  double top_s = 0.0;          // top reached (rise ends)
  double lower_start_s = 0.0;  // lowering begins (top hold ends)
  double end_s = 0.0;          // back at rest (lowering ends)
  double rom_deg = 0.0;        // foot plantar-flexion excursion
  bool partial = false;        // drawn as a partial rep
  int set_index = 0;
};

struct SetTruth {
  double start_s = 0.0;  // start of its first rep
  double end_s = 0.0;    // end of its last rep
  int first_rep = 0;     // index into reps
  int n_reps = 0;
  bool isometric = false;
};

struct HeelRaiseSession {
  Status status{};  // invalid_argument when the config was rejected (then empty)
  double sample_rate_hz = 0.0;
  std::vector<double> t_s;                        // n
  std::vector<std::array<double, 3>> acc_mps2;    // n x 3, sensor frame, specific force
  std::vector<std::array<double, 3>> gyro_dps;    // n x 3, sensor frame, with bias + noise
  std::vector<double> angle_deg;                  // n: true foot plantar-flexion angle
  std::vector<double> segment_angle_deg;          // n: true rotation of the sensor's segment
  std::vector<std::array<double, 4>> q_true_wxyz; // n: sensor -> world orientation
  std::vector<std::array<double, 3>> gyro_bias_dps;  // n: true bias
  // The accelerometer's true zero-g offset (m/s^2) and sensitivity error
  // (fraction) per sensor axis (zero outside realistic mode).
  std::array<double, 3> acc_offset_mps2{0.0, 0.0, 0.0};
  std::array<double, 3> acc_scale_error{0.0, 0.0, 0.0};
  std::vector<RepTruth> reps;
  std::vector<SetTruth> sets;
  std::array<double, 3> sagittal_axis_sensor{0.0, 1.0, 0.0};  // unit, + = rise
  std::array<double, 4> mounting_wxyz{1.0, 0.0, 0.0, 0.0};    // sensor -> segment
  double segment_ratio_at_rest = 1.0;  // d(segment angle)/d(foot angle) at rest, signed
  std::size_t size() const { return t_s.size(); }
};

inline Status validate(const HeelRaiseConfig& c) {
  auto in = [](const Range& r, double lo, double hi) {
    return r.min >= lo && r.max <= hi && r.min <= r.max;
  };
  if (!(c.sample_rate_hz >= 50.0 && c.sample_rate_hz <= 400.0))
    return Status::invalid("sample_rate_hz: must be within 50..400");
  if (c.n_sets < 0 || c.reps_per_set < 0) return Status::invalid("n_sets, reps_per_set: must be >= 0");
  if (!in(c.rise_s, 0.3, 4.0) || !in(c.lower_s, 0.3, 4.0))
    return Status::invalid("rise_s, lower_s: must lie within 0.3..4 s");
  if (!in(c.top_hold_s, 0.0, 5.0) || !in(c.bottom_rest_s, 0.0, 5.0))
    return Status::invalid("top_hold_s, bottom_rest_s: must lie within 0..5 s");
  if (!in(c.rom_deg, 10.0, 40.0)) return Status::invalid("rom_deg: must lie within 10..40 deg");
  if (!in(c.partial_fraction, 0.05, 1.0)) return Status::invalid("partial_fraction: must lie within 0.05..1");
  if (!(c.jitter >= 0.0 && c.jitter <= 0.5)) return Status::invalid("jitter: must be within 0..0.5");
  if (!(c.partial_probability >= 0.0 && c.partial_probability <= 1.0))
    return Status::invalid("partial_probability: must be within 0..1");
  if (!(c.lead_in_s >= 0.0 && c.rest_between_sets_s >= 0.0 && c.tail_s >= 0.0 && c.isometric_hold_s >= 0.0))
    return Status::invalid("lead_in_s, rest_between_sets_s, tail_s, isometric_hold_s: must be >= 0");
  if (!(c.gyro_noise_dps >= 0.0 && c.acc_noise_mps2 >= 0.0 && c.gyro_bias_max_dps >= 0.0 &&
        c.gyro_bias_drift_dps_per_sqrt_s >= 0.0))
    return Status::invalid("noise and bias parameters: must be >= 0");
  // 0.2 g and 10 %: beyond any MEMS datasheet (a larger value is a unit slip).
  if (!(c.acc_offset_max_mps2 >= 0.0 && c.acc_offset_max_mps2 <= 0.2 * 9.80665))
    return Status::invalid("acc_offset_max_mps2: must be within 0..1.96 m/s^2 (0.2 g)");
  if (!(c.acc_scale_error_max >= 0.0 && c.acc_scale_error_max <= 0.1))
    return Status::invalid("acc_scale_error_max: must be within 0..0.1 (a fraction)");
  if (!(c.sway_deg >= 0.0 && c.sway_deg <= 5.0)) return Status::invalid("sway_deg: must be within 0..5");
  if (!(c.dropout_rate_per_s >= 0.0 && c.dropout_max_s >= 0.0 && c.timestamp_jitter_s >= 0.0))
    return Status::invalid("dropout_rate_per_s, dropout_max_s, timestamp_jitter_s: must be >= 0");
  if (c.realistic) {
    // One message per argument: the Python bindings pass them on verbatim.
    if (!in(c.countermovement_deg, 0.0, 10.0)) return Status::invalid("countermovement_deg: must lie within 0..10 deg");
    if (!in(c.rebound_deg, 0.0, 10.0)) return Status::invalid("rebound_deg: must lie within 0..10 deg");
    if (!in(c.rest_shift_deg, 0.0, 5.0)) return Status::invalid("rest_shift_deg: must lie within 0..5 deg");
    if (!in(c.hold_sag_deg, 0.0, 10.0)) return Status::invalid("hold_sag_deg: must lie within 0..10 deg");
    if (!in(c.countermovement_s, 0.05, 1.0)) return Status::invalid("countermovement_s: must lie within 0.05..1 s");
    if (!in(c.rebound_settle_s, 0.05, 2.0)) return Status::invalid("rebound_settle_s: must lie within 0.05..2 s");
    if (!in(c.quick_rise_s, 0.15, 4.0)) return Status::invalid("quick_rise_s: must lie within 0.15..4 s");
    if (!in(c.quick_lower_s, 0.15, 4.0)) return Status::invalid("quick_lower_s: must lie within 0.15..4 s");
    if (!in(c.quick_top_hold_s, 0.0, 5.0)) return Status::invalid("quick_top_hold_s: must lie within 0..5 s");
    if (!(c.quick_set_probability >= 0.0 && c.quick_set_probability <= 1.0))
      return Status::invalid("quick_set_probability: must be within 0..1");
    if (!(c.step_bottom_deg >= 0.0 && c.step_bottom_deg <= 20.0))
      return Status::invalid("step_bottom_deg: must be within 0..20");
    if (!(c.bouncy_set_probability >= 0.0 && c.bouncy_set_probability <= 1.0))
      return Status::invalid("bouncy_set_probability: must be within 0..1");
    if (!in(c.bouncy_phase_s, 0.15, 1.0)) return Status::invalid("bouncy_phase_s: must lie within 0.15..1 s");
    if (!in(c.hold_wobble_dps, 0.0, 20.0)) return Status::invalid("hold_wobble_dps: must lie within 0..20 deg/s");
  }
  if (!(c.between_sets_activity_probability >= 0.0 && c.between_sets_activity_probability <= 1.0))
    return Status::invalid("between_sets_activity_probability: must be within 0..1");
  if (c.activity != Activity::none && !(c.activity_s >= 5.0 && c.activity_s <= 7200.0))
    return Status::invalid("activity_s: must be within 5..7200 s");
  if (!(c.shank_length_m > 0.1 && c.thigh_length_m > 0.1))
    return Status::invalid("shank_length_m, thigh_length_m: must be > 0.1 m");
  return Status::success();
}

namespace detail {

constexpr double kPi = 3.14159265358979323846;
constexpr double kDeg = kPi / 180.0;

// One movement segment of the foot angle: from a0 to a1 over [t0, t1].
struct AngleSegment {
  double t0, t1, a0, a1;
  // Profile duration when the movement is cut short before its end (0: the
  // segment's own t1 - t0): the lowering aimed past the floor and stopped by
  // heel contact at t1 (see add_rep_realistic).
  double profile_s = 0.0;
  // > 0: a braking segment instead of a profile: it starts at a0 with this
  // speed (rad/s, towards a1) and decelerates uniformly to rest at a1 at t1
  // (the heel pad and shoe compressing after contact).
  double v0 = 0.0;
};

// Shank angle over the gait cycle (walking at a shank placement, issue 16).
// A real shank does not follow the foot in walking: it rotates 60-70 deg per
// stride in the sagittal plane. At heel strike it is inclined ~20 deg with
// the ankle ahead of the knee; through stance it rotates forward over the
// planted foot (tibial advancement: the heel rocker, then the ankle rocker,
// Perry & Burnfield 2010, Gait Analysis, 2nd ed., ch. 4), past vertical at
// mid-stance, to ~45 deg with the knee ahead of the ankle around toe-off
// (~62 % of the cycle; knee flexion ~40 deg there); early swing carries it a
// little further, then it swings forward at 300-400 deg/s to ~25 deg (ankle
// ahead) late in swing and settles back to ~20 deg for the next heel strike.
// Knots: the normal-cadence shank ("leg") angle of Winter 2009, Biomechanics
// and Motor Control of Human Movement, 4th ed., appendix A kinematics,
// rounded to whole degrees by eye (read off the published curve, not the
// table: approximate to ~3 deg); the swing peak rate (~350 deg/s at 1 Hz
// cadence) and the stance peaks (~-100..-200 deg/s) agree with shank
// gyroscope recordings in gait (Tong & Granat 1999, Med Eng Phys 21:87;
// Aminian et al. 2002, J Biomech 35:689). Sign: the simulator's psi, +
// when the knee is ahead of the ankle (the sign a heel raise tilts the
// shank), so the knots are minus the "ankle ahead" angle. Cycle fraction
// 0 = heel strike. A periodic Hermite spline with Catmull-Rom (finite
// difference) tangents: C1, so the gyro is continuous.
struct GaitKnot {
  double gc, psi_deg;
};
constexpr std::array<GaitKnot, 10> kShankGaitKnots{{{0.00, -20.0},
                                                     {0.10, -14.0},
                                                     {0.30, -2.0},
                                                     {0.45, 12.0},
                                                     {0.55, 28.0},
                                                     {0.62, 44.0},
                                                     {0.68, 48.0},
                                                     {0.76, 35.0},
                                                     {0.87, -8.0},
                                                     {0.94, -23.0}}};
// psi (deg) and its derivatives with respect to the cycle fraction gc.
inline void shank_gait_eval(double gc, double& p, double& dp, double& ddp) {
  constexpr int n = static_cast<int>(kShankGaitKnots.size());
  gc -= std::floor(gc);
  auto knot = [&](int i) {  // periodic extension: knot i of any integer
    const int w = ((i % n) + n) % n;
    const double shift = std::floor(static_cast<double>(i) / n);
    return GaitKnot{kShankGaitKnots[static_cast<std::size_t>(w)].gc + shift,
                    kShankGaitKnots[static_cast<std::size_t>(w)].psi_deg};
  };
  int i = n - 1;
  while (i > 0 && kShankGaitKnots[static_cast<std::size_t>(i)].gc > gc) --i;
  const GaitKnot k0 = knot(i), k1 = knot(i + 1), km = knot(i - 1), kp = knot(i + 2);
  const double h = k1.gc - k0.gc;
  const double m0 = (k1.psi_deg - km.psi_deg) / (k1.gc - km.gc) * h;
  const double m1 = (kp.psi_deg - k0.psi_deg) / (kp.gc - k0.gc) * h;
  const double u = (gc - k0.gc) / h, u2 = u * u, u3 = u2 * u;
  p = (2 * u3 - 3 * u2 + 1) * k0.psi_deg + (u3 - 2 * u2 + u) * m0 + (-2 * u3 + 3 * u2) * k1.psi_deg + (u3 - u2) * m1;
  dp = ((6 * u2 - 6 * u) * k0.psi_deg + (3 * u2 - 4 * u + 1) * m0 + (-6 * u2 + 6 * u) * k1.psi_deg + (3 * u2 - 2 * u) * m1) / h;
  ddp = ((12 * u - 6) * k0.psi_deg + (6 * u - 4) * m0 + (-12 * u + 6) * k1.psi_deg + (6 * u - 2) * m1) / (h * h);
}
// One walking stride as walk_strides draws it (t0: its start, foot flat in
// mid-stance; T: its period): the shank's own track at a shank placement.
// a and o: the stride's amplitude scale and offset (deg) at its start, a1
// and o1 at its end (the next stride's), so the track stays continuous.
// ramp_in / ramp_out: the bout's first / last stride, where the track fades
// in from / out to the standing shank (gait initiation and termination).
struct GaitStride {
  double t0, T, a0, a1, o0, o1;
  bool ramp_in, ramp_out;
};
// Stride fraction (walk_strides: foot flat 0-0.35, heel-off to toe-off
// 0.35-0.6, swing 0.6-0.9, heel strike at 0.9, loading 0.9-1) to gait-cycle
// fraction (heel strike 0): gc = f - 0.9 (mod 1), so the impact lands on the
// shank's heel strike and the shank keeps the published timing (toe-off at
// 0.62 of the cycle, swing ~38 %: Perry & Burnfield 2010) and rates; the
// foot model's coarser swing (30 % of the stride) is left as it is (its
// sessions stay bit for bit). d gc / d f = 1.
inline double stride_to_gait_cycle(double f) { return f < 0.9 ? f + 0.1 : f - 0.9; }

// Normalised profile s(u), s'(u), s''(u) on u in [0, 1].
inline void profile_eval(PhaseProfile p, double u, double& s, double& ds, double& dds) {
  if (p == PhaseProfile::minimum_jerk) {
    const double u2 = u * u, u3 = u2 * u;
    s = u3 * (10.0 - 15.0 * u + 6.0 * u2);
    ds = 30.0 * u2 * (1.0 - u) * (1.0 - u);
    dds = 60.0 * u * (1.0 - u) * (1.0 - 2.0 * u);
  } else {
    s = 0.5 * (1.0 - std::cos(kPi * u));
    ds = 0.5 * kPi * std::sin(kPi * u);
    dds = 0.5 * kPi * kPi * std::cos(kPi * u);
  }
}

// u in [0, 1] where the (monotone) profile reaches s = f.
inline double profile_inverse(PhaseProfile p, double f) {
  double lo = 0.0, hi = 1.0;
  for (int k = 0; k < 60; ++k) {
    const double mid = 0.5 * (lo + hi);
    double s, ds, dds;
    profile_eval(p, mid, s, ds, dds);
    (s < f ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// Planar pose of the sensor's segment for foot angle theta (rad): segment
// pitch phi (rad, about +y) and sensor position (x, z) in metres.
struct PlanarPose {
  double phi, x, z;
};

inline PlanarPose segment_pose(const HeelRaiseConfig& c, double theta) {
  // R_y(a) applied to (x, z): x' = x cos a + z sin a, z' = -x sin a + z cos a.
  auto rot = [](double a, double x, double z, double& xo, double& zo) {
    xo = x * std::cos(a) + z * std::sin(a);
    zo = -x * std::sin(a) + z * std::cos(a);
  };
  PlanarPose p{};
  if (c.activity == Activity::sit_to_stand) {  // theta: shank tilt about a fixed ankle
    p.phi = theta;
    double sx, sz;
    rot(theta, c.shank_sensor_pos_m[0], c.shank_sensor_pos_m[1], sx, sz);
    p.x = c.ankle_pos_m[0] + sx;
    p.z = c.ankle_pos_m[1] + sz;
    return p;
  }
  // Walking at a shank placement takes the standing shank model (the ankle
  // on the foot); its strides then override psi (see kShankGaitKnots).
  const bool shank_walk = c.activity == Activity::walking && c.placement == ImuPlacement::shank;
  if ((c.activity != Activity::none && !shank_walk) || c.placement == ImuPlacement::foot) {
    p.phi = theta;
    rot(theta, c.foot_sensor_pos_m[0], c.foot_sensor_pos_m[1], p.x, p.z);
    return p;
  }
  double ax, az;
  rot(theta, c.ankle_pos_m[0], c.ankle_pos_m[1], ax, az);
  double psi;
  if (c.posture == Posture::standing) {
    psi = c.standing_shank_ratio * theta;
  } else {
    // Hip fixed so that at rest the shank is vertical and the thigh horizontal.
    const double ls = c.shank_length_m, lt = c.thigh_length_m;
    const double hx = c.ankle_pos_m[0] - lt, hz = c.ankle_pos_m[1] + ls;
    // Knee = intersection of circle(hip, lt) and circle(ankle, ls), the upper one.
    const double dx = ax - hx, dz = az - hz;
    const double d = std::sqrt(dx * dx + dz * dz);
    const double a = (lt * lt - ls * ls + d * d) / (2.0 * d);
    const double h = std::sqrt(std::max(0.0, lt * lt - a * a));
    const double mx = hx + a * dx / d, mz = hz + a * dz / d;
    // Of the two intersections take the one with the larger z (knee above ankle).
    const double k1x = mx + h * dz / d, k1z = mz - h * dx / d;
    const double k2x = mx - h * dz / d, k2z = mz + h * dx / d;
    const bool first = k1z > k2z;
    const double kx = first ? k1x : k2x, kz = first ? k1z : k2z;
    psi = std::atan2(kx - ax, kz - az);  // 0 when vertical, + when the top is forward
  }
  p.phi = psi;
  double sx, sz;
  rot(psi, c.shank_sensor_pos_m[0], c.shank_sensor_pos_m[1], sx, sz);
  p.x = ax + sx;
  p.z = az + sz;
  return p;
}

// Quiet-stance sway pivot of a shank sensor (see sway_quiet_stance): the
// ankle joint for foot angle theta (rad), x and z in metres (phi unused).
// It rides on the MTP arc while the heel is up; fixed for sit_to_stand,
// whose theta tilts the shank about a fixed ankle.
inline PlanarPose sway_ankle_pos(const HeelRaiseConfig& c, double theta) {
  PlanarPose p{0.0, c.ankle_pos_m[0], c.ankle_pos_m[1]};
  if (c.activity == Activity::sit_to_stand) return p;
  p.x = c.ankle_pos_m[0] * std::cos(theta) + c.ankle_pos_m[1] * std::sin(theta);
  p.z = -c.ankle_pos_m[0] * std::sin(theta) + c.ankle_pos_m[1] * std::cos(theta);
  return p;
}

// Quiet stance: rotation of a flat foot per unit of ankle sway, from the
// heel pad's compression as the load moves between heel and forefoot. A
// sway of delta (rad) moves the centre of mass, ~0.9 m above the ankle, by
// 0.9 delta m, and the centre of pressure with it (the two differ little
// below 0.5 Hz: Winter et al. 1998, J Neurophysiol 80:1211); each foot
// carries half the weight (~350 N), so the heel's load changes by
// 350 N * 0.9 delta / 0.18 m (heel to MTP) = 1750 delta N; at the
// loaded heel pad's stiffness of a few hundred N/mm (in vivo heel-pad
// loading, e.g. Aerts et al. 1995, J Biomech 28:1299; order of magnitude)
// that is ~6 delta mm of compression, a foot pitch of 6 delta / 180 =
// 0.03 delta. For 0.6 deg of sway: 0.02 deg at the foot.
constexpr double kQuietStanceFootSwayRatio = 0.03;
// Random stream of the accelerometer's offset and sensitivity error.
constexpr std::uint64_t kAccErrorStream = 0x616363ull;  // "acc"

inline std::array<double, 4> qmul(const std::array<double, 4>& a, const std::array<double, 4>& b) {
  return {a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
          a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
          a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
          a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0]};
}
// Rotates v by the conjugate of unit quaternion q (world -> sensor for q = sensor -> world).
inline std::array<double, 3> qrot_inv(const std::array<double, 4>& q, const std::array<double, 3>& v) {
  const std::array<double, 4> qc{q[0], -q[1], -q[2], -q[3]};
  const std::array<double, 4> p{0.0, v[0], v[1], v[2]};
  const auto r = qmul(qmul(qc, p), q);
  return {r[1], r[2], r[3]};
}

}  // namespace detail

// Generates one session. Same config and seed -> same output.
inline HeelRaiseSession generate_heel_raise_session(const HeelRaiseConfig& cfg, std::uint64_t seed) {
  using namespace detail;
  HeelRaiseSession out;
  out.status = validate(cfg);
  if (!out.status.ok()) return out;
  out.sample_rate_hz = cfg.sample_rate_hz;
  Xoshiro256ss rng(seed);

  // Mounting (Shoemake: uniform random rotation from 4 Gaussians would need
  // exact normals; normalising 4 Irwin-Hall deviates is close enough to
  // uniform for test coverage and stays platform-exact).
  std::array<double, 4> qm = cfg.mounting_wxyz;
  if (cfg.random_mounting) {
    double n2 = 0.0;
    do {
      for (auto& v : qm) v = rng.approx_normal();
      n2 = qm[0] * qm[0] + qm[1] * qm[1] + qm[2] * qm[2] + qm[3] * qm[3];
    } while (n2 < 1e-6);
  }
  {
    const double n = std::sqrt(qm[0] * qm[0] + qm[1] * qm[1] + qm[2] * qm[2] + qm[3] * qm[3]);
    if (!(n > 0.0)) {
      out.status = Status::invalid("mounting_wxyz: must be a non-zero quaternion");
      return out;
    }
    for (auto& v : qm) v /= n;
    if (qm[0] < 0.0)
      for (auto& v : qm) v = -v;
  }
  out.mounting_wxyz = qm;

  std::array<double, 3> bias{};
  for (auto& b : bias) b = rng.uniform(-cfg.gyro_bias_max_dps, cfg.gyro_bias_max_dps);
  // Accelerometer offset and sensitivity error (realistic mode): their own
  // stream, so the session's other draws stay those of earlier versions.
  if (cfg.realistic) {
    Xoshiro256ss acc_rng(seed, kAccErrorStream);
    for (auto& o : out.acc_offset_mps2) o = acc_rng.uniform(-cfg.acc_offset_max_mps2, cfg.acc_offset_max_mps2);
    for (auto& e : out.acc_scale_error) e = acc_rng.uniform(-cfg.acc_scale_error_max, cfg.acc_scale_error_max);
  }

  // ---- timeline of the foot angle
  std::vector<AngleSegment> segs;
  auto clampr = [](double v, const Range& r) { return std::min(r.max, std::max(r.min, v)); };
  double t = cfg.start_time_s + cfg.lead_in_s;
  // Realistic mode: resting angle (rad) and its bounds.
  const double rest0 = -cfg.step_bottom_deg * kDeg;
  double rest = rest0;
  // Raises from a step, stepping on and off it (step_on_off: the steps are
  // drawn below, once the gait generator exists).
  const bool step_on_off = cfg.activity == Activity::none && cfg.realistic && cfg.step_bottom_deg > 0.0 &&
                           cfg.step_on_off && cfg.n_sets + (cfg.isometric_hold_s > 0.0 ? 1 : 0) > 0;
  if (!step_on_off && cfg.activity == Activity::none && cfg.realistic && cfg.step_bottom_deg > 0.0 &&
      cfg.n_sets + (cfg.isometric_hold_s > 0.0 ? 1 : 0) > 0) {
    // Stands level on the step, then lets the heels drop to the bottom.
    const double t_drop = std::max(cfg.start_time_s, t - 2.5);
    segs.push_back({t_drop, t_drop + 1.0, 0.0, rest0});
  }
  auto add_rep_realistic = [&](int set_index, double rise, double hold, double lower, double rom, bool partial) {
    const double cm = rng.uniform(cfg.countermovement_deg.min, cfg.countermovement_deg.max) * kDeg;
    const double cm_s = rng.uniform(cfg.countermovement_s.min, cfg.countermovement_s.max);
    const double rb = rng.uniform(cfg.rebound_deg.min, cfg.rebound_deg.max) * kDeg;
    const double settle_s = rng.uniform(cfg.rebound_settle_s.min, cfg.rebound_settle_s.max);
    double shift = rng.uniform(cfg.rest_shift_deg.min, cfg.rest_shift_deg.max) * kDeg;
    if (rng.uniform() < 0.5) shift = -shift;
    double rest_new = rest + shift;
    if (std::fabs(rest_new - rest0) > 4.0 * kDeg) rest_new = rest - shift;
    const double top = rest + rom * kDeg;
    // Countermovement: rest -> rest - cm over cm_s; the rise segment starts
    // at the dip and crosses the rest angle (heel-off) at u_off.
    segs.push_back({t, t + cm_s, rest, rest - cm});
    const double u_off = profile_inverse(cfg.profile, cm / (cm + top - rest));
    const double D_rise = rise / (1.0 - u_off);
    const double t_rise0 = t + cm_s;
    RepTruth r;
    r.set_index = set_index;
    r.start_s = t_rise0 + u_off * D_rise;
    r.top_s = t_rise0 + D_rise;
    segs.push_back({t_rise0, r.top_s, rest - cm, top});
    double top_end = top;
    if (hold > 10.0) {  // isometric hold: the tiring calf sags
      top_end = top - rng.uniform(cfg.hold_sag_deg.min, cfg.hold_sag_deg.max) * kDeg;
      segs.push_back({r.top_s, r.top_s + hold, top, top_end});
    }
    r.lower_start_s = r.top_s + hold;
    // heel_contact_at_speed: heel contact (end_s) with the heel still moving. A heel landing on the
    // floor does not arrive there at zero speed: the lowering is a smooth
    // move aimed rb past the resting angle and the floor cuts it short where
    // it crosses that angle (heel-insole load returns: the judge's truth);
    // the heel pad and shoe then compress and brake it to rest within
    // kBrakeMaxS, the rebound's dip, and it settles back over settle_s.
    // Heel contact at speed, followed by a brief impact-absorption phase, is
    // what force plates show at the end of a heel-raise lowering
    // (Hebert-Losier et al. 2009, Man Ther 14:261, heel-rise test review;
    // heel-pad compression takes tens of ms at heel strike: Gefen et al.
    // 2001, J Biomech 34:1661) and the 1-5 deg rebound of DESIGN.md "What
    // real movement looks like". The lowering's duration (lower) runs from
    // its start to contact, as the rise's runs from heel-off to the top.
    r.end_s = r.lower_start_s + lower;
    double t_next;
    if (!cfg.heel_contact_at_speed) {
      // Heel contact at end_s, then the rebound: a quick 0.1 s dip of rb past
      // the new rest and a settle back over settle_s.
      segs.push_back({r.lower_start_s, r.end_s, top_end, rest_new});
      constexpr double kReboundDipS = 0.1;
      segs.push_back({r.end_s, r.end_s + kReboundDipS, rest_new, rest_new - rb});
      const double t_settle0 = r.end_s + kReboundDipS;
      segs.push_back({t_settle0, t_settle0 + settle_s, rest_new - rb, rest_new});
      t_next = t_settle0 + settle_s;
    } else {
      const double fall = top_end - rest_new;
      const double u_contact = profile_inverse(cfg.profile, fall / (fall + rb));
      const double D_lower = lower / u_contact;
      AngleSegment lowering{r.lower_start_s, r.end_s, top_end, rest_new - rb};
      lowering.profile_s = D_lower;
      segs.push_back(lowering);
      // Speed at contact (rad/s) and the braking: uniform deceleration over
      // 2 rb / speed, clamped to [kBrakeMinS, kBrakeMaxS] (tens of ms for a
      // quick lowering; a slow 3 s lowering touches down gently and the
      // weight rocking back stops it within ~0.3 s); the dip past the rest is
      // then speed x brake / 2 (not more than rb for quick lowerings, less
      // for slow ones).
      double s_c, ds_c, dds_c;
      profile_eval(cfg.profile, u_contact, s_c, ds_c, dds_c);
      const double v_contact = (fall + rb) * ds_c / D_lower;
      constexpr double kBrakeMinS = 0.03, kBrakeMaxS = 0.3;
      const double brake_s = clampr(v_contact > 0.0 ? 2.0 * rb / v_contact : kBrakeMaxS, Range{kBrakeMinS, kBrakeMaxS});
      const double dip = 0.5 * v_contact * brake_s;
      AngleSegment braking{r.end_s, r.end_s + brake_s, rest_new, rest_new - dip};
      braking.v0 = v_contact;
      segs.push_back(braking);
      const double t_settle0 = r.end_s + brake_s;
      segs.push_back({t_settle0, t_settle0 + settle_s, rest_new - dip, rest_new});
      t_next = t_settle0 + settle_s;
    }
    r.rom_deg = rom;
    r.partial = partial;
    rest = rest_new;
    t = t_next;
    out.reps.push_back(r);
  };
  // Bouncy rep: straight from the bottom turning point to the top and back,
  // no countermovement, hold, rebound or rest shift.
  auto add_rep_bouncy = [&](int set_index, double rise, double lower, double rom, bool partial) {
    RepTruth r;
    r.set_index = set_index;
    r.start_s = t;
    r.top_s = t + rise;
    r.lower_start_s = r.top_s;
    r.end_s = r.lower_start_s + lower;
    r.rom_deg = rom;
    r.partial = partial;
    segs.push_back({r.start_s, r.top_s, rest, rest + rom * kDeg});
    segs.push_back({r.lower_start_s, r.end_s, rest + rom * kDeg, rest});
    t = r.end_s;
    out.reps.push_back(r);
  };
  // Isometric holds (> 10 s): [top_s, lower_start_s], where the wobble acts.
  std::vector<std::array<double, 2>> holds;
  auto add_rep = [&](int set_index, double rise, double hold, double lower, double rom, bool partial) {
    if (cfg.realistic && hold > 10.0) holds.push_back({0.0, 0.0});  // filled below
    if (cfg.realistic) {
      add_rep_realistic(set_index, rise, hold, lower, rom, partial);
      if (hold > 10.0) holds.back() = {out.reps.back().top_s, out.reps.back().lower_start_s};
      return;
    }
    RepTruth r;
    r.set_index = set_index;
    r.start_s = t;
    r.top_s = t + rise;
    r.lower_start_s = r.top_s + hold;
    r.end_s = r.lower_start_s + lower;
    r.rom_deg = rom;
    r.partial = partial;
    segs.push_back({r.start_s, r.top_s, 0.0, rom * kDeg});
    segs.push_back({r.lower_start_s, r.end_s, rom * kDeg, 0.0});
    t = r.end_s;
    out.reps.push_back(r);
  };
  // Non-raise activity: world-frame accelerations the angle model lacks.
  struct Impact { double t0, dur, amp; };          // heel strike: half-sine, m/s^2
  struct Crank { double t0, t1, omega, phase, r; };  // pedal circle
  std::vector<Impact> impacts;
  std::vector<Crank> cranks;
  // Activity generators, shared by sessions of activity alone and by the
  // activity between sets. `lvl` is the activity's current resting angle
  // (rad); movements are relative to `base`, the level the activity started
  // from (0 for activity alone, so its sessions are those of earlier versions
  // bit for bit: 0.0 + x == x and the draws come in the same order).
  double lvl = 0.0;
  auto move = [&](double dur, double to) {
    segs.push_back({t, t + dur, lvl, to});
    t += dur;
    lvl = to;
  };
  // Shank placement: each stride's own shank track (GaitStride), its
  // variability from its own generator (stream kGaitStream), so the foot's
  // draws, and every foot session, stay those of earlier versions bit for
  // bit. Stride-to-stride variability of a segment's angle in normal gait:
  // ~5-10 % of its range, a few degrees of offset (Winter 1984, Hum Mov Sci
  // 3:51; Kadaba et al. 1989, J Orthop Res 7:849): amplitude scale 1 +
  // 0.06 N(0,1) (clamped to 0.85-1.15), offset 1.5 deg N(0,1) (clamped to
  // +-4 deg).
  constexpr std::uint64_t kGaitStream = 20;
  Xoshiro256ss gait_rng(seed, kGaitStream);
  std::vector<GaitStride> gait;
  auto gait_draw = [&](double& a, double& o) {
    a = std::min(1.15, std::max(0.85, 1.0 + 0.06 * gait_rng.approx_normal()));
    o = std::min(4.0, std::max(-4.0, 1.5 * gait_rng.approx_normal()));
  };
  auto walk_strides = [&](int strides, double base) {
    const double T = 1.0 / rng.uniform(0.8, 1.2);
    double a_next, o_next;
    gait_draw(a_next, o_next);
    for (int k = 0; k < strides; ++k) {
      const double Tk = T * (1.0 + 0.05 * rng.approx_normal());
      GaitStride g{t, Tk, a_next, 0.0, o_next, 0.0, k == 0, k == strides - 1};
      gait_draw(a_next, o_next);
      g.a1 = a_next;
      g.o1 = o_next;
      gait.push_back(g);
      const double up = rng.uniform(20.0, 30.0) * kDeg, dn = -rng.uniform(12.0, 20.0) * kDeg;
      t += 0.35 * Tk;                 // foot flat
      move(0.25 * Tk, base + up);     // heel-off .. toe-off
      move(0.30 * Tk, base + dn);     // swing, toes up at heel strike
      impacts.push_back({t, rng.uniform(0.02, 0.04), rng.uniform(2.0, 4.0) * cfg.gravity_mps2});
      move(0.10 * Tk, base);          // loading: foot flat
    }
  };
  // One fidget after a 1.5-5 s pause; weight shifts stay within +-4 deg of
  // `center`.
  auto fidget_once = [&](double center) {
    t += rng.uniform(1.5, 5.0);
    const double kind = rng.uniform();
    if (kind < 0.4) {  // weight shift: a new resting angle
      double to = lvl + (rng.uniform() < 0.5 ? -1.0 : 1.0) * rng.uniform(1.0, 3.0) * kDeg;
      if (std::fabs(to - center) > 4.0 * kDeg) to = lvl - (to - lvl);
      move(rng.uniform(0.5, 1.0), to);
    } else if (kind < 0.75) {  // heel lift
      const double base = lvl;
      move(rng.uniform(0.2, 0.5), base + rng.uniform(2.0, 4.0) * kDeg);
      t += rng.uniform(0.0, 0.5);
      move(rng.uniform(0.2, 0.5), base);
    } else {  // toe tap
      const double base = lvl;
      move(rng.uniform(0.15, 0.3), base - rng.uniform(3.0, 8.0) * kDeg);
      move(rng.uniform(0.15, 0.3), base);
    }
  };
  // step_on_off (see HeelRaiseConfig): onto the step, level, heels down to
  // the bottom; and off it again from wherever the last rep left the foot.
  constexpr double kStepStrideMin = 2.0, kStepStrideSpan = 3.0;  // 2-4 strides
  auto step_onto = [&]() {
    lvl = 0.0;
    walk_strides(static_cast<int>(kStepStrideMin + rng.uniform() * kStepStrideSpan), 0.0);
    t += rng.uniform(1.0, 2.0);  // stands level on the step
    move(1.0, rest0);            // lets the heels drop over its edge
    t += 1.5;                    // still before the first rep
    rest = rest0;                // a new stance: the first rest again
  };
  auto step_off = [&]() {
    lvl = rest;
    move(rng.uniform(0.5, 1.0), 0.0);  // heels up out of the bottom, level
    walk_strides(static_cast<int>(kStepStrideMin + rng.uniform() * kStepStrideSpan), 0.0);
  };
  if (step_on_off) step_onto();
  if (cfg.activity != Activity::none) {
    const double t_stop = t + cfg.activity_s;
    const double sign = rng.uniform() < 0.5 ? -1.0 : 1.0;  // sit_to_stand: forward tilt's sign
    while (t < t_stop) {
      switch (cfg.activity) {
        case Activity::walking: {
          t += rng.uniform(3.0, 10.0);  // standing
          walk_strides(4 + static_cast<int>(rng.uniform() * 9.0), 0.0);
          break;
        }
        case Activity::pedalling: {
          t += rng.uniform(3.0, 10.0);  // seated, feet on the pedals
          const double f = rng.uniform(0.8, 1.3), amp = 0.5 * rng.uniform(20.0, 40.0) * kDeg;
          const double bout = rng.uniform(20.0, 60.0);
          const double t0 = t;
          const int halves = static_cast<int>(2.0 * f * bout);
          move(0.25 / f, -amp);  // into the rocking from the resting angle
          for (int k = 0; k < halves; ++k) move(0.5 / f * (1.0 + 0.03 * rng.approx_normal()), (k % 2 == 0) ? amp : -amp);
          move(0.25 / f, 0.0);
          cranks.push_back({t0, t, 2.0 * kPi * f, 2.0 * kPi * rng.uniform(), 0.17});
          break;
        }
        case Activity::sit_to_stand: {
          if (segs.empty()) {  // seated to begin with: the seated angle from the first sample on
            // (a hold before the stream starts; a move into it at t - 0.5 s made the shank
            // jump 6-12 deg in 0.1 s, 60-120 deg/s, while "seated": no seated person does that,
            // and 'auto' read it as a rise held until the seat-off).
            lvl = -sign * rng.uniform(0.0, 12.0) * kDeg;
            segs.push_back({cfg.start_time_s - 1.0, cfg.start_time_s - 0.9, lvl, lvl});
          }
          const double seated = lvl;
          t += rng.uniform(5.0, 15.0);
          move(rng.uniform(0.6, 1.2), seated + sign * rng.uniform(15.0, 30.0) * kDeg);  // seat-off
          move(rng.uniform(0.6, 1.2), 0.0);                                            // standing
          t += rng.uniform(5.0, 20.0);
          move(rng.uniform(0.6, 1.0), sign * rng.uniform(10.0, 25.0) * kDeg);           // sitting down
          move(rng.uniform(0.8, 1.5), seated);
          break;
        }
        case Activity::fidgeting: fidget_once(0.0); break;
        case Activity::none: break;
      }
    }
  }
  // The rest between two sets: still, or (between_sets_activity_probability)
  // a few steps or fidgets. Nothing is drawn while the option is off.
  // Still time (s) after the last rep's contact before the activity begins
  // (the rebound settles within ~0.5 s) and after it before the next set:
  // people stand and get ready before a set.
  constexpr double kBetweenSetsSettleS = 2.0;
  auto rest_between_sets = [&]() {
    const double t_rest_end = t + cfg.rest_between_sets_s;
    if (step_on_off) {  // off the step, a rest on the floor, back on
      t += kBetweenSetsSettleS;  // the last rep's rebound settles first
      step_off();
      constexpr double kStepOntoMaxS = 4.0 / 0.8 * 1.1 + 2.0 + 1.0 + 1.5;  // 4 slow strides, level, drop, still
      t = std::max(t + kBetweenSetsSettleS, t_rest_end - kStepOntoMaxS);
      step_onto();
      t = std::max(t, t_rest_end);
      return;
    }
    if (!(cfg.between_sets_activity_probability > 0.0 && rng.uniform() < cfg.between_sets_activity_probability)) {
      t = t_rest_end;
      return;
    }
    const double base = cfg.realistic ? rest : 0.0;
    lvl = base;
    t += kBetweenSetsSettleS;  // the last rep's rebound settles first
    // Steps only standing on the floor (not seated, not on a step's edge).
    const bool steps = cfg.posture == Posture::standing && cfg.step_bottom_deg == 0.0 && rng.uniform() < 0.5;
    if (steps) {
      walk_strides(2 + static_cast<int>(rng.uniform() * 5.0), base);  // 2-6 steps
    } else {
      do fidget_once(rest0);
      while (t < t_rest_end - kBetweenSetsSettleS);
    }
    if (cfg.realistic) {
      rest = lvl;  // a weight shift leaves the next set a new resting angle (within +-4 deg)
    } else if (lvl != base) {
      move(0.5, base);  // the clean model's sets start from 0
    }
    t = std::max(t + kBetweenSetsSettleS, t_rest_end);  // still before the next set's first rep
  };
  for (int s = 0; cfg.activity == Activity::none && s < cfg.n_sets; ++s) {
    if (s > 0) rest_between_sets();
    const bool quick = cfg.realistic && rng.uniform() < cfg.quick_set_probability;
    // Drawn only when enabled: earlier realistic sessions stay bit-identical.
    const bool bouncy = cfg.realistic && cfg.bouncy_set_probability > 0.0 && rng.uniform() < cfg.bouncy_set_probability;
    const Range& r_rise = quick ? cfg.quick_rise_s : cfg.rise_s;
    const Range& r_hold = quick ? cfg.quick_top_hold_s : cfg.top_hold_s;
    const Range& r_lower = quick ? cfg.quick_lower_s : cfg.lower_s;
    const double n_rise = rng.uniform(r_rise.min, r_rise.max);
    const double n_hold = rng.uniform(r_hold.min, r_hold.max);
    const double n_lower = rng.uniform(r_lower.min, r_lower.max);
    const double n_rest = rng.uniform(cfg.bottom_rest_s.min, cfg.bottom_rest_s.max);
    const double n_rom = rng.uniform(cfg.rom_deg.min, cfg.rom_deg.max);
    SetTruth st;
    st.first_rep = static_cast<int>(out.reps.size());
    st.n_reps = cfg.reps_per_set;
    if (bouncy) {
      const double n_up = rng.uniform(cfg.bouncy_phase_s.min, cfg.bouncy_phase_s.max);
      const double n_down = rng.uniform(cfg.bouncy_phase_s.min, cfg.bouncy_phase_s.max);
      for (int k = 0; k < cfg.reps_per_set; ++k) {
        const double rise = clampr(n_up * (1.0 + cfg.jitter * rng.approx_normal()), cfg.bouncy_phase_s);
        const double lower = clampr(n_down * (1.0 + cfg.jitter * rng.approx_normal()), cfg.bouncy_phase_s);
        double rom = clampr(n_rom * (1.0 + cfg.jitter * rng.approx_normal()), cfg.rom_deg);
        const bool partial = rng.uniform() < cfg.partial_probability;
        if (partial) rom *= rng.uniform(cfg.partial_fraction.min, cfg.partial_fraction.max);
        add_rep_bouncy(s, rise, lower, rom, partial);
      }
    }
    for (int k = 0; !bouncy && k < cfg.reps_per_set; ++k) {
      if (k > 0) t += clampr(n_rest * (1.0 + cfg.jitter * rng.approx_normal()), cfg.bottom_rest_s);
      const double rise = clampr(n_rise * (1.0 + cfg.jitter * rng.approx_normal()), r_rise);
      const double hold = clampr(n_hold * (1.0 + cfg.jitter * rng.approx_normal()), r_hold);
      const double lower = clampr(n_lower * (1.0 + cfg.jitter * rng.approx_normal()), r_lower);
      double rom = clampr(n_rom * (1.0 + cfg.jitter * rng.approx_normal()), cfg.rom_deg);
      const bool partial = rng.uniform() < cfg.partial_probability;
      if (partial) rom *= rng.uniform(cfg.partial_fraction.min, cfg.partial_fraction.max);
      add_rep(s, rise, hold, lower, rom, partial);
    }
    if (cfg.reps_per_set > 0) {
      st.start_s = out.reps[static_cast<std::size_t>(st.first_rep)].start_s;
      st.end_s = out.reps.back().end_s;
      out.sets.push_back(st);
    }
  }
  if (cfg.activity == Activity::none && cfg.isometric_hold_s > 0.0) {
    if (!out.reps.empty()) rest_between_sets();
    SetTruth st;
    st.first_rep = static_cast<int>(out.reps.size());
    st.n_reps = 1;
    st.isometric = true;
    const double rise = rng.uniform(cfg.rise_s.min, cfg.rise_s.max);
    const double lower = rng.uniform(cfg.lower_s.min, cfg.lower_s.max);
    const double rom = rng.uniform(cfg.rom_deg.min, cfg.rom_deg.max);
    add_rep(cfg.n_sets, rise, cfg.isometric_hold_s, lower, rom, false);
    st.start_s = out.reps.back().start_s;
    st.end_s = out.reps.back().end_s;
    out.sets.push_back(st);
  }
  if (step_on_off && !out.reps.empty()) {
    t += kBetweenSetsSettleS;
    step_off();
  }
  const double t_end = t + cfg.tail_s;

  // ---- segment response: sign and rest ratio, axis in the sensor frame
  const double h_theta = 1e-4;  // rad, central differences of the planar model
  const PlanarPose p0 = segment_pose(cfg, 0.0);
  const double ratio0 =
      (segment_pose(cfg, h_theta).phi - segment_pose(cfg, -h_theta).phi) / (2.0 * h_theta);
  const double seg_sign = ratio0 >= 0.0 ? 1.0 : -1.0;
  out.segment_ratio_at_rest = ratio0;
  {
    const std::array<double, 3> ey{0.0, seg_sign, 0.0};
    out.sagittal_axis_sensor = qrot_inv(qm, ey);
  }

  // ---- sampling
  const double fs = cfg.sample_rate_hz;
  const double dt = 1.0 / fs;
  const std::size_t n =
      static_cast<std::size_t>(std::floor((t_end - cfg.start_time_s) * fs + 1e-9)) + 1;
  out.t_s.resize(n);
  out.acc_mps2.resize(n);
  out.gyro_dps.resize(n);
  out.angle_deg.resize(n);
  out.segment_angle_deg.resize(n);
  out.q_true_wxyz.resize(n);
  out.gyro_bias_dps.resize(n);
  const double drift_sd = cfg.gyro_bias_drift_dps_per_sqrt_s * std::sqrt(dt);
  // Sway sinusoids (drawn only when enabled, so sway_deg = 0 keeps the
  // random stream of earlier versions).
  double sw_amp[2][3] = {}, sw_om[2][3] = {}, sw_ph[2][3] = {};
  // Quiet stance: the sensor's segment is the shank (it turns about the
  // ankle) unless the planar model drives it as the foot (see segment_pose).
  const bool shank_segment =
      cfg.activity == Activity::sit_to_stand ||
      ((cfg.activity == Activity::none || cfg.activity == Activity::walking) && cfg.placement == ImuPlacement::shank);
  // Walking strides at a standing shank follow the shank's own gait track.
  const bool shank_gait = shank_segment && cfg.activity != Activity::sit_to_stand && cfg.posture == Posture::standing;
  std::size_t gi = 0;  // the current stride in `gait`
  // Gait initiation and termination: the bout's first stride fades the
  // track in over its foot-flat stance (stride fraction 0-0.35: the first
  // step's stance leg rotates forward from standing), the last fades it out
  // over its swing and loading (0.6-1: the closing step brings the shank
  // back under the knee). Minimum-jerk weights.
  constexpr double kGaitRampInEnd = 0.35, kGaitRampOutStart = 0.6;
  const bool sway_about_ankle = cfg.sway_quiet_stance && shank_segment;
  if (cfg.sway_deg > 0.0 && !cfg.sway_quiet_stance) {
    for (int ax = 0; ax < 2; ++ax) {
      for (int k = 0; k < 3; ++k) {
        sw_amp[ax][k] = cfg.sway_deg * kDeg / std::sqrt(1.5);
        sw_om[ax][k] = 2.0 * kPi * rng.uniform(0.1, 0.6);
        sw_ph[ax][k] = 2.0 * kPi * rng.uniform();
      }
    }
  } else if (cfg.sway_deg > 0.0) {
    // Quiet stance (see sway_quiet_stance): ax 0 = roll (ML, 0.6x), ax 1 =
    // pitch (AP). Amplitudes ~ f^-1/2, scaled so that the sum has the RMS.
    // A foot sensor sees only the heel pad's share (sway_about_ankle false).
    const double seg_share = sway_about_ankle ? 1.0 : kQuietStanceFootSwayRatio;
    for (int ax = 0; ax < 2; ++ax) {
      double ms = 0.0;
      for (int k = 0; k < 3; ++k) {
        const double f_hz = 0.05 * std::pow(10.0, rng.uniform());  // 0.05-0.5 Hz, log-uniform
        sw_om[ax][k] = 2.0 * kPi * f_hz;
        sw_amp[ax][k] = 1.0 / std::sqrt(f_hz);
        sw_ph[ax][k] = 2.0 * kPi * rng.uniform();
        ms += 0.5 * sw_amp[ax][k] * sw_amp[ax][k];
      }
      const double rms = seg_share * cfg.sway_deg * kDeg * (ax == 0 ? 0.6 : 1.0);
      for (int k = 0; k < 3; ++k) sw_amp[ax][k] *= rms / std::sqrt(ms);
    }
  }
  // The second sway axis (world frame, before the roll): yaw (z) in the
  // legacy model, pitch (y) in the quiet-stance one.
  const std::array<double, 3> sway_e2 = cfg.sway_quiet_stance ? std::array<double, 3>{0.0, 1.0, 0.0}
                                                              : std::array<double, 3>{0.0, 0.0, 1.0};
  // Hold wobble (drawn only when enabled and there is a hold): angular-rate
  // amplitude per sinusoid so that the three together have the drawn RMS
  // (each contributes amp^2/2 to the mean square).
  const bool wobble = cfg.realistic && cfg.hold_wobble_dps.max > 0.0 && !holds.empty();
  double wb_amp[2][3] = {}, wb_om[2][3] = {}, wb_ph[2][3] = {};
  if (wobble) {
    const double rms_dps = rng.uniform(cfg.hold_wobble_dps.min, cfg.hold_wobble_dps.max);
    for (int ax = 0; ax < 2; ++ax) {
      for (int k = 0; k < 3; ++k) {
        wb_om[ax][k] = 2.0 * kPi * rng.uniform(0.5, 3.0);
        wb_amp[ax][k] = rms_dps * kDeg / std::sqrt(1.5) / wb_om[ax][k];  // angle amplitude, rad
        wb_ph[ax][k] = 2.0 * kPi * rng.uniform();
      }
    }
  }
  constexpr double kWobbleFadeS = 0.5;
  std::size_t seg = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double ti = cfg.start_time_s + static_cast<double>(i) * dt;
    out.t_s[i] = ti;
    // Foot angle and its derivatives (segments are sorted and disjoint).
    while (seg < segs.size() && ti >= segs[seg].t1) ++seg;
    double th = 0.0, thd = 0.0, thdd = 0.0;
    if (seg < segs.size() && ti >= segs[seg].t0) {
      const AngleSegment& g = segs[seg];
      if (g.v0 > 0.0) {  // braking: uniform deceleration from v0 to rest at a1
        const double T = g.t1 - g.t0, tau = ti - g.t0, dir = g.a1 < g.a0 ? -1.0 : 1.0;
        th = g.a0 + dir * g.v0 * (tau - 0.5 * tau * tau / T);
        thd = dir * g.v0 * (1.0 - tau / T);
        thdd = -dir * g.v0 / T;
      } else {
        const double T = g.profile_s > 0.0 ? g.profile_s : g.t1 - g.t0;
        double s, ds, dds;
        profile_eval(cfg.profile, (ti - g.t0) / T, s, ds, dds);
        const double d = g.a1 - g.a0;
        th = g.a0 + d * s;
        thd = d * ds / T;
        thdd = d * dds / (T * T);
      }
    } else if (seg > 0) {
      th = segs[seg - 1].a1;  // holding the end value of the previous movement
    }
    // Planar model derivatives with respect to theta (central differences).
    PlanarPose pc = segment_pose(cfg, th);
    const PlanarPose pp = segment_pose(cfg, th + h_theta);
    const PlanarPose pm = segment_pose(cfg, th - h_theta);
    const double h2 = h_theta * h_theta;
    const double dphi = (pp.phi - pm.phi) / (2.0 * h_theta);
    double phid = dphi * thd;
    double xdd = (pp.x - 2.0 * pc.x + pm.x) / h2 * thd * thd + (pp.x - pm.x) / (2.0 * h_theta) * thdd;
    double zdd = (pp.z - 2.0 * pc.z + pm.z) / h2 * thd * thd + (pp.z - pm.z) / (2.0 * h_theta) * thdd;
    double phi = pc.phi - p0.phi;
    // Sensor velocity (m/s), used by the sway model.
    double vx = (pp.x - pm.x) / (2.0 * h_theta) * thd, vz = (pp.z - pm.z) / (2.0 * h_theta) * thd;
    while (shank_gait && gi < gait.size() && ti >= gait[gi].t0 + gait[gi].T) ++gi;
    if (shank_gait && gi < gait.size() && ti >= gait[gi].t0) {
      // psi(t) = b + w (g - b): b the standing model's psi (ratio x theta),
      // g the stride's gait track o + a P(gc), w the bout's fade weight.
      const GaitStride& g = gait[gi];
      const double f = (ti - g.t0) / g.T;
      const double gc = stride_to_gait_cycle(f);
      double P, dP, ddP;
      shank_gait_eval(gc, P, dP, ddP);
      const double gcd = 1.0 / g.T;  // d gc / dt
      const double a = g.a0 + (g.a1 - g.a0) * f, ad = (g.a1 - g.a0) / g.T;
      const double o = g.o0 + (g.o1 - g.o0) * f, od = (g.o1 - g.o0) / g.T;
      const double gp = (o + a * P) * kDeg, gpd = (od + ad * P + a * dP * gcd) * kDeg,
                   gpdd = (2.0 * ad * dP * gcd + a * ddP * gcd * gcd) * kDeg;
      double w = 1.0, wd = 0.0, wdd = 0.0;
      if (g.ramp_in && f < kGaitRampInEnd) {
        const double L = kGaitRampInEnd * g.T;
        double s_, ds_, dds_;
        profile_eval(PhaseProfile::minimum_jerk, f / kGaitRampInEnd, s_, ds_, dds_);
        w = s_;
        wd = ds_ / L;
        wdd = dds_ / (L * L);
      } else if (g.ramp_out && f > kGaitRampOutStart) {
        const double L = (1.0 - kGaitRampOutStart) * g.T;
        double s_, ds_, dds_;
        profile_eval(PhaseProfile::minimum_jerk, (f - kGaitRampOutStart) / (1.0 - kGaitRampOutStart), s_, ds_, dds_);
        w = 1.0 - s_;
        wd = -ds_ / L;
        wdd = -dds_ / (L * L);
      }
      const double b = pc.phi, bd = phid, bdd = dphi * thdd;  // psi linear in theta when standing
      const double psi = b + w * (gp - b), psid = bd + wd * (gp - b) + w * (gpd - bd),
                   psidd = bdd + wdd * (gp - b) + 2.0 * wd * (gpd - bd) + w * (gpdd - bdd);
      // Sensor = ankle(theta) + R_y(psi) s: the ankle rides on the foot,
      // the shank turns about it.
      const PlanarPose a0p = sway_ankle_pos(cfg, th), app = sway_ankle_pos(cfg, th + h_theta),
                       amp = sway_ankle_pos(cfg, th - h_theta);
      const double axd = (app.x - amp.x) / (2.0 * h_theta) * thd, azd = (app.z - amp.z) / (2.0 * h_theta) * thd;
      const double axdd = (app.x - 2.0 * a0p.x + amp.x) / h2 * thd * thd + (app.x - amp.x) / (2.0 * h_theta) * thdd;
      const double azdd = (app.z - 2.0 * a0p.z + amp.z) / h2 * thd * thd + (app.z - amp.z) / (2.0 * h_theta) * thdd;
      const double sx = cfg.shank_sensor_pos_m[0], sz = cfg.shank_sensor_pos_m[1];
      const double rx = sx * std::cos(psi) + sz * std::sin(psi), rz = -sx * std::sin(psi) + sz * std::cos(psi);
      // d r / d psi = (rz, -rx), d2 r / d psi2 = -(rx, rz).
      pc.phi = psi;
      pc.x = a0p.x + rx;
      pc.z = a0p.z + rz;
      vx = axd + rz * psid;
      vz = azd - rx * psid;
      xdd = axdd + rz * psidd - rx * psid * psid;
      zdd = azdd - rx * psidd - rz * psid * psid;
      phid = psid;
      phi = psi - p0.phi;
    }

    // Orientation sensor -> world = R_y(phi) * mounting.
    const std::array<double, 4> qy{std::cos(0.5 * phi), 0.0, std::sin(0.5 * phi), 0.0};
    std::array<double, 4> q = qmul(qy, qm);
    std::array<double, 3> w_world{0.0, phid, 0.0};        // rad/s
    std::array<double, 3> acc_world{xdd, 0.0, zdd};       // m/s^2
    if (cfg.sway_deg > 0.0 || wobble) {
      // S = R_x(al) R_e2(be) (e2 = z, or y with sway_quiet_stance), applied on the left: q = S * R_y(phi) * mounting.
      double al = 0, ald = 0, aldd = 0, be = 0, bed = 0, bedd = 0;
      // The wobble's second component is yaw (z) in both models: with quiet
      // stance the sway's second axis is pitch (y), the raise's own axis, and
      // the wobble must not move there (a single-leg hold's balance
      // corrections were specified as roll and yaw, issue 16; the quiet-stance
      // sway already carries the sagittal component at its physiological
      // 0.2-1 deg). It gets a third rotation, ga about z, after the sway's.
      const bool wobble_own_yaw = cfg.sway_quiet_stance;
      double ga = 0, gad = 0, gadd = 0;
      for (const auto& h : holds) {
        if (!(wobble && ti > h[0] && ti < h[1])) continue;
        // Envelope e(t): raised-cosine fades of kWobbleFadeS at both ends
        // (e, e', e'' continuous enough for the accelerometer model).
        const double len = h[1] - h[0], fade = std::min(kWobbleFadeS, 0.5 * len);
        double e = 1.0, ed = 0.0, edd = 0.0;
        const double a = ti - h[0], b = h[1] - ti;
        if (a < fade || b < fade) {
          const double x = a < fade ? a : b, sgn = a < fade ? 1.0 : -1.0, w = kPi / fade;
          e = 0.5 * (1.0 - std::cos(w * x));
          ed = sgn * 0.5 * w * std::sin(w * x);
          edd = 0.5 * w * w * std::cos(w * x);
        }
        for (int k = 0; k < 3; ++k) {
          const double a0 = wb_om[0][k] * ti + wb_ph[0][k], b0 = wb_om[1][k] * ti + wb_ph[1][k];
          const double g = wb_amp[0][k] * std::sin(a0), gd = wb_amp[0][k] * wb_om[0][k] * std::cos(a0),
                       gdd = -wb_om[0][k] * wb_om[0][k] * g;
          const double f = wb_amp[1][k] * std::sin(b0), fd = wb_amp[1][k] * wb_om[1][k] * std::cos(b0),
                       fdd = -wb_om[1][k] * wb_om[1][k] * f;
          al += e * g;
          ald += ed * g + e * gd;
          aldd += edd * g + 2.0 * ed * gd + e * gdd;
          double& yaw = wobble_own_yaw ? ga : be;
          double& yawd = wobble_own_yaw ? gad : bed;
          double& yawdd = wobble_own_yaw ? gadd : bedd;
          yaw += e * f;
          yawd += ed * f + e * fd;
          yawdd += edd * f + 2.0 * ed * fd + e * fdd;
        }
      }
      for (int k = 0; k < 3; ++k) {
        const double a0 = sw_om[0][k] * ti + sw_ph[0][k], b0 = sw_om[1][k] * ti + sw_ph[1][k];
        al += sw_amp[0][k] * std::sin(a0);
        ald += sw_amp[0][k] * sw_om[0][k] * std::cos(a0);
        aldd -= sw_amp[0][k] * sw_om[0][k] * sw_om[0][k] * std::sin(a0);
        be += sw_amp[1][k] * std::sin(b0);
        bed += sw_amp[1][k] * sw_om[1][k] * std::cos(b0);
        bedd -= sw_amp[1][k] * sw_om[1][k] * sw_om[1][k] * std::sin(b0);
      }
      const std::array<double, 4> qx{std::cos(0.5 * al), std::sin(0.5 * al), 0.0, 0.0};
      const std::array<double, 4> qz{std::cos(0.5 * be), std::sin(0.5 * be) * sway_e2[0],
                                     std::sin(0.5 * be) * sway_e2[1], std::sin(0.5 * be) * sway_e2[2]};
      std::array<double, 4> qs = qmul(qx, qz);
      if (wobble_own_yaw) qs = qmul(qs, std::array<double, 4>{std::cos(0.5 * ga), 0.0, 0.0, std::sin(0.5 * ga)});
      const std::array<double, 4> qxc{qx[0], -qx[1], 0.0, 0.0};
      const std::array<double, 4> qsc{qs[0], -qs[1], -qs[2], -qs[3]};
      auto rot = [&](const std::array<double, 4>& qc, const std::array<double, 3>& v) { return qrot_inv(qc, v); };
      auto cross = [](const std::array<double, 3>& a, const std::array<double, 3>& b) {
        return std::array<double, 3>{a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
      };
      // rot(conj(q), v) rotates v by q.
      const auto zx = rot(qxc, sway_e2);  // R_x(al) e2 (e2 = z, or y with sway_quiet_stance)
      std::array<double, 3> w_s_world, wd_s_world;
      const auto ax_x_zx = cross({1.0, 0.0, 0.0}, zx);
      for (int k = 0; k < 3; ++k) {
        w_s_world[k] = (k == 0 ? ald : 0.0) + bed * zx[k];
        wd_s_world[k] = (k == 0 ? aldd : 0.0) + bedd * zx[k] + ald * bed * ax_x_zx[k];
      }
      if (wobble_own_yaw) {
        // Third axis R_x(al) R_y(be) z; its rate of change is the first two
        // rotations' angular velocity crossed with it.
        const std::array<double, 4> qxy = qmul(qx, qz);
        const auto ez = rot(std::array<double, 4>{qxy[0], -qxy[1], -qxy[2], -qxy[3]}, {0.0, 0.0, 1.0});
        const auto w_xy_x_ez = cross(w_s_world, ez);
        for (int k = 0; k < 3; ++k) {
          wd_s_world[k] += gadd * ez[k] + gad * w_xy_x_ez[k];
          w_s_world[k] += gad * ez[k];
        }
      }
      // Sway pivot c(theta): the MTP joint (origin), or with quiet stance
      // on a shank the ankle, which rides on the foot (see segment_pose).
      // Sensor = c + S (p - c); its acceleration c'' + d2/dt2 [S (p - c)].
      PlanarPose pv{0.0, 0.0, 0.0}, pvd{0.0, 0.0, 0.0}, pvdd{0.0, 0.0, 0.0};  // c, c', c'' (x, z used)
      if (sway_about_ankle) {
        const auto c0 = sway_ankle_pos(cfg, th), cp = sway_ankle_pos(cfg, th + h_theta),
                   cm = sway_ankle_pos(cfg, th - h_theta);
        pv = c0;
        pvd.x = (cp.x - cm.x) / (2.0 * h_theta) * thd;
        pvd.z = (cp.z - cm.z) / (2.0 * h_theta) * thd;
        pvdd.x = (cp.x - 2.0 * c0.x + cm.x) / h2 * thd * thd + (cp.x - cm.x) / (2.0 * h_theta) * thdd;
        pvdd.z = (cp.z - 2.0 * c0.z + cm.z) / h2 * thd * thd + (cp.z - cm.z) / (2.0 * h_theta) * thdd;
      }
      const auto sp = rot(qsc, {pc.x - pv.x, 0.0, pc.z - pv.z});                     // S (p - c)
      const auto spd = rot(qsc, {vx - pvd.x, 0.0, vz - pvd.z});                      // S (p - c)'
      const auto spdd = rot(qsc, {xdd - pvdd.x, 0.0, zdd - pvdd.z});                 // S (p - c)''
      const auto t1 = cross(wd_s_world, sp);
      const auto t2 = cross(w_s_world, cross(w_s_world, sp));
      const auto t3 = cross(w_s_world, spd);
      const auto wy = rot(qsc, {0.0, phid, 0.0});
      for (int k = 0; k < 3; ++k) {
        const double cdd = k == 0 ? pvdd.x : (k == 2 ? pvdd.z : 0.0);
        acc_world[k] = cdd + t1[k] + t2[k] + 2.0 * t3[k] + spdd[k];
        w_world[k] = w_s_world[k] + wy[k];
      }
      q = qmul(qs, q);
    }
    for (const Impact& im : impacts) {
      if (ti >= im.t0 && ti < im.t0 + im.dur) {
        const double a = im.amp * std::sin(kPi * (ti - im.t0) / im.dur);
        acc_world[2] += a;        // the ground stops the heel: up
        acc_world[0] -= 0.5 * a;  // and backwards (braking)
      }
    }
    for (const Crank& ck : cranks) {
      if (ti >= ck.t0 && ti < ck.t1) {
        const double ph = ck.omega * (ti - ck.t0) + ck.phase, w2r = ck.omega * ck.omega * ck.r;
        acc_world[0] -= w2r * std::cos(ph);
        acc_world[2] -= w2r * std::sin(ph);
      }
    }
    out.q_true_wxyz[i] = q;
    out.angle_deg[i] = th / kDeg;
    out.segment_angle_deg[i] = seg_sign * phi / kDeg;

    auto w_s = qrot_inv(q, w_world);  // rad/s, sensor frame
    for (auto& v : w_s) v /= kDeg;     // deg/s
    const auto f_s = qrot_inv(q, {acc_world[0], acc_world[1], acc_world[2] + cfg.gravity_mps2});
    out.gyro_bias_dps[i] = bias;
    for (int k = 0; k < 3; ++k) {
      out.gyro_dps[i][k] = w_s[k] + bias[k] + cfg.gyro_noise_dps * rng.approx_normal();
      out.acc_mps2[i][k] = (1.0 + out.acc_scale_error[k]) * f_s[k] + out.acc_offset_mps2[k] +
                           cfg.acc_noise_mps2 * rng.approx_normal();
    }
    for (auto& b : bias) b += drift_sd * rng.approx_normal();
  }

  // ---- transport defects
  if (cfg.timestamp_jitter_s > 0.0) {
    const double lim = 0.4 * dt;
    for (auto& ts : out.t_s) ts += std::max(-lim, std::min(lim, cfg.timestamp_jitter_s * rng.approx_normal()));
  }
  if (cfg.dropout_rate_per_s > 0.0) {
    std::vector<char> keep(n, 1);
    const double p_start = cfg.dropout_rate_per_s * dt;
    const std::size_t max_len = std::max<std::size_t>(1, static_cast<std::size_t>(cfg.dropout_max_s * fs));
    for (std::size_t i = 1; i < n; ++i) {  // the first sample always arrives
      if (rng.uniform() < p_start) {
        const std::size_t len = 1 + static_cast<std::size_t>(rng.uniform() * static_cast<double>(max_len));
        for (std::size_t k = i; k < std::min(n, i + len); ++k) keep[k] = 0;
        i += len;
      }
    }
    auto compact = [&](auto& v) {
      std::size_t j = 0;
      for (std::size_t i = 0; i < v.size(); ++i)
        if (keep[i]) v[j++] = v[i];
      v.resize(j);
    };
    compact(out.t_s);
    compact(out.acc_mps2);
    compact(out.gyro_dps);
    compact(out.angle_deg);
    compact(out.segment_angle_deg);
    compact(out.q_true_wxyz);
    compact(out.gyro_bias_dps);
  }
  return out;
}

}  // namespace soleus::sim
