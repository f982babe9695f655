// aidflow: run and check aid-diversion scenarios. Parses the command line and hands over to
// commands.cpp; nothing else lives here.
#include <CLI/CLI.hpp>
#include <iostream>

#include "aidflow_version.hpp"
#include "app/commands.hpp"

namespace {

std::string joined(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) line += (i ? " " : "") + std::string(argv[i]);
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace aidflow::app;
  CLI::App cli{
      "aidflow: simulate aid flowing into a contested state and its diversion to armed "
      "factions"};
  cli.set_version_flag("--version",
                       std::string("aidflow ") + AIDFLOW_VERSION + " (" + AIDFLOW_GIT_COMMIT + ")");
  cli.require_subcommand(1);

  RunRequest request;
  std::uint64_t seed = 0;
  int steps = 0;
  auto* run = cli.add_subcommand("run", "Run a scenario and write its results to an HDF5 file");
  run->add_option("scenario", request.scenario, "Scenario YAML file")->required();
  run->add_option("-o,--output", request.output, "Result file (.h5) to create")->required();
  auto* seed_option = run->add_option("--seed", seed, "Random seed (overrides run.seed)");
  run->add_option("--threads", request.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 4096));
  auto* steps_option = run->add_option("--steps", steps, "Weeks to simulate (overrides run.steps)");
  run->add_option("--set", request.overrides, "Override a scenario value: path=value")->take_all();
  run->add_flag("--force", request.force, "Replace the output file if it exists");

  std::filesystem::path to_validate;
  std::vector<std::string> validate_overrides;
  auto* validate = cli.add_subcommand("validate", "Check a scenario file without running it");
  validate->add_option("scenario", to_validate, "Scenario YAML file")->required();
  validate->add_option("--set", validate_overrides, "Override a scenario value: path=value");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  if (*seed_option) request.seed = seed;
  if (*steps_option) request.steps = steps;
  request.command_line = joined(argc, argv);

  if (*run) {
    install_interrupt_handlers();
    return report_errors(std::cerr, [&] { return run_scenario(request, std::cout); });
  }
  return report_errors(
      std::cerr, [&] { return validate_scenario(to_validate, validate_overrides, std::cout); });
}
