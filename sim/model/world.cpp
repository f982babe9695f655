#include "model/world.hpp"

#include <cstdio>

namespace aidflow::model {
namespace {

std::vector<std::string> donor_ids(const ScenarioSpec& spec) {
  std::vector<std::string> ids;
  for (const auto& d : spec.donors) ids.push_back(d.id);
  return ids;
}

std::vector<std::string> channel_ids(const ScenarioSpec& spec) {
  std::vector<std::string> ids;
  for (const auto& c : spec.channels) ids.push_back(c.id);
  return ids;
}

std::vector<std::string> sink_names(const ScenarioSpec& spec) {
  std::vector<std::string> sinks = {"delivered", "overhead"};
  for (const auto& f : spec.factions) {
    for (const char* mechanism : kMechanismNames) {
      sinks.push_back("diverted:" + f.id + ":" + mechanism);
    }
  }
  return sinks;
}

// humanitarian_only: a donor's budget-support share moves to its other channels pro rata; a donor
// that used budget support alone spreads it over all non-budget-support channels equally.
std::vector<double> channel_shares_after_policy(const ScenarioSpec& spec) {
  const std::size_t channels = spec.channels.size();
  std::vector<double> shares;
  for (const auto& donor : spec.donors) {
    std::vector<double> row = donor.channel_shares;
    if (spec.policy.humanitarian_only) {
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

int week_of_year(const std::string& date) {
  int year = 0, month = 1, day = 1;
  std::sscanf(date.c_str(), "%d-%d-%d", &year, &month, &day);
  static constexpr std::array<int, 12> kDaysBefore = {0,   31,  59,  90,  120, 151,
                                                      181, 212, 243, 273, 304, 334};
  const int day_of_year = kDaysBefore[static_cast<std::size_t>((month - 1) % 12)] + day - 1;
  return (day_of_year / 7) % kStepsPerYear;
}

}  // namespace

World::World(const ScenarioSpec& s)
    : spec(s),
      ledger(donor_ids(s), channel_ids(s), sink_names(s)),
      effective_channel_shares(channel_shares_after_policy(s)),
      start_week_of_year(week_of_year(s.run.start_date)) {
  for (const auto& donor : spec.donors) {
    yearly_budget.push_back(engine::usd_to_cents(donor.budget_usd_per_year));
  }
  for (const auto& f : spec.factions) {
    factions.treasury.push_back(engine::usd_to_cents(f.treasury_usd));
    factions.fighters.push_back(f.fighters);
  }
  factions.diverted.assign(spec.factions.size() * kMechanisms, 0);
  for (const auto& m : spec.ministries) ministries.capture_rate.push_back(m.capture_rate);
  ministries.captured.assign(spec.ministries.size(), 0);
  ministries.monitoring.assign(spec.ministries.size(), 0.0);
  flows.amount.assign(spec.donors.size() * spec.channels.size() * spec.sectors.size(), 0);
  generate_geography(*this);
}

}  // namespace aidflow::model
