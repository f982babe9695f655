// Resolution is a parameter: the same scenario at 4,000, 20,000 and 200,000 household agents must
// give the same results per person, within sampling noise. The noise is measured, not guessed.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "model/model.hpp"
#include "paired.hpp"
#include "scenario/scenario_loader.hpp"

namespace aidflow::model {
namespace {

struct PerPerson {
  double reached = 0.0;   // mean share of people reached per week
  double recruits = 0.0;  // recruits per million people over the run
};

class PerPersonRecorder : public engine::Recorder {
 public:
  explicit PerPersonRecorder(const World& world) : world_(world) {}
  void record(int /*step*/) override {
    const Households& h = world_.households;
    const double ration = world_.spec.households.relief_usd_per_person_week;
    double reached = 0.0, people = 0.0;
    for (std::size_t i = 0; i < h.size(); ++i) {
      reached += std::min(h.people[i], engine::cents_to_usd(h.aid_received[i]) / ration);
      // Per person in the country: not those still hosted in Iran or Pakistan.
      if (h.displacement[i] <= Displacement::Internal) people += h.people[i];
    }
    reached_share += reached / people;
    for (std::int64_t r : world_.factions.recruits) recruits += static_cast<double>(r);
    ++steps;
  }
  const World& world_;
  double reached_share = 0.0, recruits = 0.0;
  int steps = 0;
};

PerPerson run_at(std::int64_t households, std::uint64_t seed) {
  const ScenarioSpec spec =
      scenario::load_scenario(AIDFLOW_SOURCE_DIR "/scenarios/status_quo.yaml",
                              {.overrides = {"run.households=" + std::to_string(households),
                                             "run.steps=26", "run.seed=" + std::to_string(seed)}});
  Model model(spec);
  PerPersonRecorder record(model.world());
  model.simulation().add_recorder(record);
  model.simulation().run({.steps = spec.run.steps, .threads = 2});
  return {record.reached_share / record.steps, record.recruits / spec.geography.population * 1e6};
}

double sd(const std::vector<double>& v) {
  const double m = testing::mean(v);
  double s = 0.0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size() - 1));
}

// The country (the Afghanistan tables) is the same for every seed and resolution, and each seed's
// draws are a pair: the same run at two resolutions. The paired difference's mean must be
// within four standard errors of zero plus half a percent of the value: at 4,000 agents whole
// rations make delivery a little lumpy, which shows as a bias of about 0.2% in people reached.
TEST(Resolution, PeopleReachedAndRecruitsPerPersonAgreeAcrossResolutions) {
  constexpr int kSeeds = 4;
  for (std::int64_t households : {20000, 200000}) {
    testing::Paired reached, recruits;
    double reached_level = 0.0, recruits_level = 0.0;
    for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
      const PerPerson coarse = run_at(4000, seed), fine = run_at(households, seed);
      reached.differences.push_back(fine.reached - coarse.reached);
      recruits.differences.push_back(fine.recruits - coarse.recruits);
      reached_level += coarse.reached / kSeeds;
      recruits_level += coarse.recruits / kSeeds;
    }
    const std::tuple<const char*, const testing::Paired*, double> checks[] = {
        {"people reached", &reached, reached_level},
        {"recruits per million", &recruits, recruits_level}};
    for (const auto& [name, paired, level] : checks) {
      const double m = testing::mean(paired->differences);
      const double se = sd(paired->differences) / std::sqrt(double{kSeeds});
      EXPECT_LT(std::fabs(m), 4.0 * se + 0.005 * level) << name << " at " << households;
      std::printf("%s, %lld households vs 4,000: mean difference %.4g (se %.2g, level %.4g)\n",
                  name, static_cast<long long>(households), m, se, level);
    }
  }
}

}  // namespace
}  // namespace aidflow::model
