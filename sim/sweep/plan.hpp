#pragma once
// A sweep's design turned into runs: which overrides each run applies, its seed, label and file.
// A pure function of the sweep file, so every shard and MPI rank agrees on run numbers without
// talking to the others, and computed a run at a time from the run's number, so a shard or rank
// holds only the runs it is running: 10 million planned runs cost no more memory than ten. Run r
// of point p is run p * replicates + r; replicate r has seed `seed + r` at every point (common
// random numbers: comparisons between points are paired).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sweep/design.hpp"
#include "sweep/spec.hpp"

namespace aidflow::sweep {

struct PlannedRun {
  std::int64_t run = 0, point = 0, replicate = 0;
  std::uint64_t seed = 0;
  std::vector<scenario::Override> overrides;  // `set:`, then each parameter's value, then run.seed
  std::string label;
  std::string file;         // relative to the sweep directory
  std::string fingerprint;  // of the sweep's inputs and this run's overrides (sweep/fingerprint)
};

// A column of the index with one value per design point: a parameter (numbers where every level
// is a number, else labels) or a coordinate of the design (Sobol sample and block, Morris
// trajectory and step), an integer.
struct PointColumn {
  std::string name;
  enum class Kind { Number, Boolean, Label, Coordinate } kind = Kind::Number;
  const Parameter* parameter = nullptr;  // none for a design coordinate
};

// The design coordinates' columns: Sobol (sample, block) and Morris (trajectory, step).
inline constexpr const char* kSobolColumns[2] = {"sobol_sample", "sobol_block"};
inline constexpr const char* kMorrisColumns[2] = {"morris_trajectory", "morris_step"};

// What a design point is: one level per parameter (in the order of spec.parameters) and the
// design's coordinates (in the order of the coordinate columns).
struct PointValues {
  std::vector<Level> levels;
  std::vector<std::int64_t> coordinates;
};

class Plan {
 public:
  explicit Plan(const SweepSpec& spec);  // keeps a reference: the spec must outlive the plan

  std::int64_t points() const { return points_; }
  std::int64_t runs() const { return points_ * spec_.replicates; }
  const std::vector<PointColumn>& columns() const { return columns_; }
  // The names of the sampled design's axes, in the order of its unit coordinates (a group's
  // name, or the parameter's): what Sobol blocks and Morris steps refer to.
  std::vector<std::string> axis_names() const;

  PointValues point(std::int64_t point) const;
  PlannedRun run(std::int64_t run) const;

 private:
  std::vector<Level> sampled_levels(std::int64_t sampled_point, PointValues& values) const;
  std::vector<std::size_t> slots(bool crossed) const;

  const SweepSpec& spec_;
  // Parameters by design axis: a group's members share one (sampled or crossed).
  std::vector<std::vector<const Parameter*>> sampled_, crossed_;
  std::vector<int> sampled_counts_, crossed_counts_;
  std::vector<std::size_t> sampled_slot_, crossed_slot_;  // per parameter: see slots()
  std::int64_t sampled_points_ = 1, combinations_ = 1, points_ = 0;
  std::vector<PointColumn> columns_;
  std::optional<LatinHypercube> latin_;
  std::optional<Saltelli> saltelli_;
  std::optional<Morris> morris_;
};

// "runs/run-000012.h5": run 12's file, when runs are kept.
std::string run_file(std::int64_t run);

// The level a unit value u in [0, 1] picks: a value of the range, or one of the levels.
Level level_at(const Parameter& parameter, double u);

// The overrides a parameter's level stands for: each of its paths set to the value, through the
// path's transform; `origin` says where the value came from in messages.
std::vector<scenario::Override> assignments(const Parameter& parameter, const Level& level,
                                            const std::string& origin);

// YAML's booleans, as a value is written: true, True, TRUE, false, False, FALSE.
bool is_boolean(const std::string& text);

// The design's axes: indices into spec.parameters of the crossed (or the sampled) parameters,
// a group's members together on one axis, in the order each axis first appears.
std::vector<std::vector<std::size_t>> design_axes(const SweepSpec& spec, bool crossed);

// How many design points `spec` has (its sampled points times its crossed combinations), or
// nothing when that exceeds `limit`: counted without building anything.
std::optional<std::int64_t> count_points(const SweepSpec& spec, std::int64_t limit);

}  // namespace aidflow::sweep
