// Same seed, same bytes, for any thread count: the whole world state after a run is compared.
// Runs use explicit arenas, so counts above the machine's cores (3, 4, 7, 8 on a 2-core CI
// machine) really run that many workers, and TBB splits the districts differently for each.
#include <gtest/gtest.h>

#include <string>

#include "model/model.hpp"
#include "scenario/scenario_loader.hpp"
#include "workers.hpp"

namespace aidflow::model {
namespace {

struct Snapshot {
  std::vector<double> need;
  std::vector<Cents> aid, treasury, settled;
  std::vector<Displacement> displacement;
  std::vector<double> capture, fighters, influence, preparation;
  bool operator==(const Snapshot&) const = default;
};

// A scenario of the library at coarse resolution: in the status quo every mechanism (recruitment,
// transfers, attacks, hostages, returns, the 1988 freeze) acts; the counterfactual adds ministry
// capture of budget support, the policy scenarios suspensions, a coalition, sanctions on edges
// and security aid.
Snapshot run_with(const std::string& scenario, int threads, const std::string& extra = "") {
  std::vector<scenario::Override> overrides = {"run.households=3000", "run.steps=60",
                                               "households.displacement_per_week=0.05"};
  if (!extra.empty()) overrides.push_back(extra);
  const ScenarioSpec spec = scenario::load_scenario(
      AIDFLOW_SOURCE_DIR "/scenarios/" + scenario + ".yaml", {.overrides = overrides});
  Model model(spec);
  testing::with_workers(
      threads, [&] { model.simulation().run({.steps = spec.run.steps, .threads = threads}); });
  const World& w = model.world();
  return {w.households.need,        w.households.aid_received, w.factions.accounts.held(),
          w.ledger.total_settled(), w.households.displacement, w.ministries.capture_rate,
          w.factions.fighters,      w.districts.influence,     w.factions.preparation};
}

TEST(Determinism, WorldStateIsBitwiseIdenticalForAnyThreadCount) {
  for (const std::string scenario : {"status_quo", "budget_support", "conditionality_envoy",
                                     "sanctions_multilateral", "counter_isis_aid"}) {
    const Snapshot one = run_with(scenario, 1);
    for (int threads : testing::kWorkerCounts) {
      EXPECT_TRUE(run_with(scenario, threads) == one)
          << scenario << ": " << threads << " threads differ from 1";
    }
  }
}

// The control: the snapshot sees a change of seed in every part it compares, so equality above
// is not equality of things that never move.
TEST(Determinism, SnapshotSeesAnotherSeed) {
  const Snapshot one = run_with("status_quo", 1);
  const Snapshot other = run_with("status_quo", 1, "run.seed=99");
  EXPECT_NE(one.need, other.need);
  EXPECT_NE(one.aid, other.aid);
  EXPECT_NE(one.treasury, other.treasury);
  EXPECT_NE(one.displacement, other.displacement);
  EXPECT_NE(one.fighters, other.fighters);
  EXPECT_NE(one.influence, other.influence);
  EXPECT_NE(one.preparation, other.preparation);
}

}  // namespace
}  // namespace aidflow::model
