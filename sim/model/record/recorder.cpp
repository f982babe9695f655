#include "model/record/recorder.hpp"

#include "model/record/event_table.hpp"

namespace aidflow::model {

IndicatorRecorder::IndicatorRecorder(const World& world, engine::SeriesSink& sink)
    : world_(world), sink_(sink) {}

std::vector<engine::SeriesSpec> IndicatorRecorder::series() {
  std::vector<engine::SeriesSpec> specs;
  for (const Indicator& indicator : indicators()) specs.push_back(indicator.spec);
  return specs;
}

void IndicatorRecorder::record(int /*step*/) {
  const PeopleTotals people = people_totals(world_);
  const std::vector<Cents> settled = world_.ledger.by_source(world_.ledger.step_settled());
  const StepView view{world_, people, settled};
  const auto& list = indicators();
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (sink_.wants(i)) sink_.append(i, list[i].row(view));
  }
  if (!sink_.wants_events()) return;
  for (const Event& event : world_.events) sink_.append_event(event_row(world_, event));
}

}  // namespace aidflow::model
