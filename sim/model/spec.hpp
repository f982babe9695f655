#pragma once
// ScenarioSpec: the validated, immutable description of a scenario. sim/io builds it from YAML;
// sim/model builds a World from it. Ids are resolved to indices here, so the model never looks a
// name up. Rates given per year in the file are already per step (one week).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace aidflow::model {

inline constexpr int kStepsPerYear = 52;

enum class BorderClass : std::uint8_t { Iran = 0, Pakistan = 1, CentralAsia = 2, Interior = 3 };
inline constexpr std::array<const char*, 4> kBorderNames = {"iran", "pakistan", "central_asia",
                                                            "interior"};

enum class ChannelKind : std::uint8_t {
  UnAgency,
  InternationalNgo,
  NationalNgo,
  TrustFund,
  BudgetSupport
};
inline constexpr std::array<const char*, 5> kChannelKindNames = {
    "un_agency", "international_ngo", "national_ngo", "trust_fund", "budget_support"};

struct RunSpec {
  int steps = 260;
  std::uint64_t seed = 1;
  std::string start_date = "2022-01-03";
  std::int64_t households = 20000;
};

struct GeographySpec {
  int provinces = 34;
  int districts = 401;
  double population = 40e6;
  double baseline_need = 0.5;
  double need_spread = 0.15;
  std::array<double, 4> border_shares = {0.15, 0.30, 0.10, 0.45};
  // Structural choices of the synthetic country, each a lognormal spread in logs.
  double district_size_spread = 0.6;       // of district populations
  double influence_spread = 0.8;           // of a faction's influence from district to district
  double capital_population_share = 0.12;  // the capital (Kabul) district's share of the people
  // Local revenue armed groups can tax (trade, customs at the margin, opium, mining), national.
  double local_revenue_usd_per_year = 0.0;
};

// How an armed group earns and spends (MODEL.md phase 6). Spending is upkeep first, then
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
  double northern_influence_per_million_usd = 0.0;  // influence gained in the north per $1M (S7)
};

// Who a group recruits and how hard it pulls (MODEL.md phase 5, S5, S15).
struct RecruitmentSpec {
  double appeal = 1.0;         // relative pull on a young man where the group is present
  double capital_reach = 0.0;  // presence in the capital beyond its influence (urban networks)
  std::array<double, 4> border_reach = {0.0, 0.0, 0.0, 0.0};  // extra presence by border class
};

// How a group fights (MODEL.md phase 7, S14-S16).
struct AttackSpec {
  double rate_per_1000_fighters_year = 0.0;  // attacks at ample preparation
  double preparation_half_usd = 1e6;         // preparation at which the rate is half its ceiling
  double simple_cost_usd = 20000;            // preparation an ordinary attack uses up
  double complex_cost_usd = 400000;          // preparation a complex attack uses up (threshold too)
  double complex_share = 0.0;          // share of attacks it makes complex when it can afford to
  double capital_share = 0.0;          // share of its attacks aimed at the capital
  double foreign_target_share = 0.0;   // share aimed at foreign targets (S11)
  double security_target_share = 0.0;  // share of the others aimed at security forces
  int brand = -1;                      // group whose name it claims under (-1: its own)
  double brand_claim_share = 0.0;      // share of its attacks claimed under that brand
  double own_claim_share = 1.0;        // share of the rest it claims itself (else unclaimed)
};

// Hostages a group takes (S11): a Poisson rate per year, and how many it holds at the start.
struct HostageTakingSpec {
  double take_per_step = 0.0;
  int initial = 0;
};

struct FactionSpec {
  std::string id, name;
  double treasury_usd = 0.0;
  double preparation_usd = 0.0;  // attack capability already bought at the start
  double fighters = 0.0;
  double influence = 0.0;
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
};

// Parameters shared by every armed group.
struct ArmedGroupsSpec {
  double attrition_per_year = 0.08;         // fighters lost to death, desertion, ageing out
  double unpaid_desertion_per_week = 0.02;  // extra loss when upkeep cannot be paid in full
  double prestige_half_life_weeks = 13;     // how long claimed attacks draw recruits
  double prestige_per_casualty = 0.02;      // recruitment boost per casualty of a claimed attack
  double influence_adjust_per_year = 0.5;   // how fast influence follows relative strength
  int ministry_review_weeks = 13;           // how often the balance between wings is tested (S21)
  double ministry_move_margin = 0.25;       // strength-share lead a wing needs to take a ministry
  double ministry_move_odds = 0.5;  // chance per review a ministry moves once the lead holds
  double cash_weight = 0.25;        // fighters a year's upkeep in cash counts as, for strength
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
};

struct Hostility {
  int by = 0, against = 0;  // `by` directs counter-terrorism it controls against `against`
};

struct RecruitmentRules {
  double young_men_share = 0.13;   // men 15-29 among the people: the pool at risk
  double rate_per_year = 0.004;    // yearly odds a young man joins a group, at need 1 and full pay
  double need_floor = 0.2;         // share of the odds that does not depend on need
  double pay_reference_usd = 300;  // recruit pay at which pay stops adding to the pull
  double affiliated_share = 0.1;   // share of households affiliated with the group in control
};

struct ChannelSpec {
  std::string id;
  ChannelKind kind = ChannelKind::UnAgency;
  double overhead = 0.0;
  double ministry_exposure = 0.0;
  double tax_exposure = 0.0;
  double monitoring = 0.0;
};

struct MinistrySpec {
  std::string id, name;
  int controlled_by = 0;  // faction index
  double capture_rate = 0.0;
  double infiltration_per_step = 0.0;
  bool issues_ids = false;  // controls passports and IDs: external-operations capacity (S3, S10)
};

// Humanitarian money ends with households; security money buys counter-terrorism through the
// ministry, all of it passing the ministry touchpoint.
enum class SectorPurpose : std::uint8_t { Humanitarian = 0, Security = 1 };
inline constexpr std::array<const char*, 2> kSectorPurposeNames = {"humanitarian", "security"};

struct SectorSpec {
  std::string id;
  int ministry = 0;  // ministry index
  SectorPurpose purpose = SectorPurpose::Humanitarian;
};

struct YearBudget {
  int year = 0;
  double usd = 0.0;
};

struct DonorSpec {
  std::string id, name;
  double budget_usd_per_year = 0.0;        // spread over each 52 weeks from the start, unless:
  std::vector<YearBudget> budget_by_year;  // what it disburses in each calendar year of the run
  std::vector<double> channel_shares;      // by channel index, sums to 1
  std::vector<double> sector_shares;       // by sector index, sums to 1
};

struct HouseholdSpec {
  double relief_usd_per_person_week = 1.5;
  double relief_effect = 0.6;  // share of need a full ration relieves while it lasts
  double shock_sd = 0.02;
  double reversion_per_week = 0.02;
  double winter_peak = 0.1;
  int winter_peak_week = 2;  // week of the year when winter need peaks (mid-January)
  double need_threshold = 0.5;
  double initial_need_sd = 0.1;  // household need around the district's at the start
  double targeting = 0.8;
  double displacement_per_week = 0.002;
  double cross_border_share = 0.5;
  double return_per_week = 0.01;
  double returnee_need = 0.15;  // extra need a household brings back from displacement
  // Drivers of need apart from aid: a national economic trend and droughts.
  double economic_trend_per_year = 0.0;  // drift of every district's baseline need
  double drought_odds_per_year = 0.0;    // chance a province enters drought in a given year
  double drought_need = 0.15;            // extra need in a province in drought
  int drought_weeks = 26;
};

struct MonitoringSpec {
  double third_party = 0.0;
  double effect = 0.5;
  double cost_share = 0.02;
};

// Money routed to a ministry to fight ISIS-Khorasan (S14): added to one donor's disbursement,
// through one channel, into one security-purpose sector.
struct CounterIsisAidSpec {
  double usd_per_year = 0.0;
  int donor = 0, channel = 0, sector = -1;
};

// What a conditioning donor watches (MODEL.md phase 2), as it observes it (signals): attacks
// claimed (by one faction or all), the diverted share of its own money that monitoring reports,
// or a faction's external-operations capacity.
enum class Trigger : std::uint8_t {
  AttacksObserved = 0,
  DiversionObserved = 1,
  ExternalOperations = 2
};
inline constexpr std::array<const char*, 3> kTriggerNames = {
    "attacks_observed", "diversion_observed", "external_operations"};

// A condition some donors attach to some aid types (channel kinds): when the trigger passes the
// threshold at a review, they suspend those aid types for suspension_weeks, then resume and
// review again. With a humanitarian carve-out the suspended money goes through their other
// channels instead of being withheld. A multilateral condition is judged together, on the
// holders' pooled observation, and leaves the authorities less room to turn to other donors
// (substitution: the share of withheld money that donors not holding the condition make up).
struct ConditionSpec {
  std::vector<int> donors;          // donor indices holding it
  std::array<bool, 5> aid_types{};  // by ChannelKind: conditioned or not
  Trigger trigger = Trigger::AttacksObserved;
  int faction = -1;  // whose attacks / capacity count (-1: every faction)
  double threshold = 0.0;
  int suspension_weeks = 26;
  int review_weeks = 13;
  bool humanitarian_carve_out = true;
  bool multilateral = false;
  double substitution = 0.0;
};

struct PolicySpec {
  bool humanitarian_only = false;
  MonitoringSpec monitoring;
  CounterIsisAidSpec counter_isis_aid;
  std::vector<ConditionSpec> conditionality;
};

// The policy in force from a step on: the scenario's policy section, then each entry of
// policy.timeline merged on top of the one before (MODEL.md: levers start and stop on a schedule).
struct PolicyPeriod {
  int from_step = 0;
  PolicySpec policy;
};

// What donors and patron states observe (MODEL.md phase 1): the truth `lag_weeks` ago, summed over
// `window_weeks`, with multiplicative lognormal noise of `noise_sd` (in logs) drawn per observer.
struct SignalsSpec {
  int lag_weeks = 4;
  int window_weeks = 13;
  double noise_sd = 0.2;
  double detection_base = 0.2;  // share of diversion a donor finds out about without monitoring
  double detection_monitored = 0.7;  // share found at full monitoring of the channels it uses
};

// Patron states and non-state sponsors (MODEL.md agents table, S9, S15, S18): who they pay, what
// they fear and how willing they are to join a coalition against the Haqqani network (S19).
enum class PatronKind : std::uint8_t { State = 0, NonState = 1 };
inline constexpr std::array<const char*, 2> kPatronKindNames = {"state", "non_state"};

struct PatronSupportSpec {
  int faction = 0;
  double usd_per_year = 0.0;
};

// A patron's threat perception (S18): a weighted sum of what it observes about the groups it
// fears. Each weight multiplies a quantity in natural units (see docs/SCENARIO.md).
struct ThreatSpec {
  std::vector<int> feared;          // faction indices
  double attacks = 0.0;             // per 100 attacks a year claimed by the feared groups
  double northern_influence = 0.0;  // per unit of their summed influence near Central Asia
  double refugee_inflow = 0.0;      // per million more Afghans abroad a year
};

struct PatronSpec {
  std::string id, name;
  PatronKind kind = PatronKind::State;  // only states can join the coalition
  std::vector<PatronSupportSpec> support;
  ThreatSpec threat;
  double base_willingness = 0.0;  // willingness to join before threat and envoy (rivalry, S4)
  double envoy_response = 1.0;    // how much of the envoy's effect reaches it
  double coverage = 0.0;          // sanction coverage it adds as a coalition member (S19)
};

// A US envoy rallying states to the coalition (S19): from start_step its effect on willingness
// grows linearly to `effect` over ramp_weeks (diplomacy takes time).
struct EnvoySpec {
  bool enabled = false;
  int start_step = 0;
  double effect = 0.5;
  int ramp_weeks = 26;
};

// States join when their willingness reaches join_threshold at a review and leave when it falls
// below leave_threshold; the lead (the United States and allied donors) always enforces.
struct CoalitionSpec {
  double lead_coverage = 0.15;
  std::vector<int> members;  // patron indices in the coalition at the start
  int review_weeks = 13;
  double join_threshold = 1.0;
  double leave_threshold = 0.5;
  EnvoySpec envoy;
};

// Targeted sanctions (S13, S19) on an alliance edge or on a faction's whole treasury.
enum class SanctionTarget : std::uint8_t { Edge = 0, Treasury = 1 };
inline constexpr std::array<const char*, 2> kSanctionTargetNames = {"edge", "treasury"};

struct SanctionSpec {
  SanctionTarget target = SanctionTarget::Edge;
  int from = -1, to = -1;  // edge: the alliance's payer and payee
  int faction = -1;        // treasury: whose cash is frozen
  int start_step = 0;
  double enforcement = 0.8;       // share of the covered flow stopped before evasion
  double evasion_per_step = 0.0;  // rate at which fronts erode enforcement (S13)
  double freeze_per_step = 0.0;   // treasury: share of the cash frozen a week at full effect
};

// Pressure on a patron (S20, Pakistan on the ISI): from start_step + delay_weeks its support
// moves toward (1 - strength) of its baseline, closing adjustment_per_week of the gap a week.
struct PressureSpec {
  bool enabled = false;
  int patron = -1;
  int start_step = 0;
  double strength = 0.5;
  int delay_weeks = 8;
  double adjustment_per_week = 0.05;
};

enum class HostagePolicy : std::uint8_t { Concessions = 0, NoConcessions = 1 };
inline constexpr std::array<const char*, 2> kHostagePolicyNames = {"concessions", "no_concessions"};

// What hostages do (S11, S12, MODEL.md phase 8): holdings damp enforcement, saturating at
// damping_max (half of it at damping_half_hostages held), unless the policy is no_concessions;
// under concessions each hostage is released with weekly odds, for a ransom or for prisoners.
struct HostageRulesSpec {
  HostagePolicy policy = HostagePolicy::Concessions;
  double damping_max = 0.5;
  double damping_half_hostages = 1.0;
  double release_per_step = 0.0;
  double loss_per_step = 0.0;  // killed, rescued or escaped, under either policy
  double ransom_usd = 0.0;
  double prisoner_share = 0.5;  // share of releases that are exchanges for prisoners
  double prisoners_per_exchange = 1.0;
};

struct ScenarioSpec {
  std::string name, description;
  std::string source_text;  // the scenario as loaded (after extends and overrides), for the record
  RunSpec run;
  GeographySpec geography;
  std::vector<FactionSpec> factions;
  std::vector<AllianceSpec> alliances;
  std::vector<Hostility> hostilities;
  ArmedGroupsSpec armed_groups;
  RecruitmentRules recruitment;
  std::vector<ChannelSpec> channels;
  std::vector<MinistrySpec> ministries;
  std::vector<SectorSpec> sectors;
  std::vector<DonorSpec> donors;
  HouseholdSpec households;
  PolicySpec policy;                          // in force at step 0
  std::vector<PolicyPeriod> policy_timeline;  // later changes, by from_step (strictly rising)
  SignalsSpec signals;
  std::vector<PatronSpec> patrons;
  CoalitionSpec coalition;
  std::vector<SanctionSpec> sanctions;
  PressureSpec pakistan_pressure;
  HostageRulesSpec hostages;
};

}  // namespace aidflow::model
