#pragma once
// A sweep's journal (docs/SWEEPS.md): how each run ended and its outcomes, appended as it ends to
// a file of the process that ran it (DIR/journal/*.bin), so a sweep of 100,000 runs keeps a few
// files, not 100,000 records. Each entry is one write of a length, a checksum and the entry: what
// was appended survives `kill -9`; a process's journal is synced at most once a second (by a
// thread of its own, so that no worker waits for the disk between runs) and when it ends, and an
// entry cut short by a crash of the machine (or damaged) ends its file for every reader, so nothing
// half-written is believed. No file is ever appended to by two processes or rewritten: a resume,
// another shard or MPI rank adds files of its own.
//
// A run is done when an entry describes this run of these inputs (run number, point, replicate,
// seed and the fingerprint of the inputs and the run's overrides) and, if it kept a run file,
// that file has the size and fingerprint the entry states. The store (sweep/store.hpp) is
// written from the entries that are.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "outcomes/bind.hpp"
#include "output/safe_file.hpp"
#include "sweep/plan.hpp"

namespace aidflow::sweep {

inline constexpr const char* kJournalDirectory = "journal";

struct Entry {
  std::int64_t run = -1, point = -1, replicate = -1;
  std::uint64_t seed = 0;
  std::string fingerprint;  // the planned run's (PlannedRun::fingerprint)
  bool complete = false;    // else failed
  std::string message;      // why a failed run failed
  double wall_seconds = 0.0;
  std::string file;  // the run file, relative to the sweep directory; empty when none was kept
  std::uint64_t file_bytes = 0;
  std::string file_fingerprint;
  std::vector<outcomes::Values> outcomes;  // of a complete run, in the store's order
};

// The entry as journal bytes, and back (nothing for bytes that are not a whole entry).
std::string encode(const Entry& entry);
std::optional<Entry> decode(const std::string& bytes);

// This process's journal, created on the first append; appends from any thread. What is
// appended is synced about once a second by the journal's own thread, and by finish().
class JournalWriter {
 public:
  explicit JournalWriter(std::filesystem::path directory);
  ~JournalWriter();  // syncs what was appended (errors are the caller's to see with finish())
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  // Throws output::OutputError, also for a sync of earlier entries that failed.
  void append(const Entry& entry);
  void finish();  // syncs everything appended, now: after the last append (or each, for MPI)

 private:
  void sync_every_second();  // the syncing thread
  void throw_sync_error() const;

  std::filesystem::path directory_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::unique_ptr<output::AppendFile> file_;
  bool dirty_ = false;    // appended since the last sync began
  bool syncing_ = false;  // the thread is syncing, without the lock
  bool stopping_ = false;
  std::exception_ptr sync_error_;
  std::thread syncer_;  // started with the file
};

// Every whole entry of a directory's journals, by run; read once when a sweep starts, resumes or
// is merged. Holds where each entry is, not its outcomes (read again when the store is written).
class Journal {
 public:
  explicit Journal(const std::filesystem::path& sweep_directory);

  // The entry that shows `run` done (complete with its file intact, if it kept one; else failed),
  // preferring a complete entry; nothing if none does.
  std::optional<Entry> finished(const PlannedRun& run) const;

  bool has(std::int64_t run) const;  // some entry names this run

 private:
  struct Where {
    std::int64_t run;
    std::uint32_t file;
    std::uint64_t offset;
  };
  std::optional<Entry> read(const Where& where) const;

  std::filesystem::path directory_;
  std::vector<std::filesystem::path> files_;
  std::vector<Where> entries_;  // sorted by run, then by file and offset
};

}  // namespace aidflow::sweep
