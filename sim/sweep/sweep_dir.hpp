#pragma once
// A sweep's directory (docs/SWEEPS.md): sweep.yaml (the sweep as read, so sweep-merge can plan it
// again), inputs.txt (the fingerprint of every file the sweep read, so a resume, shard or merge
// with other inputs is refused), runs/run-NNNNNN.h5 with runs/run-NNNNNN.json (its record), the
// index sweep.h5, and .lock (which process is sweeping into it). A run counts as done only when
// its record is whole and describes this run of these inputs and, for a complete run, its file
// is there with the size and fingerprint the record states: a half-written, damaged or foreign
// file is never trusted.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "output/run_record.hpp"
#include "sweep/plan.hpp"
#include "sweep/spec.hpp"

namespace aidflow::sweep {

inline constexpr const char* kSweepCopy = "sweep.yaml";
inline constexpr const char* kInputs = "inputs.txt";
inline constexpr const char* kIndex = "sweep.h5";

// True for a name the index gives a column of its own (a parameter may not take it).
bool is_index_column(const std::string& name);

// A process's claim on a sweep directory (created with runs/ if need be), held while it lives: the
// whole sweep (slices 1) takes the directory alone; slice K of N shares it with the other slices
// but not with another K of N. A second `aidflow sweep` into the same directory and slice is
// refused (OutputPathError) rather than doing the same runs again. Where the file system has no
// locks, nothing is claimed.
class DirectoryLock {
 public:
  DirectoryLock(const std::filesystem::path& dir, int slice, int slices);
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_ = -1;
};

// With the directory claimed: removes temporary files of writers that are gone, then records the
// sweep and its inputs, or checks those recorded are the same (an InputError names the file that
// changed). A bad -o is an OutputPathError.
void prepare_directory(const std::filesystem::path& dir, const SweepSpec& spec);

// The inputs a directory's sweep began with (DIR/inputs.txt); empty if it has none.
std::vector<InputFile> recorded_inputs(const std::filesystem::path& dir);

// Which of the runs 0 .. runs-1 have a record file, from one listing of DIR/runs (a bit a run):
// the records of a fresh directory need not be looked for one by one.
std::vector<bool> recorded_runs(const std::filesystem::path& dir, std::int64_t runs);

// The record of a run that is done (complete with its file intact, or failed), if any.
std::optional<output::RunRecord> finished_record(const std::filesystem::path& dir,
                                                 const PlannedRun& run);

struct IndexCounts {
  std::int64_t complete = 0, failed = 0, missing = 0;
};

// Writes DIR/sweep.h5 from the records of every planned run (missing runs included, as rows
// with status "missing").
IndexCounts write_index(const std::filesystem::path& dir, const SweepSpec& spec, const Plan& plan);

}  // namespace aidflow::sweep
