#pragma once
// A part of a split, `scale * weight` as x87 long double arithmetic gives it (a 64-bit
// significand, rounded to nearest, ties to even), computed in integer arithmetic instead.
// split_largest_remainder defines every part by that long double product; computing it on the x87
// costs a trip through memory for each conversion between x87 and integer registers, which made
// those conversions most of a step's split time. Here the product's significands are multiplied
// exactly in 128 bits and rounded as the x87 rounds, so the floor is the same integer and the
// remainder the same value, bit for bit.
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>

namespace aidflow::engine {

static_assert(std::numeric_limits<long double>::digits == 64,
              "extended_share reproduces the x87 80-bit long double");
static_assert(std::endian::native == std::endian::little);

__extension__ using UInt128 = unsigned __int128;  // GCC's, exact for a 64 x 64-bit product

// A positive finite long double taken apart: value = significand * 2^exponent.
struct ExtendedScale {
  std::uint64_t significand = 0;  // its top bit set (the x87 keeps the integer bit explicit)
  int exponent = 0;
};

inline ExtendedScale extended_scale(long double scale) {
  unsigned char bytes[sizeof(long double)];
  std::memcpy(bytes, &scale, sizeof bytes);
  ExtendedScale out;
  std::memcpy(&out.significand, bytes, sizeof out.significand);
  std::uint16_t sign_exponent = 0;
  std::memcpy(&sign_exponent, bytes + 8, sizeof sign_exponent);
  out.exponent = static_cast<int>(sign_exponent & 0x7fff) - 16383 - 63;
  return out;
}

// floor(scale * weight) and floor(remainder * buckets), the remainder being the product less its
// floor, in [0, 1). `fits` is false where the floor would not fit 63 bits: the caller then takes
// the long double path.
struct ExtendedShare {
  std::int64_t floor = 0;
  std::uint32_t bucket = 0;
  bool fits = true;
};

// The 128-bit product rounded to 64 significant bits, nearest with ties to even, as a significand
// and a shift of the binary point.
struct Rounded {
  std::uint64_t significand = 0;
  int shift = 0;
};

inline Rounded round_to_64_bits(UInt128 product) {
  const auto high = static_cast<std::uint64_t>(product >> 64);
  const int length = high == 0 ? 64 - std::countl_zero(static_cast<std::uint64_t>(product))
                               : 128 - std::countl_zero(high);
  if (length <= 64) return {static_cast<std::uint64_t>(product), 0};
  const int shift = length - 64;
  auto significand = static_cast<std::uint64_t>(product >> shift);
  const UInt128 dropped = product & ((static_cast<UInt128>(1) << shift) - 1);
  const UInt128 half = static_cast<UInt128>(1) << (shift - 1);
  // Without a branch: whether it rounds up is a coin toss for the branch predictor.
  significand +=
      static_cast<std::uint64_t>((dropped > half) | ((dropped == half) & (significand & 1)));
  if (significand == 0) return {std::uint64_t{1} << 63, shift + 1};  // carried out of 64 bits
  return {significand, shift};
}

inline ExtendedShare extended_share(const ExtendedScale& scale, double weight,
                                    std::uint32_t buckets) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &weight, sizeof bits);
  const auto biased = static_cast<int>((bits >> 52) & 0x7ff);
  const std::uint64_t fraction = bits & ((std::uint64_t{1} << 52) - 1);
  const std::uint64_t weight_significand =
      biased == 0 ? fraction : fraction | std::uint64_t{1} << 52;
  const int weight_exponent = (biased == 0 ? 1 : biased) - 1023 - 52;
  const Rounded product =
      round_to_64_bits(static_cast<UInt128>(scale.significand) * weight_significand);
  // product = significand * 2^point
  const int point = scale.exponent + weight_exponent + product.shift;
  ExtendedShare out;
  if (point >= 0) {  // an integer: no remainder
    out.fits = point < 63 && product.significand < (std::uint64_t{1} << (63 - point));
    out.floor = out.fits ? static_cast<std::int64_t>(product.significand << point) : 0;
    return out;
  }
  const int below = -point;  // bits of the significand below the binary point
  std::uint64_t fraction_bits = product.significand;
  if (below < 64) {
    out.floor = static_cast<std::int64_t>(product.significand >> below);
    fraction_bits &= (std::uint64_t{1} << below) - 1;
  }
  // floor(fraction_bits * 2^-below * buckets), exactly
  const UInt128 scaled = static_cast<UInt128>(fraction_bits) * buckets;
  out.bucket = below >= 128 ? 0 : static_cast<std::uint32_t>(scaled >> below);
  return out;
}

}  // namespace aidflow::engine
