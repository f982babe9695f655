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

// The long double product scale * weight (weight finite, >= 0) as significand * 2^point.
struct ExtendedProduct {
  std::uint64_t significand = 0;
  int point = 0;
};

inline ExtendedProduct extended_product(const ExtendedScale& scale, double weight) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &weight, sizeof bits);
  const auto biased = static_cast<int>((bits >> 52) & 0x7ff);
  const std::uint64_t fraction = bits & ((std::uint64_t{1} << 52) - 1);
  const std::uint64_t weight_significand =
      biased == 0 ? fraction : fraction | std::uint64_t{1} << 52;
  const int weight_exponent = (biased == 0 ? 1 : biased) - 1023 - 52;
  const Rounded product =
      round_to_64_bits(static_cast<UInt128>(scale.significand) * weight_significand);
  return {product.significand, scale.exponent + weight_exponent + product.shift};
}

inline ExtendedShare extended_share(const ExtendedScale& scale, double weight,
                                    std::uint32_t buckets) {
  const ExtendedProduct product = extended_product(scale, weight);
  const int point = product.point;
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

// The long double product's floor and remainder from double arithmetic, where the doubles' error
// cannot change the floor: most of a split's parts, at a fraction of the exact cost. `scale` is
// the split's scale in doubles, within 2^-51.9 of the long double one (relative: the long double
// scale rounded to double, or total / sum divided in doubles), so the double product q = scale *
// weight is within q * 2^-51.3 of the long double product while the numbers are normal. Where the
// floor is the same at both ends of `margin` = q * 2^-48 around q (eight times that bound) it is
// the exact one, and the remainder q - floor (exact in doubles) is within the margin of the exact
// remainder. `known` is false where the floor is not settled (q within the margin of an integer,
// or outside the range where the bound holds): the caller then takes the exact path.
struct QuickPart {
  std::int64_t floor = 0;
  double remainder = 0.0, margin = 0.0;
  bool known = false;
};

inline QuickPart quick_part(double scale, double weight) {
  constexpr double kSmallest = 0x1p-960, kLargest = 0x1p52;  // where the bound holds
  const double q = scale * weight;
  if (!(scale >= kSmallest && weight >= kSmallest && q >= kSmallest && q < kLargest)) return {};
  const double margin = q * 0x1p-48;
  const auto floor = static_cast<std::int64_t>(q + margin);  // truncation: floor, as q > 0
  if (static_cast<std::int64_t>(q - margin) != floor) return {};
  // Exact: by Sterbenz's lemma where floor >= q / 2, and trivially where floor is 0 or 1.
  return {floor, q - static_cast<double>(floor), margin, true};
}

// extended_share from quick_part where the remainder's bucket is settled too (the same at both
// ends of the remainder's margin, widened for the rounding of remainder * buckets).
struct QuickShare {
  std::int64_t floor = 0;
  std::uint32_t bucket = 0;
  bool known = false;
};

inline QuickShare quick_share(double scale, double weight, std::uint32_t buckets) {
  const QuickPart part = quick_part(scale, weight);
  if (!part.known) return {};
  const double n = buckets;
  const double x = part.remainder * n, margin = 2.0 * (part.margin * n);
  const auto low = static_cast<std::int64_t>(x - margin);
  const auto high = static_cast<std::int64_t>(x + margin);
  if (low != high || high >= static_cast<std::int64_t>(buckets)) return {};
  return {part.floor, static_cast<std::uint32_t>(high), true};
}

// floor(scale * weight) and the remainder, the product less its floor, as an exact fixed-point
// fraction of 128 bits (remainder * 2^128, its high and low 64 bits): what orders remainders
// without the x87. Two words, not one 128-bit integer: a 128-bit load of what was just stored as
// two 64-bit halves cannot be forwarded from the stores, a stall in every sort of them. `exact`
// is false where the floor would not fit 63 bits or the remainder needs more than 128 fraction
// bits (a product below 2^-64): the caller then takes the long double path.
struct ExtendedPart {
  std::int64_t floor = 0;
  std::uint64_t high = 0, low = 0;  // the remainder * 2^128
  bool exact = true;
};

inline ExtendedPart extended_part(const ExtendedScale& scale, double weight) {
  const ExtendedProduct product = extended_product(scale, weight);
  if (product.significand == 0) return {0, 0, 0, true};  // a zero scale: zero, exactly
  if (product.point >= 0) {                              // an integer: no remainder
    const bool fits =
        product.point < 63 && product.significand < (std::uint64_t{1} << (63 - product.point));
    return {fits ? static_cast<std::int64_t>(product.significand << product.point) : 0, 0, 0, fits};
  }
  const int below = -product.point;  // bits of the significand below the binary point
  if (below > 128) return {0, 0, 0, false};
  const std::int64_t floor =
      below < 64 ? static_cast<std::int64_t>(product.significand >> below) : 0;
  const std::uint64_t fraction_bits =
      below < 64 ? product.significand & ((std::uint64_t{1} << below) - 1) : product.significand;
  // fraction_bits < 2^below, so shifted up to 128 fraction bits it stays below 2^128. Values,
  // not stores into the result on each path: the result then stays in registers.
  const int shift = 128 - below;  // in [0, 127]
  const std::uint64_t high = shift >= 64  ? fraction_bits << (shift - 64)
                             : shift == 0 ? 0
                                          : fraction_bits >> (64 - shift);
  const std::uint64_t low = shift >= 64 ? 0 : fraction_bits << shift;
  return {floor, high, low, true};
}

}  // namespace aidflow::engine
