#pragma once
// The Afghanistan tables as read for a scenario, kept for the other runs of a sweep: every run
// names the same tables, and parsing and checking them anew was more than half of a small run's
// scenario (a twentieth of the whole run at 1,000 households x 26 weeks). Shared by the sweep's
// workers. The tables are read when a run first asks for them, so a file changed during a sweep
// is not seen by its later runs: each sweep process reads each table once.
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "model/spec/people.hpp"

namespace aidflow::scenario {

// What the tables give the geography, the district populations projected to the start date.
struct CountryTables {
  std::vector<model::ProvinceRow> provinces;
  std::vector<model::DistrictRow> districts;
  double population = 0.0;
};

class TableCache {
 public:
  // The tables under `key` (their files and the start date), from `read` the first time. A read
  // that throws (a bad cell) keeps nothing: the next run that asks is refused the same way.
  CountryTables get(const std::string& key, const std::function<CountryTables()>& read);

 private:
  std::mutex mutex_;  // held while the first run reads: the others would read the same
  std::map<std::string, CountryTables> tables_;
};

}  // namespace aidflow::scenario
