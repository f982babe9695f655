#include "scenario/overrides.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

#include "scenario/schema_reader.hpp"
#include "scenario/yaml_source.hpp"

namespace aidflow::scenario {
namespace {

struct Step {
  bool is_index = false;
  std::string key;  // a map key, or for an index by id (factions[haqqani]) the id
  std::size_t index = 0;
  bool by_id() const { return is_index && !key.empty(); }
  std::string shown() const { return by_id() ? key : std::to_string(index); }
};

bool is_identifier(std::string_view text) {
  return !text.empty() && std::islower(static_cast<unsigned char>(text.front())) &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return std::islower(static_cast<unsigned char>(c)) ||
                  std::isdigit(static_cast<unsigned char>(c)) || c == '_';
         });
}

std::vector<Step> parse_path(const std::string& path, const SourceLocation& where) {
  std::vector<Step> steps;
  std::size_t i = 0;
  auto bad = [&](const std::string& why) {
    throw InputError(where, path, "not a key path (" + why + "); write it like donors[0].name");
  };
  while (i < path.size()) {
    if (path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string::npos) bad("unclosed [");
      Step step;
      step.is_index = true;
      const char* first = path.data() + i + 1;
      const char* last = path.data() + close;
      if (is_identifier(std::string_view(first, static_cast<std::size_t>(last - first)))) {
        step.key.assign(first, last);  // an entry picked by its id
      } else {
        const auto [end, ec] = std::from_chars(first, last, step.index);
        if (ec != std::errc() || end != last || first == last) {
          bad("an index is a whole number or an entry's id");
        }
      }
      steps.push_back(step);
      i = close + 1;
      if (i < path.size() && path[i] == '.') ++i;
      continue;
    }
    std::size_t end = i;
    while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
    if (end == i) bad("empty key");
    Step step;
    step.key = path.substr(i, end - i);
    steps.push_back(step);
    i = end;
    if (i < path.size() && path[i] == '.') {
      ++i;
      if (i == path.size()) bad("ends with a dot");
    }
  }
  if (steps.empty()) bad("empty path");
  return steps;
}

// Errors inside an override's value point at the override, not at a line of its text.
void relocate(SourceNode& node, const SourceLocation& where) {
  node.where = where;
  for (auto& key_where : node.key_locations) key_where = where;
  for (auto& child : node.children) relocate(child, where);
}

// The entry of a list whose `id` is step.key.
SourceNode& entry_by_id(SourceNode& list, const Step& step, const std::string& walked,
                        const SourceLocation& where) {
  std::vector<std::string> ids;
  for (SourceNode& item : list.children) {
    const SourceNode* id = item.kind == SourceNode::Kind::Map ? item.find("id") : nullptr;
    if (!id || id->kind != SourceNode::Kind::Scalar) continue;
    if (id->scalar == step.key) return item;
    ids.push_back(id->scalar);
  }
  if (ids.empty()) {
    throw InputError(where, walked, "its entries have no ids: pick one by number, like [0]");
  }
  const auto hint = closest_match(step.key, ids);
  throw InputError(where, walked,
                   "no entry with id \"" + step.key + "\"" +
                       (hint ? " (did you mean \"" + *hint + "\"?)" : "; ids: " + join(ids)));
}

SourceNode& descend(SourceNode& node, const Step& step, bool next_is_index,
                    const std::string& walked, const SourceLocation& where) {
  if (step.is_index) {
    if (node.kind != SourceNode::Kind::Sequence) {
      throw InputError(where, walked,
                       "cannot index [" + step.shown() + "]: it is " +
                           std::string(node.kind_name()) + ", not a list");
    }
    if (step.by_id()) return entry_by_id(node, step, walked, where);
    if (node.children.empty()) {
      throw InputError(where, walked,
                       "the list is empty: --set changes entries a list has; add the entry to "
                       "the scenario file (docs/SCENARIO.md), then --set its values");
    }
    if (step.index >= node.children.size()) {
      throw InputError(where, walked,
                       "index [" + std::to_string(step.index) + "] is out of range: the list has " +
                           std::to_string(node.children.size()) + " items");
    }
    return node.children[step.index];
  }
  if (node.kind == SourceNode::Kind::Null) node.kind = SourceNode::Kind::Map;
  if (node.kind != SourceNode::Kind::Map) {
    throw InputError(where, walked,
                     "cannot set key '" + step.key + "': it is " + std::string(node.kind_name()) +
                         ", not a mapping");
  }
  if (SourceNode* child = node.find(step.key)) return *child;
  if (next_is_index) {
    // A list cannot be made up by an override: the key must be a list the scenario has.
    const auto hint = closest_match(step.key, node.keys);
    throw MissingListError(where, walked,
                           "unknown key" + (hint ? " (did you mean \"" + *hint + "\"?)"
                                                 : std::string("; it is not a list "
                                                               "in the scenario")));
  }
  // A new key is added; validation then refuses it if it is unknown, with a "did you mean".
  SourceNode placeholder;
  placeholder.where = where;
  node.keys.push_back(step.key);
  node.key_locations.push_back(where);
  node.children.push_back(std::move(placeholder));
  return node.children.back();
}

}  // namespace

void apply_override(SourceNode& root, const Override& override_) {
  const std::string& assignment = override_.assignment;
  const SourceLocation where{std::make_shared<const std::string>(override_.origin), 0, 0};
  const std::size_t eq = assignment.find('=');
  if (eq == std::string::npos) {
    throw InputError(where, "", "expected path=value, e.g. policy.humanitarian_only=true");
  }
  const std::string path = assignment.substr(0, eq);
  const std::vector<Step> steps = parse_path(path, where);
  SourceNode value;
  try {
    value = parse_yaml(assignment.substr(eq + 1), override_.origin);
  } catch (const InputError& e) {
    throw InputError(where, path, e.message());
  }
  relocate(value, where);
  SourceNode* parent = nullptr;
  SourceNode* node = &root;
  std::string walked;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& step = steps[i];
    walked = step.is_index ? walked + "[" + step.shown() + "]" : child_path(walked, step.key);
    const bool next_is_index = i + 1 < steps.size() && steps[i + 1].is_index;
    parent = node;
    node = &descend(*node, step, next_is_index, walked, where);
  }
  // A value for a key declared with a range sets the value and keeps the range.
  assign_keeping_declaration(*node, value);
  // The key now carries the override's value: errors about it (an empty value, say) name the
  // override rather than the line of the file it replaced.
  if (!steps.back().is_index) {  // (an index by id also names no key of a map)
    const auto at = std::find(parent->keys.begin(), parent->keys.end(), steps.back().key);
    parent->key_locations[static_cast<std::size_t>(at - parent->keys.begin())] = where;
  }
}

void apply_overrides(SourceNode& root, const std::vector<Override>& overrides) {
  for (const Override& override_ : overrides) apply_override(root, override_);
}

}  // namespace aidflow::scenario
