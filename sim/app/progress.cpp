#include "app/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace aidflow::app {

bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

ProgressLine::ProgressLine(bool enabled) : enabled_(enabled) {}

void ProgressLine::update(const engine::Progress& p) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  // Redraw at most ten times a second, and always on the last step.
  if (drawn_ && p.step != p.steps && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  const double rate = p.seconds > 0.0 ? p.step / p.seconds : 0.0;
  const double eta = rate > 0.0 ? (p.steps - p.step) / rate : 0.0;
  const int width = 30;
  const int filled = p.steps > 0 ? width * p.step / p.steps : width;
  std::fprintf(stderr, "\r[%.*s%*s] step %d/%d  %.1f steps/s  ETA %.0fs ", filled,
               "##############################", width - filled, "", p.step, p.steps, rate, eta);
  std::fflush(stderr);
}

ProgressLine::~ProgressLine() {
  finish();
}

void ProgressLine::finish() {
  if (enabled_ && drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace aidflow::app
