#pragma once
// A run's headline figures, from the ledger's and the accounts' run totals: what the command
// prints at the end of a run (and what a sweep's index will record).
#include <vector>

#include "model/state/world.hpp"

namespace aidflow::model {

struct RunSummary {
  Cents disbursed = 0, delivered = 0, overhead = 0, counter_terrorism = 0, diverted = 0;
  std::vector<Cents> diverted_by_faction;  // every mechanism
  std::vector<Cents> treasury;             // at the end
  std::vector<double> fighters;            // at the end
};

RunSummary summarize(const World& world);

}  // namespace aidflow::model
