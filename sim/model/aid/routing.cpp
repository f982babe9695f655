// Phase 4: routing and diversion. Every cent is followed per (donor, channel, sector) row of the
// ledger (the sector names the ministry touchpoint it passes), split into sinks by the
// largest-remainder rule, so the books balance exactly. Humanitarian money ends with households
// (by need, or steered to a faction's affiliates); security money buys counter-terrorism
// operations through its ministry.
#include "model/aid/routing.hpp"

#include <algorithm>

#include "engine/parallel.hpp"

namespace aidflow::model {
namespace {

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

// Where aid goes: districts in proportion to people in need at home or displaced inside, as the
// last household phase (or the start) left them.
std::vector<double> district_allocation(const World& world) {
  std::vector<double> weight;
  weight.reserve(world.districts.size());
  for (const DistrictTally& t : world.districts.tally) weight.push_back(t.aid_weight);
  return weight;
}

// What one (donor, channel) pair's sectors deliver after overhead, ministry capture and local
// leakage, and the ministry-level results of sending them.
struct RowResult {
  Cents delivered = 0;
  std::vector<Cents> captured_by_ministry, security_by_ministry;
  std::vector<double> exposed_by_ministry;  // cents passing each ministry, for monitoring weights
  std::vector<Cents> list_by_faction;       // steered to each faction's affiliates
  std::vector<Cents> tax_by_faction;        // taxed by each faction where the money went
};

// How money of channel c that reaches districts splits: weight 0 delivered by need, 1 + f taxed
// by faction f, 1 + factions + f steered to f's affiliates through beneficiary lists.
void local_split(const World& world, std::size_t c, const LocalLeakage& leak,
                 std::vector<double>& weights) {
  const ScenarioSpec& spec = world.spec;
  const std::size_t factions = spec.factions.size();
  const double dampening =
      1.0 - world.policy.levers.monitoring.effect * channel_monitoring(world, c);
  weights.assign(1 + 2 * factions, 0.0);
  double leaked = 0.0;
  for (std::size_t f = 0; f < factions; ++f) {
    weights[1 + f] = leak.tax[f] * spec.channels[c].tax_exposure * dampening;
    weights[1 + factions + f] = leak.list[f] * dampening;
    leaked += weights[1 + f] + weights[1 + factions + f];
  }
  weights[0] = std::max(0.0, 1.0 - leaked);
}

// Splits `amount` of one ledger row reaching districts into local taxation, beneficiary-list
// manipulation (both diverted to the faction with local influence) and delivery by need.
struct LedgerRow {
  std::size_t donor, channel, sector;
};

void settle_local_leakage(World& world, LedgerRow at, Cents amount,
                          const std::vector<double>& weights, RowResult& row) {
  const std::size_t factions = world.faction_count();
  const std::size_t d = at.donor, c = at.channel, s = at.sector;
  thread_local std::vector<Cents> parts;  // reused: a step settles hundreds of rows' sectors
  parts.resize(weights.size());
  engine::split_largest_remainder(amount, weights, parts);
  for (std::size_t f = 0; f < factions; ++f) {
    world.ledger.settle(d, c, s, world.sinks.diverted(f, Mechanism::LocalTax), parts[1 + f]);
    world.ledger.settle(d, c, s, world.sinks.diverted(f, Mechanism::BeneficiaryList),
                        parts[1 + factions + f]);
    row.list_by_faction[f] += parts[1 + factions + f];
    row.tax_by_faction[f] += parts[1 + f];
  }
  world.ledger.settle(d, c, s, SinkLayout::delivered(), parts[0]);
  row.delivered += parts[0];
}

// Empties a row's results for the step, keeping their storage.
void clear(RowResult& row, std::size_t ministries, std::size_t factions) {
  row.delivered = 0;
  row.captured_by_ministry.assign(ministries, 0);
  row.security_by_ministry.assign(ministries, 0);
  row.exposed_by_ministry.assign(ministries, 0.0);
  row.list_by_faction.assign(factions, 0);
  row.tax_by_faction.assign(factions, 0);
}

// Follows each sector's money of one (donor, channel) pair, one ledger row each: overhead, capture
// at the sector's ministry, then counter-terrorism (security) or local leakage and delivery.
void route_row(World& world, std::size_t d, std::size_t c, const LocalLeakage& leak,
               RowResult& row) {
  const ScenarioSpec& spec = world.spec;
  const ChannelSpec& channel = spec.channels[c];
  const MonitoringSpec& monitoring = world.policy.levers.monitoring;
  const double monitored = channel_monitoring(world, c);
  const double overhead_rate = channel.overhead + monitoring.cost_share * monitoring.third_party;
  thread_local std::vector<double> weights;  // reused, as the rows' results are
  local_split(world, c, leak, weights);
  clear(row, spec.ministries.size(), spec.factions.size());
  for (std::size_t s = 0; s < spec.sectors.size(); ++s) {
    const Cents amount =
        world.flows.amount[world.flows.index(d, c, s, spec.channels.size(), spec.sectors.size())];
    if (amount == 0) continue;
    const Cents overhead = engine::take_share(amount, overhead_rate);
    world.ledger.settle(d, c, s, SinkLayout::overhead(), overhead);
    const Cents after_overhead = amount - overhead;
    const auto m = static_cast<std::size_t>(spec.sectors[s].ministry);
    // Security money is paid to the ministry itself, so all of it passes the touchpoint.
    const bool security = spec.sectors[s].purpose == SectorPurpose::Security;
    const Cents exposed =
        engine::take_share(after_overhead, security ? 1.0 : channel.ministry_exposure);
    const double capture_rate =
        world.ministries.capture_rate[m] * (1.0 - monitoring.effect * monitored);
    const Cents captured = engine::take_share(exposed, capture_rate);
    const auto controller = static_cast<std::size_t>(world.ministries.controlled_by[m]);
    world.ledger.settle(d, c, s, world.sinks.diverted(controller, Mechanism::MinistryCapture),
                        captured);
    row.captured_by_ministry[m] += captured;
    row.exposed_by_ministry[m] += static_cast<double>(exposed);
    if (security) {
      world.ledger.settle(d, c, s, SinkLayout::counter_terrorism(), after_overhead - captured);
      row.security_by_ministry[m] += after_overhead - captured;
    } else {
      settle_local_leakage(world, {d, c, s}, after_overhead - captured, weights, row);
    }
  }
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

// A faction's money taken where aid goes, spread over districts in the proportions (need x its
// influence) that made its national rate: its beneficiary-list money, to be handed to its
// affiliates there, and its local taxation, to locate diversion (the province indicators).
// A faction a task: each writes only its own column of `out`.
void spread_by_influence(const World& world, const std::vector<Cents>& by_faction,
                         const std::vector<double>& allocation, std::vector<Cents>& out) {
  const std::size_t factions = world.faction_count(), n = allocation.size();
  engine::parallel_for_each(factions, [&](std::size_t f) {
    if (by_faction[f] == 0) {  // most groups keep no lists and many no tax: nothing to spread
      for (std::size_t i = 0; i < n; ++i) out[i * factions + f] = 0;
      return;
    }
    thread_local std::vector<double> weight;  // reused: two spreads a faction every step
    thread_local std::vector<Cents> parts;
    weight.resize(n);
    parts.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      weight[i] = allocation[i] * world.districts.influence[i * factions + f];
    }
    engine::split_largest_remainder(by_faction[f], weight, parts);
    for (std::size_t i = 0; i < n; ++i) out[i * factions + f] = parts[i];
  });
}

// Diverted amounts per faction and mechanism summed from this step's ledger rows, and the
// ministry-level results, in row order (integers, so the order cannot change the result anyway).
void collect_diversion(World& world, const std::vector<RowResult>& rows) {
  const std::size_t factions = world.faction_count();
  const std::size_t sinks = world.ledger.sinks().size();
  const auto& settled = world.ledger.step_settled();
  std::fill(world.factions.diverted.begin(), world.factions.diverted.end(), 0);
  for (std::size_t r = 0; r < settled.size() / sinks; ++r) {
    for (std::size_t f = 0; f < factions; ++f) {
      for (int m = 0; m < kMechanisms; ++m) {
        const std::size_t sink = world.sinks.diverted(f, static_cast<Mechanism>(m));
        Cents& total = world.factions.diverted[f * kMechanisms + static_cast<std::size_t>(m)];
        total = engine::checked_add(total, settled[r * sinks + sink]);
      }
    }
  }
  Ministries& ministries = world.ministries;
  std::fill(ministries.captured.begin(), ministries.captured.end(), 0);
  std::fill(ministries.security_spent.begin(), ministries.security_spent.end(), 0);
  std::vector<double> exposed(world.spec.ministries.size(), 0.0);
  std::vector<double> monitored(world.spec.ministries.size(), 0.0);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const double monitoring = channel_monitoring(world, r % world.spec.channels.size());
    for (std::size_t m = 0; m < exposed.size(); ++m) {
      ministries.captured[m] += rows[r].captured_by_ministry[m];
      ministries.security_spent[m] += rows[r].security_by_ministry[m];
      exposed[m] += rows[r].exposed_by_ministry[m];
      monitored[m] += rows[r].exposed_by_ministry[m] * monitoring;
    }
  }
  for (std::size_t m = 0; m < exposed.size(); ++m) {
    ministries.monitoring[m] = exposed[m] > 0.0 ? monitored[m] / exposed[m] : 0.0;
  }
}

}  // namespace

double channel_monitoring(const World& world, std::size_t c) {
  return std::min(1.0,
                  world.spec.channels[c].monitoring + world.policy.levers.monitoring.third_party);
}

void route(World& world, int /*step*/) {
  const std::size_t channels = world.spec.channels.size();
  const std::size_t row_count = world.spec.donors.size() * channels;
  const std::vector<double> allocation = district_allocation(world);
  const LocalLeakage leak = local_leakage(world, allocation);
  // Reused from step to step (their vectors keep their storage); one run routes at a time on a
  // thread, and the tasks below write only their own row.
  thread_local std::vector<RowResult> reused;
  std::vector<RowResult>& rows = reused;  // a name the tasks share: a thread_local is each thread's
  rows.resize(row_count);
  // One task per (donor, channel) pair: each writes only its own ledger rows (one per sector).
  engine::parallel_for_each(row_count, [&](std::size_t r) {
    route_row(world, r / channels, r % channels, leak, rows[r]);
  });
  Cents total_delivered = 0;
  std::vector<Cents> list_by_faction(world.faction_count(), 0);
  std::vector<Cents> tax_by_faction(world.faction_count(), 0);
  for (const RowResult& row : rows) {
    total_delivered = engine::checked_add(total_delivered, row.delivered);
    for (std::size_t f = 0; f < list_by_faction.size(); ++f) {
      list_by_faction[f] = engine::checked_add(list_by_faction[f], row.list_by_faction[f]);
      tax_by_faction[f] = engine::checked_add(tax_by_faction[f], row.tax_by_faction[f]);
    }
  }
  spread_over_districts(world, total_delivered, allocation);
  spread_by_influence(world, list_by_faction, allocation, world.districts.list_aid);
  spread_by_influence(world, tax_by_faction, allocation, world.districts.local_tax);
  collect_diversion(world, rows);
}

}  // namespace aidflow::model
