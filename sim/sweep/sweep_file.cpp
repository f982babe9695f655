#include "sweep/sweep_file.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "scenario/overrides.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/schema_reader.hpp"
#include "scenario/yaml_source.hpp"
#include "sweep/design.hpp"
#include "sweep/fingerprint.hpp"
#include "sweep/plan.hpp"
#include "sweep/sweep_dir.hpp"

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

// The key path an assignment sets: "run.seed" of "run.seed=5".
std::string assigned_path(const std::string& assignment) {
  return assignment.substr(0, assignment.find('='));
}

// Seeds are the sweep's: replicate r runs with seed + r at every point, applied after every
// other override, so a value given for run.seed would be silently replaced.
void refuse_seed(const SourceLocation& where, const std::string& key_path,
                 const std::string& path) {
  if (path != "run.seed") return;
  throw InputError(where, key_path,
                   "run.seed cannot be set or varied in a sweep: replicate r runs with seed + r "
                   "at every point; give replicates: (how many seeds) and seed: (the first) "
                   "instead");
}

// An override of a `set:` list or a level: path=value text, not run.seed.
Override override_item(const SourceNode& item, const std::string& key_path) {
  if (item.kind != Kind::Scalar) {
    throw InputError(item.where, key_path, "expected path=value, got " + item.describe());
  }
  refuse_seed(item.where, key_path, assigned_path(item.scalar));
  return Override(item.scalar, origin(item.where, key_path));
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
  Parameter point = p;  // each value as a range of one value (copied once: p.levels grows)
  point.continuous = true;
  point.origin = origin(r.where(key), p.name);
  for (int i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / (n - 1);
    point.min = point.max = log ? first * std::pow(last / first, t) : first + t * (last - first);
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
      level.set.push_back(override_item(set.children[j], item_path(level_path, j)));
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
    refuse_seed(r.where("path"), child_path(r.path(), "path"), p.path);
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

// The key paths a parameter sets: its path, or every path its levels set.
std::set<std::string> paths_of(const Parameter& p) {
  if (!p.path.empty()) return {p.path};
  std::set<std::string> paths;
  for (const Level& level : p.levels) {
    for (const Override& o : level.set) paths.insert(assigned_path(o.assignment));
  }
  return paths;
}

// The design's own rules on its parameters, reported at the parameter or the design.
void check_design(MapReader& root, const SweepSpec& spec) {
  const SourceNode& list = *root.node().find("parameters");
  std::vector<std::set<std::string>> paths;
  for (const Parameter& p : spec.parameters) paths.push_back(paths_of(p));
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
    const std::string name_key = p.path.empty() || item.has("name") ? "name" : "path";
    if (is_index_column(p.name)) {
      item.fail(name_key, "\"" + excerpt(p.name) +
                              "\" is the name of a column the index has already; give the "
                              "parameter another name:");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (spec.parameters[j].name == p.name) {
        item.fail(name_key, "parameter \"" + excerpt(p.name) +
                                "\" is given twice; give one of them a name: of its own");
      }
      for (const std::string& path : paths[i]) {
        if (!paths[j].contains(path)) continue;
        item.fail(p.path.empty() ? "levels" : "path",
                  "\"" + excerpt(path) + "\" is set by " + item_path("parameters", j) +
                      " too; a path may vary in one parameter only (the later one would win "
                      "while the index showed both varying)");
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

// A value strictly inside a range, not a whole number where one exists: a key that takes whole
// numbers passes at both ends of [1000, 2000] and then fails at 1500.5 in every run.
std::optional<Level> fractional_inside(const Parameter& p) {
  Parameter one = p;
  one.min = one.max = std::floor((p.min + p.max) / 2) + 0.5;
  if (!(one.min > p.min && one.min < p.max)) return std::nullopt;  // ends are fractions already
  return level_at(one, 0.0);
}

// Every value a parameter can take, applied alone (with `set:`) to the base scenario: both ends
// of a range and, unless it is `integer`, a fraction inside it.
void check_values(const SweepSpec& spec, const SourceNode& base,
                  const std::function<void()>& check_interrupt) {
  const auto check = [&](const std::vector<Override>& set) {
    if (check_interrupt) check_interrupt();
    SourceNode tree = base;
    scenario::apply_overrides_checked(tree, spec.fixed);
    scenario::apply_overrides_checked(tree, set);
    scenario::read_scenario(tree);
  };
  check({});
  for (const Parameter& p : spec.parameters) {
    if (p.continuous) {
      check(level_at(p, 0.0).set);
      check(level_at(p, 1.0).set);
      const auto inside = p.integer ? std::nullopt : fractional_inside(p);
      try {
        if (inside) check(inside->set);
      } catch (const InputError& e) {
        throw InputError(e.where(), e.path(),
                         e.message() +
                             "; a range gives values between its ends like this one: "
                             "add integer: true if the key takes whole numbers");
      }
    }
    for (const Level& level : p.levels) check(level.set);
  }
}

void add_inputs(SweepSpec& spec, const std::string& role,
                const std::vector<std::filesystem::path>& files) {
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto fingerprint = fingerprint_of_file(files[i]);
    if (!fingerprint) {
      throw InputError({std::make_shared<const std::string>(files[i].string()), 0, 0}, "",
                       "cannot be read again to fingerprint it");
    }
    spec.inputs.push_back({.role = i == 0 ? role : role + " (extended)",
                           .path = files[i],
                           .fingerprint = *fingerprint});
  }
}

}  // namespace

SweepSpec load_sweep(const std::filesystem::path& file, bool check_scenario,
                     const std::function<void()>& check_interrupt) {
  const LoadedTree loaded = scenario::load_yaml_file(file);
  SweepSpec spec;
  spec.file = file;
  // With extends, the sweep as read: DIR/sweep.yaml must stand alone (sweep-merge reads it).
  spec.source_text = loaded.files.size() > 1 ? "# " + file.string() + ", its extends resolved\n" +
                                                   scenario::to_yaml(loaded.root)
                                             : read_text(file);
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
      spec.fixed.push_back(override_item(set.children[i], item_path("set", i)));
    }
  }
  root.list("parameters", kMaxParameters, [&](MapReader& item) {
    if (check_interrupt) check_interrupt();
    spec.parameters.push_back(read_parameter(item));
  });
  read_design(root.map("design"), spec);
  spec.replicates = static_cast<int>(root.integer("replicates", 1, 100'000, 1));
  spec.seed = static_cast<std::uint64_t>(root.integer("seed", 0, INT64_MAX / 2, 1));
  root.finish();
  check_design(root, spec);
  const auto points = count_points(spec, kMaxSweepRuns);
  if (!points || *points > kMaxSweepRuns / spec.replicates) {
    root.fail("replicates", "the sweep would make more than " + std::to_string(kMaxSweepRuns) +
                                " runs; split it");
  }
  if (!check_scenario) return spec;
  add_inputs(spec, "sweep", loaded.files);
  const LoadedTree base = scenario::load_yaml_file(spec.scenario);
  add_inputs(spec, "scenario", base.files);
  spec.inputs_fingerprint = inputs_fingerprint(spec.inputs);
  check_values(spec, base.root, check_interrupt);
  return spec;
}

}  // namespace aidflow::sweep
