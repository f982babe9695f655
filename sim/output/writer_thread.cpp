#include "output/writer_thread.hpp"

#include <pthread.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace aidflow::output {

struct WriterThread::Client {
  std::size_t pending = 0;
  std::exception_ptr error;
};

namespace {

// The process's HDF5 thread, started on first use and joined at exit (after every client, which
// waits for its own jobs, is gone). One mutex guards the queue and every client's state.
class Hdf5Thread {
 public:
  static Hdf5Thread& instance() {
    static Hdf5Thread thread;
    return thread;
  }

  void post(const std::shared_ptr<WriterThread::Client>& client, std::function<void()> job) {
    {
      std::lock_guard lock(mutex_);
      rethrow_pending(*client);
      ++client->pending;
      jobs_.push_back({client, std::move(job)});
    }
    wake_.notify_one();
  }

  void wait(WriterThread::Client& client, bool rethrow) {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return client.pending == 0; });
    if (rethrow) rethrow_pending(client);
  }

 private:
  struct Job {
    std::shared_ptr<WriterThread::Client> client;
    std::function<void()> run;
  };

  Hdf5Thread() : thread_([this] { loop(); }) {}
  ~Hdf5Thread() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  static void rethrow_pending(WriterThread::Client& client) {
    if (!client.error) return;
    std::exception_ptr error = client.error;
    client.error = nullptr;
    std::rethrow_exception(error);
  }

  void loop() {
    pthread_setname_np(pthread_self(), "hdf5-writer");  // what perf and top show for it
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, nothing left
      Job job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      std::exception_ptr failure;
      // After a failure the client's later jobs still run (they may close handles) but cannot
      // hide it.
      try {
        job.run();
      } catch (...) {
        failure = std::current_exception();
      }
      job.run = nullptr;  // free what the job captured before the client may go
      lock.lock();
      if (failure && !job.client->error) job.client->error = failure;
      if (--job.client->pending == 0) idle_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace

WriterThread::WriterThread() : client_(std::make_shared<Client>()) {
  Hdf5Thread::instance();  // constructed before, so destroyed after, this client
}

WriterThread::~WriterThread() {
  Hdf5Thread::instance().wait(*client_, false);
}

void WriterThread::post(std::function<void()> job) {
  Hdf5Thread::instance().post(client_, std::move(job));
}

void WriterThread::drain() {
  Hdf5Thread::instance().wait(*client_, true);
}

void WriterThread::run_now(const std::function<void()>& job) {
  WriterThread client;
  client.post(job);
  client.drain();
}

}  // namespace aidflow::output
