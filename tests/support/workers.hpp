#pragma once
// Runs code on exactly N worker threads, even on a machine with fewer cores. TBB's default arena
// has as many slots as cores, so a thread limit above that changes nothing: on a 2-core CI machine
// "identical for any thread count" would only ever be tested for 1 and 2. An explicit arena of N
// slots, with a global limit of at least N (set here), really runs N threads; Simulation::run
// then steps in an arena of its own of the same size.
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <cstddef>
#include <utility>

namespace aidflow::testing {

// The global limit is raised before the arena starts: TBB sizes its worker pool when the arena
// is initialised, and would otherwise keep it at what an earlier, smaller limit allowed.
template <class Body>
auto with_workers(int workers, Body&& body) {
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(workers));
  tbb::task_arena arena(workers);
  arena.initialize();
  return arena.execute(std::forward<Body>(body));
}

// Thread counts the determinism tests use: one, the usual cores, and more workers than cores.
inline constexpr int kWorkerCounts[] = {1, 2, 3, 4, 7, 8};

}  // namespace aidflow::testing
