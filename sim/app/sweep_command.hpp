#pragma once
// `aidflow sweep` and `aidflow sweep-merge`: options in, the sweep library called, progress and a
// closing summary out.
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

namespace aidflow::app {

struct SweepRequest {
  std::filesystem::path sweep_file;
  std::filesystem::path directory;
  int workers = 0, threads = 0;
  std::optional<std::string> shard;  // "K/N" as given (an empty one is refused); none: all
  bool resume = false, retry_failed = false, mpi = false, quiet = false;
  std::optional<bool> keep_runs;  // --keep-runs / --no-keep-runs; none: small sweeps keep them
  bool timings = false;           // print where the time went
  double progress_every = 30.0;
  std::string command_line;
};

int run_sweep(const SweepRequest& request, std::ostream& out);

int merge_sweep(const std::filesystem::path& directory, std::ostream& out);

}  // namespace aidflow::app
