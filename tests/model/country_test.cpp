// The world built from the Afghanistan tables (scenarios/status_quo.yaml): the same country for
// every seed (populations, borders, influence, the capital), its districts summing to the
// national population at the start date; influence spread by province; returnees placed where
// the rule says and back as the schedule says, with more need, counted apart from flight.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "model/model.hpp"
#include "model/people/returns.hpp"
#include "scenario/scenario_loader.hpp"

namespace aidflow::model {
namespace {

ScenarioSpec status_quo(std::uint64_t seed, std::int64_t households = 6000) {
  return scenario::load_scenario(AIDFLOW_SOURCE_DIR "/scenarios/status_quo.yaml",
                                 {.overrides = {"run.seed=" + std::to_string(seed),
                                                "run.households=" + std::to_string(households)}});
}

std::size_t faction(const ScenarioSpec& spec, const std::string& id) {
  for (std::size_t f = 0; f < spec.factions.size(); ++f) {
    if (spec.factions[f].id == id) return f;
  }
  ADD_FAILURE() << "no faction " << id;
  return 0;
}

int province(const ScenarioSpec& spec, const std::string& name) {
  for (std::size_t p = 0; p < spec.geography.province_rows.size(); ++p) {
    if (spec.geography.province_rows[p].name == name) return static_cast<int>(p);
  }
  ADD_FAILURE() << "no province " << name;
  return -1;
}

// Two seeds, one country: every district's population, province, border and influence, the
// capital, and how many household agents each district has.
TEST(Country, IsTheSameForEverySeedAndSumsToTheNationalPopulation) {
  const ScenarioSpec a_spec = status_quo(1), b_spec = status_quo(2);
  const Model a(a_spec), b(b_spec);
  const Districts &da = a.world().districts, &db = b.world().districts;
  ASSERT_EQ(da.size(), a_spec.geography.district_rows.size());
  EXPECT_EQ(da.size(), 421u) << "every district unit of data/districts.csv";
  EXPECT_EQ(da.population, db.population);
  EXPECT_EQ(da.province, db.province);
  EXPECT_EQ(da.border, db.border);
  EXPECT_EQ(da.influence, db.influence);
  EXPECT_EQ(da.capital, db.capital);
  EXPECT_EQ(da.household_count, db.household_count);
  const double districts = std::accumulate(da.population.begin(), da.population.end(), 0.0);
  EXPECT_NEAR(districts, a_spec.geography.population, 1e-6 * a_spec.geography.population);
  // The residents' people sum to it too; the hosted returnees are the schedule's stock.
  double residents = 0.0, hosted = 0.0;
  const Households& h = a.world().households;
  for (std::size_t i = 0; i < h.size(); ++i) {
    (h.displacement[i] == Displacement::Home ? residents : hosted) += h.people[i];
  }
  EXPECT_NEAR(residents, a_spec.geography.population, 1e-6 * a_spec.geography.population);
  const ReturnSchedule& r = a.world().returns;
  EXPECT_NEAR(hosted, r.stock[0] + r.stock[1], 1e-6 * hosted);
  EXPECT_NE(a.world().households.need, b.world().households.need) << "households' draws differ";
}

// A shorter run is the first weeks of a longer one: the households standing for returnees are
// those of the whole schedule from the start, whatever the run's length (before, a 26-week run had
// fewer hosted agents, so other households and other draws).
TEST(Country, TheHouseholdsDoNotDependOnTheRunsLength) {
  ScenarioSpec short_spec = status_quo(1), long_spec = status_quo(1);
  short_spec.run.steps = 26;
  long_spec.run.steps = 230;
  const Model a(short_spec), b(long_spec);
  EXPECT_EQ(a.world().returns.stock, b.world().returns.stock);
  EXPECT_GT(a.world().returns.stock[0], 0.0);
  EXPECT_LT(a.world().returns.share_by_step[0].back(), 1.0) << "most come after week 26";
  EXPECT_EQ(a.world().districts.household_count, b.world().districts.household_count);
  EXPECT_EQ(a.world().households.need, b.world().households.need);
  EXPECT_EQ(a.world().households.people, b.world().households.people);
}

TEST(Country, TheCapitalIsKabulProvincesDistricts) {
  const ScenarioSpec spec = status_quo(1);
  const Model model(spec);
  const Districts& d = model.world().districts;
  const int kabul = province(spec, "Kabul");
  std::size_t in_kabul = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    EXPECT_EQ(d.in_capital[i], d.province[i] == kabul) << "district " << i;
    in_kabul += d.province[i] == kabul;
  }
  EXPECT_EQ(d.capital.size(), in_kabul);
  EXPECT_EQ(in_kabul, 15u);
}

// influence_by_province: the Haqqanis strongest in Loya Paktia, ISIS-Khorasan in Nangarhar,
// ISIS-Kabul in Kabul only; each faction's population-weighted national mean is its `influence`,
// with no district above one in all.
TEST(Country, InfluenceFollowsTheProvinceWeights) {
  const ScenarioSpec spec = status_quo(1);
  const Model model(spec);
  const Districts& d = model.world().districts;
  const std::size_t n = spec.factions.size();
  const auto mean_in = [&](std::size_t f, int p) {
    double people = 0.0, weighted = 0.0;
    for (std::size_t i = 0; i < d.size(); ++i) {
      if (p >= 0 && d.province[i] != p) continue;
      people += d.population[i];
      weighted += d.population[i] * d.influence[i * n + f];
    }
    return weighted / people;
  };
  const std::size_t haqqani = faction(spec, "haqqani"), khorasan = faction(spec, "isis_khorasan");
  const std::size_t kabul_cells = faction(spec, "isis_kabul");
  EXPECT_GT(mean_in(haqqani, province(spec, "Khost")),
            3 * mean_in(haqqani, province(spec, "Hirat")));
  EXPECT_GT(mean_in(khorasan, province(spec, "Nangarhar")),
            10 * mean_in(khorasan, province(spec, "Hirat")));
  EXPECT_GT(mean_in(kabul_cells, province(spec, "Kabul")), 0.0);
  EXPECT_EQ(mean_in(kabul_cells, province(spec, "Kandahar")), 0.0);
  for (std::size_t f = 0; f < n; ++f) {
    EXPECT_NEAR(mean_in(f, -1), spec.factions[f].influence, 1e-9) << spec.factions[f].id;
  }
  for (std::size_t i = 0; i < d.size(); ++i) {
    EXPECT_LE(std::accumulate(&d.influence[i * n], &d.influence[i * n] + n, 0.0), 1.0 + 1e-12);
  }
}

// Returnees from Iran land border_share in the districts of Herat and Nimroz (the crossings) and
// the rest across the country by population.
TEST(Country, ReturneesLandAtTheCrossingsAndAtHome) {
  const ScenarioSpec spec = status_quo(1, 200000);
  const Model model(spec);
  const World& w = model.world();
  const std::vector<int>& crossings = spec.returns.from[0].crossing_provinces;
  double at_crossings = 0.0, everyone = 0.0, crossing_people = 0.0, all_people = 0.0;
  for (std::size_t i = 0; i < w.districts.size(); ++i) {
    const bool crossing =
        std::find(crossings.begin(), crossings.end(), w.districts.province[i]) != crossings.end();
    all_people += w.districts.population[i];
    if (crossing) crossing_people += w.districts.population[i];
    const std::uint32_t first = w.districts.first_household[i];
    for (std::uint32_t k = 0; k < w.districts.household_count[i]; ++k) {
      if (w.households.displacement[first + k] != Displacement::HostedIran) continue;
      everyone += w.households.people[first + k];
      if (crossing) at_crossings += w.households.people[first + k];
    }
  }
  const double share = spec.returns.border_share;
  EXPECT_NEAR(at_crossings / everyone, share + (1 - share) * crossing_people / all_people, 0.005);
  EXPECT_NEAR(everyone, w.returns.stock[0], 1e-6 * everyone);
}

// Households come back when the schedule says, national order: by every step the people back
// are the stock x the schedule's share, to within one agent; they come home with more need, are
// counted in `returned` and not in the model's own displaced.
TEST(Country, ReturneesComeBackOnScheduleWithMoreNeed) {
  ScenarioSpec spec = status_quo(1, 20000);
  spec.run.steps = 60;
  Model model(spec);
  World& w = model.world();
  std::vector<double> need_before(w.households.need);
  std::vector<Displacement> state_before(w.households.displacement);
  std::array<double, kHosts> back{}, agent{};
  for (std::size_t i = 0; i < w.households.size(); ++i) {
    for (std::size_t h = 0; h < kHosts; ++h) {
      if (state_before[i] == hosted_in(static_cast<Host>(h))) agent[h] = w.households.people[i];
    }
  }
  for (int step = 0; step < spec.run.steps; ++step) {
    for (std::size_t i = 0; i < w.districts.size(); ++i) {
      const std::array<double, kHosts> came = return_households(w, i, step);
      for (std::size_t h = 0; h < kHosts; ++h) back[h] += came[h];
    }
    for (std::size_t h = 0; h < kHosts; ++h) {
      const double due =
          w.returns.stock[h] * w.returns.share_by_step[h][static_cast<std::size_t>(step)];
      ASSERT_NEAR(back[h], due, agent[h]) << kHostNames[h] << ", step " << step;
    }
  }
  int came_home = 0;
  for (std::size_t i = 0; i < w.households.size(); ++i) {
    if (state_before[i] < Displacement::HostedIran ||
        w.households.displacement[i] != Displacement::Home) {
      continue;
    }
    ++came_home;
    EXPECT_NEAR(w.households.need[i], std::min(1.0, need_before[i] + spec.households.returnee_need),
                1e-12);
  }
  EXPECT_GT(came_home, 100);
}

}  // namespace
}  // namespace aidflow::model
