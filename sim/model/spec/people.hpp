#pragma once
// Places and people: districts, households and who among them can be recruited (docs/MODEL.md phase
// 5). Part of ScenarioSpec (model/spec/scenario.hpp): validated, with ids resolved to indices and
// rates per step.
#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "model/spec/run.hpp"

namespace aidflow::model {

enum class BorderClass : std::uint8_t { Iran = 0, Pakistan = 1, CentralAsia = 2, Interior = 3 };
inline constexpr std::array<const char*, 4> kBorderNames = {"iran", "pakistan", "central_asia",
                                                            "interior"};

// Where the country comes from: the Afghanistan tables of data/ (the same country for every
// seed), or a country drawn from the seed (for tests and benchmarks).
enum class GeographySource : std::uint8_t { Synthetic = 0, Afghanistan = 1 };
inline constexpr std::array<const char*, 2> kGeographySourceNames = {"synthetic", "afghanistan"};

// A province of the tables (data/provinces.csv).
struct ProvinceRow {
  std::string pcode, iso, name;
  BorderClass border = BorderClass::Interior;  // the neighbour it shares its longest border with
};

// A district of the tables (data/districts.csv), its people projected to the run's start.
struct DistrictRow {
  std::string code, name;  // NSIA 1398 code and name
  int province = 0;        // index into GeographySpec::province_rows
  double population = 0.0;
  double urban_share = 0.0;
};

struct GeographySpec {
  GeographySource source = GeographySource::Synthetic;
  int provinces = 34;
  int districts = 401;
  double population = 40e6;  // at the start (the tables: NSIA's national total projected)
  double baseline_need = 0.5;
  double need_spread = 0.15;
  std::array<double, 4> border_shares = {0.15, 0.30, 0.10, 0.45};
  // Structural choices of the synthetic country, each a lognormal spread in logs.
  double district_size_spread = 0.6;       // of district populations
  double influence_spread = 0.8;           // of a faction's influence from district to district
  double capital_population_share = 0.12;  // the capital (Kabul) district's share of the people
  // Local revenue armed groups can tax (trade, customs at the margin, opium, mining), national.
  double local_revenue_usd_per_year = 0.0;
  // The files of the Afghanistan tables (provinces, districts, outlines, dated figures), which a
  // sweep fingerprints so that a resume reads the same ones, and the tables as the loader read
  // them (all empty for a synthetic country).
  std::vector<std::filesystem::path> table_files;
  std::vector<ProvinceRow> province_rows;
  std::vector<DistrictRow> district_rows;
  int capital_province = -1;  // the province whose districts are the capital (Kabul)
};

// Afghans living in Iran and Pakistan who return in the run by the host state's policy
// (deportations, pushed and assisted returns): an input, not a choice households make.
enum class Host : std::uint8_t { Iran = 0, Pakistan = 1 };
inline constexpr int kHosts = 2;
inline constexpr std::array<const char*, kHosts> kHostNames = {"iran", "pakistan"};

// `people` returning evenly over the days from `from` to `to`, both included.
struct ReturnPeriod {
  std::chrono::sys_days from, to;
  double people = 0.0;
};

struct ReturnsFrom {
  std::vector<ReturnPeriod> schedule;  // by date, not overlapping
  // Districts returnees from this host arrive in first: those of these provinces (the tables)
  // or, when empty, every district on this host's border.
  std::vector<int> crossing_provinces;
};

struct ReturnsSpec {
  std::array<ReturnsFrom, kHosts> from;
  // Share of returnees who stay in the districts of arrival at the border; the rest go home,
  // spread over the country's districts by population.
  double border_share = 0.3;
};

struct HouseholdSpec {
  // People in a household (NSIA's survey average): one household agent stands for whole
  // households of this size at national resolution, and for several of them at coarser ones.
  double people_per_household = 7.4;
  double relief_usd_per_person_week = 1.5;
  double relief_effect = 0.6;  // share of need a full ration relieves while it lasts
  double shock_sd = 0.02;
  double reversion_per_week = 0.02;
  double winter_peak = 0.1;
  int winter_peak_week = 2;  // week of the year when winter need peaks (mid-January)
  double need_threshold = 0.5;
  double initial_need_sd = 0.1;  // household need around the district's at the start
  double targeting = 0.8;
  double displacement_per_week = 0.002;
  double cross_border_share = 0.5;
  double return_per_week = 0.01;
  double returnee_need = 0.15;  // extra need a household brings back from displacement
  // Drivers of need apart from aid: a national economic trend and droughts.
  double economic_trend_per_step = 0.0;  // drift of every district's baseline need
  double drought_odds_per_year = 0.0;    // chance a province enters drought in a given year
  double drought_need = 0.15;            // extra need in a province in drought
  int drought_weeks = 26;
};

struct RecruitmentRules {
  double young_men_share = 0.13;  // men 15-29 among the people: the pool at risk
  // Weekly odds a young man joins a group, at need 1 and full pay (0.004 a year).
  double rate_per_step = 0.004 / kStepsPerYear;
  double need_floor = 0.2;         // share of the odds that does not depend on need
  double pay_reference_usd = 300;  // offered pay at which pay doubles the pay-free pull
  double affiliated_share = 0.1;   // share of households affiliated with the group in control
};

}  // namespace aidflow::model
