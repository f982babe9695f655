// Phase 6: armed groups' money and men. Income (diverted aid by donor, local revenue, patrons,
// transfers along the alliance network, less what sanctions freeze) arrives in accounts that keep
// every cent's provenance; spending goes first to fighters' upkeep, then to recruits' pay, then
// cash above a reserve is drawn down into the group's priorities: attack preparation, infiltration
// of the ministries it holds (S13) and assassination of rival power brokers in the north (S7).
#include "model/armed/economy.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "model/armed/balance.hpp"
#include "model/patrons/patrons.hpp"
#include "model/policy/sanctions.hpp"
#include "model/policy/signals.hpp"

namespace aidflow::model {
namespace {

Cents to_cents(double usd) {
  return engine::usd_to_cents(std::max(0.0, usd));
}

void record_income(World& world, std::size_t f, Income kind, Cents amount) {
  Cents& cell = world.factions.income[f * kIncomeKinds + static_cast<std::size_t>(kind)];
  cell = engine::checked_add(cell, amount);
}

// Diverted aid (capture and local taxes) enters the taker's account tagged with its donor.
// Beneficiary-list aid is not cash: it went to the faction's affiliated households.
void credit_diverted_aid(World& world) {
  const engine::Ledger& ledger = world.ledger;
  const std::size_t sinks = ledger.sinks().size();
  const std::vector<Cents> settled = ledger.by_source(ledger.step_settled());
  for (std::size_t d = 0; d < ledger.sources().size(); ++d) {
    for (std::size_t f = 0; f < world.faction_count(); ++f) {
      const Cents* row = settled.data() + d * sinks;
      const Cents captured = row[world.sinks.diverted(f, Mechanism::MinistryCapture)];
      const Cents taxed = row[world.sinks.diverted(f, Mechanism::LocalTax)];
      world.factions.accounts.credit(f, world.source_of_donor(d), captured + taxed);
      record_income(world, f, Income::AidCapture, captured);
      record_income(world, f, Income::AidLocalTax, taxed);
    }
  }
}

// Local revenue: the week's national pool, taken by each group in proportion to the people under
// its influence (influence^T x population shares) and its revenue_take; the rest is nobody's here.
void credit_local_revenue(World& world, int step) {
  const std::size_t factions = world.faction_count(), n = world.districts.size();
  const Cents pool = engine::spread_evenly(
      to_cents(world.spec.geography.local_revenue_usd_per_year), kStepsPerYear, step);
  if (pool == 0) return;
  // Each faction's reach summed in district order, not as a matrix product: Eigen's kernels
  // group columns by vector width, so another faction anywhere would move the last bit of the
  // others' reach.
  const std::vector<double>& population = world.districts.population;
  const double people = std::accumulate(population.begin(), population.end(), 0.0);
  std::vector<double> reach(factions, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t f = 0; f < factions; ++f) {
      reach[f] += world.districts.influence[i * factions + f] * (population[i] / people);
    }
  }
  std::vector<double> weights(factions + 1, 0.0);
  double taken = 0.0;
  for (std::size_t f = 0; f < factions; ++f) {
    weights[1 + f] = reach[f] * world.spec.factions[f].economy.revenue_take;
    taken += weights[1 + f];
  }
  weights[0] = std::max(0.0, 1.0 - taken);
  std::vector<Cents> parts(factions + 1, 0);
  engine::split_largest_remainder(pool, weights, parts);
  for (std::size_t f = 0; f < factions; ++f) {
    world.factions.accounts.credit(f, world.source_of(OtherSource::LocalRevenue), parts[1 + f]);
    record_income(world, f, Income::LocalRevenue, parts[1 + f]);
  }
}

Cents own_income(const World& world, std::size_t f) {
  Cents total = 0;
  for (Income kind :
       {Income::AidCapture, Income::AidLocalTax, Income::LocalRevenue, Income::Patron}) {
    total += world.factions.income[f * kIncomeKinds + static_cast<std::size_t>(kind)];
  }
  return total;
}

Cents weekly_upkeep(const World& world, std::size_t f) {
  return to_cents(world.factions.fighters[f] *
                  world.spec.factions[f].economy.upkeep_usd_per_fighter_week);
}

// How much of its planned payment a sponsor still makes to a partner on an edge, by what the
// partner holds: all of it while the partner's cash is within its reserve, nothing once it holds
// the edge's ceiling in reserves, in proportion between. A sponsor on such an edge pays for what
// the partner can use (its upkeep, recruits and attacks), not for a hoard: so the partner's
// treasury stays bounded, and money seized on the way is made up by more of the planned payment.
double partner_need(const World& world, const AllianceSpec& edge) {
  const double ceiling =
      edge.cash_ceiling_reserves.value_or(world.spec.armed_groups.partner_cash_ceiling_reserves);
  const auto to = static_cast<std::size_t>(edge.to);
  const double reserve =
      world.spec.factions[to].economy.reserve_weeks * static_cast<double>(weekly_upkeep(world, to));
  if (reserve <= 0.0 || ceiling <= 1.0) return 1.0;
  const double held = static_cast<double>(world.factions.accounts.balance(to)) / reserve;
  return std::clamp((ceiling - held) / (ceiling - 1.0), 0.0, 1.0);
}

// Alliance transfers (S6, S8, S16): planned[from, to] = (share[from, to] x income[from] + fixed)
// x the partner's need, scaled down where a group's cash cannot cover all it has promised, paid
// in edge order; targeted sanctions seize their share of each payment on the way
// (policy/sanctions.cpp).
void pay_alliances(World& world, int step) {
  const std::size_t factions = world.faction_count();
  const auto n = static_cast<Eigen::Index>(factions);
  Eigen::MatrixXd share = Eigen::MatrixXd::Zero(n, n), fixed = Eigen::MatrixXd::Zero(n, n);
  for (const AllianceSpec& edge : world.spec.alliances) {
    if (!is_active(world, static_cast<std::size_t>(edge.to))) continue;  // nobody to pay
    const double need = partner_need(world, edge);
    share(edge.from, edge.to) += edge.income_share * need;
    fixed(edge.from, edge.to) += need * static_cast<double>(engine::spread_evenly(
                                            to_cents(edge.usd_per_year), kStepsPerYear, step));
  }
  Eigen::VectorXd income(n);
  for (std::size_t f = 0; f < factions; ++f)
    income(static_cast<Eigen::Index>(f)) = static_cast<double>(own_income(world, f));
  Eigen::MatrixXd planned = share.array().colwise() * income.array();
  planned += fixed;
  engine::ProvenanceAccounts& accounts = world.factions.accounts;
  for (Eigen::Index from = 0; from < n; ++from) {
    double promised = 0.0;  // in faction order (see reach above)
    for (Eigen::Index to = 0; to < n; ++to) promised += planned(from, to);
    const double cash = static_cast<double>(accounts.balance(static_cast<std::size_t>(from)));
    if (promised > cash && promised > 0.0) planned.row(from) *= cash / promised;
  }
  for (const AllianceSpec& edge : world.spec.alliances) {
    const auto from = static_cast<std::size_t>(edge.from), to = static_cast<std::size_t>(edge.to);
    Cents amount = static_cast<Cents>(std::floor(planned(edge.from, edge.to)));
    amount = std::min(amount, accounts.balance(from));
    planned(edge.from, edge.to) = 0.0;  // an edge listed twice is paid once, in full
    record_income(world, to, Income::TransfersIn, pay_under_sanctions(world, from, to, amount));
  }
}

// Pays what it can of `due` for `use`; returns the share of it left unpaid.
double pay(World& world, std::size_t f, Spending use, Cents due) {
  engine::ProvenanceAccounts& accounts = world.factions.accounts;
  const Cents paid = std::min(due, accounts.balance(f));
  accounts.spend(f, static_cast<std::size_t>(use), paid);
  return due > 0 ? 1.0 - static_cast<double>(paid) / static_cast<double>(due) : 0.0;
}

// Upkeep, then recruits join and are paid what they were offered; unpaid fighters desert. What
// the group offers recruits next week is its base pay times its cash over its reserve: below the
// reserve it offers less, above it more, so cash it holds beyond the reserve buys recruits
// (people/recruitment.cpp) until their pay and upkeep use it.
void pay_fighters(World& world, std::size_t f) {
  Factions& fs = world.factions;
  const EconomySpec& economy = world.spec.factions[f].economy;
  const double unpaid = pay(world, f, Spending::Upkeep, weekly_upkeep(world, f));
  const double deserters =
      fs.fighters[f] * unpaid * world.spec.armed_groups.unpaid_desertion_per_week;
  fs.losses[f] += deserters;
  fs.fighters[f] -= deserters;
  pay(world, f, Spending::RecruitmentPay,
      to_cents(static_cast<double>(fs.recruits[f]) * economy.recruit_pay_usd * fs.pay_factor[f]));
  fs.fighters[f] += static_cast<double>(fs.recruits[f]);
  const double reserve = economy.reserve_weeks * static_cast<double>(weekly_upkeep(world, f));
  fs.pay_factor[f] =
      reserve > 0.0 ? std::max(0.0, static_cast<double>(fs.accounts.balance(f)) / reserve) : 1.0;
}

// Infiltration buys capture in the ministries the group controls, split evenly among them, less
// where money passing them is monitored (S13).
void infiltrate(World& world, std::size_t f, double usd) {
  Ministries& m = world.ministries;
  std::vector<std::size_t> held;
  for (std::size_t i = 0; i < m.controlled_by.size(); ++i) {
    if (m.controlled_by[i] == static_cast<int>(f)) held.push_back(i);
  }
  const double points = usd / world.spec.armed_groups.infiltration_usd_per_point / 100.0;
  for (std::size_t i : held) {
    m.capture_rate[i] += points / static_cast<double>(held.size()) * (1.0 - m.monitoring[i]) *
                         (1.0 - m.capture_rate[i]);
  }
}

// Preparation the group could still use: attacks at the ceiling rate (at full readiness) use
// preparation at a weekly rate while the stock decays at preparation_decay_per_week, so stock
// beyond (ceiling use / decay) is lost faster than it can be used. Surplus cash is not spent on it.
double preparation_room(const World& world, std::size_t f) {
  const AttackSpec& a = world.spec.factions[f].attacks;
  const double decay = world.spec.armed_groups.preparation_decay_per_week;
  const double attacks = a.rate_per_1000_fighters_step * world.factions.fighters[f] / 1000.0;
  const double cost =
      a.complex_share * a.complex_cost_usd + (1.0 - a.complex_share) * a.simple_cost_usd;
  if (decay <= 0.0) return attacks > 0.0 ? std::numeric_limits<double>::infinity() : 0.0;
  return std::max(0.0, attacks * cost / decay - world.factions.preparation[f]);
}

// Before upkeep, a group with operations_first puts that share of the week's income (all of it
// that has arrived: aid, revenue, patrons, transfers) into attack preparation, as far as it can
// use more preparation; so when its income no longer covers its fighters, it keeps a tempo of
// attacks and loses the fighters it cannot pay, rather than paying them all and attacking nobody.
void fund_operations_first(World& world, std::size_t f) {
  const double first = world.spec.factions[f].economy.operations_first;
  if (first <= 0.0) return;
  Cents income = 0;
  for (std::size_t k = 0; k < kIncomeKinds; ++k)
    income += world.factions.income[f * kIncomeKinds + k];
  Cents wanted = engine::take_share(income, first);
  const double room = preparation_room(world, f);  // infinite where preparation never decays
  if (room < engine::cents_to_usd(wanted)) wanted = to_cents(room);
  const Cents paid = std::min(wanted, world.factions.accounts.balance(f));
  pay(world, f, Spending::AttackPreparation, paid);
  world.factions.preparation[f] += engine::cents_to_usd(paid);
}

bool holds_a_ministry(const World& world, std::size_t f) {
  const auto& c = world.ministries.controlled_by;
  return std::find(c.begin(), c.end(), static_cast<int>(f)) != c.end();
}

// A campaign answering attacks (S14, S16): counter_terrorism_usd_per_attack of operations a week
// for each attack a week the group blames on a group it is hostile to (as observers attribute
// them: a brand's claims draw the campaign onto the brand), from what `room` leaves above its
// reserve. So the Taliban's wings escalate against ISIS-K when ISIS-K is blamed, and a group that
// executes under another's name is not hunted for it unless intelligence finds it.
Cents answering_campaign(const World& world, std::size_t f, int step, Cents room) {
  const double per_attack = world.spec.factions[f].economy.counter_terrorism_usd_per_attack;
  if (per_attack <= 0.0 || room <= 0) return 0;
  double blamed = 0.0;
  for (const Hostility& h : world.spec.hostilities) {
    if (h.by != static_cast<int>(f)) continue;
    blamed += attacks_blamed_lately(world, step, static_cast<std::size_t>(h.against));
  }
  return std::min(room, to_cents(per_attack * blamed));
}

// Cash above the reserve is drawn down at drawdown_per_week into the group's priorities, and
// the campaign answering attacks is paid from what is left above the reserve.
void spend_surplus(World& world, std::size_t f, int step) {
  Factions& fs = world.factions;
  const EconomySpec& e = world.spec.factions[f].economy;
  const auto reserve =
      static_cast<Cents>(e.reserve_weeks * static_cast<double>(weekly_upkeep(world, f)));
  const Cents surplus = fs.accounts.balance(f) - reserve;
  if (surplus <= 0) return;
  const double infiltration = holds_a_ministry(world, f) ? e.infiltration : 0.0;
  const std::vector<double> weights = {e.attack_preparation, infiltration, e.assassination,
                                       e.counter_terrorism};
  std::vector<Cents> parts(weights.size(), 0);
  if (weights[0] + weights[1] + weights[2] + weights[3] > 0.0) {
    engine::split_largest_remainder(engine::take_share(surplus, e.drawdown_per_week), weights,
                                    parts);
  }
  const double room = preparation_room(world, f);  // what it cannot use stays cash
  if (room < engine::cents_to_usd(parts[0])) parts[0] = to_cents(room);
  const Cents campaign = answering_campaign(
      world, f, step, surplus - std::accumulate(parts.begin(), parts.end(), Cents{0}));
  pay(world, f, Spending::AttackPreparation, parts[0]);
  pay(world, f, Spending::Infiltration, parts[1]);
  pay(world, f, Spending::Assassination, parts[2]);
  pay(world, f, Spending::CounterTerrorism, parts[3] + campaign);
  fs.ct_spent[f] = parts[3] + campaign;
  fs.preparation[f] += engine::cents_to_usd(parts[0]);
  infiltrate(world, f, engine::cents_to_usd(parts[1]));
  fs.northern_push[f] +=
      engine::cents_to_usd(parts[2]) / 1e6 * e.northern_influence_per_million_usd;
}

void apply_attrition(World& world, std::size_t f) {
  Factions& fs = world.factions;
  const ArmedGroupsSpec& a = world.spec.armed_groups;
  const double lost = fs.fighters[f] * a.attrition_per_step;
  fs.fighters[f] = std::max(0.0, fs.fighters[f] - lost);
  fs.losses[f] += lost;
  fs.preparation[f] *= 1.0 - a.preparation_decay_per_week;
}

void collect_recruits(World& world) {
  const std::size_t factions = world.faction_count();
  std::fill(world.factions.recruits.begin(), world.factions.recruits.end(), 0);
  for (std::size_t i = 0; i < world.districts.size(); ++i) {
    for (std::size_t f = 0; f < factions; ++f) {
      world.factions.recruits[f] += world.districts.recruits[i * factions + f];
    }
  }
}

}  // namespace

bool is_active(const World& world, std::size_t f) {
  if (world.factions.fighters[f] > 0.0) return true;
  const std::size_t factions = world.faction_count();
  for (std::size_t i = 0; i < world.districts.size(); ++i) {
    if (world.districts.influence[i * factions + f] > 0.0) return true;
  }
  return false;
}

void update_factions(World& world, int step) {
  Factions& fs = world.factions;
  std::fill(fs.income.begin(), fs.income.end(), 0);
  std::fill(fs.losses.begin(), fs.losses.end(), 0.0);
  std::fill(fs.ct_spent.begin(), fs.ct_spent.end(), 0);
  collect_recruits(world);
  credit_diverted_aid(world);
  credit_local_revenue(world, step);
  credit_patron_support(world, step);
  freeze_treasuries(world);
  pay_alliances(world, step);
  for (std::size_t f = 0; f < world.faction_count(); ++f) {
    fund_operations_first(world, f);
    pay_fighters(world, f);
    spend_surplus(world, f, step);
    apply_attrition(world, f);
  }
  creep_capture(world);
  shift_influence(world);
  review_ministries(world, step);
  update_external_operations(world);
}

}  // namespace aidflow::model
