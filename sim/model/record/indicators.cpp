#include "model/record/indicators.hpp"

#include <algorithm>
#include <array>

#include "aidflow_file_format.hpp"
#include "engine/parallel.hpp"
#include "model/policy/sanctions.hpp"
#include "model/spec/labels.hpp"

namespace aidflow::model {
namespace {

using engine::SeriesRow;
using engine::SeriesSpec;
using engine::ValueType;

constexpr const char* kCents = kMoneyUnits;

Indicator money(std::string name, std::vector<std::string> dims, std::string long_name,
                std::function<SeriesRow(const StepView&)> row, std::string group = "") {
  return {{std::move(group), std::move(name), std::move(dims), ValueType::Int64, kCents,
           std::move(long_name)},
          std::move(row)};
}

Indicator measure(std::string name, std::vector<std::string> dims, std::string units,
                  std::string long_name, std::function<SeriesRow(const StepView&)> row) {
  return {{"", std::move(name), std::move(dims), ValueType::Float64, std::move(units),
           std::move(long_name)},
          std::move(row)};
}

// Per donor, this step's cents in each kind of sink, summed over channels and sectors.
std::vector<Cents> by_donor(const StepView& view, SinkKind kind) {
  const World& world = view.world;
  const engine::Ledger& ledger = world.ledger;
  const std::size_t sinks = ledger.sinks().size();
  const std::vector<Cents>& settled = view.settled_by_source;
  std::vector<Cents> out(ledger.sources().size(), 0);
  for (std::size_t d = 0; d < out.size(); ++d) {
    for (std::size_t k = 0; k < sinks; ++k) {
      if (world.sinks.decode(k).kind == kind) {
        out[d] = engine::checked_add(out[d], settled[d * sinks + k]);
      }
    }
  }
  return out;
}

std::vector<Cents> treasuries(const World& world) {
  std::vector<Cents> out;
  for (std::size_t f = 0; f < world.faction_count(); ++f) {
    out.push_back(world.factions.accounts.balance(f));
  }
  return out;
}

// Population-weighted national influence of each faction.
std::vector<double> national_influence(const World& world) {
  const std::size_t factions = world.faction_count();
  const Districts& d = world.districts;
  std::vector<double> out(factions, 0.0);
  double people = 0.0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    people += d.population[i];
    for (std::size_t f = 0; f < factions; ++f)
      out[f] += d.population[i] * d.influence[i * factions + f];
  }
  for (double& v : out) v /= people;
  return out;
}

// Transfers between factions this step, [from][to], summed over sources.
std::vector<Cents> transfers(const World& world) {
  const engine::ProvenanceAccounts& a = world.factions.accounts;
  const std::size_t n = a.accounts().size(), s = a.sources().size();
  std::vector<Cents> out(n * n, 0);
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (std::size_t k = 0; k < s; ++k) out[i] += a.step_transferred()[i * s + k];
  }
  return out;
}

// Spending this step, [faction][use], summed over sources.
std::vector<Cents> spending(const World& world) {
  const engine::ProvenanceAccounts& a = world.factions.accounts;
  const std::size_t s = a.sources().size();
  std::vector<Cents> out(a.accounts().size() * a.uses().size(), 0);
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (std::size_t k = 0; k < s; ++k) out[i] += a.step_spent()[i * s + k];
  }
  return out;
}

// What people call each entry: its `name:`, or its id where the scenario gives none.
template <class Item>
std::vector<std::string> display_names(const std::vector<Item>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.name.empty() ? item.id : item.name);
  return out;
}

// Channels have no `name:`; their kind names them, with the id where two share a kind.
std::vector<std::string> channel_names(const std::vector<ChannelSpec>& channels) {
  static constexpr std::array<const char*, 5> kinds = {
      "UN agencies", "International NGOs", "National NGOs", "Trust funds", "Budget support"};
  std::vector<std::string> out;
  for (const auto& c : channels) {
    const auto kind = static_cast<std::size_t>(c.kind);
    const bool shared = std::count_if(channels.begin(), channels.end(),
                                      [&](const auto& other) { return other.kind == c.kind; }) > 1;
    out.push_back(shared ? std::string(kinds[kind]) + " (" + c.id + ")" : kinds[kind]);
  }
  return out;
}

// The parts of each packed sink label ("diverted:haqqani:local_tax"), so the ledger can be
// grouped by kind, faction or mechanism without splitting strings; "" where a part does not apply.
std::vector<engine::LabelCoordinate> sink_coordinates(const World& world) {
  std::vector<std::string> kinds, factions, mechanisms;
  for (std::size_t k = 0; k < world.ledger.sinks().size(); ++k) {
    const auto sink = world.sinks.decode(k);
    const bool diverted = sink.kind == SinkKind::Diverted;
    kinds.emplace_back(kSinkKindNames[static_cast<std::size_t>(sink.kind)]);
    factions.push_back(diverted ? world.spec.factions[sink.faction].id : "");
    mechanisms.emplace_back(diverted ? kMechanismNames[static_cast<std::size_t>(sink.mechanism)]
                                     : "");
  }
  return {{"sink_kind", std::move(kinds), "kind of sink"},
          {"sink_faction", std::move(factions), "faction of a diverted sink"},
          {"sink_mechanism", std::move(mechanisms), "mechanism of a diverted sink"}};
}

// Diverted cents of a ledger array laid out [donor][channel][sink], re-laid out
// [donor][channel][faction][mechanism]: diversion along its own dimensions.
std::vector<Cents> diverted_by_route(const World& world, const std::vector<Cents>& settled) {
  const std::size_t sinks = world.ledger.sinks().size();
  const std::size_t routes = settled.size() / sinks;
  const std::size_t cells = world.faction_count() * kMechanisms;
  std::vector<Cents> out(routes * cells, 0);
  for (std::size_t r = 0; r < routes; ++r) {
    for (std::size_t k = 0; k < sinks; ++k) {
      const auto sink = world.sinks.decode(k);
      if (sink.kind != SinkKind::Diverted) continue;
      const std::size_t cell =
          sink.faction * kMechanisms + static_cast<std::size_t>(sink.mechanism);
      out[r * cells + cell] = settled[r * sinks + k];
    }
  }
  return out;
}

// Sectors with the ministry each passes (its touchpoint) and its purpose, so the ledger by sector
// can be grouped by ministry without the scenario.
engine::Dimension sector_dimension(const ScenarioSpec& spec) {
  std::vector<std::string> ministries, purposes;
  for (const SectorSpec& s : spec.sectors) {
    ministries.push_back(spec.ministries[static_cast<std::size_t>(s.ministry)].id);
    purposes.emplace_back(kSectorPurposeNames[static_cast<std::size_t>(s.purpose)]);
  }
  return {
      "sector",
      ids_of(spec.sectors),
      {{"sector_ministry", std::move(ministries), "ministry touchpoint the sector's money passes"},
       {"sector_purpose", std::move(purposes), "humanitarian or security"}},
      {}};
}

std::vector<Indicator> aid_indicators() {
  return {
      money("aid_disbursed", {"donor"}, "aid disbursed this step",
            [](const StepView& v) {
              return v.world.ledger.by_source(v.world.ledger.step_disbursed());
            }),
      money("aid_delivered", {"donor"}, "aid delivered to households",
            [](const StepView& v) { return by_donor(v, SinkKind::Delivered); }),
      money("aid_overhead", {"donor"}, "overhead (a cost, not diversion)",
            [](const StepView& v) { return by_donor(v, SinkKind::Overhead); }),
      money("aid_counter_terrorism", {"donor"},
            "security aid that paid for counter-terrorism operations",
            [](const StepView& v) { return by_donor(v, SinkKind::CounterTerrorism); }),
      money("aid_diverted", {"donor"}, "aid diverted to factions",
            [](const StepView& v) { return by_donor(v, SinkKind::Diverted); }),
      money("aid_withheld", {"donor"}, "budgeted aid held back by suspensions in force",
            [](const StepView& v) { return v.world.policy.withheld; }),
      money("aid_substituted", {"donor"},
            "aid a donor added to make up for others' suspensions (substitution)",
            [](const StepView& v) { return v.world.policy.substituted; }),
      {{"",
        "suspensions",
        {"donor"},
        ValueType::Int64,
        "1",
        "conditions under which the donor is suspending aid this step"},
       [](const StepView& v) {
         const PolicyState& p = v.world.policy;
         const std::size_t donors = v.world.spec.donors.size();
         std::vector<std::int64_t> out(donors, 0);
         for (std::size_t i = 0; i < p.suspended_until.size(); ++i) {
           out[i % donors] += p.suspended_until[i] >= 0;
         }
         return SeriesRow(out);
       }},
      money("diverted", {"faction", "mechanism"}, "aid diverted by faction and mechanism",
            [](const StepView& v) { return v.world.factions.diverted; }),
      money("ministry_captured", {"ministry"}, "aid captured at each ministry touchpoint",
            [](const StepView& v) { return v.world.ministries.captured; }),
      measure("ministry_capture_rate", {"ministry"}, "1",
              "share of exposed money a ministry captures when unmonitored",
              [](const StepView& v) { return v.world.ministries.capture_rate; }),
      {{"",
        "ministry_controller",
        {"ministry"},
        ValueType::Int64,
        "1",
        "index along faction of the faction controlling the ministry"},
       [](const StepView& v) {
         const auto& c = v.world.ministries.controlled_by;
         return SeriesRow(std::vector<std::int64_t>(c.begin(), c.end()));
       }},
  };
}

std::vector<Indicator> people_indicators() {
  return {
      measure("need_mean", {}, "1", "mean need severity per person",
              [](const StepView& v) {
                const double people = v.people.people;
                return std::vector<double>{people > 0.0 ? v.people.need / people : 0.0};
              }),
      measure("people_in_need", {}, "people", "people above the need threshold",
              [](const StepView& v) { return std::vector<double>{v.people.in_need}; }),
      measure("people_reached", {}, "people",
              "people reached, in full weekly rations (a part ration counts in part)",
              [](const StepView& v) { return std::vector<double>{v.people.reached}; }),
      measure("people_reached_by_need", {}, "people",
              "people reached by aid delivered by need, in full weekly rations (beneficiary-list "
              "aid, steered to a faction's affiliates whatever their need, left out)",
              [](const StepView& v) { return std::vector<double>{v.people.reached_by_need}; }),
      measure("aid_per_person", {}, "USD", "aid delivered per person reached",
              [](const StepView& v) {
                Cents delivered = 0;
                for (Cents c : v.world.districts.delivered) delivered += c;
                for (Cents c : v.world.districts.list_aid) delivered += c;
                const double reached = v.people.reached;
                return std::vector<double>{reached > 0.0 ? engine::cents_to_usd(delivered) / reached
                                                         : 0.0};
              }),
      measure("displaced", {"displacement"}, "people",
              "people by displacement state (fled abroad in the run apart from those hosted "
              "abroad before it, who return by the host state's schedule)",
              [](const StepView& v) {
                return std::vector<double>(v.people.displaced.begin(), v.people.displaced.end());
              }),
      measure("returned", {"host"}, "people",
              "people who came back this step from Iran and Pakistan by the host state's "
              "policy (not the model's own displaced coming home)",
              [](const StepView& v) {
                return std::vector<double>(v.people.returned.begin(), v.people.returned.end());
              }),
  };
}

// Per province, summed over its districts: [province * width + k] for a row of `width` columns.
template <class Row>
std::vector<double> by_province(const World& world, std::size_t width, Row row) {
  const auto provinces = static_cast<std::size_t>(world.spec.geography.provinces);
  std::vector<double> out(provinces * width, 0.0);
  for (std::size_t i = 0; i < world.districts.size(); ++i) {
    row(i, out.data() + static_cast<std::size_t>(world.districts.province[i]) * width);
  }
  return out;
}

std::vector<Cents> cents_by_province(const World& world, std::size_t width,
                                     const std::function<void(std::size_t, Cents*)>& row) {
  const auto provinces = static_cast<std::size_t>(world.spec.geography.provinces);
  std::vector<Cents> out(provinces * width, 0);
  for (std::size_t i = 0; i < world.districts.size(); ++i) {
    row(i, out.data() + static_cast<std::size_t>(world.districts.province[i]) * width);
  }
  return out;
}

// A column of the districts' tallies (people by displacement state, returned by host) summed by
// province.
template <std::size_t N>
std::vector<double> province_sums(const World& world,
                                  std::array<double, N> DistrictTally::*column) {
  return by_province(world, N, [&](std::size_t i, double* row) {
    const std::array<double, N>& values = world.districts.tally[i].*column;
    for (std::size_t k = 0; k < N; ++k) row[k] += values[k];
  });
}

// Influence averaged over a province's districts by population.
std::vector<double> province_influence(const World& world) {
  const std::size_t factions = world.faction_count();
  const Districts& d = world.districts;
  std::vector<double> people =
      by_province(world, 1, [&](std::size_t i, double* out) { out[0] += d.population[i]; });
  std::vector<double> out = by_province(world, factions, [&](std::size_t i, double* row) {
    for (std::size_t f = 0; f < factions; ++f)
      row[f] += d.population[i] * d.influence[i * factions + f];
  });
  for (std::size_t k = 0; k < out.size(); ++k) {
    if (people[k / factions] > 0.0) out[k] /= people[k / factions];
  }
  return out;
}

// This step's attacks by province and executing faction.
std::vector<std::int64_t> province_attacks(const World& world) {
  const std::size_t factions = world.faction_count();
  std::vector<std::int64_t> out(static_cast<std::size_t>(world.spec.geography.provinces) * factions,
                                0);
  for (const Event& e : world.events) {
    if (e.kind != EventKind::Attack || e.district < 0 || e.executor < 0) continue;
    const auto province =
        static_cast<std::size_t>(world.districts.province[static_cast<std::size_t>(e.district)]);
    ++out[province * factions + static_cast<std::size_t>(e.executor)];
  }
  return out;
}

// Where things happen, for maps (docs/OUTPUT.md, "By province"). Ministry capture has no place:
// it is taken at the ministries, so province diversion is local taxation and beneficiary lists.
std::vector<Indicator> province_indicators() {
  return {
      money("province_aid_delivered", {"province"}, "aid delivered to households by need",
            [](const StepView& v) {
              return cents_by_province(v.world, 1, [&](std::size_t i, Cents* out) {
                out[0] += v.world.districts.delivered[i];
              });
            }),
      money("province_diverted", {"province", "faction"},
            "aid diverted where it was delivered: local taxation and beneficiary lists (ministry "
            "capture has no province)",
            [](const StepView& v) {
              const std::size_t factions = v.world.faction_count();
              const Districts& d = v.world.districts;
              return cents_by_province(v.world, factions, [&](std::size_t i, Cents* row) {
                for (std::size_t f = 0; f < factions; ++f) {
                  row[f] += d.local_tax[i * factions + f] + d.list_aid[i * factions + f];
                }
              });
            }),
      measure("province_influence", {"province", "faction"}, "1",
              "faction influence, population-weighted over the province's districts",
              [](const StepView& v) { return province_influence(v.world); }),
      measure("province_people", {"province"}, "people", "people in the country, by province",
              [](const StepView& v) {
                return by_province(v.world, 1, [&](std::size_t i, double* out) {
                  out[0] += v.world.districts.tally[i].people;
                });
              }),
      measure("province_people_in_need", {"province"}, "people", "people above the need threshold",
              [](const StepView& v) {
                return by_province(v.world, 1, [&](std::size_t i, double* out) {
                  out[0] += v.world.districts.tally[i].in_need;
                });
              }),
      {{"",
        "province_attacks",
        {"province", "faction"},
        ValueType::Int64,
        "attacks",
        "attacks carried out this step, by province and executing faction"},
       [](const StepView& v) { return SeriesRow(province_attacks(v.world)); }},
      measure("province_displaced", {"province", "displacement"}, "people",
              "people from the province's districts by displacement state",
              [](const StepView& v) { return province_sums(v.world, &DistrictTally::displaced); }),
      measure("province_returned", {"province", "host"}, "people",
              "people who came back this step from Iran and Pakistan, by province of arrival",
              [](const StepView& v) { return province_sums(v.world, &DistrictTally::returned); }),
  };
}

std::vector<Indicator> faction_indicators() {
  return {
      money("faction_treasury", {"faction"}, "faction cash at the end of the step",
            [](const StepView& v) { return treasuries(v.world); }),
      measure("faction_fighters", {"faction"}, "people", "fighters at the end of the step",
              [](const StepView& v) { return v.world.factions.fighters; }),
      {{"",
        "faction_recruits",
        {"faction"},
        ValueType::Int64,
        "people",
        "young men recruited this step"},
       [](const StepView& v) { return SeriesRow(v.world.factions.recruits); }},
      measure("faction_losses", {"faction"}, "people",
              "fighters lost this step (attrition, desertion, counter-terrorism, attacks)",
              [](const StepView& v) { return v.world.factions.losses; }),
      money("faction_income", {"faction", "income"}, "faction income by source this step",
            [](const StepView& v) { return v.world.factions.income; }),
      money("faction_spending", {"faction", "spending"}, "faction spending by use this step",
            [](const StepView& v) { return spending(v.world); }),
      money("transfers", {"from_faction", "to_faction"},
            "money passed along alliance edges this step",
            [](const StepView& v) { return transfers(v.world); }),
      measure("faction_influence", {"faction"}, "1", "population-weighted mean district influence",
              [](const StepView& v) { return national_influence(v.world); }),
      measure("faction_preparation", {"faction"}, "USD",
              "attack preparation bought and not yet used",
              [](const StepView& v) { return v.world.factions.preparation; }),
      measure("faction_prestige", {"faction"}, "1",
              "recruitment pull of recently claimed attacks (0: none)",
              [](const StepView& v) { return v.world.factions.prestige; }),
      measure("external_operations", {"faction"}, "attacks",
              "complex attacks abroad the faction could mount (S10)",
              [](const StepView& v) { return v.world.factions.external_operations; }),
      {{"",
        "attacks_executed",
        {"faction"},
        ValueType::Int64,
        "attacks",
        "attacks carried out this step"},
       [](const StepView& v) { return SeriesRow(v.world.factions.attacks_executed); }},
      {{"",
        "attacks_claimed",
        {"faction"},
        ValueType::Int64,
        "attacks",
        "attacks claimed this step"},
       [](const StepView& v) { return SeriesRow(v.world.factions.attacks_claimed); }},
      money("counter_terrorism_effort", {"faction"},
            "counter-terrorism money aimed at the faction this step",
            [](const StepView& v) { return v.world.factions.ct_effort; }),
      money(
          "treasury_by_source", {"faction", "source"},
          "faction cash by where it came from (donor or other source)",
          [](const StepView& v) { return v.world.factions.accounts.held(); }, "accounts"),
  };
}

SeriesRow counts(const std::vector<std::uint8_t>& flags) {
  return std::vector<std::int64_t>(flags.begin(), flags.end());
}

SeriesRow scalar(double value) {
  return std::vector<double>{value};
}

// Patrons, the coalition, sanctions and hostages (S9-S13, S18-S20).
std::vector<Indicator> policy_indicators() {
  return {
      money("patron_support", {"patron", "faction"}, "support each patron paid each faction",
            [](const StepView& v) { return v.world.patrons.paid; }),
      measure("patron_support_level", {"patron"}, "1",
              "share of its scenario support a patron chooses to pay (S9, S18-S20)",
              [](const StepView& v) { return v.world.patrons.support_level; }),
      measure("threat_perception", {"patron"}, "1",
              "threat a patron perceives from what it observes (S18)",
              [](const StepView& v) { return v.world.patrons.threat; }),
      measure("coalition_willingness", {"patron"}, "1",
              "base willingness + threat perception + envoy effect (S19)",
              [](const StepView& v) { return v.world.coalition.willingness; }),
      {{"",
        "coalition_member",
        {"patron"},
        ValueType::Int64,
        "1",
        "1 if the state is in the coalition at the end of the step"},
       [](const StepView& v) { return counts(v.world.coalition.member); }},
      measure("envoy_effect", {}, "1", "the envoy's effect on willingness this step",
              [](const StepView& v) { return scalar(v.world.coalition.envoy_effect); }),
      measure("sanction_coverage", {}, "1",
              "share of the targets' money the coalition can reach (lead plus members)",
              [](const StepView& v) { return scalar(v.world.policy.sanction_coverage); }),
      measure("coalition_credibility", {}, "1", "credibility of multilateral conditions",
              [](const StepView& v) { return scalar(v.world.policy.coalition_credibility); }),
      measure("sanction_effective", {"sanction"}, "1",
              "share of the target flow each sanction stopped this step (after evasion, damping)",
              [](const StepView& v) { return v.world.sanctions.effective; }),
      money("sanction_frozen", {"sanction"}, "money each sanction seized or froze this step",
            [](const StepView& v) { return v.world.sanctions.frozen; }),
      {{"",
        "hostages_held",
        {"faction"},
        ValueType::Int64,
        "people",
        "hostages held at the end of the step"},
       [](const StepView& v) { return SeriesRow(v.world.factions.hostages); }},
      measure("enforcement_damping", {}, "1",
              "share of enforcement lost to hostage leverage (0 under no concessions, S12)",
              [](const StepView& v) { return scalar(v.world.policy.enforcement_damping); }),
  };
}

std::vector<Indicator> ledger_indicators() {
  return {
      money(
          "disbursed", {"donor", "channel"}, "cents disbursed by donor and channel",
          [](const StepView& v) {
            return v.world.ledger.by_route(v.world.ledger.step_disbursed());
          },
          "ledger"),
      money(
          "settled", {"donor", "channel", "sink"},
          "cents ending in each sink, by donor and channel",
          [](const StepView& v) { return v.world.ledger.by_route(v.world.ledger.step_settled()); },
          "ledger"),
      money(
          "diverted", {"donor", "channel", "faction", "mechanism"},
          "cents diverted by donor, channel, faction and mechanism (the diverted sinks of settled)",
          [](const StepView& v) {
            return diverted_by_route(v.world,
                                     v.world.ledger.by_route(v.world.ledger.step_settled()));
          },
          "ledger"),
  };
}

std::vector<Indicator> all_indicators() {
  std::vector<Indicator> all;
  for (auto group : {aid_indicators(), people_indicators(), province_indicators(),
                     faction_indicators(), policy_indicators(), ledger_indicators()}) {
    for (auto& indicator : group) all.push_back(std::move(indicator));
  }
  return all;
}

}  // namespace

// The districts' tallies in district order, so the sums are the same bytes for any thread count.
PeopleTotals people_totals(const World& world) {
  PeopleTotals total;
  const double usd_per_person = world.spec.households.relief_usd_per_person_week;
  for (std::size_t i = 0; i < world.districts.size(); ++i) {
    const DistrictTally& t = world.districts.tally[i];
    if (usd_per_person > 0.0) {
      const double rations = engine::cents_to_usd(world.districts.delivered[i]) / usd_per_person;
      total.reached_by_need += std::min(t.people, rations);
    }
    total.people += t.people;
    total.need += t.need;
    total.in_need += t.in_need;
    total.reached += t.reached;
    for (std::size_t s = 0; s < total.displaced.size(); ++s) total.displaced[s] += t.displaced[s];
    for (std::size_t h = 0; h < total.returned.size(); ++h) total.returned[h] += t.returned[h];
  }
  return total;
}

const std::vector<Indicator>& indicators() {
  static const std::vector<Indicator> list = all_indicators();
  return list;
}

// Provinces by code, with their ISO 3166-2 code and name (a synthetic country's are numbered).
engine::Dimension province_dimension(const GeographySpec& geo) {
  std::vector<std::string> codes, iso, names;
  for (int p = 0; p < geo.provinces; ++p) {
    if (geo.source == GeographySource::Afghanistan) {
      const ProvinceRow& row = geo.province_rows[static_cast<std::size_t>(p)];
      codes.push_back(row.pcode);
      iso.push_back(row.iso);
      names.push_back(row.name);
    } else {
      // Appended piece by piece: GCC 12 misreports `"P" + std::to_string(...)` under -Wrestrict.
      const std::string number = std::to_string(p + 1);
      codes.emplace_back("P").append(number);
      iso.emplace_back("");
      names.emplace_back("province ").append(number);
    }
  }
  return {"province",
          std::move(codes),
          {{"province_iso", std::move(iso), "ISO 3166-2 code"},
           {"province_name", std::move(names), "province name"}},
          "province (OCHA / AGCHO pcode)"};
}

std::vector<engine::Dimension> indicator_dimensions(const World& world) {
  const ScenarioSpec& spec = world.spec;
  const auto factions = ids_of(spec.factions);
  const auto faction_names = display_names(spec.factions);
  const auto named = [](std::string dim, std::vector<std::string> ids,
                        std::vector<std::string> names, std::string what) {
    return engine::Dimension{dim, std::move(ids), {{dim + "_name", std::move(names), what}}, {}};
  };
  engine::Dimension sink{"sink", world.ledger.sinks(), sink_coordinates(world), {}};
  return {
      named("donor", ids_of(spec.donors), display_names(spec.donors), "donor name"),
      named("channel", ids_of(spec.channels), channel_names(spec.channels), "channel name"),
      named("faction", factions, faction_names, "faction name"),
      named("from_faction", factions, faction_names, "paying faction name"),
      named("to_faction", factions, faction_names, "receiving faction name"),
      named("ministry", ids_of(spec.ministries), display_names(spec.ministries), "ministry name"),
      sector_dimension(spec),
      {"mechanism", names_of(kMechanismNames)},
      {"displacement", names_of(kDisplacementNames)},
      {"host", names_of(kHostNames), {}, "country Afghans returned from"},
      province_dimension(spec.geography),
      {"income", names_of(kIncomeNames)},
      {"spending", names_of(kSpendingNames)},
      {"source", world.factions.accounts.sources()},
      named("patron", ids_of(spec.patrons), display_names(spec.patrons), "patron name"),
      {"sanction", sanction_labels(spec)},
      std::move(sink)};
}

std::vector<engine::FinalVariable> final_variables(const World& world) {
  const engine::Ledger& ledger = world.ledger;
  const engine::ProvenanceAccounts& accounts = world.factions.accounts;
  const auto total = [](std::string name, std::vector<std::string> dims, std::string long_name,
                        const std::vector<Cents>& values) {
    return engine::FinalVariable{{"summary", std::move(name), std::move(dims), ValueType::Int64,
                                  kCents, std::move(long_name)},
                                 values};
  };
  return {
      total("total_disbursed", {"donor", "channel"}, "cents disbursed over the run",
            ledger.by_route(ledger.total_disbursed())),
      total("total_settled", {"donor", "channel", "sink"}, "cents in each sink over the run",
            ledger.by_route(ledger.total_settled())),
      total("total_diverted", {"donor", "channel", "faction", "mechanism"},
            "cents diverted over the run by donor, channel, faction and mechanism",
            diverted_by_route(world, ledger.by_route(ledger.total_settled()))),
      total("total_disbursed_by_sector", {"donor", "channel", "sector"},
            "cents disbursed over the run by donor, channel and sector (its ministry touchpoint)",
            ledger.total_disbursed()),
      total(
          "total_settled_by_sector", {"donor", "channel", "sector", "sink"},
          "cents in each sink over the run by donor, channel and sector (its ministry touchpoint)",
          ledger.total_settled()),
      total("total_credited", {"faction", "source"},
            "cents each faction received over the run, by source (initial funds included)",
            accounts.total_credited()),
      total("total_transferred", {"from_faction", "to_faction", "source"},
            "cents passed between factions over the run, by where they came from",
            accounts.total_transferred()),
      total("total_spent", {"faction", "spending", "source"},
            "cents each faction spent over the run, by use and by where they came from",
            accounts.total_spent()),
  };
}

}  // namespace aidflow::model
