#pragma once
// Rations by priority: households in priority order each get a full ration until the money runs
// out, the one at the cut-off gets what is left. Found by selection, not by sorting every step.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>

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

}  // namespace aidflow::model
