#pragma once
// The instruction set the hot loops run with. The household kernels are compiled once for each
// instruction set below (model/people/household_kernels.hpp) and one is picked at run time, so a
// single binary runs on any x86-64 machine and uses AVX-512 where the machine has it. Every version
// performs the same IEEE operations in the same order on the same fixed-width lanes
// (engine/lanes.hpp), and floating- point contraction is off for the whole build
// (-ffp-contract=off: no fused multiply-add), so a run writes the same bytes whichever version
// runs, as it does for any thread count.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>

namespace aidflow::engine {

enum class Isa : std::uint8_t { Baseline, Avx2, Avx512 };

std::string_view isa_name(Isa isa);
std::optional<Isa> parse_isa(std::string_view name);

// The widest instruction set this processor and build support.
Isa best_isa();

// The one the kernels use: best_isa(), or a narrower one named by the environment variable
// AIDFLOW_ISA (baseline, avx2 or avx512), used to check that every version gives the same bytes.
// A name this machine cannot run, or an unknown one, throws IsaError saying so.
Isa active_isa();

// A bad AIDFLOW_ISA: the user's setting, reported like bad input.
class IsaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace aidflow::engine

// AIDFLOW_HAS_ISA_VERSIONS: whether this build has the AVX2 and AVX-512 versions (x86-64 with
// GCC or Clang; set by sim/CMakeLists.txt). Elsewhere there is only the baseline version.
#ifndef AIDFLOW_HAS_ISA_VERSIONS
#define AIDFLOW_HAS_ISA_VERSIONS 0
#endif
