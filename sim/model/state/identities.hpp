#pragma once
// The stable identities of a scenario's entries that draw random numbers, by which their streams
// are keyed (engine/random.hpp, docs/MODEL.md "Random numbers"): "faction:<id>", "donor:<id>",
// "ministry:<id>", "patron:<id>". Plain data held by the World, built once from the spec.
#include <vector>

#include "engine/random.hpp"

namespace aidflow::model {

struct Identities {
  std::vector<engine::Identity> factions, donors, ministries, patrons;
};

}  // namespace aidflow::model
