#pragma once
// Phase 5 (people/households.cpp): households receive aid; need, displacement and recruitment.
#include "model/state/world.hpp"

namespace aidflow::model {

void update_households(World& world, int step);

// Groups consecutive districts into the household phase's tasks (districts.tasks), once the
// households are placed.
void plan_household_tasks(Districts& districts);

}  // namespace aidflow::model
