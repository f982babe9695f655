// Rations by priority without a full sort. Sorting all claims costs n log n every step and every
// district, yet only the cut-off matters: the households above it get full rations, the one at it
// gets the rest, those below nothing, whatever their order among themselves. So:
// - when the money covers every claim, no order is needed at all;
// - otherwise claims are counted into buckets of priority (a monotone function of it, so every
//   claim in a higher bucket is served before any in a lower one); a scan from the top finds the
//   bucket where the money runs out; buckets above are served in full, those below get nothing;
// - within that one bucket (a few dozen claims) the cut-off is found by bisection with
//   std::nth_element: split at the median; if the upper half's rations fit in the money, serve
//   them all and look in the lower half, else look in the upper half.
// The priority order is total (ties go to the lower position), so each step picks a unique set
// and the beneficiaries and amounts are exactly those of the sorted walk.
#include "model/people/rations.hpp"

#include <algorithm>
#include <vector>

namespace aidflow::model {
namespace {

// A household waiting at the cut-off: its priority, position in the district and ration.
struct Claim {
  double priority = 0.0;
  std::uint32_t position = 0;
  engine::Cents ration = 0;
};

// All bits set when `yes`, none otherwise: for choosing an amount without a branch.
engine::Cents all_or_nothing(bool yes) {
  return -static_cast<engine::Cents>(yes);
}

bool served_first(const Claim& a, const Claim& b) {
  return a.priority > b.priority || (a.priority == b.priority && a.position < b.position);
}

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

// The bisection on claims whose rations exceed the money.
void serve_cut_off(std::span<Claim> claims, engine::Cents money,
                   std::span<engine::Cents> received) {
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

}  // namespace

engine::Cents serve_by_priority(const RationClaims& claims, engine::Cents money,
                                std::span<engine::Cents> received) {
  // One pass for the rations wanted in all and by bucket (unused when the money covers them).
  thread_local std::vector<engine::Cents> wanted_in;  // by bucket
  wanted_in.assign(claims.buckets, 0);
  engine::Cents wanted = 0;
  for (std::size_t k = 0; k < claims.bucket.size(); ++k) {
    if (claims.bucket[k] == kNoClaim) continue;
    wanted += claims.ration[k];
    wanted_in[claims.bucket[k]] += claims.ration[k];
  }
  const std::span<const std::uint32_t> bucket = claims.bucket;
  if (wanted <= money) {
    for (std::size_t k = 0; k < bucket.size(); ++k) {
      received[k] = claims.ration[k] & all_or_nothing(bucket[k] != kNoClaim);
    }
    return money - wanted;
  }
  // From the top: the first bucket whose rations exceed what is left holds the cut-off (one
  // must, since all rations exceed the money).
  std::uint32_t cut = claims.buckets - 1;
  while (wanted_in[cut] <= money) money -= wanted_in[cut--];
  // Full rations above the cut, none below (a loop without branches: which side of the cut a
  // household falls is a coin toss for the branch predictor); then the cut bucket's claims.
  // cut < bucket < kNoClaim in one unsigned comparison: the buckets above the cut are the ones
  // whose distance above cut + 1 wraps to less than kNoClaim's.
  const std::uint32_t above = cut + 1, span_above = kNoClaim - above;
  for (std::size_t k = 0; k < bucket.size(); ++k) {
    received[k] = claims.ration[k] & all_or_nothing(bucket[k] - above < span_above);
  }
  thread_local std::vector<Claim> at_cut;
  at_cut.clear();
  for (std::size_t k = 0; k < bucket.size(); ++k) {
    if (bucket[k] == cut) {
      at_cut.push_back({claims.priority[k], static_cast<std::uint32_t>(k), claims.ration[k]});
    }
  }
  serve_cut_off(at_cut, money, received);
  return 0;
}

}  // namespace aidflow::model
