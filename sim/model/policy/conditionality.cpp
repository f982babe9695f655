// Conditionality (docs/MODEL.md phase 2, S19): donors holding a condition review what they observe
// every review_weeks; past the threshold they suspend the conditioned aid types for
// suspension_weeks, then resume and review again. A multilateral condition is judged on the
// holders' pooled (mean) observation and they act together; a unilateral one leaves each holder
// to its own, noisy, view. Hostage leverage damps what donors are willing to act on (S12).
#include <algorithm>

#include "model/state/world.hpp"

namespace aidflow::model {
namespace {

double observed(const ConditionSpec& rule, const Observation& o) {
  const auto of_factions = [&](const std::vector<double>& v, bool sum) {
    if (rule.faction >= 0) return v[static_cast<std::size_t>(rule.faction)];
    double out = 0.0;
    for (double x : v) out = sum ? out + x : std::max(out, x);
    return out;
  };
  switch (rule.trigger) {
    case Trigger::AttacksObserved:
      return of_factions(o.attributed_attacks, true);  // whom the donor blames
    case Trigger::DiversionObserved:
      return o.diversion_share;
    case Trigger::ExternalOperations:
      return of_factions(o.external_operations, false);
  }
  return 0.0;
}

// The donors that decide together: all holders of a multilateral rule, else each on its own.
std::vector<std::vector<int>> decision_units(const ConditionSpec& rule) {
  if (rule.multilateral) return {rule.donors};
  std::vector<std::vector<int>> units;
  for (int d : rule.donors) units.push_back({d});
  return units;
}

void review_unit(World& world, std::size_t r, const std::vector<int>& unit, int step) {
  PolicyState& p = world.policy;
  const ConditionSpec& rule = p.levers.conditionality[r];
  const std::size_t donors = world.spec.donors.size();
  int& until = p.suspended_until[r * donors + static_cast<std::size_t>(unit.front())];
  const auto set_all = [&](int value) {
    for (int d : unit) p.suspended_until[r * donors + static_cast<std::size_t>(d)] = value;
  };
  const auto event = [&](EventKind kind, double value) {
    for (int d : unit) {
      world.events.push_back({.kind = kind,
                              .step = step,
                              .donor = d,
                              .rule = static_cast<int>(r),
                              .observed = value,
                              .threshold = rule.threshold});
    }
  };
  if (until >= 0) {
    if (step < until) return;
    set_all(-1);
    event(EventKind::AidResumed, -1.0);
  }
  if (step % rule.review_weeks != 0 || step < world.spec.signals.lag_weeks) return;
  double value = 0.0;
  for (int d : unit) value += observed(rule, world.signals.donors[static_cast<std::size_t>(d)]);
  value /= static_cast<double>(unit.size());
  if (value * (1.0 - p.enforcement_damping) <= rule.threshold) return;
  set_all(step + rule.suspension_weeks);
  event(EventKind::AidSuspended, value);
}

}  // namespace

void review_conditions(World& world, int step) {
  const auto& rules = world.policy.levers.conditionality;
  for (std::size_t r = 0; r < rules.size(); ++r) {
    for (const std::vector<int>& unit : decision_units(rules[r])) review_unit(world, r, unit, step);
  }
}

}  // namespace aidflow::model
