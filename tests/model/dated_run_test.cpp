// The dated run, Aug 2021 to Dec 2025 on the status quo (scenarios/dated_2021_2025.yaml): money
// disbursed per calendar year matches the sourced volumes, people return from Iran and Pakistan
// as the schedule says, and ISIS-Khorasan's claimed attacks are highest in the first months after
// the takeover and fall afterwards, as the sourced counts do (152 claimed from 19 Aug to 31 Dec
// 2021; about 40 from Nov 2022 to Nov 2023; docs/SOURCES.md). The volumes below are restated from
// docs/SOURCES.md, not read from the scenario, so the test checks the scenario too.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <map>
#include <memory>

#include "model/model.hpp"
#include "scenario/scenario_loader.hpp"

namespace aidflow::model {
namespace {

// Sourced aid volumes by calendar year, USD ([OCHA-FLASH-2021], [OCHA-HRP-2022-END],
// [OCHA-HRP-2023]; 2024: the US's $735.7M was 47% of it, [OCHA-FUNDING-2024-25]; 2025: 18% of
// $2.42B by mid-June x 12/5.5, [OCHA-FUNDING-2024-25]).
const std::map<int, double> kSourcedVolume = {{2021, 776e6},
                                              {2022, 3.2e9},
                                              {2023, 1.47e9},
                                              {2024, 735.7e6 / 0.47},
                                              {2025, 2.42e9 * 0.18 * 12 / 5.5}};

struct YearTotals : engine::Recorder {
  const World& w;
  std::map<int, double> disbursed, claimed_by_khorasan, weeks;
  std::map<int, std::array<double, kHosts>> returned;
  std::size_t khorasan = 0;
  explicit YearTotals(const World& world) : w(world) {
    for (std::size_t f = 0; f < w.faction_count(); ++f) {
      if (w.spec.factions[f].id == "isis_khorasan") khorasan = f;
    }
  }
  void record(int step) override {
    const int year = w.calendar_year(step).year;
    Cents cents = 0;
    for (Cents c : w.ledger.step_disbursed()) cents += c;
    disbursed[year] += engine::cents_to_usd(cents);
    claimed_by_khorasan[year] += static_cast<double>(w.factions.attacks_claimed[khorasan]);
    weeks[year] += 1.0;
    for (const DistrictTally& t : w.districts.tally) {
      for (std::size_t h = 0; h < kHosts; ++h) returned[year][h] += t.returned[h];
    }
  }
};

std::unique_ptr<YearTotals> run_dated(Model& model) {
  auto totals = std::make_unique<YearTotals>(model.world());
  model.simulation().add_recorder(*totals);
  model.simulation().run({.steps = model.world().spec.run.steps, .threads = 2});
  return totals;
}

ScenarioSpec dated(std::uint64_t seed) {
  return scenario::load_scenario(
      AIDFLOW_SOURCE_DIR "/scenarios/dated_2021_2025.yaml",
      {.overrides = {"run.households=4000", "run.seed=" + std::to_string(seed)}});
}

TEST(DatedRun, DisbursedMoneyPerCalendarYearMatchesTheSourcedVolumes) {
  Model model(dated(1));
  const auto totals = run_dated(model);
  ASSERT_EQ(totals->disbursed.size(), kSourcedVolume.size());
  for (const auto& [year, volume] : kSourcedVolume) {
    EXPECT_NEAR(totals->disbursed.at(year), volume, 0.05 * volume) << year;
  }
}

// The people each host sends back in each calendar year, as the scenario's schedule spreads its
// periods over their days: within 2%, or one household agent's people (returns come a whole
// agent at a time).
TEST(DatedRun, ReturnsFromIranAndPakistanFollowTheSchedule) {
  const ScenarioSpec spec = dated(1);
  Model model(spec);
  // The people a hosted agent of each host stands for, before they come back.
  std::array<double, kHosts> agent{};
  const Households& households = model.world().households;
  for (std::size_t i = 0; i < households.size(); ++i) {
    for (std::size_t h = 0; h < kHosts; ++h) {
      if (households.displacement[i] == hosted_in(static_cast<Host>(h))) {
        agent[h] = households.people[i];
      }
    }
  }
  const auto totals = run_dated(model);
  for (std::size_t h = 0; h < kHosts; ++h) {
    std::map<int, double> scheduled;
    for (const ReturnPeriod& p : spec.returns.from[h].schedule) {
      for (auto day = p.from; day <= p.to; day += std::chrono::days{1}) {
        const int year = static_cast<int>(std::chrono::year_month_day{day}.year());
        scheduled[year] += p.people / static_cast<double>((p.to - p.from).count() + 1);
      }
    }
    for (int year = 2022; year <= 2025; ++year) {
      EXPECT_NEAR(totals->returned.at(year)[h], scheduled.at(year),
                  std::max(0.02 * scheduled.at(year), agent[h]))
          << kHostNames[h] << " " << year;
    }
  }
}

// In every one of five replicates, the weekly rate of claimed ISIS-K attacks in the first months
// (Aug-Dec 2021) is more than twice the rate of each later year, and the count after the
// takeover is within three observation standard deviations of the record's 152 (sd 38:
// scenarios/calibration/isis_khorasan.yaml, whose calibration sets the tempo and money that
// decide it). No fall from 2022 to 2024 is asserted: the record has no count for 2022, and
// SIGAR's for 2024 (60 with attacks abroad) is 40% above 2023's; the calibration fitted to
// 2021-2023 makes the two years about equal (docs/CALIBRATION.md).
TEST(DatedRun, IsisKhorasanClaimedAttacksPeakFirstAndFallAfterwards) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    Model model(dated(seed));
    const auto t = run_dated(model);
    const auto rate = [&](int year) { return t->claimed_by_khorasan.at(year) / t->weeks.at(year); };
    for (int year : {2022, 2023, 2024, 2025}) {
      EXPECT_GT(rate(2021), 2.0 * rate(year)) << "seed " << seed << ", " << year;
    }
    EXPECT_GT(t->claimed_by_khorasan.at(2021), 152 - 3 * 38) << "seed " << seed;
  }
}

}  // namespace
}  // namespace aidflow::model
