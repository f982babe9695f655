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

// Where a household is: at home, displaced inside the country, fled abroad in the run (Iran,
// Pakistan), or among the Afghans Iran or Pakistan hosted before the run who return in it by the
// host state's policy (people/returns.cpp). Households in the country are the first two.
enum class Displacement : std::uint8_t {
  Home = 0,
  Internal = 1,
  Iran = 2,
  Pakistan = 3,
  HostedIran = 4,
  HostedPakistan = 5
};
inline constexpr int kDisplacementStates = 6;
inline constexpr std::array<const char*, kDisplacementStates> kDisplacementNames = {
    "home", "internal", "iran", "pakistan", "hosted_iran", "hosted_pakistan"};
inline constexpr Displacement hosted_in(Host host) {
  return host == Host::Iran ? Displacement::HostedIran : Displacement::HostedPakistan;
}

// Sums over one district's households as the household phase leaves them (or as built), so that
// routing, the recorder and the signals need no pass over households of their own. Kept by the
// household kernels' tally (people/household_kernels.hpp): a household reached with a part
// ration counts as that part of its people, so people reached per person does not depend on how
// many people an agent stands for; people are in need above need_threshold. People, need and
// people in need count the households in the country (at home or displaced inside it).
struct DistrictTally {
  double people = 0.0, need = 0.0, in_need = 0.0, reached = 0.0;
  double aid_weight = 0.0;  // people x need of households aid can reach (at home or internal)
  std::array<double, kDisplacementStates> displaced{};  // people by displacement state
  std::array<double, kHosts> returned{};  // people who returned this step, by host country
};

// A run of one district's households' random words of the step and claims on its aid, by
// position in the run (people/households.cpp).
struct ClaimColumns {
  std::array<std::vector<std::uint32_t>, 4> draws;  // the step's random words, a column each
  std::vector<double> priority;                     // targeting priority
  std::vector<std::uint32_t> bucket;                // its bucket (people/rations.hpp)
  std::vector<Cents> ration;                        // a full ration
  void resize(std::uint32_t count) {
    for (auto& column : draws) column.resize(count);
    priority.resize(count);
    bucket.resize(count);
    ration.resize(count);
  }
};

// A block of households of one district too large to be one task of the household phase: its
// households' positions [first, first + count) in the district, the buckets of its district's
// claims (people/rations.hpp), and what it keeps from its draws to its step, across the phase's
// rounds (people/households.cpp).
struct HouseholdBlock {
  std::uint32_t district = 0, first = 0, count = 0, buckets = 1;
  ClaimColumns columns;
  std::vector<Cents> wanted_in;       // the block's rations by bucket
  std::vector<std::uint32_t> at_cut;  // positions in the block of its claims in the cut bucket
};

// Consecutive whole districts, [begin, end).
struct DistrictRange {
  std::uint32_t begin = 0, end = 0;
  bool operator==(const DistrictRange&) const = default;
};

// The household phase's tasks (people/households.cpp), fixed at placement: consecutive whole
// districts grouped, and each district above the block size split into blocks (consecutive in
// `blocks`, a split district's at [split_blocks[i], split_blocks[i + 1])); with what each took, for
// the benchmark's view of the phase on more workers. Which districts share a task, and which thread
// runs it, changes no result; where a district's blocks fall changes only the bits of its tally's
// sums (combined block by block in block order).
struct HouseholdTasks {
  std::vector<DistrictRange> groups;
  std::vector<HouseholdBlock> blocks;
  std::vector<std::uint32_t> split;         // the split districts, in order
  std::vector<std::uint32_t> split_blocks;  // first block of each split district, then all blocks
  std::vector<double> step_seconds;  // this step's wall seconds, by task: groups, then blocks
  std::vector<double> seconds;       // summed over the steps so far, by task
  double serial_seconds = 0.0;       // of the steps between rounds (split districts' wholes)
  // Each round's work (its tasks' seconds summed) and span (its longest task's seconds): one
  // round a step without split districts; with them, the rounds of each step's stages and the
  // serial steps between them (each its own round, work and span alike).
  std::vector<double> round_work, round_span;
  std::size_t count() const { return groups.size() + blocks.size(); }
  // The speed-up the phase would see on `workers` threads by the work-span bound, from the task
  // times measured so far: each round takes at least its work / workers and at least its longest
  // task, so the phase's work over the sum of those is the most it could gain (0 before a step).
  double speedup_bound(int workers) const;
  // The largest task's share of the phase's work so far, serial steps included (zero before any
  // step).
  double largest_share() const;
  // The serial steps' share of the phase's work so far (zero before any step or without blocks).
  double serial_share() const;
};

struct Districts {
  std::vector<int> province;  // index of the province (the tables' order, or dealt in turn)
  std::vector<BorderClass> border;
  std::vector<double> population;
  std::vector<double> baseline_need;
  // [district * factions + faction], each row sums to <= 1; moves with relative strength.
  std::vector<double> influence, initial_influence;
  std::vector<std::uint32_t> first_household, household_count;  // households grouped by district
  std::vector<Cents> delivered;  // this step's aid for the district's households by need
  std::vector<Cents> list_aid;   // this step's aid steered to affiliates, [district * factions + f]
  // This step's local taxation of aid, attributed to districts as routing weighed it (where the
  // money went x the faction's influence there), [district * factions + f].
  std::vector<Cents> local_tax;
  std::vector<std::int64_t> recruits;  // this step, [district * factions + faction]
  // Each faction's fighters by the district they come from, [district * factions + f]: at the
  // start its fighters split by population x influence; recruits join in the district that gave
  // them; losses fall on every district alike (armed/balance.cpp). Local strength moves influence.
  std::vector<double> fighters, initial_fighters;
  std::vector<double> presence;  // a faction's population x influence at the start, as a share
  // Loyalty bought with beneficiary lists: a faction's list aid per person of the district, in
  // USD, decaying with patronage_half_life_weeks; it raises the faction's influence there.
  std::vector<double> patronage;
  // Households affiliated with each faction (affiliation never changes), as positions in their
  // district in household order: those of district i and faction f are affiliates[j] for j in
  // [affiliates_start[i * factions + f], affiliates_start[i * factions + f + 1]).
  std::vector<std::uint32_t> affiliates, affiliates_start;
  // Whether the households a split of aid goes to all stand for the same people, as placement
  // leaves them (people never change): the district's (by district), and each beneficiary list's
  // (by [district * factions + f]: the faction's affiliates there, or the whole district where it
  // has none). Their splits are then integer division, with no weights to look at each step.
  std::vector<std::uint8_t> equal_people, list_equal_people;
  // Each beneficiary list's weights, its households' people, as runs of equal people (a
  // district's residents, then its returnees from each host; engine::describe_runs): those of
  // list [district * factions + f] are list_runs[j] for j in [list_runs_start[i * factions + f],
  // list_runs_start[i * factions + f + 1]), indices in the list; list_people is their sum. The
  // list's split by people is then once a run, with no weights gathered each step.
  std::vector<engine::EqualRun> list_runs;
  std::vector<std::uint32_t> list_runs_start;
  std::vector<double> list_people;
  // Households hosted abroad before the run, by district and host, as positions in their
  // district: those of district i and host h are hosted[j] for j in [hosted_start[i * kHosts + h],
  // hosted_start[i * kHosts + h + 1]), in the order they return; each comes back once the share
  // of its host's stock back reaches hosted_due[j]; hosted_returned[i * kHosts + h] of them have.
  std::vector<std::uint32_t> hosted, hosted_start, hosted_returned;
  std::vector<double> hosted_due;
  std::vector<DistrictTally> tally;
  // The capital (Kabul): its districts (the capital province's in the tables, the most populous
  // district of a synthetic country), and a flag per district.
  std::vector<std::uint32_t> capital;
  std::vector<std::uint8_t> in_capital;
  HouseholdTasks tasks;
  std::size_t size() const { return population.size(); }
};

// The return schedule in the run's steps: the people each host sends back from the run's start
// on (its stock, including those due after the run's end, who stay abroad), and the share of it
// back by the end of each step.
struct ReturnSchedule {
  std::array<double, kHosts> stock{};
  std::array<std::vector<double>, kHosts> share_by_step;
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
