#include "sweep/journal.hpp"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "sweep/fingerprint.hpp"

namespace aidflow::sweep {
namespace {

namespace fs = std::filesystem;

constexpr char kMagic[4] = {'A', 'F', 'J', '1'};
constexpr std::size_t kHeaderBytes = 16;                // magic, payload length, checksum
constexpr std::uint32_t kMaxPayloadBytes = 256u << 20;  // a longer length is damage
constexpr std::chrono::seconds kSyncEvery{1};

// Fixed-width values in the machine's byte order: a journal is read back by the sweep that wrote
// it (or its shards and merge, on the same kind of machine).
class Writer {
 public:
  template <class T>
  void put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  void text(const std::string& s) {
    put(static_cast<std::uint32_t>(s.size()));
    bytes += s;
  }
  std::string bytes;
};

class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  template <class T>
  bool get(T& value) {
    if (bytes_.size() - at_ < sizeof value) return false;
    std::memcpy(&value, bytes_.data() + at_, sizeof value);
    at_ += sizeof value;
    return true;
  }
  bool text(std::string& s) {
    std::uint32_t n = 0;
    if (!get(n) || bytes_.size() - at_ < n) return false;
    s.assign(bytes_, at_, n);
    at_ += n;
    return true;
  }
  template <class T>
  bool values(std::vector<T>& out, std::uint32_t n) {
    if ((bytes_.size() - at_) / sizeof(T) < n) return false;
    out.resize(n);
    std::memcpy(out.data(), bytes_.data() + at_, n * sizeof(T));
    at_ += n * sizeof(T);
    return true;
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  const std::string& bytes_;
  std::size_t at_ = 0;
};

std::uint64_t checksum(const std::string& payload) {
  Fingerprint f;
  f.add(payload);
  return f.value();
}

// "HOST-PID-TIME.bin": no two processes (shards, ranks, resumes) share a journal file.
std::string unique_name() {
  char host[64] = "host";
  ::gethostname(host, sizeof host - 1);
  host[sizeof host - 1] = '\0';
  for (char* c = host; *c; ++c) {
    if (*c == '/' || *c == '.') *c = '_';
  }
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  char name[128];
  std::snprintf(name, sizeof name, "%s-%d-%llx.bin", host, static_cast<int>(::getpid()),
                static_cast<unsigned long long>(
                    std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()));
  return name;
}

}  // namespace

std::string encode(const Entry& e) {
  Writer w;
  w.put(e.run);
  w.put(e.point);
  w.put(e.replicate);
  w.put(e.seed);
  w.text(e.fingerprint);
  w.put(static_cast<std::uint8_t>(e.complete));
  w.text(e.message);
  w.put(e.wall_seconds);
  w.text(e.file);
  w.put(e.file_bytes);
  w.text(e.file_fingerprint);
  w.put(static_cast<std::uint32_t>(e.outcomes.size()));
  for (const outcomes::Values& v : e.outcomes) {
    std::visit(
        [&](const auto& values) {
          using T = typename std::decay_t<decltype(values)>::value_type;
          w.put(static_cast<std::uint8_t>(std::is_same_v<T, double>));
          w.put(static_cast<std::uint32_t>(values.size()));
          w.bytes.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
        },
        v);
  }
  std::string out(kMagic, sizeof kMagic);
  Writer header;
  header.put(static_cast<std::uint32_t>(w.bytes.size()));
  header.put(checksum(w.bytes));
  return out + header.bytes + w.bytes;
}

std::optional<Entry> decode(const std::string& payload) {
  Reader r(payload);
  Entry e;
  std::uint8_t complete = 0;
  std::uint32_t count = 0;
  if (!(r.get(e.run) && r.get(e.point) && r.get(e.replicate) && r.get(e.seed) &&
        r.text(e.fingerprint) && r.get(complete) && r.text(e.message) && r.get(e.wall_seconds) &&
        r.text(e.file) && r.get(e.file_bytes) && r.text(e.file_fingerprint) && r.get(count))) {
    return std::nullopt;
  }
  e.complete = complete == 1;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint8_t is_float = 0;
    std::uint32_t n = 0;
    if (!r.get(is_float) || !r.get(n)) return std::nullopt;
    if (is_float) {
      std::vector<double> v;
      if (!r.values(v, n)) return std::nullopt;
      e.outcomes.emplace_back(std::move(v));
    } else {
      std::vector<std::int64_t> v;
      if (!r.values(v, n)) return std::nullopt;
      e.outcomes.emplace_back(std::move(v));
    }
  }
  if (!r.done()) return std::nullopt;
  return e;
}

JournalWriter::JournalWriter(fs::path directory) : directory_(std::move(directory)) {}

JournalWriter::~JournalWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (syncer_.joinable()) syncer_.join();
  try {
    finish();
  } catch (...) {  // a destructor reports nothing; finish() would have
  }
}

void JournalWriter::throw_sync_error() const {
  if (sync_error_) std::rethrow_exception(sync_error_);
}

void JournalWriter::append(const Entry& entry) {
  const std::string bytes = encode(entry);
  std::lock_guard lock(mutex_);
  throw_sync_error();
  if (!file_) {
    const fs::path dir = directory_ / kJournalDirectory;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw output::OutputError("cannot create " + dir.string() + ": " + ec.message());
    file_ = std::make_unique<output::AppendFile>(dir / unique_name());
    syncer_ = std::thread([this] { sync_every_second(); });
  }
  file_->append(bytes);
  dirty_ = true;
}

// Waits a second, syncs what was appended meanwhile (without the lock: appends go on), and again
// until the writer ends. The first failure stops it; the next append or finish() throws it.
void JournalWriter::sync_every_second() {
  pthread_setname_np(pthread_self(), "journal-sync");  // what perf and top show for it
  std::unique_lock lock(mutex_);
  while (!stopping_ && !sync_error_) {
    changed_.wait_for(lock, kSyncEvery, [&] { return stopping_; });
    if (stopping_ || !dirty_) continue;
    dirty_ = false;
    syncing_ = true;
    lock.unlock();
    std::exception_ptr error;
    try {
      file_->sync();  // the file's descriptor and path never change: safe beside an append
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    syncing_ = false;
    sync_error_ = error;
    changed_.notify_all();
  }
}

void JournalWriter::finish() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !syncing_; });  // a sync begun before is not yet done
  throw_sync_error();
  if (file_ && dirty_) file_->sync();
  dirty_ = false;
}

Journal::Journal(const fs::path& sweep_directory) : directory_(sweep_directory) {
  std::error_code ec;
  for (const auto& item : fs::directory_iterator(sweep_directory / kJournalDirectory, ec)) {
    const std::string name = item.path().filename().string();
    if (!name.starts_with(".") && name.ends_with(".bin")) files_.push_back(item.path());
  }
  std::sort(files_.begin(), files_.end());
  for (std::uint32_t f = 0; f < files_.size(); ++f) {
    std::ifstream in(files_[f], std::ios::binary);
    std::uint64_t offset = 0;
    std::string header(kHeaderBytes, '\0'), payload;
    // An entry cut short or damaged ends the file: what follows cannot be trusted to start where
    // an entry starts.
    while (in.read(header.data(), kHeaderBytes)) {
      std::uint32_t bytes = 0;
      std::uint64_t sum = 0;
      std::memcpy(&bytes, header.data() + 4, sizeof bytes);
      std::memcpy(&sum, header.data() + 8, sizeof sum);
      if (std::memcmp(header.data(), kMagic, sizeof kMagic) != 0 || bytes > kMaxPayloadBytes) {
        break;
      }
      payload.resize(bytes);
      if (!in.read(payload.data(), bytes) || checksum(payload) != sum) break;
      std::int64_t run = -1;
      std::memcpy(&run, payload.data(), std::min<std::size_t>(sizeof run, payload.size()));
      entries_.push_back({.run = run, .file = f, .offset = offset});
      offset += kHeaderBytes + bytes;
    }
  }
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const Where& a, const Where& b) { return a.run < b.run; });
}

std::optional<Entry> Journal::read(const Where& where) const {
  std::ifstream in(files_[where.file], std::ios::binary);
  in.seekg(static_cast<std::streamoff>(where.offset + 4));
  std::uint32_t bytes = 0;
  std::uint64_t sum = 0;
  in.read(reinterpret_cast<char*>(&bytes), sizeof bytes);
  in.read(reinterpret_cast<char*>(&sum), sizeof sum);
  std::string payload(bytes, '\0');
  if (!in || !in.read(payload.data(), bytes) || checksum(payload) != sum) return std::nullopt;
  return decode(payload);
}

bool Journal::has(std::int64_t run) const {
  return std::binary_search(entries_.begin(), entries_.end(), Where{.run = run},
                            [](const Where& a, const Where& b) { return a.run < b.run; });
}

std::optional<Entry> Journal::finished(const PlannedRun& run) const {
  const auto [first, last] =
      std::equal_range(entries_.begin(), entries_.end(), Where{.run = run.run},
                       [](const Where& a, const Where& b) { return a.run < b.run; });
  std::optional<Entry> failed;
  for (auto it = first; it != last; ++it) {
    std::optional<Entry> e = read(*it);
    // An entry of another sweep or other inputs (copied in, left from before) is not this run's.
    if (!e || e->run != run.run || e->point != run.point || e->replicate != run.replicate ||
        e->seed != run.seed || e->fingerprint != run.fingerprint) {
      continue;
    }
    if (!e->complete) {
      if (!failed) failed = std::move(e);
      continue;
    }
    if (!e->file.empty()) {
      std::error_code ec;
      const auto size = fs::file_size(directory_ / e->file, ec);
      if (ec || size != e->file_bytes) continue;  // gone or cut short: redo
      if (fingerprint_of_file(directory_ / e->file) != e->file_fingerprint) continue;
    }
    return e;
  }
  return failed;
}

}  // namespace aidflow::sweep
