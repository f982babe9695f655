#pragma once
// Places and people: districts, households and who among them can be recruited (docs/MODEL.md phase
// 5). Part of ScenarioSpec (model/spec/scenario.hpp): validated, with ids resolved to indices and
// rates per step.
#include <array>
#include <cstdint>

#include "model/spec/run.hpp"

namespace aidflow::model {

enum class BorderClass : std::uint8_t { Iran = 0, Pakistan = 1, CentralAsia = 2, Interior = 3 };
inline constexpr std::array<const char*, 4> kBorderNames = {"iran", "pakistan", "central_asia",
                                                            "interior"};

struct GeographySpec {
  int provinces = 34;
  int districts = 401;
  double population = 40e6;
  double baseline_need = 0.5;
  double need_spread = 0.15;
  std::array<double, 4> border_shares = {0.15, 0.30, 0.10, 0.45};
  // Structural choices of the synthetic country, each a lognormal spread in logs.
  double district_size_spread = 0.6;       // of district populations
  double influence_spread = 0.8;           // of a faction's influence from district to district
  double capital_population_share = 0.12;  // the capital (Kabul) district's share of the people
  // Local revenue armed groups can tax (trade, customs at the margin, opium, mining), national.
  double local_revenue_usd_per_year = 0.0;
};

struct HouseholdSpec {
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
  double pay_reference_usd = 300;  // recruit pay at which pay stops adding to the pull
  double affiliated_share = 0.1;   // share of households affiliated with the group in control
};

}  // namespace aidflow::model
