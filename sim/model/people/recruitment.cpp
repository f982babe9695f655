#include "model/people/recruitment.hpp"

#include <algorithm>

namespace aidflow::model {
namespace {

// Where a group finds young men: its influence, plus networks beyond it in the capital (urban
// cells) and along borders (a cross-border recruiting pool: ex-TTP men near Pakistan, S15).
double presence(const World& world, std::size_t district, std::size_t f) {
  const RecruitmentSpec& r = world.spec.factions[f].recruitment;
  const Districts& d = world.districts;
  double p = d.influence[district * world.faction_count() + f];
  if (d.in_capital[district]) p += r.capital_reach;
  p += r.border_reach[static_cast<std::size_t>(d.border[district])];
  return p;
}

// Pay draws recruits up to pay_reference_usd; half the pull does not depend on pay (ideology,
// protection, belonging). A group that cannot afford its pay offers only what it can.
double pay_pull(const World& world, std::size_t f) {
  const RecruitmentRules& rules = world.spec.recruitment;
  const double offered =
      world.spec.factions[f].economy.recruit_pay_usd * world.factions.pay_factor[f];
  const double paid =
      rules.pay_reference_usd > 0.0 ? std::min(1.0, offered / rules.pay_reference_usd) : 1.0;
  return 0.5 + 0.5 * paid;
}

}  // namespace

RecruitmentPull::RecruitmentPull(const World& world)
    : factions_(world.faction_count()), need_floor_(world.spec.recruitment.need_floor) {
  const std::size_t n = world.districts.size();
  const double base = world.spec.recruitment.rate_per_step;
  std::vector<double> group(factions_);
  for (std::size_t f = 0; f < factions_; ++f) {
    group[f] = world.spec.factions[f].recruitment.appeal * pay_pull(world, f) *
               (1.0 + world.factions.prestige[f]);
  }
  odds_.assign(n * factions_, 0.0);
  total_.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t f = 0; f < factions_; ++f) {
      odds_[i * factions_ + f] = base * presence(world, i, f) * group[f];
      total_[i] += odds_[i * factions_ + f];
    }
    // Weekly odds stay far below one; the cap only guards absurd parameter combinations.
    if (total_[i] > 0.5) {
      for (std::size_t f = 0; f < factions_; ++f) odds_[i * factions_ + f] *= 0.5 / total_[i];
      total_[i] = 0.5;
    }
  }
}

void RecruitmentPull::split_recruits(const World& world, std::size_t district, std::uint32_t id,
                                     std::int64_t joining, int step, std::int64_t* recruits) const {
  const auto s = static_cast<std::uint32_t>(step);
  // The last group with any pull takes what is left: a group without pull here (an inert entry
  // anywhere in the list) takes nobody and changes nobody else's draws.
  std::size_t last = 0;
  for (std::size_t f = 0; f < factions_; ++f) {
    if (odds(district, f) > 0.0) last = f;
  }
  std::int64_t left = joining;
  double odds_left = total_[district];
  for (std::size_t f = 0; f <= last && left > 0; ++f) {
    const double o = odds(district, f);
    const double p = odds_left > 0.0 ? std::min(1.0, o / odds_left) : 1.0;
    const auto rng = world.random(Stream::Recruitment, world.ids.factions[f]);
    const std::int64_t k = f == last ? left : rng.binomial(left, p, id, s);
    recruits[f] += k;
    left -= k;
    odds_left -= o;
  }
}

}  // namespace aidflow::model
