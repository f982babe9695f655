#pragma once
// A table as a netCDF-4-compatible HDF5 file: one dimension, a 1-D variable per column (int64,
// float64 or variable-length UTF-8 strings), so `xarray.open_dataset(path, engine="h5netcdf")`
// opens it and `.to_dataframe()` gives one row per entry. A sweep's index is one. Written as an
// output::SafeFile through the process's HDF5 thread.
#include <cstdint>
#include <filesystem>
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

// Replaces `destination` if it exists. Every column must have as many values as the first.
void write_table(const std::filesystem::path& destination, const std::string& dimension,
                 const std::vector<TableColumn>& columns, const TableAttributes& attributes);

}  // namespace aidflow::output
