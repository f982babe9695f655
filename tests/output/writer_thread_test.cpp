// The process's one HDF5 thread: each client's jobs run in the order posted, on one thread that
// is never the caller's, never two at once whichever threads post; a job's error reaches its own
// client (at its next post or drain), not another, and does not stop the jobs after it.
#include "output/writer_thread.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace aidflow::output {
namespace {

TEST(WriterThread, RunsAClientsJobsInOrderOnOneThreadThatIsNotTheCallers) {
  std::vector<int> order;
  std::set<std::thread::id> threads;
  {
    WriterThread client;
    for (int i = 0; i < 100; ++i) {
      client.post([&, i] {
        order.push_back(i);
        threads.insert(std::this_thread::get_id());
      });
    }
    client.drain();
  }
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
  ASSERT_EQ(threads.size(), 1u);
  EXPECT_NE(*threads.begin(), std::this_thread::get_id());
  std::thread::id later;
  WriterThread::run_now([&] { later = std::this_thread::get_id(); });
  EXPECT_EQ(later, *threads.begin()) << "one thread for the whole process";
}

// HDF5 without thread safety must never be called from two threads at once: four clients posting
// from four threads never overlap, and every job runs.
TEST(WriterThread, JobsOfClientsOnManyThreadsNeverOverlap) {
  std::atomic<int> inside{0}, most_inside{0}, done{0};
  const auto job = [&] {
    const int now = ++inside;
    int seen = most_inside.load();
    while (now > seen && !most_inside.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::microseconds(50));
    --inside;
    ++done;
  };
  std::vector<std::thread> posters;
  for (int t = 0; t < 4; ++t) {
    posters.emplace_back([&] {
      WriterThread client;
      for (int i = 0; i < 50; ++i) client.post(job);
      client.drain();
    });
  }
  for (std::thread& t : posters) t.join();
  EXPECT_EQ(done.load(), 200);
  EXPECT_EQ(most_inside.load(), 1);
}

TEST(WriterThread, AJobsErrorReachesItsOwnClientAtDrainAndLaterJobsStillRun) {
  WriterThread failing, other;
  bool after = false, others = false;
  std::promise<void> gate;  // holds the failing job until everything is posted
  std::shared_future<void> open = gate.get_future().share();
  failing.post([open] {
    open.wait();
    throw std::runtime_error("disk full");
  });
  failing.post([&] { after = true; });
  other.post([&] { others = true; });
  gate.set_value();
  EXPECT_NO_THROW(other.drain()) << "another client's error is not this one's";
  EXPECT_TRUE(others);
  try {
    failing.drain();
    ADD_FAILURE() << "the error was lost";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "disk full");
  }
  EXPECT_TRUE(after) << "jobs after a failure still run (they may close handles)";
  EXPECT_NO_THROW(failing.drain()) << "an error is reported once";
}

TEST(WriterThread, AnErrorNotYetSeenIsRethrownAtTheNextPost) {
  WriterThread client;
  client.post([] { throw std::runtime_error("bad chunk"); });
  WriterThread::run_now([] {});  // the failing job has run: jobs run in order on one thread
  EXPECT_THROW(client.post([] {}), std::runtime_error);
  EXPECT_NO_THROW(client.drain());
}

// A client going away waits for its jobs (the stepping threads may then free what they wrote
// from) and does not throw from its destructor.
TEST(WriterThread, AClientGoingAwayWaitsForItsJobsAndSwallowsTheirError) {
  std::atomic<int> ran{0};
  {
    WriterThread client;
    client.post([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      ++ran;
    });
    client.post([] { throw std::runtime_error("never seen"); });
  }
  EXPECT_EQ(ran.load(), 1);
}

}  // namespace
}  // namespace aidflow::output
