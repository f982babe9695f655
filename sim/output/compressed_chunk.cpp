#include "output/compressed_chunk.hpp"

#include <zlib.h>

#include <cstring>
#include <stdexcept>

namespace aidflow::output {

std::vector<std::uint8_t> shuffle_bytes(const std::uint8_t* data, std::size_t bytes,
                                        std::size_t value_bytes) {
  std::vector<std::uint8_t> out(bytes);
  if (value_bytes <= 1 || bytes < value_bytes) {  // HDF5 leaves these as they are
    if (bytes > 0) std::memcpy(out.data(), data, bytes);
    return out;
  }
  const std::size_t values = bytes / value_bytes;
  for (std::size_t k = 0; k < value_bytes; ++k) {
    std::uint8_t* plane = out.data() + k * values;
    for (std::size_t v = 0; v < values; ++v) plane[v] = data[v * value_bytes + k];
  }
  const std::size_t rest = bytes - values * value_bytes;  // a tail HDF5 copies unchanged
  if (rest > 0) std::memcpy(out.data() + values * value_bytes, data + values * value_bytes, rest);
  return out;
}

std::vector<std::uint8_t> compress_chunk(const void* data, std::size_t value_bytes,
                                         std::size_t rows, std::size_t chunk_rows,
                                         std::size_t row_values) {
  if (rows > chunk_rows) throw std::logic_error("more rows than a chunk holds");
  const std::size_t row_bytes = row_values * value_bytes;
  if (row_bytes == 0) return {};
  std::vector<std::uint8_t> padded(chunk_rows * row_bytes, 0);
  if (rows > 0) std::memcpy(padded.data(), data, rows * row_bytes);
  const std::vector<std::uint8_t> shuffled =
      shuffle_bytes(padded.data(), padded.size(), value_bytes);
  // What H5Z's deflate filter does: compress2 into a buffer of compressBound bytes.
  uLongf size = compressBound(static_cast<uLong>(shuffled.size()));
  std::vector<std::uint8_t> out(size);
  if (compress2(out.data(), &size, shuffled.data(), static_cast<uLong>(shuffled.size()),
                kDeflateLevel) != Z_OK) {
    throw std::runtime_error("zlib could not compress a chunk");
  }
  out.resize(size);
  return out;
}

}  // namespace aidflow::output
