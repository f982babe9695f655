#pragma once
// The money ledger: every cent a source disburses along a route must end, within the same step,
// in exactly one sink. Amounts are recorded per step and kept as cumulative totals, so a user can
// ask how much of source S's money sent along route R ended in sink K.
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
         std::vector<std::string> sinks);

  // Money enters along (source, route). Distinct (source, route) rows may be written from
  // different threads at once; one row must be written by one thread at a time.
  void disburse(std::size_t source, std::size_t route, Cents amount);
  // Money on (source, route) ends in `sink`.
  void settle(std::size_t source, std::size_t route, std::size_t sink, Cents amount);

  // Checks that each row's settled cents equal its disbursed cents, adds the step to the
  // cumulative totals and clears the step. Throws LedgerImbalance naming the first bad row.
  void close_step(int step) override;

  const std::vector<std::string>& sources() const { return sources_; }
  const std::vector<std::string>& routes() const { return routes_; }
  const std::vector<std::string>& sinks() const { return sinks_; }

  // This step's amounts, row-major: disbursed[source][route], settled[source][route][sink].
  const std::vector<Cents>& step_disbursed() const { return step_disbursed_; }
  const std::vector<Cents>& step_settled() const { return step_settled_; }
  const std::vector<Cents>& total_disbursed() const { return total_disbursed_; }
  const std::vector<Cents>& total_settled() const { return total_settled_; }

 private:
  std::size_t row(std::size_t source, std::size_t route) const;

  std::vector<std::string> sources_, routes_, sinks_;
  std::vector<Cents> step_disbursed_, step_settled_;
  std::vector<Cents> total_disbursed_, total_settled_;
};

}  // namespace aidflow::engine
