// The Afghanistan tables as the loader reads them (data/README.md): every shipped scenario is on
// them, district populations are NSIA's 1398 shares of the national settled total projected to
// the start date plus the nomads spread by rural population, and bad tables are refused with
// their file, line and column. The CSV reader's dialect is tested on its own.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "scenario/csv_table.hpp"
#include "scenario/input_error.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/table_cache.hpp"
#include "scenario/yaml_source.hpp"
#include "temp_dir.hpp"

namespace aidflow::scenario {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

const fs::path kData = fs::path(AIDFLOW_SOURCE_DIR) / "data";
const fs::path kStatusQuo = fs::path(AIDFLOW_SOURCE_DIR) / "scenarios" / "status_quo.yaml";

// NSIA's figures as data/targets.csv has them (restated, so a changed table shows here).
constexpr double kSettled1398 = 30725560, kSettled1402 = 33471517, kKuchi = 1500000;
constexpr double kKabulCity1398 = 4273156;  // district 0101, all urban

std::size_t data_rows(const fs::path& file) {
  return CsvTable::read(file, file.string()).rows();
}

double district_sum(const model::GeographySpec& geo) {
  double people = 0.0;
  for (const auto& d : geo.district_rows) people += d.population;
  return people;
}

TEST(CountryTables, EveryShippedScenarioIsOnTheAfghanistanTables) {
  int scenarios = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(AIDFLOW_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    ++scenarios;
    const model::GeographySpec geo = load_scenario(entry.path()).geography;
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(geo.source, model::GeographySource::Afghanistan) << name;
    EXPECT_EQ(geo.provinces, 34) << name;
    EXPECT_EQ(geo.district_rows.size(), data_rows(kData / "districts.csv")) << name;
    EXPECT_EQ(geo.province_rows.at(static_cast<std::size_t>(geo.capital_province)).name, "Kabul")
        << name;
    EXPECT_NEAR(district_sum(geo), geo.population, 1e-6 * geo.population) << name;
  }
  EXPECT_GE(scenarios, 12);
}

// Some aid in the year of `date`, as a scenario's budget by year.
std::string budget(const std::string& date) {
  std::string text = "{";  // piece by piece: GCC 12 misreports "{" + ... under -Wrestrict
  return text.append(date, 0, 4).append(": 1000000}");
}

model::GeographySpec on(const std::string& date) {
  // One step, so that the run needs the aid budget of one year only (any year the data has).
  return load_scenario(kStatusQuo,
                       {.overrides = {"run.start_date=" + date, "run.steps=1",
                                      "aid_total_usd_by_year=" + budget(date),
                                      "donors[usa].budget_usd_by_year=" + budget(date)}})
      .geography;
}

// At the middle of NSIA's 1398 and 1402 (2019-20 and 2023-24) the settled population is NSIA's
// estimate; between them it grows at a constant rate; the 1.5M nomads are added on top.
TEST(CountryTables, PopulationIsProjectedFromNsiasNationalTotals) {
  EXPECT_NEAR(on("2019-09-19").population, kSettled1398 + kKuchi, 1.0);
  EXPECT_NEAR(on("2023-09-19").population, kSettled1402 + kKuchi, 1.0);
  const double halfway = std::sqrt(kSettled1398 * kSettled1402);  // two years on, of four
  EXPECT_NEAR(on("2021-09-19").population, halfway + kKuchi, 0.002 * halfway);
  const model::GeographySpec start = on("2022-01-03");
  EXPECT_GT(start.population, on("2021-09-19").population);
  EXPECT_LT(start.population, kSettled1402 + kKuchi);
}

// A district keeps its 1398 share of the settled population; nomads live in the countryside,
// so Kabul city (all urban) gets none of them.
TEST(CountryTables, DistrictsKeepTheir1398SharesAndNomadsGoToRuralDistricts) {
  const model::GeographySpec geo = on("2023-09-19");
  const auto kabul_city = std::find_if(geo.district_rows.begin(), geo.district_rows.end(),
                                       [](const auto& d) { return d.code == "0101"; });
  ASSERT_NE(kabul_city, geo.district_rows.end());
  EXPECT_NEAR(kabul_city->population, kSettled1402 * kKabulCity1398 / kSettled1398, 1.0);
  EXPECT_DOUBLE_EQ(kabul_city->urban_share, 1.0);
  double rural_districts = 0.0;
  for (const auto& d : geo.district_rows) {
    if (d.urban_share == 0.0) rural_districts += d.population;
  }
  EXPECT_GT(rural_districts, 0.0);
}

// Province borders: the longest border of the province, for every one of its districts.
TEST(CountryTables, ProvincesCarryTheClassOfTheirLongestBorder) {
  const model::GeographySpec geo = on("2022-01-03");
  const auto border = [&](const std::string& name) {
    for (const auto& p : geo.province_rows) {
      if (p.name == name) return p.border;
    }
    ADD_FAILURE() << "no province " << name;
    return model::BorderClass::Interior;
  };
  EXPECT_EQ(border("Hirat"), model::BorderClass::Iran);
  EXPECT_EQ(border("Nangarhar"), model::BorderClass::Pakistan);
  EXPECT_EQ(border("Badakhshan"), model::BorderClass::CentralAsia);
  EXPECT_EQ(border("Kabul"), model::BorderClass::Interior);
}

TEST(CountryTables, NationalResolutionIsOneAgentPerHousehold) {
  const auto spec = load_scenario(fs::path(AIDFLOW_SOURCE_DIR) / "scenarios" / "national.yaml");
  EXPECT_EQ(spec.run.households,
            std::llround(spec.geography.population / spec.households.people_per_household));
}

// A copy of the real tables in a temporary folder with one file replaced, and the status quo
// pointed at it; returns the error message with the folder's path as DIR.
std::string error_with(const std::string& file, const std::string& text) {
  TempDir dir;
  for (const char* name : {"provinces.csv", "districts.csv", "provinces.geojson", "targets.csv"}) {
    fs::copy_file(kData / name, dir.path() / name);
  }
  std::ofstream(dir.path() / file, std::ios::binary) << text;
  try {
    load_scenario(kStatusQuo, {.overrides = {"geography.data=" + dir.path().string()}});
  } catch (const InputError& e) {
    std::string message = e.what();
    const std::string folder = dir.path().lexically_normal().string();
    for (auto at = message.find(folder); at != std::string::npos; at = message.find(folder)) {
      message.replace(at, folder.size(), "DIR");
    }
    return message;
  }
  ADD_FAILURE() << "expected an error for " << file;
  return "";
}

TEST(CountryTables, BadTablesAreRefusedWithTheirLocation) {
  const std::string header =
      "cso_code_1398,province_pcode,province_name,district_name_cso,ocha_pcode_2018,"
      "ocha_name_2018,ocha_province_pcode_2018,match,pop_total,pop_urban,pop_rural,pop_female,"
      "pop_male,note\r\n";
  EXPECT_EQ(error_with("districts.csv", header + "0101,AF99,x,y,AF0101,y,AF01,one_to_one,5,0,5,"
                                                 "2,3,\r\n"),
            "DIR/districts.csv:2:6: province_pcode: a district in no province: unknown province "
            "\"AF99\" (did you mean \"AF09\"?)");
  EXPECT_EQ(error_with("districts.csv",
                       header + "0101,AF01,x,y,AF0101,y,AF01,one_to_one,12.5,0,5,2,3,\r\n"),
            "DIR/districts.csv:2:40: pop_total: expected a whole number of people (no fraction, no "
            "sign), got \"12.5\"");
  EXPECT_EQ(error_with("districts.csv", "cso_code_1398,province_pcode\r\n0101,AF01\r\n"),
            "DIR/districts.csv:1:1: no column named district_name_cso");
  EXPECT_EQ(error_with("provinces.geojson", R"({"features":[{"properties":{"pcode":"AF01"}}]})"),
            "DIR/provinces.csv:3:1: pcode: province AF02 has no outline in DIR/provinces.geojson "
            "(a feature with that pcode)");
}

// The status quo on the tables of `folder` (a copy of data/), starting on `date`.
SourceNode status_quo_on(const fs::path& folder, const std::string& date) {
  SourceNode tree = load_yaml_file(kStatusQuo).root;
  apply_overrides_checked(tree, {"geography.data=" + folder.string(), "run.start_date=" + date,
                                 "run.steps=1", "aid_total_usd_by_year=" + budget(date),
                                 "donors[usa].budget_usd_by_year=" + budget(date)});
  return tree;
}

void copy_tables(const fs::path& to) {
  for (const char* name : {"provinces.csv", "districts.csv", "provinces.geojson", "targets.csv"}) {
    fs::copy_file(kData / name, to / name, fs::copy_options::overwrite_existing);
  }
}

void expect_same_country(const model::GeographySpec& a, const model::GeographySpec& b) {
  EXPECT_EQ(a.population, b.population);
  EXPECT_EQ(a.provinces, b.provinces);
  EXPECT_EQ(a.capital_province, b.capital_province);
  ASSERT_EQ(a.district_rows.size(), b.district_rows.size());
  for (std::size_t i = 0; i < a.district_rows.size(); ++i) {
    EXPECT_EQ(a.district_rows[i].code, b.district_rows[i].code);
    EXPECT_EQ(a.district_rows[i].population, b.district_rows[i].population);  // bit for bit
    EXPECT_EQ(a.district_rows[i].urban_share, b.district_rows[i].urban_share);
  }
  ASSERT_EQ(a.province_rows.size(), b.province_rows.size());
  for (std::size_t i = 0; i < a.province_rows.size(); ++i) {
    EXPECT_EQ(a.province_rows[i].pcode, b.province_rows[i].pcode);
    EXPECT_EQ(a.province_rows[i].border, b.province_rows[i].border);
  }
}

// A sweep's runs share a cache: the tables are read by the first run only (a table broken
// afterwards is not read again), each run gets exactly what it would read alone, and another
// start date (its own projection of the populations) is read anew.
TEST(TableCache, RunsSharingItReadTheTablesOnceAndGetWhatTheyWouldAlone) {
  TempDir dir;
  copy_tables(dir.path());
  const SourceNode tree = status_quo_on(dir.path(), "2022-01-03");
  const model::GeographySpec alone = read_scenario(tree).geography;
  TableCache cache;
  expect_same_country(read_scenario(tree, SourceText::kLeftOut, &cache).geography, alone);
  std::ofstream(dir.path() / "districts.csv", std::ios::binary) << "not,a,district,table\n";
  expect_same_country(read_scenario(tree, SourceText::kLeftOut, &cache).geography, alone);
  EXPECT_THROW(read_scenario(tree), InputError);  // without the cache: read, and refused
  EXPECT_THROW(read_scenario(status_quo_on(dir.path(), "2023-01-02"), SourceText::kLeftOut, &cache),
               InputError);
}

// A read refused keeps nothing: once the table is mended, the next run reads it.
TEST(TableCache, ARefusedReadIsNotKept) {
  TempDir dir;
  copy_tables(dir.path());
  std::ofstream(dir.path() / "districts.csv", std::ios::binary) << "not,a,district,table\n";
  const SourceNode tree = status_quo_on(dir.path(), "2022-01-03");
  TableCache cache;
  EXPECT_THROW(read_scenario(tree, SourceText::kLeftOut, &cache), InputError);
  copy_tables(dir.path());
  expect_same_country(read_scenario(tree, SourceText::kLeftOut, &cache).geography,
                      read_scenario(tree).geography);
}

TEST(CsvTable, ReadsQuotedCellsWithCommasQuotesAndLineBreaks) {
  const CsvTable t = CsvTable::parse(
      "\xEF\xBB\xBFname,note\r\n\"a, b\",\"say \"\"hi\"\"\"\r\nc,\"two\nlines\"\n", "t.csv");
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.column("name"), 0u) << "a byte order mark is not part of the first name";
  EXPECT_EQ(t.text(0, 0), "a, b");
  EXPECT_EQ(t.text(0, 1), "say \"hi\"");
  EXPECT_EQ(t.text(1, 1), "two\nlines");
  EXPECT_EQ(t.cell(1, 0).line, 3);
  EXPECT_EQ(t.cell(1, 1).column, 3);
}

std::string csv_error(const std::string& text, void (*use)(const CsvTable&) = nullptr) {
  try {
    const CsvTable t = CsvTable::parse(text, "t.csv");
    if (use) use(t);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an error for:\n" << text;
  return "";
}

TEST(CsvTable, RefusesBadTablesAndCellsWhereTheyAre) {
  EXPECT_EQ(csv_error("a,b\n1,2,3\n"), "t.csv:2:1: expected 2 cells as in the header, got 3");
  EXPECT_EQ(csv_error("a,b\n\"1,2\n"), "t.csv:2:1: a quoted cell is never closed");
  EXPECT_EQ(csv_error("a,b\n1,x\"y\n"),
            "t.csv:2:4: a quote inside an unquoted cell; quote the whole cell");
  EXPECT_EQ(csv_error("a,b\n1,\xC3\xA9,\n"), "t.csv:2:1: expected 2 cells as in the header, got 3");
  EXPECT_EQ(csv_error("k,é\n1,-2\n", [](const CsvTable& t) { t.count(0, 1); }),
            "t.csv:2:3: é: expected a whole number of people (no fraction, no sign), got \"-2\"");
  EXPECT_EQ(csv_error("k,v\n1,\n", [](const CsvTable& t) { t.number(0, 1); }),
            "t.csv:2:3: v: expected a value, got an empty cell");
  EXPECT_EQ(csv_error("series,value\n", [](const CsvTable& t) { t.column("valeu"); }),
            "t.csv:1:1: no column named valeu (did you mean value?)");
  EXPECT_EQ(csv_error(std::string("a\n\0\n", 4)),
            "t.csv:2:1: contains a NUL byte: this is a binary file, not CSV text");
}

}  // namespace
}  // namespace aidflow::scenario
