#pragma once
// Counter-based random numbers. A draw is a pure function of (run seed, stream, agent, step,
// draw index), so it does not depend on which thread computes it or in what order: this is what
// makes a run bitwise identical for any thread count.
//
// Draws of a scenario's entries (a faction, a donor, a patron, an alliance edge, a pair such as an
// observer and the faction it watches) are keyed by the entry's identity, never by its position
// in a list: the Philox key is derived from the seed and the identity (RandomStream's third
// argument), so reordering a scenario's lists, or adding an entry, leaves every other entry's
// draws unchanged. Household agents, districts and provinces, which have no ids, are keyed by
// their number in the agent slot of the counter under the plain seed.
#include <Random123/philox.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string_view>

#include "engine/normal_quantile.hpp"
#include "engine/philox_range.hpp"

namespace aidflow::engine {

// The stable identity of a scenario entry: the 64-bit FNV-1a hash (offset basis
// 0xcbf29ce484222325, prime 0x100000001b3) of a text naming its kind and id, such as
// "faction:haqqani", "edge:haqqani->al_qaeda" or "patron:pakistan_isi". A pair of entries (an
// event involving both) is the first identity's hash continued over the second's eight bytes,
// least significant first: ordered, so (a, b) and (b, a) differ.
struct Identity {
  std::uint64_t hash = kOffsetBasis;

  static constexpr Identity of(std::string_view text) {
    Identity id;
    for (const char c : text) id.mix(static_cast<unsigned char>(c));
    return id;
  }
  constexpr Identity with(Identity other) const {
    Identity id = *this;
    for (int b = 0; b < 8; ++b) id.mix(static_cast<unsigned char>(other.hash >> (8 * b)));
    return id;
  }
  friend constexpr bool operator==(Identity, Identity) = default;

 private:
  static constexpr std::uint64_t kOffsetBasis = 0xcbf29ce484222325ULL;
  static constexpr std::uint64_t kPrime = 0x100000001b3ULL;
  constexpr void mix(unsigned char byte) { hash = (hash ^ byte) * kPrime; }
};

// The Philox key of an entry's streams: splitmix64's finaliser of seed XOR identity, a bijection,
// so distinct identities under one seed never share a key.
constexpr std::uint64_t identity_key(std::uint64_t seed, Identity who) {
  std::uint64_t x = seed ^ who.hash;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class RandomStream {
 public:
  // The streams of numbered agents (households, districts): key = seed.
  RandomStream(std::uint64_t seed, std::uint32_t stream) : stream_(stream) { set_key(seed); }
  // The streams of one identified entry: key = identity_key(seed, who).
  RandomStream(std::uint64_t seed, std::uint32_t stream, Identity who) : stream_(stream) {
    set_key(identity_key(seed, who));
  }

  // Uniform on the open interval (0, 1), 53 bits.
  double uniform(std::uint32_t agent, std::uint32_t step, std::uint32_t draw = 0) const {
    const auto r = block(agent, step, draw);
    return to_open_unit(r[0], r[1]);
  }

  // Standard normal by Box-Muller on the two halves of one Philox block.
  double normal(std::uint32_t agent, std::uint32_t step, std::uint32_t draw = 0) const {
    const auto r = block(agent, step, draw);
    const double u1 = to_open_unit(r[0], r[1]);
    const double u2 = to_open_unit(r[2], r[3]);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

  // Four independent 32-bit words from one Philox block: the cheapest way to get several numbers
  // per agent and step in a hot loop (turn each into a uniform with unit()).
  std::array<std::uint32_t, 4> words(std::uint32_t agent, std::uint32_t step,
                                     std::uint32_t draw = 0) const {
    const auto r = block(agent, step, draw);
    return {r[0], r[1], r[2], r[3]};
  }

  // words(first + i, step, 0) for i in [0, n), as four columns: word j of agent first + i in
  // out[j][i] (engine/philox_range.hpp).
  void words_for_range(std::uint32_t first, std::size_t n, std::uint32_t step,
                       std::uint32_t* const out[4]) const {
    philox_words_for_range(stream_, key_[0], key_[1], first, n, step, out);
  }
  std::uint32_t stream() const { return stream_; }
  std::array<std::uint32_t, 2> key() const { return {key_[0], key_[1]}; }

  // Uniform on the open interval (0, 1) from one 32-bit word.
  static double unit(std::uint32_t word) { return (static_cast<double>(word) + 0.5) * 0x1.0p-32; }

  // binomial() from a given uniform u: exact inversion for small means, the normal quantile of u
  // above kExactMean.
  static std::int64_t binomial_from(std::int64_t n, double p, double u) {
    if (n <= 0 || !(p > 0.0)) return 0;
    if (p >= 1.0) return n;
    const double mean = static_cast<double>(n) * p;
    if (mean > kExactMean) {
      const double x = std::round(mean + std::sqrt(mean * (1.0 - p)) * normal_quantile(u));
      return static_cast<std::int64_t>(std::clamp(x, 0.0, static_cast<double>(n)));
    }
    return invert_binomial(n, p, u);
  }

  bool bernoulli(double p, std::uint32_t agent, std::uint32_t step, std::uint32_t draw = 0) const {
    return uniform(agent, step, draw) < p;
  }

  // How many of `n` independent trials of probability p succeed, from one draw: exact inversion
  // of the binomial distribution while the mean is small (the usual case: rare events among a
  // household's few young men), a rounded normal approximation above kExactMean.
  std::int64_t binomial(std::int64_t n, double p, std::uint32_t agent, std::uint32_t step,
                        std::uint32_t draw = 0) const {
    if (n <= 0 || !(p > 0.0)) return 0;
    if (p >= 1.0) return n;
    const double mean = static_cast<double>(n) * p;
    if (mean > kExactMean) {
      const double sd = std::sqrt(mean * (1.0 - p));
      const double x = std::round(mean + sd * normal(agent, step, draw));
      return static_cast<std::int64_t>(std::clamp(x, 0.0, static_cast<double>(n)));
    }
    return invert_binomial(n, p, uniform(agent, step, draw));
  }

  // Events in a period with the given mean: exact inversion for small means, as binomial().
  std::int64_t poisson(double mean, std::uint32_t agent, std::uint32_t step,
                       std::uint32_t draw = 0) const {
    if (!(mean > 0.0)) return 0;
    if (mean > kExactMean) {
      const double x = std::round(mean + std::sqrt(mean) * normal(agent, step, draw));
      return static_cast<std::int64_t>(std::max(0.0, x));
    }
    const double u = uniform(agent, step, draw);
    double pmf = std::exp(-mean), cdf = pmf;
    std::int64_t k = 0;
    while (u > cdf && k < 1000) {
      ++k;
      pmf *= mean / static_cast<double>(k);
      cdf += pmf;
    }
    return k;
  }

 private:
  static constexpr double kExactMean = 30.0;
  using Philox = r123::Philox4x32;

  // Smallest k with P(X <= k) >= u for X ~ Binomial(n, p).
  static std::int64_t invert_binomial(std::int64_t n, double p, double u) {
    // (1-p)^n >= 1 - n p, so below that bound (less a margin for pow's rounding) the answer is
    // zero without calling pow: the usual case, and the same result.
    if (u <= 1.0 - static_cast<double>(n) * p - 1e-12) return 0;
    double pmf = std::pow(1.0 - p, static_cast<double>(n)), cdf = pmf;
    std::int64_t k = 0;
    while (u > cdf && k < n) {
      pmf *= static_cast<double>(n - k) / static_cast<double>(k + 1) * p / (1.0 - p);
      cdf += pmf;
      ++k;
    }
    return k;
  }

  Philox::ctr_type block(std::uint32_t agent, std::uint32_t step, std::uint32_t draw) const {
    const Philox::ctr_type counter = {{stream_, agent, step, draw}};
    return Philox()(counter, key_);
  }

  void set_key(std::uint64_t key) {
    key_[0] = static_cast<std::uint32_t>(key);
    key_[1] = static_cast<std::uint32_t>(key >> 32);
  }

  static double to_open_unit(std::uint32_t hi, std::uint32_t lo) {
    const std::uint64_t bits = ((static_cast<std::uint64_t>(hi) << 32) | lo) >> 11;
    return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;
  }

  std::uint32_t stream_;
  Philox::key_type key_{};
};

}  // namespace aidflow::engine
