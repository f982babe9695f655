#pragma once
// Phase 1: what donors and patron states observe. The truth of each step is kept in a history;
// an observer sees it `lag_weeks` late, summed over `window_weeks`, with its own noise: attacks by
// *claimed* author and by the author it blames (the executor when intelligence finds it, else the
// claimant: what threat perceptions act on), diversion as monitoring reports it (true diversion x
// detection), refugee flows, and each group's external-operations capacity and northern influence.
#include <vector>

#include "engine/money.hpp"

namespace aidflow::model {

class World;

// Appends this step's truth (called at the end of the step, after attacks).
void record_truth(World& world, int step);
// Phase 1: every observer's view at the start of the step.
void observe(World& world, int step);
// What a group in the country knows without delay: attacks a week blamed on `faction` (as
// observers attribute them) over the signals' window ending last step.
double attacks_blamed_lately(const World& world, int step, std::size_t faction);
// The cover `brand`'s name gives attacks others claim under it (S16), from what the groups in the
// country know without delay: over the signals' window ending last step, the share of the attacks
// claimed in its name that it carried out itself, over armed_groups.brand_cover_needed, at most 1
// (1 while nothing was claimed, or with brand_cover_needed 0). A name that mostly covers others'
// attacks no longer hides them.
double brand_cover(const World& world, int step, std::size_t brand);

}  // namespace aidflow::model
