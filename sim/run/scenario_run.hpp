#pragma once
// One scenario run as a library call, shared by `aidflow run` and every run of a sweep: builds the
// model from a validated spec, steps it in a TBB arena of its own (several runs may step side by
// side in one process) and writes its file through the process's one HDF5 thread. Knows nothing
// of the command line, terminals or signals: progress and stopping go through `on_step`, which may
// throw to stop the run (its file is then removed).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engine/simulation.hpp"
#include "model/model.hpp"
#include "output/run_record.hpp"

namespace aidflow::run {

struct RunSettings {
  std::filesystem::path output;
  int threads = 0;           // 0: every core
  bool overwrite = false;    // replace an existing output
  bool remove_stale = true;  // remove temporaries of dead runs first (a sweep does it once)
  std::string label;         // empty: default_label()
  std::string scenario_file;
  std::string command_line;
  std::vector<std::string> overrides;  // as given, for the file and the default label
};

// "NAME" or "NAME --set a=1 --seed 7": what two runs of one scenario differ by.
std::string default_label(const std::string& scenario_name,
                          const std::vector<std::string>& overrides);

class ScenarioRun {
 public:
  explicit ScenarioRun(const model::ScenarioSpec& spec) : spec_(spec), model_(spec) {}
  ScenarioRun(const ScenarioRun&) = delete;
  ScenarioRun& operator=(const ScenarioRun&) = delete;

  const model::World& world() const { return model_.world(); }
  const engine::Simulation& simulation() const { return model_.simulation(); }

  // A generous bound on the file's size: every value of every series, uncompressed.
  std::uintmax_t expected_output_bytes() const;

  // Runs every step and commits the file; the record says what ran and its headline figures.
  output::RunRecord execute(const RunSettings& settings,
                            const std::function<void(const engine::Progress&)>& on_step = {});

 private:
  const model::ScenarioSpec& spec_;
  model::Model model_;
};

}  // namespace aidflow::run
