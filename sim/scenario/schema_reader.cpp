#include "scenario/schema_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace aidflow::scenario {
namespace {

using Kind = SourceNode::Kind;

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string format_number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string describe_range(const Range& range) {
  const std::string low = (range.min_open ? "> " : ">= ") + format_number(range.min);
  if (std::isinf(range.max)) return "a number " + low;
  return "a number " + low + " and <= " + format_number(range.max);
}

struct ParsedNumber {
  std::optional<double> value;
  bool too_large = false;  // a well-formed number beyond the range of a double
};

ParsedNumber parse_double(const std::string& text) {
  double value = 0.0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (first != last && *first == '+') ++first;
  const auto [end, ec] = std::from_chars(first, last, value);
  if (first == last || end != last) return {};
  if (ec == std::errc::result_out_of_range) {
    // from_chars says the same for 1e400 and 1e-400; the second is just 0 (or a denormal), the
    // nearest double, and strtod tells them apart (HUGE_VAL on overflow).
    const double nearest = std::strtod(std::string(first, last).c_str(), nullptr);
    if (std::isinf(nearest)) return {std::nullopt, true};
    return {nearest, false};
  }
  if (ec != std::errc()) return {};
  return {value, false};
}

// YAML spellings of infinity and not-a-number, so they get a precise message.
bool is_yaml_special(const std::string& text) {
  static const std::vector<std::string> specials = {".nan", ".NaN",  ".NAN",  ".inf",  ".Inf",
                                                    ".INF", "-.inf", "-.Inf", "-.INF", "+.inf"};
  return std::find(specials.begin(), specials.end(), text) != specials.end();
}

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

bool in_range(double value, const Range& range) {
  const bool below = range.min_open ? value <= range.min : value < range.min;
  return !below && value <= range.max;
}

}  // namespace

std::optional<double> plain_number(const SourceNode& node) {
  if (node.kind != Kind::Scalar || node.quoted || is_yaml_special(node.scalar)) return {};
  const ParsedNumber parsed = parse_double(node.scalar);
  if (!parsed.value || !std::isfinite(*parsed.value)) return {};
  return parsed.value;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::optional<std::string> closest_match(const std::string& word,
                                         const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const std::string& candidate : candidates) {
    // One name cut short of the other (budget_usd / budget_usd_per_year) is a near miss too.
    const bool prefix = std::min(word.size(), candidate.size()) >= 4 &&
                        (word.starts_with(candidate) || candidate.starts_with(word));
    const std::size_t d = prefix ? 1 : edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

MapReader::MapReader(const SourceNode& node, std::string path)
    : node_(node), path_(std::move(path)) {
  if (node_.kind != Kind::Map && node_.kind != Kind::Null) {
    throw InputError(node_.where, path_,
                     "expected a mapping of keys to values, got " + node_.describe());
  }
}

void MapReader::allow(std::vector<std::string> keys, std::vector<std::string> suggest) {
  allowed_ = std::move(keys);
  suggest_ = std::move(suggest);
  refuse_misspelt_keys();
}

const SourceNode* MapReader::lookup(const std::string& key) {
  if (!allowed_.empty() && std::find(allowed_.begin(), allowed_.end(), key) == allowed_.end()) {
    throw std::logic_error("key " + child_path(path_, key) + " is read but not allowed");
  }
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.push_back(key);
  return node_.find(key);  // a key given with no value is present: its value is "nothing"
}

bool MapReader::has(const std::string& key) {
  return lookup(key) != nullptr;
}

SourceLocation MapReader::where(const std::string& key) const {
  for (std::size_t i = 0; i < node_.keys.size(); ++i) {
    if (node_.keys[i] != key) continue;
    // An empty value has no text of its own (YAML places it at the next token): use the key.
    const SourceNode& value = node_.children[i];
    return value.kind == Kind::Null ? node_.key_locations[i] : value.where;
  }
  return node_.where;
}

void MapReader::fail(const std::string& key, const std::string& message) const {
  throw InputError(where(key), child_path(path_, key), message);
}

std::optional<std::string> MapReader::correction(const std::string& key) const {
  std::vector<std::string> candidates = allowed_.empty() ? known_ : allowed_;
  candidates.insert(candidates.end(), suggest_.begin(), suggest_.end());
  return closest_match(key, candidates);
}

void MapReader::refuse_misspelt_keys() const {
  if (allowed_.empty()) return;
  for (std::size_t i = 0; i < node_.keys.size(); ++i) {
    const std::string& key = node_.keys[i];
    if (std::find(allowed_.begin(), allowed_.end(), key) != allowed_.end()) continue;
    if (const auto hint = correction(key)) {
      throw InputError(node_.key_locations[i], child_path(path_, key),
                       "unknown key (did you mean \"" + *hint + "\"?)");
    }
  }
}

const SourceNode& MapReader::required(const std::string& key, const std::string& expected) {
  const SourceNode* found = lookup(key);
  if (found) return *found;
  refuse_misspelt_keys();
  // A key nobody has asked for (or, with allow(), nobody may) that looks like this one is
  // probably it, misspelt.
  const std::vector<std::string>& explained = allowed_.empty() ? known_ : allowed_;
  std::vector<std::string> unexplained;
  for (const std::string& present : node_.keys) {
    if (std::find(explained.begin(), explained.end(), present) == explained.end()) {
      unexplained.push_back(present);
    }
  }
  const auto hint = closest_match(key, unexplained);
  const std::string message = "required key is missing: expected " + expected;
  if (!hint) fail(key, message);
  // Point at the misspelling, where the user will have to edit.
  const auto at = std::find(node_.keys.begin(), node_.keys.end(), *hint) - node_.keys.begin();
  throw InputError(node_.key_locations[static_cast<std::size_t>(at)], child_path(path_, key),
                   message + " (is \"" + *hint + "\" a misspelling of \"" + key + "\"?)");
}

void MapReader::fail_type(const std::string& key, const std::string& expected,
                          const SourceNode& node) const {
  const bool quoted_number =
      node.kind == Kind::Scalar && node.quoted && parse_double(node.scalar).value.has_value();
  fail(key, "expected " + expected + ", got " + node.describe() +
                (quoted_number ? " in quotes (write numbers without quotes)" : ""));
}

double MapReader::number(const std::string& key, Range range, std::optional<double> fallback) {
  if (!has(key) && fallback) return *fallback;
  // What is expected is written out only for a message: formatting the range for every number
  // read was a tenth of reading a scenario (a sweep reads one per run).
  const auto expected = [&] { return describe_range(range); };
  const SourceNode* found = lookup(key);
  const SourceNode& node = found ? *found : required(key, expected());
  if (is_declared(node)) {
    const Uncertainty declared = read_declaration(node, child_path(path_, key));
    refuse_range_outside(key, in_range(declared.low, range) && in_range(declared.high, range),
                         expected());
    return value_only(key, node).number(key, range);
  }
  if (node.kind != Kind::Scalar || node.quoted) fail_type(key, expected(), node);
  if (is_yaml_special(node.scalar)) fail(key, "expected a finite number, got " + node.scalar);
  const ParsedNumber parsed = parse_double(node.scalar);
  if (parsed.too_large)
    fail(key, "expected " + expected() + ", got " + excerpt(node.scalar) + " (out of range)");
  if (!parsed.value) fail(key, "expected " + expected() + ", got " + node.describe());
  const double* value = &*parsed.value;
  if (!std::isfinite(*value)) fail(key, "expected a finite number, got " + node.scalar);
  if (!in_range(*value, range)) {
    fail(key, "expected " + expected() + ", got " + excerpt(node.scalar));
  }
  return *value;
}

std::int64_t MapReader::integer(const std::string& key, std::int64_t min, std::int64_t max,
                                std::optional<std::int64_t> fallback) {
  const std::string expected =
      "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  if (!has(key) && fallback) return *fallback;
  const SourceNode& node = required(key, expected);
  if (is_declared(node)) {
    const Uncertainty declared = read_declaration(node, child_path(path_, key));
    const auto inside = [&](double end) {
      return end >= static_cast<double>(min) && end <= static_cast<double>(max);
    };
    refuse_range_outside(key, inside(declared.low) && inside(declared.high), expected);
    return value_only(key, node).integer(key, min, max);
  }
  if (node.kind != Kind::Scalar || node.quoted) fail_type(key, expected, node);
  std::int64_t value = 0;
  const char* first = node.scalar.data();
  const char* last = first + node.scalar.size();
  const auto [end, ec] = std::from_chars(first, last, value);
  if (ec == std::errc::result_out_of_range) {
    fail(key, "expected " + expected + ", got " + excerpt(node.scalar) + " (out of range)");
  }
  if (ec != std::errc() || end != last || first == last) {
    fail(key, "expected " + expected + ", got " + node.describe());
  }
  if (value < min || value > max) {
    fail(key, "expected " + expected + ", got " + excerpt(node.scalar));
  }
  return value;
}

MapReader MapReader::value_only(const std::string& key, const SourceNode& declared) const {
  auto alone = std::make_shared<SourceNode>();
  alone->kind = Kind::Map;
  alone->where = node_.where;
  alone->keys = {key};
  alone->key_locations = {where(key)};
  alone->children = {*declared.find("value")};
  MapReader reader(*alone, path_);
  reader.owned_ = std::move(alone);
  return reader;
}

void MapReader::refuse_range_outside(const std::string& key, bool inside,
                                     const std::string& expected) const {
  if (inside) return;
  const SourceNode& range = *node_.find(key)->find("range");
  throw InputError(range.where, child_path(child_path(path_, key), "range"),
                   "the range [" + range.children[0].scalar + ", " + range.children[1].scalar +
                       "] goes outside what " + key + " takes: expected " + expected);
}

bool MapReader::boolean(const std::string& key, std::optional<bool> fallback) {
  if (!has(key) && fallback) return *fallback;
  const SourceNode& node = required(key, "true or false");
  if (node.kind == Kind::Scalar && !node.quoted) {
    if (node.scalar == "true" || node.scalar == "True" || node.scalar == "TRUE") return true;
    if (node.scalar == "false" || node.scalar == "False" || node.scalar == "FALSE") return false;
  }
  fail(key, "expected true or false, got " + node.describe());
}

std::string MapReader::text(const std::string& key, std::optional<std::string> fallback) {
  if (!has(key) && fallback) return *fallback;
  const SourceNode& node = required(key, "a text value");
  if (is_declared(node)) {
    fail(key, "expected a text value, got a value with a range (a range is for numbers)");
  }
  if (node.kind != Kind::Scalar) fail(key, "expected a text value, got " + node.describe());
  return node.scalar;
}

std::string MapReader::identifier(const std::string& key) {
  const std::string value = text(key);
  const bool ok = !value.empty() && value.size() <= 64 && std::islower(value[0]) &&
                  std::all_of(value.begin(), value.end(), [](char c) {
                    return std::islower(c) || std::isdigit(c) || c == '_';
                  });
  if (!ok) {
    fail(key,
         "expected an id of lower-case letters, digits and _ starting with a letter "
         "(at most 64 characters), got " +
             lookup(key)->describe());
  }
  return value;
}

std::size_t MapReader::choice(const std::string& key, const std::vector<std::string>& choices,
                              std::optional<std::size_t> fallback) {
  if (!has(key) && fallback) return *fallback;
  const std::string value = text(key);
  const auto it = std::find(choices.begin(), choices.end(), value);
  if (it != choices.end()) return static_cast<std::size_t>(it - choices.begin());
  const auto hint = closest_match(value, choices);
  fail(key, "expected one of " + join(choices) + ", got \"" + excerpt(value) + "\"" +
                (hint ? " (did you mean \"" + *hint + "\"?)" : ""));
}

MapReader MapReader::map(const std::string& key) {
  lookup(key);
  if (const SourceNode* found = node_.find(key)) {
    // A key with no value is an error, here as for every other key: read as all defaults, it
    // would also wipe the values of the same section in a file this one extends.
    if (found->kind == Kind::Null) {
      fail(key, "expected a mapping of keys to values, got nothing; leave " + key +
                    " out to keep its defaults (or those of the file this one extends)");
    }
    return MapReader(*found, child_path(path_, key));
  }
  // Absent: read as an empty mapping placed at this map, so errors inside still have a location.
  auto absent = std::make_shared<SourceNode>();
  absent->where = node_.where;
  MapReader reader(*absent, child_path(path_, key));
  reader.owned_ = std::move(absent);
  return reader;
}

void MapReader::list(const std::string& key, std::size_t max_items,
                     const std::function<void(MapReader&)>& item) {
  const SourceNode& node = required(key, "a list of entries");
  const std::string path = child_path(path_, key);
  if (node.kind != Kind::Sequence) fail(key, "expected a list of entries, got " + node.describe());
  if (node.children.empty()) fail(key, "expected at least one entry, got an empty list");
  if (node.children.size() > max_items) {
    fail(key, "expected at most " + std::to_string(max_items) + " entries, got " +
                  std::to_string(node.children.size()));
  }
  for (std::size_t i = 0; i < node.children.size(); ++i) {
    MapReader reader(node.children[i], item_path(path, i));
    item(reader);
    reader.finish();
  }
}

void MapReader::finish() const {
  const std::vector<std::string>& allowed = allowed_.empty() ? known_ : allowed_;
  for (std::size_t i = 0; i < node_.keys.size(); ++i) {
    const std::string& key = node_.keys[i];
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    const auto hint = correction(key);
    const std::string message = hint ? "unknown key (did you mean \"" + *hint + "\"?)"
                                     : "unknown key; allowed here: " + join(allowed);
    throw InputError(node_.key_locations[i], child_path(path_, key), message);
  }
}

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

}  // namespace aidflow::scenario
