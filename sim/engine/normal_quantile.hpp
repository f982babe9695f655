#pragma once
// The standard normal quantile (inverse CDF) by Acklam's rational approximation, relative error
// below 1.2e-9. It turns one uniform into one normal: in hot loops this replaces Box-Muller, which
// needs two uniforms and a log and a cos for every draw; here the central 95% of draws cost one
// rational function, only the tails a log and a square root. The parts are templates on one
// double or eight lanes (engine/lanes.hpp), and the log is this file's own (log_of_positive):
// the household kernels compute whole blocks, tails included, with the same bits as
// normal_quantile() gives one number at a time.
#include <cstddef>
#include <cstdint>

#include "engine/lanes.hpp"

namespace aidflow::engine {

// Below kNormalQuantileTail or above 1 - kNormalQuantileTail, p is in a tail.
inline constexpr double kNormalQuantileTail = 0.02425;

inline bool in_normal_quantile_centre(double p) {
  return p > kNormalQuantileTail && p < 1.0 - kNormalQuantileTail;
}

// The natural log of a positive normal number, relative error about 1e-15: x = m 2^e with m in
// [sqrt(1/2), sqrt(2)), log m = 2 atanh(s) with s = (m - 1) / (m + 1) by its series to s^17.
// Only IEEE operations, so one double and eight lanes agree to the bit.
template <class T>
inline __attribute__((always_inline)) T log_of_positive(T x) {
  using lanes::bits, lanes::from_bits, lanes::select, lanes::to_f64;
  constexpr std::int64_t kMantissa = 0x000FFFFFFFFFFFFF, kOne = 0x3FF0000000000000;
  constexpr double kSqrt2 = 1.4142135623730951;
  constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
  const auto b = bits(x);
  T m = from_bits((b & kMantissa) | kOne);  // in [1, 2)
  T e = to_f64((b >> 52) & 0x7FF) - 1023.0;
  const auto high = lanes::gt(m, kSqrt2);
  m = select(high, m * 0.5, m);
  e = select(high, e + 1.0, e);
  const T s = (m - 1.0) / (m + 1.0), z = s * s;
  const T series =
      1.0 +
      z * (1.0 / 3 +
           z * (1.0 / 5 +
                z * (1.0 / 7 +
                     z * (1.0 / 9 +
                          z * (1.0 / 11 + z * (1.0 / 13 + z * (1.0 / 15 + z * (1.0 / 17))))))));
  return e * kLn2Hi + (e * kLn2Lo + 2.0 * s * series);
}

// The quantile of p in the central region.
template <class T>
inline __attribute__((always_inline)) T normal_quantile_centre(T p) {
  constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                          1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                          6.680131188771972e+01, -1.328068155288572e+01};
  const T q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

// The quantile of p in either tail.
template <class T>
inline __attribute__((always_inline)) T normal_quantile_tail(T p) {
  constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                          -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                          3.754408661907416e+00};
  const auto low = lanes::le(p, kNormalQuantileTail);
  const T q = lanes::sqrt(-2.0 * log_of_positive(lanes::select(low, p, 1.0 - p)));
  const T x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
              ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  return lanes::select(low, x, -x);
}

// Eight quantiles at once. The tails' log, root and divisions are costly and one block in three
// has a lane in a tail: only those blocks compute them.
AIDFLOW_LANES lanes::F64 normal_quantile(lanes::F64 p) {
  const lanes::I64 centre =
      lanes::gt(p, kNormalQuantileTail) & lanes::lt(p, 1.0 - kNormalQuantileTail);
  const lanes::F64 x = normal_quantile_centre(p);
  return lanes::all(centre) ? x : lanes::select(centre, x, normal_quantile_tail(p));
}

inline double normal_quantile(double p) {
  return in_normal_quantile_centre(p) ? normal_quantile_centre(p) : normal_quantile_tail(p);
}

// A cheaper quantile for the uniform of a 32-bit word (RandomStream::unit: u in [2^-33, 1 - 2^-33])
// where a few parts in 10^5 do not matter (the need shock, whose scale is a few hundredths of a
// need in [0, 1]): straight lines between knots of normal_quantile() on t = min(u, 1 - u), 64 a
// binary octave of t from 2^-33 to 1/2, so the cell's index and the position in it are bits of t
// and the tails cost no log. Its largest error over every word's uniform is below
// kTabulatedQuantileError (tests/engine/random_test.cpp measures it); the curve is odd in u - 1/2
// exactly, as the table is read at t either way. Only IEEE operations and loads: one double and
// eight lanes agree to the bit under every instruction set.
inline constexpr int kQuantileOctaves = 32, kQuantileCellBits = 6;
inline constexpr std::size_t kQuantileKnots =
    (std::size_t{kQuantileOctaves} << kQuantileCellBits) + 1;
inline constexpr double kTabulatedQuantileError = 1.5e-5;

// Where knot `i` sits: 2^(i / 64 - 33) x (1 + (i % 64) / 64), the last at 1/2.
inline double quantile_knot_position(std::size_t i) {
  const int octave = static_cast<int>(i >> kQuantileCellBits) - 1 - kQuantileOctaves;
  const double within =
      1.0 + static_cast<double>(i & ((1u << kQuantileCellBits) - 1)) / (1u << kQuantileCellBits);
  return __builtin_ldexp(within, octave);
}

// normal_quantile() at every knot, built once (normal_quantile.cpp): a table read by the kernels
// of every instruction set, so they share its bits.
const double* normal_quantile_knots();

template <class T>
inline __attribute__((always_inline)) T tabulated_normal_quantile(T u, const double* knots) {
  using lanes::bits, lanes::from_bits, lanes::select;
  constexpr std::int64_t kMantissa = 0x000FFFFFFFFFFFFF, kOne = 0x3FF0000000000000;
  constexpr int kBelowCell = 52 - kQuantileCellBits;  // mantissa bits below the cell's
  constexpr std::int64_t kFirstCell = std::int64_t{1023 - 1 - kQuantileOctaves}
                                      << kQuantileCellBits;
  const auto upper = lanes::gt(u, 0.5);
  const T t = select(upper, 1.0 - u, u);  // exact: u has 33 significant bits at most
  const auto b = bits(t);
  const auto cell = (b >> kBelowCell) - kFirstCell;  // the exponent and the top mantissa bits
  const T within = from_bits(((b << kQuantileCellBits) & kMantissa) | kOne) - 1.0;  // in [0, 1)
  const T left = lanes::gather(knots, cell), right = lanes::gather(knots, cell + 1);
  const T x = left + within * (right - left);
  return select(upper, -x, x);
}

}  // namespace aidflow::engine
