// Google Benchmark of the household phase's kernels, and a STREAM-style triad for the machine's
// memory bandwidth, so tests/bench/national.sh can say whether the household phase is bound by
// memory or by arithmetic. Not part of ctest: speed is measured here, never asserted in a test.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <array>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "engine/isa.hpp"
#include "engine/normal_quantile.hpp"
#include "engine/parallel.hpp"
#include "engine/random.hpp"
#include "kernel_district.hpp"
#include "model/people/household_kernels.hpp"
#include "model/people/rations.hpp"

namespace {

using aidflow::engine::RandomStream;

// a = b + s c over arrays far larger than the caches, on range(0) threads; 24 bytes an element
// as STREAM counts them (the write-allocate read of `a` is not counted, as in STREAM).
void BM_Triad(benchmark::State& state) {
  constexpr std::size_t kElements = std::size_t{1} << 23;  // 64 MiB an array
  constexpr std::size_t kBlocks = 64;
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(state.range(0)));
  std::vector<double> a(kElements, 0.0), b(kElements, 1.0), c(kElements, 2.0);
  for (auto _ : state) {
    aidflow::engine::parallel_for_each(kBlocks, [&](std::size_t block) {
      const std::size_t end = (block + 1) * kElements / kBlocks;
      for (std::size_t i = block * kElements / kBlocks; i < end; ++i) a[i] = b[i] + 3.0 * c[i];
    });
    benchmark::DoNotOptimize(a.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(
      static_cast<std::int64_t>(state.iterations() * 3 * sizeof(double) * kElements));
}
BENCHMARK(BM_Triad)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// One household's numbers of a step: a Philox4x32-10 block.
void BM_PhiloxBlock(benchmark::State& state) {
  const RandomStream rng(20220131, 3);
  std::uint32_t agent = 0, sink = 0;
  for (auto _ : state) {
    const auto w = rng.words(agent++, 7);
    sink ^= w[0] ^ w[1] ^ w[2] ^ w[3];
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PhiloxBlock);

// The normal draw before (Box-Muller: a Philox block, a log and a cos) and after (the quantile
// of one uniform already drawn, accurate or tabulated).
void BM_NormalBoxMuller(benchmark::State& state) {
  const RandomStream rng(20220131, 3);
  std::uint32_t agent = 0;
  double sum = 0.0;
  for (auto _ : state) sum += rng.normal(agent++, 7);
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalBoxMuller);

void BM_NormalQuantile(benchmark::State& state) {
  std::uint32_t word = 12345;
  double sum = 0.0;
  for (auto _ : state) {
    word = word * 1664525u + 1013904223u;  // a cheap stand-in for the block's word
    sum += aidflow::engine::normal_quantile(RandomStream::unit(word));
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalQuantile);

// The need shock's quantile: the tabulated one (engine::tabulated_normal_quantile).
void BM_TabulatedNormalQuantile(benchmark::State& state) {
  const double* knots = aidflow::engine::normal_quantile_knots();
  std::uint32_t word = 12345;
  double sum = 0.0;
  for (auto _ : state) {
    word = word * 1664525u + 1013904223u;
    sum += aidflow::engine::tabulated_normal_quantile(RandomStream::unit(word), knots);
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TabulatedNormalQuantile);

// Rations for a district of range(0) households when the money covers half of them.
void BM_ServeByPriority(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  const RandomStream rng(20220131, 5);
  const std::uint32_t buckets = aidflow::model::bucket_count(n);
  std::vector<double> priority(n);
  std::vector<std::uint32_t> bucket(n);
  const std::vector<std::int64_t> ration(n, 2400);
  for (std::uint32_t k = 0; k < n; ++k) {
    priority[k] = rng.uniform(k, 0);
    bucket[k] = aidflow::model::bucket_of(priority[k], buckets);
  }
  std::vector<std::int64_t> received(n);
  for (auto _ : state) {
    std::fill(received.begin(), received.end(), 0);
    aidflow::model::serve_by_priority({priority, bucket, ration, buckets}, 2400ll * n / 2 + 1234,
                                      received);
    benchmark::DoNotOptimize(received.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_ServeByPriority)->Arg(16000)->Arg(700000);

// One district of 16,000 households through each kernel of the household phase, compiled for
// instruction set range(0) (0 baseline, 1 AVX2, 2 AVX-512; skipped where the machine lacks it).
constexpr std::uint32_t kDistrictHouseholds = 16000;
using District = aidflow::testing::KernelDistrict;

template <class Run>
void run_kernel(benchmark::State& state, Run&& run) {
  const auto isa = static_cast<aidflow::engine::Isa>(state.range(0));
  if (isa > aidflow::engine::best_isa()) {
    state.SkipWithError("this machine lacks the instruction set");
    return;
  }
  state.SetLabel(std::string(aidflow::engine::isa_name(isa)));
  const aidflow::model::HouseholdKernels& kernels = aidflow::model::household_kernels(isa);
  District d(kDistrictHouseholds, 1);
  for (auto _ : state) {
    run(kernels, d);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kDistrictHouseholds);
}

void BM_KernelDraw(benchmark::State& state) {
  const RandomStream rng(7, 3);
  run_kernel(state, [&](const aidflow::model::HouseholdKernels& k, District& d) {
    k.draw(rng.stream(), rng.key()[0], rng.key()[1], 0, kDistrictHouseholds, 1, d.outputs().data());
  });
}
void BM_KernelPrioritise(benchmark::State& state) {
  run_kernel(state, [](const aidflow::model::HouseholdKernels& k, District& d) {
    k.prioritise(0.7, 2000, d.columns().view(), d.words[0].data(), d.priority.data(),
                 d.bucket.data());
  });
}
void BM_KernelShocks(benchmark::State& state) {
  run_kernel(state, [](const aidflow::model::HouseholdKernels& k, District& d) {
    k.shocks(0.02, d.words[1].data(), kDistrictHouseholds, d.shock.data());
  });
}
void BM_KernelStep(benchmark::State& state) {
  const aidflow::model::StepRule& rule = aidflow::testing::kKernelStepRule;
  run_kernel(state, [&](const aidflow::model::HouseholdKernels& k, District& d) {
    aidflow::model::KernelTally sums;
    k.step(rule, d.columns(), d.shock.data(), d.words[2].data(), d.words[3].data(),
           d.may_recruit.data(), &sums);
    benchmark::DoNotOptimize(sums);
  });
}
void BM_KernelTally(benchmark::State& state) {
  run_kernel(state, [](const aidflow::model::HouseholdKernels& k, District& d) {
    aidflow::model::KernelTally sums;
    k.tally(0.5, 2.0, d.columns().view(), &sums);
    benchmark::DoNotOptimize(sums);
  });
}
BENCHMARK(BM_KernelDraw)->DenseRange(0, 2);
BENCHMARK(BM_KernelPrioritise)->DenseRange(0, 2);
BENCHMARK(BM_KernelShocks)->DenseRange(0, 2);
BENCHMARK(BM_KernelStep)->DenseRange(0, 2);
BENCHMARK(BM_KernelTally)->DenseRange(0, 2);

}  // namespace

BENCHMARK_MAIN();
