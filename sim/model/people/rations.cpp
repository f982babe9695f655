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

// The bisection on claims whose rations exceed the money.
void serve_cut_off(std::span<Claim> claims, engine::Cents money,
                   std::span<engine::Cents> received) {
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

// Buckets of priority: a monotone map of priorities onto 0..count-1, even outside [0, 1] (the
// clamp keeps the order), with about eight claims a bucket so that the cut bucket stays small.
struct Buckets {
  std::size_t count;
  explicit Buckets(std::size_t claims)
      : count(std::clamp<std::size_t>(claims / 8, 1, std::size_t{1} << 16)) {}
  std::size_t of(double priority) const {
    const double top = static_cast<double>(count - 1);
    return static_cast<std::size_t>(std::clamp(priority * static_cast<double>(count), 0.0, top));
  }
};

}  // namespace

engine::Cents serve_by_priority(std::span<Claim> claims, engine::Cents money,
                                std::span<engine::Cents> received) {
  // One pass for the rations wanted in all and by bucket (unused when the money covers them).
  const Buckets buckets(claims.size());
  thread_local std::vector<engine::Cents> wanted_in;  // by bucket
  wanted_in.assign(buckets.count, 0);
  engine::Cents wanted = 0;
  for (const Claim& c : claims) {
    wanted += c.ration;
    wanted_in[buckets.of(c.priority)] += c.ration;
  }
  if (wanted <= money) return money - serve_all(claims, received);
  // From the top: the first bucket whose rations exceed what is left holds the cut-off (one
  // must, since all rations exceed the money).
  std::size_t cut = buckets.count - 1;
  while (wanted_in[cut] <= money) money -= wanted_in[cut--];
  // Serve the buckets above the cut in full; gather the cut bucket's claims at the front.
  std::size_t gathered = 0;
  for (const Claim& c : claims) {
    const std::size_t b = buckets.of(c.priority);
    if (b > cut) received[c.position] = c.ration;
    if (b == cut) claims[gathered++] = c;
  }
  serve_cut_off(claims.first(gathered), money, received);
  return 0;
}

}  // namespace aidflow::model
