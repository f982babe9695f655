#pragma once
// Aid: donors, the channels and ministry touchpoints it passes, the sectors it is for
// (docs/MODEL.md phases 3-4). Part of ScenarioSpec (model/spec/scenario.hpp): validated, with ids
// resolved to indices and rates per step.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace aidflow::model {

enum class ChannelKind : std::uint8_t {
  UnAgency,
  InternationalNgo,
  NationalNgo,
  TrustFund,
  BudgetSupport
};
inline constexpr std::array<const char*, 5> kChannelKindNames = {
    "un_agency", "international_ngo", "national_ngo", "trust_fund", "budget_support"};

struct ChannelSpec {
  std::string id;
  ChannelKind kind = ChannelKind::UnAgency;
  double overhead = 0.0;
  double ministry_exposure = 0.0;
  double tax_exposure = 0.0;
  double monitoring = 0.0;
};

struct MinistrySpec {
  std::string id, name;
  int controlled_by = 0;  // faction index
  double capture_rate = 0.0;
  double infiltration_per_step = 0.0;
  bool issues_ids = false;  // controls passports and IDs: external-operations capacity (S3, S10)
};

// Humanitarian money ends with households; security money buys counter-terrorism through the
// ministry, all of it passing the ministry touchpoint.
enum class SectorPurpose : std::uint8_t { Humanitarian = 0, Security = 1 };
inline constexpr std::array<const char*, 2> kSectorPurposeNames = {"humanitarian", "security"};

struct SectorSpec {
  std::string id;
  int ministry = 0;  // ministry index
  SectorPurpose purpose = SectorPurpose::Humanitarian;
};

struct YearBudget {
  int year = 0;
  double usd = 0.0;
};

struct DonorSpec {
  std::string id, name;
  double budget_usd_per_year = 0.0;        // spread over each 52 weeks from the start, unless:
  std::vector<YearBudget> budget_by_year;  // what it disburses in each calendar year of the run
  std::vector<double> channel_shares;      // by channel index, sums to 1
  std::vector<double> sector_shares;       // by sector index, sums to 1
};

}  // namespace aidflow::model
