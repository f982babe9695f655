#pragma once
// ScenarioSpec: the validated, immutable description of a scenario. sim/io builds it from YAML;
// sim/model builds a World from it. Ids are resolved to indices here, so the model never looks a
// name up. Rates given per year in the file are already per step (one week).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace aidflow::model {

inline constexpr int kStepsPerYear = 52;

enum class BorderClass : std::uint8_t { Iran = 0, Pakistan = 1, CentralAsia = 2, Interior = 3 };
inline constexpr std::array<const char*, 4> kBorderNames = {"iran", "pakistan", "central_asia",
                                                            "interior"};

enum class ChannelKind : std::uint8_t {
  UnAgency,
  InternationalNgo,
  NationalNgo,
  TrustFund,
  BudgetSupport
};
inline constexpr std::array<const char*, 5> kChannelKindNames = {
    "un_agency", "international_ngo", "national_ngo", "trust_fund", "budget_support"};

struct RunSpec {
  int steps = 260;
  std::uint64_t seed = 1;
  std::string start_date = "2022-01-03";
  std::int64_t households = 20000;
};

struct GeographySpec {
  int provinces = 34;
  int districts = 401;
  double population = 40e6;
  double household_size = 7.0;
  double baseline_need = 0.5;
  double need_spread = 0.15;
  std::array<double, 4> border_shares = {0.15, 0.30, 0.10, 0.45};
};

struct FactionSpec {
  std::string id, name;
  double treasury_usd = 0.0;
  double fighters = 0.0;
  double influence = 0.0;
  double local_tax_rate = 0.0;
  double list_manipulation = 0.0;
};

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
};

struct SectorSpec {
  std::string id;
  int ministry = 0;  // ministry index
};

struct DonorSpec {
  std::string id, name;
  double budget_usd_per_year = 0.0;
  std::vector<double> channel_shares;  // by channel index, sums to 1
  std::vector<double> sector_shares;   // by sector index, sums to 1
};

struct HouseholdSpec {
  double relief_usd_per_person_week = 1.5;
  double shock_sd = 0.02;
  double reversion_per_week = 0.02;
  double winter_peak = 0.1;
  double need_threshold = 0.5;
  double targeting = 0.8;
  double displacement_per_week = 0.002;
  double cross_border_share = 0.5;
  double return_per_week = 0.01;
};

struct MonitoringSpec {
  double third_party = 0.0;
  double effect = 0.5;
  double cost_share = 0.02;
};

struct PolicySpec {
  bool humanitarian_only = false;
  MonitoringSpec monitoring;
};

struct ScenarioSpec {
  std::string name, description;
  std::string source_text;  // the scenario as loaded (after extends and overrides), for the record
  RunSpec run;
  GeographySpec geography;
  std::vector<FactionSpec> factions;
  std::vector<ChannelSpec> channels;
  std::vector<MinistrySpec> ministries;
  std::vector<SectorSpec> sectors;
  std::vector<DonorSpec> donors;
  HouseholdSpec households;
  PolicySpec policy;
};

}  // namespace aidflow::model
