#include "engine/simulation.hpp"

#include <tbb/info.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <memory>

namespace aidflow::engine {

int default_thread_count() {
  return tbb::info::default_concurrency();
}

int effective_thread_count(int requested) {
  const int cores = default_thread_count();
  return requested > 0 ? std::min(requested, cores) : cores;
}

void Simulation::run(const RunOptions& options,
                     const std::function<void(const Progress&)>& on_progress) {
  // An arena of its own, not a process-wide limit: runs of a sweep step side by side in one
  // process, each on its own threads. Results do not depend on the arena's size.
  // No more threads than TBB will give: asking for more prints a "TBB Warning" line.
  tbb::task_arena arena(effective_thread_count(options.threads));
  const auto start = std::chrono::steady_clock::now();
  for (int s = 0; s < options.steps; ++s) {
    arena.execute([&] { step(s); });
    if (on_progress) {
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
      on_progress(Progress{.step = s + 1, .steps = options.steps, .seconds = elapsed.count()});
    }
  }
}

void Simulation::step(int s) {
  using Clock = std::chrono::steady_clock;
  phase_seconds_.resize(phases_.size(), 0.0);
  auto last = Clock::now();
  const auto lap = [&last] {
    const auto now = Clock::now();
    const std::chrono::duration<double> elapsed = now - last;
    last = now;
    return elapsed.count();
  };
  for (std::size_t p = 0; p < phases_.size(); ++p) {
    phases_[p].run(s);
    phase_seconds_[p] += lap();
  }
  for (Recorder* recorder : recorders_) recorder->record(s);
  for (StepBooks* books : books_) books->close_step(s);
  recorder_seconds_ += lap();
}

}  // namespace aidflow::engine
