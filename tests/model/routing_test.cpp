#include <gtest/gtest.h>

#include <numeric>

#include "model/model.hpp"
#include "tiny_scenario.hpp"

namespace aidflow::model {
namespace {

Cents total(const std::vector<Cents>& v) {
  return std::accumulate(v.begin(), v.end(), Cents{0});
}

// Cumulative cents in `sink` summed over every (donor, channel) row.
Cents in_sink(const World& world, std::size_t sink) {
  const std::size_t sinks = world.ledger.sinks().size();
  Cents sum = 0;
  for (std::size_t i = sink; i < world.ledger.total_settled().size(); i += sinks) {
    sum += world.ledger.total_settled()[i];
  }
  return sum;
}

Cents treasuries(const World& world) {
  Cents sum = 0;
  for (std::size_t f = 0; f < world.faction_count(); ++f) sum += world.factions.accounts.balance(f);
  return sum;
}

TEST(Routing, AChannelThatLeaksNothingDeliversEveryCent) {
  Model model(testing::pass_through_scenario());
  model.simulation().run({.steps = 52, .threads = 2});
  const World& world = model.world();
  const Cents budget = engine::usd_to_cents(52e6);
  EXPECT_EQ(total(world.ledger.total_disbursed()), budget) << "52 weeks pay the yearly budget";
  EXPECT_EQ(in_sink(world, SinkLayout::delivered()), budget);
  EXPECT_EQ(in_sink(world, SinkLayout::overhead()), 0);
  EXPECT_EQ(treasuries(world), 0);
}

TEST(Routing, WeeklyAmountsSpreadTheYearExactly) {
  ScenarioSpec spec = testing::pass_through_scenario();
  spec.donors[0].budget_usd_per_year = 1000.03;  // 100003 cents, not divisible by 52
  Model model(spec);
  model.simulation().run({.steps = 52, .threads = 1});
  EXPECT_EQ(total(model.world().ledger.total_disbursed()), 100003);
}

TEST(Routing, OverheadIsItsShareAndIsNotDiversion) {
  ScenarioSpec spec = testing::pass_through_scenario();
  spec.channels[0].overhead = 0.1;
  Model model(spec);
  model.simulation().run({.steps = 52, .threads = 2});
  const Cents budget = engine::usd_to_cents(52e6);
  EXPECT_NEAR(static_cast<double>(in_sink(model.world(), SinkLayout::overhead())), 0.1 * budget,
              52.0);
  EXPECT_EQ(treasuries(model.world()), 0);
}

TEST(Routing, FullCaptureAtAFullyExposedMinistryGoesToItsController) {
  ScenarioSpec spec = testing::pass_through_scenario();
  spec.channels[0].ministry_exposure = 1.0;
  spec.ministries[0].capture_rate = 1.0;
  spec.policy.monitoring.third_party = 0.0;
  Model model(spec);
  model.simulation().run({.steps = 4, .threads = 2});
  const World& world = model.world();
  EXPECT_EQ(in_sink(world, world.sinks.diverted(0, Mechanism::MinistryCapture)),
            total(world.ledger.total_disbursed()));
  EXPECT_EQ(world.factions.accounts.balance(0), total(world.ledger.total_disbursed()));
}

TEST(Routing, MonitoringCutsCaptureByItsEffect) {
  ScenarioSpec spec = testing::pass_through_scenario();
  spec.channels[0].ministry_exposure = 1.0;
  spec.ministries[0].capture_rate = 0.5;
  spec.policy.monitoring = {.third_party = 1.0, .effect = 0.6, .cost_share = 0.0};
  Model model(spec);
  model.simulation().run({.steps = 1, .threads = 1});
  const World& world = model.world();
  const double disbursed = static_cast<double>(total(world.ledger.total_disbursed()));
  EXPECT_NEAR(
      static_cast<double>(in_sink(world, world.sinks.diverted(0, Mechanism::MinistryCapture))),
      0.5 * (1.0 - 0.6) * disbursed, 1.0);
}

TEST(Routing, EveryMechanismLeaksAndTheLedgerBalancesEveryStep) {
  Model model(testing::leaky_scenario());
  // The run itself checks the ledger each step and would throw on one cent's difference.
  ASSERT_NO_THROW(model.simulation().run({.steps = 30, .threads = 2}));
  const World& world = model.world();
  for (std::size_t f = 0; f < 2; ++f) {
    for (Mechanism m :
         {Mechanism::MinistryCapture, Mechanism::LocalTax, Mechanism::BeneficiaryList}) {
      EXPECT_GT(in_sink(world, world.sinks.diverted(f, m)), 0) << "faction " << f;
    }
  }
  Cents settled = total(world.ledger.total_settled());
  EXPECT_EQ(settled, total(world.ledger.total_disbursed()));
  // Capture and local taxes are cash in the treasuries; list manipulation went to affiliates.
  Cents cash = 0, steered = 0;
  for (std::size_t f = 0; f < 2; ++f) {
    cash += in_sink(world, world.sinks.diverted(f, Mechanism::MinistryCapture)) +
            in_sink(world, world.sinks.diverted(f, Mechanism::LocalTax));
    steered += in_sink(world, world.sinks.diverted(f, Mechanism::BeneficiaryList));
  }
  EXPECT_EQ(treasuries(world), cash);
  EXPECT_EQ(settled, cash + steered + in_sink(world, SinkLayout::delivered()) +
                         in_sink(world, SinkLayout::overhead()));
}

TEST(Routing, HumanitarianOnlyLowersMinistryCapture) {
  ScenarioSpec spec = testing::leaky_scenario();
  Model base(spec);
  base.simulation().run({.steps = 20, .threads = 2});
  spec.policy.humanitarian_only = true;
  Model humanitarian(spec);
  humanitarian.simulation().run({.steps = 20, .threads = 2});
  auto captured = [](const World& w) {
    return in_sink(w, w.sinks.diverted(0, Mechanism::MinistryCapture)) +
           in_sink(w, w.sinks.diverted(1, Mechanism::MinistryCapture));
  };
  EXPECT_LT(captured(humanitarian.world()), captured(base.world()) / 2);
}

TEST(Routing, UnmonitoredInfiltrationRaisesCaptureOverTime) {
  ScenarioSpec spec = testing::leaky_scenario();
  Model model(spec);
  model.simulation().run({.steps = 104, .threads = 2});
  EXPECT_GT(model.world().ministries.capture_rate[0], spec.ministries[0].capture_rate);
  EXPECT_LE(model.world().ministries.capture_rate[0], 1.0);
  EXPECT_DOUBLE_EQ(model.world().ministries.capture_rate[1], spec.ministries[1].capture_rate);
}

}  // namespace
}  // namespace aidflow::model
