#pragma once
// The state of a simulated country, stored as structure-of-arrays populations. Built once from a
// ScenarioSpec; phases (routing, households, factions) read it and write their own columns.
#include <array>
#include <cstdint>
#include <vector>

#include "engine/ledger.hpp"
#include "engine/money.hpp"
#include "engine/random.hpp"
#include "model/spec.hpp"

namespace aidflow::model {

using engine::Cents;

// How diverted money leaves the aid chain (MODEL.md phase 4). Overhead is not diversion.
enum class Mechanism : std::uint8_t { MinistryCapture = 0, LocalTax = 1, BeneficiaryList = 2 };
inline constexpr int kMechanisms = 3;
inline constexpr std::array<const char*, kMechanisms> kMechanismNames = {
    "ministry_capture", "local_tax", "beneficiary_list"};

enum class Displacement : std::uint8_t { Home = 0, Internal = 1, Iran = 2, Pakistan = 3 };
inline constexpr int kDisplacementStates = 4;
inline constexpr std::array<const char*, kDisplacementStates> kDisplacementNames = {
    "home", "internal", "iran", "pakistan"};

// Ledger sinks: delivered, overhead, then one per (faction, mechanism).
inline constexpr std::size_t kSinkDelivered = 0;
inline constexpr std::size_t kSinkOverhead = 1;
inline std::size_t diversion_sink(int faction, Mechanism m) {
  return 2 + static_cast<std::size_t>(faction) * kMechanisms + static_cast<std::size_t>(m);
}

// Random streams: one per mechanism that draws, so adding a draw elsewhere changes nothing here.
enum class Stream : std::uint32_t {
  Geography = 1,
  HouseholdPlacement = 2,
  NeedShock = 3,
  Move = 4,
  Targeting = 5  // who is served first when aid runs short
};

struct Districts {
  std::vector<int> province;
  std::vector<BorderClass> border;
  std::vector<double> population;
  std::vector<double> baseline_need;
  std::vector<double> influence;  // [district * factions + faction], each row sums to <= 1
  std::vector<std::uint32_t> first_household, household_count;  // households grouped by district
  std::vector<Cents> delivered;  // this step's aid arriving at the district's households
  std::size_t size() const { return population.size(); }
};

struct Households {
  std::vector<std::uint32_t> district;
  std::vector<double> people;       // people represented by this agent (weight x household size)
  std::vector<double> need;         // severity in [0, 1]
  std::vector<Cents> aid_received;  // this step
  std::vector<Displacement> displacement;
  std::size_t size() const { return need.size(); }
};

struct Factions {
  std::vector<Cents> treasury;
  std::vector<double> fighters;
  std::vector<Cents> diverted;  // this step, [faction * kMechanisms + mechanism]
};

struct Ministries {
  std::vector<double> capture_rate;
  std::vector<Cents> captured;     // this step
  std::vector<double> monitoring;  // exposure-weighted monitoring seen this step
};

// Money released this step, by [donor][channel][sector], filled by the disbursement phase.
struct Flows {
  std::vector<Cents> amount;
  std::size_t index(std::size_t d, std::size_t c, std::size_t s, std::size_t channels,
                    std::size_t sectors) const {
    return (d * channels + c) * sectors + s;
  }
};

class World {
 public:
  explicit World(const ScenarioSpec& spec);

  const ScenarioSpec spec;  // a copy: the world outlives whatever it was built from
  engine::RandomStream random(Stream stream) const {
    return engine::RandomStream(spec.run.seed, static_cast<std::uint32_t>(stream));
  }

  Districts districts;
  Households households;
  Factions factions;
  Ministries ministries;
  Flows flows;
  engine::Ledger ledger;
  // Channel shares after policy (humanitarian_only), by [donor * channels + channel].
  std::vector<double> effective_channel_shares;
  std::vector<Cents> yearly_budget;  // by donor
  int start_week_of_year = 0;
};

// Builds districts and households (geography.cpp).
void generate_geography(World& world);

}  // namespace aidflow::model
