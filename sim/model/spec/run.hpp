#pragma once
// The run itself: length, seed, start date and resolution.
// Part of ScenarioSpec (model/spec/scenario.hpp): validated, with ids resolved to indices and rates
// per step.
#include <chrono>
#include <cstdint>
#include <string>

namespace aidflow::model {

inline constexpr int kStepsPerYear = 52;
// One step is one week: the calendar of dated inputs, the result files' time axis and the
// outcomes' date windows all count steps in these days.
inline constexpr int kStepDays = 7;

struct RunSpec {
  int steps = 260;
  std::uint64_t seed = 1;
  // The Monday (or any day) the first week starts: parsed once, by the loader; the calendar, dated
  // inputs and the output's time axis all count from it.
  std::chrono::sys_days start_date{std::chrono::year{2022} / 1 / 3};
  std::int64_t households = 20000;
};

// The first day of `step` in a run that starts on `start`.
constexpr std::chrono::sys_days step_start(std::chrono::sys_days start, int step) {
  return start + std::chrono::days{kStepDays * step};
}
// The step `day` falls in (from 0; -1 before the start).
constexpr int step_of(std::chrono::sys_days start, std::chrono::sys_days day) {
  return day < start ? -1 : static_cast<int>((day - start).count() / kStepDays);
}

// A day as YYYY-MM-DD, as scenarios write it and result files record it.
std::string iso_date(std::chrono::sys_days day);
// Days since 1 January of the day's year (0-365: leap years counted).
int day_of_year(std::chrono::sys_days day);

}  // namespace aidflow::model
