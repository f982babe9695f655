// Targeted sanctions on small scenarios with closed-form answers: the blocked share of an alliance
// transfer is frozen out of the payer's accounts (the books balance, provenance kept); fronts
// erode enforcement exponentially; a treasury sanction freezes a weekly share of cash; hostage
// leverage damps the cut.
#include "model/policy/sanctions.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "levers_scenario.hpp"
#include "model/model.hpp"

namespace aidflow::model {
namespace {

constexpr Cents kWeekly = 100'000'000;  // a's income: $1M a week
constexpr auto kFrozen = static_cast<std::size_t>(Spending::FrozenBySanctions);

// The a -> b edge sanctioned at enforcement 0.5, with full coverage: half of each transfer stops.
ScenarioSpec sanctioned_edge() {
  ScenarioSpec spec = testing::patron_and_ally();
  spec.coalition.lead_coverage = 1.0;
  spec.sanctions = {{.target = SanctionTarget::Edge, .from = 0, .to = 1, .enforcement = 0.5}};
  return spec;
}

TEST(Sanctions, TheBlockedShareOfATransferIsFrozenAndTheBooksBalance) {
  Model model(sanctioned_edge());
  model.simulation().run({.steps = 4, .threads = 2});  // every step's books are checked
  const World& w = model.world();
  const engine::ProvenanceAccounts& a = w.factions.accounts;
  const std::size_t s = a.sources().size(), uses = a.uses().size(), isi = w.source_of_patron(0);
  // Each week: income 1M, promised 0.5M, of which 0.25M frozen and 0.25M paid.
  EXPECT_EQ(a.total_spent()[(0 * uses + kFrozen) * s + isi], 4 * kWeekly / 4);
  EXPECT_EQ(a.balance(1), 4 * kWeekly / 4);
  EXPECT_EQ(a.balance(0), 4 * kWeekly / 2);
  EXPECT_EQ(w.sanctions.frozen[0], kWeekly / 4);
  EXPECT_EQ(a.uses()[kFrozen], "frozen_by_sanctions");
  EXPECT_EQ(w.factions.income[1 * kIncomeKinds + static_cast<std::size_t>(Income::TransfersIn)],
            kWeekly / 4);
}

TEST(Sanctions, FrontsErodeEnforcementOverTime) {
  ScenarioSpec spec = sanctioned_edge();
  spec.sanctions[0].evasion_per_step = 0.1;
  spec.sanctions[0].start_step = 2;
  Model model(spec);
  std::vector<double> cuts;
  struct Cuts : engine::Recorder {
    const World& w;
    std::vector<double>& out;
    Cuts(const World& world, std::vector<double>& o) : w(world), out(o) {}
    void record(int) override { out.push_back(w.sanctions.effective[0]); }
  } record(model.world(), cuts);
  model.simulation().add_recorder(record);
  model.simulation().run({.steps = 12, .threads = 1});
  EXPECT_EQ(cuts[0], 0.0) << "not in force before its start";
  EXPECT_EQ(cuts[1], 0.0);
  for (int t = 2; t < 12; ++t) {
    EXPECT_NEAR(cuts[static_cast<std::size_t>(t)], 0.5 * std::exp(-0.1 * (t - 2)), 1e-12);
  }
  EXPECT_NEAR(evasion(spec.sanctions[0], 10), 1.0 - std::exp(-1.0), 1e-12);
}

TEST(Sanctions, AStartIsAnEventNamingTheTarget) {
  ScenarioSpec spec = sanctioned_edge();
  spec.sanctions[0].start_step = 3;
  Model model(spec);
  std::vector<Event> started;
  struct Starts : engine::Recorder {
    const World& w;
    std::vector<Event>& out;
    Starts(const World& world, std::vector<Event>& o) : w(world), out(o) {}
    void record(int) override {
      for (const Event& e : w.events) {
        if (e.kind == EventKind::SanctionStarted) out.push_back(e);
      }
    }
  } record(model.world(), started);
  model.simulation().add_recorder(record);
  model.simulation().run({.steps = 6, .threads = 1});
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0].step, 3);
  EXPECT_EQ(started[0].sanction, 0);
  EXPECT_EQ(started[0].faction, 0);
  EXPECT_EQ(sanction_labels(spec), std::vector<std::string>{"a->b"});
}

TEST(Sanctions, ATreasurySanctionFreezesAWeeklyShareOfCash) {
  ScenarioSpec spec = testing::patron_and_ally();
  spec.patrons.clear();
  spec.factions[1].treasury_usd = 1e6;
  spec.coalition.lead_coverage = 1.0;
  spec.sanctions = {{.target = SanctionTarget::Treasury,
                     .faction = 1,
                     .enforcement = 1.0,
                     .freeze_per_step = 0.1}};
  Model model(spec);
  model.simulation().run({.steps = 3, .threads = 1});
  const engine::ProvenanceAccounts& a = model.world().factions.accounts;
  EXPECT_NEAR(static_cast<double>(a.balance(1)), 1e8 * 0.9 * 0.9 * 0.9, 2.0);
  const std::size_t s = a.sources().size(), uses = a.uses().size();
  const std::size_t initial = model.world().source_of(OtherSource::InitialFunds);
  EXPECT_EQ(a.total_spent()[(1 * uses + kFrozen) * s + initial], 100'000'000 - a.balance(1));
  EXPECT_EQ(sanction_labels(spec), std::vector<std::string>{"treasury:b"});
}

TEST(Sanctions, HostageLeverageDampsTheCut) {
  ScenarioSpec spec = sanctioned_edge();
  spec.factions[0].hostages.initial = 1;
  spec.hostages = {.damping_max = 0.5, .damping_half_hostages = 1.0};  // damping 0.25
  Model model(spec);
  model.simulation().run({.steps = 2, .threads = 1});
  EXPECT_DOUBLE_EQ(model.world().policy.enforcement_damping, 0.25);
  EXPECT_DOUBLE_EQ(model.world().sanctions.effective[0], 0.5 * 0.75);
}

}  // namespace
}  // namespace aidflow::model
