// Phase 5, the parallel bulk: each district (a task of its own, or with consecutive small
// ones in one task) hands the district's delivered aid to its households as rations (neediest
// first, as targeting allows) and the aid steered to affiliates to them, then moves need,
// displacement and recruitment. A household's numbers for the step are one Philox block keyed
// by (household, step): four uniforms for its targeting chance, need shock, move and recruits.
// So the result does not depend on the thread count, and one block replaces the four to six a
// household used to draw (one per decision). The loops over every household are kernels on
// lanes of eight (household_kernels.hpp); what is left here is the district-wide order (rations
// at the cut-off, beneficiary lists) and the rare recruits.
#include "model/people/households.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <numbers>
#include <numeric>
#include <span>

#include "engine/parallel.hpp"
#include "model/people/household_kernels.hpp"
#include "model/people/rations.hpp"
#include "model/people/recruitment.hpp"
#include "model/people/returns.hpp"

namespace aidflow::model {
namespace {

// Extra need in winter: a cosine bump over the colder half of the year, peaking at
// winter_peak_week. A structural choice: the shape matters less than the season's timing.
double winter_need(const World& world, int step) {
  const HouseholdSpec& hs = world.spec.households;
  const int week = (world.start_week_of_year + step) % kStepsPerYear;
  const double phase = 2.0 * std::numbers::pi * (week - hs.winter_peak_week) / kStepsPerYear;
  return hs.winter_peak * std::max(0.0, std::cos(phase));
}

// A province enters drought in a year with drought_odds_per_year; the extra need shows from week
// 13 of that simulated year (after the spring rains fail) for drought_weeks.
double drought_need(const World& world, std::size_t district, int step) {
  const HouseholdSpec& hs = world.spec.households;
  const int year = step / kStepsPerYear, week = step % kStepsPerYear;
  if (week < 13 || week >= 13 + hs.drought_weeks) return 0.0;
  const auto province = static_cast<std::uint32_t>(world.districts.province[district]);
  const bool dry =
      world.random(Stream::Drought)
          .bernoulli(hs.drought_odds_per_year, province, static_cast<std::uint32_t>(year));
  return dry ? hs.drought_need : 0.0;
}

// The need a district's households drift toward without aid: baseline, season, economic trend
// and drought.
double need_target(const World& world, std::size_t district, int step, double winter) {
  const HouseholdSpec& hs = world.spec.households;
  const double trend = hs.economic_trend_per_step * step;
  return std::clamp(world.districts.baseline_need[district] + winter + trend +
                        drought_need(world, district, step),
                    0.0, 1.0);
}

// A household's four uniforms of the step: the words of its Philox block, one column each.
enum Draw : std::size_t { kChance = 0, kShock = 1, kMove = 2, kRecruits = 3 };

// What a pass over households of the step needs besides its households.
struct StepContext {
  World& world;
  const HouseholdKernels& kernels;
  const RecruitmentPull& pull;
  int step = 0;
  double winter = 0.0;
};

// Per-thread columns for one whole district at a time (of at most BlockSizes::split_above
// households: larger ones are split) or one block's step, reused across districts and steps.
struct Scratch {
  ClaimColumns claims;
  std::vector<double> shock, people;
  std::vector<Cents> top_up;
  std::vector<std::uint32_t> may_recruit;  // positions (household_kernels.hpp)
  std::vector<double> weight;              // of one beneficiary list
  std::vector<Cents> parts;
  std::vector<engine::RunShare> run_shares;          // of one beneficiary list's runs
  std::vector<std::array<double, kHosts>> returned;  // by district of one task
  // Columns only grow, so that a district larger than the last costs no zero-filling of the
  // rest; kernels use the first `count` entries.
  void reserve(std::uint32_t count) {
    if (shock.size() >= count) return;
    claims.resize(count);
    shock.resize(count);
    may_recruit.resize(count);
  }
};

Scratch& thread_scratch() {
  thread_local Scratch scratch;  // never shared: one task or serial step at a time uses it
  return scratch;
}

// The columns of households [first, first + count) of a district's columns.
DistrictColumns slice(DistrictColumns d, std::uint32_t first, std::uint32_t count) {
  d.count = count;
  d.people += first;
  d.need += first;
  d.aid += first;
  d.displacement += first;
  d.young_men += first;
  return d;
}

// The step's words of the households of `district` at positions [first, first + count).
void draw_households(const StepContext& c, std::size_t district, std::uint32_t first,
                     std::uint32_t count, ClaimColumns& columns) {
  std::uint32_t* const out[4] = {columns.draws[0].data(), columns.draws[1].data(),
                                 columns.draws[2].data(), columns.draws[3].data()};
  const engine::RandomStream rng = c.world.random(Stream::HouseholdStep);
  c.kernels.draw(rng.stream(), rng.key()[0], rng.key()[1],
                 c.world.districts.first_household[district] + first, count,
                 static_cast<std::uint32_t>(c.step), out);
}

// A district's (or a block's) draws of the step as its households' step uses them: the move and
// recruits words by household, from `first` of the columns they were drawn into, and the need
// shocks (the chance word went into the priorities).
struct HouseholdDraws {
  const std::uint32_t *move, *recruits;
  const double* shock;
};

HouseholdDraws draws_from(const ClaimColumns& columns, const std::vector<double>& shock,
                          std::uint32_t first) {
  return {columns.draws[kMove].data() + first, columns.draws[kRecruits].data() + first,
          shock.data() + first};
}

// The need shocks of `count` households from their shock words.
void draw_shocks(const StepContext& c, const ClaimColumns& columns, std::uint32_t count,
                 std::vector<double>& shock) {
  c.kernels.shocks(c.world.spec.households.shock_sd, columns.draws[kShock].data(), count,
                   shock.data());
}

// Each household's full weekly ration (relief_usd_per_person_week per person): one for all when
// people are equal; otherwise converted once per run of equal people (a district's residents,
// then its returnees from each host, stand for equal people each).
void fill_rations(const World& world, std::size_t district, const DistrictColumns& d,
                  std::span<Cents> ration) {
  const double usd_per_person = world.spec.households.relief_usd_per_person_week;
  if (d.count > 0 && world.districts.equal_people[district]) {
    std::fill(ration.begin(), ration.end(), engine::usd_to_cents(d.people[0] * usd_per_person));
    return;
  }
  double people = -1.0;  // no household stands for fewer than 0 people
  Cents cents = 0;
  for (std::uint32_t k = 0; k < d.count; ++k) {
    if (d.people[k] != people) {
      people = d.people[k];
      cents = engine::usd_to_cents(people * usd_per_person);
    }
    ration[k] = cents;
  }
}

// Priorities of the households of `d`, drawn into `columns` at `offset`: targeting x need + (1 -
// targeting) x chance (1 serves the neediest first, 0 draws beneficiaries at random), and their
// buckets of `buckets` (kNoClaim where aid cannot reach them).
void prioritise(const StepContext& c, const DistrictView& d, std::uint32_t buckets,
                ClaimColumns& columns, std::uint32_t offset) {
  c.kernels.prioritise(c.world.spec.households.targeting, buckets, d,
                       columns.draws[kChance].data() + offset, columns.priority.data() + offset,
                       columns.bucket.data() + offset);
}

// The prioritised households' claims on their district's aid, at `offset` of `columns`, with a
// full ration each.
RationClaims claims_with_rations(const StepContext& c, std::size_t district,
                                 const DistrictColumns& d, std::uint32_t buckets,
                                 ClaimColumns& columns, std::uint32_t offset) {
  const std::span<Cents> ration(columns.ration.data() + offset, d.count);
  fill_rations(c.world, district, d, ration);
  return {{columns.priority.data() + offset, d.count},
          {columns.bucket.data() + offset, d.count},
          ration,
          buckets};
}

RationClaims claim_aid(const StepContext& c, std::size_t district, const DistrictColumns& d,
                       std::uint32_t buckets, ClaimColumns& columns) {
  prioritise(c, d.view(), buckets, columns, 0);
  return claims_with_rations(c, district, d, buckets, columns, 0);
}

// The people of the households with a claim (bucket not kNoClaim), zero for the others.
void claimants_people(std::span<const std::uint32_t> bucket, const double* people, double* out) {
  for (std::size_t k = 0; k < bucket.size(); ++k) out[k] = bucket[k] != kNoClaim ? people[k] : 0.0;
}

// Rare (the money covered every ration): what is left shared pro rata among the eligible,
// scratch.people (the claimants' people, by position in the district).
void share_top_up(Cents left, const DistrictColumns& d, Scratch& scratch) {
  scratch.top_up.assign(d.count, 0);
  engine::split_largest_remainder(left, scratch.people, scratch.top_up);
  for (std::uint32_t k = 0; k < d.count; ++k) d.aid[k] += scratch.top_up[k];
}

// One whole district's aid as rations: households in priority order each get a full weekly
// ration until the money runs out. What is left once everyone eligible has a ration is shared
// pro rata as a top-up. Every cent of the district's delivery ends with a household.
// Its task prioritised every household of its districts for one bucket (update_districts), all
// that a district whose claims are ordered outright reads; the others take their own buckets.
void share_district_aid(const StepContext& c, std::size_t district, const DistrictColumns& d,
                        std::uint32_t offset, Scratch& scratch) {
  const std::uint32_t buckets = bucket_count(d.count);
  if (!orders_claims_outright(d.count)) prioritise(c, d.view(), buckets, scratch.claims, offset);
  const RationClaims claims = claims_with_rations(c, district, d, buckets, scratch.claims, offset);
  const Cents left =
      serve_by_priority(claims, c.world.districts.delivered[district], {d.aid, d.count});
  if (left > 0) {
    scratch.people.resize(d.count);
    claimants_people(claims.bucket, d.people, scratch.people.data());
    share_top_up(left, d, scratch);
  }
}

// One beneficiary list of a district with aid this step: the faction's amount, its households'
// positions in the district (empty: every household of it) and whether they stand for equal
// people (noted at placement).
struct ListAid {
  Cents amount = 0;
  std::span<const std::uint32_t> positions;
  bool equal = false;
  std::span<const engine::EqualRun> runs;  // of its households' people, indices in the list
  double people = 0.0;                     // their sum
  std::size_t size(std::uint32_t district_households) const {
    return positions.empty() ? district_households : positions.size();
  }
  // Whether its split is engine::equal_part by index in the list, with no weights gathered.
  bool by_index(std::uint32_t district_households) const {
    return equal && size(district_households) > 0;
  }
  // The position in the district of its i-th household.
  std::size_t at(std::size_t i) const { return positions.empty() ? i : positions[i]; }
};

// Aid steered by beneficiary-list manipulation: each faction's share for the district goes to the
// households affiliated with it, by people, whatever their need; where it has no affiliates
// among them, to every household of the district (it is still diverted from the neediest). The
// split runs over the affiliates only: households of weight zero would get nothing from it.
template <class Visit>
void for_each_list_aid(const World& world, std::size_t district, Visit&& visit) {
  const std::size_t factions = world.faction_count();
  const Districts& districts = world.districts;
  const Cents* amounts = districts.list_aid.data() + district * factions;
  for (std::size_t f = 0; f < factions; ++f) {
    if (amounts[f] == 0) continue;
    const std::size_t list = district * factions + f;
    const std::uint32_t* start = districts.affiliates_start.data() + list;
    const std::uint32_t* runs = districts.list_runs_start.data() + list;
    visit(ListAid{amounts[f],
                  {districts.affiliates.data() + start[0], start[1] - start[0]},
                  districts.list_equal_people[list] != 0,
                  {districts.list_runs.data() + runs[0], runs[1] - runs[0]},
                  districts.list_people[list]});
  }
}

// The equal parts of the list's households at indices [from, to) of its n, added to aid (by
// position in the district).
void add_equal_parts(const ListAid& list, std::size_t n, std::size_t from, std::size_t to,
                     Cents* aid) {
  const engine::RunShare share = engine::equal_share(list.amount, static_cast<Cents>(n));
  for (std::size_t i = from; i < to; ++i) aid[list.at(i)] += share.of(static_cast<Cents>(i));
}

// The list's split once a run of equal people (engine::split_over_runs), added to aid (by
// position in the district); false where that cannot give the split.
bool add_run_parts(const ListAid& list, std::size_t n, Scratch& scratch, Cents* aid) {
  scratch.run_shares.resize(list.runs.size());
  if (!engine::split_over_runs(list.amount, n, list.people, list.runs, scratch.run_shares)) {
    return false;
  }
  for (std::size_t r = 0; r < list.runs.size(); ++r) {
    const engine::RunShare share = scratch.run_shares[r];
    const std::uint32_t begin = list.runs[r].begin;
    for (std::uint32_t i = begin; i < list.runs[r].end; ++i) {
      aid[list.at(i)] += share.of(i - begin);
    }
  }
  return true;
}

// Splits the list's amount among its households by their people, adding to what they received:
// once a run of equal people where it can, else member by member.
void add_split(const ListAid& list, const DistrictColumns& d, Scratch& scratch) {
  const std::size_t n = list.size(d.count);
  if (list.by_index(d.count)) return add_equal_parts(list, n, 0, n, d.aid);
  if (add_run_parts(list, n, scratch, d.aid)) return;
  scratch.weight.resize(n);
  scratch.parts.resize(n);
  for (std::size_t i = 0; i < n; ++i) scratch.weight[i] = d.people[list.at(i)];
  engine::split_largest_remainder(list.amount, scratch.weight, scratch.parts);
  for (std::size_t i = 0; i < n; ++i) d.aid[list.at(i)] += scratch.parts[i];
}

void share_list_aid(const World& world, std::size_t district, const DistrictColumns& d,
                    Scratch& scratch) {
  for_each_list_aid(world, district, [&](const ListAid& list) { add_split(list, d, scratch); });
}

// Where a household of `district` that flees across the border goes.
Displacement crossing_to(const World& world, std::size_t district) {
  switch (world.districts.border[district]) {
    case BorderClass::Iran:
      return Displacement::Iran;
    case BorderClass::Pakistan:
      return Displacement::Pakistan;
    default:
      return Displacement::Internal;
  }
}

StepRule step_rule(const World& world, std::size_t district, double need_target,
                   const RecruitmentPull& pull) {
  const HouseholdSpec& hs = world.spec.households;
  return {.need_target = need_target,
          .relief_usd = hs.relief_usd_per_person_week,
          .relief_effect = hs.relief_effect,
          .reversion = hs.reversion_per_week,
          .return_per_week = hs.return_per_week,
          .displacement_per_week = hs.displacement_per_week,
          .cross_border_share = hs.cross_border_share,
          .returnee_need = hs.returnee_need,
          .crossing = static_cast<std::uint8_t>(crossing_to(world, district)),
          .need_floor = world.spec.recruitment.need_floor,
          .recruit_odds = pull.total(district),
          .need_threshold = hs.need_threshold};
}

// Need, displacement and recruits of households of `district` (d, from position `first` in it),
// each from its own draws and shock, adding their recruits to recruits[faction]; their sums as
// they end the step.
KernelTally step_households(const StepContext& c, std::size_t district, std::uint32_t first,
                            const DistrictColumns& d, const HouseholdDraws& draws, Scratch& scratch,
                            std::int64_t* recruits) {
  const double target = need_target(c.world, district, c.step, c.winter);
  scratch.reserve(d.count);
  KernelTally sums;
  const std::uint32_t flagged =
      c.kernels.step(step_rule(c.world, district, target, c.pull), d, draws.shock, draws.move,
                     draws.recruits, scratch.may_recruit.data(), &sums);
  const std::uint32_t id = c.world.districts.first_household[district] + first;
  for (std::uint32_t i = 0; i < flagged; ++i) {
    const std::uint32_t k = scratch.may_recruit[i];
    c.pull.recruit_household(c.world, district, id + k,
                             engine::RandomStream::unit(draws.recruits[k]), c.step, recruits);
  }
  return sums;
}

std::int64_t* district_recruits(World& world, std::size_t district) {
  return world.districts.recruits.data() + district * world.faction_count();
}

// A task's work at least, in households: a coarse run's districts hold a few dozen households
// each (a few at 2,000), too little work to be a task of their own, so consecutive districts are
// grouped into tasks of about this much (a district larger than it is a task alone). A district
// counts as kDistrictCost households more than it has, for what it costs whatever its size (its
// draws' set-up, rations at the cut-off, list splits, kernel calls).
constexpr std::uint32_t kTaskHouseholds = 1024;
constexpr std::uint32_t kDistrictCost = 32;

// A whole district's step after its returns (`returned`, by host): aid, need and recruits, and
// its tally, from its draws and priorities at position `offset` of the scratch's columns (its task
// drew and prioritised them for all its districts).
void update_district(const StepContext& c, std::size_t district, std::uint32_t offset,
                     const std::array<double, kHosts>& returned, Scratch& scratch) {
  World& world = c.world;
  const DistrictColumns d = columns_of(world, district);
  const HouseholdDraws draws = draws_from(scratch.claims, scratch.shock, offset);
  share_district_aid(c, district, d, offset, scratch);
  share_list_aid(world, district, d, scratch);
  std::int64_t* recruits = district_recruits(world, district);
  std::fill(recruits, recruits + world.faction_count(), 0);
  const KernelTally sums = step_households(c, district, 0, d, draws, scratch, recruits);
  world.districts.tally[district] = district_tally(sums);
  world.districts.tally[district].returned = returned;
}

// A task of whole districts: its hosted households whose turn has come return, then its
// households' draws, shocks and priorities at once (a coarse run's districts hold a few
// households each, so one call a district would fill one lane block in part: the draws are keyed
// by household and step, whoever draws them), then each district's step. Each district's
// returns, aid and step touch only its own households, so their order across districts is free.
void update_districts(const StepContext& c, DistrictRange group, Scratch& scratch) {
  const Districts& districts = c.world.districts;
  scratch.returned.resize(group.end - group.begin);
  for (std::uint32_t district = group.begin; district < group.end; ++district) {
    scratch.returned[district - group.begin] = return_households(c.world, district, c.step);
  }
  const std::uint32_t first = districts.first_household[group.begin];
  const std::uint32_t count =
      districts.first_household[group.end - 1] + districts.household_count[group.end - 1] - first;
  scratch.reserve(count);
  draw_households(c, group.begin, 0, count, scratch.claims);
  draw_shocks(c, scratch.claims, count, scratch.shock);
  prioritise(c, households_view(c.world, first, count), 1, scratch.claims, 0);
  for (std::uint32_t district = group.begin; district < group.end; ++district) {
    update_district(c, district, districts.first_household[district] - first,
                    scratch.returned[district - group.begin], scratch);
  }
}

// A split district's block in the stages of the step. First: its draws and claims, and its
// rations by bucket.
void claim_block(const StepContext& c, HouseholdBlock& block) {
  const DistrictColumns d = slice(columns_of(c.world, block.district), block.first, block.count);
  draw_households(c, block.district, block.first, block.count, block.columns);
  rations_by_bucket(claim_aid(c, block.district, d, block.buckets, block.columns), block.wanted_in);
}

// Second: full rations above the district's cut, none below, its claims at the cut noted.
void serve_block(World& world, HouseholdBlock& block, RationCut cut) {
  const ClaimColumns& col = block.columns;
  const RationClaims claims{{col.priority.data(), block.count},
                            {col.bucket.data(), block.count},
                            {col.ration.data(), block.count},
                            block.buckets};
  Cents* received = world.households.aid_received.data() +
                    world.districts.first_household[block.district] + block.first;
  block.at_cut.clear();
  serve_above_cut(claims, cut.bucket, {received, block.count}, block.at_cut);
}

// A block's part of its district's lists split by index (of equal people): the parts of its own
// households, those at positions [first, first + count) (lists are in household order).
void add_block_list_parts(World& world, const HouseholdBlock& block) {
  const DistrictColumns d = columns_of(world, block.district);
  for_each_list_aid(world, block.district, [&](const ListAid& list) {
    if (!list.by_index(d.count)) return;
    std::size_t from = block.first, to = block.first + block.count;
    if (!list.positions.empty()) {
      from = std::lower_bound(list.positions.begin(), list.positions.end(), from) -
             list.positions.begin();
      to = std::lower_bound(list.positions.begin(), list.positions.end(), to) -
           list.positions.begin();
    }
    add_equal_parts(list, list.size(d.count), from, to, d.aid);
  });
}

// Third: its part of the list aid split by index, then need, displacement and recruits (added
// to recruits[faction]), and the block's sums.
KernelTally step_block(const StepContext& c, const HouseholdBlock& block, std::int64_t* recruits) {
  add_block_list_parts(c.world, block);
  const DistrictColumns d = slice(columns_of(c.world, block.district), block.first, block.count);
  Scratch& scratch = thread_scratch();
  scratch.reserve(block.count);
  draw_shocks(c, block.columns, block.count, scratch.shock);
  return step_households(c, block.district, block.first, d,
                         draws_from(block.columns, scratch.shock, 0), scratch, recruits);
}

// Once a district, after its blocks' claims: its rations by bucket (summed into the first
// block's) and where its money runs out.
RationCut find_district_cut(const World& world, std::uint32_t district,
                            std::span<HouseholdBlock> blocks) {
  std::vector<Cents>& wanted_in = blocks.front().wanted_in;
  for (const HouseholdBlock& block : blocks.subspan(1)) {
    for (std::size_t b = 0; b < wanted_in.size(); ++b) wanted_in[b] += block.wanted_in[b];
  }
  const Cents wanted = std::accumulate(wanted_in.begin(), wanted_in.end(), Cents{0});
  return find_cut(wanted_in, wanted, world.districts.delivered[district]);
}

// Once a district, after its blocks are served above the cut: the claims at the cut in block
// order served once, or the rare top-up, then the list aid split by people, all by position in
// the district.
void finish_district_aid(const StepContext& c, std::uint32_t district,
                         std::span<const HouseholdBlock> blocks, RationCut cut, Scratch& scratch) {
  const DistrictColumns d = columns_of(c.world, district);
  if (cut.bucket != kNoClaim) {
    std::vector<RationClaim> at_cut;
    for (const HouseholdBlock& block : blocks) {
      for (const std::uint32_t k : block.at_cut) {
        at_cut.push_back({block.columns.priority[k], block.first + k, block.columns.ration[k]});
      }
    }
    serve_cut_off(at_cut, cut.money, {d.aid, d.count});
  } else if (cut.money > 0) {
    scratch.people.resize(d.count);
    for (const HouseholdBlock& block : blocks) {
      claimants_people({block.columns.bucket.data(), block.count}, d.people + block.first,
                       scratch.people.data() + block.first);
    }
    share_top_up(cut.money, d, scratch);
  }
  // The lists split by people, once; those split by index go by block (add_block_list_parts).
  for_each_list_aid(c.world, district, [&](const ListAid& list) {
    if (!list.by_index(d.count)) add_split(list, d, scratch);
  });
}

void add_to(KernelTally& sum, const KernelTally& part) {
  sum.people += part.people;
  sum.need += part.need;
  sum.in_need += part.in_need;
  sum.reached += part.reached;
  sum.aid_weight += part.aid_weight;
  for (std::size_t s = 0; s < std::size(sum.displaced); ++s) sum.displaced[s] += part.displaced[s];
}

// The step's split districts: what each does once, between the stages of its blocks, from what
// they left. The blocks' sums and recruits are combined in block order, fixed by the plan.
class SplitDistricts {
 public:
  SplitDistricts(const StepContext& c, HouseholdTasks& tasks)
      : c_(c),
        tasks_(tasks),
        returned_(tasks.split.size()),
        cuts_(tasks.blocks.size()),
        sums_(tasks.blocks.size()),
        recruits_(tasks.blocks.size() * c.world.faction_count(), 0) {}

  // Before the blocks: the hosted households whose turn has come return.
  void return_households() {
    for (std::size_t i = 0; i < tasks_.split.size(); ++i) {
      returned_[i] = model::return_households(c_.world, tasks_.split[i], c_.step);
    }
  }
  void find_cuts() {
    for (std::size_t i = 0; i < tasks_.split.size(); ++i) {
      const RationCut cut = find_district_cut(c_.world, tasks_.split[i], blocks_of(i));
      std::fill(cuts_.begin() + tasks_.split_blocks[i], cuts_.begin() + tasks_.split_blocks[i + 1],
                cut);
    }
  }
  void serve_block(std::size_t b) { model::serve_block(c_.world, tasks_.blocks[b], cuts_[b]); }
  void finish_aid() {
    for (std::size_t i = 0; i < tasks_.split.size(); ++i) {
      finish_district_aid(c_, tasks_.split[i], blocks_of(i), cuts_[tasks_.split_blocks[i]],
                          thread_scratch());
    }
  }
  void step_block(std::size_t b) {
    sums_[b] = model::step_block(c_, tasks_.blocks[b], block_recruits(b));
  }
  // After the blocks' step: each district's tally and recruits.
  void combine() {
    for (std::size_t i = 0; i < tasks_.split.size(); ++i) combine_district(i);
  }

 private:
  std::span<HouseholdBlock> blocks_of(std::size_t i) const {
    return {tasks_.blocks.data() + tasks_.split_blocks[i],
            tasks_.blocks.data() + tasks_.split_blocks[i + 1]};
  }
  std::int64_t* block_recruits(std::size_t b) {
    return recruits_.data() + b * c_.world.faction_count();
  }
  void combine_district(std::size_t i) {
    const std::uint32_t district = tasks_.split[i];
    const std::size_t factions = c_.world.faction_count();
    std::int64_t* recruits = district_recruits(c_.world, district);
    std::fill(recruits, recruits + factions, 0);
    KernelTally sums;
    for (std::size_t b = tasks_.split_blocks[i]; b < tasks_.split_blocks[i + 1]; ++b) {
      add_to(sums, sums_[b]);
      for (std::size_t f = 0; f < factions; ++f) recruits[f] += block_recruits(b)[f];
    }
    c_.world.districts.tally[district] = district_tally(sums);
    c_.world.districts.tally[district].returned = returned_[i];
  }

  const StepContext& c_;
  HouseholdTasks& tasks_;
  std::vector<std::array<double, kHosts>> returned_;  // by split district
  std::vector<RationCut> cuts_;                       // by block: its district's
  std::vector<KernelTally> sums_;                     // by block
  std::vector<std::int64_t> recruits_;                // [block * factions + faction]
};

}  // namespace

namespace {

// Whether a district's households at `positions` (all `count` of them when empty) stand for the
// same positive number of people: the weights that split_largest_remainder splits by integer
// division (equal by ==, with a positive sum).
bool equal_people_at(const double* people, std::uint32_t count,
                     std::span<const std::uint32_t> positions) {
  const std::size_t n = positions.empty() ? count : positions.size();
  const auto at = [&](std::size_t i) { return positions.empty() ? i : positions[i]; };
  if (n == 0 || !(people[at(0)] > 0.0)) return false;
  for (std::size_t i = 1; i < n; ++i) {
    if (!(people[at(i)] == people[at(0)])) return false;
  }
  return true;
}

// The runs of equal people of a district's households at `positions` (all `count` of them when
// empty) into d.list_runs, and their sum: what each step's split of the list by people needs.
double describe_list_people(Districts& d, const double* people, std::uint32_t count,
                            std::span<const std::uint32_t> positions) {
  if (positions.empty()) return engine::describe_runs({people, count}, d.list_runs);
  std::vector<double> weights(positions.size());
  for (std::size_t i = 0; i < positions.size(); ++i) weights[i] = people[positions[i]];
  return engine::describe_runs(weights, d.list_runs);
}

}  // namespace

void note_split_weights(World& world) {
  Districts& d = world.districts;
  const std::size_t factions = world.faction_count();
  d.equal_people.assign(d.size(), 0);
  d.list_equal_people.assign(d.size() * factions, 0);
  d.list_people.assign(d.size() * factions, 0.0);
  d.list_runs.clear();
  d.list_runs_start.assign(1, 0);
  for (std::size_t i = 0; i < d.size(); ++i) {
    const double* people = world.households.people.data() + d.first_household[i];
    const std::uint32_t count = d.household_count[i];
    d.equal_people[i] = equal_people_at(people, count, {});
    for (std::size_t f = 0; f < factions; ++f) {
      const std::uint32_t* start = d.affiliates_start.data() + i * factions + f;
      const std::span<const std::uint32_t> list(d.affiliates.data() + start[0],
                                                start[1] - start[0]);
      d.list_equal_people[i * factions + f] = equal_people_at(people, count, list);
      d.list_people[i * factions + f] = describe_list_people(d, people, count, list);
      d.list_runs_start.push_back(static_cast<std::uint32_t>(d.list_runs.size()));
    }
  }
}

namespace {

// A district too large for one task as blocks of about `block_households`: as few as that
// allows, of equal size in whole lanes of eight (the last takes the rest).
void split_district(HouseholdTasks& tasks, std::uint32_t district, std::uint32_t households,
                    std::uint32_t block_households) {
  const std::uint32_t pieces = (households + block_households - 1) / block_households;
  const std::uint32_t size = ((households + pieces - 1) / pieces + 7) / 8 * 8;
  tasks.split.push_back(district);
  for (std::uint32_t first = 0; first < households; first += size) {
    HouseholdBlock& block = tasks.blocks.emplace_back();
    block.district = district;
    block.first = first;
    block.count = std::min(size, households - first);
    // The buckets of one block's households: each block's histogram stays the block's size, and
    // the cut bucket holds a few claims a block.
    block.buckets = bucket_count(size);
    block.columns.resize(block.count);
  }
  tasks.split_blocks.push_back(static_cast<std::uint32_t>(tasks.blocks.size()));
}

}  // namespace

void plan_household_tasks(Districts& districts, BlockSizes sizes) {
  HouseholdTasks& tasks = districts.tasks;
  tasks = HouseholdTasks{};
  tasks.split_blocks.assign(1, 0);
  std::uint32_t begin = 0, households = 0;
  const auto close_group = [&](std::uint32_t end) {
    if (end > begin) tasks.groups.push_back({begin, end});
    begin = end;
    households = 0;
  };
  for (std::uint32_t i = 0; i < districts.size(); ++i) {
    if (districts.household_count[i] > sizes.split_above) {
      close_group(i);
      split_district(tasks, i, districts.household_count[i], sizes.block);
      begin = i + 1;
      continue;
    }
    households += districts.household_count[i] + kDistrictCost;
    if (households >= kTaskHouseholds) close_group(i + 1);
  }
  close_group(static_cast<std::uint32_t>(districts.size()));
  tasks.step_seconds.assign(tasks.count(), 0.0);
  tasks.seconds.assign(tasks.count(), 0.0);
}

namespace {

using Clock = std::chrono::steady_clock;

// Runs tasks [first, first + n) of the phase in parallel, body(i) for the i-th, timing each
// into its step seconds: one round of the phase's work.
template <class Body>
void run_round(HouseholdTasks& tasks, std::size_t first, std::size_t n, Body&& body) {
  if (n == 0) return;
  std::vector<double> seconds(n);
  engine::parallel_for_each(n, [&](std::size_t i) {
    const auto start = Clock::now();
    body(i);
    seconds[i] = std::chrono::duration<double>(Clock::now() - start).count();
  });
  double work = 0.0, span = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    tasks.step_seconds[first + i] += seconds[i];
    work += seconds[i];
    span = std::max(span, seconds[i]);
  }
  tasks.round_work.push_back(work);
  tasks.round_span.push_back(span);
}

// A serial step between rounds (there are none without split districts): a round of its own.
template <class Body>
void run_serial(HouseholdTasks& tasks, Body&& body) {
  if (tasks.split.empty()) return;
  const auto start = Clock::now();
  body();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  tasks.serial_seconds += seconds;
  tasks.round_work.push_back(seconds);
  tasks.round_span.push_back(seconds);
}

}  // namespace

// Rounds of parallel tasks with serial steps between: whole districts in the first round beside
// the split districts' blocks' claims, then the blocks served and stepped. Each task writes only
// its own households, blocks, tally, recruits and time; the serial steps write each split
// district's wholes in order.
void update_households(World& world, int step) {
  const RecruitmentPull pull(world);
  const StepContext c{world, household_kernels(), pull, step, winter_need(world, step)};
  HouseholdTasks& tasks = world.districts.tasks;
  const std::size_t groups = tasks.groups.size(), blocks = tasks.blocks.size();
  std::fill(tasks.step_seconds.begin(), tasks.step_seconds.end(), 0.0);
  SplitDistricts split(c, tasks);
  run_serial(tasks, [&] { split.return_households(); });
  run_round(tasks, 0, groups + blocks, [&](std::size_t t) {
    if (t >= groups) return claim_block(c, tasks.blocks[t - groups]);
    update_districts(c, tasks.groups[t], thread_scratch());
  });
  run_serial(tasks, [&] { split.find_cuts(); });
  run_round(tasks, groups, blocks, [&](std::size_t b) { split.serve_block(b); });
  run_serial(tasks, [&] { split.finish_aid(); });
  run_round(tasks, groups, blocks, [&](std::size_t b) { split.step_block(b); });
  run_serial(tasks, [&] { split.combine(); });
  for (std::size_t t = 0; t < tasks.count(); ++t) tasks.seconds[t] += tasks.step_seconds[t];
}

}  // namespace aidflow::model
