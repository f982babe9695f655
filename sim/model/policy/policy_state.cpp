// Phase 2 (first slice): the levers in force. They are constant over a run for now; scheduled and
// reactive policies will change them here, step by step.
#include "model/policy/policy_state.hpp"

#include "model/world.hpp"

namespace aidflow::model {
namespace {

// humanitarian_only: a donor's budget-support share moves to its other channels pro rata; a donor
// that used budget support alone spreads it over all non-budget-support channels equally.
std::vector<double> channel_shares_after_policy(const ScenarioSpec& spec, bool humanitarian_only) {
  const std::size_t channels = spec.channels.size();
  std::vector<double> shares;
  for (const auto& donor : spec.donors) {
    std::vector<double> row = donor.channel_shares;
    if (humanitarian_only) {
      double moved = 0.0, kept = 0.0;
      std::size_t humanitarian = 0;
      for (std::size_t c = 0; c < channels; ++c) {
        if (spec.channels[c].kind == ChannelKind::BudgetSupport) {
          moved += row[c];
          row[c] = 0.0;
        } else {
          kept += row[c];
          ++humanitarian;
        }
      }
      for (std::size_t c = 0; c < channels; ++c) {
        if (spec.channels[c].kind == ChannelKind::BudgetSupport) continue;
        row[c] += kept > 0.0 ? moved * row[c] / kept : moved / static_cast<double>(humanitarian);
      }
    }
    shares.insert(shares.end(), row.begin(), row.end());
  }
  return shares;
}

}  // namespace

PolicyState initial_policy(const ScenarioSpec& spec) {
  PolicyState state;
  state.humanitarian_only = spec.policy.humanitarian_only;
  state.monitoring = spec.policy.monitoring;
  state.channel_shares = channel_shares_after_policy(spec, state.humanitarian_only);
  state.counter_isis_aid = spec.policy.counter_isis_aid;
  state.counter_isis_cents_per_year =
      engine::usd_to_cents(spec.policy.counter_isis_aid.usd_per_year);
  return state;
}

void apply_policy(World& world, int /*step*/) {
  // Levers are constant for now: the state built at the start stays in force.
  (void)world;
}

}  // namespace aidflow::model
