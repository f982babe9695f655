#pragma once
// Phase 5 (people/households.cpp): households receive aid; need, displacement and recruitment.
#include "model/state/world.hpp"

namespace aidflow::model {

void update_households(World& world, int step);

// Groups consecutive districts into the household phase's tasks (districts.tasks), once the
// households are placed.
void plan_household_tasks(Districts& districts);

// The speed-up the household phase would see on `workers` threads by the work-span bound, from
// the task times measured so far: each step takes at least its work / workers and at least its
// longest task, so the phase's work over the sum of those is the most it could gain.
double speedup_bound(const HouseholdTasks& tasks, int workers);

// The largest task's share of the household phase's work so far (zero before any step).
double largest_task_share(const HouseholdTasks& tasks);

}  // namespace aidflow::model
