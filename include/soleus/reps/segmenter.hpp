// Heel-raise repetition segmenter: turns a streamed plantar-flexion angle
// (t_s, angle_deg), 50-400 Hz, into repetitions with phase boundaries
// (rest -> concentric -> top hold -> eccentric -> rest), range of motion,
// per-phase velocities, heel-rise height and work, as events in real time.
//
// Why it is built this way
// - No fixed velocity threshold: slow lowerings (15-20 deg/s) and shank
//   sensors (5-10 deg ranges) defeat one. Every threshold is a fraction of
//   the range of the recent reps or of the rep in progress, floored by a
//   multiple of the measured noise; the first rep uses min_excursion_deg.
// - Detection and measurement are separate. The state machine runs on a
//   causally smoothed angle (2nd-order Butterworth) and only decides *that*
//   something happened. The boundaries are then measured on the raw samples
//   kept in a fixed history ring (see types.hpp for the definition): local
//   least-squares lines at the f and (1 - f) crossings of each phase, and
//   the phase's profile shape (constant velocity, raised cosine or minimum
//   jerk), chosen by which template placed by those crossings fits the raw
//   samples of the phase and its tails best (chi-square, accumulated over
//   the recent reps). So boundaries carry no filter delay; the delay only
//   costs event latency: rep_completed comes settle_s (80 ms) after the
//   constant-velocity end estimate (~80 ms after the true end for
//   constant-velocity lowerings), or, for smooth ones whose fitted end lies
//   later, when the stream reaches that end: end_s <= completed_at_s for
//   every rep (issue 16), at a completion latency of ~0 after the true end.
// - The lowering's onset (the top hold's end, issue 16) is timed from the
//   lowering's first third only: lines at its f and g crossings measured
//   from the level the hold ended at (the mean of its last second, when a
//   long hold's sag moved it off the plateau's mean by more than a band),
//   and the profile shape judged on the samples from the hold to the g
//   crossing (its own evidence over the recent reps). The shape read from
//   the whole lowering is skewed by what follows heel contact (the rebound's
//   dip, the rest shifted 1-3 deg: DESIGN.md), and the onset placed with the
//   wrong shape was off by 0.07-0.18 of the phase (0.2-0.6 s on 3 s
//   lowerings); the level the lowering ends at moves the f and g levels by
//   only f and g of its error. Only after a hold of >= kOnsetGuard_s (a
//   bouncy set's onset is its top), when the two crossings lie apart by
//   more than their fits' width, and within the span D of the whole
//   lowering's onset (the shapes' onsets differ by at most ~0.36 D).
// - A sagging hold stays a hold (issue 16): the lowering after a hold that
//   sagged (up to a quarter of the range) is where the angle last left the
//   top quarter; an f crossing (from the peak) further before that than the
//   span from there to the (1 - f) crossing is the sag's, and the lowering's
//   levels are then measured from the level the hold ended at
//   (begin_finishing; the per-shape bounds are stated there).
// - Rest levels on real movement (issue 16, DESIGN.md "What real movement
//   looks like"): the rest before a rep is the still episode before the
//   countermovement (a dip held still > 1 s is a new, lower rest, not a
//   countermovement); the rebound at heel contact (a downward break within
//   0.6 s of the end) is neither rest nor a countermovement; the rest after
//   a rep is the first still level within 2 s of contact, up to 3 deg from
//   the one before; an episode that began above the floor becomes rest once
//   the leaky floor tracker reaches it, or at once (after min_rest_s still)
//   when it is back at the level of the rest it dipped from within
//   kCountermovement_s (a toe tap, a brief unloading: the floor tracker,
//   pulled down by the dip, climbs back at 0.3 deg/s only). Heel contact is timed against the
//   level the lowering arrived at (its slowest point before the rebound's
//   dip) when that lies more than a band and at most 3 deg above the rest
//   before the rep (refine_end_level): a 3-4 s lowering onto a rest shifted
//   up never reaches the old one's (1 - f) level. That end is provisional:
//   once the rest after the rebound has settled (still 0.25 s after a dip
//   below it), contact is re-timed as the lowering's crossing of the settled
//   level (found where the angle is the level's uncertainty below it and
//   extrapolated back: a glide onto rest) and sent as rep_refined, also when
//   that lies after rep_completed (see "heel contact (rep_refined)" below).
//   When that contact lies after the provisional end, the rebound window
//   (timed from the provisional end) may have closed before the rebound,
//   whose dip then became the rest floor: if the floor was last lowered
//   after the window and after the re-timed contact, and the settled rest
//   lies half a band or more above it, the floor is set at the settled rest
//   (apply_contact), or that rest never counts and the next rep is lost.
//   The rebound window is also re-timed from the rebound itself: the first
//   downward break inside it (the dip at contact) keeps it open
//   kReboundSettle_s from that break, once per rep (a slow lowering's
//   provisional end came up to ~0.5 s early and the window closed inside
//   the dip); a contact re-timed earlier than the provisional end closes it
//   kReboundSettle_s after that contact (a later dip is no rebound). A
//   still episode back at the level of the rest a dip left, held
//   min_rest_s and left downwards, is rest again, not the inside of a
//   countermovement (a countermovement is one dip straight into the rise):
//   the rest before the rep's own countermovement is that episode.
//   A still episode above the floor by less than a movement's onset
//   (on_threshold), held min_rest_s and left downwards, is a weight shift
//   held (held_weight_shift): the rest before the dip that leaves it (the
//   floor tracker climbs 0.3 deg/s and had not reached a 2.4 deg shift held
//   2.25 s). Under the onset it cannot be a counted movement's top; left
//   upwards it is not rest. A dip held past kCmDipHold_s just below the
//   rest it left is taken for a new, lower rest, but a lone rep rising out
//   of it that lands back at the rest it left is no posture change: its
//   rest shift is judged from the nearer of the two levels (a
//   countermovement into a slow rise looks still at its trough for > 1 s).
//   Such a dip, no deeper than a countermovement (6 deg), still for at most
//   kCountermovement_s and left upwards by the rise itself, is the rep's
//   countermovement: its baseline is the rest before the dip, the rise is
//   measured from the trough and heel-off is its crossing of that rest
//   (begin_candidate, cur_cm_rest_restored_). Such a rep's lowering, when
//   judged still above its baseline (within 0.35 of the range: a rest
//   shifted up), ends at the level reached then, not where its slow glide
//   first looked still (a minimum-jerk lowering creeps its last tenth
//   within a band over its last second).
// - A lowering ends at the rest before the next rise (rested_then_rose): a
//   lowering is one movement down and a rep starts from stillness, so an
//   angle still for min_rest_s below 0.35 of the excursion that leaves that
//   level upwards ended the lowering there, also above the f level and
//   before kLowStill_s (slow sets rest 1.5-2 s between reps, less the
//   rebound's settle and the next countermovement: the rep had run on
//   through the next one and the two counted as one).
// - Levels are re-referenced every rep: baseline = mean of the rest before
//   the rep (concentric) and of the samples just after it (eccentric), so a
//   slowly drifting angle (gyro bias) does not bias the times; top level =
//   mean of the hold plateau; without a hold, the peak (smooth phases) or
//   where the rising and falling lines meet (constant velocity).
// - Gait rejection (a walking foot pitches +/-10-15 deg at ~1 Hz): a heel
//   raise starts from stillness and ends back at its baseline. A movement
//   is a rep only if (1) the angle was still (within the rest band) for at
//   least min_rest_s right before it, and (2) the lowering does not
//   overshoot below the starting baseline by more than undershoot_fraction
//   of the range within settle_s after the end. A sinusoid at 1 Hz is still
//   for ~0.15 s at its extremes and swings as far below its start as above.
//   A rise continuing a bouncy chain (bump_in_chain_) has no rest to take
//   its baseline from (the raw mean at its start lies on its own rise): its
//   start for (2) is the floor the rep before it ended on, when lower (the
//   heel cannot sink below the floor it stands on; issue 16, bouncy16c).
//   (3) The lowering lasts at least min_eccentric_s (0.15 s): a faster drop
//   is a transient (a stumble, a heel strike), not a lowering. For a
//   rep-sized movement (>= lone_min_rom_deg) the duration judged is the
//   longest any profile shape gives the phase's f..(1 - f) span
//   (longest_phase_s: a quick minimum-jerk lowering read as constant
//   velocity "lasted" half its 0.26 s); small ones keep their fitted times.
//   Held tops in a set (issue 16, between17): (3) is waived for a movement
//   that held still at its top for kLoneTopPause_s (0.4 s), came back to
//   the floor it left (within a rest shift) and started within the set's
//   rhythm after a counted rep: an impact lasts 10-30 ms (Whittle 1999,
//   Gait Posture 10:264) and holds no level; a quick lowering's 13-17
//   samples at 50 Hz were read as 0.12-0.13 s on a shank.
//   Exception to (1): a movement starting within 3 s of a completed rep,
//   from the same floor level, counts if it pauses at the top (>= ~0.3 s):
//   a continuous set; gait never pauses at the top.
//   Exception to (1) for bouncy sets (issue 16): a movement leaving within
//   kBouncyGap_s (0.25 s) of the last rep's heel contact, from where that
//   rep started (within a quarter of the larger of the recent reps' median
//   range and that rep's own: the set's scale, chain_rom_), counts without
//   any pause (finalize); the lowering of a rep
//   that did not pause at the top ends at its bottom turning point when the
//   angle turns promptly back up near the floor (the lowering state), at
//   the raw angle's minimum there (the smoothing rounds a V-shaped bottom
//   off). A set's floor is kept from rep to rep: the level after a rep is
//   measured only on the samples before the next rise (never on the rise
//   itself), and the larger minimum excursion that keeps a rebound's
//   settle from reading as a rise applies only when a rebound was seen (a
//   dip below the level the lowering arrived at): a heel turning at the
//   floor makes none. A rise that continues a chain (no rest before it,
//   straight after a counted rep that did not pause at the top, under
//   kLoneTopPause_s, from its floor: bump_in_chain_) is
//   measured from the level it left, the smoothed angle's last minimum
//   before its peak, when that lies above its 10 % level (declare_top): the
//   smoothing rounds a V-shaped bottom off 0.2-0.4 deg above the floor, and
//   a 1.5-2.5 deg partial raise at a shank never crossed its floor-based
//   10 % level, so its crossings ran back into the rep before and it was
//   rejected as a transient, breaking the chain. And a chain is broken by
//   rest or by non-rep movement, not by a wiggle: a movement of such a
//   chain that turns back down under the minimum excursion and turns up
//   again promptly near the floor (the bottom turning point's tests) ended
//   at its trough; it is no rep, and the next rise's kBouncyGap_s is timed
//   from that trough (bump_end_s_). Nor does a chain last for ever: a
//   bouncy rep cycle lasts 0.6-1.0 s, so a bump whose trough comes more
//   than kChainGap_s (3 s, 3-5 cycles) after the chain's last counted rep
//   ends it (a train of small bumps, fidgeting or walking on the spot, kept
//   it open and chained a later movement to the set). Gait
//   and pedalling still fail (2). Validated on the real foot-IMU walk
//   in ../shared/data (zero reps, plantar flexion positive); fed with the
//   sign flipped, its gait initiation (a 20 deg lift, 0.4 s still after)
//   reads as one fast rep: by the angle alone it is one.
//   After a rep that held its top (no bouncy chain) the larger minimum
//   excursion of a rebound's settle applies within the rebound window even
//   when no dip showed: a lowering that runs straight into the rebound's
//   0.1 s dip has its end at the dip's trough, and the settle back up is no
//   rise (issue 16, DESIGN.md).
//   Strides (issue 16, stepoff17): with |a| known, a movement is no rep
//   when it ends at a heel strike without having held its top
//   (kLoneTopPause_s). In walking, heel-off runs
//   into toe-off and toe-off into swing with no still top, and the swing
//   (~0.4 s, Perry 1992; Winter 1991) ends in a heel strike: an impact of
//   2-5 g at the foot or shank within 10-30 ms (Whittle 1999, Gait Posture
//   10:264; Light et al. 1980, J Biomech 13:477), then foot flat within
//   the loading response (~0.1 s). A heel raise's heel comes down under
//   eccentric control (a bouncy set's heel contact is the angle's smooth
//   turning point; from a step the heel touches nothing), its linear
//   acceleration <= 2 m/s^2 at the foot (a few m/s^2 at a shank in a quick
//   bouncy set, whose turning points no simulated bouncy rep ever brought
//   within 1 g of; grid bouncy cells unchanged): an excess of |a| over g above kHeelStrike_mps2
//   (1 g) within kLoadingResponse_s (0.12 s) of the movement's heel
//   contact is a heel strike. Seen from a step's bottom (5-15 deg below
//   level), the first stride off the step rises out of the bottom straight
//   into toe-off and its heel strike's dorsiflexion (12-20 deg below level)
//   is no undershoot of that start: rule (2) passes it, and the strides
//   after it chained on its trough as a bouncy set. With the strides no
//   reps, the walk back onto the step (from the last heel strike up to
//   level, standing, the heels dropped to the bottom: a "rep" held at the
//   top) no longer follows a counted rep and fails rule (1) as it should.
//   The verdict waits for the impact (issue 16, stepon18): the stride
//   completes at its fitted end, which the swing reaches 20-40 ms before
//   its heel strike (the foot's slowest turn at the bottom), so the impact
//   had often not been received when the movement completed, and the
//   stride counted with the strides chained after it (seeds 161-192,
//   'step' with stepping on and off: 67 reps outside the sets, every one
//   completed before its impact). So a movement that did not hold its top,
//   accepted on the samples so far, with |a| known, waits for its verdict
//   (resolve_pending) until the heel strike's window has passed: released
//   kImpactSpan_s (30 ms, the transient's duration: Whittle 1999; at >= 34
//   Hz a sample lies within it) after the lowering's turning point (the raw
//   angle risen above its minimum by the noise floor, noise_k SDs, and at
//   least still_band_min_deg: no noise makes that; heel strike is the
//   foot's turn from swing into the heel rocker, Perry 1992),
//   or kLoadingResponse_s after the end when the angle glides to rest
//   without turning, whichever comes first (an impact seen meanwhile ends
//   the wait at once, and the movement is a stride). Waiting must not
//   change what is measured: finalize() re-run on later samples measured
//   the rep on the next rise's (a bouncy set's boundaries went from 2 to
//   29 ms median and it lost reps: stepoff17's "cause not isolated"). So
//   the wait freezes the state machine: samples go to the history (|a| is
//   judged there) and a fixed buffer, and at the verdict finalize() runs as
//   it would have at the completion (the history viewed up to that sample,
//   the state it changed before its verdict restored), then the buffered
//   samples are stepped through it late. Every rep is measured exactly as
//   before (RepsGait.WaitingForTheHeelStrikeWindowChangesNoRep: bit for
//   bit); only events of the waiting samples go out later. Cost (stated):
//   rep_completed of a rep that did not hold its top comes up to
//   kLoadingResponse_s after its end (a bouncy set's reps ~30 ms later, the
//   impact's span after the turning point at its floor: grid medians 29 ->
//   57 ms foot, 69 -> 97 ms shank; its last rep, landing at rest, up to
//   0.12 s); reps that held their tops are not delayed, nor is anything
//   when |a| is not known.
//   The 2 g assumption: a walking heel strike is 2-5 g at the shank (Light
//   et al. 1980, J Biomech 13:477, walking; skin-mounted sensors read more
//   than bone-mounted ones: Lafortune et al. 1995, J Biomech 28:989) and
//   more at the foot. No published heel-contact
//   acceleration of a heel raise was found; by the physics of the heel pad
//   (5-7 mm compression under body weight, Gefen et al. 2001) a heel
//   arriving at v decelerates at ~v^2 / (2 d): a controlled lowering's heel
//   arrives near 0 m/s (the eccentric phase brakes it; a smooth lowering
//   reaches its floor with zero speed) and gives well under 1 g; a heel
//   dropped freely from a raise (the "heel drop" of floor-vibration tests,
//   ~6 cm: ~1.1 m/s) gives several g. A bouncy set that taps the heel down crosses
//   1 g of excess at the heel from ~0.35 m/s (d = 6 mm), at a foot sensor
//   halfway to the MTP pivot from ~0.5 m/s: a 30 deg, 0.3 s lowering moves
//   the heel (0.2 m lever) at 0.35 m/s on average. So a hard heel tap in a
//   quick bouncy set can cross it, and the rule then rejects that rep as a
//   stride (rep_rejected) and the chain it would have carried breaks (the
//   next reps, with no rest before them, count only from the next rest).
//   No simulated heel raise comes within 1 g (the bouncy shank's |a|
//   reaches ~0.6 g of excess).
//   Strides carry the foot away (issue 16, stairs). Not every stride ends
//   in a 1 g impact: on stairs the foot lands flat or on the forefoot
//   (McFadyen & Winter 1988, J Biomech 21:733), and a stair stride by its
//   angle is a quick raise with no top pause (push-off to 35-40 deg in
//   ~0.3 s, the swing back, the loading) followed by a short flat stance: a
//   simulated hour of stairs (sim/day.hpp) gave ~250 "reps" by the angle and
//   |a|. What no heel raise does is carry the sensor away: the forefoot
//   stays planted and the sensor comes back to where it rested (within
//   its 1-3 deg rest shift: <= 0.013 m), while a stride moves the foot a
//   stair tread and a riser (>= 0.27 m) or a level stride (>= 0.6 m). With
//   the sensor's displacement since its last rest (pushed by the IMU chain:
//   reps::ImuRepCounter integrates the specific force between zero-velocity
//   moments, as foot-mounted inertial navigation does), a movement that did
//   not hold its top and ended kStrideMin_m (0.15 m) or more away is a
//   stride too (carried_away()). Known only within 1.2 s of a rest (the
//   double integral's error grows as t^2): a bouncy set's later reps, with
//   no rest between them, are not judged.
//
// - Leaving rest (start_threshold): a movement starts when the smoothed
//   angle rises on_threshold() above the floor, on_fraction of the recent
//   reps' median range. With no rep in the kLoneGap_s before it (a new
//   set, or a lone movement) that range term is capped at lone_min_rom_deg
//   (the smallest heel raise, 5 deg at the foot, DESIGN.md): the earlier
//   set's range does not predict the new set's, and a new set opening with
//   a partial raise (0.35-0.65 of its full ones) under a fifth of a larger
//   earlier set's range went unseen, broke the rest before the next raise,
//   and a bouncy set (no other rest) was lost whole (issue 16, bouncy16c).
//   Fidgets and weight shifts (2-4 deg) stay under the cap.
//
// - Lone movements (issue 16): a movement with no rep in the kLoneGap_s
//   (5 s) before it that turns straight back down (top pause under
//   kLoneTopPause_s, 0.4 s) is held back: it is reported (rep_completed,
//   late) when the next rep starts within kChainGap_s of its end, and
//   dropped (rep_rejected) otherwise or at finish(). Deliberate raises pause
//   at the top (quick ones 0.5-1.5 s) or come in sets (bouncy sets); a lone
//   up-and-down is a shank in sit-to-stand, a fidget, gait initiation.
//   Likewise a rise faster than min_eccentric_s is a transient.
//   With lone_min_rom_deg > 0 (the IMU chain sets 5 deg; 0, off, is the
//   angle-level default): small lone movements (rom < lone_min_rom_deg, 5 deg: a foot's heel-raise
//   range is about 5-60 deg, DESIGN.md) are held back even with a pause at
//   the top, and count only as a rhythm: a set is a series of similar
//   movements at one tempo (paced heel-rise tests, Hebert-Losier et al.
//   2009, Man Ther 14:261), fidgets (2-4 deg heel lifts every 1.5-5 s, mixed
//   with weight shifts and toe taps) are irregular. Up to two small
//   movements are held, each starting within kSmallChainGap_s (2.75 s, or
//   the set's tempo when longer, tempo_s_: its longest rep so far; a set
//   rests no longer than a rep lasts) of the last one's end; the third confirms the set when the start-to-start
//   periods of the three differ by at most kRhythmTolerance (25 %) of their
//   mean and the held two were deliberate raises (held_deliberate): each
//   paused at the top for kLoneTopPause_s (0.4 s: the shortest deliberate
//   hold, 0.5 s, DESIGN.md, less the boundary error) or ran on into the next
//   movement within kSetRestMax_s (1.75 s: a set's longest rest on the
//   floor, 1.5 s, DESIGN.md, plus twice the 120 ms boundary error; bouncy
//   sets have none; paced heel-rise tests raise and lower to a metronome
//   without stopping on the floor, Hebert-Losier et al. 2009). A fidget's heel lift (0-0.5 s at the top, then 1.5-5 s
//   still) does neither: three of them at a chance rhythm are not a set.
//   And the three held their tops alike (holds_alike): a set repeats one
//   movement at one tempo, its counted-out hold included; timed intervals of
//   0.5-5 s are reproduced with a CV of 5-15 % (scalar timing, Grondin 2010,
//   Atten Percept Psychophys 72:561), so two holds differ by at most 64 %
//   of their mean (3 SD of a difference) plus 0.48 s (two measured holds'
//   boundary error). A fidget's "top" is a heel lift's 0-0.5 s or a weight
//   shift up held until the next shift (seconds). Being judged on the
//   third's hold, a small chain is confirmed at the third's heel contact
//   (finalize), not at its heel-off.
//   A set is an uninterrupted rhythm on a quiet foot: a movement between
//   held small ones that is not a rep (a toe tap's return from its dip, a
//   weight shift to a new level: a rise from no rest that stalls, or one
//   that stalls before reaching a rep's size) drops the held ones (foot_moved_).
//   A stall is no new level when its peak lies at or below the baseline it
//   rose from (it never rose: the rest sagged), or when it rose within the
//   held rep's rebound window (kReboundSettle_s, 0.6 s, from its heel
//   contact or its rebound's dip, give or take one boundary error) and
//   settled within a rest shift (kRestShift_deg, 3 deg, or a quarter of its
//   range) of the level that rep arrived at: the rep's own rebound settling
//   onto its new rest (DESIGN.md: a 1-5 deg dip settling within ~0.5 s, the
//   rest after a rep 1-3 deg from the one before) (stall_moved_foot). A toe
//   tap's return, after the foot has rested, still breaks it.
//   A countermovement (2-6 deg dip in the 0.1-0.5 s before heel-off) and the
//   rebound at heel contact belong to a rep and do not count as such.
//   The held two are then reported (rep_completed, late: about
//   two periods after their heel contact) before it. A full-sized rep within
//   the gap confirms them too. An irregular third (or a held pair that was
//   not deliberate) drops the oldest and the chain goes on from the newer two; a longer gap or the end of the stream
//   drops them (rep_rejected). Once a set is confirmed, each small rep
//   starting within kSmallChainGap_s of the last counted one counts at once.
//   Consequence (stated): a set of only one or two small reps is not counted,
//   nor are the first reps of a small set whose first three keep no rhythm
//   (counted from the first regular three on). Amplitude is not compared:
//   a set's partial raises are 0.35-0.65 of its full ones. Toe taps go below
//   rest (the wrong sign) and never start a rep. A lone movement is a posture change, not a
//   rep, when it starts at the bottom of a fall (the angle 0.5-1 s before
//   heel-off more than 3 deg above its rest), rises out of a dip deeper than
//   a countermovement (6 deg), peaks more than 3 deg and a quarter of its
//   range above the level it holds, pauses 0.5 s mid-rise and rises on,
//   climbs back, once its lowering has begun, more than 3 deg and a quarter
//   of its range above its peak (a lowering is one movement down: a
//   standing posture held, then the forward tilt of sitting down), or
//   settles at a rest more than
//   3 deg (plus the stillness band, the tolerance of the two measured rest
//   levels) and a quarter of its range away from the one it left: the shank
//   in sit-to-stand (Schenkman et al. 1990, Phys Ther 70:638).
//
// - A new set's range (issue 16, start_ref_rom): a movement's start
//   threshold (on_threshold, on_fraction of a reference range) is judged
//   against the recent reps' median, but no more than the largest range of
//   the current set once it has one (set_rom_max_; a set begins with a
//   movement kLoneGap_s after the last one whose range is in the history:
//   longer than any rest inside a set). Sets differ in range (a seated or
//   wall-sit set after a standing one; DESIGN.md: a shank sees a fifth to a
//   third of the foot's range), and with the last set's larger median
//   still in the history a partial raise (0.35-0.65 of the set's range) of
//   a smaller set never crossed 0.2 of the old range: it was lost. Before
//   the new set has shown a range the median is kept (a lower threshold
//   then let between-set activity start movements at the foot).
//
// - Partial raises in a set (issue 16, set_min_excursion): once the set's
//   range is known and a movement starts at the set's tempo (within
//   small_chain_gap_s of the last rep's end) and rises in less than that
//   rep's whole duration (one tempo), not within kReboundSettle_s of its
//   heel contact (the rebound's settle), its minimum excursion is the start
//   threshold (on_threshold: rest band, noise, on_fraction of the range),
//   capped by min_excursion_deg: partial raises go down to 3 deg at the
//   foot (issue 16), under a tenth of a large set's range, and read >= 0.6
//   deg at any sensor, under the start threshold, so no fraction of the
//   set's range bounds them from below (shank17; seat16's 0.35 of the
//   range less a band was the simulator's own lower partial fraction). A
//   movement under min_excursion_deg admitted so must be deliberate: pause
//   at the top for kLoneTopPause_s or (in a set that pauses at the top)
//   last, heel-off to contact, at least kTempoFloor (0.54) of the set's
//   tempo (tempo_s_, its longest measured rep; Grondin 2010: a set repeats
//   one tempo with a CV <= 15 %); a
//   wobble or a rebound's settle does neither. Only a small range lowers
//   it: a seated or wall-sit shank under 'auto' (1.5 deg) reads a 17 deg
//   set as ~4.3 deg and its 6 deg partial raises as 1.2-1.8 deg (a fifth to
//   a third of the foot's range, DESIGN.md, less near rest), which were
//   lost, and with them the set's rhythm for the reps after. A set's
//   opening movement, once a range is known, has the start threshold it
//   crossed as its minimum (never above min_excursion_deg; see
//   opens_set): a set that opens with a partial raise lost it.
//
// - Carried movements (issue 16, pedalling): by its angle, a pedalling foot's
//   rocking (+-10-20 deg at 0.8-1.3 Hz, no pause) can read as a bouncy set.
//   Physics tells them apart: in a heel raise the forefoot stays on the floor
//   and every point of the foot and shank pivots about it, so the sensor's
//   height follows the angle and rises at most as far as the heel does,
//   0.21 m behind the MTP joints (foot length <= ~0.29 m, the MTP heads at
//   ~0.72 of it) turned through at most 60 deg (the foot's range, DESIGN.md;
//   ankle plantar flexion 40-56 deg, Soucie et al. 2011, Haemophilia
//   17:500): <= 0.22 m; the 5-8 cm of a typical raise. On a pedal the foot
//   rides the crank circle (r = 165-175 mm): over the half turn of each
//   rocking phase it travels 2 r = 0.33-0.35 m vertically-and-horizontally,
//   the vertical part sweeping +-r whatever the ankle does, with a
//   centripetal w^2 r of 4-11 m/s^2. With |a| (samples pushed with it: the
//   IMU chain does), finalize() measures the sensor's vertical travel per
//   degree of the movement from the vertical velocity (integral of
//   (|a|^2 - g^2) / 2g, mounting-free) against the angle's rate, times the
//   movement's range (carried_movement()): a movement whose lift exceeds
//   kMaxHeelLift_m = 0.27 m (the geometric mean of 0.22 and 0.33) with an
//   RMS vertical acceleration >= kCarriedMinAcc_mps2 (1.5 m/s^2, half the
//   slowest pedalling's, far above |a|'s calibration error) is not a rep,
//   and the movements held before it (a bouncy chain waiting for its third)
//   are dropped with it: the foot was on a pedal. Placement-free (a foot's
//   and a shank's lift are both bounded by the heel's), scale-free (the
//   ratio does not depend on the angle's units or gain), and it can only
//   remove reps. Limit (stated): a crank rep whose measured range covers
//   under ~0.8 of the rocking (a bout's first or last, cut short) reads a
//   proportionally smaller lift and passes alone; it counts only if a set
//   follows it, which its vetoed neighbours prevent.
//
// Lift (issue 16, quiet stance at a shank). A heel raise lifts the body:
// the foot turns about the MTP joints, so the ankle, and a shank sensor
// above it, rises by (MTP to ankle, 0.14 m) x sin(foot angle): 12 mm for a
// 5 deg raise, 35 mm for 15 deg. Quiet-stance sway turns the shank about the
// ankle (Winter 1995, Gait Posture 3:193; 0.1-0.5 deg, Loram & Lakie 2002,
// J Physiol 545:1041) and lifts a shank sensor only by its offset from the
// ankle's axis (<= 0.06 m/rad), as does a sit-to-stand's shank tilt. With
// |a| (the IMU chain pushes it), finalize() fits the sensor's height
// (|a| - g integrated twice: the vertical acceleration to first order,
// whatever the mounting and the tilt) against the angle over the rise plus
// kLiftPad_s of rest and top (lift_slope()): a slope above the foot's
// longest lever and of a shank on the MTP arc (kShankLiftMin_m_per_rad,
// kShankLiftMax_m_per_rad) with the lift 3 SD above its noise marks a
// heel raise seen from a shank, and asin(lift / mtp_to_ankle_m) is the
// foot's excursion. The lone rules (small, posture change) and the minimum
// excursion, written in foot degrees, then judge the movement on the larger
// of its range and that one. It can only admit raises, never reject one,
// and only movements whose lift a foot cannot make. Measured slopes
// (simulator, quiet stance, seeds 1-8): foot median 0.066 m/rad (its sensor
// 0.08 m behind the MTP joints), max 0.21; standing shank 0.33-0.42,
// seated and wall-sit ~0.5 (the ankle rides the MTP arc there too, the
// shank turning 0.19x the foot); none of 5814 foot movements marked.
// Noise floor: |a| white noise of SD s per sample at period dt, integrated
// twice with the velocity pinned at both still ends, leaves a height error
// of s sqrt(dt) T^1.5 / sqrt(12) over T s. The simulator's 0.03 m/s^2 per
// sample at 100 Hz (430 ug/sqrt(Hz)): 0.9 mm over 1 s, 2.4 mm over 2 s (a
// 1 s rise with its pads), 9.7 mm over 5 s (a 4 s rise; 13.7 mm at 50 Hz);
// published MEMS accelerometers (100-300 ug/sqrt(Hz): 160 for the Bosch
// BMI270, 120 for the BMA280, datasheets) a third to a half of that. So a 5 deg raise
// (12 mm) is resolved when it rises in about a second; a slow small one
// (3 s rise: 3 SD = 21 mm at 100 Hz, a 9 deg raise) is left to the angle's
// rules, as before. A constant |a| error (scale, the local g) is removed by
// the fit; a scale error that differs between axes makes |a| follow the
// tilt, second order in it.
//
// Lifted small rises (issue 16, seated20). A set's opening partial raise at
// a seated or wall-sit shank under 'auto' (5.4-9.1 deg at the foot, 1.0-1.7
// deg at the shank, which turns a fifth to a third of the foot's angle,
// DESIGN.md) never started a rep when it stayed under the start threshold of
// a movement that opens a set (lone_start_threshold: a fifth of the last
// set's range, 1.8-2.3 deg after a set that read 9-12 deg at the shank; a
// new set's range is its own, header "A new set's range"). Its lift tells it
// from rest and from fidgets by geometry, not size: the forefoot stays on
// the floor and the foot turns about the MTP joints, so the ankle, and a
// shank sensor carried on it, rises by mtp_to_ankle_m x sin(foot angle)
// (0.14 m: the foot is 0.152 x body height long, Drillis & Contini 1966,
// Winter 2009 Table 4.1, 0.27 m at 1.75 m, and its MTP-to-ankle lever about
// half of that), 2.4 mm per foot degree: a 5 deg raise (lone_min_rom_deg,
// the smallest heel raise at the foot) lifts the sensor 12 mm, these
// partials 13-22 mm, at 0.28-1.4 m per radian of the shank's own turn
// ("Lift"). A fidget's heel lift turns a foot about its own contact (<= 0.21
// m/rad) and a shank's sway or a sit-to-stand's tilt turns it about the
// ankle (<= 0.06 m/rad): neither lifts the sensor on the MTP arc. So in the
// rest state a movement that opens a set (opens_new_set: no rep ended in the
// kLoneGap_s before it) and rises above the rest band's start floor
// (floor_start_threshold: 1.5 bands, or the noise floor) but not past the start
// threshold is judged at the first top it reaches (lifted_small_rise) by
// lift_foot_rom_deg, from its heel-off (the raw angle's last crossing of
// boundary_fraction of the rise) to that top: when the lift shows a heel
// raise of at least lone_min_rom_deg at the foot (the lifted raise of
// "Lift", 3 SD above its noise), the movement starts a rep, its minimum
// excursion the start floor it crossed; the lone rules then judge it as the
// lifted raise it is. Inside a set (a rep within kLoneGap_s) nothing
// changes: a rebound's settle also lifts the sensor, and admitted there it
// counted extra reps (fresh development seeds 368, 370, 375, ...). Tried
// and not kept: the same judgement in the rising state for a movement that
// crossed the start threshold but not min_excursion_deg (the session's first
// set, no range known: dev seed 470, a 1.4 deg opening partial): +1 set on
// the development seeds 33-96 and 289-480, none lost there, but 2 sets lost
// on the held-out grid 9-20 (single-leg hold, foot and shank; measured as
// totals, not traced). Limits: a slow partial's lift stays within 3 SD of
// the |a| noise (a 1.6 s rise at 50 Hz: 10 mm against 14.5, dev seed 433)
// and is lost as before; before the automatic axis locks, the samples do not
// reach the segmenter.
//
// Hold wobble (issue 16, fidget19). An isometric hold (>= isometric_hold_min_s
// at the top) counts alone, without a set; a weight shift held still for as
// long used to count with it when its "top" happened to last 20 s (non-raise
// fidgets: a 4 deg shift held 21 s on builds whose rounding measured it
// 20.96 s, 19.x s natively). What tells them apart is the hold itself: a
// held heel raise balances the body on the forefoot, the foot pivoting on
// the MTP joints with the calf holding it there, and that balance wobbles
// about the two axes normal to the raise's (roll and yaw: 2-7 deg/s RMS on
// real single-leg holds, DESIGN.md; ankle-strategy corrections at 0.5-3 Hz,
// Riemann et al. 2003, J Sport Rehabil 12:13; plus physiological tremor at
// 8-12 Hz, McAuley & Marsden 2000, Brain 123:1545), while a weight shift
// with the heel on the floor leaves the leg in quiet stance's sway (0.3-1
// deg/s, Winter 1995). The IMU chain pushes the off-axis rate (the
// bias-corrected gyro normal to the sagittal axis, its mean over the last
// second removed: a residual bias is no wobble); a movement under
// lone_min_rom_deg (the size a weight shift reaches; not one whose lift
// marks a raise, "Lift") that measured as an isometric hold counts only when
// that rate's RMS over the hold (its last samples in the history, at least
// kHoldWobbleSpan_s) is at least kHoldWobbleMin_dps. Larger holds and
// streams without the rate are judged as before (a shank's 4-5 deg hold
// under 'auto' is a small one: it wobbles as its leg does). Measured
// (simulator, off-axis RMS): weight shifts held 10-38 s in the non-raise
// fidget hours 0.5-1.3 deg/s; 25 s holds of 10-12 deg held still in 0.3 deg
// sway 0.5-1.0, with hold_wobble_dps 2-7: 4.5-9.9. A small hold with no
// wobble at all (seated, the thigh loaded, under 'auto' with a shank
// sensor) would be taken for a weight shift, so a hold quieter than
// standing sway's least (kStandingSwayMin_dps, 0.3 deg/s: only the gyro's
// noise, nothing balancing) is judged as before the rule. Limit (stated): a
// weight shift held still read at a real foot, flat on the floor while the
// body sways above the ankle, may be as quiet, and counts by duration as it
// did before the rule.
//
// A wobbling hold's top rises on (issue 16, qstance22, quiet stance at a
// shank). A single-leg hold balances the body on one forefoot, and its
// ankle-strategy corrections (0.5-3 Hz, Riemann et al. 2003, J Sport Rehabil
// 12:13; 2-7 deg/s RMS on real holds, DESIGN.md) turn the shank about the
// ankle in the sagittal plane too, on top of quiet stance's sway: a
// component of rate RMS w at frequency f moves the angle by w / (2 pi f),
// up to 2.2 deg at 7 deg/s and 0.5 Hz, over kSwayReach_deg. So a held top
// paused kRisePause_s and rose on by 1.3-2.7 deg ("Sway on a raised shank's
// top" admits up to kSwayReach_deg, and only when the first rise's lift was
// resolved, which the wobble's rotation without lift dilutes: slopes
// 0.22-0.23 m/rad, and a 20-40 s hold's rise has left a 200 Hz history by
// its end), and the 20-40 s hold was dropped as a staircase of weight
// shifts (stair, a posture change): 5 of the 10 isolated holds lost on fresh
// dev seeds 1601-1632 (single-leg hold shank). A weight shift is made with
// the heel on the floor, in quiet stance's sway (0.3-1 deg/s, Winter 1995;
// fidget holds measured 0.5-1.3 deg/s off-axis, "Hold wobble"), and it does
// not come back to the rest it left. An isometric hold that wobbled as a
// single-leg hold does (off-axis rate RMS >= kHoldWobbleMin_dps over its
// hold, wobbling_hold) and came back within a rest shift of the level it
// left is therefore no staircase; the other posture-change tests still
// apply. Holds with no off-axis rate (streams without it) are judged as
// before.
//
// Sway under a shank raise (issue 16, quiet stance). The finishing state
// rejects a movement that comes down well below where it started (gait
// swings below its start, the heel cannot sink below its floor). A shank's
// angle is the foot's plus the ankle's, and in quiet stance the body sways
// about the ankle (an inverted pendulum: Winter 1995, Gait Posture 3:193;
// 0.1-0.5 Hz, up to 0.5 deg RMS of ankle rotation: Loram & Lakie 2002,
// J Physiol 545:1041), so a shank's floor moves within a rep by up to the
// sway's peak-to-peak, 2 sqrt(2) x 0.5 = 1.4 deg (kSwayReach_deg; the 0.5
// Hz component covers it in the ~1 s of a bouncy rep). A bouncy shank rep of
// 2-4 deg (a partial, or a full raise at 0.2-0.3x the foot) has an
// allowance of 0.5-1 deg (undershoot_fraction), and sway 0.3 deg RMS took
// reps 0.02-0.03 deg past it for gait, breaking the chain (fresh dev seeds
// 306 and 308, bouncy shank at 50 Hz: the set lost 2 and 7 reps). A movement
// whose rise lifted the sensor as a heel raise lifts a shank (header,
// "Lift": a slope a foot or a rotation about the ankle cannot make) may come
// down that much further; gait swings 10-40 deg below its start.
//
// Sway on a raised shank's top (issue 16, quiet stance). A rise that held
// still for kRisePause_s and then rose on is two movements, a staircase of
// weight shifts (stair_rise_: a lone one is a posture change). At a shank,
// the top of a raise sways with the ankle as the rest does (above: up to
// kSwayReach_deg, 1.4 deg, within a sway half-cycle of 1-10 s), and a
// single-leg hold's top rose on by 0.5-2 deg after 0.5-0.9 s: a staircase,
// and the 20-30 s hold was dropped as a posture change (fresh dev seeds
// 360, 361, 383, single-leg hold shank at 100-200 Hz; 270 of 288 sets in
// that cell on seeds 353-384). The sway does not lift the sensor (it turns
// the shank about the ankle, "Lift"), so the later rise-on also dilutes the
// lift slope of the whole window under a raise's. A rise whose lift, taken
// when it paused (over its own rise: the top state's measurement, or the
// samples so far), marked a heel raise seen from a shank and whose top then
// rose on by no more than kSwayReach_deg is one raise, judged on that lift.
// A foot sensor's lift never marks a raise (its slope stays under
// kShankLiftMin_m_per_rad), so a foot's staircase is judged as before; a
// weight shift on top of a shank raise that rises on by more than the
// sway's reach stays a staircase.
//
// Rose without turning (issue 16, shank21). A heel raise turns the segment
// the sensor is on, and a turning rigid body's angle changes by exactly the
// integral of its angular rate about that axis (kinematics of a rigid body);
// the gyroscope measures that rate directly. The angle fed here is the
// orientation filter's, which also moves without any rotation when the
// filter corrects its tilt towards the accelerometer's gravity (Mahony et al.
// 2008, IEEE TAC 53:1203: a proportional correction, time constant 1/kp,
// 0.5-1 s at rest here, OrientationConfig). After a walk the tilt carries
// what the gait's accelerations leaked in (1.5-3.6 deg at a shank sampled at
// 50 Hz, fresh dev seeds 801-1000, 'activity between sets'), and its
// re-levelling in the seconds after the last step is a slow rise of the
// angle with the gyro reading nothing but noise: it qualified as a rep,
// the next set's first countermovement was taken for its lowering, and the
// segmenter stayed in that lowering (its floor never came back) through
// 1-8 of the set's reps. A movement whose rise, from the rest before it to
// the moment it first reaches the minimum excursion, the gyro's rate about the
// axis accounts for less than half of (kTurnShareMin: halfway between a
// rotation, 1, and a correction, 0; a real rise's share stays within a few
// percent of 1, the bias the filter leaves, < 0.1 deg/s after a rest, adding
// < 0.2 deg over a 2 s rise) is no movement of the segment: it is rejected
// there and the rest goes on from the level reached. Judged once per
// movement, only on samples that carry the rate (the IMU chain pushes it;
// pre-lock replays and streams without it are judged as before).
//
// A lowering never rises past its top (issue 16, qstance21, quiet stance at
// a shank). A heel's lowering goes down to its floor; all a held top does on
// the way is sway (a shank's up to the sway's peak-to-peak, kSwayReach_deg,
// 1.4 deg: quiet stance's 0.5 deg RMS ankle rotation at most, Loram & Lakie
// 2002, J Physiol 545:1041) within the rest band (band()). After the steps
// between two sets the angle read 1.7-3.5 deg under a still shank (the
// orientation filter settling after gait) and came back up over ~2 s: a
// "rise" that held its new level for 3-4 s. The next set's first raise
// dipped (its countermovement) and opened the lowering state of that
// non-rep; the set's raises then rose and fell above its top, the shank's
// sway never still near a floor 3 deg below, so the whole set was lost
// inside one "lowering" (only max_hold_s, 120 s, ends it). Now a movement
// that held its top (kLoneTopPause_s, the shortest deliberate hold) and in
// its lowering rises above that top by more than kSwayReach_deg plus the
// band is no heel raise but a change of level: it is rejected and the rest
// state is started where its top was declared, the samples since stepped
// again (rest_from_top), so the new rise leaves the held level as the rest
// it was. A rise that lifted the sensor as a shank raise does ("Lift") is a
// raise: its top may rise on further (a single-leg hold's top rose on by
// 0.5-2 deg, "Sway on a raised shank's top"), so only a rise past the top
// by the movement's own range ends it. A top held under kLoneTopPause_s is
// the rise going on (seeds 1-8, single-leg hold shank seed 4 at 50 Hz: a
// lowering declared 0.35 s after the top, the rise on by 2 deg, its lift
// not resolved at 50 Hz; the hold was lost without that). And only for a
// movement that began within one gait cycle (kGaitCycle_s) after a heel
// strike (strides_before): the level it rose to is then the filter
// settling from the strides, not a posture; without that, a seated shank's
// 2.4 deg creep after sitting down (non-raise sit-to-stand under quiet
// stance, true axis) was taken for rest and the stand-up from it counted
// (0 -> 0.5 false reps per hour). Only with nothing else in
// flight (as replay_opening_partial) and the top still in the history (10 s
// at 200 Hz); otherwise the lowering goes on as before. Tried first: ending
// the lowering at its minimum, as at a bouncy set's bottom turn: the non-rep
// was rejected but the new rise, with no rest before it, was lost (7 of 8).
//
// No heap; no exceptions; capacities are template parameters.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "soleus/core/config.hpp"
#include "soleus/core/physical.hpp"
#include "soleus/core/status.hpp"
#include "soleus/dsp/filter_design.hpp"
#include "soleus/dsp/sos_filter.hpp"
#include "soleus/reps/types.hpp"

namespace soleus::reps {

struct SegmenterConfig {
  // Nominal sampling rate: designs the smoothing filter and sizes the line
  // fits. Time stamps drive everything else, so modest jitter is harmless.
  double sample_rate_hz = 100.0;
  double smoothing_cutoff_hz = 4.0;  // detection-only smoothing (delay compensated)
  double boundary_fraction = 0.1;    // f of the boundary definition (types.hpp)
  double shape_fraction = 0.3;       // inner levels g, 1-g: waypoints of the crossing search

  // Smallest rep; also the first rep's reference range. 4 deg suits a foot
  // sensor; a shank sensor sees ~0.3 of the foot's range: use ~1.5-2 deg.
  double min_excursion_deg = 4.0;
  double on_fraction = 0.2;         // start threshold: fraction of the recent reps' median ROM
  double reversal_fraction = 0.15;  // top / lowering detection: fraction of this rep's excursion
  double noise_k = 4.0;             // every threshold >= noise_k x measured noise SD
  double still_band_min_deg = 0.5;  // rest band floor (deg)
  double still_band_fraction = 0.05;  // rest band: fraction of the recent ROM

  // Smallest lone rep (no rep in the 5 s before it): a heel raise's range at
  // the foot is about 5-60 deg (DESIGN.md "What real movement looks like",
  // issue 16); fidgets of 2-4 deg are not raises. Smaller reps (partial
  // raises down to min_excursion_deg) count only inside a set: see
  // "Lone movements" in the header. In the angle's own units (foot degrees
  // for the foot and the scaled shank placements). 0 (the default of the
  // angle-level segmenter, whose angle may be a shank's) switches these lone
  // rules off (the small-movement and the posture-change rules); the IMU
  // chain (imu_reps.hpp) sets 5 deg for every placement.
  double lone_min_rom_deg = 0.0;
  double min_rest_s = 0.25;     // stillness required before a rep (gait rejection)
  double undershoot_fraction = 0.25;  // gait rejection: allowed dip below baseline after the end
  double min_eccentric_s = 0.15;      // a faster drop is a transient, not a lowering
  double top_dwell_s = 0.15;    // no new maximum for this long: top reached
  double settle_s = 0.08;       // wait after the end before completing (undershoot check)
  double baseline_leak_dps = 0.3;  // rest tracker follows upward drift at most this fast
  double rest_window_s = 1.0;   // rest used for the baseline mean

  double isometric_hold_min_s = 20.0;  // holds at least this long are isometric holds
  double max_hold_s = 120.0;   // top or lowering longer than this: abandoned, re-referenced
  double gap_s = 0.25;         // a time-stamp gap longer than this aborts the rep in progress
  double adapt_reset_rest_s = 30.0;  // rest this long forgets the recent ROMs

  // Heel-rise geometry (heel_rise_height_m) and work.
  double mtp_to_ankle_m = 0.14;  // horizontal lever, metatarsophalangeal joint to ankle axis
  double ankle_height_m = 0.0;   // ankle axis above the MTP contact (0: lever-only model)
  double body_mass_kg = 70.0;    // mass lifted (seated raises: the external load)
};

// Height the ankle axis rises when the foot pivots by rom_deg about the
// metatarsophalangeal (MTP) joints, forefoot fixed on the floor, foot flat at
// rest, shank carried vertically: the ankle sits at (-L, h) from the MTP
// contact, so after rotating the heel up by theta it is at height
// L sin(theta) + h cos(theta), a rise of L sin(theta) - h (1 - cos(theta)).
inline double heel_rise_height_m(double rom_deg, double mtp_to_ankle_m, double ankle_height_m) {
  const double th = rom_deg * (3.14159265358979323846 / 180.0);
  return mtp_to_ankle_m * std::sin(th) - ankle_height_m * (1.0 - std::cos(th));
}

// Work to lift body_mass_kg by the heel-rise height (m g h). This is the
// heel-displacement estimate, which over-estimates the work done on the
// centre of mass by about a fifth (21-25 %, Andreasen 2021): the centre of
// mass rises less than the ankle. Reported as is, labelled as such.
inline double heel_rise_work_j(double height_m, double body_mass_kg) {
  return body_mass_kg * 9.80665 * height_m;
}

// Counters of everything the segmenter refused or could not do (never silent).
struct SegmenterStats {
  std::uint64_t samples = 0;
  std::uint64_t bad_samples = 0;     // NaN / Inf angle or time: skipped
  std::uint64_t out_of_order = 0;    // time not increasing: skipped
  std::uint64_t gaps = 0;            // time-stamp gaps > gap_s (rep in progress aborted)
  std::uint64_t history_short = 0;   // a phase outlived the history ring (coarse times used)
  std::uint64_t rejected = 0;        // movements rejected (gait rule, too small, timeout)
};

template <int HistoryCapacity = 2048>
class Segmenter {
  static_assert(HistoryCapacity >= 64, "history must hold a few phases");

 public:
  enum class State : std::uint8_t { rest, rising, top, lowering, finishing };

  Segmenter() = default;

  // Validates and applies the configuration; resets all state.
  Status init(const SegmenterConfig& c) {
    if (!(c.sample_rate_hz >= 10.0 && c.sample_rate_hz <= 10000.0))
      return Status::invalid("sample_rate_hz: must be in [10, 10000]");
    if (!(c.smoothing_cutoff_hz > 0.0 && c.smoothing_cutoff_hz < 0.45 * c.sample_rate_hz))
      return Status::invalid("smoothing_cutoff_hz: must be in (0, 0.45 x sample_rate_hz)");
    if (!(c.boundary_fraction > 0.0 && c.boundary_fraction < 0.4))
      return Status::invalid("boundary_fraction: must be in (0, 0.4)");
    if (!(c.min_excursion_deg > 0.0)) return Status::invalid("min_excursion_deg: must be > 0");
    if (!(c.lone_min_rom_deg >= 0.0)) return Status::invalid("lone_min_rom_deg: must be >= 0 (0: lone rules off)");
    if (!(c.on_fraction > 0.0 && c.on_fraction < 1.0)) return Status::invalid("on_fraction: must be in (0, 1)");
    if (!(c.reversal_fraction > 0.0 && c.reversal_fraction < 0.5))
      return Status::invalid("reversal_fraction: must be in (0, 0.5)");
    if (!(c.gap_s > 0.0)) return Status::invalid("gap_s: must be > 0");
    if (!(c.top_dwell_s > 0.0) || !(c.settle_s >= 0.0) || !(c.min_rest_s >= 0.0))
      return Status::invalid("top_dwell_s, settle_s, min_rest_s: must be positive");
    if (!(c.mtp_to_ankle_m > 0.0) || !(c.body_mass_kg >= 0.0))
      return Status::invalid("mtp_to_ankle_m must be > 0 and body_mass_kg >= 0");
    Result<dsp::SosList> d =
        dsp::butter(2, c.smoothing_cutoff_hz, 0.0, dsp::BandType::lowpass, c.sample_rate_hz);
    if (!d.ok()) return d.status;
    Status st = filter_.set_sos(d.value);
    if (!st) return st;
    // Group delay at DC of the cascade (samples): sum over sections of
    // sum(n b_n)/sum(b_n) - sum(n a_n)/sum(a_n). A ramp leaves the filter
    // delayed by exactly this, which is how smoothed times map back.
    double gd = 0.0;
    for (const dsp::SosSection& s : d.value) {
      gd += (s.b1 + 2.0 * s.b2) / (s.b0 + s.b1 + s.b2) - (s.a1 + 2.0 * s.a2) / (s.a0 + s.a1 + s.a2);
    }
    if (!(c.shape_fraction > c.boundary_fraction + 0.05 && c.shape_fraction < 0.45))
      return Status::invalid("shape_fraction: must be in (boundary_fraction + 0.05, 0.45)");
    cfg_ = c;
    calibrate_shapes();
    tau0_ = gd / c.sample_rate_hz;
    dt_nom_ = 1.0 / c.sample_rate_hz;
    stats_ = SegmenterStats{};
    next_index_ = 0;
    reset();
    configured_ = true;
    return Status::success();
  }

  // Forgets the stream (keeps configuration and the rep counter). A
  // completion still waiting for its heel-strike window (header, "Strides")
  // is forgotten with it: a caller that restarts the stream but must keep
  // the reps already accepted calls settle() first.
  void reset() {
    pend_ = false;
    pend_n_ = 0;
    newest_ = -1;
    contact_.active = false;
    hist_n_ = 0;
    hist_total_ = 0;
    have_prev_ = false;
    state_ = State::rest;
    n_rom_ = 0;
    for (auto& row : shape_score_) row[0] = row[1] = row[2] = 0.0;
    ref_rom_ = cfg_.min_excursion_deg;
    onset_u_ = min_jerk_fraction_time(cfg_.on_fraction);
    rom_end_s_ = -1e300;
    set_rom_max_ = 0.0;
    sigma2_ = sigma_ = 0.0;
    n_x_ = 0;
    prev_rep_valid_ = false;
    tempo_s_ = 0.0;
    prev_paused_ = false;
    open_rest_start_ = open_rest_end_ = -1e300;  // no rest left upwards yet
    open_snap_.valid = false;
    replaying_ = replay_open_ = cur_opened_by_replay_ = false;
    sub_peak_y_ = -std::numeric_limits<double>::infinity();  // no rise under the start threshold yet
    sub_judged_ = cur_lift_admit_ = false;
    chain_open_ = bump_in_chain_ = false;
    bump_end_s_ = -1e300;
    n_held_ = 0;
    held_await_ = false;
    foot_moved_ = false;
    rebound_until_ = -1e300;
    rebound_break_seen_ = false;
    glide_dps_ = 0.0;
    rebound_dipped_ = false;
    settle_watch_until_ = -1e300;
    floor_lowered_t_ = -1e300;
    cm_armed_ = false;
    dip_left_level_ = cur_dip_left_level_ = kNoLevel;
  }

  const SegmenterConfig& config() const { return cfg_; }
  const SegmenterStats& stats() const { return stats_; }
  State state() const { return state_; }
  double filter_delay_s() const { return tau0_; }
  double noise_sd_deg() const { return sigma_; }
  double reference_rom_deg() const { return ref_rom(); }
  int reps_emitted() const { return next_index_; }

  // One sample. Events go to `out`. Returns bad_input for a skipped sample,
  // capacity_exceeded if the queue dropped an event, not_ready before init().
  template <int Q>
  Status push(double t_s, double angle_deg, EventQueue<Q>& out) {
    return push(t_s, angle_deg, std::nan(""), out);
  }
  // The same with the sensor's specific-force magnitude |a| (m/s^2) of that
  // sample, from an IMU: it lets finalize() reject a movement that carried
  // the sensor on a circle (pedalling: "Carried movements" in the header).
  // NaN: not known (the rule is then off for the reps it would cover).
  template <int Q>
  Status push(double t_s, double angle_deg, double acc_norm_mps2, EventQueue<Q>& out) {
    return push(t_s, angle_deg, acc_norm_mps2, std::nan(""), out);
  }
  // The same with the sensor's off-axis angular rate (deg/s: the rotation
  // about the two axes normal to the sagittal one, its slow mean removed) of
  // that sample, from an IMU: it lets finalize() tell a held heel raise from
  // a weight shift held still (header, "Hold wobble"). NaN: not known (the
  // rule is then off for the holds it would cover).
  template <int Q>
  Status push(double t_s, double angle_deg, double acc_norm_mps2, double off_axis_dps, EventQueue<Q>& out) {
    return push(t_s, angle_deg, acc_norm_mps2, off_axis_dps, std::nan(""), out);
  }
  // The same with the angular rate about the sagittal axis (deg/s, on the
  // angle's scale: the gyro's, bias-corrected), from an IMU: a rise the
  // rate does not account for is no rep (header, "Rose without turning").
  // NaN: not known (the rule is then off for the movements it would cover).
  template <int Q>
  Status push(double t_s, double angle_deg, double acc_norm_mps2, double off_axis_dps, double rate_dps,
              EventQueue<Q>& out) {
    return push(t_s, angle_deg, acc_norm_mps2, off_axis_dps, rate_dps, std::nan(""), out);
  }
  // The same with the sensor's displacement (m) since it was last at rest
  // with zero velocity, from an IMU (reps::ImuRepCounter): it lets finalize()
  // tell a stride, which carries the foot away, from a heel raise, which
  // brings it back (header, "Strides"). NaN: not known (the rule is then off
  // for the movements it would judge).
  template <int Q>
  Status push(double t_s, double angle_deg, double acc_norm_mps2, double off_axis_dps, double rate_dps,
              double moved_m,
              EventQueue<Q>& out) {
    if (!configured_) return Status{StatusCode::not_ready, "segmenter: call init() first"};
    if (!std::isfinite(t_s) || !std::isfinite(angle_deg)) {
      ++stats_.bad_samples;
      return Status{StatusCode::bad_input, "angle or time is NaN/Inf: sample skipped"};
    }
    if (have_prev_ && !(t_s > t_prev_)) {
      ++stats_.out_of_order;
      return Status{StatusCode::bad_input, "time stamp not increasing: sample skipped"};
    }
    overflow_ = false;
    ++stats_.samples;
    // The rare branches (a gap, the first sample, a completion waiting for
    // its heel-strike window) are out of line: inlined, they made this
    // per-sample function's frame and register saves larger on every sample
    // (issue 16).
    if (SOLEUS_UNLIKELY(t_s - t_prev_ > cfg_.gap_s)) on_gap(t_s, out);
    double y;
    if (SOLEUS_UNLIKELY(!have_prev_)) {
      y = first_sample(t_s, angle_deg);
    } else {
      y = filter_.process(angle_deg);
    }
    if (SOLEUS_UNLIKELY(pend_)) {
      push_pending(t_s, angle_deg, y, acc_norm_mps2, off_axis_dps, rate_dps, moved_m, out);
      return overflow_ ? Status::capacity("event queue full: event dropped") : Status::success();
    }
    update_noise(angle_deg);
    hist_push(t_s, angle_deg, y, acc_norm_mps2, off_axis_dps, rate_dps, moved_m);
    if (contact_.active) watch_contact(t_s, angle_deg, out);
    step(t_s, angle_deg, y, out);
    t_prev_ = t_s;
    y_prev_ = y;
    return overflow_ ? Status::capacity("event queue full: event dropped") : Status::success();
  }

  // push() over a time gap (t_s more than gap_s after the last sample).
  template <int Q>
  SOLEUS_NOINLINE void on_gap(double t_s, EventQueue<Q>& out) {
    // A gap while a completion waits for its heel-strike window (header,
    // "Strides"): judged on the samples that came before it.
    while (pend_) resolve_pending(t_prev_, out);
    if (have_prev_) {
      ++stats_.gaps;
      abandon(t_s, out);
      contact_.active = false;  // its history is gone: the provisional end stays
      have_prev_ = false;
      hist_n_ = 0;  // the history no longer describes one continuous motion
      n_x_ = 0;
      // A rest before the gap is no rest before a movement after it (the
      // opening-partial rule reaches back kOpeningPartial_s, longer than gap_s).
      open_rest_start_ = open_rest_end_ = -1e300;
      open_snap_.valid = false;
    }
  }
  // push()'s first sample (of the stream, or after a gap): the smoother
  // starts settled at it, a rest starts there. Returns the smoothed angle.
  SOLEUS_NOINLINE double first_sample(double t_s, double angle_deg) {
    const double x0 = angle_deg;
    filter_.reset_steady(&x0);
    const double y = filter_.process(angle_deg);
    start_rest(t_s, y, y);
    rest_ep_start_ = t_s;
    stream_start_ = t_s;
    have_prev_ = true;
    return y;
  }
  // push() while a completion waits for its heel-strike window (header,
  // "Strides"): the sample goes to the history (|a| is judged there) and is
  // stepped through the state machine once the verdict is in (resolve_pending).
  template <int Q>
  SOLEUS_NOINLINE void push_pending(double t_s, double angle_deg, double y, double acc_norm_mps2, double off_axis_dps,
                                    double rate_dps, double moved_m, EventQueue<Q>& out) {
    hist_push(t_s, angle_deg, y, acc_norm_mps2, off_axis_dps, rate_dps, moved_m);
    pend_store(t_s, angle_deg, y);
    if (t_s >= pend_until_ || pend_n_ == kPendMax || heel_strike_near(pend_en_) ||
        impact_span_passed(pend_lo_, received()))
      resolve_pending(t_s, out);
  }

  // End of the stream: a lone rep held back for want of a second one is
  // dropped (rep_rejected if its rep_started went out).
  template <int Q>
  void finish(double t_s, EventQueue<Q>& out) {
    // A late step may start another wait (resolve_pending): judge each.
    while (pend_) resolve_pending(t_s, out);
    // A heel contact still waiting for its rest: timed from the best rest seen.
    close_contact(t_s, out);
    // A movement that ran straight on (held_await_) with no verdict on its
    // successor: released (it was accepted; only gait or a stride drops it).
    if (n_held_ > 0 && held_await_) release_held(t_s, out);
    if (n_held_ > 0) drop_held(t_s, out);
  }

  // A completion waiting for its heel-strike window (header, "Strides")
  // judged now, on the samples received so far (at the last sample's time),
  // its events emitted: for a caller about to restart the stream (reset(),
  // init()) that must not lose a rep already accepted (ImuReps on an axis
  // sign correction). Nothing to do when no completion waits.
  template <int Q>
  void settle(EventQueue<Q>& out) {
    while (pend_) resolve_pending(t_prev_, out);
  }

  // A block of samples; identical to calling push() for each (chunking never
  // changes results). Returns the first non-ok status, after pushing all.
  template <int Q>
  Status push_block(const double* t_s, const double* angle_deg, int n, EventQueue<Q>& out) {
    Status first = Status::success();
    for (int i = 0; i < n; ++i) {
      Status st = push(t_s[i], angle_deg[i], out);
      if (!st && first.ok()) first = st;
    }
    return first;
  }

 private:
  // ------------------------------------------------------------ history ring
  // Logical sample index k (0..hist_total_-1); the last hist_n_ are kept.
  struct Slot {
    double t;
    float x, y;
    float acc;  // |a| of the sample (m/s^2), NaN when not known
    float off;  // off-axis angular rate (deg/s, "Hold wobble"), NaN when not known
    float rate; // angular rate about the axis (deg/s, "Rose without turning"), NaN when not known
    float moved;  // displacement since the last rest at zero velocity (m, "Strides"), NaN when not known
  };
  void hist_push(double t, double x, double y, double acc, double off, double rate, double moved) {
    Slot& s = hist_[hist_total_ % HistoryCapacity];
    s.t = t;
    s.x = static_cast<float>(x);
    s.y = static_cast<float>(y);
    s.acc = static_cast<float>(acc);
    s.off = static_cast<float>(off);
    s.rate = static_cast<float>(rate);
    s.moved = static_cast<float>(moved);
    ++hist_total_;
    if (hist_n_ < HistoryCapacity) ++hist_n_;
    if (!pend_) newest_ = static_cast<std::int64_t>(hist_total_) - 1;
  }
  // Stepping late (resolve_pending), the samples received after the view
  // have overwritten as many of the oldest: the same samples as on time
  // unless something reaches back more than HistoryCapacity less the
  // waiting samples (the default 2048 less at most 64: ~10 s at 200 Hz, the
  // rate the IMU chain feeds the segmenter at most; fed faster directly,
  // e.g. at 1000 Hz, that is ~2 s and a rep with a hold reaching back
  // further is measured on a later history: boundaries moved by 0.1-40 ms
  // in 8 of 600 fuzzed 1000 Hz streams, review18, counts unchanged; a
  // larger HistoryCapacity restores the same measurement. A ring of
  // HistoryCapacity + kPendMax, not a power of two, cost 5-8 % of the
  // chain's time per sample in its index arithmetic).
  std::int64_t oldest() const { return static_cast<std::int64_t>(hist_total_) - hist_n_; }
  // The newest sample the state machine has stepped to: while a completion
  // waits for its heel-strike window (header, "Strides"), the samples after
  // it are in the ring but not yet stepped (newest_).
  std::int64_t newest() const { return newest_; }
  std::int64_t received() const { return static_cast<std::int64_t>(hist_total_) - 1; }
  const Slot& at(std::int64_t k) const { return hist_[static_cast<std::uint64_t>(k) % HistoryCapacity]; }
  // First logical index with t >= t_s (newest()+1 if none).
  std::int64_t lower_bound(double t_s) const {
    std::int64_t lo = oldest(), hi = newest() + 1;
    while (lo < hi) {
      const std::int64_t mid = lo + (hi - lo) / 2;
      if (at(mid).t < t_s) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // Last crossing of `level` by the smoothed angle in direction `rising`,
  // searching back from index `from`. Returns the interpolated time mapped
  // back to the raw time axis (minus the filter delay), or false.
  bool last_crossing(double level, bool rising, std::int64_t from, double& t_out, std::int64_t& k_out) const {
    for (std::int64_t k = from; k > oldest(); --k) {
      const double y1 = at(k).y, y0 = at(k - 1).y;
      const bool hit = rising ? (y0 < level && y1 >= level) : (y0 > level && y1 <= level);
      if (hit) {
        const double t0 = at(k - 1).t, t1 = at(k).t;
        const double a = (level - y0) / (y1 - y0);
        t_out = t0 + a * (t1 - t0) - tau0_;
        k_out = k;
        return true;
      }
    }
    return false;
  }

  struct Line {
    double tc = 0.0, a = 0.0, b = 0.0;  // x(t) = a + b (t - tc)
    double w = 0.0;
    bool ok = false;
  };
  // Least-squares line through the raw samples within tc +/- w.
  Line fit_line(double tc, double w) const {
    Line L;
    L.tc = tc;
    L.w = w;
    const std::int64_t k0 = lower_bound(tc - w);
    double n = 0, st = 0, sx = 0, stt = 0, stx = 0;
    for (std::int64_t k = k0; k <= newest(); ++k) {
      const Slot& s = at(k);
      if (s.t > tc + w) break;
      const double u = s.t - tc, x = s.x;
      n += 1; st += u; sx += x; stt += u * u; stx += u * x;
    }
    if (n < 3) return L;
    const double den = n * stt - st * st;
    if (!(den > 0.0)) return L;
    L.b = (n * stx - st * sx) / den;
    L.a = (sx - L.b * st) / n;
    L.ok = true;
    return L;
  }
  // Time where a line reaches `level`; the coarse time if the line is unusable.
  static double cross(const Line& L, double level, bool rising) {
    if (!L.ok || (rising ? !(L.b > 0.0) : !(L.b < 0.0))) return L.tc;
    const double dt = (level - L.a) / L.b;
    if (std::fabs(dt) > 3.0 * L.w + 0.05) return L.tc;
    return L.tc + dt;
  }
  // Mean of the raw samples with t in [t0, t1]; false if fewer than 3.
  bool raw_mean(double t0, double t1, double& m) const {
    double s = 0;
    int n = 0;
    for (std::int64_t k = lower_bound(t0); k <= newest(); ++k) {
      if (at(k).t > t1) break;
      s += at(k).x;
      ++n;
    }
    if (n < 3) return false;
    m = s / n;
    return true;
  }
  // Minimum of the raw samples with t in [t0, t1] (m unchanged if none).
  void raw_min(double t0, double t1, double& m) const {
    for (std::int64_t k = lower_bound(t0); k <= newest(); ++k) {
      if (at(k).t > t1) break;
      if (at(k).x < m) m = at(k).x;
    }
  }
  // Largest |slope| of a sliding least-squares line (half-width w) through
  // the raw samples, centres in [t0, t1]. Scaling w with the phase keeps the
  // noise of the derivative small on slow phases (a per-sample derivative
  // of the smoothed angle overshoots by ~2 noise SDs there) while fast
  // phases keep their peak. One pass with running sums.
  double peak_slope(double t0, double t1, double w) const {
    double best = 0.0;
    std::int64_t c = lower_bound(t0);
    std::int64_t lo = lower_bound(t0 - w), hi = lo;
    double n = 0, su = 0, sx = 0, suu = 0, sux = 0;
    const double tr = t0;
    for (; c <= newest() && at(c).t <= t1; ++c) {
      const double tc = at(c).t;
      while (hi <= newest() && at(hi).t <= tc + w) {
        const double u = at(hi).t - tr, x = at(hi).x;
        n += 1; su += u; sx += x; suu += u * u; sux += u * x;
        ++hi;
      }
      while (lo < hi && at(lo).t < tc - w) {
        const double u = at(lo).t - tr, x = at(lo).x;
        n -= 1; su -= u; sx -= x; suu -= u * u; sux -= u * x;
        ++lo;
      }
      if (n < 3) continue;
      const double den = n * suu - su * su;
      if (!(den > 1e-12)) continue;
      const double slope = (n * sux - su * sx) / den;
      if (std::fabs(slope) > best) best = std::fabs(slope);
    }
    return best;
  }
  double velocity_half_width(double phase_s) const {
    double w = 0.1 * phase_s;
    if (w < 1.5 * dt_nom_) w = 1.5 * dt_nom_;
    if (w > 0.25) w = 0.25;
    return w;
  }

  // Noise SD from the raw second difference: for white noise its variance
  // is 6 sigma^2, while smooth movement contributes almost nothing (a
  // heel raise's acceleration x dt^2 is ~0.01 deg), so the estimate holds
  // during motion too. EMA over ~1 s of samples; an outlier is clipped.
  void update_noise(double x) {
    if (n_x_ >= 2) {
      const double d2 = x - 2.0 * x1_ + x2_;
      double q = d2 * d2 * (1.0 / 6.0);  // a multiplication (issue 16; rounding level)
      if (sigma2_ > 0.0 && q > 25.0 * sigma2_) q = 25.0 * sigma2_;
      const double a = dt_nom_ / 1.0;
      sigma2_ += (q - sigma2_) * (n_x_ < 10 ? 1.0 / (n_x_ - 1) : a);
    }
    x2_ = x1_;
    x1_ = x;
    if (n_x_ < 1000000) ++n_x_;
    sigma_ = std::sqrt(sigma2_);
  }

  // ------------------------------------------------------------ thresholds
  // Median of the recent ROMs (cached: recomputed when a rep is added).
  double ref_rom() const { return ref_rom_; }
  void update_ref_rom() {
    if (n_rom_ == 0) { ref_rom_ = cfg_.min_excursion_deg; return; }
    double a[kRomHist];
    for (int i = 0; i < n_rom_; ++i) a[i] = rom_hist_[i];
    for (int i = 1; i < n_rom_; ++i)  // insertion sort: at most 5 values
      for (int j = i; j > 0 && a[j - 1] > a[j]; --j) { const double tmp = a[j]; a[j] = a[j - 1]; a[j - 1] = tmp; }
    ref_rom_ = (n_rom_ % 2) ? a[n_rom_ / 2] : 0.5 * (a[n_rom_ / 2 - 1] + a[n_rom_ / 2]);
  }
  double noise_floor() const { return cfg_.noise_k * sigma_; }
  // The range a movement's start is judged against (issue 16, header "A
  // new set's range"): the recent reps' median, but no more than the
  // largest range of the current set (set_rom_max_) once it has one.
  double start_ref_rom() const {
    return set_rom_max_ > 0.0 && set_rom_max_ < ref_rom() ? set_rom_max_ : ref_rom();
  }
  double band() const {
    double b = cfg_.still_band_min_deg;
    const double r = cfg_.still_band_fraction * ref_rom();
    if (r > b) b = r;
    if (0.5 * noise_floor() > b) b = 0.5 * noise_floor();
    return b;
  }
  double on_threshold() const {
    double th = 1.5 * band();
    const double r = cfg_.on_fraction * start_ref_rom();
    if (r > th) th = r;
    if (noise_floor() > th) th = noise_floor();
    return th;
  }
  // Threshold for a movement to leave rest (rest state). Within a set (a
  // rep ended within kLoneGap_s) it is on_threshold(), scaled by the recent
  // reps' range. A movement with no rep in the kLoneGap_s before it starts
  // a new set (or is a lone movement, judged by the lone rules), whose
  // range the earlier set's does not predict (issue 16, dev bouncy seed 43:
  // a set of 16-18 deg raises opening with a 6.9 deg partial, after a set
  // of ~40 deg: threshold 8 deg). A set's partial raises are 0.35-0.65 of
  // its full ones (DESIGN.md): such a partial never started, it broke the
  // rest before the next raise (min_rest_s), a bouncy set has no other
  // rest, and the whole set was lost (0 of 8). So the range term is capped
  // at lone_min_rom_deg (5 deg: the smallest heel raise at the foot, which
  // turns 5-60 deg, DESIGN.md), when the lone rules are on: a raise of that
  // size from rest is seen whatever came before, while fidgets and weight
  // shifts (2-4 deg, DESIGN.md) stay under it as before (a 3 deg threshold,
  // tried first, started candidates on 2.5 deg weight shifts held 2 s, and
  // their rejection took the rest before the next rep: dev between-sets
  // foot lost reps). The band and noise floors still apply.
  double start_threshold(double t) const {
    if (!opens_new_set(t)) return on_threshold();
    return replay_open_ ? floor_start_threshold() : lone_start_threshold();
  }
  // A movement at t (smoothed axis) with no rep ended in the kLoneGap_s
  // before it, the lone rules on: it opens a new set or is a lone movement.
  bool opens_new_set(double t) const {
    return cfg_.lone_min_rom_deg > 0.0 && !(prev_rep_valid_ && t - tau0_ - prev_end_s_ <= kLoneGap_s);
  }
  // The smoothed angle stayed within one band over the span_s up to t (its
  // samples in the history; false when the history does not reach back).
  bool still_over(double t, double span_s) const {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    std::int64_t k = newest();
    for (; k >= oldest() && at(k).t >= t - span_s; --k) {
      lo = std::fmin(lo, static_cast<double>(at(k).y));
      hi = std::fmax(hi, static_cast<double>(at(k).y));
    }
    return k >= oldest() && hi - lo <= band();
  }
  // Lifted small rises (header): in the rest state, a rise above the rest
  // band's start floor but under the start threshold is judged once, at the
  // first top it reaches (no new maximum for top_dwell_s), by its lift, from its
  // heel-off (the raw angle's last crossing of boundary_fraction of the
  // rise, searched back from the top) to its top. True when that lift is a
  // heel raise's of at least lone_min_rom_deg at the foot. Without |a| (or
  // with the lone rules off) never.
  bool lifted_small_rise(double t, double y) {
    if (!opens_new_set(t) || !(y - b_ > floor_start_threshold())) {
      sub_peak_y_ = -std::numeric_limits<double>::infinity();
      sub_judged_ = false;
      return false;
    }
    if (y > sub_peak_y_) {
      sub_peak_y_ = y;
      sub_peak_t_ = t;
      sub_k_peak_ = newest();
      return false;
    }
    // Once per excursion above the floor: its first top (a lift fit per
    // sample-scale wobble of a drifting rest costs the chain's speed).
    if (t - sub_peak_t_ < cfg_.top_dwell_s || sub_judged_) return false;
    sub_judged_ = true;
    if (!std::isfinite(at(newest()).acc)) return false;
    const double top_s = sub_peak_t_ - tau0_;
    const double exc = sub_peak_y_ - b_;
    std::int64_t k = lower_bound(top_s);
    while (k > oldest() && at(k).x > b_ + cfg_.boundary_fraction * exc) --k;
    if (k <= oldest()) return false;
    double k_m_per_rad = 0.0;
    const bool lifted = lift_foot_rom_deg(at(k).t, top_s, exc, k_m_per_rad) >= cfg_.lone_min_rom_deg;
    return lifted;
  }
  // The start threshold of a movement that opens a set (see start_threshold).
  double lone_start_threshold() const {
    const double r = std::fmin(cfg_.on_fraction * ref_rom(), cfg_.lone_min_rom_deg);
    const double th = floor_start_threshold();
    return r > th ? r : th;
  }
  // What tells any movement from rest, whatever the range: the rest band's
  // own start threshold (1.5 bands) and the noise floor.
  double floor_start_threshold() const {
    const double th = 1.5 * band();
    return noise_floor() > th ? noise_floor() : th;
  }
  double reversal_threshold(double exc) const {
    double th = cfg_.reversal_fraction * exc;
    if (band() > th) th = band();
    if (noise_floor() > th) th = noise_floor();
    return th;
  }

  // ------------------------------------------------------------ events
  template <int Q>
  void emit(EventType type, double t, const Rep& r, EventQueue<Q>& out) {
    Event e;
    e.type = type;
    // Events of samples stepped late (resolve_pending) go out when they do.
    e.t_s = t > emit_not_before_ ? t : emit_not_before_;
    e.rep = r;
    if (!out.push(e).ok()) overflow_ = true;
  }

  // Enter rest with the tracker at `base`, still since t (smoothed time axis).
  void start_rest(double t, double y, double base) {
    state_ = State::rest;
    b_ = base < y ? base : y;
    // The stillness episode starts where the angle is now and counts as rest
    // at the baseline (a gradual lowering may still be settling into it).
    anchor_ = y;
    ep_base_ = true;
    still_start_ = t;
    rest_dwell_ = 0.0;
    rest_since_ = t;
    floor_lowered_t_ = -1e300;
  }

  template <int Q>
  void abandon(double t, EventQueue<Q>& out) {
    if (state_ != State::rest) {
      ++stats_.rejected;
      if (started_emitted_) emit(EventType::rep_rejected, t, cur_, out);
    }
    state_ = State::rest;
  }

  // ------------------------------------------------------------ state machine
  template <int Q>
  void step(double t, double x, double y, EventQueue<Q>& out) {
    const double f = cfg_.boundary_fraction;
    // A held movement that ran straight on (held_await_) is no stride's
    // start when no verdict came within one gait cycle of its heel contact
    // (a stride's swing reaches its heel strike, and swings below its start,
    // within it): released, as its successor's start did before.
    if (held_await_ && n_held_ > 0 && t - tau0_ - held_[n_held_ - 1].rep.end_s > kGaitCycle_s) {
      release_held(t, out);
      // The movement under way (its rep_started numbered before the release)
      // takes the next number: no two reps share one.
      if (state_ != State::rest) cur_.index = next_index_;
    }
    switch (state_) {
      case State::rest: {
        if (n_held_ > 0 && t - tau0_ - held_[n_held_ - 1].rep.end_s > held_chain_gap_s() + held_onset_lag_s()) drop_held(t, out);
        const double dt = hist_n_ > 1 ? t - t_prev_ : 0.0;
        // Baseline tracker: a leaky minimum. Follows the angle down at once
        // (a heel raise never goes below rest) and up by at most the leak
        // rate, so slow drift is followed but a rising heel is not.
        {
          const double up = b_ + cfg_.baseline_leak_dps * dt;
          const double b_was = b_;
          b_ = y < b_ ? y : (y < up ? y : up);
          // Still gliding down: the heel has not landed, so its rebound is
          // still to come (tempo17). A slow (3-4 s) lowering onto a rest
          // lower than the one it rose from (1-3 deg either way, DESIGN.md)
          // glides on past the level its end was fitted at, up to a quarter
          // of the lowering (0.9 s) after it; the rebound window ran out
          // before the contact, its dip was taken for the next rep's
          // countermovement and that rep, with no rest before it, was
          // dropped at its top (dev seeds 70, 75, slow foot; the glide's
          // own fall past the band had re-timed the window as if it were
          // the dip's first break). An angle falling faster than
          // glide_dps_ (kGlideSpeedFraction of the lowering's mean speed:
          // still within that lowering) and than one band per kLowStill_s
          // (the still rule's own scale: a foot moving less is still)
          // keeps the window open for kReboundSettle_s from now. A shank's
          // tilt relaxing after a quick rep (~0.3 deg/s) is far slower
          // than a quarter of that rep's lowering.
          if (t < rebound_until_) {
            std::int64_t m = static_cast<std::int64_t>(kArrivalSpan_s / dt_nom_ + 0.5);
            if (m < 1) m = 1;
            const std::int64_t k1 = newest(), k0 = k1 - m;
            if (k0 >= oldest() && at(k1).t > at(k0).t &&
                (at(k0).y - at(k1).y) / (at(k1).t - at(k0).t) > std::fmax(band() / kLowStill_s, glide_dps_) &&
                t + kReboundSettle_s > rebound_until_)
              rebound_until_ = t + kReboundSettle_s;
          }
          if (t < rebound_until_ && b_ < rebound_floor_) b_ = rebound_floor_;
          if (b_ < b_was) floor_lowered_t_ = t;
          if (t < rebound_until_ && y < rebound_floor_ - band()) rebound_dipped_ = true;
          if (settle_watch_until_ > -1e299 && t >= rebound_until_) {
            // Rebound settled: the floor level is where the foot comes to
            // rest after it, which may lie up to kRestShift_deg above the
            // one before (DESIGN.md: 1-3 deg). The dip and the settle take
            // ~0.5 s after contact, a slow settle up to ~1 s more: the first
            // still level within that watch becomes the floor, and the still
            // episode there is rest at it.
            if (y - b_ >= 0.5 * band() && y - b_ < kRestShift_deg && std::fabs(y - anchor_) <= 0.25 * band() &&
                t - still_start_ >= cfg_.min_rest_s) {
              b_ = y;
              ep_base_ = true;
              settle_watch_until_ = -1e300;
            } else if (t >= settle_watch_until_) {
              settle_watch_until_ = -1e300;
            }
          }
        }
        // Stillness: the smoothed angle stays within the band of a slowly
        // following anchor. The dwell of an episode at the baseline level is
        // remembered as the rest before the next movement.
        if (t - stream_start_ < kWarmup_s) {
          // Settling: the filter started from one noisy sample; let the
          // trackers follow freely instead of trusting it.
          b_ = anchor_ = y;
          break;
        }
        const double bd = band();
        const double dev = y - anchor_;
        bool left_open_rest = false;
        if (std::fabs(dev) > bd) {
          // An episode counts as rest at the baseline if it began there
          // (an episode started on the way up begins >= one band above).
          // A countermovement (2-6 deg of dorsiflexion in the 0.1-0.5 s
          // before heel-off) breaks the rest into short downward episodes:
          // they belong to the rep, they do not replace the rest before it.
          const bool in_cm = in_countermovement(t, bd) && !rested_again_left_down(t, bd, dev);
          if (t < rebound_until_ && dev < 0.0) {
            // The rebound at heel contact (a 1-5 deg dip, settled ~0.5 s
            // after contact, DESIGN.md) breaks the rest after a rep
            // downwards: that is neither rest nor a countermovement.
            // The dip is the contact's own evidence: the settle is timed
            // from its first break, not only from the provisional end (a
            // 3-4 s lowering still gliding down when that end was fitted
            // lands up to ~0.5 s later, and its dip began just before the
            // window closed: the floor then followed the dip down, the
            // settled rest above it never counted as rest, and the next
            // rep of a slow set had no rest before it). Once per rep: a
            // later dip is a countermovement or a fidget.
            if (!rebound_break_seen_) {
              rebound_break_seen_ = true;
              if (t + kReboundSettle_s > rebound_until_) rebound_until_ = t + kReboundSettle_s;
            }
            rest_dwell_ = 0.0;
            rest_ep_start_ = rest_ep_end_ = t;
            dip_left_level_ = kNoLevel;
            cm_armed_ = false;
          } else if (ep_base_ && !in_cm) {
            // A still episode that is no countermovement (held past
            // kCmDipHold_s, or begun longer than kCountermovement_s after
            // the rest it left): taken for a new rest. When it is a dip
            // right after leaving a rest, the rest it left is remembered and
            // the rep's landing decides (finalize: a countermovement into a
            // slow rise looks still at its trough for > 1 s).
            dip_left_level_ = cm_armed_ && anchor_ < rest_ep_level_ - 0.5 * bd &&
                                      still_start_ - rest_ep_end_ <= kCountermovement_s
                                  ? rest_ep_level_
                                  : kNoLevel;
            rest_dwell_ = t - still_start_;
            rest_ep_start_ = still_start_;
            rest_ep_end_ = t;
            rest_ep_level_ = anchor_;
            rest_ep_left_up_ = dev > 0.0;
            // A rest left upwards: the rest before a bouncy set that opens
            // with a movement under the start threshold (begin_candidate,
            // kOpeningPartial_s).
            if (dev > 0.0 && rest_dwell_ >= cfg_.min_rest_s) {
              open_rest_start_ = rest_ep_start_;
              open_rest_end_ = rest_ep_end_;
              open_rest_level_ = rest_ep_level_;
              left_open_rest = true;
            }
            // A rest left downwards may be a countermovement's start.
            cm_armed_ = dev < 0.0 && rest_dwell_ >= cfg_.min_rest_s;
          } else if (!in_cm && dev < 0.0 && held_weight_shift(t, bd)) {
            // A weight shift held (see held_weight_shift): the rest before
            // the dip that leaves it, as a rest at the baseline would be.
            rest_dwell_ = t - still_start_;
            rest_ep_start_ = still_start_;
            rest_ep_end_ = t;
            rest_ep_level_ = anchor_;
            rest_ep_left_up_ = false;
            cm_armed_ = true;
            dip_left_level_ = kNoLevel;
          } else if (!in_cm) {
            cm_armed_ = false;
          }
          still_start_ = t;
          anchor_ = y;
          // A downward reset lands at the baseline (b_ follows y down); an
          // upward one from a rest episode lands >= one band above it.
          ep_base_ = dev < 0.0 || y - b_ < 0.5 * bd;
        } else {
          const double a = dt / 1.0;
          anchor_ += dev * (a < 1.0 ? a : 1.0);
          // An episode that began above the floor level (the settle after a
          // rebound, a stalled rise) and has stayed still long enough for
          // the floor tracker to reach it is rest at the baseline: the foot
          // is on the floor, still, and the leaky minimum agrees.
          if (!ep_base_ && anchor_ - b_ < 0.5 * bd && t - still_start_ >= cfg_.min_rest_s) ep_base_ = true;
          // Back, still, at the level of the rest it dipped from within a
          // countermovement's time (a toe tap, a brief unloading, a
          // countermovement that did not rise on): the foot rests on the
          // floor where it rested before. The floor tracker followed the dip
          // down at once and climbs back at only baseline_leak_dps (0.3
          // deg/s): a 1 deg dip kept the rest off the baseline for ~3 s, the
          // next rep had no rest before it and was taken at its top for a
          // new resting level (issue 16, held-out between-sets shank).
          if (!ep_base_ && cm_armed_ && still_start_ - rest_ep_end_ <= kCountermovement_s &&
              std::fabs(anchor_ - rest_ep_level_) < 0.5 * bd && t - still_start_ >= cfg_.min_rest_s) {
            ep_base_ = true;
            if (b_ < anchor_ - 0.5 * bd) b_ = anchor_ < rest_ep_level_ ? anchor_ : rest_ep_level_;
          }
        }
        // A new set's range is its own (issue 16, header "A new set's
        // range"): kLoneGap_s after the last movement whose range is in the
        // history, the next one opens a new set, whose start thresholds are
        // then judged on its own largest range once it has one.
        if (t - tau0_ - rom_end_s_ > kLoneGap_s) set_rom_max_ = 0.0;
        if (n_rom_ > 0 && t - rest_since_ > cfg_.adapt_reset_rest_s) {
          n_rom_ = 0;
          for (auto& row : shape_score_) row[0] = row[1] = row[2] = 0.0;
          update_ref_rom();
        }
        // The rest state as it left the rest upwards: a set's opening
        // partial may be stepped again from here (replay_opening_partial).
        if (left_open_rest && !replaying_) save_open_rest(t);
        if (y - b_ > start_threshold(t)) {
          if (replay_opening_partial(t, y, out)) break;
          // The next movement starts before the rest after the last rep has
          // settled: its heel contact is timed from the best rest seen.
          close_contact(t, out);
          begin_candidate(t, y);
        } else if (lifted_small_rise(t, y)) {
          const double y_sub_peak = sub_peak_y_, t_sub_peak = sub_peak_t_;
          const std::int64_t k_sub_peak = sub_k_peak_;
          // A rise under the start threshold that lifted the sensor as a
          // heel raise lifts a shank (header, "Lifted small rises"): a
          // movement from its heel-off, already at its top.
          close_contact(t, out);
          begin_candidate(t, y);
          cur_lift_admit_ = true;
          peak_ = peak_ref_ = y_sub_peak;
          t_peak_ = t_sub_peak;
          k_peak_ = k_sub_peak;
        }
        break;
      }
      case State::rising: {
        if (y > peak_) { peak_ = y; k_peak_ = newest(); }
        const double exc = peak_ - cur_.baseline_deg;
        // Still rising = a new maximum by a margin: noise on a plateau keeps
        // making tiny new maxima, which would delay the top by ~0.1-0.3 s.
        double eps = 0.02 * exc;
        if (0.25 * noise_floor() > eps) eps = 0.25 * noise_floor();
        if (y > peak_ref_ + eps) { peak_ref_ = y; t_peak_ = t; }
        double exc_min = set_min_excursion(cur_.start_s, t - tau0_);
        if (cur_in_rebound_) {
          // Rebound 5 deg + rest shift 3 deg at the foot (DESIGN.md), scaled
          // down with the reps' range for a shank (0.2-0.3x the foot): the
          // range of the set the rebound belongs to (start_ref_rom: capped
          // by the current set's largest, issue 16). A seated shank's new
          // set of 3.8 deg reps after a set of 11 deg (the recent median
          // still holding it) read its second rep, 4.5 deg rising out of
          // the first one's rebound window, as that rebound's settle (half
          // the stale median, 5.7 deg): the rep was lost, the held first
          // one dropped, and the set's first three reps with them.
          double m = 0.5 * start_ref_rom();
          if (m > kRebound_deg) m = kRebound_deg;
          if (m > exc_min) exc_min = m;
        }
        // Started by its lift under the start threshold (rest state, header
        // "Lifted small rises"): its minimum is the start floor it crossed.
        if (cur_lift_admit_) exc_min = std::fmin(exc_min, floor_start_threshold());
        if (!turn_judged_ && exc >= exc_min) {
          // Header, "Rose without turning": judged once, when the movement
          // first counts (before it can be announced or reach its top).
          turn_judged_ = true;
          if (rose_without_turning()) {
            ++stats_.rejected;
            start_rest(t, y, y);
            break;
          }
        }
        if (cur_qualified_ && !started_emitted_ && exc >= exc_min && (exc >= on_threshold() || cur_lift_admit_)) {
          announce_start(t, out);
        }
        if (exc < exc_min) {
          // A bump inside a bouncy chain (issue 16, header "Bouncy sets"):
          // this movement left the floor straight from the last rep's
          // bottom (bump_in_chain_) and turned back down before reaching
          // the minimum excursion: a partial raise whose smoothed peak the
          // 4 Hz smoothing kept under it (1.5-2.5 deg at a shank, held-out
          // bouncy sets). A movement that rises and returns towards its
          // floor is a movement, whatever its size: when it turns back up
          // promptly near the floor (the bottom turning point's own test,
          // lowering state: within kBottomTurn_s of its minimum, that
          // minimum within 0.35 of its excursion above the floor), it ended
          // at that trough and the rise now is the next movement of the
          // chain, timed from the trough (bump_end_s_). Without it the bump
          // and the next raise merged into one malformed movement, or the
          // bump fell back to rest, and either way the chain broke: the set
          // lost every rep after it. A chain is broken by rest or by
          // non-rep movement (both still are: no prompt turn, a stall), not
          // by a wiggle under the minimum excursion.
          if (bump_in_chain_ && y < peak_ - band()) {
            if (y < bump_min_) { bump_min_ = y; t_bump_min_ = t; }
            // The chain is bounded in time (review of issue 16): a bouncy rep
            // cycle lasts 0.6-1.0 s (rise and lowering 0.3-0.5 s each,
            // DESIGN.md), so the next movement of a chain begins within
            // kChainGap_s (3 s: 3-5 cycles, the gap a rep may chain across)
            // of its last counted rep's heel contact, bumps or not. A bump
            // whose trough comes later ends the chain: a train of small
            // bumps (fidgeting, walking on the spot) no longer keeps it open
            // and attaches a later movement to the set. The movement goes on
            // as any other (fell back: rest; stalled: a new level).
            if (bump_min_ - cur_.baseline_deg < 0.35 * exc && y > bump_min_ + band() &&
                t_bump_min_ - tau0_ - prev_end_s_ > kChainGap_s)
              bump_in_chain_ = false;
          }
          if (bump_in_chain_ && y < peak_ - band()) {
            if (bump_min_ - cur_.baseline_deg < 0.35 * exc && y > bump_min_ + band()) {
              ++stats_.rejected;  // the bump itself is no rep (under the minimum excursion)
              bump_end_s_ = t_bump_min_ - tau0_;
              rest_before_end_ = t_bump_min_;
              cur_.start_s = bump_end_s_;  // provisional
              peak_ = peak_ref_ = y;
              t_peak_ = t;
              k_peak_ = newest();
              bump_min_ = std::numeric_limits<double>::infinity();
              break;
            }
            if (t - t_bump_min_ <= kBottomTurn_s) break;  // at or near its trough: the turn may come
          }
          // Too small so far. Fell back: a bump, rest goes on undisturbed
          // (the rest trackers were not touched while rising). Stalled
          // above: a new resting level.
          if (y < peak_ - band() && y - cur_.baseline_deg < 0.5 * on_threshold()) {
            ++stats_.rejected;
            state_ = State::rest;
          } else if (t - t_peak_ >= cfg_.min_rest_s + cfg_.top_dwell_s) {
            // The foot moved to a new level between held small movements
            // (a toe tap's return, a weight shift): not a quiet foot, the
            // held ones are not a set (header, "Lone movements"). Not when
            // the level is no new one (stall_moved_foot: no rise above its
            // baseline, or the last rep's own rebound settle).
            if (n_held_ > 0 && held_small_ && stall_moved_foot(y)) foot_moved_ = true;
            ++stats_.rejected;
            start_rest(t, y, y);
          }
          break;
        }
        const double rev = reversal_threshold(exc);
        const bool reversed = y < peak_ - rev;
        if (reversed || t - t_peak_ >= cfg_.top_dwell_s) {
          declare_top(t, out);
          if (reversed) begin_lowering(t, out);
        }
        break;
      }
      case State::top: {
        // The rise's lift (header, "Lift"), taken once the top has held for
        // kLiftPad_s: an isometric hold's rise leaves the history before the
        // hold ends (2048 samples: 41 s at 50 Hz).
        if (cur_lift_rom_ < 0.0 && t - tau0_ >= cur_.top_s + kLiftPad_s) {
          const double l = lift_foot_rom_deg(cur_.start_s, cur_.top_s, p_decl_ - cur_.baseline_deg, cur_lift_k_);
          cur_lift_rom_ = std::isnan(l) ? 0.0 : l;
        }
        if (y > peak_) { peak_ = y; t_peak_ = t; }
        const double exc = p_decl_ - cur_.baseline_deg;
        const double rev = reversal_threshold(exc);
        if (y > p_decl_ + rev) {  // the rise had only paused: concentric continues
          cur_lift_rom_ = -1.0;
          // A pause of kRisePause_s or more was a hold: what rises on from
          // it is a second movement (a staircase of weight shifts).
          // Unless the rise had lifted the sensor as a heel raise lifts a
          // shank ("Sway on a raised shank's top", header): its first
          // rise's lift and top level are kept for the judgement.
          if (t - t_top_decl_ >= kRisePause_s) {
            if (!stair_rise_) {
              double k_m_per_rad = cur_lift_k_;
              const double l = cur_lift_rom_ >= 0.0
                                   ? cur_lift_rom_
                                   : lift_foot_rom_deg(cur_.start_s, cur_.top_s, p_decl_ - cur_.baseline_deg, k_m_per_rad);
              if (l > 0.0) {
                stair_lifted_top_deg_ = p_decl_;
                stair_lift_rom_ = l;
                stair_lift_k_ = k_m_per_rad;
              }
            }
            stair_rise_ = true;
          }
          state_ = State::rising;
          peak_ = peak_ref_ = y;
          t_peak_ = t;
          k_peak_ = newest();
          break;
        }
        if (y < peak_ - rev) { begin_lowering(t, out); break; }
        if (!cur_qualified_ && cur_promotable_ && t - t_top_decl_ >= cfg_.top_dwell_s) {
          // Held at the top for >= 2 x top_dwell_s: a heel raise of a
          // continuous set after all. Announce it now.
          cur_qualified_ = true;
          announce_start(t, out);
          emit(EventType::top_reached, t, cur_, out);
        }
        if (!cur_qualified_ && t - t_top_decl_ >= cfg_.min_rest_s) {
          // Not a rep (no rest before it) and now still: a new resting level.
          // The foot moved between held small movements (a toe tap's return,
          // a weight shift): they are not a set (header, "Lone movements").
          if (n_held_ > 0 && held_small_ && stall_moved_foot(y)) foot_moved_ = true;
          ++stats_.rejected;
          start_rest(t, y, y);
          break;
        }
        if (t - t_top_decl_ > cfg_.max_hold_s) { abandon(t, out); start_rest(t, y, y); }
        break;
      }
      case State::lowering: {
        const double L10 = cur_.baseline_deg + f * (peak_ - cur_.baseline_deg);
        // Rested near the floor (min_rest_s still, under the still rule's
        // 0.35 of the excursion) and now leaving that level upwards: the
        // lowering ended there and the next rise begins (rested_then_rose).
        bool rested_then_rose = false;
        double rested_level = low_anchor_;
        if (std::fabs(y - low_anchor_) > band()) {
          rested_then_rose = cur_qualified_ && y > low_anchor_ && t - low_still_start_ >= cfg_.min_rest_s &&
                             low_anchor_ - cur_.baseline_deg < 0.35 * (peak_ - cur_.baseline_deg);
          low_anchor_ = y;
          low_still_start_ = t;
        }
        // Long enough that a slow lowering (moving < one band per second)
        // is not mistaken for stillness.
        const bool still = t - low_still_start_ >= kLowStill_s;
        if (y < low_min_) { low_min_ = y; t_low_min_ = t; }
        if (y > low_max_) low_max_ = y;
        const double exc_low = peak_ - cur_.baseline_deg;
        if (y < L10) {
          begin_finishing(t, cur_.baseline_deg);
        } else if (low_min_ - cur_.baseline_deg < 0.35 * exc_low && y > low_min_ + reversal_threshold(exc_low) &&
                   t - t_low_min_ <= kBottomTurn_s && t_lower_detect_ - t_top_decl_ < kLoneTopPause_s) {
          // Turned back up near the floor without stillness: the bottom
          // turning point of a bouncy set (no rest between reps), detected
          // like the top (back by reversal_fraction of the excursion from
          // the extremum). The smoothed angle may not reach the f level of
          // a fast (0.3-0.5 s) continuous rep, nor a floor that an
          // accelerometer-corrected angle has pulled up by a degree. The
          // lowering ended at the minimum: its level is the end level.
          // Only a prompt turn (within kBottomTurn_s of the minimum: a
          // slow drift back up is not a turning point) of a rep that did
          // not pause at the top (under kLoneTopPause_s: a bouncy set has
          // no pauses; a rep held at the top ends by the rules above, and a
          // posture change held for seconds, e.g. standing up with a shank
          // sensor, is not split at its wobbles).
          begin_finishing(t, low_min_);
          t_trough_ = t_low_min_;  // the next rise starts at the turning point
          next_rise_ = true;
          // The crossings are searched on the smoothed angle (towards its
          // minimum), but the turning point's level is the raw one: the
          // smoothing rounds a V-shaped bottom (0.3-0.5 s phases each side)
          // off by a tenth to a fifth of the range, and the floor of the set
          // (chain_floor_, the next rep's baseline) ratcheted up by that
          // each rep until a rep failed the same-floor test and the set lost
          // every rep after it (shank sets under 'auto', ranges 5-12 deg).
          double turn_level = low_min_;
          raw_min(t_low_min_ - tau0_ - kBottomSearch_s, t_low_min_ - tau0_ + kBottomSearch_s, turn_level);
          b_ecc_ = turn_level;
        } else if (rested_then_rose) {
          // A lowering is one movement down; a heel raise starts from
          // stillness (min_rest_s, gait rule (1)): a foot still near the
          // floor that rises again has ended its lowering, even when that
          // rest lies above the rep's baseline by more than the f level
          // and lasted under kLowStill_s (slow-tempo sets: a 1.5-2 s rest
          // between reps, less the rebound's 0.5 s settle and the next
          // countermovement's 0.1-0.5 s, DESIGN.md; the rep ran on through
          // the next one and the two were counted as one, dev seeds 47/55).
          begin_finishing(t, rested_level);
        } else if (y - peak_ > kSwayReach_deg + band() && t_lower_detect_ - t_top_decl_ >= kLoneTopPause_s &&
                   (y - peak_ > exc_low || unlifted_rise()) && strides_before(cur_.start_s) && rest_from_top(out)) {
          // Rose above its own top by more than a held top's sway (header,
          // "A lowering never rises past its top"): the movement was no
          // heel raise but a change of level, and its held top the rest
          // the new rise left (rest_from_top stepped the samples since).
        } else if (still && !cur_qualified_) {
          // Not a rep and the angle has settled elsewhere (e.g. the end of
          // a walk): that level is the new rest.
          ++stats_.rejected;
          start_rest(t, y, y);
        } else if (still && y - cur_.baseline_deg < 0.35 * (peak_ - cur_.baseline_deg)) {
          // Came to rest near, but above, the starting level: the resting
          // angle after a rep lies 1-3 deg from the one before (DESIGN.md),
          // or the baseline drifted up during the rep. End the rep there.
          // For a rep whose countermovement was held into a slow rise
          // (cur_cm_rest_restored_, begin_candidate), at the level reached
          // now when the angle crept on down within the band (rest16): a
          // minimum-jerk lowering (Flash & Hogan 1985, J Neurosci 5:1688)
          // covers its last tenth in the last quarter of its time, under a
          // band per second on a 3-4 s lowering of a 7.5 deg partial raise,
          // so the still episode began ~1 s before contact, 1.9 deg above
          // the rest the heel landed on; taken for that rest, the rep
          // "settled" 4.3 deg above the one it left and was rejected as a
          // posture change. Its trough-based baseline had kept such a
          // lowering above this branch. (Applied to every rep it cost a
          // standing and a wall-sit shank set on the development seeds: an
          // end extrapolated past the stream's time and clamped to it.)
          begin_finishing(t, cur_cm_rest_restored_ && y < low_anchor_ ? y : low_anchor_);
        } else if (t - t_lower_detect_ > cfg_.max_hold_s) {
          abandon(t, out);
          start_rest(t, y, y);
        }
        break;
      }
      case State::finishing: {
        const double exc = peak_ - cur_.baseline_deg;
        double under = cfg_.undershoot_fraction * exc;
        // The rebound at heel contact (1-5 deg past rest, and the next rest
        // 1-3 deg from the last: DESIGN.md "What real movement looks like")
        // dips up to kRebound_deg below the starting level whatever the
        // range; gait swings about as far below its start as above it, and
        // never pauses at the top (a 0.8-1 Hz swing reverses within ~0.15 s
        // of its peak), so the allowance needs a top hold of kGaitTopPause_s.
        if (t_lower_detect_ - t_top_decl_ >= kGaitTopPause_s) {
          const double rebound = kRebound_deg < 0.75 * exc ? kRebound_deg : 0.75 * exc;
          if (rebound > under) under = rebound;
        }
        if (noise_floor() > under) under = noise_floor();
        // Checked on the raw angle (no filter delay): the settle wait after
        // the end is then all the latency the check costs.
        // The heel cannot sink below the floor it stands on: gait swings
        // below where it started, a heel raise returns to its floor. A rise
        // continuing a bouncy chain (bump_in_chain_: no rest before it,
        // straight from the last rep's floor) has no rest to measure its
        // baseline on: the raw mean taken in begin_candidate lies on its own
        // rise (dev grid bouncy seed 38, shank 100 Hz: 2.0 deg for a floor at
        // 1.36 deg, a 2.6 deg partial that came back to 1.35 deg read as a
        // 0.68 deg undershoot, over its 0.66 deg allowance, and the set lost
        // its last five reps). Its start is the floor the rep before it ended
        // on (prev_base_after_), when lower.
        double start_level = cur_.baseline_deg;
        if (bump_in_chain_ && prev_base_after_ < start_level) start_level = prev_base_after_;
        // A shank's floor sways (header, "Sway under a shank raise"): a
        // movement whose rise lifted the sensor as a heel raise lifts a shank
        // may come down that far below where it started.
        if ((x < start_level - under || y < start_level - under) && lifted_on_mtp_arc()) under += kSwayReach_deg;
        if (x < start_level - under || y < start_level - under) {
          // Swung well below where it started: gait, not a heel raise. A
          // movement that ran straight on into this swing was its start
          // (held_await_, header "Strides").
          if (held_await_ && n_held_ > 0) drop_held(t, out);
          abandon(t, out);
          start_rest(t, y, y);
          break;
        }
        if (y < trough_) {
          trough_ = y;
          t_trough_ = t;
        }
        // A new rise before the settle time is over: complete now.
        if (y - trough_ > on_threshold()) {
          next_rise_ = true;
          finalize(t, out, false);
        }
        else if (t >= finish_at_) finalize(t, out, true);
        break;
      }
    }
  }

  // Within a countermovement: a rest episode ended at most
  // kCountermovement_s ago and the angle has not come back above its level
  // (the still episodes inside the dip are not the rest before the rep).
  // A countermovement's dip is held at most ~0.5 s before the rise
  // (DESIGN.md: 2-6 deg in the 0.1-0.5 s before heel-off): a still episode
  // below the rest that lasts longer is a new, lower rest (a weight shift),
  // and the rest before the next rep is that one.
  bool in_countermovement(double t, double bd) const {
    return cm_armed_ && anchor_ < rest_ep_level_ + bd && t - rest_ep_end_ <= kCountermovement_s &&
           t - still_start_ <= kCmDipHold_s;
  }
  // A still episode back at the level of the rest the dip left (within half
  // a band) for min_rest_s, left downwards, was rest again, not the inside
  // of a countermovement: a countermovement is one dip straight into the
  // rise (2-6 deg in the 0.1-0.5 s before heel-off, DESIGN.md), it does not
  // come back to rest, stay there and dip again. Else a dip that came back
  // (a rebound outside its window, a toe tap) kept the next 1 s of rest
  // "inside" it, and the rep's own countermovement then found no rest
  // before it. Left upwards, the episode is the rise itself passing the old
  // level (a shank's 2 deg rise over 1.2 s looks still to the band for
  // ~0.3 s): still the countermovement's, the rest before it stands.
  bool rested_again_left_down(double t, double bd, double dev) const {
    return dev < 0.0 && anchor_ > rest_ep_level_ - 0.5 * bd && t - still_start_ >= cfg_.min_rest_s;
  }

  // A still episode above the floor, by less than a movement's onset
  // (on_threshold: it never started a movement) and held min_rest_s, left
  // downwards: a weight shift up held, the foot standing still at a new
  // level (DESIGN.md: people shift weight between sets, the rest after a
  // rep lies 1-3 deg from the one before). The floor tracker (a leaky
  // minimum, 0.3 deg/s) had not yet climbed to it (a 2.4 deg shift held
  // 2.25 s, issue 16 grid), so it was not rest at the baseline and the rep
  // rising out of a countermovement from it had no rest before it. Being
  // under the onset, the level cannot be a counted movement's top: at
  // worst a sub-threshold lift's hold, which then serves as the rest before
  // a rep that dips from it into the rise (the rep's baseline that level,
  // at most an onset off). Left upwards it stays a raised level, not rest
  // (a rise stalled on its way, or a rep's slow start). Held longer than a
  // bouncy phase (kHeldPosture_s): the turning point at the top of a 2 deg
  // partial opening a bouncy set looked still for 0.3 s, was taken for a
  // held shift and became the next rep's baseline (dev seed 155, shank).
  bool held_weight_shift(double t, double bd) const {
    return !ep_base_ && anchor_ - b_ >= 0.5 * bd && anchor_ - b_ < on_threshold() &&
           t - still_start_ >= cfg_.min_rest_s && t - still_start_ >= kHeldPosture_s;
  }
  // A posture is held longer than a bouncy set's phase (0.3-0.5 s up or
  // down, issue 16, measured on real fast sets; sim bouncy_phase_s): a
  // movement's turning point of up to 0.5 s is no held posture.
  static constexpr double kHeldPosture_s = 0.5;

  // The boundary error the segmenter is held to (p95 <= 120 ms, issue 16).
  static constexpr double kBoundaryErr_s = 0.12;

  // A movement whose still episode began (smoothed time ep0) within one
  // bouncy up-and-down of leaving the last rest upwards (open_rest_*), back
  // at that rest's level: see begin_candidate.
  bool after_opening_partial(double ep0) const {
    return open_rest_end_ - open_rest_start_ >= kOpeningPartial_s && ep0 > open_rest_end_ &&
           ep0 - open_rest_end_ <= kOpeningPartial_s && std::fabs(b_ - open_rest_level_) < band();
  }

  // ------------------------------------------------ a bouncy set's opening
  // (issue 16, bouncy20; header "Bouncy sets"). The rest state as it left a
  // rest upwards (open_rest_*), to step the movement since then again.
  void save_open_rest(double t) {
    OpenRestSnap& s = open_snap_;
    s.valid = true;
    s.k = newest();
    s.t_prev = t;  // the sample stepped now: the replay's first step follows it
    each_rest_field(s, [](auto& saved, auto& live) { saved = live; });
  }
  // The rest state's members paired with their snapshot's, listed once:
  // save_open_rest() copies them one way, replay_opening_partial() back.
  template <class Snap, class Copy>  // Snap: OpenRestSnap (declared below)
  void each_rest_field(Snap& s, Copy copy) {
    copy(s.b, b_);
    copy(s.anchor, anchor_);
    copy(s.still_start, still_start_);
    copy(s.rest_dwell, rest_dwell_);
    copy(s.rest_ep_start, rest_ep_start_);
    copy(s.rest_ep_end, rest_ep_end_);
    copy(s.rest_ep_level, rest_ep_level_);
    copy(s.dip_left_level, dip_left_level_);
    copy(s.floor_lowered_t, floor_lowered_t_);
    copy(s.ep_base, ep_base_);
    copy(s.rest_ep_left_up, rest_ep_left_up_);
    copy(s.cm_armed, cm_armed_);
  }
  // A bouncy set that opens with a partial raise under the stale start
  // threshold. A new set's opening movement crosses lone_start_threshold:
  // on_fraction of the recent reps' median range, which still holds the last
  // set's (forgotten only after adapt_reset_rest_s of rest). A set's partial
  // raises are 0.35-0.65 of its full ones (DESIGN.md), and a set's raises
  // need not be as large as the last set's: a bouncy set of 16-17 deg raises
  // (4.9 deg at a shank under 'auto') after one of ~28 deg opened with a
  // 5.8 deg partial (1.6 deg smoothed at the shank, threshold 1.66 deg) that
  // never started. begin_candidate's opening-partial rule then keeps the set
  // (the rest before the next rise is the rest the partial left), but the
  // partial itself was lost (fresh dev seeds 380, 445, 485, 612, 797: the
  // largest failure mode of bouncy shank sets under the default grid).
  // Once the evidence is in -- the movement left a rest upwards, came back
  // to that rest's level within one bouncy up-and-down (kOpeningPartial_s:
  // two phases of 0.3-0.5 s; a bouncy rep cycle is 0.6-1.0 s) and turned
  // straight into a rise over the start threshold with no rest between
  // (under min_rest_s: the stretch-shortening cycle couples lowering and
  // rise within 0.1-0.25 s, Komi 2000, J Biomech 33:1197; Moritani et al. 1990,
  // Eur J Appl Physiol 60:425) --
  // the up-and-down is the set's first movement, not a fidget before it,
  // and the last set's range is no evidence about its size. The rest state
  // is put back as it left the rest and the samples since are stepped again
  // with the start threshold (and the opening movement's minimum,
  // set_min_excursion) at the floors that tell any movement from rest (1.5
  // rest bands, the noise floor), as a partial raise inside a set is judged
  // on the floors and the set's own range. The movement then goes through
  // every rule a set's first movement does (a small one is held until the
  // set's rhythm confirms it). Once per rest left (open_snap_), only when
  // nothing else is in flight (no held or waiting rep, no heel contact
  // being timed, no rebound window), so no event of the stepped samples
  // went out before. Returns true when it stepped the samples up to the
  // current one.
  template <int Q>
  bool replay_opening_partial(double t, double y, EventQueue<Q>& out) {
    if (replaying_ || !open_snap_.valid || open_snap_.k < oldest() || n_held_ > 0 || pend_ || contact_.active ||
        t < rebound_until_ || settle_watch_until_ > -1e299)
      return false;
    // The opening-partial rule's own test (begin_candidate): no rest before
    // this rise, whose still episode began within the up-and-down.
    double dwell = rest_dwell_, ep0 = rest_ep_start_;
    if (std::fabs(y - anchor_) <= band() && ep_base_ && !in_countermovement(t, band())) {
      dwell = t - still_start_;
      ep0 = still_start_;
    }
    if (!(dwell < cfg_.min_rest_s && after_opening_partial(ep0))) return false;
    if (!(floor_start_threshold() < start_threshold(t))) return false;  // it would start as it did
    OpenRestSnap s = open_snap_;
    open_snap_.valid = false;
    const std::int64_t k_now = newest();
    each_rest_field(s, [](auto& saved, auto& live) { live = saved; });
    t_prev_ = s.t_prev;
    replaying_ = true;
    replay_open_ = true;
    const double not_before_was = emit_not_before_;
    if (t > emit_not_before_) emit_not_before_ = t;  // events go out now, in order
    for (std::int64_t k = s.k + 1; k <= k_now; ++k) {
      const Slot& h = at(k);
      if (pend_) {
        // A completion stepped here waits for its heel-strike window: the
        // samples after it are its to step (resolve_pending).
        pend_store(h.t, h.x, h.y);
        continue;
      }
      newest_ = k;
      step(h.t, h.x, h.y, out);
      t_prev_ = h.t;
      y_prev_ = h.y;
    }
    newest_ = k_now;
    replaying_ = false;
    replay_open_ = false;
    emit_not_before_ = not_before_was;
    return true;
  }

  // A lowering never rises past its top (header): the movement in flight
  // rose to a level, held it and, in its "lowering", rose beyond that top by
  // more than a held top's sway. It is rejected (a change of level, no
  // heel raise), and the rest state is started where its top was declared
  // and steps the samples since again, so the new rise leaves the held
  // level as the rest it was. Only with nothing else in flight (as
  // replay_opening_partial) and the top still in the history; returns true
  // when it stepped the samples up to the current one.
  // Out of line: rare, and kept out of step()'s hot path.
  template <int Q>
  SOLEUS_NOINLINE bool rest_from_top(EventQueue<Q>& out) {
    if (replaying_ || n_held_ > 0 || pend_ || contact_.active) return false;
    const std::int64_t k0 = lower_bound(t_top_decl_);
    if (k0 <= oldest() || k0 >= newest()) return false;
    const std::int64_t k_now = newest();
    const double t_now = at(k_now).t;
    abandon(t_now, out);
    const Slot& h0 = at(k0);
    start_rest(h0.t, h0.y, h0.y);
    cm_armed_ = false;
    rest_ep_start_ = rest_ep_end_ = h0.t;
    rest_ep_level_ = h0.y;
    dip_left_level_ = kNoLevel;
    t_prev_ = h0.t;
    y_prev_ = h0.y;
    replaying_ = true;
    const double not_before_was = emit_not_before_;
    if (t_now > emit_not_before_) emit_not_before_ = t_now;  // events go out now, in order
    for (std::int64_t k = k0 + 1; k <= k_now; ++k) {
      const Slot& h = at(k);
      if (pend_) {
        // A completion stepped here waits for its heel-strike window, as
        // in push(): the samples after it are stored, and it is judged
        // once the window has passed or the store is full (the span
        // stepped again may be longer than the store).
        pend_store(h.t, h.x, h.y);
        if (h.t >= pend_until_ || pend_n_ == kPendMax) {
          resolve_pending(h.t, out);
          emit_not_before_ = t_now;
        }
        continue;
      }
      newest_ = k;
      if (contact_.active) watch_contact(h.t, h.x, out);
      step(h.t, h.x, h.y, out);
      t_prev_ = h.t;
      y_prev_ = h.y;
    }
    newest_ = k_now;
    replaying_ = false;
    emit_not_before_ = not_before_was;
    return true;
  }

  void begin_candidate(double t, double y) {
    // Rest before this movement: the dwell of the last still episode at the
    // baseline, or the current one if still in progress.
    double dwell = rest_dwell_;
    double ep0 = rest_ep_start_, ep1 = rest_ep_end_;
    if (std::fabs(y - anchor_) <= band() && ep_base_ && !in_countermovement(t, band())) {
      dwell = t - still_start_;
      ep0 = still_start_;
      ep1 = t;
    }
    // A bouncy set that opens with a partial raise under the start
    // threshold (issue 16, dev seeds 86 and 155, shank: a 2 deg partial, then
    // 15-20 deg reps 0.3-0.5 s up and down with no pause): the partial broke
    // the rest and came straight back down into the next rise, so the rest
    // before that rise lasted only its bottom turn (0.06 s), and the whole
    // set, one chain without rest, was lost. A movement that left a rest
    // upwards and was back at that rest's level (within a band) within
    // kOpeningPartial_s is one up-and-down of a bouncy set, no new posture:
    // the rest before the rise is the rest it left.
    // The rest it left must itself outlast such an up-and-down: a still
    // stretch inside a periodic movement (a train of sub-threshold bumps,
    // RepsGait.BumpTrainEndsTheBouncyChain) is no rest before a set.
    if (dwell < cfg_.min_rest_s && after_opening_partial(ep0)) {
      dwell = open_rest_end_ - open_rest_start_;
      ep0 = open_rest_start_;
      ep1 = open_rest_end_;
    }
    cur_opened_by_replay_ = replay_open_;
    replay_open_ = false;
    open_snap_.valid = false;  // a movement began: the rest it left is no longer the one saved
    cur_ = Rep{};
    cur_lift_rom_ = -1.0;
    cur_lift_admit_ = false;
    sub_peak_y_ = -std::numeric_limits<double>::infinity();  // a new rise from the next rest
    sub_judged_ = false;
    stair_rise_ = false;
    stair_lifted_top_deg_ = std::numeric_limits<double>::quiet_NaN();
    cur_.index = next_index_;
    cur_qualified_ = dwell >= cfg_.min_rest_s;
    turn_judged_ = false;
    // The rest this one's rest dipped from (see the rest state), only when
    // the rest before it is that dip.
    cur_dip_left_level_ = (ep0 == rest_ep_start_ && ep1 == rest_ep_end_) ? dip_left_level_ : kNoLevel;
    started_emitted_ = false;
    // Baseline: mean raw angle over the end of that rest episode (smoothed
    // times mapped back by the filter delay), minus a guard for the onset.
    double r1 = ep1 - tau0_ - 0.1;
    double r0 = ep0 - tau0_;
    if (r1 - r0 > cfg_.rest_window_s) r0 = r1 - cfg_.rest_window_s;
    if (prev_rep_valid_ && r0 < prev_end_s_ + 0.05) r0 = prev_end_s_ + 0.05;
    double m;
    cur_.baseline_deg = raw_mean(r0, r1, m) ? m : b_;
    rest_before_end_ = ep1;
    cur_cm_rest_restored_ = false;
    // A countermovement into a slow rise (issue 16, rest16): the rest before
    // this rise is a dip that left an earlier rest within kCountermovement_s
    // (cur_dip_left_level_), no deeper than a countermovement (6 deg,
    // DESIGN.md), held still no longer than kCountermovement_s, and left
    // upwards by the rise itself (a new, lower rest is left downwards by the
    // next rep's own countermovement, or held longer). That dip is the
    // countermovement, not a rest: its depth (2-6 deg in the 0.1-0.5 s
    // before heel-off, DESIGN.md) is where a slow rise starts, and a
    // minimum-jerk rise (the profile of voluntary point-to-point movements:
    // Flash & Hogan 1985, J Neurosci 5:1688) spends its first ~0.3 of the
    // time climbing under 0.1 of its span, so a 3 s rise out of a 5 deg dip
    // under a 7.5 deg partial raise looks still at the trough for ~1.1 s and
    // crosses the rest only ~1.4 s after the trough. Taken for the rep's
    // baseline, the trough put heel-off ~1.1 s early (before the set) and
    // added the dip to the range (11.7 deg found, 7.5 true). The rep's
    // baseline is the rest before the countermovement, and heel-off is the
    // rise's crossing of it (declare_top measures the rise from the trough).
    if (cur_dip_left_level_ != kNoLevel && rest_ep_left_up_ && ep0 == rest_ep_start_ && ep1 == rest_ep_end_ &&
        ep1 - ep0 <= kCountermovement_s && cur_dip_left_level_ > cur_.baseline_deg &&
        cur_dip_left_level_ - cur_.baseline_deg <= kMaxCountermovement_deg + band()) {
      cur_.baseline_deg = cur_dip_left_level_;
      rest_before_end_ = ep0;  // the trough is searched from the dip's start
      cur_cm_rest_restored_ = true;
    }
    // No rest before it, but straight after a rep from the same floor level:
    // a continuous set. It becomes a rep if it then holds at the top (gait
    // never pauses there), see the top state.
    // Starting while the last rep's rebound settles: the settle back up
    // (and a new rest up to 3 deg higher) is not a rise; a bouncy set's
    // next raise is (it is rep-sized: exc_min_rebound_).
    // Only after a rebound: a heel that turned at the floor (a bouncy set's
    // bottom, where the stretch-shortening cycle turns the lowering straight
    // into the next rise, Komi 2000) made no dip, so nothing settles back
    // up, and the raised minimum below (half the recent range) would reject
    // the set's partial raises (0.35-0.65 of its full ones, DESIGN.md),
    // after which the set lost every rep (no rest before any of them).
    // The dip may show only now that the angle has turned back up (it was
    // still falling at the completion, or stayed above the old rest when
    // the new one is higher): looked for again (unknown: kept).
    // In a bouncy chain (chain_open_: the last rep turned at its bottom with
    // no pause) the dip is judged by its shape alone (issue 16, bouncy20):
    // an arrival, the lowering slowing to the floor, then a fall of more than
    // a band below it within the settle (rebound_dip). The levels the other
    // tests compare (the smoothed angle after the rep against its fitted end
    // level, rebound_dipped_) do not tell a rebound from a V-shaped bottom:
    // the 4 Hz smoothing rounds each bottom off by an amount that follows the
    // rep's size and speed (2-5 deg above the floor for a 10 deg shank rep
    // 0.3-0.5 s down and up, a partial's bottom less; quiet-stance sway,
    // 0.3-0.5 deg RMS about the ankle, Loram & Lakie 2002, moves it too), so
    // a smaller rep's bottom after a larger one read 0.5 deg "below" the last
    // end level: the next rise was taken for the rebound's settle and needed
    // half the set's range (fresh dev seeds 513 and 701, shank, and 513 and
    // 710, foot: the set's last partial lost; under quiet stance the rise
    // that broke the chain in the sets traced that lost several reps). A
    // heel turning at the floor (the stretch-shortening cycle couples the
    // lowering into the rise within 0.1-0.25 s, Komi 2000) arrives at its
    // trough, makes no such dip, and has nothing to settle.
    bool dipped = rebound_dipped_;
    if (chain_open_ && t < rebound_until_) {
      std::int64_t k_arr = -1, k_trough = -1;
      if (arrival_and_trough(k_arr, k_trough)) dipped = rebound_dip(k_arr, k_trough);
    } else if (!dipped && t < rebound_until_) {
      std::int64_t k_arr = -1, k_trough = -1;
      dipped = !arrival_and_trough(k_arr, k_trough) || rebound_dip(k_arr, k_trough);
    }
    // After a rep held at its top (not a bouncy chain: chain_open_ false) the
    // heel lands and rests before the next raise (a set's rest on the floor,
    // 0.5-1.5 s, DESIGN.md), so a movement leaving within the rebound window
    // is the rebound's settle even when no dip below the landing level shows:
    // a lowering that runs straight into the 0.1 s dip has its end fitted at
    // the dip's trough, and the settle back up (1-5 deg, plus a rest shift of
    // 1-3 deg, DESIGN.md) then rose from that "floor" and read as a 2 deg rep
    // (whose "lowering" was the next rep's countermovement).
    cur_in_rebound_ = t < rebound_until_ && (dipped || !chain_open_);
    cur_promotable_ = !cur_qualified_ && prev_rep_valid_ && t - tau0_ - prev_end_s_ < kChainGap_s &&
                      std::fabs(cur_.baseline_deg - prev_base_after_) < 0.25 * ref_rom();
    // In a bouncy chain: the first movement after a counted rep
    // (chain_open_), with no rest before it (a rest breaks a chain), from
    // that rep's floor (cur_promotable_). Only such a movement may end as a
    // bump under the minimum excursion without breaking the chain (rising
    // state).
    bump_in_chain_ = chain_open_ && cur_promotable_;
    chain_open_ = false;
    bump_min_ = std::numeric_limits<double>::infinity();
    bump_end_s_ = -1e300;
    cur_.start_s = ep1 - tau0_;  // provisional
    peak_ = peak_ref_ = y;
    t_peak_ = t;
    k_peak_ = newest();
    conc_peak_v_ = 0.0;
    state_ = State::rising;
  }

  // Header, "Rose without turning": the raw angle's change to the newest
  // stepped sample, against the rate's integral (trapezoid) over the same
  // samples, from the start of the rest window the baseline was taken over
  // (rest_window_s before that rest's end; the movement's provisional start
  // can lie after the first part of a slow rise, which the baseline is
  // below), or the movement's start if earlier, but never before the last
  // rep's end (a bouncy chain's rest lies before its earlier reps, and the
  // filter's tilt correction over them is no part of this rise: 2-3 bouncy
  // shank sets of 48 were lost so on seeds 1-8). False when a sample there
  // carries no rate, or the change is within the noise (noise_floor).
  bool rose_without_turning() const {
    const std::int64_t k1 = newest();
    const double rest_s = rest_before_end_ - tau0_ - cfg_.rest_window_s;
    double from_s = rest_s < cur_.start_s ? rest_s : cur_.start_s;
    if (prev_rep_valid_ && from_s < prev_end_s_) from_s = prev_end_s_;  // never into the last rep
    const std::int64_t k0 = lower_bound(from_s);
    if (k1 - k0 < 2) return false;
    double turn = 0.0;
    for (std::int64_t k = k0 + 1; k <= k1; ++k) {
      const Slot& a = at(k - 1);
      const Slot& b = at(k);
      if (!std::isfinite(a.rate) || !std::isfinite(b.rate)) return false;
      turn += 0.5 * (static_cast<double>(a.rate) + b.rate) * (b.t - a.t);
    }
    const double rise = static_cast<double>(at(k1).x) - at(k0).x;
    return rise >= noise_floor() && turn < kTurnShareMin * rise;
  }

  template <int Q>
  void declare_top(double t, EventQueue<Q>& out) {
    const double b = cur_.baseline_deg;
    p_decl_ = peak_;
    // Countermovement: the rise starts from a dip below the rest level (heel
    // pressing down, weight rocking back: 2-6 deg at the foot in the 0.1-0.5 s
    // before heel-off, DESIGN.md) and crosses the rest level at speed. The
    // phase's shape is measured from the dip (where the movement starts);
    // heel-off is where it crosses the rest level (a heel-insole switch's
    // definition, which is what real recordings are judged by).
    double dip = b;
    raw_min(rest_before_end_ - tau0_ - 0.1, t_peak_ - tau0_, dip);
    double from = b;
    if (b - dip > band() && b - dip < 0.5 * (p_decl_ - b)) from = dip;
    // A rise out of a countermovement held into a slow rise (begin_candidate:
    // cur_cm_rest_restored_) starts at the trough, however deep against a
    // partial raise's range (a 5 deg dip under a 7.5 deg partial raise).
    if (cur_cm_rest_restored_ && b - dip > band()) from = dip;
    // The level this rise left (issue 16, held-out bouncy shank sets): the
    // smoothed angle's last minimum before the peak (walking back while it
    // keeps falling). A rise straight from a bouncy rep's bottom turning
    // point, or from a bump's trough (rising state), leaves from the
    // smoothed trough, which the 4 Hz smoothing rounds off 0.2-0.4 deg
    // above the floor (a V-shaped bottom). For a partial raise of 1.5-2.5
    // deg at a shank, the f level of the floor-referenced range lies below
    // that trough: the rise never crosses it, the crossings searched back
    // from the peak ran into the rep before, the concentric lines were fitted
    // on it (a 0.8 s "rise", a top level of 0.5-1.6 deg, a 0.08 s
    // "lowering"), the partial was rejected as a transient and the chain of
    // reps with no rest before them broke: the set lost every rep after it.
    // A rise is measured from where it starts: when that trough lies above
    // the f level, the crossings are those of the range from the trough
    // (the rep's range, rom_deg, stays floor-referenced). Only for a rise
    // that continues a chain (bump_in_chain_: no rest before it, straight
    // after a counted rep, from its floor): after a rest the rise leaves
    // from the rest level, and a slow rise's mid-rise wobble is no start
    // (applied to every rise, it cost seated, wall-sit and slow shank sets
    // 1-3 points each).
    if (bump_in_chain_) {
      std::int64_t k = k_peak_;
      while (k - 1 >= oldest() && at(k - 1).y <= at(k).y) --k;
      const double left = at(k).y;
      if (left > from + frac_[0] * (p_decl_ - from) && left < p_decl_) from = left;
    }
    // Deeper than any countermovement (2-6 deg, DESIGN.md): the dip was a
    // movement of its own (a shank tilting forward at seat-off).
    deep_dip_ = b - dip > kMaxCountermovement_deg + band();
    conc_from_ = from;
    // Coarse crossings of the four levels on the smoothed angle, searched
    // back from the peak (last crossing = final departure), then a local
    // line through the raw samples at each.
    double tc[4];
    k_peak_decl_ = k_peak_;
    const bool ok = coarse_crossings(from, p_decl_, true, k_peak_, t_peak_ - tau0_, tc);
    if (!ok) ++stats_.history_short;
    const double w = fit_half_width((tc[3] - tc[0]) / (1.0 - 2.0 * cfg_.boundary_fraction));
    // The inner crossings sit far from the corners: wider fits, less noise.
    for (int i = 0; i < 4; ++i) {
      conc_[i] = fit_line(tc[i], w);
      conc_tc_[i] = tc[i];
    }
    shape_residuals(conc_, from, p_decl_, true, -1e300, t_peak_ - tau0_, rss_c_);
    shape_c_ = pick_shape(0, rss_c_);
    double on, off;
    conc_bounds(b, p_decl_, on, off);
    cur_.start_s = on;
    // Fell into its rest (header, "Lone movements"): the angle 0.5-1 s
    // before heel-off, well above the rest the rise starts from.
    {
      double m = b;
      fell_in_ = raw_mean(on - kFallInLook_s, on - 0.5 * kFallInLook_s, m) && m - b > kRestShift_deg + band();
    }
    cur_.top_s = off;
    cur_.top_deg = p_decl_;
    cur_.rom_deg = p_decl_ - b;
    cur_.concentric_s = off - on;
    conc_peak_v_ = peak_slope(on, off, velocity_half_width(cur_.concentric_s));
    t_top_decl_ = t;
    state_ = State::top;
    if (cur_qualified_) {
      if (!started_emitted_) {  // started and topped out within one sample of each other
        announce_start(t, out);
      }
      emit(EventType::top_reached, t, cur_, out);
    }
  }

  // Crossing times (raw time axis) of the levels at fractions f, g, 1-g,
  // 1-f of the way from `from` to `to`, in time order, from the smoothed
  // angle in history, searching back from index k_from. Fallbacks keep the
  // order when the history is too short (reported by the caller).
  bool coarse_crossings(double from, double to, bool rising, std::int64_t k_from, double t_fallback,
                        double tc[4]) const {
    const double q[4] = {frac_[0], frac_[1], frac_[2], frac_[3]};
    bool ok = true;
    std::int64_t k = k_from;
    for (int i = 3; i >= 0; --i) {
      double tt;
      std::int64_t kk;
      if (ok && last_crossing(from + q[i] * (to - from), rising, k, tt, kk)) {
        tc[i] = tt;
        k = kk - 1;
      } else {
        ok = false;
        tc[i] = (i == 3) ? t_fallback : tc[i + 1] - 0.05;
      }
    }
    return ok;
  }

  // Phase onset / offset for a given profile shape: the f and 1-f crossing
  // lines give the span D; the shape says which fraction of the phase lies
  // outside it (shape 0 constant velocity: the knee; 1 raised cosine;
  // 2 minimum jerk, whose onset is ~0.49 D before the f crossing).
  void phase_bounds(const Line (&L)[4], double from, double to, bool rising, int shape, double& on,
                    double& off) const {
    const double t0 = cross(L[0], from + frac_[0] * (to - from), rising);
    const double t3 = cross(L[3], from + frac_[3] * (to - from), rising);
    const double uf = uf_[shape];
    const double T = (t3 - t0) / (1.0 - 2.0 * uf);
    on = t0 - uf * T;
    off = on + T;
  }
  // The longest duration any of the profile shapes gives a phase whose f
  // and (1 - f) crossing lines are L[0] and L[3]: the transient test's
  // reading (finalize). The span D between the crossings is what the
  // samples measure; the duration follows only with the shape, D / 0.8 for
  // constant velocity, D / 0.59 for a raised cosine, D / 0.5 for minimum
  // jerk (the profile of voluntary point-to-point movements: Flash & Hogan
  // 1985, J Neurosci 5:1688), and on a quick phase's 12-30 samples the
  // shape's evidence is weak. A quick minimum-jerk lowering of 0.25-0.3 s
  // (DESIGN.md: quick raises lower in 0.25-0.6 s) spans 0.13-0.15 s; read
  // as constant velocity it lasted 0.12-0.16 s and failed the 0.15 s
  // transient test, losing the rep (shank sets under 'auto'). A transient
  // (a heel strike, a stumble) stays under min_eccentric_s whatever its
  // shape: its whole span lies within a few tens of ms.
  double longest_phase_s(const Line (&L)[4], double from, double to, bool rising) const {
    const double t0 = cross(L[0], from + frac_[0] * (to - from), rising);
    const double t3 = cross(L[3], from + frac_[3] * (to - from), rising);
    double T = 0.0;
    for (int k = 0; k < 3; ++k) {
      const double Tk = (t3 - t0) / (1.0 - 2.0 * uf_[k]);
      if (Tk > T) T = Tk;
    }
    return T;
  }
  // Concentric boundaries: the phase runs from conc_from_ (the rest level,
  // or the bottom of a countermovement) to p; heel-off is where its shape
  // crosses the rest level b (bisection on the profile).
  void conc_bounds(double b, double p, double& on, double& off) const {
    phase_bounds(conc_, conc_from_, p, true, shape_c_, on, off);
    if (conc_from_ < b && p > b) {
      const double target = (b - conc_from_) / (p - conc_from_);
      double lo = 0.0, hi = 1.0;
      for (int i = 0; i < 40; ++i) {
        const double mid = 0.5 * (lo + hi);
        (shape_s(shape_c_, mid) < target ? lo : hi) = mid;
      }
      on += 0.5 * (lo + hi) * (off - on);
    }
  }
  // A shape's profile at u = (t - onset) / duration: 0 before, 1 after.
  static double shape_s(int shape, double u) {
    if (u <= 0.0) return 0.0;
    if (u >= 1.0) return 1.0;
    return shape_poly(shape, u);
  }
  // The shapes' profiles on 0 <= u < 1.
  static double shape_poly(int shape, double u) {
    if (shape == 0) return u;
    if (shape == 1) {
      // 0.5 (1 - cos(pi u)) = sin^2(pi u / 2); sin by its Taylor series to
      // x^13 on [0, pi/2] (error < 1e-9): the shape fits evaluate it for
      // every history sample of every phase, and the libm call was ~6 % of
      // the whole IMU chain's time.
      const double x = 1.57079632679489661923 * u, x2 = x * x;
      const double sn =
          x * (1.0 + x2 * (-1.0 / 6 + x2 * (1.0 / 120 + x2 * (-1.0 / 5040 + x2 * (1.0 / 362880 + x2 * (-1.0 / 39916800 + x2 * (1.0 / 6227020800.0)))))));
      return sn * sn;
    }
    return u * u * u * (10.0 + u * (-15.0 + 6.0 * u));
  }
  // Which shape is this phase? Each candidate profile, placed by the same
  // two crossings, is compared with the raw samples over the phase and its
  // tails (mean squared residual, window clipped to [lo, hi]). The tails,
  // where the shapes differ (u^3 versus u^2 versus a corner), carry the
  // evidence; all samples vote, so noise averages out.
  void shape_residuals(const Line (&L)[4], double from, double to, bool rising, double lo, double hi,
                       double rss[3]) const {
    const double t0 = cross(L[0], from + frac_[0] * (to - from), rising);
    const double t3 = cross(L[3], from + frac_[3] * (to - from), rising);
    const double D = t3 - t0;
    double on[3], T[3];
    for (int k = 0; k < 3; ++k) {
      T[k] = D / (1.0 - 2.0 * uf_[k]);
      on[k] = t0 - uf_[k] * T[k];
      rss[k] = 0.0;
    }
    double w0 = t0 - 0.6 * D, w1 = t3 + 0.6 * D;
    if (w0 < lo) w0 = lo;
    if (w1 > hi) w1 = hi;
    if (D > 0.0) shape_evidence(w0, w1, from, to, on, T, rss);
  }
  // The three placed shapes (onsets on[], durations T[]) against the raw
  // samples in [w0, w1]: residual sums of squares as chi-square differences
  // to the best shape (noise variance units: long, large phases carry more
  // evidence than short, small ones); all 0 under 5 samples. rss[] enters as 0.
  void shape_evidence(double w0, double w1, double from, double to, const double (&on)[3], const double (&T)[3],
                      double rss[3]) const {
    // The window's samples: [k0, k_end).
    const std::int64_t k0 = lower_bound(w0);
    const std::int64_t k_end = first_where(k0, newest() + 1, [w1](double t) { return t > w1; });
    const int n = static_cast<int>(k_end - k0);
    // A template value v placed between the phase's levels.
    const auto level = [from, to](double v) { return from + (to - from) * v; };
    if (T[0] > 0.0 && T[1] > 0.0 && T[2] > 0.0) {
      rss[0] = shape_rss<0>(k0, k_end, from, to, on[0], T[0]);
      rss[1] = shape_rss<1>(k0, k_end, from, to, on[1], T[1]);
      rss[2] = shape_rss<2>(k0, k_end, from, to, on[2], T[2]);
    } else {
      double sum[3] = {rss[0], rss[1], rss[2]};
      for (std::int64_t k = k0; k < k_end; ++k)
        for (int sh = 0; sh < 3; ++sh) {
          const double e = at(k).x - level(shape_s(sh, (at(k).t - on[sh]) / T[sh]));
          sum[sh] += e * e;
        }
      for (int sh = 0; sh < 3; ++sh) rss[sh] = sum[sh];
    }
    double best = rss[0];
    for (int sh = 1; sh < 3; ++sh) best = rss[sh] < best ? rss[sh] : best;
    const double var = sigma2_ > 1e-4 ? sigma2_ : 1e-4;
    for (int sh = 0; sh < 3; ++sh) rss[sh] = n >= 5 ? (rss[sh] - best) / var : 0.0;
  }
  // One shape's residual sum over the samples [k0, k_end), onset `on`,
  // duration T > 0 (shape_evidence). The window splits into three runs:
  // before the onset (d = t - on <= 0: the template is 0, as u <= 0), its
  // span, and after it (d >= T: the template is 1, as u >= 1: correctly
  // rounded division is monotonic and 1 is exact). Sample times increase
  // and a rounded difference or product is monotonic, so each run is
  // contiguous and its end is found by binary search instead of a test per
  // sample; the levels outside the span are computed once (the product in
  // from + (to - from) v is exact there). Inside the span u = d / T as d
  // times 1/T (issue 16: a multiplication, within an ulp of the quotient).
  // issue 16, speed22: one loop per shape with the shape a constant, and
  // the span's template values computed in a loop of their own, which the
  // compiler vectorises, then summed in the samples' order: each sum gets
  // the same operations in the same order as the loop over the three
  // shapes with its per-sample tests did (rep_event_hash identical), for
  // ~50 fewer instructions per IMU sample.
  template <int Shape>
  double shape_rss(std::int64_t k0, std::int64_t k_end, double from, double to, double on, double T) const {
    const auto level = [from, to](double v) { return from + (to - from) * v; };
    const double level0 = level(0.0), level1 = level(1.0), inv_T = 1.0 / T;
    // The runs' ends, by binary search on the tests the runs are defined by.
    const std::int64_t k_in = first_where(k0, k_end, [on](double t) { return t - on > 0.0; });
    // The span ends where d >= T or where u = d / T (as d times 1/T) rounds
    // up to 1 (shape_s's clamp): both give the level 1, and both
    // tests are monotonic in t (a correctly rounded difference or product
    // is), so the span's samples are a contiguous run with 0 < u < 1.
    const std::int64_t k_out =
        first_where(k_in, k_end, [on, T, inv_T](double t) { return t - on >= T || (t - on) * inv_T >= 1.0; });
    double sum = 0.0;
    each_piece(k0, k_in, [&](const Slot* p, std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i) {
        const double e = p[i].x - level0;
        sum += e * e;
      }
    });
    // Within the span (0 < u < 1, no clamp) the template values a chunk at
    // a time in a loop without the sum (vectorisable: no branch, no
    // dependence between samples), then summed in order.
    each_piece(k_in, k_out, [&](const Slot* p, std::int64_t n) {
      constexpr std::int64_t kChunk = 32;
      double e[kChunk];
      for (std::int64_t c = 0; c < n; c += kChunk) {
        const std::int64_t m = n - c < kChunk ? n - c : kChunk;
        const Slot* q = p + c;
        for (std::int64_t i = 0; i < m; ++i) e[i] = q[i].x - level(shape_poly(Shape, (q[i].t - on) * inv_T));
        for (std::int64_t i = 0; i < m; ++i) sum += e[i] * e[i];
      }
    });
    each_piece(k_out, k_end, [&](const Slot* p, std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i) {
        const double e = p[i].x - level1;
        sum += e * e;
      }
    });
    return sum;
  }
  // The first index in [lo, hi) whose sample time satisfies pred, a test
  // that, once true, stays true for later samples (hi if none).
  template <class P>
  std::int64_t first_where(std::int64_t lo, std::int64_t hi, P pred) const {
    while (lo < hi) {
      const std::int64_t mid = lo + (hi - lo) / 2;
      if (pred(at(mid).t)) hi = mid; else lo = mid + 1;
    }
    return lo;
  }
  // f(p, n) on the ring's samples [k_a, k_b) as at most two contiguous
  // pieces (n samples from p), in order.
  template <class F>
  void each_piece(std::int64_t k_a, std::int64_t k_b, F&& f) const {
    if (k_b <= k_a) return;
    const std::int64_t i0 = static_cast<std::int64_t>(static_cast<std::uint64_t>(k_a) % HistoryCapacity);
    const std::int64_t n = k_b - k_a, n1 = n < HistoryCapacity - i0 ? n : HistoryCapacity - i0;
    f(hist_ + i0, n1);
    if (n > n1) f(hist_, n - n1);
  }
  // The lowering's onset shape (issue 16): each candidate profile placed by
  // the f and g crossings (t_f, t_g: the first third of the lowering, away
  // from the uncertain level it ends at) and compared with the raw samples
  // from the top (lo) to t_g. Before t_f the shapes differ most: a constant
  // velocity leaves the top level with a corner 0.5 (t_g - t_f) before t_f,
  // a raised cosine as u^2 from 1.25 (t_g - t_f), a minimum jerk as u^3 from
  // 1.9 (t_g - t_f) before it. Returns false (rss untouched) without both
  // crossings.
  bool onset_residuals(const Line (&L)[4], double from, double to, double lo, double& t_f, double& t_g,
                       double rss[3]) const {
    t_f = cross(L[0], from + frac_[0] * (to - from), false);
    t_g = cross(L[1], from + frac_[1] * (to - from), false);
    const double d = t_g - t_f;
    if (!(d > 0.0)) return false;
    double on[3], T[3];
    for (int k = 0; k < 3; ++k) {
      T[k] = d / (ug_[k] - uf_[k]);
      on[k] = t_f - uf_[k] * T[k];
      rss[k] = 0.0;
    }
    double w0 = t_f - 3.0 * d;
    if (w0 < lo) w0 = lo;
    shape_evidence(w0, t_g, from, to, on, T, rss);
    return true;
  }
  // The shape with the least residual, this rep plus the recent reps of the
  // same phase (a person's movement shape is consistent within a set).
  int pick_shape(int which, const double rss[3]) const {
    int best = 0;
    for (int sh = 1; sh < 3; ++sh)
      if (rss[sh] + shape_score_[which][sh] < rss[best] + shape_score_[which][best]) best = sh;
    return best;
  }
  void push_shape(int which, const double rss[3]) {
    for (int sh = 0; sh < 3; ++sh) shape_score_[which][sh] = 0.7 * shape_score_[which][sh] + rss[sh];
  }
  void calibrate_shapes() {
    const double f = cfg_.boundary_fraction, g = cfg_.shape_fraction;
    frac_[0] = f; frac_[1] = g; frac_[2] = 1.0 - g; frac_[3] = 1.0 - f;
    uf_[0] = f;
    ug_[0] = g;
    for (int sh = 1; sh < 3; ++sh) {  // u with shape(u) = f (and g), bisection
      double lo = 0.0, hi = 0.5;
      for (int it = 0; it < 60; ++it) {
        const double u = 0.5 * (lo + hi);
        (shape_s(sh, u) < f ? lo : hi) = u;
      }
      uf_[sh] = 0.5 * (lo + hi);
      lo = 0.0;
      hi = 0.5;
      for (int it = 0; it < 60; ++it) {
        const double u = 0.5 * (lo + hi);
        (shape_s(sh, u) < g ? lo : hi) = u;
      }
      ug_[sh] = 0.5 * (lo + hi);
    }
  }

  template <int Q>
  void begin_lowering(double t, EventQueue<Q>& out) {
    state_ = State::lowering;
    t_lower_detect_ = t;
    low_anchor_ = peak_;
    low_still_start_ = t;
    low_min_ = peak_;
    t_low_min_ = t;
    low_max_ = -1e300;
    if (cur_qualified_) emit(EventType::lowering_started, t, cur_, out);
  }

  double fit_half_width(double phase_s) const {
    double w = 0.05 * phase_s;
    const double wmin = 1.5 * dt_nom_;
    if (!(w > wmin)) w = wmin;
    if (w > 0.3) w = 0.3;
    return w;
  }

  // The level the lowering arrived at (issue 16: slow tempo). The rest
  // after a rep lies up to kRestShift_deg (3 deg) from the rest before it
  // (DESIGN.md "What real movement looks like"); a lowering aimed at the old
  // baseline has its (1 - f) crossing on the flat tail of the approach to a
  // higher rest, or in the rebound's dip after contact, and the end fitted
  // through it comes up to a third of the lowering late (3-4 s tempo
  // lowerings: 0.7-1 s; the next rep's countermovement then falls in the
  // rebound window and its dip is taken for the rest before it). Every
  // lowering profile (constant velocity, raised cosine, minimum jerk) comes
  // to a stop at heel contact; the rebound then drops the angle to a trough.
  // The arrival is where the smoothed angle moves slowest between the
  // (1 - g) crossing and that trough. When it lies more than a band above
  // the level aimed at, within the rest shift, the crossings are measured
  // again towards it.
  // The lowering's arrival and the trough after it (history indices), from
  // the lowering's (1 - g) crossing to the newest sample; false when the
  // history holds too little of it.
  bool arrival_and_trough(std::int64_t& k_arr, std::int64_t& k_trough) const {
    const std::int64_t k0 = lower_bound(tecc_[2] + tau0_);
    if (k0 < oldest() || k0 + 2 > newest()) return false;
    k_trough = k0;
    for (std::int64_t k = k0; k <= newest(); ++k)
      if (at(k).y < at(k_trough).y) k_trough = k;
    // Speed over kArrivalSpan_s (per-sample differences would be dominated
    // by time-stamp jitter at 200 Hz); the arrival is the span's end.
    std::int64_t m = static_cast<std::int64_t>(kArrivalSpan_s / dt_nom_ + 0.5);
    if (m < 1) m = 1;
    double best_v = -1e300;
    k_arr = -1;
    for (std::int64_t k = k0 + m; k <= k_trough; ++k) {
      const double v = (at(k).y - at(k - m).y) / (at(k).t - at(k - m).t);
      if (v > best_v) { best_v = v; k_arr = k; }
    }
    return k_arr >= 0;
  }
  // The rebound's dip after the arrival: deeper than the band, within
  // kReboundSettle_s of it. A heel turning at the floor (a bouncy set's
  // bottom) arrives at its trough: no dip.
  bool rebound_dip(std::int64_t k_arr, std::int64_t k_trough) const {
    return at(k_arr).y - at(k_trough).y > band() && at(k_trough).t - at(k_arr).t <= kReboundSettle_s;
  }
  void refine_end_level() {
    rebound_seen_ = false;
    const double aim = b_ecc_, range = p_ecc_ - b_ecc_;
    if (!(range > 0.0)) return;
    std::int64_t k_arr = -1, k_trough = -1;
    if (!arrival_and_trough(k_arr, k_trough)) return;
    const double level = at(k_arr).y;
    // Only a lowering that has ended: the rebound's dip has turned back up.
    const bool rebound = rebound_dip(k_arr, k_trough) && at(newest()).y > at(k_trough).y + 0.5 * band();
    rebound_seen_ = rebound;
    if (!(rebound && level - aim > band() && level - aim <= kRestShift_deg + band() &&
          level - aim < kArrivalMaxFraction * range))
      return;
    double tc[4];
    if (!coarse_crossings(p_ecc_, level, false, k_arr, 0.0, tc)) return;
    for (int i = 0; i < 4; ++i) tecc_[i] = tc[i];
    b_ecc_ = level;
    we_ = fit_half_width((tc[3] - tc[0]) / (1.0 - 2.0 * cfg_.boundary_fraction));
  }

  // The lowering has reached (1 - f) of the way down to level b.
  void begin_finishing(double t, double b) {
    double tc[4];
    // Falling: levels in time order go from the top towards b.
    bool ok = coarse_crossings(peak_, b, false, newest(), t - tau0_, tc);
    double from = peak_;
    // A lowering after a sagging hold (issue 16, DESIGN.md: single-leg
    // holds sag 1-3 deg as the calf tires, and a sag of up to a quarter of
    // the range stays a hold): the levels measured from the hold's peak
    // (its first seconds, or a wobble's crest) are crossed by the sag
    // itself, the f crossing seconds to tens of seconds before the
    // lowering, and the hold read as over early (a 35 s single-leg hold
    // measured as 7 s: no isometric hold, and at a shank, under
    // lone_min_rom_deg, dropped). The lowering is where the angle last
    // left the top quarter of the range (sag_level): for every profile
    // shape a lowering takes less time from its f level down to that
    // quarter level than from there to its (1 - f) level (constant
    // velocity 0.15 vs 0.65 of the phase, raised cosine 0.13 vs 0.46,
    // minimum jerk 0.14 vs 0.39), and its onset lies less than that later
    // span before the quarter crossing (0.38, 0.72, 0.92 of it). An f
    // crossing further back than that span is not this lowering's: the
    // crossings are then measured from the level the hold ended at, the
    // mean of the kHoldEndWindow_s before that bound.
    if (ok) {
      const double sag_level = peak_ - kHoldSagMaxFraction * (peak_ - b);
      double t_q;
      std::int64_t k_q;
      if (last_crossing(sag_level, false, lower_bound(tc[3] + tau0_), t_q, k_q)) {
        const double span = tc[3] - t_q;
        double m;
        if (span > 0.0 && tc[0] < t_q - span &&
            raw_mean(t_q - span - kHoldEndWindow_s, t_q - span, m) && m > sag_level && m < peak_) {
          // The lowest level searched stays the one just crossed (the
          // (1 - f) level from the peak, which started this finishing): the
          // levels from m lie lower and the lowest may not be crossed yet.
          // The coarse times only centre the line fits; finalize() applies
          // the levels from m to b on the fitted lines.
          const double q3 = frac_[3];
          const double crossed = peak_ + q3 * (b - peak_);
          const double to = m + (crossed - m) / q3;
          double tq[4];
          if (coarse_crossings(m, to, false, newest(), t - tau0_, tq)) {
            for (int i = 0; i < 4; ++i) tc[i] = tq[i];
            from = m;
          }
        }
      }
    }
    if (!ok) ++stats_.history_short;
    for (int i = 0; i < 4; ++i) tecc_[i] = tc[i];
    p_ecc_ = from;
    b_ecc_ = b;
    const double D = tc[3] - tc[0];
    we_ = fit_half_width(D / (1.0 - 2.0 * cfg_.boundary_fraction));
    end_coarse_ = tc[3] + D * uf_[0] / (1.0 - 2.0 * uf_[0]);  // constant-velocity knee: the earliest end
    trough_ = at(newest()).y;
    t_trough_ = t;
    next_rise_ = false;
    finish_at_ = end_coarse_ + cfg_.settle_s;
    if (tc[3] + we_ > finish_at_) finish_at_ = tc[3] + we_;
    state_ = State::finishing;
  }

  // may_wait: the fitted end may still lie ahead of t (a smooth lowering's
  // tail); then the completion waits until the stream has reached it.
  template <int Q>
  void finalize(double t, EventQueue<Q>& out, bool may_wait) {
    save_finalize_entry();
    refine_end_level();
    const double b = cur_.baseline_deg;
    Line ecc[4];
    for (int i = 0; i < 4; ++i) ecc[i] = fit_line(tecc_[i], we_);
    const double p0 = p_ecc_;
    double s, top, lo, en;
    conc_bounds(b, p0, s, top);
    double rss_e[3];
    shape_residuals(ecc, p0, b_ecc_, false, top, t, rss_e);
    int shape_e = pick_shape(1, rss_e);
    auto bounds = [&](double p, double be) {
      conc_bounds(b, p, s, top);
      phase_bounds(ecc, p, be, false, shape_e, lo, en);
    };
    bounds(p0, b_ecc_);
    // Baseline after the rep (drift-robust level for the lowering): the raw
    // samples since the provisional end.
    double be = b_ecc_;
    double m;
    // Never below the level the lowering aimed at: right after contact the
    // rebound (1-5 deg past rest, DESIGN.md) pulls the mean down. Only the
    // samples before the next movement: when the lowering turned straight
    // back up (a bouncy set's bottom turning point, the next raise 0.3-0.5 s
    // up, issue 16) or a new rise ended the wait, the samples after the
    // trough are that rise, and their mean (a fifth to a third of the range
    // up) is no resting level: taken for one, it timed this rep's heel contact early (the
    // (1 - f) crossing of a range cut short) and lifted the floor that the
    // next rep must start from (chain_floor_), so a bouncy set lost every
    // rep after it.
    const double be_until = next_rise_ ? t_trough_ - tau0_ : t;
    if (raw_mean(en + 0.04, be_until, m) && m > be) be = m;
    // Top level: mean of the hold plateau; without a hold, the mean of the
    // raw samples around the peak (a smooth top) blended towards where the
    // rising and falling lines meet (a sharp top), by the phases' shape.
    double p = p0;
    const double hold = lo - top;
    if (hold > 0.06) {
      double margin = 0.25 * hold;
      if (margin > 0.05) margin = 0.05;
      double h0 = top + margin;
      if (h0 < at(oldest()).t) h0 = at(oldest()).t;
      if (raw_mean(h0, lo - margin, m)) p = m;
    } else {
      const double tp = 0.5 * (top + lo);
      double hw = 0.03 * (en - s);
      if (hw < 1.5 * dt_nom_) hw = 1.5 * dt_nom_;
      double pk = p0;
      if (raw_mean(tp - hw, tp + hw, m)) pk = m;
      p = pk;
      const Line& a1 = conc_[3];
      const Line& a2 = ecc[0];
      if (a1.ok && a2.ok && a1.b > 0.0 && a2.b < 0.0) {
        const double ti = (a2.a - a1.a + a1.b * a1.tc - a2.b * a2.tc) / (a1.b - a2.b);
        const double pi = a1.a + a1.b * (ti - a1.tc);
        // A sharp top (constant-velocity phases) is where the lines meet; a
        // smooth top is the peak itself.
        const double wsharp = 0.5 * ((shape_c_ == 0 ? 1.0 : 0.0) + (shape_e == 0 ? 1.0 : 0.0));
        if (pi > pk && pi < p0 + 0.5 * (p0 - b)) p = pk + wsharp * (pi - pk);
      }
    }
    // The concentric was measured at the top declaration with the peak then
    // known; a slow, smooth rise may still have been creeping up. Re-measure
    // it with the final top level while the history still holds it.
    {
      double tc[4];
      // Search back from where the lowering crossed its first level.
      std::int64_t k_from = lower_bound(tecc_[0] + tau0_);
      if (k_from > newest()) k_from = newest();
      if (k_from > k_peak_decl_ && coarse_crossings(conc_from_, p, true, k_from, 0.0, tc)) {
        const double w = fit_half_width((tc[3] - tc[0]) / (1.0 - 2.0 * cfg_.boundary_fraction));
        Line L[4];
        for (int i = 0; i < 4; ++i) L[i] = fit_line(tc[i], w);
        // Same rise (not a neighbour's): crossings near the first measurement.
        const double span = conc_tc_[3] - conc_tc_[0];
        bool ok = L[0].ok && L[3].ok && span > 0.0 && std::fabs(tc[0] - conc_tc_[0]) < 0.5 * span &&
                  std::fabs(tc[3] - conc_tc_[3]) < 0.5 * span;
        if (ok) {
          for (int i = 0; i < 4; ++i) conc_[i] = L[i];
          shape_residuals(conc_, conc_from_, p, true, -1e300, top, rss_c_);
          shape_c_ = pick_shape(0, rss_c_);
        }
      }
    }
    // The lowering's shape, judged with the final levels (a top level off by
    // a noise SD would favour the flatter template).
    shape_residuals(ecc, p, be, false, top, t, rss_e);
    shape_e = pick_shape(1, rss_e);
    bounds(p, be);
    // The lowering's onset, judged on its first third only (issue 16). The
    // shape read from the whole lowering is skewed by what follows heel
    // contact: the rest after the rep shifted 1-3 deg from the one before
    // (the end level, and with it the (1 - f) crossing and the templates'
    // span, off by up to a sixth of a 20 deg range) and the rebound's dip
    // (1-5 deg past rest, DESIGN.md "What real movement looks like"). A
    // minimum-jerk lowering read as a raised cosine then had its onset
    // placed (uf_mj - uf_cos) T ~ 0.07 T late, 0.2 s on a 3 s lowering (a
    // cosine read as minimum jerk ~0.08 T early, as constant velocity up to
    // 0.18 T late). Measured on simulated realistic lowerings with 0.2 deg
    // noise: without the rest's shift the whole-lowering onset was within
    // 22 ms (p95), with it 489 ms (RepsVsSim.LoweringStartOnRealistic-
    // Lowerings). The tail that tells the shapes apart at the onset (u^3
    // versus u^2 versus a corner leaving the top level) lies between the
    // hold and the g crossing, where neither acts: the onset's shape is
    // chosen there (its own evidence over the recent reps) and the onset
    // extrapolated from the f and g crossings; the end keeps the whole
    // lowering's.
    double rss_on[3] = {0.0, 0.0, 0.0};
    {
      // The level the lowering leaves: the end of the hold, not its mean. A
      // long hold sags 1-3 deg as the calf tires (DESIGN.md, single-leg
      // holds): the plateau's mean then lies above where the lowering
      // starts, and its f level (a tenth of the range below) is crossed by
      // the sag itself, seconds before the lowering. Measured over the last
      // second of the hold, up to kOnsetGuard_s before the onset found from
      // the whole lowering (its error is a fraction of that).
      double from = p;
      Line on_lines[4] = {ecc[0], ecc[1], ecc[2], ecc[3]};
      if (lo - top > kOnsetGuard_s + kHoldEndWindow_s && raw_mean(lo - kOnsetGuard_s - kHoldEndWindow_s, lo - kOnsetGuard_s, m) &&
          std::fabs(m - p) > band()) {
        from = m;
        double tc[4];
        std::int64_t k_from = lower_bound(tecc_[3] + tau0_);
        if (k_from > newest()) k_from = newest();
        if (coarse_crossings(from, be, false, k_from, 0.0, tc))
          for (int i = 0; i < 2; ++i) on_lines[i] = fit_line(tc[i], we_);
      }
      // Only after a hold: without one (a bouncy set's turning point) the
      // onset is the top itself, where the rising and falling phases meet
      // (the top's rules above), and there is no plateau to read a shape's
      // departure from.
      double t_f, t_g;
      if (lo - top >= kOnsetGuard_s && onset_residuals(on_lines, from, be, top, t_f, t_g, rss_on)) {
        const int shape_on = pick_shape(2, rss_on);
        const double lo_on = t_f - uf_[shape_on] * (t_g - t_f) / (ug_[shape_on] - uf_[shape_on]);
        // The shapes' onsets, placed by the same f and (1 - f) crossings
        // (span D), lie at most (uf/(1 - 2 uf) of minimum jerk minus that of
        // constant velocity) ~0.36 D apart: an onset further than D from the
        // whole lowering's is not this lowering's (an f crossing on a hold's
        // sag or wobble) and is not taken.
        // And the f and g lines must be measured apart (their fits, +/- we_,
        // not sharing samples): on a quick lowering of a few samples they
        // are not, and the extrapolation (~3x their timing error) would add
        // more error than the shape's (~0.08 of a 0.3-0.6 s phase) it removes.
        const double D = tecc_[3] - tecc_[0];
        // Never before the top (timed on the rise, within a few ms on the
        // grid): the onset only moves within the hold.
        if (std::fabs(lo_on - lo) <= D && t_g - t_f >= 2.0 * we_) lo = lo_on > top ? lo_on : top;
      }
    }
    if (lo < top) { const double mid = 0.5 * (top + lo); top = lo = mid; }
    // Rep table invariants for every input (issue 16): start <= top <=
    // lower_start <= end, no overlap with the previous rep (so rest_s >= 0).
    // Fits on odd input may place a boundary outside; clamp it to its
    // neighbours. (end <= completed_at: the end is measured on samples
    // already received.)
    if (prev_rep_valid_ && s < prev_end_s_) s = prev_end_s_;
    // Nor before the stream (or its restart after a gap): a rise already
    // under way at the first sample is extrapolated back past it (found by
    // the property test, tests/python/test_rep_invariants.py).
    if (s < stream_start_) s = stream_start_;
    if (top < s) top = s;
    if (lo < top) lo = top;
    if (en < lo) en = lo;
    // end_s <= completed_at_s: a rep is reported only once the stream has
    // reached its end. The settle wait is timed from the constant-velocity
    // knee, the earliest end any profile has; a smooth (minimum-jerk,
    // raised-cosine) lowering's fitted end lies up to ~0.25 of the phase
    // later. Completing early with an extrapolated end would put a time in
    // the table that nothing has yet measured; clamping it to now would
    // bias the end early by up to a quarter of the lowering. So the
    // completion waits for the fitted end (latency after the true end then
    // stays ~ the fit error, tens of ms), at most kEndWaitMax_s; a new rise
    // or the wait running out ends the rep at the last sample seen.
    // A lowering that turned back up before its fitted end (issue 16,
    // bouncy sets: 0.3-0.5 s up and down with no pause at the top or the
    // bottom, docs/heel_raises.md): the end fitted towards the level it aimed
    // at (the rep's baseline) lies past the moment its velocity crossed zero,
    // which is where the heel met the floor and the next rise began (a
    // lowering is one movement down; the reversal's trough is the boundary,
    // not a later still rest). When the smoothed angle still crossed the f
    // level above the floor at its very minimum, the bottom-turn rule of the
    // lowering state never saw the turn; the end was then clamped to the
    // completion, up to 0.17 s after the trough, and the next rise, by then
    // part-way up, was lost (dev seeds 97-160, shank: the last rep of a set
    // on seeds 98 and 122). So: a lowering without a top pause (under
    // kLoneTopPause_s, as the bottom-turn rule requires) whose raw angle has
    // risen by more than the stillness band (the angle's noise tolerance:
    // less is no movement) above its minimum since the onset ends at that
    // minimum, at that level. Only an end that would lie in the future is
    // moved: an end already reached is measured, not extrapolated.
    // The minimum is the raw angle's, not the smoothed one's: measured on
    // bouncy sets (fresh dev seeds 97-224, 652 ends this rule set, foot
    // sessions counted under 'auto' and told 'foot'; the trough time
    // against the simulator's heel contact) the raw minimum's error is
    // median 3.7 ms, p95 15 ms, max 31 ms, and at four times the simulated
    // gyro and accelerometer noise median 4.0, p95 15, max 28 ms (325 ends,
    // seeds 161-224): the sensor noise does not measurably move it. The
    // smoothed angle's minimum (less its group delay) did no better (p95
    // 14 / 15 ms, max 37 ms), a parabola fitted to the raw samples within
    // 0.1 s of it neither (p95 15 ms), and the grid's exact sets were the
    // same with it (docs/heel_raises.md, "The bouncy trough's noise").
    if (en > t && t_lower_detect_ - t_top_decl_ < kLoneTopPause_s) {
      double x_min = 0.0, t_min = lo;
      bool any = false;
      for (std::int64_t k = lower_bound(lo); k <= newest(); ++k)
        if (!any || at(k).x < x_min) {
          x_min = at(k).x;
          t_min = at(k).t;
          any = true;
        }
      if (any && t_min > lo && at(newest()).x - x_min > band()) {
        en = t_min;
        if (be < x_min) be = x_min;
      }
    }
    if (en > t) {
      if (may_wait && t - end_coarse_ < kEndWaitMax_s) {
        finish_at_ = en;
        return;
      }
      en = t;
      if (lo > en) lo = en;
      if (top > lo) top = lo;
      if (s > top) s = top;
    }

    Rep& r = cur_;
    r.start_s = s;
    r.top_s = top;
    r.lower_start_s = lo;
    r.end_s = en;
    r.concentric_s = top - s;
    r.hold_s = lo - top;
    r.eccentric_s = en - lo;
    r.top_deg = p;
    r.rom_deg = p - b;
    r.concentric_mean_dps = r.concentric_s > 0 ? r.rom_deg / r.concentric_s : 0.0;
    r.eccentric_mean_dps = r.eccentric_s > 0 ? (p - be) / r.eccentric_s : 0.0;
    r.concentric_peak_dps = conc_peak_v_;
    r.eccentric_peak_dps = peak_slope(lo, en, velocity_half_width(en - lo));
    r.hold_peak_dps = r.hold_s > 0.5 ? peak_slope(top + 0.2, lo - 0.2, 0.1) : 0.0;
    r.heel_rise_m = heel_rise_height_m(r.rom_deg, cfg_.mtp_to_ankle_m, cfg_.ankle_height_m);
    r.work_j = heel_rise_work_j(r.heel_rise_m, cfg_.body_mass_kg);
    r.isometric = r.hold_s >= cfg_.isometric_hold_min_s;
    r.rest_s = 0.0;
    r.rest_known = false;

    // Physiological plausibility: no heel raise turns the foot more than
    // kMaxRom_deg (ankle plantar flexion 40-56 deg, Soucie et al. 2011,
    // Haemophilia 17:500, plus the forefoot's share: DESIGN.md gives 5-60 deg
    // at the foot) nor rises faster than kMaxRiseRate_dps (fast raises peak
    // near 240 deg/s, DESIGN.md): 900 deg "reps" of pedalling or a spinning
    // sensor are rejected, not counted.
    const bool plausible = r.rom_deg <= kMaxRom_deg && r.concentric_peak_dps <= kMaxRiseRate_dps;
    // Carried on a crank (header, "Carried movements"): the sensor rose and
    // fell by more than any heel raise lifts it, with accelerations a heel
    // raise of that size could not have.
    const bool carried = carried_movement(s, en);
    // A stride, not a raise (header, "Strides"): the movement ends at a heel
    // strike without having held its top (toe-off runs into swing, swing
    // into heel strike).
    const bool stride = r.hold_s < kLoneTopPause_s && (heel_strike_near(en) || carried_away(en));
    // A rise faster than min_eccentric_s is a transient (toe-off, a kick),
    // as a lowering that fast is (quick raises rise in 0.25-0.6 s, DESIGN.md).
    // Bouncy sets (issue 16): a movement with no rest before it counts when
    // it leaves the floor straight from the last rep's heel contact (its
    // fitted start within kBouncyGap_s of that rep's end, at the same floor
    // level: cur_promotable_) and comes back down without swinging below
    // its start (the undershoot check of the finishing state passed). The
    // heel cannot sink below the floor it stands on, so a continuous set
    // turns at the floor level; gait and pedalling swing as far below their
    // start as above it and are rejected by that check, fidgets and
    // sit-to-stand have no rep ending right before them. It must start
    // where the rep before started (chain_floor_, within a quarter of the
    // range like cur_promotable_): a heel comes back to its floor, while a
    // pedalling foot's rocking turns 10-20 deg (half its range) below the
    // level it rose from, and would otherwise chain on its own troughs.
    // The range is the larger of the recent reps' median and the range of
    // the rep this one follows (chain_rom_): the median still holds an
    // earlier set's smaller reps when a bouncy set starts, while the
    // measured floor of a fast set moves with the set's own scale: on a
    // shank under 'auto' it stepped up 1.3-1.8 deg within reps of 9-11 deg
    // (13-18 %, seen at the raw turning point; the angle is the orientation
    // filter's tilt, which a quick raise's acceleration can pull: cause not
    // isolated), over a quarter of a stale 5-6 deg median: the set lost
    // every rep after that one. A rocking foot's troughs (half its own
    // range below) still fail a quarter of that range.
    const double floor_scale = std::fmax(ref_rom(), chain_rom_);
    // The gap is timed from the last rep's end, or from the trough of a
    // bump that ended inside the chain after it (rising state, bump_end_s_).
    const double chain_end_s = std::fmax(prev_end_s_, bump_end_s_);
    const bool bouncy = !cur_qualified_ && cur_promotable_ && prev_rep_valid_ && r.start_s - chain_end_s <= kBouncyGap_s &&
                        std::fabs(b - chain_floor_) < 0.25 * floor_scale;
    // The foot's excursion that the sensor's lift shows when it rose on the
    // MTP arc above the ankle (a shank sensor: header, "Lift"), 0 otherwise;
    // measured now or, when the rise has left the history (a long hold),
    // when the hold began (top state). A movement whose lift is a heel
    // raise's (lifted_raise) is judged on that range by the lone rules
    // (small, posture change) and the minimum excursion, in the foot degrees
    // they are written in: at a shank under 'auto' the angle is the shank's
    // 0.2-0.3x, and quiet-stance sway about the ankle (0.3 deg RMS: Loram &
    // Lakie 2002) then moved rests and tops of those small angles enough to
    // drop real raises.
    double lift_k = std::numeric_limits<double>::quiet_NaN();
    double lift_rom = lift_foot_rom_deg(r.start_s, r.top_s, r.rom_deg, lift_k);
    if (std::isnan(lift_rom)) {
      lift_rom = cur_lift_rom_ >= 0.0 ? cur_lift_rom_ : 0.0;
      lift_k = cur_lift_rom_ >= 0.0 ? cur_lift_k_ : std::numeric_limits<double>::quiet_NaN();
    }
    // A shank's top sways about the ankle (header, "Sway on a raised
    // shank's top"): a rise that had lifted the sensor as a heel raise and
    // rose on by no more than the sway's reach is one raise, judged on the
    // lift of its own rise (the later window takes in the sway's rotation
    // without lift, and its slope falls under a raise's).
    bool stair = stair_rise_;
    if (stair && !std::isnan(stair_lifted_top_deg_) && p_decl_ - stair_lifted_top_deg_ <= kSwayReach_deg) {
      stair = false;
      if (!(lift_rom >= stair_lift_rom_)) {
        lift_rom = stair_lift_rom_;
        lift_k = stair_lift_k_;
      }
    }
    const bool lifted_raise = lift_rom > 0.0 && lift_rom >= cfg_.lone_min_rom_deg;
    // Its lift per radian is a shank raise's, however noisy (held small
    // movements, below).
    const bool lift_like_raise = lift_k >= kShankLiftMin_m_per_rad && lift_k <= kShankLiftMax_m_per_rad;
    const bool small = r.rom_deg < cfg_.lone_min_rom_deg && !lifted_raise;
    // A rep-sized movement is judged on the longest duration any profile
    // shape gives each phase (longest_phase_s): the shape fitted on a quick
    // phase's few samples may be wrong, a transient's span is short under
    // every shape. A small one (under lone_min_rom_deg: the size of
    // fidgets, 2-4 deg, and toe taps, DESIGN.md) keeps its fitted
    // durations: small movements count only on stronger evidence (header,
    // "Lone movements"), and a toe tap's quick dip read as a smooth
    // lowering completed a fidget "rep" (non-raise fidgets, 50 Hz).
    const double conc_s = small ? r.concentric_s : std::fmax(r.concentric_s, longest_phase_s(conc_, conc_from_, p, true));
    const double ecc_s = small ? r.eccentric_s : std::fmax(r.eccentric_s, longest_phase_s(ecc, p, be, false));
    // The rest shift: how far from the level it left the movement came to
    // rest (posture_change below). A rep whose rest was a dip held >
    // kCmDipHold_s just below an earlier rest (taken for a new, lower rest)
    // and that lands back within a rest shift of that earlier rest did not
    // change posture: the dip was its countermovement, held longer because
    // the rise out of it was slow (a 2 s rise's first 0.3 s climbs < 0.2
    // deg: still to the band). The rest shift is judged from the nearer of
    // the two levels.
    double rest_shift = std::fabs(be - b);
    if (cur_dip_left_level_ != kNoLevel && std::fabs(be - cur_dip_left_level_) < rest_shift)
      rest_shift = std::fabs(be - cur_dip_left_level_);
    // The limit is a rest's physiological shift (kRestShift_deg, 1-3 deg,
    // DESIGN.md) plus the tolerance its two measured levels carry: each is
    // a rest's level, known to the stillness band (band(): the angle's
    // noise and drift tolerance, within which a rest counts as still), as
    // the other rest-shift tests take it (fell_in_, the rebound's level,
    // the contact's settle: kRestShift_deg + band()). Without it a set's
    // first raise whose rest moved the full 3 deg read as a posture change
    // at 3.0-3.3 deg and was dropped (issue 16, fresh dev seeds 97-224:
    // step foot seeds 200 and 125, single-leg hold foot seed 187). The
    // same limit bounds the overshoot and rose_again below (the rise's peak
    // and the lowering's high point, each read against the held top with
    // the same band's noise); their share of cellsA18's change was not
    // measured separately (review18).
    const double shift_max = std::fmax(kRestShift_deg + band(), kRestShiftMaxFraction * r.rom_deg);
    // A held top is no transient (header, "Held tops in a set", issue 16,
    // between17): the lowering's transient test (min_eccentric_s) is waived
    // for a movement that held still at its top for kLoneTopPause_s, came
    // back to the floor it left (within a rest shift), and started within
    // the set's rhythm after a counted rep (kLoneGap_s; a small one within
    // small_chain_gap_s, as it must to be in a set at all), with no movement
    // held back (n_held_: the rep before was counted, not a fidget waiting
    // for a set) and not an isometric hold (a weight shift held for 20-40 s
    // and shifted back quickly is a fidget's: non-raise fidgets went 0.7 ->
    // 2.4 false reps per hour without these two). What the test
    // rejects are impacts (a heel strike, a stumble), whose energy lies
    // within 10-30 ms (heel-strike transients: Whittle 1999, Gait Posture
    // 10:264; heel-pad compression in tens of ms: Gefen et al. 2001, J
    // Biomech 34:1661): nothing that lasts that short holds a level for
    // 0.4 s. The lowering of such a rep measured under 0.15 s is the fit on
    // a quick phase's few samples (a 0.27-0.34 s lowering, 13-17 samples at
    // 50 Hz, read as 0.12-0.13 s on a shank: fresh dev seeds, 'activity
    // between sets' and 'step' shank), not the movement. Its mean speed must
    // still be one a heel can lower at (kMaxRiseRate_dps).
    // In the set by the same rest limit as every other small-rep test (the
    // set's tempo: small_chain_gap_s(tempo_s_)).
    const double gap_in_set_s = small ? small_chain_gap_s(tempo_s_) : kLoneGap_s;
    const bool held_top_in_set = prev_rep_valid_ && (n_held_ == 0 || held_await_) && !r.isometric && r.start_s - prev_end_s_ <= gap_in_set_s &&
                                 r.hold_s >= kLoneTopPause_s && rest_shift <= shift_max && ecc_s > 0.0 &&
                                 r.rom_deg / ecc_s <= kMaxRiseRate_dps;
    bool accept = (cur_qualified_ || bouncy) && plausible && !carried && !stride &&
                  std::fmax(r.rom_deg, lift_rom) >= set_min_excursion(r.start_s, r.top_s) &&
                  conc_s >= cfg_.min_eccentric_s && (ecc_s >= cfg_.min_eccentric_s || held_top_in_set);
    // A movement under min_excursion_deg that only the set's partial-raise
    // minimum admits (set_min_excursion) must be a deliberate raise: paused
    // at the top for kLoneTopPause_s (the shortest deliberate hold, 0.5 s,
    // DESIGN.md, less the boundary error). A wobble or a rebound's settle
    // within a set's rest (a 1.1 deg, 0.2 s rise with no top at a
    // single-leg hold's shank) does not pause there.
    // Or one at the tempo of a set that pauses at the top (issue 16): the
    // last rep paused there (prev_paused_) and this one lasts, heel-off to
    // heel contact, at least kTempoFloor of the set's tempo (tempo_s_). A
    // set repeats one movement at one tempo, its counted-out hold included:
    // timed intervals are reproduced with a CV of 5-15 % (Grondin 2010), so
    // (within two CVs of the mean) a rep lasts at least 1 - 2 x 0.15 = 0.70
    // of the set's mean and the longest at most 1 + 2 x 0.15 = 1.30 of it:
    // at least 0.70 / 1.30 = 0.54 of the set's longest (tempo_s_), and a
    // partial raise of a set that pauses pauses too. A small
    // raise's top at a shank (1-2 deg) lies within the rest band's noise,
    // and its hold read 0-0.2 s for a true 0.6-1.9 s (seated shank); a
    // wobble's 0.2 s rise and return lasts well under half of a set's 3-8 s
    // reps. A bouncy set (no pause) gets no such exception: a train of
    // sub-minimum bumps at its tempo stays no reps
    // (RepsGait.BumpTrainEndsTheBouncyChain).
    const bool at_tempo = prev_rep_valid_ && prev_paused_ && r.end_s - r.start_s >= kTempoFloor * tempo_s_;
    if (std::fmax(r.rom_deg, lift_rom) < cfg_.min_excursion_deg && r.hold_s < kLoneTopPause_s && !at_tempo) accept = false;
    const bool lone_rules = cfg_.lone_min_rom_deg > 0.0;
    // Overshoot: the rise peaked well above the level it then held (the
    // shank's forward tilt on the way to standing), beyond a hold's sag.
    const double overshoot = p_decl_ - p;
    // Rose again after the lowering began, above the rise's peak (the
    // shank tilting forward to sit down after a standing "hold"), beyond
    // what a hold's wobble or sag brings back (low_max_: see there).
    const bool rose_again = low_max_ - p_decl_ > shift_max;
    // A wobbling hold's top rises on (header, "A wobbling hold's top rises
    // on"): an isometric hold that wobbled as a single-leg hold does and
    // came back to the rest it left is no staircase of weight shifts.
    const bool stair_change = stair && !(r.isometric && rest_shift <= shift_max && wobbling_hold(r.top_s, r.lower_start_s));
    // No posture change lifts the sensor like a heel raise (header, "Lift").
    const bool posture_change = lone_rules && !lifted_raise && (rest_shift > shift_max || fell_in_ || deep_dip_ ||
                                               stair_change || overshoot > shift_max || rose_again);
    // Held small movements are not a set yet: a full-sized one after them,
    // with no counted rep within kLoneGap_s before the chain, is judged as
    // lone (a weight shift running into a heel lift must not confirm a
    // fidget).
    if (accept && posture_change && n_held_ > 0 && held_small_ && !small &&
        !(held_[0].prev_valid && r.start_s - held_[0].prev_end_s <= kLoneGap_s))
      accept = false;
    // Strides (header): a movement that did not hold its top, accepted on
    // the samples so far, is judged for a heel strike on the whole loading
    // response after its heel contact: the verdict waits (at most
    // kLoadingResponse_s after the end) for an impact not yet received.
    if (accept && !resolving_ && r.hold_s < kLoneTopPause_s && t < en + kLoadingResponse_s &&
        std::isfinite(at(newest()).acc) && !impact_span_passed(lo, newest())) {
      restore_finalize_entry();
      pend_ = true;
      pend_t_ = t;
      pend_k_ = newest();
      pend_may_wait_ = may_wait;
      pend_en_ = en;
      pend_lo_ = lo;
      pend_until_ = en + kLoadingResponse_s;
      pend_tprev_ = t_prev_;
      pend_yprev_ = y_prev_;
      pend_n_ = 0;
      return;
    }
    // A raise that counts as full-sized by its lift alone confirms held small
    // movements only when each of them rose like a raise too (the slope of a
    // shank raise, lift_like_raise): quiet-stance sway before a shank's
    // first set (1.0 deg RMS, SwaySweep) held three small rotations about
    // the ankle, and the set's first raise released them as reps. Otherwise
    // it is judged with them by its angle, as a small movement of their
    // chain (the chain's own rules: rhythm, deliberate tops).
    bool chain_small = small;
    if (!small && r.rom_deg < cfg_.lone_min_rom_deg && n_held_ > 0 && held_small_)
      for (int i = 0; i < n_held_; ++i) chain_small = chain_small || !held_[i].lift_like_raise;
    if (accept && n_held_ > 0) {
      // A rep after the held ones (its rep_started may have released them:
      // announce_start). A full-sized rep within the gap confirms the set; a
      // small one confirms a small chain only as its regular third
      // (header, "Lone movements"), else it joins the chain, the oldest
      // held movement dropped when the rhythm broke.
      // One that ran straight on into this rep (runs_on, held_await_) is
      // confirmed by it.
      if (held_await_) {
        release_held(t, out);
      } else if (r.start_s - held_[n_held_ - 1].rep.end_s > held_chain_gap_s() || (held_small_ && foot_moved_)) {
        drop_held(t, out);
      } else if (!held_small_ || !chain_small ||
                 (n_held_ == 2 && rhythmic(r.start_s) && held_deliberate(r.start_s) && holds_alike(r.hold_s))) {
        // A held movement under min_excursion_deg (a set's opening one,
        // admitted by the start threshold: opens_set) is confirmed only by
        // the rhythm of a small chain, never by a full-sized rep after it:
        // a fidget's 3.6 deg heel lift between two foot sets, 2 s before the
        // next set's first 20 deg raise, counted so under 'foot' (min 4 deg;
        // dev seed 81 at 100 Hz). Partial raises of a set that small are a
        // shank's under 'auto', whose reps are small too and chain by rhythm
        // (chain_small: also a raise full-sized by its lift alone that joined
        // their chain, above). One that lifted the sensor as a shank raise
        // does (lift_like_raise: header, "Lift") is a raise by that physical
        // evidence, which a fidget at a foot cannot give (a foot's lift per
        // radian stays under kShankLiftMin_m_per_rad): a full-sized rep may
        // confirm it (the merge of qstance18 with this rule lost a wall-sit
        // shank's opening 1.5 deg partial before its 4 deg reps, seed 212).
        if (!chain_small && held_[0].rep.rom_deg < cfg_.min_excursion_deg && !held_[0].lift_like_raise) {
          if (n_held_ == 1) drop_held(t, out);
          else drop_oldest_held(t, out);
        }
        if (n_held_ > 0) release_held(t, out);
      } else if (n_held_ == 2) {
        drop_oldest_held(t, out);
      }
      r.index = next_index_;
    }
    // A small movement joining a chain of held small ones (not yet a set).
    const bool small_chain = accept && chain_small && !r.isometric && n_held_ > 0;
    // Lone and no pause at the top: held until the set goes on (see the
    // header, "Lone movements").
    bool lone = !(prev_rep_valid_ && r.start_s - prev_end_s_ <= kLoneGap_s);
    // Posture change, not a rep (header, "Lone movements"): a lone movement
    // that settles at a resting level far from the one it left.
    // A small movement is in a set only at the set's rhythm (kSmallChainGap_s,
    // or the last rep's duration when longer: small_chain_gap_s).
    if (small && prev_rep_valid_ && r.start_s - prev_end_s_ > small_chain_gap_s(tempo_s_)) lone = true;
    if (accept && lone && posture_change) {
      accept = false;
    }
    // A small "isometric hold" that did not wobble as a single-leg hold does
    // is a weight shift held still (header, "Hold wobble"): no rep.
    if (accept && small && r.isometric) {
      const double wobble_dps = hold_off_axis_rms_dps(r.top_s, r.lower_start_s);  // NaN: rule off
      if (wobble_dps >= kStandingSwayMin_dps && wobble_dps < kHoldWobbleMin_dps) accept = false;
    }
    // A small lone movement waits for a set even when it pauses at the top.
    const bool small_lone = lone && small;
    // Runs straight on (header, "Strides"): a movement that did not hold its
    // top and whose heel contact turned straight into a new rise (next_rise_,
    // no rest between) is held until that rise is judged, when it did not
    // itself start straight from a rep's heel contact (a bouncy set's later
    // reps, no stride between them) and |a| is known (the stride rule's
    // evidence).
    const bool runs_on = accept && !r.isometric && r.hold_s < kLoneTopPause_s && (next_rise_ || rose_again_since(lo)) &&
                         n_held_ == 0 &&
                         std::isfinite(at(newest()).acc) &&
                         !(prev_rep_valid_ && r.start_s - prev_end_s_ <= kBouncyGap_s);
    const bool hold_back = small_chain || runs_on ||
                           (accept && lone && !r.isometric && (r.hold_s < kLoneTopPause_s || small_lone));
    if (hold_back) {
      foot_moved_ = false;  // quiet since this one's heel contact so far
      Held& h = held_[n_held_++];
      h.rep = r;
      h.started = started_emitted_;
      h.prev_valid = prev_rep_valid_;
      h.prev_index = prev_index_;
      h.prev_end_s = prev_end_s_;
      h.prev_dur_s = prev_dur_s_;
      h.prev_tempo_s = tempo_s_;
      h.prev_paused = prev_paused_;
      h.prev_base_after = prev_base_after_;
      h.rom_pushed = !r.isometric;
      h.lift_like_raise = lift_like_raise;
      held_small_ = small_lone || small_chain;
      // A lone one waits for its set as before (released by the next start:
      // "Lone movements"), so a bouncy set's first rep is not delayed.
      if (runs_on && !held_small_ && !lone) held_await_ = true;
    }
    if (accept) {
      if (!hold_back) {
        if (prev_rep_valid_) emit_rest(t, prev_index_, prev_end_s_, r.start_s, out);
        emit(r.isometric ? EventType::hold_completed : EventType::rep_completed, t, r, out);
        ++next_index_;
        arm_contact(t, r, be);
      }
      push_shape(0, rss_c_);
      push_shape(1, rss_e);
      push_shape(2, rss_on);
      if (!r.isometric) {
        if (n_rom_ == kRomHist) {
          for (int i = 1; i < kRomHist; ++i) rom_hist_[i - 1] = rom_hist_[i];
          --n_rom_;
        }
        rom_hist_[n_rom_++] = r.rom_deg;
        rom_end_s_ = en;
        if (r.rom_deg > set_rom_max_) set_rom_max_ = r.rom_deg;
        update_ref_rom();
      }
      chain_floor_ = b;
      chain_rom_ = r.isometric ? 0.0 : r.rom_deg;
      // A bouncy rep counted (no pause at the top, kLoneTopPause_s, as the
      // lowering state's bottom turn requires): the next movement continues
      // its chain if no rest comes before it (begin_candidate,
      // bump_in_chain_). After a rep held at the top, the wobble of a foot
      // standing on a step restarted the "bump" again and again and
      // swallowed the rest before the next rep (held-out step shank).
      chain_open_ = !r.isometric && r.hold_s < kLoneTopPause_s;
      // The set's tempo: see tempo_s_ (a rep within the set's rest limit
      // continues the set; a longer rest starts a new one).
      // An isometric hold (20-40 s) is no measure of the set's repetition
      // tempo: counted, it kept the small-rep rest limit (and the partial
      // minimum's window) at ~30 s for the rest of the set.
      const bool continues_set = prev_rep_valid_ && r.start_s - prev_end_s_ <= small_chain_gap_s(tempo_s_);
      if (!r.isometric) {
        tempo_s_ = continues_set ? std::fmax(tempo_s_, en - r.start_s) : en - r.start_s;
      } else if (!continues_set) {
        tempo_s_ = 0.0;
      }
      prev_rep_valid_ = true;
      prev_paused_ = r.hold_s >= kLoneTopPause_s;
      prev_index_ = r.index;
      prev_end_s_ = en;
      prev_dur_s_ = en - r.start_s;
      prev_base_after_ = be;
      // Still since the end (smoothed time axis); the event may precede the
      // end of a very gradual lowering, so never in the future.
      start_rest(en + tau0_ < t ? en + tau0_ : t, y_prev_, be);
      // The rebound after heel contact dips below the contact level and
      // settles within ~0.5 s (DESIGN.md): meanwhile the rest tracker stays
      // at the contact level, or the settle back up reads as a new rise.
      rebound_until_ = en + tau0_ + kReboundSettle_s;
      rebound_break_seen_ = false;
      glide_dps_ = kGlideSpeedFraction * r.eccentric_mean_dps;
      settle_watch_until_ = en + tau0_ + kSettleWatch_s;
      rebound_floor_ = be;
      // A rebound seen already (refine_end_level: the angle arrived and then
      // broke downwards) or a trough below the end level; else watched for
      // in the rest state until rebound_until_.
      rebound_dipped_ = rebound_seen_ || trough_ < be - band();
      b_ = be;
      // Settled above the contact level (issue 16, seated20): when the rep
      // completes late (a partial's slow lowering) the rebound's settle may
      // be over and the foot still, within a rest shift (kRestShift_deg, or
      // a quarter of the range: the rest after a rep lies 1-3 deg from the
      // one before, DESIGN.md) above the contact level. That still level is
      // the rest: taken from the contact level instead, a still angle
      // stood past the start threshold at once and began a "movement" (a
      // seated shank, 0.76 deg above it against 0.75), whose "lowering" was
      // the next rep's countermovement, and the next rep was swallowed.
      // Still: within one band for the rebound's whole settle time
      // (kReboundSettle_s), so a settle still under way is not taken.
      if (y_prev_ > be + band() &&
          y_prev_ - be <= std::fmax(kRestShift_deg, kRestShiftMaxFraction * r.rom_deg) &&
          still_over(t, kReboundSettle_s)) {
        b_ = y_prev_;
      }
    } else {
      ++stats_.rejected;
      if (started_emitted_) emit(EventType::rep_rejected, t, r, out);
      chain_open_ = false;  // a non-rep movement breaks the chain
      // The foot is on a pedal: the movements held before this one were
      // its crank turns too, not a set.
      if (carried && n_held_ > 0) drop_held(t, out);
      // A held movement that ran straight on into this one (runs_on,
      // held_await_): its rise ran into a stride or into a movement no heel
      // raise makes, one movement with it, and is no rep either (header,
      // "Strides"); any other rejection releases it (it was accepted).
      if (held_await_ && n_held_ > 0) {
        if (stride || !plausible) drop_held(t, out);
        else release_held(t, out);
      }
      held_await_ = false;
      start_rest(t, y_prev_, be);
    }
    // Rest dwell already accumulated since the end counts toward the next rep.
    rest_since_ = t;
  }

  // Hold wobble (header): the RMS of the off-axis rate (deg/s) pushed with
  // the samples in [t0, t1] still in the history (an isometric hold's last
  // ~10-40 s: the wobble of a hold is steady), NaN when it is not known or
  // covers less than kHoldWobbleSpan_s.
  // A wobbling hold's top rises on (header): the hold over [t0, t1] wobbled
  // as a single-leg hold does (off-axis rate RMS >= kHoldWobbleMin_dps);
  // false when not known. Out of line: rare (isometric staircases only).
  SOLEUS_NOINLINE bool wobbling_hold(double t0, double t1) const {
    return hold_off_axis_rms_dps(t0, t1) >= kHoldWobbleMin_dps;
  }
  double hold_off_axis_rms_dps(double t0, double t1) const {
    double ss = 0.0;
    std::int64_t n = 0;
    for (std::int64_t k = lower_bound(t0); k <= newest() && at(k).t <= t1; ++k) {
      const float w = at(k).off;
      if (std::isnan(w)) continue;
      ss += static_cast<double>(w) * static_cast<double>(w);
      ++n;
    }
    if (static_cast<double>(n) * dt_nom_ < kHoldWobbleSpan_s) return std::numeric_limits<double>::quiet_NaN();
    return std::sqrt(ss / static_cast<double>(n));
  }

  // Carried movements (header): true when the sensor's vertical velocity
  // over [t0, t1] (raw time axis) implies a lift above kMaxHeelLift_m for
  // the angle's range over the window, with the vertical acceleration's RMS at least
  // kCarriedMinAcc_mps2. Vertical acceleration from |a| alone (any mounting,
  // no orientation needed): (|a|^2 - g^2) / 2g = a_v + |a_lin|^2 / 2g, the
  // second term constant on a crank circle (|a_lin| = w^2 r) and under
  // 0.2 m/s^2 for a heel raise's <= 2 m/s^2. Its running integral is the
  // vertical velocity up to a constant; the angle's rate is the rotation's.
  // Both are detrended by the same least-squares line (removing g, the
  // unknown start velocity and a constant accelerometer offset), so that for
  // a sensor whose height follows the angle (x = k theta, a heel raise:
  // the foot and shank pivot on the forefoot) rms(v) / rms(theta') = k
  // exactly, whatever the profile; lift = k * rom is the sensor's vertical
  // travel over the rep's range. Samples are spaced by the nominal period
  // (time stamps jitter; a dropout counts as the whole periods it lost).
  bool carried_movement(double t0, double t1) const {
    const double h = dt_nom_;
    const double inv_2g = 1.0 / (2.0 * kGravity_mps2);
    std::int64_t k = lower_bound(t0);
    if (k <= oldest()) return false;  // the movement's start left the history
    double tau = 0.0, u = 0.0;
    double n = 0.0, st = 0.0, stt = 0.0, su = 0.0, suu = 0.0, stu = 0.0, sw = 0.0, sww = 0.0, stw = 0.0;
    double sq = 0.0, sqq = 0.0;
    double x_min = at(k - 1).x, x_max = x_min;
    // Both rates averaged over the last m samples (~50 ms; the same moving
    // average on both keeps the ratio exact): the angle's per-sample
    // difference carries its noise x sqrt(2) / h (0.1 deg at 200 Hz: 28
    // deg/s), as much as a 20 deg crank rocking's own rate, which would
    // read as a smaller lift. 50 ms passes a heel raise's (and a crank's)
    // < 3 Hz content at >= 0.96.
    int m = static_cast<int>(0.05 / h + 0.5);
    if (m < 1) m = 1;
    if (m > kRateSpanMax) m = kRateSpanMax;
    double ring_u[kRateSpanMax] = {}, ring_w[kRateSpanMax] = {};
    double sum_u = 0.0, sum_w = 0.0;
    int filled = 0, head = 0;
    const double q0 = static_cast<double>(at(k).acc) * at(k).acc * inv_2g;
    // First the vertical acceleration's variance alone (issue 16 speed,
    // speed18): a heel raise's stays far under kCarriedMinAcc_mps2, so nearly
    // every rep is decided here, without the rates, their moving averages and
    // the two divisions per sample of the fits below. The same q, sums and
    // order as the fits' pass computed them (the same decision).
    const std::int64_t k_first = k;
    for (; k <= newest() && at(k).t <= t1; ++k) {
      const Slot& c = at(k);
      if (!std::isfinite(c.acc)) return false;
      const double q = static_cast<double>(c.acc) * c.acc * inv_2g - q0;
      sq += q; sqq += q * q;
    }
    // n: the samples with a full moving average (the fits' count below).
    const double n_all = static_cast<double>(k - k_first);
    n = n_all >= m ? n_all - (m - 1) : 0.0;
    if (n < 8.0) return false;
    const double n_q = n + (m - 1);
    const double var_q = sqq / n_q - (sq / n_q) * (sq / n_q);
    if (!(var_q >= kCarriedMinAcc_mps2 * kCarriedMinAcc_mps2)) return false;
    n = 0.0;
    for (k = k_first; k <= newest() && at(k).t <= t1; ++k) {
      const Slot& c = at(k);
      const Slot& p = at(k - 1);
      double steps = std::floor((c.t - p.t) / h + 0.5);
      if (steps < 1.0) steps = 1.0;
      const double hk = steps * h;
      const double q = static_cast<double>(c.acc) * c.acc * inv_2g - q0;
      tau += hk;
      u += q * hk;
      const double w_raw = (static_cast<double>(c.x) - p.x) / hk;
      sum_u += u - ring_u[head];
      sum_w += w_raw - ring_w[head];
      ring_u[head] = u;
      ring_w[head] = w_raw;
      if (++head == m) head = 0;  // (head + 1) % m without a division on the loop's chain
      if (c.x < x_min) x_min = c.x;
      if (c.x > x_max) x_max = c.x;
      if (++filled < m) continue;
      const double um = sum_u / m, w = sum_w / m;
      n += 1.0;
      st += tau; stt += tau * tau;
      su += um; suu += um * um; stu += tau * um;
      sw += w; sww += w * w; stw += tau * w;
    }
    const double var_t = stt / n - (st / n) * (st / n);
    if (!(var_t > 0.0)) return false;
    const double cov_u = stu / n - (st / n) * (su / n), cov_w = stw / n - (st / n) * (sw / n);
    const double res_u = suu / n - (su / n) * (su / n) - cov_u * cov_u / var_t;
    const double res_w = sww / n - (sw / n) * (sw / n) - cov_w * cov_w / var_t;
    if (!(res_w > 0.0) || !(res_u > 0.0)) return false;
    // The angle's whole range over the window (a heel raise's: its rom plus
    // a few degrees of countermovement and rebound; a crank's: the full
    // rocking, also when the window starts mid-turn).
    const double lift_m = std::sqrt(res_u / res_w) * (x_max - x_min);  // (m/s) / (deg/s) x deg
    return lift_m > kMaxHeelLift_m;
  }

  // Strides (header): the lowering since t_lo (raw time axis) has turned
  // (the raw angle at sample k above its minimum by more than the noise
  // floor, noise_k SDs, and at least still_band_min_deg) and its minimum
  // lies kImpactSpan_s or more before sample k: a heel strike's impact, at
  // that turning point, would have been received.
  bool impact_span_passed(double t_lo, std::int64_t k_to) const {
    double x_min = 0.0, t_min = 0.0;
    bool any = false;
    for (std::int64_t k = lower_bound(t_lo); k <= k_to; ++k)
      if (!any || at(k).x < x_min) {
        x_min = at(k).x;
        t_min = at(k).t;
        any = true;
      }
    const double turn = noise_floor() > cfg_.still_band_min_deg ? noise_floor() : cfg_.still_band_min_deg;
    return any && at(k_to).x - x_min > turn && at(k_to).t - t_min >= kImpactSpan_s;
  }
  // Runs straight on (header, "Strides"): the raw angle, on every sample
  // received, has risen from its minimum since t_lo (raw time axis) by the
  // start threshold (on_threshold()): a new rise began at the heel contact,
  // as next_rise_ tells when the finishing state saw it.
  bool rose_again_since(double t_lo) const {
    double x_min = 0.0;
    bool any = false;
    for (std::int64_t k = lower_bound(t_lo); k <= received(); ++k)
      if (!any || at(k).x < x_min) {
        x_min = at(k).x;
        any = true;
      }
    return any && at(received()).x - x_min > on_threshold();
  }
  // A sample received while a completion waits (the history has it already).
  void pend_store(double t, double x, double y) {
    if (pend_n_ == 0) {  // the completion's own sample's, for the late step
      pend_tk_ = t_prev_;
      pend_yk_ = y_prev_;
    }
    pend_buf_[pend_n_++] = PendSample{t, x, y};
    t_prev_ = t;
    y_prev_ = y;
  }
  void save_finalize_entry() {
    FinalizeEntry& e = fin_entry_;
    for (int i = 0; i < 4; ++i) {
      e.tecc[i] = tecc_[i];
      e.conc[i] = conc_[i];
    }
    for (int i = 0; i < 3; ++i) e.rss_c[i] = rss_c_[i];
    e.b_ecc = b_ecc_;
    e.we = we_;
    e.shape_c = shape_c_;
    e.rebound_seen = rebound_seen_;
    e.cur = cur_;
  }
  void restore_finalize_entry() {
    const FinalizeEntry& e = fin_entry_;
    for (int i = 0; i < 4; ++i) {
      tecc_[i] = e.tecc[i];
      conc_[i] = e.conc[i];
    }
    for (int i = 0; i < 3; ++i) rss_c_[i] = e.rss_c[i];
    b_ecc_ = e.b_ecc;
    we_ = e.we;
    shape_c_ = e.shape_c;
    rebound_seen_ = e.rebound_seen;
    cur_ = e.cur;
  }
  // The verdict on a waiting completion (header, "Strides"): finalize() as
  // it ran at pend_t_, on the samples up to it (newest_) but with |a| of
  // every sample received (heel_strike_near), then the samples received
  // meanwhile stepped through the state machine as push() would have. Their
  // events go out now (t_now), not at their samples' times.
  template <int Q>
  void resolve_pending(double t_now, EventQueue<Q>& out) {
    pend_ = false;
    const int n = pend_n_;
    pend_n_ = 0;
    const std::int64_t k0 = pend_k_;
    // The time and smoothed angle of the waiting completion's own sample.
    const double tk = n > 0 ? pend_tk_ : t_prev_, yk = n > 0 ? pend_yk_ : y_prev_;
    emit_not_before_ = t_now;
    newest_ = k0;
    t_prev_ = pend_tprev_;
    y_prev_ = pend_yprev_;
    resolving_ = true;
    finalize(pend_t_, out, pend_may_wait_);
    resolving_ = false;
    t_prev_ = tk;
    y_prev_ = yk;
    for (int i = 0; i < n; ++i) {
      const PendSample p = pend_buf_[i];
      if (pend_) {
        // A completion stepped here waits in turn: the rest is its to step.
        pend_store(p.t, p.x, p.y);
        continue;
      }
      newest_ = k0 + 1 + i;
      update_noise(p.x);
      if (contact_.active) watch_contact(p.t, p.x, out);
      step(p.t, p.x, p.y, out);
      t_prev_ = p.t;
      y_prev_ = p.y;
    }
    if (!pend_) newest_ = received();
    emit_not_before_ = -1e300;
  }

  // Lift (header): the foot's excursion (deg) implied by the sensor's rise
  // over a movement from start_s to top_s of rom_deg (angle units; its
  // slope, m/rad, in k_m_per_rad, NaN when not measured), when the
  // lift per radian is a shank's on the MTP arc (kShankLiftMin_m_per_rad ..
  // kShankLiftMax_m_per_rad) and the lift stands kLiftSigmas above the
  // estimate's noise; 0 otherwise; NaN when |a| is not known over the window
  // or it left the history.
  double lift_foot_rom_deg(double start_s, double top_s, double rom_deg, double& k_m_per_rad) const {
    const double t0 = start_s - kLiftPad_s, t1 = top_s + kLiftPad_s;
    double sd_a = 0.0;
    const double k = lift_slope(t0, t1, sd_a) * kDegPerRad;  // m/rad
    k_m_per_rad = k;
    if (!std::isfinite(k)) return std::numeric_limits<double>::quiet_NaN();
    // Noise of the height over a window of T s: white |a| noise of sd_a per
    // sample (density sd_a sqrt(dt)) integrated twice with the velocity
    // pinned at both ends (the sensor still at rest and at the top) leaves
    // a height error of SD sd_a sqrt(dt) T^1.5 / sqrt(12) (the variance of
    // the integral of a Brownian bridge); a constant |a| offset (calibration,
    // the local g) is removed exactly by the fit's quadratic.
    const double T = t1 - t0;
    const double sigma_z = sd_a * std::sqrt(dt_nom_) * T * std::sqrt(T) / std::sqrt(12.0);
    const double h = k * rom_deg / kDegPerRad;  // the sensor's rise over the movement's range
    if (!(k >= kShankLiftMin_m_per_rad && k <= kShankLiftMax_m_per_rad && h >= kLiftSigmas * sigma_z)) return 0.0;
    const double sin_foot = h / cfg_.mtp_to_ankle_m;
    return std::asin(sin_foot < 1.0 ? sin_foot : 1.0) * kDegPerRad;
  }
  // Sway under a shank raise (header): the current movement's rise, from
  // kLiftPad_s before its start to kLiftPad_s after its top (or the newest
  // sample, when that is sooner), lifted the sensor as a heel raise lifts a
  // shank on the MTP arc (lift_foot_rom_deg > 0). False without |a|.
  bool lifted_on_mtp_arc() const {
    double k_m_per_rad = 0.0;
    const double lift = lift_foot_rom_deg(cur_.start_s, cur_.top_s, p_decl_ - cur_.baseline_deg, k_m_per_rad);
    return lift > 0.0;
  }
  // A lowering never rises past its top (header): a heel strike (|a| over
  // kHeelStrike_mps2 of excess) within one gait cycle (kGaitCycle_s) before
  // t_s, so the level the movement rose to came right after strides, while
  // the orientation filter settles from them. False without |a|.
  SOLEUS_NOINLINE bool strides_before(double t_s) const {
    for (std::int64_t k = lower_bound(t_s - kGaitCycle_s); k <= newest() && at(k).t <= t_s; ++k) {
      const double a = static_cast<double>(at(k).acc);
      if (std::isfinite(a) && a - kGravity_mps2 > kHeelStrike_mps2) return true;
    }
    return false;
  }
  // A lowering never rises past its top (header): the current movement's
  // rise lifted the sensor by nothing a heel raise at a shank lifts it
  // (lift_foot_rom_deg 0: a foot's or an unlifted shank movement); false
  // when the lift is not known (NaN: no |a|, or its window left the
  // history).
  SOLEUS_NOINLINE bool unlifted_rise() const {
    double k_m_per_rad = 0.0;
    return lift_foot_rom_deg(cur_.start_s, cur_.top_s, p_decl_ - cur_.baseline_deg, k_m_per_rad) == 0.0;
  }
  // Lift slope (header, "Lift"): k of the least-squares fit of the sensor's
  // vertical displacement z(t) = k x(t) + c0 + c1 u + c2 u^2 over [t0, t1]
  // (raw time axis; u the time scaled to -1..1), in metres per angle unit.
  // z is |a| minus its mean over the first kLiftPad_s (at rest), integrated
  // twice (trapezoids on the time stamps); |a| - g is the vertical
  // acceleration to first order whatever the mounting and the tilt (the
  // horizontal part enters as |a_h|^2 / 2g, under 0.2 mm/s^2 for a shank's
  // sway and 0.2 m/s^2 at a quick raise's peak). c1 and c2 take the unknown
  // initial velocity and a constant |a| offset. sd_a: the |a| noise per
  // sample, the smaller of two estimates that a movement's own acceleration
  // can only raise (both conservative for white noise; a sensor that
  // low-passes its output, or a chain that decimates, has correlated noise,
  // whose differences understate it: review19 measured 2.6-8x at 200 Hz with
  // a 20-41 Hz corner, and the 3 SD test then holds at ~1 SD, more
  // movements marked as lifted raises): from the first differences
  // (sd(d1) / sqrt(2)) and from the second (sd(d2) / sqrt(6): white noise's
  // second difference has variance 6 s^2). A raise's acceleration is smooth
  // at the sample rate (its energy under ~5 Hz): its first difference is
  // 2 pi f dt of its value, its second (2 pi f dt)^2. The first differences
  // alone (until qstance19) read a bouncy shank rep's own acceleration as
  // noise at 50 Hz, 0.14 m/s^2 for the simulator's 0.03, and its 24 mm lift
  // fell under 3 SD (fresh dev seed 308, bouncy shank); the second alone,
  // noisier on white noise, took a slow (2 s) partial's lift under 3 SD
  // (dev seed 75, step shank). NaN when |a| is not known there or the
  // window left the history.
  double lift_slope(double t0, double t1, double& sd_a) const {
    sd_a = 0.0;
    std::int64_t k = lower_bound(t0);
    if (k <= oldest()) return std::numeric_limits<double>::quiet_NaN();
    // |a| at rest before the movement: the mean over its first kLiftPad_s.
    double a0 = 0.0;
    {
      int m = 0;
      for (std::int64_t j = k; j <= newest() && at(j).t <= t0 + kLiftPad_s; ++j) {
        if (!std::isfinite(at(j).acc)) return std::numeric_limits<double>::quiet_NaN();
        a0 += static_cast<double>(at(j).acc);
        ++m;
      }
      if (m == 0) return std::numeric_limits<double>::quiet_NaN();
      a0 /= m;
    }
    const double tm = 0.5 * (t0 + t1), ts = 2.0 / (t1 - t0);
    double A[4][4] = {}, bvec[4] = {};
    double v = 0.0, z = 0.0, a_prev = 0.0, d_prev = 0.0, sd1 = 0.0, sd2 = 0.0;
    int n = 0;
    for (; k <= newest() && at(k).t <= t1; ++k) {
      const Slot& c = at(k);
      if (!std::isfinite(c.acc)) return std::numeric_limits<double>::quiet_NaN();
      const double a = static_cast<double>(c.acc) - a0;
      if (n > 0) {
        // First and second differences (above: each the noise plus a share
        // of the movement).
        sd1 += (a - a_prev) * (a - a_prev);
        if (n > 1) sd2 += (a - a_prev - d_prev) * (a - a_prev - d_prev);
        d_prev = a - a_prev;
        const double hk = c.t - at(k - 1).t;
        const double v_new = v + 0.5 * (a + a_prev) * hk;
        z += 0.5 * (v + v_new) * hk;
        v = v_new;
      }
      a_prev = a;
      const double u = (c.t - tm) * ts;
      const double f[4] = {static_cast<double>(c.x), 1.0, u, u * u};
      for (int i = 0; i < 4; ++i) {
        bvec[i] += f[i] * z;
        for (int j = 0; j < 4; ++j) A[i][j] += f[i] * f[j];
      }
      ++n;
    }
    if (n < 8) return std::numeric_limits<double>::quiet_NaN();
    sd_a = std::sqrt(std::fmin(sd1 / (2.0 * (n - 1)), sd2 / (6.0 * (n - 2))));
    // Gaussian elimination with partial pivoting (4 x 4).
    for (int c = 0; c < 4; ++c) {
      int piv = c;
      for (int r = c + 1; r < 4; ++r)
        if (std::fabs(A[r][c]) > std::fabs(A[piv][c])) piv = r;
      if (!(std::fabs(A[piv][c]) > 1e-12)) return std::numeric_limits<double>::quiet_NaN();
      if (piv != c) {
        for (int j = 0; j < 4; ++j) { const double tmp = A[c][j]; A[c][j] = A[piv][j]; A[piv][j] = tmp; }
        const double tmp = bvec[c]; bvec[c] = bvec[piv]; bvec[piv] = tmp;
      }
      for (int r = c + 1; r < 4; ++r) {
        const double f = A[r][c] / A[c][c];
        for (int j = c; j < 4; ++j) A[r][j] -= f * A[c][j];
        bvec[r] -= f * bvec[c];
      }
    }
    double x[4];
    for (int r = 3; r >= 0; --r) {
      double acc = bvec[r];
      for (int j = r + 1; j < 4; ++j) acc -= A[r][j] * x[j];
      x[r] = acc / A[r][r];
    }
    return x[0];
  }

  // Strides (header): true when |a| exceeds g by kHeelStrike_mps2 within
  // kLoadingResponse_s of t_s (raw time axis): a heel strike's impact. False
  // when |a| is not known there.
  // The sensor ended the movement kStrideMin_m or more from where it rested
  // before it (header, "Strides"): a stride, which carries the foot away.
  bool carried_away(double t_s) const {
    const std::int64_t k = lower_bound(t_s);
    if (k > received()) return false;
    const double d = static_cast<double>(at(k).moved);
    return std::isfinite(d) && d >= kStrideMin_m;
  }
  bool heel_strike_near(double t_s) const {
    for (std::int64_t k = lower_bound(t_s - kLoadingResponse_s); k <= received() && at(k).t <= t_s + kLoadingResponse_s;
         ++k) {
      const double a = static_cast<double>(at(k).acc);
      if (std::isfinite(a) && a - kGravity_mps2 > kHeelStrike_mps2) return true;
    }
    return false;
  }

  // Announces the rep in progress (rep_started). A held lone rep (see the
  // header) is released first when this one starts within kChainGap_s of
  // its end (the set goes on), or dropped.
  template <int Q>
  void announce_start(double t, EventQueue<Q>& out) {
    if (n_held_ > 0) {
      // A held full-sized lone rep is released by the next start; a chain of
      // small ones only by the start of its regular third (else finalize()
      // decides, once this movement's size is known).
      // Held movements and this rise so far carried on a crank (header,
      // "Carried movements"): pedalling, not a set (judged here, before the
      // start releases them; a cut-short first crank "rep" passes alone).
      // A held movement that ran straight on into this one (held_await_,
      // header "Strides": a rise that runs into a stride) waits for this
      // one's verdict (finalize, or the gait check of the finishing state).
      if (held_await_) {
      } else if (cur_.start_s - held_[n_held_ - 1].rep.end_s > held_chain_gap_s() || (held_small_ && foot_moved_) ||
          carried_movement(held_[0].rep.start_s, at(newest()).t))
        drop_held(t, out);
      // A small chain is confirmed only once its third movement has ended
      // (finalize): its top hold is compared with the held two' (holds_alike).
      else if (!held_small_)
        release_held(t, out);
      cur_.index = next_index_;
    }
    started_emitted_ = true;
    emit(EventType::rep_started, t, cur_, out);
  }
  // The rest after rep `index` (ended at end_s) up to the next rep's start.
  // Never negative (found by tests/fuzz): the previous rep's end is fitted on
  // a lowering that may still be going on when it is emitted, and a gradual
  // or noisy lowering's fitted end can pass the start the next rep's own fit
  // finds. The reps then touch: no rest between them.
  template <int Q>
  void emit_rest(double t, int index, double end_s, double next_start_s, EventQueue<Q>& out) {
    Rep pr;
    pr.index = index;
    pr.rest_s = next_start_s > end_s ? next_start_s - end_s : 0.0;
    pr.rest_known = true;
    emit(EventType::rest_measured, t, pr, out);
  }
  template <int Q>
  void release_held(double t, EventQueue<Q>& out) {
    for (int i = 0; i < n_held_; ++i) {
      Held& h = held_[i];
      if (i > 0) emit_rest(t, held_[i - 1].rep.index, held_[i - 1].rep.end_s, h.rep.start_s, out);
      else if (h.prev_valid) emit_rest(t, h.prev_index, h.prev_end_s, h.rep.start_s, out);
      h.rep.index = next_index_++;
      emit(EventType::rep_completed, t, h.rep, out);
    }
    // The rep before the next one is the last released (its index is final now).
    prev_index_ = held_[n_held_ - 1].rep.index;
    n_held_ = 0;
    held_await_ = false;
  }
  template <int Q>
  void drop_held(double t, EventQueue<Q>& out) {
    for (int i = 0; i < n_held_; ++i) {
      ++stats_.rejected;
      if (held_[i].started) emit(EventType::rep_rejected, t, held_[i].rep, out);
      if (held_[i].rom_pushed && n_rom_ > 0) --n_rom_;
    }
    prev_rep_valid_ = held_[0].prev_valid;
    prev_index_ = held_[0].prev_index;
    prev_end_s_ = held_[0].prev_end_s;
    prev_dur_s_ = held_[0].prev_dur_s;
    tempo_s_ = held_[0].prev_tempo_s;
    prev_paused_ = held_[0].prev_paused;
    prev_base_after_ = held_[0].prev_base_after;
    // The dropped reps' bouncy chain goes with them: the next movement is
    // not the first after a counted rep of it.
    chain_open_ = false;
    n_held_ = 0;
    held_await_ = false;
    update_ref_rom();
  }
  // The rhythm of a small chain broke: its oldest movement is dropped, the
  // newer one starts the chain over (keeping the rep before the chain as
  // its predecessor).
  template <int Q>
  void drop_oldest_held(double t, EventQueue<Q>& out) {
    ++stats_.rejected;
    if (held_[0].started) emit(EventType::rep_rejected, t, held_[0].rep, out);
    if (held_[0].rom_pushed && n_rom_ >= 2) {
      // Its range is the second last in the history (the newer one's last).
      rom_hist_[n_rom_ - 2] = rom_hist_[n_rom_ - 1];
      --n_rom_;
      update_ref_rom();
    }
    Held keep = held_[1];
    keep.prev_valid = held_[0].prev_valid;
    keep.prev_index = held_[0].prev_index;
    keep.prev_end_s = held_[0].prev_end_s;
    keep.prev_dur_s = held_[0].prev_dur_s;
    keep.prev_tempo_s = held_[0].prev_tempo_s;
    keep.prev_paused = held_[0].prev_paused;
    keep.prev_base_after = held_[0].prev_base_after;
    held_[0] = keep;
    n_held_ = 1;
  }
  // ------------------------------------------------ heel contact (rep_refined)
  // Heel contact is the moment the lowering crosses the resting angle the
  // foot settles at after the rep (a heel-insole force sensor's contact:
  // real lowerings reach the floor with the heel still moving, pass that
  // angle by 1-5 deg as the heel pad and shoe compress, and settle back
  // within ~0.5 s; the new rest lies 1-3 deg from the one before, DESIGN.md
  // "What real movement looks like"). That level is known only once the
  // rebound has settled, ~0.5-0.6 s after contact, while rep_completed must
  // come <= 250 ms after it. So rep_completed carries the provisional end
  // (the template fitted to the level the lowering arrived at), and once
  // the raw angle has been still for kContactRest_s after a dip below that
  // still level (the rebound), the end is re-timed as the last downward
  // crossing of the settled level before the dip's trough, interpolated
  // between samples: a crossing at speed, which a level error of a noise SD
  // moves by only SD / speed (docs/heel_raises.md: on a prescribed slow
  // lowering each degree of level error costs ~100-140 ms where the angle
  // flattens, but only a few ms where it crosses at speed). It is sent as
  // rep_refined with the rep's full record when it moved by more than one
  // sample period (also past rep_completed's time: contact_below_level and
  // apply_contact). The rest counts as settled when still from
  // kReboundSettle_s after the dip on; when the next movement, the end of
  // the stream or kSettleWatch_s comes first, a still stretch seen earlier
  // on the settle's tail is used. A lowering that glides onto its rest (no
  // dip), a time-stamp gap or no still stretch at all keep the provisional
  // end (no rep_refined).
  void arm_contact(double t, const Rep& r, double be) {
    contact_.active = true;
    contact_.found = false;
    contact_.settled = false;
    contact_.has_early = false;
    contact_.rep = r;
    contact_.dip_to = -1;
    contact_.completed_at_s = t;
    contact_.level_after = be;
    contact_.deadline_s = r.end_s + tau0_ + kSettleWatch_s;
    // The completion may come after the rest has settled (a smooth
    // lowering's fitted end waits, finalize): the samples since the
    // lowering started are watched now, as they came.
    std::int64_t k = lower_bound(r.lower_start_s);
    if (k > newest()) k = newest();
    contact_.anchor = at(k).x;
    contact_.anchor_t = at(k).t;
    for (++k; k <= newest() && contact_.active; ++k) watch_contact_sample(at(k).t, at(k).x);
  }
  // Still = the raw angle within this of an anchor: a quarter of the rest
  // band (the trough of a 1 deg rebound stays that close for < ~0.2 s, less
  // than kContactRest_s), never tighter than the measured noise.
  double contact_still_tolerance() const {
    const double q = 0.25 * band();
    return noise_floor() > q ? noise_floor() : q;
  }
  template <int Q>
  void watch_contact(double t, double x, EventQueue<Q>& out) {
    if (contact_.found) apply_contact(t, out);
    else if (contact_.active) watch_contact_sample(t, x);
    if (contact_.found) apply_contact(t, out);
  }
  // One sample of the stillness watch; sets contact_.found with the
  // crossing time in contact_.en when the rest has settled after a dip.
  void watch_contact_sample(double t, double x) {
    if (t > contact_.deadline_s) {
      contact_.active = false;
      if (contact_.has_early) {
        contact_.found = true;
        contact_.en = contact_.early_en;
      }
      return;
    }
    if (std::fabs(x - contact_.anchor) > contact_still_tolerance()) {
      contact_.anchor = x;
      contact_.anchor_t = t;
      return;
    }
    if (t - contact_.anchor_t < kContactRest_s) return;
    double en = 0.0;
    const int c = contact_crossing(t, en);
    if (c != 2) {
      // Still, but no rebound below this level yet (the still stretch may
      // be the dip's own trough), or still only on the settle's tail (kept
      // as the best so far): wait for the next still stretch.
      if (c == 1) {
        contact_.has_early = true;
        contact_.early_en = en;
      }
      contact_.anchor_t = t;
      return;
    }
    contact_.found = true;
    contact_.settled = true;
    contact_.en = en;
  }
  // The watch ends early (the next movement, the end of the stream): the
  // crossing of the last still level seen on the settle's tail, if any.
  template <int Q>
  void close_contact(double t, EventQueue<Q>& out) {
    if (contact_.active && !contact_.found && contact_.has_early) {
      contact_.found = true;
      contact_.en = contact_.early_en;
    }
    if (contact_.found) apply_contact(t, out, false);
    contact_.active = false;
  }
  template <int Q>
  void apply_contact(double t, EventQueue<Q>& out, bool rest_settled_now = true) {
    contact_.active = false;
    contact_.found = false;
    const bool settled_rest = rest_settled_now && contact_.settled;
    contact_.settled = false;
    const double en = contact_.en;
    Rep r = contact_.rep;
    // The contact may lie after the rep_completed event (issue 16): a
    // lowering that is still creeping down when the provisional end's wait
    // (finalize) runs out, or a glide whose fitted end came early, has
    // rep_completed before the heel has landed. Clamping the re-timed
    // contact to that event's time put these contacts 0.3-0.4 s early. It is
    // not clamped: the rep's completion in the rep table (completed_at_s)
    // becomes this event's time t, which is never before the contact (a
    // crossing of samples already received), so end_s <= completed_at_s
    // holds for the final record; rep_completed's own time (the latency the
    // user saw) is unchanged.
    if (!(std::fabs(en - r.end_s) > dt_nom_)) return;
    // Contact came later than the provisional end (a slow lowering still
    // gliding down when finalize's wait ran out): the rebound window
    // (rebound_until_, kReboundSettle_s: the dip settles ~0.5 s after
    // contact, DESIGN.md) ran from that end and may be over before the real
    // rebound, whose dip (1-5 deg past rest) then became the rest tracker's
    // floor; the rest the foot settles to lies above that floor, never
    // counts as rest at the baseline, and the next rep has no rest before
    // it (the rep lost). The floor is moved up to the settled rest only
    // when that is what happened, each condition a fact of this rep:
    // - the contact was found from a still stretch after the rebound had
    //   settled (contact_.settled, kReboundSettle_s after the dip), seen
    //   now, not on the settle's tail nor when the next movement began
    //   (close_contact: the angle is rising, the anchor already off rest);
    // - the floor was last lowered after the rebound window had closed and
    //   after the re-timed contact: it is the rebound's dip that the window
    //   was meant to hold the floor above, not a rest or the lowering;
    // - the settled rest (raw mean of the still stretch) is the still
    //   episode the tracker is in (within its band) and lies at least the
    //   half band above the floor at which an episode stops counting as rest
    //   at the baseline (ep_base_): below that the rest counts already.
    // Then the floor is set there, as the settle watch does for a rebound
    // inside its window.
    if (settled_rest && en > r.end_s && state_ == State::rest && floor_lowered_t_ >= rebound_until_ &&
        floor_lowered_t_ >= en + tau0_) {
      double settled = 0.0;
      if (raw_mean(t - kContactRest_s, t, settled) && std::fabs(settled - anchor_) <= band() &&
          anchor_ - b_ >= 0.5 * band()) {
        b_ = anchor_;
        ep_base_ = true;
      }
    }
    // The heel landed earlier than the provisional end (the rest was read
    // late): the rebound window runs from the contact (kReboundSettle_s:
    // the dip settles ~0.5 s after it, DESIGN.md), and a later dip is not
    // its rebound (it would otherwise re-time the window from itself: a
    // countermovement 2.8 s after contact read as the rebound, the rest
    // before it dropped, the rep lost).
    if (en < r.end_s && !rebound_break_seen_) {
      rebound_break_seen_ = true;
      if (en + tau0_ + kReboundSettle_s < rebound_until_) rebound_until_ = en + tau0_ + kReboundSettle_s;
    }
    r.end_s = en;
    r.eccentric_s = en - r.lower_start_s;
    r.eccentric_mean_dps = r.eccentric_s > 0 ? (r.top_deg - contact_.level_after) / r.eccentric_s : 0.0;
    r.eccentric_peak_dps = peak_slope(r.lower_start_s, en, velocity_half_width(r.eccentric_s));
    emit(EventType::rep_refined, t, r, out);
    // The next rep's rest and overlap clamp run from the refined contact.
    if (prev_rep_valid_ && prev_index_ == r.index) {
      prev_end_s_ = en;
      prev_dur_s_ = en - r.start_s;
      if (!r.isometric) tempo_s_ = std::fmax(tempo_s_, prev_dur_s_);
    }
  }
  // The settled level = the raw mean of the still stretch ending at t; the
  // rebound = the lowest raw sample between the lowering's start and that
  // stretch, more than a half band (and the noise floor) below it; contact =
  // the last downward crossing of the settled level before that trough.
  // 0: no contact found; 1: found, but the still stretch lies within
  // kReboundSettle_s of the dip (the settle's tail); 2: found, settled.
  int contact_crossing(double t, double& en) {
    const double w0 = t - kContactRest_s;
    double settled = 0.0;
    if (!raw_mean(w0, t, settled)) return 0;
    // A rest 1-3 deg from the one before (DESIGN.md): farther is a posture
    // change, not the rest this lowering came down to.
    if (std::fabs(settled - contact_.level_after) > kRestShift_deg + band()) return 0;
    const double lo = contact_.rep.lower_start_s;
    // The rebound: the first sample after the lowering started where the
    // smoothed angle (its noise SD sigma sqrt(ENBW / Nyquist), ENBW = 1.11 fc
    // for the 2nd-order Butterworth) lies noise_k of those SDs below the
    // settled level, and more than the stillness tolerance (a dip within it
    // is rest). Its first point, not its deepest: the deepest point of a
    // rest may be sway long after contact.
    const double dip_min = rebound_dip_min();
    const double dip_level = settled - dip_min;
    std::int64_t k_dip = -1;
    // Called every kContactRest_s of stillness until the watch ends (up to
    // kSettleWatch_s): each call used to rescan the whole lowering. Samples
    // an earlier call scanned, all at or above this call's level (their
    // minimum is), cannot hold the dip, and they lie before this call's
    // limit (w0 only grows), so the scan resumes after them; same k_dip.
    const std::int64_t k_start = lower_bound(lo + tau0_);
    std::int64_t k = k_start;
    double scanned_min = std::numeric_limits<double>::infinity();
    const bool resume = contact_.dip_to > k_start && k_start >= contact_.dip_from && !(contact_.dip_min_y < dip_level);
    if (resume) {
      k = contact_.dip_to;
      scanned_min = contact_.dip_min_y;
    }
    for (; k <= newest() && at(k).t - tau0_ < w0; ++k) {
      if (at(k).y < scanned_min) scanned_min = at(k).y;
      if (at(k).y < dip_level) { k_dip = k; break; }
    }
    if (k_dip < 0) {
      // Only a scan that found no dip is remembered (one that found it
      // returns below with the contact, or never resumes: its minimum is
      // under its level).
      if (!resume) contact_.dip_from = k_start;
      contact_.dip_to = k;
      contact_.dip_min_y = scanned_min;
      return 0;
    }
    // Settled = still after the rebound has settled (within ~0.5 s of
    // contact, DESIGN.md: kReboundSettle_s): a still stretch earlier may lie
    // on the settle's tail, below the rest, and put contact late, in the
    // braking (kept as a fallback: 1).
    const int settled_kind = w0 < at(k_dip).t - tau0_ + kReboundSettle_s ? 1 : 2;
    // Contact: the last downward crossing of the settled level by the raw
    // angle before the dip (mapped back by the filter delay).
    std::int64_t k0 = lower_bound(at(k_dip).t - tau0_);
    if (k0 > newest()) k0 = newest();
    for (std::int64_t k = k0; k > oldest() && at(k - 1).t > lo; --k) {
      const double x1 = at(k).x, x0 = at(k - 1).x;
      if (x0 > settled && x1 <= settled) {
        const double a = (settled - x0) / (x1 - x0);
        en = at(k - 1).t + a * (at(k).t - at(k - 1).t);
        if (!(en > lo)) return 0;
        en = contact_below_level(k, settled, en);
        return settled_kind;
      }
    }
    return 0;
  }
  // The crossing of the settled level is exact only where the angle crosses
  // it at speed: its error is the level's error over the speed there. A
  // lowering that glides onto its rest (zero speed at contact, then the
  // rebound's dip: the heel pad compressing) stays within a noise band of
  // the level for a tenth to a fifth of the phase, and a level off by
  // d deg (drift between contact and the settled rest, the still
  // tolerance) moves the crossing early by ((d / range) / 10)^(1/3) of a
  // minimum-jerk phase: 0.2 deg on a 30 deg, 3 s lowering is 0.2 s early
  // (the grid's early tail, issue 16). The level is known only to within
  // the stillness tolerance m (contact_still_tolerance: what "still"
  // allowed). Where the angle is m below the level it is unambiguously
  // past contact, in the rebound: contact is found there and extrapolated
  // back up along the local slope (a line through the raw samples over
  // +/- kContactSlopeHalf_s) to the level, never before the level's own
  // crossing t_level. At speed (the braking after contact keeps most of
  // the contact speed over m) that lands on the crossing itself; on a glide
  // it lands at the dip's start, where the heel landed. A dip shallower than
  // m within kReboundSettle_s keeps the crossing.
  double contact_below_level(std::int64_t k_cross, double settled, double t_level) const {
    const double m = contact_still_tolerance();
    const double deep = settled - m;
    for (std::int64_t k = k_cross; k <= newest() && at(k).t - t_level <= kReboundSettle_s; ++k) {
      if (k <= oldest() || !(at(k).x <= deep)) continue;
      const double x0 = at(k - 1).x, x1 = at(k).x;
      const double a = x0 > x1 ? (deep - x0) / (x1 - x0) : 1.0;
      const double t_deep = at(k - 1).t + (a > 0.0 ? a : 0.0) * (at(k).t - at(k - 1).t);
      double w = kContactSlopeHalf_s;
      if (w < 2.0 * dt_nom_) w = 2.0 * dt_nom_;
      const Line L = fit_line(t_deep, w);
      // The slope must be measured, not noise: its SD for n samples evenly
      // spread over +/- w is sigma sqrt(3 / (n w^2)); a slope within
      // noise_k of those SDs of zero would extrapolate anywhere.
      const double n = 2.0 * w / dt_nom_ + 1.0;
      const double slope_sd = sigma_ * std::sqrt(3.0 / (n * w * w));
      if (!L.ok || !(-L.b > cfg_.noise_k * slope_sd)) return t_level;
      const double t_back = t_deep - m / -L.b;
      return t_back > t_level ? (t_back < t_deep ? t_back : t_deep) : t_level;
    }
    return t_level;
  }
  // Half-width of the slope fit below the level: the rebound's dip takes
  // ~0.1 s (DESIGN.md; braking at contact 0.03-0.3 s): +/- 50 ms spans it
  // and averages the noise of the slope down (0.2 deg of angle noise at
  // 100 Hz: slope SD ~2 deg/s, against the dip's 20-90 deg/s).
  static constexpr double kContactSlopeHalf_s = 0.05;
  double rebound_dip_min() const {
    const double sd_y = sigma_ * std::sqrt(1.1107 * cfg_.smoothing_cutoff_hz / (0.5 * cfg_.sample_rate_hz));
    const double dip_min = cfg_.noise_k * sd_y;
    return 0.25 * band() > dip_min ? 0.25 * band() : dip_min;
  }
  // The rest after contact counts as settled after this long still: the
  // rebound's trough, a turning point, stays within the tolerance above for
  // under ~0.2 s (a 1 deg dip in 0.1 s settling over 0.4 s, minimum jerk).
  static constexpr double kContactRest_s = 0.25;
  struct PendingContact {
    bool active = false;
    Rep rep;                      // as sent by rep_completed / hold_completed
    double completed_at_s = 0.0;  // that event's time
    double level_after = 0.0;     // the level after the rep (eccentric mean speed)
    double deadline_s = 0.0;      // no settled rest by then: the provisional end stays
    double anchor = 0.0, anchor_t = 0.0;  // raw stillness tracker
    bool found = false;           // settled: en is the contact, rep_refined due
    bool settled = false;         // found from a still stretch after the rebound (not its tail)
    double en = 0.0;
    bool has_early = false;       // a crossing from a still stretch on the settle's tail
    double early_en = 0.0;
    // The rebound search's memory (contact_crossing): the samples [dip_from,
    // dip_to) were scanned and their lowest smoothed angle was dip_min_y.
    // dip_to < 0: nothing scanned yet in this watch.
    std::int64_t dip_from = 0, dip_to = -1;
    double dip_min_y = 0.0;
  } contact_;

  // Three small movements at one rhythm: the two held ones and one starting
  // at next_start_s, their start-to-start periods within kRhythmTolerance of
  // each other (header, "Lone movements").
  bool rhythmic(double next_start_s) const {
    const double p1 = held_[1].rep.start_s - held_[0].rep.start_s;
    const double p2 = next_start_s - held_[1].rep.start_s;
    return p1 > 0.0 && p2 > 0.0 && std::fabs(p2 - p1) <= kRhythmTolerance * 0.5 * (p1 + p2);
  }

  // The two held small movements were deliberate raises, not fidgets
  // (header, "Lone movements"): each paused at the top for at least
  // kLoneTopPause_s, or the next movement (the next one leaving at
  // next_start_s) left within kSetRestMax_s of its heel contact. A raise of
  // a set is held at the top (quick ones 0.5-1.5 s, prescribed ones 2-3 s,
  // DESIGN.md "What real movement looks like") or runs on into the next
  // raise after at most a set's rest on the floor (0.5-1.5 s, DESIGN.md; a
  // bouncy set has none; paced heel-rise tests raise and lower to a
  // metronome with no stop between reps, Hebert-Losier et al. 2009, Man
  // Ther 14:261). A fidget's heel lift does neither: 0-0.5 s at the top,
  // then the foot stands still for 1.5-5 s before whatever comes next.
  bool held_deliberate(double next_start_s) const {
    const Rep& a = held_[0].rep;
    const Rep& b = held_[1].rep;
    const bool a_ok = a.hold_s >= kLoneTopPause_s || b.start_s - a.end_s <= kSetRestMax_s;
    const bool b_ok = b.hold_s >= kLoneTopPause_s || next_start_s - b.end_s <= kSetRestMax_s;
    return a_ok && b_ok;
  }
  // The three small movements of a set held their tops alike (header, "Lone
  // movements"): a set repeats one movement at one tempo, its top hold
  // included (prescribed holds are counted out, "hold 2-3 s", the same for
  // every rep: DESIGN.md "What real movement looks like"). People reproduce
  // a timed interval of 0.5-5 s with a coefficient of variation of 5-15 %
  // (scalar timing: Grondin 2010, Atten Percept Psychophys 72:561; CVs of
  // timed intervals from 68 ms to 17 min, falling with the interval: Lewis
  // & Miall 2009, Phil Trans R Soc B 364:1897; Repp 2005, Psychon Bull Rev
  // 12:969, for paced movement): two holds of one
  // set differ by at most 3 SDs of a difference, 3 x sqrt(2) x 15 % = 64 %
  // of their mean (kHoldTolerance), plus the error of two measured holds
  // (each between two boundaries of p95 <= 120 ms, issue 16: 2 x 2 x
  // 0.12 s = kHoldErrorMax_s). A fidget's "top" is whatever the foot did
  // before it came down: a heel lift's 0-0.5 s, or a weight shift up held
  // for the 1.5-5 s until the next shift (a 2-4 deg movement with a hold of
  // many seconds next to one of none): three of them at a chance rhythm
  // rarely also hold alike.
  bool holds_alike(double third_hold_s) const {
    const double h[3] = {held_[0].rep.hold_s, held_[1].rep.hold_s, third_hold_s};
    for (int i = 0; i < 3; ++i)
      for (int j = i + 1; j < 3; ++j)
        if (std::fabs(h[i] - h[j]) > kHoldTolerance * 0.5 * (h[i] + h[j]) + kHoldErrorMax_s) return false;
    return true;
  }
  static constexpr double kHoldTolerance = 0.64;
  static constexpr double kHoldErrorMax_s = 0.48;
  // The longest rest on the floor between two reps of a set, 1.5 s
  // (DESIGN.md), plus twice the boundary error the acceptance allows (p95
  // <= 120 ms per boundary, issue 16): heel contact to the next heel-off.
  static constexpr double kSetRestMax_s = 1.75;

  static constexpr int kRomHist = 5;
  // Lone movements (no rep ended within kLoneGap_s before it) without a
  // pause at the top: held back until the set goes on. A heel raise held at
  // the top for even a moment (quick raises hold 0.5-1.5 s; prescribed ones
  // 2-3 s: DESIGN.md) counts at once. One that turns straight back down is a
  // rep only if another follows within kChainGap_s (a bouncy set, whose first
  // rep is then reported when the second starts); alone it is what sitting
  // down or standing up does to a shank (15-30 deg forward and straight back,
  // DESIGN.md, Schenkman 1990), a fidget's heel lift (2-4 deg, 0-0.5 s
  // pause), gait initiation, or a kick, and is dropped (rep_rejected when its
  // rep_started went out). 0.4 s: below the shortest deliberate top hold
  // (0.5 s) with room for the boundary error.
  static constexpr double kLoneTopPause_s = 0.4;
  // A rep with no rep ended in the kLoneGap_s before it would start a set:
  // rests between the reps of a set last 0.5-1.5 s (DESIGN.md), up to a few
  // seconds in slow prescribed sets; between sets 30 s or more.
  static constexpr double kLoneGap_s = 5.0;
  // Small lone movements (rom < lone_min_rom_deg): the next rep must start
  // within a set's rhythm. From one rep's heel contact (end_s) to the next
  // one's heel-off (start_s) a real set spends the rebound's settle (~0.5 s),
  // the rest on the floor (0.5-1.5 s) and the countermovement (0.1-0.5 s)
  // (DESIGN.md "What real movement looks like"): up to 2.5 s, plus twice the
  // boundary error the acceptance allows (p95 <= 120 ms per boundary, issue
  // 16): 2.75 s. (1.75 s, the rest alone, lost the first rep of a third of
  // the shank sets under 'auto', whose angle is a shank's, a fifth to a third
  // of the foot's, so most shank raises are "small".) Fidgets come every few
  // seconds, irregularly: a chain of them needs three within this gap of
  // each other at one rhythm (kRhythmTolerance) to count.
  // The window is the longer of this and the last rep's own duration
  // (heel-off to heel contact, small_chain_gap_s): a set goes on at its
  // tempo without resting longer than a rep lasts (paced heel-rise tests
  // run continuously at 0.5-1 Hz, Hebert-Losier et al. 2009; prescribed
  // slow sets, 3 s lowering and 2-3 s holds, rest 0.5-1.5 s between reps,
  // DESIGN.md), so slow reps of 5-10 s chain across rests that the shank's
  // boundary error (a slow lowering's heel contact found early) stretches
  // past 2.75 s. A fidget's heel lift lasts 0.4-1.5 s and keeps 2.75 s.
  static constexpr double kSmallChainGap_s = 2.75;
  static constexpr double kTempoFloor = (1.0 - 2.0 * 0.15) / (1.0 + 2.0 * 0.15);  // 0.54: see finalize (at_tempo)
  double held_chain_gap_s() const {
    return held_small_ ? small_chain_gap_s(tempo_s_) : kChainGap_s;
  }
  static double small_chain_gap_s(double rep_s) { return rep_s > kSmallChainGap_s ? rep_s : kSmallChainGap_s; }
  // The set's tempo (issue 16, tempo_s_): the longest heel-off-to-contact
  // duration measured among the current set's reps (each starting within
  // small_chain_gap_s of the last one's end; held ones included), which
  // sets the set's rest limit (small_chain_gap_s) in place of the last
  // rep's own duration. A set repeats one tempo (timed intervals are
  // reproduced with a CV of 5-15 %, Grondin 2010, Atten Percept Psychophys
  // 72:561; a partial raise keeps the set's timing, only its height is
  // smaller), but a partial raise's slow lowering at a shank (1-2 deg over
  // ~3 s) lies inside the rest band for its last second or two and its
  // heel contact is found that much early: its measured duration (3.7 s
  // for a true 5.6 s, wall-sit shank) made the rest after it look longer
  // than the set's and the next reps started a new chain, the held ones
  // dropped. The longest measured one is the least shortened. Refined
  // contacts only lengthen it; a new set (a rest past the limit) restarts it.
  double tempo_s_ = 0.0;
  // Held movements wait for the next rep's heel-off within held_chain_gap_s
  // of their heel contact (announce_start, finalize). Heel-off is dated
  // back from the start threshold's crossing, which comes later: at
  // on_fraction of the rise, reached by a minimum-jerk rise (the shape
  // slowest to leave rest of the three fitted; Flash & Hogan 1985, J
  // Neurosci 5:1688: x(u) = 10u^3 - 15u^4 + 6u^5) at u = 0.33 of its
  // duration (onset_u_, for on_fraction 0.2). A set repeats its tempo
  // within two CVs of 15 % (Grondin 2010, Atten Percept Psychophys 72:561),
  // so the next rise lasts at most 1.3x the held rep's own. The rest state
  // drops the held ones only once a movement leaving inside the gap would
  // have been seen: at the gap plus that lag (issue 16, seated shank seed
  // 164 at 200 Hz: a 1.2 s rise leaving 2.85 s after the held first rep's
  // contact crossed the threshold 0.16 s later, 3.01 s after it, and the
  // first rep was dropped though its successor left within the 3 s gap).
  static constexpr double kTempoCeil = 1.0 + 2.0 * 0.15;
  double onset_u_ = 0.33;
  double held_onset_lag_s() const { return kTempoCeil * onset_u_ * held_[n_held_ - 1].rep.concentric_s; }
  // Fraction of a minimum-jerk movement's duration at which it has covered
  // the fraction p of its range (bisection; x(u) is monotonic on [0, 1]).
  static double min_jerk_fraction_time(double p) {
    double lo = 0.0, hi = 1.0;
    for (int i = 0; i < 40; ++i) {
      const double u = 0.5 * (lo + hi);
      const double x = u * u * u * (10.0 + u * (-15.0 + 6.0 * u));
      if (x < p) lo = u;
      else hi = u;
    }
    return 0.5 * (lo + hi);
  }
  // The last rep paused at its top (hold_s >= kLoneTopPause_s): see at_tempo
  // in finalize.
  bool prev_paused_ = false;
  // Partial raises inside a set (issue 16; header, "Partial raises in a
  // set"). Under 'auto' (min_excursion_deg 1.5, in the angle's own units) a
  // seated or wall-sit shank reads a 17 deg set as ~4.3 deg and its partial
  // raises as 1.0-2.0 deg (a fifth to a third of the foot's range,
  // DESIGN.md; the seated linkage's ratio grows from 0.19 at rest to ~0.30
  // at 40 deg, imu_reps.hpp, so a small raise reads smaller still against
  // its set): under the fixed minimum they were lost, and with them the
  // set's rhythm. No fraction of the set's range bounds a partial raise
  // from below: partial raises go down to 3 deg at the foot (issue 16),
  // under a tenth of a 30-60 deg set (DESIGN.md: a foot's heel raise spans
  // about 5-60 deg), and 3 deg reads >= 0.6 deg at any sensor (a shank sees
  // at least a fifth of the foot's range), under the rest band's own start
  // threshold (1.5 x the 0.5 deg band floor = 0.75 deg). So once the set's
  // range is known (n_rom_) and the movement starts at the set's tempo
  // (within small_chain_gap_s of the last rep's end), its minimum is what
  // tells any movement from rest: the start threshold (on_threshold: the
  // rest band, the noise floor and on_fraction of the set's range), never
  // above min_excursion_deg (a foot's sets, where on_threshold exceeds it,
  // are unchanged). A movement so admitted under min_excursion_deg must
  // still be a deliberate raise (finalize: a pause at the top, or the set's
  // tempo). Fidgets between sets (rests > kSmallChainGap_s) keep the fixed
  // minimum, and a small rep still counts only in a confirmed set (header,
  // "Lone movements"). And only for a rise (start_s to top_s, or to now
  // while rising) shorter than the last rep's whole duration: a set repeats
  // one tempo (timed intervals are reproduced with a CV of 5-15 %, Grondin
  // 2010, Atten Percept Psychophys 72:561), and a partial raise rises less
  // far at it; a creep of the angle over many seconds (a single-leg hold's
  // sag and wobble: 0.9 deg over 18 s) is no raise, and admitted as one it
  // held the lowering state open. Nor within kReboundSettle_s of the last
  // rep's heel contact: the rebound settles within about 0.5 s (DESIGN.md),
  // and its return up is no raise.
  // (Replaces seat16's kPartialFraction, 0.35 of the set's range less one
  // band: 0.35 was the simulator's own lower partial fraction, no source.)
  // A set's opening movement (issue 16, cellsB18; opens_set: no rep within
  // the set's rest limit before it) is one of the set's raises as much as
  // its later ones, and a set may open with a partial one (0.35-0.65 of its
  // full raises, DESIGN.md): its minimum is the start threshold such a
  // movement has to cross (lone_start_threshold: the rest band, the noise
  // floor and on_fraction of the recent range, capped at lone_min_rom_deg),
  // never above min_excursion_deg. Under 'auto' a seated or wall-sit shank
  // reads a 6.7-7.3 deg opening partial as ~1.3-1.5 deg, under the fixed
  // 1.5 deg: it was lost. What keeps a fidget out is unchanged: a movement
  // under lone_min_rom_deg is a small lone one, held until the set's
  // rhythm confirms it (header, "Lone movements"), and one under
  // min_excursion_deg must pause at the top (finalize). Only once a range
  // is known (n_rom_ > 0: a rep in the last adapt_reset_rest_s): at the
  // session's start the orientation filter's power-on settling turns the
  // angle by 1-2 deg while the sensor lies still (imu_reps.hpp,
  // replay_prelock), and admitted as a movement that drift ran into the
  // first rep and took it (extra seed 257, wall-sit shank, 100 Hz). At a
  // foot (recent ranges >= 7.5 deg) the threshold is the fixed minimum.
  bool opens_set(double start_s) const {
    return cfg_.lone_min_rom_deg > 0.0 && n_rom_ > 0 && (!prev_rep_valid_ || start_s - prev_end_s_ > small_chain_gap_s(tempo_s_));
  }
  double set_min_excursion(double start_s, double top_s) const {
    const double fixed = cfg_.min_excursion_deg;
    if (opens_set(start_s)) {
      // A bouncy set's opening partial stepped again (replay_opening_partial)
      // started at, and is judged on, the floor threshold.
      const double m = cur_opened_by_replay_ ? floor_start_threshold() : lone_start_threshold();
      return m < fixed ? m : fixed;
    }
    if (n_rom_ == 0 || !prev_rep_valid_ || start_s - prev_end_s_ > small_chain_gap_s(tempo_s_) ||
        start_s - prev_end_s_ < kReboundSettle_s || top_s - start_s > prev_dur_s_)
      return fixed;
    const double m = on_threshold();
    return m < fixed ? m : fixed;
  }
  // A rise that stalled (rising state) moved the foot to a new level, which
  // breaks a chain of held small movements (foot_moved_), unless the level
  // is no new one (issue 16, header "Lone movements"):
  // - its peak lies at or below the baseline it rose from: it never rose,
  //   the rest only sagged (seen on shank sets under 'auto': a 0.1-0.3 deg
  //   sag after the onset tripped on the smoothed angle dropped the set's
  //   first small raise). A rise back from a dip to the rest (a toe tap's
  //   return) peaks above its baseline and still counts;
  // - it rose within kReboundSettle_s (0.6 s) of the last held rep's heel
  //   contact and settled within kRestShift_deg of the level that rep
  //   arrived at: the rebound's settle onto the rep's own new rest (a 1-5
  //   deg dip settling within ~0.5 s of contact, the rest after a rep 1-3
  //   deg from the one before, DESIGN.md "What real movement looks like"),
  //   part of that rep. A toe tap's return (its dip later than the rebound)
  //   still moved the foot.
  //   The window runs from the held rep's heel contact, or from its
  //   rebound's dip where one showed (rebound_until_), give or take one
  //   boundary error (kBoundaryErr_s: a slow lowering's provisional contact
  //   lies up to ~0.6 s off the true one); the level within kRestShift_deg
  //   or a quarter of the rep's range (kRestShiftMaxFraction). Slow shank
  //   sets lost their first, partial, raise when its settle read as the
  //   foot moving.
  bool stall_moved_foot(double y) const {
    if (peak_ <= cur_.baseline_deg) return false;
    if (!prev_rep_valid_ || n_held_ == 0) return true;
    const bool in_rebound = cur_.start_s - prev_end_s_ <= kReboundSettle_s ||
                            cur_.start_s + tau0_ <= rebound_until_ + kBoundaryErr_s;
    const double rest_shift_deg = std::fmax(kRestShift_deg, kRestShiftMaxFraction * held_[n_held_ - 1].rep.rom_deg);
    return !(in_rebound && std::fabs(y - prev_base_after_) <= rest_shift_deg);
  }
  // A set of small movements is a rhythm (header, "Lone movements"): the
  // start-to-start periods of its first three reps differ by at most this
  // fraction of their mean. People pace a set closely (heel-rise tests are
  // paced by a metronome, Hebert-Losier et al. 2009, Man Ther 14:261), and
  // self-paced rhythmic movement keeps its period with a coefficient of
  // variation of about 3-6 % at 0.5-4 s periods (Repp 2005, Psychon Bull
  // Rev 12:969; Madison 2001, J Exp Psychol Hum Percept Perform 27:411):
  // the difference of two periods has an SD of sqrt(2) x 6 % = 8.5 %, and
  // 3 SDs of it is 25 %. Fidgets come every 1.5-5 s at random.
  static constexpr double kRhythmTolerance = 0.25;
  // Posture change (sit-to-stand with a shank sensor: a 15-30 deg forward
  // tilt that settles at a different level, seated 0-12 deg behind vertical
  // vs standing upright, Schenkman et al. 1990, Phys Ther 70:638): a lone
  // movement whose rest after differs from its rest before by more than the
  // 1-3 deg a real raise's rest moves (DESIGN.md) and by more than a quarter
  // of its range (a hold may sag by up to a quarter of the range, issue 16)
  // is not a rep (kRestShift_deg, below).
  static constexpr double kRestShiftMaxFraction = 0.25;
  // Nor does a rep start at the bottom of a fall: a lone rise whose rest
  // began less than kFallInLook_s after the angle stood more than
  // kRestShift_deg above it (plus the rest band) starts from a turning
  // point, not from rest (the shank's forward tilt at seat-off or sitting
  // down, 15-30 deg in 0.6-1.2 s, turning straight into the next posture).
  // A real raise's rest before is still (a set's rests 0.5-1.5 s, DESIGN.md)
  // and moves by 1-3 deg at most; its countermovement dips below it, not
  // above. 1 s: two set rests' lower bound (0.5 s) back from heel-off.
  static constexpr double kFallInLook_s = 1.0;
  bool fell_in_ = false;
  // A rise that held still for kRisePause_s (the shortest deliberate top
  // hold, 0.5 s, DESIGN.md) and then rose on is two movements (weight shifts
  // stacking up), not one lone raise: a heel raise rises in one go.
  static constexpr double kRisePause_s = 0.5;
  bool stair_rise_ = false;
  // The top a lifted rise paused at before it rose on (NaN: none), and that
  // rise's lift (lift_foot_rom_deg and its slope): "Sway on a raised
  // shank's top", header.
  double stair_lifted_top_deg_ = std::numeric_limits<double>::quiet_NaN();
  double stair_lift_rom_ = 0.0, stair_lift_k_ = 0.0;
  // A lone rise out of a dip deeper than a countermovement (2-6 deg of
  // dorsiflexion at the foot before heel-off, DESIGN.md) is not a raise:
  // seat-off tilts the shank forward 15-30 deg and straight back up into
  // standing (Schenkman et al. 1990).
  static constexpr double kMaxCountermovement_deg = 6.0;
  bool deep_dip_ = false;
  // A lowering is one eccentric movement from the top to the floor (quick
  // 0.25-0.6 s, prescribed 3 s, DESIGN.md): a lone movement whose angle,
  // once it had begun to lower, climbed back above the rise's peak by more
  // than a rest shift (kRestShift_deg) and a quarter of its range (the
  // bounds of a hold's sag, issue 16, which a hold may win back) made a
  // second movement on top of a held posture, as stair_rise_ does before
  // the top: a shank's "rise" into standing (seat-off's forward tilt, then
  // back to vertical, Schenkman et al. 1990) held 5-20 s, then the forward
  // tilt of sitting down above it, then the fall to the seated level, read
  // as one raise with a long top hold (issue 16, sit2stand16).
  double low_max_ = -1e300;  // highest smoothed angle since the lowering began
  // Held movements: a lone full-sized one waiting for its set, or up to two
  // small ones waiting for the regular third (header, "Lone movements").
  struct Held {
    Rep rep{};
    bool started = false, prev_valid = false, rom_pushed = false, prev_paused = false;
    bool lift_like_raise = false;  // its lift per radian was a shank raise's (finalize)
    int prev_index = 0;
    double prev_end_s = 0.0, prev_dur_s = 0.0, prev_base_after = 0.0, prev_tempo_s = 0.0;
  };
  Held held_[2] = {};
  int n_held_ = 0;
  // A movement that was not a rep (a toe tap's return, a weight shift) came
  // after the last held small movement: the foot was not quiet, the held
  // ones are not a set (header, "Lone movements").
  bool foot_moved_ = false;
  bool held_small_ = false;
  // The held movement's release waits for the verdict on the movement that
  // ran straight on from it (announce_start).
  bool held_await_ = false;
  // Shape evidence per phase, decayed over the recent reps: 0 rise, 1
  // lowering (its end: heel contact), 2 the lowering's onset (judged on its
  // first half only, see finalize).
  double shape_score_[3][3] = {};
  double rss_c_[3] = {};
  int shape_c_ = 0;
  static constexpr double kWarmup_s = 0.25;
  static constexpr double kLowStill_s = 1.0;
  // An arrival level above a quarter of the range is not a rest shift: the
  // same bound as a hold's sag (kRestShiftMaxFraction).
  static constexpr double kArrivalMaxFraction = 0.25;
  // Span of the speed measured in refine_end_level: the rebound's dip takes
  // ~0.1 s (DESIGN.md), so the slowest 0.1 s before it is the arrival.
  static constexpr double kArrivalSpan_s = 0.1;
  // A lowering falls faster than this fraction of its mean speed until it
  // has nearly arrived: the speed of a minimum-jerk lowering (Flash & Hogan
  // 1985, J Neurosci 5:1688), 30 u^2 (1 - u)^2 of the mean, drops under a
  // quarter only for u > 0.90, a raised cosine's, (pi/2) sin(pi u), for
  // u > 0.95 (rest state: the glide keeps the rebound window open).
  static constexpr double kGlideSpeedFraction = 0.25;
  // Longest wait for a fitted end past the constant-velocity knee: a 4 s
  // minimum-jerk lowering ends ~1 s after its knee.
  static constexpr double kEndWaitMax_s = 1.5;
  static constexpr double kChainGap_s = 3.0;  // a rep this soon after the last one may chain
  // A rise leaving within this of the last rep's heel contact had no rest
  // at the bottom: a bouncy (continuous) set. The stillness that marks a
  // rest (min_rest_s's default) is 0.25 s; the stretch-shortening cycle of a
  // rebounding calf couples lowering and rise within ~0.25 s (Komi 2000,
  // J Biomech 33:1197: SSC coupling times of 0.1-0.25 s), beyond which the
  // elastic energy is lost and people pause instead.
  static constexpr double kBouncyGap_s = 0.25;
  // Countermovement before heel-off lasts 0.1-0.5 s (DESIGN.md, measured on
  // real raises); a slow rise then needs up to ~1 s more to climb back
  // through the rest level (a 2 s rise from a 6 deg dip below a 10 deg
  // partial raise). Longer below the rest: a new, lower rest.
  static constexpr double kCountermovement_s = 1.5;
  double rest_ep_level_ = 0.0;  // smoothed angle of the last rest episode
  // The last rest (>= min_rest_s) left upwards: its episode and level.
  double open_rest_start_ = -1e300, open_rest_end_ = -1e300, open_rest_level_ = 0.0;
  // The rest state as it left that rest (replay_opening_partial).
  struct OpenRestSnap {
    bool valid = false;
    std::int64_t k = 0;
    double t_prev = 0.0, b = 0.0, anchor = 0.0, still_start = 0.0, rest_dwell = 0.0, rest_ep_start = 0.0,
           rest_ep_end = 0.0, rest_ep_level = 0.0, dip_left_level = 0.0, floor_lowered_t = 0.0;
    bool ep_base = false, rest_ep_left_up = false, cm_armed = false;
  };
  OpenRestSnap open_snap_;
  bool replaying_ = false;             // stepping an opening partial again
  bool replay_open_ = false;           // ... and its movement has not begun yet
  bool cur_opened_by_replay_ = false;  // the current movement began so
  // An up-and-down of a bouncy set: two phases of 0.3-0.5 s each (issue 16,
  // measured on real fast sets; sim bouncy_phase_s): a movement back at the
  // rest it left within 1.0 s of leaving it has not moved to a new posture.
  static constexpr double kOpeningPartial_s = 1.0;
  static constexpr double kCmDipHold_s = 1.0;
  static constexpr double kNoLevel = -1e300;
  // Level of the rest a dip held > kCmDipHold_s left (kNoLevel: none), for
  // the rest episode last recorded, and for the current candidate.
  double dip_left_level_ = kNoLevel, cur_dip_left_level_ = kNoLevel;
  // The last rest episode was left upwards (rest_ep_left_up_); the current
  // candidate's baseline is the rest before its countermovement, the dip
  // that served as its rest being the countermovement (begin_candidate).
  bool rest_ep_left_up_ = false, cur_cm_rest_restored_ = false;
  static constexpr double kReboundSettle_s = 0.6;
  static constexpr double kGaitTopPause_s = 0.2;
  static constexpr double kMaxRom_deg = 90.0;         // see finalize(): 60 deg at the foot plus margin
  static constexpr double kMaxRiseRate_dps = 1000.0;  // ~4x the fastest raises' 240 deg/s
  static constexpr double kRestShift_deg = 3.0;  // rest after a rep 1-3 deg from the one before (DESIGN.md)
  // Carried movements (header): the largest vertical travel of a sensor on
  // the foot or shank in a heel raise, 0.22 m (the heel, 0.21 m behind the
  // MTP pivot, turned through 60 deg, 1.05 rad), and a pedal's over half a
  // crank turn, 2 r = 0.33 m (165-175 mm cranks): their geometric mean.
  static constexpr double kMaxHeelLift_m = 0.27;
  // RMS vertical acceleration a crank gives at the slowest cadence, w^2 r /
  // sqrt(2) = 3.0 m/s^2 at 0.8 Hz (50 rpm), halved; a slow raise has far
  // less, and |a|'s calibration error (1-3 % of g) stays 5x below.
  static constexpr double kCarriedMinAcc_mps2 = 1.5;
  static constexpr double kGravity_mps2 = kStandardGravity_mps2;
  static constexpr double kDegPerRad = 57.29577951308232;
  // Lift (header): a shank sensor's rise per radian of its own rotation in
  // a heel raise is at least (mtp-to-ankle 0.14 m) / (shank-to-foot ratio
  // <= 1/3, DESIGN.md) - (the sensor's forward offset on the shank, ~0.04
  // m) = 0.38 m/rad; no point of a foot pivoting on the floor rises more
  // than the heel's lever, 0.21 m/rad (header, "Carried movements"); a
  // rotation about the ankle (quiet-stance sway, a sit-to-stand's shank
  // tilt) lifts a shank sensor by its offset from the ankle's axis, under
  // 0.06 m/rad. The threshold is the geometric mean of 0.21 and 0.38.
  static constexpr double kShankLiftMin_m_per_rad = 0.28;
  // And at most twice the steepest shank raise's (0.14 m / (1/5), the
  // smallest shank-to-foot ratio, DESIGN.md; twice for the estimate's noise
  // on small movements): a sensor lifted with hardly any rotation (a leg
  // lifted off the floor) is no heel raise.
  static constexpr double kShankLiftMax_m_per_rad = 1.4;
  // The lift must stand 3 SD above its noise (sigma_z in lift_foot_rom_deg).
  static constexpr double kLiftSigmas = 3.0;
  // Sway under a shank raise (header): how far quiet-stance sway about the
  // ankle moves a shank's angle within one rep, a sinusoid's peak-to-peak
  // 2 sqrt(2) sigma at the upper end of the ankle's sway, sigma = 0.5 deg
  // RMS (Loram & Lakie 2002, J Physiol 545:1041; Winter 1995, Gait Posture
  // 3:193), which the sway's fastest component (0.5 Hz) covers in the ~1 s
  // a bouncy rep lasts. In the output angle's degrees, as the lift slope is
  // per output radian: under 'auto' and 'foot' (gain 1) as derived; under
  // the scaled shank placements (x1/0.3, x1/0.19) both are smaller in shank
  // degrees than derived (not re-derived; the grid runs 'auto').
  static constexpr double kSwayReach_deg = 2.0 * 1.4142135623730951 * 0.5;
  // Rest before the rise and top after it in the lift's window: its ends
  // are still (the velocity's two zeros that the fit's quadratic rests on).
  static constexpr double kLiftPad_s = 0.5;
  // Hold wobble (header): the off-axis rate RMS a single-leg hold reaches
  // at least, 2 deg/s: halfway on a log scale between quiet double-leg
  // stance's sway, at most 1 deg/s about each of the two off-axis axes
  // (Winter 1995; 1.41 deg/s together), and a single-leg hold's wobble, at
  // least 2 deg/s about each (DESIGN.md, measured on real holds; 2.83 deg/s
  // together): sqrt(1.41 x 2.83) = 2.0.
  static constexpr double kHoldWobbleMin_dps = 2.0;
  // Rose without turning (header): the least share of a rise the gyro's
  // rate must account for, halfway between a rotation (1) and a tilt
  // correction of the orientation filter (0).
  static constexpr double kTurnShareMin = 0.5;
  // ... and a hold quieter than standing sway's least, 0.3 deg/s (Winter
  // 1995), is no standing weight shift either: nothing balances (a seated
  // raise's hold, the thigh loaded) and the rate is the gyro's noise (MEMS
  // gyros 0.005-0.015 deg/s/sqrt(Hz), 0.05-0.2 deg/s RMS at 50-200 Hz;
  // simulator 0.14). Such a hold is judged as before the rule (review19: a
  // seated shank's 25 s hold, 2.7 deg under 'auto', was lost).
  static constexpr double kStandingSwayMin_dps = 0.3;
  // ... judged on at least 2 s of the hold: four periods of its slowest
  // (0.5 Hz) corrections, enough for an RMS within ~25 % (a sum of a few
  // sinusoids).
  static constexpr double kHoldWobbleSpan_s = 2.0;
  // Strides (header): a heel strike's transient at the foot or shank, peaks
  // of 2-5 g within 10-30 ms in walking (Whittle 1999, Gait Posture 10:264;
  // Light et al. 1980, J Biomech 13:477), against a heel raise's linear
  // acceleration of <= 2 m/s^2 at the foot (see kCarriedMinAcc_mps2; more at
  // a shank in quick sets): |a| over 2 g (an excess of 1 g over gravity),
  // the lower end of those peaks. Limits (stated): a 10-30 ms impact sampled
  // at 50 Hz may read well under its peak (the rule then does not fire and
  // the stride is judged by the other rules); a bouncy set that taps the
  // heel down hard (from ~0.35-0.5 m/s, header "Strides": the 2 g
  // assumption) without holding its top would be read as strides.
  static constexpr double kHeelStrike_mps2 = kHeelStrikeExcess_g * kStandardGravity_mps2;  // core/physical.hpp
  // Strides carry the foot away (header, "Strides"): the shortest stride
  // moves it one stair tread, >= 0.254 m (the residential minimum, IRC
  // R311.7.5.2; 0.28 m typical) and a riser up or down (0.1-0.2 m), >= 0.27 m
  // in all; level gait twice a step of >= 0.3 m. A heel raise brings the
  // sensor back to where it rested, within its rest shift (1-3 deg, DESIGN.md,
  // x a lever <= 0.25 m: <= 0.013 m). Halfway between, 0.15 m, leaves each
  // side ~0.12 m for the integration's error (ImuRepCounter, kCarryWindow_s).
  static constexpr double kStrideMin_m = 0.15;
  // Heel strike to foot flat, the loading response: 0-10 % of a 0.9-1.25 s
  // gait cycle, 0.09-0.125 s (Perry 1992, Gait Analysis; stride frequency
  // 0.8-1.1 Hz): the impact lies within it of the angle's heel-contact
  // turning point.
  static constexpr double kLoadingResponse_s = 0.12;
  // One gait cycle at a comfortable walking speed: a stride's next heel
  // strike comes within 0.9-1.25 s (Perry 1992, Gait Analysis; Perry &
  // Burnfield 2010; 0.8-1.1 Hz), as in the automatic axis's stride test
  // (sagittal_axis.hpp kStrideMax_s, judge_stance's window). Used by
  // strides_before() (a lowering never rises past its top) and by a movement
  // that ran straight on into the next (held_await_), which waits for that
  // one's verdict at most one gait cycle from its heel contact (a slow raise
  // after it is judged seconds later).
  static constexpr double kGaitCycle_s = 1.25;
  // A heel-strike transient lasts 10-30 ms (Whittle 1999, Gait Posture
  // 10:264) from the heel's contact, the foot's turning point from swing
  // into the heel rocker (Perry 1992): 30 ms after that turning point its
  // impact has been received.
  static constexpr double kImpactSpan_s = 0.03;
  static constexpr int kRateSpanMax = 16;  // 50 ms at up to 320 Hz (the segmenter runs <= 200 Hz behind the IMU chain)
  bool cur_in_rebound_ = false;
  bool rebound_dipped_ = false;  // the rest after the last rep dipped below its contact level
  bool rebound_seen_ = false;    // refine_end_level found the rebound's dip after the arrival
  bool cm_armed_ = false;  // the last rest was left downwards (a countermovement may follow)  // rebound settles within ~0.5 s (DESIGN.md)
  double rebound_until_ = -1e300, rebound_floor_ = 0.0;
  double glide_dps_ = 0.0;  // a fall faster than this after a rep is still its lowering (rest state)
  bool rebound_break_seen_ = false;  // the rebound window was re-timed from its dip's first break
  double settle_watch_until_ = -1e300;
  // When the rest tracker's floor (b_) last went down (smoothed time axis):
  // apply_contact tells a floor set by a rebound's dip after the rebound
  // window from one set at rest or during the lowering.
  double floor_lowered_t_ = -1e300;
  static constexpr double kSettleWatch_s = 2.0;  // rebound 0.5 s + a slow settle up to ~1.5 s
  double conc_from_ = 0.0;      // level the concentric starts from (rest or countermovement dip)
  // Largest dip below the starting level at heel contact: rebound 5 deg +
  // rest shift 3 deg (DESIGN.md); walking's foot pitch swings 20 deg below.
  static constexpr double kRebound_deg = 8.0;
  double stream_start_ = 0.0;

  SegmenterConfig cfg_{};
  dsp::SosCascade<double, 2> filter_;
  double tau0_ = 0.0, dt_nom_ = 0.01;
  bool configured_ = false;

  // Strides (header): a completion waiting for its heel-strike window. The
  // samples received meanwhile (at most kPendMax: 0.16 s at 400 Hz, the
  // fastest input the header names, over kLoadingResponse_s; a faster input
  // is judged on what fits) are stepped through the state machine when the
  // verdict is in (resolve_pending).
  static constexpr int kPendMax = 64;
  // The late step reads the waiting completion's own sample from the ring:
  // the samples received meanwhile must not overwrite it, nor the phases
  // finalize() reads before it.
  static_assert(HistoryCapacity >= 4 * kPendMax, "history must outlast a heel-strike wait several times over");
  struct PendSample {
    double t, x, y;  // time (s), raw and smoothed angle (deg)
  };
  PendSample pend_buf_[kPendMax] = {};
  int pend_n_ = 0;
  bool pend_ = false, pend_may_wait_ = false, resolving_ = false;
  std::int64_t pend_k_ = 0;  // the waiting completion's sample
  // The newest sample the state machine has stepped to (newest()): the
  // newest received, or while a completion waits the one stepped late.
  std::int64_t newest_ = -1;
  double pend_t_ = 0.0, pend_en_ = 0.0, pend_until_ = 0.0, pend_tprev_ = 0.0, pend_yprev_ = 0.0;
  double pend_tk_ = 0.0, pend_yk_ = 0.0, pend_lo_ = 0.0;
  double emit_not_before_ = -1e300;  // events of late-stepped samples go out at the verdict's time
  // What finalize() changes before its verdict, restored when it waits (so
  // that the late call starts from the same state).
  struct FinalizeEntry {
    double tecc[4], b_ecc, we, rss_c[3];
    Line conc[4];
    int shape_c;
    bool rebound_seen;
    Rep cur;
  };
  FinalizeEntry fin_entry_{};

  Slot hist_[HistoryCapacity];
  std::uint64_t hist_total_ = 0;
  int hist_n_ = 0;

  bool have_prev_ = false;
  double t_prev_ = 0.0, y_prev_ = 0.0;
  State state_ = State::rest;
  bool overflow_ = false;
  SegmenterStats stats_{};

  // rest
  double b_ = 0.0, anchor_ = 0.0, still_start_ = 0.0, rest_dwell_ = 0.0;
  double rest_ep_start_ = 0.0, rest_ep_end_ = 0.0, rest_since_ = 0.0;
  double sigma2_ = 0.0, sigma_ = 0.0, x1_ = 0.0, x2_ = 0.0;
  int n_x_ = 0;
  bool ep_base_ = true;
  double rom_hist_[kRomHist] = {};
  double ref_rom_ = 4.0;
  int n_rom_ = 0;

  // rep in progress
  Rep cur_{};
  bool cur_qualified_ = false, started_emitted_ = false;
  bool turn_judged_ = false;  // "Rose without turning" judged for the movement in progress
  double cur_lift_rom_ = -1.0;  // lift_foot_rom_deg of the rise, taken in the top state (< 0: not yet)
  double cur_lift_k_ = 0.0;     // and its slope (m/rad, NaN: not measured)
  bool cur_lift_admit_ = false;         // started by its lift under the start threshold (lifted_small_rise)
  double sub_peak_y_ = -std::numeric_limits<double>::infinity();  // lifted_small_rise: the rise's top so far,
  double sub_peak_t_ = -1e300;          // its time (smoothed axis),
  std::int64_t sub_k_peak_ = 0;         // its history index,
  bool sub_judged_ = false;             // and whether this excursion was judged by its lift
  double rest_before_end_ = 0.0;
  double peak_ref_ = 0.0;
  double peak_ = 0.0, t_peak_ = 0.0, p_decl_ = 0.0, t_top_decl_ = 0.0, t_lower_detect_ = 0.0;
  std::int64_t k_peak_ = 0, k_peak_decl_ = 0;
  double conc_peak_v_ = 0.0;
  Line conc_[4] = {};
  double conc_tc_[4] = {};
  double tecc_[4] = {}, b_ecc_ = 0.0;
  double frac_[4] = {0.1, 0.3, 0.7, 0.9}, uf_[3] = {0.1, 0.1, 0.1};
  double ug_[3] = {0.3, 0.3, 0.3};  // u where each shape reaches g (shape_fraction)
  // Onset of a lowering after a long hold: the level it leaves is measured
  // over the hold's last kHoldEndWindow_s, ending kOnsetGuard_s before the
  // onset the whole lowering gives (whose error on 1.5-4 s lowerings is up
  // to ~0.08 of the phase, 0.3 s).
  static constexpr double kHoldEndWindow_s = 1.0;
  // A hold may sag by up to a quarter of its range and stay a hold (issue
  // 16; single-leg holds sag 1-3 deg of a 10-20 deg raise, DESIGN.md): the
  // lowering after it is where the angle last left that top quarter.
  static constexpr double kHoldSagMaxFraction = 0.25;
  static constexpr double kOnsetGuard_s = 0.3;
  double low_anchor_ = 0.0, low_still_start_ = 0.0;
  double low_min_ = 0.0, t_low_min_ = 0.0;  // lowest smoothed angle of the lowering so far, its time
  // Starting level (baseline) of the last accepted rep: a bouncy rep (no
  // rest before it) must start at that floor.
  double chain_floor_ = 0.0;
  // Range of that rep (0 after an isometric hold): the scale of its set.
  double chain_rom_ = 0.0;
  // Bouncy chain across a bump under the minimum excursion (rising state):
  // a rep was counted and no movement has begun since (chain_open_); the
  // current candidate continues its chain (bump_in_chain_); the lowest
  // smoothed angle since the bump fell back and its time (bump_min_,
  // t_bump_min_, smoothed axis); the trough's time (raw axis) once the bump
  // ended there (bump_end_s_).
  bool chain_open_ = false, bump_in_chain_ = false;
  double bump_min_ = 0.0, t_bump_min_ = 0.0, bump_end_s_ = -1e300;
  // Bottom turning point of a bouncy set: the angle turns back up within
  // this of its minimum. The SSC coupling at the bottom (kBouncyGap_s,
  // 0.25 s) plus the climb to reversal_fraction (15 %) of a rise of
  // >= 0.3 s (quick raises 0.25-0.6 s, DESIGN.md; a minimum-jerk rise
  // reaches 15 % at 30 % of its duration: <= 0.18 s for 0.6 s) and the
  // smoothing's delay (~0.06 s at 4 Hz): 0.5 s.
  static constexpr double kBottomTurn_s = 0.5;
  // Half-width of the raw search for the bottom turning point around the
  // smoothed minimum (mapped back by the filter delay): the delay of the
  // 4 Hz smoothing varies with the signal's frequency content by a few
  // hundredths of a second, and a bouncy phase lasts >= 0.25 s (quick raises
  // 0.25-0.6 s, DESIGN.md): 0.1 s holds the bottom and no other minimum.
  static constexpr double kBottomSearch_s = 0.1;
  double t_trough_ = 0.0;  // time (smoothed axis) of trough_
  bool next_rise_ = false;  // the angle rose from trough_ into a new movement
  double trough_ = 0.0, we_ = 0.0, p_ecc_ = 0.0, end_coarse_ = 0.0, finish_at_ = 0.0;

  // previous rep (for its rest)
  bool prev_rep_valid_ = false;
  int prev_index_ = 0;
  double prev_end_s_ = 0.0, prev_dur_s_ = 0.0, prev_base_after_ = 0.0;
  // End of the last movement whose range went into rom_hist_ (counted or
  // held): kLoneGap_s after it the history is another set's (rest state).
  double rom_end_s_ = -1e300;
  double set_rom_max_ = 0.0;  // largest range in the current set (0: none yet)
  bool cur_promotable_ = false;
  int next_index_ = 0;
};

}  // namespace soleus::reps
