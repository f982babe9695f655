#pragma once
// One thread that runs jobs in order. All HDF5 calls go through it (the library serialises them
// anyway), so the stepping threads never wait on the disk. A job's exception is kept and
// rethrown to the caller at the next post() or drain().
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace aidflow::io {

class WriterThread {
 public:
  WriterThread();
  ~WriterThread();  // drains, then joins; swallows a pending error (call drain() to see it)
  WriterThread(const WriterThread&) = delete;
  WriterThread& operator=(const WriterThread&) = delete;

  void post(std::function<void()> job);
  // Waits until every posted job ran; rethrows the first job error.
  void drain();

 private:
  void loop();
  void rethrow_pending();

  std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::deque<std::function<void()>> jobs_;
  bool busy_ = false, stopping_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace aidflow::io
