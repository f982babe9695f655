#pragma once
// Runs a sweep's design: on one machine (several runs at once, each in its own TBB arena), as a
// fixed slice for job arrays (--shard K/N), or from an MPI work queue (rank 0 hands runs out as
// ranks ask, so a slow run never idles the others). Each run's scenario is the sweep's base tree
// with the run's overrides (the YAML is parsed once), its outcomes are collected as it steps and
// appended to this process's journal as it ends, with its file if runs are kept; the store is
// built from the journals, by one process only.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sweep/journal.hpp"
#include "sweep/mpi_queue.hpp"
#include "sweep/plan.hpp"
#include "sweep/spec.hpp"
#include "sweep/store.hpp"

namespace aidflow::sweep {

// Sweeps of at most this many runs keep every run's file unless told not to (--no-keep-runs);
// larger ones keep only the store unless told to (--keep-runs).
inline constexpr std::int64_t kSmallSweepRuns = 100;

struct Shard {
  int index = 1, count = 1;  // K of N, 1-based
};

// "K/N" as typed; throws scenario::InputError naming --shard.
Shard parse_shard(const std::string& text);

// Where a process's run time went, summed over its runs (seconds of the threads running them).
struct SweepTimings {
  double scenario = 0.0;   // the run's overrides on the base tree, and validation
  double model = 0.0;      // building the world and the model
  double stepping = 0.0;   // the model's phases
  double recording = 0.0;  // indicators computed, outcomes collected, rows handed to the file
  double writing = 0.0;    // finishing the run's file (waiting for the HDF5 thread), fingerprint
  double journal = 0.0;    // appending the entry
  SweepTimings& operator+=(const SweepTimings& t) {
    scenario += t.scenario;
    model += t.model;
    stepping += t.stepping;
    recording += t.recording;
    writing += t.writing;
    journal += t.journal;
    return *this;
  }
};

struct SweepProgress {
  std::int64_t total = 0;  // runs this process (or MPI job) has to do
  std::int64_t done = 0;   // of those, finished (complete or failed)
  std::int64_t failed = 0;
  std::int64_t skipped = 0;  // already there (--resume)
  double seconds = 0.0;
  bool keep_runs = false;
  SweepTimings timings;
};

struct SweepOptions {
  std::filesystem::path directory;
  int workers = 0;  // runs at once in this process; 0: fill the cores
  int threads = 0;  // threads per run; 0: the cores shared among the workers
  Shard shard;
  bool resume = false, retry_failed = false, mpi = false;
  std::optional<bool> keep_runs;  // none: only for small sweeps (kSmallSweepRuns)
  std::string command_line;
  std::function<void(const SweepProgress&)> on_progress;  // after each run, and at the start
  std::function<bool()> stop_requested;  // checked after every step of a run, and while planning
};

struct SweepResult {
  SweepProgress progress;
  // The store's counts, when this process wrote it: not on MPI ranks other than 0, nor on a
  // shard (sweep-merge writes it once every shard is done).
  std::optional<StoreCounts> store;
};

// Throws SweepStopped when stop_requested() said so, output::OutputError when a file cannot be
// written (a full disk is no model failure: nothing is recorded, and --resume redoes the run).
SweepResult run_sweep(const SweepSpec& spec, const SweepOptions& options);

// The whole sweep in this process, nothing written: each run's entry, by run number (what the
// Python module returns as a store). Runs `workers` at once of `threads` each (0: fill the cores).
std::vector<Entry> run_sweep_in_memory(const SweepSpec& spec, int workers, int threads,
                                       const std::function<bool()>& stop_requested,
                                       SweepTimings* timings = nullptr);

// How many runs at once and threads per run fill `cores`: workers × threads <= cores.
struct Fill {
  int workers = 1, threads = 1;
};
Fill fill_cores(int cores, int workers, int threads, std::int64_t runs);

}  // namespace aidflow::sweep
