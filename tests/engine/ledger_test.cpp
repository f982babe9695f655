#include "engine/ledger.hpp"

#include <gtest/gtest.h>

namespace aidflow::engine {
namespace {

// 2 sources x 2 routes x 2 touchpoints = 8 rows, 3 sinks.
Ledger two_by_two() {
  return Ledger({"s0", "s1"}, {"r0", "r1"}, {"t0", "t1"}, {"k0", "k1", "k2"});
}

TEST(Ledger, BalancedStepAccumulatesIntoTotals) {
  Ledger ledger = two_by_two();
  ledger.disburse(1, 0, 1, 100);
  ledger.settle(1, 0, 1, 0, 60);
  ledger.settle(1, 0, 1, 2, 40);
  ASSERT_NO_THROW(ledger.close_step(0));
  const std::size_t row = ledger.row(1, 0, 1);
  EXPECT_EQ(row, 5u) << "rows are laid out [source][route][touchpoint]";
  EXPECT_EQ(ledger.total_disbursed()[row], 100);
  EXPECT_EQ(ledger.total_settled()[row * 3 + 0], 60);
  EXPECT_EQ(ledger.total_settled()[row * 3 + 2], 40);
  EXPECT_EQ(ledger.step_disbursed()[row], 0) << "close_step clears the step";
  ledger.disburse(1, 0, 1, 1);
  ledger.settle(1, 0, 1, 1, 1);
  ledger.close_step(1);
  EXPECT_EQ(ledger.total_disbursed()[row], 101);
}

TEST(Ledger, OneCentOffIsAnErrorNamingTheRow) {
  Ledger ledger = two_by_two();
  ledger.disburse(0, 1, 0, 100);
  ledger.settle(0, 1, 0, 0, 99);
  try {
    ledger.close_step(3);
    FAIL() << "an unbalanced step must throw";
  } catch (const LedgerImbalance& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("step 3"), std::string::npos) << message;
    EXPECT_NE(message.find("s0 via r1 to t0"), std::string::npos) << message;
    EXPECT_NE(message.find("100"), std::string::npos) << message;
  }
}

TEST(Ledger, EachTouchpointBalancesOnItsOwn) {
  // The same cents in another touchpoint of the same source and route do not make up for it.
  Ledger ledger = two_by_two();
  ledger.disburse(0, 0, 0, 10);
  ledger.settle(0, 0, 1, 0, 10);
  EXPECT_THROW(ledger.close_step(0), LedgerImbalance);
}

TEST(Ledger, MoneySettledWithoutDisbursementIsAnError) {
  Ledger ledger = two_by_two();
  ledger.settle(0, 0, 0, 0, 1);
  EXPECT_THROW(ledger.close_step(0), LedgerImbalance);
}

TEST(Ledger, SumsOverTouchpointsAndRoutes) {
  Ledger ledger = two_by_two();
  ledger.disburse(1, 1, 0, 7);
  ledger.disburse(1, 1, 1, 5);
  ledger.disburse(1, 0, 0, 2);
  ledger.settle(1, 1, 0, 2, 7);
  ledger.settle(1, 1, 1, 2, 4);
  ledger.settle(1, 1, 1, 0, 1);
  ledger.settle(1, 0, 0, 1, 2);
  const auto by_route = ledger.by_route(ledger.step_disbursed());
  EXPECT_EQ(by_route, (std::vector<Cents>{0, 0, 2, 12}));
  const auto settled = ledger.by_route(ledger.step_settled());
  ASSERT_EQ(settled.size(), 4u * 3u);
  EXPECT_EQ(settled[3 * 3 + 2], 11);
  EXPECT_EQ(settled[3 * 3 + 0], 1);
  EXPECT_EQ(ledger.by_source(ledger.step_disbursed()), (std::vector<Cents>{0, 14}));
  EXPECT_EQ(ledger.by_source(ledger.step_settled()), (std::vector<Cents>{0, 0, 0, 1, 2, 11}));
  EXPECT_THROW(ledger.by_source(std::vector<Cents>(5, 0)), std::invalid_argument);
}

TEST(Ledger, RefusesNegativeAmountsAndUnknownIndices) {
  Ledger ledger = two_by_two();
  EXPECT_THROW(ledger.disburse(0, 0, 0, -1), std::invalid_argument);
  EXPECT_THROW(ledger.settle(0, 0, 0, 0, -1), std::invalid_argument);
  EXPECT_THROW(ledger.disburse(2, 0, 0, 1), std::out_of_range);
  EXPECT_THROW(ledger.disburse(0, 0, 2, 1), std::out_of_range);
  EXPECT_THROW(ledger.settle(0, 0, 0, 3, 1), std::out_of_range);
}

TEST(Ledger, OverflowingTotalsThrow) {
  Ledger ledger = two_by_two();
  ledger.disburse(0, 0, 0, std::numeric_limits<Cents>::max());
  EXPECT_THROW(ledger.disburse(0, 0, 0, 1), MoneyOverflow);
}

}  // namespace
}  // namespace aidflow::engine
