// Reading the levers: the policy section and its timeline (monitoring, counter-ISIS aid,
// conditionality), what observers see, sanctions, Pakistan pressure and the hostage policy.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>

#include "model/spec/labels.hpp"
#include "scenario/references.hpp"
#include "scenario/sections.hpp"

namespace aidflow::scenario {

using model::ScenarioSpec;

namespace {

// counter_isis_aid: money a donor routes through one channel into a security-purpose sector.
void read_counter_isis_aid(MapReader a, const ScenarioSpec& spec, model::CounterIsisAidSpec& aid) {
  aid.usd_per_year = a.number("usd_per_year", {0.0, kMaxUsd}, 0.0);
  if (aid.usd_per_year > 0.0 || a.has("donor") || a.has("channel") || a.has("sector")) {
    // All three have no default: name every one still needed at once.
    std::vector<std::string> missing;
    for (const char* key : {"donor", "channel", "sector"}) {
      if (!a.has(key)) missing.push_back(key);
    }
    if (!missing.empty()) {
      throw InputError(a.where(""), a.path(),
                       "counter-ISIS aid needs a donor, a channel and a sector (ids of this "
                       "scenario; the sector with purpose: security); missing: " +
                           join(missing));
    }
    aid.donor = resolve(a, "donor", ids_of(spec.donors), "donor");
    aid.channel = resolve(a, "channel", ids_of(spec.channels), "channel");
    aid.sector = resolve(a, "sector", ids_of(spec.sectors), "sector");
    if (spec.sectors[static_cast<std::size_t>(aid.sector)].purpose !=
        model::SectorPurpose::Security) {
      a.fail("sector",
             "expected a sector with purpose: security (counter-ISIS money buys "
             "operations), got \"" +
                 spec.sectors[static_cast<std::size_t>(aid.sector)].id + "\"");
    }
  }
  a.finish();
}

void read_conditionality(MapReader& p, const ScenarioSpec& spec, model::PolicySpec& policy) {
  if (!p.has("conditionality")) return;
  const auto kinds = model::names_of(model::kChannelKindNames);
  p.list("conditionality", 16, [&](MapReader& c) {
    model::ConditionSpec rule;
    rule.donors = resolve_list(c, "donors", ids_of(spec.donors), "donor", WhenAbsent::Every);
    if (!c.has("aid_types"))
      c.fail("aid_types",
             "required key is missing: expected a list of channel kinds, such as [budget_support]");
    for (int kind : resolve_list(c, "aid_types", kinds, "channel kind", WhenAbsent::None)) {
      rule.aid_types[static_cast<std::size_t>(kind)] = true;
    }
    rule.trigger =
        static_cast<model::Trigger>(c.choice("trigger", model::names_of(model::kTriggerNames)));
    if (c.has("faction")) {
      rule.faction = resolve(c, "faction", ids_of(spec.factions), "faction");
    }
    rule.threshold = c.number("threshold", {0.0, 1e9});
    rule.suspension_weeks = static_cast<int>(c.integer("suspension_weeks", 1, 5200, 26));
    rule.review_weeks = static_cast<int>(c.integer("review_weeks", 1, 520, 13));
    rule.humanitarian_carve_out = c.boolean("humanitarian_carve_out", true);
    rule.multilateral = c.boolean("multilateral", false);
    rule.substitution = c.number("substitution", kShare, 0.0);
    policy.conditionality.push_back(rule);
  });
}

// Every lever of a policy section (not its timeline). Used for the section itself and for each
// timeline entry merged over it, so a later period is validated exactly like the first.
void read_levers(MapReader& p, const ScenarioSpec& spec, model::PolicySpec& policy) {
  policy.humanitarian_only = p.boolean("humanitarian_only", false);
  MapReader m = p.map("monitoring");
  policy.monitoring.third_party = m.number("third_party", kShare, 0.0);
  policy.monitoring.effect = m.number("effect", kShare, 0.5);
  policy.monitoring.cost_share = m.number("cost_share", {0.0, 0.5}, 0.02);
  m.finish();
  read_counter_isis_aid(p.map("counter_isis_aid"), spec, policy.counter_isis_aid);
  read_conditionality(p, spec, policy);
}

// A timeline entry's `at`: a step number, or a date (the step whose week holds it).
int read_at(MapReader& e, const ScenarioSpec& spec) {
  const SourceNode* at = e.node().find("at");
  if (!at) e.fail("at", "required key is missing: expected a step number or a date YYYY-MM-DD");
  if (at->kind == SourceNode::Kind::Scalar && !at->quoted &&
      std::all_of(at->scalar.begin(), at->scalar.end(), ::isdigit)) {
    return static_cast<int>(e.integer("at", 1, spec.run.steps - 1));
  }
  // A number that is no step (-5, 2.5) is neither: say what `at` takes, not "a text value".
  if (at->kind == SourceNode::Kind::Scalar && !at->quoted && !at->scalar.empty()) {
    char* end = nullptr;
    std::strtod(at->scalar.c_str(), &end);
    if (*end == '\0') {
      e.fail("at", "expected a step (a whole number from 1 to " +
                       std::to_string(spec.run.steps - 1) + ") or a date YYYY-MM-DD, got " +
                       excerpt(at->scalar));
    }
  }
  const std::string text = e.text("at");
  const auto day = read_date(e, "at", text);
  const auto start = spec.run.start_date;
  const auto weeks = (day - start).count() / 7;
  if (day < start + std::chrono::days{7} || weeks >= spec.run.steps) {
    e.fail("at", "expected a date in the run after its first week (" + model::iso_date(start) +
                     " + 1 week to the last step), got " + text);
  }
  return static_cast<int>(weeks);
}

// policy.timeline: each entry (at: step or date, then any levers) is merged over the policy in
// force before it, so a lever starts at one entry and stops at a later one.
void read_timeline(MapReader& p, ScenarioSpec& spec) {
  if (!p.has("timeline")) return;
  const SourceNode& list = *p.node().find("timeline");
  if (list.kind != SourceNode::Kind::Sequence) {
    p.fail_type("timeline", "a list of entries, each with `at` and the levers that change", list);
  }
  SourceNode current = p.node();
  current.erase("timeline");
  int last = 0;
  for (std::size_t i = 0; i < list.children.size(); ++i) {
    const SourceNode& entry = list.children[i];
    const std::string path = item_path(child_path(p.path(), "timeline"), i);
    if (entry.kind != SourceNode::Kind::Map) {
      throw InputError(entry.where, path, "expected a mapping with `at`, got " + entry.describe());
    }
    MapReader e(entry, path);
    const int step = read_at(e, spec);
    if (step <= last) {
      e.fail("at", "timeline entries must move forward in time: step " + std::to_string(step) +
                       " is not after step " + std::to_string(last));
    }
    last = step;
    SourceNode change = entry;
    change.erase("at");
    merge_into(current, change);
    MapReader merged(current, path);
    model::PolicyPeriod period{.from_step = step};
    read_levers(merged, spec, period.policy);
    merged.finish();
    spec.policy_timeline.push_back(period);
  }
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
  std::vector<std::string> ids;
  root.list("sanctions", 32, [&](MapReader& s) {
    model::SanctionSpec sanction;
    // An id is optional: with one on every entry, a scenario that extends another adds to its
    // sanctions (lists merge by id) instead of replacing them.
    if (s.has("id")) {
      const std::string id = s.identifier("id");
      if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
        s.fail("id", "duplicate id \"" + id + "\": ids must be unique in sanctions");
      }
      ids.push_back(id);
    }
    read_sanction_target(s, spec, sanction);
    sanction.start_step = read_step(s, "start_step", 0);
    sanction.enforcement = s.number("enforcement", kShare, sanction.enforcement);
    sanction.evasion_per_step = per_step(s, "evasion_per_year", {0.0, 52.0}, 0.0);
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
  rules.release_per_step = per_step(h, "release_per_year", {0.0, 52.0}, 0.0);
  rules.loss_per_step = per_step(h, "loss_per_year", {0.0, 52.0}, 0.0);
  rules.ransom_usd = h.number("ransom_usd", {0.0, 1e10}, 0.0);
  rules.prisoner_share = h.number("prisoner_share", kShare, rules.prisoner_share);
  rules.prisoners_per_exchange =
      h.number("prisoners_per_exchange", {0.0, 1e4}, rules.prisoners_per_exchange);
  h.finish();
}

}  // namespace

void read_policy(MapReader p, ScenarioSpec& spec) {
  read_levers(p, spec, spec.policy);
  read_timeline(p, spec);
  p.finish();
}

void read_signals(MapReader s, model::SignalsSpec& signals) {
  signals.lag_weeks = static_cast<int>(s.integer("lag_weeks", 1, 104, signals.lag_weeks));
  signals.window_weeks = static_cast<int>(s.integer("window_weeks", 1, 104, signals.window_weeks));
  signals.noise_sd = s.number("noise_sd", {0.0, 3.0}, signals.noise_sd);
  signals.detection_base = s.number("detection_base", kShare, signals.detection_base);
  signals.detection_monitored =
      s.number("detection_monitored", kShare, signals.detection_monitored);
  s.finish();
}

void read_external_levers(MapReader& root, ScenarioSpec& spec) {
  read_sanctions(root, spec);
  read_pressure(root.map("pakistan_pressure"), spec, spec.pakistan_pressure);
  read_hostage_rules(root.map("hostages"), spec.hostages);
}

}  // namespace aidflow::scenario
