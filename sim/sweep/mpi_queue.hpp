#pragma once
// The MPI work queue: rank 0 hands out run numbers, one at a time, to whichever rank asks (its
// own worker threads included), so a slow run never idles the others. Ranks talk only in small
// integers: each run's file and record are written by the rank that ran it. Built as a stub that
// refuses --mpi when CMake found no MPI.
#include <cstdint>
#include <functional>
#include <stdexcept>

namespace aidflow::sweep {

// Thrown when a stop was requested (SIGINT, SIGTERM): finished runs are kept, the run in progress
// leaves no file, and --resume continues.
class SweepStopped : public std::runtime_error {
 public:
  SweepStopped() : std::runtime_error("interrupted") {}
};

// MPI_COMM_WORLD for the length of a sweep: initialised by the constructor, finalised by the
// destructor. Without MPI, the constructor says how to get it.
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  bool coordinator() const { return rank_ == 0; }
  int ranks() const { return ranks_; }
  // Rank 0's `ok` on every rank (every rank must call it): whether rank 0 could start the job.
  bool share(bool ok) const;

 private:
  int rank_ = 0, ranks_ = 1;
};

struct MpiJob {
  std::int64_t runs = 0;                                 // on rank 0: how many runs to hand out
  std::function<std::int64_t(std::int64_t)> run_number;  // on rank 0: the i-th run to hand out
  int local_workers = 1;  // threads running runs on rank 0 besides its coordinator
  // Runs run number r; returns true if the run completed, false if it failed.
  std::function<bool(std::int64_t)> execute;
  // Called on rank 0 each time a run ends anywhere.
  std::function<void(bool complete)> on_run_done;
  // Checked on rank 0 while it hands out runs: true hands out nothing more.
  std::function<bool()> stop_requested;
};

// Runs the job across MPI_COMM_WORLD; every rank calls it. Every way it ends ends the whole job:
// an interrupt on any rank, or an error on rank 0 (a run that cannot be recorded), stops the
// handing out, every rank finishes its run and meets the others at a barrier, and the ranks
// concerned then throw (SweepStopped for an interrupt); any other error on another rank ends the
// job with MPI_Abort. Runs finished before are kept, for --resume.
void run_mpi_queue(const MpiSession& session, const MpiJob& job);

}  // namespace aidflow::sweep
