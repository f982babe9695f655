#include "model/policy/signals.hpp"

#include <algorithm>
#include <cmath>

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
    const Cents* row = ledger.step_settled().data() + (d * channels + c) * sinks;
    Cents diverted = 0;
    for (std::size_t k = 0; k < sinks; ++k) {
      if (world.sinks.decode(k).kind == SinkKind::Diverted) diverted += row[k];
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

// Sum of `field` over the window ending `lag` steps before now.
template <class Field>
double windowed(const std::vector<TruthRecord>& history, int step, const SignalsSpec& s,
                Field field) {
  double total = 0.0;
  const int last = step - s.lag_weeks;
  for (int t = std::max(0, last - s.window_weeks + 1); t <= last; ++t) {
    total += field(history[static_cast<std::size_t>(t)]);
  }
  return total;
}

// One observer's view: lagged windows of the truth, each value times its own lognormal noise.
Observation observe_one(const World& world, int step, std::uint32_t observer, int donor) {
  const SignalsSpec& s = world.spec.signals;
  const auto& history = world.signals.history;
  const auto rng = world.random(Stream::Signals);
  std::uint32_t draw = 0;
  const auto noisy = [&](double value) {
    const double z = rng.normal(observer, static_cast<std::uint32_t>(step), draw++);
    return value * std::exp(s.noise_sd * z - s.noise_sd * s.noise_sd / 2);
  };
  const std::size_t factions = world.faction_count();
  Observation o;
  const int last = step - s.lag_weeks;
  if (last < 0) {  // nothing seen yet
    o.claimed_attacks.assign(factions, 0.0);
    o.claimed_casualties.assign(factions, 0.0);
    o.external_operations.assign(factions, 0.0);
    o.northern_influence.assign(factions, 0.0);
    return o;
  }
  const TruthRecord& latest = history[static_cast<std::size_t>(last)];
  for (std::size_t f = 0; f < factions; ++f) {
    o.claimed_attacks.push_back(noisy(
        windowed(history, step, s, [f](const TruthRecord& r) { return r.claimed_attacks[f]; })));
    o.claimed_casualties.push_back(noisy(
        windowed(history, step, s, [f](const TruthRecord& r) { return r.claimed_casualties[f]; })));
    o.external_operations.push_back(noisy(latest.external_operations[f]));
    o.northern_influence.push_back(noisy(latest.northern_influence[f]));
  }
  if (donor >= 0) {
    const auto d = static_cast<std::size_t>(donor);
    const double found =
        windowed(history, step, s, [d](const TruthRecord& r) { return r.detected_diversion[d]; });
    const double paid =
        windowed(history, step, s, [d](const TruthRecord& r) { return r.disbursed[d]; });
    o.diversion_share = paid > 0.0 ? std::min(1.0, noisy(found / paid)) : 0.0;
  }
  o.refugees_abroad = noisy(latest.refugees_abroad);
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
  r.claimed_casualties.assign(factions, 0.0);
  for (const Event& e : world.events) {
    if (e.kind != EventKind::Attack || e.claimant < 0) continue;
    r.claimed_attacks[static_cast<std::size_t>(e.claimant)] += 1.0;
    r.claimed_casualties[static_cast<std::size_t>(e.claimant)] += e.casualties;
  }
  const engine::Ledger& ledger = world.ledger;
  const std::size_t channels = ledger.routes().size();
  for (std::size_t d = 0; d < world.spec.donors.size(); ++d) {
    r.detected_diversion.push_back(detected_diversion(world, d));
    Cents paid = 0;
    for (std::size_t c = 0; c < channels; ++c) paid += ledger.step_disbursed()[d * channels + c];
    r.disbursed.push_back(engine::cents_to_usd(paid));
  }
  r.refugees_abroad = refugees_abroad(world);
  r.external_operations = world.factions.external_operations;
  r.northern_influence = northern_influence(world);
  world.signals.history.push_back(std::move(r));
}

void observe(World& world, int step) {
  Signals& s = world.signals;
  s.donors.clear();
  for (std::size_t d = 0; d < world.spec.donors.size(); ++d) {
    s.donors.push_back(
        observe_one(world, step, static_cast<std::uint32_t>(d), static_cast<int>(d)));
  }
  s.states.clear();
  for (std::size_t p = 0; p < world.observing_states(); ++p) {
    s.states.push_back(observe_one(world, step, static_cast<std::uint32_t>(1000 + p), -1));
  }
}

}  // namespace aidflow::model
