#pragma once
// Outcomes bound to what a run records: every name, label, date and unit of a parsed expression
// checked against the run's indicators (their dimensions, labels and calendar), giving each
// outcome's schema (type, units, one value or a series along which axis) and the plan the
// collector (outcomes/collector.hpp) follows step by step. A mistake is an InputError at the
// character of the declaration it concerns, so a sweep reports it before any run.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/series.hpp"
#include "outcomes/expression.hpp"

namespace aidflow::outcomes {

// What a run records, described without the run: its indicators and its calendar.
struct Catalog {
  std::vector<engine::Dimension> dimensions;
  std::vector<engine::SeriesSpec> series;
  engine::EventTableSpec events;  // no columns: the run records no events
  std::chrono::sys_days start;
  int steps = 0;
};

// The points of a series outcome: one per block of steps (every step, every N steps or every
// calendar year of its window), each dated by its first step.
struct Axis {
  std::string name;                 // "time" (every step of the run), "year", or "time_NAME"
  std::vector<std::int64_t> steps;  // first step of each block
  std::vector<std::int64_t> days;   // its date, in days since the run's start date
  bool operator==(const Axis&) const = default;
};

// What an outcome gives for each run, known before any run.
struct Schema {
  std::string name, expression, units, long_name;
  bool integer = false;      // int64 (money and counts summed exactly), else float64
  std::optional<Axis> axis;  // a series along it; none: one value per run
  bool operator==(const Schema&) const = default;
};

// One outcome's values for one run: one value, or one per point of its axis.
using Values = std::variant<std::vector<std::int64_t>, std::vector<double>>;

// Events whose column holds one of `values` (category codes, or numbers).
struct EventFilter {
  std::size_t column = 0;
  std::vector<double> values;
};

// A reduction of one indicator, or of the events, over a window: the collector's unit of work.
struct Leaf {
  std::size_t series = 0;
  std::vector<std::size_t> cells;  // flat indices within the series' row, ascending
  bool integer = false;            // the series (or the event column) holds int64
  // Events instead of a series: counted (no column) or a column summed, where the filters hold.
  bool events = false;
  std::optional<std::size_t> event_column;
  std::vector<EventFilter> filters;
  std::size_t step_column = 0;
  Reduction reduction = Reduction::Sum;
  std::vector<int> block_of_step;  // per step of the run: its block, -1 outside the window
  std::size_t blocks = 1;
};

// An outcome's expression in postfix order.
struct Operation {
  enum class Kind { Leaf, Number, Add, Subtract, Multiply, Divide, Negate } kind;
  std::size_t leaf = 0;
  double number = 0.0;
  bool whole = false;
};

struct Bound {
  std::vector<Schema> schemas;  // in the order declared
  std::vector<Leaf> leaves;
  std::vector<std::vector<Operation>> programs;  // one per schema
};

Bound bind_outcomes(const std::vector<Declaration>& declarations, const Catalog& catalog);

// Whether two bindings give outcomes of the same layout (names, types, units, axes): a run of a
// sweep whose outcomes do not fit the sweep's store (other dates, steps) is a failed run.
bool same_layout(const Bound& a, const Bound& b);

}  // namespace aidflow::outcomes
