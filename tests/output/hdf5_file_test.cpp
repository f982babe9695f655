#include "output/hdf5_file.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include <string>
#include <vector>

#include "output/compressed_chunk.hpp"
#include "temp_dir.hpp"

namespace aidflow::output {
namespace {

using testing::TempDir;

h5::Handle open_dataset(hid_t file, const std::string& name) {
  return h5::Handle(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose, name);
}

h5::Handle open_file(const std::filesystem::path& path) {
  return h5::Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, path.string());
}

// The datasets (by name) and axes a scale's REFERENCE_LIST names, in its order.
std::vector<std::pair<std::string, int>> reference_list(hid_t scale) {
  struct Entry {
    hobj_ref_t dataset;
    int axis;
  };
  const h5::Handle attr(H5Aopen(scale, "REFERENCE_LIST", H5P_DEFAULT), H5Aclose, "REFERENCE_LIST");
  const h5::Handle space(H5Aget_space(attr.get()), H5Sclose, "space");
  std::vector<Entry> entries(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  const h5::Handle type(H5Tcreate(H5T_COMPOUND, sizeof(Entry)), H5Tclose, "type");
  h5::check(H5Tinsert(type.get(), "dataset", HOFFSET(Entry, dataset), H5T_STD_REF_OBJ), "type");
  h5::check(H5Tinsert(type.get(), "dimension", HOFFSET(Entry, axis), H5T_NATIVE_INT), "type");
  h5::check(H5Aread(attr.get(), type.get(), entries.data()), "REFERENCE_LIST");
  std::vector<std::pair<std::string, int>> out;
  for (const Entry& e : entries) {
    const h5::Handle target(H5Rdereference2(scale, H5P_DEFAULT, H5R_OBJECT, &e.dataset), H5Oclose,
                            "reference");
    char name[256];
    H5Iget_name(target.get(), name, sizeof name);
    out.emplace_back(name, e.axis);
  }
  return out;
}

// Scales attached in one go are what the HDF5 dimension-scale API (and so netCDF-4, h5py and
// h5netcdf) reads: every axis attached to its scale, each scale listing its variables in the
// order they were attached, with their axes.
TEST(DimensionScales, AttachedInOneGoReadAsTheHighLevelLibraryAttachesThem) {
  TempDir dir;
  const auto path = dir.path() / "scales.h5";
  {
    h5::Handle file = h5::create_file(path);
    const hid_t root = file.get();
    h5::Handle time = h5::create_unlimited_dimension(root, "time", 4, 0);
    h5::Handle place = h5::create_label_dimension(root, "place", {"a", "b", "c"}, 1);
    h5::Handle names = h5::create_string_variable(root, "place_name", place.get(), {"A", "B", "C"});
    h5::Handle both = h5::create_variable(root, "both", h5::Type::Float64,
                                          {time.get(), place.get()}, {0, 3}, true, 4);
    h5::Handle fixed =
        h5::create_variable(root, "fixed", h5::Type::Int64, {place.get()}, {3}, false, 3);
    h5::Handle along =
        h5::create_variable(root, "along", h5::Type::Int64, {time.get()}, {0}, true, 4);
  }  // scales close after the variables here: their back-links are written as they close
  h5::Handle file = open_file(path);
  const h5::Handle time = open_dataset(file.get(), "time");
  const h5::Handle place = open_dataset(file.get(), "place");
  EXPECT_GT(H5DSis_scale(time.get()), 0);
  EXPECT_GT(H5DSis_scale(place.get()), 0);
  const h5::Handle both = open_dataset(file.get(), "both");
  EXPECT_GT(H5DSis_attached(both.get(), time.get(), 0), 0);
  EXPECT_GT(H5DSis_attached(both.get(), place.get(), 1), 0);
  EXPECT_EQ(H5DSget_num_scales(both.get(), 0), 1);
  EXPECT_EQ(H5DSget_num_scales(both.get(), 1), 1);
  const h5::Handle fixed = open_dataset(file.get(), "fixed");
  EXPECT_GT(H5DSis_attached(fixed.get(), place.get(), 0), 0);
  const h5::Handle names = open_dataset(file.get(), "place_name");
  EXPECT_GT(H5DSis_attached(names.get(), place.get(), 0), 0);
  using List = std::vector<std::pair<std::string, int>>;
  EXPECT_EQ(reference_list(time.get()), (List{{"/both", 0}, {"/along", 0}}));
  EXPECT_EQ(reference_list(place.get()), (List{{"/place_name", 0}, {"/both", 1}, {"/fixed", 0}}));
  const H5O_info_t info = [&] {
    H5O_info_t i;
    h5::check(H5Oget_info_by_name(file.get(), "place", &i, H5P_DEFAULT), "info");
    return i;
  }();
  EXPECT_EQ(info.num_attrs, 4u) << "CLASS, NAME, _Netcdf4Dimid, REFERENCE_LIST once each";
}

// Labels are written with a conversion buffer sized to them: more labels than a small buffer
// holds still come back whole and in order.
TEST(DimensionScales, ManyLabelsComeBackWhole) {
  TempDir dir;
  const auto path = dir.path() / "labels.h5";
  std::vector<std::string> labels;
  for (int i = 0; i < 20000; ++i) labels.push_back("label number " + std::to_string(i));
  {
    h5::Handle file = h5::create_file(path);
    h5::Handle scale = h5::create_label_dimension(file.get(), "label", labels, 0);
  }
  h5::Handle file = open_file(path);
  const h5::Handle scale = open_dataset(file.get(), "label");
  h5::Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "type");
  h5::check(H5Tset_size(type.get(), H5T_VARIABLE), "type");
  h5::check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "type");
  std::vector<char*> back(labels.size());
  h5::check(H5Dread(scale.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, back.data()), "read");
  for (std::size_t i = 0; i < labels.size(); ++i) EXPECT_EQ(back[i], labels[i]) << i;
  const h5::Handle space(H5Dget_space(scale.get()), H5Sclose, "space");
  H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, back.data());
}

// A fixed-size variable written from its one chunk compressed off the HDF5 thread stores the
// bytes HDF5's own filters store, and reads back the same values.
TEST(WriteAllCompressed, StoresTheBytesOfHdf5sFilters) {
  TempDir dir;
  h5::quiet_library_errors();
  std::vector<std::int64_t> values(5 * 7);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<std::int64_t>(i * i % 13);
  h5::Handle file = h5::create_file(dir.path() / "finals.h5");
  h5::Handle library =
      h5::create_variable(file.get(), "library", h5::Type::Int64, {}, {5, 7}, false, 0);
  h5::Handle ours = h5::create_variable(file.get(), "ours", h5::Type::Int64, {}, {5, 7}, false, 0);
  h5::write_all(library.get(), h5::Type::Int64, values.data());
  h5::write_all_compressed(ours.get(), compress_chunk(values.data(), 8, 5, 5, 7), 2);
  h5::check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "flush");
  const hsize_t origin[2] = {0, 0};
  hsize_t library_bytes = 0, our_bytes = 0;
  h5::check(H5Dget_chunk_storage_size(library.get(), origin, &library_bytes), "size");
  h5::check(H5Dget_chunk_storage_size(ours.get(), origin, &our_bytes), "size");
  std::vector<std::uint8_t> a(library_bytes), b(our_bytes);
  std::uint32_t mask = 0;
  h5::check(H5Dread_chunk(library.get(), H5P_DEFAULT, origin, &mask, a.data()), "chunk");
  h5::check(H5Dread_chunk(ours.get(), H5P_DEFAULT, origin, &mask, b.data()), "chunk");
  EXPECT_EQ(a, b);
  std::vector<std::int64_t> back(values.size());
  h5::check(H5Dread(ours.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, back.data()),
            "read");
  EXPECT_EQ(back, values);
}

}  // namespace
}  // namespace aidflow::output
