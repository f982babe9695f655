#include "model/people/geography.hpp"

#include <gtest/gtest.h>

#include <numeric>

#include "model/model.hpp"
#include "tiny_scenario.hpp"

namespace aidflow::model {
namespace {

TEST(Geography, HouseholdsAreGroupedByDistrictWithAtLeastOneEach) {
  const ScenarioSpec spec = testing::leaky_scenario();
  const Model model(spec);
  const World& world = model.world();
  const Districts& d = world.districts;
  ASSERT_EQ(d.size(), 40u);
  EXPECT_EQ(world.households.size(), 2000u);
  std::uint32_t next = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    EXPECT_EQ(d.first_household[i], next);
    EXPECT_GE(d.household_count[i], 1u);
    for (std::uint32_t k = 0; k < d.household_count[i]; ++k) {
      EXPECT_EQ(world.households.district[next + k], i);
    }
    next += d.household_count[i];
  }
  EXPECT_EQ(next, world.households.size());
}

TEST(Geography, PopulationAddsUpToTheNationalTotal) {
  const ScenarioSpec spec = testing::leaky_scenario();
  const Model model(spec);
  const World& world = model.world();
  const double districts =
      std::accumulate(world.districts.population.begin(), world.districts.population.end(), 0.0);
  const double households =
      std::accumulate(world.households.people.begin(), world.households.people.end(), 0.0);
  EXPECT_NEAR(districts, spec.geography.population, 1e-6 * spec.geography.population);
  EXPECT_NEAR(households, spec.geography.population, 1e-6 * spec.geography.population);
}

TEST(Geography, InfluenceStaysAShareAndTracksTheNationalMean) {
  ScenarioSpec spec = testing::leaky_scenario();
  spec.geography.districts = 2000;
  spec.run.households = 2000;
  const Model model(spec);
  const World& world = model.world();
  const std::size_t factions = spec.factions.size();
  std::vector<double> mean(factions, 0.0);
  for (std::size_t i = 0; i < world.districts.size(); ++i) {
    double row = 0.0;
    for (std::size_t f = 0; f < factions; ++f) {
      const double x = world.districts.influence[i * factions + f];
      EXPECT_GE(x, 0.0);
      row += x;
      mean[f] += x / static_cast<double>(world.districts.size());
    }
    EXPECT_LE(row, 1.0 + 1e-12);
  }
  // Capping rows at one pulls means down a little; they stay within 15% of the target.
  for (std::size_t f = 0; f < factions; ++f) {
    EXPECT_NEAR(mean[f], spec.factions[f].influence, 0.15 * spec.factions[f].influence);
  }
}

TEST(Geography, HumanitarianOnlyMovesBudgetSupportToOtherChannelsProRata) {
  ScenarioSpec spec = testing::leaky_scenario();
  spec.policy.humanitarian_only = true;
  const Model model(spec);
  const World& world = model.world();
  // donor y: 0.2 un, 0.8 budget -> all to un
  EXPECT_DOUBLE_EQ(world.policy.channel_shares[2], 1.0);
  EXPECT_DOUBLE_EQ(world.policy.channel_shares[3], 0.0);
}

TEST(Geography, SameSeedSameCountryDifferentSeedDifferentCountry) {
  ScenarioSpec spec = testing::leaky_scenario();
  const Model a(spec), b(spec);
  EXPECT_EQ(a.world().districts.population, b.world().districts.population);
  EXPECT_EQ(a.world().households.need, b.world().households.need);
  spec.run.seed = 8;
  const Model c(spec);
  EXPECT_NE(a.world().districts.population, c.world().districts.population);
}

}  // namespace
}  // namespace aidflow::model
