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

// Per-thread columns for one district at a time, reused across districts and steps.
struct Scratch {
  std::array<std::vector<std::uint32_t>, 4> draws;  // [Draw][household in the district]
  std::vector<double> priority, shock, people;
  std::vector<std::uint32_t> bucket;
  std::vector<Cents> ration, top_up;
  std::vector<std::uint32_t> may_recruit;  // positions (household_kernels.hpp)
  std::vector<double> weight;              // of one beneficiary list
  std::vector<Cents> parts;
  // Columns only grow, so that a district larger than the last costs no zero-filling of the
  // rest; kernels use the first `count` entries.
  void reserve(std::uint32_t count) {
    if (priority.size() >= count) return;
    for (auto& column : draws) column.resize(count);
    priority.resize(count);
    shock.resize(count);
    bucket.resize(count);
    ration.resize(count);
    may_recruit.resize(count);
  }
};

void draw_district(const World& world, const HouseholdKernels& kernels, std::size_t district,
                   int step, Scratch& scratch) {
  std::uint32_t* const out[4] = {scratch.draws[0].data(), scratch.draws[1].data(),
                                 scratch.draws[2].data(), scratch.draws[3].data()};
  const engine::RandomStream rng = world.random(Stream::HouseholdStep);
  kernels.draw(rng.stream(), rng.key()[0], rng.key()[1], world.districts.first_household[district],
               world.districts.household_count[district], static_cast<std::uint32_t>(step), out);
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

// One district's aid as rations: households in priority order each get a full weekly ration
// until the money runs out. Priority mixes need with chance as targeting says: 1 serves the
// neediest first, 0 draws beneficiaries at random. What is left once everyone eligible has a
// ration is shared pro rata as a top-up. Every cent of the district's delivery ends with a
// household.
void share_district_aid(World& world, const HouseholdKernels& kernels, std::size_t district,
                        const DistrictColumns& d, Scratch& scratch) {
  std::span<Cents> received(d.aid, d.count);
  const std::uint32_t buckets = bucket_count(d.count);
  kernels.prioritise(world.spec.households.targeting, buckets, d.view(),
                     scratch.draws[kChance].data(), scratch.priority.data(), scratch.bucket.data());
  fill_rations(world, district, d, {scratch.ration.data(), d.count});
  const RationClaims claims{{scratch.priority.data(), d.count},
                            {scratch.bucket.data(), d.count},
                            {scratch.ration.data(), d.count},
                            buckets};
  const Cents left = serve_by_priority(claims, world.districts.delivered[district], received);
  if (left > 0) {
    // Rare (the money covered every ration): the eligible people, for the pro rata top-up.
    scratch.people.assign(d.count, 0.0);
    scratch.top_up.assign(d.count, 0);
    for (std::uint32_t k = 0; k < d.count; ++k) {
      if (scratch.bucket[k] != kNoClaim) scratch.people[k] = d.people[k];
    }
    engine::split_largest_remainder(left, scratch.people, scratch.top_up);
    for (std::uint32_t k = 0; k < d.count; ++k) received[k] += scratch.top_up[k];
  }
}

// Splits `amount` among the district's households at `positions` (all of them when empty) by
// their people, adding to what they received. `equal`: they stand for equal people (noted at
// placement), so the split is engine::equal_part, with no weights gathered.
void add_split(Cents amount, std::span<const std::uint32_t> positions, bool equal,
               const DistrictColumns& d, Scratch& scratch) {
  const std::size_t n = positions.empty() ? d.count : positions.size();
  const auto at = [&](std::size_t i) { return positions.empty() ? i : positions[i]; };
  if (equal && n > 0) {
    const auto count = static_cast<Cents>(n);
    for (std::size_t i = 0; i < n; ++i) {
      d.aid[at(i)] += engine::equal_part(amount, count, static_cast<Cents>(i));
    }
    return;
  }
  scratch.weight.resize(n);
  scratch.parts.resize(n);
  for (std::size_t i = 0; i < n; ++i) scratch.weight[i] = d.people[at(i)];
  engine::split_largest_remainder(amount, scratch.weight, scratch.parts);
  for (std::size_t i = 0; i < n; ++i) d.aid[at(i)] += scratch.parts[i];
}

// Aid steered by beneficiary-list manipulation: each faction's share for the district goes to the
// households affiliated with it, by people, whatever their need; where it has no affiliates
// among them, to every household of the district (it is still diverted from the neediest). The
// split runs over the affiliates only: households of weight zero would get nothing from it.
void share_list_aid(const World& world, std::size_t district, const DistrictColumns& d,
                    Scratch& scratch) {
  const std::size_t factions = world.faction_count();
  const Districts& districts = world.districts;
  const Cents* amounts = districts.list_aid.data() + district * factions;
  for (std::size_t f = 0; f < factions; ++f) {
    if (amounts[f] == 0) continue;
    const std::uint32_t* start = districts.affiliates_start.data() + district * factions + f;
    const std::span<const std::uint32_t> affiliates(districts.affiliates.data() + start[0],
                                                    start[1] - start[0]);
    add_split(amounts[f], affiliates, districts.list_equal_people[district * factions + f] != 0, d,
              scratch);
  }
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

// Need, displacement and recruits of the district's households, each from its own draws, and
// the district's tally as they end the step.
void step_district(World& world, const HouseholdKernels& kernels, std::size_t district, int step,
                   const RecruitmentPull& pull, double need_target, const DistrictColumns& d,
                   Scratch& scratch) {
  const HouseholdSpec& hs = world.spec.households;
  kernels.shocks(hs.shock_sd, scratch.draws[kShock].data(), d.count, scratch.shock.data());
  KernelTally sums;
  const std::uint32_t flagged =
      kernels.step(step_rule(world, district, need_target, pull), d, scratch.shock.data(),
                   scratch.draws[kMove].data(), scratch.draws[kRecruits].data(),
                   scratch.may_recruit.data(), &sums);
  world.districts.tally[district] = district_tally(sums);
  const std::size_t factions = world.faction_count();
  std::int64_t* recruits = world.districts.recruits.data() + district * factions;
  std::fill(recruits, recruits + factions, 0);
  const std::uint32_t first = world.districts.first_household[district];
  const std::uint32_t* words = scratch.draws[kRecruits].data();
  for (std::uint32_t i = 0; i < flagged; ++i) {
    const std::uint32_t k = scratch.may_recruit[i];
    pull.recruit_household(world, district, first + k, engine::RandomStream::unit(words[k]), step,
                           recruits);
  }
}

// A task's work at least, in households: a coarse run's districts hold a few dozen households
// each (a few at 2,000), too little work to be a task of their own, so consecutive districts are
// grouped into tasks of about this much (a district larger than it is a task alone). A district
// counts as kDistrictCost households more than it has, for what it costs whatever its size (its
// draws' set-up, rations at the cut-off, list splits, kernel calls).
constexpr std::uint32_t kTaskHouseholds = 1024;
constexpr std::uint32_t kDistrictCost = 32;

void update_district(World& world, const HouseholdKernels& kernels, std::size_t district, int step,
                     const RecruitmentPull& pull, double winter, Scratch& scratch) {
  const std::array<double, kHosts> returned = return_households(world, district, step);
  const DistrictColumns d = columns_of(world, district);
  scratch.reserve(d.count);
  draw_district(world, kernels, district, step, scratch);
  share_district_aid(world, kernels, district, d, scratch);
  share_list_aid(world, district, d, scratch);
  const double target = need_target(world, district, step, winter);
  step_district(world, kernels, district, step, pull, target, d, scratch);
  world.districts.tally[district].returned = returned;
}

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

}  // namespace

void note_equal_people(World& world) {
  Districts& d = world.districts;
  const std::size_t factions = world.faction_count();
  d.equal_people.assign(d.size(), 0);
  d.list_equal_people.assign(d.size() * factions, 0);
  for (std::size_t i = 0; i < d.size(); ++i) {
    const double* people = world.households.people.data() + d.first_household[i];
    const std::uint32_t count = d.household_count[i];
    d.equal_people[i] = equal_people_at(people, count, {});
    for (std::size_t f = 0; f < factions; ++f) {
      const std::uint32_t* start = d.affiliates_start.data() + i * factions + f;
      const std::span<const std::uint32_t> list(d.affiliates.data() + start[0],
                                                start[1] - start[0]);
      d.list_equal_people[i * factions + f] = equal_people_at(people, count, list);
    }
  }
}

void plan_household_tasks(Districts& districts) {
  HouseholdTasks& tasks = districts.tasks;
  tasks.starts.assign(1, 0);
  std::uint32_t households = 0;
  for (std::size_t i = 0; i < districts.size(); ++i) {
    households += districts.household_count[i] + kDistrictCost;
    if (households >= kTaskHouseholds) {
      tasks.starts.push_back(i + 1);
      households = 0;
    }
  }
  if (tasks.starts.back() != districts.size()) tasks.starts.push_back(districts.size());
  tasks.step_seconds.assign(tasks.count(), 0.0);
  tasks.seconds.assign(tasks.count(), 0.0);
}

// Each district writes only its own households, tally and recruits, and each task its own time.
void update_households(World& world, int step) {
  using Clock = std::chrono::steady_clock;
  const double winter = winter_need(world, step);
  const RecruitmentPull pull(world);
  const HouseholdKernels& kernels = household_kernels();
  HouseholdTasks& tasks = world.districts.tasks;
  engine::parallel_for_each(tasks.count(), [&](std::size_t task) {
    thread_local Scratch scratch;  // reused across districts and steps, never shared
    const auto start = Clock::now();
    for (std::size_t district = tasks.starts[task]; district < tasks.starts[task + 1]; ++district) {
      update_district(world, kernels, district, step, pull, winter, scratch);
    }
    tasks.step_seconds[task] = std::chrono::duration<double>(Clock::now() - start).count();
  });
  double work = 0.0, span = 0.0;
  for (std::size_t t = 0; t < tasks.count(); ++t) {
    tasks.seconds[t] += tasks.step_seconds[t];
    work += tasks.step_seconds[t];
    span = std::max(span, tasks.step_seconds[t]);
  }
  tasks.step_work.push_back(work);
  tasks.step_span.push_back(span);
}

}  // namespace aidflow::model
