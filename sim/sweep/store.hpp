#pragma once
// A sweep's outcome store, DIR/sweep.h5 (docs/SWEEPS.md): one netCDF-4-compatible file holding
// every run's declared outcomes (one value per run, or a series per run along dated axes), with
// what each run was as coordinates of `run` (design point, replicate, seed, each parameter's value
// under the name the sweep file gave it, booleans as booleans, the design's coordinates, status,
// message, label, its file if kept, wall time). `xarray.open_dataset` opens it in one call. Built
// from the journal by one process (the sweep, MPI rank 0, or sweep-merge) a block of rows at a
// time; the same columns, built from entries in memory, are what the Python module returns.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "aidflow_file_format.hpp"
#include "output/table_file.hpp"
#include "sweep/journal.hpp"
#include "sweep/plan.hpp"
#include "sweep/spec.hpp"

namespace aidflow::sweep {

inline constexpr const char* kStore = "sweep.h5";
// From analysis/aidflow_analysis/file_format.json (1: the index of totals, before outcomes).
inline constexpr std::int64_t kStoreFormatVersion = kSweepIndexFormatVersion;

// True for a name the store gives a coordinate of its own: a parameter or outcome may not take it.
bool is_store_coordinate(const std::string& name);

struct StoreCounts {
  std::int64_t complete = 0, failed = 0, missing = 0;
};

// The entry of a finished run, if there is one.
using EntryOf = std::function<std::optional<Entry>(const PlannedRun&)>;

// The store's columns for runs [first, last), and its axes and root attributes.
std::vector<output::TableColumn> store_columns(const SweepSpec& spec, const Plan& plan,
                                               std::int64_t first, std::int64_t last,
                                               const EntryOf& entry_of, StoreCounts& counts);
std::vector<output::TableDimension> store_dimensions(const SweepSpec& spec);
output::TableAttributes store_attributes(const SweepSpec& spec, const Plan& plan,
                                         const StoreCounts& counts);

// Writes DIR/sweep.h5 from the journal's entries of every planned run (runs without one as
// "missing").
StoreCounts write_store(const std::filesystem::path& dir, const SweepSpec& spec, const Plan& plan);

}  // namespace aidflow::sweep
