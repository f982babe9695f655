#pragma once
// Runs a sweep's design: on one machine (several runs at once, each in its own TBB arena), as a
// fixed slice for job arrays (--shard K/N), or from an MPI work queue (rank 0 hands runs out as
// ranks ask, so a slow run never idles the others). Each run writes its own file and record
// (one writer per file); the index is built from the records, by one process only.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "sweep/mpi_queue.hpp"
#include "sweep/plan.hpp"
#include "sweep/spec.hpp"
#include "sweep/sweep_dir.hpp"

namespace aidflow::sweep {

struct Shard {
  int index = 1, count = 1;  // K of N, 1-based
};

// "K/N" as typed; throws scenario::InputError naming --shard.
Shard parse_shard(const std::string& text);

struct SweepProgress {
  std::int64_t total = 0;  // runs this process (or MPI job) has to do
  std::int64_t done = 0;   // of those, finished (complete or failed)
  std::int64_t failed = 0;
  std::int64_t skipped = 0;  // already there (--resume)
  double seconds = 0.0;
};

struct SweepOptions {
  std::filesystem::path directory;
  int workers = 0;  // runs at once in this process; 0: fill the cores
  int threads = 0;  // threads per run; 0: the cores shared among the workers
  Shard shard;
  bool resume = false, retry_failed = false, mpi = false;
  std::string command_line;
  std::function<void(const SweepProgress&)> on_progress;  // after each run, and at the start
  std::function<bool()> stop_requested;  // checked after every step of a run, and while planning
};

struct SweepResult {
  SweepProgress progress;
  // The index's counts, when this process wrote it: not on MPI ranks other than 0, nor on a
  // shard (sweep-merge writes it once every shard is done).
  std::optional<IndexCounts> index;
};

// Throws SweepStopped when stop_requested() said so, output::OutputError when a file cannot be
// written (a full disk is no model failure: nothing is recorded, and --resume redoes the run).
SweepResult run_sweep(const SweepSpec& spec, const SweepOptions& options);

// How many runs at once and threads per run fill `cores`: workers × threads <= cores.
struct Fill {
  int workers = 1, threads = 1;
};
Fill fill_cores(int cores, int workers, int threads, std::int64_t runs);

}  // namespace aidflow::sweep
