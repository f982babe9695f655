#include "sweep/sweep_dir.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "output/safe_file.hpp"
#include "scenario/input_error.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/yaml_source.hpp"
#include "sweep/ensemble.hpp"
#include "sweep/fingerprint.hpp"

namespace aidflow::sweep {
namespace {

namespace fs = std::filesystem;

scenario::SourceLocation at_file(const fs::path& file) {
  return {std::make_shared<const std::string>(file.string()), 0, 0};
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
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
  fs::create_directories(dir, ec);
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

namespace {

// `text` as DIR/NAME, or the same text there already; else this is another sweep's directory.
void keep_copy(const fs::path& copy, const std::string& text, const SweepSpec& spec) {
  if (!output::write_file_safely(copy, text, false) && read_text(copy) != text) {
    throw scenario::InputError(at_file(copy), "",
                               "this directory holds another sweep (its " +
                                   copy.filename().string() + " differs from " +
                                   spec.file.string() + "'s); choose another -o directory");
  }
}

}  // namespace

void prepare_directory(const fs::path& dir, const SweepSpec& spec) {
  output::remove_stale_temporaries_in(dir);
  output::remove_stale_temporaries_in(dir / kRunsDirectory);
  const fs::path inputs = dir / kInputs;
  if (fs::exists(inputs)) check_same_inputs(dir, spec);
  keep_copy(dir / kSweepCopy, spec.source_text, spec);
  scenario::SourceNode base = spec.base;  // read back from DIR: its tables named absolutely
  scenario::pin_table_paths(base);
  keep_copy(dir / kScenarioCopy, scenario::to_yaml(base), spec);
  if (!spec.ensemble_text.empty()) keep_copy(dir / kEnsembleCopy, spec.ensemble_text, spec);
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

scenario::SourceNode recorded_scenario(const fs::path& dir) {
  const fs::path copy = dir / kScenarioCopy;
  if (!fs::is_regular_file(copy)) {
    throw scenario::InputError(at_file(copy), "",
                               "missing: the sweep's base scenario as read (a sweep directory "
                               "made by an older aidflow? run the sweep again)");
  }
  return scenario::parse_yaml(read_text(copy), copy.string());
}

}  // namespace aidflow::sweep
