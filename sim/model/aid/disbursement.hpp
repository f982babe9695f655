#pragma once
// Phase 3 (aid/disbursement.cpp): each donor releases this week's money into channels and sectors.
#include "model/state/world.hpp"

namespace aidflow::model {

void disburse(World& world, int step);

// Donor d's money for week `step` before any policy: its budget for the calendar year the week
// falls in, spread evenly over that year's weeks from the run's start, or its yearly budget spread
// over each 52 weeks from the start.
Cents budget_of_week(const World& world, std::size_t d, int step);

}  // namespace aidflow::model
