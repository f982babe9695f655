#pragma once
// Phase 7 (armed/attacks.cpp): counter-terrorism, attacks and their attribution (S14-S16).
#include "model/state/world.hpp"

namespace aidflow::model {

void run_attacks(World& world, int step);

}  // namespace aidflow::model
