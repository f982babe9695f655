// Phase 2: the levers in force. Timeline entries switch the levers on their step; conditionality
// (conditionality.cpp) suspends and resumes aid types; then each donor's channel shares and the
// share of its money held back follow from humanitarian_only and the suspensions in force.
#include "model/policy/policy_state.hpp"

#include <numeric>
#include <utility>

#include "model/state/world.hpp"

namespace aidflow::model {
namespace {

// Moves the shares of channels that `moved(c)` picks to the other channels pro rata (equally if
// those had none); returns what could not be moved because every channel is picked.
template <class Picked>
double move_shares(std::vector<double>& row, Picked moved) {
  double taken = 0.0, kept = 0.0;
  std::size_t others = 0;
  for (std::size_t c = 0; c < row.size(); ++c) {
    if (moved(c)) {
      taken += row[c];
      row[c] = 0.0;
    } else {
      kept += row[c];
      ++others;
    }
  }
  if (others == 0) return taken;
  for (std::size_t c = 0; c < row.size(); ++c) {
    if (moved(c)) continue;
    row[c] += kept > 0.0 ? taken * row[c] / kept : taken / static_cast<double>(others);
  }
  return 0.0;
}

bool is_budget_support(const ScenarioSpec& spec, std::size_t c) {
  return spec.channels[c].kind == ChannelKind::BudgetSupport;
}

bool conditioned(const ScenarioSpec& spec, const ConditionSpec& rule, std::size_t c) {
  return rule.aid_types[static_cast<std::size_t>(spec.channels[c].kind)];
}

// One donor's shares: humanitarian_only moves budget support to the other channels; each
// suspension in force moves (carve-out) or withholds the conditioned channels' shares.
void donor_shares(const World& world, std::size_t d, std::vector<double>& row, double& withheld,
                  double& substitutable) {
  const ScenarioSpec& spec = world.spec;
  const PolicyState& p = world.policy;
  row = spec.donors[d].channel_shares;
  withheld = substitutable = 0.0;
  if (p.levers.humanitarian_only) {
    withheld += move_shares(row, [&](std::size_t c) { return is_budget_support(spec, c); });
  }
  const std::size_t donors = spec.donors.size();
  for (std::size_t r = 0; r < p.levers.conditionality.size(); ++r) {
    if (p.suspended_until[r * donors + d] < 0) continue;
    const ConditionSpec& rule = p.levers.conditionality[r];
    const auto picked = [&](std::size_t c) { return conditioned(spec, rule, c); };
    double held = 0.0;
    if (rule.humanitarian_carve_out) {
      held = move_shares(row, picked);
    } else {
      for (std::size_t c = 0; c < row.size(); ++c) {
        if (picked(c)) held += std::exchange(row[c], 0.0);
      }
    }
    withheld += held;
    const double bind = rule.multilateral ? 1.0 - p.coalition_credibility : 1.0;
    substitutable += held * rule.substitution * bind;
  }
}

}  // namespace

void update_channel_shares(World& world) {
  PolicyState& p = world.policy;
  const std::size_t channels = world.spec.channels.size(), donors = world.spec.donors.size();
  p.channel_shares.assign(donors * channels, 0.0);
  p.withheld_share.assign(donors, 0.0);
  p.substitution_share.assign(donors, 0.0);
  std::vector<double> row;
  for (std::size_t d = 0; d < donors; ++d) {
    double withheld = 0.0, substitutable = 0.0;
    donor_shares(world, d, row, withheld, substitutable);
    const double kept = std::accumulate(row.begin(), row.end(), 0.0);
    // Shares of what is disbursed: the row renormalised over what is not withheld.
    for (std::size_t c = 0; c < channels; ++c) {
      p.channel_shares[d * channels + c] = kept > 0.0 ? row[c] / kept : 0.0;
    }
    p.withheld_share[d] = std::min(1.0, withheld);
    p.substitution_share[d] = withheld > 0.0 ? substitutable / withheld : 0.0;
  }
}

namespace {

void enter_period(World& world, const PolicySpec& levers, std::size_t period, int step) {
  PolicyState& p = world.policy;
  p.levers = levers;
  p.period = period;
  p.suspended_until.assign(levers.conditionality.size() * world.spec.donors.size(), -1);
  if (step > 0) {
    world.events.push_back({.kind = EventKind::PolicyChanged, .step = step});
  }
}

}  // namespace

void apply_policy(World& world, int step) {
  const auto& timeline = world.spec.policy_timeline;
  const std::size_t next = world.policy.period;  // timeline entry that would start next
  if (next < timeline.size() && timeline[next].from_step == step) {
    enter_period(world, timeline[next].policy, next + 1, step);
  }
  review_conditions(world, step);
  update_channel_shares(world);
}

}  // namespace aidflow::model
