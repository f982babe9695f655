#pragma once
// The household phase's loops over one district's columns: the step's random words, targeting
// priorities, need shocks, need and displacement, and the district tally. They run for every
// household and step (1.7 billion household-steps in a national run), so they are written on
// lanes of eight (engine/lanes.hpp) in household_kernels_impl.hpp, compiled once per instruction
// set (engine/isa.hpp) by household_kernels_<isa>.cpp; every version gives the same bytes. The
// decisions that are rare or need the whole district's order (who gets a ration at the cut-off,
// how many recruits) stay in scalar code (people/households.cpp). This header holds plain types
// only: the kernels' translation units include nothing that has code to link.
#include <cstddef>
#include <cstdint>

#include "engine/isa.hpp"

namespace aidflow::model {

// One district's slice of the household columns, to read (displacement as its byte codes).
struct DistrictView {
  std::uint32_t count = 0;
  const double* people = nullptr;
  const double* need = nullptr;
  const std::int64_t* aid = nullptr;  // cents received this step
  const std::uint8_t* displacement = nullptr;
};

// The same slice, to move.
struct DistrictColumns {
  std::uint32_t count = 0;
  const double* people = nullptr;
  double* need = nullptr;
  std::int64_t* aid = nullptr;
  std::uint8_t* displacement = nullptr;
  const std::uint32_t* young_men = nullptr;
  DistrictView view() const { return {count, people, need, aid, displacement}; }
};

// The rules of one household-step in a district (docs/MODEL.md phase 5), from the scenario's
// household and recruitment rules and the district's state.
struct StepRule {
  double need_target = 0.0;  // what need drifts toward without aid
  double relief_usd = 1.0;   // a full weekly ration per person
  double relief_effect = 0.0, reversion = 0.0;
  double return_per_week = 0.0, displacement_per_week = 0.0, cross_border_share = 0.0;
  double returnee_need = 0.0;
  std::uint8_t crossing = 1;    // displacement code a border crossing from here leads to
  double need_floor = 0.0;      // of the recruitment pull
  double recruit_odds = 0.0;    // weekly odds of a young man at need 1 joining any group
  double need_threshold = 0.5;  // need above which people count as in need (the tally)
};

// A district's sums over its households: DistrictTally (model/state/world.hpp) in plain numbers;
// displaced by Displacement code (home, internal, fled to Iran or Pakistan, hosted there).
struct KernelTally {
  double people = 0.0, need = 0.0, in_need = 0.0, reached = 0.0, aid_weight = 0.0;
  double displaced[6] = {};
};

struct HouseholdKernels {
  // engine::philox_words_for_range for the district's households.
  void (*draw)(std::uint32_t stream, std::uint32_t key0, std::uint32_t key1, std::uint32_t first,
               std::uint32_t count, std::uint32_t step, std::uint32_t* const out[4]);
  // Targeting priority (targeting x need + (1 - targeting) x chance) and its bucket_of
  // (rations.hpp), kNoClaim for households aid cannot reach (abroad).
  void (*prioritise)(double targeting, std::uint32_t buckets, const DistrictView& d,
                     const std::uint32_t* chance, double* priority, std::uint32_t* bucket);
  // shock_sd x the normal quantile of each word's uniform, tabulated
  // (engine::tabulated_normal_quantile: the shock's scale makes its error irrelevant).
  void (*shocks)(double shock_sd, const std::uint32_t* words, std::uint32_t count, double* shock);
  // Moves need and displacement (need toward the target less aid's relief, plus the shock;
  // leaving, crossing and returning on the move word; households hosted abroad before the run
  // stay there: they come back by the return schedule, people/returns.cpp), lists the positions
  // of the households that may have recruits this step in may_recruit (room for d.count; a
  // superset of those with any, in order, the rest certainly have none) and returns how many,
  // and sums the district as it leaves it, as tally() would.
  std::uint32_t (*step)(const StepRule& rule, const DistrictColumns& d, const double* shock,
                        const std::uint32_t* move, const std::uint32_t* recruit,
                        std::uint32_t* may_recruit, KernelTally* tally);
  // The district's sums over its households, kept by lane and added lane by lane.
  void (*tally)(double need_threshold, double relief_usd, const DistrictView& d, KernelTally* out);
};

class World;
struct DistrictTally;

// A district's columns in the world (or those of households [first, first + count), consecutive
// districts' alike), and its tally as the world keeps it.
DistrictView view_of(const World& world, std::size_t district);
DistrictView households_view(const World& world, std::uint32_t first, std::uint32_t count);
DistrictColumns columns_of(World& world, std::size_t district);
DistrictTally district_tally(const KernelTally& sums);

// The kernels compiled for `isa`.
const HouseholdKernels& household_kernels(engine::Isa isa = engine::active_isa());

}  // namespace aidflow::model
