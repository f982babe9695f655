// Phase 5, the parallel bulk: one task per district hands the district's delivered aid to its
// households as rations (neediest first, as targeting allows) and the aid steered to affiliates
// to them, then moves need, displacement and recruitment. A household's numbers for the step are
// one Philox block keyed by (household, step): four uniforms for its targeting chance, need
// shock, move and recruits. So the result does not depend on the thread count, and one block
// replaces the four to six a household used to draw (one per decision).
#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "engine/normal_quantile.hpp"
#include "engine/parallel.hpp"
#include "model/people/rations.hpp"
#include "model/people/recruitment.hpp"
#include "model/phases.hpp"

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
  const double trend = hs.economic_trend_per_year * step / kStepsPerYear;
  return std::clamp(world.districts.baseline_need[district] + winter + trend +
                        drought_need(world, district, step),
                    0.0, 1.0);
}

// A household's four uniforms of the step: the words of its Philox block, one column each.
enum Draw : std::size_t { kChance = 0, kShock = 1, kMove = 2, kRecruits = 3 };

// Per-thread buffers for one district at a time, reused across districts and steps.
struct Scratch {
  std::array<std::vector<std::uint32_t>, 4> draws;  // [Draw][household in the district]
  std::vector<Claim> claims;                        // eligible households waiting for a ration
  std::vector<double> people;                       // eligible people by household
  std::vector<std::vector<std::uint32_t>> members;  // affiliated households by faction
  std::vector<double> weight;                       // of one beneficiary list
  std::vector<Cents> parts;
  double unit(Draw which, std::uint32_t k) const {
    return engine::RandomStream::unit(draws[which][k]);
  }
};

void draw_district(const World& world, std::size_t district, int step, Scratch& scratch) {
  const std::uint32_t count = world.districts.household_count[district];
  for (auto& column : scratch.draws) column.resize(count);
  std::uint32_t* const out[4] = {scratch.draws[0].data(), scratch.draws[1].data(),
                                 scratch.draws[2].data(), scratch.draws[3].data()};
  world.random(Stream::HouseholdStep)
      .words_for_range(world.districts.first_household[district], count,
                       static_cast<std::uint32_t>(step), out);
}

bool can_receive_aid(Displacement state) {
  return state == Displacement::Home || state == Displacement::Internal;
}

// One district's aid as rations: households in priority order each get a full weekly ration
// (relief_usd_per_person_week per person) until the money runs out. Priority mixes need with
// chance as targeting says: 1 serves the neediest first, 0 draws beneficiaries at random. What
// is left once everyone eligible has a ration is shared pro rata as a top-up. Every cent of the
// district's delivery ends with a household.
void share_district_aid(World& world, std::size_t district, Scratch& scratch) {
  const Districts& d = world.districts;
  Households& h = world.households;
  const HouseholdSpec& hs = world.spec.households;
  const std::uint32_t first = d.first_household[district], count = d.household_count[district];
  std::span<Cents> received(h.aid_received.data() + first, count);
  std::fill(received.begin(), received.end(), 0);
  scratch.claims.clear();
  double ration_people = -1.0;
  Cents ration = 0;
  for (std::uint32_t k = 0; k < count; ++k) {
    const std::uint32_t id = first + k;
    if (!can_receive_aid(h.displacement[id])) continue;
    const double chance = scratch.unit(kChance, k);
    // Households of a district usually stand for the same number of people: reuse the ration.
    if (h.people[id] != ration_people) {
      ration_people = h.people[id];
      ration = engine::usd_to_cents(ration_people * hs.relief_usd_per_person_week);
    }
    scratch.claims.push_back(
        {hs.targeting * h.need[id] + (1.0 - hs.targeting) * chance, k, ration});
  }
  const Cents left = serve_by_priority(scratch.claims, d.delivered[district], received);
  if (left > 0) {
    thread_local std::vector<Cents> top_up;
    top_up.assign(count, 0);
    // Rare (the money covered every ration): the eligible people, for the pro rata top-up.
    scratch.people.assign(count, 0.0);
    for (const Claim& c : scratch.claims) scratch.people[c.position] = h.people[first + c.position];
    engine::split_largest_remainder(left, scratch.people, top_up);
    for (std::uint32_t k = 0; k < count; ++k) received[k] += top_up[k];
  }
}

// Aid steered by beneficiary-list manipulation: each faction's share for the district goes to the
// households affiliated with it, by people, whatever their need; where it has no affiliates
// among them, to every household of the district (it is still diverted from the neediest). The
// split runs over the affiliates only: households of weight zero would get nothing from it.
void share_list_aid(World& world, std::size_t district, Scratch& scratch) {
  const std::size_t factions = world.faction_count();
  const Districts& d = world.districts;
  Households& h = world.households;
  const Cents* amounts = d.list_aid.data() + district * factions;
  if (std::all_of(amounts, amounts + factions, [](Cents a) { return a == 0; })) return;
  const std::uint32_t first = d.first_household[district], count = d.household_count[district];
  scratch.members.resize(factions);
  for (auto& m : scratch.members) m.clear();
  for (std::uint32_t k = 0; k < count; ++k) {
    const std::int8_t f = h.affiliation[first + k];
    if (f >= 0) scratch.members[static_cast<std::size_t>(f)].push_back(k);
  }
  thread_local std::vector<std::uint32_t> everyone;
  for (std::size_t f = 0; f < factions; ++f) {
    if (amounts[f] == 0) continue;
    const std::vector<std::uint32_t>* members = &scratch.members[f];
    if (members->empty()) {
      everyone.resize(count);
      for (std::uint32_t k = 0; k < count; ++k) everyone[k] = k;
      members = &everyone;
    }
    scratch.weight.resize(members->size());
    scratch.parts.resize(members->size());
    for (std::size_t i = 0; i < members->size(); ++i) {
      scratch.weight[i] = h.people[first + (*members)[i]];
    }
    engine::split_largest_remainder(amounts[f], scratch.weight, scratch.parts);
    for (std::size_t i = 0; i < members->size(); ++i) {
      h.aid_received[first + (*members)[i]] += scratch.parts[i];
    }
  }
}

void move_need(World& world, std::uint32_t id, double target, double u) {
  const HouseholdSpec& hs = world.spec.households;
  Households& h = world.households;
  const double aid_per_person = engine::cents_to_usd(h.aid_received[id]) / h.people[id];
  const double relief = std::min(1.0, aid_per_person / hs.relief_usd_per_person_week);
  const double goal = target * (1.0 - hs.relief_effect * relief);
  const double shock = hs.shock_sd * engine::normal_quantile(u);
  h.need[id] =
      std::clamp(h.need[id] + hs.reversion_per_week * (goal - h.need[id]) + shock, 0.0, 1.0);
}

// One uniform decides a move: it leaves home with probability p when u < p, and then u / p is
// again uniform on (0, 1), so it decides independently whether the household crosses a border.
Displacement move_household(const World& world, std::size_t district, std::uint32_t id, double u) {
  const HouseholdSpec& hs = world.spec.households;
  const Households& h = world.households;
  const Displacement state = h.displacement[id];
  if (state != Displacement::Home) {
    return u < hs.return_per_week * (1.0 - h.need[id]) ? Displacement::Home : state;
  }
  const double leaves = hs.displacement_per_week * h.need[id];
  if (!(u < leaves)) return state;
  const BorderClass border = world.districts.border[district];
  const bool crosses = u / leaves < hs.cross_border_share;
  if (crosses && border == BorderClass::Iran) return Displacement::Iran;
  if (crosses && border == BorderClass::Pakistan) return Displacement::Pakistan;
  return Displacement::Internal;
}

// Need, displacement and recruits of the district's households, each from its own draws.
void step_district(World& world, std::size_t district, int step, const RecruitmentPull& pull,
                   double target, const Scratch& scratch) {
  Households& h = world.households;
  const HouseholdSpec& hs = world.spec.households;
  const std::size_t factions = world.faction_count();
  std::int64_t* recruits = world.districts.recruits.data() + district * factions;
  std::fill(recruits, recruits + factions, 0);
  const std::uint32_t first = world.districts.first_household[district];
  DistrictTally tally;
  for (std::uint32_t k = 0; k < scratch.draws[0].size(); ++k) {
    const std::uint32_t id = first + k;
    move_need(world, id, target, scratch.unit(kShock, k));
    const Displacement before = h.displacement[id];
    h.displacement[id] = move_household(world, district, id, scratch.unit(kMove, k));
    if (before != Displacement::Home && h.displacement[id] == Displacement::Home) {
      h.need[id] = std::min(1.0, h.need[id] + hs.returnee_need);  // returnees come back poorer
    }
    pull.recruit_household(world, district, id, scratch.unit(kRecruits, k), step, recruits);
    tally.add(h.people[id], h.need[id], h.aid_received[id], h.displacement[id], hs.need_threshold,
              hs.relief_usd_per_person_week);
  }
  world.districts.tally[district] = tally;
}

}  // namespace

void update_households(World& world, int step) {
  const double winter = winter_need(world, step);
  const RecruitmentPull pull(world);
  engine::parallel_for_each(world.districts.size(), [&](std::size_t district) {
    thread_local Scratch scratch;  // reused across districts and steps, never shared
    draw_district(world, district, step, scratch);
    share_district_aid(world, district, scratch);
    share_list_aid(world, district, scratch);
    const double target = need_target(world, district, step, winter);
    step_district(world, district, step, pull, target, scratch);
  });
}

}  // namespace aidflow::model
