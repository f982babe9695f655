#include "engine/random.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace aidflow::engine {
namespace {

TEST(RandomStream, SameKeySameDrawDifferentKeyDifferentDraw) {
  const RandomStream a(123, 1), b(123, 1), other_stream(123, 2), other_seed(124, 1);
  EXPECT_EQ(a.uniform(5, 6, 7), b.uniform(5, 6, 7));
  EXPECT_NE(a.uniform(5, 6, 7), other_stream.uniform(5, 6, 7));
  EXPECT_NE(a.uniform(5, 6, 7), other_seed.uniform(5, 6, 7));
  EXPECT_NE(a.uniform(5, 6, 7), a.uniform(5, 6, 8));
  EXPECT_NE(a.uniform(5, 6, 7), a.uniform(6, 6, 7));
}

TEST(RandomStream, HighSeedBitsMatter) {
  const RandomStream low(1, 0), high((std::uint64_t{1} << 40) | 1, 0);
  EXPECT_NE(low.uniform(0, 0), high.uniform(0, 0));
}

// Moments over 200,000 draws: the standard error of the mean of U(0,1) is 0.000645, of N(0,1)
// 0.00224; bounds at 5 standard errors fail by chance with probability below 1e-6.
TEST(RandomStream, UniformAndNormalHaveTheRightMoments) {
  const RandomStream rng(99, 3);
  constexpr std::uint32_t n = 200000;
  double su = 0, sn = 0, sn2 = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    const double u = rng.uniform(i, 0);
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    su += u;
    const double z = rng.normal(i, 1);
    sn += z;
    sn2 += z * z;
  }
  EXPECT_NEAR(su / n, 0.5, 5 * 0.000645);
  EXPECT_NEAR(sn / n, 0.0, 5 * 0.00224);
  EXPECT_NEAR(sn2 / n, 1.0, 5 * std::sqrt(2.0 / n));
}

}  // namespace
}  // namespace aidflow::engine
