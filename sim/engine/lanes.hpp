#pragma once
// Eight lanes of doubles, 64-bit integers and smaller integers, as GCC/Clang vector types. The
// compiler lowers each operation to one AVX-512 instruction, two AVX2 or four SSE2 ones, so code
// written on lanes vectorises under every instruction set (engine/isa.hpp), and since the lanes
// are fixed at eight, sums kept per lane add in the same order everywhere: the same bytes.
// Loads and stores of a partial block (the end of a range) go through padded copies.
#include <cstdint>
#include <cstring>

// Include only in code compiled once per instruction set (household kernels): every helper is
// static and forced inline, so no copy built for one instruction set can be linked into code run
// under another, and a lane vector never crosses a call, whose convention would differ between
// instruction sets (so -Wpsabi, off for the engine and its users, has nothing to report).
#define AIDFLOW_LANES static inline __attribute__((always_inline))

namespace aidflow::engine::lanes {

inline constexpr int kLanes = 8;

using F64 = double __attribute__((vector_size(64)));
using I64 = std::int64_t __attribute__((vector_size(64)));
using U32 = std::uint32_t __attribute__((vector_size(32)));
using U8 = std::uint8_t __attribute__((vector_size(8)));

AIDFLOW_LANES F64 splat(double x) {
  return F64{} + x;
}
AIDFLOW_LANES I64 splat(std::int64_t x) {
  return I64{} + x;
}

// mask ? a : b lane by lane; mask lanes are all ones or all zeros (a comparison's result).
AIDFLOW_LANES F64 select(I64 mask, F64 a, F64 b) {
  return reinterpret_cast<F64>((reinterpret_cast<I64>(a) & mask) |
                               (reinterpret_cast<I64>(b) & ~mask));
}
AIDFLOW_LANES I64 select(I64 mask, I64 a, I64 b) {
  return (a & mask) | (b & ~mask);
}

// std::min(a, b) and std::clamp(v, lo, hi), lane by lane, with the same results.
AIDFLOW_LANES F64 min(F64 a, F64 b) {
  return select(b < a, b, a);
}
AIDFLOW_LANES F64 clamp(F64 v, F64 lo, F64 hi) {
  return select(v < lo, lo, select(hi < v, hi, v));
}

AIDFLOW_LANES F64 to_f64(I64 v) {
  return __builtin_convertvector(v, F64);
}
AIDFLOW_LANES I64 to_i64(F64 v) {
  return __builtin_convertvector(v, I64);
}  // truncates
AIDFLOW_LANES I64 to_i64(U32 v) {
  return __builtin_convertvector(v, I64);
}
AIDFLOW_LANES I64 to_i64(U8 v) {
  return __builtin_convertvector(v, I64);
}
AIDFLOW_LANES U32 to_u32(I64 v) {
  return __builtin_convertvector(v, U32);
}
AIDFLOW_LANES U8 to_u8(I64 v) {
  return __builtin_convertvector(v, U8);
}

// The lanes of a block starting at `p`: all eight (Full) or the first `n`, the rest `pad`.
template <class V, class T>
AIDFLOW_LANES V load(const T* p, int n, T pad) {
  V v;
  if (n == kLanes) {
    std::memcpy(&v, p, sizeof v);
  } else {
    T padded[kLanes];
    for (int i = 0; i < kLanes; ++i) padded[i] = i < n ? p[i] : pad;
    std::memcpy(&v, padded, sizeof v);
  }
  return v;
}

// Stores the first `n` lanes of v at p.
template <class T, class V>
AIDFLOW_LANES void store(T* p, V v, int n) {
  static_assert(sizeof(V) == kLanes * sizeof(T));
  if (n == kLanes) {
    std::memcpy(p, &v, sizeof v);
  } else {
    T all[kLanes];
    std::memcpy(all, &v, sizeof v);
    for (int i = 0; i < n; ++i) p[i] = all[i];
  }
}

// The sum of the lanes, first to last.
AIDFLOW_LANES double sum(F64 v) {
  double total = 0.0;
  for (int i = 0; i < kLanes; ++i) total += v[i];
  return total;
}

}  // namespace aidflow::engine::lanes
