#include "output/compressed_chunk.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cstring>

#include "output/hdf5_file.hpp"
#include "temp_dir.hpp"

namespace aidflow::output {
namespace {

using testing::TempDir;

TEST(ShuffleBytes, PutsByteKOfEveryValueTogether) {
  const std::vector<std::uint8_t> values = {1, 2, 3, 4, 5, 6, 7};  // 3 values of 2 bytes, 1 left
  EXPECT_EQ(shuffle_bytes(values.data(), values.size(), 2),
            (std::vector<std::uint8_t>{1, 3, 5, 2, 4, 6, 7}));
  EXPECT_EQ(shuffle_bytes(values.data(), values.size(), 1), values) << "bytes stay as they are";
}

// The chunk as stored in the file (filters applied), read back raw.
std::vector<std::uint8_t> stored_chunk(hid_t dataset, std::vector<hsize_t> start) {
  hsize_t bytes = 0;
  h5::check(H5Dget_chunk_storage_size(dataset, start.data(), &bytes), "chunk size");
  std::vector<std::uint8_t> out(bytes);
  std::uint32_t mask = 0;
  h5::check(H5Dread_chunk(dataset, H5P_DEFAULT, start.data(), &mask, out.data()), "chunk");
  EXPECT_EQ(mask, 0u) << "every filter applied";
  return out;
}

template <typename T>
void expect_chunks_as_hdf5_makes_them(h5::Type type) {
  TempDir dir;
  h5::quiet_library_errors();
  const hsize_t chunk = 4, width = 3, rows = 6;  // a full chunk and a partial one
  std::vector<T> values(rows * width);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<T>(i * i % 17) * T(3);
  h5::Handle file = h5::create_file(dir.path() / "chunks.h5");
  const hid_t root = file.get();
  h5::Handle library = h5::create_variable(root, "library", type, {}, {0, width}, true, chunk);
  h5::Handle ours = h5::create_variable(root, "ours", type, {}, {0, width}, true, chunk);
  for (hsize_t offset = 0; offset < rows; offset += chunk) {
    const hsize_t n = std::min(chunk, rows - offset);
    const T* block = values.data() + offset * width;
    h5::append_rows(library.get(), type, block, offset, n, {width});
    h5::append_chunk(ours.get(), compress_chunk(block, sizeof(T), n, chunk, width), offset, n,
                     {width});
  }
  h5::check(H5Fflush(root, H5F_SCOPE_GLOBAL), "flush");
  for (hsize_t offset = 0; offset < rows; offset += chunk) {
    EXPECT_EQ(stored_chunk(ours.get(), {offset, 0}), stored_chunk(library.get(), {offset, 0}))
        << "chunk at row " << offset;
  }
  std::vector<T> back(values.size());
  const hid_t native = type == h5::Type::Int64 ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE;
  h5::check(H5Dread(ours.get(), native, H5S_ALL, H5S_ALL, H5P_DEFAULT, back.data()), "read");
  EXPECT_EQ(back, values);
}

TEST(CompressChunk, StoresTheBytesHdf5sOwnFiltersStore) {
  expect_chunks_as_hdf5_makes_them<std::int64_t>(h5::Type::Int64);
  expect_chunks_as_hdf5_makes_them<double>(h5::Type::Float64);
}

TEST(CompressChunk, RowsWithoutValuesMakeNoChunk) {
  EXPECT_TRUE(compress_chunk(nullptr, 8, 3, 4, 0).empty());
  const std::int64_t one = 1;
  EXPECT_THROW(compress_chunk(&one, 8, 5, 4, 1), std::logic_error);
}

}  // namespace
}  // namespace aidflow::output
