#include "app/timings.hpp"

#include <sys/resource.h>

#include <iomanip>

#include "engine/isa.hpp"

namespace aidflow::app {
namespace {

// Peak resident memory of this process, in MiB (Linux reports ru_maxrss in KiB).
double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// How the household phase's work spreads over its tasks (model/state/people.hpp).
void print_household_tasks(const model::HouseholdTasks& tasks, std::ostream& out) {
  out << "tasks      household_tasks " << tasks.count() << "\n";
  out << "tasks      household_blocks " << tasks.blocks.size() << "\n";
  out << "rate       largest_task_share " << tasks.largest_share() << "\n";
  out << "rate       serial_share " << tasks.serial_share() << "\n";
  for (const int workers : {2, 16, 32}) {
    out << "rate       speedup_bound_" << workers << " " << tasks.speedup_bound(workers) << "\n";
  }
}

}  // namespace

void print_timings(const model::World& world, const engine::Simulation& simulation,
                   const RunTimes& times, std::ostream& out) {
  const double household_steps =
      static_cast<double>(world.households.size()) * world.spec.run.steps;
  out << std::setprecision(4) << std::defaultfloat;
  out << "timing     startup " << times.startup << "\n";
  const auto& phases = simulation.phases();
  for (std::size_t p = 0; p < phases.size() && p < simulation.phase_seconds().size(); ++p) {
    out << "timing     phase:" << phases[p].name << " " << simulation.phase_seconds()[p] << "\n";
    if (phases[p].name == "households") {
      out << "rate       household_phase " << household_steps / simulation.phase_seconds()[p]
          << "\n";
      print_household_tasks(world.districts.tasks, out);
    }
  }
  out << "timing     recorders " << simulation.recorder_seconds() << "\n";
  out << "timing     stepping " << times.stepping << "\n";
  out << "timing     output " << times.output << "\n";
  out << "timing     total " << times.startup + times.stepping + times.output << "\n";
  out << "rate       all_phases " << household_steps / times.stepping << "\n";
  out << "memory     peak_rss_mib " << peak_rss_mib() << "\n";
  out << "memory     household_bytes " << model::Households::kBytesPerHousehold << "\n";
  out << "memory     households " << world.households.size() << "\n";
  out << "isa        household_kernels " << engine::isa_name(engine::active_isa()) << " (best here "
      << engine::isa_name(engine::best_isa()) << ")\n";
}

}  // namespace aidflow::app
