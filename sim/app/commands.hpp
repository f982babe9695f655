#pragma once
// The `aidflow` subcommands, separate from argument parsing so tests can call them directly.
// Each returns the process exit code: 0 done, 1 runtime failure, 2 bad input.
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
  std::optional<std::uint64_t> seed;
  std::optional<int> steps;
  int threads = 0;  // 0: all cores
  std::vector<std::string> overrides;
  bool force = false;
  std::string command_line;
};

int run_scenario(const RunRequest& request, std::ostream& out);

int validate_scenario(const std::filesystem::path& scenario,
                      const std::vector<std::string>& overrides, std::ostream& out);

// Runs `body`, turning the exceptions a user or the machine can cause into a message on `err`
// and an exit code, so no input ends in a crash.
int report_errors(std::ostream& err, const std::function<int()>& body);

// SIGINT/SIGTERM ask the run to stop at the end of the current step and clean up.
void install_interrupt_handlers();

}  // namespace aidflow::app
