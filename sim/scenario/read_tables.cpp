// Reading the Afghanistan tables a scenario's geography names (data/README.md): provinces with
// their border class, the outlines (only to check every province has one), districts with their
// 1398 population, and NSIA's national totals to project that population to the run's start.
// Every bad cell is refused with its file, line and column.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "scenario/csv_table.hpp"
#include "scenario/references.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/sections.hpp"
#include "scenario/table_cache.hpp"

namespace aidflow::scenario {
namespace {

namespace fs = std::filesystem;
using model::GeographySpec;

// The files of the tables, the names messages show them by, and the scenario key that named
// them (for a missing file).
struct TableFile {
  fs::path path;
  std::string shown;
  SourceLocation from;
  std::string key;
  CsvTable read() const { return CsvTable::read(path, shown, from, key); }
};

// A path a scenario gives is relative to the file that gives it; one given on the command line
// (--set), to the working directory.
fs::path relative_to_source(const SourceLocation& where, const std::string& value) {
  fs::path path = value;
  if (where.line > 0 && where.file && path.is_relative()) {
    path = fs::path(*where.file).parent_path() / path;
  }
  return path.lexically_normal();
}

// The four tables: `data` names their folder (default ../data beside the scenario file that holds
// the geography section); `tables` may name any of them one by one.
struct TableFiles {
  TableFile provinces, districts, outlines, population;
};

TableFiles table_files(MapReader& g) {
  const SourceLocation folder_from = g.has("data") ? g.where("data") : g.node().where;
  const std::string folder_key = child_path(g.path(), "data");
  const fs::path folder = relative_to_source(folder_from, g.text("data", "../data"));
  const auto in_folder = [&](const char* name) {
    const fs::path path = (folder / name).lexically_normal();
    return TableFile{path, path.string(), folder_from, folder_key};
  };
  TableFiles files{in_folder("provinces.csv"), in_folder("districts.csv"),
                   in_folder("provinces.geojson"), in_folder("targets.csv")};
  MapReader tables = g.map("tables");
  const std::pair<const char*, TableFile*> named[] = {{"provinces", &files.provinces},
                                                      {"districts", &files.districts},
                                                      {"outlines", &files.outlines},
                                                      {"population", &files.population}};
  for (const auto& [key, file] : named) {
    if (!tables.has(key)) continue;
    const fs::path path = relative_to_source(tables.where(key), tables.text(key));
    *file = {path, path.string(), tables.where(key), child_path(tables.path(), key)};
  }
  tables.finish();
  return files;
}

// The model's border class of a province: the first (longest) of its border_class entries.
model::BorderClass border_class(const CsvTable& t, std::size_t row, std::size_t column) {
  const std::string& value = t.text(row, column);
  const std::string first = value.substr(0, value.find(';'));
  if (first == "iran") return model::BorderClass::Iran;
  if (first == "pakistan") return model::BorderClass::Pakistan;
  if (first == "central_asia") return model::BorderClass::CentralAsia;
  // The model has no crossing to China (the Wakhan's border is closed and high).
  if (first == "none" || first == "china") return model::BorderClass::Interior;
  t.fail(row, column,
         "expected border classes iran, pakistan, central_asia, china or none (joined by ;), got "
         "\"" +
             excerpt(value) + "\"");
}

void read_provinces(const TableFile& file, GeographySpec& geo) {
  const CsvTable t = file.read();
  const std::size_t pcode = t.column("pcode"), iso = t.column("iso_3166_2");
  const std::size_t name = t.column("name_en"), border = t.column("border_class");
  if (t.rows() == 0) throw InputError(t.where(0, 0), "", "expected at least one province");
  for (std::size_t r = 0; r < t.rows(); ++r) {
    model::ProvinceRow p{t.text(r, pcode), t.text(r, iso), t.text(r, name),
                         border_class(t, r, border)};
    for (const auto& other : geo.province_rows) {
      if (other.pcode == p.pcode) t.fail(r, pcode, "duplicate province code " + p.pcode);
    }
    geo.province_rows.push_back(std::move(p));
  }
}

// The province codes an outline file has (each feature's "pcode" property). A scan, not a JSON
// parser: it needs the codes only, and the maps that draw the outlines parse them properly.
std::set<std::string> outline_codes(const TableFile& file) {
  const std::string text = read_data_file(file.path, file.shown, file.from, file.key);
  std::set<std::string> codes;
  const std::string key = "\"pcode\"";
  for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + 1)) {
    std::size_t i = at + key.size();
    while (i < text.size() && (text[i] == ' ' || text[i] == ':')) ++i;
    if (i >= text.size() || text[i] != '"') continue;
    const std::size_t end = text.find('"', i + 1);
    if (end != std::string::npos) codes.insert(text.substr(i + 1, end - i - 1));
  }
  return codes;
}

void check_outlines(const TableFile& provinces, const TableFile& outlines,
                    const GeographySpec& geo) {
  const std::set<std::string> codes = outline_codes(outlines);
  const CsvTable t = provinces.read();
  const std::size_t pcode = t.column("pcode");
  for (std::size_t r = 0; r < geo.province_rows.size(); ++r) {
    if (!codes.contains(geo.province_rows[r].pcode)) {
      t.fail(r, pcode,
             "province " + geo.province_rows[r].pcode + " has no outline in " + outlines.shown +
                 " (a feature with that pcode)");
    }
  }
}

// Districts with their 1398 population (settled, and the urban part), in file order.
struct Settled {
  std::vector<double> total, urban;
};

Settled read_districts(const TableFile& file, GeographySpec& geo) {
  const CsvTable t = file.read();
  const std::size_t code = t.column("cso_code_1398"), province = t.column("province_pcode");
  const std::size_t name = t.column("district_name_cso");
  const std::size_t total = t.column("pop_total"), urban = t.column("pop_urban");
  const std::vector<std::string> pcodes = province_codes(geo);
  Settled settled;
  std::set<std::string> codes;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string& in = t.text(r, province);
    const auto at = std::find(pcodes.begin(), pcodes.end(), in);
    if (at == pcodes.end())
      t.fail(r, province,
             "a district in no province: " + unknown_reference("province", in, pcodes));
    if (!codes.insert(t.text(r, code)).second) {
      t.fail(r, code, "duplicate district code " + t.text(r, code));
    }
    const auto people = static_cast<double>(t.count(r, total));
    const auto town = static_cast<double>(t.count(r, urban));
    if (town > people) t.fail(r, urban, "more urban people than people in all (pop_total)");
    geo.district_rows.push_back({t.text(r, code), t.text(r, name),
                                 static_cast<int>(at - pcodes.begin()), 0.0,
                                 people > 0.0 ? town / people : 0.0});
    settled.total.push_back(people);
    settled.urban.push_back(town);
  }
  if (t.rows() == 0) throw InputError(t.where(0, 0), "", "expected at least one district");
  return settled;
}

void check_every_province_has_districts(const TableFile& provinces, const GeographySpec& geo) {
  std::vector<int> count(geo.province_rows.size(), 0);
  for (const auto& d : geo.district_rows) ++count[static_cast<std::size_t>(d.province)];
  const auto empty = std::find(count.begin(), count.end(), 0);
  if (empty == count.end()) return;
  const CsvTable t = provinces.read();
  t.fail(static_cast<std::size_t>(empty - count.begin()), t.column("pcode"),
         "a province with no district in the district table");
}

// NSIA's national totals: the settled population at the middle of each solar year it estimated,
// and the nomads (Kuchi), whom NSIA holds fixed and places in no province.
struct NationalTotals {
  std::map<std::chrono::sys_days, double> settled;  // by the middle of the period
  double kuchi = 0.0;
};

NationalTotals read_national_totals(const TableFile& file) {
  const CsvTable t = file.read();
  const std::size_t series = t.column("series"), start = t.column("period_start");
  const std::size_t end = t.column("period_end"), value = t.column("value");
  NationalTotals totals;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string& name = t.text(r, series);
    if (name != "population_settled_nsia" && name != "population_kuchi_nsia") continue;
    const double people = static_cast<double>(t.count(r, value));
    if (name == "population_kuchi_nsia") {
      totals.kuchi = people;
      continue;
    }
    const auto from = t.date(r, start), to = t.date(r, end);
    if (to < from) t.fail(r, end, "the period ends before it starts");
    totals.settled[from + (to - from) / 2] = people;
  }
  if (totals.settled.empty()) {
    throw InputError(t.where_header(series), "series",
                     "no population_settled_nsia row: NSIA's national totals project the "
                     "district populations to the start date");
  }
  return totals;
}

// The settled population on `day`: log-linear between the two estimates around it (or the two
// nearest, beyond the first or last), constant growth between NSIA's estimates.
double settled_on(const NationalTotals& totals, std::chrono::sys_days day) {
  const auto& points = totals.settled;
  if (points.size() == 1) return points.begin()->second;
  auto after = points.upper_bound(day);
  if (after == points.begin()) ++after;
  if (after == points.end()) --after;
  const auto before = std::prev(after);
  const double years = (after->first - before->first).count() / 365.25;
  const double since = (day - before->first).count() / 365.25;
  const double growth = std::log(after->second / before->second) / years;
  return before->second * std::exp(growth * since);
}

// Each district keeps its 1398 share of the settled population; the nomads are spread over
// districts by rural population (they are counted nowhere, and live in the countryside).
void project_populations(const Settled& settled, const NationalTotals& totals,
                         std::chrono::sys_days start, GeographySpec& geo) {
  double all = 0.0, rural = 0.0;
  for (std::size_t i = 0; i < settled.total.size(); ++i) {
    all += settled.total[i];
    rural += settled.total[i] - settled.urban[i];
  }
  const double settled_now = settled_on(totals, start);
  for (std::size_t i = 0; i < settled.total.size(); ++i) {
    const double nomads = rural > 0.0 ? (settled.total[i] - settled.urban[i]) / rural : 0.0;
    geo.district_rows[i].population = settled_now * settled.total[i] / all + totals.kuchi * nomads;
  }
  geo.population = settled_now + (rural > 0.0 ? totals.kuchi : 0.0);
}

}  // namespace

std::vector<std::string> province_codes(const GeographySpec& geo) {
  std::vector<std::string> codes;
  for (const auto& p : geo.province_rows) codes.push_back(p.pcode);
  return codes;
}

CountryTables TableCache::get(const std::string& key, const std::function<CountryTables()>& read) {
  std::lock_guard lock(mutex_);
  const auto found = tables_.find(key);
  if (found != tables_.end()) return found->second;
  return tables_.emplace(key, read()).first->second;
}

namespace {

// Every check of the tables, and the district populations at `start`.
CountryTables read_tables(const TableFiles& files, std::chrono::sys_days start) {
  GeographySpec geo;
  read_provinces(files.provinces, geo);
  check_outlines(files.provinces, files.outlines, geo);
  const Settled settled = read_districts(files.districts, geo);
  check_every_province_has_districts(files.provinces, geo);
  project_populations(settled, read_national_totals(files.population), start, geo);
  return {std::move(geo.province_rows), std::move(geo.district_rows), geo.population};
}

// What the tables read depend on: their files and the start date the populations are projected to.
std::string cache_key(const TableFiles& files, std::chrono::sys_days start) {
  std::string key = model::iso_date(start);
  for (const TableFile* file :
       {&files.provinces, &files.districts, &files.outlines, &files.population}) {
    key.append("\n").append(file->path.string());
  }
  return key;
}

}  // namespace

void read_country_tables(MapReader& g, const model::RunSpec& run, GeographySpec& geo,
                         TableCache* cache) {
  const TableFiles files = table_files(g);
  const auto read = [&] { return read_tables(files, run.start_date); };
  CountryTables tables = cache ? cache->get(cache_key(files, run.start_date), read) : read();
  geo.table_files = {files.provinces.path, files.districts.path, files.outlines.path,
                     files.population.path};
  geo.province_rows = std::move(tables.provinces);
  geo.district_rows = std::move(tables.districts);
  geo.population = tables.population;
  geo.provinces = static_cast<int>(geo.province_rows.size());
  geo.districts = static_cast<int>(geo.district_rows.size());
  const std::vector<std::string> pcodes = province_codes(geo);
  const std::string capital = g.text("capital", "AF01");
  const auto at = std::find(pcodes.begin(), pcodes.end(), capital);
  if (at == pcodes.end()) g.fail("capital", unknown_reference("province", capital, pcodes));
  geo.capital_province = static_cast<int>(at - pcodes.begin());
}

// A path node made absolute as read_scenario resolves it, or added as `key` of `map` with the
// default `value` (resolved against the map's own file) when the map lacks it.
void pin_path(SourceNode& map, const std::string& key, const std::string& value) {
  SourceNode* node = map.find(key);
  if (!node) {
    map.keys.push_back(key);
    map.key_locations.push_back(map.where);
    map.children.push_back({.kind = SourceNode::Kind::Scalar, .scalar = value, .where = map.where});
    node = &map.children.back();
  }
  if (node->kind != SourceNode::Kind::Scalar) return;  // read_scenario says what is wrong
  node->scalar = fs::absolute(relative_to_source(node->where, node->scalar)).lexically_normal();
}

void pin_table_paths(SourceNode& tree) {
  SourceNode* g = tree.find("geography");
  if (!g || g->kind != SourceNode::Kind::Map) return;
  const SourceNode* source = g->find("source");
  if (source && source->scalar != "afghanistan") return;  // a synthetic country reads no table
  pin_path(*g, "data", "../data");
  SourceNode* tables = g->find("tables");
  if (!tables || tables->kind != SourceNode::Kind::Map) return;
  for (const std::string& key : std::vector<std::string>(tables->keys)) {
    pin_path(*tables, key, "");
  }
}

}  // namespace aidflow::scenario
