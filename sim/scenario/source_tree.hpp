#pragma once
// A scenario as a tree of text with a source location on every node. YAML is parsed into it, then
// `extends` merges and `--set` overrides edit it, and every error can still say which file and
// line a value came from. The schema reader turns it into a ScenarioSpec.
#include <string>
#include <vector>

#include "scenario/input_error.hpp"

namespace aidflow::scenario {

struct SourceNode {
  enum class Kind { Null, Scalar, Map, Sequence };
  Kind kind = Kind::Null;
  std::string scalar;   // Scalar: the text as written
  bool quoted = false;  // Scalar: written in quotes, so a string even if it looks like a number
  std::vector<std::string> keys;              // Map: keys in file order
  std::vector<SourceLocation> key_locations;  // Map: where each key is
  std::vector<SourceNode> children;           // Map: values (parallel to keys); Sequence: items
  SourceLocation where;

  const SourceNode* find(const std::string& key) const;
  SourceNode* find(const std::string& key);
  void erase(const std::string& key);
  const char* kind_name() const;
  std::string describe() const;  // for messages: `the string "abc"`, `a mapping`, ...
};

// Overlays `top` on `base`: maps merge key by key (recursively); lists whose entries all have an
// `id` merge entry by entry (same id: merged, new id: appended); anything else replaces.
void merge_into(SourceNode& base, const SourceNode& top);

// A number written with its uncertainty (scenario/uncertainty.hpp) is a mapping with a `value`
// key: {value: 0.55, range: [0.4, 0.7], note: "..."}.
bool is_declared(const SourceNode& node);

// The node to read as a key's value: a declaration's value, or `node` itself.
const SourceNode& declared_value(const SourceNode& node);

// Sets `target` to `value`: a plain value over a declaration changes only its value (keeping
// its range, distribution and note); anything else replaces the target. Used by extends and --set.
void assign_keeping_declaration(SourceNode& target, const SourceNode& value);

// The tree as YAML text. kValuesOnly writes each declaration as its value: what a run records as
// the scenario it ran (the same text as before the range was declared).
enum class Declarations { kKept, kValuesOnly };
std::string to_yaml(const SourceNode& root, Declarations declarations = Declarations::kKept);

// "donors[2].budget_usd" style paths.
std::string child_path(const std::string& parent, const std::string& key);
std::string item_path(const std::string& parent, std::size_t index);

}  // namespace aidflow::scenario
