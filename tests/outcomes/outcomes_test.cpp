// The outcome language: parsing and binding errors located at the character they concern, and
// values computed from rows exactly as the expressions say (sums of integers exact, windows by
// date and step, resampled series, units carried through).
#include <gtest/gtest.h>

#include <chrono>

#include "outcomes/bind.hpp"
#include "outcomes/collector.hpp"
#include "outcomes/declare.hpp"

namespace aidflow::outcomes {
namespace {

using engine::ValueType;
using namespace std::chrono;

// Ten weekly steps from Monday 25 December 2023: step 0 is in 2023, steps 1-9 in 2024.
Catalog catalog() {
  Catalog c;
  c.dimensions = {
      {"faction",
       {"haqqani", "kandahari", "isis_khorasan"},
       {{"faction_name", {"Haqqani network", "Kandahari", "ISIS-K"}, "faction name"}}},
      {"from_faction", {"haqqani", "kandahari", "isis_khorasan"}},
      {"to_faction", {"haqqani", "kandahari", "isis_khorasan"}},
      {"donor", {"us", "uk"}},
      {"sink",
       {"delivered", "diverted:haqqani:local_tax", "diverted:kandahari:local_tax"},
       {{"sink_kind", {"delivered", "diverted", "diverted"}, "kind"},
        {"sink_faction", {"", "haqqani", "kandahari"}, "faction"}}},
  };
  c.series = {
      {"", "aid_diverted", {"donor"}, ValueType::Int64, "USD cents", "aid diverted"},
      {"", "people_reached", {}, ValueType::Float64, "people", "people reached"},
      {"", "faction_treasury", {"faction"}, ValueType::Int64, "USD cents", "treasury"},
      {"", "transfers", {"from_faction", "to_faction"}, ValueType::Int64, "USD cents", "transfers"},
      {"ledger", "settled", {"donor", "sink"}, ValueType::Int64, "USD cents", "settled"},
      {"", "aid_disbursed", {"donor"}, ValueType::Int64, "USD cents", "disbursed"},
  };
  c.events = {
      "events",
      {{"kind", ValueType::Int64, "1", "what", {"attack", "ministry_change"}},
       {"step", ValueType::Int64, "1", "step", {}},
       {"executor", ValueType::Int64, "1", "who", {"haqqani", "kandahari", "isis_khorasan"}},
       {"complex", ValueType::Int64, "1", "complex", {}},
       {"casualties", ValueType::Int64, "people", "killed or wounded", {}}}};
  c.start = sys_days{2023y / December / 25};
  c.steps = 10;
  return c;
}

Declaration declare(const std::string& name, const std::string& text) {
  return {.name = name,
          .text = text,
          .where = {std::make_shared<const std::string>("sweep.yaml"), 7, 10},
          .path = "outcomes." + name};
}

// The error binding `text` gives, as the command line prints it.
std::string error_of(const std::string& text) {
  try {
    bind_outcomes({declare("x", text)}, catalog());
  } catch (const scenario::InputError& e) {
    return e.what();
  }
  return "(no error)";
}

// Feeds ten steps of rows: aid_diverted = [s, 10 s] (us, uk), people_reached = 1.5 s,
// treasuries 100 s, 200 s, 300 s, transfers from haqqani to isis_khorasan 7 s (else 0), settled
// [delivered, haqqani, kandahari] = [1, 2, 3] per donor, disbursed [5, 5].
std::vector<Values> run(const std::vector<Declaration>& declarations, Bound* keep = nullptr) {
  const Bound bound = bind_outcomes(declarations, catalog());
  Collector collector(bound);
  for (std::int64_t s = 0; s < 10; ++s) {
    const std::vector<engine::SeriesRow> rows = {
        std::vector<std::int64_t>{s, 10 * s},
        std::vector<double>{1.5 * static_cast<double>(s)},
        std::vector<std::int64_t>{100 * s, 200 * s, 300 * s},
        std::vector<std::int64_t>{0, 0, 7 * s, 0, 0, 0, 0, 0, 0},
        std::vector<std::int64_t>{1, 2, 3, 1, 2, 3},
        std::vector<std::int64_t>{5, 5}};
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (collector.wants(i)) collector.append(i, rows[i]);
    }
  }
  if (keep) *keep = bound;
  return collector.values();
}

std::vector<std::int64_t> ints(const Values& v) {
  return std::get<std::vector<std::int64_t>>(v);
}
std::vector<double> floats(const Values& v) {
  return std::get<std::vector<double>>(v);
}

TEST(Outcomes, SumsSelectionsAndWindowsExactly) {
  Bound bound;
  const auto v = run(
      {declare("all", "sum(aid_diverted)"), declare("uk", "sum(aid_diverted[donor=uk])"),
       declare("haqqani_to_isk", "sum(transfers[from_faction=haqqani, to_faction=isis_khorasan])"),
       declare("in_2024", "sum(aid_diverted[donor=us, time=2024])"),
       declare("steps", "sum(aid_diverted[donor=us, step=2..4])"),
       declare("dates", "sum(aid_diverted[donor=us, time=2024-01-08..2024-01-15])"),
       declare("two", "sum(faction_treasury[faction=haqqani|kandahari])"),
       declare("named", "last(faction_treasury[faction_name=\"ISIS-K\"])"),
       declare("diverted_sinks", "sum(ledger.settled[donor=us, sink_kind=diverted])"),
       declare("haqqani_sink", "sum(ledger.settled[sink_kind=diverted, sink_faction=haqqani])")},
      &bound);
  EXPECT_EQ(ints(v[0]), std::vector<std::int64_t>{11 * 45});
  EXPECT_EQ(ints(v[1]), std::vector<std::int64_t>{450});
  EXPECT_EQ(ints(v[2]), std::vector<std::int64_t>{7 * 45});
  EXPECT_EQ(ints(v[3]), std::vector<std::int64_t>{45});  // steps 1..9
  EXPECT_EQ(ints(v[4]), std::vector<std::int64_t>{2 + 3 + 4});
  EXPECT_EQ(ints(v[5]), std::vector<std::int64_t>{2 + 3});  // 8 and 15 January
  EXPECT_EQ(ints(v[6]), std::vector<std::int64_t>{300 * 45});
  EXPECT_EQ(ints(v[7]), std::vector<std::int64_t>{2700});
  EXPECT_EQ(ints(v[8]), std::vector<std::int64_t>{50});
  EXPECT_EQ(ints(v[9]), std::vector<std::int64_t>{40});
  for (const Schema& s : bound.schemas) {
    EXPECT_TRUE(s.integer) << s.name;
    EXPECT_EQ(s.units, "USD cents") << s.name;
    EXPECT_FALSE(s.axis) << s.name;
  }
}

TEST(Outcomes, ReductionsAtDatesMeansAndRatios) {
  Bound bound;
  const auto v =
      run({declare("mean", "mean(people_reached)"),
           declare("last", "last(faction_treasury[faction=kandahari])"),
           declare("first", "first(aid_diverted[donor=uk, time=2024])"),
           declare("min", "min(people_reached[step=3..])"),
           declare("max", "max(aid_diverted[donor=us])"),
           declare("at", "at(faction_treasury[faction=haqqani], 2024-01-10)"),
           declare("share", "sum(aid_diverted) / sum(aid_disbursed)"),
           declare("difference", "sum(aid_diverted[donor=uk]) - 2 * sum(aid_diverted[donor=us])"),
           declare("per_person", "sum(aid_diverted) / mean(people_reached)")},
          &bound);
  EXPECT_DOUBLE_EQ(floats(v[0])[0], 1.5 * 4.5);
  EXPECT_EQ(ints(v[1]), std::vector<std::int64_t>{1800});
  EXPECT_EQ(ints(v[2]), std::vector<std::int64_t>{10});
  EXPECT_DOUBLE_EQ(floats(v[3])[0], 4.5);
  EXPECT_EQ(ints(v[4]), std::vector<std::int64_t>{9});
  EXPECT_EQ(ints(v[5]), std::vector<std::int64_t>{200});  // 10 January: step 2 (8-14 January)
  EXPECT_DOUBLE_EQ(floats(v[6])[0], 495.0 / 100.0);
  EXPECT_EQ(ints(v[7]), std::vector<std::int64_t>{450 - 90});
  EXPECT_EQ(bound.schemas[0].units, "people");
  EXPECT_FALSE(bound.schemas[0].integer);
  EXPECT_EQ(bound.schemas[6].units, "1");
  EXPECT_FALSE(bound.schemas[6].integer);
  EXPECT_TRUE(bound.schemas[7].integer);
  EXPECT_EQ(bound.schemas[8].units, "(USD cents)/(people)");
}

TEST(Outcomes, SeriesWholeAndResampled) {
  Bound bound;
  const auto v = run({declare("weekly", "series(aid_diverted[donor=us])"),
                      declare("yearly", "sum(aid_diverted[donor=us], every=year)"),
                      declare("by4", "mean(people_reached, every=4)"),
                      declare("ratio", "series(aid_diverted) / sum(aid_disbursed)")},
                     &bound);
  EXPECT_EQ(ints(v[0]), (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(ints(v[1]), (std::vector<std::int64_t>{0, 45}));
  EXPECT_EQ(floats(v[2]), (std::vector<double>{1.5 * 1.5, 1.5 * 5.5, 1.5 * 8.5}));
  ASSERT_TRUE(bound.schemas[0].axis && bound.schemas[1].axis && bound.schemas[2].axis);
  EXPECT_EQ(bound.schemas[0].axis->name, "time");
  EXPECT_EQ(bound.schemas[0].axis->days.back(), 63);
  EXPECT_EQ(bound.schemas[1].axis->name, "year");
  EXPECT_EQ(bound.schemas[1].axis->steps, (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(bound.schemas[2].axis->name, "time_by4");
  EXPECT_EQ(bound.schemas[2].axis->steps, (std::vector<std::int64_t>{0, 4, 8}));
  EXPECT_EQ(floats(v[3]).size(), 10u);
  EXPECT_EQ(bound.schemas[3].axis->name, "time");
}

// Every step s has an attack by isis_khorasan (complex when s is even, s casualties) and, from
// step 5, a ministry change.
TEST(Outcomes, EventsAreCountedAndSummedWhereTheirColumnsMatch) {
  const Bound bound = bind_outcomes(
      {declare("attacks", "count(events[kind=attack])"),
       declare("complex_isk", "count(events[kind=attack, complex=1, executor=isis_khorasan])"),
       declare("casualties", "sum(events.casualties[kind=attack, time=2024])"),
       declare("changes", "count(events[kind=ministry_change], every=year)"),
       declare("none", "count(events[executor=haqqani|kandahari])")},
      catalog());
  Collector collector(bound);
  EXPECT_TRUE(collector.wants_events());
  using engine::EventValue;
  for (std::int64_t s = 0; s < 10; ++s) {
    collector.append_event({EventValue(std::int64_t{0}), EventValue(s), EventValue(std::int64_t{2}),
                            EventValue(std::int64_t{s % 2 == 0}), EventValue(s)});
    if (s >= 5) {
      collector.append_event({EventValue(std::int64_t{1}), EventValue(s),
                              EventValue(engine::kNoCategory), EventValue(std::int64_t{-1}),
                              EventValue(std::int64_t{-1})});
    }
  }
  const auto v = collector.values();
  EXPECT_EQ(ints(v[0]), std::vector<std::int64_t>{10});
  EXPECT_EQ(ints(v[1]), std::vector<std::int64_t>{5});
  EXPECT_EQ(ints(v[2]), std::vector<std::int64_t>{45});  // steps 1-9 are in 2024
  EXPECT_EQ(ints(v[3]), (std::vector<std::int64_t>{0, 5}));
  EXPECT_EQ(ints(v[4]), std::vector<std::int64_t>{0});
  EXPECT_EQ(bound.schemas[0].units, "events");
  EXPECT_EQ(bound.schemas[2].units, "people");
  EXPECT_EQ(error_of("count(events[kind=atack])"),
            "sweep.yaml:7:23: outcomes.x: no kind \"atack\" among the events (did you mean "
            "\"attack\"?)");
  EXPECT_EQ(error_of("sum(events[kind=attack])"),
            "sweep.yaml:7:14: outcomes.x: sum adds up a column of the events: "
            "sum(events.casualties[...]); count(events[...]) counts them");
  EXPECT_EQ(error_of("count(aid_diverted)"),
            "sweep.yaml:7:10: outcomes.x: count counts events, as in count(events[kind=attack]); "
            "sum, mean or last reduce an indicator");
  EXPECT_EQ(error_of("count(events[casualtie=3])"),
            "sweep.yaml:7:23: outcomes.x: the event table has no column \"casualtie\" (did you "
            "mean \"casualties\"?)");
}

TEST(Outcomes, SyntaxErrorsPointAtTheCharacter) {
  // The declaration's text starts at column 10 of line 7.
  EXPECT_EQ(error_of("sum(aid_diverted"),
            "sweep.yaml:7:26: outcomes.x: expected \")\" or \",\", got end of the expression");
  EXPECT_EQ(error_of("total(aid_diverted)"),
            "sweep.yaml:7:10: outcomes.x: unknown reduction \"total\" (expected sum, mean, min, "
            "max, first, last, at, series or count)");
  EXPECT_EQ(error_of("aid_diverted"),
            "sweep.yaml:7:10: outcomes.x: \"aid_diverted\" needs a reduction: write "
            "sum(aid_diverted), mean(aid_diverted), last(aid_diverted) or series(aid_diverted) "
            "(sum, mean, min, max, first, last, at, series or count)");
  EXPECT_EQ(error_of("sum(aid_diverted) +"),
            "sweep.yaml:7:29: outcomes.x: expected a number, a reduction such as "
            "sum(aid_diverted), or \"(\", got end of the expression");
  EXPECT_EQ(error_of("at(aid_diverted)"),
            "sweep.yaml:7:10: outcomes.x: at needs a date: at(aid_diverted, 2024-06-03)");
  EXPECT_EQ(error_of("series(aid_diverted, every=4)"),
            "sweep.yaml:7:31: outcomes.x: unexpected argument \"every\": series keeps every step; "
            "resample with sum(x, every=4), mean(x, every=year) or last(x, every=year)");
  EXPECT_EQ(error_of("sum(aid_diverted, every=0)"),
            "sweep.yaml:7:34: outcomes.x: every: expected a whole number of steps from 1 to 5200 "
            "or year, got \"0\"");
}

TEST(Outcomes, NamesLabelsDatesAndUnitsAreCheckedAgainstTheRun) {
  EXPECT_EQ(error_of("sum(aid_divertd)"),
            "sweep.yaml:7:14: outcomes.x: no indicator \"aid_divertd\" (did you mean "
            "\"aid_diverted\"?)");
  EXPECT_EQ(error_of("last(faction_treasury[faction=haqqanni])"),
            "sweep.yaml:7:32: outcomes.x: no faction \"haqqanni\" in this run (did you mean "
            "\"haqqani\"?)");
  EXPECT_EQ(error_of("sum(aid_diverted[faction=haqqani])"),
            "sweep.yaml:7:27: outcomes.x: \"faction\" is not a dimension or label coordinate of "
            "aid_diverted (aid_diverted has donor; and time, step)");
  EXPECT_EQ(error_of("sum(aid_diverted[time=2025])"),
            "sweep.yaml:7:27: outcomes.x: time=2025 selects no step of the run (2023-12-25 to "
            "2024-02-26, 10 steps)");
  EXPECT_EQ(error_of("at(aid_diverted, 2024-13-01)"),
            "sweep.yaml:7:27: outcomes.x: expected a date YYYY-MM-DD or a year YYYY, got "
            "\"2024-13-01\"");
  EXPECT_EQ(error_of("sum(aid_diverted) + mean(people_reached)"),
            "sweep.yaml:7:28: outcomes.x: cannot add people and USD cents: give both sides the "
            "same units");
  EXPECT_EQ(error_of("series(aid_diverted) + sum(aid_diverted, every=year)"),
            "sweep.yaml:7:31: outcomes.x: both sides are series, over different steps: resample "
            "them alike");
  EXPECT_EQ(error_of("sum(aid_diverted[step=10])"),
            "sweep.yaml:7:27: outcomes.x: step: expected a step from 0 to 9 (the run has 10), "
            "got \"10\"");
}

TEST(Outcomes, CommandLineArgumentsAndDefaults) {
  const auto named = command_line_outcomes("haqqani=sum(diverted[faction=haqqani])", 1);
  ASSERT_EQ(named.size(), 1u);
  EXPECT_EQ(named[0].name, "haqqani");
  EXPECT_EQ(named[0].text, "sum(diverted[faction=haqqani])");
  EXPECT_EQ(location_of(named[0], 4).to_string(), "--outcomes:1:13");
  const auto bare = command_line_outcomes("sum(aid_diverted[donor=us])", 2);
  EXPECT_EQ(bare[0].name, "outcome_2");
  const auto defaults = default_outcomes({"haqqani", "kandahari"});
  std::vector<std::string> names;
  for (const auto& d : defaults) names.push_back(d.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "disbursed", "delivered", "overhead", "counter_terrorism", "diverted",
                       "diverted_haqqani", "diverted_kandahari", "treasury_haqqani",
                       "treasury_kandahari", "fighters_haqqani", "fighters_kandahari"}));
}

}  // namespace
}  // namespace aidflow::outcomes
