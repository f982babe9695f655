#include "app/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace aidflow::app {

bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

ProgressMode progress_mode(bool quiet) {
  if (quiet) return ProgressMode::Off;
  return stderr_is_terminal() ? ProgressMode::Terminal : ProgressMode::Log;
}

bool ProgressThrottle::due(bool last) {
  if (mode_ == ProgressMode::Off) return false;
  const auto now = std::chrono::steady_clock::now();
  const std::chrono::duration<double> since = now - last_draw_;
  const bool terminal = mode_ == ProgressMode::Terminal;
  const bool due = terminal ? (!drawn_ || last || since.count() >= 0.1) : since.count() >= every_;
  if (due) {
    last_draw_ = now;
    drawn_ = true;
  }
  return due;
}

std::string format_duration(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char text[32];
  if (s < 60) {
    std::snprintf(text, sizeof text, "%lds", s);
  } else if (s < 3600) {
    std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  }
  return text;
}

ProgressLine::ProgressLine(ProgressMode mode, double every) : throttle_(mode, every) {}

void ProgressLine::update(const engine::Progress& p) {
  if (!throttle_.due(p.step == p.steps)) return;
  const double rate = p.seconds > 0.0 ? p.step / p.seconds : 0.0;
  const double eta = rate > 0.0 ? (p.steps - p.step) / rate : 0.0;
  if (throttle_.mode() == ProgressMode::Log) {
    std::fprintf(stderr, "progress: step %d/%d, %.1f steps/s, ETA %s\n", p.step, p.steps, rate,
                 format_duration(eta).c_str());
    std::fflush(stderr);
    return;
  }
  drawn_ = true;
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
  if (drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace aidflow::app
