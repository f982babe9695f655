#pragma once
// The `aidflow` subcommands, separate from argument parsing so tests can call them directly.
// Each returns the process exit code: 0 done, 1 runtime failure, 2 bad input.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace aidflow::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInterrupted = 130;

struct RunRequest {
  std::filesystem::path scenario;
  std::filesystem::path output;
  // --seed and --steps as typed: they become overrides of run.seed and run.steps, so they are
  // validated (and their errors worded) exactly like the scenario's own values.
  std::optional<std::string> seed;
  std::optional<std::string> steps;
  int threads = 0;  // 0: all cores
  std::vector<std::string> overrides;
  std::vector<std::string> outcomes;  // --outcomes FILE|NAME=EXPR, in order (docs/OUTCOMES.md)
  bool force = false;
  bool timings = false;  // print where the time and memory went (tests/bench/national.sh)
  std::string command_line;
  std::string label;                                  // empty: the scenario name plus its overrides
  std::optional<std::filesystem::path> summary_json;  // --summary-json, if given (even empty)
  bool quiet = false;                                 // no summary on stdout, no progress on stderr
  double progress_every = 10.0;                       // seconds between progress lines in a log
};

int run_scenario(const RunRequest& request, std::ostream& out);

int validate_scenario(const std::filesystem::path& scenario,
                      const std::vector<std::string>& overrides, std::ostream& out);

// `aidflow uncertainties`: the scenario's declared uncertainties (after extends and --set), one
// a line: path, value, range, distribution, note, the claim tags in the note, where declared.
enum class UncertaintyFormat { kTsv, kYaml };
int list_uncertainties(const std::filesystem::path& scenario,
                       const std::vector<std::string>& overrides, UncertaintyFormat format,
                       std::ostream& out);

// Runs `body`, turning the exceptions a user or the machine can cause into a message on `err`
// and an exit code, so no input ends in a crash.
int report_errors(std::ostream& err, const std::function<int()>& body);

// SIGINT, SIGTERM and SIGHUP (a closed terminal, a dropped ssh session) ask the run to stop at
// the end of the current step and clean up. SIGPIPE is ignored, so a closed stdout is an error
// the run reports rather than a silent death.
void install_signal_handlers();

// True once SIGINT, SIGTERM or SIGHUP arrived (after install_signal_handlers).
bool interrupt_requested();

// Throws what report_errors turns into "interrupted: no output written" (exit 130) once one did:
// for work that has written nothing yet (loading, validating, planning).
void throw_if_interrupted();

// The summary is a command's last word: if it cannot be written (a closed pipe, a full disk), say
// so and exit 1, though `output` is complete.
void flush_summary(std::ostream& out, const std::filesystem::path& output);

// One line for the terminal: "error: MESSAGE" with control characters escaped.
void print_error(std::ostream& err, const std::string& message);

}  // namespace aidflow::app
