#pragma once
// Parallel loops whose results do not depend on the number of threads: each index writes only its
// own outputs, and reductions combine fixed blocks in index order.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cstddef>
#include <vector>

namespace aidflow::engine {

// Runs body(i) for i in [0, n) on the TBB pool. body must write only outputs owned by i.
template <class Body>
void parallel_for_each(std::size_t n, Body&& body, std::size_t grain = 1) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, grain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i != r.end(); ++i) body(i);
                    });
}

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
