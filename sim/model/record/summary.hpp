#pragma once
// A run's headline figures, from the ledger's and the accounts' run totals: what the command
// prints at the end of a run and a run's record (output/run_record.hpp) keeps.
#include <array>
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

// The figures by the names a run record gives them, in its order: records are written and read
// by walking these lists, so a new figure is its member, its line here and its sum in
// summarize(). Totals in cents; per faction (in the order of the record's `factions`) in cents,
// then in people.
struct SummaryTotal {
  const char* name;
  Cents RunSummary::*member;
};
struct SummaryCentsByFaction {
  const char* name;
  std::vector<Cents> RunSummary::*member;
};
struct SummaryCountByFaction {
  const char* name;
  std::vector<double> RunSummary::*member;
};
inline constexpr std::array kSummaryTotals = {
    SummaryTotal{"disbursed_cents", &RunSummary::disbursed},
    SummaryTotal{"delivered_cents", &RunSummary::delivered},
    SummaryTotal{"overhead_cents", &RunSummary::overhead},
    SummaryTotal{"counter_terrorism_cents", &RunSummary::counter_terrorism},
    SummaryTotal{"diverted_cents", &RunSummary::diverted}};
inline constexpr std::array kSummaryCentsByFaction = {
    SummaryCentsByFaction{"diverted_by_faction_cents", &RunSummary::diverted_by_faction},
    SummaryCentsByFaction{"treasury_cents", &RunSummary::treasury}};
inline constexpr std::array kSummaryCountsByFaction = {
    SummaryCountByFaction{"fighters", &RunSummary::fighters}};

}  // namespace aidflow::model
