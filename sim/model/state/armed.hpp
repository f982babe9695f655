#pragma once
// Armed groups: treasuries with provenance, fighters and what each did this step.
// Plain data held by the World (state/world.hpp); the phases that write each part say so.
#include <array>
#include <cstdint>
#include <vector>

#include "engine/accounts.hpp"
#include "engine/money.hpp"

namespace aidflow::model {

using engine::Cents;

// Where a faction's income came from this step, as analysts ask it (not the provenance of cash,
// which the accounts keep by donor).
enum class Income : std::uint8_t {
  AidCapture,
  AidLocalTax,
  LocalRevenue,
  Patron,
  TransfersIn,
  Ransom
};
inline constexpr int kIncomeKinds = 6;
inline constexpr std::array<const char*, kIncomeKinds> kIncomeNames = {
    "aid_capture", "aid_local_tax", "local_revenue", "patron_support", "transfers_in", "ransom"};

// What a faction's cash is spent on (uses of the accounts).
enum class Spending : std::uint8_t {
  Upkeep,
  RecruitmentPay,
  Infiltration,
  Assassination,
  AttackPreparation,
  CounterTerrorism,
  FrozenBySanctions  // not spent by the group: seized or frozen by sanctions (S19)
};
inline constexpr int kSpendingKinds = 7;
inline constexpr std::array<const char*, kSpendingKinds> kSpendingNames = {
    "fighter_upkeep",     "recruitment_pay",   "infiltration",       "assassination",
    "attack_preparation", "counter_terrorism", "frozen_by_sanctions"};

// Sources of a faction's cash, in this order: one per donor ("aid:<donor>"), then these, then one
// per patron ("patron:<patron>"), so analysts can follow ISI money like any donor's.
enum class OtherSource : std::uint8_t { InitialFunds, LocalRevenue, Ransom };
inline constexpr int kOtherSources = 3;
inline constexpr std::array<const char*, kOtherSources> kOtherSourceNames = {
    "initial_funds", "local_revenue", "ransom"};

struct Factions {
  engine::ProvenanceAccounts accounts;  // treasuries with the provenance of every cent
  std::vector<double> fighters, initial_fighters;
  std::vector<double> initial_strength;  // for the balance between wings (S21)
  std::vector<double> preparation;       // USD of attack capability bought and not yet used
  std::vector<double> prestige;          // recruitment pull of recent claimed attacks
  std::vector<double> brand_cover;    // this step's cover each group's name gives others (attacks)
  std::vector<double> pay_factor;     // recruit pay offered / base pay: cash / reserve
  std::vector<double> northern_push;  // influence bought in the north, not yet applied
  std::vector<double> external_operations;  // complex attacks abroad it could mount (S10)
  std::vector<std::int64_t> recruits;       // this step
  std::vector<double> losses;               // fighters lost this step (attrition, CT, attacks)
  std::vector<Cents> diverted;              // this step, [faction * kMechanisms + mechanism]
  std::vector<Cents> income;                // this step, [faction * kIncomeKinds + kind]
  std::vector<Cents> attacks_executed, attacks_claimed;  // this step, counts by faction
  std::vector<Cents> ct_effort;        // this step: counter-terrorism cents aimed at faction
  std::vector<Cents> ct_spent;         // this step: what each faction spent on its own operations
  std::vector<std::int64_t> hostages;  // held at the end of the step (S11)
  std::vector<double> hostage_payoff;  // releases bought from it, decaying: its incentive (S12)
};

}  // namespace aidflow::model
