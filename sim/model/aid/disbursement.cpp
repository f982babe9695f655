// Phase 3: each donor releases this week's money into channels and sectors, by the shares in
// force. Its week comes from its yearly budget (or the budget of the calendar year the week falls
// in); suspensions hold part of it back, and donors not suspending anything make up the share of
// that the conditions leave open (substitution). Counter-ISIS money routed to a security sector
// (S14) comes on top.
#include "model/aid/disbursement.hpp"

#include <numeric>

#include "engine/parallel.hpp"

namespace aidflow::model {
namespace {

void add_counter_isis_aid(World& world, int step) {
  const PolicyState& policy = world.policy;
  const CounterIsisAidSpec& aid = policy.levers.counter_isis_aid;
  if (policy.counter_isis_cents_per_year == 0 || aid.sector < 0) return;
  const std::size_t channels = world.spec.channels.size(), sectors = world.spec.sectors.size();
  const auto d = static_cast<std::size_t>(aid.donor), c = static_cast<std::size_t>(aid.channel);
  const Cents week = engine::spread_evenly(policy.counter_isis_cents_per_year, kStepsPerYear, step);
  Cents& cell =
      world.flows
          .amount[world.flows.index(d, c, static_cast<std::size_t>(aid.sector), channels, sectors)];
  cell = engine::checked_add(cell, week);
  world.ledger.disburse(d, c, static_cast<std::size_t>(aid.sector), week);
}

// Each donor's week after suspensions, with what others make up: withheld money that conditions
// leave open to substitution is shared by donors suspending nothing, by their budgets.
std::vector<Cents> weeks_after_policy(World& world, int step) {
  PolicyState& p = world.policy;
  const std::size_t donors = world.spec.donors.size();
  std::vector<Cents> week(donors, 0);
  Cents open = 0;
  std::vector<double> takers(donors, 0.0);
  for (std::size_t d = 0; d < donors; ++d) {
    const Cents budgeted = budget_of_week(world, d, step);
    p.withheld[d] = engine::take_share(budgeted, p.withheld_share[d]);
    week[d] = budgeted - p.withheld[d];
    open = engine::checked_add(open, engine::take_share(p.withheld[d], p.substitution_share[d]));
    if (p.withheld_share[d] == 0.0) takers[d] = static_cast<double>(budgeted);
  }
  std::fill(p.substituted.begin(), p.substituted.end(), 0);
  if (open > 0 && std::accumulate(takers.begin(), takers.end(), 0.0) > 0.0) {
    engine::split_largest_remainder(open, takers, p.substituted);
    for (std::size_t d = 0; d < donors; ++d) week[d] += p.substituted[d];
  }
  return week;
}

}  // namespace

// A donor's money for week `step` before any policy: its budget for the calendar year the week
// falls in, spread evenly over that year's weeks from the run's start (a run ending within the
// year disburses the weeks it has), or its yearly budget spread over each 52 weeks from the start.
Cents budget_of_week(const World& world, std::size_t d, int step) {
  const DonorSpec& donor = world.spec.donors[d];
  if (donor.budget_by_year.empty()) {
    return engine::spread_evenly(world.yearly_budget[d], kStepsPerYear, step);
  }
  const CalendarYear& year = world.calendar_year(step);
  for (const YearBudget& b : donor.budget_by_year) {
    if (b.year == year.year) {
      return engine::spread_evenly(engine::usd_to_cents(b.usd), year.weeks, step - year.first_step);
    }
  }
  return engine::spread_evenly(world.yearly_budget[d], kStepsPerYear, step);
}

void disburse(World& world, int step) {
  const ScenarioSpec& spec = world.spec;
  const std::size_t channels = spec.channels.size(), sectors = spec.sectors.size();
  const std::vector<Cents> weeks = weeks_after_policy(world, step);
  std::vector<double> weights(channels * sectors);
  for (std::size_t d = 0; d < spec.donors.size(); ++d) {
    for (std::size_t c = 0; c < channels; ++c) {
      for (std::size_t s = 0; s < sectors; ++s) {
        weights[c * sectors + s] =
            world.policy.channel_shares[d * channels + c] * spec.donors[d].sector_shares[s];
      }
    }
    std::span<Cents> parts(world.flows.amount.data() + d * channels * sectors, channels * sectors);
    engine::split_largest_remainder(weeks[d], weights, parts);
    for (std::size_t c = 0; c < channels; ++c) {
      for (std::size_t s = 0; s < sectors; ++s)
        world.ledger.disburse(d, c, s, parts[c * sectors + s]);
    }
  }
  add_counter_isis_aid(world, step);
}

}  // namespace aidflow::model
