#include "engine/ledger.hpp"

#include <algorithm>

namespace aidflow::engine {

Ledger::Ledger(std::vector<std::string> sources, std::vector<std::string> routes,
               std::vector<std::string> touchpoints, std::vector<std::string> sinks)
    : sources_(std::move(sources)),
      routes_(std::move(routes)),
      touchpoints_(std::move(touchpoints)),
      sinks_(std::move(sinks)) {
  if (sources_.empty() || routes_.empty() || touchpoints_.empty() || sinks_.empty()) {
    throw std::invalid_argument("Ledger needs at least one source, route, touchpoint and sink");
  }
  const std::size_t rows = sources_.size() * routes_.size() * touchpoints_.size();
  step_disbursed_.assign(rows, 0);
  total_disbursed_.assign(rows, 0);
  step_settled_.assign(rows * sinks_.size(), 0);
  total_settled_.assign(rows * sinks_.size(), 0);
}

void Ledger::refuse_row() {
  throw std::out_of_range("Ledger: no such source, route or touchpoint");
}

void Ledger::refuse_settlement(std::size_t sink, Cents amount) const {
  if (amount < 0) throw std::invalid_argument("Ledger: negative settlement");
  throw std::out_of_range("Ledger: no such sink " + std::to_string(sink) + " of " +
                          std::to_string(sinks_.size()));
}

void Ledger::disburse(std::size_t source, std::size_t route, std::size_t touchpoint, Cents amount) {
  if (amount < 0) throw std::invalid_argument("Ledger: negative disbursement");
  Cents& cell = step_disbursed_[row(source, route, touchpoint)];
  cell = checked_add(cell, amount);
}

void Ledger::close_step(int step) {
  const std::size_t k = sinks_.size(), t = touchpoints_.size(), r = routes_.size();
  for (std::size_t i = 0; i < step_disbursed_.size(); ++i) {
    Cents settled = 0;
    for (std::size_t s = 0; s < k; ++s) settled = checked_add(settled, step_settled_[i * k + s]);
    if (settled != step_disbursed_[i]) {
      throw LedgerImbalance(
          "ledger does not balance at step " + std::to_string(step) + ": " + sources_[i / t / r] +
          " via " + routes_[i / t % r] + " to " + touchpoints_[i % t] + " disbursed " +
          std::to_string(step_disbursed_[i]) + " cents but sinks hold " + std::to_string(settled));
    }
  }
  for (std::size_t i = 0; i < step_disbursed_.size(); ++i) {
    total_disbursed_[i] = checked_add(total_disbursed_[i], step_disbursed_[i]);
  }
  for (std::size_t i = 0; i < step_settled_.size(); ++i) {
    total_settled_[i] = checked_add(total_settled_[i], step_settled_[i]);
  }
  std::fill(step_disbursed_.begin(), step_disbursed_.end(), 0);
  std::fill(step_settled_.begin(), step_settled_.end(), 0);
}

std::vector<Cents> Ledger::sum_rows(const std::vector<Cents>& table, std::size_t group) const {
  const std::size_t rows = step_disbursed_.size();
  if (table.size() % rows != 0) throw std::invalid_argument("Ledger: not a table by row");
  const std::size_t width = table.size() / rows;  // 1, or the sinks
  std::vector<Cents> out(rows / group * width, 0);
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < width; ++j) {
      Cents& cell = out[i / group * width + j];
      cell = checked_add(cell, table[i * width + j]);
    }
  }
  return out;
}

std::vector<Cents> Ledger::by_route(const std::vector<Cents>& table) const {
  return sum_rows(table, touchpoints_.size());
}

std::vector<Cents> Ledger::by_source(const std::vector<Cents>& table) const {
  return sum_rows(table, routes_.size() * touchpoints_.size());
}

}  // namespace aidflow::engine
