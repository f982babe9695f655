#pragma once
// A table as a netCDF-4-compatible HDF5 file: one dimension, a 1-D variable per column (int64,
// float64 or variable-length UTF-8 strings), so `xarray.open_dataset(path, engine="h5netcdf")`
// opens it and `.to_dataframe()` gives one row per entry. A sweep's index is one. Written a block
// of rows at a time (ten million rows do not fit in memory at once), as an output::SafeFile,
// through the process's HDF5 thread.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace aidflow::output {

struct TableColumn {
  std::string name, units, long_name;
  std::variant<std::vector<std::int64_t>, std::vector<double>, std::vector<std::string>> values;
  std::optional<std::int64_t> fill_value;  // int64 only: what readers treat as missing
};

using TableAttributes =
    std::vector<std::pair<std::string, std::variant<std::string, std::int64_t>>>;

class TableWriter {
 public:
  // Replaces `destination` on commit if it exists.
  TableWriter(std::filesystem::path destination, std::string dimension);
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
