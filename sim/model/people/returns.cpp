// Returns from Iran and Pakistan. Each host's returnees from the run's start on (its stock, those
// due after the run's end too) are household agents from the start, placed in the districts they
// will arrive in (people/geography.cpp) and hosted abroad: out of the country's people, need and
// aid until they come. The schedule says what share of the stock is back by the end of each step. A
// host's N hosted agents come back in a national order, the r-th once that share reaches (r + 1/2)
// / N, so the country follows the schedule to within half an agent at any resolution; the order
// interleaves districts (by each agent's place among its district's: the j-th of n at (j + 1/2) /
// n), so each district's returnees too come spread over the schedule. No draw: the schedule is an
// input, the same for every seed.
#include "model/people/returns.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace aidflow::model {
namespace {

// The people a schedule sends back from the run's start on, to its end and after: so the
// households that stand for a host's returnees are the same however long the run is (a 26-week
// run is the first 26 weeks of a 52-week one), those due after the run's end staying abroad.
double people_from(const std::vector<ReturnPeriod>& schedule, std::chrono::sys_days day) {
  double people = 0.0;
  for (const ReturnPeriod& p : schedule) {
    if (p.to < day) continue;
    const double days = static_cast<double>((p.to - p.from).count() + 1);
    people += p.people * static_cast<double>((p.to - std::max(p.from, day)).count() + 1) / days;
  }
  return people;
}

}  // namespace

ReturnSchedule return_schedule(const ScenarioSpec& spec, std::chrono::sys_days start, int steps) {
  ReturnSchedule out;
  for (int h = 0; h < kHosts; ++h) {
    const auto host = static_cast<std::size_t>(h);
    std::vector<double> by_step(static_cast<std::size_t>(steps), 0.0);
    for (const ReturnPeriod& p : spec.returns.from[host].schedule) {
      const double per_day = p.people / static_cast<double>((p.to - p.from).count() + 1);
      for (int s = 0; s < steps; ++s) {
        const auto first = start + std::chrono::days{7 * s}, last = first + std::chrono::days{6};
        const auto from = std::max(first, p.from), to = std::min(last, p.to);
        if (to >= from) by_step[static_cast<std::size_t>(s)] += per_day * ((to - from).count() + 1);
      }
    }
    out.stock[host] = people_from(spec.returns.from[host].schedule, start);
    double back = 0.0;
    for (double people : by_step) {
      back += people;
      out.share_by_step[host].push_back(out.stock[host] > 0.0 ? back / out.stock[host] : 1.0);
    }
  }
  return out;
}

namespace {

// Whether district i is where returnees from `host` cross into the country.
bool arrival_district(const World& world, std::size_t i, Host host) {
  const std::vector<int>& crossings =
      world.spec.returns.from[static_cast<std::size_t>(host)].crossing_provinces;
  if (!crossings.empty()) {
    return std::find(crossings.begin(), crossings.end(), world.districts.province[i]) !=
           crossings.end();
  }
  const BorderClass border = host == Host::Iran ? BorderClass::Iran : BorderClass::Pakistan;
  return world.districts.border[i] == border;
}

}  // namespace

void order_returns(Districts& d) {
  d.hosted_due.assign(d.hosted.size(), 0.0);
  for (std::size_t host = 0; host < kHosts; ++host) {
    // (place in its district, district, index into hosted) of every agent of this host.
    std::vector<std::tuple<double, std::size_t, std::size_t>> order;
    for (std::size_t i = 0; i < d.size(); ++i) {
      const std::uint32_t begin = d.hosted_start[i * kHosts + host];
      const std::uint32_t n = d.hosted_start[i * kHosts + host + 1] - begin;
      for (std::uint32_t j = 0; j < n; ++j) order.emplace_back((j + 0.5) / n, i, begin + j);
    }
    std::sort(order.begin(), order.end());
    for (std::size_t r = 0; r < order.size(); ++r) {
      d.hosted_due[std::get<2>(order[r])] = (static_cast<double>(r) + 0.5) / order.size();
    }
  }
}

std::vector<double> landing_weights(const World& world, Host host) {
  const Districts& d = world.districts;
  const double border_share = world.spec.returns.border_share;
  double everyone = 0.0, at_border = 0.0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    everyone += d.population[i];
    if (arrival_district(world, i, host)) at_border += d.population[i];
  }
  // With no district of arrival, everyone goes home.
  const double stay = at_border > 0.0 ? border_share : 0.0;
  std::vector<double> weight(d.size());
  for (std::size_t i = 0; i < d.size(); ++i) {
    weight[i] = (1.0 - stay) * d.population[i] / everyone;
    if (stay > 0.0 && arrival_district(world, i, host)) {
      weight[i] += stay * d.population[i] / at_border;
    }
  }
  return weight;
}

std::array<double, kHosts> return_households(World& world, std::size_t district, int step) {
  Districts& d = world.districts;
  Households& h = world.households;
  std::array<double, kHosts> came{};
  for (std::size_t host = 0; host < kHosts; ++host) {
    const std::size_t cell = district * kHosts + host;
    const std::uint32_t begin = d.hosted_start[cell], n = d.hosted_start[cell + 1] - begin;
    if (n == 0) continue;
    const double share = world.returns.share_by_step[host][static_cast<std::size_t>(step)];
    for (std::uint32_t& next = d.hosted_returned[cell];
         next < n && d.hosted_due[begin + next] <= share; ++next) {
      const std::uint32_t id = d.first_household[district] + d.hosted[begin + next];
      h.displacement[id] = Displacement::Home;
      h.need[id] = std::min(1.0, h.need[id] + world.spec.households.returnee_need);
      came[host] += h.people[id];
    }
  }
  return came;
}

}  // namespace aidflow::model
