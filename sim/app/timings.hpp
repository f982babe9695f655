#pragma once
// `aidflow run --timings`: where a run's time and memory went, one figure a line
// ("timing NAME SECONDS", "rate NAME PER_SECOND", "memory NAME VALUE") for tests/bench/national.sh
// to read.
#include <ostream>

#include "engine/simulation.hpp"
#include "model/state/world.hpp"

namespace aidflow::app {

struct RunTimes {
  double startup = 0.0;   // loading the scenario, building the world, creating the output
  double stepping = 0.0;  // all steps, phases and recorders
  double output = 0.0;    // writing what is left and closing the file
};

void print_timings(const model::World& world, const engine::Simulation& simulation,
                   const RunTimes& times, std::ostream& out);

}  // namespace aidflow::app
