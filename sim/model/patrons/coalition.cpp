// Phase 2, the coalition (S4, S18, S19). It starts as the scenario says (empty in the baseline:
// rivalry blocks cooperation, S4). Each state's willingness is its base willingness (negative for
// rivals) plus its threat perception plus the envoy's effect as it reaches that state; at each
// review a state joins once willingness reaches join_threshold and leaves once it falls below
// leave_threshold (the gap keeps a state from flickering in and out on noise). Non-state patrons
// never join. Membership sets sanction coverage and the credibility of multilateral conditions.
#include "model/patrons/coalition.hpp"

#include <algorithm>

#include "model/patrons/patrons.hpp"
#include "model/state/world.hpp"

namespace aidflow::model {
namespace {

void record_change(World& world, int step, std::size_t p, bool joined) {
  world.events.push_back({.kind = joined ? EventKind::CoalitionJoined : EventKind::CoalitionLeft,
                          .step = step,
                          .state = static_cast<int>(p)});
}

bool review_due(const CoalitionSpec& coalition, int step) {
  return step > 0 && step % coalition.review_weeks == 0;
}

}  // namespace

double envoy_effect(const EnvoySpec& envoy, int step) {
  if (!envoy.enabled || step < envoy.start_step) return 0.0;
  const double ramp =
      envoy.ramp_weeks > 0
          ? std::min(1.0, static_cast<double>(step - envoy.start_step + 1) / envoy.ramp_weeks)
          : 1.0;
  return envoy.effect * ramp;
}

double sanction_coverage(const ScenarioSpec& spec, const std::vector<std::uint8_t>& member) {
  double coverage = spec.coalition.lead_coverage;
  for (std::size_t p = 0; p < member.size(); ++p) {
    if (member[p]) coverage += spec.patrons[p].coverage;
  }
  return std::min(1.0, coverage);
}

double credibility(const ScenarioSpec& spec, const std::vector<std::uint8_t>& member) {
  double in = 0.0, all = 0.0;
  for (std::size_t p = 0; p < member.size(); ++p) {
    if (spec.patrons[p].kind != PatronKind::State) continue;
    all += spec.patrons[p].coverage;
    if (member[p]) in += spec.patrons[p].coverage;
  }
  return all > 0.0 ? in / all : 0.0;
}

void review_coalition(World& world, int step) {
  const ScenarioSpec& spec = world.spec;
  Coalition& c = world.coalition;
  perceive_threats(world);
  c.envoy_effect = envoy_effect(spec.coalition.envoy, step);
  for (std::size_t p = 0; p < spec.patrons.size(); ++p) {
    const PatronSpec& patron = spec.patrons[p];
    if (patron.kind != PatronKind::State) continue;  // sponsors, not states: never asked to join
    c.willingness[p] =
        patron.base_willingness + world.patrons.threat[p] + patron.envoy_response * c.envoy_effect;
    // The scenario's founding members are on record from the first step.
    if (step == 0 && c.member[p]) record_change(world, step, p, true);
    if (!review_due(spec.coalition, step)) continue;
    if (!c.member[p] && c.willingness[p] >= spec.coalition.join_threshold) {
      c.member[p] = 1;
      record_change(world, step, p, true);
    } else if (c.member[p] && c.willingness[p] < spec.coalition.leave_threshold) {
      c.member[p] = 0;
      record_change(world, step, p, false);
    }
  }
  world.policy.sanction_coverage = sanction_coverage(spec, c.member);
  world.policy.coalition_credibility = credibility(spec, c.member);
}

}  // namespace aidflow::model
