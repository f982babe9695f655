// The engine runs a model that is not Afghanistan: a toy economy of traders who each pay a random
// share of their cash to a neighbour every step, more when the market's mood (a floating-point
// sum over every trader) is high. It proves the engine is reusable, that phases run in order, and
// that the parallel path gives the serial twin's bytes for any number of workers and any split of
// the index range: the mood is a cross-index reduction whose rounding depends on the order of its
// additions, and it feeds back into every trader's next step.
#include "engine/simulation.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "engine/parallel.hpp"
#include "engine/random.hpp"
#include "workers.hpp"

namespace aidflow::engine {
namespace {

using testing::kWorkerCounts;
using testing::with_workers;

struct Traders {
  std::vector<Cents> cash;
  std::vector<Cents> paid;  // this step, by payer
  std::vector<double> mood;
  double market_mood = 0.0;  // sum of every trader's mood, after each step
};

struct Split {
  bool parallel = true;
  std::size_t grain = 1;    // indices per task at least: different grains split differently
  std::size_t block = 997;  // ordered_sum's block: fixed for a run, so part of its result
};

void pay(Traders& t, const RandomStream& rng, int step, const Split& split) {
  const double eagerness = 0.05 + 0.05 * std::tanh(t.market_mood / 1000.0);
  auto body = [&](std::size_t i) {
    const double share =
        rng.uniform(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(step));
    t.paid[i] = take_share(t.cash[i], eagerness * share);
    t.mood[i] = 0.9 * t.mood[i] +
                rng.normal(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(step), 1);
  };
  if (split.parallel)
    parallel_for_each(t.cash.size(), body, split.grain);
  else
    serial_for_each(t.cash.size(), body);
}

void receive(Traders& t, const Split& split) {
  const std::size_t n = t.cash.size();
  std::vector<Cents> next(n);
  for (std::size_t i = 0; i < n; ++i) next[i] = t.cash[i] - t.paid[i] + t.paid[(i + n - 1) % n];
  t.cash = next;
  t.market_mood = ordered_sum<double>(
      n, [&](std::size_t i) { return t.mood[i]; }, split.block);
}

Traders run_traders(int threads, const Split& split) {
  Traders t{std::vector<Cents>(10000, 1000), std::vector<Cents>(10000, 0),
            std::vector<double>(10000, 0.0)};
  Ledger ledger({"economy"}, {"trade"}, {"all"}, {"held"});
  Simulation sim(ledger);
  const RandomStream rng(2024, 9);
  sim.add_phase({"pay", [&](int s) { pay(t, rng, s, split); }});
  sim.add_phase({"receive", [&](int) { receive(t, split); }});
  sim.run({.steps = 50, .threads = threads});
  return t;
}

TEST(Simulation, ParallelPhasesMatchTheSerialTwinForAnyWorkersAndSplit) {
  const Traders reference = run_traders(1, {.parallel = false});
  for (int workers : kWorkerCounts) {
    for (std::size_t grain : {1u, 7u, 1000u, 4096u}) {
      const Traders parallel =
          with_workers(workers, [&] { return run_traders(workers, {.grain = grain}); });
      EXPECT_EQ(parallel.cash, reference.cash) << workers << " workers, grain " << grain;
      EXPECT_EQ(parallel.mood, reference.mood) << workers << " workers, grain " << grain;
      EXPECT_EQ(parallel.market_mood, reference.market_mood) << workers << " workers";
    }
  }
}

TEST(Simulation, TheReductionCanTellAWrongOrderApart) {
  // The check above must be able to fail: the same moods summed in other blocks round
  // differently, as a parallel sum combined in whatever order threads finish would.
  const Traders reference = run_traders(1, {.parallel = false});
  const Traders other = run_traders(1, {.parallel = false, .block = 10});
  EXPECT_NE(other.market_mood, reference.market_mood);
}

TEST(Simulation, AnExplicitArenaRunsMoreWorkersThanCores) {
  // Without this, the tests above could pass on fewer threads than they claim.
  constexpr int kWorkers = 8;
  std::atomic<int> arrived{0};
  std::atomic<int> most{0};
  with_workers(kWorkers, [&] {
    parallel_for_each(kWorkers, [&](std::size_t) {
      const int now = ++arrived;
      int seen = most.load();
      while (now > seen && !most.compare_exchange_weak(seen, now)) {
      }
      // Hold this worker until all have arrived (or give up), so each index has its own thread.
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (arrived.load() < kWorkers && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::yield();
      }
    });
  });
  EXPECT_EQ(most.load(), kWorkers) << "fewer threads ran at once than the arena has slots";
}

TEST(Simulation, PhasesRunInOrderThenRecordersThenTheLedger) {
  Ledger ledger({"s"}, {"r"}, {"t"}, {"k"});
  Simulation sim(ledger);
  std::vector<std::string> log;
  struct LogRecorder : Recorder {
    std::vector<std::string>& log;
    explicit LogRecorder(std::vector<std::string>& l) : log(l) {}
    void record(int step) override {
      log.push_back(std::string("record").append(std::to_string(step)));
    }
  } recorder(log);
  sim.add_phase({"a", [&](int s) { log.push_back(std::string("a").append(std::to_string(s))); }});
  sim.add_phase({"b", [&](int s) {
                   log.push_back(std::string("b").append(std::to_string(s)));
                   ledger.disburse(0, 0, 0, 5);
                   ledger.settle(0, 0, 0, 0, 5);
                 }});
  sim.add_recorder(recorder);
  int progress_calls = 0;
  sim.run({.steps = 2, .threads = 1}, [&](const Progress& p) {
    ++progress_calls;
    EXPECT_EQ(p.steps, 2);
  });
  EXPECT_EQ(log, (std::vector<std::string>{"a0", "b0", "record0", "a1", "b1", "record1"}));
  EXPECT_EQ(progress_calls, 2);
  EXPECT_EQ(ledger.total_disbursed()[0], 10);
}

TEST(Simulation, AnUnbalancedStepStopsTheRun) {
  Ledger ledger({"s"}, {"r"}, {"t"}, {"k"});
  Simulation sim(ledger);
  int steps_run = 0;
  sim.add_phase({"leak", [&](int s) {
                   ++steps_run;
                   ledger.disburse(0, 0, 0, 10);
                   ledger.settle(0, 0, 0, 0, s == 2 ? 9 : 10);
                 }});
  EXPECT_THROW(sim.run({.steps = 5, .threads = 1}), LedgerImbalance);
  EXPECT_EQ(steps_run, 3);
}

// The serial definition of ordered_sum: blocks of `block` summed left to right, then the block
// sums left to right. Whatever the workers, the parallel sum must give these bytes.
double serial_block_sum(const std::vector<double>& values, std::size_t block) {
  double total = 0.0;
  for (std::size_t first = 0; first < values.size(); first += block) {
    double acc = 0.0;
    for (std::size_t i = first; i < std::min(values.size(), first + block); ++i) acc += values[i];
    total += acc;
  }
  return total;
}

TEST(OrderedSum, GivesTheSerialBlockSumsBytesOnAnyWorkerCount) {
  std::vector<double> values(100000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = 1.0 / (1.0 + static_cast<double>(i));
  const double reference = serial_block_sum(values, 4096);
  // The control: summing in another order gives other bytes, so equality below means something.
  double left_to_right = 0.0;
  for (double v : values) left_to_right += v;
  ASSERT_NE(left_to_right, reference);
  for (int workers : testing::kWorkerCounts) {
    const double total = testing::with_workers(workers, [&] {
      return ordered_sum<double>(values.size(), [&](std::size_t i) { return values[i]; });
    });
    EXPECT_EQ(total, reference) << workers << " workers";
  }
}

}  // namespace
}  // namespace aidflow::engine
