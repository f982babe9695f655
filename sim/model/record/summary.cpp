#include "model/record/summary.hpp"

namespace aidflow::model {

RunSummary summarize(const World& world) {
  const engine::Ledger& ledger = world.ledger;
  const std::size_t sinks = ledger.sinks().size();
  RunSummary s;
  s.diverted_by_faction.assign(world.faction_count(), 0);
  for (Cents c : ledger.total_disbursed()) s.disbursed = engine::checked_add(s.disbursed, c);
  for (std::size_t i = 0; i < ledger.total_settled().size(); ++i) {
    const Cents c = ledger.total_settled()[i];
    const SinkLayout::Decoded sink = world.sinks.decode(i % sinks);
    switch (sink.kind) {
      case SinkKind::Delivered:
        s.delivered += c;
        break;
      case SinkKind::Overhead:
        s.overhead += c;
        break;
      case SinkKind::CounterTerrorism:
        s.counter_terrorism += c;
        break;
      case SinkKind::Diverted:
        s.diverted_by_faction[sink.faction] += c;
        s.diverted += c;
        break;
    }
  }
  for (std::size_t f = 0; f < world.faction_count(); ++f) {
    s.treasury.push_back(world.factions.accounts.balance(f));
  }
  s.fighters = world.factions.fighters;
  return s;
}

}  // namespace aidflow::model
