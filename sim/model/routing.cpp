// Phases 3 and 4: disbursement and routing. Every cent is followed per (donor, channel) row of
// the ledger, split into sinks by the largest-remainder rule, so the books balance exactly.
#include <algorithm>

#include "engine/parallel.hpp"
#include "model/phases.hpp"

namespace aidflow::model {
namespace {

// A donor's money for week `step`: the yearly budget spread so that 52 weeks sum to it exactly.
Cents weekly_amount(Cents yearly, int step) {
  const int week = step % kStepsPerYear;
  // yearly is at most 1e14 cents (the loader's cap), so yearly * 52 cannot overflow.
  const Cents before = engine::checked_mul(yearly, week) / kStepsPerYear;
  const Cents through = engine::checked_mul(yearly, week + 1) / kStepsPerYear;
  return through - before;
}

double channel_monitoring(const ScenarioSpec& spec, std::size_t c) {
  return std::min(1.0, spec.channels[c].monitoring + spec.policy.monitoring.third_party);
}

// Share of money at a district that local factions take, averaged over districts by where the
// money goes, before channel exposure and monitoring: [faction] -> (tax rate, list rate).
struct LocalLeakage {
  std::vector<double> tax, list;
};

LocalLeakage local_leakage(const World& world, const std::vector<double>& district_weight) {
  const std::size_t factions = world.spec.factions.size();
  LocalLeakage leak{std::vector<double>(factions, 0.0), std::vector<double>(factions, 0.0)};
  double total = 0.0;
  for (double w : district_weight) total += w;
  if (!(total > 0.0)) return leak;
  for (std::size_t i = 0; i < district_weight.size(); ++i) {
    for (std::size_t f = 0; f < factions; ++f) {
      const double influence = world.districts.influence[i * factions + f];
      leak.tax[f] += district_weight[i] / total * influence * world.spec.factions[f].local_tax_rate;
      leak.list[f] +=
          district_weight[i] / total * influence * world.spec.factions[f].list_manipulation;
    }
  }
  return leak;
}

// Where aid goes: districts in proportion to people in need at home or displaced inside.
std::vector<double> district_allocation(const World& world) {
  const Districts& d = world.districts;
  const Households& h = world.households;
  std::vector<double> weight(d.size(), 0.0);
  engine::parallel_for_each(d.size(), [&](std::size_t i) {
    double w = 0.0;
    const std::uint32_t end = d.first_household[i] + d.household_count[i];
    for (std::uint32_t k = d.first_household[i]; k < end; ++k) {
      if (h.displacement[k] == Displacement::Home || h.displacement[k] == Displacement::Internal) {
        w += h.people[k] * h.need[k];
      }
    }
    weight[i] = w;
  });
  return weight;
}

// What one (donor, channel) row sends to districts after overhead and ministry capture, and the
// ministry-level results of doing so.
struct RowResult {
  Cents to_districts = 0;
  std::vector<Cents> captured_by_ministry;
  std::vector<double> exposed_by_ministry;  // cents passing each ministry, for monitoring weights
};

RowResult route_row_to_districts(World& world, std::size_t d, std::size_t c) {
  const ScenarioSpec& spec = world.spec;
  const ChannelSpec& channel = spec.channels[c];
  const double monitoring = channel_monitoring(spec, c);
  const double overhead_rate =
      channel.overhead + spec.policy.monitoring.cost_share * spec.policy.monitoring.third_party;
  RowResult row{0, std::vector<Cents>(spec.ministries.size(), 0),
                std::vector<double>(spec.ministries.size(), 0.0)};
  for (std::size_t s = 0; s < spec.sectors.size(); ++s) {
    const Cents amount =
        world.flows.amount[world.flows.index(d, c, s, spec.channels.size(), spec.sectors.size())];
    if (amount == 0) continue;
    const Cents overhead = engine::take_share(amount, overhead_rate);
    world.ledger.settle(d, c, kSinkOverhead, overhead);
    const Cents after_overhead = amount - overhead;
    const auto m = static_cast<std::size_t>(spec.sectors[s].ministry);
    const Cents exposed = engine::take_share(after_overhead, channel.ministry_exposure);
    const double capture_rate =
        world.ministries.capture_rate[m] * (1.0 - spec.policy.monitoring.effect * monitoring);
    const Cents captured = engine::take_share(exposed, capture_rate);
    const int controller = spec.ministries[m].controlled_by;
    world.ledger.settle(d, c, diversion_sink(controller, Mechanism::MinistryCapture), captured);
    row.captured_by_ministry[m] += captured;
    row.exposed_by_ministry[m] += static_cast<double>(exposed);
    row.to_districts += after_overhead - captured;
  }
  return row;
}

// Splits the money a row brings to districts into local taxation, beneficiary-list manipulation
// (both diverted to the faction with local influence) and delivery. Returns what is delivered.
Cents settle_local_leakage(World& world, std::size_t d, std::size_t c, Cents to_districts,
                           const LocalLeakage& leak) {
  const ScenarioSpec& spec = world.spec;
  const std::size_t factions = spec.factions.size();
  const double dampening = 1.0 - spec.policy.monitoring.effect * channel_monitoring(spec, c);
  std::vector<double> weights(1 + 2 * factions, 0.0);
  double leaked = 0.0;
  for (std::size_t f = 0; f < factions; ++f) {
    weights[1 + f] = leak.tax[f] * spec.channels[c].tax_exposure * dampening;
    weights[1 + factions + f] = leak.list[f] * dampening;
    leaked += weights[1 + f] + weights[1 + factions + f];
  }
  weights[0] = std::max(0.0, 1.0 - leaked);
  std::vector<Cents> parts(weights.size(), 0);
  engine::split_largest_remainder(to_districts, weights, parts);
  for (std::size_t f = 0; f < factions; ++f) {
    const int faction = static_cast<int>(f);
    world.ledger.settle(d, c, diversion_sink(faction, Mechanism::LocalTax), parts[1 + f]);
    world.ledger.settle(d, c, diversion_sink(faction, Mechanism::BeneficiaryList),
                        parts[1 + factions + f]);
  }
  world.ledger.settle(d, c, kSinkDelivered, parts[0]);
  return parts[0];
}

// Delivered money is spread over districts by need, discounted by what local factions keep there.
void spread_over_districts(World& world, Cents delivered, const std::vector<double>& allocation) {
  const std::size_t factions = world.spec.factions.size();
  std::vector<double> weight(allocation.size());
  for (std::size_t i = 0; i < allocation.size(); ++i) {
    double kept = 0.0;
    for (std::size_t f = 0; f < factions; ++f) {
      kept += world.districts.influence[i * factions + f] *
              (world.spec.factions[f].local_tax_rate + world.spec.factions[f].list_manipulation);
    }
    weight[i] = allocation[i] * std::max(0.0, 1.0 - kept);
  }
  engine::split_largest_remainder(delivered, weight, world.districts.delivered);
}

// Diverted amounts per faction and mechanism, and per ministry, summed from the ledger rows of
// this step in row order (integers, so the order cannot change the result anyway).
void collect_diversion(World& world, const std::vector<RowResult>& rows) {
  const std::size_t factions = world.spec.factions.size();
  const std::size_t sinks = world.ledger.sinks().size();
  const auto& settled = world.ledger.step_settled();
  std::fill(world.factions.diverted.begin(), world.factions.diverted.end(), 0);
  for (std::size_t r = 0; r < settled.size() / sinks; ++r) {
    for (std::size_t k = 0; k < factions * kMechanisms; ++k) {
      world.factions.diverted[k] =
          engine::checked_add(world.factions.diverted[k], settled[r * sinks + 2 + k]);
    }
  }
  std::fill(world.ministries.captured.begin(), world.ministries.captured.end(), 0);
  std::vector<double> exposed(world.spec.ministries.size(), 0.0);
  std::vector<double> monitored(world.spec.ministries.size(), 0.0);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const double monitoring = channel_monitoring(world.spec, r % world.spec.channels.size());
    for (std::size_t m = 0; m < exposed.size(); ++m) {
      world.ministries.captured[m] += rows[r].captured_by_ministry[m];
      exposed[m] += rows[r].exposed_by_ministry[m];
      monitored[m] += rows[r].exposed_by_ministry[m] * monitoring;
    }
  }
  for (std::size_t m = 0; m < exposed.size(); ++m) {
    world.ministries.monitoring[m] = exposed[m] > 0.0 ? monitored[m] / exposed[m] : 0.0;
  }
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
            world.effective_channel_shares[d * channels + c] * spec.donors[d].sector_shares[s];
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
}

void route(World& world, int /*step*/) {
  const std::size_t channels = world.spec.channels.size();
  const std::size_t row_count = world.spec.donors.size() * channels;
  const std::vector<double> allocation = district_allocation(world);
  const LocalLeakage leak = local_leakage(world, allocation);
  std::vector<RowResult> rows(row_count);
  std::vector<Cents> delivered(row_count, 0);
  // One task per (donor, channel) row: each writes only its own ledger row.
  engine::parallel_for_each(row_count, [&](std::size_t r) {
    const std::size_t d = r / channels, c = r % channels;
    rows[r] = route_row_to_districts(world, d, c);
    delivered[r] = settle_local_leakage(world, d, c, rows[r].to_districts, leak);
  });
  Cents total_delivered = 0;
  for (Cents cents : delivered) total_delivered = engine::checked_add(total_delivered, cents);
  spread_over_districts(world, total_delivered, allocation);
  collect_diversion(world, rows);
}

}  // namespace aidflow::model
