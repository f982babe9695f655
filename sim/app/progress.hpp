#pragma once
// Progress on stderr: on a terminal a line redrawn in place (step, steps/s, ETA); in a log (a
// batch job's stderr, a pipe) a plain line every few seconds, so a job's log shows it is alive.
#include <chrono>
#include <string>

#include "engine/simulation.hpp"

namespace aidflow::app {

enum class ProgressMode { Off, Terminal, Log };

// Terminal when stderr is one, Log otherwise, Off when quiet.
ProgressMode progress_mode(bool quiet);

// When to draw: at most ten times a second on a terminal, every `every` seconds in a log.
class ProgressThrottle {
 public:
  ProgressThrottle(ProgressMode mode, double every) : mode_(mode), every_(every) {}
  bool due(bool last);  // `last`: the final update, always drawn on a terminal
  ProgressMode mode() const { return mode_; }

 private:
  ProgressMode mode_;
  double every_;
  std::chrono::steady_clock::time_point last_draw_ = std::chrono::steady_clock::now();
  bool drawn_ = false;
};

// "12s", "4m05s", "2h10m".
std::string format_duration(double seconds);

class ProgressLine {
 public:
  explicit ProgressLine(ProgressMode mode, double every = 10.0);
  ~ProgressLine();  // finish(): an interrupted run's message then starts on a line of its own
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  void update(const engine::Progress& progress);
  void finish();  // ends the terminal line, if one was drawn

 private:
  ProgressThrottle throttle_;
  bool drawn_ = false;
};

bool stderr_is_terminal();

}  // namespace aidflow::app
