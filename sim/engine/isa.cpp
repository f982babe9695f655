#include "engine/isa.hpp"

#include <array>
#include <cstdlib>
#include <string>

namespace aidflow::engine {
namespace {

constexpr std::array<std::string_view, 3> kNames = {"baseline", "avx2", "avx512"};

Isa detect() {
#if AIDFLOW_HAS_ISA_VERSIONS
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw")) {
    return Isa::Avx512;
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
      __builtin_cpu_supports("bmi2")) {
    return Isa::Avx2;
  }
#endif
  return Isa::Baseline;
}

Isa chosen() {
  const char* requested = std::getenv("AIDFLOW_ISA");
  if (requested == nullptr || *requested == '\0') return best_isa();
  const std::optional<Isa> isa = parse_isa(requested);
  if (!isa) {
    throw IsaError("AIDFLOW_ISA=" + std::string(requested) + ": expected baseline, avx2 or avx512");
  }
  if (*isa > best_isa()) {
    throw IsaError("AIDFLOW_ISA=" + std::string(requested) + ": this machine supports at most " +
                   std::string(isa_name(best_isa())));
  }
  return *isa;
}

}  // namespace

std::string_view isa_name(Isa isa) {
  return kNames[static_cast<std::size_t>(isa)];
}

std::optional<Isa> parse_isa(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (name == kNames[i]) return static_cast<Isa>(i);
  }
  return std::nullopt;
}

Isa best_isa() {
  static const Isa best = detect();
  return best;
}

Isa active_isa() {
  static const Isa active = chosen();
  return active;
}

}  // namespace aidflow::engine
