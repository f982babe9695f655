// Policies that move, on small scenarios with answers known in closed form: a timeline entry
// switching a lever on its step, budgets by calendar year, and conditions suspending, carving out,
// withholding, substituting and resuming aid.
#include <gtest/gtest.h>

#include <map>
#include <numeric>

#include "model/model.hpp"
#include "tiny_scenario.hpp"

namespace aidflow::model {
namespace {

// Two donors, a UN channel and a budget-support channel, one faction capturing at the ministry.
ScenarioSpec two_donors() {
  ScenarioSpec spec = testing::pass_through_scenario();
  spec.channels = {{.id = "un", .kind = ChannelKind::UnAgency},
                   {.id = "budget", .kind = ChannelKind::BudgetSupport, .ministry_exposure = 1.0}};
  spec.ministries[0].capture_rate = 0.5;
  spec.donors = {{.id = "x",
                  .name = "x",
                  .budget_usd_per_year = 52e6,
                  .channel_shares = {0.5, 0.5},
                  .sector_shares = {1.0}},
                 {.id = "y",
                  .name = "y",
                  .budget_usd_per_year = 104e6,
                  .channel_shares = {1.0, 0.0},
                  .sector_shares = {1.0}}};
  spec.signals = {.lag_weeks = 1,
                  .window_weeks = 4,
                  .noise_sd = 0.0,
                  .detection_base = 1.0,
                  .detection_monitored = 1.0};
  return spec;
}

// Per step: cents disbursed by (donor, channel), and the events.
struct Trace : engine::Recorder {
  const World& w;
  std::vector<std::vector<Cents>> disbursed;
  std::vector<Event> events;
  explicit Trace(const World& world) : w(world) {}
  void record(int) override {
    disbursed.push_back(w.ledger.step_disbursed());
    events.insert(events.end(), w.events.begin(), w.events.end());
  }
};

struct PolicyRun {
  std::unique_ptr<Model> model;
  std::unique_ptr<Trace> trace;
};

PolicyRun run(const ScenarioSpec& spec, int steps) {
  PolicyRun r{std::make_unique<Model>(spec), nullptr};
  r.trace = std::make_unique<Trace>(r.model->world());
  r.model->simulation().add_recorder(*r.trace);
  r.model->simulation().run({.steps = steps, .threads = 2});
  return r;
}

TEST(Policy, ATimelineEntrySwitchesALeverOnItsStep) {
  ScenarioSpec spec = two_donors();
  PolicySpec later = spec.policy;
  later.humanitarian_only = true;
  spec.policy_timeline = {{.from_step = 5, .policy = later}};
  const PolicyRun r = run(spec, 8);
  for (int s = 0; s < 8; ++s) {
    const Cents budget_support =
        r.trace->disbursed[static_cast<std::size_t>(s)][1];  // x via budget
    if (s < 5) {
      EXPECT_GT(budget_support, 0) << s;
    } else {
      EXPECT_EQ(budget_support, 0) << s;
    }
  }
  ASSERT_EQ(r.trace->events.size(), 1u);
  EXPECT_EQ(r.trace->events[0].kind, EventKind::PolicyChanged);
  EXPECT_EQ(r.trace->events[0].step, 5);
}

// A year's budget is spread over the year's weeks from the run's start: the first (partial) year
// pays its whole budget in the run's weeks of it, a year the run stops within pays its first weeks'
// share, the same money a week as a longer run (tests/model/calendar_test.cpp).
TEST(Policy, BudgetsByCalendarYearArePaidExactlyOverTheirYearsWeeks) {
  ScenarioSpec spec = two_donors();
  spec.run.start_date = std::chrono::sys_days{std::chrono::year{2021} / 8 / 16};
  spec.run.steps = 90;  // into May 2023
  spec.donors[0].budget_by_year = {{2021, 700e6}, {2022, 3200e6}, {2023, 100e6}};
  const PolicyRun r = run(spec, spec.run.steps);
  const World& w = r.model->world();
  std::map<int, Cents> by_year;
  for (int s = 0; s < spec.run.steps; ++s) {
    const auto& row = r.trace->disbursed[static_cast<std::size_t>(s)];
    by_year[w.calendar_year(s).year] += row[0] + row[1];
  }
  EXPECT_EQ(by_year[2021], engine::usd_to_cents(700e6));
  EXPECT_EQ(by_year[2022], engine::usd_to_cents(3200e6));
  Cents first_weeks_of_2023 = 0;  // the run's 18 weeks of 2023's 52
  for (int week = 0; week < 18; ++week) {
    first_weeks_of_2023 += engine::spread_evenly(engine::usd_to_cents(100e6), 52, week);
  }
  EXPECT_EQ(by_year[2023], first_weeks_of_2023);
  EXPECT_LT(by_year[2023], engine::usd_to_cents(100e6) / 2) << "not the whole year in 18 weeks";
  EXPECT_EQ(w.calendar.front().weeks, 20);  // 16 Aug to 27 Dec 2021
  EXPECT_EQ(w.calendar[1].weeks, 52);
  EXPECT_EQ(w.calendar[2].weeks, 52);  // 2 Jan to 25 Dec 2023, past the run's end in May
}

ConditionSpec on_diversion(std::vector<int> donors, bool carve_out) {
  ConditionSpec rule{.donors = std::move(donors),
                     .trigger = Trigger::DiversionObserved,
                     .threshold = 0.01,
                     .suspension_weeks = 6,
                     .review_weeks = 2,
                     .humanitarian_carve_out = carve_out};
  rule.aid_types[static_cast<std::size_t>(ChannelKind::BudgetSupport)] = true;
  return rule;
}

TEST(Policy, ADonorSeeingDiversionSuspendsTheConditionedAidThenResumes) {
  ScenarioSpec spec = two_donors();
  spec.policy.conditionality = {on_diversion({0}, false)};
  const PolicyRun r = run(spec, 12);
  std::vector<EventKind> kinds;
  std::vector<int> steps;
  for (const Event& e : r.trace->events) {
    kinds.push_back(e.kind);
    steps.push_back(e.step);
    EXPECT_EQ(e.donor, 0);
  }
  // Review at step 2 (the first after the lag) sees the budget support's capture: suspend until
  // step 8; resume then, and the review at step 8 suspends again.
  ASSERT_GE(kinds.size(), 3u);
  EXPECT_EQ(kinds[0], EventKind::AidSuspended);
  EXPECT_EQ(steps[0], 2);
  EXPECT_EQ(kinds[1], EventKind::AidResumed);
  EXPECT_EQ(steps[1], 8);
  EXPECT_EQ(kinds[2], EventKind::AidSuspended);
  const Cents week = engine::usd_to_cents(1e6);
  EXPECT_EQ(r.trace->disbursed[1][1], week / 2) << "before: half through budget support";
  EXPECT_EQ(r.trace->disbursed[3][1], 0) << "suspended: nothing through budget support";
  EXPECT_EQ(r.trace->disbursed[3][0], week / 2) << "without carve-out, that half is withheld";
  EXPECT_EQ(r.model->world().policy.withheld[0], week / 2);
}

TEST(Policy, AHumanitarianCarveOutSendsTheSuspendedMoneyThroughOtherChannels) {
  ScenarioSpec spec = two_donors();
  spec.policy.conditionality = {on_diversion({0}, true)};
  const PolicyRun r = run(spec, 4);
  EXPECT_EQ(r.trace->disbursed[3][1], 0);
  EXPECT_EQ(r.trace->disbursed[3][0], engine::usd_to_cents(1e6)) << "all of x's week via UN";
}

TEST(Policy, DonorsOutsideAConditionMakeUpItsSubstitutableShare) {
  ScenarioSpec spec = two_donors();
  ConditionSpec rule = on_diversion({0}, false);
  rule.substitution = 0.5;
  spec.policy.conditionality = {rule};
  const PolicyRun r = run(spec, 4);
  const World& w = r.model->world();
  const Cents withheld = engine::usd_to_cents(0.5e6);
  EXPECT_EQ(w.policy.withheld[0], withheld);
  EXPECT_EQ(w.policy.substituted[1], withheld / 2);
  EXPECT_EQ(r.trace->disbursed[3][2], engine::usd_to_cents(2e6) + withheld / 2) << "y via UN";
}

TEST(Policy, AMultilateralConditionIsJudgedAndActedOnTogether) {
  ScenarioSpec spec = two_donors();
  // y's own money is never diverted (UN, no exposure); x's is. Alone, y would never suspend.
  ConditionSpec rule = on_diversion({0, 1}, false);
  rule.aid_types[static_cast<std::size_t>(ChannelKind::UnAgency)] = true;
  rule.threshold = 0.05;
  spec.policy.conditionality = {rule};
  const PolicyRun unilateral = run(spec, 4);
  spec.policy.conditionality[0].multilateral = true;
  spec.policy.conditionality[0].threshold = 0.05;
  const PolicyRun together = run(spec, 4);
  const auto suspended = [](const PolicyRun& r, int donor) {
    for (const Event& e : r.trace->events) {
      if (e.kind == EventKind::AidSuspended && e.donor == donor) return true;
    }
    return false;
  };
  EXPECT_TRUE(suspended(unilateral, 0));
  EXPECT_FALSE(suspended(unilateral, 1));
  // Pooled: x sees about 0.25 diverted, y 0: the mean 0.125 passes 0.05, and both act.
  EXPECT_TRUE(suspended(together, 0));
  EXPECT_TRUE(suspended(together, 1));
}

TEST(Policy, HostageLeverageDampsWhatDonorsActOn) {
  ScenarioSpec spec = two_donors();
  spec.policy.conditionality = {on_diversion({0}, false)};
  spec.policy.conditionality[0].threshold = 0.2;  // x observes 0.25
  // One hostage held throughout (no release, no loss) at damping_max 1, half at 1 hostage: the
  // hostage phase keeps the damping at 0.5, and 0.25 x 0.5 < 0.2: no suspension.
  spec.factions[0].hostages.initial = 1;
  spec.hostages = {.damping_max = 1.0, .damping_half_hostages = 1.0};
  Model model(spec);
  EXPECT_DOUBLE_EQ(model.world().policy.enforcement_damping, 0.5);
  model.simulation().run({.steps = 3, .threads = 1});
  EXPECT_DOUBLE_EQ(model.world().policy.enforcement_damping, 0.5);
  EXPECT_EQ(model.world().policy.suspended_until[0], -1);
}

}  // namespace
}  // namespace aidflow::model
