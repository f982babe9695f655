#pragma once
// A table as a netCDF-4-compatible HDF5 file: one dimension of rows, a 1-D variable per column
// (int64, float64, int8 or variable-length UTF-8 strings) or a 2-D one (rows x a fixed dimension
// of its own, such as the dates of a series), so `xarray.open_dataset(path)` opens it in one call.
// A sweep's outcome store is one. Written a block of rows at a time (ten million rows do not fit
// in memory at once), as an output::SafeFile, through the process's HDF5 thread.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace aidflow::output {

using TableAttribute = std::pair<std::string, std::string>;

struct TableColumn {
  std::string name, units, long_name;
  std::variant<std::vector<std::int64_t>, std::vector<double>, std::vector<std::string>,
               std::vector<std::int8_t>>
      values;
  std::optional<std::int64_t> fill_value;  // int64 only: what readers treat as missing
  std::string inner;  // a TableDimension: values are rows x its length, row-major
  std::vector<TableAttribute> attributes;  // more text attributes (coordinates, dtype, ...)
};

// A fixed dimension besides the rows (a series outcome's dates): int64 values.
struct TableDimension {
  std::string name;
  std::vector<std::int64_t> values;
  std::vector<TableAttribute> attributes;  // units, calendar, long_name, ...
};

using TableAttributes =
    std::vector<std::pair<std::string, std::variant<std::string, std::int64_t>>>;

class TableWriter {
 public:
  // Replaces `destination` on commit if it exists.
  TableWriter(std::filesystem::path destination, std::string dimension,
              std::vector<TableDimension> dimensions = {});
  ~TableWriter();  // without commit(), nothing is left behind

  // The next rows: the first block names the columns (and their types, units, fill values);
  // every block has the same columns in the same order, each with as many values as the first.
  void append(const std::vector<TableColumn>& block);

  // The root attributes (known once every row is in: counts, status), then the file in place.
  void commit(const TableAttributes& attributes);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// A whole table in one block.
void write_table(const std::filesystem::path& destination, const std::string& dimension,
                 const std::vector<TableColumn>& columns, const TableAttributes& attributes);

}  // namespace aidflow::output
