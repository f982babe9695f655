// Sums over one district's households: people, need, people in need and reached, displacement and
// the weight by which routing sends aid to the district, as built. The household phase keeps the
// tally itself as it moves each household (people/households.cpp), with the same DistrictTally::add
// in the same order, so no later phase or recorder needs a pass over all households.
#include <algorithm>

#include "model/world.hpp"

namespace aidflow::model {

DistrictTally tally_district(const World& world, std::size_t district) {
  const Households& h = world.households;
  const double threshold = world.spec.households.need_threshold;
  const double ration = world.spec.households.relief_usd_per_person_week;
  DistrictTally t;
  const std::uint32_t first = world.districts.first_household[district];
  const std::uint32_t end = first + world.districts.household_count[district];
  for (std::uint32_t i = first; i < end; ++i) {
    t.add(h.people[i], h.need[i], h.aid_received[i], h.displacement[i], threshold, ration);
  }
  return t;
}

}  // namespace aidflow::model
