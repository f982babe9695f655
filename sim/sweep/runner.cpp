#include "sweep/runner.hpp"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <mutex>
#include <numeric>
#include <thread>

#include "engine/simulation.hpp"
#include "outcomes/declare.hpp"
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

// Where a run goes: the directory (its file, if kept) or nowhere, how it is stopped, and the
// tables the sweep's runs share.
struct RunPlace {
  scenario::TableCache* tables = nullptr;
  const fs::path* directory = nullptr;  // none: nothing is written
  bool keep_runs = false;
  const std::string* command_line = nullptr;
  const std::function<bool()>* stop_requested = nullptr;
};

// The run's scenario: the sweep's base tree (extends resolved, `set:` applied) with the run's
// own overrides, validated as a scenario is; its YAML text only for a run file.
model::ScenarioSpec scenario_of(const SweepSpec& spec, const PlannedRun& run, bool with_file,
                                scenario::TableCache* tables) {
  scenario::SourceNode tree = spec.base;
  const std::vector<scenario::Override> own(
      run.overrides.begin() + static_cast<std::ptrdiff_t>(spec.fixed.size()), run.overrides.end());
  scenario::apply_overrides_checked(tree, own);
  return scenario::read_scenario(
      tree, with_file ? scenario::SourceText::kKept : scenario::SourceText::kLeftOut, tables);
}

// The outcomes bound to this run; a run whose outcomes do not fit the store (a parameter moved
// its dates, or left out a label) fails, saying so.
outcomes::Bound bound_for(const SweepSpec& spec, const run::ScenarioRun& run) {
  outcomes::Bound bound =
      outcomes::bind_outcomes(spec.store_outcomes, run::catalog_of(run.world()));
  if (!outcomes::same_layout(bound, spec.bound)) {
    throw std::runtime_error(
        "this run's outcomes do not fit the sweep's store (its steps, dates or units differ from "
        "the base scenario's)");
  }
  return bound;
}

// One planned run, start to journal entry. A run that throws (bad combination of values, ledger
// imbalance) is recorded as failed with its message. A stop request escapes, and so does a file
// that cannot be written (a full disk): that is no fault of the run, the next run would fail the
// same way, and with no entry --resume redoes it.
Entry execute(const SweepSpec& spec, const PlannedRun& run, const RunPlace& place, int threads,
              SweepTimings& timings) {
  const auto start = Clock::now();
  Entry entry{.run = run.run,
              .point = run.point,
              .replicate = run.replicate,
              .seed = run.seed,
              .fingerprint = run.fingerprint};
  try {
    std::optional<fs::path> file;
    if (place.directory && place.keep_runs) file = *place.directory / run.file;
    const model::ScenarioSpec scenario = scenario_of(spec, run, file.has_value(), place.tables);
    timings.scenario += since(start);
    auto lap = Clock::now();
    run::ScenarioRun scenario_run(scenario, threads);
    const outcomes::Bound bound = bound_for(spec, scenario_run);
    timings.model += since(lap);
    std::vector<std::string> typed;
    for (const scenario::Override& o : run.overrides) typed.push_back(o.assignment);
    lap = Clock::now();
    const run::RunResult result = scenario_run.execute(
        {.output = file,
         .overwrite = true,           // a file without an entry is not trusted: it is redone
         .remove_stale = false,       // done once for the directory
         .sync = false,               // the entry vouches for it by size and fingerprint
         .open_before_steps = false,  // the directory was checked; the file is made as it steps
         .label = run.label,
         .scenario_file = spec.scenario.string(),
         .command_line = place.command_line ? *place.command_line : "",
         .overrides = typed,
         .outcomes = &bound},
        [&](const engine::Progress&) {
          if (place.stop_requested && *place.stop_requested && (*place.stop_requested)()) {
            throw SweepStopped();
          }
        });
    const auto& phases = scenario_run.simulation().phase_seconds();
    const double stepping = std::accumulate(phases.begin(), phases.end(), 0.0);
    const double recording = scenario_run.simulation().recorder_seconds();
    timings.stepping += stepping;
    timings.recording += recording;
    if (file) {
      const auto written = fingerprint_of_file(*file);
      if (!written) throw output::OutputError("cannot read back " + file->string());
      entry.file = run.file;
      entry.file_bytes = result.record.file_bytes;
      entry.file_fingerprint = *written;
    }
    timings.writing += std::max(0.0, since(lap) - stepping - recording);
    entry.complete = true;
    entry.outcomes = result.outcomes;
  } catch (const SweepStopped&) {
    throw;
  } catch (const output::OutputError&) {
    throw;
  } catch (const std::exception& e) {
    entry.complete = false;
    entry.message = e.what();
    entry.outcomes.clear();
  }
  entry.wall_seconds = since(start);
  return entry;
}

// Counts and reports progress; shared by the worker threads.
class Tally {
 public:
  Tally(const SweepOptions& options, std::int64_t total, std::int64_t skipped, bool keep_runs)
      : options_(options), start_(Clock::now()) {
    progress_.total = total;
    progress_.skipped = skipped;
    progress_.keep_runs = keep_runs;
  }
  void run_done(bool complete, const SweepTimings& timings = {}) {
    std::lock_guard lock(mutex_);
    ++progress_.done;
    if (!complete) ++progress_.failed;
    add(timings);
    report();
  }
  void add(const SweepTimings& t) { progress_.timings += t; }
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
  const Journal journal(options.directory);
  Todo todo;
  for (std::int64_t r = options.shard.index - 1; r < plan.runs(); r += options.shard.count) {
    if (options.stop_requested && options.stop_requested()) throw SweepStopped();
    const auto entry = journal.has(r) ? journal.finished(plan.run(r)) : std::nullopt;
    const bool redo = !entry || (options.retry_failed && !entry->complete);
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

// `one(i)` for i = 0 .. count-1, `workers` at once; the first error stops starting more.
void run_local(std::size_t count, int workers, const std::function<void(std::size_t)>& one) {
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      pthread_setname_np(pthread_self(), "sweep-worker");  // what perf and top show for it
      try {
        for (std::size_t i; (i = next.fetch_add(1)) < count;) one(i);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        next = count;  // start nothing more; runs in progress finish or stop
      }
    });
  }
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

// A full disk mid-sweep: say what is kept and how to go on.
[[noreturn]] void stopped_by_output(const output::OutputError& e) {
  throw output::OutputError(
      std::string(e.what()) +
      "; the sweep stopped: finished runs are kept, run it again with --resume "
      "once the problem is fixed");
}

bool keeps_runs(const SweepOptions& options, const Plan& plan) {
  return options.keep_runs.value_or(plan.runs() <= kSmallSweepRuns);
}

// A run executed and journaled: what every way of sweeping into a directory does with a run.
class Recorder {
 public:
  Recorder(const SweepSpec& spec, const Plan& plan, const SweepOptions& options, bool keep_runs,
           bool sync_each)
      : spec_(spec),
        plan_(plan),
        journal_(options.directory),
        place_{.tables = &tables_,
               .directory = &options.directory,
               .keep_runs = keep_runs,
               .command_line = &options.command_line,
               .stop_requested = &options.stop_requested},
        sync_each_(sync_each) {
    if (keep_runs) {
      std::error_code ec;
      fs::create_directories(options.directory / kRunsDirectory, ec);
      if (ec)
        throw output::OutputError("cannot create " + (options.directory / kRunsDirectory).string());
    }
  }

  bool run(std::int64_t number, int threads, Tally& tally) {
    SweepTimings timings;
    const Entry entry = execute(spec_, plan_.run(number), place_, threads, timings);
    const auto start = Clock::now();
    journal_.append(entry);
    if (sync_each_) journal_.finish();
    timings.journal = since(start);
    tally.run_done(entry.complete, timings);
    return entry.complete;
  }

  void finish() { journal_.finish(); }

 private:
  const SweepSpec& spec_;
  const Plan& plan_;
  scenario::TableCache tables_;
  JournalWriter journal_;
  RunPlace place_;
  bool sync_each_;
};

SweepResult run_here(const SweepSpec& spec, const Plan& plan, const SweepOptions& options) {
  const DirectoryLock lock(options.directory, options.shard.index, options.shard.count);
  prepare_directory(options.directory, spec);
  const Todo todo = runs_to_do(plan, options);
  const Fill fill = fill_cores(engine::default_thread_count(), options.workers, options.threads,
                               static_cast<std::int64_t>(todo.runs.size()));
  const bool keep = keeps_runs(options, plan);
  Tally tally(options, static_cast<std::int64_t>(todo.runs.size()), todo.skipped, keep);
  try {
    Recorder recorder(spec, plan, options, keep, false);
    run_local(todo.runs.size(), fill.workers,
              [&](std::size_t i) { recorder.run(todo.runs[i], fill.threads, tally); });
    recorder.finish();
  } catch (const output::OutputError& e) {
    stopped_by_output(e);
  }
  SweepResult result{.progress = tally.result()};
  if (options.shard.count == 1) result.store = write_store(options.directory, spec, plan);
  return result;
}

// Rank 0 claims and checks the directory and lists what to do; the other ranks hold nothing but
// the run they are running, and end quietly if rank 0 could not start (rank 0 says why). Every
// rank journals its own runs, syncing each entry before it asks for the next run: rank 0 builds
// the store from them, maybe on another machine.
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
  const bool keep = keeps_runs(options, plan);
  Tally tally(options, static_cast<std::int64_t>(todo.runs.size()), todo.skipped, keep);
  try {
    Recorder recorder(spec, plan, options, keep, !session.coordinator());
    Tally local(options, 0, 0, keep);  // rank 0 counts runs as they are reported
    run_mpi_queue(
        session,
        {.runs = static_cast<std::int64_t>(todo.runs.size()),
         .run_number = [&](std::int64_t i) { return todo.runs[static_cast<std::size_t>(i)]; },
         .local_workers = fill.workers,
         .execute = [&](std::int64_t r) { return recorder.run(r, fill.threads, local); },
         .on_run_done = [&](bool complete) { tally.run_done(complete); },
         .stop_requested = options.stop_requested});
    recorder.finish();
    tally.add(local.result().timings);
  } catch (const output::OutputError& e) {
    stopped_by_output(e);
  }
  if (!session.coordinator()) return {};
  return {.progress = tally.result(), .store = write_store(options.directory, spec, plan)};
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

std::vector<Entry> run_sweep_in_memory(const SweepSpec& spec, int workers, int threads,
                                       const std::function<bool()>& stop_requested,
                                       SweepTimings* timings) {
  const Plan plan(spec);
  const Fill fill = fill_cores(engine::default_thread_count(), workers, threads, plan.runs());
  std::vector<Entry> entries(static_cast<std::size_t>(plan.runs()));
  std::mutex mutex;
  SweepTimings total;
  scenario::TableCache tables;
  const RunPlace nowhere{.tables = &tables, .stop_requested = &stop_requested};
  run_local(entries.size(), fill.workers, [&](std::size_t i) {
    SweepTimings t;
    entries[i] = execute(spec, plan.run(static_cast<std::int64_t>(i)), nowhere, fill.threads, t);
    std::lock_guard lock(mutex);
    total += t;
  });
  if (timings) *timings = total;
  return entries;
}

}  // namespace aidflow::sweep
