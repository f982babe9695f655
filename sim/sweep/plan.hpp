#pragma once
// A sweep's design turned into runs: which overrides each run applies, its seed, label and file.
// A pure function of the sweep file, so every shard and MPI rank agrees on run numbers without
// talking to the others. Run r of point p is run p * replicates + r; replicate r has seed
// `seed + r` at every point (common random numbers: comparisons between points are paired).
#include <cstdint>
#include <string>
#include <vector>

#include "sweep/spec.hpp"

namespace aidflow::sweep {

struct PlannedRun {
  std::int64_t run = 0, point = 0, replicate = 0;
  std::uint64_t seed = 0;
  std::vector<scenario::Override> overrides;  // `set:`, then each parameter's value, then run.seed
  std::string label;
  std::string file;  // relative to the sweep directory
};

// A column of the index with one value per design point: a parameter (numbers where every level
// is a number, else labels) or a coordinate of the design (Sobol sample and block, Morris
// trajectory and step).
struct PointColumn {
  std::string name;
  bool numeric = false;
  std::vector<double> numbers;
  std::vector<std::string> labels;
  std::vector<std::int64_t> integers;  // design coordinates
};

struct Plan {
  std::int64_t points = 0;
  std::vector<PointColumn> columns;
  std::vector<PlannedRun> runs;
};

Plan make_plan(const SweepSpec& spec);

// "runs/run-000012.h5" and its record "runs/run-000012.json".
std::string run_file(std::int64_t run);
std::string record_file(std::int64_t run);

// The level a unit value u in [0, 1] picks: a value of the range, or one of the levels.
Level level_at(const Parameter& parameter, double u);

}  // namespace aidflow::sweep
