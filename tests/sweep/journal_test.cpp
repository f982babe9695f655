// A sweep's journal as the workers write it: entries appended from several threads while the
// journal's own thread syncs (once a second, without holding up an append) are every one read
// back whole (a damaged entry would end its file for every reader), and a writer that is never
// finished still ends and leaves what it was given.
#include "sweep/journal.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "temp_dir.hpp"

namespace aidflow::sweep {
namespace {

using testing::TempDir;

Entry entry(std::int64_t run) {
  return {.run = run,
          .point = run / 2,
          .replicate = run % 2,
          .seed = static_cast<std::uint64_t>(run + 1),
          .fingerprint = std::to_string(run),
          .complete = true,
          .outcomes = {std::vector<std::int64_t>{run, 2 * run}, std::vector<double>{0.5}}};
}

// Two workers append for more than a second, so the syncing thread syncs beside their appends.
TEST(Journal, EntriesAppendedWhileTheJournalSyncsAreReadBackWhole) {
  TempDir dir;
  constexpr std::int64_t kRuns = 400;
  {
    JournalWriter writer(dir.path());
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1300);
    std::vector<std::thread> workers;
    for (int w = 0; w < 2; ++w) {
      workers.emplace_back([&, w] {
        for (std::int64_t r = w; r < kRuns; r += 2) {
          writer.append(entry(r));
          if (r > kRuns - 3) std::this_thread::sleep_until(until);  // the last after a sync
        }
      });
    }
    for (auto& t : workers) t.join();
    writer.finish();
  }
  const Journal journal(dir.path());
  for (std::int64_t r = 0; r < kRuns; ++r) EXPECT_TRUE(journal.has(r)) << r;
  EXPECT_FALSE(journal.has(kRuns));
}

// A writer destroyed without finish() (a stop, an error) ends its thread and keeps its entries.
TEST(Journal, AWriterLeftUnfinishedEndsAndKeepsWhatItWasGiven) {
  TempDir dir;
  {
    JournalWriter writer(dir.path());
    writer.append(entry(3));
  }
  EXPECT_TRUE(Journal(dir.path()).has(3));
}

}  // namespace
}  // namespace aidflow::sweep
