#include "engine/random.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

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

// The published FNV-1a 64-bit test vectors: the identity hash is the documented function.
TEST(Identity, IsFnv1a64OfTheText) {
  EXPECT_EQ(Identity::of("").hash, 0xcbf29ce484222325ULL);
  EXPECT_EQ(Identity::of("a").hash, 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(Identity::of("foobar").hash, 0x85944171f73967e8ULL);
  static_assert(Identity::of("faction:haqqani") == Identity::of("faction:haqqani"));
}

TEST(Identity, PairsAreOrderedAndDistinct) {
  const Identity a = Identity::of("donor:usa"), b = Identity::of("faction:haqqani");
  EXPECT_NE(a.with(b), b.with(a));
  EXPECT_NE(a.with(b), a);
  EXPECT_EQ(a.with(b), Identity::of("donor:usa").with(Identity::of("faction:haqqani")));
}

TEST(RandomStream, AnEntrysDrawsDependOnItsIdentityAndSeedOnly) {
  const Identity haqqani = Identity::of("faction:haqqani"), isis = Identity::of("faction:isis");
  const RandomStream a(7, 3, haqqani), again(7, 3, haqqani);
  EXPECT_EQ(a.uniform(0, 5, 1), again.uniform(0, 5, 1));
  EXPECT_NE(a.uniform(0, 5, 1), RandomStream(7, 3, isis).uniform(0, 5, 1));
  EXPECT_NE(a.uniform(0, 5, 1), RandomStream(8, 3, haqqani).uniform(0, 5, 1));
  EXPECT_NE(a.uniform(0, 5, 1), RandomStream(7, 4, haqqani).uniform(0, 5, 1));
  EXPECT_NE(a.uniform(0, 5, 1), RandomStream(7, 3).uniform(0, 5, 1))
      << "an entry's stream is not the numbered agents' stream";
  EXPECT_EQ(
      RandomStream(7, 3, haqqani).key(),
      (std::array<std::uint32_t, 2>{static_cast<std::uint32_t>(identity_key(7, haqqani)),
                                    static_cast<std::uint32_t>(identity_key(7, haqqani) >> 32)}));
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

// Binomial and Poisson draws: mean and variance over many agents, on both sides of the switch
// from exact inversion to the normal approximation (mean 30), within five standard errors.
TEST(RandomStream, BinomialAndPoissonHaveTheirMeansAndVariances) {
  const RandomStream rng(11, 4);
  const int n = 100000;
  for (const auto& [trials, p] :
       {std::pair{1300L, 0.0001}, std::pair{20L, 0.3}, std::pair{10000L, 0.01}}) {
    double s = 0.0, s2 = 0.0;
    for (std::uint32_t i = 0; i < n; ++i) {
      const auto k = static_cast<double>(rng.binomial(trials, p, i, 0));
      s += k;
      s2 += k * k;
    }
    const double mean = trials * p, var = trials * p * (1 - p);
    EXPECT_NEAR(s / n, mean, 5 * std::sqrt(var / n)) << trials << " x " << p;
    EXPECT_NEAR(s2 / n - (s / n) * (s / n), var, 0.05 * var + 1e-4) << trials << " x " << p;
  }
  for (const double lambda : {0.02, 3.0, 80.0}) {
    double s = 0.0;
    for (std::uint32_t i = 0; i < n; ++i) s += static_cast<double>(rng.poisson(lambda, i, 1));
    EXPECT_NEAR(s / n, lambda, 5 * std::sqrt(lambda / n)) << lambda;
  }
  EXPECT_EQ(rng.binomial(0, 0.5, 1, 2), 0);
  EXPECT_EQ(rng.binomial(7, 1.0, 1, 2), 7);
  EXPECT_EQ(rng.poisson(0.0, 1, 2), 0);
  EXPECT_EQ(rng.binomial(500, 0.2, 3, 4), rng.binomial(500, 0.2, 3, 4)) << "a pure function";
}

}  // namespace
}  // namespace aidflow::engine

namespace aidflow::engine {
namespace {

// The normal quantile that replaces Box-Muller in the household phase: known quantiles, symmetry.
TEST(NormalQuantile, MatchesKnownQuantilesAndIsSymmetric) {
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-12);
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-8);
  EXPECT_NEAR(normal_quantile(0.84134474606854293), 1.0, 1e-8);
  EXPECT_NEAR(normal_quantile(0.001), -3.090232306167813, 1e-8);
  for (double p : {1e-9, 0.01, 0.02425, 0.1, 0.3}) {
    EXPECT_NEAR(normal_quantile(p), -normal_quantile(1.0 - p), 1e-7) << p;
  }
}

// One Philox block's four words are the block uniform() and normal() use.
// The quantile's own log (so that eight lanes and one double agree to the bit) is as good as
// the library's: within a few units in the last place over the range the tails use.
TEST(NormalQuantile, OwnLogMatchesTheLibrary) {
  double worst = 0.0;
  for (double x = 1e-12; x < 1.0; x *= 1.01) {
    const double error = std::fabs(log_of_positive(x) - std::log(x)) / std::fabs(std::log(x));
    worst = std::max(worst, error);
  }
  EXPECT_LT(worst, 1e-15);
  EXPECT_EQ(log_of_positive(1.0), 0.0);
  EXPECT_NEAR(log_of_positive(0.5), -std::numbers::ln2, 1e-16);
}

// Eight lanes at once give what one number at a time gives, in the centre and both tails.
TEST(NormalQuantile, LanesGiveTheScalarBits) {
  const RandomStream rng(3, 4);
  int tails = 0;
  for (std::uint32_t block = 0; block < 2000; ++block) {
    lanes::F64 p;
    for (int i = 0; i < lanes::kLanes; ++i) {
      // Uniforms, and every fourth block pushed into the tails.
      const double u = rng.uniform(block, 0, static_cast<std::uint32_t>(i));
      p[i] = block % 4 == 0 ? u * 0.05 : u;
      tails += !in_normal_quantile_centre(p[i]);
    }
    const lanes::F64 x = normal_quantile(p);
    for (int i = 0; i < lanes::kLanes; ++i) ASSERT_EQ(x[i], normal_quantile(p[i])) << p[i];
  }
  EXPECT_GT(tails, 2000);  // about 2,500 expected
}

// The tabulated quantile's largest error over the uniforms of the 32-bit words, against the
// accurate quantile (itself within 1.2e-9 of the true one, relatively: at most 8e-9 here). Every
// word's uniform in the lower half is visited where a cell holds few, else at least 256 evenly
// spaced in every cell: the error is a smooth arc within a cell (zero at its knots), so between
// such samples it cannot rise unseen. The upper half is the lower one mirrored, exactly (tested
// below). What the bound means for the need shock: sd x 1.5e-5 = 3e-7 of need at the shipped sd
// 0.02 (at most 1.5e-6 at the range's 0.1), for a need in [0, 1] moved by a shock of 2e-2 a
// week: the shock's distribution is off by less than 1.5e-5 of its standard deviation.
TEST(TabulatedNormalQuantile, ErrorOverEveryWordIsFarBelowTheShockScale) {
  const double* knots = normal_quantile_knots();
  double worst = 0.0, worst_u = 0.0;
  std::uint64_t samples = 0;
  for (std::uint64_t w = 0; w < (std::uint64_t{1} << 31);
       w += std::max<std::uint64_t>(1, w >> 14)) {
    const double u = RandomStream::unit(static_cast<std::uint32_t>(w));
    const double error = std::fabs(tabulated_normal_quantile(u, knots) - normal_quantile(u));
    if (error > worst) worst = error, worst_u = u;
    ++samples;
  }
  const double last = RandomStream::unit((std::uint32_t{1} << 31) - 1);  // the closest below 1/2
  worst =
      std::max(worst, std::fabs(tabulated_normal_quantile(last, knots) - normal_quantile(last)));
  EXPECT_GT(samples, 200000u);
  EXPECT_LT(worst, kTabulatedQuantileError) << "at u = " << worst_u;
  EXPECT_GT(worst, 1e-7) << "the table is coarser than the bound needs: the bound is loose";
  // The extremes, at the table's ends, are the quantile's there.
  EXPECT_NEAR(tabulated_normal_quantile(RandomStream::unit(0), knots), -6.3379578, 1e-5);
  EXPECT_EQ(tabulated_normal_quantile(RandomStream::unit(0xFFFFFFFFu), knots),
            -tabulated_normal_quantile(RandomStream::unit(0), knots));
}

// The tabulated quantile is odd about 1/2 to the bit (the word's complement mirrors its uniform),
// and eight lanes give what one number at a time gives, under this build's instruction set.
TEST(TabulatedNormalQuantile, IsOddAndLanesGiveTheScalarBits) {
  const double* knots = normal_quantile_knots();
  const RandomStream rng(3, 5);
  for (std::uint32_t block = 0; block < 4000; ++block) {
    const auto w = rng.words(block, 1);
    lanes::F64 p;
    for (int i = 0; i < lanes::kLanes; ++i) {
      // Every fourth block far into the tails: words below 2^12 or above 2^32 - 2^12.
      const std::uint32_t word =
          block % 4 == 0 ? (w[i % 4] >> 20) ^ (i % 2 ? ~0u : 0u) : w[i % 4] + i;
      p[i] = RandomStream::unit(word);
      ASSERT_EQ(tabulated_normal_quantile(RandomStream::unit(~word), knots),
                -tabulated_normal_quantile(p[i], knots));
    }
    const lanes::F64 x = tabulated_normal_quantile(p, knots);
    for (int i = 0; i < lanes::kLanes; ++i) {
      ASSERT_EQ(x[i], tabulated_normal_quantile(p[i], knots)) << p[i];
    }
  }
}

TEST(RandomStream, WordsAreTheBlock) {
  const RandomStream rng(42, 3);
  const auto w = rng.words(7, 9);
  const std::uint64_t bits = ((static_cast<std::uint64_t>(w[0]) << 32) | w[1]) >> 11;
  EXPECT_EQ(rng.uniform(7, 9), (static_cast<double>(bits) + 0.5) * 0x1.0p-53);
  EXPECT_GT(RandomStream::unit(0), 0.0);
  EXPECT_LT(RandomStream::unit(0xFFFFFFFFu), 1.0);
}

}  // namespace
}  // namespace aidflow::engine
