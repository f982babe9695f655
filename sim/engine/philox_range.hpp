#pragma once
// Philox4x32-10 blocks for a range of agents, as four columns, in a loop the compiler vectorises
// (the rounds written out with 64-bit products, several agents at once). The same numbers as
// RandomStream::words(). Header only and free of library code, so that the household kernels,
// compiled once per instruction set, carry their own copy (model/people/household_kernels.hpp).
#include <cstddef>
#include <cstdint>

namespace aidflow::engine {

// Block (stream, first + i, step, 0) under key (key0, key1) for i in [0, n): word j in out[j][i].
inline __attribute__((always_inline)) void philox_words_for_range(
    std::uint32_t stream, std::uint32_t key0, std::uint32_t key1, std::uint32_t first,
    std::size_t n, std::uint32_t step, std::uint32_t* const out[4]) {
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t x0 = stream, x1 = first + static_cast<std::uint32_t>(i), x2 = step, x3 = 0;
    std::uint32_t k0 = key0, k1 = key1;
    for (int round = 0; round < 10; ++round) {
      const std::uint64_t p0 = std::uint64_t{0xD2511F53u} * x0;
      const std::uint64_t p1 = std::uint64_t{0xCD9E8D57u} * x2;
      const std::uint32_t y0 = static_cast<std::uint32_t>(p1 >> 32) ^ x1 ^ k0;
      const std::uint32_t y2 = static_cast<std::uint32_t>(p0 >> 32) ^ x3 ^ k1;
      x1 = static_cast<std::uint32_t>(p1);
      x3 = static_cast<std::uint32_t>(p0);
      x0 = y0;
      x2 = y2;
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    out[0][i] = x0;
    out[1][i] = x1;
    out[2][i] = x2;
    out[3][i] = x3;
  }
}

}  // namespace aidflow::engine
