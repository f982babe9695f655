#pragma once
// Phase 5 (people/households.cpp): households receive aid; need, displacement and recruitment.
#include <cstdint>

#include "model/state/world.hpp"

namespace aidflow::model {

void update_households(World& world, int step);

// Where the household phase splits a district into blocks, tasks of their own: at national
// resolution (about 5.6 million household agents) Kabul city alone holds about 14% of them, and
// no task may hold more than a few per cent of the phase's work if it is to spread over 32
// workers. Only districts above split_above households are split (the few cities: their blocks
// keep their draws and claims between the rounds of the step, memory the size of those districts);
// into blocks of about `block` households (0.3% of the national phase), so that the rounds
// holding only blocks have dozens of tasks for 32 workers, and a block's fixed costs (its
// histogram of rations by bucket, its task) stay small beside its work. Tests force small sizes:
// results change only by the bits of the split districts' tally sums.
struct BlockSizes {
  std::uint32_t split_above = 65536;
  std::uint32_t block = 16384;
};

// Groups consecutive districts into the household phase's tasks (districts.tasks), once the
// households are placed, and splits the districts above sizes.split_above into blocks.
void plan_household_tasks(Districts& districts, BlockSizes sizes = {});

// Notes what the splits of aid by people need of the households' weights, once the households
// and affiliates are placed (people never change): which districts' and beneficiary lists'
// households stand for equal people (districts.equal_people, list_equal_people), and each list's
// runs of equal people and their sum (list_runs, list_people).
void note_split_weights(World& world);

}  // namespace aidflow::model
