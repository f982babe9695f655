#include "io/overrides.hpp"

#include <cctype>
#include <charconv>

#include "io/yaml_source.hpp"

namespace aidflow::io {
namespace {

struct Step {
  bool is_index = false;
  std::string key;
  std::size_t index = 0;
};

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
      const auto [end, ec] = std::from_chars(first, last, step.index);
      if (ec != std::errc() || end != last || first == last) bad("index must be a whole number");
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

SourceNode& descend(SourceNode& node, const Step& step, const std::string& walked,
                    const SourceLocation& where) {
  if (step.is_index) {
    if (node.kind != SourceNode::Kind::Sequence) {
      throw InputError(where, walked,
                       "cannot index [" + std::to_string(step.index) + "]: it is " +
                           std::string(node.kind_name()) + ", not a list");
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
  // A new key is added; validation then refuses it if it is unknown, with a "did you mean".
  node.keys.push_back(step.key);
  node.key_locations.push_back(where);
  SourceNode placeholder;
  placeholder.where = where;
  node.children.push_back(std::move(placeholder));
  return node.children.back();
}

}  // namespace

void apply_override(SourceNode& root, const std::string& assignment) {
  const auto name = std::make_shared<const std::string>("--set " + assignment);
  const SourceLocation where{name, 1, 1};
  const std::size_t eq = assignment.find('=');
  if (eq == std::string::npos) {
    throw InputError(where, "", "expected path=value, e.g. policy.humanitarian_only=true");
  }
  const std::string path = assignment.substr(0, eq);
  const std::vector<Step> steps = parse_path(path, where);
  SourceNode value = parse_yaml(assignment.substr(eq + 1), *name);
  SourceNode* node = &root;
  std::string walked;
  for (const Step& step : steps) {
    walked = step.is_index ? item_path(walked, step.index) : child_path(walked, step.key);
    node = &descend(*node, step, walked, where);
  }
  value.where = where;
  *node = std::move(value);
}

void apply_overrides(SourceNode& root, const std::vector<std::string>& assignments) {
  for (const std::string& assignment : assignments) apply_override(root, assignment);
}

}  // namespace aidflow::io
