#include "model/state/world.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>

#include "model/spec/labels.hpp"

namespace aidflow::model {
namespace {

// Sources of faction cash: one per donor (diverted aid keeps its donor), then the others.
std::vector<std::string> cash_sources(const ScenarioSpec& spec) {
  std::vector<std::string> sources;
  for (const auto& d : spec.donors) sources.push_back("aid:" + d.id);
  for (const char* other : kOtherSourceNames) sources.push_back(other);
  for (const auto& p : spec.patrons) sources.push_back("patron:" + p.id);
  return sources;
}

// The calendar years the run's weeks fall in, each with its weeks from the run's start to the end
// of the year, whether or not the run gets there: a run that stops within a year sees that year's
// first weeks as a longer run does (the same money a week), not the whole year's budget in fewer.
std::vector<CalendarYear> run_calendar(std::chrono::sys_days start, int steps) {
  std::vector<CalendarYear> out;
  const auto year_of = [&](int s) {
    return static_cast<int>(std::chrono::year_month_day{step_start(start, s)}.year());
  };
  const int last_year = year_of(steps - 1);
  for (int s = 0; year_of(s) <= last_year; ++s) {
    const int y = year_of(s);
    if (out.empty() || out.back().year != y) out.push_back({y, s, 0});
    ++out.back().weeks;
  }
  return out;
}

int week_of_year(std::chrono::sys_days day) {
  return (day_of_year(day) / kStepDays) % kStepsPerYear;
}

Factions make_factions(const ScenarioSpec& spec) {
  const std::size_t n = spec.factions.size();
  Factions f{.accounts = engine::ProvenanceAccounts(ids_of(spec.factions), cash_sources(spec),
                                                    names_of(kSpendingNames))};
  for (const auto& faction : spec.factions) {
    f.fighters.push_back(faction.fighters);
    f.hostages.push_back(faction.hostages.initial);
  }
  f.initial_fighters = f.fighters;
  for (const auto& faction : spec.factions) f.preparation.push_back(faction.preparation_usd);
  f.prestige.assign(n, 0.0);
  f.brand_cover.assign(n, 1.0);
  f.hostage_payoff.assign(n, 0.0);
  f.pay_factor.assign(n, 1.0);
  f.northern_push.assign(n, 0.0);
  f.external_operations.assign(n, 0.0);
  f.recruits.assign(n, 0);
  f.losses.assign(n, 0.0);
  f.diverted.assign(n * kMechanisms, 0);
  f.income.assign(n * kIncomeKinds, 0);
  f.attacks_executed.assign(n, 0);
  f.attacks_claimed.assign(n, 0);
  f.ct_effort.assign(n, 0);
  f.ct_spent.assign(n, 0);
  return f;
}

Patrons make_patrons(const ScenarioSpec& spec) {
  return {.support_level = std::vector<double>(spec.patrons.size(), 1.0),
          .threat = std::vector<double>(spec.patrons.size(), 0.0),
          .paid = std::vector<engine::Cents>(spec.patrons.size() * spec.factions.size(), 0)};
}

Coalition make_coalition(const ScenarioSpec& spec) {
  Coalition c{.member = std::vector<std::uint8_t>(spec.patrons.size(), 0),
              .willingness = std::vector<double>(spec.patrons.size(), 0.0)};
  for (int p : spec.coalition.members) c.member[static_cast<std::size_t>(p)] = 1;
  return c;
}

Sanctions make_sanctions(const ScenarioSpec& spec) {
  return {.effective = std::vector<double>(spec.sanctions.size(), 0.0),
          .frozen = std::vector<Cents>(spec.sanctions.size(), 0)};
}

template <class Item>
std::vector<engine::Identity> identities(const char* kind, const std::vector<Item>& items) {
  std::vector<engine::Identity> out;
  for (const Item& item : items) out.push_back(engine::Identity::of(kind + (":" + item.id)));
  return out;
}

Identities make_identities(const ScenarioSpec& spec) {
  return {.factions = identities("faction", spec.factions),
          .donors = identities("donor", spec.donors),
          .ministries = identities("ministry", spec.ministries),
          .patrons = identities("patron", spec.patrons)};
}

PolicyState initial_policy(const ScenarioSpec& spec) {
  PolicyState state;
  state.levers = spec.policy;
  state.suspended_until.assign(spec.policy.conditionality.size() * spec.donors.size(), -1);
  state.withheld.assign(spec.donors.size(), 0);
  state.substituted.assign(spec.donors.size(), 0);
  return state;
}

}  // namespace

World::World(const ScenarioSpec& s)
    : spec(s),
      ids(make_identities(s)),
      sinks(s.factions.size()),
      policy(initial_policy(s)),
      patrons(make_patrons(s)),
      coalition(make_coalition(s)),
      sanctions(make_sanctions(s)),
      factions(make_factions(s)),
      ledger(ids_of(s.donors), ids_of(s.channels), ids_of(s.sectors),
             sinks.names(ids_of(s.factions))),
      start_week_of_year(week_of_year(s.run.start_date)),
      calendar(run_calendar(s.run.start_date, s.run.steps)) {
  for (const auto& donor : spec.donors) {
    yearly_budget.push_back(engine::usd_to_cents(donor.budget_usd_per_year));
  }
  for (std::size_t f = 0; f < spec.factions.size(); ++f) {
    const std::size_t initial = source_of(OtherSource::InitialFunds);
    factions.accounts.credit(f, initial, engine::usd_to_cents(spec.factions[f].treasury_usd));
  }
  for (const auto& m : spec.ministries) {
    ministries.controlled_by.push_back(m.controlled_by);
    ministries.capture_rate.push_back(m.capture_rate);
  }
  ministries.captured.assign(spec.ministries.size(), 0);
  ministries.monitoring.assign(spec.ministries.size(), 0.0);
  ministries.security_spent.assign(spec.ministries.size(), 0);
  flows.amount.assign(spec.donors.size() * spec.channels.size() * spec.sectors.size(), 0);
}

double HouseholdTasks::speedup_bound(int workers) const {
  double work = 0.0, bound = 0.0;
  for (std::size_t r = 0; r < round_work.size(); ++r) {
    work += round_work[r];
    bound += std::max(round_work[r] / workers, round_span[r]);
  }
  return bound > 0.0 ? work / bound : 0.0;
}

double HouseholdTasks::serial_share() const {
  const double work = std::accumulate(seconds.begin(), seconds.end(), serial_seconds);
  return work > 0.0 ? serial_seconds / work : 0.0;
}

double HouseholdTasks::largest_share() const {
  const double work = std::accumulate(seconds.begin(), seconds.end(), serial_seconds);
  const double largest = seconds.empty() ? 0.0 : *std::max_element(seconds.begin(), seconds.end());
  return work > 0.0 ? largest / work : 0.0;
}

}  // namespace aidflow::model
