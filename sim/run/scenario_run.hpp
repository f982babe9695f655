#pragma once
// One scenario run as a library call, shared by `aidflow run`, every run of a sweep and the Python
// module: builds the model from a validated spec, steps it in a TBB arena of its own (several runs
// may step side by side in one process), collects its declared outcomes as it steps and, if asked,
// writes its file through the process's one HDF5 thread. Knows nothing of the command line,
// terminals or signals: progress and stopping go through `on_step`, which may throw to stop the
// run (its file is then removed).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/simulation.hpp"
#include "model/model.hpp"
#include "outcomes/bind.hpp"
#include "output/run_record.hpp"
#include "output/run_writer.hpp"

namespace aidflow::run {

struct RunSettings {
  std::optional<std::filesystem::path> output;  // none: no file (a sweep's run, Python)
  bool overwrite = false;                       // replace an existing output
  bool remove_stale = true;       // remove temporaries of dead runs first (a sweep does it once)
  bool sync = true;               // sync the file before its rename (output::SafeFile)
  bool open_before_steps = true;  // output::WriterOptions::open_before_steps
  std::string label;              // empty: default_label()
  std::string scenario_file;
  std::string command_line;
  std::vector<std::string> overrides;  // as given, for the file and the default label
  const outcomes::Bound* outcomes =
      nullptr;                         // collected as the run steps (and written to its file)
  engine::SeriesSink* rows = nullptr;  // also receives every row and event (Python)
};

struct RunResult {
  output::RunRecord record;
  std::vector<outcomes::Values> outcomes;  // of settings.outcomes, in their order
};

// "NAME" or "NAME --set a=1 --seed 7": what two runs of one scenario differ by.
std::string default_label(const std::string& scenario_name,
                          const std::vector<std::string>& overrides);

// What a run of `world` records: the indicators and calendar outcomes are bound against.
outcomes::Catalog catalog_of(const model::World& world);

class ScenarioRun {
 public:
  // Builds the model on `threads` threads (0: every core), the ones its steps will run on: the
  // runs of a sweep build side by side, each in its own arena, instead of waking every core of
  // the process for each placement loop. The world does not depend on the thread count.
  ScenarioRun(const model::ScenarioSpec& spec, int threads);
  ScenarioRun(const ScenarioRun&) = delete;
  ScenarioRun& operator=(const ScenarioRun&) = delete;

  const model::World& world() const { return model_->world(); }
  const engine::Simulation& simulation() const { return model_->simulation(); }

  // A generous bound on the file's size: every value of every series, uncompressed.
  std::uintmax_t expected_output_bytes() const;

  // Runs every step, collects the outcomes and commits the file if there is one; the record says
  // what ran and its headline figures.
  RunResult execute(const RunSettings& settings,
                    const std::function<void(const engine::Progress&)>& on_step = {});

 private:
  const model::ScenarioSpec& spec_;
  int threads_ = 0;
  std::unique_ptr<model::Model> model_;  // built in the run's arena
};

// The outcomes of a run as variables of its file's `outcomes` group.
std::vector<output::DatedVariable> outcome_variables(const outcomes::Bound& bound,
                                                     const std::vector<outcomes::Values>& values);

}  // namespace aidflow::run
