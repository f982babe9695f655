#pragma once
// What a model records each step, described without any file format: named dimensions with
// labels, and variables laid out along (step, dims...). sim/io turns this into HDF5.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace aidflow::engine {

struct Dimension {
  std::string name;
  std::vector<std::string> labels;  // one per index; becomes a label coordinate
};

enum class ValueType { Int64, Float64 };

struct SeriesSpec {
  std::string group;  // "" for the root group
  std::string name;
  std::vector<std::string> dims;  // dimension names after the leading step dimension
  ValueType type = ValueType::Float64;
  std::string units;
  std::string long_name;
};

// One step's values of one series, flattened row-major over its dims.
using SeriesRow = std::variant<std::vector<std::int64_t>, std::vector<double>>;

// Variables written once, at the end of a run (summaries, cumulative totals): no step dimension.
struct FinalVariable {
  SeriesSpec spec;
  SeriesRow values;
};

}  // namespace aidflow::engine

namespace aidflow::engine {

// Where recorded rows go (the HDF5 writer in sim/io, or a test's in-memory store).
class SeriesSink {
 public:
  virtual ~SeriesSink() = default;
  virtual void append(std::size_t series, SeriesRow row) = 0;
};

}  // namespace aidflow::engine
