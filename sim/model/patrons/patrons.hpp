#pragma once
// Patron states and sponsors (S9, S15, S18, S20): the support they pay armed groups, credited with
// its own provenance ("patron:<id>"), how threatened each feels by what it observes, and the
// support each state chooses to keep (S9, S18, S20).
#include <vector>

#include "engine/money.hpp"
#include "model/spec/scenario.hpp"

namespace aidflow::model {

class World;

// Phase 2: each patron's threat perception from its observations (signals.states).
void perceive_threats(World& world);
// A state's reasons to stop paying its proxies this step (willingness scale): its threat
// perception, the coalition's commitment while it is a member, and pressure on it (S18-S20).
double reasons_to_cut(const World& world, std::size_t patron, int step);
// The share of its scenario support a patron chooses to keep against those reasons: all of it
// while they weigh less than its strategic depth, else strategic_depth / reasons.
double support_kept(const PatronSpec& patron, double reasons);
// Phase 2: every state whose support is a choice moves its support level toward what it keeps.
void choose_support(World& world, int step);
// Phase 6: this week's support, credited to each faction under the patron's own source.
void credit_patron_support(World& world, int step);

}  // namespace aidflow::model
