#include "model/people/households.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "model/model.hpp"
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

// Small districts share a task, in their order, until it holds about a thousand households'
// work (a district counting 32 more for its fixed cost); a district larger than that is a task
// alone; every district is in exactly one task.
TEST(HouseholdTasks, ConsecutiveSmallDistrictsShareATask) {
  Districts d;
  d.population.assign(7, 1.0);
  d.household_count = {600, 600, 5000, 10, 20, 30, 480};
  plan_household_tasks(d);
  EXPECT_EQ(d.tasks.starts, (std::vector<std::size_t>{0, 2, 3, 7}));
  EXPECT_EQ(d.tasks.count(), 3U);
  d.household_count = {480, 480, 1};  // 512 + 512: the fixed cost closes the first task
  d.population.assign(3, 1.0);
  plan_household_tasks(d);
  EXPECT_EQ(d.tasks.starts, (std::vector<std::size_t>{0, 2, 3}));
}

// Work 10 s in each of two steps; the longest task 1 s in the first and 4 s in the second. On 16
// workers the steps take at least max(10/16, 1) and max(10/16, 4): 20 / 5 = 4x at most; on 2,
// max(5, 1) + max(5, 4) = 10, 2x. The largest task's share is its seconds over all seconds.
TEST(HouseholdTasks, SpeedUpBoundIsWorkOverSpanOrWorkPerWorker) {
  HouseholdTasks tasks;
  tasks.step_work = {10.0, 10.0};
  tasks.step_span = {1.0, 4.0};
  EXPECT_DOUBLE_EQ(speedup_bound(tasks, 16), 4.0);
  EXPECT_DOUBLE_EQ(speedup_bound(tasks, 2), 2.0);
  tasks.seconds = {1.0, 6.0, 3.0};
  EXPECT_DOUBLE_EQ(largest_task_share(tasks), 0.6);
  EXPECT_EQ(speedup_bound(HouseholdTasks{}, 16), 0.0);
}

// A run times every task of every step: one work and span a step, the span within the work.
TEST(HouseholdTasks, EveryStepRecordsItsWorkAndSpan) {
  Model model(household_scenario(1e6, 3));
  model.simulation().run({.steps = 5, .threads = 1});
  const HouseholdTasks& tasks = model.world().districts.tasks;
  ASSERT_EQ(tasks.step_work.size(), 5U);
  ASSERT_GE(tasks.count(), 1U);
  EXPECT_EQ(tasks.starts.back(), model.world().districts.size());
  for (std::size_t s = 0; s < 5; ++s) {
    EXPECT_GT(tasks.step_span[s], 0.0);
    EXPECT_LE(tasks.step_span[s], tasks.step_work[s]);
  }
  EXPECT_GT(largest_task_share(tasks), 0.0);
  EXPECT_LE(largest_task_share(tasks), 1.0);
}

}  // namespace
}  // namespace aidflow::model
