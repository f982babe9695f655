// The choice of household kernels by instruction set, and the kernels' scalar companions.
#include "model/people/household_kernels.hpp"

#include "model/state/world.hpp"

namespace aidflow::model {

// The tables, one per instruction set (household_kernels_<isa>.cpp).
namespace baseline {
extern const HouseholdKernels kernels;
}
#if AIDFLOW_HAS_ISA_VERSIONS
namespace avx2 {
extern const HouseholdKernels kernels;
}
namespace avx512 {
extern const HouseholdKernels kernels;
}
#endif

const HouseholdKernels& household_kernels(engine::Isa isa) {
#if AIDFLOW_HAS_ISA_VERSIONS
  if (isa == engine::Isa::Avx512) return avx512::kernels;
  if (isa == engine::Isa::Avx2) return avx2::kernels;
#endif
  (void)isa;
  return baseline::kernels;
}

static_assert(sizeof(Displacement) == 1 && static_cast<int>(Displacement::Home) == 0 &&
              static_cast<int>(Displacement::Internal) == 1 &&
              static_cast<int>(Displacement::Pakistan) == 3 &&
              static_cast<int>(Displacement::HostedIran) == 4 &&
              kDisplacementStates == std::size(KernelTally{}.displaced));

DistrictView households_view(const World& world, std::uint32_t first, std::uint32_t count) {
  const Households& h = world.households;
  return {count, h.people.data() + first, h.need.data() + first, h.aid_received.data() + first,
          reinterpret_cast<const std::uint8_t*>(h.displacement.data() + first)};
}

DistrictView view_of(const World& world, std::size_t district) {
  return households_view(world, world.districts.first_household[district],
                         world.districts.household_count[district]);
}

DistrictColumns columns_of(World& world, std::size_t district) {
  Households& h = world.households;
  const std::uint32_t first = world.districts.first_household[district];
  return {world.districts.household_count[district],
          h.people.data() + first,
          h.need.data() + first,
          h.aid_received.data() + first,
          reinterpret_cast<std::uint8_t*>(h.displacement.data() + first),
          h.young_men.data() + first};
}

DistrictTally district_tally(const KernelTally& sums) {
  DistrictTally t;
  t.people = sums.people;
  t.need = sums.need;
  t.in_need = sums.in_need;
  t.reached = sums.reached;
  t.aid_weight = sums.aid_weight;
  for (int s = 0; s < kDisplacementStates; ++s) t.displaced[s] = sums.displaced[s];
  return t;
}

}  // namespace aidflow::model
