#include "io/writer_thread.hpp"

namespace aidflow::io {

WriterThread::WriterThread() : thread_([this] { loop(); }) {}

WriterThread::~WriterThread() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void WriterThread::post(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    rethrow_pending();
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void WriterThread::drain() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return jobs_.empty() && !busy_; });
  rethrow_pending();
}

void WriterThread::rethrow_pending() {
  if (error_) {
    std::exception_ptr error = error_;
    error_ = nullptr;
    std::rethrow_exception(error);
  }
}

void WriterThread::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, nothing left
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    busy_ = true;
    lock.unlock();
    std::exception_ptr failure;
    // After a failure later jobs still run (they may close handles) but cannot hide it.
    try {
      job();
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    if (failure && !error_) error_ = failure;
    busy_ = false;
    if (jobs_.empty()) idle_.notify_all();
  }
}

}  // namespace aidflow::io
