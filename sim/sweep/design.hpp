#pragma once
// Sampling designs on the unit hypercube, a point at a time: any point of a design is computed
// from its number, so a shard or MPI rank computes the points it runs and holds nothing per point
// (a Latin hypercube keeps one permutation of its points per parameter). Pure functions of their
// arguments (random draws come from Philox keyed by the design seed), so every shard and rank
// computes the same design without talking to the others.
#include <cstdint>
#include <vector>

namespace aidflow::sweep {

// Point `index` of a full factorial design: the level of each parameter, the last varying
// fastest (index 0 is all zeros; `levels` are the counts).
std::vector<int> factorial_point(const std::vector<int>& levels, std::int64_t index);

// n points, one in each of n equal strata of every parameter, placed at random within it.
class LatinHypercube {
 public:
  LatinHypercube(int n, int parameters, std::uint64_t seed);
  double at(int point, int parameter) const;  // in [0, 1)

 private:
  int n_, parameters_;
  std::uint64_t seed_;
  std::vector<std::vector<int>> strata_;  // [parameter][point]
};

// Points 1, 2, ... of the Sobol sequence (Joe and Kuo's direction numbers), point 0 (all zeros)
// left out: at(0, d) is the sequence's point 1. At most kSobolDimensions dimensions.
inline constexpr int kSobolDimensions = 20;
class SobolSequence {
 public:
  explicit SobolSequence(int dimensions);
  double at(std::int64_t point, int dimension) const;

 private:
  std::vector<std::vector<std::uint32_t>> directions_;  // [dimension][bit]
};

// Saltelli's scheme for first- and total-order Sobol indices: base matrices A and B (columns 0..k-1
// and k..2k-1 of a 2k-dimensional Sobol sequence) and, for each parameter i, AB_i (A with column i
// from B). Points come in blocks per sample j: A_j, AB_1j .. AB_kj, B_j, so a sample's points sit
// together: point p is sample p / (k + 2), block p % (k + 2) (0 for A, i + 1 for AB_i, k + 1 for
// B). Sample j is the sequence's point j + 1: its first point is the centre, where A = B.
class Saltelli {
 public:
  explicit Saltelli(int parameters);
  std::vector<double> point(std::int64_t index) const;
  int blocks() const { return parameters_ + 2; }

 private:
  int parameters_;
  SobolSequence sequence_;
};

// Morris's elementary effects: trajectories of parameters + 1 points on a grid of `levels`
// levels, each step moving one parameter (in random order) by delta = levels / (2 (levels - 1)).
// Step 0 is the start; step s has moved s parameters.
class Morris {
 public:
  Morris(int parameters, int levels, std::uint64_t seed);
  std::vector<double> point(int trajectory, int step) const;
  double delta() const { return delta_; }

 private:
  int parameters_, levels_;
  std::uint64_t seed_;
  double delta_;
};

}  // namespace aidflow::sweep
