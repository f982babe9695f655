#pragma once
// The coalition against the Haqqani network's ties (S19): states join or leave at reviews as their
// willingness (threat perception + the envoy's effect) passes thresholds; its membership sets the
// sanction coverage and the credibility of multilateral conditions in PolicyState.
#include <cstdint>
#include <vector>

#include "model/spec/scenario.hpp"

namespace aidflow::model {

class World;

// The envoy's effect at a step: 0 before it starts, rising linearly to `effect` over ramp_weeks.
double envoy_effect(const EnvoySpec& envoy, int step);
// Coverage of a membership: the lead's plus each member's, at most 1.
double sanction_coverage(const ScenarioSpec& spec, const std::vector<std::uint8_t>& member);

// Credibility of multilateral conditions: the members' share of all states' coverage (0 with no
// member state, whatever the lead does; 1 with every state in).
double credibility(const ScenarioSpec& spec, const std::vector<std::uint8_t>& member);

// Phase 2: willingness, joins and leaves at reviews (each an event), then coverage and credibility.
void review_coalition(World& world, int step);

}  // namespace aidflow::model
