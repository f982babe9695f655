#include "sweep/sweep_dir.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "aidflow_version.hpp"
#include "io/input_error.hpp"
#include "io/safe_file.hpp"
#include "io/table_file.hpp"

namespace aidflow::sweep {
namespace {

namespace fs = std::filesystem;
using io::TableColumn;

// netCDF's default int64 fill: readers show it as missing (a run that failed or has not run).
constexpr std::int64_t kMissing = -9223372036854775806LL;
const std::string kCents = "USD cents";

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Per-run values collected from the records, then turned into columns.
struct Rows {
  std::vector<std::int64_t> point, replicate, seed;
  std::vector<std::string> path, status, message, label;
  std::vector<double> wall;
  std::vector<std::string> money_names = {"disbursed", "delivered", "overhead", "counter_terrorism",
                                          "diverted"};
  std::vector<std::vector<std::int64_t>> money = std::vector<std::vector<std::int64_t>>(5);
  std::vector<std::string> factions;
  std::vector<std::vector<std::int64_t>> diverted_by, treasury;
  std::vector<std::vector<double>> fighters;

  void add(const PlannedRun& run, const std::optional<io::RunRecord>& record) {
    point.push_back(run.point);
    replicate.push_back(run.replicate);
    seed.push_back(static_cast<std::int64_t>(run.seed));
    path.push_back(run.file);
    label.push_back(run.label);
    status.push_back(record ? record->status : "missing");
    message.push_back(record ? record->message : "");
    const bool complete = record && record->status == io::kComplete;
    wall.push_back(record ? record->wall_seconds : std::nan(""));
    const model::RunSummary* s = complete ? &record->summary : nullptr;
    const std::int64_t values[] = {s ? s->disbursed : kMissing, s ? s->delivered : kMissing,
                                   s ? s->overhead : kMissing, s ? s->counter_terrorism : kMissing,
                                   s ? s->diverted : kMissing};
    for (std::size_t i = 0; i < money.size(); ++i) money[i].push_back(values[i]);
    if (complete && factions.empty()) {
      factions = record->factions;
      diverted_by.resize(factions.size());
      treasury.resize(factions.size());
      fighters.resize(factions.size());
    }
    for (std::size_t f = 0; f < factions.size(); ++f) {
      const std::size_t at = complete ? faction_index(*record, factions[f]) : SIZE_MAX;
      const bool has = at != SIZE_MAX;
      diverted_by[f].resize(point.size() - 1, kMissing);
      treasury[f].resize(point.size() - 1, kMissing);
      fighters[f].resize(point.size() - 1, std::nan(""));
      diverted_by[f].push_back(has ? s->diverted_by_faction[at] : kMissing);
      treasury[f].push_back(has ? s->treasury[at] : kMissing);
      fighters[f].push_back(has ? s->fighters[at] : std::nan(""));
    }
  }

  static std::size_t faction_index(const io::RunRecord& record, const std::string& id) {
    for (std::size_t f = 0; f < record.factions.size(); ++f) {
      if (record.factions[f] == id) return f;
    }
    return SIZE_MAX;
  }
};

TableColumn money_column(const std::string& name, std::vector<std::int64_t> values,
                         const std::string& what) {
  return {.name = name,
          .units = kCents,
          .long_name = what,
          .values = std::move(values),
          .fill_value = kMissing};
}

std::vector<TableColumn> columns_of(const Rows& rows, const Plan& plan) {
  std::vector<TableColumn> c;
  c.push_back({.name = "point", .long_name = "design point", .values = rows.point});
  c.push_back({.name = "replicate",
               .long_name = "replicate (same seed at every point)",
               .values = rows.replicate});
  c.push_back({.name = "seed", .long_name = "run.seed of the run", .values = rows.seed});
  for (const PointColumn& p : plan.columns) {
    TableColumn column{.name = p.name, .long_name = "sweep parameter"};
    if (!p.integers.empty()) {
      std::vector<std::int64_t> v;
      for (auto point : rows.point) v.push_back(p.integers[static_cast<std::size_t>(point)]);
      column.values = std::move(v);
      column.long_name = "design coordinate";
    } else if (p.numeric) {
      std::vector<double> v;
      for (auto point : rows.point) v.push_back(p.numbers[static_cast<std::size_t>(point)]);
      column.values = std::move(v);
    } else {
      std::vector<std::string> v;
      for (auto point : rows.point) v.push_back(p.labels[static_cast<std::size_t>(point)]);
      column.values = std::move(v);
    }
    c.push_back(std::move(column));
  }
  c.push_back({.name = "path",
               .long_name = "run file, relative to the sweep directory",
               .values = rows.path});
  c.push_back(
      {.name = "status", .long_name = "complete, failed or missing", .values = rows.status});
  c.push_back({.name = "message", .long_name = "why a failed run failed", .values = rows.message});
  c.push_back({.name = "label", .long_name = "run label", .values = rows.label});
  c.push_back({.name = "wall_seconds",
               .units = "s",
               .long_name = "wall time of the run",
               .values = rows.wall});
  for (std::size_t i = 0; i < rows.money.size(); ++i) {
    c.push_back(
        money_column(rows.money_names[i], rows.money[i], rows.money_names[i] + " aid, run total"));
  }
  for (std::size_t f = 0; f < rows.factions.size(); ++f) {
    const std::string& id = rows.factions[f];
    c.push_back(money_column("diverted_" + id, rows.diverted_by[f], "aid diverted to " + id));
    c.push_back(money_column("treasury_" + id, rows.treasury[f], id + " treasury at the end"));
    c.push_back({.name = "fighters_" + id,
                 .units = "people",
                 .long_name = id + " fighters at the end",
                 .values = rows.fighters[f]});
  }
  return c;
}

}  // namespace

void prepare_directory(const fs::path& dir, const SweepSpec& spec) {
  fs::create_directories(dir / "runs");
  const fs::path copy = dir / kSweepCopy;
  if (!fs::exists(copy)) {
    io::write_file_safely(copy, spec.source_text, false);
    return;
  }
  if (read_text(copy) != spec.source_text) {
    const io::SourceLocation where{std::make_shared<const std::string>(copy.string()), 0, 0};
    throw io::InputError(where, "",
                         "this directory holds another sweep (its sweep file differs from " +
                             spec.file.string() + "); choose another -o directory");
  }
}

std::optional<io::RunRecord> finished_record(const fs::path& dir, const PlannedRun& run) {
  auto record = io::read_record(dir / record_file(run.run));
  if (!record || record->run != run.run || record->seed != run.seed) return std::nullopt;
  if (record->status == io::kFailed) return record;
  std::error_code ec;
  const auto size = fs::file_size(dir / run.file, ec);
  if (ec || size != record->file_bytes) return std::nullopt;  // gone or cut short: redo
  return record;
}

IndexCounts write_index(const fs::path& dir, const SweepSpec& spec, const Plan& plan) {
  Rows rows;
  IndexCounts counts;
  for (const PlannedRun& run : plan.runs) {
    const auto record = finished_record(dir, run);
    rows.add(run, record);
    if (!record) {
      ++counts.missing;
    } else if (record->status == io::kFailed) {
      ++counts.failed;
    } else {
      ++counts.complete;
    }
  }
  io::TableAttributes attributes = {
      {"format_version", std::int64_t{1}},
      {"aidflow_version", std::string(AIDFLOW_VERSION)},
      {"git_commit", std::string(AIDFLOW_GIT_COMMIT)},
      {"sweep_name", spec.name},
      {"design", std::string(design_name(spec.design.kind))},
      {"points", plan.points},
      {"replicates", std::int64_t{spec.replicates}},
      {"seed", static_cast<std::int64_t>(spec.seed)},
      {"runs", static_cast<std::int64_t>(plan.runs.size())},
      {"runs_complete", counts.complete},
      {"runs_failed", counts.failed},
      {"runs_missing", counts.missing},
      {"status", std::string(counts.missing == 0 ? "complete" : "partial")},
      {"sweep",
       spec.source_text.size() < 32768 ? spec.source_text : std::string("(see sweep.yaml)")}};
  io::write_table(dir / kIndex, "run", columns_of(rows, plan), attributes);
  return counts;
}

}  // namespace aidflow::sweep
