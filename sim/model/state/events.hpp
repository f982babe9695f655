#pragma once
// Things that happen at a moment rather than every step: attacks, a ministry changing hands, a
// state joining or leaving the coalition, a sanction coming into force, hostages taken or
// released (and, as policies come, a donor suspending aid). Phases append them to the world; the
// recorder writes them to the event table.
#include <array>
#include <cstdint>

namespace aidflow::model {

enum class EventKind : std::uint8_t {
  Attack = 0,
  MinistryMoved = 1,
  PolicyChanged = 2,  // a timeline entry came into force
  AidSuspended = 3,   // a donor suspended the aid types a condition covers
  AidResumed = 4,
  CoalitionJoined = 5,
  CoalitionLeft = 6,
  SanctionStarted = 7,
  HostageTaken = 8,
  HostageReleased = 9,
  HostageLost = 10,
  AttackAbroad = 11  // an attack on a foreign target outside Afghanistan (no district)
};
inline constexpr std::array<const char*, 12> kEventKindNames = {
    "attack",        "ministry_moved",   "policy_changed", "aid_suspended",
    "aid_resumed",   "coalition_joined", "coalition_left", "sanction_started",
    "hostage_taken", "hostage_released", "hostage_lost",   "attack_abroad"};

enum class Target : std::uint8_t { Civilians = 0, SecurityForces = 1, Foreign = 2 };
inline constexpr std::array<const char*, 3> kTargetNames = {"civilians", "security_forces",
                                                            "foreign"};

// One row of the event table; -1 marks a field that does not apply to the kind.
struct Event {
  EventKind kind = EventKind::Attack;
  int step = 0;
  int district = -1;
  int executor = -1;        // attack, attack_abroad (as every attack field): who carried it out
  int claimant = -1;        // attack: the group that claimed it (-1: unclaimed)
  int attributed = -1;      // attack: whom observers hold responsible (-1: unknown)
  int target = -1;          // attack: a Target
  int complex = -1;         // attack: 1 complex, 0 not
  int casualties = -1;      // attack: people killed or wounded
  int ministry = -1;        // ministry_moved
  int from = -1, to = -1;   // ministry_moved: factions
  int donor = -1;           // aid_suspended, aid_resumed
  int rule = -1;            // aid_suspended, aid_resumed: index in policy.conditionality
  double observed = -1.0;   // aid_suspended: what the donors observed
  double threshold = -1.0;  // aid_suspended, aid_resumed: the condition's threshold
  int state = -1;           // coalition_joined / _left: the patron state
  int sanction = -1;        // sanction_started: index in the scenario's sanctions
  int faction = -1;   // sanction_started: its target (the payer of an edge); hostage_*: holder
  int hostages = -1;  // hostage_*: how many
  std::int64_t amount = -1;  // hostage_released: ransom paid, USD cents
  int prisoners = -1;        // hostage_released: prisoners freed in exchange (fighters returned)
};

}  // namespace aidflow::model
