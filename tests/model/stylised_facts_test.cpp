// MODEL.md's stylised facts that the model built so far can show, on scenarios/baseline.yaml.
// Each is judged over 10 paired replicates (same seed, common random numbers) by a one-sided sign
// test: under the null hypothesis each replicate is as likely to go either way, so the fact holding
// in all 10 has probability 2^-10 < 0.001, the significance level used here. Nothing in the model
// tests a scenario's name or special-cases a faction: the facts must emerge.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "io/scenario_loader.hpp"
#include "model/model.hpp"
#include "model/record/summary.hpp"

namespace aidflow::model {
namespace {

constexpr int kReplicates = 10;

struct Outcome {
  std::vector<Cents> diverted_by_faction;
  std::vector<Cents> treasury_start, treasury_end;
  Cents disbursed = 0, diverted = 0;
  double mean_people_reached = 0.0;
};

// Averages people reached over the steps of a run.
class ReachRecorder : public engine::Recorder {
 public:
  explicit ReachRecorder(const World& world) : world_(world) {}
  void record(int /*step*/) override {
    for (std::size_t i = 0; i < world_.households.size(); ++i) {
      if (world_.households.aid_received[i] > 0) total_ += world_.households.people[i];
    }
    ++steps_;
  }
  double mean() const { return steps_ > 0 ? total_ / steps_ : 0.0; }

 private:
  const World& world_;
  double total_ = 0.0;
  int steps_ = 0;
};

Outcome run_baseline(std::uint64_t seed, std::vector<io::Override> policy = {}) {
  std::vector<io::Override> overrides = {"run.households=4000", "run.steps=52",
                                         "run.seed=" + std::to_string(seed)};
  overrides.insert(overrides.end(), policy.begin(), policy.end());
  const ScenarioSpec spec =
      io::load_scenario(AIDFLOW_SOURCE_DIR "/scenarios/baseline.yaml", {.overrides = overrides});
  Model model(spec);
  ReachRecorder reach(model.world());
  model.simulation().add_recorder(reach);
  Outcome out;
  out.treasury_start = summarize(model.world()).treasury;
  model.simulation().run({.steps = spec.run.steps, .threads = 2});
  const World& w = model.world();
  const RunSummary summary = summarize(w);
  out.diverted_by_faction = summary.diverted_by_faction;
  out.disbursed = summary.disbursed;
  out.diverted = summary.diverted;
  out.treasury_end = summary.treasury;
  out.mean_people_reached = reach.mean();
  return out;
}

double diverted_share(const Outcome& o) {
  return static_cast<double>(o.diverted) / static_cast<double>(o.disbursed);
}

// Fact 1: with mixed channels and budget support through ministries, the Haqqanis (faction 0 in
// the baseline) receive the largest share of diverted aid, and their treasury grows.
TEST(StylisedFacts, BaselineHaqqanisReceiveTheLargestShareOfDivertedAid) {
  int held = 0;
  for (std::uint64_t seed = 1; seed <= kReplicates; ++seed) {
    const Outcome o = run_baseline(seed);
    const auto largest =
        std::max_element(o.diverted_by_faction.begin(), o.diverted_by_faction.end());
    const bool haqqani_largest = largest == o.diverted_by_faction.begin();
    const bool treasury_grows = o.treasury_end[0] > o.treasury_start[0];
    if (haqqani_largest && treasury_grows) ++held;
  }
  EXPECT_EQ(held, kReplicates) << "sign test at p < 0.001 needs all 10 replicates";
}

// Fact 5: humanitarian-only channelling with third-party monitoring lowers the diverted share,
// while the people reached stay near the baseline (within 10%).
TEST(StylisedFacts, HumanitarianOnlyWithMonitoringCutsDiversionButNotReach) {
  int lower_diversion = 0, reach_kept = 0;
  for (std::uint64_t seed = 1; seed <= kReplicates; ++seed) {
    const Outcome base = run_baseline(seed);
    const Outcome policy =
        run_baseline(seed, {"policy.humanitarian_only=true", "policy.monitoring.third_party=0.8"});
    if (diverted_share(policy) < diverted_share(base)) ++lower_diversion;
    const double ratio = policy.mean_people_reached / base.mean_people_reached;
    if (ratio > 0.9 && ratio < 1.1) ++reach_kept;
  }
  EXPECT_EQ(lower_diversion, kReplicates) << "sign test at p < 0.001 needs all 10 replicates";
  EXPECT_EQ(reach_kept, kReplicates);
}

}  // namespace
}  // namespace aidflow::model
