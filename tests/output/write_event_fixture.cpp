// Writes a complete result file with a known event table, for the Python tests (test_events.py),
// which read it with xarray, netCDF4 and aidflow_analysis.
//   write_event_fixture OUT.h5 N     N events, 50 per step
//   write_event_fixture OUT.h5 none  no event table at all (files from before events existed)
#include <cstdio>
#include <exception>
#include <string>

#include "event_fixture.hpp"
#include "output/run_writer.hpp"

namespace {

using namespace aidflow;

void write(const std::string& out, const std::string& count) {
  const bool table = count != "none";
  const std::int64_t events = table ? std::stoll(count) : 0;
  const std::int64_t steps =
      std::max<std::int64_t>(1, (events + testing::kEventsPerStep - 1) / testing::kEventsPerStep);
  // One series in each group open_run loads, so the file opens like a real run's.
  std::vector<engine::SeriesSpec> series = {
      {"", "count", {"who"}, engine::ValueType::Int64, "1", "a count"},
      {"ledger", "disbursed", {"who"}, engine::ValueType::Int64, "USD cents", "money"}};
  output::RunWriter writer(
      out, {{"who", {"a", "b"}}}, series,
      {.scenario_name = "events", .start_date = "2021-01-04", .steps = static_cast<int>(steps)}, {},
      table ? testing::event_spec() : engine::EventTableSpec{});
  for (std::int64_t s = 0, i = 0; s < steps; ++s) {
    writer.append(0, std::vector<std::int64_t>{s, 10 * s});
    writer.append(1, std::vector<std::int64_t>{100 * s, 0});
    for (; i < events && i / testing::kEventsPerStep == s; ++i)
      writer.append_event(testing::event_row(i));
  }
  engine::SeriesSpec total{"summary",   "total", {"who"}, engine::ValueType::Int64,
                           "USD cents", "sum"};
  writer.commit({{total, std::vector<std::int64_t>{0, 0}}});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: write_event_fixture OUT.h5 N|none\n");
    return 2;
  }
  try {
    write(argv[1], argv[2]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "write_event_fixture: %s\n", e.what());
    return 1;
  }
  return 0;
}
