#include "app/commands.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <iomanip>
#include <ostream>

#include "app/output_path.hpp"
#include "app/progress.hpp"
#include "app/timings.hpp"
#include "io/input_error.hpp"
#include "io/run_writer.hpp"
#include "io/scenario_loader.hpp"
#include "model/model.hpp"
#include "model/record/event_table.hpp"
#include "model/record/recorder.hpp"
#include "model/record/summary.hpp"

namespace aidflow::app {
namespace {

std::atomic<int> g_interrupt_signal{0};

class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

extern "C" void on_interrupt(int signal) {
  g_interrupt_signal.store(signal);
}

// --set assignments, in the order given.
io::LoadOptions load_options(const std::vector<std::string>& assignments) {
  io::LoadOptions options;
  for (const std::string& assignment : assignments) options.overrides.emplace_back(assignment);
  return options;
}

// An option that stands for an override, named in messages as typed ("--seed """ if empty).
void add_option_override(io::LoadOptions& options, const std::string& option,
                         const std::string& path, const std::optional<std::string>& value) {
  if (!value) return;
  const std::string shown = value->empty() ? "\"\"" : io::excerpt(*value);
  options.overrides.emplace_back(path + "=" + *value, option + " " + shown);
}

io::LoadOptions load_options(const RunRequest& request) {
  io::LoadOptions options = load_options(request.overrides);
  add_option_override(options, "--seed", "run.seed", request.seed);
  add_option_override(options, "--steps", "run.steps", request.steps);
  return options;
}

// The summary is the run's last word: if it cannot be written (a closed pipe, a full disk), say so
// and exit 1, though the result file itself is complete.
void flush_summary(std::ostream& out, const std::filesystem::path& output) {
  errno = 0;
  out.flush();
  if (out) return;
  const std::string reason = errno != 0 ? std::string(" (") + std::strerror(errno) + ")" : "";
  throw std::runtime_error("cannot write the summary to standard output" + reason +
                           "; the result " + output.string() + " is complete");
}

// A generous bound on the file size: every value of every series, uncompressed.
std::uintmax_t expected_output_bytes(const model::World& world, int steps) {
  std::uintmax_t per_step = 0;
  const auto dims = model::IndicatorRecorder::dimensions(world);
  for (const auto& series : model::IndicatorRecorder::series()) {
    std::uintmax_t values = 1;
    for (const auto& name : series.dims) {
      for (const auto& d : dims) {
        if (d.name == name) values *= d.labels.size();
      }
    }
    per_step += 8 * values;
  }
  return per_step * static_cast<std::uintmax_t>(steps) + (1u << 20);
}

double percent(engine::Cents part, engine::Cents whole) {
  return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

void print_summary(const model::World& world, const std::filesystem::path& output, double seconds,
                   std::ostream& out) {
  const model::RunSummary s = model::summarize(world);
  out << std::fixed << std::setprecision(1);
  out << "scenario   " << io::printable(world.spec.name) << " (" << world.spec.run.steps
      << " weeks, seed " << world.spec.run.seed << ", " << seconds << " s)\n";
  out << "disbursed  $" << engine::cents_to_usd(s.disbursed) / 1e6 << "M\n";
  out << "delivered  " << percent(s.delivered, s.disbursed) << "%   overhead "
      << percent(s.overhead, s.disbursed) << "%   counter-terrorism "
      << percent(s.counter_terrorism, s.disbursed) << "%   diverted "
      << percent(s.diverted, s.disbursed) << "%\n";
  out << "diverted to:";
  for (std::size_t f = 0; f < s.diverted_by_faction.size(); ++f) {
    out << " " << world.spec.factions[f].id << " " << percent(s.diverted_by_faction[f], s.diverted)
        << "%";
  }
  out << "\nfactions at the end (treasury $M / fighters):";
  for (std::size_t f = 0; f < s.treasury.size(); ++f) {
    out << " " << world.spec.factions[f].id << " " << engine::cents_to_usd(s.treasury[f]) / 1e6
        << "/" << std::setprecision(0) << s.fighters[f] << std::setprecision(1);
  }
  out << "\nledger     balanced to the cent at every step (aid and faction accounts)\n";
  out << "output     " << output.string() << "\n";
}

}  // namespace

void install_signal_handlers() {
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  std::signal(SIGHUP, on_interrupt);
  std::signal(SIGPIPE, SIG_IGN);
}

void print_error(std::ostream& err, const std::string& message) {
  err << "error: " << io::printable(message) << "\n";
}

int run_scenario(const RunRequest& request, std::ostream& out) {
  const auto started = std::chrono::steady_clock::now();
  const io::LoadedScenario loaded =
      io::load_scenario_and_files(request.scenario, load_options(request));
  const model::ScenarioSpec& spec = loaded.spec;
  // Cheap checks first, before building the world; free space once its size is known.
  check_output_path(request.output, request.force, 0, loaded.files);
  model::Model model(spec);
  check_output_path(request.output, request.force,
                    expected_output_bytes(model.world(), spec.run.steps), loaded.files);
  const int threads = request.threads > 0 ? request.threads : engine::default_thread_count();
  io::RunMetadata metadata{.scenario_name = spec.name,
                           .scenario_file = request.scenario.string(),
                           .scenario_text = spec.source_text,
                           .command_line = request.command_line,
                           .start_date = spec.run.start_date,
                           .seed = spec.run.seed,
                           .threads = engine::effective_thread_count(request.threads),
                           .threads_requested = request.threads,
                           .steps = spec.run.steps};
  io::RunWriter writer(request.output, model::IndicatorRecorder::dimensions(model.world()),
                       model::IndicatorRecorder::series(), std::move(metadata),
                       io::WriterOptions{.overwrite = request.force},
                       model::event_table(model.world()));
  model::IndicatorRecorder recorder(model.world(), writer);
  model.simulation().add_recorder(recorder);
  ProgressLine progress(stderr_is_terminal());
  const std::chrono::duration<double> startup = std::chrono::steady_clock::now() - started;
  double seconds = 0.0;
  model.simulation().run({.steps = spec.run.steps, .threads = threads},
                         [&](const engine::Progress& p) {
                           progress.update(p);
                           seconds = p.seconds;
                           if (g_interrupt_signal.load() != 0) throw Interrupted();
                         });
  progress.finish();
  const auto output_started = std::chrono::steady_clock::now();
  writer.commit(model::IndicatorRecorder::final_variables(model.world()));
  const std::chrono::duration<double> output = std::chrono::steady_clock::now() - output_started;
  print_summary(model.world(), request.output, seconds, out);
  if (request.timings) {
    print_timings(model.world(), model.simulation(),
                  {.startup = startup.count(), .stepping = seconds, .output = output.count()}, out);
  }
  flush_summary(out, request.output);
  return kExitOk;
}

int validate_scenario(const std::filesystem::path& scenario,
                      const std::vector<std::string>& overrides, std::ostream& out) {
  const model::ScenarioSpec spec = io::load_scenario(scenario, load_options(overrides));
  out << io::printable(scenario.string()) << ": valid scenario \"" << io::printable(spec.name)
      << "\" (" << spec.donors.size() << " donors, " << spec.channels.size() << " channels, "
      << spec.ministries.size() << " ministries, " << spec.factions.size() << " factions, "
      << spec.run.steps << " steps)\n";
  flush_summary(out, scenario);
  return kExitOk;
}

int report_errors(std::ostream& err, const std::function<int()>& body) {
  try {
    return body();
  } catch (const io::InputError& e) {
    print_error(err, e.what());
    return kExitBadInput;
  } catch (const OutputPathError& e) {
    print_error(err, e.what());
    return kExitBadInput;
  } catch (const Interrupted&) {
    err << "interrupted: no output written\n";  // the progress line has ended its own line
    return kExitInterrupted;
  } catch (const std::exception& e) {  // ledger imbalance, HDF5 failure, ...
    print_error(err, e.what());
    return kExitFailure;
  }
}

}  // namespace aidflow::app
