#include "engine/ledger.hpp"

#include <gtest/gtest.h>

namespace aidflow::engine {
namespace {

Ledger two_by_two() {
  return Ledger({"s0", "s1"}, {"r0", "r1"}, {"k0", "k1", "k2"});
}

TEST(Ledger, BalancedStepAccumulatesIntoTotals) {
  Ledger ledger = two_by_two();
  ledger.disburse(1, 0, 100);
  ledger.settle(1, 0, 0, 60);
  ledger.settle(1, 0, 2, 40);
  ASSERT_NO_THROW(ledger.close_step(0));
  EXPECT_EQ(ledger.total_disbursed()[2], 100);
  EXPECT_EQ(ledger.total_settled()[2 * 3 + 0], 60);
  EXPECT_EQ(ledger.total_settled()[2 * 3 + 2], 40);
  EXPECT_EQ(ledger.step_disbursed()[2], 0) << "close_step clears the step";
  ledger.disburse(1, 0, 1);
  ledger.settle(1, 0, 1, 1);
  ledger.close_step(1);
  EXPECT_EQ(ledger.total_disbursed()[2], 101);
}

TEST(Ledger, OneCentOffIsAnErrorNamingTheRow) {
  Ledger ledger = two_by_two();
  ledger.disburse(0, 1, 100);
  ledger.settle(0, 1, 0, 99);
  try {
    ledger.close_step(3);
    FAIL() << "an unbalanced step must throw";
  } catch (const LedgerImbalance& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("step 3"), std::string::npos) << message;
    EXPECT_NE(message.find("s0 via r1"), std::string::npos) << message;
    EXPECT_NE(message.find("100"), std::string::npos) << message;
  }
}

TEST(Ledger, MoneySettledWithoutDisbursementIsAnError) {
  Ledger ledger = two_by_two();
  ledger.settle(0, 0, 0, 1);
  EXPECT_THROW(ledger.close_step(0), LedgerImbalance);
}

TEST(Ledger, RefusesNegativeAmountsAndUnknownIndices) {
  Ledger ledger = two_by_two();
  EXPECT_THROW(ledger.disburse(0, 0, -1), std::invalid_argument);
  EXPECT_THROW(ledger.settle(0, 0, 0, -1), std::invalid_argument);
  EXPECT_THROW(ledger.disburse(2, 0, 1), std::out_of_range);
  EXPECT_THROW(ledger.settle(0, 0, 3, 1), std::out_of_range);
}

TEST(Ledger, OverflowingTotalsThrow) {
  Ledger ledger = two_by_two();
  ledger.disburse(0, 0, std::numeric_limits<Cents>::max());
  EXPECT_THROW(ledger.disburse(0, 0, 1), MoneyOverflow);
}

}  // namespace
}  // namespace aidflow::engine
