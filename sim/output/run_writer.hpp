#pragma once
// Writes one run to a netCDF-4-compatible HDF5 file (layout in docs/OUTPUT.md): series along steps,
// an optional event table, variables written at the end. The file is built as an output::SafeFile
// (io/safe_file.hpp): under a temporary name beside the destination, renamed only by commit()
// after the last byte is flushed to disk, so a run that dies leaves no file that looks finished.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "aidflow_file_format.hpp"
#include "engine/series.hpp"
#include "output/safe_file.hpp"

namespace aidflow::output {

struct RunMetadata {
  std::string scenario_name;
  std::string scenario_file;
  std::string scenario_text;  // the effective scenario (after extends and --set), as YAML
  std::string label;          // what the run is called: --label, or the name plus its overrides
  std::vector<std::string> overrides;  // as given (--set a=1, --seed 7), in order
  std::string command_line;
  std::string start_date;  // of the simulated calendar, YYYY-MM-DD
  std::uint64_t seed = 0;
  int threads = 0;            // worker threads the run could use
  int threads_requested = 0;  // --threads as given (0: not given, every core)
  int steps = 0;
};

// 2: `time` dimension, display names, CF attributes; 3: random streams keyed by identity and
// lists in canonical order (results change), the ledger by sector (docs/OUTPUT.md).
inline constexpr int kOutputFormatVersion = kRunFormatVersion;  // file_format.json

struct WriterOptions {
  int chunk_steps = 52;     // steps buffered and written at a time (the chunk length along step)
  bool overwrite = false;   // replace an existing destination on commit (--force)
  int chunk_events = 1024;  // events buffered and written at a time (the chunk length along event)
  // Remove temporary files of the destination left by dead runs (a sweep does it once for its
  // whole directory instead).
  bool remove_stale = true;
  bool sync = true;  // sync the file to disk before its rename (output::SafeFile)
  // Wait for the file to be created before the run steps, so that an unwritable destination is
  // reported before any work. A sweep, whose directory is checked once, lets its runs' files be
  // created on the HDF5 thread while the runs build and step (a failure then comes at the next
  // chunk or at commit, with the same OutputError).
  bool open_before_steps = true;
};

// A variable written at the end of a run with no dimension, or along a dated axis of its own (a
// run's outcomes, outcomes/bind.hpp): `axis` names the dimension, `days` its dates as days since
// the run's start date.
struct DatedVariable {
  engine::SeriesSpec spec;  // group, name, type, units, long_name (dims unused)
  std::string axis;         // empty: one value
  std::vector<std::int64_t> days;
  engine::SeriesRow values;
};

class RunWriter final : public engine::SeriesSink {
 public:
  RunWriter(std::filesystem::path destination, std::vector<engine::Dimension> dimensions,
            std::vector<engine::SeriesSpec> series, RunMetadata metadata,
            WriterOptions options = {}, engine::EventTableSpec events = {});
  ~RunWriter() override;  // without commit(), the temporary file is removed

  // Rows arrive one per series per step, in series order.
  void append(std::size_t series, engine::SeriesRow row) override;

  // One event (any number per step). Throws std::invalid_argument, naming the column, for a row
  // that does not match the event table spec, and std::logic_error if the spec has no columns.
  void append_event(engine::EventRow row) override;

  // Writes what is buffered, `finals` and `dated`, marks the file complete, closes, syncs and
  // renames it.
  void commit(std::vector<engine::FinalVariable> finals, std::vector<DatedVariable> dated = {});

  const std::filesystem::path& temporary_path() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace aidflow::output
