#include "engine/ledger.hpp"

#include <algorithm>
#include <stdexcept>

namespace aidflow::engine {

Ledger::Ledger(std::vector<std::string> sources, std::vector<std::string> routes,
               std::vector<std::string> sinks)
    : sources_(std::move(sources)), routes_(std::move(routes)), sinks_(std::move(sinks)) {
  if (sources_.empty() || routes_.empty() || sinks_.empty()) {
    throw std::invalid_argument("Ledger needs at least one source, route and sink");
  }
  const std::size_t rows = sources_.size() * routes_.size();
  step_disbursed_.assign(rows, 0);
  total_disbursed_.assign(rows, 0);
  step_settled_.assign(rows * sinks_.size(), 0);
  total_settled_.assign(rows * sinks_.size(), 0);
}

std::size_t Ledger::row(std::size_t source, std::size_t route) const {
  if (source >= sources_.size() || route >= routes_.size()) {
    throw std::out_of_range("Ledger: no such source or route");
  }
  return source * routes_.size() + route;
}

void Ledger::disburse(std::size_t source, std::size_t route, Cents amount) {
  if (amount < 0) throw std::invalid_argument("Ledger: negative disbursement");
  Cents& cell = step_disbursed_[row(source, route)];
  cell = checked_add(cell, amount);
}

void Ledger::settle(std::size_t source, std::size_t route, std::size_t sink, Cents amount) {
  if (amount < 0) throw std::invalid_argument("Ledger: negative settlement");
  if (sink >= sinks_.size()) throw std::out_of_range("Ledger: no such sink");
  Cents& cell = step_settled_[row(source, route) * sinks_.size() + sink];
  cell = checked_add(cell, amount);
}

void Ledger::close_step(int step) {
  const std::size_t k = sinks_.size();
  for (std::size_t r = 0; r < step_disbursed_.size(); ++r) {
    Cents settled = 0;
    for (std::size_t s = 0; s < k; ++s) settled = checked_add(settled, step_settled_[r * k + s]);
    if (settled != step_disbursed_[r]) {
      throw LedgerImbalance("ledger does not balance at step " + std::to_string(step) + ": " +
                            sources_[r / routes_.size()] + " via " + routes_[r % routes_.size()] +
                            " disbursed " + std::to_string(step_disbursed_[r]) +
                            " cents but sinks hold " + std::to_string(settled));
    }
  }
  for (std::size_t r = 0; r < step_disbursed_.size(); ++r) {
    total_disbursed_[r] = checked_add(total_disbursed_[r], step_disbursed_[r]);
  }
  for (std::size_t i = 0; i < step_settled_.size(); ++i) {
    total_settled_[i] = checked_add(total_settled_[i], step_settled_[i]);
  }
  std::fill(step_disbursed_.begin(), step_disbursed_.end(), 0);
  std::fill(step_settled_.begin(), step_settled_.end(), 0);
}

}  // namespace aidflow::engine
