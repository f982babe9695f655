#pragma once
// A validated sweep file (docs/SWEEPS.md): a base scenario, the parameters to vary, a design, and
// replicates. Plain data, frozen after scenario::load_sweep checked it; the plan turns it into
// runs.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "outcomes/bind.hpp"
#include "outcomes/expression.hpp"
#include "scenario/overrides.hpp"
#include "scenario/source_tree.hpp"

namespace aidflow::sweep {

// One value a parameter can take: a label for the store, and the overrides it stands for (one
// `path=value` per path the parameter sets, or a whole set for a named factor such as a policy
// arm).
struct Level {
  std::string label;
  std::vector<scenario::Override> set;
  bool numeric = false;  // the label is a number (so the store's coordinate can be numeric)
  double number = 0.0;
  bool boolean = false;  // the label is true or false (a boolean coordinate)
};

// A path a parameter sets, with the transform its value goes through on the way: the path gets
// value * scale + offset (numbers only), so one parameter can move several keys together.
struct Target {
  std::string path;
  double scale = 1.0, offset = 0.0;
  bool transformed() const { return scale != 1.0 || offset != 0.0; }
};

struct Parameter {
  std::string name;             // the store's coordinate: `name:`, or the last key of the path
  std::vector<Target> targets;  // empty for a factor of override sets
  std::string group;            // parameters of one group are sampled as one (one design axis)
  std::vector<Level> levels;    // discrete values (values, linspace, logspace, levels)
  // Continuous (`range`): sampled by the design on [min, max], linearly or in logs.
  bool continuous = false;
  double min = 0.0, max = 0.0;
  bool log = false, integer = false;
  bool crossed = false;  // every level at every sampled point, rather than sampled
  std::string origin;    // "FILE:LINE:COL" of the entry, for messages about its values
};

// Ensemble: one point per draw of an ensemble file (sweep/ensemble.hpp), crossed with the arms.
enum class DesignKind { Factorial, LatinHypercube, Sobol, Morris, Ensemble };

struct Design {
  DesignKind kind = DesignKind::Factorial;
  int points = 0;          // latin_hypercube: points; sobol: base samples N; morris: trajectories
  int levels = 4;          // morris: grid levels
  std::uint64_t seed = 1;  // of the sampling (not of the runs)
};

// A file the sweep reads, with the fingerprint of its bytes: a resume or shard whose inputs
// differ from those the directory's sweep began with is refused, naming the file.
struct InputFile {
  std::string role;  // "sweep", "scenario", or either followed by " (extended)"
  std::filesystem::path path;
  std::string fingerprint;
};

struct SweepSpec {
  std::string name;
  std::filesystem::path file;             // the sweep file
  std::filesystem::path scenario;         // the base scenario, as resolved
  std::vector<scenario::Override> fixed;  // `set:` applied to every run
  std::vector<Parameter> parameters;
  Design design;
  int replicates = 1;
  std::uint64_t seed = 1;          // replicate r runs with seed + r at every design point
  std::string source_text;         // the sweep as read, `extends` resolved: DIR/sweep.yaml
  std::filesystem::path ensemble;  // `ensemble:` as resolved (empty without one)
  std::string ensemble_text;       // that file as read: DIR/ensemble.csv
  // The sweep file and the scenario, each with what it extends, the ensemble, and the tables the
  // base scenario reads.
  std::vector<InputFile> inputs;
  std::string inputs_fingerprint;  // of all of them: where every run's fingerprint starts
  // The outcomes every run gives (the defaults first unless `default_outcomes: false`), bound to
  // the base scenario: the store's layout (sweep/store.hpp).
  std::vector<outcomes::Declaration> outcomes;  // those declared (`outcomes:`)
  bool default_outcomes = true;
  std::vector<outcomes::Declaration> store_outcomes;  // the defaults (if any), then those declared
  outcomes::Bound bound;
  std::string
      start_date;  // of the base scenario (YYYY-MM-DD): what series outcomes' dates count from
  // The base scenario as read, `extends` resolved and `set:` applied: each run's scenario is this
  // tree with the run's overrides, so the YAML is parsed once per sweep (DIR/scenario.yaml).
  scenario::SourceNode base;
};

inline const char* design_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::Factorial:
      return "factorial";
    case DesignKind::LatinHypercube:
      return "latin_hypercube";
    case DesignKind::Sobol:
      return "sobol";
    case DesignKind::Morris:
      return "morris";
    case DesignKind::Ensemble:
      return "ensemble";
  }
  return "?";
}

}  // namespace aidflow::sweep
