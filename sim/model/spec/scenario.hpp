#pragma once
// ScenarioSpec: the validated, immutable description of a scenario. sim/scenario builds it from
// YAML; sim/model builds a World from it. Ids are resolved to indices here, so the model never
// looks a name up. Rates given per year in the file are already per step (one week). Its parts are
// grouped as the model is (spec/*.hpp), so a new key goes beside its mechanism's.
#include <string>
#include <vector>

#include "model/spec/aid.hpp"
#include "model/spec/armed.hpp"
#include "model/spec/patrons.hpp"
#include "model/spec/people.hpp"
#include "model/spec/policy.hpp"
#include "model/spec/run.hpp"

namespace aidflow::model {

struct ScenarioSpec {
  std::string name, description;
  std::string source_text;  // the scenario as loaded (after extends and overrides), for the record
  RunSpec run;
  GeographySpec geography;
  std::vector<FactionSpec> factions;
  std::vector<AllianceSpec> alliances;
  std::vector<Hostility> hostilities;
  ArmedGroupsSpec armed_groups;
  RecruitmentRules recruitment;
  std::vector<ChannelSpec> channels;
  std::vector<MinistrySpec> ministries;
  std::vector<SectorSpec> sectors;
  std::vector<DonorSpec> donors;
  HouseholdSpec households;
  ReturnsSpec returns;
  PolicySpec policy;                          // in force at step 0
  std::vector<PolicyPeriod> policy_timeline;  // later changes, by from_step (strictly rising)
  SignalsSpec signals;
  std::vector<PatronSpec> patrons;
  CoalitionSpec coalition;
  std::vector<SanctionSpec> sanctions;
  PressureSpec pakistan_pressure;
  HostageRulesSpec hostages;
};

}  // namespace aidflow::model
