#pragma once
// The levers in force this step. The scenario's policy section sets them; the policy phase
// (MODEL.md phase 2) updates them every step, and every other phase reads them from here, never
// from the spec, so levers can move during a run.
#include <vector>

#include "engine/money.hpp"
#include "model/spec.hpp"

namespace aidflow::model {

struct PolicyState {
  bool humanitarian_only = false;
  MonitoringSpec monitoring;
  // Channel shares after humanitarian_only, by [donor * channels + channel].
  std::vector<double> channel_shares;
  CounterIsisAidSpec counter_isis_aid;
  engine::Cents counter_isis_cents_per_year = 0;
  // Share of donors' and the coalition's enforcement lost to hostage leverage this step, in [0, 1]
  // (S12): conditions and sanctions act as if this much weaker.
  double enforcement_damping = 0.0;
  // Share of the Haqqani network's cross-border money the sanctioning coalition can reach: the
  // lead's coverage plus each member state's, at most 1 (S19). Set by the coalition phase.
  double sanction_coverage = 0.0;
  // Credibility of multilateral conditions, in [0, 1]: how far the states that matter stand behind
  // them. Today equal to sanction_coverage (the same members, the same weights), kept apart so
  // conditionality reads a concept of its own (S19).
  double coalition_credibility = 0.0;
};

class World;
// The levers at the start of a run, from the scenario's policy section.
PolicyState initial_policy(const ScenarioSpec& spec);
// Phase 2: sets this step's levers (constant over the run for now).
void apply_policy(World& world, int step);

}  // namespace aidflow::model
