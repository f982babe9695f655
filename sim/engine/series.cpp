#include "engine/series.hpp"

#include <algorithm>
#include <set>

namespace aidflow::engine {
namespace {

[[noreturn]] void reject(const EventTableSpec& spec, const std::string& what) {
  throw std::invalid_argument("event table " + spec.group + ": " + what);
}

const EventColumn* find_column(const EventTableSpec& spec, const std::string& name) {
  const auto it = std::find_if(spec.columns.begin(), spec.columns.end(),
                               [&](const EventColumn& c) { return c.name == name; });
  return it == spec.columns.end() ? nullptr : &*it;
}

void check_categories(const EventTableSpec& spec, const EventColumn& column) {
  if (column.categories.empty()) return;
  if (column.type != ValueType::Int64)
    reject(spec, "column " + column.name + ": categories need int64");
  for (const std::string& category : column.categories) {
    // flag_meanings is one space-separated attribute: a name with a space would read as two.
    const bool blank = std::any_of(category.begin(), category.end(),
                                   [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
    if (category.empty() || blank) {
      reject(spec, "column " + column.name + ": category '" + category +
                       "' must be non-empty without spaces");
    }
  }
}

const char* type_name(ValueType type) {
  return type == ValueType::Int64 ? "int64" : "float64";
}

}  // namespace

void check_event_spec(const EventTableSpec& spec) {
  if (spec.group.empty()) reject(spec, "needs a group name (not the root group)");
  std::set<std::string> names;
  for (const EventColumn& column : spec.columns) {
    if (column.name.empty()) reject(spec, "a column has no name");
    if (column.name == "event") reject(spec, "column name 'event' is the dimension's");
    if (!names.insert(column.name).second) reject(spec, "column " + column.name + " twice");
    check_categories(spec, column);
  }
  if (const EventColumn* step = find_column(spec, "step")) {
    if (step->type != ValueType::Int64) reject(spec, "column step must be int64");
    if (find_column(spec, "time"))
      reject(spec, "column time is derived from step; do not declare it");
  }
}

void check_event_row(const EventTableSpec& spec, const EventRow& row) {
  if (row.size() != spec.columns.size()) {
    reject(spec, "a row has " + std::to_string(row.size()) + " values for " +
                     std::to_string(spec.columns.size()) + " columns");
  }
  for (std::size_t i = 0; i < row.size(); ++i) {
    const EventColumn& column = spec.columns[i];
    const bool is_int = std::holds_alternative<std::int64_t>(row[i]);
    if (is_int != (column.type == ValueType::Int64)) {
      reject(spec, "column " + column.name + " takes " + type_name(column.type) + ", got " +
                       type_name(is_int ? ValueType::Int64 : ValueType::Float64));
    }
    if (column.categories.empty()) continue;
    const std::int64_t code = std::get<std::int64_t>(row[i]);
    const auto n = static_cast<std::int64_t>(column.categories.size());
    if (code < kNoCategory || code >= n) {
      reject(spec, "column " + column.name + ": category code " + std::to_string(code) +
                       " is outside [-1, " + std::to_string(n) + ")");
    }
  }
}

}  // namespace aidflow::engine
