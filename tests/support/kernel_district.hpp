#pragma once
// A synthetic district for the household kernels' tests and benchmark: `count` households with
// varied people, need, aid, displacement and young men, the step's four columns of random words,
// and room for the kernels' outputs.
#include <array>
#include <cstdint>
#include <vector>

#include "engine/random.hpp"
#include "model/people/household_kernels.hpp"

namespace aidflow::testing {

// A household-step's rules with every mechanism active: leaving, crossing to Pakistan, returning,
// and recruitment often enough to be seen in a thousand households.
inline const model::StepRule kKernelStepRule{.need_target = 0.55,
                                             .relief_usd = 1.6,
                                             .relief_effect = 0.6,
                                             .reversion = 0.12,
                                             .return_per_week = 0.3,
                                             .displacement_per_week = 0.4,
                                             .cross_border_share = 0.35,
                                             .returnee_need = 0.1,
                                             .crossing = 3,
                                             .need_floor = 0.2,
                                             .recruit_odds = 0.05,
                                             .need_threshold = 0.5};

struct KernelDistrict {
  std::vector<double> people, need, shock, priority;
  std::vector<std::int64_t> aid;
  std::vector<std::uint8_t> displacement;
  std::vector<std::uint32_t> young_men, bucket;
  std::vector<std::uint32_t> may_recruit;  // the step's flagged positions, the first `flagged`
  std::uint32_t flagged = 0;
  std::array<std::vector<std::uint32_t>, 4> words;

  KernelDistrict(std::uint32_t count, std::uint32_t seed)
      : shock(count), priority(count), bucket(count), may_recruit(count) {
    const engine::RandomStream rng(seed, 99);
    for (std::uint32_t k = 0; k < count; ++k) {
      people.push_back(1.0 + 9.0 * rng.uniform(k, 0, 0));
      need.push_back(rng.uniform(k, 0, 1));
      aid.push_back(static_cast<std::int64_t>(rng.uniform(k, 0, 2) * 8000.0));
      // Every displacement state: home, internal, fled to Iran or Pakistan, hosted there.
      displacement.push_back(static_cast<std::uint8_t>(rng.uniform(k, 0, 3) * 6.0));
      young_men.push_back(static_cast<std::uint32_t>(rng.uniform(k, 0, 4) * 4.0));
    }
    for (auto& w : words) w.resize(count);
    rng.words_for_range(seed * 1000, count, 3, outputs().data());
  }
  std::array<std::uint32_t*, 4> outputs() {
    return {words[0].data(), words[1].data(), words[2].data(), words[3].data()};
  }
  // The step's flags by household: 1 at each flagged position.
  std::vector<std::uint8_t> flags() const {
    std::vector<std::uint8_t> by_household(people.size(), 0);
    for (std::uint32_t i = 0; i < flagged; ++i) by_household.at(may_recruit[i]) = 1;
    return by_household;
  }
  model::DistrictColumns columns() {
    return {static_cast<std::uint32_t>(people.size()),
            people.data(),
            need.data(),
            aid.data(),
            displacement.data(),
            young_men.data()};
  }
};

}  // namespace aidflow::testing
