#pragma once
// Phase 5 (people/households.cpp): households receive aid; need, displacement and recruitment.
#include "model/state/world.hpp"

namespace aidflow::model {

void update_households(World& world, int step);

// Groups consecutive districts into the household phase's tasks (districts.tasks), once the
// households are placed.
void plan_household_tasks(Districts& districts);

// Notes which districts' and beneficiary lists' households stand for equal people
// (districts.equal_people, list_equal_people), once the households and affiliates are placed.
void note_equal_people(World& world);

}  // namespace aidflow::model
