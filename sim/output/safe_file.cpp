#include "output/safe_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>

namespace aidflow::output {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPartial = ".partial-";
constexpr std::size_t kMaxPidDigits = 10;  // any 32-bit pid

std::string reason() {
  return std::strerror(errno);
}

fs::path parent_of(const fs::path& file) {
  return file.has_parent_path() ? file.parent_path() : fs::path(".");
}

// FNV-1a: a stable hash, so every writer of the same destination computes the same stem.
std::uint32_t name_hash(const std::string& name) {
  std::uint32_t hash = 2166136261u;
  for (const char c : name) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  return hash;
}

// What every temporary name for `name` starts with: ".NAME", or, when that would leave no room
// for ".partial-PID" within NAME_MAX bytes, a cut of NAME (whole UTF-8 characters) plus a hash
// of all of it, so two long names that share a beginning still differ.
std::string temporary_stem(const std::string& name) {
  const std::size_t room = NAME_MAX - kPartial.size() - kMaxPidDigits;
  std::string stem = ".";  // built by appending: GCC 12 misreports "." + ... under -Wrestrict
  if (1 + name.size() <= room) return stem.append(name);
  char hash[10];
  std::snprintf(hash, sizeof hash, "~%08x", name_hash(name));
  std::size_t keep = room - 1 - std::strlen(hash);
  while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80) --keep;
  return stem.append(name, 0, keep).append(hash);
}

// The pid in "STEM.partial-PID" if `entry` is a temporary file of the same output, else 0.
pid_t partial_owner(const std::string& entry, const std::string& stem) {
  if (!entry.starts_with(stem) || entry.compare(stem.size(), kPartial.size(), kPartial) != 0) {
    return 0;
  }
  const char* first = entry.data() + stem.size() + kPartial.size();
  const char* last = entry.data() + entry.size();
  pid_t pid = 0;
  const auto [end, ec] = std::from_chars(first, last, pid);
  return ec == std::errc() && end == last && first != last ? pid : 0;
}

// A writer that is gone: no such process here, and nobody holds the lock HDF5 takes on a file it
// writes (which also covers a writer on another machine sharing the directory, where locks work).
bool abandoned(const fs::path& file, pid_t pid) {
  if (::kill(pid, 0) == 0 || errno != ESRCH) return false;
  const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  const bool unlocked = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
  ::close(fd);
  return unlocked;
}

// Removes the entries of `directory` whose owner (a pid, 0 for none) is gone.
template <class Owner>
void remove_stale(const fs::path& directory, Owner owner) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    const pid_t pid = owner(entry.path().filename().string());
    if (pid > 0 && (pid == ::getpid() || abandoned(entry.path(), pid))) {
      fs::remove(entry.path(), ec);  // not ours to remove (another user's): leave it
    }
  }
}

void sync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0)
    throw OutputError("cannot open " + path.string() + " to flush it to disk: " + reason());
  const int status = ::fsync(fd);
  const std::string why = status != 0 ? reason() : "";
  ::close(fd);
  if (status != 0) throw OutputError("cannot flush " + path.string() + " to disk: " + why);
}

// What may stand at an output's name and be replaced by a rename: nothing, a regular file, or a
// symbolic link that leads to nothing or to a regular file. A rename over a device node (as root,
// /dev/full) or over a link to a pipe (/dev/stdout) would replace it, not write into it.
bool replaceable(const fs::path& output) {
  std::error_code ec;
  const fs::file_status entry = fs::symlink_status(output, ec);
  if (!fs::exists(entry) || fs::is_regular_file(entry)) return true;
  if (!fs::is_symlink(entry)) return false;
  const fs::file_status target = fs::status(output, ec);
  return !fs::exists(target) || fs::is_regular_file(target);
}

OutputPathError not_a_regular_file(const fs::path& output, const std::string& what) {
  return OutputPathError(what + " " + output.string() +
                         " is not a regular file (a device, pipe or socket); give the name of a "
                         "file to create");
}

// Two names of one file, whether or not it exists yet.
bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::equivalent(a, b, ec)) return true;
  const fs::path left = fs::weakly_canonical(fs::absolute(a, ec), ec);
  const fs::path right = fs::weakly_canonical(fs::absolute(b, ec), ec);
  return !left.empty() && left == right;
}

// Refuses an output that is one of the run's own inputs, even with --force: replacing the
// scenario with HDF5 destroys the only description of what ran.
void check_not_an_input(const fs::path& output, const OutputRules& rules) {
  for (const fs::path& input : rules.inputs) {
    std::error_code ec;
    if (fs::equivalent(output, input, ec)) {
      throw OutputPathError(rules.what + " " + output.string() +
                            " is one of the run's input files (" + input.string() +
                            "); write the result to another file");
    }
  }
  for (const fs::path& other : rules.others) {
    if (same_file(output, other)) {
      throw OutputPathError(rules.what + " " + output.string() +
                            " is the same file as another output of this run (" + other.string() +
                            "); give each output a name of its own");
    }
  }
}

// The nearest ancestor that exists tells a missing directory (mkdir -p helps) from a file in
// the way (it does not).
void check_parent_directory(const fs::path& parent) {
  std::error_code ec;
  if (fs::is_directory(parent, ec)) return;
  fs::path existing = parent;
  while (fs::status(existing, ec).type() == fs::file_type::not_found &&
         existing.has_parent_path()) {
    existing = existing.parent_path();
  }
  const fs::file_type type = fs::status(existing, ec).type();
  if (type != fs::file_type::not_found && type != fs::file_type::directory) {
    throw OutputPathError("output directory " + parent.string() + " cannot be created: " +
                          existing.string() + " is a file, not a directory");
  }
  throw OutputPathError("output directory " + parent.string() +
                        " does not exist; create it first (mkdir -p " + parent.string() + ")");
}

void check_room(const fs::path& parent, std::uintmax_t expected_bytes) {
  if (::access(parent.c_str(), W_OK | X_OK) != 0) {
    throw OutputPathError("output directory " + parent.string() + " is not writable");
  }
  std::error_code ec;
  const fs::space_info space = fs::space(parent, ec);
  if (!ec && space.available < expected_bytes) {
    throw OutputPathError(
        "output directory " + parent.string() + " has " + std::to_string(space.available >> 20) +
        " MiB free; this run needs about " + std::to_string((expected_bytes >> 20) + 1) + " MiB");
  }
}

}  // namespace

OutputPathError already_exists(const fs::path& output, const std::string& what) {
  return OutputPathError(what + " " + output.string() +
                         " already exists; choose another name or add --force to replace it");
}

void check_output(const fs::path& output, const OutputRules& rules) {
  const std::string shown = output.string();
  if (output.empty() || output.filename().empty()) {
    throw OutputPathError(rules.what + ": expected a file name, got \"" + shown + "\"");
  }
  std::error_code ec;
  if (fs::is_directory(output, ec)) {
    throw OutputPathError(rules.what + " " + shown + " is a directory; give a file name such as " +
                          (output / "run.h5").string());
  }
  check_not_an_input(output, rules);
  if (!replaceable(output)) throw not_a_regular_file(output, rules.what);
  // symlink_status: a dangling symbolic link is an existing entry that the final rename would
  // refuse to replace without --force (exists() follows the link and says no).
  if (fs::exists(fs::symlink_status(output, ec)) && !rules.replace) {
    throw already_exists(output, rules.what);
  }
  const fs::path parent = parent_of(output);
  check_parent_directory(parent);
  check_room(parent, rules.expected_bytes);
}

fs::path temporary_path_for(const fs::path& destination) {
  fs::path tmp = destination;
  std::string name = temporary_stem(destination.filename().string());
  name += kPartial;
  name += std::to_string(::getpid());
  tmp.replace_filename(name);
  return tmp;
}

// A leftover of an earlier process with our own pid goes too.
void remove_stale_temporaries(const fs::path& destination) {
  const std::string stem = temporary_stem(destination.filename().string());
  remove_stale(parent_of(destination),
               [&](const std::string& entry) { return partial_owner(entry, stem); });
}

void remove_stale_temporaries_in(const fs::path& directory) {
  remove_stale(directory, [](const std::string& entry) {
    const auto at = entry.rfind(kPartial);
    return entry.starts_with(".") && at != std::string::npos
               ? partial_owner(entry, entry.substr(0, at))
               : 0;
  });
}

SafeFile::SafeFile(fs::path destination, bool replace, bool sync)
    : destination_(std::move(destination)),
      temporary_(temporary_path_for(destination_)),
      replace_(replace),
      sync_(sync) {}

SafeFile::~SafeFile() {
  if (committed_) return;
  std::error_code ignored;
  fs::remove(temporary_, ignored);
}

void SafeFile::write(const std::string& text) {
  const int fd = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw OutputError("cannot create " + temporary_.string() + ": " + reason());
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = n < 0 ? reason() : "nothing written";
      ::close(fd);
      throw OutputError("cannot write " + destination_.string() + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0)
    throw OutputError("cannot write " + destination_.string() + ": " + reason());
}

bool SafeFile::commit() {
  if (sync_) sync_path(temporary_, O_RDONLY);
  if (!replaceable(destination_)) throw not_a_regular_file(destination_, "output");
  // Without replace, a file that appeared at the destination meanwhile is kept.
  const unsigned flags = replace_ ? 0u : RENAME_NOREPLACE;
  if (::renameat2(AT_FDCWD, temporary_.c_str(), AT_FDCWD, destination_.c_str(), flags) != 0) {
    if (errno == EEXIST && !replace_) return false;  // the destructor removes the temporary
    throw OutputError("cannot rename " + temporary_.string() + " to " + destination_.string() +
                      ": " + reason());
  }
  committed_ = true;
  if (sync_) sync_path(parent_of(destination_), O_RDONLY | O_DIRECTORY);
  return true;
}

bool write_file_safely(const fs::path& destination, const std::string& text, bool replace) {
  SafeFile file(destination, replace);
  file.write(text);
  return file.commit();
}

AppendFile::AppendFile(fs::path path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw OutputError("cannot create " + path_.string() + ": " + reason());
}

AppendFile::~AppendFile() {
  if (fd_ >= 0) ::close(fd_);
}

void AppendFile::append(const std::string& record) {
  std::size_t done = 0;
  while (done < record.size()) {
    const ssize_t n = ::write(fd_, record.data() + done, record.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = n < 0 ? reason() : "nothing written";
      // A record cut short would hide the ones after it from a reader: cut it off (a reader
      // also stops at a damaged record, should this fail too).
      if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
        // nothing more to do: a reader stops at the damaged record
      }
      throw OutputError("cannot write " + path_.string() + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  size_ += record.size();
}

void AppendFile::sync() {
  if (::fdatasync(fd_) != 0) throw OutputError("cannot sync " + path_.string() + ": " + reason());
  sync_path(parent_of(path_), O_RDONLY | O_DIRECTORY);
}

}  // namespace aidflow::output
