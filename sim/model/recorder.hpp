#pragma once
// Phase 9: the indicators of MODEL.md sampled every step, and the ledger per (donor, channel,
// sink). Describes its series to the writer once, then appends one row per series per step.
#include "engine/series.hpp"
#include "engine/simulation.hpp"
#include "model/world.hpp"

namespace aidflow::model {

class IndicatorRecorder : public engine::Recorder {
 public:
  IndicatorRecorder(const World& world, engine::SeriesSink& sink);

  static std::vector<engine::Dimension> dimensions(const World& world);
  static std::vector<engine::SeriesSpec> series();
  // Totals over the run, read after the last step.
  static std::vector<engine::FinalVariable> final_variables(const World& world);

  void record(int step) override;

 private:
  void record_aid();
  void record_people();
  void record_factions();
  void record_ledger();

  const World& world_;
  engine::SeriesSink& sink_;
  std::size_t next_ = 0;  // index of the next series appended this step
};

}  // namespace aidflow::model
