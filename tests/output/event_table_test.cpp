// The event table in result files: every value and attribute read back with the HDF5 C API.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include "event_fixture.hpp"
#include "output/hdf5_file.hpp"
#include "output/run_writer.hpp"
#include "temp_dir.hpp"

namespace aidflow::output {
namespace {

using engine::EventRow;
using engine::EventTableSpec;
using engine::ValueType;
using testing::event_row;
using testing::event_spec;
using testing::TempDir;

constexpr std::int64_t kEvents = 2500;  // two full chunks of 1024 and a partial one at commit

std::vector<engine::Dimension> dims() {
  return {{"who", {"a", "b"}}};
}
std::vector<engine::SeriesSpec> series() {
  return {{"", "count", {"who"}, ValueType::Int64, "1", "a count"}};
}

// Writes `events` fixture events, 50 per step, beside one series; returns the committed file.
std::filesystem::path write_run(const TempDir& dir, std::int64_t events,
                                EventTableSpec spec = event_spec()) {
  const auto out = dir.path() / "run.h5";
  RunWriter writer(out, dims(), series(), {.scenario_name = "t", .start_date = "2021-01-04"},
                   {.chunk_steps = 16, .chunk_events = 1024}, std::move(spec));
  const std::int64_t steps = std::max<std::int64_t>(1, events / testing::kEventsPerStep);
  for (std::int64_t s = 0, i = 0; s < steps; ++s) {
    writer.append(0, std::vector<std::int64_t>{s, 10 * s});
    for (; i < events && i / testing::kEventsPerStep == s; ++i) writer.append_event(event_row(i));
  }
  writer.commit({});
  return out;
}

class File {
 public:
  explicit File(const std::filesystem::path& path)
      : file_(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, path.string()) {}

  bool exists(const std::string& name) const {
    return H5Lexists(file_.get(), name.c_str(), H5P_DEFAULT) > 0;
  }

  h5::Handle dataset(const std::string& name) const {
    return h5::Handle(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT), H5Dclose, name);
  }

  template <typename T>
  std::vector<T> read(const std::string& name) const {
    const h5::Handle d = dataset(name);
    const h5::Handle space(H5Dget_space(d.get()), H5Sclose, name);
    std::vector<T> values(H5Sget_simple_extent_npoints(space.get()));
    const hid_t type = std::is_same_v<T, double> ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64;
    if (!values.empty())
      h5::check(H5Dread(d.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), name);
    return values;
  }

  std::vector<std::int64_t> int_attribute(const std::string& object,
                                          const std::string& name) const {
    const h5::Handle a(
        H5Aopen_by_name(file_.get(), object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
        H5Aclose, object + "@" + name);
    const h5::Handle space(H5Aget_space(a.get()), H5Sclose, name);
    std::vector<std::int64_t> values(H5Sget_simple_extent_npoints(space.get()));
    h5::check(H5Aread(a.get(), H5T_NATIVE_INT64, values.data()), name);
    return values;
  }

  std::string string_attribute(const std::string& object, const std::string& name) const {
    const h5::Handle a(
        H5Aopen_by_name(file_.get(), object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
        H5Aclose, object + "@" + name);
    const h5::Handle type(H5Aget_type(a.get()), H5Tclose, name);
    char* text = nullptr;
    h5::check(H5Aread(a.get(), type.get(), &text), name);
    std::string value = text;
    H5free_memory(text);
    return value;
  }

  bool has_attribute(const std::string& object, const std::string& name) const {
    return H5Aexists_by_name(file_.get(), object.c_str(), name.c_str(), H5P_DEFAULT) > 0;
  }

 private:
  h5::Handle file_;
};

TEST(EventTable, EveryEventIsWrittenAcrossChunks) {
  TempDir dir;
  const File file(write_run(dir, kEvents));
  const auto step = file.read<std::int64_t>("events/step");
  const auto kind = file.read<std::int64_t>("events/kind");
  const auto executor = file.read<std::int64_t>("events/executor");
  const auto casualties = file.read<std::int64_t>("events/casualties");
  const auto severity = file.read<double>("events/severity");
  const auto time = file.read<std::int64_t>("events/time");
  const auto event = file.read<std::int64_t>("events/event");
  ASSERT_EQ(event.size(), static_cast<std::size_t>(kEvents)) << "the event dimension's length";
  for (const auto* column : {&step, &kind, &executor, &casualties, &time}) {
    ASSERT_EQ(column->size(), event.size());
  }
  ASSERT_EQ(severity.size(), event.size());
  for (std::int64_t i = 0; i < kEvents; ++i) {
    const EventRow want = event_row(i);
    SCOPED_TRACE("event " + std::to_string(i));
    EXPECT_EQ(event[i], i);
    EXPECT_EQ(step[i], std::get<std::int64_t>(want[0]));
    EXPECT_EQ(kind[i], std::get<std::int64_t>(want[1]));
    EXPECT_EQ(executor[i], std::get<std::int64_t>(want[2]));
    EXPECT_EQ(casualties[i], std::get<std::int64_t>(want[3]));
    EXPECT_EQ(severity[i], std::get<double>(want[4]));
    EXPECT_EQ(time[i], 7 * step[i]) << "days since start_date";
    if (HasFailure()) break;  // one event's report is enough
  }
  EXPECT_EQ(file.read<std::int64_t>("count").size(), 2u * 50u) << "series rows are unaffected";
  EXPECT_EQ(file.read<std::int64_t>("step").size(), 50u);
}

TEST(EventTable, CategoryColumnsCarryCfFlagsAndFillValue) {
  TempDir dir;
  const File file(write_run(dir, 10));
  EXPECT_EQ(file.int_attribute("events/executor", "flag_values"),
            (std::vector<std::int64_t>{0, 1, 2}));
  EXPECT_EQ(file.string_attribute("events/executor", "flag_meanings"), "taliban haqqani isis_k");
  EXPECT_EQ(file.string_attribute("events/kind", "flag_meanings"),
            "attack ministry_change aid_suspended");
  EXPECT_EQ(file.int_attribute("events/executor", "_FillValue"), (std::vector<std::int64_t>{-1}));
  EXPECT_EQ(file.string_attribute("events/executor", "units"), "1");
  EXPECT_EQ(file.string_attribute("events/executor", "long_name"), "faction that acted");

  // The creation property too: netCDF-C reads unwritten elements as this value.
  const h5::Handle executor = file.dataset("events/executor");
  const h5::Handle dcpl(H5Dget_create_plist(executor.get()), H5Pclose, "dcpl");
  std::int64_t fill = 0;
  h5::check(H5Pget_fill_value(dcpl.get(), H5T_NATIVE_INT64, &fill), "fill value");
  EXPECT_EQ(fill, -1);
  EXPECT_GT(H5Pget_nfilters(dcpl.get()), 0) << "compressed like the series";

  EXPECT_EQ(file.string_attribute("events/casualties", "units"), "people");
  EXPECT_FALSE(file.has_attribute("events/casualties", "_FillValue"))
      << "plain numbers have no fill";
  EXPECT_FALSE(file.has_attribute("events/casualties", "flag_values"));
  EXPECT_EQ(file.string_attribute("events/time", "units"), "days since 2021-01-04");
  EXPECT_EQ(file.string_attribute("events/time", "calendar"), "standard");
}

TEST(EventTable, ColumnsAreAttachedToTheEventDimension) {
  TempDir dir;
  const File file(write_run(dir, 10));
  const h5::Handle scale = file.dataset("events/event");
  EXPECT_GT(H5DSis_scale(scale.get()), 0);
  EXPECT_TRUE(file.has_attribute("events/event", "_Netcdf4Dimid"));
  for (const char* name : {"step", "kind", "executor", "casualties", "severity", "time"}) {
    const h5::Handle column = file.dataset(std::string("events/") + name);
    EXPECT_GT(H5DSis_attached(column.get(), scale.get(), 0), 0) << name;
  }
}

TEST(EventTable, AnEmptyTableStillHasItsGroupAndDimension) {
  TempDir dir;
  const File file(write_run(dir, 0));
  ASSERT_TRUE(file.exists("events"));
  EXPECT_TRUE(file.read<std::int64_t>("events/event").empty());
  EXPECT_TRUE(file.read<std::int64_t>("events/executor").empty());
  EXPECT_TRUE(file.has_attribute("events/executor", "flag_meanings"));
}

TEST(EventTable, NoColumnsMeansNoGroupAndNoEvents) {
  TempDir dir;
  const auto out = dir.path() / "run.h5";
  RunWriter writer(out, dims(), series(), {.scenario_name = "t"});
  EXPECT_THROW(writer.append_event(event_row(0)), std::logic_error);
  writer.append(0, std::vector<std::int64_t>{1, 2});
  writer.commit({});
  EXPECT_FALSE(File(out).exists("events"));
}

TEST(EventTable, ASinkThatTakesNoEventsSaysSo) {
  struct Counting : engine::SeriesSink {
    void append(std::size_t, engine::SeriesRow) override {}
  } sink;
  EXPECT_THROW(sink.append_event(event_row(0)), std::logic_error);
}

// Runs `append` on a fresh writer and returns the message of the invalid_argument it throws.
std::string rejection(const EventRow& row) {
  TempDir dir;
  RunWriter writer(dir.path() / "run.h5", dims(), series(), {.scenario_name = "t"}, {},
                   event_spec());
  try {
    writer.append_event(row);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(EventTable, AWrongRowIsRefusedNamingTheColumn) {
  EXPECT_NE(rejection({std::int64_t{0}, std::int64_t{0}}).find("2 values for 5 columns"),
            std::string::npos);
  EventRow wrong_type = event_row(1);
  wrong_type[3] = 1.5;
  EXPECT_NE(rejection(wrong_type).find("column casualties takes int64, got float64"),
            std::string::npos)
      << rejection(wrong_type);
  wrong_type = event_row(1);
  wrong_type[4] = std::int64_t{1};
  EXPECT_NE(rejection(wrong_type).find("column severity takes float64"), std::string::npos);
  for (const std::int64_t code : {std::int64_t{3}, std::int64_t{-2}}) {
    EventRow out_of_range = event_row(1);
    out_of_range[2] = code;
    EXPECT_NE(
        rejection(out_of_range)
            .find("column executor: category code " + std::to_string(code) + " is outside [-1, 3)"),
        std::string::npos)
        << rejection(out_of_range);
  }
  EXPECT_EQ(rejection(event_row(3)), "(accepted)") << "-1, no executor, is fine";
}

TEST(EventTable, ARefusedRowAddsNothing) {
  TempDir dir;
  const auto out = dir.path() / "run.h5";
  {
    RunWriter writer(out, dims(), series(), {.scenario_name = "t"}, {}, event_spec());
    writer.append_event(event_row(0));
    EventRow bad = event_row(1);
    bad[4] = std::int64_t{7};  // the last column is wrong: the first four must not be kept
    EXPECT_THROW(writer.append_event(bad), std::invalid_argument);
    writer.append_event(event_row(2));
    writer.append(0, std::vector<std::int64_t>{1, 2});
    writer.commit({});
  }
  const File file(out);
  EXPECT_EQ(file.read<std::int64_t>("events/kind"), (std::vector<std::int64_t>{0, 2}));
  EXPECT_EQ(file.read<double>("events/severity"), (std::vector<double>{0.0, 0.2}));
}

TEST(EventTable, ABadSpecIsRefusedBeforeAnyFileExists) {
  TempDir dir;
  const auto refused = [&](EventTableSpec spec) {
    try {
      RunWriter writer(dir.path() / "run.h5", dims(), series(), {.scenario_name = "t"}, {}, spec);
    } catch (const std::invalid_argument& e) {
      return std::filesystem::is_empty(dir.path());
    }
    return false;
  };
  EventTableSpec spec = event_spec();
  spec.columns[4].categories = {"low", "high"};
  EXPECT_TRUE(refused(spec)) << "categories on a float column";
  spec = event_spec();
  spec.columns[1].categories = {"an attack"};
  EXPECT_TRUE(refused(spec)) << "a category name with a space would split in flag_meanings";
  spec = event_spec();
  spec.columns[2].name = "kind";
  EXPECT_TRUE(refused(spec)) << "a column twice";
  spec = event_spec();
  spec.columns[3].name = "time";
  EXPECT_TRUE(refused(spec)) << "time is derived from step";
  spec = event_spec();
  spec.columns[0].type = ValueType::Float64;
  EXPECT_TRUE(refused(spec)) << "step must be int64";
  spec = event_spec();
  spec.group = "";
  EXPECT_TRUE(refused(spec)) << "not the root group";
  spec = event_spec();
  spec.group = "grp";
  auto clashing = series();
  clashing.push_back({"grp", "level", {}, ValueType::Float64, "1", "a level"});
  EXPECT_THROW(RunWriter(dir.path() / "run.h5", dims(), clashing, {.scenario_name = "t"}, {}, spec),
               std::invalid_argument);
}

TEST(EventTable, AnAbandonedRunWithEventsLeavesNothing) {
  TempDir dir;
  const auto out = dir.path() / "run.h5";
  std::filesystem::path temporary;
  {
    RunWriter writer(out, dims(), series(), {.scenario_name = "t"}, {.chunk_events = 8},
                     event_spec());
    for (std::int64_t i = 0; i < 20; ++i) writer.append_event(event_row(i));  // two chunks written
    temporary = writer.temporary_path();
  }
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(temporary));
}

}  // namespace
}  // namespace aidflow::output
