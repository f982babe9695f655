// A seeded synthetic country with the scenario's national totals: districts grouped into
// provinces, each with a population, a baseline need, a border class and faction influence, the
// most populous made the capital; and household agents placed in districts in proportion to
// population, grouped by district so that one task can own one district, each with its young men
// at risk of recruitment and, for some, an affiliation with a faction.
#include "model/people/geography.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/parallel.hpp"

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
  d.capital = static_cast<std::size_t>(std::max_element(size_weight.begin(), size_weight.end()) -
                                       size_weight.begin());
  const double others = total_weight - size_weight[d.capital];
  for (std::size_t i = 0; i < n; ++i) {
    double share = size_weight[i] / total_weight;
    if (n > 1) {
      share = i == d.capital ? geo.capital_population_share
                             : (1.0 - geo.capital_population_share) * size_weight[i] / others;
    }
    d.population.push_back(geo.population * share);
  }
}

void generate_districts(World& world) {
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
  // Influence: each faction's national mean times a lognormal local factor, rescaled so a
  // district's shares never sum above one.
  const double spread = geo.influence_spread;
  d.influence.assign(n * factions, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double sum = 0.0;
    for (std::size_t f = 0; f < factions; ++f) {
      const double local = std::exp(spread * rng.normal(static_cast<std::uint32_t>(i), 0,
                                                        3 + static_cast<std::uint32_t>(f)) -
                                    spread * spread / 2);  // keeps the mean factor at one
      d.influence[i * factions + f] = world.spec.factions[f].influence * local;
      sum += d.influence[i * factions + f];
    }
    if (sum > 1.0) {
      for (std::size_t f = 0; f < factions; ++f) d.influence[i * factions + f] /= sum;
    }
  }
  d.initial_influence = d.influence;
  d.delivered.assign(n, 0);
  d.list_aid.assign(n * factions, 0);
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

void place_households(World& world) {
  const HouseholdSpec& hs = world.spec.households;
  const RecruitmentRules& rules = world.spec.recruitment;
  Districts& d = world.districts;
  const std::size_t n = d.size();
  const auto agents = static_cast<Cents>(world.spec.run.households);
  // Every district gets at least one agent (the loader requires households >= districts); the
  // rest follow population by largest remainder, so counts are exact and deterministic.
  std::vector<Cents> counts(n);
  engine::split_largest_remainder(agents - static_cast<Cents>(n), d.population, counts);
  for (std::size_t i = 0, first = 0; i < n; ++i) {
    d.first_household.push_back(static_cast<std::uint32_t>(first));
    d.household_count.push_back(static_cast<std::uint32_t>(counts[i] + 1));
    first += d.household_count.back();
  }
  Households& h = world.households;
  const auto total = static_cast<std::size_t>(agents);
  h.district.resize(total);
  h.people.resize(total);
  h.need.resize(total);
  h.young_men.resize(total);
  h.affiliation.resize(total);
  h.aid_received.assign(total, 0);
  h.displacement.assign(total, Displacement::Home);
  // Each household's draws are keyed by its id, so districts fill in parallel, in any order.
  const auto rng = world.random(Stream::HouseholdPlacement);
  engine::parallel_for_each(n, [&](std::size_t i) {
    const std::uint32_t first = d.first_household[i], count = d.household_count[i];
    const double people = d.population[i] / count;
    for (std::uint32_t id = first; id < first + count; ++id) {
      h.district[id] = static_cast<std::uint32_t>(i);
      h.people[id] = people;
      const double need = d.baseline_need[i] + hs.initial_need_sd * rng.normal(id, 0, 0);
      h.need[id] = std::clamp(need, 0.0, 1.0);
      h.young_men[id] = young_men(people * rules.young_men_share, rng.uniform(id, 0, 2));
      h.affiliation[id] = draw_affiliation(world, i, rng.uniform(id, 0, 1));
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
  place_households(world);
  list_affiliates(world);
  world.districts.tally.resize(world.districts.size());
  engine::parallel_for_each(world.districts.size(), [&](std::size_t i) {
    world.districts.tally[i] = tally_district(world, i);
  });
}

}  // namespace aidflow::model
