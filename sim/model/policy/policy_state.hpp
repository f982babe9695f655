#pragma once
// The levers in force this step. The scenario's policy section sets them at the start, its
// timeline changes them on dates, and conditionality suspends and resumes aid types as donors
// observe the run; the policy phase (docs/MODEL.md phase 2) updates them every step, and every
// other phase reads them from here, never from the spec.
#include <vector>

#include "engine/money.hpp"
#include "model/spec/scenario.hpp"

namespace aidflow::model {

class World;
// Phase 2: the timeline, then conditionality, then the channel shares that follow.
void apply_policy(World& world, int step);
// Channel shares, withheld and substituted shares from the levers and suspensions in force.
void update_channel_shares(World& world);
// Conditionality (policy/conditionality.cpp): reviews, suspends and resumes, with events.
void review_conditions(World& world, int step);

}  // namespace aidflow::model
