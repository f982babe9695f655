#pragma once
// Scenario file -> validated ScenarioSpec. Everything a user can get wrong is refused here, before
// anything runs, with an InputError naming file, line, column, key path and what was expected.
#include <filesystem>
#include <string>
#include <vector>

#include "model/spec/scenario.hpp"
#include "scenario/overrides.hpp"
#include "scenario/source_tree.hpp"
#include "scenario/table_cache.hpp"

namespace aidflow::scenario {

struct LoadOptions {
  std::vector<Override> overrides;  // "--set path=value", in order
};

model::ScenarioSpec load_scenario(const std::filesystem::path& file,
                                  const LoadOptions& options = {});

struct LoadedScenario {
  model::ScenarioSpec spec;
  std::vector<std::filesystem::path> files;  // canonical: the scenario and every file it extends
};

// The same, with the files it was read from (a run must not write its output over one of them).
LoadedScenario load_scenario_and_files(const std::filesystem::path& file,
                                       const LoadOptions& options = {});

// Applies `overrides` in order, like apply_overrides, but an override through a list the scenario
// leaves out (sanctions[0].enforcement on the baseline) says so and how to add an entry, where
// apply_overrides can only call the key unknown.
void apply_overrides_checked(SourceNode& tree, const std::vector<Override>& overrides);

// Makes the geography's table paths (`data`, `tables.*`, and the default `data` of the
// Afghanistan tables) absolute, as read_scenario would resolve them: a copy of the tree kept
// elsewhere (a sweep directory's scenario.yaml, which sweep-merge reads) names the same tables.
void pin_table_paths(SourceNode& tree);

// Whether read_scenario keeps the effective scenario as YAML text (spec.source_text), which a run
// file records: emitting it costs about a tenth of a small run, so a sweep run that writes no
// file leaves it out.
enum class SourceText { kKept, kLeftOut };

// The same from a tree already in memory (tests, fuzzing, sweeps). Runs that share `tables` read
// the Afghanistan tables once (a sweep's runs).
model::ScenarioSpec read_scenario(const SourceNode& root, SourceText text = SourceText::kKept,
                                  TableCache* tables = nullptr);

}  // namespace aidflow::scenario
