#pragma once
// Phase 9: every indicator of record/indicators.hpp sampled each step and appended to a series
// sink (the HDF5 writer, or a test's store), with the step's events.
#include "engine/series.hpp"
#include "engine/simulation.hpp"
#include "model/record/indicators.hpp"
#include "model/state/world.hpp"

namespace aidflow::model {

class IndicatorRecorder : public engine::Recorder {
 public:
  IndicatorRecorder(const World& world, engine::SeriesSink& sink);

  static std::vector<engine::Dimension> dimensions(const World& world) {
    return indicator_dimensions(world);
  }
  static std::vector<engine::SeriesSpec> series();
  static std::vector<engine::FinalVariable> final_variables(const World& world) {
    return model::final_variables(world);
  }

  void record(int step) override;

 private:
  const World& world_;
  engine::SeriesSink& sink_;
};

}  // namespace aidflow::model
