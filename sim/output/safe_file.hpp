#pragma once
// The one way aidflow writes a file (run files, run records, the summary JSON, a sweep's copy of
// its inputs and its index): first the rules an output must pass before any work starts, then the
// file is built under a temporary name beside its destination, synced to disk, renamed into place
// and the directory synced, so a file under its final name is always whole; on any failure the
// temporary file is removed. Temporary names always fit the system's limit on a file name, and a
// temporary file left by a process that is gone (SIGKILL, a crash) is removed by the next writer
// of the same destination.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace aidflow::output {

// A problem with an output path that the user can fix (an existing file without --force, one of
// the run's inputs, a device, a missing directory): exit code 2.
class OutputPathError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure while writing (a full disk, an I/O error, a library error): exit code 1. A sweep
// stops at one rather than recording the run as failed: the next run would fail the same way.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OutputRules {
  bool replace = false;                       // --force: an existing regular file may go
  std::vector<std::filesystem::path> inputs;  // files the run reads: never replaced
  std::vector<std::filesystem::path> others;  // the run's other outputs: never the same file
  std::uintmax_t expected_bytes = 0;          // less free space than this is refused
  std::string what = "output";                // how messages name it ("summary file")
};

// Refuses, with an OutputPathError, an output that is empty, a directory, a device or other
// non-regular file (even with replace), one of `inputs` or `others`, an existing file (or
// dangling link) without replace, or one in a directory that is missing, not writable or short
// of space.
void check_output(const std::filesystem::path& output, const OutputRules& rules);

// "output X already exists; choose another name or add --force to replace it".
OutputPathError already_exists(const std::filesystem::path& output,
                               const std::string& what = "output");

// Where a file is built before it is renamed to `destination`: ".NAME.partial-PID" beside it,
// shortened (with a hash) where that would exceed the system's limit on a file name.
std::filesystem::path temporary_path_for(const std::filesystem::path& destination);

// Removes temporary files of `destination` left by processes that are gone (killed, crashed).
// It reads the whole directory: a sweep calls remove_stale_temporaries_in once for its
// directories instead of once per file.
void remove_stale_temporaries(const std::filesystem::path& destination);

// Removes every temporary file in `directory` left by processes that are gone.
void remove_stale_temporaries_in(const std::filesystem::path& directory);

// A file on its way to `destination`. The writer creates temporary() (with HDF5, or through
// write()) and calls commit(); without commit() the temporary file is removed. Stale temporaries
// of the destination are the caller's to remove (remove_stale_temporaries), once per directory
// where many files are written.
class SafeFile {
 public:
  // Names the temporary file; creates nothing yet. Without `sync` the file and its directory are
  // not synced to disk before and after the rename (it is still renamed only when whole): for a
  // sweep's run files, which its journal vouches for by size and fingerprint, so a file a crash
  // of the machine lost is redone rather than trusted.
  SafeFile(std::filesystem::path destination, bool replace, bool sync = true);
  ~SafeFile();
  SafeFile(const SafeFile&) = delete;
  SafeFile& operator=(const SafeFile&) = delete;

  const std::filesystem::path& destination() const { return destination_; }
  const std::filesystem::path& temporary() const { return temporary_; }

  // Creates the temporary file with `text` as its whole content. Throws OutputError.
  void write(const std::string& text);

  // Syncs the temporary file, renames it to the destination and syncs the directory. Without
  // replace an existing destination is kept: returns false, having removed the temporary file.
  // Never renames over a device or other non-regular file. Throws OutputError.
  bool commit();

 private:
  std::filesystem::path destination_, temporary_;
  bool replace_ = false;
  bool sync_ = true;
  bool committed_ = false;
};

// A file that only grows, a whole record at a time (a sweep's journal, sweep/journal.hpp): created
// new (never one that exists), each append() one write of the whole record, or an OutputError
// after which the file is cut back to its last whole record. What append() wrote survives the
// process being killed; sync() makes it survive the machine crashing.
class AppendFile {
 public:
  explicit AppendFile(std::filesystem::path path);  // throws OutputError
  ~AppendFile();
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  void append(const std::string& record);
  void sync();  // the file and its directory

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

// `text` as the whole of `destination`, through a SafeFile; false if it exists and !replace.
bool write_file_safely(const std::filesystem::path& destination, const std::string& text,
                       bool replace);

}  // namespace aidflow::output
