// The household kernels compiled for the baseline instruction set (flags in sim/CMakeLists.txt).
#define AIDFLOW_KERNELS_ISA baseline
#include "model/people/household_kernels_impl.hpp"
