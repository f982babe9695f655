// Rations by priority without a full sort. Sorting all claims costs n log n every step and every
// district, yet only the cut-off matters: the households above it get full rations, the one at it
// gets the rest, those below nothing, whatever their order among themselves. So:
// - when the money covers every claim, no order is needed at all;
// - otherwise the cut-off is found by bisection with std::nth_element (expected linear time):
//   split the candidates at their median priority; if the upper half's rations fit in the money,
//   serve them all and look in the lower half, else look in the upper half.
// The priority order is total (ties go to the lower position), so the upper half of any split is
// a unique set and the beneficiaries and amounts are exactly those of the sorted walk.
#include "model/people/rations.hpp"

#include <algorithm>

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

}  // namespace

engine::Cents serve_by_priority(std::span<Claim> claims, engine::Cents money,
                                std::span<engine::Cents> received) {
  engine::Cents wanted = 0;
  for (const Claim& c : claims) wanted += c.ration;
  if (wanted <= money) return money - serve_all(claims, received);
  // Invariant: every claim before `lo` is served in full, and the rations of [lo, hi) exceed
  // the money left, so the cut-off lies in [lo, hi).
  auto lo = claims.begin(), hi = claims.end();
  while (money > 0) {
    if (hi - lo == 1) {
      received[lo->position] = money;  // the cut-off: its ration exceeds what is left
      return 0;
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
  return 0;
}

}  // namespace aidflow::model
