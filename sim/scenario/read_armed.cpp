// Reading the armed groups: factions (economy, recruitment, attacks, hostage taking), alliance
// edges, hostilities and the rules shared by every group.
#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "scenario/references.hpp"
#include "scenario/sections.hpp"

namespace aidflow::scenario {

using model::ScenarioSpec;

namespace {

void read_economy(MapReader e, model::EconomySpec& economy) {
  economy.revenue_take = e.number("revenue_take", kShare, 0.0);
  economy.upkeep_usd_per_fighter_week = e.number("upkeep_usd_per_fighter_week", {0.0, 1e5}, 0.0);
  economy.recruit_pay_usd = e.number("recruit_pay_usd", {0.0, 1e6}, 0.0);
  economy.reserve_weeks = e.number("reserve_weeks", {0.0, 520.0}, economy.reserve_weeks);
  economy.drawdown_per_week = e.number("drawdown_per_week", kShare, economy.drawdown_per_week);
  economy.operations_first = e.number("operations_first", kShare, 0.0);
  MapReader priorities = e.map("priorities");
  economy.attack_preparation = priorities.number("attack_preparation", kShare, 0.0);
  economy.infiltration = priorities.number("infiltration", kShare, 0.0);
  economy.assassination = priorities.number("assassination", kShare, 0.0);
  economy.counter_terrorism = priorities.number("counter_terrorism", kShare, 0.0);
  priorities.finish();
  economy.counter_terrorism_usd_per_attack =
      e.number("counter_terrorism_usd_per_attack", {0.0, kMaxUsd}, 0.0);
  economy.northern_influence_per_million_usd =
      e.number("northern_influence_per_million_usd", {0.0, 10.0}, 0.0);
  e.finish();
}

void read_faction_recruitment(MapReader r, model::RecruitmentSpec& recruitment) {
  recruitment.appeal = r.number("appeal", {0.0, 100.0}, 1.0);
  recruitment.capital_reach = r.number("capital_reach", kShare, 0.0);
  MapReader border = r.map("border_reach");
  for (std::size_t b = 0; b < model::kBorderNames.size(); ++b) {
    recruitment.border_reach[b] = border.number(model::kBorderNames[b], kShare, 0.0);
  }
  border.finish();
  r.finish();
}

void read_attacks(MapReader a, model::AttackSpec& attacks) {
  attacks.rate_per_1000_fighters_step = per_step(a, "rate_per_1000_fighters_year", {0.0, 1e4}, 0.0);
  attacks.preparation_half_usd =
      a.number("preparation_half_usd", {0.0, kMaxUsd, true}, attacks.preparation_half_usd);
  attacks.simple_cost_usd = a.number("simple_cost_usd", {0.0, 1e9, true}, attacks.simple_cost_usd);
  attacks.complex_cost_usd =
      a.number("complex_cost_usd", {0.0, 1e10, true}, attacks.complex_cost_usd);
  attacks.complex_share = a.number("complex_share", kShare, 0.0);
  attacks.capital_share = a.number("capital_share", kShare, 0.0);
  attacks.foreign_target_share = a.number("foreign_target_share", kShare, 0.0);
  attacks.security_target_share = a.number("security_target_share", kShare, 0.0);
  attacks.abroad_per_step = per_step(a, "abroad_per_year", {0.0, 520.0}, 0.0);
  a.text("brand", "");  // resolved once every faction id is known (resolve_brands)
  attacks.brand_claim_share = a.number("brand_claim_share", kShare, 0.0);
  attacks.own_claim_share = a.number("own_claim_share", kShare, 1.0);
  a.finish();
}

void read_hostage_taking(MapReader h, model::HostageTakingSpec& hostages) {
  hostages.take_per_step = per_step(h, "take_per_year", {0.0, 520.0}, 0.0);
  hostages.initial = static_cast<int>(h.integer("initial", 0, 10000, 0));
  hostages.payoff_response = h.number("payoff_response", {0.0, 100.0}, 0.0);
  h.finish();
}

// influence_by_province: a relative weight per province (pcode), `others` for the provinces not
// named (default 1). Only the Afghanistan tables have provinces to name.
std::vector<double> read_influence_by_province(MapReader& f, const model::GeographySpec& geo) {
  if (!f.has("influence_by_province")) return {};
  if (geo.source != model::GeographySource::Afghanistan) {
    f.fail("influence_by_province",
           "influence by province names provinces of the Afghanistan tables (geography.source: "
           "afghanistan); a synthetic country spreads influence at random (influence_spread)");
  }
  MapReader weights = f.map("influence_by_province");
  if (weights.node().kind != SourceNode::Kind::Map) {
    f.fail_type("influence_by_province", "a mapping of province code to weight", weights.node());
  }
  const std::vector<std::string> pcodes = province_codes(geo);
  std::vector<double> out(pcodes.size(), weights.number("others", {0.0, 1e4}, 1.0));
  for (std::size_t k = 0; k < weights.node().keys.size(); ++k) {
    const std::string& key = weights.node().keys[k];
    if (key == "others") continue;
    const auto at = std::find(pcodes.begin(), pcodes.end(), key);
    if (at == pcodes.end()) {
      throw InputError(weights.node().key_locations[k], child_path(weights.path(), key),
                       unknown_reference("province", key, pcodes) +
                           "; the keys are province codes (pcode) and others");
    }
    out[static_cast<std::size_t>(at - pcodes.begin())] = weights.number(key, {0.0, 1e4});
  }
  double weighted = 0.0;
  for (const auto& d : geo.district_rows) {
    weighted += d.population * out[static_cast<std::size_t>(d.province)];
  }
  if (!(weighted > 0.0)) {
    f.fail("influence_by_province", "expected a weight above 0 somewhere people live");
  }
  return out;
}

}  // namespace

// attacks.brand names another faction, so it is resolved after the list is read.
void resolve_brands(MapReader& root, ScenarioSpec& spec, const std::vector<std::string>& ids) {
  const SourceNode& list = *root.node().find("factions");
  for (std::size_t i = 0; i < spec.factions.size(); ++i) {
    MapReader item(list.children[i], item_path("factions", i));
    MapReader attacks = item.map("attacks");
    if (!attacks.has("brand") || attacks.text("brand").empty()) continue;
    spec.factions[i].attacks.brand = resolve(attacks, "brand", ids, "faction");
  }
}

void read_factions(MapReader& root, ScenarioSpec& spec) {
  root.list("factions", 16, [&](MapReader& f) {
    model::FactionSpec faction;
    faction.id = f.identifier("id");
    faction.name = f.text("name", faction.id);
    faction.treasury_usd = f.number("treasury_usd", {0.0, kMaxUsd}, 0.0);
    faction.preparation_usd = f.number("preparation_usd", {0.0, kMaxUsd}, 0.0);
    faction.fighters = f.number("fighters", {0.0, 1e7}, 0.0);
    faction.influence = f.number("influence", kShare, 0.0);
    faction.influence_by_province = read_influence_by_province(f, spec.geography);
    faction.local_tax_rate = f.number("local_tax_rate", kShare, 0.0);
    faction.list_manipulation = f.number("list_manipulation", kShare, 0.0);
    faction.holds_ministries = f.boolean("holds_ministries", false);
    read_economy(f.map("economy"), faction.economy);
    read_faction_recruitment(f.map("recruitment"), faction.recruitment);
    read_attacks(f.map("attacks"), faction.attacks);
    read_hostage_taking(f.map("hostages"), faction.hostages);
    spec.factions.push_back(faction);
  });
  double influence = 0.0;
  for (const auto& f : spec.factions) influence += f.influence;
  if (influence > 1.0 + kShareTolerance) {
    root.fail("factions", "faction influences must sum to at most 1, but they sum to " +
                              std::to_string(influence));
  }
}

// Directed money edges between factions (S6, S8, S16).
void read_alliances(MapReader& root, ScenarioSpec& spec, const std::vector<std::string>& factions) {
  if (!root.has("alliances")) return;
  root.list("alliances", 64, [&](MapReader& a) {
    model::AllianceSpec edge;
    edge.from = resolve(a, "from", factions, "faction");
    edge.to = resolve(a, "to", factions, "faction");
    if (edge.from == edge.to) a.fail("to", "expected another faction than from");
    edge.kind = a.text("kind", "support");
    edge.income_share = a.number("income_share", kShare, 0.0);
    edge.usd_per_year = a.number("usd_per_year", {0.0, kMaxUsd}, 0.0);
    if (a.has("cash_ceiling_reserves")) {
      edge.cash_ceiling_reserves = a.number("cash_ceiling_reserves", {0.0, 100.0});
    }
    spec.alliances.push_back(edge);
  });
  double promised = 0.0;
  for (std::size_t f = 0; f < factions.size(); ++f) {
    promised = 0.0;
    for (const auto& edge : spec.alliances) {
      if (edge.from == static_cast<int>(f)) promised += edge.income_share;
    }
    if (promised > 1.0 + kShareTolerance) {
      root.fail("alliances", "the income shares " + factions[f] +
                                 " passes on sum to more than 1 (" + std::to_string(promised) +
                                 ")");
    }
  }
}

void read_hostilities(MapReader& root, ScenarioSpec& spec,
                      const std::vector<std::string>& factions) {
  if (!root.has("hostilities")) return;
  root.list("hostilities", 64, [&](MapReader& h) {
    model::Hostility hostility;
    hostility.by = resolve(h, "by", factions, "faction");
    hostility.against = resolve(h, "against", factions, "faction");
    if (hostility.by == hostility.against) h.fail("against", "expected another faction than by");
    spec.hostilities.push_back(hostility);
  });
}

void read_armed_groups(MapReader a, model::ArmedGroupsSpec& g) {
  g.attrition_per_step = per_step(a, "attrition_per_year", kShare, g.attrition_per_step);
  g.unpaid_desertion_per_week =
      a.number("unpaid_desertion_per_week", kShare, g.unpaid_desertion_per_week);
  g.prestige_half_life_weeks =
      a.number("prestige_half_life_weeks", {0.0, 520.0, true}, g.prestige_half_life_weeks);
  g.prestige_per_casualty = a.number("prestige_per_casualty", {0.0, 10.0}, g.prestige_per_casualty);
  g.influence_adjust_per_step =
      per_step(a, "influence_adjust_per_year", {0.0, 52.0}, g.influence_adjust_per_step);
  g.patronage_influence_per_usd =
      a.number("patronage_influence_per_usd", {0.0, 10.0}, g.patronage_influence_per_usd);
  g.patronage_half_life_weeks =
      a.number("patronage_half_life_weeks", {0.0, 520.0, true}, g.patronage_half_life_weeks);
  g.ministry_review_weeks =
      static_cast<int>(a.integer("ministry_review_weeks", 1, 520, g.ministry_review_weeks));
  g.ministry_move_margin = a.number("ministry_move_margin", {0.0, 100.0}, g.ministry_move_margin);
  g.ministry_move_odds = a.number("ministry_move_odds", kShare, g.ministry_move_odds);
  g.cash_weight = a.number("cash_weight", {0.0, 10.0}, g.cash_weight);
  g.partner_cash_ceiling_reserves =
      a.number("partner_cash_ceiling_reserves", {0.0, 100.0}, g.partner_cash_ceiling_reserves);
  g.infiltration_usd_per_point =
      a.number("infiltration_usd_per_point", {0.0, kMaxUsd, true}, g.infiltration_usd_per_point);
  g.preparation_decay_per_week =
      a.number("preparation_decay_per_week", kShare, g.preparation_decay_per_week);
  g.intelligence_quality = a.number("intelligence_quality", kShare, g.intelligence_quality);
  g.casualties_simple = a.number("casualties_simple", {0.0, 1e4}, g.casualties_simple);
  g.casualties_complex = a.number("casualties_complex", {0.0, 1e4}, g.casualties_complex);
  g.attackers_lost_simple = a.number("attackers_lost_simple", {0.0, 1e3}, g.attackers_lost_simple);
  g.attackers_lost_complex =
      a.number("attackers_lost_complex", {0.0, 1e3}, g.attackers_lost_complex);
  g.ct_half_fighters = a.number("ct_half_fighters", {0.0, 1e7}, g.ct_half_fighters);
  g.ct_fighters_per_million_usd =
      a.number("ct_fighters_per_million_usd", {0.0, 1e5}, g.ct_fighters_per_million_usd);
  g.ct_disruption_per_million_usd =
      a.number("ct_disruption_per_million_usd", {0.0, 100.0}, g.ct_disruption_per_million_usd);
  a.finish();
}

}  // namespace aidflow::scenario
