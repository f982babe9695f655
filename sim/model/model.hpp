#pragma once
// A runnable model: the world built from a spec and the simulation stepping it, with the phases
// of MODEL.md in order. Phases not yet modelled (signals, hostages) are added here as they are
// built.
#include <memory>

#include "engine/simulation.hpp"
#include "model/phases.hpp"
#include "model/world.hpp"

namespace aidflow::model {

class Model {
 public:
  explicit Model(const ScenarioSpec& spec) : world_(spec), simulation_(world_.ledger) {
    simulation_.add_books(world_.factions.accounts);
    // This step's events start empty; the recorder takes them at the end of the step.
    simulation_.add_phase({"start", [this](int) { world_.events.clear(); }});
    simulation_.add_phase({"signals", [this](int s) { observe(world_, s); }});
    simulation_.add_phase({"policy", [this](int s) { apply_policy(world_, s); }});
    simulation_.add_phase({"disbursement", [this](int s) { disburse(world_, s); }});
    simulation_.add_phase({"routing", [this](int s) { route(world_, s); }});
    simulation_.add_phase({"households", [this](int s) { update_households(world_, s); }});
    simulation_.add_phase({"factions", [this](int s) { update_factions(world_, s); }});
    simulation_.add_phase({"attacks", [this](int s) { run_attacks(world_, s); }});
    // What observers will come to know of this step, for the signals of later steps.
    simulation_.add_phase({"truth", [this](int s) { record_truth(world_, s); }});
  }
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  World& world() { return world_; }
  const World& world() const { return world_; }
  engine::Simulation& simulation() { return simulation_; }

 private:
  World world_;
  engine::Simulation simulation_;
};

}  // namespace aidflow::model
