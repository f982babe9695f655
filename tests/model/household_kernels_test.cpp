// The household kernels: every instruction set's version gives the same bits as the baseline
// one, on districts of every length around the eight-lane blocks, and each kernel does what its
// scalar definition says (words, buckets, normal quantiles, recruits, sums).
#include "model/people/household_kernels.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <vector>

#include "engine/isa.hpp"
#include "engine/normal_quantile.hpp"
#include "engine/random.hpp"
#include "kernel_district.hpp"
#include "model/people/rations.hpp"

namespace aidflow::model {
namespace {

using engine::Isa;
using engine::RandomStream;

constexpr std::uint32_t kLengths[] = {0, 1, 7, 8, 9, 15, 16, 17, 100, 1001};

using District = testing::KernelDistrict;

const StepRule& kRule = testing::kKernelStepRule;

// Runs every kernel on one district and returns it, with the step's tally and tally()'s after it.
District run_all(const HouseholdKernels& kernels, std::uint32_t count, KernelTally* step_tally,
                 KernelTally* tally) {
  District d(count, count + 1);
  kernels.draw(7, 0x12345678u, 0x9abcdef0u, 4000000000u - count, count, 11, d.outputs().data());
  kernels.prioritise(0.7, bucket_count(count), d.columns().view(), d.words[0].data(),
                     d.priority.data(), d.bucket.data());
  kernels.shocks(0.05, d.words[1].data(), count, d.shock.data());
  d.flagged = kernels.step(kRule, d.columns(), d.shock.data(), d.words[2].data(), d.words[3].data(),
                           d.may_recruit.data(), step_tally);
  kernels.tally(kRule.need_threshold, kRule.relief_usd, d.columns().view(), tally);
  return d;
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

// Bitwise equality of two tallies, member by member (no bytes of padding can differ unseen).
bool same_bits(const KernelTally& a, const KernelTally& b) {
  const auto same = [](double x, double y) { return std::memcmp(&x, &y, sizeof x) == 0; };
  bool equal = same(a.people, b.people) && same(a.need, b.need) && same(a.in_need, b.in_need) &&
               same(a.reached, b.reached) && same(a.aid_weight, b.aid_weight);
  for (std::size_t k = 0; k < std::size(a.displaced); ++k) {
    equal = equal && same(a.displaced[k], b.displaced[k]);
  }
  return equal;
}

class EachInstructionSet : public ::testing::TestWithParam<Isa> {
 protected:
  void SetUp() override {
    if (GetParam() > engine::best_isa()) {
      GTEST_SKIP() << "this machine cannot run " << engine::isa_name(GetParam());
    }
  }
  const HouseholdKernels& kernels() const { return household_kernels(GetParam()); }
};

// Every version of every kernel gives the baseline version's bits, on lengths around the blocks of
// eight. The baseline's own instantiation compares it with itself: the check of the harness.
TEST_P(EachInstructionSet, GivesTheBaselineBits) {
  int compared = 0;
  for (const std::uint32_t count : kLengths) {
    KernelTally base_step, base_tally, isa_step, isa_tally;
    const District base = run_all(household_kernels(Isa::Baseline), count, &base_step, &base_tally);
    const District other = run_all(kernels(), count, &isa_step, &isa_tally);
    const std::string where =
        std::string(engine::isa_name(GetParam())) + ", " + std::to_string(count) + " households";
    for (int j = 0; j < 4; ++j) EXPECT_TRUE(same_bits(base.words[j], other.words[j])) << where;
    EXPECT_TRUE(same_bits(base.priority, other.priority)) << where;
    EXPECT_TRUE(same_bits(base.bucket, other.bucket)) << where;
    EXPECT_TRUE(same_bits(base.shock, other.shock)) << where;
    EXPECT_TRUE(same_bits(base.need, other.need)) << where;
    EXPECT_TRUE(same_bits(base.displacement, other.displacement)) << where;
    EXPECT_TRUE(same_bits(base.flags(), other.flags())) << where;
    EXPECT_TRUE(same_bits(base_tally, isa_tally)) << where;
    EXPECT_TRUE(same_bits(base_step, isa_step)) << where;
    ++compared;
  }
  EXPECT_EQ(compared, static_cast<int>(std::size(kLengths)));
}

TEST_P(EachInstructionSet, DrawGivesRandomStreamWords) {
  const RandomStream rng(0x9abcdef012345678ull, 7);
  std::vector<std::uint32_t> w[4];
  for (auto& c : w) c.resize(1001);
  std::uint32_t* const out[4] = {w[0].data(), w[1].data(), w[2].data(), w[3].data()};
  kernels().draw(rng.stream(), rng.key()[0], rng.key()[1], 500, 1001, 42, out);
  for (std::uint32_t i = 0; i < 1001; ++i) {
    const auto expected = rng.words(500 + i, 42);
    for (int j = 0; j < 4; ++j) ASSERT_EQ(w[j][i], expected[j]) << "household " << i;
  }
}

TEST_P(EachInstructionSet, BucketsAreBucketOfPriorityAndAbroadHasNoClaim) {
  District d(1001, 3);
  const std::uint32_t buckets = bucket_count(1001);
  kernels().prioritise(0.7, buckets, d.columns().view(), d.words[0].data(), d.priority.data(),
                       d.bucket.data());
  for (std::uint32_t k = 0; k < 1001; ++k) {
    const double expected = 0.7 * d.need[k] + (1.0 - 0.7) * RandomStream::unit(d.words[0][k]);
    ASSERT_EQ(d.priority[k], expected);
    ASSERT_EQ(d.bucket[k], d.displacement[k] <= 1 ? bucket_of(expected, buckets) : kNoClaim);
  }
}

TEST_P(EachInstructionSet, ShocksAreScaledTabulatedNormalQuantiles) {
  District d(1001, 4);
  kernels().shocks(0.05, d.words[1].data(), 1001, d.shock.data());
  const double* knots = engine::normal_quantile_knots();
  int tails = 0;
  for (std::uint32_t k = 0; k < 1001; ++k) {
    const double u = RandomStream::unit(d.words[1][k]);
    tails += !engine::in_normal_quantile_centre(u);
    ASSERT_EQ(d.shock[k], 0.05 * engine::tabulated_normal_quantile(u, knots)) << "u " << u;
  }
  EXPECT_GT(tails, 20);  // about 49 expected: the tails were exercised
}

TEST_P(EachInstructionSet, HouseholdsWithoutTheFlagHaveNoRecruits) {
  District d(1001, 5);
  KernelTally sums;
  d.flagged = kernels().step(kRule, d.columns(), d.shock.data(), d.words[2].data(),
                             d.words[3].data(), d.may_recruit.data(), &sums);
  // The positions are listed in order, each once.
  for (std::uint32_t i = 1; i < d.flagged; ++i) {
    ASSERT_LT(d.may_recruit[i - 1], d.may_recruit[i]);
  }
  const std::vector<std::uint8_t> flags = d.flags();
  int flagged = 0;
  for (std::uint32_t k = 0; k < 1001; ++k) {
    ASSERT_GE(d.need[k], 0.0);
    ASSERT_LE(d.need[k], 1.0);
    ASSERT_LE(d.displacement[k], 5);
    flagged += flags[k];
    if (flags[k]) continue;
    const double p = (0.2 + 0.8 * d.need[k]) * kRule.recruit_odds;
    const double u = RandomStream::unit(d.words[3][k]);
    if (d.displacement[k] <= 1) {
      ASSERT_EQ(RandomStream::binomial_from(d.young_men[k], p, u), 0) << "household " << k;
    }
  }
  EXPECT_GT(flagged, 0);
  EXPECT_LT(flagged, 1001);
}

// The step sums the district as it leaves it: the same bits as tally() after the step.
TEST_P(EachInstructionSet, StepTalliesWhatItLeaves) {
  for (const std::uint32_t count : kLengths) {
    KernelTally from_step, after;
    run_all(kernels(), count, &from_step, &after);
    EXPECT_EQ(std::memcmp(&from_step, &after, sizeof after), 0) << count << " households";
  }
}

// People, need and people in need are those in the country (at home or displaced inside it);
// displacement counts every state, the hosted abroad apart from the model's own who fled.
TEST_P(EachInstructionSet, TallyIsTheSumOverHouseholds) {
  District d(1001, 6);
  KernelTally t;
  kernels().tally(0.5, 1.6, d.columns().view(), &t);
  double people = 0, need = 0, in_need = 0, reached = 0, weight = 0, everyone = 0;
  double displaced[6] = {};
  for (std::uint32_t k = 0; k < 1001; ++k) {
    const bool here = d.displacement[k] <= 1;
    people += here ? d.people[k] : 0.0;
    need += here ? d.people[k] * d.need[k] : 0.0;
    in_need += here && d.need[k] > 0.5 ? d.people[k] : 0.0;
    reached += std::min(d.people[k], static_cast<double>(d.aid[k]) / 100.0 / 1.6);
    displaced[d.displacement[k]] += d.people[k];
    weight += here ? d.people[k] * d.need[k] : 0.0;
    everyone += d.people[k];
  }
  ASSERT_GT(displaced[4] + displaced[5], 0.0) << "hosted households are exercised";
  ASSERT_LT(people, everyone);
  EXPECT_NEAR(t.people, people, 1e-9 * people);
  EXPECT_NEAR(t.need, need, 1e-9 * need);
  EXPECT_NEAR(t.in_need, in_need, 1e-9 * in_need);
  EXPECT_NEAR(t.reached, reached, 1e-9 * reached);
  EXPECT_NEAR(t.aid_weight, weight, 1e-9 * weight);
  for (int s = 0; s < 6; ++s) EXPECT_NEAR(t.displaced[s], displaced[s], 1e-9 * everyone);
}

// Households hosted in Iran or Pakistan before the run stay there in the step, whatever their
// draw (they come back by the schedule, people/returns.cpp), and are never flagged for
// recruitment; the model's own displaced (internal, fled) may come back, with a return rate
// this high many of them do.
TEST_P(EachInstructionSet, HostedHouseholdsStayAbroadInTheStep) {
  District d(1001, 7);
  const std::vector<std::uint8_t> before = d.displacement;
  KernelTally sums;
  d.flagged = kernels().step(kRule, d.columns(), d.shock.data(), d.words[2].data(),
                             d.words[3].data(), d.may_recruit.data(), &sums);
  const std::vector<std::uint8_t> flags = d.flags();
  int hosted = 0, came_back = 0;
  for (std::uint32_t k = 0; k < 1001; ++k) {
    if (before[k] >= 4) {
      ++hosted;
      ASSERT_EQ(d.displacement[k], before[k]) << "household " << k;
      ASSERT_EQ(flags[k], 0) << "household " << k;
    } else if (before[k] >= 1 && d.displacement[k] == 0) {
      ++came_back;
    }
  }
  EXPECT_GT(hosted, 200);
  EXPECT_GT(came_back, 50);
}

INSTANTIATE_TEST_SUITE_P(Isa, EachInstructionSet,
                         ::testing::Values(Isa::Baseline, Isa::Avx2, Isa::Avx512),
                         [](const ::testing::TestParamInfo<Isa>& info) {
                           return std::string(engine::isa_name(info.param));
                         });

}  // namespace
}  // namespace aidflow::model
