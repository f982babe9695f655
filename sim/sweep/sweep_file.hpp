#pragma once
// Sweep file -> validated SweepSpec (schema in docs/SWEEPS.md). Checked like a scenario: every
// mistake is an InputError naming file, line, column, key path and what was expected, and every
// value a parameter can take is tried on the base scenario before anything runs, so a typo in a
// path or a value out of range is caught here, not in run 4,000 of a cluster job.
#include <filesystem>
#include <functional>

#include "sweep/spec.hpp"

namespace aidflow::sweep {

// Sweeps larger than this are refused: a typo in `points` should not schedule a billion runs.
inline constexpr std::int64_t kMaxSweepRuns = 10'000'000;

// With check_scenario false the base scenario is neither opened nor tried, nor the inputs
// fingerprinted: how sweep-merge reads the copy a sweep keeps in its directory, far from the
// scenario's relative path. `check_interrupt` is called often while a large file is validated
// (100,000 values take minutes to try) and may throw to stop.
SweepSpec load_sweep(const std::filesystem::path& file, bool check_scenario = true,
                     const std::function<void()>& check_interrupt = {});

// With spec.base in place: the outcomes (the defaults, unless `default_outcomes: false`, then those
// declared) bound to the base scenario, the store's layout. load_sweep calls it; sweep-merge
// calls it on the base scenario a sweep keeps in its directory.
// `check_names`, if given, runs once the outcomes' names are known, before they are bound.
// Returns the tables the base scenario reads (data/), for the sweep's inputs.
std::vector<std::filesystem::path> bind_store(SweepSpec& spec,
                                              const std::function<void()>& check_names = {});

}  // namespace aidflow::sweep
