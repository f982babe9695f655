#pragma once
// The run itself: length, seed, start date and resolution.
// Part of ScenarioSpec (model/spec/scenario.hpp): validated, with ids resolved to indices and rates
// per step.
#include <chrono>
#include <cstdint>
#include <string>

namespace aidflow::model {

inline constexpr int kStepsPerYear = 52;

struct RunSpec {
  int steps = 260;
  std::uint64_t seed = 1;
  // The Monday (or any day) the first week starts: parsed once, by the loader; the calendar, dated
  // inputs and the output's time axis all count from it.
  std::chrono::sys_days start_date{std::chrono::year{2022} / 1 / 3};
  std::int64_t households = 20000;
};

// A day as YYYY-MM-DD, as scenarios write it and result files record it.
std::string iso_date(std::chrono::sys_days day);
// Days since 1 January of the day's year (0-365: leap years counted).
int day_of_year(std::chrono::sys_days day);

}  // namespace aidflow::model
