// Phase 6 (first slice): factions bank what was diverted to them; ministry capture creeps up with
// infiltration where money passes unmonitored (S13), and never above one.
#include "model/phases.hpp"

namespace aidflow::model {

void update_factions(World& world, int /*step*/) {
  Factions& f = world.factions;
  for (std::size_t faction = 0; faction < f.treasury.size(); ++faction) {
    for (int m = 0; m < kMechanisms; ++m) {
      f.treasury[faction] = engine::checked_add(
          f.treasury[faction], f.diverted[faction * kMechanisms + static_cast<std::size_t>(m)]);
    }
  }
  Ministries& ministries = world.ministries;
  for (std::size_t m = 0; m < ministries.capture_rate.size(); ++m) {
    const double rise = world.spec.ministries[m].infiltration_per_step *
                        (1.0 - ministries.monitoring[m]) * (1.0 - ministries.capture_rate[m]);
    ministries.capture_rate[m] += rise;
  }
}

}  // namespace aidflow::model
