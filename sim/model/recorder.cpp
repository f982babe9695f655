#include "model/recorder.hpp"

#include <array>

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

namespace {

// Person-weighted totals over households, summed in one ordered pass.
struct PeopleTotals {
  double people = 0.0, need = 0.0, in_need = 0.0, reached = 0.0;
  std::array<double, kDisplacementStates> displaced{};
  PeopleTotals& operator+=(const PeopleTotals& other) {
    people += other.people;
    need += other.need;
    in_need += other.in_need;
    reached += other.reached;
    for (std::size_t s = 0; s < displaced.size(); ++s) displaced[s] += other.displaced[s];
    return *this;
  }
};

}  // namespace

void IndicatorRecorder::record_people() {
  const Households& h = world_.households;
  const double threshold = world_.spec.households.need_threshold;
  const PeopleTotals t = engine::ordered_sum<PeopleTotals>(h.size(), [&](std::size_t i) {
    PeopleTotals one;
    one.people = h.people[i];
    one.need = h.people[i] * h.need[i];
    one.in_need = h.need[i] > threshold ? h.people[i] : 0.0;
    one.reached = h.aid_received[i] > 0 ? h.people[i] : 0.0;
    one.displaced[static_cast<std::size_t>(h.displacement[i])] = h.people[i];
    return one;
  });
  Cents delivered = 0;
  for (Cents cents : world_.districts.delivered) delivered += cents;
  const double aid_per_person = t.reached > 0.0 ? engine::cents_to_usd(delivered) / t.reached : 0.0;
  sink_.append(next_++, std::vector<double>{t.people > 0.0 ? t.need / t.people : 0.0});
  sink_.append(next_++, std::vector<double>{t.in_need});
  sink_.append(next_++, std::vector<double>{t.reached});
  sink_.append(next_++, std::vector<double>{aid_per_person});
  sink_.append(next_++, std::vector<double>(t.displaced.begin(), t.displaced.end()));
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
