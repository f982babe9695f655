// Phase 6, the balance of power: capture creeping up in ministries, influence following relative
// strength, ministries moving between the wings of the de facto government (S21), and each
// group's external-operations capacity (S3, S10).
#include "model/armed/balance.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

namespace aidflow::model {
namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// A sum over factions, first to last. Eigen's sum() pairs terms by vector width, so a faction
// added anywhere (even with nothing) would regroup the others' terms and move the last bit; a
// zero added in order leaves the sum as it was.
template <class Row>
double in_order_sum(const Row& row) {
  double sum = 0.0;
  for (Eigen::Index i = 0; i < row.size(); ++i) sum += row(i);
  return sum;
}

}  // namespace

double strength(const World& world, std::size_t f, double fighters, double cash_usd) {
  const double upkeep_year =
      kStepsPerYear * world.spec.factions[f].economy.upkeep_usd_per_fighter_week;
  const double cash_fighters = upkeep_year > 0.0 ? cash_usd / upkeep_year : 0.0;
  return fighters + world.spec.armed_groups.cash_weight * cash_fighters;
}

namespace {

double strength_now(const World& world, std::size_t f) {
  return strength(world, f, world.factions.fighters[f],
                  engine::cents_to_usd(world.factions.accounts.balance(f)));
}

// Strength relative to the start: ministries were shared out at the start to match the balance
// then, so only a shift in the balance can move one.
double relative_strength(const World& world, std::size_t f) {
  const double initial = world.factions.initial_strength[f];
  return (strength_now(world, f) + 1.0) / (initial + 1.0);
}

}  // namespace

void creep_capture(World& world) {
  Ministries& m = world.ministries;
  for (std::size_t i = 0; i < m.capture_rate.size(); ++i) {
    const double rise = world.spec.ministries[i].infiltration_per_step * (1.0 - m.monitoring[i]) *
                        (1.0 - m.capture_rate[i]);
    m.capture_rate[i] = std::min(1.0, m.capture_rate[i] + rise);
  }
}

namespace {

// Each faction's share of its start-of-run presence in each district: population x influence,
// over the faction's total (zero everywhere for a faction with no influence anywhere).
std::vector<double> presence_shares(const World& world) {
  const Districts& d = world.districts;
  const std::size_t factions = world.faction_count();
  std::vector<double> share(d.size() * factions, 0.0), total(factions, 0.0);
  for (std::size_t i = 0; i < d.size(); ++i) {
    for (std::size_t f = 0; f < factions; ++f) {
      share[i * factions + f] = d.population[i] * d.initial_influence[i * factions + f];
      total[f] += share[i * factions + f];
    }
  }
  for (std::size_t i = 0; i < d.size(); ++i) {
    for (std::size_t f = 0; f < factions; ++f) {
      if (total[f] > 0.0) share[i * factions + f] /= total[f];
    }
  }
  return share;
}

// Recruits join in the district that gave them; the losses of the step, wherever they happened
// (attrition, desertion, operations, attacks, released prisoners joining), fall on every district
// alike, so each faction's districts keep its national total.
void move_fighters(World& world) {
  Districts& d = world.districts;
  const std::size_t factions = world.faction_count();
  std::vector<double> total(factions, 0.0);
  for (std::size_t i = 0; i < d.size(); ++i) {
    for (std::size_t f = 0; f < factions; ++f) {
      d.fighters[i * factions + f] += static_cast<double>(d.recruits[i * factions + f]);
      total[f] += d.fighters[i * factions + f];
    }
  }
  for (std::size_t i = 0; i < d.size(); ++i) {
    for (std::size_t f = 0; f < factions; ++f) {
      const double scale = total[f] > 0.0 ? world.factions.fighters[f] / total[f] : 0.0;
      d.fighters[i * factions + f] *= scale;
    }
  }
}

// Loyalty bought with beneficiary lists: this step's list aid per person joins what is left of
// the loyalty bought before.
void accrue_patronage(World& world) {
  Districts& d = world.districts;
  const std::size_t factions = world.faction_count();
  const double keep = std::exp2(-1.0 / world.spec.armed_groups.patronage_half_life_weeks);
  for (std::size_t i = 0; i < d.size(); ++i) {
    const double people = d.population[i];
    for (std::size_t f = 0; f < factions; ++f) {
      const double usd = engine::cents_to_usd(d.list_aid[i * factions + f]);
      double& loyalty = d.patronage[i * factions + f];
      loyalty = loyalty * keep + (people > 0.0 ? usd / people : 0.0);
    }
  }
}

// What a district's influence moves toward, before the row is scaled to its starting total: the
// starting pattern x local strength (fighters from the district now over at the start, each with
// the district's share of one fighter added, so that uniform growth gives the national ratio and
// a group with no fighters at the start can grow) x (1 + patronage effect x loyalty bought).
double influence_pull(const World& world, std::size_t cell) {
  const Districts& d = world.districts;
  if (d.initial_influence[cell] <= 0.0) return 0.0;  // no ground to hold: no share of a fighter
  const double one_fighter = d.presence[cell];
  const double local = (d.fighters[cell] + one_fighter) / (d.initial_fighters[cell] + one_fighter);
  const double loyalty =
      1.0 + world.spec.armed_groups.patronage_influence_per_usd * d.patronage[cell];
  return d.initial_influence[cell] * local * loyalty;
}

}  // namespace

void place_fighters(World& world) {
  Districts& d = world.districts;
  const std::size_t factions = world.faction_count();
  d.presence = presence_shares(world);
  d.fighters = d.presence;
  for (std::size_t i = 0; i < d.size(); ++i) {
    for (std::size_t f = 0; f < factions; ++f) {
      d.fighters[i * factions + f] *= world.spec.factions[f].fighters;
    }
  }
  d.initial_fighters = d.fighters;
  d.patronage.assign(d.size() * factions, 0.0);
}

// Each district's influence moves toward its pull, with the northern influence bought by
// assassinations on top; the row keeps its starting total, so groups contest the same ground.
void shift_influence(World& world) {
  move_fighters(world);
  accrue_patronage(world);
  const std::size_t factions = world.faction_count();
  const auto n = static_cast<Eigen::Index>(world.districts.size());
  const auto k = static_cast<Eigen::Index>(factions);
  Eigen::Map<RowMatrix> influence(world.districts.influence.data(), n, k);
  const Eigen::Map<const RowMatrix> initial(world.districts.initial_influence.data(), n, k);
  Eigen::RowVectorXd north(k);
  for (std::size_t f = 0; f < factions; ++f) {
    north(static_cast<Eigen::Index>(f)) = 1.0 + world.factions.northern_push[f];
  }
  RowMatrix target(n, k);
  for (Eigen::Index d = 0; d < n; ++d) {
    for (Eigen::Index f = 0; f < k; ++f) {
      const auto cell = static_cast<std::size_t>(d * k + f);
      target(d, f) = influence_pull(world, cell);
    }
    if (world.districts.border[static_cast<std::size_t>(d)] == BorderClass::CentralAsia) {
      target.row(d).array() *= north.array();
    }
    const double sum = in_order_sum(target.row(d)), total = in_order_sum(initial.row(d));
    if (sum > 0.0) target.row(d) *= total / sum;
  }
  const double rate = world.spec.armed_groups.influence_adjust_per_step;
  influence += rate * (target - influence);
}

void review_ministries(World& world, int step) {
  const ArmedGroupsSpec& a = world.spec.armed_groups;
  if (step == 0 || step % a.ministry_review_weeks != 0) return;
  const std::size_t factions = world.faction_count();
  std::vector<double> relative(factions, 0.0);
  for (std::size_t f = 0; f < factions; ++f) relative[f] = relative_strength(world, f);
  for (std::size_t m = 0; m < world.ministries.controlled_by.size(); ++m) {
    const auto holder = static_cast<std::size_t>(world.ministries.controlled_by[m]);
    std::size_t best = holder;
    for (std::size_t f = 0; f < factions; ++f) {
      if (world.spec.factions[f].holds_ministries && relative[f] > relative[best]) best = f;
    }
    if (best == holder || relative[best] - relative[holder] <= a.ministry_move_margin) continue;
    // Keyed by the ministry and its challenger, whatever their places in the lists.
    const auto rng =
        world.random(Stream::Ministries, world.ids.ministries[m].with(world.ids.factions[best]));
    if (!rng.bernoulli(a.ministry_move_odds, 0, static_cast<std::uint32_t>(step))) {
      continue;
    }
    world.ministries.controlled_by[m] = static_cast<int>(best);
    world.events.push_back({.kind = EventKind::MinistryMoved,
                            .step = step,
                            .ministry = static_cast<int>(m),
                            .from = static_cast<int>(holder),
                            .to = static_cast<int>(best)});
  }
}

void update_external_operations(World& world) {
  const std::size_t factions = world.faction_count();
  std::vector<double> access(factions, 0.0);
  for (std::size_t m = 0; m < world.spec.ministries.size(); ++m) {
    if (!world.spec.ministries[m].issues_ids) continue;
    const int holder = world.ministries.controlled_by[m];
    access[static_cast<std::size_t>(holder)] = 1.0;
    for (const AllianceSpec& edge : world.spec.alliances) {
      // A group its holder supports gets documents through it, less reliably.
      if (edge.from == holder) {
        auto& a = access[static_cast<std::size_t>(edge.to)];
        a = std::max(a, 0.5);
      }
    }
  }
  for (std::size_t f = 0; f < factions; ++f) {
    const double cost = world.spec.factions[f].attacks.complex_cost_usd;
    const double complex_attacks = cost > 0.0 ? world.factions.preparation[f] / cost : 0.0;
    world.factions.external_operations[f] = complex_attacks * (1.0 + access[f]);
  }
}

}  // namespace aidflow::model
