#pragma once
// The indicators of docs/MODEL.md, each declared once with its name, dimensions, unit and long name
// and the function that computes its row for a step. Adding an indicator touches this list only.
#include <functional>
#include <vector>

#include "engine/series.hpp"
#include "model/state/world.hpp"

namespace aidflow::model {

// Person-weighted totals over households, computed once per step and shared by the indicators.
struct PeopleTotals {
  double people = 0.0, need = 0.0, in_need = 0.0, reached = 0.0;
  // Reached by the aid delivered by need alone (list aid left out): full weekly rations of each
  // district's delivery, up to the people there aid can reach (rations go whole in priority
  // order, so only the cut-off household holds a part: docs/MODEL.md phase 5).
  double reached_by_need = 0.0;
  std::array<double, kDisplacementStates> displaced{};
  std::array<double, kHosts> returned{};
};
PeopleTotals people_totals(const World& world);

// What an indicator's row function sees: the world at the end of the step and shared totals,
// among them the step's settled cents by donor and sink (the ledger's by_source of its settled
// table), which several indicators read.
struct StepView {
  const World& world;
  const PeopleTotals& people;
  const std::vector<engine::Cents>& settled_by_source;
};

struct Indicator {
  engine::SeriesSpec spec;
  std::function<engine::SeriesRow(const StepView&)> row;
};

// Every indicator recorded each step, in the order they are written.
const std::vector<Indicator>& indicators();

// The labelled dimensions the indicators use.
std::vector<engine::Dimension> indicator_dimensions(const World& world);

// Variables written once at the end: the ledger's and the accounts' run totals.
std::vector<engine::FinalVariable> final_variables(const World& world);

}  // namespace aidflow::model
