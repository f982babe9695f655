// The MPI work queue when CMake found no MPI: the rest of the sweep works, --mpi says why not.
#include <stdexcept>

#include "sweep/mpi_queue.hpp"

namespace aidflow::sweep {

MpiSession::MpiSession() {
  throw std::runtime_error(
      "this aidflow was built without MPI (install openmpi-bin libopenmpi-dev and rebuild); use "
      "--shard K/N for job arrays instead");
}

MpiSession::~MpiSession() = default;

bool MpiSession::share(bool ok) const {
  return ok;
}

void run_mpi_queue(const MpiSession&, const MpiJob&) {}

}  // namespace aidflow::sweep
