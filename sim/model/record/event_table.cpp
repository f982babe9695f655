#include "model/record/event_table.hpp"

#include "aidflow_file_format.hpp"
#include "model/policy/sanctions.hpp"
#include "model/spec/labels.hpp"

namespace aidflow::model {
namespace {

using engine::EventColumn;
using engine::ValueType;

constexpr const char* kCentsUnit = kMoneyUnits;

EventColumn number(std::string name, std::string units, std::string long_name) {
  return {std::move(name), ValueType::Int64, std::move(units), std::move(long_name), {}};
}

EventColumn category(std::string name, std::string long_name, std::vector<std::string> names) {
  return {std::move(name), ValueType::Int64, "1", std::move(long_name), std::move(names)};
}

}  // namespace

engine::EventTableSpec event_table(const World& world) {
  const auto factions = ids_of(world.spec.factions);
  return {
      "events",
      {category("kind", "what happened", names_of(kEventKindNames)),
       number("step", "1", "step the event happened in"),
       number("district", "1", "district index (-1: not tied to a district)"),
       number("in_capital", "1", "1 if in the capital, 0 if not, -1 n/a"),
       category("executor", "group that carried out the attack", factions),
       category("claimant", "group that claimed the attack (missing: unclaimed)", factions),
       category("attributed", "group observers hold responsible (missing: unknown)", factions),
       category("target", "what the attack was aimed at", names_of(kTargetNames)),
       number("complex", "1", "1 for a complex attack, 0 for an ordinary one, -1 n/a"),
       number("casualties", "people", "people killed or wounded (-1 n/a)"),
       category("ministry", "ministry that changed hands", ids_of(world.spec.ministries)),
       category("from_faction", "faction that lost the ministry", factions),
       category("to_faction", "faction that took the ministry", factions),
       category("donor", "donor that suspended or resumed aid", ids_of(world.spec.donors)),
       number("rule", "1",
              "index of the condition in policy.conditionality, in canonical order (-1 n/a)"),
       {"observed", ValueType::Float64, "1", "what the donors observed (-1 n/a)", {}},
       {"threshold", ValueType::Float64, "1", "the condition's threshold (-1 n/a)", {}},
       category("state", "patron state that joined or left the coalition",
                ids_of(world.spec.patrons)),
       category("sanction", "sanction that came into force", sanction_labels(world.spec)),
       category("faction", "sanction's target (payer of an edge), or the hostage holder", factions),
       number("hostages", "people", "hostages taken, released or lost (-1 n/a)"),
       number("amount", kCentsUnit, "ransom paid for released hostages (-1 n/a)"),
       number("prisoners", "people",
              "prisoners freed in exchange for hostages, back as fighters (-1 n/a)")}};
}

engine::EventRow event_row(const World& world, const Event& e) {
  const auto i = [](int v) { return engine::EventValue(static_cast<std::int64_t>(v)); };
  const int in_capital =
      e.district < 0 ? -1 : world.districts.in_capital[static_cast<std::size_t>(e.district)];
  return {i(static_cast<int>(e.kind)),
          i(e.step),
          i(e.district),
          i(in_capital),
          i(e.executor),
          i(e.claimant),
          i(e.attributed),
          i(e.target),
          i(e.complex),
          i(e.casualties),
          i(e.ministry),
          i(e.from),
          i(e.to),
          i(e.donor),
          i(e.rule),
          engine::EventValue(e.observed),
          engine::EventValue(e.threshold),
          i(e.state),
          i(e.sanction),
          i(e.faction),
          i(e.hostages),
          engine::EventValue(e.amount),
          i(e.prisoners)};
}

}  // namespace aidflow::model
