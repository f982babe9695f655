#pragma once
// The stepping engine: an ordered list of phases run every step, then recorders, then the ledger
// check. Phases run their agents in parallel internally; the order of phases is fixed.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "engine/ledger.hpp"

namespace aidflow::engine {

struct Phase {
  std::string name;
  std::function<void(int step)> run;
};

// Receives the state at the end of each step, after all phases and before the ledger closes it.
class Recorder {
 public:
  virtual ~Recorder() = default;
  virtual void record(int step) = 0;
};

struct RunOptions {
  int steps = 0;
  int threads = 0;  // 0: all cores
};

struct Progress {
  int step = 0;  // steps completed
  int steps = 0;
  double seconds = 0.0;
};

// The thread count a run with threads = 0 uses: every core TBB sees.
int default_thread_count();

// The threads a run asked for `requested` can use: TBB never runs more workers than cores, so
// asking for more (or for 0, every core) gives default_thread_count().
int effective_thread_count(int requested);

class Simulation {
 public:
  explicit Simulation(Ledger& ledger) : books_{&ledger} {}

  // Further books closed after each step, after the ledger.
  void add_books(StepBooks& books) { books_.push_back(&books); }
  void add_phase(Phase phase) { phases_.push_back(std::move(phase)); }
  void add_recorder(Recorder& recorder) { recorders_.push_back(&recorder); }
  const std::vector<Phase>& phases() const { return phases_; }
  // Wall seconds spent so far in each phase (in the order of phases()) and in the recorders and
  // books after the phases: where a run's time goes, for the benchmark (a clock read per phase
  // and step costs nothing next to a phase).
  const std::vector<double>& phase_seconds() const { return phase_seconds_; }
  double recorder_seconds() const { return recorder_seconds_; }

  // Runs `options.steps` steps in a TBB arena of `options.threads` slots. on_progress is called
  // after each step, outside the arena.
  void run(const RunOptions& options, const std::function<void(const Progress&)>& on_progress = {});

 private:
  void step(int s);

  std::vector<StepBooks*> books_;
  std::vector<Phase> phases_;
  std::vector<Recorder*> recorders_;
  std::vector<double> phase_seconds_;
  double recorder_seconds_ = 0.0;
};

}  // namespace aidflow::engine
