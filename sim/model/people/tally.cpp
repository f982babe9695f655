// Sums over one district's households: people, need, people in need and reached, displacement and
// the weight by which routing sends aid to the district, as built. The household phase keeps the
// tally itself at the end of each step (people/households.cpp), with the same kernel, so no later
// phase or recorder needs a pass over all households.
#include "model/people/geography.hpp"
#include "model/people/household_kernels.hpp"

namespace aidflow::model {

DistrictTally tally_district(const World& world, std::size_t district) {
  const HouseholdSpec& hs = world.spec.households;
  KernelTally sums;
  household_kernels().tally(hs.need_threshold, hs.relief_usd_per_person_week,
                            view_of(world, district), &sums);
  return district_tally(sums);
}

}  // namespace aidflow::model
