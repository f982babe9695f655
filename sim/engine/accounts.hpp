#pragma once
// Cash held by accounts (armed groups, in the model), every cent tagged with where it came from: a
// source such as a donor, or an income that is not aid. Money leaving an account, to another
// account or to a use, draws on each source pro rata to what the account holds of it (largest
// remainder), so provenance follows the money exactly through any chain of transfers and a user can
// ask how much of donor D's money ended with group G by way of group H.
#include <string>
#include <vector>

#include "engine/books.hpp"
#include "engine/money.hpp"

namespace aidflow::engine {

class ProvenanceAccounts final : public StepBooks {
 public:
  ProvenanceAccounts(std::vector<std::string> accounts, std::vector<std::string> sources,
                     std::vector<std::string> uses);

  // Income: `amount` cents of `source` arrive in `account`.
  void credit(std::size_t account, std::size_t source, Cents amount);
  // Moves `amount` (at most the balance) from one account to another, every source pro rata.
  void transfer(std::size_t from, std::size_t to, Cents amount);
  // Pays `amount` (at most the balance) out of the accounts for `use`, every source pro rata.
  void spend(std::size_t account, std::size_t use, Cents amount);

  // Checks, for every account and source, opening + credits + transfers in - transfers out -
  // spending == closing; adds the step to the run totals and clears it. Throws LedgerImbalance.
  void close_step(int step) override;

  Cents balance(std::size_t account) const { return balance_[account]; }
  const std::vector<std::string>& accounts() const { return accounts_; }
  const std::vector<std::string>& sources() const { return sources_; }
  const std::vector<std::string>& uses() const { return uses_; }

  // Row-major tables. held[account][source]; this step's credited[account][source],
  // transferred[from][to][source], spent[account][use][source]; and the same summed over the run.
  const std::vector<Cents>& held() const { return held_; }
  const std::vector<Cents>& step_credited() const { return step_.credited; }
  const std::vector<Cents>& step_transferred() const { return step_.transferred; }
  const std::vector<Cents>& step_spent() const { return step_.spent; }
  const std::vector<Cents>& total_credited() const { return total_.credited; }
  const std::vector<Cents>& total_transferred() const { return total_.transferred; }
  const std::vector<Cents>& total_spent() const { return total_.spent; }

 private:
  struct Flows {
    std::vector<Cents> credited, transferred, spent;
  };
  // Takes `amount` out of `account`, split over its sources pro rata; returns the parts.
  const std::vector<Cents>& withdraw(std::size_t account, Cents amount);
  void check_account(std::size_t account) const;

  std::vector<std::string> accounts_, sources_, uses_;
  std::vector<Cents> held_, opening_, balance_;
  Flows step_, total_;
  std::vector<Cents> parts_;  // scratch for withdraw()
  std::vector<double> weights_;
};

}  // namespace aidflow::engine
