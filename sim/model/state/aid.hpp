#pragma once
// Aid on its way: this step's flows by donor, channel and sector, and the ministries it passes.
// Plain data held by the World (state/world.hpp); the phases that write each part say so.
#include <cstddef>
#include <vector>

#include "engine/money.hpp"

namespace aidflow::model {

using engine::Cents;

struct Ministries {
  std::vector<int> controlled_by;  // moves between wings (S21)
  std::vector<double> capture_rate;
  std::vector<Cents> captured;        // this step
  std::vector<double> monitoring;     // exposure-weighted monitoring seen this step
  std::vector<Cents> security_spent;  // this step: security money that bought operations
};

// Money released this step, by [donor][channel][sector], filled by the disbursement phase.
struct Flows {
  std::vector<Cents> amount;
  std::size_t index(std::size_t d, std::size_t c, std::size_t s, std::size_t channels,
                    std::size_t sectors) const {
    return (d * channels + c) * sectors + s;
  }
};

}  // namespace aidflow::model
