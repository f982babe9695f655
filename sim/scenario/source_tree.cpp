#include "scenario/source_tree.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>

namespace aidflow::scenario {
namespace {

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// The first `limit` bytes of `text`, moved back to the start of a UTF-8 character if needed.
std::string cut(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  while (limit > 0 && is_continuation_byte(text[limit])) --limit;
  return text.substr(0, limit);
}

std::string hex_escape(const char* format, unsigned code) {
  char escaped[8];
  std::snprintf(escaped, sizeof escaped, format, code);
  return escaped;
}

}  // namespace

std::string excerpt(const std::string& value) {
  constexpr std::size_t kShown = 40;
  return value.size() <= kShown ? value : cut(value, kShown) + "...";
}

std::string printable(const std::string& text) {
  std::string out;
  std::size_t i = 0;
  for (; i < text.size() && out.size() < kMaxMessageBytes; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0u;
    if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\t') {
      out += "\\t";
    } else if (byte == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte == 0x7F) {
      out += hex_escape("\\x%02x", byte);
    } else if (byte == 0xC2 && next >= 0x80 && next <= 0x9F) {  // C1 controls, U+0080..U+009F
      out += hex_escape("\\u%04x", next);
      ++i;
    } else {
      out += text[i];
    }
  }
  if (i == text.size()) return out;
  return cut(out, kMaxMessageBytes) + "... (message cut)";
}

std::string SourceLocation::to_string() const {
  std::string out = file ? *file : std::string("<unknown>");
  // Appended piece by piece: GCC 12 misreports `out += ":" + ...` under -Wrestrict.
  if (line > 0) {
    out += ':';
    out += std::to_string(line);
  }
  if (line > 0 && column > 0) {
    out += ':';
    out += std::to_string(column);
  }
  return out;
}

InputError::InputError(const SourceLocation& where, const std::string& path,
                       const std::string& message)
    : std::runtime_error(where.to_string() + ": " + (path.empty() ? "" : path + ": ") + message),
      where_(where),
      path_(path),
      message_(message) {}

const SourceNode* SourceNode::find(const std::string& key) const {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return &children[i];
  }
  return nullptr;
}

SourceNode* SourceNode::find(const std::string& key) {
  return const_cast<SourceNode*>(std::as_const(*this).find(key));
}

void SourceNode::erase(const std::string& key) {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) {
      const auto at = static_cast<std::ptrdiff_t>(i);
      keys.erase(keys.begin() + at);
      key_locations.erase(key_locations.begin() + at);
      children.erase(children.begin() + at);
      return;
    }
  }
}

bool is_declared(const SourceNode& node) {
  return node.kind == SourceNode::Kind::Map && node.find("value") != nullptr;
}

const SourceNode& declared_value(const SourceNode& node) {
  return is_declared(node) ? *node.find("value") : node;
}

void assign_keeping_declaration(SourceNode& target, const SourceNode& value) {
  if (is_declared(target) && value.kind == SourceNode::Kind::Scalar) {
    *target.find("value") = value;
  } else {
    target = value;
  }
}

const char* SourceNode::kind_name() const {
  switch (kind) {
    case Kind::Null:
      return "nothing";
    case Kind::Scalar:
      return "a scalar";
    case Kind::Map:
      return "a mapping";
    case Kind::Sequence:
      return "a list";
  }
  return "?";
}

std::string SourceNode::describe() const {
  if (kind != Kind::Scalar) return kind_name();
  return '"' + excerpt(scalar) + '"';
}

namespace {

// The entry's `id` if it is a mapping with a scalar id, else nothing.
const std::string* entry_id(const SourceNode& item) {
  const SourceNode* id = item.kind == SourceNode::Kind::Map ? item.find("id") : nullptr;
  return id && id->kind == SourceNode::Kind::Scalar ? &id->scalar : nullptr;
}

bool all_have_ids(const SourceNode& list) {
  return std::all_of(list.children.begin(), list.children.end(),
                     [](const SourceNode& item) { return entry_id(item) != nullptr; });
}

void merge_at(SourceNode& base, const SourceNode& top, const std::string& path);

// Two entries of one list with the same id: the second would silently replace the first's values.
void refuse_duplicate_ids(const SourceNode& list, const std::string& path) {
  for (std::size_t i = 0; i < list.children.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (*entry_id(list.children[i]) != *entry_id(list.children[j])) continue;
      const SourceNode& id = *list.children[i].find("id");
      throw InputError(id.where, child_path(item_path(path, i), "id"),
                       "duplicate id \"" + excerpt(id.scalar) + "\" (first at line " +
                           std::to_string(list.children[j].find("id")->where.line) +
                           "): ids must be unique in " + path);
    }
  }
}

// Lists of entries with ids (factions, donors, ...) merge entry by entry: an entry of `top`
// changes the entry of `base` with the same id and a new id is added at the end, so a scenario
// that extends another can change one faction without restating them all.
void merge_entries(SourceNode& base, const SourceNode& top, const std::string& path) {
  refuse_duplicate_ids(top, path);
  base.where = top.where;  // an error about the merged list (a sum, a count) names the override
  for (std::size_t i = 0; i < top.children.size(); ++i) {
    const SourceNode& item = top.children[i];
    const std::string& id = *entry_id(item);
    const auto same = std::find_if(base.children.begin(), base.children.end(),
                                   [&](const SourceNode& b) { return *entry_id(b) == id; });
    if (same != base.children.end()) {
      merge_at(*same, item, item_path(path, i));
    } else {
      base.children.push_back(item);
    }
  }
}

void merge_at(SourceNode& base, const SourceNode& top, const std::string& path) {
  if (base.kind == SourceNode::Kind::Sequence && top.kind == SourceNode::Kind::Sequence &&
      !base.children.empty() && !top.children.empty() && all_have_ids(base) && all_have_ids(top)) {
    merge_entries(base, top, path);
    return;
  }
  if (base.kind != SourceNode::Kind::Map || top.kind != SourceNode::Kind::Map) {
    assign_keeping_declaration(base, top);
    return;
  }
  // The merged map is where the user last wrote it: an error about it as a whole (shares that
  // do not sum to 1, a key still missing) names the overriding file's line, not the base's.
  base.where = top.where;
  for (std::size_t i = 0; i < top.keys.size(); ++i) {
    if (SourceNode* existing = base.find(top.keys[i])) {
      // A value of `top` that replaces the base's rather than merging into it is where the key
      // is now given (an error about it names this file's line, not the base's).
      const bool replaced = existing->kind != top.children[i].kind ||
                            top.children[i].kind == SourceNode::Kind::Scalar ||
                            top.children[i].kind == SourceNode::Kind::Null;
      if (replaced) {
        const auto at = static_cast<std::size_t>(
            std::find(base.keys.begin(), base.keys.end(), top.keys[i]) - base.keys.begin());
        base.key_locations[at] = top.key_locations[i];
      }
      merge_at(*existing, top.children[i], child_path(path, top.keys[i]));
    } else {
      base.keys.push_back(top.keys[i]);
      base.key_locations.push_back(top.key_locations[i]);
      base.children.push_back(top.children[i]);
    }
  }
}

}  // namespace

void merge_into(SourceNode& base, const SourceNode& top) {
  merge_at(base, top, "");
}

namespace {

void emit(YAML::Emitter& out, const SourceNode& node, Declarations declarations) {
  if (declarations == Declarations::kValuesOnly && is_declared(node)) {
    emit(out, declared_value(node), declarations);
    return;
  }
  switch (node.kind) {
    case SourceNode::Kind::Null:
      out << YAML::Null;
      break;
    case SourceNode::Kind::Scalar:
      if (node.quoted) out << YAML::DoubleQuoted;
      out << node.scalar;
      break;
    case SourceNode::Kind::Map:
      out << YAML::BeginMap;
      for (std::size_t i = 0; i < node.keys.size(); ++i) {
        out << YAML::Key << node.keys[i] << YAML::Value;
        emit(out, node.children[i], declarations);
      }
      out << YAML::EndMap;
      break;
    case SourceNode::Kind::Sequence:
      out << YAML::BeginSeq;
      for (const SourceNode& item : node.children) emit(out, item, declarations);
      out << YAML::EndSeq;
      break;
  }
}

}  // namespace

std::string to_yaml(const SourceNode& root, Declarations declarations) {
  YAML::Emitter out;
  emit(out, root, declarations);
  return std::string(out.c_str()) + "\n";
}

std::string child_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string item_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

}  // namespace aidflow::scenario
