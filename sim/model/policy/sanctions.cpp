// Targeted sanctions (S13, S19). A sanction's effective cut is what the coalition can reach
// (coverage), times how hard it enforces, less what fronts have learnt to evade since it started,
// less what hostage leverage takes off (enforcement damping, S12). On an alliance edge the cut
// share of each week's transfer is seized; on a treasury the cut times freeze_per_step of the cash
// is frozen each week. Seized and frozen money leaves the accounts as a use of its own, drawn pro
// rata on every source, so the books balance and analysts see whose money was stopped.
#include "model/policy/sanctions.hpp"

#include <cmath>

#include "model/state/world.hpp"

namespace aidflow::model {
namespace {

Cents freeze(World& world, std::size_t faction, std::size_t sanction, Cents amount) {
  world.factions.accounts.spend(faction, static_cast<std::size_t>(Spending::FrozenBySanctions),
                                amount);
  Cents& frozen = world.sanctions.frozen[sanction];
  frozen = engine::checked_add(frozen, amount);
  return amount;
}

int target_faction(const SanctionSpec& s) {
  return s.target == SanctionTarget::Edge ? s.from : s.faction;
}

}  // namespace

// Fronts erode enforcement at a constant rate: the share evaded approaches 1 exponentially.
double evasion(const SanctionSpec& sanction, int weeks) {
  return 1.0 - std::exp(-sanction.evasion_per_step * std::max(0, weeks));
}

void update_sanctions(World& world, int step) {
  const PolicyState& policy = world.policy;
  for (std::size_t s = 0; s < world.spec.sanctions.size(); ++s) {
    const SanctionSpec& sanction = world.spec.sanctions[s];
    world.sanctions.frozen[s] = 0;
    if (step < sanction.start_step) {
      world.sanctions.effective[s] = 0.0;
      continue;
    }
    if (step == sanction.start_step) {
      world.events.push_back({.kind = EventKind::SanctionStarted,
                              .step = step,
                              .sanction = static_cast<int>(s),
                              .faction = target_faction(sanction)});
    }
    world.sanctions.effective[s] = policy.sanction_coverage * sanction.enforcement *
                                   (1.0 - evasion(sanction, step - sanction.start_step)) *
                                   (1.0 - policy.enforcement_damping);
  }
}

Cents pay_under_sanctions(World& world, std::size_t from, std::size_t to, Cents amount) {
  Cents passing = amount;
  for (std::size_t s = 0; s < world.spec.sanctions.size(); ++s) {
    const SanctionSpec& sanction = world.spec.sanctions[s];
    if (sanction.target != SanctionTarget::Edge || sanction.from != static_cast<int>(from) ||
        sanction.to != static_cast<int>(to)) {
      continue;
    }
    passing -= freeze(world, from, s, engine::take_share(passing, world.sanctions.effective[s]));
  }
  world.factions.accounts.transfer(from, to, passing);
  return passing;
}

void freeze_treasuries(World& world) {
  for (std::size_t s = 0; s < world.spec.sanctions.size(); ++s) {
    const SanctionSpec& sanction = world.spec.sanctions[s];
    if (sanction.target != SanctionTarget::Treasury) continue;
    const auto f = static_cast<std::size_t>(sanction.faction);
    const double share = world.sanctions.effective[s] * sanction.freeze_per_step;
    freeze(world, f, s, engine::take_share(world.factions.accounts.balance(f), share));
  }
}

std::vector<std::string> sanction_labels(const ScenarioSpec& spec) {
  std::vector<std::string> labels;
  for (const SanctionSpec& s : spec.sanctions) {
    const auto id = [&](int f) { return spec.factions[static_cast<std::size_t>(f)].id; };
    labels.push_back(s.target == SanctionTarget::Edge ? id(s.from) + "->" + id(s.to)
                                                      : "treasury:" + id(s.faction));
  }
  return labels;
}

}  // namespace aidflow::model
