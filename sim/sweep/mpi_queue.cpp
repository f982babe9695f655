#include "sweep/mpi_queue.hpp"

#include <mpi.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace aidflow::sweep {
namespace {

constexpr int kReady = 1;   // rank -> 0: {last run's outcome: -1 none, 0 failed, 1 complete}
constexpr int kAssign = 2;  // 0 -> rank: {index to run, or -1: no more}

void check(int status, const char* what) {
  if (status != MPI_SUCCESS) throw std::runtime_error(std::string("MPI failed: ") + what);
}

// Finalises MPI however the job ends, so a failed run of rank 0 does not hang the others.
struct MpiSession {
  MpiSession() {
    int provided = 0;
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  }
  ~MpiSession() { MPI_Finalize(); }
};

// A run that cannot even record its failure (a full disk) ends the whole job: the other ranks
// would otherwise wait for this one forever. --resume carries on from what was recorded.
void worker_rank(const MpiJob& job) try {
  std::int64_t outcome = -1;
  for (;;) {
    check(MPI_Send(&outcome, 1, MPI_INT64_T, 0, kReady, MPI_COMM_WORLD), "send");
    std::int64_t index = -1;
    check(MPI_Recv(&index, 1, MPI_INT64_T, 0, kAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "recv");
    if (index < 0) return;
    outcome = job.execute(index) ? 1 : 0;
  }
} catch (const std::exception& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  MPI_Abort(MPI_COMM_WORLD, 1);
}

// Rank 0: answers requests (polling, so its idle coordinator does not spin a core in MPI_Recv)
// while its own worker threads take runs from the same counter.
void coordinator_rank(const MpiJob& job, int ranks) {
  std::atomic<std::int64_t> next{0};
  std::mutex done_mutex;
  const auto done = [&](bool complete) {
    std::lock_guard lock(done_mutex);
    if (job.on_run_done) job.on_run_done(complete);
  };
  std::exception_ptr error;
  std::vector<std::thread> local;
  for (int w = 0; w < job.local_workers; ++w) {
    local.emplace_back([&] {
      try {
        for (std::int64_t i; (i = next.fetch_add(1)) < job.runs;) done(job.execute(i));
      } catch (...) {
        std::lock_guard lock(done_mutex);
        if (!error) error = std::current_exception();
        next = job.runs;  // hand out nothing more; ranks finish what they hold
      }
    });
  }
  int active = ranks - 1;
  while (active > 0) {
    int flag = 0;
    MPI_Status status;
    check(MPI_Iprobe(MPI_ANY_SOURCE, kReady, MPI_COMM_WORLD, &flag, &status), "probe");
    if (!flag) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      continue;
    }
    std::int64_t outcome = -1;
    check(MPI_Recv(&outcome, 1, MPI_INT64_T, status.MPI_SOURCE, kReady, MPI_COMM_WORLD,
                   MPI_STATUS_IGNORE),
          "recv");
    if (outcome >= 0) done(outcome == 1);
    std::int64_t index = next.fetch_add(1);
    if (index >= job.runs) {
      index = -1;
      --active;
    }
    check(MPI_Send(&index, 1, MPI_INT64_T, status.MPI_SOURCE, kAssign, MPI_COMM_WORLD), "send");
  }
  for (auto& t : local) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace

bool mpi_available() {
  return true;
}

bool run_mpi_queue(const MpiJob& job) {
  MpiSession session;
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  if (rank == 0) {
    coordinator_rank(job, ranks);
  } else {
    worker_rank(job);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  return rank == 0;
}

}  // namespace aidflow::sweep
