#pragma once
// Phase 1: what donors and patron states observe. The truth of each step is kept in a history;
// an observer sees it `lag_weeks` late, summed over `window_weeks`, with its own noise: attacks by
// *claimed* author, diversion as monitoring reports it (true diversion x detection), refugee
// flows, and each group's external-operations capacity and northern influence.
#include <vector>

#include "engine/money.hpp"

namespace aidflow::model {

class World;

// One step's truth, as observers could come to know it.
struct TruthRecord {
  std::vector<double> claimed_attacks;      // by claimant faction
  std::vector<double> claimed_casualties;   // by claimant faction
  std::vector<double> detected_diversion;   // by donor: USD of its diverted money found out
  std::vector<double> disbursed;            // by donor: USD
  double refugees_abroad = 0.0;             // people in Iran or Pakistan
  std::vector<double> external_operations;  // by faction
  std::vector<double> northern_influence;   // by faction: mean influence in the north
};

// What one observer believes now.
struct Observation {
  std::vector<double> claimed_attacks;      // by faction, over the window
  std::vector<double> claimed_casualties;   // by faction, over the window
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

// Appends this step's truth (called at the end of the step, after attacks).
void record_truth(World& world, int step);
// Phase 1: every observer's view at the start of the step.
void observe(World& world, int step);

}  // namespace aidflow::model
