#pragma once
// Phase 6 (armed/economy.cpp): armed groups' income (diverted aid, local revenue, patrons),
// transfers along the alliance network under sanctions, spending, fighters; then the balance
// (armed/balance.hpp).
#include "model/state/world.hpp"

namespace aidflow::model {

void update_factions(World& world, int step);

// A faction is off when it has no fighters and no influence in any district: it then has nobody
// to recruit through (its urban and border networks are its members), mounts no attacks, and no
// claim may be made in its name. Phases that act for a faction ask this first.
bool is_active(const World& world, std::size_t f);

}  // namespace aidflow::model
