#include "sweep/runner.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <mutex>
#include <thread>

#include "engine/simulation.hpp"
#include "output/safe_file.hpp"
#include "run/scenario_run.hpp"
#include "scenario/input_error.hpp"
#include "scenario/scenario_loader.hpp"
#include "sweep/fingerprint.hpp"
#include "sweep/mpi_queue.hpp"
#include "sweep/sweep_dir.hpp"

namespace aidflow::sweep {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One planned run, start to record. A run that throws (bad combination of values, ledger
// imbalance) is recorded as failed with its message. A stop request escapes, and so does a file
// that cannot be written (a full disk): that is no fault of the run, the next run would fail the
// same way, and with no record --resume redoes it.
bool execute(const SweepSpec& spec, const PlannedRun& run, const SweepOptions& options,
             int threads) {
  const auto start = Clock::now();
  output::RunRecord record;
  try {
    const model::ScenarioSpec scenario =
        scenario::load_scenario(spec.scenario, scenario::LoadOptions{.overrides = run.overrides});
    run::ScenarioRun scenario_run(scenario);
    std::vector<std::string> typed;
    for (const scenario::Override& o : run.overrides) typed.push_back(o.assignment);
    record = scenario_run.execute(
        {.output = options.directory / run.file,
         .threads = threads,
         .overwrite = true,      // a file without a record is not trusted: it is redone
         .remove_stale = false,  // done once for the directory
         .label = run.label,
         .scenario_file = spec.scenario.string(),
         .command_line = options.command_line,
         .overrides = typed},
        [&](const engine::Progress&) {
          if (options.stop_requested && options.stop_requested()) throw SweepStopped();
        });
    const auto written = fingerprint_of_file(options.directory / run.file);
    if (!written)
      throw output::OutputError("cannot read back " + (options.directory / run.file).string());
    record.file_fingerprint = *written;
  } catch (const SweepStopped&) {
    throw;
  } catch (const output::OutputError&) {
    throw;
  } catch (const std::exception& e) {
    record = output::RunRecord{.label = run.label, .status = output::kFailed, .message = e.what()};
  }
  record.run = run.run;
  record.point = run.point;
  record.replicate = run.replicate;
  record.seed = run.seed;
  record.output = run.file;
  record.fingerprint = run.fingerprint;
  record.wall_seconds = since(start);
  output::write_record(options.directory / record_file(run.run), record, true);
  return record.status == output::kComplete;
}

// Counts and reports progress; shared by the worker threads.
class Tally {
 public:
  Tally(const SweepOptions& options, std::int64_t total, std::int64_t skipped)
      : options_(options), start_(Clock::now()) {
    progress_.total = total;
    progress_.skipped = skipped;
  }
  void run_done(bool complete) {
    std::lock_guard lock(mutex_);
    ++progress_.done;
    if (!complete) ++progress_.failed;
    report();
  }
  SweepProgress result() {
    std::lock_guard lock(mutex_);
    progress_.seconds = since(start_);
    return progress_;
  }

 private:
  void report() {
    progress_.seconds = since(start_);
    if (options_.on_progress) options_.on_progress(progress_);
  }
  const SweepOptions& options_;
  Clock::time_point start_;
  std::mutex mutex_;
  SweepProgress progress_;
};

// The runs this process (its shard, or the whole MPI job on rank 0) still has to do, by number,
// and how many it skips as done.
struct Todo {
  std::vector<std::int64_t> runs;
  std::int64_t skipped = 0;
};

Todo runs_to_do(const Plan& plan, const SweepOptions& options) {
  const std::vector<bool> recorded = recorded_runs(options.directory, plan.runs());
  Todo todo;
  for (std::int64_t r = options.shard.index - 1; r < plan.runs(); r += options.shard.count) {
    if (options.stop_requested && options.stop_requested()) throw SweepStopped();
    const auto record = recorded[static_cast<std::size_t>(r)]
                            ? finished_record(options.directory, plan.run(r))
                            : std::nullopt;
    const bool redo = !record || (options.retry_failed && record->status == output::kFailed);
    if (!redo && !options.resume) {
      const scenario::SourceLocation where{std::make_shared<const std::string>("-o"), 0, 0};
      throw scenario::InputError(
          where, "",
          options.directory.string() +
              " already holds finished runs of this sweep; add --resume to run "
              "only what is missing, or choose another directory");
    }
    if (redo) {
      todo.runs.push_back(r);
    } else {
      ++todo.skipped;
    }
  }
  return todo;
}

void run_local(const std::vector<std::int64_t>& todo, const Fill& fill,
               const std::function<bool(std::int64_t)>& one, Tally& tally) {
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  std::vector<std::thread> workers;
  for (int w = 0; w < fill.workers; ++w) {
    workers.emplace_back([&] {
      try {
        for (std::size_t i; (i = next.fetch_add(1)) < todo.size();) tally.run_done(one(todo[i]));
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        next = todo.size();  // start nothing more; runs in progress finish or stop
      }
    });
  }
  for (auto& w : workers) w.join();
  if (error) std::rethrow_exception(error);
}

// A full disk mid-sweep: say what is kept and how to go on.
[[noreturn]] void stopped_by_output(const output::OutputError& e) {
  throw output::OutputError(
      std::string(e.what()) +
      "; the sweep stopped: finished runs are kept, run it again with --resume "
      "once the problem is fixed");
}

SweepResult run_here(const SweepSpec& spec, const Plan& plan, const SweepOptions& options) {
  const DirectoryLock lock(options.directory, options.shard.index, options.shard.count);
  prepare_directory(options.directory, spec);
  const Todo todo = runs_to_do(plan, options);
  const Fill fill = fill_cores(engine::default_thread_count(), options.workers, options.threads,
                               static_cast<std::int64_t>(todo.runs.size()));
  Tally tally(options, static_cast<std::int64_t>(todo.runs.size()), todo.skipped);
  try {
    run_local(
        todo.runs, fill,
        [&](std::int64_t r) { return execute(spec, plan.run(r), options, fill.threads); }, tally);
  } catch (const output::OutputError& e) {
    stopped_by_output(e);
  }
  SweepResult result{.progress = tally.result()};
  if (options.shard.count == 1) result.index = write_index(options.directory, spec, plan);
  return result;
}

// Rank 0 claims and checks the directory and lists what to do; the other ranks hold nothing but
// the run they are running, and end quietly if rank 0 could not start (rank 0 says why).
SweepResult run_with_mpi(const SweepSpec& spec, const Plan& plan, const SweepOptions& options) {
  const MpiSession session;
  std::optional<DirectoryLock> lock;
  Todo todo;
  std::exception_ptr refused;
  if (session.coordinator()) {
    try {
      lock.emplace(options.directory, 1, 1);
      prepare_directory(options.directory, spec);
      todo = runs_to_do(plan, options);
    } catch (...) {
      refused = std::current_exception();
    }
  }
  if (!session.share(!refused)) {
    if (refused) std::rethrow_exception(refused);
    return {};
  }
  const Fill fill{.workers = options.workers > 0 ? options.workers : 1,
                  .threads = options.threads > 0 ? options.threads : 1};
  Tally tally(options, static_cast<std::int64_t>(todo.runs.size()), todo.skipped);
  try {
    run_mpi_queue(
        session,
        {.runs = static_cast<std::int64_t>(todo.runs.size()),
         .run_number = [&](std::int64_t i) { return todo.runs[static_cast<std::size_t>(i)]; },
         .local_workers = fill.workers,
         .execute =
             [&](std::int64_t r) { return execute(spec, plan.run(r), options, fill.threads); },
         .on_run_done = [&](bool complete) { tally.run_done(complete); },
         .stop_requested = options.stop_requested});
  } catch (const output::OutputError& e) {
    stopped_by_output(e);
  }
  if (!session.coordinator()) return {};
  return {.progress = tally.result(), .index = write_index(options.directory, spec, plan)};
}

}  // namespace

Shard parse_shard(const std::string& text) {
  Shard shard;
  const auto slash = text.find('/');
  const auto parse = [](std::string_view part, int& out) {
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc() && end == part.data() + part.size();
  };
  const bool ok = slash != std::string::npos &&
                  parse(std::string_view(text).substr(0, slash), shard.index) &&
                  parse(std::string_view(text).substr(slash + 1), shard.count) &&
                  shard.count >= 1 && shard.index >= 1 && shard.index <= shard.count;
  if (!ok) {
    const scenario::SourceLocation where{std::make_shared<const std::string>("--shard"), 0, 0};
    throw scenario::InputError(where, "",
                               "expected K/N with 1 <= K <= N (this job's slice: K of N), got \"" +
                                   scenario::excerpt(text) + "\"");
  }
  return shard;
}

Fill fill_cores(int cores, int workers, int threads, std::int64_t runs) {
  cores = std::max(1, cores);
  Fill fill;
  if (workers > 0) {
    fill.workers = workers;
    fill.threads = threads > 0 ? threads : std::max(1, cores / workers);
  } else if (threads > 0) {
    fill.threads = threads;
    fill.workers = std::max(1, cores / threads);
  } else {
    // Runs side by side scale better than threads within a run: one thread each, and the
    // cores left over when there are fewer runs than cores go to the runs as threads.
    fill.workers = static_cast<int>(std::clamp<std::int64_t>(runs, 1, cores));
    fill.threads = std::max(1, cores / fill.workers);
  }
  return fill;
}

SweepResult run_sweep(const SweepSpec& spec, const SweepOptions& options) {
  const Plan plan(spec);
  return options.mpi ? run_with_mpi(spec, plan, options) : run_here(spec, plan, options);
}

}  // namespace aidflow::sweep
