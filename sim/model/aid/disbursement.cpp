// Phase 3: each donor releases this week's money into channels and sectors, by the shares in
// force (after humanitarian_only), plus any counter-ISIS money routed to a security sector (S14).
#include "engine/parallel.hpp"
#include "model/phases.hpp"

namespace aidflow::model {
namespace {

// A yearly amount's share for week `step`, spread so that 52 weeks sum to it exactly.
Cents weekly_amount(Cents yearly, int step) {
  return engine::spread_evenly(yearly, kStepsPerYear, step);
}

void add_counter_isis_aid(World& world, int step) {
  const PolicyState& policy = world.policy;
  const CounterIsisAidSpec& aid = policy.counter_isis_aid;
  if (policy.counter_isis_cents_per_year == 0 || aid.sector < 0) return;
  const std::size_t channels = world.spec.channels.size(), sectors = world.spec.sectors.size();
  const auto d = static_cast<std::size_t>(aid.donor), c = static_cast<std::size_t>(aid.channel);
  const Cents week = weekly_amount(policy.counter_isis_cents_per_year, step);
  Cents& cell =
      world.flows
          .amount[world.flows.index(d, c, static_cast<std::size_t>(aid.sector), channels, sectors)];
  cell = engine::checked_add(cell, week);
  world.ledger.disburse(d, c, week);
}

}  // namespace

void disburse(World& world, int step) {
  const ScenarioSpec& spec = world.spec;
  const std::size_t channels = spec.channels.size(), sectors = spec.sectors.size();
  std::vector<double> weights(channels * sectors);
  for (std::size_t d = 0; d < spec.donors.size(); ++d) {
    const Cents week = weekly_amount(world.yearly_budget[d], step);
    for (std::size_t c = 0; c < channels; ++c) {
      for (std::size_t s = 0; s < sectors; ++s) {
        weights[c * sectors + s] =
            world.policy.channel_shares[d * channels + c] * spec.donors[d].sector_shares[s];
      }
    }
    std::span<Cents> parts(world.flows.amount.data() + d * channels * sectors, channels * sectors);
    engine::split_largest_remainder(week, weights, parts);
    for (std::size_t c = 0; c < channels; ++c) {
      Cents row = 0;
      for (std::size_t s = 0; s < sectors; ++s) row += parts[c * sectors + s];
      world.ledger.disburse(d, c, row);
    }
  }
  add_counter_isis_aid(world, step);
}

}  // namespace aidflow::model
