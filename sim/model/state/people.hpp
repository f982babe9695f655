#pragma once
// Places and people: districts (with the sums the household phase leaves) and households.
// Plain data held by the World (state/world.hpp); the phases that write each part say so.
#include <array>
#include <cstdint>
#include <vector>

#include "engine/money.hpp"
#include "model/spec/scenario.hpp"

namespace aidflow::model {

using engine::Cents;

enum class Displacement : std::uint8_t { Home = 0, Internal = 1, Iran = 2, Pakistan = 3 };
inline constexpr int kDisplacementStates = 4;
inline constexpr std::array<const char*, kDisplacementStates> kDisplacementNames = {
    "home", "internal", "iran", "pakistan"};

// Sums over one district's households as the household phase leaves them (or as built), so that
// routing, the recorder and the signals need no pass over households of their own. Kept by the
// household kernels' tally (people/household_kernels.hpp): a household reached with a part
// ration counts as that part of its people, so people reached per person does not depend on how
// many people an agent stands for; people are in need above need_threshold.
struct DistrictTally {
  double people = 0.0, need = 0.0, in_need = 0.0, reached = 0.0;
  double aid_weight = 0.0;  // people x need of households aid can reach (at home or internal)
  std::array<double, kDisplacementStates> displaced{};  // people by displacement state
};

struct Districts {
  std::vector<int> province;
  std::vector<BorderClass> border;
  std::vector<double> population;
  std::vector<double> baseline_need;
  // [district * factions + faction], each row sums to <= 1; moves with relative strength.
  std::vector<double> influence, initial_influence;
  std::vector<std::uint32_t> first_household, household_count;  // households grouped by district
  std::vector<Cents> delivered;  // this step's aid for the district's households by need
  std::vector<Cents> list_aid;   // this step's aid steered to affiliates, [district * factions + f]
  std::vector<std::int64_t> recruits;  // this step, [district * factions + faction]
  // Households affiliated with each faction (affiliation never changes), as positions in their
  // district in household order: those of district i and faction f are affiliates[j] for j in
  // [affiliates_start[i * factions + f], affiliates_start[i * factions + f + 1]).
  std::vector<std::uint32_t> affiliates, affiliates_start;
  std::vector<DistrictTally> tally;
  std::size_t capital = 0;  // the capital (Kabul) district
  std::size_t size() const { return population.size(); }
};

struct Households {
  std::vector<std::uint32_t> district;
  std::vector<double> people;       // people represented by this agent
  std::vector<double> need;         // severity in [0, 1]
  std::vector<Cents> aid_received;  // this step
  std::vector<Displacement> displacement;
  std::vector<std::uint32_t> young_men;  // men 15-29 at risk of recruitment
  std::vector<std::int8_t> affiliation;  // faction the household is tied to, -1 for none
  std::size_t size() const { return need.size(); }
  // The bytes of state one household agent carries, over all the columns above.
  static constexpr std::size_t kBytesPerHousehold = sizeof(std::uint32_t) + 2 * sizeof(double) +
                                                    sizeof(Cents) + sizeof(Displacement) +
                                                    sizeof(std::uint32_t) + sizeof(std::int8_t);
};

}  // namespace aidflow::model
