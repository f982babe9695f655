#pragma once
// A small scenario for the levers that act on armed groups from outside (patrons, the coalition,
// sanctions, hostages): two groups that leak nothing from aid, `a` paid $1M a week by one patron
// state and passing half its income to `b`, so every cent of a's income is the patron's.
#include "model/spec/scenario.hpp"
#include "tiny_scenario.hpp"

namespace aidflow::testing {

inline model::ScenarioSpec patron_and_ally() {
  model::ScenarioSpec spec = pass_through_scenario();
  spec.factions = {{.id = "a", .name = "a", .influence = 0.3},
                   {.id = "b", .name = "b", .influence = 0.1}};
  spec.alliances = {{.from = 0, .to = 1, .kind = "protection", .income_share = 0.5}};
  spec.armed_groups.attrition_per_step = 0.0;
  spec.patrons = {{.id = "isi",
                   .name = "isi",
                   .kind = model::PatronKind::State,
                   .support = {{.faction = 0, .usd_per_year = 52e6}},
                   .coverage = 0.5}};
  spec.coalition.lead_coverage = 0.2;
  return spec;
}

}  // namespace aidflow::testing
