#include "model/model.hpp"

#include "model/aid/disbursement.hpp"
#include "model/aid/routing.hpp"
#include "model/armed/attacks.hpp"
#include "model/armed/balance.hpp"
#include "model/armed/economy.hpp"
#include "model/armed/hostages.hpp"
#include "model/patrons/coalition.hpp"
#include "model/patrons/patrons.hpp"
#include "model/people/geography.hpp"
#include "model/people/households.hpp"
#include "model/policy/policy_state.hpp"
#include "model/policy/sanctions.hpp"
#include "model/policy/signals.hpp"

namespace aidflow::model {
namespace {

// What the mechanisms derive from the world before the first step: each wing's strength for the
// balance between wings (S21), the leverage of hostages already held (Frerichs, held since Jan
// 2020), the country's districts and households, where each group's fighters are, and the channel
// shares the levers give.
void settle_start(World& world) {
  const ScenarioSpec& spec = world.spec;
  for (std::size_t f = 0; f < spec.factions.size(); ++f) {
    world.factions.initial_strength.push_back(
        strength(world, f, spec.factions[f].fighters, spec.factions[f].treasury_usd));
  }
  double held = 0.0;
  for (const auto& f : spec.factions) held += f.hostages.initial;
  world.policy.enforcement_damping = hostage_damping(spec.hostages, held);
  generate_geography(world);
  place_fighters(world);
  update_channel_shares(world);
}

}  // namespace

Model::Model(const ScenarioSpec& spec) : world_(spec), simulation_(world_.ledger) {
  settle_start(world_);
  simulation_.add_books(world_.factions.accounts);
  // This step's events start empty; the recorder takes them at the end of the step.
  simulation_.add_phase({"start", [this](int) { world_.events.clear(); }});
  simulation_.add_phase({"signals", [this](int s) { observe(world_, s); }});
  simulation_.add_phase({"policy", [this](int s) { apply_policy(world_, s); }});
  // Phase 2 continued: threats and the envoy move the coalition, whose coverage (and hostage
  // leverage) sets each sanction's cut; each state chooses the support it keeps paying against
  // its threat, the coalition's commitment and pressure (S18-S20).
  simulation_.add_phase({"coalition", [this](int s) { review_coalition(world_, s); }});
  simulation_.add_phase({"sanctions", [this](int s) { update_sanctions(world_, s); }});
  simulation_.add_phase({"support", [this](int s) { choose_support(world_, s); }});
  simulation_.add_phase({"disbursement", [this](int s) { disburse(world_, s); }});
  simulation_.add_phase({"routing", [this](int s) { route(world_, s); }});
  simulation_.add_phase({"households", [this](int s) { update_households(world_, s); }});
  simulation_.add_phase({"factions", [this](int s) { update_factions(world_, s); }});
  simulation_.add_phase({"attacks", [this](int s) { run_attacks(world_, s); }});
  simulation_.add_phase({"hostages", [this](int s) { run_hostages(world_, s); }});
  // What observers will come to know of this step, for the signals of later steps.
  simulation_.add_phase({"truth", [this](int s) { record_truth(world_, s); }});
}

}  // namespace aidflow::model
