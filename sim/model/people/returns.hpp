#pragma once
// Returns from Iran and Pakistan as the host states' policy (docs/MODEL.md phase 5): the scenario's
// schedule of people sent back by date, the households that stand for them (hosted abroad until
// their turn), where they arrive, and their arrival.
#include <array>
#include <vector>

#include "model/state/world.hpp"

namespace aidflow::model {

// The schedule in the run's steps: each period's people spread evenly over its days, the days
// before the run left out, those after it counted in the stock (they stay abroad).
ReturnSchedule return_schedule(const ScenarioSpec& spec, std::chrono::sys_days start, int steps);

// How a host's returnees spread over districts (summing to 1): border_share over the districts
// of arrival (the crossing provinces', or every district on the host's border) by population,
// the rest over every district by population (they go home).
std::vector<double> landing_weights(const World& world, Host host);

// The national order in which each host's hosted households come back (Districts::hosted_due).
void order_returns(Districts& d);

// The district's hosted households whose turn has come by the end of `step` come home, with
// returnee_need more need; returns the people who came, by host.
std::array<double, kHosts> return_households(World& world, std::size_t district, int step);

}  // namespace aidflow::model
