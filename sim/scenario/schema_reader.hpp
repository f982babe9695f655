#pragma once
// Typed, checked reading of one mapping of the scenario tree. Each getter records the key as
// known; finish() then refuses any key nobody asked for, suggesting the closest known key. Every
// error names the file, line, column, key path and what was expected.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scenario/source_tree.hpp"

namespace aidflow::scenario {

struct Range {
  double min, max;
  bool min_open = false;  // true: min itself is not allowed
};

class MapReader {
 public:
  MapReader(const SourceNode& node, std::string path);

  const std::string& path() const { return path_; }
  const SourceNode& node() const { return node_; }

  bool has(const std::string& key);
  double number(const std::string& key, Range range, std::optional<double> fallback = {});
  std::int64_t integer(const std::string& key, std::int64_t min, std::int64_t max,
                       std::optional<std::int64_t> fallback = {});
  bool boolean(const std::string& key, std::optional<bool> fallback = {});
  std::string text(const std::string& key, std::optional<std::string> fallback = {});
  // A name other entries refer to: [a-z][a-z0-9_]*.
  std::string identifier(const std::string& key);
  // One of `choices`, returned as its index.
  std::size_t choice(const std::string& key, const std::vector<std::string>& choices,
                     std::optional<std::size_t> fallback = {});
  // A nested mapping; an absent key reads as an empty mapping (all defaults).
  MapReader map(const std::string& key);
  // A list of mappings, each read by `item`; refuses an empty list or more than max_items.
  void list(const std::string& key, std::size_t max_items,
            const std::function<void(MapReader&)>& item);

  // Every key this map may hold, known before any is read (plus `suggest`: keys handled
  // elsewhere, such as `extends`, offered as corrections only). A misspelt key is then refused
  // at once, before anything the misspelling leaves wrong is read: `etxends` is the error, not
  // the `factions` it left unread or the default tables it leaves missing.
  // Asking for a key outside `keys` is a programming error (std::logic_error).
  void allow(std::vector<std::string> keys, std::vector<std::string> suggest = {});

  // Throws on a key that no getter asked for (or, after allow(), that is not allowed).
  void finish() const;

  // Errors about a key of this map, at that key's value (or at the map if the key is absent).
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
  SourceLocation where(const std::string& key) const;
  // "expected E, got D", with a hint when D is a number written in quotes.
  [[noreturn]] void fail_type(const std::string& key, const std::string& expected,
                              const SourceNode& node) const;

 private:
  // A reader of `key` alone, holding the declared value (so messages name the key, not key.value).
  MapReader value_only(const std::string& key, const SourceNode& declared) const;
  // A declared range must lie within what the key takes.
  void refuse_range_outside(const std::string& key, bool inside, const std::string& expected) const;
  const SourceNode* lookup(const std::string& key);
  const SourceNode& required(const std::string& key, const std::string& expected);

  const SourceNode& node_;
  std::shared_ptr<const SourceNode> owned_;  // keeps an absent map's stand-in alive
  std::string path_;
  std::vector<std::string> known_;
  std::vector<std::string> allowed_, suggest_;  // empty: keys become known as they are asked

  // The allowed (or known) key closest to `key`, if close enough to be what it meant.
  std::optional<std::string> correction(const std::string& key) const;
  void refuse_misspelt_keys() const;
};

// The number an unquoted scalar spells (finite; not .inf or .nan), or nothing.
std::optional<double> plain_number(const SourceNode& node);

// "a, b, c": lists of keys and ids in messages.
std::string join(const std::vector<std::string>& items);

// The closest of `candidates` to `word` by edit distance, if it is close enough to suggest.
std::optional<std::string> closest_match(const std::string& word,
                                         const std::vector<std::string>& candidates);

// A number declared with its range: {value: 0.55, range: [0.4, 0.7], distribution: uniform,
// note: "why"} (docs/SCENARIO.md, "Values with a range"; scenario/uncertainty.hpp lists them).
enum class Distribution { kUniform, kLogUniform, kTriangular };

// The spellings of Distribution, in its order.
const std::vector<std::string>& distribution_names();

// One declared uncertainty, as the scenario (after extends and --set) has it.
struct Uncertainty {
  std::string path;        // as --set takes it, entries by id: factions[haqqani].influence
  std::string value_text;  // the value as written
  double value = 0.0;
  double low = 0.0, high = 0.0;
  std::string low_text, high_text;  // the range's ends as written
  Distribution distribution = Distribution::kUniform;
  std::string note;
  SourceLocation where;  // the declaration (its `value`)
};

// Reads a declaration, refusing (InputError at the offending part) unknown keys, a value or
// range that is not numbers, low >= high, a range that excludes the value, log_uniform with
// low <= 0. `path` is the key's path, for messages. The result's `path` is left as given.
Uncertainty read_declaration(const SourceNode& node, const std::string& path);

}  // namespace aidflow::scenario
