#pragma once
// What observers know: each step's truth as it could come to be known, and every observer's view
// now. Plain data held by the World (state/world.hpp); the phases that write each part say so.
#include <vector>

namespace aidflow::model {

// One step's truth, as observers could come to know it.
struct TruthRecord {
  std::vector<double> claimed_attacks;       // by claimant faction
  std::vector<double> self_claimed_attacks;  // by faction: attacks it carried out and claimed
  std::vector<double> attributed_attacks;    // by the faction observers blame (S14-S16)
  std::vector<double> attacks_abroad;        // by the faction observers blame (S10, S22)
  std::vector<double> detected_diversion;    // by donor: USD of its diverted money found out
  std::vector<double> disbursed;             // by donor: USD
  double refugees_abroad = 0.0;              // people in Iran or Pakistan
  std::vector<double> external_operations;   // by faction
  std::vector<double> northern_influence;    // by faction: mean influence in the north
};

// What one observer believes now.
struct Observation {
  std::vector<double> claimed_attacks;  // by faction, over the window
  // Its belief about who carried out the window's attacks: the true executor when intelligence
  // found it (armed_groups.intelligence_quality), else the claimant (S14-S16).
  std::vector<double> attributed_attacks;   // by faction, over the window
  std::vector<double> attacks_abroad;       // by the faction it blames, over the window
  double diversion_share = 0.0;             // detected diverted share of its own money (donors)
  double refugees_abroad = 0.0;             // level
  double refugee_inflow = 0.0;              // rise in people abroad over the window
  std::vector<double> external_operations;  // by faction, level
  std::vector<double> northern_influence;   // by faction, level
};

struct Signals {
  std::vector<TruthRecord> history;         // one per step recorded so far
  std::vector<Observation> donors, states;  // this step's observations
};

}  // namespace aidflow::model
