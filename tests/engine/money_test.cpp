#include "engine/money.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include "engine/extended_share.hpp"
#include "engine/random.hpp"

namespace aidflow::engine {
namespace {

Cents sum(const std::vector<Cents>& parts) {
  return std::accumulate(parts.begin(), parts.end(), Cents{0});
}

TEST(SplitLargestRemainder, PartsAlwaysSumToTheWhole) {
  const RandomStream rng(42, 0);
  for (std::uint32_t trial = 0; trial < 2000; ++trial) {
    const std::size_t n = 1 + static_cast<std::size_t>(rng.uniform(trial, 0) * 30);
    std::vector<double> weights(n);
    for (std::size_t i = 0; i < n; ++i) {
      weights[i] = rng.uniform(trial, 1, static_cast<std::uint32_t>(i)) < 0.2
                       ? 0.0
                       : rng.uniform(trial, 2, static_cast<std::uint32_t>(i));
    }
    const auto total = static_cast<Cents>(rng.uniform(trial, 3) * 1e15);
    std::vector<Cents> parts(n);
    split_largest_remainder(total, weights, parts);
    ASSERT_EQ(sum(parts), total) << "trial " << trial;
    if (std::accumulate(weights.begin(), weights.end(), 0.0) == 0.0) continue;  // fallback case
    for (std::size_t i = 0; i < n; ++i) {
      if (weights[i] == 0.0) {
        EXPECT_EQ(parts[i], 0) << "zero weight got money";
      }
      EXPECT_GE(parts[i], 0);
    }
  }
}

TEST(SplitLargestRemainder, LeftoverCentsGoToLargestRemainders) {
  const std::vector<double> weights = {1.0, 1.0, 1.0};
  std::vector<Cents> parts(3);
  split_largest_remainder(100, weights, parts);
  EXPECT_EQ(parts, (std::vector<Cents>{34, 33, 33}));  // ties keep index order
  // Equal weights of any value: integer division, the extra cents to the first parts.
  const std::vector<double> equal(1000, 7.3);
  std::vector<Cents> many(1000);
  split_largest_remainder(1'000'000'000'000'000'007, equal, many);
  EXPECT_EQ(many[0], 1'000'000'000'000'001);
  EXPECT_EQ(many[6], 1'000'000'000'000'001);
  EXPECT_EQ(many[7], 1'000'000'000'000'000);
  EXPECT_EQ(sum(many), 1'000'000'000'000'000'007);
  const std::vector<double> uneven = {0.15, 0.25, 0.6};
  split_largest_remainder(7, uneven, parts);  // exact 1.05, 1.75, 4.2 -> 1, 2, 4
  EXPECT_EQ(parts, (std::vector<Cents>{1, 2, 4}));
}

// The rule member by member, as the definition reads: floors, then one cent each to the largest
// remainders, ties to the lower index.
std::vector<Cents> split_by_definition(Cents total, const std::vector<double>& weights) {
  const long double scale =
      static_cast<long double>(total) /
      static_cast<long double>(std::accumulate(weights.begin(), weights.end(), 0.0));
  std::vector<Cents> parts(weights.size(), 0);
  std::vector<std::pair<long double, std::size_t>> order;
  Cents left = total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] == 0.0) continue;
    const long double exact = scale * static_cast<long double>(weights[i]);
    parts[i] = static_cast<Cents>(exact);
    left -= parts[i];
    order.emplace_back(exact - static_cast<long double>(parts[i]), i);
  }
  // Only at the edges of the int64 range (the floors rounded past the total, or more cents over
  // than parts): none here, the callers skip the case.
  if (left < 0 || static_cast<std::size_t>(left) > order.size()) return {};
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  });
  for (std::size_t k = 0; k < static_cast<std::size_t>(left); ++k) ++parts[order[k].second];
  return parts;
}

// Weights in 1 to max_runs runs of 1 to max_length members, each run's value one of `values`
// (a zero among them: households a split skips), drawn for `trial`.
std::vector<double> runs_of_weights(const RandomStream& rng, std::uint32_t trial,
                                    const std::array<double, 4>& values, int max_runs,
                                    int max_length) {
  std::vector<double> weights;
  const int runs = 1 + static_cast<int>(rng.uniform(trial, 1) * max_runs);
  for (int r = 0; r < runs; ++r) {
    const auto run = static_cast<std::uint32_t>(r);
    const double w = values[static_cast<std::size_t>(rng.uniform(trial, 2, run) * 4)];
    const auto length = 1 + static_cast<std::size_t>(rng.uniform(trial, 3, run) * max_length);
    weights.insert(weights.end(), length, w);
  }
  return weights;
}

// A district's households come in runs of equal people (residents, then returnees from each
// host), with zeros where a split skips households: the split once per run (split_by_runs) must
// give what the rule gives member by member, including the ties between runs of one value.
TEST(SplitLargestRemainder, RunsOfEqualWeightsSplitAsMemberByMember) {
  const RandomStream rng(7, 0);
  for (std::uint32_t trial = 0; trial < 3000; ++trial) {
    const std::vector<double> weights =
        runs_of_weights(rng, trial, {0.0, 7.4, 3.1 + rng.uniform(trial, 0), 7.4 * 3}, 6, 40);
    if (std::accumulate(weights.begin(), weights.end(), 0.0) == 0.0) continue;
    const auto total = static_cast<Cents>(rng.uniform(trial, 4) * (trial % 2 ? 1e4 : 1e12));
    std::vector<Cents> parts(weights.size());
    split_largest_remainder(total, weights, parts);
    ASSERT_EQ(parts, split_by_definition(total, weights)) << "trial " << trial;
  }
}

// A spread over districts: hundreds of distinct weights (the rule member by member, its extra
// cents found by buckets of remainder), with zeros, and values repeated far apart so that equal
// remainders tie across the list. Small and large totals leave few or many cents over.
TEST(SplitLargestRemainder, ManyDistinctWeightsSplitAsTheDefinitionSays) {
  const RandomStream rng(11, 0);
  for (std::uint32_t trial = 0; trial < 600; ++trial) {
    const std::size_t n = 1 + trial % 600;
    std::vector<double> weights(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double u = rng.uniform(trial, 0, static_cast<std::uint32_t>(i));
      const double coarse = std::floor(u * 20.0) / 20.0;  // ties between far-apart parts
      weights[i] = u < 0.1 ? 0.0 : (trial % 3 == 0 ? coarse : u);
    }
    if (std::accumulate(weights.begin(), weights.end(), 0.0) == 0.0) continue;
    const double scale = trial % 4 == 0 ? 1e3 : (trial % 4 == 1 ? 1e6 : 1e14);
    const auto total = static_cast<Cents>(rng.uniform(trial, 1) * scale);
    std::vector<Cents> parts(n);
    split_largest_remainder(total, weights, parts);
    ASSERT_EQ(parts, split_by_definition(total, weights)) << "trial " << trial;
  }
}

// extended_share gives the floor of the x87 long double product and the bucket of its remainder
// exactly as long double arithmetic does, over scales and weights of every magnitude a split
// meets (tiny and subnormal weights, products just below and above integers, ties to even).
TEST(ExtendedShare, EqualsTheLongDoubleProduct) {
  const RandomStream rng(13, 0);
  std::uint32_t checked = 0;
  for (std::uint32_t trial = 0; trial < 200000; ++trial) {
    const double total =
        std::ldexp(rng.uniform(trial, 0), static_cast<int>(rng.uniform(trial, 1) * 62));
    double weight =
        std::ldexp(0.5 + rng.uniform(trial, 2), static_cast<int>(rng.uniform(trial, 3) * 80) - 40);
    if (trial % 97 == 0) weight = std::numeric_limits<double>::denorm_min() * (1 + trial % 1000);
    if (trial % 5 == 0) weight = 1 + trial % 7;  // few significant bits: ties in the rounding
    const double sum = weight * (1.0 + rng.uniform(trial, 4) * (trial % 3 == 0 ? 1e-12 : 100.0));
    const long double scale =
        static_cast<long double>(std::floor(total)) / static_cast<long double>(sum);
    if (!(scale > 0.0L)) continue;
    // Powers of two, so that the check's own remainder * buckets is exact.
    const std::uint32_t buckets = 1u << (trial % 11);
    const long double exact = scale * static_cast<long double>(weight);
    const ExtendedShare share = extended_share(extended_scale(scale), weight, buckets);
    if (!(exact < 0x1p63L)) {
      EXPECT_FALSE(share.fits) << "trial " << trial;
      continue;
    }
    ASSERT_TRUE(share.fits) << "trial " << trial;
    const auto floor = static_cast<Cents>(exact);
    const long double remainder = exact - static_cast<long double>(floor);
    ASSERT_EQ(share.floor, floor) << "trial " << trial;
    const auto bucket = static_cast<std::uint32_t>(std::floor(remainder * buckets));
    ASSERT_EQ(share.bucket, std::min(bucket, buckets - 1)) << "trial " << trial;
    // extended_part: the same floor, and the remainder itself as 128 fraction bits (at most 64
    // of them significant, so the conversion back is exact); none below 2^-64.
    const ExtendedPart part = extended_part(extended_scale(scale), weight);
    if (exact < 0x1p-64L) {
      EXPECT_FALSE(part.exact) << "trial " << trial;
    } else {
      ASSERT_TRUE(part.exact) << "trial " << trial;
      ASSERT_EQ(part.floor, floor) << "trial " << trial;
      const long double high = std::ldexp(static_cast<long double>(part.high), -64);
      const long double low = std::ldexp(static_cast<long double>(part.low), -128);
      ASSERT_EQ(high + low, remainder) << "trial " << trial;
    }
    ++checked;
  }
  EXPECT_GT(checked, 150000u);
}

// quick_share, where it says it knows, gives extended_share's floor and bucket (and quick_part the
// floor, and the remainder well within its margin), over scales and
// weights of every magnitude and, half the time, products placed within a few units in the last
// place of an integer or of a bucket's edge (where the doubles' error could change them); and it
// knows the usual part of a spread over districts (a total in the millions of cents, weights a
// district's share), so the exact path is the rare one.
TEST(QuickShare, WhereItKnowsItIsTheExtendedShare) {
  const RandomStream rng(19, 0);
  std::uint32_t known = 0, typical = 0, typical_known = 0, aimed_at_edges = 0;
  for (std::uint32_t trial = 0; trial < 400000; ++trial) {
    const std::uint32_t buckets = 1 + static_cast<std::uint32_t>(rng.uniform(trial, 5) * 600);
    const bool usual = trial % 4 == 0;  // a spread's part: cents in the millions, weight < 1
    const double total = usual
                             ? std::floor(rng.uniform(trial, 0) * 1e9)
                             : std::floor(std::ldexp(rng.uniform(trial, 0),
                                                     static_cast<int>(rng.uniform(trial, 1) * 62)));
    const double weight = usual ? rng.uniform(trial, 2) * 0.01
                                : std::ldexp(0.5 + rng.uniform(trial, 2),
                                             static_cast<int>(rng.uniform(trial, 3) * 80) - 40);
    double sum = usual ? 1.0 : weight * (1.0 + rng.uniform(trial, 4) * 100.0);
    if (!usual && trial % 2 == 1) {
      // Aim the product at an integer or a bucket's edge, a few ulps off either way.
      const double product = total / sum * weight;
      const double edge = trial % 4 == 1
                              ? std::round(product)
                              : std::floor(product) +
                                    std::round((product - std::floor(product)) * buckets) / buckets;
      const double aimed = weight * total / edge;
      if (std::isfinite(aimed) && aimed > 0.0) {
        const int ulps = static_cast<int>(trial % 7) - 3;
        sum = aimed;
        for (int k = 0; k < std::abs(ulps); ++k) sum = std::nextafter(sum, ulps > 0 ? 0.0 : 1e300);
        ++aimed_at_edges;
      }
    }
    const long double scale = static_cast<long double>(total) / static_cast<long double>(sum);
    if (!(scale > 0.0L) || !std::isfinite(static_cast<double>(scale))) continue;
    // The two doubles scales the splits use: the long double one rounded, or total / sum.
    const double quick_scale = trial % 3 == 2 ? total / sum : static_cast<double>(scale);
    const ExtendedShare exact = extended_share(extended_scale(scale), weight, buckets);
    const QuickShare quick = quick_share(quick_scale, weight, buckets);
    const QuickPart part = quick_part(quick_scale, weight);
    if (part.known) {  // the floor exact, the remainder within its margin
      const long double product = scale * static_cast<long double>(weight);
      ASSERT_EQ(part.floor, static_cast<Cents>(product)) << "trial " << trial;
      const long double remainder = product - static_cast<long double>(part.floor);
      ASSERT_LE(std::fabs(static_cast<long double>(part.remainder) - remainder),
                static_cast<long double>(part.margin) / 8)
          << "trial " << trial;
    }
    typical += usual;
    if (!quick.known) continue;
    ++known;
    typical_known += usual;
    ASSERT_TRUE(exact.fits) << "trial " << trial;
    ASSERT_EQ(quick.floor, exact.floor) << "trial " << trial;
    ASSERT_EQ(quick.bucket, exact.bucket) << "trial " << trial;
  }
  EXPECT_GT(known, 150000u);
  EXPECT_GT(typical_known, typical * 99 / 100);
  EXPECT_LT(known, 400000u - aimed_at_edges / 4);  // the aimed products do reach the exact path
}

// Few weights (a ledger row's sinks, a small beneficiary list) of every magnitude: tiny ones whose
// products fall below extended_part's reach, zeros, ties between equal weights far apart, and
// totals from a cent to 2^60.
TEST(SplitLargestRemainder, FewWeightsOfEveryMagnitudeSplitAsTheDefinitionSays) {
  const RandomStream rng(17, 0);
  std::uint32_t checked = 0;
  for (std::uint32_t trial = 0; trial < 20000; ++trial) {
    const std::size_t n = 1 + trial % 16;
    std::vector<double> weights(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto at = static_cast<std::uint32_t>(i);
      const double u = rng.uniform(trial, 0, at);
      const int exponent = static_cast<int>(rng.uniform(trial, 1, at) * 100) - 50;
      weights[i] = u < 0.15 ? 0.0 : (u < 0.3 ? 1.0 + trial % 3 : std::ldexp(u, exponent));
      if (trial % 53 == 0 && i == 0) weights[i] = 1e-300;
    }
    if (std::accumulate(weights.begin(), weights.end(), 0.0) == 0.0) continue;
    const auto total = static_cast<Cents>(
        std::ldexp(rng.uniform(trial, 2), static_cast<int>(rng.uniform(trial, 3) * 61)));
    const std::vector<Cents> expected = split_by_definition(total, weights);
    if (expected.empty()) continue;
    std::vector<Cents> parts(n);
    split_largest_remainder(total, weights, parts);
    ASSERT_EQ(parts, expected) << "trial " << trial;
    ++checked;
  }
  EXPECT_GT(checked, 15000u);
}

// split_over_runs, given the runs and sum describe_runs notes of some weights, gives what
// split_largest_remainder gives those weights, member by member: for runs of one value far apart
// (ties between runs), zeros between runs, one run of all the weights (integer division), and
// large totals. Weights that sum to zero are left to split_largest_remainder.
TEST(SplitOverRuns, GivesTheSplitOfTheWeightsItDescribes) {
  const RandomStream rng(19, 0);
  for (std::uint32_t trial = 0; trial < 5000; ++trial) {
    const std::vector<double> weights =
        runs_of_weights(rng, trial, {0.0, 5.7, 2.2 + rng.uniform(trial, 0), 5.7 * 2}, 5, 9);
    std::vector<EqualRun> described;
    const double sum = describe_runs(weights, described);
    ASSERT_EQ(sum, std::accumulate(weights.begin(), weights.end(), 0.0)) << "trial " << trial;
    const auto total = static_cast<Cents>(rng.uniform(trial, 4) * (trial % 2 ? 1e3 : 1e15));
    std::vector<RunShare> shares(described.size());
    if (sum == 0.0) {
      EXPECT_FALSE(split_over_runs(total, weights.size(), sum, described, shares));
      continue;
    }
    ASSERT_TRUE(split_over_runs(total, weights.size(), sum, described, shares)) << trial;
    std::vector<Cents> parts(weights.size(), 0);
    for (std::size_t r = 0; r < described.size(); ++r) {
      for (std::uint32_t i = described[r].begin; i < described[r].end; ++i) {
        ASSERT_EQ(weights[i], described[r].weight) << "trial " << trial;
        parts[i] = shares[r].of(i - described[r].begin);
      }
    }
    std::vector<Cents> expected(weights.size());
    split_largest_remainder(total, weights, expected);
    ASSERT_EQ(parts, expected) << "trial " << trial;
  }
}

// equal_part is split_largest_remainder's split of equal weights, part by part.
TEST(SplitLargestRemainder, EqualPartIsTheSplitOfEqualWeights) {
  for (const Cents total : {Cents{0}, Cents{1}, Cents{6}, Cents{7}, Cents{1'000'003}}) {
    for (const std::size_t n : {std::size_t{1}, std::size_t{3}, std::size_t{7}, std::size_t{50}}) {
      const std::vector<double> weights(n, 2.5);
      std::vector<Cents> parts(n);
      split_largest_remainder(total, weights, parts);
      for (std::size_t i = 0; i < n; ++i) {
        EXPECT_EQ(equal_part(total, static_cast<Cents>(n), static_cast<Cents>(i)), parts[i])
            << total << " in " << n << ", part " << i;
      }
    }
  }
}

TEST(SplitLargestRemainder, AllZeroWeightsGoToFallback) {
  const std::vector<double> weights = {0.0, 0.0};
  std::vector<Cents> parts(2);
  split_largest_remainder(55, weights, parts, 1);
  EXPECT_EQ(parts, (std::vector<Cents>{0, 55}));
}

TEST(SplitLargestRemainder, RefusesNegativeTotalAndMismatchedSizes) {
  const std::vector<double> weights = {1.0};
  std::vector<Cents> parts(2);
  EXPECT_THROW(split_largest_remainder(5, weights, parts), std::invalid_argument);
  std::vector<Cents> one(1);
  EXPECT_THROW(split_largest_remainder(-5, weights, one), std::invalid_argument);
}

TEST(CheckedArithmetic, OverflowThrowsInsteadOfWrapping) {
  constexpr Cents max = std::numeric_limits<Cents>::max();
  EXPECT_THROW(checked_add(max, 1), MoneyOverflow);
  EXPECT_THROW(checked_sub(std::numeric_limits<Cents>::min(), 1), MoneyOverflow);
  EXPECT_THROW(checked_mul(max / 2, 3), MoneyOverflow);
  EXPECT_EQ(checked_add(40, 2), 42);
  EXPECT_EQ(checked_mul(-3, 4), -12);
}

TEST(UsdToCents, RoundsToNearestCentAndRefusesTheUnrepresentable) {
  EXPECT_EQ(usd_to_cents(1.005), 100);  // 1.005 is 1.00499... in binary
  EXPECT_EQ(usd_to_cents(512e6), 51'200'000'000);
  EXPECT_EQ(usd_to_cents(0.015), 2);
  EXPECT_THROW(usd_to_cents(1e30), MoneyOverflow);
  EXPECT_THROW(usd_to_cents(std::numeric_limits<double>::quiet_NaN()), MoneyOverflow);
}

TEST(TakeShare, PartAndRestAreExact) {
  EXPECT_EQ(take_share(1000, 0.25), 250);
  EXPECT_EQ(take_share(3, 0.5), 2);        // rounds half away from zero
  EXPECT_EQ(take_share(1000, 1.5), 1000);  // clamped to the whole
  EXPECT_EQ(take_share(1000, -1.0), 0);
}

}  // namespace
}  // namespace aidflow::engine
