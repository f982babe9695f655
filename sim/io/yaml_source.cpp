#include "io/yaml_source.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace aidflow::io {
namespace {

using Kind = SourceNode::Kind;

SourceLocation location(const std::shared_ptr<const std::string>& file, const YAML::Mark& mark) {
  if (mark.is_null()) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

SourceNode convert(const YAML::Node& node, const std::shared_ptr<const std::string>& file,
                   int depth) {
  SourceNode out;
  out.where = location(file, node.Mark());
  if (depth > kMaxNestingDepth) {
    throw InputError(out.where, "",
                     "nested deeper than " + std::to_string(kMaxNestingDepth) +
                         " levels; a scenario needs only a few");
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
      for (const YAML::Node& item : node) out.children.push_back(convert(item, file, depth + 1));
      break;
    case YAML::NodeType::Map:
      out.kind = Kind::Map;
      for (const auto& entry : node) {
        const SourceLocation key_where = location(file, entry.first.Mark());
        if (!entry.first.IsScalar()) {
          throw InputError(key_where, "",
                           "a key must be a plain name, not " +
                               std::string(entry.first.IsMap() ? "a mapping" : "a list"));
        }
        const std::string key = entry.first.Scalar();
        if (out.find(key)) throw InputError(key_where, key, "duplicate key");
        out.keys.push_back(key);
        out.key_locations.push_back(key_where);
        out.children.push_back(convert(entry.second, file, depth + 1));
      }
      break;
  }
  return out;
}

std::string read_file(const std::filesystem::path& path, const SourceLocation& from) {
  const auto file = std::make_shared<const std::string>(path.string());
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw InputError(from, "", "no such file: " + *file);
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(from, "", *file + " is a directory, not a scenario file");
  }
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw InputError(from, "", "cannot read " + *file + ": " + ec.message());
  if (size > kMaxScenarioBytes) {
    throw InputError({file, 0, 0}, "",
                     "file is " + std::to_string(size >> 20) +
                         " MiB; a scenario file may be at "
                         "most " +
                         std::to_string(kMaxScenarioBytes >> 20) + " MiB");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(from, "", "cannot open " + *file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A NUL byte means a binary file; yaml-cpp would silently stop reading there.
void refuse_binary(const std::string& text, const std::string& file) {
  const auto nul = text.find('\0');
  if (nul == std::string::npos) return;
  const auto line =
      1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n');
  throw InputError({std::make_shared<const std::string>(file), static_cast<int>(line), 0}, "",
                   "contains a NUL byte: this is a binary file, not YAML text");
}

SourceNode load_with_chain(const std::filesystem::path& path, const SourceLocation& from,
                           std::vector<std::filesystem::path>& chain) {
  const std::filesystem::path canonical = std::filesystem::weakly_canonical(path);
  if (std::find(chain.begin(), chain.end(), canonical) != chain.end()) {
    std::string cycle;
    for (const auto& p : chain) cycle += p.filename().string() + " -> ";
    throw InputError(from, "extends", "extends cycle: " + cycle + canonical.filename().string());
  }
  SourceNode root = parse_yaml(read_file(path, from), path.string());
  const SourceNode* extends = root.find("extends");
  if (!extends) return root;
  const std::size_t at = static_cast<std::size_t>(
      std::find(root.keys.begin(), root.keys.end(), "extends") - root.keys.begin());
  if (extends->kind != Kind::Scalar || extends->scalar.empty()) {
    throw InputError(extends->where, "extends",
                     "expected the path of a scenario file, got " + extends->describe());
  }
  chain.push_back(canonical);
  const SourceLocation key_where = root.key_locations[at];
  SourceNode base = load_with_chain(path.parent_path() / extends->scalar, key_where, chain);
  chain.pop_back();
  root.erase("extends");
  merge_into(base, root);
  return base;
}

}  // namespace

SourceNode parse_yaml(const std::string& text, const std::string& file) {
  refuse_binary(text, file);
  const auto name = std::make_shared<const std::string>(file);
  YAML::Node node;
  try {
    node = YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    throw InputError(location(name, e.mark), "",
                     "nested deeper than " + std::to_string(kMaxNestingDepth) +
                         " levels; a scenario needs only a few");
  } catch (const YAML::Exception& e) {
    throw InputError(location(name, e.mark), "", "not valid YAML: " + e.msg);
  }
  try {
    return convert(node, name, 0);
  } catch (const YAML::Exception& e) {
    throw InputError(location(name, e.mark), "", "not valid YAML: " + e.msg);
  }
}

SourceNode load_yaml_file(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> chain;
  const SourceLocation command_line{std::make_shared<const std::string>("<command line>"), 0, 0};
  return load_with_chain(path, command_line, chain);
}

}  // namespace aidflow::io
