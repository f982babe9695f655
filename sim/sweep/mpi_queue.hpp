#pragma once
// The MPI work queue: rank 0 hands out indices of the runs to do, one at a time, to whichever
// rank asks (its own worker threads included), so a slow run never idles the others. Ranks talk
// only in small integers: each run's file and record are written by the rank that ran it. Built
// as a stub that refuses --mpi when CMake found no MPI.
#include <cstdint>
#include <functional>

namespace aidflow::sweep {

struct MpiJob {
  std::int64_t runs = 0;  // indices 0 .. runs-1 of the list to do
  int local_workers = 1;  // threads running runs on rank 0 besides its coordinator
  // Runs index i; returns true if the run completed, false if it failed.
  std::function<bool(std::int64_t)> execute;
  // Called on rank 0 each time a run ends anywhere.
  std::function<void(bool complete)> on_run_done;
};

// Runs the job across MPI_COMM_WORLD; true on rank 0 (which then writes the index). Initialises
// and finalises MPI around the job.
bool run_mpi_queue(const MpiJob& job);

bool mpi_available();

}  // namespace aidflow::sweep
