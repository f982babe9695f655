// Patron support, Pakistan pressure and the coalition on small scenarios with closed-form answers:
// patron money arrives under its own source and keeps it through transfers; pressure waits its
// delay, then closes its share of the gap each week; the envoy brings a state into the coalition
// at a review, which raises sanction coverage.
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

TEST(Patrons, PressureWaitsItsDelayThenClosesItsShareOfTheGapEachWeek) {
  ScenarioSpec spec = testing::patron_and_ally();
  spec.pakistan_pressure = {.enabled = true,
                            .patron = 0,
                            .start_step = 2,
                            .strength = 0.5,
                            .delay_weeks = 3,
                            .adjustment_per_week = 0.5};
  Model model(spec);
  PatronIncome income(model.world());
  model.simulation().add_recorder(income);
  model.simulation().run({.steps = 8, .threads = 1});
  for (int t = 0; t < 5; ++t) EXPECT_EQ(income.weekly[static_cast<std::size_t>(t)], kWeekly);
  // From step 5 the level goes 1 -> 0.75 -> 0.625 -> 0.5625, toward 0.5.
  EXPECT_EQ(income.weekly[5], kWeekly * 3 / 4);
  EXPECT_EQ(income.weekly[6], kWeekly * 5 / 8);
  EXPECT_EQ(income.weekly[7], kWeekly * 9 / 16);
  EXPECT_DOUBLE_EQ(model.world().patrons.support_level[0], 0.5625);
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
