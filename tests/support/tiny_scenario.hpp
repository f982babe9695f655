#pragma once
// Small scenarios built in code, with answers known in closed form (a pass-through channel that
// leaks nothing delivers everything). Tests change one field at a time from these.
#include "model/spec/scenario.hpp"

namespace aidflow::testing {

// One faction, one channel, one ministry, one sector, one donor; nothing leaks.
inline model::ScenarioSpec pass_through_scenario() {
  model::ScenarioSpec spec;
  spec.name = "pass_through";
  spec.run.steps = 10;
  spec.run.seed = 7;
  spec.run.households = 200;
  spec.geography.provinces = 2;
  spec.geography.districts = 10;
  spec.geography.population = 100000;
  spec.factions = {{.id = "f", .name = "f", .influence = 0.5}};
  spec.channels = {{.id = "direct", .kind = model::ChannelKind::UnAgency}};
  spec.ministries = {{.id = "m", .name = "m", .controlled_by = 0}};
  spec.sectors = {{.id = "food", .ministry = 0}};
  spec.donors = {{.id = "d",
                  .name = "d",
                  .budget_usd_per_year = 52e6,
                  .channel_shares = {1.0},
                  .sector_shares = {1.0}}};
  return spec;
}

// Two factions, two channels (one budget support), two ministries; every mechanism leaks.
inline model::ScenarioSpec leaky_scenario() {
  model::ScenarioSpec spec = pass_through_scenario();
  spec.name = "leaky";
  spec.run.households = 2000;
  spec.geography.districts = 40;
  spec.factions = {
      {.id = "a", .name = "a", .influence = 0.4, .local_tax_rate = 0.05, .list_manipulation = 0.1},
      {.id = "b",
       .name = "b",
       .influence = 0.3,
       .local_tax_rate = 0.02,
       .list_manipulation = 0.05}};
  spec.channels = {{.id = "un",
                    .kind = model::ChannelKind::UnAgency,
                    .overhead = 0.08,
                    .ministry_exposure = 0.1,
                    .tax_exposure = 0.5,
                    .monitoring = 0.3},
                   {.id = "budget",
                    .kind = model::ChannelKind::BudgetSupport,
                    .overhead = 0.03,
                    .ministry_exposure = 0.9,
                    .tax_exposure = 0.8}};
  spec.ministries = {{.id = "interior",
                      .name = "interior",
                      .controlled_by = 0,
                      .capture_rate = 0.2,
                      .infiltration_per_step = 0.05 / 52},
                     {.id = "health", .name = "health", .controlled_by = 1, .capture_rate = 0.1}};
  spec.sectors = {{.id = "security", .ministry = 0}, {.id = "health", .ministry = 1}};
  spec.donors = {{.id = "x",
                  .name = "x",
                  .budget_usd_per_year = 300e6,
                  .channel_shares = {0.7, 0.3},
                  .sector_shares = {0.4, 0.6}},
                 {.id = "y",
                  .name = "y",
                  .budget_usd_per_year = 123456789.01,
                  .channel_shares = {0.2, 0.8},
                  .sector_shares = {0.5, 0.5}}};
  return spec;
}

}  // namespace aidflow::testing
