// Reading aid: channels, ministries, sectors and donors with their budgets.
#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "model/spec/labels.hpp"
#include "scenario/references.hpp"
#include "scenario/sections.hpp"

namespace aidflow::scenario {

using model::ScenarioSpec;

namespace {

// budget_usd_by_year: {2022: 1.2e9, 2023: ...}: what the donor disburses in each calendar year.
std::vector<model::YearBudget> read_budget_by_year(MapReader& d,
                                                   const std::string& key = "budget_usd_by_year") {
  std::vector<model::YearBudget> out;
  if (!d.has(key)) return out;
  MapReader years = d.map(key);
  const std::string expected = "a mapping of year (1900-2099) to US dollars";
  if (years.node().kind != SourceNode::Kind::Map) d.fail_type(key, expected, years.node());
  for (std::size_t k = 0; k < years.node().keys.size(); ++k) {
    const std::string& key = years.node().keys[k];
    const bool year_like = key.size() == 4 && std::all_of(key.begin(), key.end(), ::isdigit) &&
                           (key.starts_with("19") || key.starts_with("20"));
    if (!year_like) {
      throw InputError(years.node().key_locations[k], child_path(years.path(), key),
                       "expected a year (1900-2099) as the key, got \"" + excerpt(key) + "\"");
    }
    out.push_back({std::stoi(key), years.number(key, {0.0, kMaxUsd})});
  }
  years.finish();
  return out;
}

// Without a budget_usd_per_year to fall back on, every calendar year the run touches needs a
// budget: a year left out would silently pay nothing.
void require_every_run_year(MapReader& d, const model::RunSpec& run,
                            const std::vector<model::YearBudget>& budgets,
                            const std::string& key = "budget_usd_by_year") {
  const auto start = run.start_date;
  const auto last = model::step_start(start, run.steps - 1);
  const int first_year = static_cast<int>(std::chrono::year_month_day{start}.year());
  const int last_year = static_cast<int>(std::chrono::year_month_day{last}.year());
  for (int year = first_year; year <= last_year; ++year) {
    const bool listed = std::any_of(budgets.begin(), budgets.end(),
                                    [&](const model::YearBudget& b) { return b.year == year; });
    if (!listed) {
      d.fail(key, "no budget for " + std::to_string(year) + ", a year of the run (" +
                      std::to_string(first_year) + "-" + std::to_string(last_year) +
                      "); list it or give budget_usd_per_year for the others");
    }
  }
}

}  // namespace

void read_channels(MapReader& root, ScenarioSpec& spec) {
  root.list("channels", 16, [&](MapReader& c) {
    model::ChannelSpec channel;
    channel.id = c.identifier("id");
    channel.kind = static_cast<model::ChannelKind>(
        c.choice("kind", model::names_of(model::kChannelKindNames)));
    channel.overhead = c.number("overhead", {0.0, 0.99}, 0.0);
    channel.ministry_exposure = c.number("ministry_exposure", kShare, 0.0);
    channel.tax_exposure = c.number("tax_exposure", kShare, 0.0);
    channel.monitoring = c.number("monitoring", kShare, 0.0);
    spec.channels.push_back(channel);
  });
}

void read_ministries(MapReader& root, ScenarioSpec& spec,
                     const std::vector<std::string>& factions) {
  root.list("ministries", 32, [&](MapReader& m) {
    model::MinistrySpec ministry;
    ministry.id = m.identifier("id");
    ministry.name = m.text("name", ministry.id);
    ministry.controlled_by = resolve(m, "controlled_by", factions, "faction");
    ministry.capture_rate = m.number("capture_rate", kShare, 0.0);
    ministry.infiltration_per_step = per_step(m, "infiltration_per_year", kShare, 0.0);
    ministry.issues_ids = m.boolean("issues_ids", false);
    spec.ministries.push_back(ministry);
  });
}

void read_sectors(MapReader& root, ScenarioSpec& spec, const std::vector<std::string>& ministries) {
  root.list("sectors", 32, [&](MapReader& s) {
    model::SectorSpec sector;
    sector.id = s.identifier("id");
    sector.ministry = resolve(s, "ministry", ministries, "ministry");
    sector.purpose = static_cast<model::SectorPurpose>(
        s.choice("purpose", model::names_of(model::kSectorPurposeNames), 0));
    spec.sectors.push_back(sector);
  });
}

// aid_total_usd_by_year: every donor's budget for a calendar year is this total x its share of
// the donors' yearly budgets (a donor with its own budget_usd_by_year keeps it). Lets a dated
// scenario follow sourced yearly volumes without restating each donor.
void apply_aid_totals(MapReader& root, ScenarioSpec& spec) {
  const std::vector<model::YearBudget> totals = read_budget_by_year(root, "aid_total_usd_by_year");
  if (totals.empty()) return;
  double all = 0.0;
  for (const auto& d : spec.donors) {
    if (d.budget_by_year.empty()) all += d.budget_usd_per_year;
  }
  if (!(all > 0.0)) {
    root.fail("aid_total_usd_by_year",
              "needs donors with a budget_usd_per_year to share the totals between");
  }
  for (auto& d : spec.donors) {
    if (!d.budget_by_year.empty()) continue;
    for (const auto& t : totals)
      d.budget_by_year.push_back({t.year, t.usd * d.budget_usd_per_year / all});
  }
  require_every_run_year(root, spec.run, totals, "aid_total_usd_by_year");
}

void read_donors(MapReader& root, ScenarioSpec& spec, const std::vector<std::string>& channels,
                 const std::vector<std::string>& sectors) {
  root.list("donors", 64, [&](MapReader& d) {
    model::DonorSpec donor;
    donor.id = d.identifier("id");
    donor.name = d.text("name", donor.id);
    donor.budget_by_year = read_budget_by_year(d);
    if (!donor.budget_by_year.empty() && !d.has("budget_usd_per_year")) {
      require_every_run_year(d, spec.run, donor.budget_by_year);
    }
    donor.budget_usd_per_year = donor.budget_by_year.empty()
                                    ? d.number("budget_usd_per_year", {0.0, kMaxUsd})
                                    : d.number("budget_usd_per_year", {0.0, kMaxUsd}, 0.0);
    donor.channel_shares = read_shares(d, "channels", channels, "channel");
    donor.sector_shares = read_shares(d, "sectors", sectors, "sector");
    spec.donors.push_back(donor);
  });
}

}  // namespace aidflow::scenario
