// The household kernels compiled for the avx512 instruction set (flags in sim/CMakeLists.txt).
#define AIDFLOW_KERNELS_ISA avx512
#include "model/people/household_kernels_impl.hpp"
