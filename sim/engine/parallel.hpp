#pragma once
// Parallel loops whose results do not depend on the number of threads: each index writes only its
// own outputs, and reductions combine fixed blocks in index order.
#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace aidflow::engine {

#if defined(__SANITIZE_THREAD__)
// ThreadSanitizer cannot see the synchronisation inside Debian's libtbb (it is not instrumented),
// so every task hand-off would be reported as a race. Under TSan the loop runs on plain threads,
// as many as TBB would allow, each taking a contiguous slice: TSan then checks what matters here,
// that phase bodies write only what their index owns.
template <class Body>
void parallel_for_each(std::size_t n, Body&& body, std::size_t /*grain*/ = 1) {
  const std::size_t allowed =
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
  const std::size_t threads = std::max<std::size_t>(1, std::min(allowed, n));
  std::vector<std::thread> workers;
  for (std::size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (std::size_t i = n * t / threads; i < n * (t + 1) / threads; ++i) body(i);
    });
  }
  for (std::thread& worker : workers) worker.join();
}
#else
// Runs body(i) for i in [0, n) on the TBB pool. body must write only outputs owned by i.
template <class Body>
void parallel_for_each(std::size_t n, Body&& body, std::size_t grain = 1) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, grain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i != r.end(); ++i) body(i);
                    });
}
#endif

// The serial twin, used by tests to check the parallel path against a reference.
template <class Body>
void serial_for_each(std::size_t n, Body&& body) {
  for (std::size_t i = 0; i < n; ++i) body(i);
}

// Sums value(i) over [0, n) in fixed blocks of `block` indices combined in index order, so a
// floating-point total is the same bytes for any thread count.
template <class T, class Value>
T ordered_sum(std::size_t n, Value&& value, std::size_t block = 4096) {
  const std::size_t blocks = (n + block - 1) / block;
  std::vector<T> partial(blocks, T{});
  parallel_for_each(blocks, [&](std::size_t b) {
    T acc{};
    const std::size_t end = std::min(n, (b + 1) * block);
    for (std::size_t i = b * block; i < end; ++i) acc += value(i);
    partial[b] = acc;
  });
  T total{};
  for (const T& p : partial) total += p;
  return total;
}

}  // namespace aidflow::engine
