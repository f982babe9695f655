#pragma once
// The model's phases, in the order MODEL.md gives for one step. Each reads the state left by the
// phases before it and writes only its own outputs.
#include "model/world.hpp"

namespace aidflow::model {

// Phase 1 (policy/signals.cpp): observe(world, step) -- declared in policy/signals.hpp.
// Phase 2 (policy/policy_state.cpp): the levers in force this step.
// void apply_policy(World& world, int step);  -- declared in policy/policy_state.hpp
// Phase 3 (aid/disbursement.cpp): each donor releases this week's money into channels and sectors.
void disburse(World& world, int step);
// Phase 4 (aid/routing.cpp): money moves through overhead, ministry touchpoints and districts;
// leakage is diverted.
void route(World& world, int step);
// Monitoring of a channel in force: its own plus third-party monitoring, at most 1.
double channel_monitoring(const World& world, std::size_t channel);
// Phase 5 (people/households.cpp): households receive aid; need, displacement and recruitment.
void update_households(World& world, int step);
// Phase 6 (armed/economy.cpp, armed/balance.cpp): armed groups' income, transfers, spending,
// fighters, influence and the balance between wings.
void update_factions(World& world, int step);
// Phase 7 (armed/attacks.cpp): counter-terrorism, attacks and their attribution.
void run_attacks(World& world, int step);

}  // namespace aidflow::model
