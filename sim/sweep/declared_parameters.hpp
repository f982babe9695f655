#pragma once
// Sweep parameters from the scenario's declared uncertainties (docs/SWEEPS.md): an item
//   - uncertainties: all          (or a glob over paths, "factions[haqqani].*", or a list of them)
//     exclude: ["hostages.*"]     (optional: globs left out)
// stands for one `range` parameter per declared uncertainty it selects, with the declaration's
// range, `scale: log` for a log_uniform one and `integer: true` for a key that takes whole
// numbers. The expansion is a rewrite of the sweep file's tree when it is read, so the plan,
// shards, MPI and resume see plain parameters, and DIR/sweep.yaml keeps them written out.
#include <set>
#include <string>

#include "scenario/source_tree.hpp"

namespace aidflow::sweep {

// Whether a `parameters:` item is an `uncertainties:` item.
bool is_uncertainties_item(const scenario::SourceNode& item);

// Replaces every `uncertainties:` item of `parameters` (the sweep's list) with the parameters it
// stands for, read from `base` (the scenario with the sweep's `set:` applied). Paths in `taken`
// (set by `set:` or varied by another parameter) are left to those. Returns how many parameters
// were made.
std::size_t expand_uncertainties(scenario::SourceNode& parameters, const scenario::SourceNode& base,
                                 const std::set<std::string>& taken);

}  // namespace aidflow::sweep
