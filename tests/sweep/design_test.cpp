// Sampling designs and the plan made of them, a point at a time: counts, strata, blocks,
// trajectories, the common random numbers of replicates, the same values as the designs had when
// they were built as whole matrices (so sweeps run before give the same runs), and a plan of the
// documented maximum of runs computed from run numbers alone.
#include "sweep/design.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "sweep/plan.hpp"
#include "sweep/sweep_file.hpp"

namespace aidflow::sweep {
namespace {

TEST(Design, FactorialHasEveryCombinationOnceTheLastVaryingFastest) {
  std::set<std::vector<int>> rows;
  for (int i = 0; i < 24; ++i) rows.insert(factorial_point({2, 3, 4}, i));
  EXPECT_EQ(rows.size(), 24u);
  EXPECT_EQ(factorial_point({2, 3, 4}, 0), (std::vector<int>{0, 0, 0}));
  EXPECT_EQ(factorial_point({2, 3, 4}, 1), (std::vector<int>{0, 0, 1}));
  EXPECT_EQ(factorial_point({2, 3, 4}, 23), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(factorial_point({}, 0), std::vector<int>{});
}

TEST(Design, LatinHypercubeHasOnePointInEveryStratumOfEveryParameter) {
  const int n = 37, k = 5;
  const LatinHypercube design(n, k, 9);
  for (int j = 0; j < k; ++j) {
    std::set<int> strata;
    for (int i = 0; i < n; ++i) strata.insert(static_cast<int>(std::floor(design.at(i, j) * n)));
    EXPECT_EQ(strata.size(), 37u) << "parameter " << j;
  }
  const LatinHypercube same(n, k, 9), other(n, k, 10);
  int differ = 0;
  for (int i = 0; i < n; ++i) {
    EXPECT_EQ(same.at(i, 3), design.at(i, 3));  // a pure function of the seed
    differ += other.at(i, 3) != design.at(i, 3);
  }
  EXPECT_GT(differ, 0);
  // The values the whole-matrix version gave (commit 36ab301).
  EXPECT_EQ(design.at(0, 0), 0.88190879956755297);
  EXPECT_EQ(design.at(36, 4), 0.46999276931139933);
  EXPECT_EQ(design.at(17, 2), 0.95241437239211812);
}

TEST(Design, SobolPointsFillEveryDyadicIntervalOncePerDimension) {
  // Points 0..2^m - 1 of every dimension hit each interval [i/2^m, (i+1)/2^m) once; point 0 (all
  // zeros) is left out, so take 2^m - 1 points and expect every interval but the first.
  const int m = 6, n = (1 << m) - 1;
  const SobolSequence sequence(kSobolDimensions);
  for (int d = 0; d < kSobolDimensions; ++d) {
    std::set<int> cells;
    for (int i = 0; i < n; ++i) cells.insert(static_cast<int>(sequence.at(i, d) * (1 << m)));
    EXPECT_EQ(cells.size(), static_cast<std::size_t>(n)) << "dimension " << d;
    EXPECT_EQ(cells.count(0), 0u);
  }
  EXPECT_EQ(sequence.at(0, 0), 0.5);
  EXPECT_EQ(sequence.at(99, 19), 0.3359375);  // as the Gray-code walk of commit 36ab301 gave
  EXPECT_EQ(sequence.at(63, 7), 0.2109375);
  EXPECT_THROW(SobolSequence(kSobolDimensions + 1), std::invalid_argument);
}

TEST(Design, SaltelliBlocksAreAWithOneColumnOfB) {
  const int n = 64, k = 3;
  const Saltelli s(k);
  ASSERT_EQ(s.blocks(), k + 2);
  for (int j = 0; j < n; ++j) {
    const auto a = s.point(j * (k + 2));
    const auto b = s.point(j * (k + 2) + k + 1);
    for (int i = 0; i < k; ++i) {
      const auto ab = s.point(j * (k + 2) + 1 + i);
      for (int c = 0; c < k; ++c) EXPECT_EQ(ab[c], c == i ? b[c] : a[c]);  // A with column i of B
    }
    // No sample has A = B, whose k + 2 runs would all be one point (the sequence's centre,
    // 0.5 everywhere, would: it is not a sample).
    EXPECT_NE(a, b) << "sample " << j;
  }
  EXPECT_EQ(s.point(17), (std::vector<double>{0.875, 0.875, 0.125}));  // sample 3, AB_2
  EXPECT_EQ(s.point(23), (std::vector<double>{0.625, 0.125, 0.875}));  // sample 4, AB_3
}

TEST(Design, MorrisTrajectoriesMoveOneParameterByDeltaPerStep) {
  const int r = 6, k = 4, levels = 4;
  const Morris m(k, levels, 3);
  EXPECT_DOUBLE_EQ(m.delta(), 2.0 / 3.0);
  for (int t = 0; t < r; ++t) {
    std::set<int> moved;
    for (int s = 1; s <= k; ++s) {
      const auto before = m.point(t, s - 1);
      const auto after = m.point(t, s);
      int changed = 0;
      for (int c = 0; c < k; ++c) {
        if (after[c] == before[c]) continue;
        ++changed;
        moved.insert(c);
        EXPECT_NEAR(after[c] - before[c], m.delta(), 1e-12);
        EXPECT_LE(after[c], 1.0 + 1e-12);
      }
      EXPECT_EQ(changed, 1);
    }
    EXPECT_EQ(moved.size(), static_cast<std::size_t>(k));  // each parameter once
  }
  const double third = 1.0 / 3.0, two_thirds = 2.0 / 3.0;
  EXPECT_EQ(m.point(1, 2), (std::vector<double>{third, two_thirds, two_thirds, third}));
  EXPECT_EQ(m.point(1, 3), (std::vector<double>{1, two_thirds, two_thirds, third}));
  EXPECT_EQ(m.point(1, 4), (std::vector<double>{1, two_thirds, two_thirds, 1}));
}

Parameter discrete(const std::string& path, const std::vector<std::string>& values) {
  Parameter p{.name = path, .targets = {{.path = path}}};
  for (const auto& v : values) {
    p.levels.push_back(
        {.label = v, .set = {path + "=" + v}, .numeric = true, .number = std::stod(v)});
  }
  return p;
}

SweepSpec two_by_two(int replicates) {
  SweepSpec spec{.name = "t", .replicates = replicates, .seed = 40};
  spec.parameters = {discrete("a.x", {"1", "2"}), discrete("b.y", {"1", "2"})};
  return spec;
}

TEST(Plan, ReplicatesShareTheirSeedAcrossPoints) {
  const SweepSpec spec = two_by_two(5);
  const Plan plan(spec);
  ASSERT_EQ(plan.points(), 4);
  ASSERT_EQ(plan.runs(), 20);
  for (std::int64_t r = 0; r < plan.runs(); ++r) {
    const PlannedRun run = plan.run(r);
    EXPECT_EQ(run.run, run.point * 5 + run.replicate);
    EXPECT_EQ(run.seed, 40u + static_cast<std::uint64_t>(run.replicate));
    EXPECT_EQ(run.overrides.back().assignment, "run.seed=" + std::to_string(run.seed));
    EXPECT_EQ(run.file, run_file(run.run));
  }
  EXPECT_EQ(plan.run(7).overrides[0].assignment, "a.x=1");
  EXPECT_EQ(plan.run(7).overrides[1].assignment, "b.y=2");
  EXPECT_EQ(plan.run(7).label, "t a.x=1 b.y=2 replicate=2");
  std::vector<double> first;
  for (std::int64_t p = 0; p < 4; ++p) first.push_back(plan.point(p).levels[0].number);
  EXPECT_EQ(first, (std::vector<double>{1, 1, 2, 2}));
}

TEST(Plan, ARunsFingerprintDependsOnTheInputsAndItsOverrides) {
  SweepSpec spec = two_by_two(2);
  spec.inputs_fingerprint = "0123456789abcdef";
  const Plan plan(spec);
  std::set<std::string> fingerprints;
  for (std::int64_t r = 0; r < plan.runs(); ++r) fingerprints.insert(plan.run(r).fingerprint);
  EXPECT_EQ(fingerprints.size(), 8u);
  SweepSpec edited = spec;
  edited.inputs_fingerprint = "0123456789abcdee";
  EXPECT_NE(Plan(edited).run(3).fingerprint, plan.run(3).fingerprint);
  EXPECT_EQ(Plan(spec).run(3).fingerprint, plan.run(3).fingerprint);
}

TEST(Plan, CrossedParametersTakeEveryLevelAtEverySampledPoint) {
  SweepSpec spec = two_by_two(2);
  spec.design = {.kind = DesignKind::LatinHypercube, .points = 6, .seed = 2};
  spec.parameters[0] = Parameter{.name = "r",
                                 .targets = {{.path = "r.z"}},
                                 .continuous = true,
                                 .min = 10,
                                 .max = 1000,
                                 .log = true,
                                 .origin = "here"};
  spec.parameters[1].crossed = true;
  const Plan plan(spec);
  ASSERT_EQ(plan.points(), 12);
  for (std::int64_t p = 0; p < 12; p += 2) {
    const PointValues here = plan.point(p), next = plan.point(p + 1);
    EXPECT_EQ(here.levels[0].number, next.levels[0].number);  // same sample
    EXPECT_EQ(here.levels[1].number, 1.0);
    EXPECT_EQ(next.levels[1].number, 2.0);
    EXPECT_GE(here.levels[0].number, 10.0);
    EXPECT_LE(here.levels[0].number, 1000.0);
  }
}

TEST(Plan, AGroupIsOneAxisOfTheDesign) {
  // Factorial: grouped parameters move level by level, so 2 x 2 x 2 becomes 2 x 2.
  SweepSpec spec = two_by_two(1);
  spec.parameters.push_back(discrete("c.z", {"5", "6"}));
  spec.parameters[0].group = spec.parameters[2].group = "together";
  const Plan grid(spec);
  ASSERT_EQ(grid.points(), 4);
  for (std::int64_t p = 0; p < 4; ++p) {
    const PointValues at = grid.point(p);
    EXPECT_EQ(at.levels[2].number, at.levels[0].number + 4) << p;
  }
  EXPECT_EQ(grid.axis_names(), (std::vector<std::string>{"together", "b.y"}));
  // Sampled: one unit value per group, each member mapped into its own range.
  spec.design = {.kind = DesignKind::LatinHypercube, .points = 8, .seed = 3};
  for (const std::string name : {"u", "v"}) {
    spec.parameters.push_back(Parameter{.name = name,
                                        .targets = {{.path = name + ".x"}},
                                        .group = "ranges",
                                        .continuous = true,
                                        .min = name == "u" ? 0.0 : 10.0,
                                        .max = name == "u" ? 1.0 : 30.0,
                                        .origin = "here"});
  }
  const Plan sampled(spec);
  ASSERT_EQ(sampled.points(), 8);
  for (std::int64_t p = 0; p < 8; ++p) {
    const PointValues at = sampled.point(p);
    EXPECT_NEAR(at.levels[4].number, 10.0 + 20.0 * at.levels[3].number, 1e-9) << p;
  }
  EXPECT_EQ(design_axes(spec, false).size(), 3u);  // together, b.y, ranges
}

TEST(Plan, OneParameterSetsSeveralPathsThroughTransforms) {
  Parameter p{.name = "enforcement",
              .targets = {{.path = "sanctions[0].enforcement"},
                          {.path = "sanctions[1].enforcement", .scale = 0.5, .offset = 0.1}},
              .continuous = true,
              .min = 0.2,
              .max = 0.8,
              .origin = "sweep.yaml:4:5 enforcement"};
  const Level level = level_at(p, 0.5);
  ASSERT_EQ(level.set.size(), 2u);
  EXPECT_EQ(level.set[0].assignment, "sanctions[0].enforcement=0.5");
  EXPECT_EQ(level.set[1].assignment, "sanctions[1].enforcement=0.35");
  EXPECT_EQ(level.set[1].origin, "sweep.yaml:4:5 enforcement (enforcement=0.5)");
}

// 10 values of each of 7 parameters: the documented maximum of 10^7 runs, planned from run
// numbers alone (the whole plan once took 1.2 KB a run: 12 GB).
TEST(Plan, TheDocumentedMaximumIsPlannedARunAtATime) {
  SweepSpec spec{.name = "max", .replicates = 1, .seed = 1};
  const std::vector<std::string> ten = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  for (const char* path : {"a", "b", "c", "d", "e", "f", "g"}) {
    spec.parameters.push_back(discrete(path, ten));
  }
  ASSERT_EQ(count_points(spec, kMaxSweepRuns), kMaxSweepRuns);
  EXPECT_EQ(count_points(spec, kMaxSweepRuns - 1), std::nullopt);
  const Plan plan(spec);
  ASSERT_EQ(plan.runs(), kMaxSweepRuns);
  const PlannedRun last = plan.run(kMaxSweepRuns - 1);
  EXPECT_EQ(last.label, "max a=9 b=9 c=9 d=9 e=9 f=9 g=9 replicate=0");
  EXPECT_EQ(last.file, "runs/run-9999999.h5");
  EXPECT_EQ(plan.run(1234567).label, "max a=1 b=2 c=3 d=4 e=5 f=6 g=7 replicate=0");
}

}  // namespace
}  // namespace aidflow::sweep
