#pragma once
// What a model records each step, described without any file format: named dimensions with
// labels, and variables laid out along (step, dims...). sim/io turns this into HDF5.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace aidflow::engine {

// More labels along a dimension, for people and for grouping: display names (`faction_name`:
// "Haqqani network" along `faction`), or the parts of a packed label (`sink_faction` along `sink`).
// Writers store each as a non-index coordinate of the dimension.
struct LabelCoordinate {
  std::string name;
  std::vector<std::string> labels;  // one per index of the dimension
  std::string long_name;
};

struct Dimension {
  std::string name;
  std::vector<std::string> labels;             // one per index; becomes a label coordinate
  std::vector<LabelCoordinate> coordinates{};  // optional extra labels along it
  std::string long_name{};                     // what an index of it is (empty: its name)
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

inline SeriesRow empty_row(ValueType type) {
  if (type == ValueType::Int64) return std::vector<std::int64_t>{};
  return std::vector<double>{};
}

// Variables written once, at the end of a run (summaries, cumulative totals): no step dimension.
struct FinalVariable {
  SeriesSpec spec;
  SeriesRow values;
};

// A column of the event table. Integer columns may be categories: codes 0..n-1 name
// `categories[code]`, and -1 means "none / not applicable" (written as the fill value).
struct EventColumn {
  std::string name;
  ValueType type = ValueType::Int64;
  std::string units;  // "1" for codes and flags, "people", "USD cents", ...
  std::string long_name;
  std::vector<std::string> categories;  // empty: a plain number
};

inline constexpr std::int64_t kNoCategory = -1;

// Things that happen now and then (an attack, a ministry changing hands, a donor suspending aid),
// one row each. Columns are whatever the model needs; a column named `step` (int64) is filled by
// the model like any other, and lets a writer add the event's date.
struct EventTableSpec {
  std::string group = "events";
  std::vector<EventColumn> columns;  // empty: the run records no events
};

using EventValue = std::variant<std::int64_t, double>;
using EventRow = std::vector<EventValue>;  // one value per column, in column order

// Throws std::invalid_argument unless the spec is usable: a group name, unique non-empty column
// names, categories only on int64 columns and named without spaces (CF flag_meanings), `step`
// int64 if present, and no column named `time` (writers derive it from `step`).
void check_event_spec(const EventTableSpec& spec);

// Throws std::invalid_argument, naming the column, unless `row` has one value per column of the
// column's type, and category codes are in [-1, n).
void check_event_row(const EventTableSpec& spec, const EventRow& row);

}  // namespace aidflow::engine

namespace aidflow::engine {

// Where recorded rows go (the HDF5 writer in sim/io, or a test's in-memory store).
class SeriesSink {
 public:
  virtual ~SeriesSink() = default;
  virtual void append(std::size_t series, SeriesRow row) = 0;
  // Whether the sink uses series `series` (an index into the recorder's list) and events: a
  // recorder computes no row nobody reads (a sweep keeping no run files reads a few of forty
  // indicators). Rows of the series it uses still arrive in order, one per step.
  virtual bool wants(std::size_t /*series*/) const { return true; }
  virtual bool wants_events() const { return true; }
  // One event, from the stepping thread (one caller at a time, like append). Sinks that record
  // no events keep this default.
  virtual void append_event(EventRow /*row*/) {
    throw std::logic_error("this sink takes no events");
  }
};

}  // namespace aidflow::engine
