#pragma once
// Where outcome declarations come from: a sweep file's `outcomes:` mapping, `aidflow run
// --outcomes FILE|NAME=EXPR`, and the defaults (the run totals a sweep's store always had).
#include <filesystem>
#include <string>
#include <vector>

#include "outcomes/expression.hpp"
#include "scenario/source_tree.hpp"

namespace aidflow::outcomes {

// The default outcomes: disbursed, delivered, overhead, counter_terrorism and diverted aid over
// the run, and per faction what it took (diverted_F), its treasury (treasury_F) and fighters
// (fighters_F) at the end, in the faction order given.
std::vector<Declaration> default_outcomes(const std::vector<std::string>& factions);

// A mapping of outcome name to expression (a sweep file's `outcomes:`, an outcomes file), each
// located at its text. `path` is the mapping's key path ("outcomes", or "" for a file's root).
std::vector<Declaration> read_declarations(const scenario::SourceNode& map,
                                           const std::string& path);

// One `--outcomes` argument: an outcomes file (a YAML mapping of name to expression) when one is
// there, else NAME=EXPR or a bare EXPR (named outcome, outcome_2, ... by `number`, from 1).
std::vector<Declaration> command_line_outcomes(const std::string& argument, int number);

}  // namespace aidflow::outcomes
