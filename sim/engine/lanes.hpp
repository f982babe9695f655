#pragma once
// Eight lanes of doubles, 64-bit integers and smaller integers, as GCC/Clang vector types. The
// compiler lowers each operation to one AVX-512 instruction, two AVX2 or four SSE2 ones, so code
// written on lanes vectorises under every instruction set (engine/isa.hpp), and since the lanes
// are fixed at eight, sums kept per lane add in the same order everywhere: the same bytes.
// Loads and stores of a partial block (the end of a range) are masked under AVX2 and go through
// padded copies otherwise. The few
// helpers that numeric templates need (bits, select, sqrt) exist for a plain double too, so the
// same template runs on one number or on eight (engine/normal_quantile.hpp).
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

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
using I32 = std::int32_t __attribute__((vector_size(32)));

AIDFLOW_LANES F64 splat(double x) {
#if defined(__AVX__) && !defined(__AVX512F__)
  const __m256d half = _mm256_set1_pd(x);
  F64 out;
  std::memcpy(&out, &half, sizeof half);
  std::memcpy(reinterpret_cast<char*>(&out) + sizeof half, &half, sizeof half);
  return out;
#else
  return F64{} + x;
#endif
}

// mask ? a : b lane by lane; mask lanes are all ones or all zeros (a comparison's result). On a
// unit with 256-bit registers GCC 12 moves a reinterpreted eight-lane vector through general
// registers, a quadword at a time, so there each half is blended by its mask with one
// instruction: the same bits, since every mask lane is all ones or all zeros.
AIDFLOW_LANES F64 select(I64 mask, F64 a, F64 b) {
  return reinterpret_cast<F64>((reinterpret_cast<I64>(a) & mask) |
                               (reinterpret_cast<I64>(b) & ~mask));
}
AIDFLOW_LANES U32 select(I64 mask, U32 a, U32 b) {
  const auto narrow = reinterpret_cast<U32>(__builtin_convertvector(mask, I32));
  return (a & narrow) | (b & ~narrow);
}

// The bits of doubles and back, and the square root, lane by lane and for one double.
AIDFLOW_LANES I64 bits(F64 x) {
  return reinterpret_cast<I64>(x);
}
AIDFLOW_LANES F64 from_bits(I64 b) {
  return reinterpret_cast<F64>(b);
}
#if defined(__SSE2__)
// op(part of a, part of b) for each part of the unit's width (Part: __m256d, __m128d), as the
// eight lanes of R: for operations GCC does not split into the unit's registers on its own.
template <class Part, class R, class Op>
AIDFLOW_LANES R in_parts(F64 a, F64 b, Op op) {
  constexpr int kParts = sizeof(F64) / sizeof(Part);
  Part x[kParts], y[kParts], r[kParts];
  std::memcpy(x, &a, sizeof a);
  std::memcpy(y, &b, sizeof b);
  for (int i = 0; i < kParts; ++i) r[i] = op(x[i], y[i]);
  R out;
  std::memcpy(&out, r, sizeof out);
  return out;
}
#endif

// The compiler does not vectorise a square root on its own (errno): the widest instruction the
// translation unit is compiled for, all of them exact, so every version gives the same bits.
// GCC 12's AVX-512 header trips -Wmaybe-uninitialized on its own undefined vector (GCC bug
// 105593, fixed in GCC 13).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
AIDFLOW_LANES F64 sqrt(F64 x) {
#if defined(__AVX512F__)
  return reinterpret_cast<F64>(_mm512_sqrt_pd(reinterpret_cast<__m512d>(x)));
#elif defined(__AVX__)
  return in_parts<__m256d, F64>(x, x, [](__m256d h, __m256d) { return _mm256_sqrt_pd(h); });
#elif defined(__SSE2__)
  return in_parts<__m128d, F64>(x, x, [](__m128d q, __m128d) { return _mm_sqrt_pd(q); });
#else
  for (int i = 0; i < kLanes; ++i) x[i] = __builtin_sqrt(x[i]);
  return x;
#endif
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
// Whether every lane of a mask is set.
AIDFLOW_LANES bool all(I64 mask) {
  std::int64_t every = -1;
  for (int i = 0; i < kLanes; ++i) every &= mask[i];
  return every != 0;
}
AIDFLOW_LANES std::int64_t bits(double x) {
  return std::bit_cast<std::int64_t>(x);
}
AIDFLOW_LANES double from_bits(std::int64_t b) {
  return std::bit_cast<double>(b);
}
AIDFLOW_LANES double sqrt(double x) {
  return std::sqrt(x);
}
AIDFLOW_LANES double select(bool yes, double a, double b) {
  return yes ? a : b;
}
AIDFLOW_LANES double to_f64(std::int64_t v) {
  return static_cast<double>(v);
}

// Comparisons lane by lane, as masks (all ones where true). GCC 12 turns a comparison of eight
// double lanes into scalar code unless the unit has 512-bit registers, so narrower units
// compare halves (AVX) or quarters (SSE2) with their own instructions. Ordered comparisons:
// false where either side is NaN, as the operators.
#if defined(__AVX__) && !defined(__AVX512F__)
template <int kPredicate>
AIDFLOW_LANES I64 compare(F64 a, F64 b) {
  return in_parts<__m256d, I64>(
      a, b, [](__m256d x, __m256d y) { return _mm256_cmp_pd(x, y, kPredicate); });
}
AIDFLOW_LANES I64 lt(F64 a, F64 b) {
  return compare<_CMP_LT_OQ>(a, b);
}
AIDFLOW_LANES I64 le(F64 a, F64 b) {
  return compare<_CMP_LE_OQ>(a, b);
}
AIDFLOW_LANES I64 eq(F64 a, F64 b) {
  return compare<_CMP_EQ_OQ>(a, b);
}
#elif defined(__SSE2__) && !defined(__AVX__)
AIDFLOW_LANES I64 lt(F64 a, F64 b) {
  return in_parts<__m128d, I64>(a, b, [](__m128d x, __m128d y) { return _mm_cmplt_pd(x, y); });
}
AIDFLOW_LANES I64 le(F64 a, F64 b) {
  return in_parts<__m128d, I64>(a, b, [](__m128d x, __m128d y) { return _mm_cmple_pd(x, y); });
}
AIDFLOW_LANES I64 eq(F64 a, F64 b) {
  return in_parts<__m128d, I64>(a, b, [](__m128d x, __m128d y) { return _mm_cmpeq_pd(x, y); });
}
#else  // 512-bit units (or none at all): the operators
AIDFLOW_LANES I64 lt(F64 a, F64 b) {
  return a < b;
}
AIDFLOW_LANES I64 le(F64 a, F64 b) {
  return a <= b;
}
AIDFLOW_LANES I64 eq(F64 a, F64 b) {
  return a == b;
}
#endif
AIDFLOW_LANES I64 gt(F64 a, F64 b) {
  return lt(b, a);
}
// Against one number, and for one double (numeric templates).
AIDFLOW_LANES I64 lt(F64 a, double b) {
  return lt(a, splat(b));
}
AIDFLOW_LANES I64 le(F64 a, double b) {
  return le(a, splat(b));
}
AIDFLOW_LANES I64 gt(F64 a, double b) {
  return lt(splat(b), a);
}
AIDFLOW_LANES I64 eq(F64 a, double b) {
  return eq(a, splat(b));
}
AIDFLOW_LANES bool le(double a, double b) {
  return a <= b;
}
AIDFLOW_LANES bool gt(double a, double b) {
  return a > b;
}

// std::min(a, b) and std::clamp(v, lo, hi), lane by lane, with the same results.
AIDFLOW_LANES F64 min(F64 a, F64 b) {
  return select(lt(b, a), b, a);
}
AIDFLOW_LANES F64 clamp(F64 v, F64 lo, F64 hi) {
  return select(lt(v, lo), lo, select(lt(hi, v), hi, v));
}

// Conversions, exact, through 32-bit lanes where they can: AVX2 converts between doubles and
// 32-bit integers in one instruction but has none for 64-bit integers (AVX-512 has both).
AIDFLOW_LANES F64 to_f64(I32 v) {
  return __builtin_convertvector(v, F64);
}
AIDFLOW_LANES F64 to_f64(U32 v) {  // an unsigned word is its signed twin plus 2^31
  return to_f64(reinterpret_cast<I32>(v ^ 0x80000000u)) + 2147483648.0;
}
AIDFLOW_LANES F64 to_f64(U8 v) {
#if defined(__AVX2__) && !defined(__AVX512F__)
  // GCC 12 widens eight bytes one at a time through general registers; AVX2 does it at once.
  std::int64_t packed;
  std::memcpy(&packed, &v, sizeof packed);
  const __m256i wide = _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(packed));
  I32 words;
  std::memcpy(&words, &wide, sizeof words);
  return to_f64(words);
#else
  return to_f64(__builtin_convertvector(v, I32));
#endif
}
// Any 64-bit integer: its high half times 2^32 plus its low half are exact doubles, and their
// sum rounds once, as a direct conversion rounds.
AIDFLOW_LANES F64 to_f64(I64 v) {
#if defined(__AVX512DQ__)
  return __builtin_convertvector(v, F64);  // one instruction, the same rounding
#endif
  const I32 high = __builtin_convertvector(v >> 32, I32);
  const U32 low = __builtin_convertvector(v & 0xFFFFFFFF, U32);
  return to_f64(high) * 4294967296.0 + to_f64(low);
}
// Truncations toward zero, of doubles known to fit in 31 bits.
AIDFLOW_LANES I32 to_i32(F64 v) {
  return __builtin_convertvector(v, I32);
}
AIDFLOW_LANES U32 to_u32(F64 v) {
  return reinterpret_cast<U32>(to_i32(v));
}
// Of doubles holding small codes (0 to 127). GCC 12 narrows lanes to bytes one at a time
// through general registers; SSE2's saturating packs do it in two instructions (exact for
// such codes).
AIDFLOW_LANES U8 to_u8(F64 v) {
#if defined(__AVX__) && !defined(__AVX512F__)
  const auto low = reinterpret_cast<__m256d>(__builtin_shufflevector(v, v, 0, 1, 2, 3));
  const auto high = reinterpret_cast<__m256d>(__builtin_shufflevector(v, v, 4, 5, 6, 7));
  const __m128i words = _mm_packs_epi32(_mm256_cvttpd_epi32(low), _mm256_cvttpd_epi32(high));
  const std::int64_t packed = _mm_cvtsi128_si64(_mm_packus_epi16(words, words));
  U8 out;
  std::memcpy(&out, &packed, sizeof out);
  return out;
#else
  return __builtin_convertvector(to_i32(v), U8);
#endif
}
// Bit i set where mask lane i is (a comparison's result): one instruction a register.
AIDFLOW_LANES unsigned mask_bits(I64 mask) {
#if defined(__AVX512DQ__)
  return _mm512_movepi64_mask(reinterpret_cast<__m512i>(mask));
#elif defined(__AVX__)
  const auto low = reinterpret_cast<__m256d>(__builtin_shufflevector(mask, mask, 0, 1, 2, 3));
  const auto high = reinterpret_cast<__m256d>(__builtin_shufflevector(mask, mask, 4, 5, 6, 7));
  return static_cast<unsigned>(_mm256_movemask_pd(low)) |
         static_cast<unsigned>(_mm256_movemask_pd(high)) << 4;
#elif defined(__SSE2__)
  const auto quarter = [](auto q) {
    return static_cast<unsigned>(_mm_movemask_pd(reinterpret_cast<__m128d>(q)));
  };
  return quarter(__builtin_shufflevector(mask, mask, 0, 1)) |
         quarter(__builtin_shufflevector(mask, mask, 2, 3)) << 2 |
         quarter(__builtin_shufflevector(mask, mask, 4, 5)) << 4 |
         quarter(__builtin_shufflevector(mask, mask, 6, 7)) << 6;
#else
  unsigned bits = 0;
  for (int i = 0; i < kLanes; ++i) bits |= static_cast<unsigned>(mask[i] & 1) << i;
  return bits;
#endif
}

#if defined(__AVX2__) && !defined(__AVX512F__)
// A partial block under AVX2: masked loads and stores of 32- and 64-bit lanes, which touch only
// the first `n` (the rest of a district's range belongs to its neighbour, perhaps another task's).
// Filling a padded copy lane by lane instead costs a store-forwarding stall at every load, and a
// coarse run's districts are mostly partial blocks.
AIDFLOW_LANES __m256i first_lanes64(int n) {  // lanes [0, n) of four 64-bit lanes
  return _mm256_cmpgt_epi64(_mm256_set1_epi64x(n), _mm256_setr_epi64x(0, 1, 2, 3));
}
AIDFLOW_LANES __m256i first_lanes32(int n) {  // lanes [0, n) of eight 32-bit lanes
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

template <class V, class T>
AIDFLOW_LANES V masked_load(const T* p, int n, T pad) {
  V v;
  if constexpr (sizeof(T) == 8) {
    const auto* words = reinterpret_cast<const long long*>(p);
    const __m256i fill = _mm256_set1_epi64x(std::bit_cast<long long>(pad));
    const __m256i low_mask = first_lanes64(n), high_mask = first_lanes64(n - 4);
    const __m256i low = _mm256_blendv_epi8(fill, _mm256_maskload_epi64(words, low_mask), low_mask);
    const __m256i high =
        n > 4 ? _mm256_blendv_epi8(fill, _mm256_maskload_epi64(words + 4, high_mask), high_mask)
              : fill;
    std::memcpy(&v, &low, sizeof low);
    std::memcpy(reinterpret_cast<char*>(&v) + sizeof low, &high, sizeof high);
  } else {
    static_assert(sizeof(T) == 4);
    const __m256i mask = first_lanes32(n);
    const __m256i fill = _mm256_set1_epi32(std::bit_cast<int>(pad));
    const __m256i words = _mm256_maskload_epi32(reinterpret_cast<const int*>(p), mask);
    const __m256i out = _mm256_blendv_epi8(fill, words, mask);
    std::memcpy(&v, &out, sizeof out);
  }
  return v;
}

template <class T, class V>
AIDFLOW_LANES void masked_store(T* p, V v, int n) {
  if constexpr (sizeof(T) == 8) {
    __m256i low, high;
    std::memcpy(&low, &v, sizeof low);
    std::memcpy(&high, reinterpret_cast<const char*>(&v) + sizeof low, sizeof high);
    auto* words = reinterpret_cast<long long*>(p);
    _mm256_maskstore_epi64(words, first_lanes64(n), low);
    if (n > 4) _mm256_maskstore_epi64(words + 4, first_lanes64(n - 4), high);
  } else {
    static_assert(sizeof(T) == 4);
    __m256i words;
    std::memcpy(&words, &v, sizeof words);
    _mm256_maskstore_epi32(reinterpret_cast<int*>(p), first_lanes32(n), words);
  }
}
#endif

// The lanes of a block starting at `p`: all eight (Full) or the first `n`, the rest `pad`.
template <class V, class T>
AIDFLOW_LANES V load(const T* p, int n, T pad) {
  V v;
  if (n == kLanes) {
    std::memcpy(&v, p, sizeof v);
  } else {
#if defined(__AVX2__) && !defined(__AVX512F__)
    if constexpr (sizeof(T) >= 4) return masked_load<V>(p, n, pad);
#endif
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
#if defined(__AVX__) && !defined(__AVX512F__)
    if constexpr (sizeof(T) == 8) {
      // GCC 12 stores eight 64-bit lanes through general registers on a 256-bit unit, a
      // quadword at a time: two halves instead, one instruction each.
      const auto low = __builtin_shufflevector(v, v, 0, 1, 2, 3);
      const auto high = __builtin_shufflevector(v, v, 4, 5, 6, 7);
      std::memcpy(p, &low, sizeof low);
      std::memcpy(p + kLanes / 2, &high, sizeof high);
      return;
    }
#endif
    std::memcpy(p, &v, sizeof v);
  } else {
#if defined(__AVX2__) && !defined(__AVX512F__)
    if constexpr (sizeof(T) >= 4) return masked_store(p, v, n);
#endif
    T all[kLanes];
    std::memcpy(all, &v, sizeof v);
    for (int i = 0; i < n; ++i) p[i] = all[i];
  }
}

// table[index] lane by lane (a table lookup: the same bits under every instruction set). Eight
// loads: on Zen 4 two AVX2 gathers of four are slower than that (tests/bench/kernels_bench.cpp).
AIDFLOW_LANES F64 gather(const double* table, I64 index) {
  F64 v;
  for (int i = 0; i < kLanes; ++i) v[i] = table[index[i]];
  return v;
}
AIDFLOW_LANES double gather(const double* table, std::int64_t index) {
  return table[index];
}

// The sum of the lanes, first to last.
AIDFLOW_LANES double sum(F64 v) {
  double total = 0.0;
  for (int i = 0; i < kLanes; ++i) total += v[i];
  return total;
}

// Running sums by lane, for loops that keep many (a district's tally). On a 256-bit unit GCC 12
// keeps an eight-lane variable that a loop updates in memory and rewrites it through general
// registers, a quadword at a time; two four-lane halves stay in registers. Each lane adds its
// values in the same order either way, and sum() adds the lanes first to last: the same bits.
#if defined(__AVX__) && !defined(__AVX512F__)
using Half = double __attribute__((vector_size(32)));
struct Sums {
  Half low{}, high{};
};
AIDFLOW_LANES void accumulate(Sums& s, F64 v) {
  s.low += __builtin_shufflevector(v, v, 0, 1, 2, 3);
  s.high += __builtin_shufflevector(v, v, 4, 5, 6, 7);
}
AIDFLOW_LANES double sum(const Sums& s) {
  double total = 0.0;
  for (int i = 0; i < kLanes / 2; ++i) total += s.low[i];
  for (int i = 0; i < kLanes / 2; ++i) total += s.high[i];
  return total;
}
#else
struct Sums {
  F64 lanes{};
};
AIDFLOW_LANES void accumulate(Sums& s, F64 v) {
  s.lanes += v;
}
AIDFLOW_LANES double sum(const Sums& s) {
  return sum(s.lanes);
}
#endif

}  // namespace aidflow::engine::lanes
