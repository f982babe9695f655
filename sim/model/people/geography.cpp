// The country at the start of a run, and its household agents. Two sources:
// - the Afghanistan tables (the scenario loader read them): every district of the data with its
//   province, border class and population at the start date, the capital being the capital
//   province's districts, each faction's influence by province. The same for every seed.
// - a synthetic country drawn from the seed, for tests and benchmarks: districts dealt to
//   provinces in turn, with a lognormal population, a border class by the scenario's shares, a
//   baseline need and faction influence around the national figures, the most populous made the
//   capital.
// Household agents are placed in districts in proportion to population, grouped by district so
// that one task can own one district, each with its young men at risk of recruitment and, for
// some, an affiliation with a faction; after a district's residents come the households hosted
// in Iran and Pakistan who return during the run (people/returns.cpp).
#include "model/people/geography.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/parallel.hpp"
#include "model/people/households.hpp"
#include "model/people/returns.hpp"

namespace aidflow::model {
namespace {

BorderClass draw_border(const std::array<double, 4>& shares, double u) {
  double cumulative = 0.0;
  for (std::size_t b = 0; b < shares.size(); ++b) {
    cumulative += shares[b];
    if (u < cumulative) return static_cast<BorderClass>(b);
  }
  return BorderClass::Interior;
}

// Populations from lognormal size weights, scaled to the national total; then the most populous
// district becomes the capital and takes capital_population_share of the people (its excess or
// shortfall spread over the others in proportion), so the capital's size is a parameter, not luck.
void set_populations(Districts& d, const std::vector<double>& size_weight,
                     const GeographySpec& geo) {
  const std::size_t n = size_weight.size();
  const double total_weight = std::accumulate(size_weight.begin(), size_weight.end(), 0.0);
  const auto capital = static_cast<std::size_t>(
      std::max_element(size_weight.begin(), size_weight.end()) - size_weight.begin());
  d.capital = {static_cast<std::uint32_t>(capital)};
  const double others = total_weight - size_weight[capital];
  for (std::size_t i = 0; i < n; ++i) {
    double share = size_weight[i] / total_weight;
    if (n > 1) {
      share = i == capital ? geo.capital_population_share
                           : (1.0 - geo.capital_population_share) * size_weight[i] / others;
    }
    d.population.push_back(geo.population * share);
  }
}

// A district's influences never sum above one (the rest is local power holders outside any
// modelled faction): a row above one is scaled down to one.
void cap_influence_rows(Districts& d, std::size_t factions) {
  for (std::size_t i = 0; i < d.size(); ++i) {
    double* row = d.influence.data() + i * factions;
    const double sum = std::accumulate(row, row + factions, 0.0);
    if (sum > 1.0) {
      for (std::size_t f = 0; f < factions; ++f) row[f] /= sum;
    }
  }
}

void synthetic_districts(World& world) {
  const auto& geo = world.spec.geography;
  const auto rng = world.random(Stream::Geography);
  const auto n = static_cast<std::size_t>(geo.districts);
  const std::size_t factions = world.spec.factions.size();
  Districts& d = world.districts;
  std::vector<double> size_weight(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto agent = static_cast<std::uint32_t>(i);
    d.province.push_back(static_cast<int>(i % static_cast<std::size_t>(geo.provinces)));
    d.border.push_back(draw_border(geo.border_shares, rng.uniform(agent, 0, 0)));
    // Lognormal district sizes scaled to the national total.
    size_weight[i] = std::exp(geo.district_size_spread * rng.normal(agent, 0, 1));
    const double need = geo.baseline_need + geo.need_spread * rng.normal(agent, 0, 2);
    d.baseline_need.push_back(std::clamp(need, 0.0, 1.0));
  }
  set_populations(d, size_weight, geo);
  // Influence: each faction's national mean times a lognormal local factor.
  const double spread = geo.influence_spread;
  d.influence.assign(n * factions, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t f = 0; f < factions; ++f) {
      // Keyed by the faction's identity, so its influence map does not depend on list order.
      const auto faction_rng = world.random(Stream::Geography, world.ids.factions[f]);
      const double local = std::exp(spread * faction_rng.normal(static_cast<std::uint32_t>(i), 0) -
                                    spread * spread / 2);  // keeps the mean factor at one
      d.influence[i * factions + f] = world.spec.factions[f].influence * local;
    }
  }
  cap_influence_rows(d, factions);
}

// A faction's influence in each district of the tables, before districts are capped: its
// national mean x its province's weight over the population-weighted mean weight.
std::vector<double> influence_by_district(const GeographySpec& geo, const FactionSpec& faction) {
  std::vector<double> out(geo.district_rows.size(), faction.influence);
  if (faction.influence_by_province.empty()) return out;
  double people = 0.0, weighted = 0.0;
  for (const DistrictRow& row : geo.district_rows) {
    people += row.population;
    weighted +=
        row.population * faction.influence_by_province[static_cast<std::size_t>(row.province)];
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto province = static_cast<std::size_t>(geo.district_rows[i].province);
    out[i] = faction.influence * faction.influence_by_province[province] * people / weighted;
  }
  return out;
}

// Capping a district at one lowers the national mean of the factions concentrated where
// districts are full (Kabul): each faction's pattern is rescaled, and the districts capped again,
// until every national mean is the scenario's `influence` (a fixed point, reached in a few
// rounds; no draw, so the same for every seed).
void fit_national_means(Districts& d, const std::vector<FactionSpec>& factions) {
  const std::size_t n = factions.size();
  const double people = std::accumulate(d.population.begin(), d.population.end(), 0.0);
  const std::vector<double> pattern = d.influence;
  std::vector<double> scale(n, 1.0);
  for (int round = 0; round < 100; ++round) {
    for (std::size_t k = 0; k < pattern.size(); ++k) d.influence[k] = pattern[k] * scale[k % n];
    cap_influence_rows(d, n);
    double worst = 0.0;
    for (std::size_t f = 0; f < n; ++f) {
      double mean = 0.0;
      for (std::size_t i = 0; i < d.size(); ++i) mean += d.population[i] * d.influence[i * n + f];
      mean /= people;
      if (!(mean > 0.0) || !(factions[f].influence > 0.0)) continue;
      worst = std::max(worst, std::fabs(mean / factions[f].influence - 1.0));
      scale[f] *= factions[f].influence / mean;
    }
    if (worst < 1e-12) return;
  }
}

// The districts of the tables, as the loader read them. No draw: the same for every seed. Every
// district has the national baseline need (no district figures of need were found: data/README.md).
void table_districts(World& world) {
  const GeographySpec& geo = world.spec.geography;
  const std::size_t n = geo.district_rows.size(), factions = world.spec.factions.size();
  Districts& d = world.districts;
  for (std::size_t i = 0; i < n; ++i) {
    const DistrictRow& row = geo.district_rows[i];
    d.province.push_back(row.province);
    d.border.push_back(geo.province_rows[static_cast<std::size_t>(row.province)].border);
    d.population.push_back(row.population);
    d.baseline_need.push_back(geo.baseline_need);
    if (row.province == geo.capital_province) d.capital.push_back(static_cast<std::uint32_t>(i));
  }
  d.influence.assign(n * factions, 0.0);
  for (std::size_t f = 0; f < factions; ++f) {
    const std::vector<double> by_district = influence_by_district(geo, world.spec.factions[f]);
    for (std::size_t i = 0; i < n; ++i) d.influence[i * factions + f] = by_district[i];
  }
  fit_national_means(d, world.spec.factions);
}

void generate_districts(World& world) {
  if (world.spec.geography.source == GeographySource::Afghanistan) {
    table_districts(world);
  } else {
    synthetic_districts(world);
  }
  Districts& d = world.districts;
  const std::size_t n = d.size(), factions = world.faction_count();
  d.in_capital.assign(n, 0);
  for (std::uint32_t i : d.capital) d.in_capital[i] = 1;
  d.initial_influence = d.influence;
  d.delivered.assign(n, 0);
  d.list_aid.assign(n * factions, 0);
  d.local_tax.assign(n * factions, 0);
  d.recruits.assign(n * factions, 0);
}

// Households tied to a faction (fighters' families, its officials and clients), drawn with odds
// affiliated_share x the faction's influence in the district: beneficiary-list manipulation
// steers aid to them (docs/MODEL.md phase 4).
std::int8_t draw_affiliation(const World& world, std::size_t district, double u) {
  const std::size_t factions = world.faction_count();
  const double share = world.spec.recruitment.affiliated_share;
  double cumulative = 0.0;
  for (std::size_t f = 0; f < factions; ++f) {
    cumulative += share * world.districts.influence[district * factions + f];
    if (u < cumulative) return static_cast<std::int8_t>(f);
  }
  return -1;
}

// Whole young men for an agent expected to have `expected`: rounded down or up at random, up with
// the fractional part's odds, so the count per person is right at any resolution. (Rounding to
// the nearest made an agent of about six people, 0.8 young men expected, one: 25% too many at
// national resolution.)
std::uint32_t young_men(double expected, double u) {
  const double whole = std::floor(expected);
  return static_cast<std::uint32_t>(whole) + (u < expected - whole ? 1u : 0u);
}

// How many household agents each district gets: its residents (every district at least one;
// the rest by population, by largest remainder, so counts are exact and deterministic), then for
// each host the agents of its returnees, as many as its stock needs at the residents' people
// per agent, split over districts by where they land.
struct AgentCounts {
  std::vector<Cents> residents;
  std::array<std::vector<Cents>, kHosts> hosted;
  std::array<double, kHosts> people_per_hosted{};
};

AgentCounts count_agents(const World& world) {
  const Districts& d = world.districts;
  const std::size_t n = d.size();
  const auto residents = static_cast<Cents>(world.spec.run.households);
  AgentCounts counts;
  counts.residents.assign(n, 0);
  engine::split_largest_remainder(residents - static_cast<Cents>(n), d.population,
                                  counts.residents);
  for (Cents& c : counts.residents) ++c;
  const double people_per_agent = world.spec.geography.population / static_cast<double>(residents);
  for (std::size_t host = 0; host < kHosts; ++host) {
    counts.hosted[host].assign(n, 0);
    const double stock = world.returns.stock[host];
    if (!(stock > 0.0)) continue;
    const auto agents = std::max<Cents>(1, std::llround(stock / people_per_agent));
    engine::split_largest_remainder(agents, landing_weights(world, static_cast<Host>(host)),
                                    counts.hosted[host]);
    counts.people_per_hosted[host] = stock / static_cast<double>(agents);
  }
  return counts;
}

void lay_out_districts(Districts& d, const AgentCounts& counts) {
  d.hosted_start.assign(1, 0);
  for (std::size_t i = 0, first = 0; i < d.size(); ++i) {
    std::uint32_t position = static_cast<std::uint32_t>(counts.residents[i]);
    for (std::size_t host = 0; host < kHosts; ++host) {
      for (Cents k = 0; k < counts.hosted[host][i]; ++k) d.hosted.push_back(position++);
      d.hosted_start.push_back(static_cast<std::uint32_t>(d.hosted.size()));
    }
    d.first_household.push_back(static_cast<std::uint32_t>(first));
    d.household_count.push_back(position);
    first += position;
  }
  d.hosted_returned.assign(d.size() * kHosts, 0);
  order_returns(d);
}

void place_households(World& world) {
  const HouseholdSpec& hs = world.spec.households;
  const RecruitmentRules& rules = world.spec.recruitment;
  Districts& d = world.districts;
  const AgentCounts counts = count_agents(world);
  lay_out_districts(d, counts);
  Households& h = world.households;
  const std::size_t total = d.first_household.back() + d.household_count.back();
  h.district.resize(total);
  h.people.resize(total);
  h.need.resize(total);
  h.young_men.resize(total);
  h.affiliation.resize(total);
  h.aid_received.assign(total, 0);
  h.displacement.assign(total, Displacement::Home);
  // Each household's draws are keyed by its id, so districts fill in parallel, in any order.
  const auto rng = world.random(Stream::HouseholdPlacement);
  engine::parallel_for_each(d.size(), [&](std::size_t i) {
    const std::uint32_t first = d.first_household[i];
    const auto residents = static_cast<std::uint32_t>(counts.residents[i]);
    for (std::uint32_t k = 0; k < d.household_count[i]; ++k) {
      const std::uint32_t id = first + k;
      h.district[id] = static_cast<std::uint32_t>(i);
      h.people[id] = d.population[i] / residents;
      const double need = d.baseline_need[i] + hs.initial_need_sd * rng.normal(id, 0, 0);
      h.need[id] = std::clamp(need, 0.0, 1.0);
      h.affiliation[id] = k < residents ? draw_affiliation(world, i, rng.uniform(id, 0, 1)) : -1;
    }
    // The hosted come after the residents, Iran's first (lay_out_districts).
    std::uint32_t k = residents;
    for (std::size_t host = 0; host < kHosts; ++host) {
      for (Cents j = 0; j < counts.hosted[host][i]; ++j, ++k) {
        h.people[first + k] = counts.people_per_hosted[host];
        h.displacement[first + k] = hosted_in(static_cast<Host>(host));
      }
    }
    for (std::uint32_t id = first; id < first + d.household_count[i]; ++id) {
      h.young_men[id] = young_men(h.people[id] * rules.young_men_share, rng.uniform(id, 0, 2));
    }
  });
}

// The affiliates of each district and faction, for beneficiary lists (people/households.cpp).
void list_affiliates(World& world) {
  Districts& d = world.districts;
  const std::int8_t* affiliation = world.households.affiliation.data();
  const std::size_t factions = world.faction_count();
  d.affiliates_start.assign(1, 0);
  for (std::size_t i = 0; i < d.size(); ++i) {
    const std::uint32_t first = d.first_household[i], count = d.household_count[i];
    for (std::size_t f = 0; f < factions; ++f) {
      for (std::uint32_t k = 0; k < count; ++k) {
        if (affiliation[first + k] == static_cast<std::int8_t>(f)) d.affiliates.push_back(k);
      }
      d.affiliates_start.push_back(static_cast<std::uint32_t>(d.affiliates.size()));
    }
  }
}

}  // namespace

void generate_geography(World& world) {
  generate_districts(world);
  world.returns = return_schedule(world.spec, world.spec.run.start_date, world.spec.run.steps);
  place_households(world);
  list_affiliates(world);
  note_split_weights(world);
  plan_household_tasks(world.districts);
  world.districts.tally.resize(world.districts.size());
  engine::parallel_for_each(world.districts.size(), [&](std::size_t i) {
    world.districts.tally[i] = tally_district(world, i);
  });
}

}  // namespace aidflow::model
