#include "model/policy/signals.hpp"

#include <algorithm>
#include <cmath>

#include "engine/parallel.hpp"
#include "model/aid/routing.hpp"

namespace aidflow::model {
namespace {

// Diversion of donor d's money this step and how much of it the donor finds out about: each
// channel's diverted cents x (detection_base + (detection_monitored - base) x its monitoring).
double detected_diversion(const World& world, std::size_t d) {
  const engine::Ledger& ledger = world.ledger;
  const std::size_t channels = ledger.routes().size(), sinks = ledger.sinks().size();
  const SignalsSpec& s = world.spec.signals;
  double detected = 0.0;
  for (std::size_t c = 0; c < channels; ++c) {
    Cents diverted = 0;
    for (std::size_t s = 0; s < ledger.touchpoints().size(); ++s) {
      const Cents* row = ledger.step_settled().data() + ledger.row(d, c, s) * sinks;
      for (std::size_t k = 0; k < sinks; ++k) {
        if (world.sinks.decode(k).kind == SinkKind::Diverted) diverted += row[k];
      }
    }
    const double detection = s.detection_base + (s.detection_monitored - s.detection_base) *
                                                    channel_monitoring(world, c);
    detected += engine::cents_to_usd(diverted) * detection;
  }
  return detected;
}

double refugees_abroad(const World& world) {
  double abroad = 0.0;
  for (const DistrictTally& t : world.districts.tally) {
    abroad += t.displaced[static_cast<std::size_t>(Displacement::Iran)] +
              t.displaced[static_cast<std::size_t>(Displacement::Pakistan)];
  }
  return abroad;
}

std::vector<double> northern_influence(const World& world) {
  const std::size_t factions = world.faction_count();
  std::vector<double> sum(factions, 0.0);
  double districts = 0.0;
  for (std::size_t i = 0; i < world.districts.size(); ++i) {
    if (world.districts.border[i] != BorderClass::CentralAsia) continue;
    districts += 1.0;
    for (std::size_t f = 0; f < factions; ++f) {
      sum[f] += world.districts.influence[i * factions + f];
    }
  }
  for (double& v : sum) v = districts > 0.0 ? v / districts : 0.0;
  return sum;
}

// Sum of `field` over the `weeks` steps ending at step `last` (those from step 0 on).
template <class Field>
double sum_of_weeks(const std::vector<TruthRecord>& history, int last, int weeks, Field field) {
  double total = 0.0;
  for (int t = std::max(0, last - weeks + 1); t <= last; ++t) {
    total += field(history[static_cast<std::size_t>(t)]);
  }
  return total;
}

// Sum of `field` over the window ending `lag` steps before now.
template <class Field>
double windowed(const std::vector<TruthRecord>& history, int step, const SignalsSpec& s,
                Field field) {
  return sum_of_weeks(history, step - s.lag_weeks, s.window_weeks, field);
}

// The noise slots (draw indices) of an observer's own stream, and of its stream for each faction
// it watches.
enum class OwnFigure : std::uint32_t { DiversionShare = 0, RefugeesAbroad = 1 };
enum class FactionFigure : std::uint32_t {
  ClaimedAttacks = 0,
  AttributedAttacks = 1,
  ExternalOperations = 2,
  NorthernInfluence = 3,
  AttacksAbroad = 4
};

// The lagged windows of attacks by faction that every observer sees alike before its own noise:
// summed once a step for all of them (the same sums in the same order as one observer's).
struct AttackWindows {
  std::vector<double> claimed, attributed, abroad;  // by faction
};

AttackWindows attack_windows(const World& world, int step) {
  const SignalsSpec& s = world.spec.signals;
  const auto& history = world.signals.history;
  AttackWindows w;
  if (step - s.lag_weeks < 0) return w;  // nothing seen yet
  for (std::size_t f = 0; f < world.faction_count(); ++f) {
    w.claimed.push_back(
        windowed(history, step, s, [f](const TruthRecord& r) { return r.claimed_attacks[f]; }));
    w.attributed.push_back(
        windowed(history, step, s, [f](const TruthRecord& r) { return r.attributed_attacks[f]; }));
    w.abroad.push_back(
        windowed(history, step, s, [f](const TruthRecord& r) { return r.attacks_abroad[f]; }));
  }
  return w;
}

// One observer's view: lagged windows of the truth, each value times its own lognormal noise,
// drawn from the observer's stream or its stream for the faction observed (keyed by the pair of
// identities, never list positions).
Observation observe_one(const World& world, int step, const AttackWindows& windows,
                        engine::Identity observer, int donor) {
  const SignalsSpec& s = world.spec.signals;
  const auto& history = world.signals.history;
  const auto noisy_from = [&](const engine::RandomStream& rng, auto what, double value) {
    const double z =
        rng.normal(0, static_cast<std::uint32_t>(step), static_cast<std::uint32_t>(what));
    return value * std::exp(s.noise_sd * z - s.noise_sd * s.noise_sd / 2);
  };
  const auto own_rng = world.random(Stream::Signals, observer);
  const auto noisy = [&](OwnFigure what, double value) { return noisy_from(own_rng, what, value); };
  const std::size_t factions = world.faction_count();
  Observation o;
  const int last = step - s.lag_weeks;
  if (last < 0) {  // nothing seen yet
    o.claimed_attacks.assign(factions, 0.0);
    o.attributed_attacks.assign(factions, 0.0);
    o.attacks_abroad.assign(factions, 0.0);
    o.external_operations.assign(factions, 0.0);
    o.northern_influence.assign(factions, 0.0);
    return o;
  }
  const TruthRecord& latest = history[static_cast<std::size_t>(last)];
  for (std::size_t f = 0; f < factions; ++f) {
    const auto rng = world.random(Stream::Signals, observer.with(world.ids.factions[f]));
    const auto of = [&](FactionFigure what, double value) { return noisy_from(rng, what, value); };
    o.claimed_attacks.push_back(of(FactionFigure::ClaimedAttacks, windows.claimed[f]));
    o.attributed_attacks.push_back(of(FactionFigure::AttributedAttacks, windows.attributed[f]));
    o.attacks_abroad.push_back(of(FactionFigure::AttacksAbroad, windows.abroad[f]));
    o.external_operations.push_back(
        of(FactionFigure::ExternalOperations, latest.external_operations[f]));
    o.northern_influence.push_back(
        of(FactionFigure::NorthernInfluence, latest.northern_influence[f]));
  }
  if (donor >= 0) {
    const auto d = static_cast<std::size_t>(donor);
    const double found =
        windowed(history, step, s, [d](const TruthRecord& r) { return r.detected_diversion[d]; });
    const double paid =
        windowed(history, step, s, [d](const TruthRecord& r) { return r.disbursed[d]; });
    o.diversion_share =
        paid > 0.0 ? std::min(1.0, noisy(OwnFigure::DiversionShare, found / paid)) : 0.0;
  }
  o.refugees_abroad = noisy(OwnFigure::RefugeesAbroad, latest.refugees_abroad);
  const int first = std::max(0, last - s.window_weeks + 1);
  o.refugee_inflow =
      latest.refugees_abroad - history[static_cast<std::size_t>(first)].refugees_abroad;
  return o;
}

}  // namespace

void record_truth(World& world, int /*step*/) {
  const std::size_t factions = world.faction_count();
  TruthRecord r;
  r.claimed_attacks.assign(factions, 0.0);
  r.self_claimed_attacks.assign(factions, 0.0);
  r.attributed_attacks.assign(factions, 0.0);
  r.attacks_abroad.assign(factions, 0.0);
  for (const Event& e : world.events) {
    if (e.kind == EventKind::AttackAbroad && e.attributed >= 0) {
      r.attacks_abroad[static_cast<std::size_t>(e.attributed)] += 1.0;
    }
    if (e.kind != EventKind::Attack) continue;
    if (e.claimant >= 0) r.claimed_attacks[static_cast<std::size_t>(e.claimant)] += 1.0;
    if (e.claimant >= 0 && e.claimant == e.executor) {
      r.self_claimed_attacks[static_cast<std::size_t>(e.claimant)] += 1.0;
    }
    if (e.attributed >= 0) r.attributed_attacks[static_cast<std::size_t>(e.attributed)] += 1.0;
  }
  const std::vector<Cents> paid = world.ledger.by_source(world.ledger.step_disbursed());
  for (std::size_t d = 0; d < world.spec.donors.size(); ++d) {
    r.detected_diversion.push_back(detected_diversion(world, d));
    r.disbursed.push_back(engine::cents_to_usd(paid[d]));
  }
  r.refugees_abroad = refugees_abroad(world);
  r.external_operations = world.factions.external_operations;
  r.northern_influence = northern_influence(world);
  world.signals.history.push_back(std::move(r));
}

double attacks_blamed_lately(const World& world, int step, std::size_t faction) {
  const auto& history = world.signals.history;
  const int weeks = world.spec.signals.window_weeks;
  const int last = std::min(step, static_cast<int>(history.size())) - 1;
  if (last < 0 || weeks <= 0) return 0.0;
  const double blamed = sum_of_weeks(history, last, weeks, [faction](const TruthRecord& r) {
    return r.attributed_attacks[faction];
  });
  return blamed / (last - std::max(0, last - weeks + 1) + 1);  // per week seen so far
}

double brand_cover(const World& world, int step, std::size_t brand) {
  const double needed = world.spec.armed_groups.brand_cover_needed;
  const auto& history = world.signals.history;
  const int last = std::min(step, static_cast<int>(history.size())) - 1;
  if (needed <= 0.0 || last < 0) return 1.0;
  const int weeks = world.spec.signals.window_weeks;
  const double claimed = sum_of_weeks(
      history, last, weeks, [brand](const TruthRecord& r) { return r.claimed_attacks[brand]; });
  if (claimed <= 0.0) return 1.0;
  const double own = sum_of_weeks(history, last, weeks, [brand](const TruthRecord& r) {
    return r.self_claimed_attacks[brand];
  });
  return std::min(1.0, own / claimed / needed);
}

// An observer a task (each draws from its own streams and writes only its own view): a step
// makes about 500 noisy figures.
void observe(World& world, int step) {
  Signals& s = world.signals;
  const std::size_t donors = world.spec.donors.size(), states = world.observing_states();
  s.donors.assign(donors, Observation{});
  s.states.assign(states, Observation{});
  const AttackWindows windows = attack_windows(world, step);
  engine::parallel_for_each(donors + states, [&](std::size_t i) {
    if (i < donors) {
      s.donors[i] = observe_one(world, step, windows, world.ids.donors[i], static_cast<int>(i));
    } else {
      s.states[i - donors] = observe_one(world, step, windows, world.ids.patrons[i - donors], -1);
    }
  });
}

}  // namespace aidflow::model
