#include "scenario/yaml_source.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "engine/utf8.hpp"

namespace aidflow::scenario {
namespace {

using Kind = SourceNode::Kind;

SourceLocation location(const std::shared_ptr<const std::string>& file, const YAML::Mark& mark) {
  if (mark.is_null()) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

void add_entry(SourceNode& map, const YAML::Node& key_node, const YAML::Node& value,
               const std::shared_ptr<const std::string>& file, const std::string& path);

SourceNode convert(const YAML::Node& node, const std::shared_ptr<const std::string>& file,
                   const std::string& path) {
  SourceNode out;
  out.where = location(file, node.Mark());
  // "?" marks an untagged plain node and "!" a quoted scalar; anything else is an explicit tag
  // (!!str 12, !custom x) that would change how a value reads, which a scenario never needs.
  if (!node.Tag().empty() && node.Tag() != "?" && node.Tag() != "!") {
    std::string tag = node.Tag();
    const std::string standard = "tag:yaml.org,2002:";
    if (tag.starts_with(standard)) tag = "!!" + tag.substr(standard.size());
    throw InputError(out.where, path,
                     "YAML tags (" + tag +
                         ") are not allowed in a scenario file; write the "
                         "plain value");
  }
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      out.kind = Kind::Null;
      break;
    case YAML::NodeType::Scalar:
      out.kind = Kind::Scalar;
      out.scalar = node.Scalar();
      out.quoted = node.Tag() == "!";
      break;
    case YAML::NodeType::Sequence:
      out.kind = Kind::Sequence;
      for (const YAML::Node& item : node) {
        out.children.push_back(convert(item, file, item_path(path, out.children.size())));
      }
      break;
    case YAML::NodeType::Map:
      out.kind = Kind::Map;
      for (const auto& entry : node) add_entry(out, entry.first, entry.second, file, path);
      break;
  }
  return out;
}

void add_entry(SourceNode& map, const YAML::Node& key_node, const YAML::Node& value,
               const std::shared_ptr<const std::string>& file, const std::string& path) {
  const SourceLocation key_where = location(file, key_node.Mark());
  if (!key_node.IsScalar()) {
    const std::string what = key_node.IsMap() ? "a mapping" : "a list";
    throw InputError(key_where, path, "a key must be a plain name, not " + what);
  }
  const std::string key = key_node.Scalar();
  for (std::size_t i = 0; i < map.keys.size(); ++i) {
    if (map.keys[i] == key) {
      throw InputError(
          key_where, child_path(path, key),
          "duplicate key (first given at line " + std::to_string(map.key_locations[i].line) + ")");
    }
  }
  map.keys.push_back(key);
  map.key_locations.push_back(key_where);
  map.children.push_back(convert(value, file, child_path(path, key)));
}

// The checks a scenario path needs before it is read, each answered in the user's terms rather
// than the library's; returns the canonical path (for cycles, and so a run can keep its output off
// its inputs). `from` and `key_path` say who asked for the file: the command line, or `extends`.
std::filesystem::path checked_scenario_path(const std::filesystem::path& path,
                                            const SourceLocation& from,
                                            const std::string& key_path) {
  namespace fs = std::filesystem;
  const std::string shown = path.string();
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) {
    throw InputError(from, key_path, "no such file: " + shown);
  }
  // A symlink loop, a name over the system's limit, a directory we may not search.
  if (ec) throw InputError(from, key_path, "cannot read " + shown + ": " + ec.message());
  if (status.type() == fs::file_type::directory) {
    throw InputError(from, key_path, shown + " is a directory, not a scenario file");
  }
  // A pipe (/dev/stdin, <(...)) can be read only once and has no directory for `extends`.
  if (status.type() != fs::file_type::regular) {
    throw InputError(from, key_path,
                     shown +
                         " is not a regular file (a pipe or a device); save the scenario to a file "
                         "and give its path");
  }
  fs::path canonical = fs::canonical(path, ec);
  if (ec) throw InputError(from, key_path, "cannot read " + shown + ": " + ec.message());
  return canonical;
}

// Reads a file that checked_scenario_path accepted.
std::string read_file(const std::filesystem::path& path, const SourceLocation& from,
                      const std::string& key_path) {
  const std::string shown = path.string();
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw InputError(from, key_path, "cannot read " + shown + ": " + ec.message());
  if (size > kMaxScenarioBytes) {
    throw InputError({std::make_shared<const std::string>(shown), 0, 0}, "",
                     "file is " + std::to_string(size) + " bytes; a scenario file may be at most " +
                         std::to_string(kMaxScenarioBytes) + " bytes (1 MiB)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(from, key_path, "cannot open " + shown);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

SourceLocation offset_location(const std::string& text, std::size_t offset,
                               const std::string& file) {
  const auto begin = text.begin();
  const auto at = begin + static_cast<std::ptrdiff_t>(offset);
  const auto line = 1 + std::count(begin, at, '\n');
  const auto line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  const std::size_t column =
      line_start == std::string::npos || offset == 0 ? offset + 1 : offset - line_start;
  return {std::make_shared<const std::string>(file), static_cast<int>(line),
          static_cast<int>(column)};
}

// Walks the YAML events before building nodes, refusing what a scenario never needs and what
// would make building them explode: aliases (a "billion laughs" file expands exponentially) and
// more than one document (yaml-cpp would silently drop the rest).
class ShapeCheck : public YAML::EventHandler {
 public:
  ShapeCheck(std::shared_ptr<const std::string> file, const std::string& text)
      : file_(std::move(file)), text_(text) {}
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) {
      throw InputError(location(file_, mark), "",
                       "not valid YAML: a second YAML document starts here; a scenario file "
                       "holds exactly one");
    }
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    throw InputError(location(file_, mark), "",
                     "aliases (*name) are not allowed in a scenario file; use extends instead");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  // A quoted value must close on its own line (long text goes in a | or > block). Otherwise a
  // missing quote silently swallows the rest of the file into one string.
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text_.size()) return;
    const auto start = static_cast<std::size_t>(mark.pos);
    const char quote = text_[start];
    if (quote != '"' && quote != '\'') return;
    for (std::size_t i = start + 1; i < text_.size() && text_[i] != '\n'; ++i) {
      if (quote == '"' && text_[i] == '\\') {
        ++i;
      } else if (text_[i] == quote) {
        if (quote == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
          ++i;  // '' is an escaped quote inside single quotes
        } else {
          return;
        }
      }
    }
    throw InputError(location(file_, mark), "",
                     "not valid YAML: the quoted text that starts here is not closed on this "
                     "line (a missing quote? long text goes in a | or > block)");
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    enter(mark);
  }
  void OnSequenceEnd() override { --depth_; }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    enter(mark);
  }
  void OnMapEnd() override { --depth_; }

 private:
  // Refused here, at the first container too deep, long before the trees are built recursively
  // (and before yaml-cpp's own guard, which fires far deeper and points at the end).
  void enter(const YAML::Mark& mark) {
    if (++depth_ > kMaxNestingDepth) {
      throw InputError(location(file_, mark), "",
                       "nested deeper than " + std::to_string(kMaxNestingDepth) +
                           " levels; a scenario needs only a few");
    }
  }

  std::shared_ptr<const std::string> file_;
  const std::string& text_;
  int documents_ = 0;
  int depth_ = 0;
};

// yaml-cpp's own words, with a hint where they are about layout.
std::string yaml_message(const std::string& message) {
  const bool layout = message == "illegal map value" || message == "end of sequence not found" ||
                      message == "end of map not found" || message == "bad conversion";
  return "not valid YAML: " + message + (layout ? "; check the indentation of this line" : "");
}

void check_shape(const std::string& text, const std::shared_ptr<const std::string>& name) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  ShapeCheck check(name, text);
  while (parser.HandleNextDocument(check)) {
  }
}

// Reads `path` and, through its `extends` key, the files under it. `chain` holds the canonical
// paths read so far, outermost first; each file has at most one `extends`, so it is also the list
// of every file the scenario was read from. Its length limit also bounds the recursion: a
// generated chain of 20,000 files used to overflow the stack.
SourceNode load_with_chain(const std::filesystem::path& path, const SourceLocation& from,
                           const std::string& key_path, std::vector<std::filesystem::path>& chain) {
  const std::filesystem::path canonical = checked_scenario_path(path, from, key_path);
  if (std::find(chain.begin(), chain.end(), canonical) != chain.end()) {
    std::string cycle;
    for (const auto& p : chain) cycle += p.filename().string() + " -> ";
    throw InputError(from, "extends", "extends cycle: " + cycle + canonical.filename().string());
  }
  if (chain.size() == kMaxExtendsChain) {
    throw InputError(from, "extends",
                     "the extends chain is longer than " + std::to_string(kMaxExtendsChain) +
                         " files; a scenario needs one or two");
  }
  chain.push_back(canonical);
  SourceNode root = parse_yaml(read_file(path, from, key_path), path.string());
  const SourceNode* extends = root.find("extends");
  if (!extends) return root;
  const std::size_t at = static_cast<std::size_t>(
      std::find(root.keys.begin(), root.keys.end(), "extends") - root.keys.begin());
  if (extends->kind != Kind::Scalar || extends->scalar.empty()) {
    throw InputError(extends->where, "extends",
                     "expected the path of a scenario file, got " + extends->describe());
  }
  const SourceLocation key_where = root.key_locations[at];
  SourceNode base =
      load_with_chain(path.parent_path() / extends->scalar, key_where, "extends", chain);
  root.erase("extends");
  merge_into(base, root);
  return base;
}

}  // namespace

// A NUL byte means a binary file (yaml-cpp would silently stop reading there); other bytes that
// are not UTF-8 would end up echoed, garbled, in messages. yaml-cpp does not take a lone CR for
// a line break, so a file with old Mac line endings would read as one line (often one comment).
void refuse_non_text(const std::string& text, const std::string& file, const std::string& kind) {
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '\0') {
      throw InputError(offset_location(text, i, file), "",
                       "contains a NUL byte: this is a binary file, not " + kind);
    }
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) {
      throw InputError(offset_location(text, i, file), "",
                       "a line ends in a lone carriage return (CR, old Mac line endings); save "
                       "the file with LF or CRLF line endings");
    }
    const std::size_t length = engine::utf8_sequence(text, i);
    if (length == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(text[i]));
      throw InputError(
          offset_location(text, i, file), "",
          std::string("not valid UTF-8 text (byte ") + hex + "); save the file as UTF-8");
    }
    i += length;
  }
}

SourceNode parse_yaml(const std::string& text, const std::string& file) {
  refuse_non_text(text, file, "YAML text");
  const auto name = std::make_shared<const std::string>(file);
  YAML::Node node;
  try {
    check_shape(text, name);
    node = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(location(name, e.mark), "", yaml_message(e.msg));
  }
  try {
    return convert(node, name, "");
  } catch (const YAML::Exception& e) {
    throw InputError(location(name, e.mark), "", yaml_message(e.msg));
  }
}

LoadedTree load_yaml_file(const std::filesystem::path& path) {
  LoadedTree loaded;
  const SourceLocation command_line{std::make_shared<const std::string>("<command line>"), 0, 0};
  loaded.root = load_with_chain(path, command_line, "", loaded.files);
  return loaded;
}

}  // namespace aidflow::scenario
