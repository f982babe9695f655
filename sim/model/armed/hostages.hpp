#pragma once
// Phase 8 (S11, S12): groups with a hostage-taking rate take hostages and hold them; holdings damp
// donors' and the coalition's enforcement (PolicyState::enforcement_damping) unless the policy is
// no concessions; under concessions hostages are released for a ransom (credited to the group
// under the "ransom" source) or for prisoners (fighters returned to it). Each is an event.

namespace aidflow::model {

class World;
struct HostageRulesSpec;

// Damping of enforcement by `held` hostages under the rules (0 under no concessions).
double hostage_damping(const HostageRulesSpec& rules, double held);

void run_hostages(World& world, int step);

}  // namespace aidflow::model
