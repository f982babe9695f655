#pragma once
// The money ledger: every cent a source disburses along a route to a touchpoint must end, within
// the same step, in exactly one sink. Amounts are recorded per step and kept as cumulative
// totals, so a user can ask how much of source S's money sent along route R to touchpoint T ended
// in sink K (in the model: donor, channel, sector and the ministry it passes, faction and
// mechanism).
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/books.hpp"
#include "engine/money.hpp"

namespace aidflow::engine {

// A step whose books do not balance to the cent. Never a warning: the run stops.
class LedgerImbalance : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Ledger final : public StepBooks {
 public:
  Ledger(std::vector<std::string> sources, std::vector<std::string> routes,
         std::vector<std::string> touchpoints, std::vector<std::string> sinks);

  // Money enters along (source, route, touchpoint): a row. Distinct rows may be written from
  // different threads at once; one row must be written by one thread at a time.
  void disburse(std::size_t source, std::size_t route, std::size_t touchpoint, Cents amount);
  // Money on that row ends in `sink`. Inline: a step settles thousands of amounts.
  void settle(std::size_t source, std::size_t route, std::size_t touchpoint, std::size_t sink,
              Cents amount) {
    if (amount < 0 || sink >= sinks_.size()) [[unlikely]]
      refuse_settlement(sink, amount);
    Cents& cell = step_settled_[row(source, route, touchpoint) * sinks_.size() + sink];
    cell = checked_add(cell, amount);
  }

  // Checks that each row's settled cents equal its disbursed cents, adds the step to the
  // cumulative totals and clears the step. Throws LedgerImbalance naming the first bad row.
  void close_step(int step) override;

  const std::vector<std::string>& sources() const { return sources_; }
  const std::vector<std::string>& routes() const { return routes_; }
  const std::vector<std::string>& touchpoints() const { return touchpoints_; }
  const std::vector<std::string>& sinks() const { return sinks_; }

  // The index of a row in the tables below; rows are laid out [source][route][touchpoint].
  std::size_t row(std::size_t source, std::size_t route, std::size_t touchpoint) const {
    if (source >= sources_.size() || route >= routes_.size() || touchpoint >= touchpoints_.size())
        [[unlikely]]
      refuse_row();
    return (source * routes_.size() + route) * touchpoints_.size() + touchpoint;
  }
  std::size_t row_count() const { return step_disbursed_.size(); }

  // This step's amounts, row-major: disbursed[row], settled[row][sink].
  const std::vector<Cents>& step_disbursed() const { return step_disbursed_; }
  const std::vector<Cents>& step_settled() const { return step_settled_; }
  const std::vector<Cents>& total_disbursed() const { return total_disbursed_; }
  const std::vector<Cents>& total_settled() const { return total_settled_; }

  // One of the tables above summed over touchpoints: [source][route] for a table by row,
  // [source][route][sink] for one by row and sink.
  std::vector<Cents> by_route(const std::vector<Cents>& table) const;
  // Summed over routes and touchpoints: [source], or [source][sink].
  std::vector<Cents> by_source(const std::vector<Cents>& table) const;

 private:
  // What settle and row throw, out of line so that they stay small enough to inline.
  [[noreturn]] void refuse_settlement(std::size_t sink, Cents amount) const;
  [[noreturn]] static void refuse_row();
  // Sums each run of `group` consecutive rows of a table by row (and perhaps sink).
  std::vector<Cents> sum_rows(const std::vector<Cents>& table, std::size_t group) const;

  std::vector<std::string> sources_, routes_, touchpoints_, sinks_;
  std::vector<Cents> step_disbursed_, step_settled_;
  std::vector<Cents> total_disbursed_, total_settled_;
};

}  // namespace aidflow::engine
