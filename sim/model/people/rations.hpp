#pragma once
// Rations by priority: households in priority order each get a full ration until the money runs
// out, the one at the cut-off gets what is left. Found by selection, not by sorting every step.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "engine/money.hpp"

namespace aidflow::model {

// Buckets of priority: a monotone map of priorities onto 0..buckets-1, even outside [0, 1] (the
// clamp keeps the order), with about eight households a bucket so that the cut bucket stays
// small. The household kernels compute the same map on lanes (household_kernels.cpp).
inline std::uint32_t bucket_count(std::size_t households) {
  return static_cast<std::uint32_t>(
      std::min<std::size_t>(std::max<std::size_t>(households / 8, 1), std::size_t{1} << 16));
}
inline std::uint32_t bucket_of(double priority, std::uint32_t buckets) {
  const double top = static_cast<double>(buckets - 1);
  return static_cast<std::uint32_t>(std::clamp(priority * static_cast<double>(buckets), 0.0, top));
}
// Whether serve_by_priority serves a district of this many households by ordering its claims
// outright (a coarse run's districts), which reads their buckets only as claim or kNoClaim.
inline constexpr std::size_t kFewClaims = 16;
inline bool orders_claims_outright(std::size_t households) {
  return households <= kFewClaims;
}
// The bucket of a household without a claim (aid cannot reach it).
inline constexpr std::uint32_t kNoClaim = std::numeric_limits<std::uint32_t>::max();

// One district's households as claims on its aid, a column each, by position in the district.
struct RationClaims {
  std::span<const double> priority;       // the exact order: highest first, ties to lower position
  std::span<const std::uint32_t> bucket;  // bucket_of(priority), or kNoClaim
  std::span<const engine::Cents> ration;  // a full ration (never used where there is no claim)
  std::uint32_t buckets = 1;
};

// Serves the claims from `money` in priority order, writing received[position] for every
// position (zero where there is no claim or the money ran out before it). Returns the money left
// once every claim has its full ration (zero when the money ran out).
engine::Cents serve_by_priority(const RationClaims& claims, engine::Cents money,
                                std::span<engine::Cents> received);

// serve_by_priority's steps, for a district whose households are claims in several blocks
// (people/households.cpp): each block's rations by bucket, summed over the blocks; the cut found
// once; each block served above it; the claims at the cut gathered in block order and served
// once. The same amounts as serve_by_priority over the whole district.

// A household waiting at the cut-off: its priority, position in the district and ration.
struct RationClaim {
  double priority = 0.0;
  std::uint32_t position = 0;
  engine::Cents ration = 0;
};

// The rations wanted by bucket (wanted_in, claims.buckets of them) and in all.
engine::Cents rations_by_bucket(const RationClaims& claims, std::vector<engine::Cents>& wanted_in);

// Where the money runs out: the bucket holding the cut-off and the money left for its claims, or
// bucket kNoClaim when every claim gets its full ration (money is then what is left over).
struct RationCut {
  std::uint32_t bucket = kNoClaim;
  engine::Cents money = 0;
};
RationCut find_cut(std::span<const engine::Cents> wanted_in, engine::Cents wanted,
                   engine::Cents money);

// Full rations to the claims in buckets above `cut` (every claim when cut is kNoClaim), none
// below, writing received[position] for every position; the positions of the claims in the cut
// bucket appended to at_cut.
void serve_above_cut(const RationClaims& claims, std::uint32_t cut,
                     std::span<engine::Cents> received, std::vector<std::uint32_t>& at_cut);

// The claims of the cut bucket, whose rations exceed the money, served in priority order until
// it runs out (received by position in the district).
void serve_cut_off(std::span<RationClaim> claims, engine::Cents money,
                   std::span<engine::Cents> received);

}  // namespace aidflow::model
