#include "scenario/scenario_loader.hpp"

#include <chrono>
#include <cmath>
#include <optional>
#include <set>

#include "scenario/levers_loader.hpp"
#include "scenario/overrides.hpp"
#include "scenario/references.hpp"
#include "scenario/schema_reader.hpp"
#include "scenario/yaml_source.hpp"

namespace aidflow::scenario {
namespace {

using model::ScenarioSpec;

constexpr Range kShare{0.0, 1.0};
constexpr double kMaxBudgetUsd = 1e12;  // a trillion a year: far above any real donor
constexpr double kShareTolerance = 1e-6;

template <std::size_t N>
std::vector<std::string> names(const std::array<const char*, N>& list) {
  return {list.begin(), list.end()};
}

// Ids of a list of entries, for references; refuses duplicates.
template <class Entry>
std::vector<std::string> collect_ids(const std::vector<Entry>& entries, MapReader& root,
                                     const std::string& key) {
  std::vector<std::string> ids;
  const SourceNode& list = *root.node().find(key);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (std::find(ids.begin(), ids.end(), entries[i].id) != ids.end()) {
      MapReader item(list.children[i], item_path(child_path(root.path(), key), i));
      item.fail("id", "duplicate id \"" + entries[i].id + "\": ids must be unique in " + key);
    }
    ids.push_back(entries[i].id);
  }
  return ids;
}

// A mapping of id -> share over `ids`; ids left out get 0; shares must sum to 1.
std::vector<double> read_shares(MapReader& parent, const std::string& key,
                                const std::vector<std::string>& ids, const std::string& what) {
  const std::string expected = "a mapping of " + what + " id to share";
  if (!parent.has(key)) parent.fail(key, "required key is missing: expected " + expected);
  MapReader shares = parent.map(key);
  if (shares.node().kind != SourceNode::Kind::Map) parent.fail_type(key, expected, shares.node());
  std::vector<double> out(ids.size(), 0.0);
  double sum = 0.0;
  for (std::size_t k = 0; k < shares.node().keys.size(); ++k) {
    const std::string& given = shares.node().keys[k];
    const auto it = std::find(ids.begin(), ids.end(), given);
    if (it == ids.end()) {
      throw InputError(shares.node().key_locations[k], child_path(shares.path(), given),
                       unknown_reference(what, given, ids));
    }
    const double share = shares.number(given, kShare);
    out[static_cast<std::size_t>(it - ids.begin())] = share;
    sum += share;
  }
  if (std::fabs(sum - 1.0) > kShareTolerance) {
    parent.fail(key, "shares must sum to 1, but they sum to " + std::to_string(sum));
  }
  return out;
}

// The day a YYYY-MM-DD text names (years 1900-2099); nothing if the text is not shaped so, and a
// !ok() date if it is shaped but no such day exists (2022-02-30).
std::optional<std::chrono::year_month_day> parse_date(const std::string& d) {
  const auto digits = [&](std::size_t from, std::size_t count) {
    return std::all_of(d.begin() + static_cast<std::ptrdiff_t>(from),
                       d.begin() + static_cast<std::ptrdiff_t>(from + count),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  const bool shaped = d.size() == 10 && d[4] == '-' && d[7] == '-' && digits(0, 4) &&
                      digits(5, 2) && digits(8, 2) &&
                      (d.starts_with("19") || d.starts_with("20")) && d.substr(5, 2) >= "01" &&
                      d.substr(5, 2) <= "12";
  if (!shaped) return std::nullopt;
  return std::chrono::year_month_day{
      std::chrono::year{std::stoi(d.substr(0, 4))},
      std::chrono::month{static_cast<unsigned>(std::stoi(d.substr(5, 2)))},
      std::chrono::day{static_cast<unsigned>(std::stoi(d.substr(8, 2)))}};
}

// Reads `key` as a date; refuses text that is not one with a located message.
std::chrono::sys_days read_date(MapReader& r, const std::string& key, const std::string& text) {
  const auto day = parse_date(text);
  if (!day) r.fail(key, "expected a date as YYYY-MM-DD, got \"" + excerpt(text) + "\"");
  if (!day->ok()) {
    r.fail(key, "expected a date as YYYY-MM-DD, got \"" + excerpt(text) + "\" (no such day)");
  }
  return std::chrono::sys_days{*day};
}

void read_run(MapReader r, model::RunSpec& run) {
  run.steps = static_cast<int>(r.integer("steps", 1, 5200, 260));
  run.seed = static_cast<std::uint64_t>(r.integer("seed", 0, INT64_MAX, 1));
  run.start_date = r.text("start_date", "2022-01-03");
  read_date(r, "start_date", run.start_date);
  run.households = r.integer("households", 1, 20'000'000, 20000);
  r.finish();
}

void read_geography(MapReader g, model::GeographySpec& geo) {
  geo.provinces = static_cast<int>(g.integer("provinces", 1, 1000, 34));
  geo.districts = static_cast<int>(g.integer("districts", 1, 100000, 401));
  if (geo.districts < geo.provinces) {
    g.fail("districts", "expected at least as many districts as provinces (" +
                            std::to_string(geo.provinces) + "), got " +
                            std::to_string(geo.districts));
  }
  geo.population = g.number("population", {1.0, 1e10}, 40e6);
  geo.baseline_need = g.number("baseline_need", kShare, 0.5);
  geo.need_spread = g.number("need_spread", kShare, 0.15);
  geo.district_size_spread = g.number("district_size_spread", {0.0, 3.0}, geo.district_size_spread);
  geo.influence_spread = g.number("influence_spread", {0.0, 3.0}, geo.influence_spread);
  geo.capital_population_share =
      g.number("capital_population_share", {0.0, 0.9}, geo.capital_population_share);
  geo.local_revenue_usd_per_year =
      g.number("local_revenue_usd_per_year", {0.0, kMaxBudgetUsd}, 0.0);
  if (g.has("border_shares")) {
    const std::vector<std::string> borders = names(model::kBorderNames);
    const std::vector<double> shares = read_shares(g, "border_shares", borders, "border class");
    std::copy(shares.begin(), shares.end(), geo.border_shares.begin());
  }
  g.finish();
}

void read_economy(MapReader e, model::EconomySpec& economy) {
  economy.revenue_take = e.number("revenue_take", kShare, 0.0);
  economy.upkeep_usd_per_fighter_week = e.number("upkeep_usd_per_fighter_week", {0.0, 1e5}, 0.0);
  economy.recruit_pay_usd = e.number("recruit_pay_usd", {0.0, 1e6}, 0.0);
  economy.reserve_weeks = e.number("reserve_weeks", {0.0, 520.0}, economy.reserve_weeks);
  economy.drawdown_per_week = e.number("drawdown_per_week", kShare, economy.drawdown_per_week);
  MapReader priorities = e.map("priorities");
  economy.attack_preparation = priorities.number("attack_preparation", kShare, 0.0);
  economy.infiltration = priorities.number("infiltration", kShare, 0.0);
  economy.assassination = priorities.number("assassination", kShare, 0.0);
  economy.counter_terrorism = priorities.number("counter_terrorism", kShare, 0.0);
  priorities.finish();
  economy.northern_influence_per_million_usd =
      e.number("northern_influence_per_million_usd", {0.0, 10.0}, 0.0);
  e.finish();
}

void read_faction_recruitment(MapReader r, model::RecruitmentSpec& recruitment) {
  recruitment.appeal = r.number("appeal", {0.0, 100.0}, 1.0);
  recruitment.capital_reach = r.number("capital_reach", kShare, 0.0);
  MapReader border = r.map("border_reach");
  for (std::size_t b = 0; b < model::kBorderNames.size(); ++b) {
    recruitment.border_reach[b] = border.number(model::kBorderNames[b], kShare, 0.0);
  }
  border.finish();
  r.finish();
}

void read_attacks(MapReader a, model::AttackSpec& attacks) {
  attacks.rate_per_1000_fighters_year = a.number("rate_per_1000_fighters_year", {0.0, 1e4}, 0.0);
  attacks.preparation_half_usd =
      a.number("preparation_half_usd", {0.0, kMaxBudgetUsd, true}, attacks.preparation_half_usd);
  attacks.simple_cost_usd = a.number("simple_cost_usd", {0.0, 1e9, true}, attacks.simple_cost_usd);
  attacks.complex_cost_usd =
      a.number("complex_cost_usd", {0.0, 1e10, true}, attacks.complex_cost_usd);
  attacks.complex_share = a.number("complex_share", kShare, 0.0);
  attacks.capital_share = a.number("capital_share", kShare, 0.0);
  attacks.foreign_target_share = a.number("foreign_target_share", kShare, 0.0);
  attacks.security_target_share = a.number("security_target_share", kShare, 0.0);
  a.text("brand", "");  // resolved once every faction id is known (resolve_brands)
  attacks.brand_claim_share = a.number("brand_claim_share", kShare, 0.0);
  attacks.own_claim_share = a.number("own_claim_share", kShare, 1.0);
  a.finish();
}

// attacks.brand names another faction, so it is resolved after the list is read.
void resolve_brands(MapReader& root, ScenarioSpec& spec, const std::vector<std::string>& ids) {
  const SourceNode& list = *root.node().find("factions");
  for (std::size_t i = 0; i < spec.factions.size(); ++i) {
    MapReader item(list.children[i], item_path("factions", i));
    MapReader attacks = item.map("attacks");
    if (!attacks.has("brand") || attacks.text("brand").empty()) continue;
    spec.factions[i].attacks.brand = resolve(attacks, "brand", ids, "faction");
  }
}

void read_factions(MapReader& root, ScenarioSpec& spec) {
  root.list("factions", 16, [&](MapReader& f) {
    model::FactionSpec faction;
    faction.id = f.identifier("id");
    faction.name = f.text("name", faction.id);
    faction.treasury_usd = f.number("treasury_usd", {0.0, kMaxBudgetUsd}, 0.0);
    faction.preparation_usd = f.number("preparation_usd", {0.0, kMaxBudgetUsd}, 0.0);
    faction.fighters = f.number("fighters", {0.0, 1e7}, 0.0);
    faction.influence = f.number("influence", kShare, 0.0);
    faction.local_tax_rate = f.number("local_tax_rate", kShare, 0.0);
    faction.list_manipulation = f.number("list_manipulation", kShare, 0.0);
    faction.holds_ministries = f.boolean("holds_ministries", false);
    read_economy(f.map("economy"), faction.economy);
    read_faction_recruitment(f.map("recruitment"), faction.recruitment);
    read_attacks(f.map("attacks"), faction.attacks);
    read_hostage_taking(f.map("hostages"), faction.hostages);
    spec.factions.push_back(faction);
  });
  double influence = 0.0;
  for (const auto& f : spec.factions) influence += f.influence;
  if (influence > 1.0 + kShareTolerance) {
    root.fail("factions", "faction influences must sum to at most 1, but they sum to " +
                              std::to_string(influence));
  }
}

void read_channels(MapReader& root, ScenarioSpec& spec) {
  root.list("channels", 16, [&](MapReader& c) {
    model::ChannelSpec channel;
    channel.id = c.identifier("id");
    channel.kind =
        static_cast<model::ChannelKind>(c.choice("kind", names(model::kChannelKindNames)));
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
    ministry.infiltration_per_step =
        m.number("infiltration_per_year", kShare, 0.0) / model::kStepsPerYear;
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
        s.choice("purpose", names(model::kSectorPurposeNames), 0));
    spec.sectors.push_back(sector);
  });
}

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
    out.push_back({std::stoi(key), years.number(key, {0.0, kMaxBudgetUsd})});
  }
  years.finish();
  return out;
}

// Without a budget_usd_per_year to fall back on, every calendar year the run touches needs a
// budget: a year left out would silently pay nothing.
void require_every_run_year(MapReader& d, const model::RunSpec& run,
                            const std::vector<model::YearBudget>& budgets,
                            const std::string& key = "budget_usd_by_year") {
  const auto start = std::chrono::sys_days{*parse_date(run.start_date)};
  const auto last = start + std::chrono::days{7 * (run.steps - 1)};
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
                                    ? d.number("budget_usd_per_year", {0.0, kMaxBudgetUsd})
                                    : d.number("budget_usd_per_year", {0.0, kMaxBudgetUsd}, 0.0);
    donor.channel_shares = read_shares(d, "channels", channels, "channel");
    donor.sector_shares = read_shares(d, "sectors", sectors, "sector");
    spec.donors.push_back(donor);
  });
}

void read_households(MapReader h, model::HouseholdSpec& hs) {
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
  hs.economic_trend_per_year = h.number("economic_trend_per_year", {-0.5, 0.5}, 0.0);
  hs.drought_odds_per_year = h.number("drought_odds_per_year", kShare, 0.0);
  hs.drought_need = h.number("drought_need", kShare, hs.drought_need);
  hs.drought_weeks = static_cast<int>(h.integer("drought_weeks", 0, 39, hs.drought_weeks));
  h.finish();
}

// counter_isis_aid: money a donor routes through one channel into a security-purpose sector.
void read_counter_isis_aid(MapReader a, const ScenarioSpec& spec, model::CounterIsisAidSpec& aid) {
  aid.usd_per_year = a.number("usd_per_year", {0.0, kMaxBudgetUsd}, 0.0);
  if (aid.usd_per_year > 0.0 || a.has("donor") || a.has("channel") || a.has("sector")) {
    // All three have no default: name every one still needed at once.
    std::vector<std::string> missing;
    for (const char* key : {"donor", "channel", "sector"}) {
      if (!a.has(key)) missing.push_back(key);
    }
    if (!missing.empty()) {
      throw InputError(a.where(""), a.path(),
                       "counter-ISIS aid needs a donor, a channel and a sector (ids of this "
                       "scenario; the sector with purpose: security); missing: " +
                           join(missing));
    }
    aid.donor = resolve(a, "donor", ids_of(spec.donors), "donor");
    aid.channel = resolve(a, "channel", ids_of(spec.channels), "channel");
    aid.sector = resolve(a, "sector", ids_of(spec.sectors), "sector");
    if (spec.sectors[static_cast<std::size_t>(aid.sector)].purpose !=
        model::SectorPurpose::Security) {
      a.fail("sector",
             "expected a sector with purpose: security (counter-ISIS money buys "
             "operations), got \"" +
                 spec.sectors[static_cast<std::size_t>(aid.sector)].id + "\"");
    }
  }
  a.finish();
}

void read_conditionality(MapReader& p, const ScenarioSpec& spec, model::PolicySpec& policy) {
  if (!p.has("conditionality")) return;
  const auto kinds = names(model::kChannelKindNames);
  p.list("conditionality", 16, [&](MapReader& c) {
    model::ConditionSpec rule;
    rule.donors = resolve_list(c, "donors", ids_of(spec.donors), "donor", WhenAbsent::Every);
    if (!c.has("aid_types"))
      c.fail("aid_types",
             "required key is missing: expected a list of channel kinds, such as [budget_support]");
    for (int kind : resolve_list(c, "aid_types", kinds, "channel kind", WhenAbsent::None)) {
      rule.aid_types[static_cast<std::size_t>(kind)] = true;
    }
    rule.trigger = static_cast<model::Trigger>(c.choice("trigger", names(model::kTriggerNames)));
    if (c.has("faction")) {
      rule.faction = resolve(c, "faction", ids_of(spec.factions), "faction");
    }
    rule.threshold = c.number("threshold", {0.0, 1e9});
    rule.suspension_weeks = static_cast<int>(c.integer("suspension_weeks", 1, 5200, 26));
    rule.review_weeks = static_cast<int>(c.integer("review_weeks", 1, 520, 13));
    rule.humanitarian_carve_out = c.boolean("humanitarian_carve_out", true);
    rule.multilateral = c.boolean("multilateral", false);
    rule.substitution = c.number("substitution", kShare, 0.0);
    policy.conditionality.push_back(rule);
  });
}

// Every lever of a policy section (not its timeline). Used for the section itself and for each
// timeline entry merged over it, so a later period is validated exactly like the first.
void read_levers(MapReader& p, const ScenarioSpec& spec, model::PolicySpec& policy) {
  policy.humanitarian_only = p.boolean("humanitarian_only", false);
  MapReader m = p.map("monitoring");
  policy.monitoring.third_party = m.number("third_party", kShare, 0.0);
  policy.monitoring.effect = m.number("effect", kShare, 0.5);
  policy.monitoring.cost_share = m.number("cost_share", {0.0, 0.5}, 0.02);
  m.finish();
  read_counter_isis_aid(p.map("counter_isis_aid"), spec, policy.counter_isis_aid);
  read_conditionality(p, spec, policy);
}

// A timeline entry's `at`: a step number, or a date (the step whose week holds it).
int read_at(MapReader& e, const ScenarioSpec& spec) {
  const SourceNode* at = e.node().find("at");
  if (!at) e.fail("at", "required key is missing: expected a step number or a date YYYY-MM-DD");
  if (at->kind == SourceNode::Kind::Scalar && !at->quoted &&
      std::all_of(at->scalar.begin(), at->scalar.end(), ::isdigit)) {
    return static_cast<int>(e.integer("at", 1, spec.run.steps - 1));
  }
  // A number that is no step (-5, 2.5) is neither: say what `at` takes, not "a text value".
  if (at->kind == SourceNode::Kind::Scalar && !at->quoted && !at->scalar.empty()) {
    char* end = nullptr;
    std::strtod(at->scalar.c_str(), &end);
    if (*end == '\0') {
      e.fail("at", "expected a step (a whole number from 1 to " +
                       std::to_string(spec.run.steps - 1) + ") or a date YYYY-MM-DD, got " +
                       excerpt(at->scalar));
    }
  }
  const std::string text = e.text("at");
  const auto day = read_date(e, "at", text);
  const auto start = std::chrono::sys_days{*parse_date(spec.run.start_date)};
  const auto weeks = (day - start).count() / 7;
  if (day < start + std::chrono::days{7} || weeks >= spec.run.steps) {
    e.fail("at", "expected a date in the run after its first week (" + spec.run.start_date +
                     " + 1 week to the last step), got " + text);
  }
  return static_cast<int>(weeks);
}

// policy.timeline: each entry (at: step or date, then any levers) is merged over the policy in
// force before it, so a lever starts at one entry and stops at a later one.
void read_timeline(MapReader& p, ScenarioSpec& spec) {
  if (!p.has("timeline")) return;
  const SourceNode& list = *p.node().find("timeline");
  if (list.kind != SourceNode::Kind::Sequence) {
    p.fail_type("timeline", "a list of entries, each with `at` and the levers that change", list);
  }
  SourceNode current = p.node();
  current.erase("timeline");
  int last = 0;
  for (std::size_t i = 0; i < list.children.size(); ++i) {
    const SourceNode& entry = list.children[i];
    const std::string path = item_path(child_path(p.path(), "timeline"), i);
    if (entry.kind != SourceNode::Kind::Map) {
      throw InputError(entry.where, path, "expected a mapping with `at`, got " + entry.describe());
    }
    MapReader e(entry, path);
    const int step = read_at(e, spec);
    if (step <= last) {
      e.fail("at", "timeline entries must move forward in time: step " + std::to_string(step) +
                       " is not after step " + std::to_string(last));
    }
    last = step;
    SourceNode change = entry;
    change.erase("at");
    merge_into(current, change);
    MapReader merged(current, path);
    model::PolicyPeriod period{.from_step = step};
    read_levers(merged, spec, period.policy);
    merged.finish();
    spec.policy_timeline.push_back(period);
  }
}

void read_policy(MapReader p, ScenarioSpec& spec) {
  read_levers(p, spec, spec.policy);
  read_timeline(p, spec);
  p.finish();
}

void read_signals(MapReader s, model::SignalsSpec& signals) {
  signals.lag_weeks = static_cast<int>(s.integer("lag_weeks", 1, 104, signals.lag_weeks));
  signals.window_weeks = static_cast<int>(s.integer("window_weeks", 1, 104, signals.window_weeks));
  signals.noise_sd = s.number("noise_sd", {0.0, 3.0}, signals.noise_sd);
  signals.detection_base = s.number("detection_base", kShare, signals.detection_base);
  signals.detection_monitored =
      s.number("detection_monitored", kShare, signals.detection_monitored);
  s.finish();
}

// Directed money edges between factions (S6, S8, S16).
void read_alliances(MapReader& root, ScenarioSpec& spec, const std::vector<std::string>& factions) {
  if (!root.has("alliances")) return;
  root.list("alliances", 64, [&](MapReader& a) {
    model::AllianceSpec edge;
    edge.from = resolve(a, "from", factions, "faction");
    edge.to = resolve(a, "to", factions, "faction");
    if (edge.from == edge.to) a.fail("to", "expected another faction than from");
    edge.kind = a.text("kind", "support");
    edge.income_share = a.number("income_share", kShare, 0.0);
    edge.usd_per_year = a.number("usd_per_year", {0.0, kMaxBudgetUsd}, 0.0);
    spec.alliances.push_back(edge);
  });
  double promised = 0.0;
  for (std::size_t f = 0; f < factions.size(); ++f) {
    promised = 0.0;
    for (const auto& edge : spec.alliances) {
      if (edge.from == static_cast<int>(f)) promised += edge.income_share;
    }
    if (promised > 1.0 + kShareTolerance) {
      root.fail("alliances", "the income shares " + factions[f] +
                                 " passes on sum to more than 1 (" + std::to_string(promised) +
                                 ")");
    }
  }
}

void read_hostilities(MapReader& root, ScenarioSpec& spec,
                      const std::vector<std::string>& factions) {
  if (!root.has("hostilities")) return;
  root.list("hostilities", 64, [&](MapReader& h) {
    model::Hostility hostility;
    hostility.by = resolve(h, "by", factions, "faction");
    hostility.against = resolve(h, "against", factions, "faction");
    if (hostility.by == hostility.against) h.fail("against", "expected another faction than by");
    spec.hostilities.push_back(hostility);
  });
}

void read_armed_groups(MapReader a, model::ArmedGroupsSpec& g) {
  g.attrition_per_year = a.number("attrition_per_year", kShare, g.attrition_per_year);
  g.unpaid_desertion_per_week =
      a.number("unpaid_desertion_per_week", kShare, g.unpaid_desertion_per_week);
  g.prestige_half_life_weeks =
      a.number("prestige_half_life_weeks", {0.0, 520.0, true}, g.prestige_half_life_weeks);
  g.prestige_per_casualty = a.number("prestige_per_casualty", {0.0, 10.0}, g.prestige_per_casualty);
  g.influence_adjust_per_year =
      a.number("influence_adjust_per_year", {0.0, 52.0}, g.influence_adjust_per_year);
  g.ministry_review_weeks =
      static_cast<int>(a.integer("ministry_review_weeks", 1, 520, g.ministry_review_weeks));
  g.ministry_move_margin = a.number("ministry_move_margin", {0.0, 100.0}, g.ministry_move_margin);
  g.ministry_move_odds = a.number("ministry_move_odds", kShare, g.ministry_move_odds);
  g.cash_weight = a.number("cash_weight", {0.0, 10.0}, g.cash_weight);
  g.infiltration_usd_per_point = a.number("infiltration_usd_per_point", {0.0, kMaxBudgetUsd, true},
                                          g.infiltration_usd_per_point);
  g.preparation_decay_per_week =
      a.number("preparation_decay_per_week", kShare, g.preparation_decay_per_week);
  g.intelligence_quality = a.number("intelligence_quality", kShare, g.intelligence_quality);
  g.casualties_simple = a.number("casualties_simple", {0.0, 1e4}, g.casualties_simple);
  g.casualties_complex = a.number("casualties_complex", {0.0, 1e4}, g.casualties_complex);
  g.attackers_lost_simple = a.number("attackers_lost_simple", {0.0, 1e3}, g.attackers_lost_simple);
  g.attackers_lost_complex =
      a.number("attackers_lost_complex", {0.0, 1e3}, g.attackers_lost_complex);
  g.ct_half_fighters = a.number("ct_half_fighters", {0.0, 1e7}, g.ct_half_fighters);
  g.ct_fighters_per_million_usd =
      a.number("ct_fighters_per_million_usd", {0.0, 1e5}, g.ct_fighters_per_million_usd);
  a.finish();
}

void read_recruitment_rules(MapReader r, model::RecruitmentRules& rules) {
  rules.young_men_share = r.number("young_men_share", kShare, rules.young_men_share);
  rules.rate_per_year = r.number("rate_per_year", kShare, rules.rate_per_year);
  rules.need_floor = r.number("need_floor", kShare, rules.need_floor);
  rules.pay_reference_usd = r.number("pay_reference_usd", {0.0, 1e6}, rules.pay_reference_usd);
  rules.affiliated_share = r.number("affiliated_share", kShare, rules.affiliated_share);
  r.finish();
}

// Checks that need every section at once.
void check_consistency(MapReader& root, const ScenarioSpec& spec) {
  if (spec.run.households < spec.geography.districts) {
    MapReader run = root.map("run");
    run.fail("households", "expected at least one household agent per district (" +
                               std::to_string(spec.geography.districts) + "), got " +
                               std::to_string(spec.run.households));
  }
  if (spec.policy.humanitarian_only) {
    const bool any_other = std::any_of(spec.channels.begin(), spec.channels.end(), [](auto& c) {
      return c.kind != model::ChannelKind::BudgetSupport;
    });
    if (!any_other) {
      MapReader policy = root.map("policy");
      policy.fail("humanitarian_only",
                  "humanitarian_only needs at least one channel that is not budget_support");
    }
  }
}

// The top-level keys of a scenario (docs/SCENARIO.md), in the order messages list them.
const std::vector<std::string> kScenarioKeys = {"name",
                                                "description",
                                                "run",
                                                "geography",
                                                "factions",
                                                "alliances",
                                                "hostilities",
                                                "armed_groups",
                                                "recruitment",
                                                "channels",
                                                "ministries",
                                                "sectors",
                                                "donors",
                                                "aid_total_usd_by_year",
                                                "households",
                                                "policy",
                                                "signals",
                                                "patrons",
                                                "coalition",
                                                "sanctions",
                                                "pakistan_pressure",
                                                "hostages"};

}  // namespace

ScenarioSpec read_scenario(const SourceNode& tree) {
  if (tree.kind == SourceNode::Kind::Null) {
    throw InputError(tree.where, "",
                     "the file is empty: expected a scenario mapping "
                     "(name, factions, channels, ministries, sectors, donors)");
  }
  MapReader root(tree, "");
  root.allow(kScenarioKeys, {"extends"});  // (extends is resolved before: never read here)
  ScenarioSpec spec;
  spec.name = root.text("name");
  spec.description = root.text("description", "");
  read_run(root.map("run"), spec.run);
  read_geography(root.map("geography"), spec.geography);
  read_factions(root, spec);
  const auto factions = collect_ids(spec.factions, root, "factions");
  resolve_brands(root, spec, factions);
  read_alliances(root, spec, factions);
  read_hostilities(root, spec, factions);
  read_armed_groups(root.map("armed_groups"), spec.armed_groups);
  read_recruitment_rules(root.map("recruitment"), spec.recruitment);
  read_channels(root, spec);
  const auto channels = collect_ids(spec.channels, root, "channels");
  read_ministries(root, spec, factions);
  const auto ministries = collect_ids(spec.ministries, root, "ministries");
  read_sectors(root, spec, ministries);
  const auto sectors = collect_ids(spec.sectors, root, "sectors");
  read_donors(root, spec, channels, sectors);
  collect_ids(spec.donors, root, "donors");
  apply_aid_totals(root, spec);
  read_households(root.map("households"), spec.households);
  read_policy(root.map("policy"), spec);
  read_signals(root.map("signals"), spec.signals);
  read_patrons_and_levers(root, spec);
  root.finish();
  check_consistency(root, spec);
  spec.source_text = to_yaml(tree);
  return spec;
}

LoadedScenario load_scenario_and_files(const std::filesystem::path& file,
                                       const LoadOptions& options) {
  LoadedTree loaded = load_yaml_file(file);
  apply_overrides_checked(loaded.root, options.overrides);
  return {read_scenario(loaded.root), std::move(loaded.files)};
}

namespace {

// What the schema says of `path` (a key the tree lacks) given as an empty list: its unknown-key
// message ("unknown key (did you mean ...)"), or nothing if the key is one it knows.
std::optional<std::string> unknown_key(const SourceNode& tree, const std::string& path) {
  SourceNode probe = tree;
  apply_override(probe, Override(path + "=[]"));
  try {
    read_scenario(probe);
  } catch (const InputError& e) {
    if (e.path() != path) return "unknown key";  // refused elsewhere first: cannot tell
    if (e.message().starts_with("unknown key")) return e.message();
  }
  return std::nullopt;
}

}  // namespace

void apply_overrides_checked(SourceNode& tree, const std::vector<Override>& overrides) {
  for (const Override& o : overrides) {
    try {
      apply_override(tree, o);
    } catch (const MissingListError& e) {
      if (const auto message = unknown_key(tree, e.path())) {
        throw InputError(e.where(), e.path(), *message);
      }
      throw InputError(e.where(), e.path(),
                       "this scenario has no " + e.path() +
                           " (the list is absent): --set changes entries a list has; add the "
                           "entry to the scenario file (docs/SCENARIO.md), then --set its values");
    }
  }
}

ScenarioSpec load_scenario(const std::filesystem::path& file, const LoadOptions& options) {
  return load_scenario_and_files(file, options).spec;
}

}  // namespace aidflow::scenario
