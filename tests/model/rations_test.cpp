// Rations by selection must serve exactly whom the sorted walk serves, with the same cents.
#include "model/people/rations.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/random.hpp"

namespace aidflow::model {
namespace {

using engine::Cents;

// A household waiting for a ration, as the reference sees it.
struct Claim {
  double priority = 0.0;
  std::uint32_t position = 0;
  Cents ration = 0;
};

// The reference: sort every claim, highest priority first (ties to the lower position), then
// full rations until the money runs out.
std::vector<Cents> sorted_walk(std::vector<Claim> claims, Cents money, std::size_t n) {
  std::sort(claims.begin(), claims.end(), [](const Claim& a, const Claim& b) {
    return a.priority > b.priority || (a.priority == b.priority && a.position < b.position);
  });
  std::vector<Cents> received(n, 0);
  for (const Claim& c : claims) {
    received[c.position] = std::min(money, c.ration);
    money -= received[c.position];
  }
  return received;
}

// The claims as the household phase hands them over: a column each by position.
struct Columns {
  std::vector<double> priority;
  std::vector<std::uint32_t> bucket;
  std::vector<Cents> ration;
  std::uint32_t buckets;
  Columns(const std::vector<Claim>& claims, std::uint32_t n)
      : priority(n, 0.0), bucket(n, kNoClaim), ration(n, 0), buckets(bucket_count(n)) {
    for (const Claim& c : claims) {
      priority[c.position] = c.priority;
      bucket[c.position] = bucket_of(c.priority, buckets);
      ration[c.position] = c.ration;
    }
  }
  RationClaims claims() const { return {priority, bucket, ration, buckets}; }
};

// Claims of 200 trials of up to 3,000 households, each checked against the sorted walk at
// several shares of the rations wanted. Coarse priorities make many ties: fifty levels leave a
// few dozen claims at the cut (served in sorted order), five leave hundreds in larger districts
// (the bisection). `equal_rations`: every claim of a trial wants the same ration (households of
// equal people, the usual case), served by one selection at the cut.
void expect_selection_serves_as_the_sort(bool equal_rations) {
  const engine::RandomStream rng(5, 1);
  for (std::uint32_t trial = 0; trial < 200; ++trial) {
    const std::uint32_t n = 1 + trial * 37 % 3000;
    const Cents trial_ration = 100 + static_cast<Cents>(trial) * 17;
    std::vector<Claim> claims;
    Cents wanted = 0;
    for (std::uint32_t k = 0; k < n; ++k) {
      if (rng.uniform(k, trial, 0) < 0.1) continue;  // not eligible
      const double levels = trial % 2 == 0 ? 50.0 : 5.0;
      const double priority = std::floor(rng.uniform(k, trial, 1) * levels) / levels;
      const Cents ration = equal_rations
                               ? trial_ration
                               : 100 + static_cast<Cents>(rng.uniform(k, trial, 2) * 3000.0);
      claims.push_back({priority, k, ration});
      wanted += ration;
    }
    const Columns columns(claims, n);
    for (const double share : {0.0, 0.01, 0.37, 0.5, 0.99, 1.0, 1.5}) {
      // Plus the trial number, so that the money is sometimes a whole number of rations.
      const auto money = static_cast<Cents>(share * static_cast<double>(wanted)) + trial;
      std::vector<Cents> received(n, 0);
      const Cents left = serve_by_priority(columns.claims(), money, received);
      EXPECT_EQ(received, sorted_walk(claims, money, n)) << "trial " << trial << " share " << share;
      EXPECT_EQ(left, std::max<Cents>(0, money - wanted));
    }
  }
}

TEST(Rations, SelectionServesExactlyWhomTheSortServes) {
  expect_selection_serves_as_the_sort(false);
}

TEST(Rations, EqualRationsAtTheCutServeExactlyWhomTheSortServes) {
  expect_selection_serves_as_the_sort(true);
}

// Districts of a few households (a coarse run's), served by ordering their claims at once: every
// household's cents written (those without a claim get none), exactly as the sorted walk serves,
// with ties, equal and unequal rations, and money short of, equal to and beyond the claims.
TEST(Rations, FewHouseholdsServeExactlyWhomTheSortServes) {
  const engine::RandomStream rng(5, 2);
  for (std::uint32_t trial = 0; trial < 4000; ++trial) {
    const std::uint32_t n = 1 + trial % 20;  // past the few, too
    std::vector<Claim> claims;
    Cents wanted = 0;
    for (std::uint32_t k = 0; k < n; ++k) {
      if (rng.uniform(k, trial, 0) < 0.15) continue;  // not eligible
      const double priority = std::floor(rng.uniform(k, trial, 1) * 4.0) / 4.0;
      const Cents ration =
          trial % 3 == 0 ? 250 : 100 + static_cast<Cents>(rng.uniform(k, trial, 2) * 900.0);
      claims.push_back({priority, k, ration});
      wanted += ration;
    }
    const Columns columns(claims, n);
    for (const double share : {0.0, 0.3, 0.5, 0.9, 1.0, 1.2}) {
      const auto money = static_cast<Cents>(share * static_cast<double>(wanted)) + trial % 7;
      std::vector<Cents> received(n, -1);
      const Cents left = serve_by_priority(columns.claims(), money, received);
      ASSERT_EQ(received, sorted_walk(claims, money, n)) << "trial " << trial << " share " << share;
      ASSERT_EQ(left, std::max<Cents>(0, money - wanted));
    }
  }
}

TEST(Rations, EqualRationsWithMoneyForAWholeNumberOfThemLeaveNoPartRation) {
  // Four claims of 300 at one priority level, money for two: the two lowest positions get full
  // rations, no one a part.
  const std::vector<Claim> claims = {{0.5, 0, 300}, {0.5, 1, 300}, {0.5, 2, 300}, {0.5, 3, 300}};
  const Columns columns(claims, 4);
  std::vector<Cents> received(4, -1);
  EXPECT_EQ(serve_by_priority(columns.claims(), 600, received), 0);
  EXPECT_EQ(received, (std::vector<Cents>{300, 300, 0, 0}));
}

}  // namespace
}  // namespace aidflow::model
