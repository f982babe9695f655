// Reading patron states and sponsors, the coalition and its envoy (S9, S18, S19).
#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "scenario/references.hpp"
#include "scenario/sections.hpp"

namespace aidflow::scenario {

using model::ScenarioSpec;

namespace {

void read_threat(MapReader t, const std::vector<std::string>& factions, model::ThreatSpec& threat) {
  threat.feared = resolve_list(t, "feared", factions, "faction", WhenAbsent::None);
  threat.attacks = t.number("attacks", {-10.0, 10.0}, 0.0);
  threat.northern_influence = t.number("northern_influence", {-100.0, 100.0}, 0.0);
  threat.refugee_inflow = t.number("refugee_inflow", {-100.0, 100.0}, 0.0);
  threat.attacks_abroad = t.number("attacks_abroad", {-10.0, 10.0}, 0.0);
  t.finish();
}

// strategic_depth makes a state's support a choice; only states choose (sponsors pay as told).
void read_support_choice(MapReader& p, model::PatronSpec& patron) {
  if (!p.has("strategic_depth")) {
    if (p.has("adjustment_per_week")) {
      p.fail("adjustment_per_week",
             "expected with strategic_depth: a patron without one pays "
             "its support as the scenario says");
    }
    return;
  }
  if (patron.kind != model::PatronKind::State) {
    p.fail("strategic_depth",
           "expected only for kind: state (a sponsor pays as the scenario says)");
  }
  patron.chooses_support = true;
  patron.strategic_depth = p.number("strategic_depth", {0.0, 100.0});
  patron.adjustment_per_week =
      p.number("adjustment_per_week", {0.0, 1.0, true}, patron.adjustment_per_week);
}

void read_patrons(MapReader& root, ScenarioSpec& spec) {
  if (!root.has("patrons")) return;
  const auto factions = ids_of(spec.factions);
  root.list("patrons", 16, [&](MapReader& p) {
    model::PatronSpec patron;
    patron.id = p.identifier("id");
    const auto known = ids_of(spec.patrons);
    if (std::find(known.begin(), known.end(), patron.id) != known.end()) {
      p.fail("id", "duplicate id \"" + patron.id + "\": ids must be unique in patrons");
    }
    patron.name = p.text("name", patron.id);
    patron.kind = static_cast<model::PatronKind>(
        p.choice("kind", {model::kPatronKindNames.begin(), model::kPatronKindNames.end()}, 0));
    if (p.has("support")) {
      p.list("support", 16, [&](MapReader& s) {
        patron.support.push_back({.faction = resolve(s, "faction", factions, "faction"),
                                  .usd_per_year = s.number("usd_per_year", {0.0, kMaxUsd})});
      });
    }
    read_threat(p.map("threat"), factions, patron.threat);
    patron.base_willingness = p.number("base_willingness", {-10.0, 10.0}, 0.0);
    patron.envoy_response = p.number("envoy_response", {0.0, 10.0}, 1.0);
    patron.coverage = p.number("coverage", kShare, 0.0);
    read_support_choice(p, patron);
    spec.patrons.push_back(patron);
  });
}

void read_envoy(MapReader e, model::EnvoySpec& envoy) {
  envoy.enabled = e.boolean("enabled", false);
  envoy.start_step = read_step(e, "start_step", 0);
  envoy.effect = e.number("effect", {0.0, 10.0}, envoy.effect);
  envoy.ramp_weeks = static_cast<int>(e.integer("ramp_weeks", 0, 520, envoy.ramp_weeks));
  e.finish();
}

void read_coalition(MapReader c, const ScenarioSpec& spec, model::CoalitionSpec& coalition) {
  coalition.lead_coverage = c.number("lead_coverage", kShare, coalition.lead_coverage);
  coalition.members = resolve_list(c, "members", ids_of(spec.patrons), "patron", WhenAbsent::None);
  for (std::size_t i = 0; i < coalition.members.size(); ++i) {
    const model::PatronSpec& p = spec.patrons[static_cast<std::size_t>(coalition.members[i])];
    if (p.kind == model::PatronKind::State) continue;
    throw InputError(
        c.node().find("members")->children[i].where, item_path(child_path(c.path(), "members"), i),
        "\"" + p.id + "\" is not a state (kind: non_state): only states join the coalition");
  }
  coalition.review_weeks = static_cast<int>(c.integer("review_weeks", 1, 520, 13));
  coalition.join_threshold = c.number("join_threshold", {-10.0, 10.0}, coalition.join_threshold);
  coalition.leave_threshold = c.number("leave_threshold", {-10.0, 10.0}, coalition.leave_threshold);
  if (coalition.leave_threshold > coalition.join_threshold) {
    std::ostringstream join;
    join << coalition.join_threshold;
    c.fail("leave_threshold", "expected at most join_threshold (" + join.str() +
                                  "): a state would leave as soon as it joined");
  }
  coalition.commitment = c.number("commitment", {0.0, 100.0}, coalition.commitment);
  read_envoy(c.map("envoy"), coalition.envoy);
  c.finish();
}

}  // namespace

void read_patrons_and_coalition(MapReader& root, ScenarioSpec& spec) {
  read_patrons(root, spec);
  read_coalition(root.map("coalition"), spec, spec.coalition);
}

}  // namespace aidflow::scenario
