#include "engine/money.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <utility>

#include "engine/extended_share.hpp"

namespace aidflow::engine {

void throw_overflow(Cents a, const char* op, Cents b) {
  throw MoneyOverflow("money overflow: " + std::to_string(a) + " " + op + " " + std::to_string(b) +
                      " cents does not fit in 64 bits");
}

Cents usd_to_cents(double usd) {
  const double cents = std::round(usd * 100.0);
  // 2^63 is exactly representable; anything at or above it cannot be an int64.
  if (!std::isfinite(cents) || std::fabs(cents) >= 9.2233720368547758e18) {
    throw MoneyOverflow("money overflow: " + std::to_string(usd) + " USD is not representable");
  }
  return static_cast<Cents>(cents);
}

namespace {

// What the split needs to know of its weights, from one pass: their sum (added in index order,
// as std::accumulate would), whether all are equal, and the number of runs of equal weights
// among the positive ones (zero weights end a run).
struct WeightShape {
  double sum = 0.0;
  bool equal = true;
  std::size_t runs = 0;
};

WeightShape shape_of(std::span<const double> weights) {
  WeightShape shape;
  double last = 0.0;
  for (const double w : weights) {
    shape.sum += w;
    shape.equal &= w == weights[0];
    shape.runs += w > 0.0 && w != last;
    last = w;
  }
  return shape;
}

// A remainder (extended_part's fixed point) and whose it is, a run's or a member's: larger
// remainders get the extra cents first, ties to the lower index. The index sits between the
// remainder's two words so that the compiler copies them one by one, never as one 128-bit load
// of the two 64-bit stores that just wrote them (see ExtendedPart: a stall each).
struct ExactRemainder {
  std::uint64_t high;  // uninitialised until set: split_few keeps an array on the stack
  std::size_t index;
  std::uint64_t low;
};

// A function object, not a function: the sorts inline it.
constexpr auto larger_exact_remainder = [](const ExactRemainder& a, const ExactRemainder& b) {
  if (a.high != b.high) return a.high > b.high;
  if (a.low != b.low) return a.low > b.low;
  return a.index < b.index;
};

// Orders a few remainders (a list's runs: two or three) by insertion, element by element: for so
// few, std::sort's insertion step moves them with memmove calls.
template <class Remainder, class Larger>
void sort_few(std::span<Remainder> order, Larger larger) {
  for (std::size_t i = 1; i < order.size(); ++i) {
    const Remainder item = order[i];
    std::size_t j = i;
    for (; j > 0 && larger(item, order[j - 1]); --j) order[j] = order[j - 1];
    order[j] = item;
  }
}

// A remainder from quick_part, its margin, and whose it is (a run's or a member's, and its weight).
struct QuickRemainder {
  double value, margin, weight;  // uninitialised until set: arrays of them live on the stack
  std::size_t index;
};

constexpr auto larger_quick_remainder = [](const QuickRemainder& a, const QuickRemainder& b) {
  return a.value > b.value || (a.value == b.value && a.index < b.index);
};

// Orders a few quick remainders as sort_few orders exact ones, and says whether that is the exact
// remainders' order: each is above the next by more than both margins, or both come from equal
// weights (equal products, so equal exact remainders, the lower index first either way).
bool sort_few_settled(std::span<QuickRemainder> order) {
  sort_few(order, larger_quick_remainder);
  for (std::size_t k = 1; k < order.size(); ++k) {
    const QuickRemainder &above = order[k - 1], &below = order[k];
    if (above.weight != below.weight &&
        !(above.value - above.margin > below.value + below.margin)) {
      return false;
    }
  }
  return true;
}

// The extra cents of a split once per run: down the runs in the order of their remainders (each
// names its run by index), a cent to each of a run's first members, until `left` is handed out.
template <class Remainder>
void hand_out_extras(Cents left, std::span<const EqualRun> runs, std::span<const Remainder> order,
                     std::span<RunShare> shares) {
  for (std::size_t k = 0; k < order.size() && left > 0; ++k) {
    const std::size_t r = order[k].index;
    const Cents extra = std::min<Cents>(runs[r].end - runs[r].begin, left);
    shares[r].extra = extra;
    left -= extra;
  }
}

// share_runs from quick_part (a scale in doubles): the same shares where the doubles settle every
// run's floor and the order of their remainders; false where they do not, or beyond a few runs.
bool share_runs_quick(Cents total, double scale, std::span<const EqualRun> runs,
                      std::span<RunShare> shares) {
  std::array<QuickRemainder, 8> few;
  if (runs.size() > few.size()) return false;
  Cents assigned = 0, members = 0;
  for (std::uint32_t r = 0; r < runs.size(); ++r) {
    const QuickPart part = quick_part(scale, runs[r].weight);
    const auto size = static_cast<Cents>(runs[r].end - runs[r].begin);
    Cents run_total = 0;
    if (!part.known || __builtin_mul_overflow(part.floor, size, &run_total) ||
        run_total > total - assigned) {
      return false;
    }
    shares[r] = {part.floor, 0};
    few[r] = {part.remainder, part.margin, runs[r].weight, r};
    assigned += run_total;
    members += size;
  }
  const Cents left = total - assigned;
  if (left > members) return false;
  const std::span<QuickRemainder> order(few.data(), runs.size());
  if (left > 0 && !sort_few_settled(order)) return false;
  hand_out_extras<QuickRemainder>(left, runs, order, shares);
  return true;
}

// The largest-remainder rule applied once per run: every member of a run has the same exact
// share (the same product), hence the same floor and remainder, and ties within the run go to
// its lower indices, as they would member by member; between runs of equal remainder the lower
// index comes first too, since runs do not overlap and are in index order. The floors and
// remainders are the long double products' (extended_part), so the parts are
// split_by_definition's, bit for bit. Returns false where a product is beyond extended_part, or
// at the edge of the int64 range where a floor would be clamped or more cents are left than
// there are members.
bool share_runs(Cents total, long double scale, std::span<const EqualRun> runs,
                std::span<RunShare> shares) {
  // On the stack for the usual few runs (a list's residents and returnees from each host).
  std::array<ExactRemainder, 8> few;
  thread_local std::vector<ExactRemainder> many;
  if (runs.size() > few.size()) many.resize(runs.size());
  const std::span<ExactRemainder> order = runs.size() > few.size()
                                              ? std::span<ExactRemainder>(many)
                                              : std::span<ExactRemainder>(few.data(), runs.size());
  const ExtendedScale extended = extended_scale(scale);
  Cents assigned = 0, members = 0;
  for (std::uint32_t r = 0; r < runs.size(); ++r) {
    const ExtendedPart part = extended_part(extended, runs[r].weight);
    const auto size = static_cast<Cents>(runs[r].end - runs[r].begin);
    Cents run_total = 0;  // with no division: size > (total - assigned) / floor, in effect
    if (!part.exact || __builtin_mul_overflow(part.floor, size, &run_total) ||
        run_total > total - assigned) {
      return false;  // a floor clamped
    }
    shares[r] = {part.floor, 0};
    order[r].high = part.high;
    order[r].low = part.low;
    order[r].index = r;
    assigned += run_total;
    members += size;
  }
  const Cents left = total - assigned;
  if (left > members) return false;
  if (order.size() <= few.size()) {
    sort_few(order, larger_exact_remainder);
  } else {
    std::sort(order.begin(), order.end(), larger_exact_remainder);
  }
  hand_out_extras<ExactRemainder>(left, runs, order, shares);
  return true;
}

// The rule once a run of `weights`, written member by member into `parts` (zeros already).
bool split_by_runs(Cents total, std::span<const double> weights, long double scale,
                   std::span<Cents> parts) {
  thread_local std::vector<EqualRun> runs;
  thread_local std::vector<RunShare> shares;
  runs.clear();
  describe_runs(weights, runs);
  shares.resize(runs.size());
  if (!share_runs(total, scale, runs, shares)) return false;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    for (std::uint32_t i = runs[r].begin; i < runs[r].end; ++i) {
      parts[i] = shares[r].of(i - runs[r].begin);
    }
  }
  return true;
}

// (remainder, index) pairs in the order cents are handed out: larger remainders first, ties to the
// lower index (a total order, so the choice is deterministic).
struct RemainderOf {
  long double value;  // uninitialised until set: split_few keeps an array of them on the stack
  std::size_t index;
};

bool larger_remainder(const RemainderOf& a, const RemainderOf& b) {
  return a.value > b.value || (a.value == b.value && a.index < b.index);
}

// The largest-remainder rule member by member, as it is defined: floors of the long double
// products, then a cent each to the largest remainders, choosing among all (remainder, index)
// pairs; `order` has room for one per positive weight. split_largest_remainder's path for few
// weights, and split_by_member's fallback at the edges of the int64 range.
void split_by_definition(Cents total, std::span<const double> weights, long double scale,
                         std::span<Cents> parts, std::span<RemainderOf> order) {
  std::size_t members = 0;
  Cents assigned = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!(weights[i] > 0.0)) continue;
    const long double exact = scale * static_cast<long double>(weights[i]);
    parts[i] = std::min<Cents>(static_cast<Cents>(exact), total - assigned);
    assigned += parts[i];
    order[members++] = {exact - static_cast<long double>(parts[i]), i};
  }
  const auto left = static_cast<std::size_t>(total - assigned);
  if (left == 0) return;
  std::sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(members), larger_remainder);
  const std::size_t winners = std::min(left, members);
  for (std::size_t k = 0; k < winners; ++k) ++parts[order[k].index];
  // Only reachable through rounding at the very edge of the int64 range.
  parts[order[0].index] += static_cast<Cents>(left - winners);
}

// Few weights (a beneficiary list in a coarse run's district, a ledger row's destinations): the
// definition with its floors and remainders from extended_part (integers, no x87) and its pairs
// on the stack, cheaper at this size than split_by_member's buckets; the long double definition
// where a product is beyond extended_part or at the edges of the int64 range.
constexpr std::size_t kFewWeights = 16;

bool split_few_exact(Cents total, std::span<const double> weights, long double scale,
                     std::span<Cents> parts) {
  const ExtendedScale extended = extended_scale(scale);
  std::array<ExactRemainder, kFewWeights> order;
  std::size_t members = 0;
  Cents assigned = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!(weights[i] > 0.0)) continue;
    const ExtendedPart part = extended_part(extended, weights[i]);
    if (!part.exact || part.floor > total - assigned) return false;
    parts[i] = part.floor;
    assigned += part.floor;
    order[members].high = part.high;
    order[members].low = part.low;
    order[members++].index = i;
  }
  const auto left = static_cast<std::size_t>(total - assigned);
  if (left == 0) return true;
  if (left > members) return false;
  const auto served = order.begin() + static_cast<std::ptrdiff_t>(left);
  std::partial_sort(order.begin(), served, order.begin() + static_cast<std::ptrdiff_t>(members),
                    larger_exact_remainder);
  for (auto it = order.begin(); it != served; ++it) ++parts[it->index];
  return true;
}

// split_few_exact's parts from quick_part where the doubles settle every floor and the order of
// the remainders; false where they do not (leaving parts of positive weight to be overwritten).
bool split_few_quick(Cents total, std::span<const double> weights, double scale,
                     std::span<Cents> parts) {
  std::array<QuickRemainder, kFewWeights> order;
  std::size_t members = 0;
  Cents assigned = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!(weights[i] > 0.0)) continue;
    const QuickPart part = quick_part(scale, weights[i]);
    if (!part.known || part.floor > total - assigned) return false;
    parts[i] = part.floor;
    assigned += part.floor;
    order[members++] = {part.remainder, part.margin, weights[i], i};
  }
  const auto left = static_cast<std::size_t>(total - assigned);
  if (left == 0) return true;
  if (left > members || !sort_few_settled({order.data(), members})) return false;
  for (std::size_t k = 0; k < left; ++k) ++parts[order[k].index];
  return true;
}

void split_few(Cents total, std::span<const double> weights, long double scale,
               std::span<Cents> parts) {
  if (split_few_quick(total, weights, static_cast<double>(scale), parts)) return;
  if (split_few_exact(total, weights, scale, parts)) return;
  std::fill(parts.begin(), parts.end(), 0);
  std::array<RemainderOf, kFewWeights> order;
  split_by_definition(total, weights, scale, parts, order);
}

// Per-thread buffers of split_by_member, reused: it is hot in the step.
struct MemberScratch {
  std::vector<std::uint32_t> bucket;  // by member; kNoBucket for zero weights
  std::vector<std::uint32_t> count;   // members by bucket
  std::vector<RemainderOf> at_cut;    // (remainder, member) in the cut bucket
};
constexpr std::uint32_t kNoBucket = UINT32_MAX;

// Of the members in bucket `cut`, the `wanted` with the largest remainders (their long double
// remainders, as defined; ties to the lower index) get a cent each.
void serve_cut_bucket(MemberScratch& s, std::uint32_t cut, std::size_t wanted,
                      std::span<const double> weights, long double scale, std::span<Cents> parts) {
  s.at_cut.clear();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (s.bucket[i] != cut) continue;
    const long double exact = scale * static_cast<long double>(weights[i]);
    s.at_cut.push_back({exact - static_cast<long double>(parts[i]), i});
  }
  const auto served = s.at_cut.begin() + static_cast<std::ptrdiff_t>(wanted);
  std::partial_sort(s.at_cut.begin(), served, s.at_cut.end(), larger_remainder);
  for (auto it = s.at_cut.begin(); it != served; ++it) ++parts[it->index];
}

// extended_share's floor and bucket, from doubles where they settle it (quick_share).
ExtendedShare share_of(const ExtendedScale& extended, double quick_scale, double weight,
                       std::uint32_t buckets) {
  const QuickShare quick = quick_share(quick_scale, weight, buckets);
  if (quick.known) return {quick.floor, quick.bucket, true};
  return extended_share(extended, weight, buckets);
}

// The largest-remainder rule member by member, with the parts split_by_definition gives. The
// floors come from share_of (the long double products from doubles or integer arithmetic). The
// `left` largest remainders are found without ordering every member: the remainders, in [0, 1),
// fall in as many buckets as there are members (bucket floor(remainder * members), exact, so every
// remainder in a higher bucket is the larger); buckets from the top take their members whole down
// to the one where the cents run out, and only that bucket's few members are ordered. Returns false
// (leaving the split to split_by_definition) where a floor would be clamped or more cents are left
// than there are members: only at the edge of the int64 range.
bool split_by_member(Cents total, std::span<const double> weights, long double scale,
                     std::span<Cents> parts) {
  thread_local MemberScratch scratch;
  MemberScratch& s = scratch;
  const std::size_t n = parts.size();
  const auto buckets = static_cast<std::uint32_t>(n);
  const ExtendedScale extended = extended_scale(scale);
  const auto quick_scale = static_cast<double>(scale);
  s.bucket.assign(n, kNoBucket);
  s.count.assign(buckets, 0);
  Cents assigned = 0;
  std::size_t members = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(weights[i] > 0.0)) continue;
    const ExtendedShare share = share_of(extended, quick_scale, weights[i], buckets);
    if (!share.fits || share.floor > total - assigned) return false;
    parts[i] = share.floor;
    assigned += share.floor;
    s.bucket[i] = share.bucket;
    ++s.count[share.bucket];
    ++members;
  }
  const auto left = static_cast<std::size_t>(total - assigned);
  if (left == 0) return true;
  if (left > members) return false;
  std::uint32_t cut = buckets - 1;
  std::size_t above = 0;  // members in buckets above `cut`
  while (above + s.count[cut] < left) above += s.count[cut--];
  serve_cut_bucket(s, cut, left - above, weights, scale, parts);
  // cut < bucket < kNoBucket in one unsigned comparison, without a branch.
  const std::uint32_t above_cut = cut + 1;
  for (std::size_t i = 0; i < n; ++i) parts[i] += s.bucket[i] - above_cut < kNoBucket - above_cut;
  return true;
}

}  // namespace

void split_largest_remainder(Cents total, std::span<const double> weights, std::span<Cents> parts,
                             std::size_t fallback_index) {
  if (weights.size() != parts.size() || parts.empty()) {
    throw std::invalid_argument("split_largest_remainder: weights and parts differ in size");
  }
  if (total < 0) throw std::invalid_argument("split_largest_remainder: negative total");
  std::fill(parts.begin(), parts.end(), 0);
  const WeightShape shape = shape_of(weights);
  const double sum = shape.sum;
  if (!(sum > 0.0)) {
    parts[std::min(fallback_index, parts.size() - 1)] = total;
    return;
  }
  // Equal weights (households of a district standing for as many people each: the usual case in
  // the household phase) split exactly by integer division, the first `total % n` parts getting
  // the extra cents, as the largest remainders tied by lower index would.
  if (shape.equal) {
    const auto n = static_cast<Cents>(parts.size());
    const RunShare share = equal_share(total, n);
    for (Cents i = 0; i < n; ++i) parts[static_cast<std::size_t>(i)] = share.of(i);
    return;
  }
  // long double keeps floor(total * w / sum) exact enough for totals up to 2^63.
  const long double scale = static_cast<long double>(total) / static_cast<long double>(sum);
  // Runs of equal weights (at least two members a run on average: a district's households or a
  // beneficiary list among them, residents then returnees from each host): the rule once a run.
  if (shape.runs * 2 <= weights.size() && split_by_runs(total, weights, scale, parts)) {
    return;
  }
  if (weights.size() <= kFewWeights) {
    split_few(total, weights, scale, parts);
    return;
  }
  if (split_by_member(total, weights, scale, parts)) return;
  std::fill(parts.begin(), parts.end(), 0);
  std::vector<RemainderOf> order(weights.size());
  split_by_definition(total, weights, scale, parts, order);
}

double describe_runs(std::span<const double> weights, std::vector<EqualRun>& runs) {
  double sum = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    sum += weights[i];
    if (!(weights[i] > 0.0)) continue;
    if (!runs.empty() && runs.back().end == i && runs.back().weight == weights[i]) {
      ++runs.back().end;
    } else {
      runs.push_back(
          {static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + 1), weights[i]});
    }
  }
  return sum;
}

bool split_over_runs(Cents total, std::size_t count, double sum, std::span<const EqualRun> runs,
                     std::span<RunShare> shares) {
  if (total < 0) throw std::invalid_argument("split_over_runs: negative total");
  if (!(sum > 0.0)) return false;
  // Equal weights split by integer division, as split_largest_remainder splits them.
  if (runs.size() == 1 && runs[0].begin == 0 && runs[0].end == count) {
    shares[0] = equal_share(total, static_cast<Cents>(count));
    return true;
  }
  if (share_runs_quick(total, static_cast<double>(total) / sum, runs, shares)) return true;
  const long double scale = static_cast<long double>(total) / static_cast<long double>(sum);
  return share_runs(total, scale, runs, shares);
}

Cents take_share(Cents total, double share) {
  if (total < 0) throw std::invalid_argument("take_share: negative total");
  const double clamped = std::clamp(share, 0.0, 1.0);
  const long double part = std::round(static_cast<long double>(total) * clamped);
  return std::min<Cents>(static_cast<Cents>(part), total);
}

Cents spread_evenly(Cents total, int periods, int index) {
  const int i = index % periods;
  return checked_mul(total, i + 1) / periods - checked_mul(total, i) / periods;
}

}  // namespace aidflow::engine
