// Influence follows local strength and patronage (docs/MODEL.md phase 6): recruits count where
// they were recruited, so a district that gives a group its recruits moves toward it; and the aid a
// group steers to its own through beneficiary lists buys loyalty that raises its influence there.
// Each in closed form, with a control that removes the cause.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "model/armed/balance.hpp"
#include "model/model.hpp"
#include "tiny_scenario.hpp"

namespace aidflow::model {
namespace {

// Two groups with fighters, influence jumping to its target in one step, nothing lost.
ScenarioSpec two_armed_groups() {
  ScenarioSpec spec = testing::leaky_scenario();
  for (auto& f : spec.factions) f.fighters = 1000;
  spec.armed_groups.attrition_per_step = 0.0;
  spec.armed_groups.influence_adjust_per_step = 1.0;
  return spec;
}

// The first district where both groups are present.
std::size_t contested_district(const World& w) {
  const std::size_t k = w.faction_count();
  for (std::size_t i = 0; i < w.districts.size(); ++i) {
    if (w.districts.influence[i * k] > 0.0 && w.districts.influence[i * k + 1] > 0.0) return i;
  }
  ADD_FAILURE() << "no district holds both groups";
  return 0;
}

double column_sum(const std::vector<double>& cells, std::size_t factions, std::size_t f) {
  double sum = 0.0;
  for (std::size_t i = f; i < cells.size(); i += factions) sum += cells[i];
  return sum;
}

TEST(Influence, AtTheStartEachGroupsFightersAreWhereItsPresenceIs) {
  Model model(two_armed_groups());
  const Districts& d = model.world().districts;
  for (std::size_t f = 0; f < 2; ++f) {
    EXPECT_NEAR(column_sum(d.fighters, 2, f), 1000.0, 1e-9);
    EXPECT_NEAR(column_sum(d.presence, 2, f), 1.0, 1e-12);
  }
  const std::size_t j = contested_district(model.world());
  EXPECT_DOUBLE_EQ(d.fighters[j * 2], 1000.0 * d.presence[j * 2]);
}

TEST(Influence, RecruitsMoveInfluenceTowardTheDistrictThatGaveThem) {
  Model model(two_armed_groups());
  World& w = model.world();
  const std::size_t j = contested_district(w);
  const double local = w.districts.fighters[j * 2], share = w.districts.presence[j * 2];
  const std::vector<double> before = w.districts.influence;
  w.districts.recruits[j * 2] = 500;  // district j alone gives group 0 its recruits
  w.factions.fighters[0] += 500;
  shift_influence(w);
  EXPECT_NEAR(w.districts.fighters[j * 2], local + 500.0, 1e-9);
  EXPECT_NEAR(column_sum(w.districts.fighters, 2, 0), 1500.0, 1e-9);
  // District j's pull for group 0 grows by its local ratio; the row keeps its total.
  const double pull0 = before[j * 2] * (local + 500.0 + share) / (local + share);
  const double total = before[j * 2] + before[j * 2 + 1];
  EXPECT_NEAR(w.districts.influence[j * 2], pull0 * total / (pull0 + before[j * 2 + 1]), 1e-12);
  // Elsewhere nothing changed locally, so nothing moves.
  for (std::size_t i = 0; i < w.districts.size(); ++i) {
    if (i == j) continue;
    EXPECT_NEAR(w.districts.influence[i * 2], before[i * 2], 1e-12) << "district " << i;
  }
}

// The control: the same 500 recruits spread like the group's presence raise its fighters
// everywhere alike, and the local ratios, all equal, move no district toward it.
TEST(Influence, RecruitsSpreadLikeThePresenceMoveNoDistrict) {
  Model model(two_armed_groups());
  World& w = model.world();
  const std::vector<double> before = w.districts.influence;
  w.factions.fighters[1] += 500;  // group 1 grows...
  w.factions.fighters[0] += 500;  // ...as much as group 0, from every district alike
  for (std::size_t i = 0; i < w.districts.size(); ++i) {
    w.districts.fighters[i * 2] += 500.0 * w.districts.presence[i * 2];
    w.districts.fighters[i * 2 + 1] += 500.0 * w.districts.presence[i * 2 + 1];
  }
  shift_influence(w);
  double largest = 0.0;
  for (std::size_t c = 0; c < before.size(); ++c) {
    largest = std::max(largest, std::abs(w.districts.influence[c] - before[c]));
  }
  // Equal growth from 1000 to 1500 with one fighter's share added: ratios (1500 + s) / (1000 + s)
  // differ only by s between districts, so rows barely move.
  EXPECT_LT(largest, 1e-3);
}

struct PatronageRun {
  std::vector<double> influence, patronage;  // at the end
  std::vector<double> first_patronage;
  std::vector<Cents> first_list_aid;
};

PatronageRun run_with_patronage(double per_usd, double list_manipulation_scale, int steps) {
  ScenarioSpec spec = testing::leaky_scenario();
  spec.armed_groups.patronage_influence_per_usd = per_usd;
  for (auto& f : spec.factions) f.list_manipulation *= list_manipulation_scale;
  Model model(spec);
  PatronageRun out;
  struct FirstListAid : engine::Recorder {
    const World& w;
    PatronageRun& out;
    FirstListAid(const World& world, PatronageRun& o) : w(world), out(o) {}
    void record(int step) override {
      if (step != 0) return;
      out.first_list_aid = w.districts.list_aid;
      out.first_patronage = w.districts.patronage;
    }
  } record(model.world(), out);
  model.simulation().add_recorder(record);
  model.simulation().run({.steps = steps, .threads = 1});
  out.influence = model.world().districts.influence;
  out.patronage = model.world().districts.patronage;
  return out;
}

TEST(Influence, LoyaltyBoughtIsTheListAidPerPersonOfTheDistrict) {
  const PatronageRun one = run_with_patronage(0.01, 1.0, 1);
  Model model(testing::leaky_scenario());
  const Districts& d = model.world().districts;
  Cents steered = 0;
  for (std::size_t c = 0; c < one.first_patronage.size(); ++c) {
    const double people = d.population[c / 2];
    EXPECT_DOUBLE_EQ(one.first_patronage[c], engine::cents_to_usd(one.first_list_aid[c]) / people);
    steered += one.first_list_aid[c];
  }
  EXPECT_GT(steered, 0) << "the lists steered nothing: the test measures nothing";
}

// Where group a has bought more loyalty per person than b, patronage moves the district toward a,
// and where less, toward b (each district against the same run without patronage: same seed, so
// the same draws). Knock-outs: no lists leave influence exactly where it is without patronage.
TEST(Influence, BeneficiaryListsBuyInfluenceForTheGroupThatSteersThem) {
  const PatronageRun with = run_with_patronage(0.01, 1.0, 26);
  const PatronageRun without = run_with_patronage(0.0, 1.0, 26);
  int toward_a = 0, toward_b = 0, as_predicted = 0, districts = 0;
  for (std::size_t i = 0; i < with.influence.size() / 2; ++i) {
    const double gain = with.influence[2 * i] - without.influence[2 * i];
    const bool a_bought_more = with.patronage[2 * i] > with.patronage[2 * i + 1];
    (gain > 0.0 ? toward_a : toward_b) += 1;
    as_predicted += (gain > 0.0) == a_bought_more ? 1 : 0;
    ++districts;
  }
  EXPECT_GT(toward_a, 0);
  EXPECT_GT(toward_b, 0) << "b too gains where it bought more";
  EXPECT_GE(as_predicted, districts * 9 / 10) << as_predicted << " of " << districts;
  const PatronageRun no_lists = run_with_patronage(0.01, 0.0, 26);
  const PatronageRun no_lists_control = run_with_patronage(0.0, 0.0, 26);
  EXPECT_EQ(no_lists.influence, no_lists_control.influence);
  EXPECT_EQ(std::accumulate(no_lists.patronage.begin(), no_lists.patronage.end(), 0.0), 0.0);
}

}  // namespace
}  // namespace aidflow::model
