#pragma once
// The one order of a scenario's lists, whatever order the file gives them in: every list of
// entries with an id (factions, channels, ministries, sectors, donors, patrons) sorted by id, and
// every other list of entries (alliances, hostilities, a patron's support and feared groups, the
// coalition's members, conditions and their donors, sanctions) sorted by what they say, with
// every reference between them renumbered. Together with random streams keyed by identity
// (engine/random.hpp) this makes results independent of how a scenario lists its entries: the
// model's sums, splits and tie-breaks run in this order, and results are recorded in it.
#include "model/spec/scenario.hpp"

namespace aidflow::scenario {

void put_in_canonical_order(model::ScenarioSpec& spec);

}  // namespace aidflow::scenario
