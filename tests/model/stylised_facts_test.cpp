// The stylised facts of docs/MODEL.md, on scenarios/status_quo.yaml at coarse resolution. Each
// policy comparison runs REPLICATES paired replicates (the same seed with and without the policy:
// common random numbers) and is judged by a one-sided sign test at the 1% level (with 12
// replicates, 11 or more pointing the stated way gives p = 0.0032), together with an effect size
// on the mean over replicates. Factions are found by id, never by position, and nothing in the
// model tests a scenario's name or special-cases a faction. Which facts still hold by the
// scenario's values or a mechanism's arithmetic, rather than emerge, is said in docs/MODEL.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "model/record/summary.hpp"
#include "paired.hpp"
#include "scenario/scenario_loader.hpp"

namespace aidflow::model {
namespace {

constexpr int kReplicates = 12;
constexpr double kLevel = 0.01;

using testing::Paired;

// What a run's analyst would read off it, summed or averaged over the steps.
class OutcomeRecorder : public engine::Recorder {
 public:
  explicit OutcomeRecorder(const World& world)
      : world_(world),
        executed_(world.faction_count(), 0.0),
        recruits_(world.faction_count(), 0.0),
        complex_capital_executed_(world.faction_count(), 0.0),
        complex_capital_claimed_(world.faction_count(), 0.0),
        patron_income_(world.faction_count()) {}

  void record(int /*step*/) override {
    const Households& h = world_.households;
    const double ration = world_.spec.households.relief_usd_per_person_week;
    for (std::size_t i = 0; i < h.size(); ++i) {
      reached_ += std::min(h.people[i], engine::cents_to_usd(h.aid_received[i]) / ration);
    }
    for (std::size_t f = 0; f < world_.faction_count(); ++f) {
      executed_[f] += static_cast<double>(world_.factions.attacks_executed[f]);
      recruits_[f] += static_cast<double>(world_.factions.recruits[f]);
      const auto patron = static_cast<std::size_t>(Income::Patron);
      patron_income_[f].push_back(
          static_cast<double>(world_.factions.income[f * kIncomeKinds + patron]));
    }
    for (double cut : world_.sanctions.effective) enforcement_ += cut;
    for (const Event& e : world_.events) {
      if (e.kind != EventKind::Attack || e.complex != 1) continue;
      if (!world_.districts.in_capital[static_cast<std::size_t>(e.district)]) continue;
      complex_capital_executed_[static_cast<std::size_t>(e.executor)] += 1.0;
      if (e.claimant >= 0) complex_capital_claimed_[static_cast<std::size_t>(e.claimant)] += 1.0;
    }
    ++steps_;
  }

  const World& world_;
  double reached_ = 0.0;
  int steps_ = 0;
  std::vector<double> executed_, recruits_, complex_capital_executed_, complex_capital_claimed_;
  std::vector<std::vector<double>> patron_income_;  // [faction][step], cents
  double enforcement_ = 0.0;  // effective sanction cuts, summed over steps and sanctions
};

struct Outcome {
  ScenarioSpec spec;
  RunSummary summary;
  Cents haqqani_treasury_start = 0;
  double mean_reached = 0.0, need_mean = 0.0, displaced_abroad = 0.0;
  std::vector<double> executed, recruits, complex_capital_executed, complex_capital_claimed;
  std::vector<double> fighters, external_operations;
  std::vector<std::vector<double>> patron_income;  // [faction][step], cents
  double mean_enforcement = 0.0;                   // mean effective cut per sanction and step

  std::size_t faction(const std::string& id) const {
    for (std::size_t f = 0; f < spec.factions.size(); ++f) {
      if (spec.factions[f].id == id) return f;
    }
    ADD_FAILURE() << "no faction " << id << " in the scenario";
    return 0;
  }
  double diverted_share() const {
    return static_cast<double>(summary.diverted) / static_cast<double>(summary.disbursed);
  }
  double total_recruits() const { return testing::mean(recruits) * recruits.size(); }
  // Cents passed from one faction to another over the run.
  double transferred(const std::string& from, const std::string& to) const {
    const std::size_t n = spec.factions.size(), sources = total_transferred.size() / (n * n);
    const std::size_t row = (faction(from) * n + faction(to)) * sources;
    double total = 0.0;
    for (std::size_t k = 0; k < sources; ++k)
      total += static_cast<double>(total_transferred[row + k]);
    return total;
  }
  // A faction's patron income summed over steps [first, last).
  double patron_income_between(const std::string& id, int first, int last) const {
    const auto& v = patron_income[faction(id)];
    double total = 0.0;
    for (int t = first; t < last; ++t) total += v[static_cast<std::size_t>(t)];
    return total;
  }
  std::vector<Cents> total_transferred;
};

// The references and policy scenarios the facts are stated on (scenarios/).
constexpr const char* kStatusQuo = AIDFLOW_SOURCE_DIR "/scenarios/status_quo.yaml";
constexpr const char* kBudgetSupport = AIDFLOW_SOURCE_DIR "/scenarios/budget_support.yaml";
constexpr const char* kSanctionsUsOnly = AIDFLOW_SOURCE_DIR "/scenarios/sanctions_us_only.yaml";
constexpr const char* kAllAidCut = AIDFLOW_SOURCE_DIR "/scenarios/all_aid_cut.yaml";

Outcome run_scenario(const char* file, std::uint64_t seed,
                     std::vector<scenario::Override> policy = {}) {
  std::vector<scenario::Override> overrides = {"run.households=4000", "run.steps=104",
                                               "run.seed=" + std::to_string(seed)};
  overrides.insert(overrides.end(), policy.begin(), policy.end());
  const ScenarioSpec spec = scenario::load_scenario(file, {.overrides = overrides});
  Model model(spec);
  OutcomeRecorder record(model.world());
  model.simulation().add_recorder(record);
  Outcome out{.spec = spec};
  out.haqqani_treasury_start = summarize(model.world()).treasury[out.faction("haqqani")];
  model.simulation().run({.steps = spec.run.steps, .threads = 2});
  const World& w = model.world();
  out.summary = summarize(w);
  out.mean_reached = record.reached_ / record.steps_;
  // Need of the households the run started with: those hosted abroad who have not yet come
  // back are not among them (their need is the same under any aid).
  double people = 0.0, need = 0.0;
  for (std::size_t i = 0; i < w.households.size(); ++i) {
    const Displacement d = w.households.displacement[i];
    if (d == Displacement::HostedIran || d == Displacement::HostedPakistan) continue;
    people += w.households.people[i];
    need += w.households.people[i] * w.households.need[i];
    if (d == Displacement::Iran || d == Displacement::Pakistan) {
      out.displaced_abroad += w.households.people[i];
    }
  }
  out.need_mean = need / people;
  out.executed = record.executed_;
  out.recruits = record.recruits_;
  out.complex_capital_executed = record.complex_capital_executed_;
  out.complex_capital_claimed = record.complex_capital_claimed_;
  out.fighters = w.factions.fighters;
  out.external_operations = w.factions.external_operations;
  out.patron_income = record.patron_income_;
  out.total_transferred = w.factions.accounts.total_transferred();
  const std::size_t cuts = spec.sanctions.size() * static_cast<std::size_t>(record.steps_);
  out.mean_enforcement = cuts > 0 ? record.enforcement_ / static_cast<double>(cuts) : 0.0;
  return out;
}

// Runs the reference and the policy (the reference with `policy` set, or another scenario file)
// for every replicate and hands each pair to `compare`.
template <class Compare>
void paired_runs(const char* reference, const std::vector<scenario::Override>& policy,
                 Compare compare) {
  for (std::uint64_t seed = 1; seed <= kReplicates; ++seed) {
    compare(run_scenario(reference, seed), run_scenario(reference, seed, policy));
  }
}
template <class Compare>
void paired_files(const char* reference, const char* policy, Compare compare) {
  for (std::uint64_t seed = 1; seed <= kReplicates; ++seed) {
    compare(run_scenario(reference, seed), run_scenario(policy, seed));
  }
}

double relative(double policy, double base) {
  return base != 0.0 ? (policy - base) / base : 0.0;
}

// Fact 1 (a ranking, not a comparison), on the budget-support counterfactual: with mixed
// channels and budget support through ministries, the Haqqani network receives the largest share
// of diverted aid and its treasury grows. Stated as what it is: it must hold in every replicate.
TEST(StylisedFacts, Fact1BudgetSupportHaqqanisReceiveTheLargestShareOfDivertedAid) {
  for (std::uint64_t seed = 1; seed <= kReplicates; ++seed) {
    const Outcome o = run_scenario(kBudgetSupport, seed);
    const std::size_t haqqani = o.faction("haqqani");
    const auto& by_faction = o.summary.diverted_by_faction;
    const auto largest = static_cast<std::size_t>(
        std::max_element(by_faction.begin(), by_faction.end()) - by_faction.begin());
    EXPECT_EQ(largest, haqqani) << "seed " << seed;
    EXPECT_GT(o.summary.treasury[haqqani], o.haqqani_treasury_start) << "seed " << seed;
  }
}

// Fact 2 (S14), on the status quo: $300M a year of "aid to fight ISIS-K" routed through the
// Interior Ministry raises ISIS-Kabul's executed attacks and Haqqani capacity (treasury and
// external operations), while ISIS-Khorasan's strength (fighters) falls.
TEST(StylisedFacts, Fact2CounterIsisAidThroughInteriorFeedsTheGroupsItIsMeantToFight) {
  Paired kabul_attacks, haqqani_cash, haqqani_ops, khorasan_fighters;
  paired_runs(
      kStatusQuo,
      {"policy.counter_isis_aid.usd_per_year=300e6", "policy.counter_isis_aid.donor=usa",
       "policy.counter_isis_aid.channel=budget_support", "policy.counter_isis_aid.sector=security"},
      [&](const Outcome& base, const Outcome& aid) {
        const std::size_t kabul = base.faction("isis_kabul");
        const std::size_t haqqani = base.faction("haqqani");
        const std::size_t khorasan = base.faction("isis_khorasan");
        kabul_attacks.differences.push_back(relative(aid.executed[kabul], base.executed[kabul]));
        haqqani_cash.differences.push_back(
            relative(static_cast<double>(aid.summary.treasury[haqqani]),
                     static_cast<double>(base.summary.treasury[haqqani])));
        haqqani_ops.differences.push_back(
            relative(aid.external_operations[haqqani], base.external_operations[haqqani]));
        khorasan_fighters.differences.push_back(
            relative(aid.fighters[khorasan], base.fighters[khorasan]));
      });
  EXPECT_LT(kabul_attacks.p_increase(), kLevel);
  EXPECT_GT(testing::mean(kabul_attacks.differences), 0.10) << "ISIS-Kabul attacks +10% or more";
  EXPECT_LT(haqqani_cash.p_increase(), kLevel);
  EXPECT_GT(testing::mean(haqqani_cash.differences), 0.10) << "Haqqani treasury +10% or more";
  EXPECT_LT(haqqani_ops.p_increase(), kLevel);
  EXPECT_LT(khorasan_fighters.p_decrease(), kLevel);
  EXPECT_LT(testing::mean(khorasan_fighters.differences), -0.10) << "ISIS-K fighters -10% or more";
}

// Fact 3 (S16), on the status quo: ISIS-Khorasan claims more complex attacks in Kabul (the
// capital's districts) than it executes. The gap is positive in every replicate where such
// attacks occur, and they occur in nearly all.
TEST(StylisedFacts, Fact3IsisKhorasanClaimsMoreComplexKabulAttacksThanItExecutes) {
  int with_attacks = 0;
  std::vector<double> gaps;
  for (std::uint64_t seed = 1; seed <= kReplicates; ++seed) {
    const Outcome o = run_scenario(kStatusQuo, seed);
    const std::size_t khorasan = o.faction("isis_khorasan");
    const double claimed = o.complex_capital_claimed[khorasan];
    const double executed = o.complex_capital_executed[khorasan];
    if (claimed + executed == 0.0) continue;
    ++with_attacks;
    gaps.push_back(claimed - executed);
    EXPECT_GT(claimed, executed) << "seed " << seed;
  }
  EXPECT_GE(with_attacks, kReplicates - 1);
  EXPECT_GE(testing::mean(gaps), 2.0) << "a gap of at least two complex attacks over two years";
}

// Fact 5, on the budget-support counterfactual: humanitarian-only channelling with third-party
// monitoring lowers the diverted share (by a fifth or more) while people reached stay near the
// counterfactual's: one-sided, a policy that reaches more people must not fail it. (The policy
// arm is the status quo with third-party monitoring: budget_support.yaml is the status quo with
// humanitarian_only lifted.)
TEST(StylisedFacts, Fact5HumanitarianOnlyWithMonitoringCutsDiversionButNotReach) {
  Paired diversion;
  int reach_kept = 0;
  paired_runs(
      kBudgetSupport, {"policy.humanitarian_only=true", "policy.monitoring.third_party=0.8"},
      [&](const Outcome& base, const Outcome& policy) {
        diversion.differences.push_back(relative(policy.diverted_share(), base.diverted_share()));
        if (policy.mean_reached > 0.9 * base.mean_reached) ++reach_kept;
      });
  EXPECT_LT(diversion.p_decrease(), kLevel);
  EXPECT_LT(testing::mean(diversion.differences), -0.20);
  EXPECT_EQ(reach_kept, kReplicates);
}

// Fact 6 (S1, S5), on the status quo (scenarios/all_aid_cut.yaml: every year's aid at zero):
// cutting all aid ends diversion but raises need, displacement towards Iran and Pakistan, and
// recruitment, ISIS-Khorasan's included.
TEST(StylisedFacts, Fact6CuttingAllAidEndsDiversionButRaisesNeedDisplacementAndRecruitment) {
  Paired need, abroad, recruits, khorasan_recruits;
  paired_files(kStatusQuo, kAllAidCut, [&](const Outcome& base, const Outcome& cut) {
    EXPECT_EQ(cut.summary.diverted, 0);
    EXPECT_EQ(cut.summary.disbursed, 0);
    const std::size_t khorasan = base.faction("isis_khorasan");
    need.differences.push_back(relative(cut.need_mean, base.need_mean));
    abroad.differences.push_back(relative(cut.displaced_abroad, base.displaced_abroad));
    recruits.differences.push_back(relative(cut.total_recruits(), base.total_recruits()));
    khorasan_recruits.differences.push_back(
        relative(cut.recruits[khorasan], base.recruits[khorasan]));
  });
  EXPECT_LT(need.p_increase(), kLevel);
  EXPECT_GT(testing::mean(need.differences), 0.10) << "need +10% or more";
  EXPECT_LT(abroad.p_increase(), kLevel);
  EXPECT_GT(testing::mean(abroad.differences), 0.05) << "displacement abroad +5% or more";
  EXPECT_LT(recruits.p_increase(), kLevel);
  EXPECT_GT(testing::mean(recruits.differences), 0.03) << "recruitment +3% or more";
  EXPECT_LT(khorasan_recruits.p_increase(), kLevel);
}

double haqqani_transfers(const Outcome& o) {
  return o.transferred("haqqani", "al_qaeda") + o.transferred("haqqani", "isis_kabul");
}

// Fact 4 (S19), on the status quo: targeted sanctions on the Haqqanis' ties to al Qaeda and
// ISIS-Kabul (scenarios/sanctions_us_only.yaml: enforcement 0.8, fronts eroding it at 0.3 a year,
// S13, in force from the first week, added to the status quo's UN 1988 asset freeze) cut the
// Haqqani transfers to those two by more when a coalition including China, Russia and Pakistan
// enforces them than when the United States (the coalition's lead) enforces them alone. Each
// replicate runs three arms on the same seed: the status quo (no sanctions on the edges), the
// sanctions by the lead alone (the empty coalition), and by a coalition holding those three
// states throughout (its leave threshold out of reach).
TEST(StylisedFacts, Fact4SanctionsCutHaqqaniTransfersMoreWithChinaRussiaAndPakistan) {
  Paired extra_cut;
  std::vector<double> us_cuts, coalition_cuts;
  const std::vector<scenario::Override> coalition = {
      "coalition.members=[china, russia, pakistan_isi]", "coalition.leave_threshold=-10"};
  for (std::uint64_t seed = 1; seed <= kReplicates; ++seed) {
    const double none = haqqani_transfers(run_scenario(kStatusQuo, seed));
    const double us = haqqani_transfers(run_scenario(kSanctionsUsOnly, seed));
    const double wide = haqqani_transfers(run_scenario(kSanctionsUsOnly, seed, coalition));
    us_cuts.push_back(1.0 - us / none);
    coalition_cuts.push_back(1.0 - wide / none);
    extra_cut.differences.push_back(coalition_cuts.back() - us_cuts.back());
  }
  EXPECT_LT(extra_cut.p_increase(), kLevel);
  EXPECT_GT(testing::mean(us_cuts), 0.0) << "the lead alone still cuts something";
  EXPECT_GT(testing::mean(extra_cut.differences), 0.20)
      << "the wide coalition cuts 20 points more of the transfers; US alone cut "
      << testing::mean(us_cuts) << ", coalition " << testing::mean(coalition_cuts);
}

// Fact 7 (S20), on the status quo: Pakistan pressure from week 26 lowers the Haqqanis' patron
// income with a lag: in its first six weeks the income is as without pressure; a year on it is
// clearly lower, and the Haqqani treasury ends lower.
TEST(StylisedFacts, Fact7PakistanPressureLowersHaqqaniPatronIncomeWithALag) {
  constexpr int kStart = 26;
  Paired early, late, treasury;
  paired_runs(kStatusQuo, {"pakistan_pressure.enabled=true", "pakistan_pressure.start_step=26"},
              [&](const Outcome& base, const Outcome& pressed) {
                const auto change = [&](int from, int to) {
                  return relative(pressed.patron_income_between("haqqani", from, to),
                                  base.patron_income_between("haqqani", from, to));
                };
                early.differences.push_back(change(kStart, kStart + 6));
                late.differences.push_back(change(kStart + 52, kStart + 78));
                const std::size_t haqqani = base.faction("haqqani");
                treasury.differences.push_back(
                    relative(static_cast<double>(pressed.summary.treasury[haqqani]),
                             static_cast<double>(base.summary.treasury[haqqani])));
              });
  EXPECT_LT(std::abs(testing::mean(early.differences)), 0.02) << "little change at first";
  EXPECT_LT(late.p_decrease(), kLevel);
  EXPECT_LT(testing::mean(late.differences), -0.20) << "patron income -20% or more a year on";
  EXPECT_LT(treasury.p_decrease(), kLevel);
}

// Fact 8 (S12), on the status quo with the sanctions of fact 4 (sanctions_us_only.yaml): with the
// hostage holdings (Frerichs at the start, more taken), the sanctions (the edges' and the UN 1988
// freeze) are enforced less under a concessions policy than under no concessions, and more of
// the Haqqanis' money reaches al Qaeda and ISIS-Kabul; under no concessions, enforcement is
// exactly what it would be with no hostages at all.
TEST(StylisedFacts, Fact8HostageHoldingsWeakenEnforcementUnlessNoConcessions) {
  Paired enforcement, transfers;
  const std::vector<scenario::Override> no_concessions = {"hostages.policy=no_concessions"};
  for (std::uint64_t seed = 1; seed <= kReplicates; ++seed) {
    const Outcome concessions = run_scenario(kSanctionsUsOnly, seed);
    const Outcome refused = run_scenario(kSanctionsUsOnly, seed, no_concessions);
    enforcement.differences.push_back(
        relative(concessions.mean_enforcement, refused.mean_enforcement));
    transfers.differences.push_back(
        relative(haqqani_transfers(concessions), haqqani_transfers(refused)));
    // No hostages at all: found by id, every hostage-taking group switched off.
    std::vector<scenario::Override> none = no_concessions;
    for (std::size_t f = 0; f < concessions.spec.factions.size(); ++f) {
      const std::string at = "factions[" + std::to_string(f) + "].hostages.";
      none.insert(none.end(), {at + "initial=0", at + "take_per_year=0"});
    }
    EXPECT_NEAR(run_scenario(kSanctionsUsOnly, seed, none).mean_enforcement,
                refused.mean_enforcement, 1e-12)
        << "seed " << seed;
  }
  EXPECT_LT(enforcement.p_decrease(), kLevel);
  EXPECT_LT(testing::mean(enforcement.differences), -0.05) << "enforcement -5% or more";
  EXPECT_LT(transfers.p_increase(), kLevel);
}

}  // namespace
}  // namespace aidflow::model
