// The engine runs a model that is not Afghanistan: a toy economy of traders who each pay a random
// share of their cash to a neighbour every step. It proves the engine is reusable, that phases
// run in order, and that the parallel path gives the serial twin's bytes for any thread count.
#include "engine/simulation.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "engine/parallel.hpp"
#include "engine/random.hpp"

namespace aidflow::engine {
namespace {

struct Traders {
  std::vector<Cents> cash;
  std::vector<Cents> paid;  // this step, by payer
  std::vector<double> mood;
};

void pay(Traders& t, const RandomStream& rng, int step, bool parallel) {
  auto body = [&](std::size_t i) {
    const double share =
        rng.uniform(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(step));
    t.paid[i] = take_share(t.cash[i], 0.1 * share);
    t.mood[i] = 0.9 * t.mood[i] +
                rng.normal(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(step), 1);
  };
  if (parallel)
    parallel_for_each(t.cash.size(), body);
  else
    serial_for_each(t.cash.size(), body);
}

void receive(Traders& t) {
  const std::size_t n = t.cash.size();
  std::vector<Cents> next(n);
  for (std::size_t i = 0; i < n; ++i) next[i] = t.cash[i] - t.paid[i] + t.paid[(i + n - 1) % n];
  t.cash = next;
}

Traders run_traders(int threads, bool parallel) {
  Traders t{std::vector<Cents>(10000, 1000), std::vector<Cents>(10000, 0),
            std::vector<double>(10000, 0.0)};
  Ledger ledger({"economy"}, {"trade"}, {"held"});
  Simulation sim(ledger);
  const RandomStream rng(2024, 9);
  sim.add_phase({"pay", [&](int s) { pay(t, rng, s, parallel); }});
  sim.add_phase({"receive", [&](int) { receive(t); }});
  sim.run({.steps = 50, .threads = threads});
  return t;
}

TEST(Simulation, ParallelPhasesMatchTheSerialTwinForAnyThreadCount) {
  const Traders reference = run_traders(1, false);
  for (int threads : {1, 2, 3, 8}) {
    const Traders parallel = run_traders(threads, true);
    EXPECT_EQ(parallel.cash, reference.cash) << threads << " threads";
    EXPECT_EQ(parallel.mood, reference.mood) << threads << " threads";  // bitwise doubles
  }
}

TEST(Simulation, PhasesRunInOrderThenRecordersThenTheLedger) {
  Ledger ledger({"s"}, {"r"}, {"k"});
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
                   ledger.disburse(0, 0, 5);
                   ledger.settle(0, 0, 0, 5);
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
  Ledger ledger({"s"}, {"r"}, {"k"});
  Simulation sim(ledger);
  int steps_run = 0;
  sim.add_phase({"leak", [&](int s) {
                   ++steps_run;
                   ledger.disburse(0, 0, 10);
                   ledger.settle(0, 0, 0, s == 2 ? 9 : 10);
                 }});
  EXPECT_THROW(sim.run({.steps = 5, .threads = 1}), LedgerImbalance);
  EXPECT_EQ(steps_run, 3);
}

TEST(OrderedSum, SameBytesForAnyThreadCount) {
  std::vector<double> values(100000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = 1.0 / (1.0 + static_cast<double>(i));
  double reference = 0.0;
  {
    const tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    reference = ordered_sum<double>(values.size(), [&](std::size_t i) { return values[i]; });
  }
  for (std::size_t threads : {2u, 4u}) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    const double total =
        ordered_sum<double>(values.size(), [&](std::size_t i) { return values[i]; });
    EXPECT_EQ(total, reference);
  }
}

}  // namespace
}  // namespace aidflow::engine
