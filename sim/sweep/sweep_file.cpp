#include "sweep/sweep_file.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "model/spec/labels.hpp"
#include "model/state/world.hpp"
#include "outcomes/declare.hpp"
#include "run/scenario_run.hpp"
#include "scenario/overrides.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/schema_reader.hpp"
#include "scenario/yaml_source.hpp"
#include "sweep/declared_parameters.hpp"
#include "sweep/design.hpp"
#include "sweep/ensemble.hpp"
#include "sweep/fingerprint.hpp"
#include "sweep/plan.hpp"
#include "sweep/store.hpp"
#include "sweep/sweep_dir.hpp"

namespace aidflow::sweep {
namespace {

using outcomes::quoted;
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

// Items of `parameters:` as written, and parameters once `uncertainties:` items are expanded (the
// baseline declares a few hundred).
constexpr std::size_t kMaxParameters = 64;
constexpr std::size_t kMaxExpandedParameters = 1024;
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

// A value as it is written in an override, and whether it is a number or a boolean.
Level value_level(const Parameter& p, const SourceNode& item, const std::string& path) {
  Level level;
  if (item.kind == Kind::Scalar && !item.quoted) {
    level.label = item.scalar;
    char* end = nullptr;
    level.number = std::strtod(item.scalar.c_str(), &end);
    level.numeric = !item.scalar.empty() && *end == '\0' && std::isfinite(level.number);
    level.boolean = is_boolean(item.scalar);
    if (level.boolean) level.number = level.label[0] == 't' || level.label[0] == 'T' ? 1.0 : 0.0;
  } else {
    level.label = scenario::to_yaml(item);
    while (!level.label.empty() && level.label.back() == '\n') level.label.pop_back();
  }
  if (!level.numeric && std::any_of(p.targets.begin(), p.targets.end(),
                                    [](const Target& t) { return t.transformed(); })) {
    throw InputError(item.where, path,
                     "a path with scale or offset needs numbers, got " + item.describe());
  }
  level.set = assignments(p, level, origin(item.where, p.name));
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

// `paths:` entries: a key path, or {path: P, scale: S, offset: O}.
Target read_target(const SourceNode& item, const std::string& path) {
  Target t;
  if (item.kind == Kind::Scalar) {
    t.path = item.scalar;
  } else {
    MapReader entry(item, path);
    t.path = entry.text("path");
    t.scale = entry.number("scale", {-1e300, 1e300}, 1.0);
    t.offset = entry.number("offset", {-1e300, 1e300}, 0.0);
    entry.finish();
  }
  if (t.path.empty() || t.path.find('=') != std::string::npos) {
    throw InputError(item.where, path, "expected a key path such as sanctions[0].enforcement");
  }
  refuse_seed(item.where, path, t.path);
  return t;
}

// The name a parameter gets from its path: its last key (factions[0].local_tax_rate:
// local_tax_rate), if that is a name.
std::string name_from_path(MapReader& r, const std::string& key, const std::string& path) {
  std::string last = path.substr(path.rfind('.') == std::string::npos ? 0 : path.rfind('.') + 1);
  last = last.substr(0, last.find('['));
  if (!outcomes::is_outcome_name(last)) {
    r.fail(key, "\"" + excerpt(path) + "\" gives no name to the parameter; give it a name:");
  }
  return last;
}

void read_targets(MapReader& r, Parameter& p) {
  if (r.has("path") == r.has("paths")) {
    r.fail(r.has("path") ? "paths" : "",
           "give path (one key) or paths (several, each with an optional scale and offset), or "
           "levels with a name");
  }
  if (r.has("path")) {
    p.targets.push_back({.path = r.text("path")});
    refuse_seed(r.where("path"), child_path(r.path(), "path"), p.targets[0].path);
  } else {
    const SourceNode& list = sequence(r, "paths", 1);
    for (std::size_t i = 0; i < list.children.size(); ++i) {
      p.targets.push_back(
          read_target(list.children[i], item_path(child_path(r.path(), "paths"), i)));
    }
  }
  const std::string key = r.has("path") ? "path" : "paths";
  p.name = r.has("name") ? r.identifier("name") : name_from_path(r, key, p.targets[0].path);
}

Parameter read_parameter(MapReader& r) {
  Parameter p;
  const bool set_levels = r.has("levels");
  if (set_levels) {
    p.name = r.identifier("name");
    if (r.has("path") || r.has("paths")) {
      r.fail(r.has("path") ? "path" : "paths", "levels set their own paths: give no path");
    }
  } else {
    read_targets(r, p);
  }
  if (r.has("group")) p.group = r.identifier("group");
  static const std::vector<std::string> kinds = {"values", "linspace", "logspace", "range",
                                                 "levels"};
  std::vector<std::string> given;
  for (const auto& k : kinds) {
    if (r.has(k)) given.push_back(k);
  }
  if (given.size() != 1) {
    r.fail(given.empty() ? "" : given[1],
           "give exactly one of values, linspace, logspace, range (with path or paths) or levels "
           "(with name)" +
               (given.empty() ? std::string() : "; got " + join(given)));
  }
  if (given[0] == "values") {
    const SourceNode& values = sequence(r, "values", 1);
    for (std::size_t i = 0; i < values.children.size(); ++i) {
      p.levels.push_back(
          value_level(p, values.children[i], item_path(child_path(r.path(), "values"), i)));
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
  std::set<std::string> paths;
  for (const Target& t : p.targets) paths.insert(t.path);
  if (!p.targets.empty()) return paths;
  for (const Level& level : p.levels) {
    for (const Override& o : level.set) paths.insert(assigned_path(o.assignment));
  }
  return paths;
}

// Where a parameter's paths are given: levels, path or paths.
std::string paths_key(MapReader& item, const Parameter& p) {
  if (p.targets.empty()) return "levels";
  return item.has("path") ? "path" : "paths";
}

// Where a parameter's name comes from: its `name:`, else its path(s).
std::string name_key(MapReader& item, const Parameter& p) {
  if (p.targets.empty() || item.has("name")) return "name";
  return item.has("path") ? "path" : "paths";
}

// A parameter's name against the store's own coordinates, the outcomes and the parameters before.
void check_name(MapReader& item, const SweepSpec& spec, std::size_t i) {
  const Parameter& p = spec.parameters[i];
  const std::string key = name_key(item, p);
  if (is_store_coordinate(p.name)) {
    item.fail(key, quoted(p.name) +
                       " is the name of a coordinate the store has already; give the parameter "
                       "another name:");
  }
  for (std::size_t j = 0; j < i; ++j) {
    if (spec.parameters[j].name == p.name) {
      item.fail(key, "parameter \"" + excerpt(p.name) +
                         "\" is given twice; give one of them a name: of its own");
    }
  }
}

// Parameters of one group move as one: all crossed or none, and level by level where they are
// not sampled from a unit value (factorial, crossed), so with as many levels each.
void check_group(MapReader& item, const SweepSpec& spec, std::size_t i) {
  const Parameter& p = spec.parameters[i];
  if (p.group.empty()) return;
  for (const Parameter& q : spec.parameters) {
    if (q.name == p.group) {
      item.fail("group", "\"" + p.group + "\" is a parameter's name; give the group another");
    }
  }
  for (std::size_t j = 0; j < i; ++j) {  // against the group's first member
    const Parameter& q = spec.parameters[j];
    if (q.group != p.group) continue;
    if (q.crossed != p.crossed) {
      item.fail("group", "group " + p.group + " mixes crossed and sampled parameters (" +
                             item_path("parameters", j) + "); a group moves as one");
    }
    const bool level_by_level = p.crossed || spec.design.kind == DesignKind::Factorial;
    if (level_by_level && q.levels.size() != p.levels.size()) {
      item.fail("group", "group " + p.group + " moves level by level, but this parameter has " +
                             std::to_string(p.levels.size()) + " levels and " +
                             item_path("parameters", j) + " has " +
                             std::to_string(q.levels.size()));
    }
    return;
  }
}

// The design's own rules on its parameters, reported at the parameter or the design.
void check_design(MapReader& root, const SweepSpec& spec) {
  const SourceNode& list = *root.node().find("parameters");
  std::vector<std::set<std::string>> paths;
  for (const Parameter& p : spec.parameters) paths.push_back(paths_of(p));
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    const Parameter& p = spec.parameters[i];
    MapReader item(list.children[i], item_path("parameters", i));
    if (p.continuous && spec.design.kind == DesignKind::Factorial) {
      item.fail("range",
                "a range needs a sampled design (latin_hypercube, sobol or morris); "
                "give values or linspace for a factorial design");
    }
    check_name(item, spec, i);
    check_group(item, spec, i);
    for (std::size_t j = 0; j < i; ++j) {
      for (const std::string& path : paths[i]) {
        if (!paths[j].contains(path)) continue;
        item.fail(paths_key(item, p),
                  "\"" + excerpt(path) + "\" is set by " + item_path("parameters", j) +
                      " too; a path may vary in one parameter only (the later one would win "
                      "while the store showed both varying)");
      }
    }
  }
  MapReader design = root.map("design");
  const std::size_t sampled = design_axes(spec, false).size();
  const bool needs_sampled =
      spec.design.kind != DesignKind::Factorial && spec.design.kind != DesignKind::Ensemble;
  if (needs_sampled && sampled == 0) {
    design.fail("kind", "this design samples parameters, but every parameter is crossed");
  }
  const std::size_t max_sobol = kSobolDimensions / 2;
  if (spec.design.kind == DesignKind::Sobol && sampled > max_sobol) {
    design.fail("kind", "sobol takes at most " + std::to_string(max_sobol) +
                            " sampled parameters (or groups), got " + std::to_string(sampled));
  }
}

// `ensemble: FILE` (sweep/ensemble.hpp): the draws become the design's one sampled axis, after
// the file's parameters, which must all be crossed (the arms every draw runs). sweep-merge
// (check_scenario false) reads the copy the sweep directory keeps beside DIR/sweep.yaml.
void attach_ensemble(MapReader& root, SweepSpec& spec, bool check_scenario) {
  const std::string given = root.text("ensemble");
  spec.ensemble = spec.file.parent_path() / (check_scenario ? given : kEnsembleCopy);
  Ensemble ensemble = read_ensemble(spec.ensemble, root.where("ensemble"));
  const std::set<std::string> drawn = paths_of(ensemble.parameter);
  const SourceNode& list = *root.node().find("parameters");
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    const Parameter& p = spec.parameters[i];
    MapReader item(list.children[i], item_path("parameters", i));
    if (!p.crossed) {
      item.fail(item.has("crossed") ? "crossed" : name_key(item, p),
                "with an ensemble every parameter is an arm run at every draw: give crossed: "
                "true (the draws set the uncertain values)");
    }
    if (p.name == kDrawName) {
      item.fail(name_key(item, p), "\"draw\" is the ensemble's coordinate; give another name:");
    }
    for (const std::string& path : paths_of(p)) {
      if (drawn.contains(path)) {
        item.fail(paths_key(item, p), "\"" + excerpt(path) +
                                          "\" is set by every draw of the ensemble too; a path "
                                          "may vary in one parameter only");
      }
    }
  }
  spec.ensemble_text = std::move(ensemble.text);
  spec.parameters.push_back(std::move(ensemble.parameter));
}

// A value strictly inside a range, not a whole number where one exists: a key that takes whole
// numbers passes at both ends of [1000, 2000] and then fails at 1500.5 in every run.
std::optional<Level> fractional_inside(const Parameter& p) {
  Parameter one = p;
  one.min = one.max = std::floor((p.min + p.max) / 2) + 0.5;
  if (!(one.min > p.min && one.min < p.max)) return std::nullopt;  // ends are fractions already
  return level_at(one, 0.0);
}

// Every value a parameter can take, applied alone to the base scenario (with `set:`): both ends
// of a range and, unless it is `integer`, a fraction inside it.
void check_values(const SweepSpec& spec, const std::function<void()>& check_interrupt) {
  scenario::TableCache tables;
  const auto check = [&](const std::vector<Override>& set) {
    if (check_interrupt) check_interrupt();
    SourceNode tree = spec.base;
    scenario::apply_overrides_checked(tree, set);
    scenario::read_scenario(tree, scenario::SourceText::kLeftOut, &tables);
  };
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

// An outcome is named once, and no parameter takes an outcome's name (each is a variable of the
// store): checked once the defaults are known, from the base scenario's factions.
void check_outcome_names_taken(MapReader& root, const SweepSpec& spec) {
  const std::size_t defaults = spec.store_outcomes.size() - spec.outcomes.size();
  const auto is_default = [&](const std::string& name) {
    for (std::size_t i = 0; i < defaults; ++i) {
      if (spec.store_outcomes[i].name == name) return true;
    }
    return false;
  };
  const std::string why =
      " is the name of a default outcome (the run totals, and diverted_F, treasury_F and "
      "fighters_F for each faction F)";
  for (const outcomes::Declaration& d : spec.outcomes) {
    if (is_default(d.name)) {
      throw InputError(
          d.where, d.path,
          quoted(d.name) + why + "; give this one another name, or set default_outcomes: false");
    }
  }
  for (const outcomes::Declaration& o : spec.outcomes) {
    if (!spec.ensemble_text.empty() && o.name == kDrawName) {
      throw InputError(o.where, o.path,
                       "\"draw\" is the ensemble's coordinate; give the outcome another name");
    }
  }
  const SourceNode& list = *root.node().find("parameters");
  // The file's parameters (an ensemble's draws come after them, checked when attached).
  for (std::size_t i = 0; i < list.children.size(); ++i) {
    const Parameter& p = spec.parameters[i];
    MapReader item(list.children[i], item_path("parameters", i));
    if (is_default(p.name)) {
      item.fail(name_key(item, p), quoted(p.name) + why +
                                       "; give the parameter another name:, or set "
                                       "default_outcomes: false");
    }
    for (const outcomes::Declaration& o : spec.outcomes) {
      if (o.name == p.name) {
        item.fail(name_key(item, p), quoted(p.name) + " is the name of an outcome (" + o.path +
                                         "); give the parameter another name:");
      }
    }
  }
}

// Series outcomes have one length and one set of dates in the store: no parameter may change
// how long a run is or when it starts.
void check_series_fit(MapReader& root, const SweepSpec& spec) {
  const auto series = std::find_if(spec.bound.schemas.begin(), spec.bound.schemas.end(),
                                   [](const outcomes::Schema& s) { return s.axis.has_value(); });
  if (series == spec.bound.schemas.end()) return;
  const SourceNode& list = *root.node().find("parameters");
  for (std::size_t i = 0; i < list.children.size(); ++i) {  // an ensemble sets no run.* key
    for (const std::string& path : paths_of(spec.parameters[i])) {
      if (path != "run.steps" && path != "run.start_date") continue;
      MapReader item(list.children[i], item_path("parameters", i));
      item.fail(paths_key(item, spec.parameters[i]),
                path + " varies, but outcome " + series->name +
                    " is a series: the store holds one set of dates; vary it in separate sweeps");
    }
  }
}

// Declared outcomes may not take the store's own names.
void check_outcome_names(const SweepSpec& spec) {
  for (const outcomes::Declaration& d : spec.outcomes) {
    if (is_store_coordinate(d.name)) {
      throw InputError(d.where, d.path,
                       "\"" + d.name +
                           "\" is the name of a coordinate the store has already; "
                           "give the outcome another name");
    }
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

// The key paths `set:` and the parameters other than `uncertainties:` items fix or vary.
std::set<std::string> taken_paths(const SourceNode& parameters, const SweepSpec& spec) {
  std::set<std::string> taken;
  for (const Override& o : spec.fixed) taken.insert(assigned_path(o.assignment));
  for (std::size_t i = 0; i < parameters.children.size(); ++i) {
    if (is_uncertainties_item(parameters.children[i])) continue;
    MapReader item(parameters.children[i], item_path("parameters", i));
    taken.merge(paths_of(read_parameter(item)));
  }
  return taken;
}

// `uncertainties:` items become the parameters they stand for (declared_parameters.hpp), read
// from the scenario with `set:` applied; returns how many were made (0: none asked for).
std::size_t expand_declared(MapReader& root, SourceNode& tree, const SweepSpec& spec) {
  SourceNode* parameters = tree.find("parameters");
  if (!parameters || parameters->kind != Kind::Sequence ||
      std::none_of(parameters->children.begin(), parameters->children.end(),
                   is_uncertainties_item)) {
    return 0;
  }
  if (!std::filesystem::is_regular_file(spec.scenario)) {
    root.fail("scenario", "no scenario file " + excerpt(spec.scenario.string()) +
                              " to read the declared uncertainties from");
  }
  const std::set<std::string> taken = taken_paths(*parameters, spec);
  LoadedTree base = scenario::load_yaml_file(spec.scenario);
  scenario::apply_overrides_checked(base.root, spec.fixed);
  const std::size_t made = expand_uncertainties(*parameters, base.root, taken);
  if (parameters->children.size() > kMaxExpandedParameters) {
    root.fail("parameters", "expected at most " + std::to_string(kMaxExpandedParameters) +
                                " parameters once uncertainties are expanded, got " +
                                std::to_string(parameters->children.size()));
  }
  return made;
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
  SourceNode tree = loaded.root;
  MapReader root(tree, "");
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
  const std::size_t expanded = expand_declared(root, tree, spec);
  if (expanded > 0) {  // DIR/sweep.yaml keeps the parameters they stand for
    spec.source_text = "# " + file.string() + ", its uncertainties expanded into " +
                       std::to_string(expanded) + " parameters from " + scenario + "\n" +
                       scenario::to_yaml(tree);
  }
  root.list("parameters", expanded > 0 ? kMaxExpandedParameters : kMaxParameters,
            [&](MapReader& item) {
              if (check_interrupt) check_interrupt();
              spec.parameters.push_back(read_parameter(item));
            });
  const bool has_ensemble = root.has("ensemble");
  if (has_ensemble && root.has("design")) {
    root.fail("design", "an ensemble is the design (each draw a point): leave design: out");
  }
  if (has_ensemble) {
    spec.design.kind = DesignKind::Ensemble;
  } else {
    read_design(root.map("design"), spec);
  }
  spec.replicates = static_cast<int>(root.integer("replicates", 1, 100'000, 1));
  spec.seed = static_cast<std::uint64_t>(root.integer("seed", 0, INT64_MAX / 2, 1));
  if (root.has("outcomes")) {
    spec.outcomes = outcomes::read_declarations(*root.node().find("outcomes"), "outcomes");
  }
  spec.default_outcomes = root.boolean("default_outcomes", true);
  root.finish();
  check_outcome_names(spec);
  check_design(root, spec);
  if (has_ensemble) attach_ensemble(root, spec, check_scenario);
  const auto points = count_points(spec, kMaxSweepRuns);
  if (!points || *points > kMaxSweepRuns / spec.replicates) {
    root.fail("replicates", "the sweep would make more than " + std::to_string(kMaxSweepRuns) +
                                " runs; split it");
  }
  if (!check_scenario) return spec;
  add_inputs(spec, "sweep", loaded.files);
  LoadedTree base = scenario::load_yaml_file(spec.scenario);
  add_inputs(spec, "scenario", base.files);
  if (has_ensemble) add_inputs(spec, "ensemble", {spec.ensemble});
  scenario::apply_overrides_checked(base.root, spec.fixed);
  spec.base = std::move(base.root);
  const std::vector<std::filesystem::path> tables =
      bind_store(spec, [&] { check_outcome_names_taken(root, spec); });
  for (const std::filesystem::path& table : tables) add_inputs(spec, "table", {table});
  spec.inputs_fingerprint = inputs_fingerprint(spec.inputs);
  check_series_fit(root, spec);
  if (spec.bound.schemas.empty()) {
    root.fail("default_outcomes",
              "no outcome is declared: the store would hold none; declare "
              "outcomes: or leave the defaults on");
  }
  check_values(spec, check_interrupt);
  return spec;
}

std::vector<std::filesystem::path> bind_store(SweepSpec& spec,
                                              const std::function<void()>& check_names) {
  const model::ScenarioSpec base = scenario::read_scenario(spec.base);
  std::vector<outcomes::Declaration>& all = spec.store_outcomes;
  all.clear();
  if (spec.default_outcomes) all = outcomes::default_outcomes(model::ids_of(base.factions));
  all.insert(all.end(), spec.outcomes.begin(), spec.outcomes.end());
  if (check_names) check_names();
  const model::World world(base);
  spec.bound = outcomes::bind_outcomes(all, run::catalog_of(world));
  spec.start_date = model::iso_date(base.run.start_date);
  return base.geography.table_files;
}

}  // namespace aidflow::sweep
