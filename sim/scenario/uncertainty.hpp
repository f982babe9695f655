#pragma once
// Assumptions as data: a number a scenario is unsure of is written with its range,
//   baseline_need: {value: 0.55, range: [0.4, 0.7], note: "why, [SOURCE-TAG]"}
// (optionally distribution: uniform | log_uniform | triangular; uniform by default), and reads
// as its value wherever a number is read (MapReader::number and ::integer). The declaration stays
// in the scenario tree: a file that extends this one, or --set, changes only its value (a value
// set outside the range is allowed: a sweep may explore beyond it); `aidflow uncertainties`
// lists the declarations and a sweep's `uncertainties:` parameters sample them (docs/SWEEPS.md).
#include <optional>
#include <string>
#include <vector>

#include "scenario/source_tree.hpp"

namespace aidflow::scenario {

enum class Distribution { kUniform, kLogUniform, kTriangular };

// The spellings of Distribution, in its order.
const std::vector<std::string>& distribution_names();

// One declared uncertainty, as the scenario (after extends and --set) has it.
struct Uncertainty {
  std::string path;        // as --set takes it, entries by id: factions[haqqani].influence
  std::string value_text;  // the value as written
  double value = 0.0;
  double low = 0.0, high = 0.0;
  std::string low_text, high_text;  // the range's ends as written
  Distribution distribution = Distribution::kUniform;
  std::string note;
  SourceLocation where;  // the declaration (its `value`)
};

// Reads a declaration, refusing (InputError at the offending part) unknown keys, a value or
// range that is not numbers, low >= high, a range that excludes the value, log_uniform with
// low <= 0. `path` is the key's path, for messages. The result's `path` is left as given.
Uncertainty read_declaration(const SourceNode& node, const std::string& path);

// Every declaration in the tree, in file order, with paths as --set takes them.
std::vector<Uncertainty> find_uncertainties(const SourceNode& root);

// The source tags of a note: [WB-REVENUE-2022] and the like (upper-case letters, digits, -).
std::vector<std::string> claim_tags(const std::string& note);

// Whether `path` matches `pattern`, where * stands for any run of characters (dots and brackets
// too) and every other character for itself: "factions[haqqani].*".
bool path_matches(const std::string& pattern, const std::string& path);

}  // namespace aidflow::scenario
