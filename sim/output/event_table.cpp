#include "output/event_table.hpp"

#include <numeric>
#include <utility>

#include "model/spec/run.hpp"

namespace aidflow::output {

using engine::EventColumn;
using engine::SeriesRow;

EventBuffer::EventBuffer(engine::EventTableSpec spec) : spec_(std::move(spec)) {
  engine::check_event_spec(spec_);
  take();
}

void EventBuffer::append(engine::EventRow row) {
  engine::check_event_row(spec_, row);  // before touching any column: a bad row adds nothing
  for (std::size_t i = 0; i < row.size(); ++i) {
    std::visit(
        [&](auto& column) {
          using Value = typename std::decay_t<decltype(column)>::value_type;
          column.push_back(std::get<Value>(row[i]));
        },
        columns_[i]);
  }
  ++rows_;
}

std::vector<SeriesRow> EventBuffer::take() {
  std::vector<SeriesRow> taken = std::move(columns_);
  columns_.clear();
  for (const EventColumn& column : spec_.columns)
    columns_.push_back(engine::empty_row(column.type));
  rows_ = 0;
  return taken;
}

EventTableFile::EventTableFile(hid_t group, engine::EventTableSpec spec,
                               const std::string& start_date, hsize_t chunk, int dimid)
    : spec_(std::move(spec)), chunk_(chunk) {
  scale_ = h5::create_unlimited_dimension(group, "event", chunk_, dimid);
  h5::set_attribute(scale_.get(), "units", std::string("1"));
  h5::set_attribute(scale_.get(), "long_name", std::string("event number, in recording order"));
  for (std::size_t i = 0; i < spec_.columns.size(); ++i) {
    create_column(group, spec_.columns[i]);
    if (spec_.columns[i].name == "step") step_column_ = i;
  }
  if (!step_column_) return;
  // The event's date, so xarray decodes `time` to datetime64 as it does the root group's.
  time_ = h5::create_variable(group, "time", h5::Type::Int64, {scale_.get()}, {0}, true, chunk_);
  h5::set_attribute(time_.get(), "units", "days since " + start_date);
  h5::set_attribute(time_.get(), "calendar", std::string("standard"));
  h5::set_attribute(time_.get(), "long_name",
                    std::string("simulated date at the start of the step"));
}

void EventTableFile::create_column(hid_t group, const EventColumn& column) {
  const bool coded = !column.categories.empty();
  // Codes get the CF flag attributes; -1 ("none") is the fill value, so readers see it missing.
  h5::Handle variable =
      h5::create_variable(group, column.name, h5_type(column.type), {scale_.get()}, {0}, true,
                          chunk_, coded ? std::optional(engine::kNoCategory) : std::nullopt);
  h5::set_attribute(variable.get(), "units", column.units);
  h5::set_attribute(variable.get(), "long_name", column.long_name);
  if (coded) {
    std::vector<std::int64_t> codes(column.categories.size());
    std::iota(codes.begin(), codes.end(), std::int64_t{0});
    std::string meanings;
    for (const std::string& name : column.categories)
      meanings += (meanings.empty() ? "" : " ") + name;
    h5::set_attribute(variable.get(), "flag_values", codes);
    h5::set_attribute(variable.get(), "flag_meanings", meanings);
  }
  variables_.push_back(std::move(variable));
}

void EventTableFile::write(const std::vector<SeriesRow>& columns, hsize_t rows) {
  if (rows == 0) return;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    std::visit(
        [&](const auto& values) {
          h5::append_rows(variables_[i].get(), h5_type(spec_.columns[i].type), values.data(),
                          written_, rows, {});
        },
        columns[i]);
  }
  if (step_column_) {
    std::vector<std::int64_t> days = std::get<std::vector<std::int64_t>>(columns[*step_column_]);
    for (std::int64_t& d : days) d *= model::kStepDays;
    h5::append_rows(time_.get(), h5::Type::Int64, days.data(), written_, rows, {});
  }
  std::vector<std::int64_t> numbers(rows);
  std::iota(numbers.begin(), numbers.end(), static_cast<std::int64_t>(written_));
  h5::append_rows(scale_.get(), h5::Type::Int64, numbers.data(), written_, rows, {});
  written_ += rows;
}

}  // namespace aidflow::output
