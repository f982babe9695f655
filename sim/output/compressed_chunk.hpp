#pragma once
// Chunks of a series compressed off the HDF5 thread. The process has one thread that calls HDF5
// (writer_thread.hpp); if it also ran the filters, every worker's compression would queue behind
// it. A stepping thread instead makes each chunk exactly as the dataset's filter pipeline would
// (HDF5's byte shuffle, then zlib at the same level), and the HDF5 thread stores the bytes with
// H5Dwrite_chunk: the same file contents, with the filters' work spread over the workers.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace aidflow::output {

// The deflate level of every compressed variable (hdf5_file.cpp's filters use it too).
inline constexpr int kDeflateLevel = 4;

// `rows` rows of `row_values` values of `value_bytes` bytes each at `data`, padded with zero bytes
// to `chunk_rows` rows (the fill value of a variable without one, what HDF5 stores in the unused
// part of a partial chunk), shuffled and deflated. Empty when the rows hold no values.
std::vector<std::uint8_t> compress_chunk(const void* data, std::size_t value_bytes,
                                         std::size_t rows, std::size_t chunk_rows,
                                         std::size_t row_values);

// HDF5's shuffle filter: byte k of every value first, for k = 0 .. value_bytes - 1.
std::vector<std::uint8_t> shuffle_bytes(const std::uint8_t* data, std::size_t bytes,
                                        std::size_t value_bytes);

}  // namespace aidflow::output
