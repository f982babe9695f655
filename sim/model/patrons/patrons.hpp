#pragma once
// Patron states and sponsors (S9, S15, S18, S20): the support they pay armed groups, credited with
// its own provenance ("patron:<id>"), how threatened each feels by what it observes, and the
// support level Pakistan pressure moves with a lag.
#include <vector>

#include "engine/money.hpp"
#include "model/spec/scenario.hpp"

namespace aidflow::model {

class World;

// Phase 2: each patron's threat perception from its observations (signals.states).
void perceive_threats(World& world);
// Phase 2: the pressured patron's support level moves toward 1 - strength, after the delay (S20).
void apply_pressure(World& world, int step);
// Phase 6: this week's support, credited to each faction under the patron's own source.
void credit_patron_support(World& world, int step);

}  // namespace aidflow::model
