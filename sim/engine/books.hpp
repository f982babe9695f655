#pragma once
// Anything that keeps money books closed step by step (the aid ledger, the armed groups' accounts):
// the simulation closes every set of books after each step, and a set that does not balance stops
// the run.
namespace aidflow::engine {

class StepBooks {
 public:
  virtual ~StepBooks() = default;
  // Checks the step's books balance to the cent (throws LedgerImbalance otherwise) and rolls them.
  virtual void close_step(int step) = 0;
};

}  // namespace aidflow::engine
