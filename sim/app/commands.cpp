#include "app/commands.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iomanip>
#include <ostream>

#include "app/progress.hpp"
#include "app/timings.hpp"
#include "engine/isa.hpp"
#include "engine/utf8.hpp"
#include "outcomes/declare.hpp"
#include "output/run_record.hpp"
#include "output/safe_file.hpp"
#include "run/scenario_run.hpp"
#include "scenario/input_error.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/uncertainty.hpp"
#include "scenario/yaml_source.hpp"
#include "sweep/runner.hpp"

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
scenario::LoadOptions load_options(const std::vector<std::string>& assignments) {
  scenario::LoadOptions options;
  for (const std::string& assignment : assignments) options.overrides.emplace_back(assignment);
  return options;
}

// An option that stands for an override, named in messages as typed ("--seed """ if empty).
void add_option_override(scenario::LoadOptions& options, const std::string& option,
                         const std::string& path, const std::optional<std::string>& value) {
  if (!value) return;
  const std::string shown = value->empty() ? "\"\"" : scenario::excerpt(*value);
  options.overrides.emplace_back(path + "=" + *value, option + " " + shown);
}

scenario::LoadOptions load_options(const RunRequest& request) {
  scenario::LoadOptions options = load_options(request.overrides);
  add_option_override(options, "--seed", "run.seed", request.seed);
  add_option_override(options, "--steps", "run.steps", request.steps);
  return options;
}

// The label goes into a UTF-8 attribute and the JSON summary: other bytes are refused, not
// stored garbled.
void check_label(const std::string& label) {
  const std::size_t at = engine::invalid_utf8_at(label);
  if (at == std::string::npos) return;
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned char>(label[at]));
  const scenario::SourceLocation where{std::make_shared<const std::string>("--label"), 0, 0};
  throw scenario::InputError(where, "",
                             std::string("not valid UTF-8 text (byte ") + byte + " at offset " +
                                 std::to_string(at) + "); give the label as UTF-8");
}

// After the result is committed: a summary that cannot be written says the result is whole.
void write_summary(const std::filesystem::path& file, const output::RunRecord& record,
                   const RunRequest& request) {
  try {
    output::remove_stale_temporaries(file);
    output::write_record(file, record, request.force);
  } catch (const output::OutputError& e) {
    throw output::OutputError(std::string(e.what()) + "; the result " + request.output.string() +
                              " is complete");
  }
}

double percent(engine::Cents part, engine::Cents whole) {
  return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

void print_summary(const model::World& world, const output::RunRecord& record, std::ostream& out) {
  const model::RunSummary& s = record.summary;
  out << std::fixed << std::setprecision(1);
  out << "scenario   " << scenario::printable(world.spec.name) << " (" << world.spec.run.steps
      << " weeks, seed " << world.spec.run.seed << ", " << record.wall_seconds << " s)\n";
  out << "label      " << scenario::printable(record.label) << "\n";
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
  out << "output     " << scenario::printable(record.output) << "\n";
}

// One line per declared outcome: its value and units, or a series' length and first date.
void print_outcomes(const outcomes::Bound& bound, const std::vector<outcomes::Values>& values,
                    const model::World& world, std::ostream& out) {
  out << std::defaultfloat << std::setprecision(10);
  for (std::size_t i = 0; i < bound.schemas.size(); ++i) {
    const outcomes::Schema& s = bound.schemas[i];
    out << "outcome    " << s.name;
    if (s.axis) {
      const auto first = world.spec.run.start_date + std::chrono::days{s.axis->days.front()};
      out << ": " << s.axis->days.size() << " values along " << s.axis->name << " from "
          << model::iso_date(first) << " (" << s.units << ")\n";
      continue;
    }
    std::visit([&](const auto& v) { out << " = " << v.front(); }, values[i]);
    out << " " << s.units << "\n";
  }
}

// The --outcomes arguments, bound to what this run records (before it runs).
std::optional<outcomes::Bound> bind_requested(const RunRequest& request,
                                              const model::World& world) {
  if (request.outcomes.empty()) return std::nullopt;
  std::vector<outcomes::Declaration> declared;
  for (const std::string& argument : request.outcomes) {
    for (auto& d :
         outcomes::command_line_outcomes(argument, static_cast<int>(declared.size()) + 1)) {
      declared.push_back(std::move(d));
    }
  }
  return outcomes::bind_outcomes(declared, run::catalog_of(world));
}

}  // namespace

void install_signal_handlers() {
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  std::signal(SIGHUP, on_interrupt);
  std::signal(SIGPIPE, SIG_IGN);
}

bool interrupt_requested() {
  return g_interrupt_signal.load() != 0;
}

void throw_if_interrupted() {
  if (interrupt_requested()) throw Interrupted();
}

void flush_summary(std::ostream& out, const std::filesystem::path& output) {
  errno = 0;
  out.flush();
  if (out) return;
  const std::string reason = errno != 0 ? std::string(" (") + std::strerror(errno) + ")" : "";
  throw std::runtime_error("cannot write the summary to standard output" + reason +
                           "; the result " + output.string() + " is complete");
}

void print_error(std::ostream& err, const std::string& message) {
  err << "error: " << scenario::printable(message) << "\n";
}

namespace {

// The overrides as the user typed them (--set a=1, --seed 7), for the label and the file.
std::vector<std::string> typed_overrides(const scenario::LoadOptions& options) {
  std::vector<std::string> typed;
  for (const scenario::Override& o : options.overrides) typed.push_back(o.origin);
  return typed;
}

}  // namespace

int run_scenario(const RunRequest& request, std::ostream& out) {
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  engine::active_isa();  // an AIDFLOW_ISA this machine cannot run stops here, before any work
  check_label(request.label);
  const scenario::LoadOptions options = load_options(request);
  const scenario::LoadedScenario loaded =
      scenario::load_scenario_and_files(request.scenario, options);
  const model::ScenarioSpec& spec = loaded.spec;
  // Cheap checks first, before building the world; free space once its size is known.
  output::OutputRules result_rules{.replace = request.force, .inputs = loaded.files};
  if (request.summary_json) {
    result_rules.others = {*request.summary_json};
    output::check_output(*request.summary_json, {.replace = request.force,
                                                 .inputs = loaded.files,
                                                 .others = {request.output},
                                                 .what = "summary file"});
  }
  output::check_output(request.output, result_rules);
  run::ScenarioRun scenario_run(spec, request.threads);
  const std::optional<outcomes::Bound> bound = bind_requested(request, scenario_run.world());
  result_rules.expected_bytes = scenario_run.expected_output_bytes();
  output::check_output(request.output, result_rules);
  ProgressLine progress(progress_mode(request.quiet), request.progress_every);
  // For --timings: stepping starts p.seconds before the first report, and ends at the last.
  Clock::time_point stepping_started = started, stepping_ended = started;
  double stepping = 0.0;
  const run::RunResult result = scenario_run.execute(
      {.output = request.output,
       .overwrite = request.force,
       .label = request.label,
       .scenario_file = request.scenario.string(),
       .command_line = request.command_line,
       .overrides = typed_overrides(options),
       .outcomes = bound ? &*bound : nullptr},
      [&](const engine::Progress& p) {
        stepping_ended = Clock::now();
        if (p.step == 1) {
          stepping_started = stepping_ended - std::chrono::duration_cast<Clock::duration>(
                                                  std::chrono::duration<double>(p.seconds));
        }
        stepping = p.seconds;
        progress.update(p);
        throw_if_interrupted();
      });
  progress.finish();
  const output::RunRecord& record = result.record;
  if (request.summary_json) write_summary(*request.summary_json, record, request);
  if (request.timings) {
    const std::chrono::duration<double> startup = stepping_started - started;
    const std::chrono::duration<double> output = Clock::now() - stepping_ended;
    print_timings(scenario_run.world(), scenario_run.simulation(),
                  {.startup = startup.count(), .stepping = stepping, .output = output.count()},
                  out);
  }
  if (request.quiet) return kExitOk;
  print_summary(scenario_run.world(), record, out);
  if (bound) print_outcomes(*bound, result.outcomes, scenario_run.world(), out);
  flush_summary(out, request.output);
  return kExitOk;
}

int validate_scenario(const std::filesystem::path& scenario,
                      const std::vector<std::string>& overrides, std::ostream& out) {
  const model::ScenarioSpec spec = scenario::load_scenario(scenario, load_options(overrides));
  out << scenario::printable(scenario.string()) << ": valid scenario \""
      << scenario::printable(spec.name) << "\" (" << spec.donors.size() << " donors, "
      << spec.channels.size() << " channels, " << spec.ministries.size() << " ministries, "
      << spec.factions.size() << " factions, " << spec.run.steps << " steps)\n";
  flush_summary(out, scenario);
  return kExitOk;
}

namespace {

// A field of one TSV line: tabs and line breaks written as \t, \n and \r.
std::string tsv_field(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out;
}

std::string where_of(const scenario::Uncertainty& u) {
  return u.where.to_string();
}

void print_tsv(const std::vector<scenario::Uncertainty>& found, std::ostream& out) {
  out << "path\tvalue\tlow\thigh\tdistribution\tnote\tclaims\twhere\n";
  for (const scenario::Uncertainty& u : found) {
    std::string claims;
    for (const std::string& tag : scenario::claim_tags(u.note)) {
      claims += (claims.empty() ? "" : " ") + tag;
    }
    out << tsv_field(u.path) << '\t' << u.value_text << '\t' << u.low_text << '\t' << u.high_text
        << '\t' << scenario::distribution_names()[static_cast<std::size_t>(u.distribution)] << '\t'
        << tsv_field(u.note) << '\t' << claims << '\t' << tsv_field(where_of(u)) << '\n';
  }
}

scenario::SourceNode scalar_node(const std::string& text, bool quoted) {
  scenario::SourceNode node;
  node.kind = scenario::SourceNode::Kind::Scalar;
  node.scalar = text;
  node.quoted = quoted;
  return node;
}

void add_key(scenario::SourceNode& map, const std::string& key, scenario::SourceNode value) {
  map.keys.push_back(key);
  map.key_locations.emplace_back();
  map.children.push_back(std::move(value));
}

// The list as YAML, written through the scenario tree's own emitter.
void print_yaml(const std::vector<scenario::Uncertainty>& found, std::ostream& out) {
  using Kind = scenario::SourceNode::Kind;
  scenario::SourceNode list;
  list.kind = Kind::Sequence;
  for (const scenario::Uncertainty& u : found) {
    scenario::SourceNode entry;
    entry.kind = Kind::Map;
    add_key(entry, "path", scalar_node(u.path, true));
    add_key(entry, "value", scalar_node(u.value_text, false));
    scenario::SourceNode range;
    range.kind = Kind::Sequence;
    range.children = {scalar_node(u.low_text, false), scalar_node(u.high_text, false)};
    add_key(entry, "range", std::move(range));
    add_key(entry, "distribution",
            scalar_node(scenario::distribution_names()[static_cast<std::size_t>(u.distribution)],
                        false));
    add_key(entry, "note", scalar_node(u.note, true));
    scenario::SourceNode claims;
    claims.kind = Kind::Sequence;
    for (const std::string& tag : scenario::claim_tags(u.note)) {
      claims.children.push_back(scalar_node(tag, true));
    }
    add_key(entry, "claims", std::move(claims));
    add_key(entry, "where", scalar_node(where_of(u), true));
    list.children.push_back(std::move(entry));
  }
  out << scenario::to_yaml(list);
}

}  // namespace

int list_uncertainties(const std::filesystem::path& scenario,
                       const std::vector<std::string>& overrides, UncertaintyFormat format,
                       std::ostream& out) {
  scenario::LoadedTree loaded = scenario::load_yaml_file(scenario);
  scenario::apply_overrides_checked(loaded.root, load_options(overrides).overrides);
  // Read in full first: every declaration is checked against its key's own valid range.
  scenario::read_scenario(loaded.root, scenario::SourceText::kLeftOut);
  const std::vector<scenario::Uncertainty> found = scenario::find_uncertainties(loaded.root);
  if (format == UncertaintyFormat::kTsv) {
    print_tsv(found, out);
  } else {
    print_yaml(found, out);
  }
  flush_summary(out, scenario);
  return kExitOk;
}

int report_errors(std::ostream& err, const std::function<int()>& body) {
  try {
    return body();
  } catch (const scenario::InputError& e) {
    print_error(err, e.what());
    return kExitBadInput;
  } catch (const output::OutputPathError& e) {
    print_error(err, e.what());
    return kExitBadInput;
  } catch (const engine::IsaError& e) {
    print_error(err, e.what());
    return kExitBadInput;
  } catch (const Interrupted&) {
    err << "interrupted: no output written\n";  // the progress line has ended its own line
    return kExitInterrupted;
  } catch (const sweep::SweepStopped&) {
    err << "interrupted: finished runs are kept; run again with --resume to finish the sweep\n";
    return kExitInterrupted;
  } catch (const std::exception& e) {  // ledger imbalance, HDF5 failure, ...
    print_error(err, e.what());
    return kExitFailure;
  }
}

}  // namespace aidflow::app
