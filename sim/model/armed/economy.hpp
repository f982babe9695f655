#pragma once
// Phase 6 (armed/economy.cpp): armed groups' income (diverted aid, local revenue, patrons),
// transfers along the alliance network under sanctions, spending, fighters; then the balance
// (armed/balance.hpp).
#include "model/state/world.hpp"

namespace aidflow::model {

void update_factions(World& world, int step);

}  // namespace aidflow::model
