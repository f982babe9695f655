#pragma once
// Bound outcomes evaluated as a run records its indicators: a series sink that keeps, per
// reduction and block of steps, only the running sum, count, first, last, minimum and maximum of
// the cells it selects, so a sweep's outcomes cost a few numbers per run, not its series. Rows
// may be passed on to another sink (the run's file) unchanged. Sums of integers are exact (and
// refuse to overflow); sums of floats run in step and cell order, so the same run gives the same
// bits on any thread, worker, shard or rank.
#include <vector>

#include "engine/series.hpp"
#include "outcomes/bind.hpp"

namespace aidflow::outcomes {

class Collector final : public engine::SeriesSink {
 public:
  // `bound` must outlive the collector; `next`, if any, receives every row and event.
  explicit Collector(const Bound& bound, engine::SeriesSink* next = nullptr);

  bool wants(std::size_t series) const override;
  bool wants_events() const override;
  void append(std::size_t series, engine::SeriesRow row) override;
  void append_event(engine::EventRow row) override;

  // Each outcome's values, in the order of bound.schemas, once the run's steps are recorded.
  std::vector<Values> values() const;

 private:
  struct Block {
    std::int64_t count = 0;
    std::int64_t sum = 0, first = 0, last = 0, min = 0, max = 0;  // integer series
    double fsum = 0.0, ffirst = 0.0, flast = 0.0, fmin = 0.0, fmax = 0.0;
  };
  Values leaf_values(std::size_t leaf) const;

  const Bound& bound_;
  engine::SeriesSink* next_;
  Block* block_at(std::size_t leaf, int step);
  void add(std::size_t leaf, int step, std::int64_t value);
  void add(std::size_t leaf, int step, double value);

  std::vector<std::vector<std::size_t>> leaves_of_series_;
  std::vector<std::size_t> event_leaves_;
  std::vector<int> steps_seen_;             // per series
  std::vector<std::vector<Block>> blocks_;  // per leaf
};

}  // namespace aidflow::outcomes
