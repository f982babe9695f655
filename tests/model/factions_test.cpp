// Armed groups' money and men on small scenarios with answers known in closed form: transfers
// along alliance edges, provenance through them, treasuries running dry, counter-terrorism aimed
// only at the groups its controller is hostile to, claims under another group's brand, and
// attacks abroad that states observe and fear, operations that break up preparation, and a
// campaign answering the attacks blamed on an enemy.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>

#include "model/armed/economy.hpp"
#include "model/model.hpp"
#include "scenario/scenario_loader.hpp"
#include "tiny_scenario.hpp"

namespace aidflow::model {
namespace {

// Three groups: a captures everything at the ministry; b is a's ally; c is everyone's enemy.
ScenarioSpec three_groups() {
  ScenarioSpec spec = testing::pass_through_scenario();
  spec.channels[0].ministry_exposure = 1.0;
  spec.ministries[0].capture_rate = 0.5;
  spec.factions = {{.id = "a", .name = "a", .influence = 0.3},
                   {.id = "b", .name = "b", .influence = 0.1},
                   {.id = "c", .name = "c", .influence = 0.1}};
  spec.alliances = {{.from = 0, .to = 1, .kind = "covert_support", .income_share = 0.25}};
  return spec;
}

Cents cash(const World& w, std::size_t f) {
  return w.factions.accounts.balance(f);
}

TEST(Factions, AnAllyReceivesItsShareOfTheSponsorsIncome) {
  Model model(three_groups());
  model.simulation().run({.steps = 10, .threads = 1});
  const World& w = model.world();
  const Cents captured =
      w.factions.accounts.total_credited()[0 * w.factions.accounts.sources().size()];
  EXPECT_GT(captured, 0);
  // 25% of each week's income, floored to the cent: within 10 cents over 10 weeks.
  EXPECT_NEAR(static_cast<double>(cash(w, 1)), 0.25 * static_cast<double>(captured), 10.0);
  EXPECT_EQ(cash(w, 0) + cash(w, 1), captured);
}

// With partner_cash_ceiling_reserves, a sponsor pays a partner for what it can use: in full while
// the partner holds at most its reserve, nothing at the ceiling, in proportion between. Here b
// holds 1.5 reserves against a ceiling of 2 and so receives half its planned share; the
// knock-out (no ceiling) pays the whole share, and a partner at the ceiling receives nothing.
Cents first_week_transfer(double ceiling, double reserves_held,
                          std::optional<double> edge_ceiling = {}) {
  ScenarioSpec spec = three_groups();
  spec.alliances[0].cash_ceiling_reserves = edge_ceiling;
  spec.factions[1].fighters = 100;
  spec.factions[1].economy.upkeep_usd_per_fighter_week = 10.0;  // $1,000 a week
  spec.factions[1].economy.reserve_weeks = 10.0;                // a $10,000 reserve
  spec.factions[1].treasury_usd = 10000.0 * reserves_held;
  spec.armed_groups.partner_cash_ceiling_reserves = ceiling;
  Model model(spec);
  model.simulation().run({.steps = 1, .threads = 1});
  const World& w = model.world();
  const auto in = [&](std::size_t f, Income kind) {
    return w.factions.income[f * kIncomeKinds + static_cast<std::size_t>(kind)];
  };
  EXPECT_GT(in(0, Income::AidCapture), 0);
  const double planned = 0.25 * static_cast<double>(in(0, Income::AidCapture));
  return in(1, Income::TransfersIn) - static_cast<Cents>(std::floor(planned));
}

TEST(Factions, ASponsorPaysAPartnerOnlyForWhatItCanUse) {
  ScenarioSpec spec = three_groups();
  Model model(spec);
  model.simulation().run({.steps = 1, .threads = 1});
  const Cents captured =
      model.world().factions.income[static_cast<std::size_t>(Income::AidCapture)];
  const auto planned = static_cast<Cents>(std::floor(0.25 * static_cast<double>(captured)));
  EXPECT_EQ(first_week_transfer(0.0, 1.5), 0) << "no ceiling: the whole share";
  EXPECT_NEAR(static_cast<double>(first_week_transfer(2.0, 1.5)), -0.5 * planned, 1.0);
  EXPECT_EQ(first_week_transfer(2.0, 0.5), 0) << "within its reserve: the whole share";
  EXPECT_EQ(first_week_transfer(2.0, 2.0), -planned) << "at the ceiling: nothing";
}

// An edge's own ceiling replaces the shared one: on, it halves the payment at 1.5 reserves where
// the shared ceiling is off; explicitly off (1 or less), it pays in full where the shared one is
// on.
TEST(Factions, AnEdgesOwnCashCeilingReplacesTheSharedOne) {
  const Cents half = first_week_transfer(2.0, 1.5);
  EXPECT_LT(half, 0);
  EXPECT_EQ(first_week_transfer(0.0, 1.5, 2.0), half);
  EXPECT_EQ(first_week_transfer(2.0, 1.5, 0.0), 0) << "the edge's own ceiling is off";
}

// Operations first: a group whose income cannot cover its fighters puts operations_first of the
// week's income into attack preparation before upkeep, and loses the fighters it cannot pay. The
// knock-out (0: upkeep first) pays all it has to upkeep and prepares nothing, since no cash is
// left above its reserve.
struct FirstWeek {
  Cents income = 0, prepared = 0;
  double fighters = 0.0;
};

FirstWeek week_short_of_upkeep(double operations_first, double preparation_decay = 0.01) {
  ScenarioSpec spec = three_groups();
  spec.armed_groups.preparation_decay_per_week = preparation_decay;
  FactionSpec& a = spec.factions[0];
  a.fighters = 1000;
  a.economy.upkeep_usd_per_fighter_week = 1e4;  // $10M a week, far above its income
  a.economy.operations_first = operations_first;
  a.attacks.rate_per_1000_fighters_step = 1.0;  // room for $2M of preparation
  spec.alliances.clear();
  spec.armed_groups.attrition_per_step = 0.0;
  Model model(spec);
  model.simulation().run({.steps = 1, .threads = 1});
  const World& w = model.world();
  const engine::ProvenanceAccounts& acc = w.factions.accounts;
  const std::size_t uses = acc.uses().size(), sources = acc.sources().size();
  const auto prep = static_cast<std::size_t>(Spending::AttackPreparation);
  FirstWeek out{.fighters = w.factions.fighters[0]};
  for (std::size_t s = 0; s < sources; ++s) {
    out.prepared += acc.total_spent()[(0 * uses + prep) * sources + s];
    out.income += acc.total_credited()[0 * sources + s];
  }
  return out;
}

TEST(Factions, AGroupPuttingOperationsFirstKeepsPreparingWhenItCannotPayItsFighters) {
  const FirstWeek first = week_short_of_upkeep(0.25);
  ASSERT_GT(first.income, 0);
  EXPECT_EQ(first.prepared, engine::take_share(first.income, 0.25)) << "a quarter of its income";
  const FirstWeek upkeep_first = week_short_of_upkeep(0.0);
  EXPECT_EQ(upkeep_first.prepared, 0);
  EXPECT_LT(first.fighters, upkeep_first.fighters) << "less left for upkeep: more desert";
  EXPECT_LT(upkeep_first.fighters, 1000.0) << "unpaid fighters desert either way";
  // Preparation that never decays can always be used: no bound, and no overflow from one.
  const FirstWeek no_decay = week_short_of_upkeep(0.25, 0.0);
  EXPECT_EQ(no_decay.prepared, engine::take_share(no_decay.income, 0.25));
}

TEST(Factions, DonorProvenanceFollowsMoneyThroughAnAlly) {
  ScenarioSpec spec = three_groups();
  spec.donors.push_back({.id = "e",
                         .name = "e",
                         .budget_usd_per_year = 3 * 52e6,
                         .channel_shares = {1.0},
                         .sector_shares = {1.0}});
  Model model(spec);
  model.simulation().run({.steps = 8, .threads = 2});
  const engine::ProvenanceAccounts& a = model.world().factions.accounts;
  const std::size_t s = a.sources().size();
  // b's cash came only through a, and carries d's and e's cents in the 1:3 ratio they were given.
  const double from_d = static_cast<double>(a.held()[1 * s + 0]);
  const double from_e = static_cast<double>(a.held()[1 * s + 1]);
  EXPECT_NEAR(from_e / from_d, 3.0, 1e-3);
  EXPECT_EQ(a.held()[1 * s + 0] + a.held()[1 * s + 1], a.balance(1));
}

TEST(Factions, ATreasuryCanRunDryAndUnpaidFightersDesert) {
  ScenarioSpec spec = three_groups();
  spec.factions[2].fighters = 1000;
  spec.factions[2].treasury_usd = 10000;
  spec.factions[2].economy.upkeep_usd_per_fighter_week = 5.0;  // $5,000 a week, no income
  spec.armed_groups.attrition_per_step = 0.0;
  spec.armed_groups.unpaid_desertion_per_week = 0.05;
  Model model(spec);
  model.simulation().run({.steps = 6, .threads = 1});
  const World& w = model.world();
  EXPECT_EQ(cash(w, 2), 0);
  EXPECT_LT(w.factions.fighters[2], 1000 * 0.95 * 0.95);  // at least two unpaid weeks
  const auto& spent = w.factions.accounts.total_spent();
  EXPECT_EQ(std::accumulate(spent.begin(), spent.end(), Cents{0}), engine::usd_to_cents(10000));
}

TEST(Factions, CounterTerrorismHitsOnlyTheGroupsItsControllerIsHostileTo) {
  ScenarioSpec spec = three_groups();
  spec.sectors[0].purpose = SectorPurpose::Security;
  spec.ministries[0].capture_rate = 0.0;
  spec.factions[1].fighters = 1000;  // a's ally
  spec.factions[2].fighters = 1000;  // a's enemy
  spec.hostilities = {{.by = 0, .against = 2}};
  spec.armed_groups.attrition_per_step = 0.0;
  spec.armed_groups.ct_fighters_per_million_usd = 10.0;
  spec.armed_groups.ct_half_fighters = 0.0;  // full yield whatever the size: a closed form
  Model model(spec);
  model.simulation().run({.steps = 4, .threads = 2});
  const World& w = model.world();
  // $1M a week of operations, all against c: 10 fighters a week.
  EXPECT_NEAR(w.factions.fighters[2], 1000 - 4 * 10, 1e-6);
  EXPECT_DOUBLE_EQ(w.factions.fighters[1], 1000);
  EXPECT_EQ(w.factions.ct_effort[1], 0);
  const auto& settled = w.ledger.total_settled();
  EXPECT_EQ(settled[SinkLayout::counter_terrorism()], engine::usd_to_cents(4e6));
}

// Operations aimed at a group also break up its preparation: $1M a week destroys a share
// 1 - exp(-k) of it each week; a partner's preparation is untouched.
TEST(Factions, CounterTerrorismBreaksUpTheTargetsPreparation) {
  ScenarioSpec spec = three_groups();
  spec.sectors[0].purpose = SectorPurpose::Security;
  spec.ministries[0].capture_rate = 0.0;
  spec.factions[1].fighters = 1000;
  spec.factions[2].fighters = 1000;
  spec.factions[1].preparation_usd = 1e6;
  spec.factions[2].preparation_usd = 1e6;
  spec.hostilities = {{.by = 0, .against = 2}};
  spec.armed_groups.preparation_decay_per_week = 0.0;
  spec.armed_groups.ct_disruption_per_million_usd = 0.5;
  Model model(spec);
  model.simulation().run({.steps = 4, .threads = 1});
  const World& w = model.world();
  EXPECT_NEAR(w.factions.preparation[2], 1e6 * std::exp(-0.5 * 4), 1e-3);
  EXPECT_DOUBLE_EQ(w.factions.preparation[1], 1e6);
}

// What a campaign answering attacks spends in the weeks of a run, and where it is aimed.
struct Campaign {
  std::vector<Cents> spent;          // the director's counter-terrorism, week by week
  std::vector<double> expected_usd;  // per attack x attacks a week blamed on its enemy
  Cents aimed_at_executor = 0, aimed_at_brand = 0;
};

// a fights c; b executes attacks claimed under c's name. a answers every attack blamed on c
// with $100,000 of operations, and nothing else of its cash goes to counter-terrorism.
Campaign campaign_against_a_brand(double per_attack, double intelligence_quality) {
  ScenarioSpec spec = three_groups();
  spec.run.steps = 30;
  spec.channels[0].ministry_exposure = 0.0;  // no aid money: the campaign is a's own cash
  spec.factions[0].treasury_usd = 1e9;
  spec.factions[0].economy = {
      .reserve_weeks = 0, .drawdown_per_week = 0.0, .counter_terrorism_usd_per_attack = per_attack};
  spec.factions[1].fighters = 1000;
  spec.factions[1].preparation_usd = 1e9;
  spec.factions[1].attacks = {.rate_per_1000_fighters_step = 2.0,
                              .preparation_half_usd = 1,
                              .simple_cost_usd = 1,
                              .brand = 2,
                              .brand_claim_share = 1.0};
  spec.factions[2].fighters = 1000;
  spec.hostilities = {{.by = 0, .against = 2}};
  spec.armed_groups.intelligence_quality = intelligence_quality;
  Model model(spec);
  Campaign c;
  struct Watch : engine::Recorder {
    const World& w;
    Campaign& c;
    double per_attack;
    Watch(const World& world, Campaign& campaign, double usd)
        : w(world), c(campaign), per_attack(usd) {}
    void record(int step) override {
      c.spent.push_back(w.factions.ct_spent[0]);
      // The truth of the weeks before this one (this week's is already recorded), up to 13.
      const int first = std::max(0, step - w.spec.signals.window_weeks);
      double blamed = 0.0;
      for (int t = first; t < step; ++t) {
        blamed += w.signals.history[static_cast<std::size_t>(t)].attributed_attacks[2];
      }
      c.expected_usd.push_back(step > 0 ? per_attack * blamed / (step - first) : 0.0);
      c.aimed_at_executor += w.factions.ct_effort[1];
      c.aimed_at_brand += w.factions.ct_effort[2];
    }
  } watch(model.world(), c, per_attack);
  model.simulation().add_recorder(watch);
  model.simulation().run({.steps = 30, .threads = 1});
  return c;
}

// S14, S16: the campaign follows the attacks blamed on the enemy week by week, is aimed at the
// brand whose name the attacks carry and spares the group that executed them; with perfect
// intelligence the attacks are blamed on b, whom a does not fight, and there is no campaign;
// with no response per attack (the knock-out) there is none either.
TEST(Factions, ACampaignAnswersTheAttacksBlamedOnAnEnemyNotTheGroupThatExecutedThem) {
  const Campaign misattributed = campaign_against_a_brand(1e5, 0.0);
  double total = 0.0;
  for (std::size_t t = 0; t < misattributed.spent.size(); ++t) {
    EXPECT_EQ(misattributed.spent[t], engine::usd_to_cents(misattributed.expected_usd[t]))
        << "week " << t;
    total += misattributed.expected_usd[t];
  }
  EXPECT_GT(total, 30 * 1e5) << "about two attacks a week, each answered";
  EXPECT_GT(misattributed.aimed_at_brand, 0);
  EXPECT_EQ(misattributed.aimed_at_executor, 0);
  const Campaign seen_through = campaign_against_a_brand(1e5, 1.0);
  const Campaign knocked_out = campaign_against_a_brand(0.0, 0.0);
  for (Cents spent : seen_through.spent) EXPECT_EQ(spent, 0);
  for (Cents spent : knocked_out.spent) EXPECT_EQ(spent, 0);
}

// b attacks about 100 times a year, all claimed under c's name; c attacks nobody itself.
struct BrandCounts {
  int executed = 0, claimed_by_brand = 0, blamed_on_executor = 0;
};

BrandCounts attacks_under_a_brand(double brand_cover_needed) {
  ScenarioSpec spec = three_groups();
  spec.run.steps = 52;
  spec.armed_groups.brand_cover_needed = brand_cover_needed;
  spec.factions[1].fighters = 1000;
  spec.factions[1].treasury_usd = 5e6;
  spec.factions[1].economy = {
      .reserve_weeks = 0, .drawdown_per_week = 0.5, .attack_preparation = 1};
  spec.factions[1].attacks = {.rate_per_1000_fighters_step = 100.0 / kStepsPerYear,
                              .preparation_half_usd = 1,
                              .simple_cost_usd = 1000,
                              .brand = 2,
                              .brand_claim_share = 1.0};
  Model model(spec);
  BrandCounts n;
  struct Count : engine::Recorder {
    const World& w;
    BrandCounts& n;
    Count(const World& world, BrandCounts& counts) : w(world), n(counts) {}
    void record(int) override {
      for (const Event& e : w.events) {
        n.executed += e.executor == 1;
        n.claimed_by_brand += e.claimant == 2;
        n.blamed_on_executor += e.attributed == 1;
      }
    }
  } count(model.world(), n);
  model.simulation().add_recorder(count);
  model.simulation().run({.steps = 52, .threads = 1});
  return n;
}

TEST(Factions, AttacksClaimedUnderABrandShowAnAttributionGap) {
  const BrandCounts n = attacks_under_a_brand(0.0);
  EXPECT_GT(n.executed, 50);  // about 100 a year
  EXPECT_EQ(n.claimed_by_brand, n.executed);
  // Observers see the true executor with intelligence_quality (0.3): a binomial share.
  EXPECT_NEAR(static_cast<double>(n.blamed_on_executor) / n.executed, 0.3, 0.15);
}

// A name gives cover only while its owner carries out enough of the attacks claimed in it: c
// carries out none, so from the second week (once a week of claims is known) b's attacks are no
// longer passed off as c's. The knock-out (brand_cover_needed 0) is the test above: all of them.
TEST(Factions, ANameThatOnlyCoversOthersAttacksStopsCoveringThem) {
  const BrandCounts n = attacks_under_a_brand(0.5);
  EXPECT_GT(n.executed, 50);
  EXPECT_GT(n.claimed_by_brand, 0) << "the first week, before anything was claimed";
  EXPECT_LT(n.claimed_by_brand, 10) << "about two a week in the first week only";
}

// S10, S22: a group with external-operations capacity attacks abroad at about its rate; the
// attacks have no district and a foreign target, and a state fearing the group feels them.
TEST(Factions, ExternalOperationsProduceAttacksAbroadThatAStateFearingTheGroupFeels) {
  ScenarioSpec spec = three_groups();
  spec.factions[1].fighters = 1000;
  spec.factions[1].preparation_usd = 1e7;  // capacity for 10,000 complex attacks: rate ~ full
  spec.factions[1].attacks = {.complex_cost_usd = 1000, .abroad_per_step = 1.0};
  spec.patrons = {{.id = "s",
                   .name = "s",
                   .kind = PatronKind::State,
                   .threat = {.feared = {1}, .attacks_abroad = 1.0}}};
  Model model(spec);
  int abroad = 0, malformed = 0;
  struct Count : engine::Recorder {
    const World& w;
    int &abroad, &malformed;
    Count(const World& world, int& a, int& m) : w(world), abroad(a), malformed(m) {}
    void record(int) override {
      for (const Event& e : w.events) {
        if (e.kind != EventKind::AttackAbroad) continue;
        ++abroad;
        malformed += e.district != -1 || e.executor != 1 || e.complex != 1 ||
                     e.target != static_cast<int>(Target::Foreign);
      }
    }
  } count(model.world(), abroad, malformed);
  model.simulation().add_recorder(count);
  model.simulation().run({.steps = 52, .threads = 1});
  EXPECT_NEAR(abroad, 52, 25) << "Poisson(1) a week";
  EXPECT_EQ(malformed, 0);
  EXPECT_GT(model.world().patrons.threat[0], 0.0) << "the state blames some on the group";
  EXPECT_EQ(model.world().factions.attacks_executed[1], 0) << "none counted at home";
}

// S21: a wing whose strength grows well past the holder's takes the ministry, as an event.
TEST(Factions, AMinistryMovesToAWingWhoseStrengthHasGrownPastTheHolders) {
  ScenarioSpec spec = three_groups();
  spec.ministries[0].capture_rate = 0.0;
  for (auto& f : spec.factions) {
    f.holds_ministries = true;
    f.fighters = 1000;
    f.economy.upkeep_usd_per_fighter_week = 1.0;
  }
  spec.factions[1].economy.revenue_take = 1.0;  // b alone collects a large local revenue
  spec.geography.local_revenue_usd_per_year = 52e6;
  spec.armed_groups = {.ministry_review_weeks = 4,
                       .ministry_move_margin = 0.5,
                       .ministry_move_odds = 1.0,
                       .cash_weight = 1.0};
  Model model(spec);
  std::vector<Event> moves;
  struct Moves : engine::Recorder {
    const World& w;
    std::vector<Event>& out;
    Moves(const World& world, std::vector<Event>& o) : w(world), out(o) {}
    void record(int) override {
      for (const Event& e : w.events) {
        if (e.kind == EventKind::MinistryMoved) out.push_back(e);
      }
    }
  } record(model.world(), moves);
  model.simulation().add_recorder(record);
  model.simulation().run({.steps = 12, .threads = 1});
  EXPECT_EQ(model.world().ministries.controlled_by[0], 1);
  ASSERT_EQ(moves.size(), 1u) << "one move, at the first review after the lead opened";
  EXPECT_EQ(moves[0].from, 0);
  EXPECT_EQ(moves[0].to, 1);
  EXPECT_EQ(moves[0].ministry, 0);
  EXPECT_EQ(moves[0].step % 4, 0);
}

// A faction that is off is off: ISIS-Kabul in the status quo with no fighters and no influence
// (scenarios/README.md's way to switch it off) recruits nobody through its capital networks,
// mounts no attack, has no claim made in its name and is paid nothing by its sponsors; the same
// run with it on shows each of these happens (so the zeros are not an empty measurement).
struct FactionActivity {
  double recruits = 0, executed = 0, claimed = 0;
  Cents transfers_in = 0;
  bool active_at_end = false;
};

FactionActivity activity_of(const std::string& id, bool switched_off) {
  constexpr const char* kStatusQuo = AIDFLOW_SOURCE_DIR "/scenarios/status_quo.yaml";
  std::vector<scenario::Override> overrides = {"run.households=2000", "run.steps=52", "run.seed=3"};
  const ScenarioSpec reference = scenario::load_scenario(kStatusQuo, {.overrides = overrides});
  std::size_t f = 0;
  while (f < reference.factions.size() && reference.factions[f].id != id) ++f;
  EXPECT_LT(f, reference.factions.size()) << "no faction " << id;
  if (switched_off) {
    const std::string at = "factions[" + id + "].";
    overrides.push_back(at + "fighters=0");
    overrides.push_back(at + "influence=0");
  }
  const ScenarioSpec spec = scenario::load_scenario(kStatusQuo, {.overrides = overrides});
  Model model(spec);
  FactionActivity out;
  struct Count : engine::Recorder {
    const World& w;
    std::size_t f;
    FactionActivity& out;
    Count(const World& world, std::size_t faction, FactionActivity& o)
        : w(world), f(faction), out(o) {}
    void record(int) override {
      out.recruits += static_cast<double>(w.factions.recruits[f]);
      out.executed += static_cast<double>(w.factions.attacks_executed[f]);
      out.claimed += static_cast<double>(w.factions.attacks_claimed[f]);
      out.transfers_in +=
          w.factions.income[f * kIncomeKinds + static_cast<std::size_t>(Income::TransfersIn)];
    }
  } count(model.world(), f, out);
  model.simulation().add_recorder(count);
  model.simulation().run({.steps = spec.run.steps, .threads = 2});
  out.active_at_end = is_active(model.world(), f);
  return out;
}

TEST(Factions, AFactionThatIsOffRecruitsNobodyAttacksNobodyAndIsPaidNothing) {
  const FactionActivity on = activity_of("isis_kabul", false);
  EXPECT_GT(on.recruits, 0.0);
  EXPECT_GT(on.executed, 0.0);
  EXPECT_GT(on.transfers_in, 0);
  EXPECT_TRUE(on.active_at_end);
  const FactionActivity off = activity_of("isis_kabul", true);
  EXPECT_EQ(off.recruits, 0.0);
  EXPECT_EQ(off.executed, 0.0);
  EXPECT_EQ(off.claimed, 0.0);
  EXPECT_EQ(off.transfers_in, 0);
  EXPECT_FALSE(off.active_at_end);
}

}  // namespace
}  // namespace aidflow::model
