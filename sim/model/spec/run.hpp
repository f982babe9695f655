#pragma once
// The run itself: length, seed, start date and resolution.
// Part of ScenarioSpec (model/spec/scenario.hpp): validated, with ids resolved to indices and rates
// per step.
#include <cstdint>
#include <string>

namespace aidflow::model {

inline constexpr int kStepsPerYear = 52;

struct RunSpec {
  int steps = 260;
  std::uint64_t seed = 1;
  std::string start_date = "2022-01-03";
  std::int64_t households = 20000;
};

}  // namespace aidflow::model
