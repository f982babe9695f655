#pragma once
// The state of a simulated country, stored as structure-of-arrays populations. Built once from a
// ScenarioSpec; each phase reads it and writes its own columns.
#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "engine/accounts.hpp"
#include "engine/ledger.hpp"
#include "engine/money.hpp"
#include "engine/random.hpp"
#include "model/spec/scenario.hpp"
#include "model/state/aid.hpp"
#include "model/state/armed.hpp"
#include "model/state/events.hpp"
#include "model/state/identities.hpp"
#include "model/state/observations.hpp"
#include "model/state/patrons.hpp"
#include "model/state/people.hpp"
#include "model/state/policy.hpp"
#include "model/state/sinks.hpp"

namespace aidflow::model {

using engine::Cents;

// Random streams: one per mechanism that draws, so adding a draw elsewhere changes nothing here.
// Households, districts and provinces draw under their number; factions, donors, ministries and
// patrons under their identity (World::random with an Identity), never their list position.
enum class Stream : std::uint32_t {
  Geography = 1,
  HouseholdPlacement = 2,
  // A household's four numbers of a step from one Philox block: its targeting chance (who is
  // served first when aid runs short), need shock, move and recruits (people/households.cpp).
  HouseholdStep = 3,
  // 4 and 5 were the need shock and targeting streams, retired when they joined HouseholdStep.
  Recruitment = 6,  // splitting a household's recruits among groups: by faction, agent household
  Attacks = 7,      // by faction
  Ministries = 8,   // whether a ministry changes hands: by (ministry, challenger)
  Drought = 9,      // by province
  Signals = 10,     // observers' noise: by observer, or (observer, faction observed)
  Hostages = 11     // hostages taken, released and lost: by faction
};

// A calendar year of the run: its first step and its weeks from the run's start to the year's end
// (a week belongs to the year its first day is in), some past the run's end if it stops within
// the year.
struct CalendarYear {
  int year = 0, first_step = 0, weeks = 0;
};

class World {
 public:
  explicit World(const ScenarioSpec& spec);

  const ScenarioSpec spec;  // a copy: the world outlives whatever it was built from
  // The stream of numbered agents (households, districts, provinces).
  engine::RandomStream random(Stream stream) const {
    return engine::RandomStream(spec.run.seed, static_cast<std::uint32_t>(stream));
  }
  // The stream of one identified entry, or pair of entries (ids below).
  engine::RandomStream random(Stream stream, engine::Identity who) const {
    return engine::RandomStream(spec.run.seed, static_cast<std::uint32_t>(stream), who);
  }
  const Identities ids;
  std::size_t faction_count() const { return spec.factions.size(); }
  // Source index of donor d's cents, and of a non-aid source, in the factions' accounts.
  std::size_t source_of_donor(std::size_t d) const { return d; }
  std::size_t source_of(OtherSource s) const {
    return spec.donors.size() + static_cast<std::size_t>(s);
  }
  std::size_t source_of_patron(std::size_t p) const {
    return spec.donors.size() + kOtherSources + p;
  }

  // Patrons that observe: every patron (only states act on it, by joining the coalition).
  std::size_t observing_states() const { return spec.patrons.size(); }

  SinkLayout sinks;
  PolicyState policy;
  Signals signals;
  Patrons patrons;
  Coalition coalition;
  Sanctions sanctions;
  Districts districts;
  Households households;
  ReturnSchedule returns;
  Factions factions;
  Ministries ministries;
  Flows flows;
  engine::Ledger ledger;
  std::vector<Event> events;         // this step's, appended by phases and taken by the recorder
  std::vector<Cents> yearly_budget;  // by donor
  int start_week_of_year = 0;
  std::vector<CalendarYear> calendar;  // the run's calendar years, in order
  const CalendarYear& calendar_year(int step) const {
    for (const CalendarYear& y : calendar) {
      if (step < y.first_step + y.weeks) return y;
    }
    return calendar.back();
  }
};

}  // namespace aidflow::model
