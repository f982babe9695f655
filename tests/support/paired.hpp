#pragma once
// Statistics for paired replicates with common random numbers: each replicate runs the baseline
// and the policy with the same seed, so their difference is the policy's effect plus noise that
// mostly cancels. A one-sided sign test asks how likely k or more of n differences would point the
// stated way if the policy had no effect (each way then equally likely).
#include <cmath>
#include <numeric>
#include <vector>

namespace aidflow::testing {

// P(X >= k) for X ~ Binomial(n, 1/2).
inline double sign_test_p(int k, int n) {
  double p = 0.0;
  for (int i = k; i <= n; ++i) {
    p += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) -
                  n * std::log(2.0));
  }
  return p;
}

inline double mean(const std::vector<double>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// Paired differences policy - base, and how many are above zero.
struct Paired {
  std::vector<double> differences;
  int positive() const {
    int k = 0;
    for (double d : differences) k += d > 0.0;
    return k;
  }
  int n() const { return static_cast<int>(differences.size()); }
  double p_increase() const { return sign_test_p(positive(), n()); }
  double p_decrease() const {
    int k = 0;
    for (double d : differences) k += d < 0.0;
    return sign_test_p(k, n());
  }
};

}  // namespace aidflow::testing
