#include "sweep/design.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <numeric>
#include <stdexcept>
#include <string>

#include "engine/random.hpp"

namespace aidflow::sweep {
namespace {

// Random streams of the designs, apart from any a model uses (a design seed is not a run seed).
constexpr std::uint32_t kLatinStream = 0x5eed0001;
constexpr std::uint32_t kMorrisStream = 0x5eed0002;

// A random permutation of 0..n-1 (Fisher-Yates), drawn from `agent`'s draws of `stream`.
std::vector<int> permutation(int n, const engine::RandomStream& stream, std::uint32_t agent) {
  std::vector<int> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  for (int i = n - 1; i > 0; --i) {
    const double u = stream.uniform(agent, static_cast<std::uint32_t>(i));
    const int j = std::min(i, static_cast<int>(u * (i + 1)));
    std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
  }
  return order;
}

// Primitive polynomials (degree s, coefficients a) and initial direction numbers m of Sobol
// dimensions 2..20, from Joe and Kuo's new-joe-kuo-6.21201; dimension 1 is the van der Corput
// sequence.
struct SobolPolynomial {
  unsigned s, a;
  std::array<unsigned, 7> m;
};
constexpr std::array<SobolPolynomial, kSobolDimensions - 1> kSobolTable{{
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
    {6, 19, {1, 1, 1, 15, 7, 5}},
    {6, 22, {1, 3, 1, 15, 13, 25}},
    {6, 25, {1, 1, 5, 5, 19, 61}},
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},
}};
constexpr unsigned kBits = 32;

std::array<std::uint32_t, kBits> direction_numbers(int dimension) {
  std::array<std::uint32_t, kBits> v{};
  if (dimension == 0) {
    for (unsigned i = 0; i < kBits; ++i) v[i] = 1u << (kBits - 1 - i);
    return v;
  }
  const SobolPolynomial& p = kSobolTable[static_cast<std::size_t>(dimension - 1)];
  for (unsigned i = 0; i < p.s; ++i) v[i] = p.m[i] << (kBits - 1 - i);
  for (unsigned i = p.s; i < kBits; ++i) {
    v[i] = v[i - p.s] ^ (v[i - p.s] >> p.s);
    for (unsigned k = 1; k < p.s; ++k) {
      if ((p.a >> (p.s - 1 - k)) & 1u) v[i] ^= v[i - k];
    }
  }
  return v;
}

}  // namespace

std::vector<int> factorial_point(const std::vector<int>& levels, std::int64_t index) {
  std::vector<int> point(levels.size());
  for (std::size_t i = levels.size(); i-- > 0;) {
    point[i] = static_cast<int>(index % levels[i]);
    index /= levels[i];
  }
  return point;
}

LatinHypercube::LatinHypercube(int n, int parameters, std::uint64_t seed)
    : n_(n), parameters_(parameters), seed_(seed) {
  const engine::RandomStream stream(seed, kLatinStream);
  for (int k = 0; k < parameters; ++k) {
    strata_.push_back(permutation(n, stream, static_cast<std::uint32_t>(k)));
  }
}

double LatinHypercube::at(int point, int parameter) const {
  // Within its stratum: a draw of its own (agent parameters + k keeps them apart from the
  // shuffle's).
  const engine::RandomStream stream(seed_, kLatinStream);
  const double u = stream.uniform(static_cast<std::uint32_t>(parameters_ + parameter),
                                  static_cast<std::uint32_t>(point));
  const auto& stratum = strata_[static_cast<std::size_t>(parameter)];
  return (stratum[static_cast<std::size_t>(point)] + u) / n_;
}

SobolSequence::SobolSequence(int dimensions) {
  if (dimensions > kSobolDimensions) {
    throw std::invalid_argument("at most " + std::to_string(kSobolDimensions) +
                                " Sobol dimensions");
  }
  for (int d = 0; d < dimensions; ++d) {
    const auto v = direction_numbers(d);
    directions_.emplace_back(v.begin(), v.end());
  }
}

double SobolSequence::at(std::int64_t point, int dimension) const {
  // In Gray-code order, sequence point n is the XOR of the direction numbers of the bits set in
  // gray(n) = n ^ (n >> 1); the design's point 0 is sequence point 1.
  const auto n = static_cast<std::uint64_t>(point) + 1;
  const std::uint64_t gray = n ^ (n >> 1);
  const auto& v = directions_[static_cast<std::size_t>(dimension)];
  std::uint32_t x = 0;
  for (unsigned bit = 0; bit < kBits; ++bit) {
    if ((gray >> bit) & 1u) x ^= v[bit];
  }
  return x / 4294967296.0;
}

Saltelli::Saltelli(int parameters) : parameters_(parameters), sequence_(2 * parameters) {}

std::vector<double> Saltelli::point(std::int64_t index) const {
  const std::int64_t sample = index / blocks();
  const int block = static_cast<int>(index % blocks());
  std::vector<double> point(static_cast<std::size_t>(parameters_));
  for (int i = 0; i < parameters_; ++i) {
    // From B in block k + 1 and in column i of AB_i (block i + 1); from A elsewhere.
    const bool from_b = block == parameters_ + 1 || block == i + 1;
    // Sample j is sequence point j + 1: point 0 (the first of the design) has every coordinate
    // 0.5, so A = B there and its k + 2 runs would estimate nothing.
    point[static_cast<std::size_t>(i)] = sequence_.at(sample + 1, from_b ? parameters_ + i : i);
  }
  return point;
}

Morris::Morris(int parameters, int levels, std::uint64_t seed)
    : parameters_(parameters),
      levels_(levels),
      seed_(seed),
      delta_(levels / (2.0 * (levels - 1))) {}

std::vector<double> Morris::point(int trajectory, int step) const {
  const engine::RandomStream stream(seed_, kMorrisStream);
  const auto agent = static_cast<std::uint32_t>(trajectory);
  const int start_levels = levels_ / 2;  // starts on levels 0 .. levels/2 - 1, so x + delta <= 1
  std::vector<double> x(static_cast<std::size_t>(parameters_));
  for (int k = 0; k < parameters_; ++k) {
    const double u = stream.uniform(agent, static_cast<std::uint32_t>(k), 1);
    const int level = std::min(start_levels - 1, static_cast<int>(u * start_levels));
    x[static_cast<std::size_t>(k)] = level / (levels_ - 1.0);
  }
  const std::vector<int> order = permutation(parameters_, stream, agent + 0x10000u);
  for (int s = 0; s < step; ++s)
    x[static_cast<std::size_t>(order[static_cast<std::size_t>(s)])] += delta_;
  return x;
}

}  // namespace aidflow::sweep
