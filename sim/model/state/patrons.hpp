#pragma once
// Patron states and sponsors: support levels, threat perceptions and payments; coalition
// membership. Plain data held by the World (state/world.hpp); the phases that write each part say
// so.
#include <cstdint>
#include <vector>

#include "engine/money.hpp"

namespace aidflow::model {

struct Patrons {
  std::vector<double> support_level;  // by patron: share of its scenario support it pays now
  std::vector<double> threat;         // by patron: threat perception this step (S18)
  std::vector<engine::Cents> paid;    // this step, [patron * factions + faction]
};

struct Coalition {
  std::vector<std::uint8_t> member;  // by patron: 1 in the coalition
  std::vector<double> willingness;   // by patron, this step
  double envoy_effect = 0.0;         // the envoy's effect on willingness this step
};

}  // namespace aidflow::model
