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

std::vector<std::vector<int>> full_factorial(const std::vector<int>& levels) {
  std::vector<std::vector<int>> rows(1);
  for (const int count : levels) {
    std::vector<std::vector<int>> next;
    for (const auto& row : rows) {
      for (int level = 0; level < count; ++level) {
        next.push_back(row);
        next.back().push_back(level);
      }
    }
    rows = std::move(next);
  }
  return rows;
}

UnitMatrix latin_hypercube(int n, int parameters, std::uint64_t seed) {
  const engine::RandomStream stream(seed, kLatinStream);
  UnitMatrix points(static_cast<std::size_t>(n), std::vector<double>(parameters));
  for (int k = 0; k < parameters; ++k) {
    const std::vector<int> stratum = permutation(n, stream, static_cast<std::uint32_t>(k));
    for (int i = 0; i < n; ++i) {
      // Within its stratum: a draw of its own (agent n + k keeps them apart from the shuffle's).
      const double u =
          stream.uniform(static_cast<std::uint32_t>(parameters + k), static_cast<std::uint32_t>(i));
      points[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)] =
          (stratum[static_cast<std::size_t>(i)] + u) / n;
    }
  }
  return points;
}

UnitMatrix sobol_points(int n, int dimensions) {
  if (dimensions > kSobolDimensions) {
    throw std::invalid_argument("at most " + std::to_string(kSobolDimensions) +
                                " Sobol dimensions");
  }
  UnitMatrix points(static_cast<std::size_t>(n), std::vector<double>(dimensions));
  for (int d = 0; d < dimensions; ++d) {
    const auto v = direction_numbers(d);
    std::uint32_t x = 0;
    // Gray-code order: point i + 1 flips the direction number of the lowest zero bit of i.
    for (int i = 0; i < n; ++i) {
      x ^= v[static_cast<std::size_t>(std::countr_one(static_cast<unsigned>(i)))];
      points[static_cast<std::size_t>(i)][static_cast<std::size_t>(d)] = x / 4294967296.0;
    }
  }
  return points;
}

Saltelli saltelli(int n, int parameters) {
  const UnitMatrix base = sobol_points(n, 2 * parameters);
  Saltelli out;
  for (int j = 0; j < n; ++j) {
    const auto& row = base[static_cast<std::size_t>(j)];
    const std::vector<double> a(row.begin(), row.begin() + parameters);
    const std::vector<double> b(row.begin() + parameters, row.end());
    for (int block = 0; block <= parameters + 1; ++block) {
      std::vector<double> point = block == parameters + 1 ? b : a;
      if (block >= 1 && block <= parameters) {
        const auto i = static_cast<std::size_t>(block - 1);
        point[i] = b[i];
      }
      out.points.push_back(std::move(point));
      out.sample.push_back(j);
      out.block.push_back(block);
    }
  }
  return out;
}

Morris morris(int trajectories, int parameters, int levels, std::uint64_t seed) {
  const engine::RandomStream stream(seed, kMorrisStream);
  Morris out;
  out.delta = levels / (2.0 * (levels - 1));
  const int start_levels = levels / 2;  // starts on levels 0 .. levels/2 - 1, so x + delta <= 1
  for (int t = 0; t < trajectories; ++t) {
    const auto agent = static_cast<std::uint32_t>(t);
    std::vector<double> x(static_cast<std::size_t>(parameters));
    for (int k = 0; k < parameters; ++k) {
      const double u = stream.uniform(agent, static_cast<std::uint32_t>(k), 1);
      const int level = std::min(start_levels - 1, static_cast<int>(u * start_levels));
      x[static_cast<std::size_t>(k)] = level / (levels - 1.0);
    }
    out.points.push_back(x);
    out.trajectory.push_back(t);
    out.step.push_back(0);
    const std::vector<int> order = permutation(parameters, stream, agent + 0x10000u);
    for (int s = 0; s < parameters; ++s) {
      x[static_cast<std::size_t>(order[static_cast<std::size_t>(s)])] += out.delta;
      out.points.push_back(x);
      out.trajectory.push_back(t);
      out.step.push_back(s + 1);
    }
  }
  return out;
}

}  // namespace aidflow::sweep
