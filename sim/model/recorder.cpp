#include "model/recorder.hpp"

#include "engine/parallel.hpp"

namespace aidflow::model {
namespace {

using engine::SeriesSpec;
using engine::ValueType;

template <class Item>
std::vector<std::string> ids_of(const std::vector<Item>& items) {
  std::vector<std::string> ids;
  for (const auto& item : items) ids.push_back(item.id);
  return ids;
}

template <std::size_t N>
std::vector<std::string> names_of(const std::array<const char*, N>& names) {
  return {names.begin(), names.end()};
}

constexpr const char* kCents = "USD cents";

}  // namespace

IndicatorRecorder::IndicatorRecorder(const World& world, engine::SeriesSink& sink)
    : world_(world), sink_(sink) {}

std::vector<engine::Dimension> IndicatorRecorder::dimensions(const World& world) {
  const ScenarioSpec& spec = world.spec;
  return {{"donor", ids_of(spec.donors)},
          {"channel", ids_of(spec.channels)},
          {"faction", ids_of(spec.factions)},
          {"ministry", ids_of(spec.ministries)},
          {"mechanism", names_of(kMechanismNames)},
          {"displacement", names_of(kDisplacementNames)},
          {"sink", world.ledger.sinks()}};
}

// The order here is the order record() appends in.
std::vector<SeriesSpec> IndicatorRecorder::series() {
  return {
      {"", "aid_disbursed", {"donor"}, ValueType::Int64, kCents, "aid disbursed this step"},
      {"", "aid_delivered", {"donor"}, ValueType::Int64, kCents, "aid delivered to households"},
      {"", "aid_overhead", {"donor"}, ValueType::Int64, kCents, "overhead (a cost, not diversion)"},
      {"", "aid_diverted", {"donor"}, ValueType::Int64, kCents, "aid diverted to factions"},
      {"",
       "diverted",
       {"faction", "mechanism"},
       ValueType::Int64,
       kCents,
       "aid diverted by faction and mechanism"},
      {"",
       "ministry_captured",
       {"ministry"},
       ValueType::Int64,
       kCents,
       "aid captured at each ministry touchpoint"},
      {"",
       "ministry_capture_rate",
       {"ministry"},
       ValueType::Float64,
       "1",
       "share of exposed money a ministry captures when unmonitored"},
      {"", "need_mean", {}, ValueType::Float64, "1", "mean need severity per person"},
      {"", "people_in_need", {}, ValueType::Float64, "people", "people above the need threshold"},
      {"", "people_reached", {}, ValueType::Float64, "people", "people who received aid"},
      {"", "aid_per_person", {}, ValueType::Float64, "USD", "aid delivered per person reached"},
      {"",
       "displaced",
       {"displacement"},
       ValueType::Float64,
       "people",
       "people by displacement state"},
      {"", "faction_treasury", {"faction"}, ValueType::Int64, kCents, "faction treasury"},
      {"", "faction_fighters", {"faction"}, ValueType::Float64, "people", "faction fighters"},
      {"ledger",
       "disbursed",
       {"donor", "channel"},
       ValueType::Int64,
       kCents,
       "cents disbursed by donor and channel"},
      {"ledger",
       "settled",
       {"donor", "channel", "sink"},
       ValueType::Int64,
       kCents,
       "cents ending in each sink, by donor and channel"},
  };
}

void IndicatorRecorder::record(int /*step*/) {
  next_ = 0;
  record_aid();
  record_people();
  record_factions();
  record_ledger();
}

void IndicatorRecorder::record_aid() {
  const engine::Ledger& ledger = world_.ledger;
  const std::size_t channels = ledger.routes().size(), sinks = ledger.sinks().size();
  const std::size_t donors = ledger.sources().size();
  std::vector<Cents> disbursed(donors, 0), delivered(donors, 0), overhead(donors, 0),
      diverted(donors, 0);
  for (std::size_t d = 0; d < donors; ++d) {
    for (std::size_t c = 0; c < channels; ++c) {
      const std::size_t row = d * channels + c;
      disbursed[d] += ledger.step_disbursed()[row];
      for (std::size_t k = 0; k < sinks; ++k) {
        const Cents cents = ledger.step_settled()[row * sinks + k];
        Cents& target = k == kSinkDelivered  ? delivered[d]
                        : k == kSinkOverhead ? overhead[d]
                                             : diverted[d];
        target = engine::checked_add(target, cents);
      }
    }
  }
  sink_.append(next_++, disbursed);
  sink_.append(next_++, delivered);
  sink_.append(next_++, overhead);
  sink_.append(next_++, diverted);
  sink_.append(next_++, world_.factions.diverted);
  sink_.append(next_++, world_.ministries.captured);
  sink_.append(next_++, world_.ministries.capture_rate);
}

void IndicatorRecorder::record_people() {
  const Households& h = world_.households;
  const double threshold = world_.spec.households.need_threshold;
  const std::size_t n = h.size();
  const double people = engine::ordered_sum<double>(n, [&](std::size_t i) { return h.people[i]; });
  const double need =
      engine::ordered_sum<double>(n, [&](std::size_t i) { return h.people[i] * h.need[i]; });
  const double in_need = engine::ordered_sum<double>(
      n, [&](std::size_t i) { return h.need[i] > threshold ? h.people[i] : 0.0; });
  const double reached = engine::ordered_sum<double>(
      n, [&](std::size_t i) { return h.aid_received[i] > 0 ? h.people[i] : 0.0; });
  Cents delivered = 0;
  for (Cents cents : world_.districts.delivered) delivered += cents;
  std::vector<double> displaced(kDisplacementStates, 0.0);
  for (int state = 0; state < kDisplacementStates; ++state) {
    displaced[static_cast<std::size_t>(state)] = engine::ordered_sum<double>(n, [&](std::size_t i) {
      return static_cast<int>(h.displacement[i]) == state ? h.people[i] : 0.0;
    });
  }
  sink_.append(next_++, std::vector<double>{people > 0.0 ? need / people : 0.0});
  sink_.append(next_++, std::vector<double>{in_need});
  sink_.append(next_++, std::vector<double>{reached});
  sink_.append(next_++, std::vector<double>{
                            reached > 0.0 ? engine::cents_to_usd(delivered) / reached : 0.0});
  sink_.append(next_++, displaced);
}

void IndicatorRecorder::record_factions() {
  sink_.append(next_++, world_.factions.treasury);
  sink_.append(next_++, world_.factions.fighters);
}

void IndicatorRecorder::record_ledger() {
  sink_.append(next_++, world_.ledger.step_disbursed());
  sink_.append(next_++, world_.ledger.step_settled());
}

std::vector<engine::FinalVariable> IndicatorRecorder::final_variables(const World& world) {
  const engine::Ledger& ledger = world.ledger;
  return {
      {{"summary",
        "total_disbursed",
        {"donor", "channel"},
        ValueType::Int64,
        kCents,
        "cents disbursed over the run"},
       ledger.total_disbursed()},
      {{"summary",
        "total_settled",
        {"donor", "channel", "sink"},
        ValueType::Int64,
        kCents,
        "cents in each sink over the run"},
       ledger.total_settled()},
  };
}

}  // namespace aidflow::model
