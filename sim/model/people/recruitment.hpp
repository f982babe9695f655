#pragma once
// Recruitment in the household phase (docs/MODEL.md phase 5, S5, S15): young men at risk join armed
// groups with odds that rise with their household's need and with each group's presence, pay and
// recent prestige. Counts are whole people, drawn per household agent from its young men, so per
// person they do not depend on how many people an agent stands for.
#include <vector>

#include "model/state/world.hpp"

namespace aidflow::model {

class RecruitmentPull {
 public:
  // Each group's weekly pull per young man in each district, from the state left by last step.
  explicit RecruitmentPull(const World& world);

  // This step's recruits from household `id` of `district`, added to recruits[faction]: how many
  // of its young men join any group comes from the uniform u (the household's own draw of the
  // step); the rare recruits are split among groups by their odds, one conditional draw each.
  // Inline: it runs for every household and step, and almost always ends with no recruit.
  void recruit_household(const World& world, std::size_t district, std::uint32_t id, double u,
                         int step, std::int64_t* recruits) const {
    const Households& h = world.households;
    if (h.displacement[id] == Displacement::Iran || h.displacement[id] == Displacement::Pakistan) {
      return;  // abroad: out of reach of the groups' recruiters here
    }
    const double need = need_floor_ + (1.0 - need_floor_) * h.need[id];
    const std::int64_t joining =
        engine::RandomStream::binomial_from(h.young_men[id], need * total_[district], u);
    if (joining > 0) split_recruits(world, district, id, joining, step, recruits);
  }

  // Weekly odds that one young man at need 1 joins any group from `district`.
  double total(std::size_t district) const { return total_[district]; }

  // Weekly odds that one young man at need 1 joins faction f from `district`.
  double odds(std::size_t district, std::size_t faction) const {
    return odds_[district * factions_ + faction];
  }

 private:
  void split_recruits(const World& world, std::size_t district, std::uint32_t id,
                      std::int64_t joining, int step, std::int64_t* recruits) const;

  std::size_t factions_;
  double need_floor_;
  std::vector<double> odds_;   // [district * factions + faction]
  std::vector<double> total_;  // by district: odds of joining any group
};

}  // namespace aidflow::model
