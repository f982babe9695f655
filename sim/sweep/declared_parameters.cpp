#include "sweep/declared_parameters.hpp"

#include <cmath>

#include "scenario/overrides.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/schema_reader.hpp"
#include "scenario/uncertainty.hpp"

namespace aidflow::sweep {
namespace {

using scenario::InputError;
using scenario::MapReader;
using scenario::SourceLocation;
using scenario::SourceNode;
using scenario::Uncertainty;
using Kind = SourceNode::Kind;

struct Selection {
  std::vector<std::string> include, exclude;
};

// A glob or a list of globs; `all` is every path.
std::vector<std::string> patterns(MapReader& r, const std::string& key) {
  const SourceNode& node = *r.node().find(key);
  std::vector<std::string> out;
  if (node.kind == Kind::Scalar && !node.scalar.empty()) {
    out.push_back(node.scalar == "all" && !node.quoted ? "*" : node.scalar);
  } else if (node.kind == Kind::Sequence && !node.children.empty()) {
    for (const SourceNode& item : node.children) {
      if (item.kind != Kind::Scalar || item.scalar.empty()) {
        r.fail_type(key, "all, a path pattern or a list of them", node);
      }
      out.push_back(item.scalar);
    }
  } else {
    r.fail_type(key, "all, a path pattern or a list of them", node);
  }
  return out;
}

Selection read_selection(const SourceNode& item, const std::string& path) {
  MapReader r(item, path);
  r.allow({"uncertainties", "exclude"});
  Selection s;
  s.include = patterns(r, "uncertainties");
  if (r.has("exclude")) s.exclude = patterns(r, "exclude");
  r.finish();
  return s;
}

bool matches_any(const std::vector<std::string>& globs, const std::string& path) {
  return std::any_of(globs.begin(), globs.end(),
                     [&](const std::string& g) { return scenario::path_matches(g, path); });
}

// The path as a parameter name: lower case, every run of other characters one `_`, at most 64
// characters (kept from the end, where the key is), made unique with a number if need be.
std::string name_of(const std::string& path, std::set<std::string>& used) {
  std::string name;
  for (const char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      name += static_cast<char>(std::tolower(u));
    } else if (!name.empty() && name.back() != '_') {
      name += '_';
    }
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  if (name.size() > 60) name = name.substr(name.size() - 60);
  while (!name.empty() && !std::islower(static_cast<unsigned char>(name.front()))) {
    name.erase(0, 1);
  }
  if (name.empty()) name = "uncertainty";
  std::string unique = name;
  for (int n = 2; used.contains(unique); ++n) unique = name + "_" + std::to_string(n);
  used.insert(unique);
  return unique;
}

bool whole(double x) {
  return std::floor(x) == x;
}

// Which of `candidates` (declarations with whole-number value and ends) belong to keys that take
// whole numbers: each is set alone to a fraction next to its value, and one the reader refuses
// there (at that override) takes whole numbers. A fraction refused by a check of several keys
// (influences that must sum to at most 1) says nothing about the key: it is not taken as whole.
std::set<std::size_t> whole_number_keys(const std::vector<Uncertainty>& found,
                                        const std::vector<std::size_t>& candidates,
                                        const SourceNode& base) {
  std::set<std::size_t> whole_keys;
  scenario::TableCache tables;
  const std::string origin = "a fraction tried for a whole-number key";
  for (const std::size_t i : candidates) {
    const Uncertainty& u = found[i];
    const double fraction = u.value + 0.5 <= u.high ? u.value + 0.5 : u.value - 0.5;
    SourceNode tree = base;
    scenario::apply_override(tree,
                             scenario::Override(u.path + "=" + std::to_string(fraction), origin));
    try {
      scenario::read_scenario(tree, scenario::SourceText::kLeftOut, &tables);
    } catch (const InputError& e) {
      if (e.where().file && *e.where().file == origin) whole_keys.insert(i);
    }
  }
  return whole_keys;
}

SourceNode scalar(const std::string& text, bool quoted, const SourceLocation& where) {
  SourceNode node;
  node.kind = Kind::Scalar;
  node.scalar = text;
  node.quoted = quoted;
  node.where = where;
  return node;
}

void add(SourceNode& map, const std::string& key, SourceNode value) {
  map.keys.push_back(key);
  map.key_locations.push_back(map.where);
  map.children.push_back(std::move(value));
}

// A `range` parameter for one declaration, placed where the `uncertainties:` item is.
SourceNode parameter_item(const Uncertainty& u, const std::string& name, bool integer,
                          const SourceLocation& where) {
  SourceNode item;
  item.kind = Kind::Map;
  item.where = where;
  add(item, "name", scalar(name, false, where));
  add(item, "path", scalar(u.path, true, where));
  SourceNode range;
  range.kind = Kind::Sequence;
  range.where = where;
  range.children = {scalar(u.low_text, false, where), scalar(u.high_text, false, where)};
  add(item, "range", std::move(range));
  if (u.distribution == scenario::Distribution::kLogUniform) {
    add(item, "scale", scalar("log", false, where));
  }
  if (integer) add(item, "integer", scalar("true", false, where));
  return item;
}

}  // namespace

bool is_uncertainties_item(const SourceNode& item) {
  return item.kind == Kind::Map && item.find("uncertainties") != nullptr;
}

std::size_t expand_uncertainties(SourceNode& parameters, const SourceNode& base,
                                 const std::set<std::string>& taken) {
  const std::vector<Uncertainty> found = scenario::find_uncertainties(base);
  std::vector<std::vector<std::size_t>> chosen(parameters.children.size());
  std::set<std::string> claimed = taken;
  std::vector<std::size_t> whole_candidates;
  for (std::size_t i = 0; i < parameters.children.size(); ++i) {
    const SourceNode& item = parameters.children[i];
    if (!is_uncertainties_item(item)) continue;
    const std::string path = scenario::item_path("parameters", i);
    const Selection s = read_selection(item, path);
    for (std::size_t k = 0; k < found.size(); ++k) {
      const std::string& p = found[k].path;
      if (!matches_any(s.include, p) || matches_any(s.exclude, p) || claimed.contains(p)) continue;
      claimed.insert(p);
      chosen[i].push_back(k);
      const Uncertainty& u = found[k];
      if (whole(u.value) && whole(u.low) && whole(u.high)) whole_candidates.push_back(k);
    }
    if (chosen[i].empty()) {
      throw InputError(item.find("uncertainties")->where,
                       scenario::child_path(path, "uncertainties"),
                       "selects no declared uncertainty of the scenario (none matches, or each "
                       "is set or varied elsewhere in the sweep); `aidflow uncertainties "
                       "SCENARIO` lists them");
    }
  }
  const std::set<std::size_t> whole_keys = whole_number_keys(found, whole_candidates, base);
  std::set<std::string> names;
  for (const SourceNode& item : parameters.children) {
    const SourceNode* name = item.kind == Kind::Map ? item.find("name") : nullptr;
    if (name && name->kind == Kind::Scalar) names.insert(name->scalar);
  }
  SourceNode expanded = parameters;
  expanded.children.clear();
  std::size_t made = 0;
  for (std::size_t i = 0; i < parameters.children.size(); ++i) {
    const SourceNode& item = parameters.children[i];
    if (!is_uncertainties_item(item)) {
      expanded.children.push_back(item);
      continue;
    }
    for (const std::size_t k : chosen[i]) {
      expanded.children.push_back(parameter_item(found[k], name_of(found[k].path, names),
                                                 whole_keys.contains(k), item.where));
      ++made;
    }
  }
  parameters = std::move(expanded);
  return made;
}

}  // namespace aidflow::sweep
