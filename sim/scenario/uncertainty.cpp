#include "scenario/uncertainty.hpp"

#include <algorithm>
#include <cctype>

namespace aidflow::scenario {
namespace {

using Kind = SourceNode::Kind;

// `[id]` for entries of a list whose entries all have ids (as --set picks them), else `[i]`.
std::string entry_step(const SourceNode& list, std::size_t i) {
  const bool by_id = std::all_of(list.children.begin(), list.children.end(), [](auto& item) {
    const SourceNode* id = item.kind == Kind::Map ? item.find("id") : nullptr;
    return id && id->kind == Kind::Scalar;
  });
  return "[" + (by_id ? list.children[i].find("id")->scalar : std::to_string(i)) + "]";
}

void collect(const SourceNode& node, const std::string& path, std::vector<Uncertainty>& out) {
  if (is_declared(node)) {
    Uncertainty u = read_declaration(node, path);
    u.path = path;
    out.push_back(std::move(u));
    return;
  }
  if (node.kind == Kind::Map) {
    for (std::size_t i = 0; i < node.keys.size(); ++i) {
      collect(node.children[i], child_path(path, node.keys[i]), out);
    }
  } else if (node.kind == Kind::Sequence) {
    for (std::size_t i = 0; i < node.children.size(); ++i) {
      collect(node.children[i], path + entry_step(node, i), out);
    }
  }
}

bool is_tag_character(char c) {
  return std::isupper(static_cast<unsigned char>(c)) ||
         std::isdigit(static_cast<unsigned char>(c)) || c == '-';
}

}  // namespace

std::vector<Uncertainty> find_uncertainties(const SourceNode& root) {
  std::vector<Uncertainty> out;
  collect(root, "", out);
  return out;
}

std::vector<std::string> claim_tags(const std::string& note) {
  std::vector<std::string> tags;
  for (std::size_t open = note.find('['); open != std::string::npos;
       open = note.find('[', open + 1)) {
    const std::size_t close = note.find(']', open);
    if (close == std::string::npos) break;
    const std::string inside = note.substr(open + 1, close - open - 1);
    const bool tag = inside.size() >= 2 && std::isupper(static_cast<unsigned char>(inside[0])) &&
                     std::all_of(inside.begin(), inside.end(), is_tag_character);
    if (tag && std::find(tags.begin(), tags.end(), inside) == tags.end()) tags.push_back(inside);
  }
  return tags;
}

bool path_matches(const std::string& pattern, const std::string& path) {
  // Iterative glob with one backtrack point: the last * seen.
  std::size_t p = 0, s = 0, star = std::string::npos, resume = 0;
  while (s < path.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = s;
    } else if (p < pattern.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
    } else if (star != std::string::npos) {
      p = star + 1;
      s = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace aidflow::scenario
