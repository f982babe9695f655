// Phase 8, hostages (S11, S12). Any group with a hostage-taking rate takes hostages (Poisson, while
// it has fighters) and holds them. Hostages are leverage: while any are held, the West must weigh
// their lives against strikes and sanctions, so holdings damp enforcement, saturating (the first
// hostages matter most). A no-concessions policy refuses that trade: no damping, and nobody is
// released for anything; hostages are then only lost (killed, rescued or escaped). Under
// concessions each is released with weekly odds, exchanged for prisoners (fighters back to the
// group) or for a ransom (new cash under the "ransom" source, in the books). Taking is a strategy
// (S12): every release bought from a group adds to its remembered payoff (decaying with
// payoff_half_life_weeks), and its taking rate rises by payoff_response per unit of it, so
// concessions that pay bring more taking; under no concessions nothing is bought and the cost is
// the hostages' own: held until lost.
#include "model/armed/hostages.hpp"

#include <cmath>

#include "model/state/world.hpp"

namespace aidflow::model {
namespace {

struct Releases {
  std::int64_t count = 0, prisoners_exchanges = 0;
  Cents ransom = 0;
};

// Draw slots per step of a faction's stream: 0 taken, 1 lost, 2 released, 3.. one per release
// (its kind).
Releases release(World& world, std::size_t f, int step, std::int64_t held) {
  const HostageRulesSpec& rules = world.spec.hostages;
  Releases r;
  if (rules.policy == HostagePolicy::NoConcessions) return r;
  const auto rng = world.random(Stream::Hostages, world.ids.factions[f]);
  const std::uint32_t agent = 0, s = static_cast<std::uint32_t>(step);
  r.count = rng.binomial(held, rules.release_per_step, agent, s, 2);
  for (std::int64_t j = 0; j < r.count; ++j) {
    if (rng.bernoulli(rules.prisoner_share, agent, s, 3 + static_cast<std::uint32_t>(j))) {
      ++r.prisoners_exchanges;
    } else {
      r.ransom = engine::checked_add(r.ransom, engine::usd_to_cents(rules.ransom_usd));
    }
  }
  return r;
}

void pay_release(World& world, std::size_t f, int step, const Releases& r) {
  const double prisoners =
      static_cast<double>(r.prisoners_exchanges) * world.spec.hostages.prisoners_per_exchange;
  world.factions.fighters[f] += prisoners;
  world.factions.accounts.credit(f, world.source_of(OtherSource::Ransom), r.ransom);
  Cents& income =
      world.factions.income[f * kIncomeKinds + static_cast<std::size_t>(Income::Ransom)];
  income = engine::checked_add(income, r.ransom);
  world.events.push_back({.kind = EventKind::HostageReleased,
                          .step = step,
                          .faction = static_cast<int>(f),
                          .hostages = static_cast<int>(r.count),
                          .amount = r.ransom,
                          .prisoners = static_cast<int>(prisoners)});
}

void hostage_event(World& world, EventKind kind, std::size_t f, int step, std::int64_t count) {
  world.events.push_back({.kind = kind,
                          .step = step,
                          .faction = static_cast<int>(f),
                          .hostages = static_cast<int>(count)});
}

void update_holder(World& world, std::size_t f, int step) {
  const auto rng = world.random(Stream::Hostages, world.ids.factions[f]);
  const std::uint32_t agent = 0, s = static_cast<std::uint32_t>(step);
  std::int64_t& held = world.factions.hostages[f];
  const std::int64_t lost = rng.binomial(held, world.spec.hostages.loss_per_step, agent, s, 1);
  held -= lost;
  if (lost > 0) hostage_event(world, EventKind::HostageLost, f, step, lost);
  const Releases r = release(world, f, step, held);
  held -= r.count;
  if (r.count > 0) pay_release(world, f, step, r);
  double& payoff = world.factions.hostage_payoff[f];
  payoff = payoff * std::exp2(-1.0 / world.spec.hostages.payoff_half_life_weeks) +
           static_cast<double>(r.count);
  const HostageTakingSpec& taking = world.spec.factions[f].hostages;
  const double rate = taking.take_per_step * (1.0 + taking.payoff_response * payoff);
  const std::int64_t taken = world.factions.fighters[f] > 0.0 ? rng.poisson(rate, agent, s, 0) : 0;
  held += taken;
  if (taken > 0) hostage_event(world, EventKind::HostageTaken, f, step, taken);
}

}  // namespace

double hostage_damping(const HostageRulesSpec& rules, double held) {
  if (rules.policy == HostagePolicy::NoConcessions || held <= 0.0) return 0.0;
  return rules.damping_max * held / (held + rules.damping_half_hostages);
}

void run_hostages(World& world, int step) {
  double held = 0.0;
  for (std::size_t f = 0; f < world.faction_count(); ++f) {
    update_holder(world, f, step);
    held += static_cast<double>(world.factions.hostages[f]);
  }
  world.policy.enforcement_damping = hostage_damping(world.spec.hostages, held);
}

}  // namespace aidflow::model
