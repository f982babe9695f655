#pragma once
// The levers in force this step, set by the policy, coalition and sanctions phases and read by
// every other. Plain data held by the World (state/world.hpp); the phases that write each part say
// so.
#include <vector>

#include "engine/money.hpp"
#include "model/spec/scenario.hpp"

namespace aidflow::model {

struct PolicyState {
  PolicySpec levers;       // the period in force: the policy section or a timeline entry
  std::size_t period = 0;  // 0: the policy section; k: timeline entry k - 1
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

struct Sanctions {
  std::vector<double> effective;      // by sanction: share of the target flow stopped this step
  std::vector<engine::Cents> frozen;  // by sanction: cents frozen this step
};

}  // namespace aidflow::model
