#include "output/hdf5_file.hpp"

#include <hdf5_hl.h>

#include <mutex>

#include "output/compressed_chunk.hpp"

namespace aidflow::output::h5 {
namespace {

// Collects the innermost (most specific) message of the current error stack.
herr_t innermost(unsigned n, const H5E_error2_t* error, void* out) {
  if (n == 0 && error->desc) *static_cast<std::string*>(out) = error->desc;
  return 0;
}

hid_t native(Type type) {
  switch (type) {
    case Type::Int64:
      return H5T_NATIVE_INT64;
    case Type::Int8:
      return H5T_NATIVE_INT8;
    default:
      return H5T_NATIVE_DOUBLE;
  }
}

Handle utf8_string_type() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
  check(H5Tset_size(type.get(), H5T_VARIABLE), "string type");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "string type");
  return type;
}

// netCDF-4 readers expect creation order tracked and indexed on groups and datasets.
Handle ordered_group_properties() {
  Handle gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "group properties");
  check(H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "link creation order");
  check(H5Pset_attr_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "attribute creation order");
  return gcpl;
}

Handle ordered_dataset_properties() {
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dataset properties");
  check(H5Pset_attr_creation_order(dcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "attribute creation order");
  return dcpl;
}

// An attribute of `type` over `space` (scalar or 1-D), replacing one of the same name.
void write_attribute(hid_t object, const std::string& name, hid_t type, hid_t space,
                     const void* value) {
  if (H5Aexists(object, name.c_str()) > 0) check(H5Adelete(object, name.c_str()), name);
  Handle attr(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "attribute " + name);
  check(H5Awrite(attr.get(), type, value), "attribute " + name);
}

void write_attribute(hid_t object, const std::string& name, hid_t type, const void* value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "attribute space");
  write_attribute(object, name, type, space.get(), value);
}

void mark_scale(hid_t dataset, const std::string& name, int dimid) {
  check(H5DSset_scale(dataset, name.c_str()), "dimension scale " + name);
  const int id = dimid;
  write_attribute(dataset, "_Netcdf4Dimid", H5T_NATIVE_INT, &id);
}

}  // namespace

Handle::Handle(hid_t id, Closer closer, const std::string& what) : id_(id), closer_(closer) {
  if (id < 0) check(-1, what);
}

Handle::Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) {
  other.id_ = H5I_INVALID_HID;
}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    if (id_ >= 0 && closer_) closer_(id_);
    id_ = other.id_;
    closer_ = other.closer_;
    other.id_ = H5I_INVALID_HID;
  }
  return *this;
}

Handle::~Handle() {
  if (id_ >= 0 && closer_) closer_(id_);
}

void Handle::close() {
  if (id_ >= 0 && closer_) {
    const hid_t id = id_;
    id_ = H5I_INVALID_HID;
    check(closer_(id), "closing");
  }
}

// The innermost HDF5 message, cut to one line. A failed system call is reported as a long
// dump ("file write failed: time = ..., errno = 27, error message = 'File too large', ...");
// the system's own message is what the user needs from it.
std::string one_line_detail(const std::string& detail) {
  const std::string marker = "error message = '";
  const auto at = detail.find(marker);
  if (at != std::string::npos) {
    const auto start = at + marker.size();
    const auto end = detail.find('\'', start);
    return detail.substr(start, end - start) + " (is the disk full, or a file size limit hit?)";
  }
  return detail.substr(0, detail.find('\n'));
}

void check(herr_t status, const std::string& what) {
  if (status >= 0) return;
  std::string detail;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &detail);
  H5Eclear2(H5E_DEFAULT);
  throw OutputError("HDF5 error while writing " + what +
                    (detail.empty() ? "" : ": " + one_line_detail(detail)));
}

void quiet_library_errors() {
  // No atexit clean-up: after a failed write (a full disk) the library cannot close that file
  // and its exit handler crashes trying again; our own handles close what can be closed. This
  // must precede any other HDF5 call, hence the process-wide once.
  static std::once_flag once;
  std::call_once(once, [] { H5dont_atexit(); });
  // Error printing is per thread in thread-safe builds: silence every thread that calls us.
  thread_local bool quiet = false;
  if (!quiet) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    quiet = true;
  }
}

Handle create_file(const std::filesystem::path& path) {
  quiet_library_errors();
  Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "file properties");
  check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "link creation order");
  check(H5Pset_attr_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "attribute creation order");
  return Handle(H5Fcreate(path.c_str(), H5F_ACC_EXCL, fcpl.get(), H5P_DEFAULT), H5Fclose,
                path.string() + " (cannot create the file)");
}

Handle create_group(hid_t parent, const std::string& name) {
  const Handle gcpl = ordered_group_properties();
  return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose,
                "group " + name);
}

void set_attribute(hid_t object, const std::string& name, const std::string& value) {
  const Handle type = utf8_string_type();
  const char* text = value.c_str();
  write_attribute(object, name, type.get(), &text);
}

void set_attribute(hid_t object, const std::string& name, std::int64_t value) {
  write_attribute(object, name, H5T_NATIVE_INT64, &value);
}

void set_attribute(hid_t object, const std::string& name, double value) {
  write_attribute(object, name, H5T_NATIVE_DOUBLE, &value);
}

void set_attribute(hid_t object, const std::string& name, const std::vector<std::int64_t>& values) {
  const hsize_t size = values.size();
  Handle space(H5Screate_simple(1, &size, nullptr), H5Sclose, "attribute space");
  write_attribute(object, name, H5T_NATIVE_INT64, space.get(), values.data());
}

namespace {

// A 1-D variable-length UTF-8 string dataset holding `values`.
Handle write_strings(hid_t group, const std::string& name, const std::vector<std::string>& values) {
  const Handle type = utf8_string_type();
  const hsize_t size = values.size();
  Handle space(H5Screate_simple(1, &size, nullptr), H5Sclose, "variable " + name);
  const Handle dcpl = ordered_dataset_properties();
  Handle dataset(H5Dcreate2(group, name.c_str(), type.get(), space.get(), H5P_DEFAULT, dcpl.get(),
                            H5P_DEFAULT),
                 H5Dclose, "variable " + name);
  std::vector<const char*> pointers;
  for (const auto& value : values) pointers.push_back(value.c_str());
  if (!pointers.empty()) {
    check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
          "variable " + name);
  }
  return dataset;
}

}  // namespace

Handle create_label_dimension(hid_t group, const std::string& name,
                              const std::vector<std::string>& labels, int dimid) {
  Handle dataset = write_strings(group, name, labels);
  mark_scale(dataset.get(), name, dimid);
  return dataset;
}

Handle create_string_variable(hid_t group, const std::string& name, hid_t scale,
                              const std::vector<std::string>& values) {
  Handle dataset = write_strings(group, name, values);
  check(H5DSattach_scale(dataset.get(), scale, 0), "dimension of " + name);
  return dataset;
}

Handle create_growing_string_variable(hid_t group, const std::string& name, hid_t scale,
                                      hsize_t chunk) {
  const Handle type = utf8_string_type();
  const hsize_t zero = 0, unlimited = H5S_UNLIMITED;
  Handle space(H5Screate_simple(1, &zero, &unlimited), H5Sclose, "variable " + name);
  const Handle dcpl = ordered_dataset_properties();
  check(H5Pset_chunk(dcpl.get(), 1, &chunk), "chunking " + name);
  Handle dataset(H5Dcreate2(group, name.c_str(), type.get(), space.get(), H5P_DEFAULT, dcpl.get(),
                            H5P_DEFAULT),
                 H5Dclose, "variable " + name);
  check(H5DSattach_scale(dataset.get(), scale, 0), "dimension of " + name);
  return dataset;
}

void append_strings(hid_t dataset, const std::vector<std::string>& values, hsize_t offset) {
  if (values.empty()) return;
  const hsize_t rows = values.size(), extent = offset + rows;
  check(H5Dset_extent(dataset, &extent), "growing a variable");
  Handle file_space(H5Dget_space(dataset), H5Sclose, "variable space");
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &offset, nullptr, &rows, nullptr),
        "selecting rows");
  Handle memory_space(H5Screate_simple(1, &rows, nullptr), H5Sclose, "row buffer");
  std::vector<const char*> pointers;
  for (const auto& value : values) pointers.push_back(value.c_str());
  const Handle type = utf8_string_type();
  check(H5Dwrite(dataset, type.get(), memory_space.get(), file_space.get(), H5P_DEFAULT,
                 pointers.data()),
        "rows");
}

Handle create_unlimited_dimension(hid_t group, const std::string& name, hsize_t chunk, int dimid) {
  const hsize_t zero = 0, unlimited = H5S_UNLIMITED;
  Handle space(H5Screate_simple(1, &zero, &unlimited), H5Sclose, "dimension " + name);
  const Handle dcpl = ordered_dataset_properties();
  check(H5Pset_chunk(dcpl.get(), 1, &chunk), "chunking " + name);
  Handle dataset(H5Dcreate2(group, name.c_str(), H5T_NATIVE_INT64, space.get(), H5P_DEFAULT,
                            dcpl.get(), H5P_DEFAULT),
                 H5Dclose, "dimension " + name);
  mark_scale(dataset.get(), name, dimid);
  return dataset;
}

Handle create_variable(hid_t group, const std::string& name, Type type,
                       const std::vector<hid_t>& scales, const std::vector<hsize_t>& sizes,
                       bool unlimited_first, hsize_t chunk,
                       std::optional<std::int64_t> fill_value) {
  const int rank = static_cast<int>(sizes.size());
  std::vector<hsize_t> max = sizes, chunks = sizes;
  const Handle dcpl = ordered_dataset_properties();
  if (fill_value) {
    if (type != Type::Int64) throw std::logic_error("fill value for a float variable " + name);
    check(H5Pset_fill_value(dcpl.get(), H5T_NATIVE_INT64, &*fill_value), "fill value of " + name);
  }
  if (unlimited_first) {
    max[0] = H5S_UNLIMITED;
    chunks[0] = chunk;
  }
  bool empty = false;
  for (hsize_t& c : chunks) {
    if (c == 0) {
      c = 1;
      empty = !unlimited_first;
    }
  }
  if (unlimited_first || !empty) {
    check(H5Pset_chunk(dcpl.get(), rank, chunks.data()), "chunking " + name);
    check(H5Pset_shuffle(dcpl.get()), "shuffle filter for " + name);
    check(H5Pset_deflate(dcpl.get(), kDeflateLevel), "deflate filter for " + name);
  }
  Handle space(H5Screate_simple(rank, sizes.data(), max.data()), H5Sclose, "variable " + name);
  Handle dataset(H5Dcreate2(group, name.c_str(), native(type), space.get(), H5P_DEFAULT, dcpl.get(),
                            H5P_DEFAULT),
                 H5Dclose, "variable " + name);
  for (std::size_t axis = 0; axis < scales.size(); ++axis) {
    check(H5DSattach_scale(dataset.get(), scales[axis], static_cast<unsigned>(axis)),
          "dimension of " + name);
  }
  // netCDF-4 keeps the fill value twice, as this attribute (what readers look at) and in the
  // dataset's creation properties (what unwritten chunks read as).
  if (fill_value) set_attribute(dataset.get(), "_FillValue", *fill_value);
  return dataset;
}

void append_rows(hid_t dataset, Type type, const void* data, hsize_t offset, hsize_t rows,
                 const std::vector<hsize_t>& trailing) {
  std::vector<hsize_t> extent = {offset + rows}, start = {offset}, count = {rows};
  for (hsize_t t : trailing) {
    extent.push_back(t);
    start.push_back(0);
    count.push_back(t);
  }
  check(H5Dset_extent(dataset, extent.data()), "growing a variable");
  Handle file_space(H5Dget_space(dataset), H5Sclose, "variable space");
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(),
                            nullptr),
        "selecting rows");
  Handle memory_space(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr),
                      H5Sclose, "row buffer");
  check(H5Dwrite(dataset, native(type), memory_space.get(), file_space.get(), H5P_DEFAULT, data),
        "rows");
}

void append_chunk(hid_t dataset, const std::vector<std::uint8_t>& bytes, hsize_t offset,
                  hsize_t rows, const std::vector<hsize_t>& trailing) {
  std::vector<hsize_t> extent = {offset + rows}, start = {offset};
  for (hsize_t t : trailing) {
    extent.push_back(t);
    start.push_back(0);
  }
  check(H5Dset_extent(dataset, extent.data()), "growing a variable");
  if (bytes.empty()) return;  // no values: a dimension of length 0
  check(H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, start.data(), bytes.size(), bytes.data()), "rows");
}

void write_all(hid_t dataset, Type type, const void* data) {
  check(H5Dwrite(dataset, native(type), H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "writing a variable");
}

Handle create_numeric_dimension(hid_t group, const std::string& name,
                                const std::vector<std::int64_t>& values, int dimid) {
  Handle dataset =
      create_variable(group, name, Type::Int64, {}, {values.size()}, false, values.size());
  if (!values.empty()) write_all(dataset.get(), Type::Int64, values.data());
  mark_scale(dataset.get(), name, dimid);
  return dataset;
}

Handle write_scalar(hid_t group, const std::string& name, Type type, const void* value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "variable " + name);
  const Handle dcpl = ordered_dataset_properties();
  Handle dataset(H5Dcreate2(group, name.c_str(), native(type), space.get(), H5P_DEFAULT, dcpl.get(),
                            H5P_DEFAULT),
                 H5Dclose, "variable " + name);
  check(H5Dwrite(dataset.get(), native(type), H5S_ALL, H5S_ALL, H5P_DEFAULT, value),
        "variable " + name);
  return dataset;
}

void write_string_scalar(hid_t group, const std::string& name, const std::string& value) {
  const Handle type = utf8_string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "string " + name);
  const Handle dcpl = ordered_dataset_properties();
  Handle dataset(H5Dcreate2(group, name.c_str(), type.get(), space.get(), H5P_DEFAULT, dcpl.get(),
                            H5P_DEFAULT),
                 H5Dclose, "variable " + name);
  const char* text = value.c_str();
  check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text),
        "variable " + name);
}

}  // namespace aidflow::output::h5
