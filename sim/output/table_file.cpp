#include "output/table_file.hpp"

#include <numeric>

#include "output/hdf5_file.hpp"
#include "output/safe_file.hpp"
#include "output/writer_thread.hpp"

namespace aidflow::output {
namespace {

constexpr hsize_t kMaxChunkRows = 65536;

std::size_t values_of(const TableColumn& column) {
  return std::visit([](const auto& v) { return v.size(); }, column.values);
}

bool is_text(const TableColumn& column) {
  return std::holds_alternative<std::vector<std::string>>(column.values);
}

h5::Type number_type(const TableColumn& column) {
  if (std::holds_alternative<std::vector<std::int64_t>>(column.values)) return h5::Type::Int64;
  if (std::holds_alternative<std::vector<std::int8_t>>(column.values)) return h5::Type::Int8;
  return h5::Type::Float64;
}

}  // namespace

// Touched only on the HDF5 thread, after construction.
struct TableWriter::State {
  State(std::filesystem::path destination, std::string dimension_name,
        std::vector<TableDimension> fixed_dimensions)
      : output(std::move(destination), true),
        dimension(std::move(dimension_name)),
        fixed(std::move(fixed_dimensions)) {}
  SafeFile output;  // first: destroyed last, after the handles closed the file
  std::string dimension;
  std::vector<TableDimension> fixed;
  h5::Handle file, root, scale;
  std::vector<h5::Handle> fixed_scales;
  std::vector<h5::Handle> variables;
  std::vector<TableColumn> columns;  // as the first block gave them, without values
  hsize_t rows = 0;

  bool opened() const { return file.get() >= 0; }

  void open(hsize_t chunk) {
    h5::quiet_library_errors();
    file = h5::create_file(output.temporary());
    root = h5::Handle(H5Gopen2(file.get(), "/", H5P_DEFAULT), H5Gclose, "root group");
    scale = h5::create_unlimited_dimension(root.get(), dimension, chunk, 0);
    int dimid = 1;
    for (const TableDimension& d : fixed) {
      h5::Handle handle = h5::create_numeric_dimension(root.get(), d.name, d.values, dimid++);
      for (const auto& [key, value] : d.attributes) h5::set_attribute(handle.get(), key, value);
      fixed_scales.push_back(std::move(handle));
    }
  }

  // The length of a column's second dimension (1 for a plain column).
  std::size_t width(const TableColumn& column) const {
    if (column.inner.empty()) return 1;
    for (const TableDimension& d : fixed) {
      if (d.name == column.inner) return d.values.size();
    }
    throw std::logic_error("table column " + column.name + " along undeclared " + column.inner);
  }

  hid_t inner_scale(const TableColumn& column) const {
    for (std::size_t i = 0; i < fixed.size(); ++i) {
      if (fixed[i].name == column.inner) return fixed_scales[i].get();
    }
    throw std::logic_error("table column " + column.name + " along undeclared " + column.inner);
  }

  void create(const TableColumn& column, hsize_t chunk) {
    h5::Handle variable;
    if (is_text(column)) {
      variable = h5::create_growing_string_variable(root.get(), column.name, scale.get(), chunk);
    } else if (column.inner.empty()) {
      variable = h5::create_variable(root.get(), column.name, number_type(column), {scale.get()},
                                     {0}, true, chunk, column.fill_value);
    } else {
      // Chunks of about as many values as a plain column's, whatever the series' length.
      const hsize_t w = std::max<std::size_t>(1, width(column));
      variable = h5::create_variable(root.get(), column.name, number_type(column),
                                     {scale.get(), inner_scale(column)}, {0, w}, true,
                                     std::max<hsize_t>(1, chunk / w), column.fill_value);
    }
    if (!column.units.empty()) h5::set_attribute(variable.get(), "units", column.units);
    if (!column.long_name.empty()) h5::set_attribute(variable.get(), "long_name", column.long_name);
    for (const auto& [key, value] : column.attributes)
      h5::set_attribute(variable.get(), key, value);
    variables.push_back(std::move(variable));
    columns.push_back({.name = column.name, .values = column.values, .inner = column.inner});
    std::visit([](auto& v) { v.clear(); }, columns.back().values);
  }

  std::size_t rows_of(const TableColumn& column) const {
    return values_of(column) / std::max<std::size_t>(1, width(column));
  }

  void check_block(const std::vector<TableColumn>& block) const {
    const std::size_t count = block.empty() ? 0 : rows_of(block.front());
    for (std::size_t c = 0; c < block.size(); ++c) {
      const bool same = c < columns.size() && block[c].name == columns[c].name &&
                        block[c].values.index() == columns[c].values.index() &&
                        block[c].inner == columns[c].inner;
      if (!same && !columns.empty()) {
        throw std::logic_error("table column " + block[c].name + " does not match the first block");
      }
      if (rows_of(block[c]) != count || values_of(block[c]) != count * width(block[c])) {
        throw std::logic_error("table column " + block[c].name + " has " +
                               std::to_string(values_of(block[c])) + " values, not " +
                               std::to_string(count) + " rows of " +
                               std::to_string(width(block[c])));
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
        const std::vector<hsize_t> trailing =
            block[c].inner.empty() ? std::vector<hsize_t>{} : std::vector<hsize_t>{width(block[c])};
        std::visit(
            [&](const auto& v) {
              if constexpr (!std::is_same_v<std::decay_t<decltype(v)>, std::vector<std::string>>) {
                h5::append_rows(variables[c].get(), number_type(block[c]), v.data(), rows, count,
                                trailing);
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
    fixed_scales.clear();
    scale.close();
    root.close();
    file.close();
  }

  // Closes whatever is open without reporting errors (an append failed, the writer is dropped).
  void drop() {
    variables.clear();
    fixed_scales.clear();
    scale = {};
    root = {};
    file = {};
  }
};

TableWriter::TableWriter(std::filesystem::path destination, std::string dimension,
                         std::vector<TableDimension> dimensions)
    : state_(std::make_unique<State>(std::move(destination), std::move(dimension),
                                     std::move(dimensions))) {}

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
