#pragma once
// A sweep's directory (docs/SWEEPS.md): sweep.yaml (the sweep as read) and scenario.yaml (its
// base scenario as read, `set:` applied), so sweep-merge can plan it and lay out its store again;
// inputs.txt (the fingerprint of every file the sweep read, so a resume, shard or merge with other
// inputs is refused); journal/ (how each run ended and its outcomes, sweep/journal.hpp); runs/
// (run files, when kept); the store sweep.h5 (sweep/store.hpp); and .lock (which process is
// sweeping into it).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sweep/spec.hpp"

namespace aidflow::sweep {

inline constexpr const char* kSweepCopy = "sweep.yaml";
inline constexpr const char* kScenarioCopy = "scenario.yaml";
inline constexpr const char* kInputs = "inputs.txt";
inline constexpr const char* kRunsDirectory = "runs";

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
// sweep, its base scenario and its inputs, or checks those recorded are the same (an InputError
// names the file that changed). A bad -o is an OutputPathError.
void prepare_directory(const std::filesystem::path& dir, const SweepSpec& spec);

// The inputs a directory's sweep began with (DIR/inputs.txt); empty if it has none.
std::vector<InputFile> recorded_inputs(const std::filesystem::path& dir);

// The base scenario a directory's sweep ran on (DIR/scenario.yaml), parsed: how sweep-merge lays
// out the store as the sweep did, far from the scenario's files.
scenario::SourceNode recorded_scenario(const std::filesystem::path& dir);

}  // namespace aidflow::sweep
