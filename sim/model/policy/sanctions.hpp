#pragma once
// Targeted sanctions (S13, S19) on alliance edges and on treasuries. The money a sanction stops is
// followed like every other cent: the blocked share of a transfer, and the weekly share of a
// sanctioned treasury, leave the group's accounts as `frozen_by_sanctions`, drawn pro rata on
// every source, so the books still balance to the cent.
#include <string>
#include <vector>

#include "engine/money.hpp"
#include "model/spec/scenario.hpp"

namespace aidflow::model {

class World;

// Share of a sanction's enforcement fronts have eroded after `weeks` in force (S13).
double evasion(const SanctionSpec& sanction, int weeks);

// Phase 2: each sanction's effective cut = coverage x enforcement x (1 - evasion) x
// (1 - enforcement damping), zero before it starts; a sanction's start is an event.
void update_sanctions(World& world, int step);

// Phase 6 hooks. Pays `amount` along the edge from -> to: the blocked share is frozen out of the
// payer's accounts, the rest transferred; returns what arrived.
engine::Cents pay_under_sanctions(World& world, std::size_t from, std::size_t to,
                                  engine::Cents amount);
// Freezes this week's share of every sanctioned treasury.
void freeze_treasuries(World& world);

// "haqqani->al_qaeda" or "treasury:haqqani", for labels.
std::vector<std::string> sanction_labels(const ScenarioSpec& spec);

}  // namespace aidflow::model
