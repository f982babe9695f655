#include "engine/accounts.hpp"

#include <gtest/gtest.h>

#include <numeric>

#include "engine/ledger.hpp"

namespace aidflow::engine {
namespace {

Cents sum(const std::vector<Cents>& v) {
  return std::accumulate(v.begin(), v.end(), Cents{0});
}

// Accounts a, b, c; sources d1, d2, local; one use.
ProvenanceAccounts three() {
  return ProvenanceAccounts({"a", "b", "c"}, {"d1", "d2", "local"}, {"upkeep"});
}

TEST(ProvenanceAccounts, TransfersCarryEverySourceProRata) {
  ProvenanceAccounts books = three();
  books.credit(0, 0, 300);  // a holds 300 of d1 and 100 of local
  books.credit(0, 2, 100);
  books.transfer(0, 1, 200);  // half of a's cash: 150 of d1, 50 of local
  EXPECT_EQ(books.held()[0 * 3 + 0], 150);
  EXPECT_EQ(books.held()[0 * 3 + 2], 50);
  EXPECT_EQ(books.held()[1 * 3 + 0], 150);
  EXPECT_EQ(books.held()[1 * 3 + 2], 50);
  EXPECT_EQ(books.balance(0), 200);
  EXPECT_EQ(books.balance(1), 200);
  // transferred[from][to][source]
  EXPECT_EQ(books.step_transferred()[(0 * 3 + 1) * 3 + 0], 150);
  EXPECT_EQ(books.step_transferred()[(0 * 3 + 1) * 3 + 2], 50);
}

TEST(ProvenanceAccounts, ADonorsCentsCanBeFollowedThroughAChainToTheirUse) {
  ProvenanceAccounts books = three();
  books.credit(0, 0, 1000);
  books.credit(0, 1, 3000);
  books.transfer(0, 1, 2000);  // b: 500 of d1, 1500 of d2
  books.transfer(1, 2, 1000);  // c: 250 of d1, 750 of d2
  books.spend(2, 0, 400);      // c spends 100 of d1, 300 of d2
  EXPECT_EQ(books.held()[2 * 3 + 0], 150);
  EXPECT_EQ(books.held()[2 * 3 + 1], 450);
  EXPECT_EQ(books.step_spent()[(2 * 1 + 0) * 3 + 0], 100);
  EXPECT_EQ(books.step_spent()[(2 * 1 + 0) * 3 + 1], 300);
  ASSERT_NO_THROW(books.close_step(0));
  EXPECT_EQ(books.total_transferred()[(1 * 3 + 2) * 3 + 0], 250) << "d1's cents from b to c";
  EXPECT_EQ(sum(books.step_transferred()), 0) << "the step's flows are cleared";
  EXPECT_EQ(sum(books.held()), 4000 - 400);
}

TEST(ProvenanceAccounts, SplitsAreExactToTheCent) {
  ProvenanceAccounts books = three();
  books.credit(0, 0, 1);
  books.credit(0, 1, 1);
  books.credit(0, 2, 1);
  for (int i = 0; i < 3; ++i) books.transfer(0, 1, 1);
  EXPECT_EQ(books.balance(0), 0);
  EXPECT_EQ(books.balance(1), 3);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_EQ(books.held()[1 * 3 + k], 1);
  EXPECT_NO_THROW(books.close_step(0));
}

TEST(ProvenanceAccounts, PayingMoreThanTheBalanceIsRefused) {
  ProvenanceAccounts books = three();
  books.credit(0, 0, 100);
  EXPECT_THROW(books.transfer(0, 1, 101), std::invalid_argument);
  EXPECT_THROW(books.spend(0, 0, 101), std::invalid_argument);
  EXPECT_THROW(books.credit(0, 0, -1), std::invalid_argument);
  EXPECT_EQ(books.balance(0), 100);
}

TEST(ProvenanceAccounts, BooksBalanceAcrossManySteps) {
  ProvenanceAccounts books = three();
  for (int step = 0; step < 50; ++step) {
    books.credit(static_cast<std::size_t>(step % 3), static_cast<std::size_t>(step % 3), 977);
    books.transfer(0, 2, books.balance(0) / 3);
    books.spend(2, 0, books.balance(2) / 7);
    ASSERT_NO_THROW(books.close_step(step));
  }
  EXPECT_EQ(sum(books.total_credited()), 50 * 977);
  EXPECT_EQ(sum(books.held()) + sum(books.total_spent()), 50 * 977);
}

}  // namespace
}  // namespace aidflow::engine
