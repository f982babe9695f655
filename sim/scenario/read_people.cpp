// Reading the people's sections: geography, households and the recruitment pool (docs/SCENARIO.md).
#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "model/spec/labels.hpp"
#include "model/spec/run.hpp"
#include "scenario/references.hpp"
#include "scenario/sections.hpp"

namespace aidflow::scenario {

using model::ScenarioSpec;

namespace {

// Keys that belong to one geography source only: given with the other, they would be ignored.
void refuse_keys(MapReader& g, const std::vector<const char*>& keys, const std::string& why) {
  for (const char* key : keys) {
    if (g.has(key)) g.fail(key, "not used with " + why);
  }
}

void read_synthetic_country(MapReader& g, model::GeographySpec& geo) {
  refuse_keys(g, {"data", "tables", "capital"},
              "source: synthetic (it names the Afghanistan tables); remove it, or set source: "
              "afghanistan");
  geo.provinces = static_cast<int>(g.integer("provinces", 1, 1000, 34));
  geo.districts = static_cast<int>(g.integer("districts", 1, 100000, 401));
  if (geo.districts < geo.provinces) {
    g.fail("districts", "expected at least as many districts as provinces (" +
                            std::to_string(geo.provinces) + "), got " +
                            std::to_string(geo.districts));
  }
  geo.population = g.number("population", {1.0, 1e10}, 40e6);
  geo.need_spread = g.number("need_spread", kShare, 0.15);
  geo.district_size_spread = g.number("district_size_spread", {0.0, 3.0}, geo.district_size_spread);
  geo.influence_spread = g.number("influence_spread", {0.0, 3.0}, geo.influence_spread);
  geo.capital_population_share =
      g.number("capital_population_share", {0.0, 0.9}, geo.capital_population_share);
  if (g.has("border_shares")) {
    const std::vector<std::string> borders = model::names_of(model::kBorderNames);
    const std::vector<double> shares = read_shares(g, "border_shares", borders, "border class");
    std::copy(shares.begin(), shares.end(), geo.border_shares.begin());
  }
}

}  // namespace

void read_geography(MapReader g, const model::RunSpec& run, model::GeographySpec& geo,
                    TableCache* tables) {
  geo.source = static_cast<model::GeographySource>(
      g.choice("source", model::names_of(model::kGeographySourceNames),
               static_cast<std::size_t>(model::GeographySource::Afghanistan)));
  if (geo.source == model::GeographySource::Synthetic) {
    read_synthetic_country(g, geo);
  } else {
    refuse_keys(g,
                {"provinces", "districts", "population", "need_spread", "border_shares",
                 "district_size_spread", "influence_spread", "capital_population_share"},
                "source: afghanistan (the tables give the country); remove it, or set source: "
                "synthetic");
    read_country_tables(g, run, geo, tables);
  }
  geo.baseline_need = g.number("baseline_need", kShare, 0.5);
  geo.local_revenue_usd_per_year = g.number("local_revenue_usd_per_year", {0.0, kMaxUsd}, 0.0);
  g.finish();
}

void read_households(MapReader h, model::HouseholdSpec& hs) {
  hs.people_per_household = h.number("people_per_household", {1.0, 100.0}, hs.people_per_household);
  hs.relief_usd_per_person_week =
      h.number("relief_usd_per_person_week", {0.0, 1e4, true}, hs.relief_usd_per_person_week);
  hs.relief_effect = h.number("relief_effect", kShare, hs.relief_effect);
  hs.shock_sd = h.number("shock_sd", kShare, hs.shock_sd);
  hs.reversion_per_week = h.number("reversion_per_week", kShare, hs.reversion_per_week);
  hs.winter_peak = h.number("winter_peak", kShare, hs.winter_peak);
  hs.winter_peak_week =
      static_cast<int>(h.integer("winter_peak_week", 0, model::kStepsPerYear - 1, 2));
  hs.initial_need_sd = h.number("initial_need_sd", kShare, hs.initial_need_sd);
  hs.need_threshold = h.number("need_threshold", kShare, hs.need_threshold);
  hs.targeting = h.number("targeting", kShare, hs.targeting);
  hs.displacement_per_week = h.number("displacement_per_week", kShare, hs.displacement_per_week);
  hs.cross_border_share = h.number("cross_border_share", kShare, hs.cross_border_share);
  hs.return_per_week = h.number("return_per_week", kShare, hs.return_per_week);
  hs.returnee_need = h.number("returnee_need", kShare, hs.returnee_need);
  hs.economic_trend_per_step = per_step(h, "economic_trend_per_year", {-0.5, 0.5}, 0.0);
  hs.drought_odds_per_year = h.number("drought_odds_per_year", kShare, 0.0);
  hs.drought_need = h.number("drought_need", kShare, hs.drought_need);
  hs.drought_weeks = static_cast<int>(h.integer("drought_weeks", 0, 39, hs.drought_weeks));
  h.finish();
}

void read_recruitment_rules(MapReader r, model::RecruitmentRules& rules) {
  rules.young_men_share = r.number("young_men_share", kShare, rules.young_men_share);
  rules.rate_per_step = per_step(r, "rate_per_year", kShare, rules.rate_per_step);
  rules.need_floor = r.number("need_floor", kShare, rules.need_floor);
  rules.pay_reference_usd = r.number("pay_reference_usd", {0.0, 1e6}, rules.pay_reference_usd);
  rules.affiliated_share = r.number("affiliated_share", kShare, rules.affiliated_share);
  r.finish();
}

namespace {

// A host's schedule: periods in date order that do not overlap, so no returnee counts twice.
std::vector<model::ReturnPeriod> read_return_schedule(MapReader& host) {
  std::vector<model::ReturnPeriod> schedule;
  if (!host.has("schedule")) return schedule;
  host.list("schedule", 1000, [&](MapReader& e) {
    model::ReturnPeriod period;
    period.from = read_date(e, "from", e.text("from"));
    period.to = read_date(e, "to", e.text("to"));
    if (period.to < period.from) e.fail("to", "expected a date on or after from");
    period.people = e.number("people", {0.0, 1e9});
    if (!schedule.empty() && period.from <= schedule.back().to) {
      e.fail("from", "expected a date after the previous period's end (" +
                         model::iso_date(schedule.back().to) +
                         "): periods are in date order and do not overlap");
    }
    schedule.push_back(period);
  });
  return schedule;
}

// Provinces of the tables where returnees arrive, by pcode.
std::vector<int> read_crossings(MapReader& host, const model::GeographySpec& geo) {
  if (!host.has("crossings")) return {};
  if (geo.source != model::GeographySource::Afghanistan) {
    host.fail("crossings",
              "crossings name provinces of the Afghanistan tables (source: afghanistan); a "
              "synthetic country's returnees arrive in its border districts");
  }
  const std::vector<std::string> pcodes = province_codes(geo);
  return resolve_list(host, "crossings", pcodes, "province", WhenAbsent::None);
}

}  // namespace

void read_returns(MapReader r, model::ScenarioSpec& spec) {
  spec.returns.border_share = r.number("border_share", kShare, spec.returns.border_share);
  for (int h = 0; h < model::kHosts; ++h) {
    MapReader host = r.map(model::kHostNames[static_cast<std::size_t>(h)]);
    model::ReturnsFrom& from = spec.returns.from[static_cast<std::size_t>(h)];
    from.crossing_provinces = read_crossings(host, spec.geography);
    from.schedule = read_return_schedule(host);
    host.finish();
  }
  r.finish();
}

}  // namespace aidflow::scenario
