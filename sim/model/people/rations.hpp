#pragma once
// Rations by priority: households in priority order each get a full ration until the money runs
// out, the one at the cut-off gets what is left. Found by selection, not by sorting every step.
#include <cstdint>
#include <span>

#include "engine/money.hpp"

namespace aidflow::model {

// A household waiting for a ration: its priority, its position in the district and its ration.
struct Claim {
  double priority = 0.0;
  std::uint32_t position = 0;
  engine::Cents ration = 0;
};

// Serves `claims` from `money` in priority order (highest first, ties to the lower position),
// writing received[position]; `received` must start at zero. Returns the money left once every
// claim has its full ration (zero when the money ran out). Reorders `claims`.
engine::Cents serve_by_priority(std::span<Claim> claims, engine::Cents money,
                                std::span<engine::Cents> received);

}  // namespace aidflow::model
