#include "io/scenario_loader.hpp"

#include <chrono>
#include <cmath>
#include <set>

#include "io/overrides.hpp"
#include "io/schema_reader.hpp"
#include "io/yaml_source.hpp"

namespace aidflow::io {
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

// "unknown faction "haqani" (did you mean "haqqani"?)", or the list of known ids.
std::string unknown_reference(const std::string& what, const std::string& id,
                              const std::vector<std::string>& ids) {
  if (const auto hint = closest_match(id, ids)) {
    return "unknown " + what + " \"" + excerpt(id) + "\" (did you mean \"" + *hint + "\"?)";
  }
  return "unknown " + what + " \"" + excerpt(id) + "\"; known: " + join(ids);
}

int resolve(MapReader& reader, const std::string& key, const std::vector<std::string>& ids,
            const std::string& what) {
  const std::string id = reader.text(key);
  const auto it = std::find(ids.begin(), ids.end(), id);
  if (it != ids.end()) return static_cast<int>(it - ids.begin());
  reader.fail(key, unknown_reference(what, id, ids));
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

void read_run(MapReader r, model::RunSpec& run) {
  run.steps = static_cast<int>(r.integer("steps", 1, 5200, 260));
  run.seed = static_cast<std::uint64_t>(r.integer("seed", 0, INT64_MAX, 1));
  run.start_date = r.text("start_date", "2022-01-03");
  const std::string& d = run.start_date;
  const auto digits = [&](std::size_t from, std::size_t count) {
    return std::all_of(d.begin() + static_cast<std::ptrdiff_t>(from),
                       d.begin() + static_cast<std::ptrdiff_t>(from + count),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  const bool shaped = d.size() == 10 && d[4] == '-' && d[7] == '-' && digits(0, 4) &&
                      digits(5, 2) && digits(8, 2) &&
                      (d.starts_with("19") || d.starts_with("20")) && d.substr(5, 2) >= "01" &&
                      d.substr(5, 2) <= "12";
  if (!shaped) {
    r.fail("start_date", "expected a date as YYYY-MM-DD, got \"" + excerpt(run.start_date) + "\"");
  }
  const std::chrono::year_month_day day{
      std::chrono::year{std::stoi(run.start_date.substr(0, 4))},
      std::chrono::month{static_cast<unsigned>(std::stoi(run.start_date.substr(5, 2)))},
      std::chrono::day{static_cast<unsigned>(std::stoi(run.start_date.substr(8, 2)))}};
  if (!day.ok()) {
    r.fail("start_date",
           "expected a date as YYYY-MM-DD, got \"" + run.start_date + "\" (no such day)");
  }
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
  geo.household_size = g.number("household_size", {1.0, 50.0}, 7.0);
  geo.baseline_need = g.number("baseline_need", kShare, 0.5);
  geo.need_spread = g.number("need_spread", kShare, 0.15);
  if (g.has("border_shares")) {
    const std::vector<std::string> borders = names(model::kBorderNames);
    const std::vector<double> shares = read_shares(g, "border_shares", borders, "border class");
    std::copy(shares.begin(), shares.end(), geo.border_shares.begin());
  }
  g.finish();
}

void read_factions(MapReader& root, ScenarioSpec& spec) {
  root.list("factions", 16, [&](MapReader& f) {
    model::FactionSpec faction;
    faction.id = f.identifier("id");
    faction.name = f.text("name", faction.id);
    faction.treasury_usd = f.number("treasury_usd", {0.0, kMaxBudgetUsd}, 0.0);
    faction.fighters = f.number("fighters", {0.0, 1e7}, 0.0);
    faction.influence = f.number("influence", kShare, 0.0);
    faction.local_tax_rate = f.number("local_tax_rate", kShare, 0.0);
    faction.list_manipulation = f.number("list_manipulation", kShare, 0.0);
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
    spec.ministries.push_back(ministry);
  });
}

void read_sectors(MapReader& root, ScenarioSpec& spec, const std::vector<std::string>& ministries) {
  root.list("sectors", 32, [&](MapReader& s) {
    model::SectorSpec sector;
    sector.id = s.identifier("id");
    sector.ministry = resolve(s, "ministry", ministries, "ministry");
    spec.sectors.push_back(sector);
  });
}

void read_donors(MapReader& root, ScenarioSpec& spec, const std::vector<std::string>& channels,
                 const std::vector<std::string>& sectors) {
  root.list("donors", 64, [&](MapReader& d) {
    model::DonorSpec donor;
    donor.id = d.identifier("id");
    donor.name = d.text("name", donor.id);
    donor.budget_usd_per_year = d.number("budget_usd_per_year", {0.0, kMaxBudgetUsd});
    donor.channel_shares = read_shares(d, "channels", channels, "channel");
    donor.sector_shares = read_shares(d, "sectors", sectors, "sector");
    spec.donors.push_back(donor);
  });
}

void read_households(MapReader h, model::HouseholdSpec& hs) {
  hs.relief_usd_per_person_week =
      h.number("relief_usd_per_person_week", {0.0, 1e4, true}, hs.relief_usd_per_person_week);
  hs.shock_sd = h.number("shock_sd", kShare, hs.shock_sd);
  hs.reversion_per_week = h.number("reversion_per_week", kShare, hs.reversion_per_week);
  hs.winter_peak = h.number("winter_peak", kShare, hs.winter_peak);
  hs.need_threshold = h.number("need_threshold", kShare, hs.need_threshold);
  hs.targeting = h.number("targeting", kShare, hs.targeting);
  hs.displacement_per_week = h.number("displacement_per_week", kShare, hs.displacement_per_week);
  hs.cross_border_share = h.number("cross_border_share", kShare, hs.cross_border_share);
  hs.return_per_week = h.number("return_per_week", kShare, hs.return_per_week);
  h.finish();
}

void read_policy(MapReader p, model::PolicySpec& policy) {
  policy.humanitarian_only = p.boolean("humanitarian_only", false);
  MapReader m = p.map("monitoring");
  policy.monitoring.third_party = m.number("third_party", kShare, 0.0);
  policy.monitoring.effect = m.number("effect", kShare, 0.5);
  policy.monitoring.cost_share = m.number("cost_share", {0.0, 0.5}, 0.02);
  m.finish();
  p.finish();
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

}  // namespace

ScenarioSpec read_scenario(const SourceNode& tree) {
  if (tree.kind == SourceNode::Kind::Null) {
    throw InputError(tree.where, "",
                     "the file is empty: expected a scenario mapping "
                     "(name, factions, channels, ministries, sectors, donors)");
  }
  MapReader root(tree, "");
  ScenarioSpec spec;
  spec.name = root.text("name");
  spec.description = root.text("description", "");
  read_run(root.map("run"), spec.run);
  read_geography(root.map("geography"), spec.geography);
  read_factions(root, spec);
  const auto factions = collect_ids(spec.factions, root, "factions");
  read_channels(root, spec);
  const auto channels = collect_ids(spec.channels, root, "channels");
  read_ministries(root, spec, factions);
  const auto ministries = collect_ids(spec.ministries, root, "ministries");
  read_sectors(root, spec, ministries);
  const auto sectors = collect_ids(spec.sectors, root, "sectors");
  read_donors(root, spec, channels, sectors);
  collect_ids(spec.donors, root, "donors");
  read_households(root.map("households"), spec.households);
  read_policy(root.map("policy"), spec.policy);
  root.finish();
  check_consistency(root, spec);
  spec.source_text = to_yaml(tree);
  return spec;
}

LoadedScenario load_scenario_and_files(const std::filesystem::path& file,
                                       const LoadOptions& options) {
  LoadedTree loaded = load_yaml_file(file);
  apply_overrides(loaded.root, options.overrides);
  return {read_scenario(loaded.root), std::move(loaded.files)};
}

ScenarioSpec load_scenario(const std::filesystem::path& file, const LoadOptions& options) {
  return load_scenario_and_files(file, options).spec;
}

}  // namespace aidflow::io
