#include "output/table_file.hpp"

#include <numeric>

#include "output/hdf5_file.hpp"
#include "output/safe_file.hpp"
#include "output/writer_thread.hpp"

namespace aidflow::output {
namespace {

constexpr hsize_t kMaxChunkRows = 65536;

std::size_t rows_of(const TableColumn& column) {
  return std::visit([](const auto& v) { return v.size(); }, column.values);
}

bool is_text(const TableColumn& column) {
  return std::holds_alternative<std::vector<std::string>>(column.values);
}

h5::Type number_type(const TableColumn& column) {
  return std::holds_alternative<std::vector<std::int64_t>>(column.values) ? h5::Type::Int64
                                                                          : h5::Type::Float64;
}

}  // namespace

// Touched only on the HDF5 thread, after construction.
struct TableWriter::State {
  State(std::filesystem::path destination, std::string dimension_name)
      : output(std::move(destination), true), dimension(std::move(dimension_name)) {}
  SafeFile output;  // first: destroyed last, after the handles closed the file
  std::string dimension;
  h5::Handle file, root, scale;
  std::vector<h5::Handle> variables;
  std::vector<TableColumn> columns;  // as the first block gave them, without values
  hsize_t rows = 0;

  bool opened() const { return file.get() >= 0; }

  void open(hsize_t chunk) {
    h5::quiet_library_errors();
    file = h5::create_file(output.temporary());
    root = h5::Handle(H5Gopen2(file.get(), "/", H5P_DEFAULT), H5Gclose, "root group");
    scale = h5::create_unlimited_dimension(root.get(), dimension, chunk, 0);
  }

  void create(const TableColumn& column, hsize_t chunk) {
    h5::Handle variable =
        is_text(column)
            ? h5::create_growing_string_variable(root.get(), column.name, scale.get(), chunk)
            : h5::create_variable(root.get(), column.name, number_type(column), {scale.get()}, {0},
                                  true, chunk, column.fill_value);
    if (!column.units.empty()) h5::set_attribute(variable.get(), "units", column.units);
    if (!column.long_name.empty()) h5::set_attribute(variable.get(), "long_name", column.long_name);
    variables.push_back(std::move(variable));
    columns.push_back({.name = column.name, .values = column.values});
    std::visit([](auto& v) { v.clear(); }, columns.back().values);
  }

  void check_block(const std::vector<TableColumn>& block) const {
    const std::size_t count = block.empty() ? 0 : rows_of(block.front());
    for (std::size_t c = 0; c < block.size(); ++c) {
      const bool same = c < columns.size() && block[c].name == columns[c].name &&
                        block[c].values.index() == columns[c].values.index();
      if (!same && !columns.empty()) {
        throw std::logic_error("table column " + block[c].name + " does not match the first block");
      }
      if (rows_of(block[c]) != count) {
        throw std::logic_error("table column " + block[c].name + " has " +
                               std::to_string(rows_of(block[c])) + " rows, not " +
                               std::to_string(count));
      }
    }
    if (!columns.empty() && block.size() != columns.size()) {
      throw std::logic_error("a table block has " + std::to_string(block.size()) +
                             " columns, not " + std::to_string(columns.size()));
    }
  }

  void append(const std::vector<TableColumn>& block) {
    check_block(block);
    const hsize_t count = block.empty() ? 0 : rows_of(block.front());
    if (!opened()) {
      const hsize_t chunk = std::clamp<hsize_t>(count, 1, kMaxChunkRows);
      open(chunk);
      for (const TableColumn& column : block) create(column, chunk);
    }
    if (count == 0) return;
    std::vector<std::int64_t> index(count);
    std::iota(index.begin(), index.end(), static_cast<std::int64_t>(rows));
    h5::append_rows(scale.get(), h5::Type::Int64, index.data(), rows, count, {});
    for (std::size_t c = 0; c < block.size(); ++c) {
      if (const auto* text = std::get_if<std::vector<std::string>>(&block[c].values)) {
        h5::append_strings(variables[c].get(), *text, rows);
      } else {
        std::visit(
            [&](const auto& v) {
              if constexpr (!std::is_same_v<std::decay_t<decltype(v)>, std::vector<std::string>>) {
                h5::append_rows(variables[c].get(), number_type(block[c]), v.data(), rows, count,
                                {});
              }
            },
            block[c].values);
      }
    }
    rows += count;
  }

  void close(const TableAttributes& attributes) {
    if (!opened()) open(1);  // no block: an empty table
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
    for (const auto& attribute : attributes) {
      std::visit([&](const auto& v) { h5::set_attribute(root.get(), attribute.first, v); },
                 attribute.second);
    }
    h5::check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "flushing the file");
    variables.clear();
    scale.close();
    root.close();
    file.close();
  }

  // Closes whatever is open without reporting errors (an append failed, the writer is dropped).
  void drop() {
    variables.clear();
    scale = {};
    root = {};
    file = {};
  }
};

TableWriter::TableWriter(std::filesystem::path destination, std::string dimension)
    : state_(std::make_unique<State>(std::move(destination), std::move(dimension))) {}

TableWriter::~TableWriter() {
  if (!state_->opened()) return;
  try {
    WriterThread::run_now([this] { state_->drop(); });
  } catch (...) {  // nothing to report from a destructor; the temporary file goes regardless
  }
}

void TableWriter::append(const std::vector<TableColumn>& block) {
  WriterThread::run_now([&] { state_->append(block); });
}

void TableWriter::commit(const TableAttributes& attributes) {
  WriterThread::run_now([&] { state_->close(attributes); });
  state_->output.commit();
}

void write_table(const std::filesystem::path& destination, const std::string& dimension,
                 const std::vector<TableColumn>& columns, const TableAttributes& attributes) {
  TableWriter writer(destination, dimension);
  writer.append(columns);
  writer.commit(attributes);
}

}  // namespace aidflow::output
