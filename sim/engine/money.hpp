#pragma once
// Money is integer US cents. Floating point never holds an amount: a share is applied by
// splitting an integer total so that the parts sum exactly to the whole.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace aidflow::engine {

using Cents = std::int64_t;

// Thrown when an amount would leave the int64 range: a run must stop rather than wrap around.
class MoneyOverflow : public std::overflow_error {
 public:
  using std::overflow_error::overflow_error;
};

// Throws MoneyOverflow for `a op b`: out of line, so that the checks below stay small enough to
// inline (the ledger adds every cell of its tables every step).
[[noreturn]] void throw_overflow(Cents a, const char* op, Cents b);

inline Cents checked_add(Cents a, Cents b) {
  Cents out;
  if (__builtin_add_overflow(a, b, &out)) [[unlikely]]
    throw_overflow(a, "+", b);
  return out;
}
inline Cents checked_sub(Cents a, Cents b) {
  Cents out;
  if (__builtin_sub_overflow(a, b, &out)) [[unlikely]]
    throw_overflow(a, "-", b);
  return out;
}
inline Cents checked_mul(Cents a, std::int64_t factor) {
  Cents out;
  if (__builtin_mul_overflow(a, factor, &out)) [[unlikely]]
    throw_overflow(a, "*", factor);
  return out;
}

// Converts a dollar figure (from a scenario) to cents, rounding to the nearest cent.
Cents usd_to_cents(double usd);
// Inline: the household phase converts every household's aid every step.
inline double cents_to_usd(Cents cents) {
  return static_cast<double>(cents) / 100.0;
}

// Splits `total` (>= 0) into parts proportional to `weights` (finite, >= 0) by the
// largest-remainder rule: every part is floor(total * w / sum) and the cents left over go, one
// each, to the parts with the largest remainders (ties to the lower index). The parts always sum to
// `total`. With all weights zero, everything goes to `fallback_index`.
void split_largest_remainder(Cents total, std::span<const double> weights, std::span<Cents> parts,
                             std::size_t fallback_index = 0);

// Weights that come in runs of equal positive values, described once where they never change
// (a beneficiary list's households: residents, then returnees from each host, standing for equal
// people each), so that a split by them each step needs neither the weights nor a pass over them.
// A run is the indices [begin, end) of one weight; zero weights belong to no run.
struct EqualRun {
  std::uint32_t begin = 0, end = 0;
  double weight = 0.0;
};

// Appends the runs of equal positive weights of `weights` to `runs`, in index order (a zero
// weight or a different one ends a run), and returns the weights' sum added in index order, as
// split_largest_remainder adds them.
double describe_runs(std::span<const double> weights, std::vector<EqualRun>& runs);

// A run's parts of a split: each member gets `part`, and its first `extra` members a cent more.
struct RunShare {
  Cents part = 0;
  Cents extra = 0;
  // The part of the run's member `k` (counted from the run's first).
  Cents of(Cents k) const { return part + (k < extra ? 1 : 0); }
};

// The parts split_largest_remainder gives `total` over `count` weights described by their runs
// and sum (describe_runs), bit for bit, as a share per run (shares[r] for runs[r]; the weights
// outside the runs, zero, get nothing). Returns false, leaving the split to
// split_largest_remainder, where the weights sum to zero or at the edge of the int64 range.
bool split_over_runs(Cents total, std::size_t count, double sum, std::span<const EqualRun> runs,
                     std::span<RunShare> shares);

// `total` (>= 0) split among `n` equal weights by the largest-remainder rule, as one run: total / n
// each, and the first total % n (the remainders tie, lower index first) a cent more. What
// split_largest_remainder gives equal weights, for callers that know the weights are equal
// without gathering them; divided once for all the parts (the household phase splits list aid
// with it).
inline RunShare equal_share(Cents total, Cents n) {
  return {total / n, total % n};
}

// Part `index` of that split.
inline Cents equal_part(Cents total, Cents n, Cents index) {
  return equal_share(total, n).of(index);
}

// The part of `total` (>= 0) that falls in period `index` of `periods` when it is spread evenly
// with every period's part a whole cent and the parts of all periods summing exactly to total.
Cents spread_evenly(Cents total, int periods, int index);

// Convenience: splits `total` into the part `share` of it (rounded to the nearest cent, share in
// [0,1]) and the rest; returns the part. The rest is total - part, exact.
Cents take_share(Cents total, double share);

}  // namespace aidflow::engine
