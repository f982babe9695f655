#pragma once
// Reading the scenario's patrons and the levers that act on armed groups from outside: the
// coalition and its envoy, targeted sanctions, Pakistan pressure and the hostage policy (S9-S20).
// Factions must already be read, since every section refers to them by id.
#include "model/spec/scenario.hpp"
#include "scenario/schema_reader.hpp"

namespace aidflow::scenario {

// A faction's `hostages:` block (taking rate per year, held at the start).
void read_hostage_taking(MapReader h, model::HostageTakingSpec& hostages);

// The top-level sections patrons, coalition, sanctions, pakistan_pressure and hostages.
void read_patrons_and_levers(MapReader& root, model::ScenarioSpec& spec);

}  // namespace aidflow::scenario
