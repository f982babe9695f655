#pragma once
// Sampling designs on the unit hypercube, a row per point and a column per sampled parameter. Pure
// functions of their arguments (random draws come from Philox keyed by the design seed), so every
// shard and rank computes the same design without talking to the others.
#include <cstdint>
#include <vector>

namespace aidflow::sweep {

using UnitMatrix = std::vector<std::vector<double>>;  // [point][parameter], each in [0, 1)

// Every combination of level indices, the last parameter varying fastest.
std::vector<std::vector<int>> full_factorial(const std::vector<int>& levels);

// n points, one in each of n equal strata of every parameter, placed at random within it.
UnitMatrix latin_hypercube(int n, int parameters, std::uint64_t seed);

// Points 1..n of the Sobol sequence (Joe and Kuo's direction numbers), point 0 (all zeros) left
// out. At most kSobolDimensions dimensions.
inline constexpr int kSobolDimensions = 20;
UnitMatrix sobol_points(int n, int dimensions);

// Saltelli's scheme for first- and total-order Sobol indices: base matrices A and B (columns 0..k-1
// and k..2k-1 of a 2k-dimensional Sobol sequence) and, for each parameter i, AB_i (A with column i
// from B). Rows come in blocks per sample j: A_j, AB_1j .. AB_kj, B_j, so a sample's rows sit
// together. block: 0 for A, i + 1 for AB_i, k + 1 for B.
struct Saltelli {
  UnitMatrix points;
  std::vector<int> sample, block;
};
Saltelli saltelli(int n, int parameters);

// Morris's elementary effects: `trajectories` walks of parameters + 1 points on a grid of `levels`
// levels, each step moving one parameter (in random order) by delta = levels / (2 (levels - 1)).
struct Morris {
  UnitMatrix points;
  std::vector<int> trajectory, step;  // step 0 is the start; step s moved one parameter
  double delta = 0.0;
};
Morris morris(int trajectories, int parameters, int levels, std::uint64_t seed);

}  // namespace aidflow::sweep
