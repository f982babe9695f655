#pragma once
// A runnable model: the world built from a spec and the simulation stepping it, with the phases
// of MODEL.md in order.
#include <memory>

#include "engine/simulation.hpp"
#include "model/phases.hpp"
#include "model/policy/hostages.hpp"
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
    // Phase 2 continued: threats and the envoy move the coalition, whose coverage (and hostage
    // leverage) sets each sanction's cut; pressure moves the ISI's support (S18-S20).
    simulation_.add_phase({"coalition", [this](int s) { review_coalition(world_, s); }});
    simulation_.add_phase({"sanctions", [this](int s) { update_sanctions(world_, s); }});
    simulation_.add_phase({"pressure", [this](int s) { apply_pressure(world_, s); }});
    simulation_.add_phase({"disbursement", [this](int s) { disburse(world_, s); }});
    simulation_.add_phase({"routing", [this](int s) { route(world_, s); }});
    simulation_.add_phase({"households", [this](int s) { update_households(world_, s); }});
    simulation_.add_phase({"factions", [this](int s) { update_factions(world_, s); }});
    simulation_.add_phase({"attacks", [this](int s) { run_attacks(world_, s); }});
    simulation_.add_phase({"hostages", [this](int s) { run_hostages(world_, s); }});
    // What observers will come to know of this step, for the signals of later steps.
    simulation_.add_phase({"truth", [this](int s) { record_truth(world_, s); }});
  }
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
