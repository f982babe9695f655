#include "engine/accounts.hpp"

#include <algorithm>
#include <stdexcept>

#include "engine/ledger.hpp"

namespace aidflow::engine {

ProvenanceAccounts::ProvenanceAccounts(std::vector<std::string> accounts,
                                       std::vector<std::string> sources,
                                       std::vector<std::string> uses)
    : accounts_(std::move(accounts)), sources_(std::move(sources)), uses_(std::move(uses)) {
  if (accounts_.empty() || sources_.empty() || uses_.empty()) {
    throw std::invalid_argument("ProvenanceAccounts needs accounts, sources and uses");
  }
  const std::size_t a = accounts_.size(), s = sources_.size();
  held_.assign(a * s, 0);
  opening_ = held_;
  balance_.assign(a, 0);
  for (Flows* flows : {&step_, &total_}) {
    flows->credited.assign(a * s, 0);
    flows->transferred.assign(a * a * s, 0);
    flows->spent.assign(a * uses_.size() * s, 0);
  }
  parts_.assign(s, 0);
  weights_.assign(s, 0.0);
}

void ProvenanceAccounts::check_account(std::size_t account) const {
  if (account >= accounts_.size()) throw std::out_of_range("ProvenanceAccounts: no such account");
}

void ProvenanceAccounts::credit(std::size_t account, std::size_t source, Cents amount) {
  check_account(account);
  if (source >= sources_.size()) throw std::out_of_range("ProvenanceAccounts: no such source");
  if (amount < 0) throw std::invalid_argument("ProvenanceAccounts: negative credit");
  const std::size_t cell = account * sources_.size() + source;
  held_[cell] = checked_add(held_[cell], amount);
  step_.credited[cell] = checked_add(step_.credited[cell], amount);
  balance_[account] = checked_add(balance_[account], amount);
}

const std::vector<Cents>& ProvenanceAccounts::withdraw(std::size_t account, Cents amount) {
  check_account(account);
  if (amount < 0 || amount > balance_[account]) {
    throw std::invalid_argument("ProvenanceAccounts: " + accounts_[account] + " cannot pay " +
                                std::to_string(amount) + " cents out of " +
                                std::to_string(balance_[account]));
  }
  const std::size_t s = sources_.size();
  Cents* held = held_.data() + account * s;
  for (std::size_t k = 0; k < s; ++k) weights_[k] = static_cast<double>(held[k]);
  std::fill(parts_.begin(), parts_.end(), 0);
  if (amount > 0) split_largest_remainder(amount, weights_, parts_);
  // Largest remainder can give a cent to a source the account holds none of only if every weight
  // is zero, which amount <= balance rules out; a part above what is held would be a bug.
  for (std::size_t k = 0; k < s; ++k) {
    if (parts_[k] > held[k]) throw std::logic_error("ProvenanceAccounts: overdrawn source");
    held[k] -= parts_[k];
  }
  balance_[account] -= amount;
  return parts_;
}

void ProvenanceAccounts::transfer(std::size_t from, std::size_t to, Cents amount) {
  check_account(to);
  const std::vector<Cents>& parts = withdraw(from, amount);
  const std::size_t a = accounts_.size(), s = sources_.size();
  for (std::size_t k = 0; k < s; ++k) {
    held_[to * s + k] = checked_add(held_[to * s + k], parts[k]);
    Cents& flow = step_.transferred[(from * a + to) * s + k];
    flow = checked_add(flow, parts[k]);
  }
  balance_[to] = checked_add(balance_[to], amount);
}

void ProvenanceAccounts::spend(std::size_t account, std::size_t use, Cents amount) {
  if (use >= uses_.size()) throw std::out_of_range("ProvenanceAccounts: no such use");
  const std::vector<Cents>& parts = withdraw(account, amount);
  const std::size_t s = sources_.size();
  for (std::size_t k = 0; k < s; ++k) {
    Cents& flow = step_.spent[(account * uses_.size() + use) * s + k];
    flow = checked_add(flow, parts[k]);
  }
}

void ProvenanceAccounts::close_step(int step) {
  const std::size_t a = accounts_.size(), s = sources_.size(), u = uses_.size();
  for (std::size_t i = 0; i < a; ++i) {
    for (std::size_t k = 0; k < s; ++k) {
      Cents expected = checked_add(opening_[i * s + k], step_.credited[i * s + k]);
      for (std::size_t j = 0; j < a; ++j) {
        expected = checked_add(expected, step_.transferred[(j * a + i) * s + k]);
        expected = checked_sub(expected, step_.transferred[(i * a + j) * s + k]);
      }
      for (std::size_t use = 0; use < u; ++use) {
        expected = checked_sub(expected, step_.spent[(i * u + use) * s + k]);
      }
      if (expected != held_[i * s + k]) {
        throw LedgerImbalance("accounts do not balance at step " + std::to_string(step) + ": " +
                              accounts_[i] + " holds " + std::to_string(held_[i * s + k]) +
                              " cents from " + sources_[k] + ", its flows give " +
                              std::to_string(expected));
      }
    }
  }
  const auto accumulate = [](std::vector<Cents>& total, std::vector<Cents>& step_flows) {
    for (std::size_t i = 0; i < total.size(); ++i) total[i] = checked_add(total[i], step_flows[i]);
    std::fill(step_flows.begin(), step_flows.end(), 0);
  };
  accumulate(total_.credited, step_.credited);
  accumulate(total_.transferred, step_.transferred);
  accumulate(total_.spent, step_.spent);
  opening_ = held_;
}

}  // namespace aidflow::engine
