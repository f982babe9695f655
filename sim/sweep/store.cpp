#include "sweep/store.hpp"

#include <algorithm>
#include <cmath>

#include "aidflow_version.hpp"

namespace aidflow::sweep {
namespace {

namespace fs = std::filesystem;
using output::TableColumn;

// netCDF's default int64 fill: readers show it as missing (a run that failed or has not run).
constexpr std::int64_t kMissing = -9223372036854775806LL;
constexpr std::int64_t kBlock = 65536;  // rows of the store held at a time

// The store's own coordinates along `run` (besides each parameter's and the design's).
const std::vector<std::string> kRunColumns = {
    "run", "point", "replicate", "seed", "status", "message", "label", "path", "wall_seconds"};
const std::vector<std::string> kTotals = {"disbursed", "delivered", "overhead", "counter_terrorism",
                                          "diverted"};
const std::vector<std::string> kFactionPrefixes = {"diverted_", "treasury_", "fighters_"};

std::string joined(const std::vector<std::string>& names, const char* separator) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : separator) + n;
  return out;
}

// What a parameter's coordinate says of where its values go.
std::string paths_of(const Parameter& p) {
  std::vector<std::string> out;
  for (const Target& t : p.targets) {
    std::string text = t.path;
    if (t.scale != 1.0) text += " * " + std::to_string(t.scale);
    if (t.offset != 0.0) text += " + " + std::to_string(t.offset);
    out.push_back(text);
  }
  return out.empty() ? "levels: sets of overrides" : joined(out, ", ");
}

TableColumn parameter_column(const PointColumn& p) {
  TableColumn c{.name = p.name};
  switch (p.kind) {
    case PointColumn::Kind::Coordinate:
      c.values = std::vector<std::int64_t>();
      c.long_name = "design coordinate";
      return c;
    case PointColumn::Kind::Number:
      c.values = std::vector<double>();
      break;
    case PointColumn::Kind::Boolean:
      c.values = std::vector<std::int8_t>();
      c.attributes.emplace_back("dtype", "bool");  // xarray reads int8 with this as booleans
      break;
    case PointColumn::Kind::Label:
      c.values = std::vector<std::string>();
      break;
  }
  c.long_name = "sweep parameter";
  c.attributes.emplace_back("paths", paths_of(*p.parameter));
  if (!p.parameter->group.empty()) c.attributes.emplace_back("group", p.parameter->group);
  return c;
}

// A block of the store's rows, filled run by run, then turned into columns.
class Rows {
 public:
  Rows(const SweepSpec& spec, const Plan& plan) : spec_(spec) {
    for (const PointColumn& p : plan.columns()) parameters_.push_back(parameter_column(p));
    for (const outcomes::Schema& s : spec.bound.schemas) {
      TableColumn c{.name = s.name, .units = s.units, .long_name = s.long_name};
      if (s.integer) {
        c.values = std::vector<std::int64_t>();
        c.fill_value = kMissing;
      } else {
        c.values = std::vector<double>();
      }
      c.attributes.emplace_back("expression", s.expression);
      if (s.axis) c.inner = s.axis->name;
      outcomes_.push_back(std::move(c));
    }
  }

  void add(const PlannedRun& run, const PointValues& at, const std::optional<Entry>& entry) {
    point_.push_back(run.point);
    replicate_.push_back(run.replicate);
    seed_.push_back(static_cast<std::int64_t>(run.seed));
    add_point(at);
    status_.push_back(!entry ? "missing" : entry->complete ? "complete" : "failed");
    message_.push_back(entry ? entry->message : "");
    label_.push_back(run.label);
    path_.push_back(entry ? entry->file : "");
    wall_.push_back(entry ? entry->wall_seconds : std::nan(""));
    const bool complete =
        entry && entry->complete && entry->outcomes.size() == spec_.bound.schemas.size();
    for (std::size_t o = 0; o < outcomes_.size(); ++o) {
      const outcomes::Schema& s = spec_.bound.schemas[o];
      const std::size_t width = s.axis ? s.axis->days.size() : 1;
      std::visit(
          [&](auto& column) {
            using T = typename std::decay_t<decltype(column)>::value_type;
            if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) {
              const auto* got =
                  complete ? std::get_if<std::vector<T>>(&entry->outcomes[o]) : nullptr;
              if (got && got->size() == width) {
                column.insert(column.end(), got->begin(), got->end());
              } else {
                column.insert(column.end(), width,
                              std::is_same_v<T, double> ? std::nan("") : static_cast<T>(kMissing));
              }
            }
          },
          outcomes_[o].values);
    }
  }

  std::vector<TableColumn> columns() {
    std::vector<TableColumn> c;
    c.push_back({.name = "point", .long_name = "design point", .values = point_});
    c.push_back({.name = "replicate",
                 .long_name = "replicate (same seed at every point)",
                 .values = replicate_});
    c.push_back({.name = "seed", .long_name = "run.seed of the run", .values = seed_});
    c.insert(c.end(), parameters_.begin(), parameters_.end());
    c.push_back({.name = "status", .long_name = "complete, failed or missing", .values = status_});
    c.push_back({.name = "message", .long_name = "why a failed run failed", .values = message_});
    c.push_back({.name = "label", .long_name = "run label", .values = label_});
    c.push_back({.name = "path",
                 .long_name = "run file, relative to the sweep directory (empty: not kept)",
                 .values = path_});
    c.push_back({.name = "wall_seconds",
                 .units = "s",
                 .long_name = "wall time of the run",
                 .values = wall_});
    std::vector<std::string> coordinates;
    for (const TableColumn& column : c) coordinates.push_back(column.name);
    const std::string list = joined(coordinates, " ");
    for (TableColumn& o : outcomes_) o.attributes.emplace_back("coordinates", list);
    c.insert(c.end(), outcomes_.begin(), outcomes_.end());
    return c;
  }

 private:
  void add_point(const PointValues& at) {
    std::size_t level = 0, coordinate = 0;
    for (TableColumn& column : parameters_) {
      if (auto* numbers = std::get_if<std::vector<double>>(&column.values)) {
        numbers->push_back(at.levels[level++].number);
      } else if (auto* flags = std::get_if<std::vector<std::int8_t>>(&column.values)) {
        flags->push_back(static_cast<std::int8_t>(at.levels[level++].number != 0.0));
      } else if (auto* labels = std::get_if<std::vector<std::string>>(&column.values)) {
        labels->push_back(at.levels[level++].label);
      } else {
        std::get<std::vector<std::int64_t>>(column.values).push_back(at.coordinates[coordinate++]);
      }
    }
  }

  const SweepSpec& spec_;
  std::vector<std::int64_t> point_, replicate_, seed_;
  std::vector<std::string> status_, message_, label_, path_;
  std::vector<double> wall_;
  std::vector<TableColumn> parameters_, outcomes_;
};

}  // namespace

bool is_store_coordinate(const std::string& name) {
  const auto is = [&](const char* column) { return name == column; };
  return std::find(kRunColumns.begin(), kRunColumns.end(), name) != kRunColumns.end() ||
         name == "time" || name == "year" ||
         std::any_of(std::begin(kSobolColumns), std::end(kSobolColumns), is) ||
         std::any_of(std::begin(kMorrisColumns), std::end(kMorrisColumns), is);
}

std::vector<TableColumn> store_columns(const SweepSpec& spec, const Plan& plan, std::int64_t first,
                                       std::int64_t last, const EntryOf& entry_of,
                                       StoreCounts& counts) {
  Rows rows(spec, plan);
  std::optional<PointValues> at;
  for (std::int64_t r = first; r < last; ++r) {
    const PlannedRun run = plan.run(r);
    if (!at || run.replicate == 0 || r == first)
      at = plan.point(run.point);  // a point's runs sit together
    const std::optional<Entry> entry = entry_of(run);
    rows.add(run, *at, entry);
    if (!entry) {
      ++counts.missing;
    } else if (entry->complete) {
      ++counts.complete;
    } else {
      ++counts.failed;
    }
  }
  return rows.columns();
}

std::vector<output::TableDimension> store_dimensions(const SweepSpec& spec) {
  std::vector<output::TableDimension> out;
  for (const outcomes::Schema& s : spec.bound.schemas) {
    if (!s.axis) continue;
    const bool seen =
        std::any_of(out.begin(), out.end(), [&](const auto& d) { return d.name == s.axis->name; });
    if (seen) continue;
    out.push_back({.name = s.axis->name,
                   .values = s.axis->days,
                   .attributes = {{"units", "days since " + spec.start_date},
                                  {"calendar", "standard"},
                                  {"long_name", "date of the first step of each point"}}});
  }
  return out;
}

output::TableAttributes store_attributes(const SweepSpec& spec, const Plan& plan,
                                         const StoreCounts& counts) {
  std::vector<std::string> outcome_names;
  for (const outcomes::Schema& s : spec.bound.schemas) outcome_names.push_back(s.name);
  return {{"format_version", kStoreFormatVersion},
          {"aidflow_version", std::string(AIDFLOW_VERSION)},
          {"git_commit", std::string(AIDFLOW_GIT_COMMIT)},
          {"sweep_name", spec.name},
          {"design", std::string(design_name(spec.design.kind))},
          {"design_axes", joined(plan.axis_names(), " ")},
          {"outcomes", joined(outcome_names, " ")},
          {"points", plan.points()},
          {"replicates", std::int64_t{spec.replicates}},
          {"seed", static_cast<std::int64_t>(spec.seed)},
          {"runs", plan.runs()},
          {"runs_complete", counts.complete},
          {"runs_failed", counts.failed},
          {"runs_missing", counts.missing},
          {"status", std::string(counts.missing == 0 ? "complete" : "partial")},
          {"sweep",
           spec.source_text.size() < 32768 ? spec.source_text : std::string("(see sweep.yaml)")}};
}

StoreCounts write_store(const fs::path& dir, const SweepSpec& spec, const Plan& plan) {
  const Journal journal(dir);
  output::TableWriter store(dir / kStore, "run", store_dimensions(spec));
  StoreCounts counts;
  const EntryOf entry_of = [&](const PlannedRun& run) -> std::optional<Entry> {
    return journal.has(run.run) ? journal.finished(run) : std::nullopt;
  };
  for (std::int64_t first = 0; first < plan.runs(); first += kBlock) {
    store.append(
        store_columns(spec, plan, first, std::min(plan.runs(), first + kBlock), entry_of, counts));
  }
  if (plan.runs() == 0) store.append(store_columns(spec, plan, 0, 0, entry_of, counts));
  store.commit(store_attributes(spec, plan, counts));
  return counts;
}

}  // namespace aidflow::sweep
