#pragma once
// Phase 5 (people/households.cpp): households receive aid; need, displacement and recruitment.
#include "model/state/world.hpp"

namespace aidflow::model {

void update_households(World& world, int step);

}  // namespace aidflow::model
