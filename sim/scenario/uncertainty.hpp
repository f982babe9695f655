#pragma once
// Assumptions as data: a number a scenario is unsure of is written with its range,
//   baseline_need: {value: 0.55, range: [0.4, 0.7], note: "why, [SOURCE-TAG]"}
// (optionally distribution: uniform | log_uniform | triangular; uniform by default), and reads
// as its value wherever a number is read (MapReader::number and ::integer). The declaration stays
// in the scenario tree: a file that extends this one, or --set, changes only its value (a value
// set outside the range is allowed: a sweep may explore beyond it); `aidflow uncertainties`
// lists the declarations and a sweep's `uncertainties:` parameters sample them (docs/SWEEPS.md).
#include <string>
#include <vector>

#include "scenario/schema_reader.hpp"

namespace aidflow::scenario {

// Every declaration in the tree, in file order, with paths as --set takes them.
std::vector<Uncertainty> find_uncertainties(const SourceNode& root);

// The source tags of a note: [WB-REVENUE-2022] and the like (upper-case letters, digits, -).
std::vector<std::string> claim_tags(const std::string& note);

// Whether `path` matches `pattern`, where * stands for any run of characters (dots and brackets
// too) and every other character for itself: "factions[haqqani].*".
bool path_matches(const std::string& pattern, const std::string& path);

}  // namespace aidflow::scenario
