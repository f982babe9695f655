// Patron states and sponsors (S9, S15, S18, S20). Support is money from outside the country, so it
// enters a faction's accounts as new cash under the patron's own source and is followed from there
// like a donor's cents. Threat perceptions read only what the patron observes (signals), never the
// truth, so they share the observers' lag and noise.
#include "model/patrons/patrons.hpp"

#include <algorithm>

#include "model/state/world.hpp"

namespace aidflow::model {
namespace {

// One patron's threat (S18): the weighted sum, each term in the natural unit its weight is given
// in: 100 attacks a year it blames on the feared groups (its belief from attribution, S14-S16),
// one attack abroad a year blamed on them (S10, S22), a unit of northern influence, a million
// people abroad a year.
double threat_of(const PatronSpec& patron, const Observation& seen, int window_weeks) {
  const double per_year = static_cast<double>(kStepsPerYear) / std::max(1, window_weeks);
  double attacks = 0.0, north = 0.0, abroad = 0.0;
  for (int f : patron.threat.feared) {
    attacks += seen.attributed_attacks[static_cast<std::size_t>(f)];
    abroad += seen.attacks_abroad[static_cast<std::size_t>(f)];
    north += seen.northern_influence[static_cast<std::size_t>(f)];
  }
  const double inflow = std::max(0.0, seen.refugee_inflow) * per_year / 1e6;
  return patron.threat.attacks * attacks * per_year / 100.0 +
         patron.threat.northern_influence * north + patron.threat.refugee_inflow * inflow +
         patron.threat.attacks_abroad * abroad * per_year;
}

}  // namespace

void perceive_threats(World& world) {
  for (std::size_t p = 0; p < world.spec.patrons.size(); ++p) {
    world.patrons.threat[p] =
        threat_of(world.spec.patrons[p], world.signals.states[p], world.spec.signals.window_weeks);
  }
}

// The pressure's cost to the patron it is aimed at, once the patron stops hedging (S20).
double pressure_cost(const PressureSpec& pressure, std::size_t p, int step) {
  if (!pressure.enabled || pressure.patron != static_cast<int>(p)) return 0.0;
  return step >= pressure.start_step + pressure.delay_weeks ? pressure.strength : 0.0;
}

double reasons_to_cut(const World& world, std::size_t p, int step) {
  const double commitment = world.coalition.member[p] ? world.spec.coalition.commitment : 0.0;
  return std::max(0.0, world.patrons.threat[p]) + commitment +
         pressure_cost(world.spec.pakistan_pressure, p, step);
}

double support_kept(const PatronSpec& patron, double reasons) {
  return reasons > patron.strategic_depth ? patron.strategic_depth / reasons : 1.0;
}

void choose_support(World& world, int step) {
  for (std::size_t p = 0; p < world.spec.patrons.size(); ++p) {
    const PatronSpec& patron = world.spec.patrons[p];
    if (!patron.chooses_support) continue;
    const double kept = support_kept(patron, reasons_to_cut(world, p, step));
    double& level = world.patrons.support_level[p];
    level += patron.adjustment_per_week * (kept - level);
  }
}

void credit_patron_support(World& world, int step) {
  const std::size_t factions = world.faction_count();
  std::fill(world.patrons.paid.begin(), world.patrons.paid.end(), 0);
  for (std::size_t p = 0; p < world.spec.patrons.size(); ++p) {
    for (const PatronSupportSpec& s : world.spec.patrons[p].support) {
      const auto f = static_cast<std::size_t>(s.faction);
      const Cents planned =
          engine::spread_evenly(engine::usd_to_cents(s.usd_per_year), kStepsPerYear, step);
      const Cents amount = engine::take_share(planned, world.patrons.support_level[p]);
      world.factions.accounts.credit(f, world.source_of_patron(p), amount);
      Cents& cell = world.patrons.paid[p * factions + f];
      cell = engine::checked_add(cell, amount);
      Cents& income =
          world.factions.income[f * kIncomeKinds + static_cast<std::size_t>(Income::Patron)];
      income = engine::checked_add(income, amount);
    }
  }
}

}  // namespace aidflow::model
