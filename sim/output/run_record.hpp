#pragma once
// A run's record: what it was (label, seed, place in a sweep), how it ended (status, message, wall
// time, file size) and its headline figures. Written as a small JSON file: `aidflow run
// --summary-json` writes one, a sweep writes one beside each run file and builds its index from
// them. Written under a temporary name and renamed, so a record that exists is whole.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model/record/summary.hpp"

namespace aidflow::output {

struct RunRecord {
  std::int64_t run = -1, point = -1, replicate = -1;  // place in a sweep; -1 for a single run
  std::string label, scenario, output;                // output: the run file, as given
  std::string status;                                 // "complete" or "failed"
  std::string message;                                // why a failed run failed
  std::uint64_t seed = 0;
  int steps = 0;
  double wall_seconds = 0.0;
  std::uintmax_t file_bytes = 0;  // size of the complete run file: a changed size is not trusted
  // In a sweep: of the sweep's inputs and this run's overrides, and of the run file's bytes, so a
  // record of other inputs, or a file replaced or damaged, is not trusted. Empty for a single run.
  std::string fingerprint, file_fingerprint;
  std::vector<std::string> factions;  // ids, in the order of the per-faction figures
  model::RunSummary summary;
};

inline const std::string kComplete = "complete";
inline const std::string kFailed = "failed";

std::string to_json(const RunRecord& record);

// Writes `record` to `path` as an output::SafeFile; an existing file is replaced only if `replace`
// (else OutputPathError).
void write_record(const std::filesystem::path& path, const RunRecord& record, bool replace);

// The record at `path`, or nothing if it is missing or not a whole record.
std::optional<RunRecord> read_record(const std::filesystem::path& path);

// The same from JSON text; throws std::runtime_error on text that is not a record.
RunRecord parse_record(const std::string& text);

}  // namespace aidflow::output
