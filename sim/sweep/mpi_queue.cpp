#include "sweep/mpi_queue.hpp"

#include <mpi.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace aidflow::sweep {
namespace {

constexpr int kReady = 1;   // rank -> 0: {last run's outcome: see below}
constexpr int kAssign = 2;  // 0 -> rank: {run number to run, or -1: no more}
constexpr std::int64_t kNone = -1, kFailed = 0, kStopped = 2;  // and 1: complete

void check(int status, const char* what) {
  if (status != MPI_SUCCESS) throw std::runtime_error(std::string("MPI failed: ") + what);
}

// Ends every rank of the job at once: what an error must do where the other ranks would
// otherwise wait for this one forever.
[[noreturn]] void abort_job(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
  }
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::abort();  // MPI_Abort does not return
}

// Asks for runs until there are none. An interrupt here (a signal to this rank, or to mpirun,
// which passes it on) is reported to rank 0, which then hands out nothing more, so every rank
// ends at the barrier: true if this rank was interrupted. Any other error aborts the job.
bool worker_rank(const MpiJob& job) {
  bool stopped = false;
  try {
    std::int64_t outcome = kNone;
    for (;;) {
      check(MPI_Send(&outcome, 1, MPI_INT64_T, 0, kReady, MPI_COMM_WORLD), "send");
      std::int64_t run = -1;
      check(MPI_Recv(&run, 1, MPI_INT64_T, 0, kAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "recv");
      if (run < 0) return stopped;
      try {
        outcome = job.execute(run) ? 1 : kFailed;
      } catch (const SweepStopped&) {
        outcome = kStopped;
        stopped = true;
      }
    }
  } catch (...) {
    abort_job(std::current_exception());
  }
}

// Rank 0: answers requests (polling, so its idle coordinator does not spin a core in MPI_Recv)
// while its own worker threads take runs from the same counter. An error stops the handing out;
// it is returned once every rank has been told there is nothing more.
std::exception_ptr coordinator_rank(const MpiJob& job, int ranks) {
  std::atomic<std::int64_t> next{0};
  std::mutex mutex;
  std::exception_ptr error;
  const auto fail = [&](std::exception_ptr e) {
    std::lock_guard lock(mutex);
    if (!error) error = e;
    next = job.runs;  // hand out nothing more; ranks finish what they hold
  };
  const auto done = [&](bool complete) {
    std::lock_guard lock(mutex);
    if (job.on_run_done) job.on_run_done(complete);
  };
  std::vector<std::thread> local;
  for (int w = 0; w < job.local_workers; ++w) {
    local.emplace_back([&] {
      try {
        for (std::int64_t i; (i = next.fetch_add(1)) < job.runs;)
          done(job.execute(job.run_number(i)));
      } catch (...) {
        fail(std::current_exception());
      }
    });
  }
  try {
    int active = ranks - 1;
    while (active > 0) {
      if (job.stop_requested && job.stop_requested()) fail(std::make_exception_ptr(SweepStopped()));
      int flag = 0;
      MPI_Status status;
      check(MPI_Iprobe(MPI_ANY_SOURCE, kReady, MPI_COMM_WORLD, &flag, &status), "probe");
      if (!flag) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        continue;
      }
      std::int64_t outcome = kNone;
      check(MPI_Recv(&outcome, 1, MPI_INT64_T, status.MPI_SOURCE, kReady, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE),
            "recv");
      if (outcome == kStopped) fail(std::make_exception_ptr(SweepStopped()));
      if (outcome == kFailed || outcome == 1) done(outcome == 1);
      const std::int64_t i = next.fetch_add(1);
      std::int64_t run = -1;
      if (i < job.runs) {
        run = job.run_number(i);
      } else {
        --active;
      }
      check(MPI_Send(&run, 1, MPI_INT64_T, status.MPI_SOURCE, kAssign, MPI_COMM_WORLD), "send");
    }
  } catch (...) {
    abort_job(std::current_exception());  // the other ranks may be waiting for an answer
  }
  for (auto& t : local) t.join();
  return error;
}

}  // namespace

MpiSession::MpiSession() {
  int provided = 0;
  check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks_);
}

MpiSession::~MpiSession() {
  MPI_Finalize();
}

bool MpiSession::share(bool ok) const {
  int flag = ok ? 1 : 0;
  check(MPI_Bcast(&flag, 1, MPI_INT, 0, MPI_COMM_WORLD), "broadcast");
  return flag == 1;
}

void run_mpi_queue(const MpiSession& session, const MpiJob& job) {
  if (!session.coordinator()) {
    const bool stopped = worker_rank(job);
    MPI_Barrier(MPI_COMM_WORLD);
    if (stopped) throw SweepStopped();
    return;
  }
  const std::exception_ptr error = coordinator_rank(job, session.ranks());
  MPI_Barrier(MPI_COMM_WORLD);  // every rank has been told there is nothing more
  if (error) std::rethrow_exception(error);
}

}  // namespace aidflow::sweep
