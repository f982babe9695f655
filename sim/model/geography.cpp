// A seeded synthetic country with the scenario's national totals: districts grouped into
// provinces, each with a population, a baseline need, a border class and faction influence; and
// household agents placed in districts in proportion to population, grouped by district so that
// one task can own one district.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/world.hpp"

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
    // Lognormal district sizes (sd 0.6 in logs, an assumption) scaled to the national total.
    size_weight[i] = std::exp(0.6 * rng.normal(agent, 0, 1));
    const double need = geo.baseline_need + geo.need_spread * rng.normal(agent, 0, 2);
    d.baseline_need.push_back(std::clamp(need, 0.0, 1.0));
  }
  const double total_weight = std::accumulate(size_weight.begin(), size_weight.end(), 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    d.population.push_back(geo.population * size_weight[i] / total_weight);
  }
  // Influence: each faction's national mean times a lognormal local factor (sd 0.8 in logs, an
  // assumption), rescaled so a district's shares never sum above one.
  d.influence.assign(n * factions, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double sum = 0.0;
    for (std::size_t f = 0; f < factions; ++f) {
      const double local = std::exp(0.8 * rng.normal(static_cast<std::uint32_t>(i), 0,
                                                     3 + static_cast<std::uint32_t>(f)) -
                                    0.32);  // -sd^2/2 keeps the mean factor at one
      d.influence[i * factions + f] = world.spec.factions[f].influence * local;
      sum += d.influence[i * factions + f];
    }
    if (sum > 1.0) {
      for (std::size_t f = 0; f < factions; ++f) d.influence[i * factions + f] /= sum;
    }
  }
  d.delivered.assign(n, 0);
}

void place_households(World& world) {
  Districts& d = world.districts;
  const std::size_t n = d.size();
  const auto agents = static_cast<Cents>(world.spec.run.households);
  // Every district gets at least one agent (the loader requires households >= districts); the
  // rest follow population by largest remainder, so counts are exact and deterministic.
  std::vector<Cents> counts(n);
  engine::split_largest_remainder(agents - static_cast<Cents>(n), d.population, counts);
  const auto rng = world.random(Stream::HouseholdPlacement);
  Households& h = world.households;
  h.district.reserve(static_cast<std::size_t>(agents));
  for (std::size_t i = 0; i < n; ++i) {
    const auto count = static_cast<std::uint32_t>(counts[i] + 1);
    d.first_household.push_back(static_cast<std::uint32_t>(h.district.size()));
    d.household_count.push_back(count);
    for (std::uint32_t k = 0; k < count; ++k) {
      const auto id = static_cast<std::uint32_t>(h.district.size());
      h.district.push_back(static_cast<std::uint32_t>(i));
      h.people.push_back(d.population[i] / count);
      const double need = d.baseline_need[i] + 0.1 * rng.normal(id, 0, 0);
      h.need.push_back(std::clamp(need, 0.0, 1.0));
    }
  }
  h.aid_received.assign(h.district.size(), 0);
  h.displacement.assign(h.district.size(), Displacement::Home);
}

}  // namespace

void generate_geography(World& world) {
  generate_districts(world);
  place_households(world);
}

}  // namespace aidflow::model
