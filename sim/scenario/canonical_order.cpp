#include "scenario/canonical_order.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace aidflow::scenario {
namespace {

using namespace model;

// Where each entry of a list moves when the list is sorted by id: renumber[old] = new.
class Renumbering {
 public:
  template <class Item>
  explicit Renumbering(const std::vector<Item>& items) : renumber_(items.size()) {
    std::vector<std::size_t> order(items.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return items[a].id < items[b].id; });
    for (std::size_t k = 0; k < order.size(); ++k) renumber_[order[k]] = static_cast<int>(k);
  }

  // A reference (an index, or -1 for none) after sorting.
  int operator()(int index) const {
    return index < 0 ? index : renumber_[static_cast<std::size_t>(index)];
  }
  void apply(int& index) const { index = (*this)(index); }
  // References kept as a set: renumbered and sorted.
  void apply_to_set(std::vector<int>& indices) const {
    for (int& i : indices) apply(i);
    std::sort(indices.begin(), indices.end());
  }
  // A list of entries (or of values by entry) put in sorted order.
  template <class T>
  void reorder(std::vector<T>& items) const {
    std::vector<T> sorted(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      sorted[static_cast<std::size_t>(renumber_[i])] = std::move(items[i]);
    }
    items = std::move(sorted);
  }

 private:
  std::vector<int> renumber_;
};

struct Renumberings {
  Renumbering factions, channels, ministries, sectors, donors, patrons;
};

template <class T, class Key>
void sort_by(std::vector<T>& items, Key key) {
  std::sort(items.begin(), items.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
}

void order_policy(PolicySpec& policy, const Renumberings& r) {
  CounterIsisAidSpec& aid = policy.counter_isis_aid;
  r.donors.apply(aid.donor);
  r.channels.apply(aid.channel);
  r.sectors.apply(aid.sector);
  for (ConditionSpec& c : policy.conditionality) {
    r.donors.apply_to_set(c.donors);
    r.factions.apply(c.faction);
  }
  // Conditions have no id: sorted by everything they say (two that compare equal are the same).
  sort_by(policy.conditionality, [](const ConditionSpec& c) {
    return std::tie(c.trigger, c.faction, c.threshold, c.donors, c.aid_types, c.suspension_weeks,
                    c.review_weeks, c.humanitarian_carve_out, c.multilateral, c.substitution);
  });
}

void order_armed_groups(ScenarioSpec& spec, const Renumberings& r) {
  r.factions.reorder(spec.factions);
  for (FactionSpec& f : spec.factions) r.factions.apply(f.attacks.brand);
  for (AllianceSpec& a : spec.alliances) {
    r.factions.apply(a.from);
    r.factions.apply(a.to);
  }
  sort_by(spec.alliances, [](const AllianceSpec& a) {
    return std::tie(a.from, a.to, a.kind, a.income_share, a.usd_per_year, a.cash_ceiling_reserves);
  });
  for (Hostility& h : spec.hostilities) {
    r.factions.apply(h.by);
    r.factions.apply(h.against);
  }
  sort_by(spec.hostilities, [](const Hostility& h) { return std::tie(h.by, h.against); });
}

void order_aid(ScenarioSpec& spec, const Renumberings& r) {
  r.channels.reorder(spec.channels);
  r.ministries.reorder(spec.ministries);
  for (MinistrySpec& m : spec.ministries) r.factions.apply(m.controlled_by);
  r.sectors.reorder(spec.sectors);
  for (SectorSpec& s : spec.sectors) r.ministries.apply(s.ministry);
  r.donors.reorder(spec.donors);
  for (DonorSpec& d : spec.donors) {
    r.channels.reorder(d.channel_shares);
    r.sectors.reorder(d.sector_shares);
  }
}

void order_patrons_and_sanctions(ScenarioSpec& spec, const Renumberings& r) {
  r.patrons.reorder(spec.patrons);
  for (PatronSpec& p : spec.patrons) {
    for (PatronSupportSpec& s : p.support) r.factions.apply(s.faction);
    sort_by(p.support,
            [](const PatronSupportSpec& s) { return std::tie(s.faction, s.usd_per_year); });
    r.factions.apply_to_set(p.threat.feared);
  }
  r.patrons.apply_to_set(spec.coalition.members);
  r.patrons.apply(spec.pakistan_pressure.patron);
  for (SanctionSpec& s : spec.sanctions) {
    r.factions.apply(s.from);
    r.factions.apply(s.to);
    r.factions.apply(s.faction);
  }
  sort_by(spec.sanctions, [](const SanctionSpec& s) {
    return std::tie(s.target, s.from, s.to, s.faction, s.start_step, s.enforcement,
                    s.evasion_per_step, s.freeze_per_step);
  });
}

}  // namespace

void put_in_canonical_order(ScenarioSpec& spec) {
  const Renumberings r{Renumbering(spec.factions),   Renumbering(spec.channels),
                       Renumbering(spec.ministries), Renumbering(spec.sectors),
                       Renumbering(spec.donors),     Renumbering(spec.patrons)};
  order_armed_groups(spec, r);
  order_aid(spec, r);
  order_policy(spec.policy, r);
  for (PolicyPeriod& period : spec.policy_timeline) order_policy(period.policy, r);
  order_patrons_and_sanctions(spec, r);
}

}  // namespace aidflow::scenario
