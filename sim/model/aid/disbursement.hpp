#pragma once
// Phase 3 (aid/disbursement.cpp): each donor releases this week's money into channels and sectors.
#include "model/state/world.hpp"

namespace aidflow::model {

void disburse(World& world, int step);

}  // namespace aidflow::model
