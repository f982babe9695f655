// The household kernels compiled for the avx2 instruction set (flags in sim/CMakeLists.txt).
#define AIDFLOW_KERNELS_ISA avx2
#include "model/people/household_kernels_impl.hpp"
