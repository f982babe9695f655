#include "sweep/sweep_dir.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "aidflow_file_format.hpp"
#include "aidflow_version.hpp"
#include "output/safe_file.hpp"
#include "output/table_file.hpp"
#include "scenario/input_error.hpp"
#include "sweep/fingerprint.hpp"

namespace aidflow::sweep {
namespace {

namespace fs = std::filesystem;
using output::TableColumn;

// netCDF's default int64 fill: readers show it as missing (a run that failed or has not run).
constexpr std::int64_t kMissing = -9223372036854775806LL;
const std::string kCents = kMoneyUnits;

// The index's own columns (besides each parameter's and the design's coordinates), and the
// prefixes of its per-faction columns.
const std::vector<std::string> kRunColumns = {
    "run", "point", "replicate", "seed", "path", "status", "message", "label", "wall_seconds"};
const std::vector<std::string> kMoneyColumns = {"disbursed", "delivered", "overhead",
                                                "counter_terrorism", "diverted"};
const std::vector<std::string> kFactionPrefixes = {"diverted_", "treasury_", "fighters_"};

scenario::SourceLocation at_file(const fs::path& file) {
  return {std::make_shared<const std::string>(file.string()), 0, 0};
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A block of the index's rows, collected from the records, then turned into columns.
struct Rows {
  std::vector<std::int64_t> point, replicate, seed;
  std::vector<std::string> path, status, message, label;
  std::vector<double> wall;
  std::vector<std::vector<std::int64_t>> money =
      std::vector<std::vector<std::int64_t>>(kMoneyColumns.size());
  std::vector<TableColumn> point_columns;  // a parameter's value or design coordinate per run
  std::vector<std::string> factions;       // of the sweep's first complete run
  std::vector<std::vector<std::int64_t>> diverted_by, treasury;
  std::vector<std::vector<double>> fighters;

  Rows(const Plan& plan, std::vector<std::string> faction_ids)
      : factions(std::move(faction_ids)),
        diverted_by(factions.size()),
        treasury(factions.size()),
        fighters(factions.size()) {
    for (const PointColumn& p : plan.columns()) {
      TableColumn column{.name = p.name, .long_name = "sweep parameter"};
      if (p.kind == PointColumn::Kind::Coordinate) {
        column.values = std::vector<std::int64_t>();
        column.long_name = "design coordinate";
      } else if (p.kind == PointColumn::Kind::Number) {
        column.values = std::vector<double>();
      } else {
        column.values = std::vector<std::string>();
      }
      point_columns.push_back(std::move(column));
    }
  }

  void add(const PlannedRun& run, const std::optional<output::RunRecord>& record,
           const PointValues& at) {
    add_point(at);
    point.push_back(run.point);
    replicate.push_back(run.replicate);
    seed.push_back(static_cast<std::int64_t>(run.seed));
    path.push_back(run.file);
    label.push_back(run.label);
    status.push_back(record ? record->status : "missing");
    message.push_back(record ? record->message : "");
    const bool complete = record && record->status == output::kComplete;
    wall.push_back(record ? record->wall_seconds : std::nan(""));
    const model::RunSummary* s = complete ? &record->summary : nullptr;
    const std::int64_t values[] = {s ? s->disbursed : kMissing, s ? s->delivered : kMissing,
                                   s ? s->overhead : kMissing, s ? s->counter_terrorism : kMissing,
                                   s ? s->diverted : kMissing};
    for (std::size_t i = 0; i < money.size(); ++i) money[i].push_back(values[i]);
    for (std::size_t f = 0; f < factions.size(); ++f) {
      const std::size_t i = complete ? faction_index(*record, factions[f]) : SIZE_MAX;
      const bool has = i != SIZE_MAX;
      diverted_by[f].push_back(has ? s->diverted_by_faction[i] : kMissing);
      treasury[f].push_back(has ? s->treasury[i] : kMissing);
      fighters[f].push_back(has ? s->fighters[i] : std::nan(""));
    }
  }

  void add_point(const PointValues& at) {
    std::size_t parameter = 0, coordinate = 0;
    for (TableColumn& column : point_columns) {
      if (auto* numbers = std::get_if<std::vector<double>>(&column.values)) {
        numbers->push_back(at.levels[parameter++].number);
      } else if (auto* labels = std::get_if<std::vector<std::string>>(&column.values)) {
        labels->push_back(at.levels[parameter++].label);
      } else {
        std::get<std::vector<std::int64_t>>(column.values).push_back(at.coordinates[coordinate++]);
      }
    }
  }

  static std::size_t faction_index(const output::RunRecord& record, const std::string& id) {
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

std::vector<TableColumn> columns_of(const Rows& rows) {
  std::vector<TableColumn> c;
  c.push_back({.name = "point", .long_name = "design point", .values = rows.point});
  c.push_back({.name = "replicate",
               .long_name = "replicate (same seed at every point)",
               .values = rows.replicate});
  c.push_back({.name = "seed", .long_name = "run.seed of the run", .values = rows.seed});
  c.insert(c.end(), rows.point_columns.begin(), rows.point_columns.end());
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
        money_column(kMoneyColumns[i], rows.money[i], kMoneyColumns[i] + " aid, run total"));
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

// -o as a directory to sweep into: refused if empty, a file, or impossible to create, in one
// line naming it (the file system library's own message is two paths and a code).
void create_sweep_directory(const fs::path& dir) {
  if (dir.empty()) throw output::OutputPathError("-o: expected a directory name, got \"\"");
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    throw output::OutputPathError("-o " + dir.string() +
                                  " is a file, not a directory; give the directory to sweep into");
  }
  fs::create_directories(dir / "runs", ec);
  if (ec) {
    throw output::OutputPathError("-o " + dir.string() +
                                  ": cannot create the sweep directory: " + ec.message());
  }
}

std::string inputs_text(const std::vector<InputFile>& inputs) {
  std::string text =
      "# The files this sweep read, with the fingerprints of their bytes: a resume, shard or merge "
      "with\n# other inputs is refused.\n";
  for (const InputFile& input : inputs) {
    text += input.fingerprint + " " + input.role + ": " + input.path.string() + "\n";
  }
  return text;
}

// The first difference between the inputs a directory's sweep began with and these, if any.
void check_same_inputs(const fs::path& dir, const SweepSpec& spec) {
  const std::vector<InputFile> recorded = recorded_inputs(dir);
  const std::vector<InputFile>& now = spec.inputs;
  const std::string since = "since the sweep in " + dir.string() + " began (" +
                            (dir / kInputs).string() + " lists what it read); ";
  const std::string fix =
      "a resume or shard must read the same inputs: restore it, or sweep into another directory";
  for (std::size_t i = 0; i < std::max(recorded.size(), now.size()); ++i) {
    if (i >= now.size()) {
      throw scenario::InputError(
          at_file(recorded[i].path), "",
          "no longer read (the " + recorded[i].role + " was) " + since + fix);
    }
    if (i >= recorded.size() || recorded[i].role != now[i].role) {
      throw scenario::InputError(at_file(now[i].path), "",
                                 "read now as the " + now[i].role + " but not " + since + fix);
    }
    if (recorded[i].fingerprint != now[i].fingerprint) {
      throw scenario::InputError(at_file(now[i].path), "", "changed " + since + fix);
    }
  }
}

// The OFD lock (F_OFD_SETLK: per open file, so threads and forks cannot confuse it) on `bytes`
// bytes from `start`; false if another process holds a conflicting one, true where the file
// system has no locks.
bool try_lock(int fd, short type, off_t start) {
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  lock.l_start = start;
  lock.l_len = 1;
  if (::fcntl(fd, F_OFD_SETLK, &lock) == 0) return true;
  return errno != EAGAIN && errno != EACCES;
}

}  // namespace

bool is_index_column(const std::string& name) {
  const auto is = [&](const char* column) { return name == column; };
  return std::find(kRunColumns.begin(), kRunColumns.end(), name) != kRunColumns.end() ||
         std::find(kMoneyColumns.begin(), kMoneyColumns.end(), name) != kMoneyColumns.end() ||
         std::any_of(kFactionPrefixes.begin(), kFactionPrefixes.end(),
                     [&](const std::string& prefix) { return name.starts_with(prefix); }) ||
         std::any_of(std::begin(kSobolColumns), std::end(kSobolColumns), is) ||
         std::any_of(std::begin(kMorrisColumns), std::end(kMorrisColumns), is);
}

// Byte 0 of DIR/.lock: written by the whole sweep, read by each slice; slice K of N also writes
// a byte of its own, one for every (K, N).
DirectoryLock::DirectoryLock(const fs::path& dir, int slice, int slices) {
  create_sweep_directory(dir);
  const fs::path file = dir / ".lock";
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw output::OutputPathError("-o " + dir.string() + ": cannot create " + file.string() + ": " +
                                  std::strerror(errno));
  }
  const bool whole = slices == 1;
  const off_t own = 1 + static_cast<off_t>(slices) * (slices - 1) / 2 + (slice - 1);
  if (!try_lock(fd_, whole ? F_WRLCK : F_RDLCK, 0) || (!whole && !try_lock(fd_, F_WRLCK, own))) {
    ::close(fd_);
    fd_ = -1;
    throw output::OutputPathError(
        "-o " + dir.string() + ": another aidflow sweep is running into this directory" +
        (whole ? "" : " as shard " + std::to_string(slice) + "/" + std::to_string(slices)) +
        "; wait for it to end, or sweep into another directory");
  }
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);
}

void prepare_directory(const fs::path& dir, const SweepSpec& spec) {
  output::remove_stale_temporaries_in(dir);
  output::remove_stale_temporaries_in(dir / "runs");
  const fs::path inputs = dir / kInputs;
  if (fs::exists(inputs)) check_same_inputs(dir, spec);
  const fs::path copy = dir / kSweepCopy;
  if (!output::write_file_safely(copy, spec.source_text, false) &&
      read_text(copy) != spec.source_text) {
    throw scenario::InputError(at_file(copy), "",
                               "this directory holds another sweep (its sweep file differs from " +
                                   spec.file.string() + "); choose another -o directory");
  }
  // Shards starting together: the first to rename its list wins, the others compare with it.
  if (!output::write_file_safely(inputs, inputs_text(spec.inputs), false)) {
    check_same_inputs(dir, spec);
  }
}

std::vector<InputFile> recorded_inputs(const fs::path& dir) {
  std::vector<InputFile> inputs;
  std::ifstream in(dir / kInputs);
  for (std::string line; std::getline(in, line);) {
    const auto colon = line.find(": ");
    if (line.starts_with("#") || line.size() < 18 || colon == std::string::npos) continue;
    inputs.push_back({.role = line.substr(17, colon - 17),
                      .path = line.substr(colon + 2),
                      .fingerprint = line.substr(0, 16)});
  }
  return inputs;
}

std::vector<bool> recorded_runs(const fs::path& dir, std::int64_t runs) {
  std::vector<bool> recorded(static_cast<std::size_t>(runs));
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir / "runs", ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("run-") || !name.ends_with(".json")) continue;
    std::int64_t run = -1;
    const char* first = name.data() + 4;
    const char* last = name.data() + name.size() - 5;
    const auto [end, error] = std::from_chars(first, last, run);
    if (error == std::errc() && end == last && run >= 0 && run < runs &&
        name == record_file(run).substr(5)) {
      recorded[static_cast<std::size_t>(run)] = true;
    }
  }
  return recorded;
}

std::optional<output::RunRecord> finished_record(const fs::path& dir, const PlannedRun& run) {
  auto record = output::read_record(dir / record_file(run.run));
  // A record of another run, another sweep or other inputs (copied in, left from before) is not
  // this run's: the run is redone.
  if (!record || record->run != run.run || record->point != run.point ||
      record->replicate != run.replicate || record->seed != run.seed ||
      record->label != run.label || record->fingerprint != run.fingerprint) {
    return std::nullopt;
  }
  if (record->status == output::kFailed) return record;
  std::error_code ec;
  const auto size = fs::file_size(dir / run.file, ec);
  if (ec || size != record->file_bytes) return std::nullopt;  // gone or cut short: redo
  if (fingerprint_of_file(dir / run.file) != record->file_fingerprint) return std::nullopt;
  return record;
}

namespace {

constexpr std::int64_t kIndexBlock = 65536;  // rows of the index held at a time

// The factions of the sweep's first complete run: the index's per-faction columns.
std::vector<std::string> index_factions(const fs::path& dir, const Plan& plan,
                                        const std::vector<bool>& recorded) {
  for (std::int64_t r = 0; r < plan.runs(); ++r) {
    if (!recorded[static_cast<std::size_t>(r)]) continue;
    const auto record = finished_record(dir, plan.run(r));
    if (record && record->status == output::kComplete) return record->factions;
  }
  return {};
}

}  // namespace

IndexCounts write_index(const fs::path& dir, const SweepSpec& spec, const Plan& plan) {
  const std::vector<bool> recorded = recorded_runs(dir, plan.runs());
  const std::vector<std::string> factions = index_factions(dir, plan, recorded);
  output::TableWriter index(dir / kIndex, "run");
  IndexCounts counts;
  std::optional<PointValues> at;
  for (std::int64_t first = 0; first < plan.runs(); first += kIndexBlock) {
    Rows rows(plan, factions);
    for (std::int64_t r = first; r < std::min(plan.runs(), first + kIndexBlock); ++r) {
      const PlannedRun run = plan.run(r);
      if (!at || run.replicate == 0) at = plan.point(run.point);  // runs of a point are together
      const auto record =
          recorded[static_cast<std::size_t>(r)] ? finished_record(dir, run) : std::nullopt;
      rows.add(run, record, *at);
      if (!record) {
        ++counts.missing;
      } else if (record->status == output::kFailed) {
        ++counts.failed;
      } else {
        ++counts.complete;
      }
    }
    index.append(columns_of(rows));
  }
  output::TableAttributes attributes = {
      {"format_version", std::int64_t{kSweepIndexFormatVersion}},
      {"aidflow_version", std::string(AIDFLOW_VERSION)},
      {"git_commit", std::string(AIDFLOW_GIT_COMMIT)},
      {"sweep_name", spec.name},
      {"design", std::string(design_name(spec.design.kind))},
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
  index.commit(attributes);
  return counts;
}

}  // namespace aidflow::sweep
