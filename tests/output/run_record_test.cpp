// A run's record: written as JSON and read back to the same record (every figure of the summary
// by the names model/record/summary.hpp gives them), strings escaped, and a damaged or partial
// record never trusted.
#include "output/run_record.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>

namespace aidflow::output {
namespace {

RunRecord a_record() {
  RunRecord r;
  r.run = 41;
  r.point = 13;
  r.replicate = 2;
  r.label = "status quo \"B\"\n\x01 caf\xc3\xa9";
  r.scenario = "scenarios/status_quo.yaml";
  r.output = "runs/run-000041.h5";
  r.status = kComplete;
  r.seed = std::numeric_limits<std::uint64_t>::max();
  r.steps = 209;
  r.wall_seconds = 0.1 + 0.2;  // not a short decimal: must come back to the same double
  r.file_bytes = 123456789;
  r.fingerprint = "ab12";
  r.file_fingerprint = "cd34";
  r.factions = {"haqqani", "isis_khorasan"};
  model::RunSummary& s = r.summary;
  s.disbursed = 718'000'000'000'00;
  s.delivered = 600'000'000'000'00;
  s.overhead = 1;
  s.counter_terrorism = 0;
  s.diverted = 9'223'372'036'854'775'807;
  s.diverted_by_faction = {5, -7};
  s.treasury = {std::numeric_limits<std::int64_t>::min(), 0};
  s.fighters = {5003.25, 1.0 / 3.0};
  return r;
}

void expect_same(const RunRecord& a, const RunRecord& b) {
  EXPECT_EQ(a.run, b.run);
  EXPECT_EQ(a.point, b.point);
  EXPECT_EQ(a.replicate, b.replicate);
  EXPECT_EQ(a.scenario, b.scenario);
  EXPECT_EQ(a.output, b.output);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.steps, b.steps);
  EXPECT_EQ(a.wall_seconds, b.wall_seconds);
  EXPECT_EQ(a.file_bytes, b.file_bytes);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.file_fingerprint, b.file_fingerprint);
  EXPECT_EQ(a.factions, b.factions);
  for (const auto& f : model::kSummaryTotals) EXPECT_EQ(a.summary.*f.member, b.summary.*f.member);
  for (const auto& f : model::kSummaryCentsByFaction) {
    EXPECT_EQ(a.summary.*f.member, b.summary.*f.member) << f.name;
  }
  for (const auto& f : model::kSummaryCountsByFaction) {
    EXPECT_EQ(a.summary.*f.member, b.summary.*f.member) << f.name;
  }
}

TEST(RunRecord, ReadsBackEveryFieldExactly) {
  const RunRecord r = a_record();
  const RunRecord back = parse_record(to_json(r));
  expect_same(r, back);
  EXPECT_EQ(back.label, r.label) << "quotes, newlines and control bytes escaped and restored";
}

TEST(RunRecord, NamesEverySummaryFigureOnce) {
  const std::string json = to_json(a_record());
  const auto once = [&](const std::string& name) {
    const std::string key = "\"" + name + "\": ";
    const auto at = json.find(key);
    return at != std::string::npos && json.find(key, at + 1) == std::string::npos;
  };
  for (const auto& f : model::kSummaryTotals) EXPECT_TRUE(once(f.name)) << f.name;
  for (const auto& f : model::kSummaryCentsByFaction) EXPECT_TRUE(once(f.name)) << f.name;
  for (const auto& f : model::kSummaryCountsByFaction) EXPECT_TRUE(once(f.name)) << f.name;
}

TEST(RunRecord, InvalidUtf8InALabelIsWrittenAsValidUtf8) {
  RunRecord r = a_record();
  r.label = "bad \xff\xfe byte";
  const std::string json = to_json(r);
  EXPECT_EQ(json.find('\xff'), std::string::npos);
  EXPECT_NO_THROW(parse_record(json));
}

TEST(RunRecord, TextThatIsNotARecordIsRefused) {
  EXPECT_THROW(parse_record("{\"label\": \"x\"}"), std::runtime_error) << "fields missing";
  EXPECT_THROW(parse_record("not json at all: ["), std::runtime_error);
  const std::string json = to_json(a_record());
  EXPECT_THROW(parse_record(json.substr(0, json.size() / 2)), std::runtime_error) << "cut short";
}

TEST(RunRecord, AWrittenRecordIsReadBackAndADamagedOneIsNotTrusted) {
  const auto dir = std::filesystem::temp_directory_path() / "aidflow_run_record_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto path = dir / "run.json";
  write_record(path, a_record(), false);
  const auto read = read_record(path);
  ASSERT_TRUE(read.has_value());
  expect_same(a_record(), *read);
  EXPECT_THROW(write_record(path, a_record(), false), std::exception) << "no silent replace";
  EXPECT_NO_THROW(write_record(path, a_record(), true));
  const std::string json = to_json(a_record());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << json.substr(0, json.size() - 10);
  EXPECT_FALSE(read_record(path).has_value()) << "a partial record is redone, not trusted";
  EXPECT_FALSE(read_record(dir / "absent.json").has_value());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace aidflow::output
