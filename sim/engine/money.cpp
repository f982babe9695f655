#include "engine/money.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace aidflow::engine {

Cents checked_add(Cents a, Cents b) {
  Cents out;
  if (__builtin_add_overflow(a, b, &out)) {
    throw MoneyOverflow("money overflow: " + std::to_string(a) + " + " + std::to_string(b) +
                        " cents does not fit in 64 bits");
  }
  return out;
}

Cents checked_sub(Cents a, Cents b) {
  Cents out;
  if (__builtin_sub_overflow(a, b, &out)) {
    throw MoneyOverflow("money overflow: " + std::to_string(a) + " - " + std::to_string(b) +
                        " cents does not fit in 64 bits");
  }
  return out;
}

Cents checked_mul(Cents a, std::int64_t factor) {
  Cents out;
  if (__builtin_mul_overflow(a, factor, &out)) {
    throw MoneyOverflow("money overflow: " + std::to_string(a) + " * " + std::to_string(factor) +
                        " cents does not fit in 64 bits");
  }
  return out;
}

Cents usd_to_cents(double usd) {
  const double cents = std::round(usd * 100.0);
  // 2^63 is exactly representable; anything at or above it cannot be an int64.
  if (!std::isfinite(cents) || std::fabs(cents) >= 9.2233720368547758e18) {
    throw MoneyOverflow("money overflow: " + std::to_string(usd) + " USD is not representable");
  }
  return static_cast<Cents>(cents);
}

double cents_to_usd(Cents cents) { return static_cast<double>(cents) / 100.0; }

void split_largest_remainder(Cents total, std::span<const double> weights, std::span<Cents> parts,
                             std::size_t fallback_index) {
  if (weights.size() != parts.size() || parts.empty()) {
    throw std::invalid_argument("split_largest_remainder: weights and parts differ in size");
  }
  if (total < 0) throw std::invalid_argument("split_largest_remainder: negative total");
  std::fill(parts.begin(), parts.end(), 0);
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (!(sum > 0.0)) {
    parts[std::min(fallback_index, parts.size() - 1)] = total;
    return;
  }
  // long double keeps floor(total * w / sum) exact enough for totals up to 2^63.
  const long double scale = static_cast<long double>(total) / static_cast<long double>(sum);
  Cents assigned = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const long double exact = scale * static_cast<long double>(weights[i]);
    parts[i] = std::min<Cents>(static_cast<Cents>(std::floor(exact)), total - assigned);
    assigned += parts[i];
  }
  Cents left = total - assigned;
  if (left == 0) return;
  // Hand out the remaining cents by largest remainder; ties keep index order (stable sort).
  std::vector<std::pair<long double, std::size_t>> remainders;
  remainders.reserve(parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (weights[i] > 0.0) {
      const long double exact = scale * static_cast<long double>(weights[i]);
      remainders.emplace_back(exact - static_cast<long double>(parts[i]), i);
    }
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; left > 0; k = (k + 1) % remainders.size()) {
    ++parts[remainders[k].second];
    --left;
  }
}

Cents take_share(Cents total, double share) {
  if (total < 0) throw std::invalid_argument("take_share: negative total");
  const double clamped = std::clamp(share, 0.0, 1.0);
  const long double part = std::round(static_cast<long double>(total) * clamped);
  return std::min<Cents>(static_cast<Cents>(part), total);
}

}  // namespace aidflow::engine
