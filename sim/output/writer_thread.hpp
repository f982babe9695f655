#pragma once
// One thread per process runs every HDF5 call, in order: Debian's HDF5 is built without thread
// safety, so two runs of a sweep writing their files at once must not call it from two threads.
// Each WriterThread is one client's queue onto that thread: its jobs run in the order posted,
// and a job's exception is kept and rethrown to that client (not another) at its next post() or
// drain(). The stepping threads never wait on the disk.
#include <exception>
#include <functional>
#include <memory>

namespace aidflow::output {

class WriterThread {
 public:
  WriterThread();
  ~WriterThread();  // waits for this client's jobs; swallows a pending error (drain() shows it)
  WriterThread(const WriterThread&) = delete;
  WriterThread& operator=(const WriterThread&) = delete;

  void post(std::function<void()> job);
  // Waits until every job this client posted ran; rethrows its first job error.
  void drain();

  // Runs `job` on the HDF5 thread and waits for it: for the odd read or write outside a run.
  static void run_now(const std::function<void()>& job);

  struct Client;  // this client's pending count and error, shared with the thread

 private:
  std::shared_ptr<Client> client_;
};

}  // namespace aidflow::output
