#pragma once
// Levers: monitoring, counter-ISIS aid, conditionality, the timeline, what observers see,
// sanctions, Pakistan pressure and the hostage policy (docs/MODEL.md phases 1-2, 8). Part of
// ScenarioSpec (model/spec/scenario.hpp): validated, with ids resolved to indices and rates per
// step.
#include <array>
#include <cstdint>
#include <vector>

namespace aidflow::model {

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

// What a conditioning donor watches (docs/MODEL.md phase 2), as it observes it (signals): attacks
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
// policy.timeline merged on top of the one before (docs/MODEL.md: levers start and stop on a
// schedule).
struct PolicyPeriod {
  int from_step = 0;
  PolicySpec policy;
};

// What donors and patron states observe (docs/MODEL.md phase 1): the truth `lag_weeks` ago, summed
// over `window_weeks`, with multiplicative lognormal noise of `noise_sd` (in logs) drawn per
// observer.
struct SignalsSpec {
  int lag_weeks = 4;
  int window_weeks = 13;
  double noise_sd = 0.2;
  double detection_base = 0.2;  // share of diversion a donor finds out about without monitoring
  double detection_monitored = 0.7;  // share found at full monitoring of the channels it uses
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

// Pressure on a patron (S20, Pakistan on the ISI): from start_step + delay_weeks (the patron
// hedges, waiting to see whether it lasts) the patron counts `strength`, the pressure's cost to it
// in the willingness scale, among its reasons to cut its support, which it weighs against its
// strategic depth (PatronSpec): the size and speed of the cut come from that choice, and the
// pressure fails against a patron that values its proxies more than the pressure costs.
struct PressureSpec {
  bool enabled = false;
  int patron = -1;
  int start_step = 0;
  double strength = 2.0;
  int delay_weeks = 8;
};

enum class HostagePolicy : std::uint8_t { Concessions = 0, NoConcessions = 1 };
inline constexpr std::array<const char*, 2> kHostagePolicyNames = {"concessions", "no_concessions"};

// What hostages do (S11, S12, docs/MODEL.md phase 8): holdings damp enforcement, saturating at
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
  double payoff_half_life_weeks = 52.0;  // how long hostage-takers remember a concession (S12)
};

}  // namespace aidflow::model
