#pragma once
// A thin RAII layer over the HDF5 C library, just enough to write netCDF-4-compatible files:
// groups that track creation order, dimension scales, chunked and compressed variables,
// variable-length UTF-8 strings. Library errors become one readable OutputError.
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/safe_file.hpp"

namespace aidflow::output::h5 {

// A failure writing results (disk full, permissions, library error): a runtime error, exit 1.
using OutputError = output::OutputError;

// Owns one HDF5 identifier and closes it with the right function.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer, const std::string& what);  // throws OutputError if id < 0
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle();
  hid_t get() const { return id_; }
  void close();     // closes now, reporting errors (the destructor ignores them)
  hid_t release();  // gives up the identifier without closing it

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

// Throws OutputError with the library's innermost message when status < 0.
void check(herr_t status, const std::string& what);

// Silences HDF5's automatic error-stack printing (once per process).
void quiet_library_errors();

Handle create_file(const std::filesystem::path& path);
Handle create_group(hid_t parent, const std::string& name);

void set_attribute(hid_t object, const std::string& name, const std::string& value);
void set_attribute(hid_t object, const std::string& name, std::int64_t value);
void set_attribute(hid_t object, const std::string& name, double value);
void set_attribute(hid_t object, const std::string& name, const std::vector<std::int64_t>& values);

// Dimension scales follow HDF5's convention (what netCDF-4, h5py and h5netcdf read): a variable's
// DIMENSION_LIST is written when it is created, with its scales; a scale's REFERENCE_LIST (its
// variables, in the order attached) is written once, when its Handle closes. Close scales before
// the last flush of their file, with close() to see an error.

// A dimension with string labels: a 1-D vlen-string coordinate dataset marked as a scale.
Handle create_label_dimension(hid_t group, const std::string& name,
                              const std::vector<std::string>& labels, int dimid);
// A 1-D variable-length UTF-8 string variable along the dimension `scale`.
Handle create_string_variable(hid_t group, const std::string& name, hid_t scale,
                              const std::vector<std::string>& values);
// The same, empty, along the unlimited dimension `scale`: grown by append_strings.
Handle create_growing_string_variable(hid_t group, const std::string& name, hid_t scale,
                                      hsize_t chunk);
// Appends `values` at row `offset` of a growing string variable.
void append_strings(hid_t dataset, const std::vector<std::string>& values, hsize_t offset);
// An unlimited dimension (`step`, `event`): an int64 coordinate dataset that grows as rows are
// written, chunked by `chunk`.
Handle create_unlimited_dimension(hid_t group, const std::string& name, hsize_t chunk, int dimid);

enum class Type { Int64, Float64, Int8 };

// A variable of `type` over `dims` (scales, first may be the unlimited step); chunked along the
// first axis by `chunk` when it is unlimited, deflated. Attaches each scale to its axis. An int64
// variable may have a `fill_value`, which netCDF readers treat as missing.
Handle create_variable(hid_t group, const std::string& name, Type type,
                       const std::vector<hid_t>& scales, const std::vector<hsize_t>& sizes,
                       bool unlimited_first, hsize_t chunk,
                       std::optional<std::int64_t> fill_value = std::nullopt);

// Appends `rows` rows (each of shape `trailing`) at row `offset` of an unlimited-first variable.
void append_rows(hid_t dataset, Type type, const void* data, hsize_t offset, hsize_t rows,
                 const std::vector<hsize_t>& trailing);

// The same from one chunk compressed as the variable's filters would (compress_chunk): `rows`
// rows starting at `offset`, a multiple of the chunk length; no filter runs on this thread.
void append_chunk(hid_t dataset, const std::vector<std::uint8_t>& bytes, hsize_t offset,
                  hsize_t rows, const std::vector<hsize_t>& trailing);

// Writes the whole of a fixed-size variable.
void write_all(hid_t dataset, Type type, const void* data);

// The same from its one chunk (a fixed-size variable with values is chunked whole) compressed as
// its filters would (compress_chunk of all its values); no filter runs on this thread.
void write_all_compressed(hid_t dataset, const std::vector<std::uint8_t>& bytes, int rank);

// A fixed dimension with int64 values (dates as days since a start, years): a coordinate dataset
// marked as a scale.
Handle create_numeric_dimension(hid_t group, const std::string& name,
                                const std::vector<std::int64_t>& values, int dimid);

// A 0-d variable holding one value of `type`.
Handle write_scalar(hid_t group, const std::string& name, Type type, const void* value);

// A 0-d variable-length UTF-8 string variable.
void write_string_scalar(hid_t group, const std::string& name, const std::string& value);

}  // namespace aidflow::output::h5
