// Google Benchmark of the largest-remainder split at the sizes the step calls it with: a ledger
// row's local leakage (13 weights), a faction's money over the districts (421, some zero), a
// district's beneficiary list (a few households of unequal people) and a national district's
// households. Not part of ctest: speed is measured here, never asserted in a test.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "engine/money.hpp"
#include "engine/random.hpp"

namespace {

using aidflow::engine::Cents;

// range(0) weights, about one in range(1) zero, the rest spread over [0.5, 1.5): unequal, as
// need x influence or people with returnees among them are.
std::vector<double> weights_of(std::size_t n, std::int64_t zero_one_in) {
  const aidflow::engine::RandomStream rng(20220131, 9);
  std::vector<double> weights(n);
  for (std::size_t i = 0; i < n; ++i) {
    const bool zero = zero_one_in > 0 && rng.uniform(i, 0) * static_cast<double>(zero_one_in) < 1.0;
    weights[i] = zero ? 0.0 : 0.5 + rng.uniform(i, 1);
  }
  return weights;
}

// Splits a total (a cent more each time, so the remainders change) by `weights`, timed.
void time_split(benchmark::State& state, const std::vector<double>& weights) {
  std::vector<Cents> parts(weights.size());
  Cents total = 123456789;
  for (auto _ : state) {
    aidflow::engine::split_largest_remainder(total++, weights, parts);
    benchmark::DoNotOptimize(parts.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(weights.size()));
}

void BM_SplitLargestRemainder(benchmark::State& state) {
  time_split(state, weights_of(static_cast<std::size_t>(state.range(0)), state.range(1)));
}
BENCHMARK(BM_SplitLargestRemainder)->Args({3, 0})->Args({13, 3})->Args({421, 3})->Args({100000, 0});

// A beneficiary list in a coarse run's district: range(0) households, the first two thirds
// residents of equal people, the rest returnees of another size.
void BM_SplitRunsOfPeople(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<double> weights(n, 7.4);
  for (std::size_t i = 2 * n / 3; i < n; ++i) weights[i] = 6.1;
  time_split(state, weights);
}
BENCHMARK(BM_SplitRunsOfPeople)->Arg(9)->Arg(60);

}  // namespace

BENCHMARK_MAIN();
