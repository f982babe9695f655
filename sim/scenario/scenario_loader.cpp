#include "scenario/scenario_loader.hpp"

#include <chrono>
#include <cmath>
#include <optional>
#include <set>

#include "scenario/canonical_order.hpp"
#include "scenario/overrides.hpp"
#include "scenario/sections.hpp"
#include "scenario/yaml_source.hpp"

namespace aidflow::scenario {
namespace {

using model::ScenarioSpec;

// run.households: national, marked until the population is known.
constexpr std::int64_t kNationalResolution = -1;
constexpr std::int64_t kMaxHouseholds = 20'000'000;

void read_run(MapReader r, model::RunSpec& run) {
  run.steps = static_cast<int>(r.integer("steps", 1, 5200, 260));
  run.seed = static_cast<std::uint64_t>(r.integer("seed", 0, INT64_MAX, 1));
  run.start_date = read_date(r, "start_date", r.text("start_date", "2022-01-03"));
  // "national": one agent per household (set once the population and household size are known).
  const SourceNode* households = r.node().find("households");
  const bool national = households && households->kind == SourceNode::Kind::Scalar &&
                        !households->quoted && households->scalar == "national";
  if (national) {
    r.text("households");  // known: read as a word
    run.households = kNationalResolution;
  } else {
    run.households = r.integer("households", 1, kMaxHouseholds, 20000);
  }
  r.finish();
}

// One household agent per household of people_per_household at the start.
void set_national_resolution(MapReader& root, ScenarioSpec& spec) {
  const double households =
      std::round(spec.geography.population / spec.households.people_per_household);
  if (households > static_cast<double>(kMaxHouseholds)) {
    MapReader run = root.map("run");
    run.fail("households", "national resolution would need " + std::to_string(households) +
                               " household agents, more than " + std::to_string(kMaxHouseholds));
  }
  spec.run.households = std::max<std::int64_t>(1, static_cast<std::int64_t>(households));
}

// The top-level keys of a scenario (docs/SCENARIO.md), in the order messages list them.
const std::vector<std::string> kScenarioKeys = {"name",        "description",
                                                "run",         "geography",
                                                "factions",    "alliances",
                                                "hostilities", "armed_groups",
                                                "recruitment", "channels",
                                                "ministries",  "sectors",
                                                "donors",      "aid_total_usd_by_year",
                                                "households",  "returns",
                                                "policy",      "signals",
                                                "patrons",     "coalition",
                                                "sanctions",   "pakistan_pressure",
                                                "hostages"};

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

ScenarioSpec read_scenario(const SourceNode& tree, SourceText text, TableCache* tables) {
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
  read_geography(root.map("geography"), spec.run, spec.geography, tables);
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
  read_returns(root.map("returns"), spec);
  if (spec.run.households == kNationalResolution) set_national_resolution(root, spec);
  read_policy(root.map("policy"), spec);
  read_signals(root.map("signals"), spec.signals);
  read_patrons_and_coalition(root, spec);
  read_external_levers(root, spec);
  root.finish();
  check_consistency(root, spec);
  put_in_canonical_order(spec);
  // The values it ran, without the ranges declared: a run records the same text either way.
  if (text == SourceText::kKept) spec.source_text = to_yaml(tree, Declarations::kValuesOnly);
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
