#include "sweep/sweep_file.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "scenario/overrides.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/schema_reader.hpp"
#include "scenario/yaml_source.hpp"
#include "sweep/design.hpp"
#include "sweep/plan.hpp"

namespace aidflow::sweep {
namespace {

using scenario::child_path;
using scenario::excerpt;
using scenario::InputError;
using scenario::item_path;
using scenario::join;
using scenario::LoadedTree;
using scenario::MapReader;
using scenario::Override;
using scenario::SourceLocation;
using scenario::SourceNode;
using Kind = SourceNode::Kind;

constexpr std::size_t kMaxParameters = 64;
constexpr std::size_t kMaxLevels = 100'000;

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// An unquoted finite number, or an error at the item.
double item_number(const SourceNode& item, const std::string& path) {
  if (item.kind == Kind::Scalar && !item.quoted && !item.scalar.empty()) {
    char* end = nullptr;
    const double value = std::strtod(item.scalar.c_str(), &end);
    if (*end == '\0' && std::isfinite(value)) return value;
  }
  throw InputError(item.where, path, "expected a finite number, got " + item.describe());
}

const SourceNode& sequence(MapReader& r, const std::string& key, std::size_t min_items) {
  const SourceNode* node = r.node().find(key);
  const std::string expected = "a list of at least " + std::to_string(min_items) + " items";
  if (node->kind != Kind::Sequence) r.fail_type(key, expected, *node);
  if (node->children.size() < min_items || node->children.size() > kMaxLevels) {
    r.fail(key, "expected " + expected + " (and at most " + std::to_string(kMaxLevels) + "), got " +
                    std::to_string(node->children.size()));
  }
  return *node;
}

std::string origin(const SourceLocation& where, const std::string& path) {
  return where.to_string() + " " + path;
}

// A value as override text, and whether it is a number.
Level value_level(const Parameter& p, const SourceNode& item) {
  Level level;
  if (item.kind == Kind::Scalar && !item.quoted) {
    level.label = item.scalar;
    char* end = nullptr;
    level.number = std::strtod(item.scalar.c_str(), &end);
    level.numeric = !item.scalar.empty() && *end == '\0' && std::isfinite(level.number);
  } else {
    level.label = scenario::to_yaml(item);
    while (!level.label.empty() && level.label.back() == '\n') level.label.pop_back();
  }
  level.set = {Override(p.path + "=" + level.label,
                        origin(item.where, p.name) + " (" + p.name + "=" + level.label + ")")};
  return level;
}

// linspace / logspace: [first, last, count].
void read_spaced(MapReader& r, const std::string& key, Parameter& p) {
  const SourceNode& list = sequence(r, key, 3);
  const std::string path = child_path(r.path(), key);
  if (list.children.size() != 3) r.fail(key, "expected [first, last, count]");
  const double first = item_number(list.children[0], item_path(path, 0));
  const double last = item_number(list.children[1], item_path(path, 1));
  const double count = item_number(list.children[2], item_path(path, 2));
  if (count < 2 || count > kMaxLevels || count != std::floor(count)) {
    throw InputError(list.children[2].where, item_path(path, 2),
                     "expected a whole number of values from 2 to " + std::to_string(kMaxLevels));
  }
  const bool log = key == "logspace";
  if (log && (first <= 0 || last <= 0)) r.fail(key, "logspace needs first and last above 0");
  const int n = static_cast<int>(count);
  for (int i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / (n - 1);
    const double value = log ? first * std::pow(last / first, t) : first + t * (last - first);
    Parameter point = p;
    point.continuous = true;
    point.min = point.max = value;
    point.origin = origin(r.where(key), p.name);
    p.levels.push_back(level_at(point, 0.0));
  }
}

void read_range(MapReader& r, Parameter& p) {
  const SourceNode& list = sequence(r, "range", 2);
  const std::string path = child_path(r.path(), "range");
  if (list.children.size() != 2) r.fail("range", "expected [min, max]");
  p.continuous = true;
  p.min = item_number(list.children[0], item_path(path, 0));
  p.max = item_number(list.children[1], item_path(path, 1));
  if (!(p.min < p.max)) r.fail("range", "expected min below max");
  p.log = r.choice("scale", {"linear", "log"}, 0) == 1;
  if (p.log && p.min <= 0) r.fail("range", "a log scale needs min above 0");
  p.integer = r.boolean("integer", false);
  p.origin = origin(r.where("range"), p.name);
}

// `levels: {label: [path=value, ...], ...}`: a factor whose values are sets of overrides.
void read_set_levels(MapReader& r, Parameter& p) {
  const SourceNode& node = *r.node().find("levels");
  const std::string path = child_path(r.path(), "levels");
  if (node.kind != Kind::Map || node.keys.empty()) {
    r.fail_type("levels", "a mapping of level name to a list of path=value", node);
  }
  for (std::size_t i = 0; i < node.keys.size(); ++i) {
    const SourceNode& set = node.children[i];
    const std::string level_path = child_path(path, node.keys[i]);
    Level level{.label = node.keys[i]};
    if (set.kind != Kind::Sequence && set.kind != Kind::Null) {
      throw InputError(set.where, level_path,
                       "expected a list of path=value, got " + set.describe());
    }
    for (std::size_t j = 0; j < set.children.size(); ++j) {
      const SourceNode& item = set.children[j];
      if (item.kind != Kind::Scalar) {
        throw InputError(item.where, item_path(level_path, j),
                         "expected path=value, got " + item.describe());
      }
      level.set.emplace_back(item.scalar, origin(item.where, item_path(level_path, j)));
    }
    p.levels.push_back(std::move(level));
  }
}

Parameter read_parameter(MapReader& r) {
  Parameter p;
  const bool set_levels = r.has("levels");
  if (set_levels) {
    p.name = r.identifier("name");
  } else {
    p.path = r.text("path");
    p.name = r.has("name") ? r.identifier("name") : p.path;
  }
  static const std::vector<std::string> kinds = {"values", "linspace", "logspace", "range",
                                                 "levels"};
  std::vector<std::string> given;
  for (const auto& k : kinds) {
    if (r.has(k)) given.push_back(k);
  }
  if (given.size() != 1) {
    r.fail(given.empty() ? "" : given[1],
           "give exactly one of values, linspace, logspace, range (with path) or levels (with "
           "name)" +
               (given.empty() ? std::string() : "; got " + join(given)));
  }
  if (given[0] == "values") {
    for (const SourceNode& item : sequence(r, "values", 1).children) {
      p.levels.push_back(value_level(p, item));
    }
  } else if (given[0] == "range") {
    read_range(r, p);
  } else if (given[0] == "levels") {
    read_set_levels(r, p);
  } else {
    read_spaced(r, given[0], p);
  }
  if (given[0] != "range") {
    if (r.has("scale")) r.fail("scale", "scale goes with range only");
    if (r.has("integer")) r.fail("integer", "integer goes with range only");
  }
  p.crossed = r.boolean("crossed", false);
  if (p.crossed && p.continuous) r.fail("crossed", "a range cannot be crossed: give values");
  r.finish();
  return p;
}

void read_design(MapReader d, SweepSpec& spec) {
  spec.design.kind = static_cast<DesignKind>(
      d.choice("kind", {"factorial", "latin_hypercube", "sobol", "morris"}, 0));
  if (spec.design.kind != DesignKind::Factorial) {
    spec.design.points = static_cast<int>(d.integer("points", 1, 1'000'000));
    spec.design.seed = static_cast<std::uint64_t>(d.integer("seed", 0, INT64_MAX, 1));
  }
  if (spec.design.kind == DesignKind::Morris) {
    spec.design.levels = static_cast<int>(d.integer("levels", 2, 64, 4));
    if (spec.design.levels % 2 != 0) d.fail("levels", "Morris needs an even number of levels");
  }
  d.finish();
}

// The design's own rules on its parameters, reported at the parameter or the design.
void check_design(MapReader& root, const SweepSpec& spec) {
  const SourceNode& list = *root.node().find("parameters");
  std::size_t sampled = 0;
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    const Parameter& p = spec.parameters[i];
    MapReader item(list.children[i], item_path("parameters", i));
    if (p.continuous && spec.design.kind == DesignKind::Factorial) {
      item.fail("range",
                "a range needs a sampled design (latin_hypercube, sobol or morris); "
                "give values or linspace for a factorial design");
    }
    if (!p.crossed) ++sampled;
    for (std::size_t j = 0; j < i; ++j) {
      if (spec.parameters[j].name == p.name) {
        item.fail(p.path.empty() ? "name" : "path", "parameter \"" + excerpt(p.name) +
                                                        "\" is given twice; give one of them a "
                                                        "name: of its own");
      }
    }
  }
  MapReader design = root.map("design");
  const bool needs_sampled = spec.design.kind != DesignKind::Factorial;
  if (needs_sampled && sampled == 0) {
    design.fail("kind", "this design samples parameters, but every parameter is crossed");
  }
  const std::size_t max_sobol = kSobolDimensions / 2;
  if (spec.design.kind == DesignKind::Sobol && sampled > max_sobol) {
    design.fail("kind", "sobol takes at most " + std::to_string(max_sobol) +
                            " sampled parameters, got " + std::to_string(sampled));
  }
}

// Every value a parameter can take, applied alone (with `set:`) to the base scenario.
void check_values(const SweepSpec& spec) {
  const SourceNode base = scenario::load_yaml_file(spec.scenario).root;
  const auto check = [&](const std::vector<Override>& set) {
    SourceNode tree = base;
    scenario::apply_overrides(tree, spec.fixed);
    scenario::apply_overrides(tree, set);
    scenario::read_scenario(tree);
  };
  check({});
  for (const Parameter& p : spec.parameters) {
    if (p.continuous) {
      check(level_at(p, 0.0).set);
      check(level_at(p, 1.0).set);
    }
    for (const Level& level : p.levels) check(level.set);
  }
}

std::int64_t count_runs(const SweepSpec& spec) {
  const auto& d = spec.design;
  std::int64_t sampled_points = 1, crossed = 1, k = 0;
  for (const Parameter& p : spec.parameters) {
    const auto levels = static_cast<std::int64_t>(p.levels.size());
    if (p.crossed) {
      crossed *= levels;
    } else if (d.kind == DesignKind::Factorial) {
      sampled_points *= levels;
    } else {
      ++k;
    }
    if (sampled_points * crossed > kMaxSweepRuns) return kMaxSweepRuns + 1;
  }
  if (d.kind == DesignKind::LatinHypercube) sampled_points = d.points;
  if (d.kind == DesignKind::Sobol) sampled_points = d.points * (k + 2);
  if (d.kind == DesignKind::Morris) sampled_points = d.points * (k + 1);
  const double runs = static_cast<double>(sampled_points) * static_cast<double>(crossed) *
                      static_cast<double>(spec.replicates);
  return runs > static_cast<double>(kMaxSweepRuns) ? kMaxSweepRuns + 1
                                                   : static_cast<std::int64_t>(runs);
}

}  // namespace

SweepSpec load_sweep(const std::filesystem::path& file, bool check_scenario) {
  const LoadedTree loaded = scenario::load_yaml_file(file);
  SweepSpec spec;
  spec.file = file;
  spec.source_text = read_text(file);
  MapReader root(loaded.root, "");
  spec.name = root.identifier("name");
  const std::string scenario = root.text("scenario");
  spec.scenario = file.parent_path() / scenario;
  if (check_scenario && !std::filesystem::is_regular_file(spec.scenario)) {
    root.fail("scenario", "no scenario file " + excerpt(spec.scenario.string()) +
                              " (a path relative to the sweep file)");
  }
  if (root.has("set")) {
    const SourceNode& set = sequence(root, "set", 0);
    for (std::size_t i = 0; i < set.children.size(); ++i) {
      const SourceNode& item = set.children[i];
      if (item.kind != Kind::Scalar) {
        throw InputError(item.where, item_path("set", i),
                         "expected path=value, got " + item.describe());
      }
      spec.fixed.emplace_back(item.scalar, origin(item.where, item_path("set", i)));
    }
  }
  root.list("parameters", kMaxParameters,
            [&](MapReader& item) { spec.parameters.push_back(read_parameter(item)); });
  read_design(root.map("design"), spec);
  spec.replicates = static_cast<int>(root.integer("replicates", 1, 100'000, 1));
  spec.seed = static_cast<std::uint64_t>(root.integer("seed", 0, INT64_MAX / 2, 1));
  root.finish();
  check_design(root, spec);
  if (count_runs(spec) > kMaxSweepRuns) {
    root.fail("replicates", "the sweep would make more than " + std::to_string(kMaxSweepRuns) +
                                " runs; split it");
  }
  if (check_scenario) check_values(spec);
  return spec;
}

}  // namespace aidflow::sweep
