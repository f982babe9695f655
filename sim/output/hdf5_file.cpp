#include "output/hdf5_file.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <map>
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

// Transfer properties for writing `values` variable-length strings: a conversion buffer that
// fits them. HDF5's default is 1 MiB, allocated and zeroed for every write of strings, which
// costs more than the write of a short list of labels.
Handle string_transfer_properties(std::size_t values) {
  Handle dxpl(H5Pcreate(H5P_DATASET_XFER), H5Pclose, "transfer properties");
  const std::size_t bytes = std::max<std::size_t>(values, 16) * 2 * sizeof(hvl_t);
  check(H5Pset_buffer(dxpl.get(), bytes, nullptr, nullptr), "conversion buffer");
  return dxpl;
}

// A dimension scale's back-links (the HDF5 dimension-scale convention's REFERENCE_LIST: which
// variable uses it along which axis), gathered while variables are attached to it and written
// once as it closes. H5DSattach_scale rewrites the whole list for every variable attached, and
// its checks read every attribute of both datasets each time: with a hundred variables per file
// that was a sixth of a sweep's time. The list holds the same entries in the same order.
struct Backlink {
  hobj_ref_t dataset;
  int axis;  // `int`, as H5DS stores it
};

struct Backlinks {
  std::mutex mutex;  // HDF5 calls are on one thread; the guard costs nothing and keeps it safe
  std::map<hid_t, std::vector<Backlink>> by_scale;
};

Backlinks& backlinks() {
  static Backlinks links;
  return links;
}

// REFERENCE_LIST as H5DS writes it: a compound of an object reference and an int, laid out as
// the C struct {hobj_ref_t; int} (16 bytes).
herr_t write_reference_list(hid_t scale, const std::vector<Backlink>& links) {
  const hid_t type = H5Tcreate(H5T_COMPOUND, sizeof(Backlink));
  if (type < 0) return -1;
  herr_t status = H5Tinsert(type, "dataset", HOFFSET(Backlink, dataset), H5T_STD_REF_OBJ);
  if (status >= 0) status = H5Tinsert(type, "dimension", HOFFSET(Backlink, axis), H5T_NATIVE_INT);
  const hsize_t size = links.size();
  const hid_t space = status >= 0 ? H5Screate_simple(1, &size, nullptr) : -1;
  const hid_t attr =
      space >= 0 ? H5Acreate2(scale, "REFERENCE_LIST", type, space, H5P_DEFAULT, H5P_DEFAULT) : -1;
  status = attr >= 0 ? H5Awrite(attr, type, links.data()) : -1;
  if (attr >= 0 && H5Aclose(attr) < 0) status = -1;
  if (space >= 0) H5Sclose(space);
  H5Tclose(type);
  return status;
}

// The closer of every dimension scale: writes its back-links, then closes it.
herr_t close_scale(hid_t scale) {
  std::vector<Backlink> links;
  {
    Backlinks& all = backlinks();
    std::lock_guard lock(all.mutex);
    const auto it = all.by_scale.find(scale);
    if (it != all.by_scale.end()) {
      links = std::move(it->second);
      all.by_scale.erase(it);
    }
  }
  const herr_t written = links.empty() ? 0 : write_reference_list(scale, links);
  const herr_t closed = H5Dclose(scale);
  return written < 0 ? written : closed;
}

// `dataset` as a dimension scale named `name`, closed by close_scale.
Handle mark_scale(Handle dataset, const std::string& name, int dimid) {
  check(H5DSset_scale(dataset.get(), name.c_str()), "dimension scale " + name);
  const int id = dimid;
  write_attribute(dataset.get(), "_Netcdf4Dimid", H5T_NATIVE_INT, &id);
  Handle scale(dataset.release(), close_scale, "dimension scale " + name);
  std::lock_guard lock(backlinks().mutex);
  backlinks().by_scale[scale.get()];  // registered: attach_scales records its back-links
  return scale;
}

// Attaches `scales` to the axes of `dataset` in one go: its DIMENSION_LIST (a variable-length
// list of object references per axis, one reference each) written once, and the back-links kept
// for each scale's close. Equivalent to H5DSattach_scale axis by axis.
void attach_scales(hid_t dataset, const std::vector<hid_t>& scales, const std::string& name) {
  if (scales.empty()) return;
  hobj_ref_t self;
  check(H5Rcreate(&self, dataset, ".", H5R_OBJECT, -1), "dimension of " + name);
  std::vector<hobj_ref_t> targets(scales.size());
  std::vector<hvl_t> lists(scales.size());
  for (std::size_t axis = 0; axis < scales.size(); ++axis) {
    check(H5Rcreate(&targets[axis], scales[axis], ".", H5R_OBJECT, -1), "dimension of " + name);
    lists[axis] = {1, &targets[axis]};
  }
  const Handle type(H5Tvlen_create(H5T_STD_REF_OBJ), H5Tclose, "dimension list type");
  const hsize_t rank = scales.size();
  const Handle space(H5Screate_simple(1, &rank, nullptr), H5Sclose, "dimension list");
  write_attribute(dataset, "DIMENSION_LIST", type.get(), space.get(), lists.data());
  Backlinks& all = backlinks();
  std::lock_guard lock(all.mutex);
  for (std::size_t axis = 0; axis < scales.size(); ++axis) {
    const auto it = all.by_scale.find(scales[axis]);
    if (it == all.by_scale.end()) {
      throw std::logic_error("variable " + name + " attached to a dataset that is not a scale");
    }
    it->second.push_back({self, static_cast<int>(axis)});
  }
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

hid_t Handle::release() {
  const hid_t id = id_;
  id_ = H5I_INVALID_HID;
  return id;
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
    const Handle dxpl = string_transfer_properties(pointers.size());
    check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, dxpl.get(), pointers.data()),
          "variable " + name);
  }
  return dataset;
}

}  // namespace

Handle create_label_dimension(hid_t group, const std::string& name,
                              const std::vector<std::string>& labels, int dimid) {
  return mark_scale(write_strings(group, name, labels), name, dimid);
}

Handle create_string_variable(hid_t group, const std::string& name, hid_t scale,
                              const std::vector<std::string>& values) {
  Handle dataset = write_strings(group, name, values);
  attach_scales(dataset.get(), {scale}, name);
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
  attach_scales(dataset.get(), {scale}, name);
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
  const Handle dxpl = string_transfer_properties(pointers.size());
  check(H5Dwrite(dataset, type.get(), memory_space.get(), file_space.get(), dxpl.get(),
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
  return mark_scale(std::move(dataset), name, dimid);
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
  attach_scales(dataset.get(), scales, name);
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

void write_all_compressed(hid_t dataset, const std::vector<std::uint8_t>& bytes, int rank) {
  const std::vector<hsize_t> origin(static_cast<std::size_t>(rank), 0);
  check(H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, origin.data(), bytes.size(), bytes.data()),
        "writing a variable");
}

Handle create_numeric_dimension(hid_t group, const std::string& name,
                                const std::vector<std::int64_t>& values, int dimid) {
  Handle dataset =
      create_variable(group, name, Type::Int64, {}, {values.size()}, false, values.size());
  if (!values.empty()) write_all(dataset.get(), Type::Int64, values.data());
  return mark_scale(std::move(dataset), name, dimid);
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
  const Handle dxpl = string_transfer_properties(1);
  check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, dxpl.get(), &text),
        "variable " + name);
}

}  // namespace aidflow::output::h5
