// The household phase's tasks: consecutive small districts grouped (people/households.cpp), and
// the figures the benchmark reads from their measured times (state/people.hpp).
#include <gtest/gtest.h>

#include "model/model.hpp"
#include "model/people/households.hpp"
#include "tiny_scenario.hpp"

namespace aidflow::model {
namespace {

ScenarioSpec small_country() {
  ScenarioSpec spec = testing::pass_through_scenario();
  spec.run.households = 1000;
  spec.geography.population = 1e6;
  return spec;
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
  EXPECT_DOUBLE_EQ(tasks.speedup_bound(16), 4.0);
  EXPECT_DOUBLE_EQ(tasks.speedup_bound(2), 2.0);
  tasks.seconds = {1.0, 6.0, 3.0};
  EXPECT_DOUBLE_EQ(tasks.largest_share(), 0.6);
  EXPECT_EQ(HouseholdTasks{}.speedup_bound(16), 0.0);
}

// A run times every task of every step: one work and span a step, the span within the work.
TEST(HouseholdTasks, EveryStepRecordsItsWorkAndSpan) {
  Model model(small_country());
  model.simulation().run({.steps = 5, .threads = 1});
  const HouseholdTasks& tasks = model.world().districts.tasks;
  ASSERT_EQ(tasks.step_work.size(), 5U);
  ASSERT_GE(tasks.count(), 1U);
  EXPECT_EQ(tasks.starts.back(), model.world().districts.size());
  for (std::size_t s = 0; s < 5; ++s) {
    EXPECT_GT(tasks.step_span[s], 0.0);
    EXPECT_LE(tasks.step_span[s], tasks.step_work[s]);
  }
  EXPECT_GT(tasks.largest_share(), 0.0);
  EXPECT_LE(tasks.largest_share(), 1.0);
}

}  // namespace
}  // namespace aidflow::model
