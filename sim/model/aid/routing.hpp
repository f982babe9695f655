#pragma once
// Phase 4 (aid/routing.cpp): money moves through overhead, ministry touchpoints and districts;
// leakage is diverted (S5, S13, S17).
#include "model/state/world.hpp"

namespace aidflow::model {

void route(World& world, int step);
// Monitoring of a channel in force: its own plus third-party monitoring, at most 1.
double channel_monitoring(const World& world, std::size_t channel);

}  // namespace aidflow::model
