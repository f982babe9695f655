// Sampling designs and the plan made of them: counts, strata, matrix shapes, trajectories, and
// the common random numbers of replicates.
#include "sweep/design.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "sweep/plan.hpp"

namespace aidflow::sweep {
namespace {

TEST(Design, FullFactorialHasEveryCombinationOnce) {
  const auto rows = full_factorial({2, 3, 4});
  EXPECT_EQ(rows.size(), 24u);
  EXPECT_EQ(std::set<std::vector<int>>(rows.begin(), rows.end()).size(), 24u);
  EXPECT_EQ(rows.front(), (std::vector<int>{0, 0, 0}));
  EXPECT_EQ(rows[1], (std::vector<int>{0, 0, 1}));  // the last varies fastest
}

TEST(Design, LatinHypercubeHasOnePointInEveryStratumOfEveryParameter) {
  const int n = 37, k = 5;
  const UnitMatrix points = latin_hypercube(n, k, 9);
  ASSERT_EQ(points.size(), 37u);
  for (int j = 0; j < k; ++j) {
    std::set<int> strata;
    for (const auto& p : points) strata.insert(static_cast<int>(std::floor(p[j] * n)));
    EXPECT_EQ(strata.size(), 37u) << "parameter " << j;
  }
  EXPECT_EQ(latin_hypercube(n, k, 9), points);  // a pure function of the seed
  EXPECT_NE(latin_hypercube(n, k, 10), points);
}

TEST(Design, SobolPointsFillEveryDyadicIntervalOncePerDimension) {
  // Points 0..2^m - 1 of every dimension hit each interval [i/2^m, (i+1)/2^m) once; point 0 (all
  // zeros) is left out, so take 2^m - 1 points and expect every interval but the first.
  const int m = 6, n = (1 << m) - 1;
  const UnitMatrix points = sobol_points(n, kSobolDimensions);
  for (int d = 0; d < kSobolDimensions; ++d) {
    std::set<int> cells;
    for (const auto& p : points) cells.insert(static_cast<int>(p[d] * (1 << m)));
    EXPECT_EQ(cells.size(), static_cast<std::size_t>(n)) << "dimension " << d;
    EXPECT_EQ(cells.count(0), 0u);
  }
  EXPECT_EQ(points[0][0], 0.5);
  EXPECT_THROW(sobol_points(4, kSobolDimensions + 1), std::invalid_argument);
}

TEST(Design, SaltelliHasNTimesKPlusTwoRowsInBlocks) {
  const int n = 8, k = 3;
  const Saltelli s = saltelli(n, k);
  ASSERT_EQ(s.points.size(), static_cast<std::size_t>(n * (k + 2)));
  for (int j = 0; j < n; ++j) {
    const auto& a = s.points[j * (k + 2)];
    const auto& b = s.points[j * (k + 2) + k + 1];
    EXPECT_EQ(s.block[j * (k + 2)], 0);
    EXPECT_EQ(s.block[j * (k + 2) + k + 1], k + 1);
    for (int i = 0; i < k; ++i) {
      const auto& ab = s.points[j * (k + 2) + 1 + i];
      EXPECT_EQ(s.sample[j * (k + 2) + 1 + i], j);
      for (int c = 0; c < k; ++c) EXPECT_EQ(ab[c], c == i ? b[c] : a[c]);  // A with column i of B
    }
  }
}

TEST(Design, MorrisTrajectoriesMoveOneParameterByDeltaPerStep) {
  const int r = 6, k = 4, levels = 4;
  const Morris m = morris(r, k, levels, 3);
  ASSERT_EQ(m.points.size(), static_cast<std::size_t>(r * (k + 1)));
  EXPECT_DOUBLE_EQ(m.delta, 2.0 / 3.0);
  for (int t = 0; t < r; ++t) {
    std::set<int> moved;
    for (int s = 1; s <= k; ++s) {
      const auto& before = m.points[t * (k + 1) + s - 1];
      const auto& after = m.points[t * (k + 1) + s];
      int changed = 0;
      for (int c = 0; c < k; ++c) {
        if (after[c] == before[c]) continue;
        ++changed;
        moved.insert(c);
        EXPECT_NEAR(after[c] - before[c], m.delta, 1e-12);
        EXPECT_LE(after[c], 1.0 + 1e-12);
      }
      EXPECT_EQ(changed, 1);
      EXPECT_EQ(m.trajectory[t * (k + 1) + s], t);
    }
    EXPECT_EQ(moved.size(), static_cast<std::size_t>(k));  // each parameter once
  }
}

SweepSpec two_by_two(int replicates) {
  SweepSpec spec{.name = "t", .replicates = replicates, .seed = 40};
  for (const char* path : {"a.x", "b.y"}) {
    Parameter p{.name = path, .path = path};
    for (const char* v : {"1", "2"}) {
      p.levels.push_back({.label = v,
                          .set = {std::string(path) + "=" + v},
                          .numeric = true,
                          .number = std::stod(v)});
    }
    spec.parameters.push_back(p);
  }
  return spec;
}

TEST(Plan, ReplicatesShareTheirSeedAcrossPoints) {
  const Plan plan = make_plan(two_by_two(5));
  ASSERT_EQ(plan.points, 4);
  ASSERT_EQ(plan.runs.size(), 20u);
  for (const PlannedRun& run : plan.runs) {
    EXPECT_EQ(run.run, run.point * 5 + run.replicate);
    EXPECT_EQ(run.seed, 40u + static_cast<std::uint64_t>(run.replicate));
    EXPECT_EQ(run.overrides.back().assignment, "run.seed=" + std::to_string(run.seed));
    EXPECT_EQ(run.file, run_file(run.run));
  }
  EXPECT_EQ(plan.runs[7].overrides[0].assignment, "a.x=1");
  EXPECT_EQ(plan.runs[7].overrides[1].assignment, "b.y=2");
  EXPECT_EQ(plan.columns[0].numbers, (std::vector<double>{1, 1, 2, 2}));
}

TEST(Plan, CrossedParametersTakeEveryLevelAtEverySampledPoint) {
  SweepSpec spec = two_by_two(2);
  spec.design = {.kind = DesignKind::LatinHypercube, .points = 6, .seed = 2};
  spec.parameters[0] = Parameter{.name = "r",
                                 .path = "r.z",
                                 .continuous = true,
                                 .min = 10,
                                 .max = 1000,
                                 .log = true,
                                 .origin = "here"};
  spec.parameters[1].crossed = true;
  const Plan plan = make_plan(spec);
  ASSERT_EQ(plan.points, 12);
  for (std::size_t p = 0; p < 12; p += 2) {
    EXPECT_EQ(plan.columns[0].numbers[p], plan.columns[0].numbers[p + 1]);  // same sample
    EXPECT_EQ(plan.columns[1].numbers[p], 1.0);
    EXPECT_EQ(plan.columns[1].numbers[p + 1], 2.0);
    EXPECT_GE(plan.columns[0].numbers[p], 10.0);
    EXPECT_LE(plan.columns[0].numbers[p], 1000.0);
  }
}

}  // namespace
}  // namespace aidflow::sweep
