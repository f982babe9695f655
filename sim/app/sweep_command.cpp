#include "app/sweep_command.hpp"

#include <cstdio>
#include <ostream>

#include "app/commands.hpp"
#include "app/progress.hpp"
#include "engine/isa.hpp"
#include "scenario/input_error.hpp"
#include "sweep/fingerprint.hpp"
#include "sweep/plan.hpp"
#include "sweep/runner.hpp"
#include "sweep/store.hpp"
#include "sweep/sweep_dir.hpp"
#include "sweep/sweep_file.hpp"

namespace aidflow::app {
namespace {

// A bar on a terminal; in a log, a line every few seconds (runs done, failed, rate, ETA).
class SweepDisplay {
 public:
  SweepDisplay(ProgressMode mode, double every) : throttle_(mode, every) {}
  ~SweepDisplay() {
    if (drawn_) std::fputc('\n', stderr);
  }
  void update(const sweep::SweepProgress& p) {
    if (!throttle_.due(p.done == p.total)) return;
    const double rate = p.seconds > 0 ? p.done / p.seconds : 0.0;
    const std::string eta = rate > 0 ? format_duration((p.total - p.done) / rate) : "?";
    if (throttle_.mode() == ProgressMode::Log) {
      std::fprintf(stderr, "sweep: %lld/%lld runs done, %lld failed, %.1f runs/h, ETA %s\n",
                   static_cast<long long>(p.done), static_cast<long long>(p.total),
                   static_cast<long long>(p.failed), 3600 * rate, eta.c_str());
    } else {
      const int width = 30;
      const int filled = p.total > 0 ? static_cast<int>(width * p.done / p.total) : width;
      std::fprintf(stderr, "\r[%.*s%*s] %lld/%lld runs  %lld failed  ETA %s ", filled,
                   "##############################", width - filled, "",
                   static_cast<long long>(p.done), static_cast<long long>(p.total),
                   static_cast<long long>(p.failed), eta.c_str());
      drawn_ = true;
    }
    std::fflush(stderr);
  }

 private:
  ProgressThrottle throttle_;
  bool drawn_ = false;
};

void print_store(const std::filesystem::path& dir, const sweep::StoreCounts& c, std::ostream& out) {
  out << "store      " << scenario::printable((dir / sweep::kStore).string()) << " (" << c.complete
      << " complete, " << c.failed << " failed, " << c.missing << " missing)\n";
}

// Where the runs' time went, summed over the threads running them (--timings).
void print_timings(const sweep::SweepProgress& p, std::ostream& out) {
  const sweep::SweepTimings& t = p.timings;
  const double total = t.scenario + t.model + t.stepping + t.recording + t.writing + t.journal;
  const auto line = [&](const char* what, double seconds) {
    char text[128];
    std::snprintf(text, sizeof text, "  %-44s %9.3f s %5.1f%%\n", what, seconds,
                  total > 0 ? 100 * seconds / total : 0.0);
    out << text;
  };
  out << "timings    " << p.done << " runs, " << (p.keep_runs ? "run files kept" : "no run files")
      << ", seconds of the threads running them:\n";
  line("scenario (overrides on the parsed base, checks)", t.scenario);
  line("model (world, households)", t.model);
  line("stepping (phases)", t.stepping);
  line("recording (indicators, outcomes, rows to file)", t.recording);
  line("writing (finishing the run file)", t.writing);
  line("journal (appending the run's entry)", t.journal);
}

}  // namespace

int run_sweep(const SweepRequest& request, std::ostream& out) {
  engine::active_isa();  // an AIDFLOW_ISA this machine cannot run stops here, before any work
  const sweep::Shard shard = request.shard ? sweep::parse_shard(*request.shard) : sweep::Shard{};
  const sweep::SweepSpec spec = sweep::load_sweep(request.sweep_file, true, throw_if_interrupted);
  SweepDisplay display(progress_mode(request.quiet), request.progress_every);
  const sweep::SweepResult result = sweep::run_sweep(
      spec, {.directory = request.directory,
             .workers = request.workers,
             .threads = request.threads,
             .shard = shard,
             .resume = request.resume,
             .retry_failed = request.retry_failed,
             .mpi = request.mpi,
             .keep_runs = request.keep_runs,
             .command_line = request.command_line,
             .on_progress = [&](const sweep::SweepProgress& p) { display.update(p); },
             .stop_requested = [] { return interrupt_requested(); }});
  const bool other_rank = request.mpi && !result.store;
  if (other_rank || (request.quiet && !request.timings)) return kExitOk;
  const sweep::SweepProgress& p = result.progress;
  if (request.timings) print_timings(p, out);
  if (request.quiet) {
    flush_summary(out, request.directory);
    return kExitOk;
  }
  out << "sweep      " << scenario::printable(spec.name) << ": " << p.done << " runs in "
      << format_duration(p.seconds) << " (" << p.failed << " failed), " << p.skipped
      << " already done\n";
  if (shard.count > 1) {
    out << "shard      " << shard.index << "/" << shard.count
        << " done; join the shards with: aidflow sweep-merge " << request.directory.string()
        << "\n";
    flush_summary(out, request.directory);
    return kExitOk;
  }
  print_store(request.directory, *result.store, out);
  flush_summary(out, request.directory / sweep::kStore);
  return kExitOk;
}

int merge_sweep(const std::filesystem::path& directory, std::ostream& out) {
  const std::filesystem::path copy = directory / sweep::kSweepCopy;
  if (!std::filesystem::is_regular_file(copy)) {
    const scenario::SourceLocation where{std::make_shared<const std::string>(directory.string()), 0,
                                         0};
    throw scenario::InputError(where, "",
                               "not a sweep directory (no " + std::string(sweep::kSweepCopy) + ")");
  }
  sweep::SweepSpec spec = sweep::load_sweep(copy, false);
  spec.inputs = sweep::recorded_inputs(directory);
  spec.inputs_fingerprint = sweep::inputs_fingerprint(spec.inputs);
  spec.base = sweep::recorded_scenario(directory);
  sweep::bind_store(spec);
  print_store(directory, sweep::write_store(directory, spec, sweep::Plan(spec)), out);
  flush_summary(out, directory / sweep::kStore);
  return kExitOk;
}

}  // namespace aidflow::app
