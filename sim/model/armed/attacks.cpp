// Phase 7: counter-terrorism and attacks. Security money delivered through a ministry buys
// operations that its controlling group aims at the groups it is hostile to, sparing its partners
// (S14). Groups attack at a rate rising with fighters and with the preparation money bought;
// complex attacks need preparation above a threshold (S16). Every attack records who executed it,
// who claimed it and whom observers blame (S14-S16); claims earn the claimant prestige that draws
// recruits (S5). A group with external-operations capacity also attacks foreign targets abroad
// (S10, S11, S22): complex attacks with no district, which states observe and fear.
#include "model/armed/attacks.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/policy/signals.hpp"

namespace aidflow::model {
namespace {

// `effort` cents of operations directed by faction `director` at the groups it is hostile to,
// split by their fighters; each $1M removes ct_fighters_per_million_usd of them (fewer as a group
// shrinks), at most a tenth of a group a week, and destroys a share of the preparation its next
// attacks need. Partners (groups it is not hostile to) are spared (S14).
void aim_counter_terrorism(World& world, int director, Cents effort) {
  Factions& fs = world.factions;
  if (effort == 0) return;
  std::vector<double> weight(world.faction_count(), 0.0);
  for (const Hostility& h : world.spec.hostilities) {
    const auto target = static_cast<std::size_t>(h.against);
    if (h.by == director) weight[target] = fs.fighters[target];
  }
  if (std::accumulate(weight.begin(), weight.end(), 0.0) <= 0.0) return;  // nobody to hunt
  std::vector<Cents> parts(weight.size(), 0);
  engine::split_largest_remainder(effort, weight, parts);
  const ArmedGroupsSpec& g = world.spec.armed_groups;
  for (std::size_t f = 0; f < parts.size(); ++f) {
    fs.ct_effort[f] += parts[f];
    const double yield = fs.fighters[f] / (fs.fighters[f] + g.ct_half_fighters);
    const double removed =
        std::min(0.1 * fs.fighters[f],
                 engine::cents_to_usd(parts[f]) / 1e6 * g.ct_fighters_per_million_usd * yield);
    fs.fighters[f] -= removed;
    fs.losses[f] += removed;
    const double millions = engine::cents_to_usd(parts[f]) / 1e6;
    fs.preparation[f] *= std::exp(-millions * g.ct_disruption_per_million_usd);
  }
}

// Operations bought this step: security aid delivered through a ministry, directed by its holder,
// and what each faction paid for out of its own cash.
void counter_terrorism(World& world) {
  Factions& fs = world.factions;
  std::fill(fs.ct_effort.begin(), fs.ct_effort.end(), 0);
  for (std::size_t m = 0; m < world.ministries.security_spent.size(); ++m) {
    aim_counter_terrorism(world, world.ministries.controlled_by[m],
                          world.ministries.security_spent[m]);
  }
  for (std::size_t f = 0; f < world.faction_count(); ++f) {
    aim_counter_terrorism(world, static_cast<int>(f), fs.ct_spent[f]);
  }
}

// The index in [0, n) that `u` picks with odds in proportion to weight(k).
template <class Weight>
std::size_t pick_by_weight(std::size_t n, Weight weight, double u) {
  double total = 0.0;
  for (std::size_t k = 0; k < n; ++k) total += weight(k);
  double cumulative = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    cumulative += weight(k) / total;
    if (u < cumulative) return k;
  }
  return n - 1;
}

// Where an attack happens: in the capital (one of its districts, by population) with the group's
// capital_share, else where the group is present: a district by population x its influence (by
// population alone for a group present nowhere).
std::size_t attack_district(const World& world, std::size_t f, const AttackSpec& a, double aim,
                            double u) {
  const Districts& d = world.districts;
  if (aim < a.capital_share) {
    const auto k = pick_by_weight(
        d.capital.size(), [&](std::size_t c) { return d.population[d.capital[c]]; }, u);
    return d.capital[k];
  }
  const std::size_t factions = world.faction_count();
  const auto presence = [&](std::size_t i) {
    return d.population[i] * d.influence[i * factions + f];
  };
  double present = 0.0;
  for (std::size_t i = 0; i < d.size(); ++i) present += presence(i);
  if (!(present > 0.0)) {
    return pick_by_weight(
        d.size(), [&](std::size_t i) { return d.population[i]; }, u);
  }
  return pick_by_weight(d.size(), presence, u);
}

// The draws one attack needs, from its faction's stream: (agent, step, draw); agent 0 for attacks
// at home, 1 for attacks abroad.
struct AttackDraws {
  const engine::RandomStream& rng;
  std::uint32_t step, first, agent = 0;
  double u(std::uint32_t k) const { return rng.uniform(agent, step, first + k); }
};

// Under a brand, brand_claim_share of the attacks as far as the brand still gives cover (S16): a
// group passes its attacks off under a name that is mostly others' cover less, and leaves them
// unclaimed or claims them itself instead.
int claimant_of(const World& world, const AttackSpec& a, int executor, const AttackDraws& draws) {
  if (a.brand >= 0 &&
      draws.u(3) <
          a.brand_claim_share * world.factions.brand_cover[static_cast<std::size_t>(a.brand)]) {
    return a.brand;
  }
  return draws.u(4) < a.own_claim_share ? executor : -1;
}

// Whom observers blame: the executor when intelligence finds it (S14-S16), else the claimant.
int attributed_of(const World& world, int executor, int claimant, const AttackDraws& draws) {
  return draws.u(7) < world.spec.armed_groups.intelligence_quality ? executor : claimant;
}

Target target_of(const AttackSpec& a, const AttackDraws& draws) {
  if (draws.u(2) < a.foreign_target_share) return Target::Foreign;
  return draws.u(5) < a.security_target_share ? Target::SecurityForces : Target::Civilians;
}

// What any attack costs in lives: casualties (Poisson, draw 8), attackers lost, and the
// claimant's prestige from the casualties it claims.
std::int64_t toll(World& world, std::size_t f, bool complex, int claimant,
                  const AttackDraws& draws) {
  Factions& fs = world.factions;
  const ArmedGroupsSpec& g = world.spec.armed_groups;
  const auto casualties = draws.rng.poisson(complex ? g.casualties_complex : g.casualties_simple,
                                            draws.agent, draws.step, draws.first + 8);
  const double lost =
      std::min(fs.fighters[f], complex ? g.attackers_lost_complex : g.attackers_lost_simple);
  fs.fighters[f] -= lost;
  fs.losses[f] += lost;
  if (claimant >= 0) {
    fs.prestige[static_cast<std::size_t>(claimant)] +=
        static_cast<double>(casualties) * g.prestige_per_casualty;
  }
  return casualties;
}

// One attack by faction f if its preparation pays for it; returns false when it cannot.
bool attack(World& world, std::size_t f, int step, const AttackDraws& draws) {
  Factions& fs = world.factions;
  const AttackSpec& a = world.spec.factions[f].attacks;
  const bool complex = fs.preparation[f] >= a.complex_cost_usd && draws.u(0) < a.complex_share;
  const double cost = complex ? a.complex_cost_usd : a.simple_cost_usd;
  if (fs.preparation[f] < cost) return false;
  fs.preparation[f] -= cost;
  const std::size_t district = attack_district(world, f, a, draws.u(1), draws.u(6));
  const int executor = static_cast<int>(f);
  const int claimant = claimant_of(world, a, executor, draws);
  const int attributed = attributed_of(world, executor, claimant, draws);
  const std::int64_t casualties = toll(world, f, complex, claimant, draws);
  ++fs.attacks_executed[f];
  if (claimant >= 0) ++fs.attacks_claimed[static_cast<std::size_t>(claimant)];
  world.events.push_back({.kind = EventKind::Attack,
                          .step = step,
                          .district = static_cast<int>(district),
                          .executor = executor,
                          .claimant = claimant,
                          .attributed = attributed,
                          .target = static_cast<int>(target_of(a, draws)),
                          .complex = complex ? 1 : 0,
                          .casualties = static_cast<int>(casualties)});
  return true;
}

// Weekly attack rate: rate_per_1000_fighters_year, scaled by fighters and by how much preparation
// the group holds against preparation_half_usd (half the ceiling at that level).
double attack_rate(const World& world, std::size_t f) {
  const AttackSpec& a = world.spec.factions[f].attacks;
  const double prep = world.factions.preparation[f];
  const double readiness = prep > 0.0 ? prep / (prep + a.preparation_half_usd) : 0.0;
  return a.rate_per_1000_fighters_step * world.factions.fighters[f] / 1000.0 * readiness;
}

// One complex attack abroad by faction f if its preparation pays for it (S10, S11): claimed and
// attributed as at home, with no district; it counts in no in-country tally.
bool attack_abroad(World& world, std::size_t f, int step, const AttackDraws& draws) {
  Factions& fs = world.factions;
  const AttackSpec& a = world.spec.factions[f].attacks;
  if (fs.preparation[f] < a.complex_cost_usd) return false;
  fs.preparation[f] -= a.complex_cost_usd;
  const int executor = static_cast<int>(f);
  const int claimant = claimant_of(world, a, executor, draws);
  const int attributed = attributed_of(world, executor, claimant, draws);
  const std::int64_t casualties = toll(world, f, true, claimant, draws);
  world.events.push_back({.kind = EventKind::AttackAbroad,
                          .step = step,
                          .executor = executor,
                          .claimant = claimant,
                          .attributed = attributed,
                          .target = static_cast<int>(Target::Foreign),
                          .complex = 1,
                          .casualties = static_cast<int>(casualties)});
  return true;
}

// Weekly odds of attacks abroad: abroad_per_step, half of it with capacity for one.
double abroad_rate(const World& world, std::size_t f) {
  const double capacity = world.factions.external_operations[f];
  return world.spec.factions[f].attacks.abroad_per_step * capacity / (capacity + 1.0);
}

void attacks_abroad(World& world, std::size_t f, std::uint32_t s, int step,
                    const engine::RandomStream& rng) {
  constexpr std::uint32_t kAbroad = 1;  // the stream's agent for attacks abroad
  if (world.spec.factions[f].attacks.abroad_per_step <= 0.0) return;
  const std::int64_t planned = rng.poisson(abroad_rate(world, f), kAbroad, s, 0);
  for (std::int64_t j = 0; j < planned; ++j) {
    const AttackDraws draws{rng, s, 1 + 16 * static_cast<std::uint32_t>(j), kAbroad};
    if (!attack_abroad(world, f, step, draws)) break;
  }
}

}  // namespace

void run_attacks(World& world, int step) {
  Factions& fs = world.factions;
  std::fill(fs.attacks_executed.begin(), fs.attacks_executed.end(), 0);
  std::fill(fs.attacks_claimed.begin(), fs.attacks_claimed.end(), 0);
  const double decay = std::exp2(-1.0 / world.spec.armed_groups.prestige_half_life_weeks);
  for (double& p : fs.prestige) p *= decay;
  counter_terrorism(world);
  for (std::size_t f = 0; f < world.faction_count(); ++f)
    fs.brand_cover[f] = brand_cover(world, step, f);
  const auto s = static_cast<std::uint32_t>(step);
  for (std::size_t f = 0; f < world.faction_count(); ++f) {
    const auto rng = world.random(Stream::Attacks, world.ids.factions[f]);
    const std::int64_t planned = rng.poisson(attack_rate(world, f), 0, s, 0);
    for (std::int64_t j = 0; j < planned; ++j) {
      const AttackDraws draws{rng, s, 1 + 16 * static_cast<std::uint32_t>(j)};
      if (!attack(world, f, step, draws)) break;
    }
    attacks_abroad(world, f, s, step, rng);
  }
}

}  // namespace aidflow::model
