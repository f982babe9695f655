// Rations by priority without a full sort. Sorting all claims costs n log n every step and every
// district, yet only the cut-off matters: the households above it get full rations, the one at it
// gets the rest, those below nothing, whatever their order among themselves. So:
// - when the money covers every claim, no order is needed at all;
// - otherwise claims are counted into buckets of priority (a monotone function of it, so every
//   claim in a higher bucket is served before any in a lower one); a scan from the top finds the
//   bucket where the money runs out; buckets above are served in full, those below get nothing;
// - within that one bucket (a few dozen claims), where its rations are all equal (the usual
//   case), the money serves money / ration of them in full and the next in part: one
//   std::nth_element finds them. Otherwise the cut-off is found by bisection with
//   std::nth_element: split at the median; if the upper half's rations fit in the money, serve
//   them all and look in the lower half, else look in the upper half.
// The priority order is total (ties go to the lower position), so each step picks a unique set
// and the beneficiaries and amounts are exactly those of the sorted walk.
#include "model/people/rations.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace aidflow::model {
namespace {

using Claim = RationClaim;

// All bits set when `yes`, none otherwise: for choosing an amount without a branch.
engine::Cents all_or_nothing(bool yes) {
  return -static_cast<engine::Cents>(yes);
}

// A function object, not a function: the sorts and selections inline it.
constexpr auto served_first = [](const Claim& a, const Claim& b) {
  return a.priority > b.priority || (a.priority == b.priority && a.position < b.position);
};

engine::Cents serve_all(std::span<const Claim> claims, std::span<engine::Cents> received) {
  engine::Cents total = 0;
  for (const Claim& c : claims) {
    received[c.position] = c.ration;
    total += c.ration;
  }
  return total;
}

// Few claims at the cut (a coarse run's districts have a few dozen households): sorted once and
// served in order until the money runs out, cheaper than the bisection's repeated selections.
constexpr std::size_t kSortedCutOff = 64;

void serve_in_order(std::span<Claim> claims, engine::Cents money,
                    std::span<engine::Cents> received) {
  std::sort(claims.begin(), claims.end(), served_first);
  for (const Claim& c : claims) {
    if (money <= 0) return;
    const engine::Cents part = std::min(c.ration, money);
    received[c.position] = part;
    money -= part;
  }
}

bool equal_rations(std::span<const Claim> claims) {
  return std::all_of(claims.begin(), claims.end(),
                     [&](const Claim& c) { return c.ration == claims.front().ration; });
}

// Claims of one ration each (the usual case: a district's households stand for equal people)
// whose rations exceed the money: it serves exactly money / ration of them in full and the next
// one in part, so one selection finds them, with no order among the served.
void serve_equal_rations(std::span<Claim> claims, engine::Cents money,
                         std::span<engine::Cents> received) {
  const engine::Cents ration = claims.front().ration;          // > 0: the rations exceed the money
  const auto full = static_cast<std::size_t>(money / ration);  // < claims.size(), as they exceed it
  const auto cut = claims.begin() + static_cast<std::ptrdiff_t>(full);
  std::nth_element(claims.begin(), cut, claims.end(), served_first);
  serve_all({claims.begin(), cut}, received);
  received[cut->position] = money - static_cast<engine::Cents>(full) * ration;
}

}  // namespace

// The bisection on claims whose rations exceed the money.
void serve_cut_off(std::span<Claim> claims, engine::Cents money,
                   std::span<engine::Cents> received) {
  if (money <= 0) return;
  if (equal_rations(claims)) {
    serve_equal_rations(claims, money, received);
    return;
  }
  if (claims.size() <= kSortedCutOff) {
    serve_in_order(claims, money, received);
    return;
  }
  // Invariant: every claim before `lo` is served in full, and the rations of [lo, hi) exceed
  // the money left, so the cut-off lies in [lo, hi).
  auto lo = claims.begin(), hi = claims.end();
  while (money > 0) {
    if (hi - lo == 1) {
      received[lo->position] = money;  // the cut-off: its ration exceeds what is left
      return;
    }
    const auto mid = lo + (hi - lo) / 2;
    std::nth_element(lo, mid, hi, served_first);
    engine::Cents upper = 0;
    for (auto it = lo; it != mid; ++it) upper += it->ration;
    if (upper <= money) {
      money -= serve_all({lo, mid}, received);
      lo = mid;
    } else {
      hi = mid;
    }
  }
}

// The rations wanted in all and by bucket. Households of a district have alike needs, so
// neighbours often fall in one bucket: kHistograms histograms, interleaved by position, keep
// their additions from waiting on each other, and are summed at the end (integers, so in any
// order the same). Households without a claim add to a slot past the last bucket, without a
// branch.
namespace {
constexpr std::size_t kHistograms = 4;
}  // namespace

engine::Cents rations_by_bucket(const RationClaims& claims, std::vector<engine::Cents>& wanted_in) {
  const std::size_t n = claims.bucket.size(), slots = std::size_t{claims.buckets} + 1;
  const std::uint32_t* const bucket = claims.bucket.data();
  const engine::Cents* const ration = claims.ration.data();
  thread_local std::vector<engine::Cents> histograms;
  histograms.assign(kHistograms * slots, 0);
  engine::Cents* const h = histograms.data();
  const auto slot = [&](std::size_t k) { return std::min(bucket[k], claims.buckets); };
  std::size_t k = 0;
  for (; k + kHistograms <= n; k += kHistograms) {
    for (std::size_t lane = 0; lane < kHistograms; ++lane) {
      h[lane * slots + slot(k + lane)] += ration[k + lane];
    }
  }
  for (; k < n; ++k) h[slot(k)] += ration[k];
  wanted_in.assign(claims.buckets, 0);
  engine::Cents wanted = 0;
  for (std::uint32_t b = 0; b < claims.buckets; ++b) {
    for (std::size_t lane = 0; lane < kHistograms; ++lane) wanted_in[b] += h[lane * slots + b];
    wanted += wanted_in[b];
  }
  return wanted;
}

// Full rations above the cut in a loop without branches: which side of the cut a household
// falls is a coin toss for the branch predictor. cut < bucket < kNoClaim in one unsigned
// comparison: the buckets above the cut are the ones whose distance above cut + 1 wraps to less
// than kNoClaim's (with cut kNoClaim, cut + 1 wraps to 0: every bucket but kNoClaim's).
void serve_above_cut(const RationClaims& claims, std::uint32_t cut,
                     std::span<engine::Cents> received, std::vector<std::uint32_t>& at_cut) {
  const std::span<const std::uint32_t> bucket = claims.bucket;
  const std::uint32_t above = cut + 1, span_above = kNoClaim - above;
  for (std::size_t k = 0; k < bucket.size(); ++k) {
    received[k] = claims.ration[k] & all_or_nothing(bucket[k] - above < span_above);
  }
  if (cut == kNoClaim) return;
  for (std::size_t k = 0; k < bucket.size(); ++k) {
    if (bucket[k] == cut) at_cut.push_back(static_cast<std::uint32_t>(k));
  }
}

// From the top: the first bucket whose rations exceed what is left holds the cut-off (one must,
// when all rations exceed the money).
RationCut find_cut(std::span<const engine::Cents> wanted_in, engine::Cents wanted,
                   engine::Cents money) {
  if (wanted <= money) return {kNoClaim, money - wanted};
  auto cut = static_cast<std::uint32_t>(wanted_in.size() - 1);
  while (wanted_in[cut] <= money) money -= wanted_in[cut--];
  return {cut, money};
}

namespace {

// A district of few households (a coarse run's: a few a district, kFewClaims at most): its
// claims ordered on the stack and served in order, cheaper than the histogram, the cut bucket and
// its selection, with the same beneficiaries and cents (the order is the same total order).

engine::Cents serve_few(const RationClaims& claims, engine::Cents money,
                        std::span<engine::Cents> received) {
  std::array<Claim, kFewClaims> order;
  std::size_t n = 0;
  engine::Cents wanted = 0;
  for (std::uint32_t k = 0; k < claims.bucket.size(); ++k) {
    received[k] = 0;
    if (claims.bucket[k] == kNoClaim) continue;
    order[n++] = {claims.priority[k], k, claims.ration[k]};
    wanted += claims.ration[k];
  }
  if (wanted <= money) {
    serve_all({order.data(), n}, received);
    return money - wanted;
  }
  serve_in_order({order.data(), n}, money, received);
  return 0;
}

}  // namespace

engine::Cents serve_by_priority(const RationClaims& claims, engine::Cents money,
                                std::span<engine::Cents> received) {
  if (orders_claims_outright(claims.bucket.size())) return serve_few(claims, money, received);
  thread_local std::vector<engine::Cents> wanted_in;  // by bucket
  const engine::Cents wanted = rations_by_bucket(claims, wanted_in);
  const RationCut cut = find_cut(wanted_in, wanted, money);
  thread_local std::vector<std::uint32_t> positions;  // in the cut bucket
  thread_local std::vector<Claim> at_cut;
  positions.clear();
  serve_above_cut(claims, cut.bucket, received, positions);
  if (cut.bucket == kNoClaim) return cut.money;
  at_cut.clear();
  for (const std::uint32_t k : positions)
    at_cut.push_back({claims.priority[k], k, claims.ration[k]});
  serve_cut_off(at_cut, cut.money, received);
  return 0;
}

}  // namespace aidflow::model
