#include "scenario/levers_loader.hpp"

#include <algorithm>
#include <sstream>

#include "scenario/references.hpp"

namespace aidflow::scenario {
namespace {

using model::ScenarioSpec;

constexpr Range kShare{0.0, 1.0};
constexpr double kMaxUsd = 1e12;
constexpr int kMaxStep = 5200;

int read_step(MapReader& r, const std::string& key, int fallback) {
  return static_cast<int>(r.integer(key, 0, kMaxStep, fallback));
}

void read_threat(MapReader t, const std::vector<std::string>& factions, model::ThreatSpec& threat) {
  threat.feared = resolve_list(t, "feared", factions, "faction", WhenAbsent::None);
  threat.attacks = t.number("attacks", {-10.0, 10.0}, 0.0);
  threat.northern_influence = t.number("northern_influence", {-100.0, 100.0}, 0.0);
  threat.refugee_inflow = t.number("refugee_inflow", {-100.0, 100.0}, 0.0);
  t.finish();
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
  read_envoy(c.map("envoy"), coalition.envoy);
  c.finish();
}

// An edge sanction names an alliance edge that exists; a treasury sanction names a faction.
void read_sanction_target(MapReader& s, const ScenarioSpec& spec, model::SanctionSpec& sanction) {
  const auto factions = ids_of(spec.factions);
  sanction.target = static_cast<model::SanctionTarget>(
      s.choice("target", {model::kSanctionTargetNames.begin(), model::kSanctionTargetNames.end()}));
  if (sanction.target == model::SanctionTarget::Treasury) {
    sanction.faction = resolve(s, "faction", factions, "faction");
    sanction.freeze_per_step = s.number("freeze_per_week", kShare, 0.01);
    return;
  }
  sanction.from = resolve(s, "from", factions, "faction");
  sanction.to = resolve(s, "to", factions, "faction");
  const bool edge = std::any_of(spec.alliances.begin(), spec.alliances.end(), [&](auto& a) {
    return a.from == sanction.from && a.to == sanction.to;
  });
  if (!edge) {
    s.fail("to", "no alliance from " + factions[static_cast<std::size_t>(sanction.from)] + " to " +
                     factions[static_cast<std::size_t>(sanction.to)] +
                     ": an edge sanction needs an alliance edge to act on");
  }
}

void read_sanctions(MapReader& root, ScenarioSpec& spec) {
  if (!root.has("sanctions")) return;
  root.list("sanctions", 32, [&](MapReader& s) {
    model::SanctionSpec sanction;
    read_sanction_target(s, spec, sanction);
    sanction.start_step = read_step(s, "start_step", 0);
    sanction.enforcement = s.number("enforcement", kShare, sanction.enforcement);
    sanction.evasion_per_step =
        s.number("evasion_per_year", {0.0, 52.0}, 0.0) / model::kStepsPerYear;
    spec.sanctions.push_back(sanction);
  });
}

void read_pressure(MapReader p, const ScenarioSpec& spec, model::PressureSpec& pressure) {
  pressure.enabled = p.boolean("enabled", false);
  if (pressure.enabled || p.has("patron")) {
    pressure.patron = resolve(p, "patron", ids_of(spec.patrons), "patron");
  }
  pressure.start_step = read_step(p, "start_step", 0);
  pressure.strength = p.number("strength", kShare, pressure.strength);
  pressure.delay_weeks = static_cast<int>(p.integer("delay_weeks", 0, 520, pressure.delay_weeks));
  pressure.adjustment_per_week =
      p.number("adjustment_per_week", kShare, pressure.adjustment_per_week);
  p.finish();
}

void read_hostage_rules(MapReader h, model::HostageRulesSpec& rules) {
  rules.policy = static_cast<model::HostagePolicy>(h.choice(
      "policy", {model::kHostagePolicyNames.begin(), model::kHostagePolicyNames.end()}, 0));
  rules.damping_max = h.number("damping_max", kShare, rules.damping_max);
  rules.damping_half_hostages =
      h.number("damping_half_hostages", {0.0, 1e4, true}, rules.damping_half_hostages);
  rules.release_per_step = h.number("release_per_year", {0.0, 52.0}, 0.0) / model::kStepsPerYear;
  rules.loss_per_step = h.number("loss_per_year", {0.0, 52.0}, 0.0) / model::kStepsPerYear;
  rules.ransom_usd = h.number("ransom_usd", {0.0, 1e10}, 0.0);
  rules.prisoner_share = h.number("prisoner_share", kShare, rules.prisoner_share);
  rules.prisoners_per_exchange =
      h.number("prisoners_per_exchange", {0.0, 1e4}, rules.prisoners_per_exchange);
  h.finish();
}

}  // namespace

void read_hostage_taking(MapReader h, model::HostageTakingSpec& hostages) {
  hostages.take_per_step = h.number("take_per_year", {0.0, 520.0}, 0.0) / model::kStepsPerYear;
  hostages.initial = static_cast<int>(h.integer("initial", 0, 10000, 0));
  h.finish();
}

void read_patrons_and_levers(MapReader& root, ScenarioSpec& spec) {
  read_patrons(root, spec);
  read_coalition(root.map("coalition"), spec, spec.coalition);
  read_sanctions(root, spec);
  read_pressure(root.map("pakistan_pressure"), spec, spec.pakistan_pressure);
  read_hostage_rules(root.map("hostages"), spec.hostages);
}

}  // namespace aidflow::scenario
