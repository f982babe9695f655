// The calendar of a run: one parse of the start date (the loader's), days of the year with leap
// years, the week of the year seasonality starts from, and the calendar years the run touches.
#include <gtest/gtest.h>

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
  EXPECT_EQ(world.calendar[1].weeks, 2);
}

}  // namespace
}  // namespace aidflow::model
