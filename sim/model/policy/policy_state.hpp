#pragma once
// The levers in force this step. The scenario's policy section sets them at the start, its
// timeline changes them on dates, and conditionality suspends and resumes aid types as donors
// observe the run; the policy phase (MODEL.md phase 2) updates them every step, and every other
// phase reads them from here, never from the spec.
#include <vector>

#include "engine/money.hpp"
#include "model/spec.hpp"

namespace aidflow::model {

struct PolicyState {
  PolicySpec levers;       // the period in force: the policy section or a timeline entry
  std::size_t period = 0;  // 0: the policy section; k: timeline entry k - 1
  engine::Cents counter_isis_cents_per_year = 0;
  // Conditionality: the step each (rule, donor) suspension ends (-1: not suspended),
  // [rule * donors + donor].
  std::vector<int> suspended_until;
  // After humanitarian_only and suspensions: channel shares [donor * channels + channel], the
  // share of each donor's week held back, and the share of that made up by other donors.
  std::vector<double> channel_shares;
  std::vector<double> withheld_share, substitution_share;
  // Share of donors' and the coalition's enforcement lost to hostage leverage this step, in [0, 1]
  // (S12): conditions and sanctions act as if this much weaker.
  double enforcement_damping = 0.0;
  // Share of the Haqqani network's cross-border money the sanctioning coalition can reach: the
  // lead's coverage plus each member state's, at most 1 (S19). Set by the coalition phase.
  double sanction_coverage = 0.0;
  // How far multilateral conditions bind donors outside them, in [0, 1] (S19): 0 with no
  // coalition; the coalition phase sets it to the members' share of all states' coverage.
  double coalition_credibility = 0.0;
  // This step's money, by donor: held back by suspensions, and made up for others.
  std::vector<engine::Cents> withheld, substituted;
};

class World;
// The levers at the start of a run, from the scenario's policy section.
PolicyState initial_policy(const ScenarioSpec& spec);
// Phase 2: the timeline, then conditionality, then the channel shares that follow.
void apply_policy(World& world, int step);
// Channel shares, withheld and substituted shares from the levers and suspensions in force.
void update_channel_shares(World& world);
// Conditionality (policy/conditionality.cpp): reviews, suspends and resumes, with events.
void review_conditions(World& world, int step);

}  // namespace aidflow::model
