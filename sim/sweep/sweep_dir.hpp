#pragma once
// A sweep's directory (docs/SWEEPS.md): sweep.yaml (the sweep file as given, so shards, resumes
// and merges check they belong to the same sweep), runs/run-NNNNNN.h5 with runs/run-NNNNNN.json
// (its record), and the index sweep.h5. A run counts as done only when its record is whole and,
// for a complete run, its file is there with the size the record states: a half-written file
// (still under its temporary name, or cut short) is never trusted.
#include <cstdint>
#include <filesystem>
#include <optional>

#include "output/run_record.hpp"
#include "sweep/plan.hpp"
#include "sweep/spec.hpp"

namespace aidflow::sweep {

inline constexpr const char* kSweepCopy = "sweep.yaml";
inline constexpr const char* kIndex = "sweep.h5";

// Creates the directory (and runs/) or checks an existing one holds this same sweep.
void prepare_directory(const std::filesystem::path& dir, const SweepSpec& spec);

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
