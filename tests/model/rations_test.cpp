// Rations by selection must serve exactly whom the sorted walk serves, with the same cents.
#include "model/people/rations.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "engine/random.hpp"

namespace aidflow::model {
namespace {

using engine::Cents;

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

TEST(Rations, SelectionServesExactlyWhomTheSortServes) {
  const engine::RandomStream rng(5, 1);
  for (std::uint32_t trial = 0; trial < 200; ++trial) {
    const std::uint32_t n = 1 + trial * 37 % 3000;
    std::vector<Claim> claims;
    Cents wanted = 0;
    for (std::uint32_t k = 0; k < n; ++k) {
      if (rng.uniform(k, trial, 0) < 0.1) continue;  // not eligible
      // Coarse priorities make many ties; rations differ, as people per household may.
      const double priority = std::floor(rng.uniform(k, trial, 1) * 50.0) / 50.0;
      const Cents ration = 100 + static_cast<Cents>(rng.uniform(k, trial, 2) * 3000.0);
      claims.push_back({priority, k, ration});
      wanted += ration;
    }
    for (const double share : {0.0, 0.01, 0.37, 0.5, 0.99, 1.0, 1.5}) {
      const auto money = static_cast<Cents>(share * static_cast<double>(wanted)) + trial;
      std::vector<Claim> work = claims;
      std::vector<Cents> received(n, 0);
      const Cents left = serve_by_priority(work, money, received);
      EXPECT_EQ(received, sorted_walk(claims, money, n)) << "trial " << trial << " share " << share;
      EXPECT_EQ(left, std::max<Cents>(0, money - wanted));
    }
  }
}

}  // namespace
}  // namespace aidflow::model
