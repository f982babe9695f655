// Hostages on small scenarios: holdings damp enforcement under concessions and not under no
// concessions; releases pay a ransom into the books under its own source or return prisoners as
// fighters, each an event; a taking rate gives about its mean; a concession paid raises the
// taking rate by payoff_response, remembered with its half-life, and nothing is paid under no
// concessions.
#include "model/armed/hostages.hpp"

#include <gtest/gtest.h>

#include "levers_scenario.hpp"
#include "model/model.hpp"

namespace aidflow::model {
namespace {

ScenarioSpec holding(int hostages, HostageRulesSpec rules) {
  ScenarioSpec spec = testing::patron_and_ally();
  spec.patrons.clear();
  spec.factions[0].fighters = 100;
  spec.factions[0].hostages.initial = hostages;
  spec.hostages = rules;
  return spec;
}

TEST(Hostages, HoldingsDampEnforcementUnlessThePolicyIsNoConcessions) {
  const HostageRulesSpec concessions{.damping_max = 0.6, .damping_half_hostages = 2.0};
  HostageRulesSpec refused = concessions;
  refused.policy = HostagePolicy::NoConcessions;
  Model conceding(holding(2, concessions)), refusing(holding(2, refused));
  EXPECT_DOUBLE_EQ(conceding.world().policy.enforcement_damping, 0.3) << "from the first step";
  conceding.simulation().run({.steps = 4, .threads = 1});
  refusing.simulation().run({.steps = 4, .threads = 1});
  EXPECT_EQ(conceding.world().factions.hostages[0], 2);
  EXPECT_EQ(refusing.world().factions.hostages[0], 2);
  EXPECT_DOUBLE_EQ(conceding.world().policy.enforcement_damping, 0.3);
  EXPECT_DOUBLE_EQ(refusing.world().policy.enforcement_damping, 0.0);
  EXPECT_DOUBLE_EQ(hostage_damping(concessions, 0.0), 0.0);
}

std::vector<Event> releases(const World& w) {
  std::vector<Event> out;
  for (const Event& e : w.events) {
    if (e.kind == EventKind::HostageReleased) out.push_back(e);
  }
  return out;
}

TEST(Hostages, ARansomIsCreditedUnderItsOwnSourceAndTheReleaseIsAnEvent) {
  Model model(holding(3, {.release_per_step = 1.0, .ransom_usd = 1e6, .prisoner_share = 0.0}));
  model.simulation().run({.steps = 1, .threads = 1});
  const World& w = model.world();
  const std::size_t s = w.factions.accounts.sources().size();
  const std::size_t ransom = w.source_of(OtherSource::Ransom);
  EXPECT_EQ(w.factions.accounts.sources()[ransom], "ransom");
  EXPECT_EQ(w.factions.accounts.total_credited()[0 * s + ransom], 300'000'000);
  EXPECT_EQ(w.factions.income[0 * kIncomeKinds + static_cast<std::size_t>(Income::Ransom)],
            300'000'000);
  EXPECT_EQ(w.factions.hostages[0], 0);
  EXPECT_DOUBLE_EQ(w.policy.enforcement_damping, 0.0);
  const auto released = releases(w);
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].faction, 0);
  EXPECT_EQ(released[0].hostages, 3);
  EXPECT_EQ(released[0].amount, 300'000'000);
  EXPECT_EQ(released[0].prisoners, 0);
}

TEST(Hostages, AnExchangeReturnsPrisonersAsFighters) {
  Model model(
      holding(2, {.release_per_step = 1.0, .prisoner_share = 1.0, .prisoners_per_exchange = 5.0}));
  model.simulation().run({.steps = 1, .threads = 1});
  const World& w = model.world();
  EXPECT_DOUBLE_EQ(w.factions.fighters[0], 110.0);
  const auto released = releases(w);
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].prisoners, 10);
  EXPECT_EQ(released[0].amount, 0);
}

// Hostages taken and released over a whole run, counted from every step's events by a phase
// that runs after the model's own.
struct HostageCounts {
  std::int64_t taken = 0, released = 0;
};

HostageCounts run_and_count(Model& model, int steps) {
  HostageCounts counts;
  model.simulation().add_phase({"count hostage events", [&](int) {
                                  for (const Event& e : model.world().events) {
                                    if (e.kind == EventKind::HostageTaken)
                                      counts.taken += e.hostages;
                                    if (e.kind == EventKind::HostageReleased) {
                                      counts.released += e.hostages;
                                    }
                                  }
                                }});
  model.simulation().run({.steps = steps, .threads = 1});
  return counts;
}

TEST(Hostages, NoConcessionsReleasesNobodyAndATakingRateGivesItsMean) {
  const HostageRulesSpec conceding{.release_per_step = 1.0};
  HostageRulesSpec refusing = conceding;
  refusing.policy = HostagePolicy::NoConcessions;
  ScenarioSpec spec = holding(0, refusing);
  spec.factions[0].hostages.take_per_step = 2.0;
  Model refused(spec);
  const HostageCounts none = run_and_count(refused, 50);
  EXPECT_EQ(none.released, 0);
  EXPECT_EQ(refused.world().factions.hostages[0], none.taken) << "every hostage taken is held";
  // Poisson(2) a week for 50 weeks: mean 100, sd 10.
  EXPECT_NEAR(static_cast<double>(none.taken), 100.0, 35.0);
  // The control: the same takings under concessions, where every hostage is released the week
  // after, so the release count is not zero by construction of the counter.
  spec.hostages = conceding;
  Model conceded(spec);
  const HostageCounts some = run_and_count(conceded, 50);
  EXPECT_GT(some.released, 50);
  EXPECT_EQ(some.taken, some.released + conceded.world().factions.hostages[0]);
}

TEST(Hostages, AConcessionPaidRaisesTheTakingRateAndTheMemoryFades) {
  HostageRulesSpec rules{.release_per_step = 1.0, .payoff_half_life_weeks = 1.0};
  ScenarioSpec spec = holding(2, rules);
  spec.factions[0].hostages.payoff_response = 0.5;
  Model first(spec), second(spec);
  first.simulation().run({.steps = 1, .threads = 1});
  EXPECT_DOUBLE_EQ(first.world().factions.hostage_payoff[0], 2.0) << "both released for a price";
  second.simulation().run({.steps = 2, .threads = 1});
  EXPECT_DOUBLE_EQ(second.world().factions.hostage_payoff[0], 1.0) << "halved a week on";
  rules.policy = HostagePolicy::NoConcessions;
  spec.hostages = rules;
  Model refused(spec);
  refused.simulation().run({.steps = 3, .threads = 1});
  EXPECT_DOUBLE_EQ(refused.world().factions.hostage_payoff[0], 0.0) << "nothing bought";
  EXPECT_EQ(refused.world().factions.hostages[0], 2) << "held: the cost of refusing";
}

TEST(Hostages, TheTakingRateRisesWithTheRememberedPayoff) {
  // No releases (release odds 0) keep the payoff constant: a group that remembers 2 releases,
  // with response 0.5, takes at twice its base rate.
  ScenarioSpec spec = holding(0, {.payoff_half_life_weeks = 1e9});
  spec.factions[0].hostages.take_per_step = 1.0;
  Model base(spec);
  const HostageCounts plain = run_and_count(base, 50);
  spec.factions[0].hostages.payoff_response = 0.5;
  Model encouraged(spec);
  encouraged.world().factions.hostage_payoff[0] = 2.0;
  const HostageCounts more = run_and_count(encouraged, 50);
  // Poisson(1) and Poisson(2) a week for 50 weeks: means 50 and 100, sd 7 and 10.
  EXPECT_NEAR(static_cast<double>(plain.taken), 50.0, 25.0);
  EXPECT_NEAR(static_cast<double>(more.taken), 100.0, 35.0);
}

}  // namespace
}  // namespace aidflow::model
