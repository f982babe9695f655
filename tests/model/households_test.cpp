#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <numeric>
#include <span>
#include <vector>

#include "model/model.hpp"
#include "model/record/indicators.hpp"
#include "scenario/scenario_loader.hpp"
#include "tiny_scenario.hpp"

namespace aidflow::model {
namespace {

double mean_need(const World& world) {
  double people = 0.0, need = 0.0;
  for (std::size_t i = 0; i < world.households.size(); ++i) {
    people += world.households.people[i];
    need += world.households.people[i] * world.households.need[i];
  }
  return need / people;
}

ScenarioSpec household_scenario(double budget_usd, std::uint64_t seed) {
  ScenarioSpec spec = testing::pass_through_scenario();
  spec.run.seed = seed;
  spec.run.households = 1000;
  spec.geography.population = 1e6;
  spec.households.reversion_per_week = 0.05;
  spec.donors[0].budget_usd_per_year = budget_usd;
  return spec;
}

// Paired replicates with common random numbers: the same seed with and without aid. Under the null
// hypothesis (aid changes nothing) each pair's difference is as likely positive as negative; with
// 10 pairs all positive, a sign test rejects it at p = 2^-10 < 0.001. The effect size: $1 per
// person-week, two thirds of a full ration, lowers mean need by at least 0.1 (on a 0-1 scale; 0.17
// seen) in every pair.
TEST(Households, NeedFallsWithAidReceived) {
  int lower_with_aid = 0;
  double smallest_drop = 1.0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    Model without(household_scenario(0.0, seed));
    Model with(household_scenario(52e6, seed));  // $1 per person-week
    without.simulation().run({.steps = 40, .threads = 2});
    with.simulation().run({.steps = 40, .threads = 2});
    const double drop = mean_need(without.world()) - mean_need(with.world());
    if (drop > 0.0) ++lower_with_aid;
    smallest_drop = std::min(smallest_drop, drop);
  }
  EXPECT_EQ(lower_with_aid, 10);
  EXPECT_GE(smallest_drop, 0.1) << "effect size";
}

// One step of a scenario whose aid covers about `coverage` of the people with full rations.
struct OneStep {
  std::vector<double> need_before;
  std::unique_ptr<Model> model;
};

OneStep one_step(double coverage, double targeting) {
  ScenarioSpec spec = household_scenario(0.0, 3);
  spec.households.targeting = targeting;
  spec.households.relief_usd_per_person_week = 2.0;
  spec.donors[0].budget_usd_per_year = coverage * spec.geography.population * 2.0 * 52;
  OneStep out{{}, std::make_unique<Model>(spec)};
  out.need_before = out.model->world().households.need;
  out.model->simulation().run({.steps = 1, .threads = 2});
  return out;
}

Cents ration_of(const World& w, std::uint32_t id) {
  return engine::usd_to_cents(w.households.people[id] *
                              w.spec.households.relief_usd_per_person_week);
}

TEST(Households, ShortAidGoesAsFullRationsToTheNeediestFirst) {
  const OneStep run = one_step(0.3, 1.0);
  const World& w = run.model->world();
  for (std::size_t district = 0; district < w.districts.size(); ++district) {
    const std::uint32_t first = w.districts.first_household[district];
    const std::uint32_t end = first + w.districts.household_count[district];
    double least_needy_served = 2.0, neediest_unserved = -1.0;
    int partial_rations = 0;
    Cents handed_out = 0;
    for (std::uint32_t id = first; id < end; ++id) {
      const Cents aid = w.households.aid_received[id];
      handed_out += aid;
      if (aid > 0) least_needy_served = std::min(least_needy_served, run.need_before[id]);
      if (aid == 0) neediest_unserved = std::max(neediest_unserved, run.need_before[id]);
      if (aid > 0 && aid != ration_of(w, id)) ++partial_rations;
    }
    EXPECT_EQ(handed_out, w.districts.delivered[district]) << "every cent reaches a household";
    EXPECT_GE(least_needy_served, neediest_unserved) << "district " << district;
    EXPECT_LE(partial_rations, 1) << "only the last household served gets a part ration";
  }
  double reached = 0.0;
  for (std::size_t i = 0; i < w.households.size(); ++i) {
    if (w.households.aid_received[i] > 0) reached += w.households.people[i];
  }
  EXPECT_GT(reached, 0.2 * w.spec.geography.population);
  EXPECT_LT(reached, 0.4 * w.spec.geography.population);
}

TEST(Households, UntargetedAidReachesSomeWhoNeedLessBeforeSomeWhoNeedMore) {
  const OneStep run = one_step(0.3, 0.0);
  const World& w = run.model->world();
  int inversions = 0;
  for (std::size_t district = 0; district < w.districts.size(); ++district) {
    const std::uint32_t first = w.districts.first_household[district];
    const std::uint32_t end = first + w.districts.household_count[district];
    for (std::uint32_t a = first; a < end; ++a) {
      for (std::uint32_t b = first; b < end; ++b) {
        const bool a_served = w.households.aid_received[a] > 0;
        const bool b_served = w.households.aid_received[b] > 0;
        if (a_served && !b_served && run.need_before[a] < run.need_before[b]) ++inversions;
      }
    }
  }
  EXPECT_GT(inversions, 0) << "random selection must sometimes pass over the neediest";
}

TEST(Households, AidBeyondEveryRationIsSharedAsATopUp) {
  const OneStep run = one_step(1.5, 1.0);
  const World& w = run.model->world();
  for (std::size_t i = 0; i < w.households.size(); ++i) {
    EXPECT_GE(w.households.aid_received[i], ration_of(w, static_cast<std::uint32_t>(i)));
  }
}

TEST(Households, DisplacementCrossesOnlyTheDistrictsOwnBorder) {
  ScenarioSpec spec = household_scenario(0.0, 5);
  spec.households.displacement_per_week = 0.5;
  spec.households.return_per_week = 0.0;
  spec.geography.baseline_need = 0.9;
  Model model(spec);
  model.simulation().run({.steps = 20, .threads = 2});
  const World& w = model.world();
  int moved = 0;
  for (std::size_t i = 0; i < w.households.size(); ++i) {
    const BorderClass border = w.districts.border[w.households.district[i]];
    const Displacement state = w.households.displacement[i];
    if (state != Displacement::Home) ++moved;
    if (state == Displacement::Iran) {
      EXPECT_EQ(border, BorderClass::Iran);
    }
    if (state == Displacement::Pakistan) {
      EXPECT_EQ(border, BorderClass::Pakistan);
    }
  }
  EXPECT_GT(moved, 100);
}

// People reached by need counts the full rations of the money delivered by need: with no
// beneficiary lists it is everyone reached (a part ration counting in part, as the households'
// tally counts it); with lists it leaves out the aid steered to affiliates.
TEST(Households, PeopleReachedByNeedLeavesListAidOut) {
  const OneStep run = one_step(0.3, 1.0);
  const PeopleTotals plain = people_totals(run.model->world());
  ASSERT_GT(plain.reached, 0.0);
  EXPECT_NEAR(plain.reached_by_need, plain.reached, 1e-6 * plain.reached);
  ScenarioSpec spec = testing::leaky_scenario();
  spec.households.displacement_per_week = 0.0;
  spec.households.relief_usd_per_person_week = 2.0;
  for (auto& donor : spec.donors) donor.budget_usd_per_year /= 1000.0;  // aid short of everyone
  Model listed(spec);
  listed.simulation().run({.steps = 1, .threads = 1});
  const World& w = listed.world();
  const PeopleTotals totals = people_totals(w);
  Cents steered = 0, delivered = 0;
  for (Cents c : w.districts.list_aid) steered += c;
  for (Cents c : w.districts.delivered) delivered += c;
  ASSERT_GT(steered, 0) << "the lists steered nothing: the test measures nothing";
  EXPECT_LT(totals.reached_by_need, totals.reached);
  const double rations =
      engine::cents_to_usd(delivered) / w.spec.households.relief_usd_per_person_week;
  EXPECT_NEAR(totals.reached_by_need, std::min(rations, totals.people), 1e-6 * rations);
}

// The people of district i's households at `positions` (all of them when empty), in list order.
std::vector<double> people_at(const World& w, std::size_t i,
                              std::span<const std::uint32_t> positions) {
  const double* people = w.households.people.data() + w.districts.first_household[i];
  if (positions.empty()) return {people, people + w.districts.household_count[i]};
  std::vector<double> at;
  for (std::uint32_t k : positions) at.push_back(people[k]);
  return at;
}

// The affiliates of beneficiary list [district * factions + f], as positions in the district.
std::span<const std::uint32_t> affiliates_of(const Districts& d, std::size_t list) {
  return {d.affiliates.data() + d.affiliates_start[list],
          d.affiliates_start[list + 1] - d.affiliates_start[list]};
}

// Whether households at `positions` of district i (all of them when empty) stand for equal,
// positive people: the reference for what placement notes once.
bool all_equal(const World& w, std::size_t i, std::span<const std::uint32_t> positions) {
  const std::vector<double> at = people_at(w, i, positions);
  return !at.empty() && at[0] > 0.0 &&
         std::all_of(at.begin(), at.end(), [&](double p) { return p == at[0]; });
}

// The splits of the household phase skip their weights where placement noted equal people: the
// notes must say exactly which districts and beneficiary lists (affiliates, or the whole district
// where a faction has none) hold households of equal people. The status quo has returnees (who
// stand for other numbers of people than residents) and lists, so both answers occur.
TEST(Households, PlacementNotesWhichSplitsGoToEqualPeople) {
  const Model model(scenario::load_scenario(AIDFLOW_SOURCE_DIR "/scenarios/status_quo.yaml",
                                            {.overrides = {"run.households=3000"}}));
  const World& w = model.world();
  const Districts& d = w.districts;
  const std::size_t factions = w.faction_count();
  std::array<int, 2> districts_by_note{}, lists_by_note{};
  for (std::size_t i = 0; i < d.size(); ++i) {
    EXPECT_EQ(d.equal_people[i] != 0, all_equal(w, i, {})) << "district " << i;
    ++districts_by_note[d.equal_people[i] != 0];
    for (std::size_t f = 0; f < factions; ++f) {
      const std::span<const std::uint32_t> list = affiliates_of(d, i * factions + f);
      EXPECT_EQ(d.list_equal_people[i * factions + f] != 0, all_equal(w, i, list))
          << "district " << i << " faction " << f;
      ++lists_by_note[d.list_equal_people[i * factions + f] != 0];
    }
  }
  EXPECT_GT(districts_by_note[0], 0);
  EXPECT_GT(districts_by_note[1], 0);
  EXPECT_GT(lists_by_note[0], 0);
  EXPECT_GT(lists_by_note[1], 0);
}

// A list's split by people goes once a run of equal people, from what placement noted: each
// list's runs must cover exactly its households of positive people, in list order, each run one
// value of people, consecutive runs different or apart, and the noted sum the people's sum in list
// order. At 3,000 households the status quo's lists hold residents and returnees, so some lists
// have several runs.
TEST(Households, PlacementNotesEachListsRunsOfEqualPeople) {
  const Model model(scenario::load_scenario(AIDFLOW_SOURCE_DIR "/scenarios/status_quo.yaml",
                                            {.overrides = {"run.households=3000"}}));
  const World& w = model.world();
  const Districts& d = w.districts;
  const std::size_t factions = w.faction_count();
  std::size_t lists_of_several_runs = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    for (std::size_t f = 0; f < factions; ++f) {
      const std::size_t list = i * factions + f;
      const std::vector<double> weights = people_at(w, i, affiliates_of(d, list));
      const std::span<const engine::EqualRun> runs(
          d.list_runs.data() + d.list_runs_start[list],
          d.list_runs_start[list + 1] - d.list_runs_start[list]);
      std::vector<double> covered(weights.size(), 0.0);
      for (std::size_t r = 0; r < runs.size(); ++r) {
        ASSERT_LT(runs[r].begin, runs[r].end) << "district " << i << " faction " << f;
        ASSERT_LE(runs[r].end, weights.size());
        if (r > 0) {
          ASSERT_LE(runs[r - 1].end, runs[r].begin);
          EXPECT_TRUE(runs[r - 1].end < runs[r].begin || runs[r - 1].weight != runs[r].weight);
        }
        for (std::uint32_t k = runs[r].begin; k < runs[r].end; ++k) covered[k] = runs[r].weight;
      }
      for (std::size_t k = 0; k < weights.size(); ++k) {
        EXPECT_EQ(covered[k], weights[k] > 0.0 ? weights[k] : 0.0)
            << "district " << i << " faction " << f << " member " << k;
      }
      EXPECT_EQ(d.list_people[list], std::accumulate(weights.begin(), weights.end(), 0.0));
      lists_of_several_runs += runs.size() > 1;
    }
  }
  EXPECT_GT(lists_of_several_runs, 0u);
}

}  // namespace
}  // namespace aidflow::model
