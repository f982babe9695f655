#pragma once
// Armed groups: how each earns, spends, recruits, fights and takes hostages, the alliance edges
// between them, and the rules shared by all (docs/MODEL.md phases 6-8). Part of ScenarioSpec
// (model/spec/scenario.hpp): validated, with ids resolved to indices and rates per step.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "model/spec/run.hpp"

namespace aidflow::model {

// How an armed group earns and spends (docs/MODEL.md phase 6). Spending is upkeep first, then
// recruitment pay; money above a reserve is drawn down into the group's priorities.
struct EconomySpec {
  double revenue_take = 0.0;                 // share of local revenue where it has influence
  double upkeep_usd_per_fighter_week = 0.0;  // pay, food, arms, transport
  double recruit_pay_usd = 0.0;              // paid once per recruit
  double reserve_weeks = 26.0;               // cash kept back, in weeks of upkeep
  double drawdown_per_week = 0.02;           // share of cash above the reserve spent a week
  double attack_preparation = 0.0;           // priorities of what is drawn down (normalised)
  double infiltration = 0.0;                 //   buying officials in ministries it controls
  double assassination = 0.0;                //   killing rival power brokers in the north (S7)
  double counter_terrorism = 0.0;            //   operations against the groups it is hostile to
  // Share of the week's income put into attack preparation before upkeep is paid: a group whose
  // standing rests on its attacks keeps operating when money is short and sheds the fighters it
  // cannot pay instead (0: upkeep first, operations only from cash above the reserve).
  double operations_first = 0.0;
  // A campaign answering attacks (S14, S16): operations bought, beyond the priorities, for each
  // attack a week it blames on the groups it is hostile to, from cash above the reserve.
  double counter_terrorism_usd_per_attack = 0.0;
  double northern_influence_per_million_usd = 0.0;  // influence gained in the north per $1M (S7)
};

// Who a group recruits and how hard it pulls (docs/MODEL.md phase 5, S5, S15).
struct RecruitmentSpec {
  double appeal = 1.0;         // relative pull on a young man where the group is present
  double capital_reach = 0.0;  // presence in the capital beyond its influence (urban networks)
  std::array<double, 4> border_reach = {0.0, 0.0, 0.0, 0.0};  // extra presence by border class
};

// How a group fights (docs/MODEL.md phase 7, S14-S16).
struct AttackSpec {
  double rate_per_1000_fighters_step = 0.0;  // attacks a week at ample preparation
  double preparation_half_usd = 1e6;         // preparation at which the rate is half its ceiling
  double simple_cost_usd = 20000;            // preparation an ordinary attack uses up
  double complex_cost_usd = 400000;          // preparation a complex attack uses up (threshold too)
  double complex_share = 0.0;         // share of attacks it makes complex when it can afford to
  double capital_share = 0.0;         // share of its attacks aimed at the capital
  double foreign_target_share = 0.0;  // share aimed at foreign targets (S11)
  // Attacks abroad (S10, S11, S22): a week's odds are abroad_per_step x E / (E + 1) for an
  // external-operations capacity of E complex attacks, each complex and paid from preparation.
  double abroad_per_step = 0.0;
  double security_target_share = 0.0;  // share of the others aimed at security forces
  int brand = -1;                      // group whose name it claims under (-1: its own)
  double brand_claim_share = 0.0;      // share of its attacks claimed under that brand
  double own_claim_share = 1.0;        // share of the rest it claims itself (else unclaimed)
};

// Hostages a group takes (S11, S12): a Poisson rate per year, and how many it holds at the start.
// Taking is a strategy: the rate rises by payoff_response for each release recently bought from
// it (a ransom or a prisoner exchange, remembered with hostages.payoff_half_life_weeks), so
// concessions that pay bring more taking and a no-concessions policy removes the incentive.
struct HostageTakingSpec {
  double take_per_step = 0.0;
  int initial = 0;
  double payoff_response = 0.0;
};

struct FactionSpec {
  std::string id, name;
  double treasury_usd = 0.0;
  double preparation_usd = 0.0;  // attack capability already bought at the start
  double fighters = 0.0;
  double influence = 0.0;  // national mean district influence, population-weighted
  // With the Afghanistan tables: the relative weight of its influence in each province (by
  // province index); empty: the same everywhere. District influence is `influence` x the
  // province's weight over the population-weighted mean weight.
  std::vector<double> influence_by_province;
  double local_tax_rate = 0.0;
  double list_manipulation = 0.0;
  bool holds_ministries = false;  // a wing of the de facto government that can hold ministries
  EconomySpec economy;
  RecruitmentSpec recruitment;
  AttackSpec attacks;
  HostageTakingSpec hostages;
};

// A directed money edge between armed groups (S6, S8, S16): each week `from` passes `to` a share
// of its income, plus a fixed amount, as far as its cash allows.
struct AllianceSpec {
  int from = 0, to = 0;
  std::string kind;  // protection, covert_support, ... (a label for analysts)
  double income_share = 0.0;
  double usd_per_year = 0.0;
  // The partner's holdings, in its reserves, at which the sponsor stops paying on this edge
  // (1 or less: always in full); unset, armed_groups.partner_cash_ceiling_reserves.
  std::optional<double> cash_ceiling_reserves;
};

// Parameters shared by every armed group.
struct ArmedGroupsSpec {
  // Share of fighters lost a week to death, desertion, ageing out (0.08 a year).
  double attrition_per_step = 0.08 / kStepsPerYear;
  double unpaid_desertion_per_week = 0.02;  // extra loss when upkeep cannot be paid in full
  double prestige_half_life_weeks = 13;     // how long claimed attacks draw recruits
  double prestige_per_casualty = 0.02;      // recruitment boost per casualty of a claimed attack
  // How fast influence follows local strength and patronage, a week (0.5 a year).
  double influence_adjust_per_step = 0.5 / kStepsPerYear;
  // Patronage through beneficiary lists: relative influence gained per USD of list aid per person
  // held as loyalty in a district, and how long that loyalty lasts.
  double patronage_influence_per_usd = 0.0;
  double patronage_half_life_weeks = 26.0;
  int ministry_review_weeks = 13;      // how often the balance between wings is tested (S21)
  double ministry_move_margin = 0.25;  // strength-share lead a wing needs to take a ministry
  double ministry_move_odds = 0.5;     // chance per review a ministry moves once the lead holds
  double cash_weight = 0.25;           // fighters a year's upkeep in cash counts as, for strength
  // A sponsor pays a partner in full while the partner holds no more than its reserve, and
  // nothing once it holds this many reserves (1 or less: always in full).
  double partner_cash_ceiling_reserves = 0.0;
  double infiltration_usd_per_point = 2e6;   // infiltration spending that buys 0.01 of capture
  double preparation_decay_per_week = 0.01;  // preparation lost (arrests, spoilage, leaks)
  // Attacks and attribution.
  double intelligence_quality = 0.3;   // chance observers see the true executor (S14-S16)
  double casualties_simple = 3.0;      // mean casualties of an ordinary attack
  double casualties_complex = 30.0;    // mean casualties of a complex attack
  double attackers_lost_simple = 1.0;  // fighters an attacking group loses per attack
  double attackers_lost_complex = 4.0;
  // Counter-terrorism bought by money delivered to security-purpose sectors, directed by the
  // ministry's controlling group against the groups it is hostile to (S14).
  double ct_fighters_per_million_usd = 10.0;
  // Counter-terrorism finds fewer fighters per dollar as a group shrinks into dispersed cells:
  // its yield is scaled by fighters / (fighters + ct_half_fighters).
  double ct_half_fighters = 1000.0;
  // Operations also break up the cells, caches and safe houses an attack is prepared with: $1M
  // aimed at a group destroys a share 1 - exp(-ct_disruption_per_million_usd) of its preparation
  // (the record: ISIS-K's attacks fell from 2022 while its estimated size grew).
  double ct_disruption_per_million_usd = 0.0;
};

struct Hostility {
  int by = 0, against = 0;  // `by` directs counter-terrorism it controls against `against`
};

}  // namespace aidflow::model
