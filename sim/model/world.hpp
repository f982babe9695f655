#pragma once
// The state of a simulated country, stored as structure-of-arrays populations. Built once from a
// ScenarioSpec; each phase reads it and writes its own columns.
#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "engine/accounts.hpp"
#include "engine/ledger.hpp"
#include "engine/money.hpp"
#include "engine/random.hpp"
#include "model/aid/sinks.hpp"
#include "model/policy/coalition.hpp"
#include "model/policy/patrons.hpp"
#include "model/policy/policy_state.hpp"
#include "model/policy/sanctions.hpp"
#include "model/policy/signals.hpp"
#include "model/record/events.hpp"
#include "model/spec.hpp"

namespace aidflow::model {

using engine::Cents;

enum class Displacement : std::uint8_t { Home = 0, Internal = 1, Iran = 2, Pakistan = 3 };
inline constexpr int kDisplacementStates = 4;
inline constexpr std::array<const char*, kDisplacementStates> kDisplacementNames = {
    "home", "internal", "iran", "pakistan"};

// Random streams: one per mechanism that draws, so adding a draw elsewhere changes nothing here.
enum class Stream : std::uint32_t {
  Geography = 1,
  HouseholdPlacement = 2,
  // A household's four numbers of a step from one Philox block: its targeting chance (who is
  // served first when aid runs short), need shock, move and recruits (people/households.cpp).
  HouseholdStep = 3,
  // 4 and 5 were the need shock and targeting streams, retired when they joined HouseholdStep.
  Recruitment = 6,  // splitting a household's recruits among groups
  Attacks = 7,
  Ministries = 8,  // whether a ministry changes hands
  Drought = 9,
  Signals = 10,  // observers' noise
  Hostages = 11  // hostages taken, released and lost
};

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

// Where a faction's income came from this step, as analysts ask it (not the provenance of cash,
// which the accounts keep by donor).
enum class Income : std::uint8_t {
  AidCapture,
  AidLocalTax,
  LocalRevenue,
  Patron,
  TransfersIn,
  Ransom
};
inline constexpr int kIncomeKinds = 6;
inline constexpr std::array<const char*, kIncomeKinds> kIncomeNames = {
    "aid_capture", "aid_local_tax", "local_revenue", "patron_support", "transfers_in", "ransom"};

// What a faction's cash is spent on (uses of the accounts).
enum class Spending : std::uint8_t {
  Upkeep,
  RecruitmentPay,
  Infiltration,
  Assassination,
  AttackPreparation,
  CounterTerrorism,
  FrozenBySanctions  // not spent by the group: seized or frozen by sanctions (S19)
};
inline constexpr int kSpendingKinds = 7;
inline constexpr std::array<const char*, kSpendingKinds> kSpendingNames = {
    "fighter_upkeep",     "recruitment_pay",   "infiltration",       "assassination",
    "attack_preparation", "counter_terrorism", "frozen_by_sanctions"};

// Sources of a faction's cash, in this order: one per donor ("aid:<donor>"), then these, then one
// per patron ("patron:<patron>"), so analysts can follow ISI money like any donor's.
enum class OtherSource : std::uint8_t { InitialFunds, LocalRevenue, Ransom };
inline constexpr int kOtherSources = 3;
inline constexpr std::array<const char*, kOtherSources> kOtherSourceNames = {
    "initial_funds", "local_revenue", "ransom"};

struct Factions {
  engine::ProvenanceAccounts accounts;  // treasuries with the provenance of every cent
  std::vector<double> fighters, initial_fighters;
  std::vector<double> initial_strength;     // for the balance between wings (S21)
  std::vector<double> preparation;          // USD of attack capability bought and not yet used
  std::vector<double> prestige;             // recruitment pull of recent claimed attacks
  std::vector<double> pay_factor;           // share of recruit pay it can offer, in [0, 1]
  std::vector<double> northern_push;        // influence bought in the north, not yet applied
  std::vector<double> external_operations;  // complex attacks abroad it could mount (S10)
  std::vector<std::int64_t> recruits;       // this step
  std::vector<double> losses;               // fighters lost this step (attrition, CT, attacks)
  std::vector<Cents> diverted;              // this step, [faction * kMechanisms + mechanism]
  std::vector<Cents> income;                // this step, [faction * kIncomeKinds + kind]
  std::vector<Cents> attacks_executed, attacks_claimed;  // this step, counts by faction
  std::vector<Cents> ct_effort;        // this step: counter-terrorism cents aimed at faction
  std::vector<Cents> ct_spent;         // this step: what each faction spent on its own operations
  std::vector<std::int64_t> hostages;  // held at the end of the step (S11)
};

struct Ministries {
  std::vector<int> controlled_by;  // moves between wings (S21)
  std::vector<double> capture_rate;
  std::vector<Cents> captured;        // this step
  std::vector<double> monitoring;     // exposure-weighted monitoring seen this step
  std::vector<Cents> security_spent;  // this step: security money that bought operations
};

// Money released this step, by [donor][channel][sector], filled by the disbursement phase.
struct Flows {
  std::vector<Cents> amount;
  std::size_t index(std::size_t d, std::size_t c, std::size_t s, std::size_t channels,
                    std::size_t sectors) const {
    return (d * channels + c) * sectors + s;
  }
};

// The run's weeks falling in one calendar year (a week belongs to the year its first day is in).
struct CalendarYear {
  int year = 0, first_step = 0, weeks = 0;
};

class World {
 public:
  explicit World(const ScenarioSpec& spec);

  const ScenarioSpec spec;  // a copy: the world outlives whatever it was built from
  engine::RandomStream random(Stream stream) const {
    return engine::RandomStream(spec.run.seed, static_cast<std::uint32_t>(stream));
  }
  std::size_t faction_count() const { return spec.factions.size(); }
  // Source index of donor d's cents, and of a non-aid source, in the factions' accounts.
  std::size_t source_of_donor(std::size_t d) const { return d; }
  std::size_t source_of(OtherSource s) const {
    return spec.donors.size() + static_cast<std::size_t>(s);
  }
  std::size_t source_of_patron(std::size_t p) const {
    return spec.donors.size() + kOtherSources + p;
  }

  // Patrons that observe: every patron (only states act on it, by joining the coalition).
  std::size_t observing_states() const { return spec.patrons.size(); }

  SinkLayout sinks;
  PolicyState policy;
  Signals signals;
  Patrons patrons;
  Coalition coalition;
  Sanctions sanctions;
  Districts districts;
  Households households;
  Factions factions;
  Ministries ministries;
  Flows flows;
  engine::Ledger ledger;
  std::vector<Event> events;         // this step's, appended by phases and taken by the recorder
  std::vector<Cents> yearly_budget;  // by donor
  int start_week_of_year = 0;
  std::vector<CalendarYear> calendar;  // the run's calendar years, in order
  const CalendarYear& calendar_year(int step) const {
    for (const CalendarYear& y : calendar) {
      if (step < y.first_step + y.weeks) return y;
    }
    return calendar.back();
  }
};

// Builds districts and households (people/geography.cpp).
void generate_geography(World& world);
// The tally of one district's households (people/tally.cpp).
DistrictTally tally_district(const World& world, std::size_t district);

}  // namespace aidflow::model
