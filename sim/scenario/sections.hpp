#pragma once
// The scenario's sections, read in groups as the model is grouped (read_people.cpp,
// read_aid.cpp, read_armed.cpp, read_patrons.cpp, read_policy.cpp), so a new key goes beside its
// mechanism's; scenario_loader.cpp calls them in order. Also the helpers they share
// (read_common.cpp). Every reader refuses bad input with a located InputError.
#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "model/spec/scenario.hpp"
#include "scenario/schema_reader.hpp"
#include "scenario/table_cache.hpp"

namespace aidflow::scenario {

inline constexpr Range kShare{0.0, 1.0};
inline constexpr double kMaxUsd = 1e12;  // a trillion a year: far above any real donor
inline constexpr int kMaxStep = 5200;    // a hundred years of weeks
inline constexpr double kShareTolerance = 1e-6;

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
                                const std::vector<std::string>& ids, const std::string& what);
// The day a YYYY-MM-DD text names (years 1900-2099); nothing if the text is not shaped so, and a
// !ok() date if it is shaped but no such day exists (2022-02-30).
std::optional<std::chrono::year_month_day> parse_date(const std::string& text);
// Reads `key` as a date; refuses text that is not one with a located message.
std::chrono::sys_days read_date(MapReader& r, const std::string& key, const std::string& text);
// A rate the file gives per year (`key`), as the spec holds it: per step. `fallback_per_step` is
// the spec's default. The one place a yearly rate becomes a weekly one.
double per_step(MapReader& r, const std::string& key, Range range, double fallback_per_step);
// A step number in [0, kMaxStep].
int read_step(MapReader& r, const std::string& key, int fallback);

// People (read_people.cpp): the country from its source (the Afghanistan tables, read_tables.cpp,
// with district populations projected to the run's start; or a synthetic one), households, the
// recruitment pool, and returns from Iran and Pakistan (after the geography: they name provinces).
// With a cache, the tables are read once for all the runs that share it.
void read_geography(MapReader g, const model::RunSpec& run, model::GeographySpec& geo,
                    TableCache* tables);
void read_country_tables(MapReader& g, const model::RunSpec& run, model::GeographySpec& geo,
                         TableCache* tables);
// The tables' province codes (pcode), in order: what scenario keys name provinces by.
std::vector<std::string> province_codes(const model::GeographySpec& geo);
void read_returns(MapReader r, model::ScenarioSpec& spec);
void read_households(MapReader h, model::HouseholdSpec& hs);
void read_recruitment_rules(MapReader r, model::RecruitmentRules& rules);

// Armed groups (read_armed.cpp); brands, alliances and hostilities name factions by id.
void read_factions(MapReader& root, model::ScenarioSpec& spec);
void resolve_brands(MapReader& root, model::ScenarioSpec& spec,
                    const std::vector<std::string>& ids);
void read_alliances(MapReader& root, model::ScenarioSpec& spec,
                    const std::vector<std::string>& factions);
void read_hostilities(MapReader& root, model::ScenarioSpec& spec,
                      const std::vector<std::string>& factions);
void read_armed_groups(MapReader a, model::ArmedGroupsSpec& g);

// Aid (read_aid.cpp): channels, then ministries (held by factions), sectors (at ministries),
// donors (shares over channels and sectors), then yearly totals over the donors.
void read_channels(MapReader& root, model::ScenarioSpec& spec);
void read_ministries(MapReader& root, model::ScenarioSpec& spec,
                     const std::vector<std::string>& factions);
void read_sectors(MapReader& root, model::ScenarioSpec& spec,
                  const std::vector<std::string>& ministries);
void read_donors(MapReader& root, model::ScenarioSpec& spec,
                 const std::vector<std::string>& channels, const std::vector<std::string>& sectors);
void apply_aid_totals(MapReader& root, model::ScenarioSpec& spec);

// Patron states, the coalition and its envoy (read_patrons.cpp); factions must be read.
void read_patrons_and_coalition(MapReader& root, model::ScenarioSpec& spec);

// Levers (read_policy.cpp): the policy section and its timeline, signals, and the levers that act
// on armed groups from outside (sanctions, Pakistan pressure, the hostage policy).
void read_policy(MapReader p, model::ScenarioSpec& spec);
void read_signals(MapReader s, model::SignalsSpec& signals);
void read_external_levers(MapReader& root, model::ScenarioSpec& spec);

}  // namespace aidflow::scenario
