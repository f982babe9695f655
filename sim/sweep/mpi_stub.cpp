// The MPI work queue when CMake found no MPI: the rest of the sweep works, --mpi says why not.
#include <stdexcept>

#include "sweep/mpi_queue.hpp"

namespace aidflow::sweep {

bool mpi_available() {
  return false;
}

bool run_mpi_queue(const MpiJob&) {
  throw std::runtime_error(
      "this aidflow was built without MPI (install openmpi-bin libopenmpi-dev and rebuild); use "
      "--shard K/N for job arrays instead");
}

}  // namespace aidflow::sweep
