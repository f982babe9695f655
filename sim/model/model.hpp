#pragma once
// A runnable model: the world built from a spec and the simulation stepping it, with the phases
// of docs/MODEL.md in order. The one file that knows every mechanism; the world's state
// (model/state/) knows none of them.
#include "engine/simulation.hpp"
#include "model/state/world.hpp"

namespace aidflow::model {

class Model {
 public:
  explicit Model(const ScenarioSpec& spec);
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  World& world() { return world_; }
  const World& world() const { return world_; }
  engine::Simulation& simulation() { return simulation_; }
  const engine::Simulation& simulation() const { return simulation_; }

 private:
  World world_;
  engine::Simulation simulation_;
};

}  // namespace aidflow::model
