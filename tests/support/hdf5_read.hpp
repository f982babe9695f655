#pragma once
// Reading a variable of a result file back, for tests of the writers: every value of an int64
// variable, flattened, in the file's order.
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <vector>

namespace aidflow::testing {

inline std::vector<std::int64_t> read_int64(const std::filesystem::path& file, const char* name) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  const hid_t space = H5Dget_space(d);
  std::vector<std::int64_t> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  H5Dread(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Sclose(space);
  H5Dclose(d);
  H5Fclose(f);
  return values;
}

}  // namespace aidflow::testing
