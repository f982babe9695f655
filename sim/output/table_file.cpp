#include "output/table_file.hpp"

#include <numeric>

#include "output/hdf5_file.hpp"
#include "output/safe_file.hpp"
#include "output/writer_thread.hpp"

namespace aidflow::output {
namespace {

std::size_t rows_of(const TableColumn& column) {
  return std::visit([](const auto& v) { return v.size(); }, column.values);
}

void write_column(hid_t root, hid_t scale, const TableColumn& column, hsize_t rows) {
  h5::Handle variable;
  if (const auto* text = std::get_if<std::vector<std::string>>(&column.values)) {
    variable = h5::create_string_variable(root, column.name, scale, *text);
  } else {
    const bool integer = std::holds_alternative<std::vector<std::int64_t>>(column.values);
    variable = h5::create_variable(root, column.name, integer ? h5::Type::Int64 : h5::Type::Float64,
                                   {scale}, {rows}, false, rows, column.fill_value);
    if (rows > 0) {
      std::visit(
          [&](const auto& v) {
            if constexpr (!std::is_same_v<std::decay_t<decltype(v)>, std::vector<std::string>>) {
              h5::write_all(variable.get(), integer ? h5::Type::Int64 : h5::Type::Float64,
                            v.data());
            }
          },
          column.values);
    }
  }
  if (!column.units.empty()) h5::set_attribute(variable.get(), "units", column.units);
  if (!column.long_name.empty()) h5::set_attribute(variable.get(), "long_name", column.long_name);
}

void write_file(const std::filesystem::path& path, const std::string& dimension,
                const std::vector<TableColumn>& columns, const TableAttributes& attributes) {
  h5::quiet_library_errors();
  h5::Handle file = h5::create_file(path);
  h5::Handle root(H5Gopen2(file.get(), "/", H5P_DEFAULT), H5Gclose, "root group");
  const hsize_t rows = columns.empty() ? 0 : rows_of(columns.front());
  h5::Handle scale =
      h5::create_unlimited_dimension(root.get(), dimension, std::max<hsize_t>(rows, 1), 0);
  std::vector<std::int64_t> index(rows);
  std::iota(index.begin(), index.end(), 0);
  if (rows > 0) h5::append_rows(scale.get(), h5::Type::Int64, index.data(), 0, rows, {});
  // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
  for (const auto& attribute : attributes) {
    std::visit([&](const auto& v) { h5::set_attribute(root.get(), attribute.first, v); },
               attribute.second);
  }
  for (const TableColumn& column : columns) write_column(root.get(), scale.get(), column, rows);
  h5::check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "flushing the file");
  scale.close();
  root.close();
  file.close();
}

}  // namespace

void write_table(const std::filesystem::path& destination, const std::string& dimension,
                 const std::vector<TableColumn>& columns, const TableAttributes& attributes) {
  for (const TableColumn& column : columns) {
    if (rows_of(column) != rows_of(columns.front())) {
      throw std::logic_error("table column " + column.name + " has " +
                             std::to_string(rows_of(column)) + " rows, not " +
                             std::to_string(rows_of(columns.front())));
    }
  }
  SafeFile file(destination, true);
  WriterThread::run_now([&] { write_file(file.temporary(), dimension, columns, attributes); });
  file.commit();
}

}  // namespace aidflow::output
