// The calendar of a run: one parse of the start date (the loader's), days of the year with leap
// years, the week of the year seasonality starts from, and the calendar years the run touches.
#include <gtest/gtest.h>

#include "model/aid/disbursement.hpp"
#include "model/spec/run.hpp"
#include "model/state/world.hpp"
#include "tiny_scenario.hpp"

namespace aidflow::model {
namespace {

using std::chrono::sys_days;
using std::chrono::year;

TEST(Calendar, IsoDateWritesWhatTheLoaderReads) {
  EXPECT_EQ(iso_date(sys_days{year{2021} / 8 / 16}), "2021-08-16");
  EXPECT_EQ(iso_date(sys_days{year{2024} / 2 / 29}), "2024-02-29");
}

TEST(Calendar, DayOfYearCountsTheLeapDay) {
  EXPECT_EQ(day_of_year(sys_days{year{2023} / 3 / 1}), 59);
  EXPECT_EQ(day_of_year(sys_days{year{2024} / 3 / 1}), 60);  // after 29 February
  EXPECT_EQ(day_of_year(sys_days{year{2024} / 12 / 31}), 365);
}

TEST(Calendar, WeekOfYearAfterALeapDay) {
  ScenarioSpec spec = testing::leaky_scenario();
  // 4 March 2024 is day 63 of its year, so in week 9; a table without 29 February said day 62
  // and week 8.
  spec.run.start_date = sys_days{year{2024} / 3 / 4};
  EXPECT_EQ(World(spec).start_week_of_year, 9);
  spec.run.start_date = sys_days{year{2023} / 3 / 4};  // day 62 of a common year
  EXPECT_EQ(World(spec).start_week_of_year, 8);
}

// A year's weeks count from the run's start to the year's end, past the run's end when it stops
// within the year: a year's budget is spread over the year's weeks, not piled into the run's.
TEST(Calendar, YearsOfTheRunSplitAtTheNewYear) {
  ScenarioSpec spec = testing::leaky_scenario();
  spec.run.start_date = sys_days{year{2021} / 12 / 20};
  spec.run.steps = 4;  // weeks starting 20 and 27 December, 3 and 10 January
  const World world(spec);
  ASSERT_EQ(world.calendar.size(), 2u);
  EXPECT_EQ(world.calendar[0].year, 2021);
  EXPECT_EQ(world.calendar[0].weeks, 2);
  EXPECT_EQ(world.calendar[1].year, 2022);
  EXPECT_EQ(world.calendar[1].first_step, 2);
  EXPECT_EQ(world.calendar[1].weeks, 52) << "3 January to 26 December 2022, the run or not";
}

// So a shorter run of a scenario with budgets by year disburses, week by week, what a longer one
// does in the same weeks (before, a 26-week run paid the whole year's budget in 26 weeks).
TEST(Calendar, AShorterRunDisbursesTheSameWeeksAsALongerOne) {
  ScenarioSpec spec = testing::leaky_scenario();
  spec.run.start_date = sys_days{year{2022} / 1 / 3};
  for (DonorSpec& donor : spec.donors) donor.budget_by_year = {{2022, 52e6}};
  const auto disbursed = [&](int steps) {
    spec.run.steps = steps;
    World world(spec);
    std::vector<Cents> weeks;
    for (int step = 0; step < steps; ++step) weeks.push_back(budget_of_week(world, 0, step));
    return weeks;
  };
  const std::vector<Cents> half = disbursed(26), whole = disbursed(52);
  EXPECT_EQ(half, std::vector<Cents>(whole.begin(), whole.begin() + 26));
  EXPECT_EQ(half.front(), 100'000'000) << "$52M over 52 weeks: $1M a week";
}

}  // namespace
}  // namespace aidflow::model
