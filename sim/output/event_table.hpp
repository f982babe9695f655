#pragma once
// The event table of a result file (layout in docs/OUTPUT.md, "Group events"): rows are checked
// and buffered column by column on the stepping thread (EventBuffer), then written a block at a
// time on the writer thread (EventTableFile), which alone calls HDF5.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/series.hpp"
#include "output/hdf5_file.hpp"

namespace aidflow::output {

inline h5::Type h5_type(engine::ValueType type) {
  return type == engine::ValueType::Int64 ? h5::Type::Int64 : h5::Type::Float64;
}

// Stepping-thread side: validated rows, stored as one vector per column.
class EventBuffer {
 public:
  explicit EventBuffer(engine::EventTableSpec spec);
  // Throws std::invalid_argument (naming the column) for a row that does not fit the spec; the
  // buffer is then unchanged.
  void append(engine::EventRow row);
  std::size_t size() const { return rows_; }
  // The buffered columns, leaving the buffer empty.
  std::vector<engine::SeriesRow> take();

 private:
  engine::EventTableSpec spec_;
  std::vector<engine::SeriesRow> columns_;
  std::size_t rows_ = 0;
};

// Writer-thread side: the `event` dimension and one 1-D variable per column in `group`, plus a
// derived `time` variable when there is a `step` column.
class EventTableFile {
 public:
  EventTableFile(hid_t group, engine::EventTableSpec spec, const std::string& start_date,
                 hsize_t chunk, int dimid);
  // Appends `rows` events, given column by column as EventBuffer::take() returns them.
  void write(const std::vector<engine::SeriesRow>& columns, hsize_t rows);

 private:
  void create_column(hid_t group, const engine::EventColumn& column);

  engine::EventTableSpec spec_;
  hsize_t chunk_;
  h5::Handle scale_;
  std::vector<h5::Handle> variables_;
  std::optional<std::size_t> step_column_;
  h5::Handle time_;
  hsize_t written_ = 0;
};

}  // namespace aidflow::output
