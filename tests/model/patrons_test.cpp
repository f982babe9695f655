// Patron support, Pakistan pressure and the coalition on small scenarios with closed-form answers:
// patron money arrives under its own source and keeps it through transfers; a state's support is
// its choice, strategic depth against its reasons to cut (pressure once it stops hedging, the
// coalition's commitment while a member), closing its share of the gap each week, and pressure
// fails against a state that values its proxies more; the envoy brings a state into the
// coalition at a review, which raises sanction coverage.
#include <gtest/gtest.h>

#include "levers_scenario.hpp"
#include "model/model.hpp"

namespace aidflow::model {
namespace {

constexpr Cents kWeekly = 100'000'000;  // $1M a week in cents

// Each step's patron income of faction a.
struct PatronIncome : engine::Recorder {
  const World& w;
  std::vector<Cents> weekly;
  explicit PatronIncome(const World& world) : w(world) {}
  void record(int) override {
    weekly.push_back(
        w.factions.income[0 * kIncomeKinds + static_cast<std::size_t>(Income::Patron)]);
  }
};

TEST(Patrons, SupportArrivesUnderThePatronsOwnSourceAndKeepsItThroughTransfers) {
  Model model(testing::patron_and_ally());
  model.simulation().run({.steps = 10, .threads = 2});
  const World& w = model.world();
  const engine::ProvenanceAccounts& a = w.factions.accounts;
  const std::size_t s = a.sources().size(), isi = w.source_of_patron(0);
  EXPECT_EQ(a.sources()[isi], "patron:isi");
  EXPECT_EQ(isi, w.spec.donors.size() + kOtherSources) << "donors first, then other sources";
  EXPECT_EQ(a.total_credited()[0 * s + isi], 10 * kWeekly);
  EXPECT_EQ(w.patrons.paid[0], kWeekly);
  // Half of every week's income goes to b, and it is all ISI money.
  EXPECT_EQ(a.held()[1 * s + isi], 5 * kWeekly);
  EXPECT_EQ(a.balance(1), 5 * kWeekly);
}

// The ISI values the Haqqanis at 1 (strategic depth) and moves half-way a week.
ScenarioSpec choosing_patron() {
  ScenarioSpec spec = testing::patron_and_ally();
  spec.patrons[0].chooses_support = true;
  spec.patrons[0].strategic_depth = 1.0;
  spec.patrons[0].adjustment_per_week = 0.5;
  return spec;
}

std::vector<Cents> weekly_patron_income(const ScenarioSpec& spec, int steps) {
  Model model(spec);
  PatronIncome income(model.world());
  model.simulation().add_recorder(income);
  model.simulation().run({.steps = steps, .threads = 1});
  return income.weekly;
}

TEST(Patrons, PressureWaitsItsDelayThenTheStateKeepsDepthOverReasonsClosingItsShareEachWeek) {
  ScenarioSpec spec = choosing_patron();
  spec.pakistan_pressure = {
      .enabled = true, .patron = 0, .start_step = 2, .strength = 2.0, .delay_weeks = 3};
  Model model(spec);
  PatronIncome income(model.world());
  model.simulation().add_recorder(income);
  model.simulation().run({.steps = 8, .threads = 1});
  for (int t = 0; t < 5; ++t) EXPECT_EQ(income.weekly[static_cast<std::size_t>(t)], kWeekly);
  // From step 5 it keeps depth / cost = 1/2: the level goes 1 -> 0.75 -> 0.625 -> 0.5625.
  EXPECT_EQ(income.weekly[5], kWeekly * 3 / 4);
  EXPECT_EQ(income.weekly[6], kWeekly * 5 / 8);
  EXPECT_EQ(income.weekly[7], kWeekly * 9 / 16);
  EXPECT_DOUBLE_EQ(model.world().patrons.support_level[0], 0.5625);
}

TEST(Patrons, PressureFailsAgainstAStateThatValuesItsProxiesMoreThanThePressureCosts) {
  ScenarioSpec spec = choosing_patron();
  spec.patrons[0].strategic_depth = 2.5;
  spec.pakistan_pressure = {
      .enabled = true, .patron = 0, .start_step = 0, .strength = 2.0, .delay_weeks = 0};
  for (Cents paid : weekly_patron_income(spec, 6)) EXPECT_EQ(paid, kWeekly);
  spec.patrons[0].chooses_support = false;  // a schedule: pays as told whatever the pressure
  spec.patrons[0].strategic_depth = 0.0;
  for (Cents paid : weekly_patron_income(spec, 6)) EXPECT_EQ(paid, kWeekly);
}

TEST(Patrons, JoiningTheCoalitionLowersTheStatesOwnSupportToItsProxies) {
  ScenarioSpec spec = choosing_patron();
  spec.coalition.commitment = 4.0;  // kept: 1/4
  spec.coalition.members = {0};
  spec.coalition.leave_threshold = -10.0;
  const std::vector<Cents> member = weekly_patron_income(spec, 3);
  EXPECT_EQ(member[0], kWeekly * 5 / 8) << "1 -> 1 + (1/4 - 1) / 2";
  spec.coalition.members = {};
  for (Cents paid : weekly_patron_income(spec, 3)) EXPECT_EQ(paid, kWeekly) << "outside it";
}

std::vector<Event> coalition_events(const World& w) {
  std::vector<Event> out;
  for (const Event& e : w.events) {
    if (e.kind == EventKind::CoalitionJoined || e.kind == EventKind::CoalitionLeft)
      out.push_back(e);
  }
  return out;
}

struct Changes : engine::Recorder {
  const World& w;
  std::vector<Event> events;
  explicit Changes(const World& world) : w(world) {}
  void record(int) override {
    for (const Event& e : coalition_events(w)) events.push_back(e);
  }
};

TEST(Coalition, TheEnvoyBringsAStateInAtAReviewAndCoverageRises) {
  ScenarioSpec spec = testing::patron_and_ally();
  spec.patrons[0].base_willingness = 0.5;
  spec.coalition.review_weeks = 4;
  spec.coalition.envoy = {.enabled = true, .start_step = 0, .effect = 0.6, .ramp_weeks = 0};
  Model model(spec);
  Changes changes(model.world());
  model.simulation().add_recorder(changes);
  model.simulation().run({.steps = 6, .threads = 1});
  ASSERT_EQ(changes.events.size(), 1u);
  EXPECT_EQ(changes.events[0].kind, EventKind::CoalitionJoined);
  EXPECT_EQ(changes.events[0].state, 0);
  EXPECT_EQ(changes.events[0].step, 4) << "the first review";
  EXPECT_DOUBLE_EQ(model.world().policy.sanction_coverage, 0.2 + 0.5);
  EXPECT_DOUBLE_EQ(model.world().policy.coalition_credibility, 1.0) << "every state is in";
}

TEST(Coalition, WithoutTheEnvoyTheStateStaysOutAndAMemberBelowTheLeaveThresholdLeaves) {
  ScenarioSpec spec = testing::patron_and_ally();
  spec.patrons[0].base_willingness = 0.5;  // under join_threshold (1.0), not under leave (0.5)
  spec.coalition.review_weeks = 4;
  Model alone(spec);
  alone.simulation().run({.steps = 6, .threads = 1});
  EXPECT_EQ(alone.world().coalition.member[0], 0);
  EXPECT_DOUBLE_EQ(alone.world().policy.sanction_coverage, 0.2);

  spec.patrons[0].base_willingness = 0.4;
  spec.coalition.members = {0};
  Model leaving(spec);
  Changes changes(leaving.world());
  leaving.simulation().add_recorder(changes);
  leaving.simulation().run({.steps = 6, .threads = 1});
  ASSERT_EQ(changes.events.size(), 2u);
  EXPECT_EQ(changes.events[0].kind, EventKind::CoalitionJoined);  // a founding member, on record
  EXPECT_EQ(changes.events[0].step, 0);
  EXPECT_EQ(changes.events[1].kind, EventKind::CoalitionLeft);
  EXPECT_EQ(changes.events[1].step, 4);
}

}  // namespace
}  // namespace aidflow::model
