#include "scenario/uncertainty.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include "scenario/schema_reader.hpp"

namespace aidflow::scenario {
namespace {

using Kind = SourceNode::Kind;

const std::vector<std::string> kDeclarationKeys = {"value", "range", "distribution", "note"};

// [low, high]: two plain numbers, low below high.
std::pair<double, double> read_bounds(MapReader& m) {
  const std::string expected = "[low, high], two numbers";
  if (!m.has("range")) m.fail("range", "required key is missing: expected range: " + expected);
  const SourceNode& range = *m.node().find("range");
  if (range.kind != Kind::Sequence || range.children.size() != 2) {
    m.fail_type("range", expected, range);
  }
  double bounds[2];
  for (std::size_t i = 0; i < 2; ++i) {
    const auto number = plain_number(range.children[i]);
    if (!number) {
      throw InputError(range.children[i].where, item_path(child_path(m.path(), "range"), i),
                       "expected a finite number, got " + range.children[i].describe());
    }
    bounds[i] = *number;
  }
  if (!(bounds[0] < bounds[1])) {
    m.fail("range", "expected low below high, got [" + range.children[0].scalar + ", " +
                        range.children[1].scalar + "]");
  }
  return {bounds[0], bounds[1]};
}

// A value given elsewhere than its range (by --set, or by a file that extends this one) may lie
// outside it: a sweep explores beyond what the scenario thinks likely.
bool written_together(const SourceNode& value, const SourceNode& range) {
  return value.where.file && range.where.file && *value.where.file == *range.where.file;
}

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

const std::vector<std::string>& distribution_names() {
  static const std::vector<std::string> names = {"uniform", "log_uniform", "triangular"};
  return names;
}

Uncertainty read_declaration(const SourceNode& node, const std::string& path) {
  MapReader m(node, path);
  m.allow(kDeclarationKeys);
  m.finish();
  Uncertainty u;
  u.path = path;
  const SourceNode& value = *node.find("value");
  const auto number = plain_number(value);
  if (!number) {
    m.fail("value", "a range is for numbers: expected a finite number, got " + value.describe());
  }
  u.value = *number;
  u.value_text = value.scalar;
  u.where = m.where("value");
  std::tie(u.low, u.high) = read_bounds(m);
  u.low_text = node.find("range")->children[0].scalar;
  u.high_text = node.find("range")->children[1].scalar;
  u.distribution = static_cast<Distribution>(m.choice("distribution", distribution_names(), 0));
  if (u.distribution == Distribution::kLogUniform && u.low <= 0) {
    m.fail("distribution", "log_uniform needs a range above 0, got a low end of " + u.low_text);
  }
  u.note = m.text("note", "");
  const bool excluded = u.value < u.low || u.value > u.high;
  if (excluded && written_together(value, *node.find("range"))) {
    m.fail("range", "the range [" + u.low_text + ", " + u.high_text + "] excludes the value " +
                        u.value_text);
  }
  return u;
}

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
