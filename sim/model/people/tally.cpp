// Sums over one district's households: people, need, people in need and reached, displacement and
// the weight by which routing sends aid to the district. Taken by the household phase right after
// it moves a district (its households are then hot in cache), so no later phase or recorder needs
// a pass over all households.
#include <algorithm>

#include "model/world.hpp"

namespace aidflow::model {

// A household reached with a part ration counts as that part of its people, so people reached
// per person does not depend on how many people an agent stands for.
DistrictTally tally_district(const World& world, std::size_t district) {
  const Households& h = world.households;
  const double threshold = world.spec.households.need_threshold;
  const double ration = world.spec.households.relief_usd_per_person_week;
  DistrictTally t;
  const std::uint32_t first = world.districts.first_household[district];
  const std::uint32_t end = first + world.districts.household_count[district];
  for (std::uint32_t i = first; i < end; ++i) {
    const double people = h.people[i];
    t.people += people;
    t.need += people * h.need[i];
    t.in_need += h.need[i] > threshold ? people : 0.0;
    t.reached += std::min(people, engine::cents_to_usd(h.aid_received[i]) / ration);
    t.displaced[static_cast<std::size_t>(h.displacement[i])] += people;
    if (h.displacement[i] == Displacement::Home || h.displacement[i] == Displacement::Internal) {
      t.aid_weight += people * h.need[i];
    }
  }
  return t;
}

}  // namespace aidflow::model
