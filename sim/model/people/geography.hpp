#pragma once
// Districts and households at the start of a run (people/geography.cpp), and their first tally.
#include "model/state/world.hpp"

namespace aidflow::model {

// Builds districts and households.
void generate_geography(World& world);
// The tally of one district's households (people/tally.cpp).
DistrictTally tally_district(const World& world, std::size_t district);

}  // namespace aidflow::model
