#pragma once
// The model's phases, in the order MODEL.md gives for one step. Each reads the state left by the
// phases before it and writes only its own outputs.
#include "model/world.hpp"

namespace aidflow::model {

// Phase 3: each donor releases this week's money into channels and sectors.
void disburse(World& world, int step);
// Phase 4: money moves through overhead, ministry touchpoints and districts; leakage is diverted.
void route(World& world, int step);
// Phase 5: households receive aid; need, displacement respond.
void update_households(World& world, int step);
// Phase 6: factions bank what was diverted; ministry capture creeps up where unmonitored.
void update_factions(World& world, int step);

}  // namespace aidflow::model
