// The household phase's tasks: consecutive small districts grouped and large ones split into
// blocks (people/households.cpp), the same results whatever the blocks, and the figures the
// benchmark reads from their measured times (state/people.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>

#include "model/model.hpp"
#include "model/people/households.hpp"
#include "model/people/rations.hpp"
#include "scenario/scenario_loader.hpp"
#include "tiny_scenario.hpp"
#include "workers.hpp"

namespace aidflow::model {
namespace {

ScenarioSpec small_country() {
  ScenarioSpec spec = testing::pass_through_scenario();
  spec.run.households = 1000;
  spec.geography.population = 1e6;
  return spec;
}

// Small districts share a task, in their order, until it holds about a thousand households'
// work (a district counting 32 more for its fixed cost); a district larger than that is a task
// alone; every district is in exactly one task.
TEST(HouseholdTasks, ConsecutiveSmallDistrictsShareATask) {
  Districts d;
  d.population.assign(7, 1.0);
  d.household_count = {600, 600, 5000, 10, 20, 30, 480};
  plan_household_tasks(d);
  EXPECT_EQ(d.tasks.groups, (std::vector<DistrictRange>{{0, 2}, {2, 3}, {3, 7}}));
  EXPECT_TRUE(d.tasks.blocks.empty());
  EXPECT_EQ(d.tasks.count(), 3U);
  d.household_count = {480, 480, 1};  // 512 + 512: the fixed cost closes the first task
  d.population.assign(3, 1.0);
  plan_household_tasks(d);
  EXPECT_EQ(d.tasks.groups, (std::vector<DistrictRange>{{0, 2}, {2, 3}}));
}

// A district above the size to split is split into as few blocks of about the block size as
// that allows, of equal size in whole lanes of eight, the last taking the rest; the groups skip
// it.
TEST(HouseholdTasks, LargeDistrictsAreSplitIntoBlocks) {
  Districts d;
  d.population.assign(5, 1.0);
  d.household_count = {600, 5000, 10, 100, 64};
  plan_household_tasks(d, {.split_above = 64, .block = 64});
  EXPECT_EQ(d.tasks.groups, (std::vector<DistrictRange>{{2, 3}, {4, 5}}));
  EXPECT_EQ(d.tasks.split, (std::vector<std::uint32_t>{0, 1, 3}));
  // 600 in 10 blocks of 64 (the last 24), 5000 in 79 of 64 (the last 8), 100 in 2 of 56 and 44.
  EXPECT_EQ(d.tasks.split_blocks, (std::vector<std::uint32_t>{0, 10, 89, 91}));
  ASSERT_EQ(d.tasks.blocks.size(), 91U);
  EXPECT_EQ(d.tasks.count(), 93U);
  const HouseholdBlock& last = d.tasks.blocks[9];
  EXPECT_EQ(last.district, 0U);
  EXPECT_EQ(last.first, 576U);
  EXPECT_EQ(last.count, 24U);
  EXPECT_EQ(d.tasks.blocks[88].count, 8U);
  EXPECT_EQ(d.tasks.blocks[89].count, 56U);
  EXPECT_EQ(d.tasks.blocks[90].first, 56U);
  EXPECT_EQ(d.tasks.blocks[90].count, 44U);
  EXPECT_EQ(d.tasks.blocks[90].columns.priority.size(), 44U);
  // The buckets of one block's households, the same for all of a district's.
  EXPECT_EQ(d.tasks.blocks[0].buckets, bucket_count(64));
  EXPECT_EQ(d.tasks.blocks[9].buckets, bucket_count(64));
  EXPECT_EQ(d.tasks.blocks[90].buckets, bucket_count(56));
  // Split above one size, in blocks of another: 5000 in 20 blocks of 256 (the last 136).
  plan_household_tasks(d, {.split_above = 1000, .block = 250});
  EXPECT_EQ(d.tasks.groups, (std::vector<DistrictRange>{{0, 1}, {2, 5}}));
  EXPECT_EQ(d.tasks.split_blocks, (std::vector<std::uint32_t>{0, 20}));
  EXPECT_EQ(d.tasks.blocks.back().first, 19U * 256U);
  EXPECT_EQ(d.tasks.blocks.back().count, 136U);
}

// Work 10 s in each of two steps; the longest task 1 s in the first and 4 s in the second. On 16
// workers the steps take at least max(10/16, 1) and max(10/16, 4): 20 / 5 = 4x at most; on 2,
// max(5, 1) + max(5, 4) = 10, 2x. The largest task's share is its seconds over all seconds.
TEST(HouseholdTasks, SpeedUpBoundIsWorkOverSpanOrWorkPerWorker) {
  HouseholdTasks tasks;
  tasks.round_work = {10.0, 10.0};
  tasks.round_span = {1.0, 4.0};
  EXPECT_DOUBLE_EQ(tasks.speedup_bound(16), 4.0);
  EXPECT_DOUBLE_EQ(tasks.speedup_bound(2), 2.0);
  tasks.seconds = {1.0, 6.0, 3.0};
  EXPECT_DOUBLE_EQ(tasks.largest_share(), 0.6);
  tasks.serial_seconds = 5.0;  // the serial steps are work too
  EXPECT_DOUBLE_EQ(tasks.largest_share(), 0.4);
  EXPECT_EQ(HouseholdTasks{}.speedup_bound(16), 0.0);
}

// A run times every task of every step: one work and span a step, the span within the work.
TEST(HouseholdTasks, EveryStepRecordsItsWorkAndSpan) {
  Model model(small_country());
  model.simulation().run({.steps = 5, .threads = 1});
  const HouseholdTasks& tasks = model.world().districts.tasks;
  ASSERT_EQ(tasks.round_work.size(), 5U);  // no district is split: one round a step
  ASSERT_GE(tasks.count(), 1U);
  EXPECT_EQ(tasks.groups.back().end, model.world().districts.size());
  for (std::size_t s = 0; s < 5; ++s) {
    EXPECT_GT(tasks.round_span[s], 0.0);
    EXPECT_LE(tasks.round_span[s], tasks.round_work[s]);
  }
  EXPECT_GT(tasks.largest_share(), 0.0);
  EXPECT_LE(tasks.largest_share(), 1.0);
}

// The status quo at 20,000 households (the capital's district holds a few thousand) on `threads`
// workers, its districts split into blocks as `sizes` says.
struct SplitRun {
  std::vector<Cents> aid;
  std::vector<double> need;
  std::vector<Displacement> displacement;
  std::vector<std::int64_t> recruits;
  std::vector<DistrictTally> tally;
  std::size_t blocks = 0;
};

SplitRun run_split(BlockSizes sizes, int steps, int threads, const std::string& extra = "") {
  std::vector<scenario::Override> overrides = {"run.households=20000",
                                               "households.displacement_per_week=0.05"};
  if (!extra.empty()) overrides.push_back(extra);
  const ScenarioSpec spec = scenario::load_scenario(AIDFLOW_SOURCE_DIR "/scenarios/status_quo.yaml",
                                                    {.overrides = overrides});
  Model model(spec);
  plan_household_tasks(model.world().districts, sizes);
  testing::with_workers(threads,
                        [&] { model.simulation().run({.steps = steps, .threads = threads}); });
  const World& w = model.world();
  return {w.households.aid_received, w.households.need, w.households.displacement,
          w.districts.recruits,      w.districts.tally, w.districts.tasks.blocks.size()};
}

bool same_bytes(const std::vector<DistrictTally>& a, const std::vector<DistrictTally>& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(DistrictTally)) == 0;
}

void expect_close(const DistrictTally& a, const DistrictTally& b) {
  const auto close = [](double x, double y) { return std::abs(x - y) <= 1e-9 * std::abs(y); };
  EXPECT_TRUE(close(a.people, b.people) && close(a.need, b.need) && close(a.in_need, b.in_need) &&
              close(a.reached, b.reached) && close(a.aid_weight, b.aid_weight));
}

// Blocks change no household's aid, need, displacement or recruits: the district's rations by
// bucket, cut, claims at the cut and list splits are integers over the whole district. A week
// with every district in one task and one with each district above 64 households in blocks of
// about 40 (the capital in dozens, many districts in two or three, a partial last block) agree on
// all of them; the tally's double sums, combined block by block, only to rounding (they feed
// routing next week, so later weeks may differ).
void expect_unsplit_results(const std::string& extra) {
  const SplitRun whole = run_split({.split_above = 1u << 30}, 1, 1, extra);
  const SplitRun split = run_split({.split_above = 64, .block = 40}, 1, 1, extra);
  ASSERT_EQ(whole.blocks, 0U);
  ASSERT_GT(split.blocks, 100U);
  EXPECT_EQ(split.aid, whole.aid);
  EXPECT_EQ(split.need, whole.need);
  EXPECT_EQ(split.displacement, whole.displacement);
  EXPECT_EQ(split.recruits, whole.recruits);
  ASSERT_EQ(split.tally.size(), whole.tally.size());
  for (std::size_t i = 0; i < whole.tally.size(); ++i) expect_close(split.tally[i], whole.tally[i]);
}

TEST(HouseholdBlocks, BlocksGiveTheUnsplitAidNeedAndRecruits) {
  expect_unsplit_results("");
}

// The same where rations are so small that every district's money covers them all: the rest
// is shared pro rata over the district's claimants, once a district.
TEST(HouseholdBlocks, BlocksGiveTheUnsplitTopUp) {
  expect_unsplit_results("households.relief_usd_per_person_week=0.01");
}

constexpr BlockSizes kSmall{.split_above = 64, .block = 64};

// With blocks, the same bytes for any number of workers: the blocks' sums and recruits are
// combined in block order, fixed by the plan. Forty weeks, the control run with another block size
// differing in its tallies' bits.
TEST(HouseholdBlocks, BlocksGiveTheSameBytesForAnyThreadCount) {
  const SplitRun one = run_split(kSmall, 40, 1);
  for (const int threads : testing::kWorkerCounts) {
    const SplitRun other = run_split(kSmall, 40, threads);
    EXPECT_EQ(other.aid, one.aid) << threads << " threads";
    EXPECT_EQ(other.need, one.need) << threads << " threads";
    EXPECT_EQ(other.recruits, one.recruits) << threads << " threads";
    EXPECT_TRUE(same_bytes(other.tally, one.tally)) << threads << " threads";
  }
  EXPECT_FALSE(same_bytes(run_split({.split_above = 64, .block = 48}, 40, 1).tally, one.tally));
}

}  // namespace
}  // namespace aidflow::model
