// The knots of the tabulated normal quantile, computed once with the accurate one.
#include "engine/normal_quantile.hpp"

#include <array>

namespace aidflow::engine {

const double* normal_quantile_knots() {
  static const std::array<double, kQuantileKnots> knots = [] {
    std::array<double, kQuantileKnots> k{};
    for (std::size_t i = 0; i < kQuantileKnots; ++i) {
      k[i] = normal_quantile(quantile_knot_position(i));
    }
    return k;
  }();
  return knots.data();
}

}  // namespace aidflow::engine
