// aidflow: run and check aid-diversion scenarios. Parses the command line and hands over to
// commands.cpp; nothing else lives here.
#include <CLI/CLI.hpp>
#include <charconv>
#include <iostream>

#include "aidflow_version.hpp"
#include "app/commands.hpp"
#include "app/sweep_command.hpp"

namespace {

std::string joined(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) line += (i ? " " : "") + std::string(argv[i]);
  return line;
}

// One value per --set, repeated for more. CLI11's default for a list lets one --set take every
// word up to the next option, which swallowed the scenario in `run --set a=1 SCENARIO -o X`.
void add_set_option(CLI::App* command, std::vector<std::string>& overrides) {
  command->add_option("--set", overrides, "Override a scenario value: path=value (repeatable)")
      ->expected(1)
      ->allow_extra_args(false)
      ->take_all();
}

// --threads and --workers: a whole number from 1 to 4096, worded like the scenario's own checks
// (CLI11's Range said "1e1 not in range 1 to 4096" of ten).
CLI::Validator thread_count() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        int value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc() && end == text.data() + text.size() && value >= 1 && value <= 4096) {
          return "";
        }
        return "expected a whole number from 1 to 4096, got " +
               (text.empty() ? std::string("nothing") : "\"" + text + "\"");
      },
      "1-4096");
}

void add_output_options(CLI::App* command, bool& quiet, double& progress_every) {
  command->add_flag("-q,--quiet", quiet, "No summary on stdout and no progress on stderr");
  command
      ->add_option("--progress-every", progress_every,
                   "Seconds between progress lines when stderr is not a terminal")
      ->check(CLI::Range(0.0, 86400.0));
}

// CLI11's own messages ("scenario is required", "Could not convert: ...") in the one-line form
// of every other error; --help and --version keep CLI11's output.
int report_parse_error(const CLI::App& cli, const CLI::ParseError& e) {
  if (e.get_exit_code() == 0) return cli.exit(e);
  std::string usage = "aidflow";
  for (const CLI::App* command : cli.get_subcommands()) usage += " " + command->get_name();
  aidflow::app::print_error(std::cerr, std::string(e.what()) + "; see " + usage + " --help");
  return aidflow::app::kExitBadInput;
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
  // Read as text and checked by the scenario loader, like run.seed and run.steps in a file.
  std::string seed, steps;
  auto* run = cli.add_subcommand("run", "Run a scenario and write its results to an HDF5 file");
  run->add_option("scenario", request.scenario, "Scenario YAML file")->required();
  run->add_option("-o,--output", request.output, "Result file (.h5) to create")->required();
  auto* seed_option = run->add_option("--seed", seed, "Random seed (overrides run.seed)");
  run->add_option("--threads", request.threads, "Worker threads (default: all cores)")
      ->check(thread_count());
  auto* steps_option = run->add_option("--steps", steps, "Weeks to simulate (overrides run.steps)");
  add_set_option(run, request.overrides);
  run->add_option("--outcomes", request.outcomes,
                  "Collect an outcome: NAME=EXPRESSION, or a file of them (repeatable; "
                  "docs/OUTCOMES.md)")
      ->expected(1)
      ->allow_extra_args(false)
      ->take_all();
  run->add_flag("--force", request.force, "Replace the output file if it exists");
  run->add_option("--label", request.label,
                  "Name of the run, stored in the file (default: scenario name and overrides)");
  std::filesystem::path summary_json;
  auto* summary_option = run->add_option("--summary-json", summary_json,
                                         "Also write the run's summary as JSON to this file");
  add_output_options(run, request.quiet, request.progress_every);
  run->add_flag("--timings", request.timings,
                "Also print start-up, per-phase and output seconds and peak memory");

  std::filesystem::path to_validate;
  std::vector<std::string> validate_overrides;
  auto* validate = cli.add_subcommand("validate", "Check a scenario file without running it");
  validate->add_option("scenario", to_validate, "Scenario YAML file")->required();
  add_set_option(validate, validate_overrides);

  std::filesystem::path to_list;
  std::vector<std::string> list_overrides;
  std::string list_format = "tsv";
  auto* uncertainties = cli.add_subcommand(
      "uncertainties", "List the values a scenario declares with a range (docs/SCENARIO.md)");
  uncertainties->add_option("scenario", to_list, "Scenario YAML file")->required();
  add_set_option(uncertainties, list_overrides);
  uncertainties->add_option("--format", list_format, "tsv (default) or yaml")
      ->check(CLI::IsMember({"tsv", "yaml"}));

  SweepRequest sweep_request;
  auto* sweep = cli.add_subcommand("sweep", "Run a sweep file's design of runs into a directory");
  sweep->add_option("sweep", sweep_request.sweep_file, "Sweep YAML file")->required();
  sweep->add_option("-o,--output", sweep_request.directory, "Sweep directory")->required();
  sweep
      ->add_option("--workers", sweep_request.workers,
                   "Runs at once in this process (default: fill the cores)")
      ->check(thread_count());
  sweep->add_option("--threads", sweep_request.threads, "Threads per run (default: cores/workers)")
      ->check(thread_count());
  std::string shard;
  auto* shard_option = sweep->add_option(
      "--shard", shard, "Run only slice K of N (job arrays); join with sweep-merge");
  sweep->add_flag("--resume", sweep_request.resume, "Run only what a killed sweep left undone");
  sweep->add_flag("--retry-failed", sweep_request.retry_failed,
                  "With --resume, run failed runs again too");
  sweep->add_flag("--mpi", sweep_request.mpi,
                  "Hand runs out from MPI rank 0 (under mpirun; needs an MPI build)");
  bool keep_runs = false, no_keep_runs = false;
  auto* keep_option = sweep->add_flag("--keep-runs", keep_runs,
                                      "Also write every run's full file to DIR/runs (default: only "
                                      "for sweeps of at most 100 runs)");
  auto* no_keep_option = sweep->add_flag("--no-keep-runs", no_keep_runs,
                                         "Write only the outcome store, even for a small sweep");
  keep_option->excludes(no_keep_option);
  sweep->add_flag("--timings", sweep_request.timings, "Also print where the runs' time went");
  sweep_request.progress_every = 30.0;
  add_output_options(sweep, sweep_request.quiet, sweep_request.progress_every);

  std::filesystem::path to_merge;
  auto* merge =
      cli.add_subcommand("sweep-merge", "Write a sweep's outcome store after its shards ran");
  merge->add_option("directory", to_merge, "Sweep directory")->required();

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return report_parse_error(cli, e);
  }
  if (*seed_option) request.seed = seed;
  if (*steps_option) request.steps = steps;
  if (*summary_option) request.summary_json = summary_json;
  if (*shard_option) sweep_request.shard = shard;
  if (*keep_option) sweep_request.keep_runs = true;
  if (*no_keep_option) sweep_request.keep_runs = false;
  request.command_line = joined(argc, argv);

  if (*run) {
    install_signal_handlers();
    return report_errors(std::cerr, [&] { return run_scenario(request, std::cout); });
  }
  if (*sweep) {
    install_signal_handlers();
    sweep_request.command_line = request.command_line;
    return report_errors(std::cerr, [&] { return run_sweep(sweep_request, std::cout); });
  }
  if (*merge) {
    return report_errors(std::cerr, [&] { return merge_sweep(to_merge, std::cout); });
  }
  if (*uncertainties) {
    const auto format = list_format == "yaml" ? UncertaintyFormat::kYaml : UncertaintyFormat::kTsv;
    return report_errors(
        std::cerr, [&] { return list_uncertainties(to_list, list_overrides, format, std::cout); });
  }
  return report_errors(
      std::cerr, [&] { return validate_scenario(to_validate, validate_overrides, std::cout); });
}
