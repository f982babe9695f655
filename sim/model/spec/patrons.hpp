#pragma once
// Patron states and sponsors, the coalition they may join and the envoy who rallies them (S9, S18,
// S19). Part of ScenarioSpec (model/spec/scenario.hpp): validated, with ids resolved to indices and
// rates per step.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace aidflow::model {

// Patron states and non-state sponsors (docs/MODEL.md agents table, S9, S15, S18): who they pay,
// what they fear and how willing they are to join a coalition against the Haqqani network (S19).
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
  double attacks_abroad = 0.0;      // per attack abroad a year it blames on the feared groups
};

struct PatronSpec {
  std::string id, name;
  PatronKind kind = PatronKind::State;  // only states can join the coalition
  std::vector<PatronSupportSpec> support;
  ThreatSpec threat;
  double base_willingness = 0.0;  // willingness to join before threat and envoy (rivalry, S4)
  double envoy_response = 1.0;    // how much of the envoy's effect reaches it
  double coverage = 0.0;          // sanction coverage it adds as a coalition member (S19)
  // Its support as a choice (S9, S18, S20): the value it puts on its proxies in the willingness
  // scale. Each week it weighs its reasons to stop paying them (threat perceived, the coalition's
  // commitment while a member, pressure on it) against this and keeps the share
  // strategic_depth / reasons of its support (all of it while the reasons weigh less), moving
  // adjustment_per_week of the way there a week. Without it (non-state sponsors, or a state whose
  // scenario gives none) the support is paid as the scenario says.
  bool chooses_support = false;
  double strategic_depth = 0.0;
  double adjustment_per_week = 0.05;
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
  // A member's reason to stop paying armed groups (willingness scale): enforcing sanctions on a
  // group while funding it is what the members commit not to do (S19).
  double commitment = 1.0;
  EnvoySpec envoy;
};

}  // namespace aidflow::model
