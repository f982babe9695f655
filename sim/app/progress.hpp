#pragma once
// The progress line on stderr (step, steps/s, ETA), drawn only when stderr is a terminal so logs
// and pipes stay clean.
#include <chrono>

#include "engine/simulation.hpp"

namespace aidflow::app {

class ProgressLine {
 public:
  explicit ProgressLine(bool enabled);
  ~ProgressLine();  // finish(): an interrupted run's message then starts on a line of its own
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  void update(const engine::Progress& progress);
  void finish();  // ends the line, if one was drawn

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
};

bool stderr_is_terminal();

}  // namespace aidflow::app
