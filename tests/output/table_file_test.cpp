// Tables written a block at a time (a sweep's index of up to ten million rows is never held whole)
// read back as one table, and a block that does not match the first is a programming error.
#include "output/table_file.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <array>

#include "hdf5_read.hpp"
#include "temp_dir.hpp"

namespace aidflow::output {
namespace {

using testing::TempDir;

std::vector<TableColumn> block(std::int64_t first, std::int64_t rows) {
  std::vector<std::int64_t> numbers;
  std::vector<std::string> names;
  for (std::int64_t r = first; r < first + rows; ++r) {
    numbers.push_back(10 * r);
    names.push_back(std::string("row ").append(std::to_string(r)));  // GCC 12 -Wrestrict
  }
  return {{.name = "n", .units = "1", .values = numbers, .fill_value = -1},
          {.name = "s", .long_name = "a name", .values = names}};
}

std::string read_string(hid_t file, const char* name, hsize_t row) {
  const hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
  const hid_t space = H5Dget_space(d);
  H5Sselect_hyperslab(space, H5S_SELECT_SET, &row, nullptr, std::array<hsize_t, 1>{1}.data(),
                      nullptr);
  const hsize_t one = 1;
  const hid_t memory = H5Screate_simple(1, &one, nullptr);
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  char* text = nullptr;
  H5Dread(d, type, memory, space, H5P_DEFAULT, &text);
  std::string out = text ? text : "";
  H5free_memory(text);
  H5Tclose(type);
  H5Sclose(memory);
  H5Sclose(space);
  H5Dclose(d);
  return out;
}

TEST(TableFile, BlocksAppendToOneTable) {
  TempDir dir;
  const auto path = dir.path() / "index.h5";
  {
    TableWriter writer(path, "run");
    writer.append(block(0, 3));
    writer.append(block(3, 0));
    writer.append(block(3, 2));
    writer.commit({{"runs", std::int64_t{5}}});
  }
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  EXPECT_EQ(testing::read_int64(path, "run"), (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(testing::read_int64(path, "n"), (std::vector<std::int64_t>{0, 10, 20, 30, 40}));
  EXPECT_EQ(read_string(file, "s", 0), "row 0");
  EXPECT_EQ(read_string(file, "s", 4), "row 4");
  H5Fclose(file);
}

TEST(TableFile, ABlockOfOtherColumnsIsRefusedAndLeavesNothing) {
  TempDir dir;
  {
    TableWriter writer(dir.path() / "index.h5", "run");
    writer.append(block(0, 2));
    std::vector<TableColumn> other = block(2, 2);
    other[1].name.back() = 't';  // (not `= "t"`: GCC 12 misreports that under -Wrestrict)
    EXPECT_THROW(writer.append(other), std::logic_error);
    other = block(2, 2);
    other.pop_back();
    EXPECT_THROW(writer.append(other), std::logic_error);
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace aidflow::output
